"""A date picker in Chinese whatever the browser's language.

`st.date_input`'s calendar takes its month and weekday names from the browser's language
(English on an en-US browser), and Streamlit has no setting for it. This picker is a row of
selectboxes instead — 年, 月, 日, or 月 and 日 under a year chosen elsewhere — offering only the
dates between the earliest and the latest allowed. The caller keeps the date: the picker shows
it and hands a new one to `on_change`. Its boxes are keyed `KEY.year`, `KEY.month`, `KEY.day`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

import streamlit as st

from ui.guard import guarded_callback
from ui.labels import CHOOSE

YEAR, MONTH, DAY = "year", "month", "day"
PART_LABELS = {YEAR: "年", MONTH: "月", DAY: "日"}


def part_key(key: str, part: str) -> str:
    return f"{key}.{part}"


def bounded(year: int, month: int, day: int, earliest: dt.date, latest: dt.date) -> dt.date:
    """The date year-month-day, its day cut to the month's length (31 → 30 in June), then
    moved into [earliest, latest]."""
    value = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return min(max(value, earliest), latest)


def year_options(earliest: dt.date, latest: dt.date) -> list[int]:
    return list(range(earliest.year, latest.year + 1))


def month_options(year: int, earliest: dt.date, latest: dt.date) -> list[int]:
    """The months of `year` that hold an allowed date."""
    first = earliest.month if year == earliest.year else 1
    last = latest.month if year == latest.year else 12
    return list(range(first, last + 1))


def day_options(year: int, month: int, earliest: dt.date, latest: dt.date) -> list[int]:
    """The allowed days of the month."""
    first = earliest.day if (year, month) == (earliest.year, earliest.month) else 1
    last = (latest.day if (year, month) == (latest.year, latest.month)
            else calendar.monthrange(year, month)[1])
    return list(range(first, last + 1))


@guarded_callback
def _on_part_change(key: str, year: int, earliest: dt.date, latest: dt.date,
                    on_change: Callable[[dt.date], None]) -> None:
    state = st.session_state
    on_change(bounded(state.get(part_key(key, YEAR), year), state[part_key(key, MONTH)],
                      state[part_key(key, DAY)], earliest, latest))


def date_select(label: str, value: dt.date, *, key: str, earliest: dt.date, latest: dt.date,
                on_change: Callable[[dt.date], None], with_year: bool = True,
                help: str | None = None) -> dt.date:
    """Draw the picker showing `value` (moved into the bounds) and return that date. Without
    the year box, the date stays in `value`'s year."""
    value = min(max(value, earliest), latest)
    parts = {MONTH: month_options(value.year, earliest, latest),
             DAY: day_options(value.year, value.month, earliest, latest)}
    if with_year:
        parts = {YEAR: year_options(earliest, latest), **parts}
    args = (key, value.year, earliest, latest, on_change)
    # Keyed "datepick-…": the layout CSS lets these narrow columns stay side by side.
    boxes = st.container(key=f"datepick-{key}").columns(
        [5, 4, 4] if with_year else [1, 1], vertical_alignment="bottom")
    for index, (column, (part, options)) in enumerate(zip(boxes, parts.items())):
        st.session_state[part_key(key, part)] = getattr(value, part)
        with column:
            st.selectbox(label if index == 0 else f"{label}({PART_LABELS[part]})", options,
                         key=part_key(key, part), on_change=_on_part_change, args=args,
                         format_func=lambda n, unit=PART_LABELS[part]: f"{n}{unit}",
                         placeholder=CHOOSE,
                         label_visibility="visible" if index == 0 else "collapsed",
                         help=help if index == 0 else None)
    return value
