"""`python -m data_access.check_db` and the rules of `data_access.quality`, on SQLite,
PostgreSQL and MariaDB.

The sample is clean. A copy of the sample without constraints (as a database behind views may
be) is broken with plain SQL, a few rows per kind of problem; every problem must be found with
the count that independent hand-written SQL gives, and nothing else.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import sqlalchemy as sa

from data_access import check_db, quality, schema
from tests.conftest import ROOT
from tests.scratch_db import copy_sample, relaxed_metadata, scratch_url
from tests.sqlcheck import scalar

# The sample's as-of date: every record of something that happened lies on or before it.
TODAY = dt.date(2022, 11, 25)
BACKENDS = ("sqlite", "postgresql", "mysql")

LONG_TEXT = "隐" * 401
BREAKS = (
    # required value missing (an empty text counts as missing)
    "UPDATE hidden_dangers SET measure = NULL WHERE id IN (1, 2)",
    "UPDATE hidden_dangers SET responsible_person = '  ' WHERE id = 3",
    "UPDATE accidents SET deaths = NULL WHERE id = 5",
    "UPDATE cyber_incidents SET id = NULL WHERE id = 1",
    # unknown code
    "UPDATE hidden_dangers SET level = '重大' WHERE id IN (10, 11, 12)",
    "UPDATE enterprises SET std_grade = 5 WHERE id = 7",
    # broken reference
    "UPDATE hidden_dangers SET enterprise_id = 99999 WHERE id IN (20, 21)",
    "UPDATE accidents SET unit_code = '140499' WHERE id = 30",
    "DELETE FROM key_tasks WHERE id = 3",
    "UPDATE units SET parent_code = '149999' WHERE code = 'JKQ'",
    # impossible number
    "UPDATE accidents SET deaths = -1 WHERE id IN (40, 41)",
    "UPDATE task_progress_reports SET progress_pct = 120 WHERE id = 3",
    "UPDATE resource_sites SET lat = 39.9, lon = 116.4 WHERE id = 5",
    "UPDATE hazchem_monitoring_weekly SET alarms_cleared = alarms + 1 WHERE id IN (1, 2)",
    "UPDATE resource_items SET quantity = -5 WHERE id = 9",
    # date out of range
    "UPDATE hidden_dangers SET found_on = '1900-01-01' WHERE id = 50",
    "UPDATE hidden_dangers SET closed_on = '2030-01-01' WHERE id = 51",
    "UPDATE accidents SET occurred_at = '2031-05-01 10:00:00' WHERE id = 60",
    "UPDATE targets SET year = 1999 WHERE id = 2",
    # dates in the wrong order
    "UPDATE hidden_dangers SET deadline = '2020-12-31' WHERE id = 70",
    "UPDATE hidden_dangers SET closed_on = '2020-12-31' WHERE id = 71",
    "UPDATE key_tasks SET deadline = '2021-12-31' WHERE id = 2",
    "UPDATE working_faces SET accepted_on = '2020-06-01' WHERE id = 1",
    # duplicate keys: a whole row twice, a unique code twice, a city-wide target (NULL unit
    # and sector) twice
    "INSERT INTO drills SELECT * FROM drills WHERE id = 1",
    "UPDATE hidden_dangers SET code = 'YH2021-00001' WHERE id = 80",
    "INSERT INTO targets (id, year, unit_code, sector_code, metric, direction, value, source)"
    " SELECT 1000, year, unit_code, sector_code, metric, direction, value, source"
    " FROM targets WHERE id = 1",
    # text longer than the column allows
    f"UPDATE hidden_dangers SET description = '{LONG_TEXT}' WHERE id IN (90, 91)",
)
# Hidden dangers broken by an error above (the description is only a warning).
BROKEN_HIDDEN_DANGERS = {1, 2, 3, 10, 11, 12, 20, 21, 50, 51, 70, 71, 80}


def _duplicates(table: str, columns: str) -> str:
    return (f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {table} "
            f"GROUP BY {columns} HAVING count(*) > 1) AS d")


def _orphans(table: str, column: str, target: str, key: str) -> str:
    return (f"SELECT count(*) FROM {table} AS t LEFT JOIN {target} AS r ON r.{key} = t.{column} "
            f"WHERE t.{column} IS NOT NULL AND r.{key} IS NULL")


def expected_counts(dialect: str) -> dict[str, str]:
    """Rule code → independent SQL counting its offending rows in the broken copy."""
    length = "length" if dialect == "sqlite" else "char_length"
    return {
        "required:hidden_dangers.measure":
            "SELECT count(*) FROM hidden_dangers WHERE measure IS NULL",
        "required:hidden_dangers.responsible_person":
            "SELECT count(*) FROM hidden_dangers"
            " WHERE responsible_person IS NULL OR trim(responsible_person) = ''",
        "required:accidents.deaths": "SELECT count(*) FROM accidents WHERE deaths IS NULL",
        "required:cyber_incidents.id": "SELECT count(*) FROM cyber_incidents WHERE id IS NULL",
        "unknown_code:hidden_dangers.level":
            "SELECT count(*) FROM hidden_dangers WHERE level NOT IN ('general', 'major')",
        "unknown_code:enterprises.std_grade":
            "SELECT count(*) FROM enterprises WHERE std_grade NOT IN (1, 2, 3)",
        "broken_reference:hidden_dangers.enterprise_id":
            _orphans("hidden_dangers", "enterprise_id", "enterprises", "id"),
        "broken_reference:accidents.unit_code": _orphans("accidents", "unit_code", "units", "code"),
        "broken_reference:task_progress_reports.task_id":
            _orphans("task_progress_reports", "task_id", "key_tasks", "id"),
        "broken_reference:units.parent_code": _orphans("units", "parent_code", "units", "code"),
        "impossible_number:accidents.deaths": "SELECT count(*) FROM accidents WHERE deaths < 0",
        "impossible_number:task_progress_reports.progress_pct":
            "SELECT count(*) FROM task_progress_reports"
            " WHERE progress_pct < 0 OR progress_pct > 100",
        "impossible_number:resource_sites.lat,lon":
            "SELECT count(*) FROM resource_sites"
            " WHERE lat NOT BETWEEN 35.75 AND 37.2 OR lon NOT BETWEEN 111.9 AND 113.8",
        "impossible_number:hazchem_monitoring_weekly.alarms_cleared,alarms":
            "SELECT count(*) FROM hazchem_monitoring_weekly WHERE alarms_cleared > alarms",
        "impossible_number:resource_items.quantity":
            "SELECT count(*) FROM resource_items WHERE quantity < 0",
        "date_range:hidden_dangers.found_on":
            "SELECT count(*) FROM hidden_dangers"
            " WHERE found_on < '2000-01-01' OR found_on > '2022-11-27'",
        "date_range:hidden_dangers.closed_on":
            "SELECT count(*) FROM hidden_dangers"
            " WHERE closed_on < '2000-01-01' OR closed_on > '2022-11-27'",
        "date_range:accidents.occurred_at":
            "SELECT count(*) FROM accidents"
            " WHERE occurred_at < '2000-01-01' OR occurred_at >= '2022-11-28'",
        "date_range:targets.year": "SELECT count(*) FROM targets WHERE year < 2000 OR year > 2023",
        "date_order:hidden_dangers.found_on,deadline":
            "SELECT count(*) FROM hidden_dangers WHERE deadline < found_on",
        "date_order:hidden_dangers.found_on,closed_on":
            "SELECT count(*) FROM hidden_dangers WHERE closed_on < found_on",
        "date_order:hidden_dangers.submitted_on,closed_on":
            "SELECT count(*) FROM hidden_dangers WHERE closed_on < submitted_on",
        "date_order:key_tasks.start_on,deadline":
            "SELECT count(*) FROM key_tasks WHERE deadline < start_on",
        "date_order:working_faces.planned_on,construction_started_on,self_assessed_on,"
        "applied_on,evaluated_on,accepted_on":
            "SELECT count(*) FROM working_faces WHERE construction_started_on < planned_on"
            " OR self_assessed_on < construction_started_on OR applied_on < self_assessed_on"
            " OR evaluated_on < applied_on OR accepted_on < evaluated_on",
        "duplicate_key:drills.id": _duplicates("drills", "id"),
        "duplicate_key:drills.unit_code,held_on,title":
            _duplicates("drills", "unit_code, held_on, title"),
        "duplicate_key:hidden_dangers.code": _duplicates("hidden_dangers", "code"),
        "duplicate_key:targets.year,unit_code,sector_code,metric":
            _duplicates("targets", "year, unit_code, sector_code, metric"),
        "too_long:hidden_dangers.description":
            f"SELECT count(*) FROM hidden_dangers WHERE {length}(description) > 400",
    }


@pytest.fixture(scope="module", params=BACKENDS)
def broken_url(request, sample_sqlite_url, tmp_path_factory) -> str:
    """A copy of the sample without constraints, broken by BREAKS."""
    url = scratch_url(request.param, "broken", tmp_path_factory)
    copy_sample(sample_sqlite_url, url, relaxed_metadata())
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in BREAKS:
            conn.execute(sa.text(statement))
    engine.dispose()
    return url


def _counts(results: list[check_db.TableResult]) -> dict[str, int | None]:
    return {f.code: f.count for r in results for f in r.findings}


def test_the_sample_is_clean(engine):
    url = engine.url.render_as_string(hide_password=False)
    status, report = check_db.run(url, today=TODAY)
    assert status == 0, report
    with engine.connect() as conn:
        results = check_db.check(conn, today=TODAY)
    assert all(r.kind == "table" and r.rows and not r.skipped for r in results)
    assert check_db.findings_of(results, quality.ERROR) == []
    assert _counts(results) == {}
    assert "错误 0 项" in report and "没有错误" in report


def test_every_problem_in_the_broken_copy_is_found_with_its_count(broken_url):
    engine = sa.create_engine(broken_url)
    with engine.connect() as conn:
        expected = {code: scalar(conn, sql)
                    for code, sql in expected_counts(conn.dialect.name).items()}
        results = check_db.check(conn, today=TODAY)
    engine.dispose()
    assert all(expected.values()), "a break had no effect"
    assert _counts(results) == expected
    for finding in (f for r in results for f in r.findings):
        assert 1 <= len(finding.examples) <= check_db.EXAMPLES, finding.code
    assert all(not r.skipped for r in results)


def test_the_broken_copy_fails_with_a_chinese_report(broken_url, capsys):
    assert check_db.main(["--url", broken_url]) == 1
    report = capsys.readouterr().out
    assert "■ 隐患排查治理台账 hidden_dangers(表,5,450 行)" in report
    assert "[错误] 日期先后颠倒:验收销号日期(closed_on)早于发现日期(found_on) — 1 行" in report
    assert "例:code=YH2021-00001" in report
    assert "有错误,请修正后再用于仪表板。" in report.splitlines()[-1]


def test_bad_is_never_null_and_duplicates_mark_their_rows(broken_url):
    """For every rule, rows where `bad` holds and rows where `NOT bad` holds add up to the
    table; a duplicate rule's `bad` marks exactly the rows it counts."""
    engine = sa.create_engine(broken_url)
    with engine.connect() as conn:
        for table in schema.TABLES_IN_LOAD_ORDER:
            rules = quality.rules_for(table, today=TODAY)
            stmt = sa.select(sa.func.count(), *(
                part for rule in rules for part in (
                    sa.func.count(sa.case((rule.bad, 1))),
                    sa.func.count(sa.case((sa.not_(rule.bad), 1)))))).select_from(table)
            total, *parts = conn.execute(stmt).one()
            for rule, bad, good in zip(rules, parts[::2], parts[1::2]):
                assert bad + good == total, rule.code
                if isinstance(rule, quality.DuplicateRule):
                    assert bad == conn.execute(rule.count_statement()).scalar(), rule.code
    engine.dispose()


