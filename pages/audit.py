"""审计日志: logins, failed logins, page views, downloads, briefs, imports, undos and role
changes, filtered by date, kind and user. For the data administrator."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access import access, audit
from ui import auth
from ui.datepick import date_select
from ui.labels import USERS_TEXT as T
from ui.shell import page_context, page_header

ctx, filters = page_context()
auth.require_data_admin()  # after page_context: it may rerun through app.py
page_header(T["audit_title"], ctx, filters)
st.caption(T["audit_intro"].format(days=auth.load_settings().audit_retention_days))

today = dt.date.today()
earliest = today - dt.timedelta(days=auth.load_settings().audit_retention_days)
state = st.session_state
state.setdefault("audit.start", today - dt.timedelta(days=7))
state.setdefault("audit.end", today)


def set_start(day: dt.date) -> None:
    state["audit.start"], state["audit.end"] = day, max(day, state["audit.end"])


def set_end(day: dt.date) -> None:
    state["audit.start"], state["audit.end"] = min(day, state["audit.start"]), day


first, last = st.columns(2)
with first:
    start = date_select(T["period_start"], state["audit.start"], key="audit.start_on",
                        earliest=earliest, latest=today, on_change=set_start)
with last:
    end = date_select(T["period_end"], state["audit.end"], key="audit.end_on",
                      earliest=earliest, latest=today, on_change=set_end)
middle, right = st.columns([3, 2])
kinds = middle.multiselect(T["kinds"], list(audit.KINDS), format_func=audit.KINDS.get,
                           key="audit.kinds", placeholder=T["all_kinds"])
user = right.text_input(T["user_filter"], key="audit.user", max_chars=60)
events = auth.events_frame(dt.datetime.combine(start, dt.time()),
                           dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
                           tuple(kinds), user.strip() or None)
st.caption(T["events_count"].format(count=len(events), limit=1000))
st.dataframe(pd.DataFrame({
    T["at"]: events["at"], T["kind"]: events["kind"].map(lambda k: audit.KINDS.get(k, k)),
    T["principal"]: events["user_name"].fillna("—"),
    T["role"]: events["role"].map(lambda r: access.ROLES.get(r, r) if pd.notna(r) else "—"),
    T["client"]: events["client"].fillna("—"), T["page"]: events["page"].fillna("—"),
    T["unit"]: events["scope"].map(lambda c: ctx.unit_name(c) if pd.notna(c) else "全市"),
    T["detail"]: events["detail"].fillna(""), T["rows"]: events["row_count"],
}), hide_index=True, key="audit.table")
