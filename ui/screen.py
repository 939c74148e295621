"""The meeting-room screen's views: each fills one 1920×1080 screen without scrolling, in a dark,
high-contrast style with type readable across a room. They reuse the pages' data functions and
figure builders; only the presentation is the screen's own."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from data_access import (
    accident_rules,
    accidents,
    mining,
    rectification,
    resources,
    scorecard,
    validity,
)
from data_access import forecast as face_forecast
from data_access import targets as target_data
from data_access._sql import year_start
from data_access.geo import load_county_outlines
from ui.data import DataContext, query
from ui.figures.accidents import build_control_bars
from ui.figures.mining import build_trajectory
from ui.figures.overview import build_scorecard_html
from ui.figures.rectification import build_hazards_by_place, with_closure_rate
from ui.figures.resources import build_resource_deck
from ui.filters import CITY_CODE, Filters, parse_unit
from ui.format import cn_date, count, pct
from ui.guard import section
from ui.labels import APP_TITLE, GRADE_ORDER, GRADES, SAMPLE_BADGE, SITE_KINDS, TASK_STATUSES
from ui.labels import SCREEN_TEXT as T
from ui.quality import PAGE_TABLES
from ui.resource_map import SiteScope, map_sites
from ui.shell import kiosk_settings
from ui.startup import context_or_problem
from ui.theme import NOTICE_BACKGROUND, NOTICE_EDGE, NOTICE_TEXT

BACKGROUND = "#0b1220"
PANEL = "#131c2e"
TEXT = "#e8eef6"
MUTED = "#9fb0c6"

def screen_style(scale: float) -> str:
    """The screen's CSS; `scale` enlarges type and spacing for big screens at 100% scaling."""
    return f"""
<style>
html {{ font-size: {16 * scale:.0f}px !important; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stElementToolbar"],
footer {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {BACKGROUND} !important; color: {TEXT}; }}
[data-testid="stMainBlockContainer"] {{ padding: 1.0rem 2.2rem 0 2.2rem !important;
  max-width: 100% !important; }}
.stApp h1, .stApp h2, .stApp h3, .stApp p, .stApp li, .stApp span, .stApp label,
.stApp [data-testid="stMarkdownContainer"] {{ color: {TEXT}; }}
[data-testid="stMetric"] {{ background: {PANEL}; border-radius: 10px; padding: 0.7rem 1.1rem; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.35rem !important; color: {MUTED} !important; }}
[data-testid="stMetricValue"] {{ font-size: 3.0rem !important; color: {TEXT} !important; }}
[data-testid="stCaptionContainer"] p {{ color: {MUTED} !important; font-size: 1.1rem; }}
.screen-head {{ display: flex; align-items: baseline; gap: 1.6rem; margin: 0 0 0.6rem 0; }}
.screen-head .title {{ font-size: 2.3rem; font-weight: 700; color: {TEXT}; }}
.screen-head .view {{ font-size: 2.3rem; font-weight: 700; color: #5fb3ff; }}
.screen-head .asof {{ font-size: 1.35rem; color: {MUTED}; }}
.screen-head .quality {{ font-size: 1.35rem; color: #1b1300; background: #f0c75e;
  border-radius: 6px; padding: 0.1rem 0.6rem; }}
.screen-head .sample {{ font-size: 1.1rem; color: #1b1300; background: #f0a500;
  border-radius: 6px; padding: 0.1rem 0.6rem; }}
.sc-table, .sc-table td, .sc-table th {{ color: {TEXT} !important; font-size: 1.45rem;
  padding-top: 0.32rem !important; padding-bottom: 0.32rem !important; }}
.sc-table small {{ font-size: 1.0rem !important; }}
.sc-table .sc-section td {{ background: #1d2a42 !important; color: {TEXT} !important; }}
.sc-table small {{ color: {MUTED} !important; }}
.screen-failure {{ background: {NOTICE_BACKGROUND}; color: {NOTICE_TEXT} !important;
  font-size: 1.6rem; line-height: 1.5; border-left: 0.6rem solid {NOTICE_EDGE};
  border-radius: 10px; padding: 1.1rem 1.6rem; margin: 0.8rem 0; }}
.screen-stale {{ position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: {NOTICE_EDGE}; color: {NOTICE_TEXT} !important; font-size: 1.7rem;
  font-weight: 700; text-align: center; padding: 0.4rem 1rem; }}
/* A redraw that waits for the database keeps the figures as they are, not dimmed. */
[data-stale="true"] {{ opacity: 1 !important; }}
</style>
"""


