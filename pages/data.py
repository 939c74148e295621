"""数据管理: the bureau's weekly Excel and CSV files in — checked, previewed, confirmed — the
import history with undo, and the import template. Shown only where the server enables it.
Everything here works on the primary database; with a read replica, its state is shown first."""

from functools import partial

import pandas as pd
import streamlit as st

from data_access import rollups
from data_access.importing import analyse, commit, report
from data_access.importing.read import SourceFile
from data_access.importing.templates import TEMPLATE_NAME, build_template
from ui import auth
from ui.data import data_changed, get_write_engine, read_replica_configured
from ui.downloads import XLSX_MIME, excel_bytes
from ui.labels import ADMIN_TEXT as T
from ui.labels import CHOOSE
from ui.replica import render_replica_status
from ui.shell import page_context, page_header

PLAN_KEY, FLASH_KEY = "admin.plan", "admin.flash"
ALL_UNITS = "*"
# The file uploader's own words are English; say them in Chinese (static CSS, no data in it).
UPLOADER_CHINESE = """<style>
[data-testid="stFileUploaderDropzone"] button p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button p::after { content: "选择文件"; font-size: 1rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "拖放文件到此处 · 单个文件不超过 200 MB · Excel 或 CSV"; font-size: 0.875rem; }
</style>"""

ctx, filters = page_context()
viewer = auth.require_data_admin()  # after page_context: it may rerun through app.py
page_header(T["title"], ctx, filters)
st.caption(T["intro"])
if read_replica_configured():
    render_replica_status()
for kind, message in st.session_state.pop(FLASH_KEY, []):
    getattr(st, kind)(message)


def render_counts() -> None:
    """Whether the ledger's counts match its rows (writes that bypassed the import make them
    stale; the pages then read the raw rows), with a button that recounts."""
    with get_write_engine().connect() as conn:
        present, fresh = rollups.present(conn), rollups.fresh(conn)
        built = rollups.built_at(conn)
    if not present:
        st.warning(T["counts_absent"], icon=":material/table_chart:")
        return
    if fresh:
        st.caption(T["counts_fresh"].format(at=f"{built:%Y-%m-%d %H:%M}"))
        return
    st.warning(T["counts_stale"], icon=":material/sync_problem:")
    if st.button(T["recount"], key="admin.recount", icon=":material/calculate:"):
        with get_write_engine().begin() as conn:
            rollups.refresh(conn)
        data_changed()
        st.session_state[FLASH_KEY] = [("success", T["recounted"]), *replica_note()]
        st.rerun()


def template_bytes() -> bytes:
    with get_write_engine().connect() as conn:
        return build_template(conn)


def uploaded_files() -> list[SourceFile]:
    return [SourceFile(f.name, f.getvalue())
            for f in st.session_state.get("admin.files") or []]


def declared_scopes(tables: list[str], scope: str) -> dict[str, str]:
    return {t: analyse.WHOLE_TABLE if scope == ALL_UNITS else scope for t in tables}


def show_plan(plan: analyse.Plan) -> None:
    sheets = [{"文件": f.name, "工作表": sheet, "识别为": analyse.SPECS_BY_TABLE[table].sheet,
               "编码": f.encoding or "Excel"} for f in plan.files for sheet, table in f.sheets]
    sheets += [{"文件": f.name, "工作表": sheet, "识别为": T["skipped"].format(why=why),
                "编码": f.encoding or "Excel"} for f in plan.files for sheet, why in f.ignored_sheets]
    if sheets:
        st.dataframe(pd.DataFrame(sheets), hide_index=True, key="admin.sheets")
    ignored = [f"「{sheet}」{header}" for f in plan.files for sheet, header in f.ignored_columns]
    if ignored:
        st.caption(T["ignored_columns"].format(columns="、".join(ignored)))
    if plan.problems:
        st.error(T["problems"].format(count=len(plan.problems)), icon=":material/block:")
        problems = report.problems_table(plan.problems)
        st.dataframe(problems, hide_index=True, key="admin.problems")
        st.download_button(T["download_problems"], partial(excel_bytes, problems, sheet="问题清单"),
                           file_name="导入问题清单.xlsx", mime=XLSX_MIME, on_click="ignore",
                           icon=":material/download:", key="admin.problems_download")
        return
    if plan.warnings:
        with st.expander(T["warnings"].format(count=len(plan.warnings)), expanded=True):
            st.dataframe(report.problems_table(plan.warnings), hide_index=True,
                         key="admin.warnings")
    st.dataframe(report.summary_table(plan, ctx.unit_names), hide_index=True,
                 key="admin.summary")
    with get_write_engine().connect() as conn:
        names = report.reference_names(conn, list(plan.tables.values()))
    for name, changes in plan.tables.items():
        if not (changes.new or changes.changed or changes.removed):
            continue
        with st.expander(T["details"].format(sheet=changes.spec.sheet, new=len(changes.new),
                                             changed=len(changes.changed),
                                             removed=len(changes.removed))):
            if changes.new:
                st.markdown(T["new_heading"].format(
                    shown=min(len(changes.new), report.NEW_SHOWN)))
                st.dataframe(report.rows_table(changes, changes.new, names, report.NEW_SHOWN),
                             hide_index=True, key=f"admin.new.{name}")
            if changes.changed:
                st.markdown(T["changed_heading"])
                st.dataframe(report.changes_table(changes, names), hide_index=True,
                             key=f"admin.changed.{name}")
            if changes.removed:
                st.markdown(T["removed_heading"])
                st.dataframe(report.rows_table(changes, changes.removed, names,
                                               report.ROWS_SHOWN),
                             hide_index=True, key=f"admin.removed.{name}")


