"""How numbers and dates read in Chinese on screen."""

from __future__ import annotations

import datetime as dt


def cn_date(day: dt.date) -> str:
    """2022年6月30日"""
    return f"{day.year}年{day.month}月{day.day}日"


def count(value: float | int | None, unit: str) -> str:
    """12起 / 1,234项; None reads 无数据."""
    return "无数据" if value is None else f"{int(value):,}{unit}"


def pct(value: float | None, digits: int = 1) -> str:
    """0.923 → 92.3%; None reads 无数据."""
    return "无数据" if value is None else f"{value * 100:.{digits}f}%"


def read_time(read_at: dt.datetime, now: dt.datetime) -> str:
    """When figures were read: 14:05 today, 11月24日 14:05 on an earlier day of the year,
    2022年12月31日 23:58 in an earlier year (a screen left on over New Year)."""
    if read_at.date() == now.date():
        return f"{read_at:%H:%M}"
    year = f"{read_at.year}年" if read_at.year != now.year else ""
    return f"{year}{read_at.month}月{read_at.day}日 {read_at:%H:%M}"
