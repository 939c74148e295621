"""总览: headline tiles for the four detailed views, then the scorecard of every quantified target
of the year's notice (its plan, data the data admin imports), grouped by the notice's sections,
with the change since the previous review and, on request, last year's scorecard at the same
day."""

import streamlit as st

from data_access import accidents, mining, rectification, resources, scorecard, targets
from data_access._sql import same_day_last_year
from ui.data import query
from ui.figures.accidents import HEADLINE_GRADES, regrade_note
from ui.figures.overview import (
    build_scorecard_html,
    compare_years_table,
    monitoring_table,
    split_sections,
)
from ui.format import cn_date, count, number_config, pct
from ui.guard import section
from ui.labels import OVERVIEW_TEXT as T
from ui.labels import SCORECARD_RULES
from ui.quality import render_quality_section
from ui.shell import has_data, page_context, page_header
from ui.weekly import render_brief_downloads, render_week_changes

ctx, filters = page_context()
page_header(T["title"], ctx, filters)
render_week_changes("overview", ctx, filters)
render_brief_downloads(ctx, filters)
unit = filters.unit_or_none
as_of = filters.as_of
link_params = filters.query_params()


def tile(page: str, title: str, icon: str):
    box = st.container(border=True)
    box.page_link(page, label=f"**{title}** · {T['details']}", icon=icon,
                  query_params=link_params)
    return box


def render_tiles() -> None:
    cols = st.columns(4)
    with cols[0], tile("pages/accidents.py", T["tile_accidents"], ":material/warning:"), section():
        totals = query(accidents.count_accidents, as_of=as_of, unit=unit)
        limit = targets.pick_target(query(targets.list_targets, year=filters.year,
                                          metrics=("deaths",)), "deaths", unit=unit)
        left, right = st.columns(2)
        left.metric(T["accidents"], count(totals["accidents"], "起"))
        right.metric(T["deaths"], count(totals["deaths"], "人"))
        st.caption(T["deaths_unset"] if not limit else T["deaths_indicator"].format(
            limit=f"{limit:.0f}", share=pct(totals["deaths"] / limit)))
        note = regrade_note(query(accidents.count_regrades, as_of=as_of, unit=unit),
                            HEADLINE_GRADES)
        if note:  # counted under their reported grades; 493号 puts them elsewhere
            st.markdown(f":orange[:material/fact_check: {note}]")
    with cols[1], tile("pages/rectification.py", T["tile_rectification"],
                       ":material/checklist:"), section():
        tasks = query(rectification.list_key_tasks, as_of=as_of)
        # The 专项整治 page's by-unit read, summed (every column is a count): one cached
        # result for both pages instead of a second pass over the ledger.
        hazards = query(rectification.summarize_hidden_dangers, as_of=as_of, by="unit_code",
                        unit=unit).drop(columns="unit_code").sum()
        left, right = st.columns(2)
        done = int((tasks["status"] == "completed").sum())
        left.metric(T["tasks_done"], f"{done}/{len(tasks)}项")
        found = int(hazards["found"])
        right.metric(T["closure_rate"], pct(int(hazards["closed"]) / found if found else None))
        st.caption(T["tasks_overdue"].format(count=int((tasks["status"] == "overdue").sum()))
                   + " · " + T["hazards_overdue"].format(count=int(hazards["overdue"])))
    with cols[2], tile("pages/mining.py", T["tile_mining"],
                       ":material/precision_manufacturing:"), section():
        faces = query(mining.count_faces_by_stage, as_of=as_of, unit=unit)
        target = targets.pick_target(query(targets.list_targets, year=filters.year,
                                           metrics=("intelligent_faces",)),
                                     "intelligent_faces", unit=unit)
        built = int(faces.loc[faces["stage"] == "accepted", "faces"].sum())
        left, right = st.columns(2)
        left.metric(T["faces_built"], count(built, "处"))
        right.metric(T["faces_late"], count(int(faces["late"].sum()), "处"))
        st.caption(T["faces_target_unset"] if not target else T["faces_target"].format(
            target=f"{target:.0f}", share=pct(built / target)))
    with cols[3], tile("pages/resources.py", T["tile_resources"], ":material/map:"), section():
        sites = query(resources.summarize_sites_by_kind, as_of=as_of, unit=unit)
        teams = sites[sites["kind"] == "team"]
        left, right = st.columns(2)
        left.metric(T["sites"], count(int(sites["sites"].sum()), "处"))
        right.metric(T["checks_overdue"], count(int(sites["check_overdue"].sum()), "处"))
        st.caption(T["teams"].format(teams=int(teams["sites"].sum()),
                                     headcount=f"{int(teams['headcount'].sum()):,}"))


def render_scorecard(current) -> None:
    """The scorecard's lines; a line whose table is missing says so and shows 无数据."""
    previous = query(scorecard.compute_scorecard, as_of=filters.previous_review, unit=unit)
    lines = scorecard.compare_weeks(current, previous)
    first, second = split_sections(lines)
    left, right = st.container(key="wide-columns").columns(2, gap="medium")
    with left:
        st.html(build_scorecard_html(lines, first))
    with right:
        st.html(build_scorecard_html(lines, second))
        with st.expander(T["rules_help"]):
            for rule in ("control", "rate", "progress", "annual", "zero"):
                st.markdown(f"- {SCORECARD_RULES[rule]}")
            st.caption(T["rules_colours"])


def render_monitoring() -> None:
    monitoring = query(scorecard.summarize_hazchem_monitoring, as_of=as_of, unit=unit,
                       by_unit=True)
    week = cn_date(monitoring["week_ending"].iloc[0]) if len(monitoring) else "—"
    with st.expander(T["monitoring_by_unit"].format(week=week), expanded=True):
        if monitoring.empty:
            st.info(T["monitoring_none"])
        else:
            table = monitoring_table(monitoring, ctx.unit_names)
            st.dataframe(table, hide_index=True, key="overview.monitoring_by_unit",
                         column_config=number_config(table))


def render_last_year(current) -> None:
    """This year's scorecard beside last year's at the same day, measure by measure."""
    last_day = same_day_last_year(as_of)
    last = query(scorecard.compute_scorecard, as_of=last_day, unit=unit)
    st.caption(T["compare_caption"].format(as_of=cn_date(as_of), last=cn_date(last_day)))
    st.dataframe(compare_years_table(current, last), hide_index=True,
                 key="overview.compare_years")


if has_data(ctx, "accidents", "key_tasks", "hidden_dangers", "working_faces", "resource_sites"):
    render_tiles()
st.subheader(T["scorecard"], anchor=False)
with section():
    this_year = query(scorecard.compute_scorecard, as_of=as_of, unit=unit)
    title = this_year["plan_title"].iloc[0] if len(this_year) else None
    if isinstance(title, str):
        st.caption(T["scorecard_caption"].format(title=title,
                                                 previous=cn_date(filters.previous_review)))
    else:
        st.info(T["no_plan"].format(year=filters.year))
    render_scorecard(this_year)
    if st.toggle(T["compare_last_year"], key="overview.compare_last_year"):
        render_last_year(this_year)
with section():
    render_monitoring()
with section():
    render_quality_section()
