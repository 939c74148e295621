"""Shared fixtures: the sample database on SQLite, PostgreSQL and MariaDB, and AppTest.

PostgreSQL and MariaDB take part when TEST_POSTGRES_URL / TEST_MYSQL_URL are set (`.ci/run`
sets them to this machine's servers); without them those cases are reported as skipped, never
as passed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import db, schema
from tests.pg_cluster import throwaway_cluster
from tests.scratch_db import SERVERS, recreate_database, scratch_name

ROOT = Path(__file__).resolve().parent.parent
# The tests run the app without login on databases other than the sample too (their own
# copies, dirty or degraded ones); tests/test_auth.py checks the refusal without this.
os.environ.setdefault("DASHBOARD_ALLOW_WITHOUT_LOGIN", "1")
BACKENDS = {
    "sqlite": None,
    "postgresql": "TEST_POSTGRES_URL",
    "mysql": "TEST_MYSQL_URL",
}


def pytest_configure(config) -> None:
    """Under pytest-xdist (`make test` runs two workers), each worker gets databases of its own on
    the servers: `test` becomes `test_gw0`, made afresh, and its scratch databases and accounts
    are named after it (`test_gw0_broken`, …)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    for backend, variable in SERVERS.items():
        if os.environ.get(variable):
            own = recreate_database(backend, scratch_name(backend, worker))
            os.environ[variable] = own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sample_sqlite_path(tmp_path_factory) -> Path:
    """A fresh SQLite sample database built from sample_data/csv, as `make run` builds it."""
    path = tmp_path_factory.mktemp("db") / "sample.sqlite"
    return db.ensure_sample_database(path)


@pytest.fixture(scope="session")
def sample_sqlite_url(sample_sqlite_path) -> str:
    return f"sqlite:///{sample_sqlite_path}"


def server_url(variable: str) -> str:
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{variable} is not set")
    return url


def clear_database(engine: sa.Engine) -> None:
    """Drop everything the test database holds: views, then every table (including ones an
    older or newer version of the schema left behind, and alembic_version)."""
    with engine.begin() as conn:
        preparer = conn.dialect.identifier_preparer
        for view in sa.inspect(conn).get_view_names():
            conn.exec_driver_sql(f"DROP VIEW {preparer.quote(view)}")
    existing = sa.MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)


def load_sample(engine: sa.Engine) -> None:
    """The tests' starting point on a server: an empty database, upgraded to head by the
    migrations, with the sample loaded."""
    clear_database(engine)
    db.load_into(engine)


def _server_engine(variable: str) -> sa.Engine:
    engine = db.create_bureau_engine(server_url(variable))
    load_sample(engine)
    return engine


@pytest.fixture(scope="session", params=list(BACKENDS))
def engine(request, sample_sqlite_url):
    """The sample database on each backend in turn."""
    variable = BACKENDS[request.param]
    if variable is None:
        eng = db.create_bureau_engine(sample_sqlite_url)
    else:
        eng = _server_engine(variable)
    yield eng
    eng.dispose()


@pytest.fixture
def conn(engine):
    with engine.connect() as connection:
        yield connection


@pytest.fixture
def sample_conn(sample_sqlite_url):
    """A connection to the SQLite sample database, for independent SQL beside an AppTest."""
    engine = db.create_bureau_engine(sample_sqlite_url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.fixture
def app(monkeypatch, sample_sqlite_url):
    """An AppTest of app.py on the sample database; call `.run()` or `open_page(...)`."""
    monkeypatch.setenv("DATABASE_URL", sample_sqlite_url)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.fixture
def builders(monkeypatch) -> dict[str, object]:
    """file name → the builder a download button was given (built on the click), for the runs
    of the test."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name,
                        **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Run the app, then switch to `pages/<page>.py`; query params are set before the first run."""
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def as_of_shown(at: AppTest) -> dt.date:
    """The sidebar's 数据截至 as the boxes show it: 统计年度, then its 月 and 日."""
    return dt.date(at.selectbox(key="global.year").value,
                   at.selectbox(key="global.as_of.month").value,
                   at.selectbox(key="global.as_of.day").value)


def set_as_of(at: AppTest, value: dt.date) -> AppTest:
    """Pick `value` in the sidebar as a user does: 统计年度, then 月, then 日, each a run."""
    for key, part in (("global.year", value.year), ("global.as_of.month", value.month),
                      ("global.as_of.day", value.day)):
        if at.selectbox(key=key).value != part:
            at.selectbox(key=key).set_value(part).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """Markdown source as the reader sees it: escapes resolved, zero-width spaces dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def schema_tables() -> list[str]:
    return [t.name for t in schema.TABLES_IN_LOAD_ORDER]


@pytest.fixture(params=list(BACKENDS))
def scratch_engine(request, sample_sqlite_path, tmp_path):
    """A fresh copy of the sample that a test may change, on each backend in turn (servers:
    a database `<test database>_scratch` beside the configured one)."""
    variable = BACKENDS[request.param]
    if variable is None:
        copy = tmp_path / "scratch.sqlite"
        copy.write_bytes(sample_sqlite_path.read_bytes())
        engine = db.create_bureau_engine(f"sqlite:///{copy}")
    else:
        url = recreate_database(request.param, scratch_name(request.param, "scratch"))
        engine = db.create_bureau_engine(url.render_as_string(hide_password=False))
        db.load_into(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def throwaway_postgres():
    """A PostgreSQL cluster of the tests' own with the sample (tests/pg_cluster.py), for the
    tests that stop or freeze the server. A test that stops or freezes it starts or thaws it
    again before it ends."""
    with throwaway_cluster() as cluster:
        yield cluster


BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB/MySQL"}


def _param_ids(nodeid: str) -> set[str]:
    """The parameter ids of a test id: test_x[postgresql-None] → {"postgresql", "None"}."""
    return set(nodeid[nodeid.index("[") + 1:-1].split("-")) if nodeid.endswith("]") else set()


def backend_summary(stats: dict[str, list]) -> list[str]:
    """One line per database backend: whether it ran, and how many of its cases passed,
    failed or were skipped (a backend without its TEST_*_URL is skipped, never counted as
    passed). `stats` is pytest's terminal reporter's outcome → reports."""
    lines = []
    for backend, variable in BACKENDS.items():
        counts = {}
        for outcome in ("passed", "failed", "error", "skipped"):
            counts[outcome] = sum(
                1 for report in stats.get(outcome, [])
                if getattr(report, "when", "call") in ("call", "setup")
                and backend in _param_ids(getattr(report, "nodeid", ""))
                and (outcome != "passed" or report.when == "call"))
        ran = variable is None or bool(os.environ.get(variable))
        state = "运行" if ran else f"未运行(未设置 {variable})"
        lines.append(f"{BACKEND_NAMES[backend]}: {state};通过 {counts['passed']},失败 "
                     f"{counts['failed'] + counts['error']},跳过 {counts['skipped']}")
    return lines


def pytest_terminal_summary(terminalreporter) -> None:
    """`make test` says which database backends ran (README, Tests)."""
    terminalreporter.section("数据库后端")
    for line in backend_summary(terminalreporter.stats):
        terminalreporter.write_line(line)
