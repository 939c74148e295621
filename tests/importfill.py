"""Fill the import template the way a clerk would: Chinese values, names instead of ids.

Reads every importable table of a database with plain SQL and writes its rows into the template
through openpyxl: codes become their Chinese labels, references become the referenced row's
name or number, booleans 是/否, dates Excel date cells. Used by the tests to import the sample
through the bureau's path and compare the pages.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from data_access.importing.spec import BOOL, CODE, REF, SPECS, SheetSpec


def _reference_text(conn: sa.Connection, spec: SheetSpec) -> dict[str, dict]:
    """For each REF column: stored key → the text a file uses for it."""
    texts = {}
    for f in spec.fields:
        if f.kind != REF:
            continue
        by = f.ref.also_by or f.ref.by
        stores = f.ref.stores
        texts[f.column] = dict(conn.execute(sa.text(
            f"SELECT {stores}, {by} FROM {f.ref.table}")).all())
    return texts


def cell_value(f, value, texts: dict[str, dict]):
    if value is None:
        return None
    if f.kind == CODE:
        return f.codes[value]
    if f.kind == REF:
        return texts[f.column][value]
    if f.kind == BOOL:
        return "是" if value in (True, 1, "1", "true") else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and f.kind in ("date", "datetime"):
        return dt.datetime.fromisoformat(value) if f.kind == "datetime" else \
            dt.date.fromisoformat(value[:10])
    return value


def fill_template(template: bytes, conn: sa.Connection, *, tables: tuple[str, ...] | None = None
                  ) -> bytes:
    """The template with every row of the database's importable tables (or of `tables`)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    for spec in SPECS:
        if tables is not None and spec.table not in tables:
            continue
        sheet = book[spec.sheet]
        texts = _reference_text(conn, spec)
        stored = [f for f in spec.fields if not f.check_only]
        columns = ", ".join(f.column for f in stored)
        pk = "code" if spec.table in ("units", "departments", "sectors") else "id"
        for row in conn.execute(sa.text(f"SELECT {columns} FROM {spec.table} ORDER BY {pk}")):
            sheet.append([cell_value(f, v, texts) for f, v in zip(stored, row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
