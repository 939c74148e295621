"""事故控制: accidents and deaths of the year to date against targets and control indicators,
by grade, unit and sector, with drill-down to the single accident.

Drill-down: a unit picked on the by-unit chart becomes the global unit filter (sidebar, URL
`unit`); a sector picked on the by-sector chart or in the selectbox is the page's `acc_sector`.
Both narrow the headline, the trend and the list; the two comparison charts always show the city.
"""

import calendar
import datetime as dt
from functools import partial

import streamlit as st

from data_access import accident_rules as rules
from data_access import accidents, targets
from data_access._sql import same_day_last_year, year_start
from ui import auth
from ui.data import query
from ui.downloads import XLSX_MIME
from ui.figures import accidents as figures
from ui.filters import CITY_CODE, page_param, set_page_param
from ui.filters import STATE_UNIT as UNIT_STATE  # the global unit filter's value
from ui.format import MONEY_FORMAT, cn_date, pct
from ui.guard import guarded_callback, section
from ui.labels import ACCIDENT_CONTROL_COLUMNS as CONTROL_COLUMNS
from ui.labels import ACCIDENT_LIST_COLUMNS as LIST_COLUMNS
from ui.labels import ACCIDENT_TEXT as T
from ui.labels import CHOOSE, GRADE_ORDER, GRADES, MESSAGES
from ui.memo import figure
from ui.quality import render_quality_notice
from ui.safe import md
from ui.shell import has_data, page_context, page_header
from ui.weekly import render_week_changes, week_span

SECTOR_KEY, SECTOR_PARAM, ALL = "accidents.sector", "acc_sector", "all"
METRICS = ("deaths", "accidents_total", *(f"accidents_{g}" for g in GRADE_ORDER))
BADGE = {"red": "red", "amber": "orange", "green": "green", "grey": "gray"}
LIST_LIMIT = 500


@guarded_callback
def on_chart_select(chart_key: str, state_key: str, allowed: list[str], empty: str) -> None:
    """Chart selection → filter state. A callback runs before the rerun, so it may set the
    sector selectbox drawn later, and the global unit filter, which the sidebar then shows."""
    current = st.session_state[state_key]
    code = rules.drilldown_after_selection(st.session_state[chart_key], allowed,
                                           current=None if current == empty else current)
    st.session_state[state_key] = code or empty


@guarded_callback
def reset_drilldown() -> None:
    st.session_state[UNIT_STATE], st.session_state[SECTOR_KEY] = CITY_CODE, ALL


def tile(col, label: str, used: int, limit: float | None, last: int, status: rules.Status,
         unit: str, help_text: str | None = None, note: str = "") -> None:
    with col.container(border=True, height="stretch"):
        st.metric(label, f"{used}{unit}", delta=used - last, delta_color="inverse",
                  delta_description=T["same_period"], help=help_text)
        share = rules.consumption(used, limit)
        used_text = "" if share is None else " " + T["used_share"].format(share=pct(share, 0))
        st.markdown(f":{BADGE[status.colour]}-badge[{status.label}]{used_text}")
        limit_text = MESSAGES["target_not_set"] if limit is None else f"{limit:.0f}{unit}"
        st.caption(T["indicator"].format(value=limit_text) + "  \n"
                   + T["last_year"].format(value=f"{last}{unit}"))
        if note:  # a disagreement with 493号 that would change this tile
            st.markdown(f":orange[:material/fact_check: {note}]")


def breakdown(col, kind: str, title: str, rows, counts, *, names: dict[str, str], state_key: str,
              empty: str, chosen: str | None, progress: float, height: int) -> None:
    """Chart (clickable) and table of one breakdown: units or sectors."""
    chart_key = f"accidents.by_{kind}_chart"
    with col:
        st.subheader(title)
        st.caption(T[f"by_{kind}_caption"])
        chart_tab, table_tab = st.tabs([T["chart_tab"], T["table_tab"]])
        chart_tab.plotly_chart(
            figure(figures.build_control_bars, rows, names=names, progress=progress,
                   selected=chosen, height=height),
            key=chart_key, selection_mode="points", config={"displayModeBar": False},
            on_select=partial(on_chart_select, chart_key, state_key, list(rows["code"]), empty))
        table_tab.dataframe(figures.control_table(rows, counts, names=names), hide_index=True,
                            key=f"accidents.by_{kind}_table", column_config=CONTROL_COLUMNS)