def clock_html(scale: float) -> str:
    return f"""
<div id="clock" style="font: 600 {30 * scale:.0f}px 'Noto Sans CJK SC', sans-serif; color: {TEXT};
  text-align: right; background: {BACKGROUND};"></div>
<script>
const pad = n => String(n).padStart(2, "0");
function tick() {{
  const d = new Date();
  document.getElementById("clock").textContent =
    `${{d.getFullYear()}}-${{pad(d.getMonth() + 1)}}-${{pad(d.getDate())}} ` +
    `${{pad(d.getHours())}}:${{pad(d.getMinutes())}}:${{pad(d.getSeconds())}}`;
}}
tick(); setInterval(tick, 1000);
</script>
<style>body {{ margin: 0; background: {BACKGROUND}; }}</style>
"""


def _scale() -> float:
    return kiosk_settings().scale


def apply_screen_style() -> None:
    st.html(screen_style(_scale()))


def screen_filters(ctx: DataContext) -> Filters:
    """The screen always shows the latest data, for the unit in the URL (default: the city)."""
    unit = parse_unit(st.query_params.get("unit"), list(ctx.units["code"])) or CITY_CODE
    return Filters(as_of=ctx.latest_date or dt.date.today(), unit=unit)


def header(view_title: str, ctx: DataContext | None, filters: Filters | None) -> None:
    """Title, view, scope and as-of date, 示例数据, and the clock; without a data context (no
    database yet) the title, view and clock alone."""
    left, right = st.columns([5, 1], vertical_alignment="center")
    parts = [f'<span class="title">{APP_TITLE}</span>', f'<span class="view">{view_title}</span>']
    if ctx is not None and filters is not None:
        scope = "全市" if filters.unit == CITY_CODE else ctx.unit_name(filters.unit)
        parts.append(f'<span class="asof">{html.escape(scope)} · {T["as_of"]}'
                     f'{cn_date(filters.as_of)}</span>')
        if ctx.is_sample:
            parts.append(f'<span class="sample">{SAMPLE_BADGE}</span>')
        set_aside = sum(item.rows for item in query(validity.summarize_set_aside,
                                                    tables=PAGE_TABLES["overview"]))
        if set_aside:
            parts.append(f'<span class="quality">{T["set_aside"].format(rows=f"{set_aside:,}")}'
                         '</span>')
    left.html(f'<div class="screen-head">{"".join(parts)}</div>')
    with right:
        st.iframe(clock_html(_scale()), height=int(44 * _scale()))


def failure_panel(message: str) -> None:
    """Why a view, or a part of it, cannot be shown: dark text on a light panel."""
    st.html(f'<div class="screen-failure">{html.escape(message)}</div>')


def stale_bar(text: str | None) -> None:
    """"数据更新于 HH:MM,数据库暂不可用" along the bottom edge, over the last good figures."""
    if text:
        st.html(f'<div class="screen-stale">{html.escape(text)}</div>')


def _dark(fig: go.Figure, height: int) -> go.Figure:
    """Recolour a page figure for the dark screen, with type readable across a room."""
    k = _scale()
    fig.update_layout(
        height=int(height * k), paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font={"color": TEXT, "size": 20 * k}, title_font={"color": TEXT, "size": 22 * k},
        legend={"font": {"color": TEXT, "size": 18 * k}},
    )
    axis = {"gridcolor": "#27344d", "zerolinecolor": "#27344d",
            "tickfont": {"color": TEXT, "size": 18 * k}}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    fig.for_each_annotation(lambda a: a.update(font={"color": TEXT, "size": 18 * k},
                                               bgcolor=PANEL if a.bgcolor else None))
    for shape in fig.layout.shapes:
        if shape.line and shape.line.color in ("#1f2933", "#8a8f98"):
            shape.line.color = MUTED
    return fig


