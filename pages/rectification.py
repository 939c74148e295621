"""专项整治: the key-task checklist and the hidden-danger ledger, as of the as-of date.

A headline strip, then two tabs: 重点任务清单 (review lists for the weekly meeting, status by
sector, the filterable checklist) and 隐患排查治理 (closure by unit or sector, by month, ageing of
open items, and a drill-down list fed by chart clicks). Rules live in data_access.rectification,
figures and tables in ui.figures.rectification.
"""

from functools import partial

import streamlit as st

from data_access import carryover, plans
from data_access import rectification as rect
from ui import auth
from ui.data import query
from ui.downloads import csv_bytes, excel_bytes
from ui.figures import rectification as figs
from ui.filters import CITY_CODE
from ui.format import cn_date, count, number_config, pct
from ui.guard import guarded_callback, section
from ui.labels import (
    CARRIED_OVER,
    CHOOSE,
    HAZARD_SCOPE_LABELS,
    RECTIFICATION_TEXT,
    TASK_STATUSES,
)
from ui.memo import figure
from ui.quality import render_quality_notice
from ui.safe import md
from ui.shell import has_data, page_context, page_header
from ui.weekly import render_week_changes

LIST_LIMIT = 1000
ALL = ""
DRILL_KEYS = {"scope": "rectification.drill.scope", "unit": "rectification.drill.unit",
              "sector": "rectification.drill.sector", "month": "rectification.drill.month"}
CHART_KEYS = ("rectification.chart.by_place", "rectification.chart.by_month",
              "rectification.chart.by_age")
TEXT = RECTIFICATION_TEXT

ctx, filters = page_context()
page_header("专项整治", ctx, filters)
render_week_changes("rectification", ctx, filters)
render_quality_notice("rectification")
if not has_data(ctx, "key_tasks", "hidden_dangers"):
    st.stop()

as_of, unit = filters.as_of, filters.unit_or_none
since = cn_date(filters.previous_review)


def key_tasks():
    """The key-task checklist as of the date (one cached query for the strip and the tab)."""
    return query(rect.list_key_tasks, as_of=as_of, previous_review=filters.previous_review)


def task_lines(rows) -> None:
    """One short entry per task: code and title, then deadline and progress against time."""
    if rows.empty:
        st.caption(TEXT["none_this_week"])
    for row in rows.itertuples():
        progress = 0 if row.progress_pct != row.progress_pct else int(row.progress_pct)
        st.markdown(f"**{md(row.code)}** {md(row.title)}  \n:gray[时限{row.deadline.month}月"
                    f"{row.deadline.day}日 · 进度{progress}% / 时间进度{row.expected_pct}%]")


# ---- headline strip ----------------------------------------------------------------------
left, right = st.columns([4, 7])
with left.container(border=True), section():
    tasks = key_tasks()
    plan = query(plans.read_plan, year=filters.year)
    checklist = "重点任务" if plan is None else md(plan.checklist_title)
    st.markdown(f"**{checklist}** · 共{len(tasks)}项 · 本周完成"
                f"{int(tasks['completed_since_review'].sum())}项、新增逾期"
                f"{int(tasks['newly_overdue'].sum())}项",
                help=f"本周:{since}之后至截至日期")
    status_counts = tasks["status"].value_counts()
    cols = st.columns(5)
    for col, status in zip(cols, ("completed", "in_progress", "not_started", "overdue")):
        col.metric(TASK_STATUSES[status], count(status_counts.get(status, 0), "项"))
    cols[4].metric("临期", count(tasks["due_soon"].sum(), "项"), help=TEXT["due_soon_rule"])
    carried_tasks = query(carryover.count_carried_over_tasks, as_of=as_of)
    if carried_tasks["carried"]:
        st.caption(CARRIED_OVER["tasks"].format(**carried_tasks))
with right.container(border=True), section():
    # The totals are the sum of the by-unit rows: one scan of the ledger serves the headline
    # and the default by-unit chart below (the same cached query).
    hazards = query(rect.summarize_hidden_dangers, as_of=as_of, by="unit_code", unit=unit).drop(
        columns="unit_code").sum()
    carried = query(rect.summarize_carried_over, as_of=as_of, unit=unit).iloc[0]
    scope_name = "全市" if unit is None else ctx.unit_name(unit)
    st.markdown(f"**隐患排查治理** · {md(scope_name)}本年")
    rate = hazards["closed"] / hazards["found"] if hazards["found"] else None
    cols = st.columns(6)
    cols[0].metric("发现隐患", count(hazards["found"], "项"))
    cols[1].metric("已销号", count(hazards["closed"], "项"))
    cols[2].metric("销号率", pct(rate))
    cols[3].metric("超期未整改", count(hazards["overdue"], "项"))
    cols[4].metric("重大隐患未销号", count(hazards["major_open"], "项"),
                   delta=f"未双报告{hazards['major_open_not_double_reported']}项",
                   delta_color="off", delta_arrow="off")
    cols[5].metric("往年结转未销号", count(carried["open"], "项"),
                   delta=f"含重大{carried['major_open']}项", delta_color="off",
                   delta_arrow="off", help=TEXT["hazard_rule"])

