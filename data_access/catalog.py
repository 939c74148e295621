"""Reference lists (units, sectors, departments), what the dataset is, and a health check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access._sql import frame
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


def relation_names(conn: sa.Connection) -> set[str]:
    """Tables and views: a bureau may serve the dashboard read-only views over its own system."""
    inspector = sa.inspect(conn)
    return set(inspector.get_table_names()) | set(inspector.get_view_names())


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


def get_latest_data_date(conn: sa.Connection) -> dt.date | None:
    """The latest date any record carries: the default as-of date. None for an empty database."""
    candidates = [
        sa.select(sa.func.max(accidents.c.occurred_at)),
        sa.select(sa.func.max(hidden_dangers.c.found_on)),
        sa.select(sa.func.max(hidden_dangers.c.closed_on)),
        sa.select(sa.func.max(task_progress_reports.c.reported_on)),
        sa.select(sa.func.max(working_faces.c.accepted_on)),
    ]
    latest = None
    for stmt in candidates:
        value = conn.execute(stmt).scalar()
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = value.date()
        if value is not None and (latest is None or value > latest):
            latest = value
    return latest


def get_data_years(conn: sa.Connection) -> list[int]:
    """Years that have accidents or hidden dangers, newest first."""
    first = conn.execute(sa.select(sa.func.min(hidden_dangers.c.found_on))).scalar()
    first_acc = conn.execute(sa.select(sa.func.min(accidents.c.occurred_at))).scalar()
    latest = get_latest_data_date(conn)
    starts = [v for v in (first, first_acc) if v is not None]
    if latest is None or not starts:
        return []
    start_year = min(int(str(v)[:4]) for v in starts)
    return list(range(latest.year, start_year - 1, -1))


def list_units(conn: sa.Connection) -> pd.DataFrame:
    """All units in display order: code, name, kind, parent_code, lat, lon."""
    stmt = sa.select(units.c.code, units.c.name, units.c.kind, units.c.parent_code,
                     units.c.lat, units.c.lon).order_by(units.c.sort_order)
    return frame(conn, stmt)


def list_sectors(conn: sa.Connection) -> pd.DataFrame:
    return frame(conn, sa.select(sectors.c.code, sectors.c.name).order_by(sectors.c.sort_order))