def _chart(fig: go.Figure, height: int, key: str) -> None:
    """A page figure on the screen: its title becomes a heading above it (no overlap with the
    legend at screen font sizes), then the recoloured chart, static (no toolbar)."""
    title = fig.layout.title.text
    if title:
        st.markdown(f"### {title}")
        fig.update_layout(title=None)
    fig.update_layout(margin={"t": int(50 * _scale())})
    st.plotly_chart(_dark(fig, height), key=key, config={"displayModeBar": False,
                                                          "staticPlot": True})


# ---- views --------------------------------------------------------------------------------
def part():
    """One part of a view: if it fails, the screen's failure panel takes its place."""
    return section(show=failure_panel)


def overview_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    with part():
        totals = query(accidents.count_accidents, as_of=as_of, unit=unit)
        tasks = query(rectification.list_key_tasks, as_of=as_of)
        hazards = query(rectification.summarize_hidden_dangers, as_of=as_of, unit=unit).iloc[0]
        faces = query(mining.count_faces_by_stage, as_of=as_of, unit=unit)
        sites = query(resources.summarize_sites_by_kind, as_of=as_of, unit=unit)
        built = int(faces.loc[faces["stage"] == "accepted", "faces"].sum())
        found = int(hazards["found"])
        cols = st.columns(6)
        cols[0].metric(T["accidents"], count(totals["accidents"], "起"))
        cols[1].metric(T["deaths"], count(totals["deaths"], "人"))
        cols[2].metric(T["tasks_done"],
                       f"{int((tasks['status'] == 'completed').sum())}/{len(tasks)}项")
        cols[3].metric(T["closure_rate"], pct(int(hazards["closed"]) / found if found else None))
        cols[4].metric(T["faces_built"], count(built, "处"))
        cols[5].metric(T["checks_overdue"], count(int(sites["check_overdue"].sum()), "处"))
    with part():
        current = query(scorecard.compute_scorecard, as_of=as_of, unit=unit)
        previous = query(scorecard.compute_scorecard, as_of=filters.previous_review, unit=unit)
        lines = scorecard.compare_weeks(current, previous)
        left, right = st.columns(2, gap="large")
        left.html(build_scorecard_html(lines, ("一", "二", "三", "四")))
        right.html(build_scorecard_html(lines, ("五", "六")))


def accidents_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    progress = accident_rules.time_progress(as_of)
    with part():
        by_grade = query(accidents.summarize_accidents, by="grade", as_of=as_of, unit=unit)
        counts = dict(zip(by_grade["grade"], by_grade["accidents"]))
        totals = query(accidents.count_accidents, as_of=as_of, unit=unit)
        target_rows = query(target_data.list_targets, year=filters.year, metrics=("deaths",))
        limit = target_data.pick_target(target_rows, "deaths", unit=unit)
        cols = st.columns(6)
        for col, grade in zip(cols, GRADE_ORDER):
            col.metric(f"{GRADES[grade]}事故", count(counts.get(grade, 0), "起"))
        cols[4].metric(T["deaths"], count(totals["deaths"], "人"))
        cols[5].metric(T["indicator_used"],
                       pct(totals["deaths"] / limit) if limit else T["not_set"])
        st.caption(T["progress"].format(progress=pct(progress)))
    previous = filters.previous_review
    week = {"progress": progress,
            "previous_progress": accident_rules.progress_within(filters.year, previous)}
    codes = {"unit": [c for c in ctx.units["code"] if c != CITY_CODE],
             "sector": [c for c in ctx.sectors["code"] if c != "general"]}
    columns = st.columns(2, gap="large")
    for column, (by, names) in zip(columns, (("unit", ctx.unit_names),
                                             ("sector", ctx.sector_names))):
        with column, part():
            target_rows = query(target_data.list_targets, year=filters.year, metrics=("deaths",))
            current = query(accidents.summarize_accidents, by=f"{by}_code", as_of=as_of)
            before = query(accidents.summarize_accidents, by=f"{by}_code", as_of=previous,
                           start=year_start(as_of))
            rows = accident_rules.breakdown_rows(current, before, target_rows, codes=codes[by],
                                                 by=by, metric="deaths", column="deaths", **week)
            st.markdown(f"### {T['deaths_by_' + by]}")
            _chart(build_control_bars(rows, names=names, progress=progress), 600,
                   f"screen.accidents.{by}")