task_tab, hazard_tab = st.tabs([TEXT["tasks_tab"], TEXT["hazards_tab"]], key="rectification.tab",
                               bind="query-params")

# ---- key tasks ---------------------------------------------------------------------------
def render_task_tab() -> None:
    tasks = key_tasks()
    if tasks.empty:
        st.info(TEXT["no_tasks"])
    else:
        chart_col, review_col = st.columns([2, 3])
        counts = rect.count_tasks_by_sector_and_status(tasks)
        with chart_col:
            st.plotly_chart(figure(figs.build_task_status_by_sector, counts, ctx.sector_names),
                            key="rectification.chart.tasks", config={"displayModeBar": False})
            with st.expander("状态口径"):
                st.markdown(TEXT["status_rule"])
        with review_col:
            lists = st.columns(3)
            with lists[0].container(border=True):
                st.markdown("**临期任务**", help=TEXT["due_soon_rule"])
                task_lines(tasks[tasks["due_soon"]])
            with lists[1].container(border=True):
                st.markdown("**本周完成**", help=f"{since}之后至截至日期完成的任务")
                task_lines(tasks[tasks["completed_since_review"]])
            with lists[2].container(border=True):
                st.markdown("**本周新增逾期**", help=f"{since}尚未逾期、截至日期已逾期的任务")
                task_lines(tasks[tasks["newly_overdue"]])
            st.caption(TEXT["due_soon_rule"])
            if unit is not None:
                st.caption(TEXT["tasks_city_wide"])

        cols = st.columns([2, 2, 2, 1], vertical_alignment="bottom")
        sectors = [s for s in ctx.sector_names if s in set(tasks["sector_code"])]
        sector = cols[0].selectbox("行业领域", [ALL, *sectors], key="rectification.tasks.sector",
                                   format_func=lambda s: ctx.sector_name(s) or TEXT["all"],
                                   placeholder=CHOOSE)
        departments = list(dict.fromkeys(tasks["lead_department"]))
        department = cols[1].selectbox("牵头科室", [ALL, *departments],
                                       key="rectification.tasks.department",
                                       format_func=lambda d: d or TEXT["all"], placeholder=CHOOSE)
        status_options = {ALL: TEXT["all"], **TASK_STATUSES, "due_soon": "临期"}
        status = cols[2].selectbox("状态", list(status_options), key="rectification.tasks.status",
                                   format_func=status_options.get, placeholder=CHOOSE)
        shown = tasks
        if sector:
            shown = shown[shown["sector_code"] == sector]
        if department:
            shown = shown[shown["lead_department"] == department]
        if status == "due_soon":
            shown = shown[shown["due_soon"]]
        elif status:
            shown = shown[shown["status"] == status]
        table = figs.checklist_table(shown, sector_names=ctx.sector_names)
        cols[3].download_button(
            "下载清单(Excel)", auth.audited(partial(excel_bytes, table, sheet="重点任务清单"),
                                        what="重点任务清单.xlsx", rows=len(table)),
            file_name=f"重点任务清单_{as_of.isoformat()}.xlsx", on_click="ignore",
            icon=":material/download:", key="rectification.tasks.download")
        st.dataframe(figs.for_display(table), hide_index=True, height="content", key="rectification.tasks.table",
                     column_config={
                         "进度(%)": st.column_config.ProgressColumn(
                             format="%d%%", min_value=0, max_value=100, width="small"),
                         "时间进度(%)": st.column_config.NumberColumn(format="%d%%", width="small"),
                         # wide enough for a whole name, progress note and "推进中(临期)"
                         "任务名称": st.column_config.TextColumn(width="large"),
                         "最新进展": st.column_config.TextColumn(width="large"),
                         "状态": st.column_config.TextColumn(width="medium"),
                     })

# ---- hidden dangers ----------------------------------------------------------------------
unit_options = [filters.unit] if unit else list(ctx.unit_names)
month_options = [0, *range(1, as_of.month + 1)]
sector_options = [ALL, *ctx.sector_names]
drill_options = {"scope": list(HAZARD_SCOPE_LABELS), "unit": unit_options,
                 "sector": sector_options, "month": month_options}
for name, key in DRILL_KEYS.items():  # values left from another date or unit fall back
    if st.session_state.get(key) not in drill_options[name]:
        st.session_state[key] = drill_options[name][0]


@guarded_callback
def apply_drill(chart_key: str) -> None:
    drill = figs.drill_from_selection(st.session_state.get(chart_key))
    if drill is None:
        return
    st.session_state[DRILL_KEYS["scope"]] = drill.scope
    st.session_state[DRILL_KEYS["unit"]] = drill.unit or unit_options[0]
    st.session_state[DRILL_KEYS["sector"]] = drill.sector or ALL
    st.session_state[DRILL_KEYS["month"]] = drill.month or 0


