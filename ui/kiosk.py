"""Meeting-room screen (大屏) settings and timing: `/?kiosk=1&rotate=30&refresh=5`.

Pure functions; the page that uses them is `pages/screen.py`. Views rotate by wall-clock time,
so several screens showing the dashboard stay in step and a reconnecting browser resumes at the
right view; the database is re-read once per refresh period (a new cache epoch). Once a day, at
a quiet hour, the page reloads itself, which gives the browser back the memory it has gathered
(`reload_due`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_ROTATE_S = 30
DEFAULT_REFRESH_MIN = 5
ROTATE_RANGE_S = (5, 3600)
REFRESH_RANGE_MIN = (1, 1440)
SCALE_RANGE = (0.7, 3.0)
DEFAULT_RELOAD_AT = dt.time(3, 0)
RELOAD_OFF = {"off", "none", "no", "false", "0"}


@dataclass(frozen=True)
class KioskSettings:
    rotate_s: int = DEFAULT_ROTATE_S
    refresh_min: int = DEFAULT_REFRESH_MIN
    views: tuple[str, ...] | None = None  # codes of the views to rotate through; None: all
    scale: float = 1.0  # width ÷ 1920: 2 for 3840×2160 at 100% display scaling, 0.71 for 1366×768
    reload_at: dt.time | None = DEFAULT_RELOAD_AT  # the server's local time; None: never


def _bounded_int(text: str | None, default: int, bounds: tuple[int, int]) -> int:
    try:
        value = int(str(text))
    except ValueError:
        return default
    return min(max(value, bounds[0]), bounds[1])


def _bounded_float(text: str | None, default: float, bounds: tuple[float, float]) -> float:
    try:
        value = float(str(text))
    except ValueError:
        return default
    if value != value:  # NaN
        return default
    return min(max(value, bounds[0]), bounds[1])


def parse_reload_at(text: str | None) -> dt.time | None:
    """The daily reload time from `reload=HH:MM` (or HH:MM:SS); `off` for none; a malformed or
    missing value takes the default."""
    value = str(text or "").strip().lower()
    if value in RELOAD_OFF:
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", value)
    if match is None:
        return DEFAULT_RELOAD_AT
    hour, minute, second = (int(g or 0) for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return DEFAULT_RELOAD_AT
    return dt.time(hour, minute, second)


def parse_kiosk(params: Mapping[str, str], known_views: tuple[str, ...] = ()
                ) -> KioskSettings | None:
    """Kiosk settings from URL parameters, or None when `kiosk` is not switched on.
    Out-of-range values are clamped; malformed ones take the default. `views=a,b` picks the
    views to rotate through (unknown codes are ignored; none left means all); `scale` is the
    screen's width ÷ 1920: `2` draws everything twice as large, for a 4K screen at 100% display
    scaling (a 4K screen at 200% scaling, the usual setting, needs nothing), `0.71` fits the
    1920×1080 layout on a 1366×768 screen; `reload=HH:MM` the daily reload (`off`: none)."""
    if str(params.get("kiosk", "")).lower() not in {"1", "true", "yes"}:
        return None
    chosen = tuple(v for v in str(params.get("views", "")).split(",") if v in known_views)
    return KioskSettings(
        rotate_s=_bounded_int(params.get("rotate"), DEFAULT_ROTATE_S, ROTATE_RANGE_S),
        refresh_min=_bounded_int(params.get("refresh"), DEFAULT_REFRESH_MIN, REFRESH_RANGE_MIN),
        views=chosen or None,
        scale=_bounded_float(params.get("scale"), 1.0, SCALE_RANGE),
        reload_at=parse_reload_at(params.get("reload")),
    )


def view_index(now_s: float, rotate_s: int, count: int) -> int:
    """Which of `count` views shows at time `now_s` (seconds since the epoch). Rounds to the
    nearest boundary so a timer that fires a little early or late still moves on by one."""
    return int(round(now_s / rotate_s)) % count


def refresh_epoch(now_s: float, refresh_min: int) -> int:
    """The refresh period `now_s` falls in; reads are cached within one period."""
    return int(now_s // (refresh_min * 60))


def reload_due(loaded_at: dt.datetime, now: dt.datetime, at: dt.time | None,
               after_s: float | None = None) -> bool:
    """Whether the page loaded at `loaded_at` should reload at `now`: the first `at` after the
    load has come (local times; never when `at` is None). The reloaded page counts from its own
    load, so it reloads once a day. `after_s` (tests only) replaces the quiet hour: the page
    reloads once it is that many seconds old."""
    if after_s is not None:
        return (now - loaded_at).total_seconds() >= after_s
    if at is None:
        return False
    first = dt.datetime.combine(loaded_at.date(), at)
    if first <= loaded_at:
        first += dt.timedelta(days=1)
    return now >= first
