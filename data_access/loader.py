"""Load CSV files (one per table, named `<table>.csv`) into the bureau database.

Values are converted by the declared column type, so the same CSV loads into SQLite,
PostgreSQL and MariaDB. Empty cells become NULL.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import islice
from pathlib import Path

import sqlalchemy as sa

from data_access import schema

BATCH_ROWS = 5000


def _to_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "t", "yes", "y"}:
        return True
    if lowered in {"0", "false", "f", "no", "n"}:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _converter(column: sa.Column) -> Callable[[str], object]:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return _to_bool
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat
    if isinstance(kind, sa.Integer):
        return int
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal
    if isinstance(kind, sa.Float):
        return float
    return str


def convert_rows(table: sa.Table, rows: Iterable[dict[str, str]]) -> Iterator[dict[str, object]]:
    converters = {column.name: _converter(column) for column in table.columns}
    for row in rows:
        unknown = set(row) - set(converters)
        if unknown:
            raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}")
        yield {
            name: (None if value is None or value == "" else converters[name](value))
            for name, value in row.items()
        }


def load_csv(conn: sa.Connection, table: sa.Table, path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = convert_rows(table, csv.DictReader(handle))
        total = 0
        while batch := list(islice(rows, BATCH_ROWS)):
            conn.execute(table.insert(), batch)
            total += len(batch)
    return total


def load_csv_dir(conn: sa.Connection, csv_dir: Path) -> dict[str, int]:
    counts = {}
    for table in schema.TABLES_IN_LOAD_ORDER:
        path = csv_dir / f"{table.name}.csv"
        if path.exists():
            counts[table.name] = load_csv(conn, table, path)
    return counts