def drill_chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, on_select=partial(apply_drill, key), selection_mode="points",
                    config={"displayModeBar": False})


def render_hazard_tab() -> None:
    dimension = st.segmented_control(
        "分组", ["unit", "sector"], default="unit", key="rectification.hazards.dimension",
        format_func={"unit": "按县区", "sector": "按行业领域"}.get, required=True,
        label_visibility="collapsed")
    column = "unit_code" if dimension == "unit" else "sector_code"
    names = ({k: v for k, v in ctx.unit_names.items() if k != CITY_CODE}
             if dimension == "unit" else ctx.sector_names)
    by_place = query(rect.summarize_hidden_dangers, as_of=as_of, by=column, unit=unit)
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        drill_chart(figure(figs.build_hazards_by_place, by_place, dimension=dimension, names=names),
                    CHART_KEYS[0])
    heading = "县区" if dimension == "unit" else "行业领域"
    by_place = figs.place_table(by_place, column=column, names=names, heading=heading)
    table_col.dataframe(
        by_place,
        hide_index=True, height="content", key="rectification.hazards.place_table",
        column_config=number_config(
            by_place, **{"销号率(%)": st.column_config.NumberColumn(format="%.1f%%")}))
    month_col, age_col = st.columns(2)
    with month_col:
        drill_chart(figure(figs.build_hazards_by_month,
            query(rect.count_hidden_dangers_by_month, as_of=as_of, unit=unit), year=as_of.year,
            height=340),
            CHART_KEYS[1])
    with age_col:
        drill_chart(figure(figs.build_open_by_age,
            query(rect.count_open_hidden_dangers_by_age, as_of=as_of, unit=unit), height=340),
            CHART_KEYS[2])
    with st.expander("统计口径"):
        st.markdown(TEXT["hazard_rule"])

    st.subheader("隐患清单")
    st.caption(TEXT["drill_hint"])
    cols = st.columns([3, 2, 2, 1])
    scope = cols[0].selectbox("列出", drill_options["scope"], key=DRILL_KEYS["scope"],
                              format_func=HAZARD_SCOPE_LABELS.get, placeholder=CHOOSE)
    drill_unit = cols[1].selectbox(
        "县区", unit_options, key=DRILL_KEYS["unit"],
        format_func=lambda c: "全市" if c == CITY_CODE else ctx.unit_name(c), placeholder=CHOOSE)
    drill_sector = cols[2].selectbox("行业领域", sector_options, key=DRILL_KEYS["sector"],
                                     format_func=lambda s: ctx.sector_name(s) or TEXT["all"],
                                     placeholder=CHOOSE)
    month = cols[3].selectbox("月份", month_options, key=DRILL_KEYS["month"],
                              format_func=lambda m: f"{m}月" if m else "全年",
                              disabled=scope not in rect.MONTH_SCOPES, placeholder=CHOOSE)
    drill = {"as_of": as_of, "scope": scope, "unit": None if drill_unit == CITY_CODE else drill_unit,
             "sector": drill_sector or None,
             "month": month if month and scope in rect.MONTH_SCOPES else None}
    total = query(rect.count_hidden_dangers, **drill)
    rows = query(rect.list_hidden_dangers, **drill, limit=LIST_LIMIT)
    listed = figs.hazard_table(rows, unit_names=ctx.unit_names, sector_names=ctx.sector_names)
    note = TEXT["truncated"] if total > len(rows) else TEXT["listed"]
    order = TEXT["by_signoff" if scope == "closed_in_period" else "by_deadline"]
    st.caption(note.format(total=f"{total:,}", shown=f"{len(rows):,}", order=order))
    st.dataframe(figs.for_display(listed), hide_index=True, key="rectification.hazards.list",
                 column_config={"隐患描述": st.column_config.TextColumn(width="medium")})
    name = f"隐患清单_{HAZARD_SCOPE_LABELS[scope].split('(')[0]}_{as_of.isoformat()}"
    buttons = st.container(horizontal=True)
    buttons.download_button("下载 CSV", auth.audited(partial(csv_bytes, listed), what=f"{name}.csv",
                                                   rows=len(listed)), file_name=f"{name}.csv",
                            mime="text/csv", on_click="ignore", icon=":material/download:",
                            key="rectification.hazards.csv")
    buttons.download_button("下载 Excel", auth.audited(partial(excel_bytes, listed, sheet="隐患清单"),
                                                     what=f"{name}.xlsx", rows=len(listed)),
                            file_name=f"{name}.xlsx", on_click="ignore",
                            icon=":material/download:", key="rectification.hazards.excel")


# Only the open tab runs (the tab is kept in the URL): the ledger's aggregates are the page's
# heaviest queries, so they are not computed while the key-task checklist is on screen, nor
# the checklist's chart and table while the ledger is.
if task_tab.open:
    with task_tab, section():
        render_task_tab()
if hazard_tab.open:
    with hazard_tab, section():
        render_hazard_tab()
