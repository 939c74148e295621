"""What makes a value impossible, beyond its type: dates out of range or out of order,
negative counts, percentages over 100. Declared once; the import checks the bureau's files
against it row by row, and the data-quality checks find the rows of a database that break it.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DATE = dt.date(2000, 1, 1)
# Dates may lie at most this many days after today (a report dated tomorrow in another time
# zone, or typed the evening before); anything later is a typing error.
FUTURE_DAYS = 2

# Planned dates, which may lie in the future; every other date records something that happened.
PLANNED_DATES = frozenset({
    ("key_tasks", "start_on"), ("key_tasks", "deadline"), ("hidden_dangers", "deadline"),
    ("mine_milestones", "planned_on"), ("working_faces", "planned_completion_on"),
})

PERCENT_COLUMNS = frozenset({
    ("task_progress_reports", "progress_pct"), ("risk_census_progress", "completion_pct"),
    ("coal_gas_events", "peak_ch4_pct"),
})

# Numbers that may be negative: none of the data model's counts, sizes or amounts can be.
SIGNED_COLUMNS = frozenset({("units", "lat"), ("units", "lon")})

# (table, earlier, later): where both dates are given, the later may not precede the earlier.
DATE_ORDER: tuple[tuple[str, str, str], ...] = (
    ("key_tasks", "start_on", "deadline"),
    ("hidden_dangers", "found_on", "deadline"),
    ("hidden_dangers", "found_on", "rectify_started_on"),
    ("hidden_dangers", "found_on", "submitted_on"),
    ("hidden_dangers", "found_on", "closed_on"),
    ("hidden_dangers", "submitted_on", "closed_on"),
    ("working_faces", "planned_on", "construction_started_on"),
    ("working_faces", "construction_started_on", "self_assessed_on"),
    ("working_faces", "self_assessed_on", "applied_on"),
    ("working_faces", "applied_on", "evaluated_on"),
    ("working_faces", "evaluated_on", "accepted_on"),
)


def latest_allowed_date(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) + dt.timedelta(days=FUTURE_DAYS)
