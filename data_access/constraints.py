"""What makes a value impossible, beyond its type: dates out of range or out of order,
negative amounts, percentages over 100, a part larger than its whole. Declared once: the import
checks the bureau's files against it row by row (`importing.analyse`), and the data-quality
rules find the rows of a database that break it (`quality`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from data_access import geo, measures

EARLIEST_DATE = dt.date(2000, 1, 1)
# A record of something that happened may be dated at most this many days after today (a
# margin for clocks and time zones); anything later is a typing error.
FUTURE_DAYS = 2

# Dates of plans, which may lie in the future; every other date records something that happened.
PLANNED_DATES = frozenset({
    ("key_tasks", "start_on"), ("key_tasks", "deadline"), ("hidden_dangers", "deadline"),
    ("mine_milestones", "planned_on"), ("working_faces", "planned_completion_on"),
})
# Integer columns holding a year (2000 … next year).
YEAR_COLUMNS = frozenset({"year", "plan_year"})
# Numeric columns that are neither amounts nor counts (may be anything their type allows).
NOT_AMOUNTS = frozenset({"sort_order", "lat", "lon"})
# Dates that can only come in this order (each pair: earlier, later), when both are given.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "hidden_dangers": (
        ("found_on", "deadline"), ("found_on", "rectify_started_on"),
        ("found_on", "submitted_on"), ("found_on", "closed_on"),
        ("rectify_started_on", "submitted_on"), ("submitted_on", "closed_on"),
        ("found_on", "regulator_reported_on"), ("found_on", "congress_reported_on"),
    ),
    "key_tasks": (("start_on", "deadline"),),
}
# Dates of stages passed one after another: none may be earlier than one before it.
STAGE_DATES: dict[str, tuple[str, ...]] = {
    "working_faces": ("planned_on", "construction_started_on", "self_assessed_on", "applied_on",
                      "evaluated_on", "accepted_on"),
}
# Counts that are part of another count in the same row (part, whole).
PARTS_OF_WHOLE: dict[str, tuple[tuple[str, str], ...]] = {
    "hazchem_monitoring_weekly": (
        ("commit_on_time", "commit_required"), ("sources_connected", "sources_required"),
        ("points_online", "points_connected"), ("alarms_cleared", "alarms"),
    ),
}


def is_percent(column: str) -> bool:
    """Columns named *_pct hold a percentage, 0 to 100."""
    return column.endswith("_pct")


def latest_allowed_date(today: dt.date) -> dt.date:
    """The latest date a record of something that happened may carry."""
    return today + dt.timedelta(days=FUTURE_DAYS)


def latest_allowed_year(today: dt.date) -> int:
    return today.year + 1


def ordered_date_pairs(table: str) -> tuple[tuple[str, str], ...]:
    """Every (earlier, later) pair of `table`'s dates that must not be reversed: DATE_ORDER's,
    and each stage date against every later stage."""
    stages = STAGE_DATES.get(table, ())
    return (*DATE_ORDER.get(table, ()),
            *((a, b) for i, a in enumerate(stages) for b in stages[i + 1:]))


def row_problems(table: str, values: dict[str, object], today: dt.date,
                 label: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """(column, Chinese reason) for each impossible value of one row of `table`, read into
    Python types: amounts and counts below zero, percentages outside 0–100, years outside
    2000 … next year, dates before 2000 or (for what happened) after the day after tomorrow,
    dates in the wrong order, a part larger than its whole, coordinates outside Changzhi, a
    scorecard line judged by a rule its measure does not allow.
    `label` names another column in a reason (a file's header for it)."""
    found = []
    for column, value in values.items():
        reason = _value_problem(table, column, value, today)
        if reason:
            found.append((column, reason))
    for earlier, later in ordered_date_pairs(table):
        a, b = values.get(earlier), values.get(later)
        if a is not None and b is not None and b < a:
            found.append((later, f"早于{label(earlier)}({a})"))
    for part, whole in PARTS_OF_WHOLE.get(table, ()):
        a, b = values.get(part), values.get(whole)
        if a is not None and b is not None and a > b:
            found.append((part, f"大于{label(whole)}({b})"))
    lat, lon = values.get("lat"), values.get("lon")
    if lat is not None and lon is not None and not geo.in_city_bounds(float(lat), float(lon)):
        found.append(("lat", f"坐标(纬度{lat},经度{lon})不在长治市范围内"))
    if table == "plan_lines" and values.get("measure") and values.get("rule"):
        reason = measures.rule_problem(values["measure"], values["rule"])
        if reason:
            found.append(("rule", reason))
    return found


def _value_problem(table: str, column: str, value: object, today: dt.date) -> str | None:
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day < EARLIEST_DATE:
            return f"早于{EARLIEST_DATE.year}年"
        if (table, column) not in PLANNED_DATES and day > latest_allowed_date(today):
            return "晚于今天"
        return None
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return None
    if column in YEAR_COLUMNS:
        first, last = EARLIEST_DATE.year, latest_allowed_year(today)
        return None if first <= value <= last else f"年度应在{first}到{last}之间"
    if is_percent(column) and not 0 <= value <= 100:
        return "应在0到100之间"
    if value < 0 and column not in NOT_AMOUNTS:
        return "不能为负数"
    return None
