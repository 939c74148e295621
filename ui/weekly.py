"""The "本周变化" block every page can show: what changed since the previous weekly review.

`render_week_changes(section, ctx, filters)` draws a collapsed expander whose label already
carries the week's headline counts; opened, it lists the changes behind them (at most
`MAX_ITEMS` per list), read only then. `render_brief_downloads(ctx, filters)` puts the weekly
brief's two download buttons on a page; the files are built only when a button is clicked.

Text from the database is escaped before it goes into Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from data_access import scorecard, weekly
from data_access.access import OutOfScope
from ui import auth, guard
from ui.data import DataContext, current_scope, get_engine, query
from ui.downloads import XLSX_MIME
from ui.figures.overview import format_value
from ui.filters import Filters
from ui.format import cn_date
from ui.labels import (
    DRILL_KINDS,
    FACE_TYPES,
    GRADES,
    PROGRAMMES,
    SCORECARD_LINES,
    SCORECARD_STATUSES,
    WEEKLY_TEXT,
)
from ui.safe import md

SECTIONS = ("overview", "accidents", "rectification", "mining", "resources")
# The counts each page's block shows (`weekly.summarize_week` parts): its label and its lists.
PARTS = {"overview": weekly.WEEK_PARTS, "accidents": ("accidents",),
         "rectification": ("tasks", "hazards"), "mining": ("faces",),
         "resources": ("drills", "checks")}
MAX_ITEMS = 8
T = WEEKLY_TEXT
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def short_date(day) -> str:
    """11月22日"""
    return f"{day.month}月{day.day}日"


def week_span(since: dt.date, as_of: dt.date, not_before: dt.date | None = None) -> str:
    """The review week in words: 2022年11月19日至2022年11月25日 (`weekly.week_bounds`)."""
    start, end = weekly.week_bounds(since=since, as_of=as_of, not_before=not_before)
    return f"{cn_date(start)}至{cn_date(end)}"


def week_title(since: dt.date, as_of: dt.date) -> str:
    start, end = weekly.week_bounds(since=since, as_of=as_of)
    return T["title"].format(start=short_date(start), end=short_date(end))


def bullets(items: list[str], total: int | None = None) -> None:
    """A short bullet list; beyond MAX_ITEMS, a line says how many more there are."""
    total = len(items) if total is None else total
    lines = [f"- {item}" for item in items[:MAX_ITEMS]]
    if total > MAX_ITEMS:
        lines.append(f"- {T['more'].format(count=total - MAX_ITEMS)}")
    st.markdown("\n".join(lines) if lines else T["none"])


def _heading(text: str) -> None:
    st.markdown(f"**{text}**")


# ---- one renderer per section -----------------------------------------------------------------
def _accidents(ctx: DataContext, since: dt.date, as_of: dt.date, unit: str | None,
               counts: dict[str, int]) -> None:
    _heading(T["accidents"].format(accidents=counts["accidents"], deaths=counts["deaths"]))
    listed = query(weekly.list_new_accidents, since=since, as_of=as_of, unit=unit)
    bullets([
        f"{short_date(row.occurred_at)} {row.occurred_at:%H:%M} · {md(ctx.unit_name(row.unit_code))}"
        f" · {md(_text_or(row.enterprise, T['no_enterprise']))} · {md(ctx.sector_name(row.sector_code))}"
        f" · {GRADES.get(row.grade, row.grade)}事故 · 死亡{int(row.deaths)}人"
        for row in listed.itertuples()
    ], total=counts["accidents"])


def _tasks(ctx: DataContext, since: dt.date, as_of: dt.date) -> None:
    tasks = query(weekly.list_task_changes, since=since, as_of=as_of)
    done = tasks[tasks["change"] == "completed"]
    late = tasks[tasks["change"] == "newly_overdue"]
    _heading(T["tasks"].format(completed=len(done), overdue=len(late)))
    bullets([f"{T['completed']} {md(r.code)} {md(r.title)}({md(r.lead_department)},"
             f"{short_date(r.completed_on)}完成)" for r in done.itertuples()]
            + [f"{T['newly_overdue']} {md(r.code)} {md(r.title)}({md(r.lead_department)},"
               f"时限{short_date(r.deadline)},已逾期{r.days_overdue}天,进度{_pct(r.progress_pct)})"
               for r in late.itertuples()])
    st.caption(T["tasks_city"])


def _text_or(value, fallback: str) -> str:
    return fallback if value is None or pd.isna(value) or value == "" else str(value)


def _pct(value) -> str:
    return "0%" if value is None or pd.isna(value) else f"{int(value)}%"


def _hazards(ctx: DataContext, since: dt.date, as_of: dt.date, unit: str | None,
             counts: dict[str, int]) -> None:
    _heading(T["hazards"].format(found=counts["hazards_found"], closed=counts["hazards_closed"])
             + ";"
             + T["major"].format(opened=counts["major_opened"], closed=counts["major_closed"]))
    major = query(weekly.list_major_hazard_changes, since=since, as_of=as_of, unit=unit,
                  limit=MAX_ITEMS)
    items = []
    for r in major.itertuples():
        when = (f"{short_date(r.found_on)}发现,整改期限{short_date(r.deadline)}"
                if r.change == "opened" else f"{short_date(r.closed_on)}销号")
        items.append(f"{T[r.change]} {md(r.code)} · {md(ctx.unit_name(r.unit_code))} · "
                     f"{md(r.enterprise)} · {md(r.description)}({when})")
    bullets(items, total=counts["major_opened"] + counts["major_closed"])


def _mining(ctx: DataContext, since: dt.date, as_of: dt.date, unit: str | None,
            counts: dict[str, int]) -> None:
    faces = query(weekly.list_faces_accepted, since=since, as_of=as_of, unit=unit)
    _heading(T["faces"].format(faces=len(faces)))
    bullets([f"{md(r.name)}({md(ctx.unit_name(r.unit_code))},{FACE_TYPES.get(r.face_type, '')})"
             f" · {short_date(r.accepted_on)}通过"
             + (f" · {T['late'].format(days=(r.accepted_on - r.planned_completion_on).days)}"
                if r.late else "")
             for r in faces.itertuples()])
    milestones = query(weekly.list_milestones_achieved, since=since, as_of=as_of, unit=unit)
    if len(milestones):
        _heading(T["milestones"].format(count=len(milestones)))
        bullets([f"{md(r.mine)}({PROGRAMMES.get(r.programme, '')}):{md(r.name)} · "
                 f"{short_date(r.achieved_on)}完成" for r in milestones.itertuples()])


def _resources(ctx: DataContext, since: dt.date, as_of: dt.date, unit: str | None,
               counts: dict[str, int]) -> None:
    _heading(T["checks"].format(checked=counts["sites_checked"],
                                overdue=counts["sites_newly_overdue"]))
    drills = query(weekly.list_drills_held, since=since, as_of=as_of, unit=unit)
    _heading(T["drills"].format(count=len(drills)))
    bullets([f"{short_date(r.held_on)} · {md(ctx.unit_name(r.unit_code))} · "
             f"{DRILL_KINDS.get(r.kind, r.kind)} · {md(r.title)}(参演{int(r.participants)}人)"
             for r in drills.itertuples()])


def scorecard_change_items(changes: pd.DataFrame) -> list[str]:
    """'煤矿瓦斯超限:达标 → 未达标(当前 1起)' per changed line."""
    return [T["status_change"].format(name=SCORECARD_LINES[row["code"]],
                                      before=SCORECARD_STATUSES[row["previous_status"]],
                                      after=SCORECARD_STATUSES[row["status"]],
                                      value=format_value(row))
            for _, row in changes.iterrows()]


def scorecard_changes(since: dt.date, as_of: dt.date, unit: str | None) -> pd.DataFrame:
    """`weekly.list_scorecard_changes` from the two scorecards the pages read anyway (cached),
    instead of computing both again."""
    return weekly.status_changes(scorecard.compare_weeks(
        query(scorecard.compute_scorecard, as_of=as_of, unit=unit),
        query(scorecard.compute_scorecard, as_of=since, unit=unit)))


def _overview(ctx: DataContext, since: dt.date, as_of: dt.date, unit: str | None,
              counts: dict[str, int]) -> None:
    st.markdown("\n".join(f"- {line}" for line in summary_lines(counts)))
    changes = scorecard_changes(since, as_of, unit)
    _heading(T["scorecard"].format(count=len(changes)))
    bullets(scorecard_change_items(changes))


def summary_lines(s: dict[str, int]) -> list[str]:
    """The week's counts as short Chinese lines (overview block and the brief)."""
    return [
        T["accidents"].format(accidents=s["accidents"], deaths=s["deaths"]),
        T["tasks"].format(completed=s["tasks_completed"], overdue=s["tasks_newly_overdue"]),
        T["hazards"].format(found=s["hazards_found"], closed=s["hazards_closed"]) + ";"
        + T["major"].format(opened=s["major_opened"], closed=s["major_closed"]),
        T["faces"].format(faces=s["faces_accepted"]),
        T["drills"].format(count=s["drills"]) + ";"
        + T["checks"].format(checked=s["sites_checked"], overdue=s["sites_newly_overdue"]),
    ]