def replica_note() -> list[tuple[str, str]]:
    """After a change: the pages show it once the read replica has it."""
    return [("info", T["replica_pending"])] if read_replica_configured() else []


def record_role_changes(summary: dict[str, dict[str, int]], batch: int, how: str) -> None:
    """An import or undo that changed the role table is also a role change (audited)."""
    users = {kind: n for kind, n in summary.get("app_users", {}).items()
             if kind != "unchanged" and n}
    if users:
        auth.record("role", page="data", detail={"batch": batch, "via": how, "users": users})


def confirm(plan: analyse.Plan) -> None:
    try:
        batch = commit.commit_plan(get_write_engine(), plan, user=viewer.login,
                                   client=auth.client_address())
    except commit.ImportRefused as exc:
        st.session_state[FLASH_KEY] = [("error", str(exc))]
    else:
        data_changed()
        auth.record("import", page="data", detail={"batch": batch, "files": [
            f.name for f in plan.files]}, rows=sum(sum(c.values()) for c in
                                                   plan.summary().values()))
        record_role_changes(plan.summary(), batch, "import")
        st.session_state[FLASH_KEY] = [("success", T["imported"].format(
            batch=batch, counts=report.batch_counts(plan.summary()),
            pages="" if read_replica_configured() else T["pages_updated"])), *replica_note()]
    st.session_state.pop(PLAN_KEY, None)


def render_import() -> None:
    st.html(UPLOADER_CHINESE)
    st.file_uploader(T["upload"], type=["xlsx", "xls", "csv"], accept_multiple_files=True,
                     key="admin.files", help=T["upload_help"])
    sheets = {spec.table: spec.sheet for spec in analyse.SPECS}
    left, right = st.columns([3, 1])
    tables = left.multiselect(T["complete"], list(sheets), format_func=sheets.get,
                              key="admin.complete", help=T["complete_help"],
                              placeholder=T["complete_placeholder"])
    scope = right.selectbox(T["complete_scope"], [ALL_UNITS, *ctx.unit_names],
                            format_func=lambda c: "全市" if c == ALL_UNITS else ctx.unit_name(c),
                            key="admin.complete_scope", placeholder=CHOOSE)
    files = uploaded_files()
    fingerprint = (tuple(f.sha256 for f in files), tuple(tables), scope)
    if st.button(T["analyse"], type="primary", disabled=not files, key="admin.analyse",
                 icon=":material/fact_check:"):
        with st.spinner(T["analysing"]), get_write_engine().connect() as conn:
            plan = analyse.analyse(conn, files, complete=declared_scopes(tables, scope))
        st.session_state[PLAN_KEY] = (fingerprint, plan)
    held = st.session_state.get(PLAN_KEY)
    if held is None or held[0] != fingerprint:
        return
    plan = held[1]
    show_plan(plan)
    if plan.ok and not plan.has_changes:
        st.info(T["nothing"])
    elif plan.ok and st.button(T["confirm"], type="primary", key="admin.confirm",
                               icon=":material/upload:"):
        confirm(plan)
        st.rerun()


def render_history() -> None:
    with get_write_engine().connect() as conn:
        batches = commit.list_batches(conn)
        undoable = commit.latest_undoable(conn)
    if not batches:
        st.info(T["no_history"])
        return
    st.dataframe(pd.DataFrame([{
        "编号": b.id, "时间": b.started_at.strftime("%Y-%m-%d %H:%M"),
        "类别": T["kinds"][b.kind], "操作人": b.user_name or "—",
        "文件": "、".join(f["name"] for f in b.files),
        "变化": report.batch_counts(b.summary) or "—",
        "状态": T["undone"].format(at=f"{b.undone_at:%Y-%m-%d %H:%M}") if b.undone_at else "—",
    } for b in batches]), hide_index=True, key="admin.history")
    if undoable is None:
        st.caption(T["cannot_undo"])
        return
    st.markdown(T["undo_heading"])
    st.caption(T["undo_what"].format(batch=undoable.id, at=f"{undoable.started_at:%Y-%m-%d %H:%M}",
                                     counts=report.batch_counts(undoable.summary)))
    sure = st.checkbox(T["undo_sure"], key="admin.undo_sure")
    if st.button(T["undo"], disabled=not sure, key="admin.undo", icon=":material/undo:"):
        try:
            commit.undo_latest(get_write_engine(), user=viewer.login)
        except commit.ImportRefused as exc:
            st.session_state[FLASH_KEY] = [("error", str(exc))]
        else:
            data_changed()
            auth.record("undo", page="data", detail={"batch": undoable.id})
            record_role_changes(undoable.summary, undoable.id, "undo")
            st.session_state[FLASH_KEY] = [("success", T["undone_done"].format(batch=undoable.id)),
                                           *replica_note()]
        st.session_state.pop("admin.undo_sure", None)
        st.rerun()


render_counts()
import_tab, history_tab, template_tab = st.tabs([T["tab_import"], T["tab_history"],
                                                 T["tab_template"]])
with import_tab:
    render_import()
with history_tab:
    render_history()
with template_tab:
    st.markdown(T["template_intro"])
    st.download_button(T["download_template"], template_bytes, file_name=TEMPLATE_NAME,
                       mime=XLSX_MIME, on_click="ignore", icon=":material/download:",
                       key="admin.template", type="primary")
