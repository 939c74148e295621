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
    """When figures were read: 14:05 today, 11月24日 14:05 on an earlier day of the year,
    2022年12月31日 23:58 in an earlier year (a screen left on over New Year)."""
    if read_at.date() == now.date():
        return f"{read_at:%H:%M}"
    year = f"{read_at.year}年" if read_at.year != now.year else ""
    return f"{year}{read_at.month}月{read_at.day}日 {read_at:%H:%M}"


# One format per kind of quantity, in tables (Streamlit's sprintf) and Excel files alike:
# counts with thousands separators (40,500), money (万元) always with two decimals (19.00).
COUNT_FORMAT, MONEY_FORMAT = "%,d", "%,.2f"
EXCEL_COUNT_FORMAT, EXCEL_MONEY_FORMAT = "#,##0", "#,##0.00"


def is_money(column: object) -> bool:
    """A column of amounts in 万元 (by its Chinese header or its code)."""
    return "万元" in str(column) or str(column).endswith("_wan")


def number_formats(table) -> dict[str, str]:
    """The sprintf format of each numeric column of a DataFrame (or a Styler's): money
    (`is_money`) as MONEY_FORMAT, integers as COUNT_FORMAT; other columns keep their own."""
    formats = {}
    frame = table.data if hasattr(table, "data") and hasattr(table, "apply_index") else table
    for column, dtype in frame.dtypes.items():
        if is_money(column) and dtype.kind in "iuf":
            formats[column] = MONEY_FORMAT
        elif dtype.kind in "iu" or str(dtype) in ("Int64", "Int32"):
            formats[column] = COUNT_FORMAT
    return formats


def number_config(table, **overrides) -> dict:
    """`column_config` for st.dataframe: `number_formats` as NumberColumns, then `overrides`."""
    import streamlit as st

    return {**{column: st.column_config.NumberColumn(format=fmt)
               for column, fmt in number_formats(table).items()}, **overrides}
