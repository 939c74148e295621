"""Row counts and checksums of every table, to show that data is exactly as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import sqlalchemy as sa

from data_access import schema


def _text(value: object) -> str:
    if value is None:
        return "∅"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float | Decimal):
        return f"{float(value):.6f}"
    return str(value)


def table_checksums(conn: sa.Connection,
                    tables: tuple[sa.Table, ...] = schema.TABLES_IN_LOAD_ORDER
                    ) -> dict[str, tuple[int, str]]:
    """Per table: rows, and SHA-256 over every row in primary-key order."""
    sums = {}
    for table in tables:
        digest = hashlib.sha256()
        count = 0
        for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns)):
            digest.update("\x1f".join(_text(v) for v in row).encode())
            digest.update(b"\x1e")
            count += 1
        sums[table.name] = (count, digest.hexdigest())
    return sums