def test_clean_rows_leaves_out_the_rows_with_errors(broken_url):
    engine = sa.create_engine(broken_url)
    hd = schema.hidden_dangers
    with engine.connect() as conn:
        total = scalar(conn, "SELECT count(*) FROM hidden_dangers")
        kept = conn.execute(sa.select(sa.func.count()).select_from(hd)
                            .where(quality.clean_rows(hd, today=TODAY))).scalar()
        kept_ids = set(conn.execute(sa.select(hd.c.id).where(
            quality.clean_rows(hd, today=TODAY, checks=("date_order",)))).scalars())
    engine.dispose()
    assert kept == total - len(BROKEN_HIDDEN_DANGERS)
    assert {70, 71} & kept_ids == set() and {1, 50, 51, 80} <= kept_ids


def _vague_drills_view(dialect: str, *, bad: bool) -> str:
    """`drills` as a view whose computed columns carry no clear type."""
    participants = "participants + 0.5" if bad else "participants * 1.0"
    held_on = "held_on"
    if dialect == "sqlite":
        held_on = "replace(held_on, '-', '/')" if bad else "held_on || ''"
    return (f"CREATE VIEW drills AS SELECT id, unit_code, {held_on} AS held_on, kind, title, "
            f"{participants} AS participants FROM drills_raw")


