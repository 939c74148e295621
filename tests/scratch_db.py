"""Scratch databases beside the tests' own on the PostgreSQL and MariaDB servers.

A test that needs a database of its own (a broken copy, a legacy system) gets one named after
the tests' database with a suffix — `test` → `test_broken` — dropped and created afresh; on
SQLite, a file. `relaxed_metadata` and `copy_sample` make a copy of the sample without
constraints, as a database behind views may be, for planting problems with plain SQL.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from data_access import schema

SERVERS = {"postgresql": "TEST_POSTGRES_URL", "mysql": "TEST_MYSQL_URL"}


def server_url(backend: str) -> sa.URL:
    """The tests' own database on `backend` ("postgresql" or "mysql"); skips when not set."""
    variable = SERVERS[backend]
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{variable} is not set")
    return sa.make_url(url)


def scratch_name(backend: str, suffix: str) -> str:
    return f"{server_url(backend).database}_{suffix}"


def recreate_database(backend: str, name: str) -> sa.URL:
    """Drop and create the database `name` on `backend`'s server; return its URL."""
    base = server_url(backend)
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            quoted = conn.dialect.identifier_preparer.quote(name)
            if backend == "postgresql":
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
                conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
            else:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
                conn.exec_driver_sql(f"CREATE DATABASE {quoted} CHARACTER SET utf8mb4")
    finally:
        engine.dispose()
    return base.set(database=name)


def relaxed_metadata(*, leave_out: tuple[str, ...] = (),
                     retype: dict[str, sa.types.TypeEngine] | None = None) -> sa.MetaData:
    """The data model as a database behind views may have it: no keys or constraints, every
    column nullable, text unbounded. `leave_out` names tables or `table.column`s to omit;
    `retype` gives `table.column`s another type."""
    retype = retype or {}
    metadata = sa.MetaData()
    for table in schema.TABLES_IN_LOAD_ORDER:
        if table.name in leave_out:
            continue
        columns = []
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if name in leave_out:
                continue
            kind = sa.Text() if isinstance(column.type, sa.String) else column.type
            columns.append(sa.Column(column.name, retype.get(name, kind), nullable=True))
        sa.Table(table.name, metadata, *columns)
    return metadata


def copy_sample(sample_url: str, url: str, metadata: sa.MetaData) -> None:
    """Create `metadata`'s tables at `url` and copy the sample's rows into them."""
    source, target = sa.create_engine(sample_url), sa.create_engine(url)
    try:
        metadata.create_all(target)
        with source.connect() as read, target.begin() as write:
            for table in metadata.sorted_tables:
                model = schema.metadata.tables[table.name]
                rows = read.execute(sa.select(*(model.c[c.name] for c in table.columns)))
                values = [{c.name: _as_stored(c, v) for c, v in zip(table.columns, row)}
                          for row in rows]
                if values:
                    write.execute(table.insert(), values)
    finally:
        source.dispose()
        target.dispose()


def _as_stored(column: sa.Column, value: object) -> object:
    return str(value) if isinstance(column.type, sa.Text) and value is not None else value


def scratch_url(backend: str, suffix: str, tmp_path_factory) -> str:
    """A fresh database for `backend` (\"sqlite\": a file under the tests' tmp folder)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(suffix) / 'copy.sqlite'}"
    url = recreate_database(backend, scratch_name(backend, suffix))
    return url.render_as_string(hide_password=False)
