"""The meeting-room screen's views: each fills one 1920×1080 screen without scrolling, in a dark,
high-contrast style with type readable across a room. They reuse the pages' data functions and
figure builders; only the presentation is the screen's own."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

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
from ui.figures.accidents import HEADLINE_GRADES, build_control_bars, regrade_note
from ui.figures.mining import build_trajectory
from ui.figures.overview import build_scorecard_html, screen_sections
from ui.figures.rectification import build_hazards_by_place, with_closure_rate
from ui.figures.resources import (
    DARK,
    MapLook,
    build_resource_deck,
    fit_view,
    legend_entries,
    legend_html,
    outline_bounds,
)
from ui.filters import CITY_CODE, Filters, parse_unit
from ui.format import cn_date, count, pct
from ui.guard import section
from ui.labels import APP_TITLE, GRADE_ORDER, GRADES, SAMPLE_BADGE, SITE_KINDS
from ui.labels import SCREEN_TEXT as T
from ui.quality import PAGE_TABLES
from ui.resource_map import SiteScope, map_sites
from ui.screen_theme import (
    BACKGROUND,
    MUTED,
    PANEL,
    SIZE_PX,
    TEXT,
    Verdict,
    from_control,
    from_scorecard,
    screen_style,
)
from ui.shell import kiosk_settings
from ui.startup import context_or_problem


def clock_html(scale: float) -> str:
    return f"""
<div id="clock" style="font: 600 {SIZE_PX['clock'] * scale:.0f}px 'Noto Sans CJK SC', sans-serif; color: {TEXT};
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
    left, right = st.columns([3.6, 1.4], vertical_alignment="center")
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
        st.iframe(clock_html(_scale()), height=int(48 * _scale()))


# A full reload of the page, once the server answers for it: a reload while the server is away
# would leave the browser on its own error page, which never retries.
RELOAD_SCRIPT = """<script>
(function reloadWhenServed() {
  const retry = () => setTimeout(reloadWhenServed, 30000);
  fetch(window.location.href, {cache: "no-store"})
    .then(r => r.ok ? window.location.reload() : retry()).catch(retry);
})();
</script>"""