def _rectification(ctx: DataContext, since: dt.date, as_of: dt.date, unit: str | None,
                   counts: dict[str, int]) -> None:
    _tasks(ctx, since, as_of)
    _hazards(ctx, since, as_of, unit, counts)


RENDERERS: dict[str, Callable[..., None]] = {
    "overview": _overview, "accidents": _accidents, "rectification": _rectification,
    "mining": _mining, "resources": _resources,
}


def headline(section: str, s: dict[str, int]) -> str:
    """The counts shown in the collapsed expander's label."""
    if section == "accidents":
        return T["accidents"].format(accidents=s["accidents"], deaths=s["deaths"])
    if section == "rectification":
        return T["headline_rectification"].format(
            completed=s["tasks_completed"], overdue=s["tasks_newly_overdue"],
            opened=s["major_opened"], closed=s["major_closed"])
    if section == "mining":
        return T["faces"].format(faces=s["faces_accepted"])
    if section == "resources":
        return T["drills"].format(count=s["drills"])
    return T["headline_overview"].format(accidents=s["accidents"], deaths=s["deaths"],
                                         changed=s["scorecard_changed"])


def render_week_changes(section: str, ctx: DataContext, filters: Filters, *,
                        expanded: bool = False) -> None:
    """The "本周变化" expander of a page; `section` is one of SECTIONS."""
    if section not in RENDERERS:
        raise ValueError(f"unknown section {section!r}")
    since, as_of, unit = filters.previous_review, filters.as_of, filters.unit_or_none
    with guard.section():
        counts = query(weekly.summarize_week, since=since, as_of=as_of, unit=unit,
                       scorecard=False, parts=PARTS[section])
        if section == "overview":  # the same read as the block's own list of changes
            counts = {**counts, "scorecard_changed": len(scorecard_changes(since, as_of, unit))}
        label = f"{week_title(since, as_of)}:{headline(section, counts)}"
        # Lazy: the lists behind the counts are read only once the block is opened.
        block = st.expander(label, expanded=expanded, icon=":material/update:",
                            key=f"{section}.week", on_change="rerun")
        if block.open:
            with block:
                st.caption(T["since"].format(previous=cn_date(since),
                                             span=week_span(since, as_of)))
                RENDERERS[section](ctx, since, as_of, unit, counts)


