"""Least privilege on PostgreSQL: the dashboard starts and serves every page through a role that
may only SELECT (the test creates it with the GRANTs of docs/security.md), and with a second,
writing role configured (DATABASE_WRITE_URL) the audit log and the user list are written
through that one while the pages still read through the first."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import access, audit, db, schema
from tests.conftest import ROOT
from tests.scratch_db import recreate_database, scratch_name
from ui import auth

PAGES = ("overview", "accidents", "rectification", "mining", "resources")
READER, WRITER = "dashboard_reader_h", "dashboard_writer_h"
WRITTEN_TABLES = ("app_users", "screen_tokens", "audit_log")


def grants(database: str) -> list[str]:
    """docs/security.md's PostgreSQL statements for the two accounts."""
    return [
        f"DROP ROLE IF EXISTS {READER}", f"DROP ROLE IF EXISTS {WRITER}",
        f"CREATE ROLE {READER} LOGIN PASSWORD 'reader-pw'",
        f"CREATE ROLE {WRITER} LOGIN PASSWORD 'writer-pw'",
        f'GRANT CONNECT ON DATABASE "{database}" TO {READER}, {WRITER}',
        f"GRANT USAGE ON SCHEMA public TO {READER}, {WRITER}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}, {WRITER}",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(WRITTEN_TABLES)} TO {WRITER}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {WRITER}",
    ]


@pytest.fixture
def accounts():
    name = scratch_name("postgresql", "leastpriv")
    url = recreate_database("postgresql", name)
    owner = db.create_bureau_engine(url.render_as_string(hide_password=False))
    db.load_into(owner)
    with owner.begin() as conn:
        conn.execute(schema.audit_log.delete())
        for statement in grants(name):
            conn.exec_driver_sql(statement)
        access.set_user(conn, principal="leader", role=access.LEADER, unit=None, name=None,
                        by="test")
    reader = url.set(username=READER, password="reader-pw")
    writer = url.set(username=WRITER, password="writer-pw")
    yield {"owner": owner, "reader": reader.render_as_string(hide_password=False),
           "writer": writer.render_as_string(hide_password=False)}
    owner.dispose()
    cleanup = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with cleanup.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {READER}")
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {WRITER}")
    cleanup.dispose()


def the_reader_may_not_write(url: str) -> None:
    engine = sa.create_engine(url)
    with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), engine.begin() as c:
        c.execute(schema.audit_log.insert().values(at=dt.datetime.now(), kind="view"))
    engine.dispose()


def serve_every_page(monkeypatch, environ: dict[str, str], user: dict | None = None) -> AppTest:
    import streamlit as st

    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if user is not None:
        at.user = user
    at.run()
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        assert at.metric or at.dataframe, page
    return at


def test_every_page_serves_with_a_select_only_account(monkeypatch, accounts):
    the_reader_may_not_write(accounts["reader"])
    monkeypatch.delenv("DATABASE_WRITE_URL", raising=False)
    serve_every_page(monkeypatch, {"DATABASE_URL": accounts["reader"],
                                   "DASHBOARD_AUTH_MODE": "none"})
    with accounts["owner"].connect() as conn:  # the audit could not be written: nothing was
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.audit_log)
                            ).scalar() == 0


def test_logins_read_with_the_reader_and_audit_with_the_writer(monkeypatch, accounts):
    user = {"is_logged_in": True, "preferred_username": "leader",
            "iat": dt.datetime.now().timestamp()}
    serve_every_page(monkeypatch, {"DATABASE_URL": accounts["reader"],
                                   "DATABASE_WRITE_URL": accounts["writer"],
                                   "DASHBOARD_AUTH_MODE": "oidc"}, user=user)
    assert auth.audit_writer().flush()
    with accounts["owner"].connect() as conn:
        events = audit.list_events(conn, since=dt.datetime(2000, 1, 1),
                                   until=dt.datetime(2100, 1, 1))
    assert set(events["kind"]) == {"login", "view"}
    viewed = set(events["page"].dropna())
    assert set(PAGES) - {"overview"} <= viewed and viewed & {"home", "overview"}  # / or alias
    assert set(events["user_name"]) == {"leader"}