def reload_page() -> None:
    """Reload the screen in the browser (the daily reload, `ui/kiosk.py`: `reload_due`). The
    rotation resumes at the view due, since the view is chosen from the clock."""
    st.html(RELOAD_SCRIPT, unsafe_allow_javascript=True)


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
    size = SIZE_PX["chart"] * k
    fig.update_layout(
        height=int(height * k), paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        font={"color": TEXT, "size": size}, title_font={"color": TEXT, "size": size},
        legend={"font": {"color": TEXT, "size": size}},
    )
    axis = {"gridcolor": "#27344d", "zerolinecolor": "#27344d",
            "tickfont": {"color": TEXT, "size": size}, "title_font": {"size": size}}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    fig.for_each_trace(lambda t: t.update(textfont={"size": size})
                       if "textfont" in t else None)
    fig.for_each_annotation(lambda a: a.update(font={"color": TEXT, "size": size},
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


def tile(col, code: str, label: str, value: str, verdict: Verdict) -> None:
    """A headline tile: label, number and its verdict as a word with a shape mark; the tile's
    edge and the chip take the verdict's colour (CSS from the key, `ui/screen_theme.py`)."""
    with col.container(key=f"tile-{verdict.tone}-{code}"):
        st.metric(label, value)
        st.html(f'<span class="screen-chip tone-{verdict.tone}">{html.escape(verdict.word)}</span>')


def note(text: str) -> None:
    """A line of explanation at label size (e.g. 时间进度), never smaller."""
    st.html(f'<div class="screen-note">{html.escape(text)}</div>')


def share_verdict(rule: str, numerator: int, denominator: float | None, as_of: dt.date
                  ) -> Verdict:
    """A headline share judged by the scorecard's rule of that name ("rate" or "progress")."""
    value = scorecard.ratio(numerator, denominator)
    if rule == "progress":
        return from_scorecard(scorecard.progress_status(value, as_of=as_of))
    return from_scorecard(scorecard.rate_status(value))


def zero_verdict(count_: int) -> Verdict:
    return from_scorecard(scorecard.zero_status(count_))


def control_verdict(used: int, limit: float | None, progress: float, *,
                    zero_controlled: bool = False) -> Verdict:
    """An at-most indicator as the 事故控制 page judges it (正常/预警/超进度/超标/未设定)."""
    return from_control(accident_rules.control_status(used, limit, progress,
                                                      zero_controlled=zero_controlled))


def forecast_verdict(outlook: face_forecast.Forecast) -> Verdict:
    """Whether the year's face target is reached by year end at the recent pace."""
    tone = {face_forecast.MET: "good", face_forecast.ON_TRACK: "good",
            face_forecast.NO_TARGET: "none"}.get(outlook.outcome, "bad")
    return Verdict(tone, T["outlook_" + outlook.outcome])


def _scorecard_lines(filters: Filters) -> pd.DataFrame:
    unit, as_of = filters.unit_or_none, filters.as_of
    current = query(scorecard.compute_scorecard, as_of=as_of, unit=unit)
    previous = query(scorecard.compute_scorecard, as_of=filters.previous_review, unit=unit)
    return scorecard.compare_weeks(current, previous)


def _scorecard_columns(filters: Filters, half: int) -> None:
    """One half of the year's plan (0: the first sections, 1: the rest) in two columns."""
    with part():
        lines = _scorecard_lines(filters)
        left, right = screen_sections(lines)[half]
        columns = st.columns(2, gap="large")
        columns[0].html(build_scorecard_html(lines, left))
        columns[1].html(build_scorecard_html(lines, right))


def overview_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    progress = accident_rules.time_progress(as_of)
    with part():
        totals = query(accidents.count_accidents, as_of=as_of, unit=unit)
        goals = query(target_data.list_targets, year=filters.year,
                      metrics=("deaths", "accidents_total", "intelligent_faces"))
        tasks = query(rectification.list_key_tasks, as_of=as_of)
        hazards = query(rectification.summarize_hidden_dangers, as_of=as_of, unit=unit).iloc[0]
        faces = query(mining.count_faces_by_stage, as_of=as_of, unit=unit)
        sites = query(resources.summarize_sites_by_kind, as_of=as_of, unit=unit)
        built = int(faces.loc[faces["stage"] == "accepted", "faces"].sum())
        found, done = int(hazards["found"]), int((tasks["status"] == "completed").sum())
        overdue = int(sites["check_overdue"].sum())
        cols = st.columns(6)
        tile(cols[0], "accidents", T["accidents"], count(totals["accidents"], "起"),
             control_verdict(totals["accidents"],
                             target_data.pick_target(goals, "accidents_total", unit=unit),
                             progress))
        tile(cols[1], "deaths", T["deaths"], count(totals["deaths"], "人"),
             control_verdict(totals["deaths"],
                             target_data.pick_target(goals, "deaths", unit=unit), progress))
        tile(cols[2], "tasks", T["tasks_done"], f"{done}/{len(tasks)}项",
             share_verdict("progress", done, len(tasks), as_of))
        tile(cols[3], "closure", T["closure_rate"],
             pct(int(hazards["closed"]) / found if found else None),
             share_verdict("rate", int(hazards["closed"]), found, as_of))
        tile(cols[4], "faces", T["faces_built"], count(built, "处"),
             share_verdict("progress", built,
                           target_data.pick_target(goals, "intelligent_faces", unit=unit),
                           as_of))
        tile(cols[5], "checks", T["checks_overdue"], count(overdue, "处"), zero_verdict(overdue))
    _scorecard_columns(filters, 0)


def scorecard_view(ctx: DataContext, filters: Filters) -> None:
    """The rest of the scorecard: at screen type it does not fit under the overview's tiles."""
    _scorecard_columns(filters, 1)


def accidents_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    progress = accident_rules.time_progress(as_of)
    with part():
        by_grade = query(accidents.summarize_accidents, by="grade", as_of=as_of, unit=unit)
        counts = dict(zip(by_grade["grade"], by_grade["accidents"]))
        totals = accidents.totals_of(by_grade)
        goals = query(target_data.list_targets, year=filters.year, metrics=ACCIDENT_METRICS)
        cols = st.columns(6)
        for col, grade in zip(cols, GRADE_ORDER):
            used = int(counts.get(grade, 0))
            limit = target_data.pick_target(goals, f"accidents_{grade}", unit=unit)
            tile(col, grade, f"{GRADES[grade]}事故", count(used, "起"),
                 control_verdict(used, limit, progress,
                                 zero_controlled=grade in accident_rules.ZERO_CONTROLLED))
        tile(cols[4], "accidents", T["accidents"], count(totals["accidents"], "起"),
             control_verdict(totals["accidents"],
                             target_data.pick_target(goals, "accidents_total", unit=unit),
                             progress))
        limit = target_data.pick_target(goals, "deaths", unit=unit)
        tile(cols[5], "deaths", T["deaths"], count(totals["deaths"], "人"),
             control_verdict(totals["deaths"], limit, progress))
        note(T["progress"].format(
            progress=pct(progress),
            used=pct(totals["deaths"] / limit) if limit else T["not_set"]))
        regrades = regrade_note(query(accidents.count_regrades, as_of=as_of, unit=unit),
                                HEADLINE_GRADES)
        if regrades:
            note(regrades)
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
            _chart(build_control_bars(rows, names=names, progress=progress,
                                      text_column_x=SCREEN_TEXT_COLUMN_X),
                   640, f"screen.accidents.{by}")


def rectification_view(ctx: DataContext, filters: Filters) -> None:
    unit, as_of = filters.unit_or_none, filters.as_of
    with part():
        tasks = query(rectification.list_key_tasks, as_of=as_of)
        done = int((tasks["status"] == "completed").sum())
        late = int((tasks["status"] == "overdue").sum())
        hz = query(rectification.summarize_hidden_dangers, as_of=as_of, unit=unit).iloc[0]
        found, closed = int(hz["found"]), int(hz["closed"])
        cols = st.columns(5)
        tile(cols[0], "tasks", T["tasks_done"], f"{done}/{len(tasks)}项",
             share_verdict("progress", done, len(tasks), as_of))
        tile(cols[1], "tasks_overdue", T["tasks_overdue"], count(late, "项"), zero_verdict(late))
        tile(cols[2], "closure", T["closure_rate"], pct(closed / found if found else None),
             share_verdict("rate", closed, found, as_of))
        tile(cols[3], "hazards_overdue", T["hazards_overdue"], count(int(hz["overdue"]), "项"),
             zero_verdict(int(hz["overdue"])))
        tile(cols[4], "major_open", T["major_open"], count(int(hz["major_open"]), "项"),
             zero_verdict(int(hz["major_open"])))
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
        late = int(by_stage["late"].sum())
        dates = query(mining.list_acceptance_dates, as_of=as_of, unit=unit)
        outlook = face_forecast.forecast_progress(dates, as_of=as_of, target=goal,
                                                  ceiling=int(by_stage["faces"].sum()))
        cols = st.columns(4)
        tile(cols[0], "built", T["faces_built"], count(built, "处"),
             share_verdict("progress", built, goal, as_of))
        tile(cols[1], "target", T["faces_target"], count(goal, "处") if goal else T["not_set"],
             forecast_verdict(outlook))
        tile(cols[2], "late", T["faces_late"], count(late, "处"), zero_verdict(late))
        tile(cols[3], "year_end", T["faces_year_end"], count(round(outlook.year_end), "处"),
             forecast_verdict(outlook))
        if outlook.reached_on is None:
            note(T["not_reached"])
        else:
            note(T["faces_met" if outlook.outcome == face_forecast.MET else "faces_reached"]
                 .format(day=cn_date(outlook.reached_on)))
        by_month = query(mining.count_faces_by_month, as_of=as_of, unit=unit)
        _chart(build_trajectory(by_month, outlook, as_of=as_of), 640, "screen.mining.trajectory")


MAP_HEIGHT_PX = 930  # at scale 1: the view's height below the header
MAP_SHARE = 3 / 4    # of the width; the legend and the overdue list take the rest
MOST_OVERDUE = 5     # counties in the side list


def map_view(outlines: dict, unit: str | None, scale: float) -> dict:
    """The screen map's view: the city's (or the unit's) outline bounds fitted to the map's
    drawn size."""
    width = (1920 - 2 * 34 - 16) * MAP_SHARE * scale
    return fit_view(outline_bounds(outlines, unit), width_px=width,
                    height_px=MAP_HEIGHT_PX * scale, padding=0.03)


MAP_KEY = "screen-map"  # the map's slot; `.screen-map-off` inside it hides it (screen_theme)


def map_panel(ctx: DataContext, filters: Filters, *, shown: bool
              ) -> tuple[DeltaGenerator, pd.DataFrame | None]:
    """一张图's map, the first part of every view of a rotation that includes it, hidden on the
    others. A deck.gl chart taken off the page stays in the browser's memory with its WebGL
    context and data (about 1.2 MiB each time; docs/screen.md); one kept on the page is only
    redrawn. Returns the column beside the map and the records drawn (None if the map failed)."""
    unit, as_of = filters.unit_or_none, filters.as_of
    k = _scale()
    shaped = None
    with st.container(key=MAP_KEY):
        map_col, side = st.columns([MAP_SHARE, 1 - MAP_SHARE], gap="medium")
        with map_col, part():
            by_kind = query(resources.summarize_sites_by_kind, as_of=as_of, unit=unit)
            scope = SiteScope(as_of=as_of, kinds=tuple(SITE_KINDS), unit=unit, category=None,
                              interval=resources.DEFAULT_CHECK_INTERVAL_DAYS)
            shaped = map_sites(scope, in_scope=int(by_kind["sites"].sum()),
                               unit_names=ctx.unit_names, with_equipment=False).shaped
            outlines = load_county_outlines()
            deck = build_resource_deck(shaped, outlines=outlines, kinds=tuple(SITE_KINDS),
                                       highlight_unit=unit, look=dark_map(k),
                                       view=map_view(outlines, unit, k))
            st.pydeck_chart(deck, height=int(MAP_HEIGHT_PX * k), key="screen.resources.map")
        if not shown:  # last in the slot, so that the chart keeps its place in the page
            st.html('<span class="screen-map-off"></span>')
    return side, shaped


def dark_map(scale: float) -> MapLook:
    return replace(DARK, label_px=SIZE_PX["map_label"] * scale,
                   radius_scale=DARK.radius_scale * scale)


def resources_view(ctx: DataContext, filters: Filters) -> None:
    """一张图: the dark map filling the view, fitted to the city (or the unit) at its drawn size;
    beside it the legend with counts, the overdue tile and the counties with most overdue."""
    unit, as_of = filters.unit_or_none, filters.as_of
    k = _scale()
    side, shaped = map_panel(ctx, filters, shown=True)
    with side, part():
        by_unit = query(resources.summarize_sites_by_unit, as_of=as_of, unit=unit)
        overdue = int(by_unit["check_overdue"].sum())
        tile(st, "checks", T["checks_overdue"], count(overdue, "处"), zero_verdict(overdue))
        if shaped is not None:
            st.markdown(f"### {T['legend']}")
            st.html(legend_html(legend_entries(shaped, look=dark_map(k)),
                                font_px=SIZE_PX["label"] * k, text=TEXT, muted=MUTED))
        st.markdown(f"### {T['most_overdue']}")
        worst = (by_unit.groupby("unit_code")["check_overdue"].sum()
                 .loc[lambda s: s > 0].sort_values(ascending=False, kind="stable")
                 .head(MOST_OVERDUE))
        rows = "".join(f"<li><span>{html.escape(ctx.unit_name(code))}</span>"
                       f"<b>{int(n)}处</b></li>" for code, n in worst.items())
        st.html(f'<ol class="screen-list">{rows}</ol>' if rows else
                f'<div class="screen-note">{T["none_overdue"]}</div>')


# The control bars' figures column (share of a chart's width): wider than on the page, for the
# screen's type ("136% · 19/14人 · 本周+1" at 22 px).
SCREEN_TEXT_COLUMN_X = 0.58
ACCIDENT_METRICS = ("deaths", "accidents_total", *(f"accidents_{g}" for g in GRADE_ORDER))


@dataclass(frozen=True)
class View:
    code: str
    title: str
    render: Callable[[DataContext, Filters], None]


VIEWS = (
    View("overview", "态势总览", overview_view),
    View("scorecard", "目标考核", scorecard_view),
    View("accidents", "事故控制", accidents_view),
    View("rectification", "专项整治", rectification_view),
    View("mining", "智能化建设", mining_view),
    View("resources", "应急资源", resources_view),
)


def select_views(codes: tuple[str, ...] | None) -> tuple[View, ...]:
    return VIEWS if not codes else tuple(v for code in codes for v in VIEWS if v.code == code)


def render_view(view: View, views: tuple[View, ...], ctx: DataContext, filters: Filters
                ) -> None:
    """Draw `view`. In a rotation that includes 一张图, every view begins with its map (hidden
    but for 一张图 itself), so that the map's chart is never taken off the page."""
    if view.code != "resources" and any(v.code == "resources" for v in views):
        map_panel(ctx, filters, shown=False)
    view.render(ctx, filters)


def load_screen_context() -> tuple[DataContext | None, Filters | None, str | None]:
    """The context (latest data date) for this refresh period, and the screen's filters; or,
    when there is none, the Chinese message saying why."""
    ctx, problem = context_or_problem()
    if ctx is None:
        return None, None, problem
    return ctx, screen_filters(ctx), None