@pytest.mark.parametrize("backend", BACKENDS)
def test_structure_problems_are_reported_and_their_rules_skipped(
        backend, sample_sqlite_url, tmp_path_factory):
    url = scratch_url(backend, "structure", tmp_path_factory)
    metadata = relaxed_metadata(leave_out=("cyber_incidents", "hidden_dangers.congress_reported_on"),
                                retype={"accidents.deaths": sa.Text()})
    copy_sample(sample_sqlite_url, url, metadata)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE drills_raw AS SELECT * FROM drills"))
        conn.execute(sa.text("DROP TABLE drills"))
        conn.execute(sa.text(_vague_drills_view(conn.dialect.name, bad=False)))
    with engine.connect() as conn:
        results = check_db.check(conn, today=TODAY)
        by_table = {r.table.name: r for r in results}
        assert _counts(results) == {
            "missing_table:cyber_incidents": None,
            "missing_column:hidden_dangers.congress_reported_on": None,
            "wrong_type:accidents.deaths": None,
        }
        assert by_table["drills"].kind == "view" and not by_table["drills"].skipped
        # Rules on the missing column (its date range and order) and on the mistyped one
        # (required, not negative) are not run.
        assert by_table["hidden_dangers"].skipped == 2
        assert by_table["accidents"].skipped == 2
    with engine.begin() as conn:
        conn.execute(sa.text("DROP VIEW drills"))
        conn.execute(sa.text(_vague_drills_view(conn.dialect.name, bad=True)))
    with engine.connect() as conn:
        findings = _counts(check_db.check(conn, today=TODAY))
    engine.dispose()
    wrong = {code for code in findings if code.startswith("wrong_type:drills.")}
    expected = {"wrong_type:drills.participants"}
    if backend == "sqlite":
        expected.add("wrong_type:drills.held_on")
    assert wrong == expected