def rectification_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    with part():
        tasks = query(rectification.list_key_tasks, as_of=as_of)
        counts = tasks["status"].value_counts()
        hz = query(rectification.summarize_hidden_dangers, as_of=as_of, unit=unit).iloc[0]
        cols = st.columns(7)
        for col, status in zip(cols, ("completed", "in_progress", "overdue", "not_started")):
            col.metric(f"任务{TASK_STATUSES[status]}", count(int(counts.get(status, 0)), "项"))
        found = int(hz["found"])
        cols[4].metric(T["closure_rate"], pct(int(hz["closed"]) / found if found else None))
        cols[5].metric(T["hazards_overdue"], count(int(hz["overdue"]), "项"))
        cols[6].metric(T["major_open"], count(int(hz["major_open"]), "项"))
    with part():
        by_unit = with_closure_rate(query(rectification.summarize_hidden_dangers, as_of=as_of,
                                          by="unit_code"))
        _chart(build_hazards_by_place(by_unit, dimension="unit", names=ctx.unit_names), 700,
               "screen.rectification.units")


def mining_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    with part():
        by_stage = query(mining.count_faces_by_stage, as_of=as_of, unit=unit)
        goal = target_data.pick_target(
            query(target_data.list_targets, year=filters.year, metrics=("intelligent_faces",)),
            "intelligent_faces", unit=unit)
        built = int(by_stage.loc[by_stage["stage"] == "accepted", "faces"].sum())
        dates = query(mining.list_acceptance_dates, as_of=as_of, unit=unit)
        outlook = face_forecast.forecast_progress(dates, as_of=as_of, target=goal,
                                                  ceiling=int(by_stage["faces"].sum()))
        cols = st.columns(5)
        cols[0].metric(T["faces_built"], count(built, "处"))
        cols[1].metric(T["faces_target"], count(goal, "处") if goal else T["not_set"])
        cols[2].metric(T["faces_late"], count(int(by_stage["late"].sum()), "处"))
        cols[3].metric(T["faces_year_end"], count(round(outlook.year_end), "处"))
        cols[4].metric(T["faces_reached"], cn_date(outlook.reached_on) if outlook.reached_on
                       else T["not_reached"])
        by_month = query(mining.count_faces_by_month, as_of=as_of, unit=unit)
        _chart(build_trajectory(by_month, outlook, as_of=as_of), 700, "screen.mining.trajectory")


def resources_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    with part():
        by_kind = query(resources.summarize_sites_by_kind, as_of=as_of,
                        unit=unit).set_index("kind")
        cols = st.columns(len(SITE_KINDS) + 1)
        for col, (kind, label) in zip(cols, SITE_KINDS.items()):
            col.metric(label, count(int(by_kind["sites"].get(kind, 0)), "处"))
        cols[-1].metric(T["checks_overdue"], count(int(by_kind["check_overdue"].sum()), "处"))
    with part():
        scope = SiteScope(as_of=as_of, kinds=tuple(SITE_KINDS), unit=unit, category=None,
                          interval=resources.DEFAULT_CHECK_INTERVAL_DAYS)
        shaped = map_sites(scope, in_scope=int(by_kind["sites"].sum()),
                           unit_names=ctx.unit_names, with_equipment=False).shaped
        deck = build_resource_deck(shaped, outlines=load_county_outlines(),
                                   kinds=tuple(SITE_KINDS), highlight_unit=unit)
        st.pydeck_chart(deck, height=int(760 * _scale()), key="screen.resources.map")


@dataclass(frozen=True)
class View:
    code: str
    title: str
    render: Callable[[DataContext, Filters], None]


VIEWS = (
    View("overview", "态势总览", overview_view),
    View("accidents", "事故控制", accidents_view),
    View("rectification", "专项整治", rectification_view),
    View("mining", "智能化建设", mining_view),
    View("resources", "应急资源", resources_view),
)


def select_views(codes: tuple[str, ...] | None) -> tuple[View, ...]:
    return VIEWS if not codes else tuple(v for code in codes for v in VIEWS if v.code == code)


def load_screen_context() -> tuple[DataContext | None, Filters | None, str | None]:
    """The context (latest data date) for this refresh period, and the screen's filters; or,
    when there is none, the Chinese message saying why."""
    ctx, problem = context_or_problem()
    if ctx is None:
        return None, None, problem
    return ctx, screen_filters(ctx), None
