"""What makes a value impossible, beyond its type: dates out of range or out of order,
negative amounts, percentages over 100, a part larger than its whole. Declared once: the import
checks the bureau's files against it row by row (`importing.analyse`), and the data-quality
rules find the rows of a database that break it (`quality`).
"""

from __future__ import annotations

import datetime as dt

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