# ---- the weekly brief's downloads (the overview page) -----------------------------------------
def render_brief_downloads(ctx: DataContext, filters: Filters) -> None:
    """Two download buttons: the weekly brief (.docx) and its tables (.xlsx) for the current
    filters. Each file is built when its button is clicked (the .docx takes a few seconds for
    the charts)."""
    from ui import brief  # plotly image export is only needed here

    as_of, since, unit = filters.as_of, filters.previous_review, filters.unit_or_none
    name = brief.brief_name(as_of, unit)

    if not current_scope().allows_unit(unit):
        raise OutOfScope(f"brief for unit {unit!r}")

    def make(kind: str) -> Callable[[], bytes]:
        def build() -> bytes:
            with get_engine().connect() as conn:
                data = brief.collect_brief_data(conn, as_of=as_of, since=since, unit=unit)
            return brief.render_docx(data) if kind == "docx" else brief.render_xlsx(data)
        return build

    row = st.container(horizontal=True)
    row.download_button(T["download_docx"], auth.audited(make("docx"), what=f"{name}.docx",
                                                          kind="brief"), file_name=f"{name}.docx",
                         mime=DOCX_MIME, on_click="ignore", key="weekly.brief_docx",
                         icon=":material/description:", help=T["download_help"])
    row.download_button(T["download_xlsx"], auth.audited(make("xlsx"), what=f"{name}.xlsx",
                                                          kind="brief"), file_name=f"{name}.xlsx",
                          mime=XLSX_MIME, on_click="ignore", key="weekly.brief_xlsx",
                          icon=":material/table_view:")
