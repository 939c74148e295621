"""Scratch databases beside the tests' own on the PostgreSQL and MariaDB servers.

A test that needs a database of its own (a broken copy, a legacy system) gets one named after
the tests' database with a suffix — `test_chk` → `test_chk_broken` — dropped and created afresh.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

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
