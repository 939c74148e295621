"""Schema migrations on SQLite, PostgreSQL and MariaDB: the revisions build exactly what
schema.py declares, databases made the old way are adopted, the app's state check tells behind,
current, ahead and missing columns apart, and the app says so in Chinese."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic import command
from streamlit.testing.v1 import AppTest

from data_access import catalog, db, loader, schema, versioning
from tests.conftest import BACKENDS, ROOT, clear_database, load_sample, server_url
from tests.sqlcheck import scalar
from ui.labels import MESSAGES

COVERING = ("ix_hd_found_cover", "ix_hd_unit_cover", "ix_hd_closed_cover")
# The hidden-danger indexes before the covering ones (docs/performance.md).
NARROW = {"ix_hd_found_on": ("found_on",), "ix_hd_unit_found": ("unit_code", "found_on"),
          "ix_hd_sector_found": ("sector_code", "found_on"), "ix_hd_open": ("closed_on", "deadline")}
FUTURE = "0099_from_a_newer_program"


@pytest.fixture(scope="module", params=list(BACKENDS))
def server(request, tmp_path_factory):
    """An engine on each backend's test database. The servers' get the sample back at the end,
    as the other modules expect."""
    variable = BACKENDS[request.param]
    if variable is None:
        engine = sa.create_engine(f"sqlite:///{tmp_path_factory.mktemp('mig') / 'm.sqlite'}")
        yield engine
    else:
        engine = db.create_bureau_engine(server_url(variable))
        yield engine
        load_sample(engine)
    engine.dispose()


@pytest.fixture
def empty(server):
    """The backend's test database with nothing in it."""
    clear_database(server)
    return server


def _config(conn: sa.Connection):
    return versioning.alembic_config(conn)


def _state(engine: sa.Engine) -> versioning.SchemaState:
    with engine.connect() as conn:
        return versioning.get_schema_state(conn)


def _differences(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        return versioning.list_differences(conn)


def _hd_indexes(engine: sa.Engine) -> set[str]:
    return {i["name"] for i in sa.inspect(engine).get_indexes("hidden_dangers")}


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        present = catalog.relation_names(conn)
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in schema.TABLES_IN_LOAD_ORDER if t.name in present}


def _old_release(engine: sa.Engine, indexes: str, *, with_rows: bool = False) -> None:
    """A database as the release before the migrations made it: the baseline's tables (no
    version table) with the hidden-danger indexes of that time: "covering" (the last release's),
    "none", or "narrow" (the four before the covering ones); `with_rows` loads the sample's
    rows in that release's shape (each site's latest stock check in last_checked_on)."""
    with engine.begin() as conn:
        command.upgrade(_config(conn), versioning.BASELINE)
        conn.execute(sa.text(f"DROP TABLE {versioning.VERSION_TABLE}"))
        old = sa.MetaData()
        old.reflect(conn)
        hidden_dangers = old.tables["hidden_dangers"]
        added = {"covering": {i.name: i.columns.keys() for i in schema.hidden_dangers.indexes
                              if i.name in COVERING},
                 "narrow": NARROW}.get(indexes, {})
        for name, columns in added.items():
            sa.Index(name, *(hidden_dangers.c[c] for c in columns)).create(conn)
        if with_rows:
            _load_old_rows(conn, old)


