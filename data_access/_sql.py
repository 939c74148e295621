"""Small helpers shared by the query modules: running a statement into a DataFrame, portable
conditional counts, and the date arithmetic of a reporting period."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

# The unit code that means the whole city (长治市) rather than one county or zone.
CITY_CODE = "140400"


def unit_scope(column: sa.ColumnElement, unit: str | None) -> list[sa.ColumnElement[bool]]:
    """The WHERE condition that narrows `column` to one unit: none for the whole city (None or
    CITY_CODE)."""
    return [] if unit is None or unit == CITY_CODE else [column == unit]


# Characters that change how text around them displays without showing themselves: the
# bidirectional controls (U+202E turns "exe.doc" into "cod.exe"), zero-width characters and the
# byte-order mark. They carry no meaning in the bureau's data.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]")


def visible(value: object) -> object:
    """A text without invisible formatting characters; other values as they are."""
    return INVISIBLE.sub("", value) if isinstance(value, str) else value


def relation_names(conn: sa.Connection) -> set[str]:
    """Tables and views: a bureau may serve the dashboard read-only views over its own system."""
    inspector = sa.inspect(conn)
    return set(inspector.get_table_names()) | set(inspector.get_view_names())


def frame(conn: sa.Connection, stmt: sa.Executable, params: dict | None = None) -> pd.DataFrame:
    """Run `stmt` and return its rows; Decimal values (MariaDB's SUM, NUMERIC columns)
    become int where every value is whole, else float; texts lose invisible formatting
    characters (`visible`)."""
    result = conn.execute(stmt, params or {})
    df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for column in df.columns:
        if df[column].dtype == object:
            df[column] = df[column].map(visible)
        values = df[column].dropna()
        if len(values) and all(isinstance(v, Decimal) for v in values):
            whole = all(v == v.to_integral_value() for v in values)
            convert = int if whole else float
            df[column] = df[column].map(lambda v, convert=convert: None if v is None else convert(v))
            if whole and not df[column].isna().any():
                df[column] = df[column].astype("int64")
    return df


def count_where(condition: sa.ColumnElement[bool], label: str) -> sa.Label:
    """COUNT of rows meeting `condition`; portable across SQLite, PostgreSQL and MariaDB."""
    return sa.func.count(sa.case((condition, 1))).label(label)


def sum_of(column: sa.ColumnElement, label: str) -> sa.Label:
    """SUM that reads 0, not NULL, over no rows."""
    return sa.func.coalesce(sa.func.sum(column), 0).label(label)


def latest_rows(table: sa.Table, *, key: sa.Column, day: sa.Column, as_of: dt.date,
                columns: tuple[sa.Column, ...], where: tuple = (),
                name: str = "latest") -> sa.Subquery:
    """Each `key`'s latest row dated on or before `as_of` (later id wins a tie), as a subquery
    with `columns`: how a dated report answers "where did it stand then". A window function,
    portable across SQLite 3.25+, PostgreSQL and MariaDB 10.2+."""
    ranked = (
        sa.select(*columns, sa.func.row_number().over(
            partition_by=key, order_by=(day.desc(), table.c.id.desc())).label("rank"))
        .where(day <= as_of, *where)
        .subquery()
    )
    return sa.select(*(ranked.c[c.name] for c in columns)).where(ranked.c.rank == 1).subquery(name)


def year_start(as_of: dt.date) -> dt.date:
    return dt.date(as_of.year, 1, 1)


def next_day(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def same_day_last_year(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
