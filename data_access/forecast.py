"""Where a count heading for an annual target will end the year, at the recent pace.

Method (shown on the page): the recent pace is the number of completions in the last
`window_days` days up to and including the as-of date; with 30-day months, 90 days make three
months, so pace per month = completions in the last 90 days ÷ 3. The year-end forecast adds
that pace over the days left until 31 December (whole completions, rounded down). The date the
target is reached is the day the cumulative count crosses it at that pace; when it was already
crossed, it is the day of the completion that crossed it. Where the plan holds fewer items
than the target (`ceiling`), the forecast stops at the plan and the target cannot be reached.

Pure functions: dates in, numbers and dates out; no database, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

DAYS_PER_MONTH = 30
DEFAULT_WINDOW_DAYS = 90

# Forecast outcomes.
MET = "met"                # the target is already reached
ON_TRACK = "on_track"      # reached by 31 December at the recent pace
BEHIND = "behind"          # reached only after the year ends
STALLED = "stalled"        # no completions in the window: never reached at this pace
PLAN_SHORT = "plan_short"  # fewer items planned than the target: unreachable without more
NO_TARGET = "no_target"    # no target set: nothing to reach


@dataclass(frozen=True)
class Forecast:
    built: int                      # completions on or before the as-of date
    recent: int                     # completions in the window ending on the as-of date
    window_days: int
    pace_per_month: float           # recent ÷ (window_days / 30)
    year_end: int                   # forecast count on 31 December
    target: float | None
    reached_on: dt.date | None      # when the target is (or was) reached; None if never/no target
    outcome: str                    # MET, ON_TRACK, BEHIND, STALLED, PLAN_SHORT or NO_TARGET
    ceiling: int | None = None      # items in the plan: the forecast never exceeds it

    def projected(self, day: dt.date, as_of: dt.date) -> float:
        """The forecast cumulative count on `day` (on or after `as_of`), capped at the plan."""
        value = self.built + self.recent * (day - as_of).days / self.window_days
        return value if self.ceiling is None else min(value, max(self.ceiling, self.built))

    @property
    def shortfall(self) -> float | None:
        """Target minus the year-end forecast (0 when it will be met); None without a target."""
        return None if self.target is None else max(self.target - self.year_end, 0)


def count_recent(completed_on: Iterable[dt.date], *, as_of: dt.date,
                 window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Completions in the `window_days` days ending on `as_of`: as_of − window_days < day ≤ as_of."""
    start = as_of - dt.timedelta(days=window_days)
    return sum(1 for day in completed_on if start < day <= as_of)


def pace_per_month(recent: int, window_days: int = DEFAULT_WINDOW_DAYS) -> float:
    """Completions per 30-day month from `recent` completions over `window_days` days."""
    return recent * DAYS_PER_MONTH / window_days


def days_left_in_year(as_of: dt.date) -> int:
    """Days after `as_of` up to and including 31 December (0 on 31 December)."""
    return (dt.date(as_of.year, 12, 31) - as_of).days


def forecast_year_end(built: int, recent: int, *, as_of: dt.date,
                      window_days: int = DEFAULT_WINDOW_DAYS, ceiling: int | None = None) -> int:
    """`built` plus the recent pace over the days left in the year, rounded down; never more
    than `ceiling` (the items in the plan) unless more are already built."""
    value = built + math.floor(recent * days_left_in_year(as_of) / window_days + 1e-9)
    return value if ceiling is None else max(min(value, ceiling), built)


def date_reaching(target: float, built: int, recent: int, *, as_of: dt.date,
                  window_days: int = DEFAULT_WINDOW_DAYS) -> dt.date | None:
    """The first day the cumulative count reaches `target` at the recent pace, counting from
    `as_of`; `as_of` itself when already reached; None when the pace is 0."""
    missing = target - built
    if missing <= 0:
        return as_of
    if recent <= 0:
        return None
    return as_of + dt.timedelta(days=math.ceil(missing * window_days / recent - 1e-9))


def forecast_progress(completed_on: Iterable[dt.date], *, as_of: dt.date, target: float | None,
                      window_days: int = DEFAULT_WINDOW_DAYS,
                      ceiling: int | None = None) -> Forecast:
    """The whole forecast from the completion dates (dates after `as_of` are ignored);
    `ceiling` is the number of items in the plan, if known."""
    days = sorted(day for day in completed_on if day <= as_of)
    built = len(days)
    recent = count_recent(days, as_of=as_of, window_days=window_days)
    year_end = forecast_year_end(built, recent, as_of=as_of, window_days=window_days,
                                 ceiling=ceiling)
    if target is None:
        reached_on, outcome = None, NO_TARGET
    elif built >= target:
        reached_on = days[max(math.ceil(target), 1) - 1] if days else as_of
        outcome = MET
    elif ceiling is not None and ceiling < target:
        reached_on, outcome = None, PLAN_SHORT
    else:
        reached_on = date_reaching(target, built, recent, as_of=as_of, window_days=window_days)
        if reached_on is None:
            outcome = STALLED
        else:
            outcome = ON_TRACK if reached_on <= dt.date(as_of.year, 12, 31) else BEHIND
    return Forecast(built=built, recent=recent, window_days=window_days,
                    pace_per_month=pace_per_month(recent, window_days), year_end=year_end,
                    target=target, reached_on=reached_on, outcome=outcome, ceiling=ceiling)
