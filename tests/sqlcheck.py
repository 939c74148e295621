"""Independent SQL for tests: hand-written statements whose answers the app's figures must equal."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


def _typed(params: dict) -> list[sa.BindParameter]:
    binds = []
    for name, value in params.items():
        if isinstance(value, dt.datetime):
            binds.append(sa.bindparam(name, value, type_=sa.DateTime))
        elif isinstance(value, dt.date):
            binds.append(sa.bindparam(name, value, type_=sa.Date))
        else:
            binds.append(sa.bindparam(name, value))
    return binds


def scalar(conn: sa.Connection, sql: str, **params) -> int | float:
    """One number from hand-written SQL (NULL reads as 0)."""
    value = conn.execute(sa.text(sql).bindparams(*_typed(params))).scalar()
    if value is None:
        return 0
    return int(value) if float(value) == int(value) else float(value)


def rows(conn: sa.Connection, sql: str, **params) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(sql).bindparams(*_typed(params))).all()]


def day_bounds(as_of: dt.date) -> dict[str, dt.datetime]:
    """Start of the year and start of the day after `as_of`, for accident timestamps."""
    return {"start": dt.datetime(as_of.year, 1, 1),
            "end": dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())}


def last_check_sql(site: str = "resource_sites", as_of: str = ":as_of") -> str:
    """A site's latest stock check on or before the as-of date, as hand-written SQL."""
    return (f"(SELECT MAX(c.checked_on) FROM resource_checks c WHERE c.site_id = {site}.id "
            f"AND c.checked_on <= {as_of})")
