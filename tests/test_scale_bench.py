"""bench/scale.py builds a scaled copy of the sample database with the rows it promises, and
the data functions read it the same way hand-written SQL does."""

import datetime as dt
import importlib.util
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import rectification, rollups, schema, weekly
from tests import sqlcheck

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCALE = BENCH / "scale.py"
AS_OF = dt.date(2022, 11, 25)


def _bench_module(path: Path = SCALE):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _scale_module():
    return _bench_module(SCALE)


def test_builds_scaled_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'scale.sqlite'}"
    scale = _scale_module()
    scale.CHUNK_ROWS = 1_000  # three chunks of generated rows, as 20M rows would be made
    counts = scale.build(url, hidden_dangers=3000, accidents=200, faces=7)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        sample_hd = sqlcheck.scalar(conn, "SELECT count(*) FROM hidden_dangers "
                                          "WHERE code NOT LIKE 'SYN%'")
        assert counts["hidden_dangers"] == sample_hd + 3000
        assert sqlcheck.scalar(conn, "SELECT count(*) FROM hidden_dangers "
                                     "WHERE code LIKE 'SYN%'") == 3000
        assert sqlcheck.scalar(conn, "SELECT count(DISTINCT code) FROM hidden_dangers") \
            == counts["hidden_dangers"]
        # Dates in order and never after the data's as-of date; a realistic open share.
        assert sqlcheck.scalar(conn, """
            SELECT count(*) FROM hidden_dangers WHERE found_on > :d OR closed_on > :d
               OR closed_on < found_on OR deadline < found_on
               OR (closed_on IS NOT NULL AND accepted_by IS NULL)""", d=AS_OF) == 0
        open_now = sqlcheck.scalar(conn, "SELECT count(*) FROM hidden_dangers "
                                         "WHERE code LIKE 'SYN%' AND closed_on IS NULL")
        assert 30 < open_now < 600
        assert sqlcheck.scalar(conn, "SELECT count(*) FROM accidents") == counts["accidents"]
        assert sqlcheck.scalar(conn, "SELECT count(*) FROM working_faces WHERE code LIKE "
                                     "'SYN-GZM-%'") == 7
        assert sqlcheck.scalar(conn, "SELECT count(DISTINCT code) FROM working_faces") == \
            counts["working_faces"]
        # The ledger's counts were made for the synthetic rows: the pages read them.
        assert rollups.fresh(conn)
        # Every unit that has enterprises gets synthetic rows.
        assert sqlcheck.scalar(conn, "SELECT count(DISTINCT unit_code) FROM enterprises") == \
            sqlcheck.scalar(conn, "SELECT count(DISTINCT unit_code) FROM hidden_dangers "
                                  "WHERE code LIKE 'SYN%'")

        by_month = rectification.count_hidden_dangers_by_month(conn, as_of=AS_OF)
        assert by_month["found"].sum() == sqlcheck.scalar(
            conn, "SELECT count(*) FROM hidden_dangers WHERE found_on BETWEEN :a AND :b",
            a=dt.date(2022, 1, 1), b=AS_OF)
        assert by_month.loc[by_month["month"] == 3, "closed"].item() == sqlcheck.scalar(
            conn, "SELECT count(*) FROM hidden_dangers WHERE closed_on BETWEEN :a AND :b",
            a=dt.date(2022, 3, 1), b=dt.date(2022, 3, 31))
        since = dt.date(2022, 11, 18)
        changes = weekly.count_hazard_changes(conn, since=since, as_of=AS_OF)
        assert changes["major_closed"] == sqlcheck.scalar(
            conn, "SELECT count(*) FROM hidden_dangers WHERE level = 'major' "
                  "AND closed_on > :s AND closed_on <= :d", s=since, d=AS_OF)
    engine.dispose()


