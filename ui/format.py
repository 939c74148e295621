"""How numbers and dates read in Chinese on screen."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal


def cn_date(day: dt.date) -> str:
    """2022年6月30日"""
    return f"{day.year}年{day.month}月{day.day}日"


def count(value: float | int | None, unit: str) -> str:
    """12起 / 1,234项; None reads 无数据."""
    return "无数据" if value is None else f"{int(value):,}{unit}"


def half_up(value: float, digits: int = 0) -> float:
    """四舍五入 to `digits` decimals, as Chinese reports round: 0.625 → 0.63 at 2, 62.5 → 63 at 0
    (Python's round() and format() round halves to even: 62). The value is read as its shortest
    decimal form, so 14.5 stays 14.5 and is not taken for 14.4999…."""
    exact = Decimal(repr(float(value)))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def pct_number(value: float | None, digits: int = 1) -> float | None:
    """A ratio as a number of percent, half up: 0.625 → 62.5, 0.62549 → 62.5 (tables, charts,
    exports); None (or NaN) stays None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    exact = Decimal(repr(float(value))) * 100
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def pct(value: float | None, digits: int = 1) -> str:
    """0.923 → 92.3%, 5/8 at 0 digits → 63%; None reads 无数据."""
    number = pct_number(value, digits)
    return "无数据" if number is None else f"{number:.{digits}f}%"


def read_time(read_at: dt.datetime, now: dt.datetime) -> str:
    """When figures were read: 14:05 today, 11月24日 14:05 on an earlier day."""
    if read_at.date() == now.date():
        return f"{read_at:%H:%M}"
    return f"{read_at.month}月{read_at.day}日 {read_at:%H:%M}"