ctx, filters = page_context()
page_header("事故控制", ctx, filters)
render_week_changes("accidents", ctx, filters)
render_quality_notice("accidents")
if has_data(ctx, "accidents"):
    as_of, year, previous = filters.as_of, filters.year, filters.previous_review
    sector_codes = list(ctx.sectors["code"])
    if SECTOR_KEY not in st.session_state:
        st.session_state[SECTOR_KEY] = page_param(SECTOR_PARAM, sector_codes) or ALL
    left, middle, right = st.columns([1.2, 1, 3], vertical_alignment="bottom")
    left.selectbox("行业领域", [ALL, *sector_codes], key=SECTOR_KEY, help=T["scope_help"],
                   format_func=lambda c: T["all_sectors"] if c == ALL else ctx.sector_name(c),
                   placeholder=CHOOSE)
    middle.button(T["reset"], on_click=reset_drilldown, key="accidents.reset",
                  icon=":material/restart_alt:")
    sector = None if st.session_state[SECTOR_KEY] == ALL else st.session_state[SECTOR_KEY]
    set_page_param(SECTOR_PARAM, sector)
    unit = filters.unit_or_none
    scope = rules.scope_params(unit, sector)
    progress = rules.time_progress(as_of)
    right.caption(T["progress_caption"].format(
        progress=pct(progress), date=cn_date(as_of), day=as_of.timetuple().tm_yday,
        days=366 if calendar.isleap(year) else 365), help=T["status_rule"])

    # ---- headline: by grade, total accidents, deaths --------------------------------------
    with section():
        goals = query(targets.list_targets, year=year, metrics=METRICS)
        by_grade = query(accidents.summarize_accidents, by="grade", as_of=as_of, **scope)
        last_by_grade = query(accidents.summarize_accidents, by="grade",
                              as_of=same_day_last_year(as_of), **scope)
        now, last = accidents.totals_of(by_grade), accidents.totals_of(last_by_grade)
        regrades = query(accidents.count_regrades, as_of=as_of, **scope)
        cols = st.columns([1, 1, 1, 1, 1, 1.6])
        for col, grade in zip(cols, GRADE_ORDER):
            used = int(by_grade.loc[by_grade["grade"] == grade, "accidents"].sum())
            limit = targets.pick_target(goals, f"accidents_{grade}", unit=unit, sector=sector)
            tile(col, f"{GRADES[grade]}事故", used, limit,
                 int(last_by_grade.loc[last_by_grade["grade"] == grade, "accidents"].sum()),
                 rules.control_status(used, limit, progress,
                                      zero_controlled=grade in rules.ZERO_CONTROLLED),
                 "起", help_text="零控制:发生即超标" if grade in rules.ZERO_CONTROLLED else None,
                 note=figures.regrade_note(regrades, (grade,)))
        total_limit = targets.pick_target(goals, "accidents_total", unit=unit, sector=sector)
        tile(cols[4], "事故总起数", now["accidents"], total_limit, last["accidents"],
             rules.control_status(now["accidents"], total_limit, progress), "起")
        death_limit = targets.pick_target(goals, "deaths", unit=unit, sector=sector)
        death_status = rules.control_status(now["deaths"], death_limit, progress)
        death_share = rules.consumption(now["deaths"], death_limit)
        with cols[5].container(border=True, height="stretch"):
            st.metric("死亡人数", f"{now['deaths']}人", delta=now["deaths"] - last["deaths"],
                      delta_color="inverse", delta_description=T["same_period"])
            st.markdown(f":{BADGE[death_status.colour]}-badge[{death_status.label}] "
                        + T["last_year"].format(value=f"{last['deaths']}人"))
            st.progress(min(death_share or 0.0, 1.0),
                        text=T["deaths_unset"] if death_share is None
                        else T["deaths_used"].format(share=pct(death_share), used=now["deaths"],
                                                     limit=f"{death_limit:.0f}"))
            st.progress(progress, text=T["time_used"].format(share=pct(progress)))
        mismatches = query(accidents.list_grade_mismatches, as_of=as_of, **scope)
        if len(mismatches):
            st.markdown(":orange-badge[:material/fact_check: 数据质量] "
                        + T["quality_pointer"].format(count=len(mismatches)))

    # ---- by unit and by sector: the whole city, now and at the previous review -----------
    with section():
        goals = query(targets.list_targets, year=year, metrics=METRICS)
        st.caption(T["week_caption"].format(previous=cn_date(previous), span=week_span(
            previous, as_of, not_before=year_start(as_of))))
        week = {"progress": progress, "previous_progress": rules.progress_within(year, previous)}
        rows = {}
        unit_codes = [c for c in ctx.units["code"] if c != CITY_CODE]
        for by, codes in (("unit", unit_codes), ("sector", sector_codes)):
            current = query(accidents.summarize_accidents, by=f"{by}_code", as_of=as_of)
            before = query(accidents.summarize_accidents, by=f"{by}_code", as_of=previous,
                           start=year_start(as_of))
            # Sectors have death indicators only; units have both.
            for metric, column in (("deaths", "deaths"), ("accidents_total", "accidents")):
                rows[by, column] = rules.breakdown_rows(current, before, goals, codes=codes,
                                                        by=by, metric=metric, column=column,
                                                        **week)
        height = 60 + 30 * max(len(rows["unit", "deaths"]), len(rows["sector", "deaths"]))
        unit_col, sector_col = st.columns(2, gap="large")
        breakdown(unit_col, "unit", "各单位死亡控制指标", rows["unit", "deaths"],
                  rows["unit", "accidents"], names=ctx.unit_names, state_key=UNIT_STATE,
                  empty=CITY_CODE, chosen=unit, progress=progress, height=height)
        breakdown(sector_col, "sector", "各行业死亡控制指标", rows["sector", "deaths"], None,
                  names=ctx.sector_names, state_key=SECTOR_KEY, empty=ALL, chosen=sector,
                  progress=progress, height=height)

    # ---- trend ----------------------------------------------------------------------------
    st.subheader("累计趋势:本年与上年")
    with section():
        death_limit = targets.pick_target(query(targets.list_targets, year=year, metrics=METRICS),
                                          "deaths", unit=unit, sector=sector)
        this_months = query(accidents.summarize_accidents, by="month", as_of=as_of, **scope)
        last_months = query(accidents.summarize_accidents, by="month",
                            as_of=dt.date(year - 1, 12, 31), **scope)
        st.plotly_chart(figure(figures.build_cumulative_trend, this_months, last_months,
                               as_of=as_of, death_indicator=death_limit),
                        key="accidents.trend", config={"displayModeBar": False})

    # ---- the accidents behind the figures -------------------------------------------------
    with section():
        scope_name = "、".join([ctx.unit_name(unit) if unit else "全市",
                               ctx.sector_name(sector) if sector else T["all_sectors"]])
        st.subheader(f"事故明细:{md(scope_name)}")
        now = accidents.totals_of(query(accidents.summarize_accidents, by="grade", as_of=as_of,
                                        **scope))
        mismatches = query(accidents.list_grade_mismatches, as_of=as_of, **scope)
        if len(mismatches):
            st.warning(figures.quality_note(mismatches, unit_names=ctx.unit_names, grades=GRADES,
                                            text=T), icon=":material/fact_check:")
        listed = query(accidents.list_accidents, as_of=as_of, limit=LIST_LIMIT, **scope)
        if listed.empty:
            st.info(MESSAGES["no_data"])
        else:
            table = figures.accident_list_table(listed, unit_names=ctx.unit_names,
                                                sector_names=ctx.sector_names, grades=GRADES,
                                                mismatch=T["grade_mismatch"])
            st.caption(T["list_caption"].format(count=now["accidents"])
                       if now["accidents"] <= LIST_LIMIT
                       else T["list_truncated"].format(count=now["accidents"], shown=LIST_LIMIT))
            st.dataframe(table, hide_index=True, key="accidents.list", column_config={
                **LIST_COLUMNS,
                "direct_loss_wan": st.column_config.NumberColumn(
                    LIST_COLUMNS["direct_loss_wan"], format=MONEY_FORMAT),
                "grade_check": st.column_config.TextColumn(
                    LIST_COLUMNS["grade_check"], width="medium"),
                "summary": st.column_config.TextColumn(LIST_COLUMNS["summary"], width="large")})
            make_csv, make_xlsx = figures.export_files(table, LIST_COLUMNS)
            stem = f"事故明细_{scope_name}_{as_of.isoformat()}"
            a, b, _ = st.columns([1, 1, 6])
            a.download_button("下载 CSV", auth.audited(make_csv, what=f"{stem}.csv", rows=len(table)),
                              file_name=f"{stem}.csv", mime="text/csv",
                              on_click="ignore", key="accidents.csv",
                              icon=":material/download:")
            b.download_button("下载 Excel", auth.audited(make_xlsx, what=f"{stem}.xlsx",
                                                        rows=len(table)),
                              file_name=f"{stem}.xlsx", mime=XLSX_MIME,
                              on_click="ignore", key="accidents.xlsx",
                              icon=":material/download:")
