"""用户与角色: who has which role (by login name, or by the identity provider's group claim), and
the meeting-room screens' tokens. For the data administrator; every change is audited."""

import pandas as pd
import streamlit as st

from data_access import access
from data_access._sql import CITY_CODE
from ui import auth
from ui.data import get_write_engine
from ui.labels import AUTH_TEXT, CHOOSE
from ui.labels import USERS_TEXT as T
from ui.shell import page_context, page_header

ctx, filters = page_context()
viewer = auth.require_data_admin()  # after page_context: it may rerun through app.py
page_header(T["title"], ctx, filters)
st.caption(T["intro"])
for kind, message in st.session_state.pop("users.flash", []):
    getattr(st, kind)(message)


def flash(kind: str, message: str) -> None:
    st.session_state["users.flash"] = [(kind, message)]


def write(work) -> object | None:
    """`work(conn)` in one transaction on the writing account; None (with a message) when
    the account may not write."""
    try:
        with get_write_engine().begin() as conn:
            return work(conn)
    except Exception:
        auth.log.exception("user list not saved")
        flash("error", AUTH_TEXT["write_account_missing"])
        return None


def save_user() -> None:
    principal = st.session_state["users.principal"].strip()
    role, unit = st.session_state["users.role"], st.session_state["users.unit"]
    name = st.session_state["users.name"].strip() or None

    def work(conn):
        problem = access.user_problem(conn, principal, role, unit)
        if problem:
            return problem
        access.set_user(conn, principal=principal, role=role, unit=unit, name=name,
                        by=viewer.login)
        return ""

    problem = write(work)
    if problem:
        flash("error", problem)
    elif problem == "":
        auth.record("role", page="users", detail={"principal": principal, "role": role,
                                                  "unit": unit if role == access.COUNTY else None})
        flash("success", T["saved"].format(principal=principal))


def delete_user(principal: str) -> None:
    if write(lambda conn: access.remove_user(conn, principal)):
        auth.record("role", page="users", detail={"principal": principal, "role": None})
        flash("success", T["removed"].format(principal=principal))


def new_token() -> None:
    name = st.session_state["users.screen"].strip()
    if not name or len(name) > 40:
        flash("error", T["screen_name_needed"])
        return
    token = write(lambda conn: access.new_screen_token(conn, name, by=viewer.login))
    if token:
        auth.record("token", page="users", detail={"screen": name, "action": "new"})
        st.session_state["users.flash"] = [("success", T["token_made"].format(name=name)),
                                           ("code", f"/?kiosk=1&token={token}")]


def revoke(name: str) -> None:
    if write(lambda conn: access.revoke_screen_token(conn, name)):
        auth.record("token", page="users", detail={"screen": name, "action": "revoke"})
        flash("success", T["token_revoked"].format(name=name))


with get_write_engine().connect() as conn:
    users = access.list_users(conn)
    screens = access.list_screen_tokens(conn)

users_tab, screens_tab = st.tabs([T["tab_users"], T["tab_screens"]])
with users_tab:
    shown = pd.DataFrame({
        T["principal"]: users["principal"],
        T["role"]: users["role"].map(lambda r: access.ROLES.get(r, r)),
        T["unit"]: users["unit_code"].map(lambda c: ctx.unit_name(c) if pd.notna(c) else "—"),
        T["name"]: users["name"].fillna("—"),
        T["updated"]: users["updated_at"], T["updated_by"]: users["updated_by"].fillna("—"),
    })
    st.dataframe(shown, hide_index=True, key="users.table")
    st.caption(T["count"].format(count=len(users)))
    with st.form("users.form", clear_on_submit=False):
        st.markdown(T["form_heading"])
        left, middle, right, last = st.columns(4)
        left.text_input(T["principal"], key="users.principal", help=T["principal_help"],
                        max_chars=120)
        middle.selectbox(T["role"], list(access.ROLES), format_func=access.ROLES.get,
                         key="users.role", placeholder=CHOOSE)
        right.selectbox(T["unit"], [c for c in ctx.units["code"] if c != CITY_CODE],
                        format_func=ctx.unit_name, key="users.unit", help=T["unit_help"],
                        placeholder=CHOOSE)
        last.text_input(T["name"], key="users.name", max_chars=40)
        st.form_submit_button(T["save"], type="primary", on_click=save_user)
    if len(users):
        chosen = st.selectbox(T["remove_which"], list(users["principal"]), key="users.remove",
                              placeholder=CHOOSE)
        st.button(T["remove"], on_click=delete_user, args=(chosen,), key="users.remove_button")
with screens_tab:
    st.caption(T["screens_intro"])
    st.dataframe(pd.DataFrame({
        T["screen"]: screens["name"], T["created"]: screens["created_at"],
        T["created_by"]: screens["created_by"].fillna("—"),
        T["state"]: screens["revoked_at"].map(
            lambda at: T["revoked_at"].format(at=f"{at:%Y-%m-%d %H:%M}") if pd.notna(at)
            else T["valid"]),
    }), hide_index=True, key="users.screens")
    st.text_input(T["screen"], key="users.screen", max_chars=40, help=T["screen_help"])
    st.button(T["new_token"], on_click=new_token, type="primary", key="users.new_token")
    live = list(screens.loc[screens["revoked_at"].isna(), "name"])
    if live:
        which = st.selectbox(T["revoke_which"], live, key="users.revoke", placeholder=CHOOSE)
        st.button(T["revoke"], on_click=revoke, args=(which,), key="users.revoke_button")
