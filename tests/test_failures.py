"""Database failures: real errors from SQLite, PostgreSQL and MariaDB classified into the kinds the
app explains (unreachable, authentication, database missing, driver missing, table, column,
timeout), statement timeouts on each backend, and the timing helpers as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import db, failures, timeouts
from data_access.failures import Failure, classify
from tests.conftest import BACKENDS, server_url
from ui.format import read_time
from ui.settings import DEFAULT_QUERY_TIMEOUT_S, parse_timeout

# Never finishes in the time a test waits, so the timeout must stop it: 10^12 rows counted, on
# every backend (a recursive CTE would not do: MariaDB stops recursing after 1,000 rows).
DIGITS = " UNION ALL ".join(f"SELECT {d} AS d" for d in range(10))
ENDLESS = "SELECT COUNT(*) FROM " + ", ".join(f"({DIGITS}) AS t{i}" for i in range(12))


def error_of(url: str, sql: str = "SELECT 1", **engine_args) -> BaseException:
    """What connecting to `url` and running `sql` raises."""
    try:
        engine = db.create_bureau_engine(url, **engine_args)
    except Exception as error:
        return error
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql).fetchall()
    except Exception as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{sql!r} on {url} did not fail")


def other_url(variable: str, **parts) -> str:
    url = sa.engine.make_url(server_url(variable))
    return url.set(**parts).render_as_string(hide_password=False)


def backend_url(backend: str, sample_sqlite_url: str) -> str:
    variable = BACKENDS[backend]
    return sample_sqlite_url if variable is None else server_url(variable)


# ---- real errors, every backend ------------------------------------------------------------
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_missing_table_and_column_are_named(backend, sample_sqlite_url):
    url = backend_url(backend, sample_sqlite_url)
    assert classify(error_of(url, "SELECT code FROM no_such_table")) == Failure(
        failures.TABLE_MISSING, table="no_such_table")
    assert classify(error_of(url, "SELECT units.no_such_column FROM units")) == Failure(
        failures.COLUMN_MISSING, table="units", column="no_such_column")


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_statement_timeout_stops_a_query_and_leaves_the_connection_usable(backend,
                                                                       sample_sqlite_url):
    engine = db.create_bureau_engine(backend_url(backend, sample_sqlite_url),
                                     statement_timeout_s=0.3)
    try:
        with engine.connect() as conn:
            with pytest.raises(sa.exc.DBAPIError) as stopped:
                conn.exec_driver_sql(ENDLESS).fetchall()
            assert classify(stopped.value) == Failure(failures.TIMEOUT)
            conn.rollback()
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
            if engine.dialect.name == "postgresql":  # the pages' reads are never JIT-compiled
                assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        with engine.connect() as conn:  # back from the pool (rolled back): still limited
            with pytest.raises(sa.exc.DBAPIError) as stopped:
                conn.exec_driver_sql(ENDLESS).fetchall()
            assert classify(stopped.value) == Failure(failures.TIMEOUT)
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_engines_without_a_timeout_have_none(backend, sample_sqlite_url):
    """Loads, imports and check-db: a long statement is not cut short."""
    url = backend_url(backend, sample_sqlite_url)
    engine = db.create_bureau_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
            elif engine.dialect.name == "mysql":
                assert float(conn.exec_driver_sql("SELECT @@max_statement_time").scalar()) == 0
            else:
                assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()


def test_postgresql_connection_failures():
    assert classify(error_of(other_url("TEST_POSTGRES_URL", port=1))).kind == failures.UNREACHABLE
    assert classify(error_of(other_url("TEST_POSTGRES_URL", username="nobody_dashboard"))
                    ).kind == failures.AUTH_FAILED
    database = sa.engine.make_url(server_url("TEST_POSTGRES_URL")).database
    assert classify(error_of(other_url("TEST_POSTGRES_URL", database=f"{database}_absent"))
                    ).kind == failures.DATABASE_MISSING


def test_postgresql_wrong_password(throwaway_postgres):
    assert classify(error_of(throwaway_postgres.url(password="wrong"))).kind == \
        failures.AUTH_FAILED


def test_mariadb_connection_failures():
    assert classify(error_of(other_url("TEST_MYSQL_URL", port=1))).kind == failures.UNREACHABLE
    assert classify(error_of(other_url("TEST_MYSQL_URL", username="nobody_dashboard"))
                    ).kind == failures.AUTH_FAILED
    assert classify(error_of(other_url("TEST_MYSQL_URL", password="wrong-password"))
                    ).kind == failures.AUTH_FAILED
    database = sa.engine.make_url(server_url("TEST_MYSQL_URL")).database
    assert classify(error_of(other_url("TEST_MYSQL_URL", database=f"{database}_absent"))
                    ).kind == failures.DATABASE_MISSING


def test_sqlite_file_that_cannot_be_opened(tmp_path):
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'db.sqlite'}"
    assert classify(error_of(url)).kind == failures.UNREACHABLE


@pytest.mark.parametrize(("url", "module"), [
    ("mysql+mysqldb://root@127.0.0.1:1/x", "MySQLdb"),
    ("postgresql+psycopg2://u@127.0.0.1:1/x", "psycopg2"),
    ("postgresql+nodriver://u@127.0.0.1:1/x", "postgresql.nodriver"),
])
def test_driver_not_installed(url, module):
    assert classify(error_of(url)) == Failure(failures.DRIVER_MISSING, name=module)


# ---- classification of what the app raises itself -----------------------------------------
def test_deadline_pool_and_outage_errors():
    assert classify(failures.QueryTimeout("late")).kind == failures.TIMEOUT
    assert classify(sa.exc.TimeoutError("pool")).kind == failures.TIMEOUT
    outage = Failure(failures.UNREACHABLE)
    assert classify(failures.DatabaseUnavailable(outage)) is outage
    assert classify(ValueError("a bug")).kind == failures.OTHER


def test_names_in_messages_of_each_backend():
    cases = {
        'relation "public.drills" does not exist': Failure(failures.TABLE_MISSING, "drills"),
        "Table 'bureau.drills' doesn't exist": Failure(failures.TABLE_MISSING, "drills"),
        'column "kind" does not exist': Failure(failures.COLUMN_MISSING, column="kind"),
        "no such column: units_1.name": Failure(failures.COLUMN_MISSING, "units_1", "name"),
    }
    for message, failure in cases.items():
        assert failures.classify(sa.exc.OperationalError("SELECT", {}, Exception(message))) \
            == failure, message


# ---- pure timing helpers --------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_statement_clock():
    clock = FakeClock()
    statement = timeouts.StatementClock(2.0, clock=clock)
    assert statement.expired() == 0  # nothing running
    statement.start()
    clock.now += 2.0
    assert statement.expired() == 0  # at the limit: not yet
    clock.now += 0.01
    assert statement.expired() == 1
    statement.clear()
    assert statement.expired() == 0
    statement.start()
    assert statement.expired() == 0  # a new statement starts a new count


def test_client_deadline_is_longer_than_the_server_limit():
    assert timeouts.client_deadline(8) == 8 + timeouts.CLIENT_GRACE_S
    assert timeouts.client_deadline(0.5) > 0.5


def test_timeout_driver_arguments():
    assert timeouts.connect_args("postgresql+psycopg://u@h/d", 8) == {}  # a SET on connect
    assert timeouts.connect_args("mysql+pymysql://u@h/d", 8)["read_timeout"] > \
        timeouts.client_deadline(8)
    assert timeouts.connect_args("sqlite:///x", 8) == {"timeout": 8}
    assert timeouts.connect_args("postgresql+psycopg://u@h/d", None) == {}
    assert timeouts.pool_args("postgresql+psycopg://u@h/d", 8) == {"pool_timeout": 8}
    assert timeouts.pool_args("postgresql+psycopg://u@h/d", None) == {}


@pytest.mark.parametrize(("value", "seconds"), [
    ("8", 8.0), ("2.5", 2.5), (None, DEFAULT_QUERY_TIMEOUT_S), ("abc", DEFAULT_QUERY_TIMEOUT_S),
    ("nan", DEFAULT_QUERY_TIMEOUT_S), ("0", 0.5), ("-3", 0.5), ("1e9", 600.0), (5, 5.0),
])
def test_query_timeout_setting(value, seconds):
    assert parse_timeout(value) == seconds


def test_query_timeout_from_the_environment_then_secrets(monkeypatch, tmp_path):
    from ui.settings import query_timeout_s

    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[database]\nquery_timeout = 4\n", encoding="utf-8")
    monkeypatch.setattr(db, "SECRETS_PATH", secrets)
    monkeypatch.setenv("DASHBOARD_QUERY_TIMEOUT", "3")
    assert query_timeout_s() == 3.0
    monkeypatch.delenv("DASHBOARD_QUERY_TIMEOUT")
    assert query_timeout_s() == 4.0
    monkeypatch.setattr(db, "SECRETS_PATH", tmp_path / "absent.toml")
    assert query_timeout_s() == DEFAULT_QUERY_TIMEOUT_S


@pytest.mark.parametrize(("value", "seconds"), [
    (None, 30.0), ("3", 3.0), ("abc", 30.0), ("nan", 30.0), ("0", 1.0), ("600", 30.0),
])
def test_identity_provider_probe_ttl_is_shortened_only_within_its_bounds(monkeypatch, value,
                                                                         seconds):
    from ui.settings import idp_probe_ttl_s

    if value is None:
        monkeypatch.delenv("DASHBOARD_IDP_PROBE_TTL_S", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_IDP_PROBE_TTL_S", value)
    assert idp_probe_ttl_s() == seconds


def test_read_time():
    now = dt.datetime(2022, 11, 25, 16, 40)
    assert read_time(dt.datetime(2022, 11, 25, 9, 5), now) == "09:05"
    assert read_time(dt.datetime(2022, 11, 24, 23, 59), now) == "11月24日 23:59"
