"""Values as clerks type them into Excel, read into the data model's types.

Every parser takes what a cell holds (a str, a number, a date or datetime from an Excel date
cell, or None) and returns the value, or raises `BadValue` with the Chinese reason. Text is
normalised first: NFKC (full-width digits and letters become half-width), whitespace and
full-width spaces trimmed; an empty cell is None.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's 1900 date system, with its leap-year bug
TRUE_WORDS = frozenset({"是", "有", "√", "✓", "y", "yes", "true", "t", "1"})
FALSE_WORDS = frozenset({"否", "无", "×", "✗", "n", "no", "false", "f", "0"})

_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})?\s*分?(?:\s*[:]?\s*(?P<S>\d{1,2})\s*秒?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
_NUMBER_NOISE = re.compile(r"[,\s]")


class BadValue(ValueError):
    """A cell that cannot be read as its column's type; the message is Chinese."""


def clean_text(value: object) -> str | None:
    """A cell as trimmed text in NFKC form; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def parse_text(value: object, *, max_length: int | None = None) -> str | None:
    text = clean_text(value)
    if text is not None and max_length is not None and len(text) > max_length:
        raise BadValue(f"超过{max_length}个字符(共{len(text)}个)")
    return text


def parse_decimal(value: object) -> Decimal | None:
    """A number, as typed (1,234.5 / 1 234.5 / １２３) or from a numeric cell."""
    if isinstance(value, bool):
        raise BadValue("不是数字")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = clean_text(value)
    if text is None:
        return None
    try:
        number = Decimal(_NUMBER_NOISE.sub("", text))
    except InvalidOperation:
        raise BadValue("不是数字") from None
    if not number.is_finite():
        raise BadValue("不是数字")
    return number


def parse_integer(value: object) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise BadValue("不是整数")
    return int(number)


def parse_float(value: object) -> float | None:
    number = parse_decimal(value)
    return None if number is None else float(number)


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise BadValue("应填“是”或“否”")


def _from_excel_serial(number: float) -> dt.datetime:
    if not 1 <= number < 2958466:  # 1900-01-01 … 9999-12-31
        raise BadValue("不是日期")
    return EXCEL_EPOCH + dt.timedelta(days=number)


def _build(parts: dict[str, str | None], *, with_time: bool) -> dt.datetime:
    try:
        day = dt.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except ValueError:
        raise BadValue("日期不存在") from None
    if not with_time:
        return dt.datetime.combine(day, dt.time())
    hour, minute, second = (int(parts.get(k) or 0) for k in ("H", "M", "S"))
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        raise BadValue("时间不存在") from None


def parse_datetime(value: object) -> dt.datetime | None:
    """A date and time: an Excel date cell, an Excel serial number, or text such as
    2022-3-5 08:30, 2022/03/05 8:30:00, 2022年3月5日8时30分 or 20220305. A date alone reads
    as midnight."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _from_excel_serial(float(value)).replace(microsecond=0)
    text = clean_text(value)
    if text is None:
        return None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise BadValue("不是日期(可写 2022-03-05、2022/3/5 或 2022年3月5日)")
    return _build(match.groupdict(), with_time=True)


def parse_date(value: object) -> dt.date | None:
    """A calendar date, in any of the forms `parse_datetime` reads; a time of day other than
    midnight is refused, since it would be silently dropped."""
    moment = parse_datetime(value)
    if moment is None:
        return None
    if moment.time() != dt.time() and not isinstance(value, int | float | Decimal):
        raise BadValue("应为日期,不含时间")
    return moment.date()