def _load_old_rows(conn: sa.Connection, old: sa.MetaData) -> None:
    checks: dict[str, str] = {}
    with (db.SAMPLE_CSV_DIR / "resource_checks.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            checks[row["site_id"]] = max(checks.get(row["site_id"], ""), row["checked_on"])
    for table in schema.TABLES_IN_LOAD_ORDER:
        if table.name not in old.tables:
            continue
        target = old.tables[table.name]
        with (db.SAMPLE_CSV_DIR / f"{table.name}.csv").open(encoding="utf-8") as handle:
            records = list(csv.DictReader(handle))
        if table.name == "resource_sites":
            for record in records:
                record["last_checked_on"] = checks.get(record["id"], "")
        converted = loader.convert_rows(table if table.name != "resource_sites" else target,
                                        ({k: v for k, v in r.items() if k in target.c}
                                         for r in records))
        conn.execute(target.insert(), list(converted))


def _extended_statistics(engine: sa.Engine) -> set[str]:
    """PostgreSQL's extended statistics objects (none elsewhere)."""
    if engine.dialect.name != "postgresql":
        return set()
    with engine.connect() as conn:
        return set(conn.execute(sa.text("SELECT stxname FROM pg_statistic_ext")).scalars())


def test_upgrade_from_empty_builds_exactly_the_declared_schema(empty):
    assert versioning.upgrade_database(empty) == versioning.head_revision()
    assert _differences(empty) == []
    assert set(COVERING) | {"ix_hd_open_list"} <= _hd_indexes(empty)
    assert _extended_statistics(empty) == (
        {"st_hd_level_closed"} if empty.dialect.name == "postgresql" else set())
    state = _state(empty)
    assert state.status == versioning.CURRENT and state.ok


@pytest.mark.parametrize("indexes", ["covering", "none", "narrow"])
def test_database_made_by_the_last_release_is_adopted_and_keeps_its_rows(empty, indexes):
    _old_release(empty, indexes, with_rows=True)
    before = _counts(empty)
    with empty.connect() as conn:
        checked = scalar(conn, "SELECT COUNT(*) FROM resource_sites WHERE last_checked_on "
                               "IS NOT NULL")
    assert _state(empty).status == versioning.UNVERSIONED
    versioning.upgrade_database(empty)
    assert _state(empty).status == versioning.CURRENT
    assert _differences(empty) == []
    assert set(COVERING) <= _hd_indexes(empty) and not set(NARROW) & _hd_indexes(empty)
    after = _counts(empty)
    assert {t: n for t, n in after.items() if t in before} == before
    with empty.connect() as conn:
        # Each site's one known check is its first logged check; every row got its number.
        assert after["resource_checks"] == checked
        assert scalar(conn, "SELECT COUNT(*) FROM accidents WHERE code = "
                            "(SELECT 'SG-' || CAST(MIN(id) AS CHAR(12)) FROM accidents)"
                      if empty.dialect.name != "mysql" else
                      "SELECT COUNT(*) FROM accidents WHERE code = "
                      "(SELECT CONCAT('SG-', MIN(id)) FROM accidents a)") == 1


def test_every_revision_downgrades_and_upgrades_again(empty):
    """MariaDB refuses to drop an index a foreign key relies on (error 1553); the covering
    indexes' downgrade gives unit_code its own index first, and the upgrade removes it again."""
    versioning.upgrade_database(empty)
    with empty.begin() as conn:
        command.downgrade(_config(conn), versioning.BASELINE)
    assert not set(COVERING) & _hd_indexes(empty) and not _extended_statistics(empty)
    assert _state(empty).status == versioning.BEHIND
    versioning.upgrade_database(empty)
    assert _differences(empty) == []


def _relations(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return catalog.relation_names(conn)


def test_a_partial_database_is_refused_and_left_as_it_is(empty):
    schema.metadata.create_all(empty, tables=[schema.units, schema.sectors])
    with pytest.raises(versioning.MigrationError) as caught:
        versioning.upgrade_database(empty)
    assert "缺少数据表" in str(caught.value) and "hidden_dangers" in str(caught.value)
    assert _relations(empty) == {"units", "sectors"}


def test_baseline_without_a_column_is_refused_naming_it(empty):
    _old_release(empty, "none")
    with empty.begin() as conn:
        conn.execute(sa.text("ALTER TABLE accidents DROP COLUMN summary"))
    with pytest.raises(versioning.MigrationError) as caught:
        versioning.upgrade_database(empty)
    assert "accidents(summary)" in str(caught.value)
    assert versioning.VERSION_TABLE not in _relations(empty)


def test_schema_state_behind_current_ahead_and_unversioned(empty):
    state = _state(empty)
    assert state.status == versioning.UNVERSIONED
    assert state.missing_tables == catalog.REQUIRED_TABLES and not state.ok
    with empty.begin() as conn:
        command.upgrade(_config(conn), versioning.BASELINE)
    state = _state(empty)
    assert (state.status, state.revision) == (versioning.BEHIND, versioning.BASELINE)
    assert not state.ok
    versioning.upgrade_database(empty)
    state = _state(empty)
    assert (state.status, state.revision, state.ok) == \
        (versioning.CURRENT, versioning.head_revision(), True)
    version = sa.table(versioning.VERSION_TABLE, sa.column("version_num"))
    with empty.begin() as conn:
        conn.execute(version.update().values(version_num=FUTURE))
    state = _state(empty)
    assert (state.status, state.revision, state.ok) == (versioning.AHEAD, FUTURE, False)
    with empty.begin() as conn:
        conn.execute(version.delete())
    assert _state(empty).status == versioning.BEHIND and _state(empty).revision is None


def test_views_count_as_tables_and_their_missing_columns_are_named(empty):
    """A read-only bureau database: the dashboard's tables are views over the bureau's own."""
    versioning.upgrade_database(empty)
    hd = schema.hidden_dangers
    kept = [c.name for c in hd.columns if c.name != "congress_reported_on"]
    with empty.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE {versioning.VERSION_TABLE}"))
        conn.execute(sa.text("ALTER TABLE hidden_dangers RENAME TO bureau_hd"))
        conn.execute(sa.text(f"CREATE VIEW hidden_dangers AS SELECT {', '.join(kept)} "
                             "FROM bureau_hd"))
    state = _state(empty)
    assert state.status == versioning.UNVERSIONED and not state.missing_tables
    assert dict(state.missing_columns) == {"hidden_dangers": ("congress_reported_on",)}
    assert not state.ok
    with empty.connect() as conn:
        assert "hidden_dangers" not in catalog.check_database(conn).missing_tables
    with pytest.raises(versioning.MigrationError) as caught:
        versioning.upgrade_database(empty)
    assert "视图" in str(caught.value)
    with empty.begin() as conn:
        conn.execute(sa.text("DROP VIEW hidden_dangers"))
        conn.execute(sa.text("CREATE VIEW hidden_dangers AS SELECT * FROM bureau_hd"))
    assert _state(empty).ok


def _migrate_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "data_access.migrate", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_migrate_command_upgrades_reports_and_checks(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = sa.create_engine(url)
    _old_release(engine, "none")
    checked = _migrate_cli("--url", url, "check")
    assert checked.returncode == 1 and "没有版本记录" in checked.stdout
    upgraded = _migrate_cli("--url", url, "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert versioning.head_revision() in upgraded.stdout
    checked = _migrate_cli("--url", url, "check")
    assert checked.returncode == 0 and "最新版本" in checked.stdout
    with engine.begin() as conn:
        command.downgrade(_config(conn), versioning.BASELINE)
    engine.dispose()
    current = _migrate_cli("--url", url, "current")
    assert current.returncode == 0 and "make migrate" in current.stdout
    assert _migrate_cli("--url", url, "check").returncode == 1


def test_migrate_command_hides_the_password_and_the_traceback():
    result = _migrate_cli("--url", "postgresql+psycopg://bureau:s3cret@127.0.0.1:1/none",
                          "current")
    assert result.returncode == 1
    assert "数据库操作失败" in result.stderr
    assert "s3cret" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _copy_of_sample(sample_sqlite_path, tmp_path, name: str = "copy.sqlite") -> sa.Engine:
    path = tmp_path / name
    path.write_bytes(sample_sqlite_path.read_bytes())
    return sa.create_engine(f"sqlite:///{path}")


def _run_app(monkeypatch, url: str) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def test_app_on_a_database_one_revision_behind_says_run_make_migrate(
        monkeypatch, tmp_path, sample_sqlite_path):
    engine = _copy_of_sample(sample_sqlite_path, tmp_path)
    with engine.begin() as conn:
        command.downgrade(_config(conn), "-1")
    engine.dispose()
    at = _run_app(monkeypatch, str(engine.url))
    assert not at.exception
    with engine.connect() as conn:
        behind = versioning.get_schema_state(conn).revision
    assert behind != versioning.head_revision()
    assert [e.value for e in at.error] == [MESSAGES["schema_behind"].format(
        revision=behind, head=versioning.head_revision())]
    assert "make migrate DATABASE_URL=<数据库地址>" in at.error[0].value
    assert str(tmp_path) not in at.error[0].value


def test_app_on_a_database_from_a_newer_program_says_upgrade_the_program(
        monkeypatch, tmp_path, sample_sqlite_path):
    engine = _copy_of_sample(sample_sqlite_path, tmp_path)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    engine.dispose()
    at = _run_app(monkeypatch, str(engine.url))
    assert not at.exception
    assert len(at.error) == 1 and "请升级本程序" in at.error[0].value


def test_app_on_views_without_a_column_names_table_and_column(
        monkeypatch, tmp_path, sample_sqlite_path):
    engine = _copy_of_sample(sample_sqlite_path, tmp_path)
    kept = [c.name for c in schema.hidden_dangers.columns if c.name != "closed_on"]
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
        conn.execute(sa.text("ALTER TABLE hidden_dangers RENAME TO bureau_hd"))
        conn.execute(sa.text(f"CREATE VIEW hidden_dangers AS SELECT {', '.join(kept)} "
                             "FROM bureau_hd"))
    engine.dispose()
    at = _run_app(monkeypatch, str(engine.url))
    assert not at.exception
    assert len(at.error) == 1
    assert "隐患台账 hidden_dangers:closed_on" in at.error[0].value


def test_app_reads_a_read_only_database(monkeypatch, tmp_path, sample_sqlite_path):
    """Start-up creates, alters and inserts nothing: a read-only connection is enough, with
    or without a version table."""
    engine = _copy_of_sample(sample_sqlite_path, tmp_path)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
    engine.dispose()
    at = _run_app(monkeypatch, f"sqlite:///file:{engine.url.database}?mode=ro&uri=true")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.metric