@pytest.mark.parametrize("as_of", [None, "2022-06-30"])
def test_drill_list_bench_lists_the_same_rows_read_either_way(tmp_path, monkeypatch, capsys,
                                                              as_of):
    """bench/lists.py times each list as read and by the deadline walk: on a scaled copy the
    two list the same rows for every scope, at the latest day and an earlier one."""
    url = f"sqlite:///{tmp_path / 'scale.sqlite'}"
    _scale_module().build(url, hidden_dangers=3000, accidents=0, faces=0)
    argv = ["lists.py", "--url", url, "--repeat", "1", *(["--as-of", as_of] if as_of else [])]
    monkeypatch.setattr("sys.argv", argv)
    _bench_module(BENCH / "lists.py").main()
    lines = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    assert set(lines) == set(rectification.HAZARD_SCOPES)
    assert {fields[-1] for fields in lines.values()} == {"yes"}
    assert all(int(fields[3]) > 0 for fields in lines.values())


def test_scaled_sites_copy_the_sample_sites_with_their_items_and_checks(tmp_path):
    url = f"sqlite:///{tmp_path / 'sites.sqlite'}"
    counts = _scale_module().build(url, hidden_dangers=0, accidents=0, sites=300)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        synthetic = "FROM resource_sites WHERE code LIKE 'SYN-ZY-%'"
        assert sqlcheck.scalar(conn, f"SELECT count(*) {synthetic}") == 300
        assert counts["resource_sites"] == sqlcheck.scalar(
            conn, "SELECT count(*) FROM resource_sites")
        # Each copy holds exactly its original's inventory and checks (matched by name).
        for table in ("resource_items", "resource_checks"):
            assert sqlcheck.scalar(conn, f"""
                SELECT count(*) FROM resource_sites c JOIN resource_sites o
                  ON c.name LIKE o.name || '(规模测试%' AND o.code NOT LIKE 'SYN%'
                 WHERE (SELECT count(*) FROM {table} t WHERE t.site_id = c.id)
                    <> (SELECT count(*) FROM {table} t WHERE t.site_id = o.id)""") == 0
        assert sqlcheck.scalar(conn, f"SELECT count(DISTINCT code) {synthetic}") == 300
        assert sqlcheck.scalar(conn, "SELECT count(DISTINCT kind) FROM resource_sites "
                                     "WHERE code LIKE 'SYN-ZY-%'") == 4
    engine.dispose()


def test_mariadb_keeps_the_indexes_its_foreign_keys_need():
    scale = _scale_module()
    names = {i.name for i in scale.droppable_indexes(_Dialect("mariadb"),
                                                     scale.schema.hidden_dangers)}
    assert "ix_hd_unit_cover" not in names and "ix_hd_found_cover" in names
    assert {i.name for i in scale.droppable_indexes(_Dialect("sqlite"),
                                                    scale.schema.hidden_dangers)} \
        >= {"ix_hd_unit_cover", "ix_hd_found_cover"}


@pytest.mark.skipif(not os.environ.get("TEST_MYSQL_URL"), reason="TEST_MYSQL_URL not set")
def test_builds_on_mariadb():
    url = os.environ["TEST_MYSQL_URL"]
    counts = _scale_module().build(url, hidden_dangers=2000, accidents=100, sites=50)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert counts["hidden_dangers"] == sqlcheck.scalar(
            conn, "SELECT count(*) FROM hidden_dangers")
        assert sqlcheck.scalar(conn, "SELECT count(*) FROM hidden_dangers "
                                     "WHERE code LIKE 'SYN%'") == 2000
        assert sqlcheck.scalar(conn, "SELECT count(*) FROM resource_sites "
                                     "WHERE code LIKE 'SYN-ZY-%'") == 50
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("hidden_dangers")}
        assert {i.name for i in schema.hidden_dangers.indexes} <= indexes
    engine.dispose()


class _Dialect:
    """Stands in for a connection: `droppable_indexes` reads only its dialect's name."""

    def __init__(self, name: str) -> None:
        self.dialect = type("D", (), {"name": name})()