@pytest.mark.parametrize("category, good, bad", [
    ("integer", [3, 3.0, "12", -1], [3.5, "3.5", "x", True]),
    ("number", [3, 3.5, "3.5"], ["x", False]),
    ("text", ["x"], [3]),
    ("date", [dt.date(2022, 1, 1), "2022-01-01"], [dt.datetime(2022, 1, 1), "2022/01/01",
                                                   "20220101", "2022-02-30"]),
    ("datetime", [dt.datetime(2022, 1, 1, 8), "2022-01-01 08:00:00.000000"],
     [dt.date(2022, 1, 1), "2022-01-01"]),
    ("boolean", [True, 0, 1], [2, "yes"]),
])
def test_values_of_vague_columns(category, good, bad):
    assert all(check_db.value_fits(category, v) for v in good)
    assert not any(check_db.value_fits(category, v) for v in bad)


@pytest.mark.parametrize("url, reason", [
    ("postgresql+psycopg://dashboard:s3cret-pw@127.0.0.1:1/bureau", "无法连接数据库"),
    ("mysql+pymysql://dashboard:s3cret-pw@127.0.0.1:1/bureau", "无法连接数据库"),
    ("sqlite:////nonexistent/bureau.sqlite", "数据库文件不存在"),
    ("not a url", "数据库地址无效"),
])
def test_an_unreachable_database_exits_2_with_a_chinese_message(url, reason, capsys):
    assert check_db.main(["--url", url]) == 2
    out, err = capsys.readouterr()
    assert out == "" and reason in err
    assert "s3cret-pw" not in err and "Traceback" not in err


def test_the_command_line_exits_2_without_a_traceback():
    url = "postgresql+psycopg://dashboard:s3cret-pw@127.0.0.1:1/bureau"
    done = subprocess.run([sys.executable, "-m", "data_access.check_db", "--url", url],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "无法连接数据库 postgresql+psycopg://dashboard:***@127.0.0.1:1/bureau" in done.stderr
    assert "s3cret-pw" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_database_whose_structure_cannot_be_read_exits_2(monkeypatch, sample_sqlite_url):
    def denied(conn, *, today):
        raise sa.exc.OperationalError("SHOW CREATE TABLE", {}, Exception(
            "(1142, \"SHOW VIEW command denied to user 'dashboard_ro'\")"))
    monkeypatch.setattr(check_db, "check", denied)
    status, message = check_db.run(sample_sqlite_url, today=TODAY)
    assert status == 2
    assert message.startswith("无法读取数据库 sqlite:///") and "SHOW VIEW command denied" in message
