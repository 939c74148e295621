"""数据质量: what a page's figures leave out, and why — a notice per page, a section on the
overview, and the rows set aside as an Excel file for the people who fix them."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from data_access import schema, validity
from data_access.quality import term
from ui import auth
from ui.data import current_scope, get_engine, query
from ui.downloads import XLSX_MIME, excel_book
from ui.guard import section
from ui.labels import QUALITY_TEXT as T
from ui.safe import md

_REFERENCE = ("units", "sectors", "departments")
PAGE_TABLES: dict[str, tuple[str, ...]] = {
    "overview": tuple(t.name for t in schema.TABLES_IN_LOAD_ORDER if t.name != "dataset_info"),
    "accidents": (*_REFERENCE, "enterprises", "accidents", "targets"),
    "rectification": (*_REFERENCE, "enterprises", "key_tasks", "task_progress_reports",
                      "hidden_dangers"),
    "mining": ("units", "coal_mines", "mine_milestones", "working_faces", "targets"),
    "resources": ("units", "enterprises", "resource_sites", "resource_items", "resource_checks"),
}
EXAMPLES_SHOWN = 3


def table_name(name: str) -> str:
    return term(schema.metadata.tables[name].comment)


def set_aside_workbook(tables: tuple[str, ...]) -> bytes:
    """The rows set aside, one sheet per table, with the problems found (built on click)."""
    with get_engine().connect() as conn:
        sheets = {}
        for name in tables:
            rows = validity.list_set_aside(conn, table=name)
            if len(rows):
                sheets[table_name(name)] = rows.rename(columns={"problems": T["problems"]})
    return excel_book(sheets or {T["none_sheet"]: pd.DataFrame()})


def _details(found: list[validity.SetAside]) -> None:
    for item in found:
        st.markdown(T["table_line"].format(table=md(table_name(item.table)), rows=f"{item.rows:,}"))
        for description, count, examples in item.problems:
            shown = "、".join(md(e, 40) for e in examples[:EXAMPLES_SHOWN])
            st.markdown(T["problem_line"].format(problem=md(description, 120),
                                                 count=f"{count:,}", examples=shown))


def _download(page: str, tables: tuple[str, ...]) -> None:
    st.download_button(T["download"], auth.audited(partial(set_aside_workbook, tables),
                                                   what=T["file_name"]),
                       file_name=T["file_name"], mime=XLSX_MIME, on_click="ignore",
                       icon=":material/download:", key=f"{page}.quality.download")


def render_quality_notice(page: str) -> None:
    """The page's 数据质量 notice: nothing when every row of its tables is usable (a failure
    to read it, such as a missing table, is this section's alone), nor for a county user
    (the rows set aside are the whole city's, for the data administrators)."""
    if current_scope().unit is not None:
        return
    with section():
        _notice(page)


def _notice(page: str) -> None:
    found = query(validity.summarize_set_aside, tables=PAGE_TABLES[page])
    if not found:
        return
    total = sum(item.rows for item in found)
    names = "、".join(md(table_name(item.table)) for item in found)
    with st.expander(T["notice"].format(rows=f"{total:,}", tables=names),
                     icon=":material/fact_check:"):
        st.caption(T["explain"])
        _details(found)
        _download(page, tuple(item.table for item in found))


def render_quality_section() -> None:
    """The overview's 数据质量 section: every table, clean or not (not for a county user)."""
    if current_scope().unit is not None:
        return
    st.subheader(T["section"], anchor=False)
    found = query(validity.summarize_set_aside, tables=PAGE_TABLES["overview"])
    if not found:
        st.success(T["all_clean"], icon=":material/verified:")
        return
    total = sum(item.rows for item in found)
    st.warning(T["section_summary"].format(rows=f"{total:,}", count=len(found)),
               icon=":material/fact_check:")
    with st.expander(T["section_details"]):
        st.caption(T["explain"])
        _details(found)
    _download("overview", tuple(item.table for item in found))
