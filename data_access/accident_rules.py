"""Rules of the accident control page, as plain functions (no Streamlit).

- Grade of an accident from deaths, serious injuries and direct loss, by 《生产安全事故报告和调查
  处理条例》(国务院令第493号) Art. 3: any one criterion is enough, so the highest grade reached
  wins; lower bounds are inclusive ("以上"包括本数). Given twice: `grade_for` for Python values,
  `grade_case` as a portable SQL CASE over columns.
- 时间进度 (share of the year elapsed) and the status of a control indicator against it.
- Control rows for units and sectors: consumption now and at the previous weekly review,
  sorted worst first.
- Selection-to-filter logic for the page's drill-down (plotly `on_select` events), kept here so
  it can be tested without a browser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
import sqlalchemy as sa

from data_access.targets import pick_target

# ---- grade (国务院令第493号 Art. 3) ---------------------------------------------------------
# (grade, minimum deaths, minimum serious injuries, minimum direct loss in 万元), highest first.
GRADE_THRESHOLDS: tuple[tuple[str, int, int, Decimal], ...] = (
    ("extra_major", 30, 100, Decimal("10000")),
    ("major", 10, 50, Decimal("5000")),
    ("larger", 3, 10, Decimal("1000")),
)
LOWEST_GRADE = "general"


def grade_for(deaths: int, serious_injuries: int, direct_loss_wan: float | Decimal) -> str:
    """The grade the regulation gives: the highest one any criterion reaches (bounds inclusive)."""
    loss = Decimal(str(direct_loss_wan))
    for grade, min_deaths, min_injuries, min_loss in GRADE_THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_injuries or loss >= min_loss:
            return grade
    return LOWEST_GRADE


def grade_case(deaths: sa.ColumnElement, serious_injuries: sa.ColumnElement,
               direct_loss_wan: sa.ColumnElement) -> sa.Case:
    """`grade_for` as a SQL CASE expression (portable: SQLite, PostgreSQL, MariaDB)."""
    whens = [
        (sa.or_(deaths >= min_deaths, serious_injuries >= min_injuries,
                direct_loss_wan >= min_loss), grade)
        for grade, min_deaths, min_injuries, min_loss in GRADE_THRESHOLDS
    ]
    return sa.case(*whens, else_=LOWEST_GRADE)


# ---- time progress and status --------------------------------------------------------------
def time_progress(day: dt.date) -> float:
    """Share of the year elapsed at the end of `day`: day of year ÷ days in the year."""
    days_in_year = 366 if calendar.isleap(day.year) else 365
    return day.timetuple().tm_yday / days_in_year


def progress_within(year: int, day: dt.date) -> float:
    """Time progress of `day` within `year`: 0 before that year began, 1 after it ended."""
    if day.year < year:
        return 0.0
    if day.year > year:
        return 1.0
    return time_progress(day)


WARNING_SHARE = 0.9  # amber once consumption passes 90% of time progress
# Grades controlled at zero whatever the targets table holds: the notice says to 杜绝 them.
ZERO_CONTROLLED = ("extra_major", "major")


@dataclass(frozen=True)
class Status:
    colour: str  # a key of ui.theme.STATUS_COLOURS: red, amber, green, grey
    label: str
    severity: int  # for sorting: higher is worse


OVER_LIMIT = Status("red", "超标", 4)
AHEAD_OF_TIME = Status("red", "超进度", 3)
WARNING = Status("amber", "预警", 2)
ON_TRACK = Status("green", "正常", 1)
NOT_SET = Status("grey", "未设定", 0)


def control_status(used: float, limit: float | None, progress: float, *,
                   zero_controlled: bool = False) -> Status:
    """Status of an at-most control indicator `limit` of which `used` is consumed at `progress`.

    In order: zero-controlled (limit 0, or `zero_controlled` — 重特大, which the notice says to
    杜绝 whatever the targets table holds): any used → 超标, none → 正常; no limit → 未设定; used
    above the limit → 超标; consumption (used ÷ limit) above time progress → 超进度; above 90% of
    time progress → 预警; otherwise 正常.
    """
    if zero_controlled or limit == 0:
        return OVER_LIMIT if used > 0 else ON_TRACK
    if limit is None:
        return NOT_SET
    share = used / limit
    if share > 1:
        return OVER_LIMIT
    if share > progress:
        return AHEAD_OF_TIME
    if share > WARNING_SHARE * progress:
        return WARNING
    return ON_TRACK


def consumption(used: float, limit: float | None) -> float | None:
    """used ÷ limit, or None when the limit is not set or zero."""
    return None if limit is None or limit == 0 else used / limit


def control_rows(codes: Iterable[str], *, used: Mapping[str, float],
                 previous: Mapping[str, float], limits: Mapping[str, float | None],
                 progress: float, previous_progress: float) -> pd.DataFrame:
    """One row per code: what is used of its indicator now and at the previous review.

    Columns: code, used, limit (None = 未设定), share (used ÷ limit, None without a limit),
    status, status_label, colour, previous_used, previous_share, previous_status_label,
    week_used (increase since the previous review), week_share (change of share), gap (share −
    time progress). Sorted worst first: by status severity, then by gap, then by used.
    """
    rows = []
    for code in codes:
        now, before, limit = used.get(code, 0), previous.get(code, 0), limits.get(code)
        status = control_status(now, limit, progress)
        before_status = control_status(before, limit, previous_progress)
        share, before_share = consumption(now, limit), consumption(before, limit)
        rows.append({
            "code": code, "used": int(now), "limit": limit, "share": share,
            "status": status.severity, "status_label": status.label, "colour": status.colour,
            "previous_used": int(before), "previous_share": before_share,
            "previous_status_label": before_status.label,
            "week_used": int(now - before),
            "week_share": None if share is None else share - before_share,
            "gap": None if share is None else share - progress,
        })
    df = pd.DataFrame(rows, columns=[
        "code", "used", "limit", "share", "status", "status_label", "colour", "previous_used",
        "previous_share", "previous_status_label", "week_used", "week_share", "gap"])
    df["_gap"] = df["gap"].astype(float).fillna(-math.inf)
    df = df.sort_values(["status", "_gap", "used"], ascending=False, kind="stable")
    return df.drop(columns="_gap").reset_index(drop=True)


def limits_by(targets: pd.DataFrame, metric: str, codes: Iterable[str], *,
              by: str) -> dict[str, float | None]:
    """Indicator per unit (`by="unit"`) or per sector (`by="sector"`) at city level."""
    if by not in ("unit", "sector"):
        raise ValueError(f"unknown breakdown {by!r}")
    return {code: pick_target(targets, metric, **{by: code}) for code in codes}


# ---- drill-down selection ------------------------------------------------------------------
def selected_code(selection: Mapping[str, Any] | None, allowed: Iterable[str]) -> str | None:
    """The code a plotly selection picked, from the first selected point's `customdata`.

    None when nothing is selected or the point carries no allowed code.
    """
    if not selection:
        return None
    points = (selection.get("selection") or {}).get("points") or []
    allowed = set(allowed)
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if data in allowed:
            return data
    return None


def drilldown_after_selection(selection: Mapping[str, Any] | None, allowed: Iterable[str], *,
                              current: str | None) -> str | None:
    """The drill-down code after a chart selection event.

    A selected point with an allowed code selects it, or clears it when it is already the
    current one (click a bar again to leave it); an empty selection (the user cleared it)
    clears the drill-down; a selection carrying no allowed code leaves `current` as it was.
    """
    points = ((selection or {}).get("selection") or {}).get("points") or []
    if not points:
        return None
    code = selected_code(selection, allowed)
    if code is None:
        return current
    return None if code == current else code


def scope_params(unit: str | None, sector: str | None) -> dict[str, str]:
    """Keyword filters for data_access calls: only what is narrowed (None is left out)."""
    return {k: v for k, v in (("unit", unit), ("sector", sector)) if v is not None}


def breakdown_rows(current: pd.DataFrame, previous: pd.DataFrame, targets: pd.DataFrame, *,
                   codes: Iterable[str], by: str, metric: str, column: str, progress: float,
                   previous_progress: float) -> pd.DataFrame:
    """`control_rows` for units or sectors from two `summarize_accidents` frames (grouped by
    `<by>_code`, now and at the previous review) and the year's targets. Codes without an
    indicator and without accidents are left out."""
    key = f"{by}_code"
    now = current.set_index(key)[column].to_dict() if len(current) else {}
    before = previous.set_index(key)[column].to_dict() if len(previous) else {}
    limits = limits_by(targets, metric, codes, by=by)
    shown = [c for c in codes if limits[c] is not None or now.get(c, 0)]
    return control_rows(shown, used=now, previous=before, limits=limits, progress=progress,
                        previous_progress=previous_progress)
