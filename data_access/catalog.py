"""Reference lists (units, sectors, departments), what the dataset is, and a health check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access._sql import frame, relation_names
from data_access.schema import (
    accidents,
    dataset_info,
    hidden_dangers,
    import_batches,
    sectors,
    task_progress_reports,
    units,
    working_faces,
)
from data_access.validity import usable

# Tables the dashboard cannot work without; an empty one is reported to the user by name.
REQUIRED_TABLES = ("units", "sectors", "accidents", "targets", "key_tasks", "hidden_dangers",
                   "coal_mines", "working_faces", "resource_sites")


@dataclass(frozen=True)
class DatabaseHealth:
    missing_tables: tuple[str, ...]
    empty_tables: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing_tables and not self.empty_tables


def check_database(conn: sa.Connection) -> DatabaseHealth:
    """Which required tables (or views) are missing or empty. Raises SQLAlchemy errors when
    unreachable."""
    present = relation_names(conn)
    missing = tuple(t for t in REQUIRED_TABLES if t not in present)
    empty = tuple(
        t for t in REQUIRED_TABLES
        if t in present and conn.execute(sa.select(sa.literal(1)).select_from(sa.table(t))
                                         .limit(1)).first() is None
    )
    return DatabaseHealth(missing, empty)


def get_dataset_info(conn: sa.Connection) -> dict[str, str]:
    """Key/value facts about the dataset; `is_sample` is "true" for fictitious sample data."""
    return dict(conn.execute(sa.select(dataset_info.c.key, dataset_info.c.value)).all())


def is_sample_dataset(conn: sa.Connection) -> bool:
    return get_dataset_info(conn).get("is_sample", "").lower() == "true"


def get_data_version(conn: sa.Connection) -> tuple[int, int] | None:
    """What changes with every import, undo and full reload (`import_batches`); None for a
    database without the import log (e.g. read-only views over another system), whose pages
    then refresh by the cache's time limit alone."""
    if not sa.inspect(conn).has_table(import_batches.name):
        return None
    b = import_batches.c
    latest, undone = conn.execute(sa.select(sa.func.coalesce(sa.func.max(b.id), 0),
                                            sa.func.count(b.undone_at))).one()
    return int(latest), int(undone)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def _extreme(conn: sa.Connection, column: sa.Column, *, latest: bool) -> dt.date | None:
    """The latest (or earliest) value of a date column among the table's valid rows: a row
    dated in the future, or otherwise set aside, never moves it. Read along the column's index
    from the end, stopping at the first valid row."""
    order = column.desc() if latest else column.asc()
    stmt = (sa.select(column).where(column.is_not(None), *usable(conn, column.table))
            .order_by(order).limit(1))
    return _as_date(conn.execute(stmt).scalar())


def get_latest_data_date(conn: sa.Connection) -> dt.date | None:
    """The latest date any valid record carries: the default as-of date. None for an empty
    database."""
    found = [_extreme(conn, column, latest=True) for column in (
        accidents.c.occurred_at, hidden_dangers.c.found_on, hidden_dangers.c.closed_on,
        task_progress_reports.c.reported_on, working_faces.c.accepted_on)]
    found = [day for day in found if day is not None]
    return max(found) if found else None


def get_data_years(conn: sa.Connection) -> list[int]:
    """Years that have valid accidents or hidden dangers, newest first."""
    latest = get_latest_data_date(conn)
    starts = [day for day in (_extreme(conn, hidden_dangers.c.found_on, latest=False),
                              _extreme(conn, accidents.c.occurred_at, latest=False))
              if day is not None]
    if latest is None or not starts:
        return []
    return list(range(latest.year, min(day.year for day in starts) - 1, -1))


def list_units(conn: sa.Connection) -> pd.DataFrame:
    """All valid units in display order: code, name (None where missing: show the code), kind,
    parent_code, lat, lon."""
    stmt = (sa.select(units.c.code, units.c.name, units.c.kind, units.c.parent_code,
                      units.c.lat, units.c.lon)
            .where(*usable(conn, units)).order_by(units.c.sort_order, units.c.code))
    return frame(conn, stmt)


def list_sectors(conn: sa.Connection) -> pd.DataFrame:
    """All valid sectors in display order: code, name."""
    return frame(conn, sa.select(sectors.c.code, sectors.c.name).where(*usable(conn, sectors))
                 .order_by(sectors.c.sort_order, sectors.c.code))

