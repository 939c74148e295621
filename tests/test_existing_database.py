"""docs/existing-database.md, run: its SQL blocks build a legacy system and the views over it on
PostgreSQL and MariaDB; the dashboard then reads them through the read-only account.

The SQL is read out of the document itself, so the document cannot drift. Names are the
document's with the tests' own put in: the legacy database `yhpc` becomes `test_chk_legacy`,
the views' schema (PostgreSQL) or database (MariaDB) `dashboard` becomes
`test_chk_legacy_dashboard`, the account `dashboard_ro` becomes `test_chk_ro`. The legacy tables
are filled from the sample, written the legacy way (county names, old ones included; Chinese
codes; deadlines as YYYYMMDD text; a few deleted rows), and every figure is checked against
independent SQL on the legacy tables.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa

from data_access import check_db, db, own_tables, rectification, schema, scorecard
from tests.conftest import ROOT
from tests.scratch_db import recreate_database, scratch_name, server_url
from tests.sqlcheck import rows, scalar

DOC = ROOT / "docs" / "existing-database.md"
AS_OF = dt.date(2022, 11, 25)  # the sample's as-of date
PASSWORD = "change-me"  # the document's
VIEW_TABLES = ("enterprises", "hidden_dangers")

# The legacy system's way of writing things (the test's own lists, not the document's).
COUNTY_CODES = {"长治市": "140400", "潞州区": "140403", "上党区": "140404", "长治县": "140404",
                "屯留区": "140405", "潞城区": "140406", "潞城市": "140406", "襄垣县": "140423",
                "平顺县": "140425", "黎城县": "140426", "壶关县": "140427", "长子县": "140428",
                "武乡县": "140429", "沁县": "140430", "沁源县": "140431", "高新区": "140471",
                "经开区": "JKQ"}
SECTOR_NAMES = {"coal": "煤矿", "noncoal_mine": "非煤矿山", "hazchem": "危险化学品",
                "fireworks": "烟花爆竹", "construction": "建筑施工", "road_transport": "道路运输",
                "other": "其他"}
INDUSTRY_TRADE_NAMES = ("冶金", "建材", "机械", "轻工")
SOURCES = {"self_check": "企业自查", "enforcement": "执法检查", "expert": "专家服务",
           "report": "群众举报", "assigned": "上级交办"}
LEVELS = {"general": "一般", "major": "重大"}
CATEGORIES = {"equipment": "设备设施", "environment": "作业环境", "management": "安全管理",
              "behaviour": "人员行为"}
GRADES = {1: "一级", 2: "二级", 3: "三级"}
DELETED = 5  # copies of the first ledger rows, marked deleted (scbz = '1')


def sql_blocks(dialect: str) -> dict[str, str]:
    """The document's SQL blocks for `dialect` ("postgresql" or "mysql"), by step."""
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"```sql (postgresql|mysql) (\w+)\n(.*?)```", text, flags=re.S)
    return {step: sql for block_dialect, step, sql in found if block_dialect == dialect}


def statements(sql: str, names: dict[str, str]) -> list[str]:
    """The block's statements with the test's names put in."""
    named = re.sub(r"\b(yhpc|dashboard_ro|dashboard)\b", lambda m: names[m.group(1)], sql)
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", named) if s.strip()]


def execute_as_written(conn: sa.Connection, statement: str) -> None:
    """Run SQL text through the driver without parameters, so "%" is just a character."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def run_block(engine: sa.Engine, sql: str, names: dict[str, str]) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for statement in statements(sql, names):
            execute_as_written(conn, statement)


def _county(unit_names: dict[str, str], code: str, enterprise_id: int) -> str:
    """The county as the legacy system writes it: 上党区 always, and half of 潞城区, under
    their names from before 2018."""
    if code == "140404":
        return "长治县"
    if code == "140406" and enterprise_id % 2:
        return "潞城市"
    return unit_names[code]


def _state(row) -> str:
    if row.closed_on:
        return "已销号"
    if row.submitted_on:
        return "待验收"
    return "整改中" if row.rectify_started_on else "待整改"


def legacy_rows(sample_url: str) -> tuple[list[dict], list[dict]]:
    """The sample's enterprises and hidden dangers as rows of qy_jbxx and yh_tz."""
    engine = sa.create_engine(sample_url)
    with engine.connect() as conn:
        unit_names = dict(conn.execute(sa.select(schema.units.c.code, schema.units.c.name)).all())
        firms = conn.execute(sa.select(schema.enterprises)).all()
        ledger = conn.execute(sa.select(schema.hidden_dangers).order_by(
            schema.hidden_dangers.c.id)).all()
    engine.dispose()
    qy = [{
        "qyid": f.id, "qymc": f.name, "ssqx": _county(unit_names, f.unit_code, f.id),
        "hylb": SECTOR_NAMES.get(f.sector_code,
                                 INDUSTRY_TRADE_NAMES[f.id % len(INDUSTRY_TRADE_NAMES)]),
        "jd": Decimal(str(f.lon)), "wd": Decimal(str(f.lat)), "bzhdj": GRADES.get(f.std_grade),
        "sfzdwxy": "是" if f.has_major_hazard else "否", "sfwhqy": "是" if f.is_hazchem else "否",
    } for f in firms]
    yh = [{
        "yhid": h.id, "yhbh": h.code, "qyid": h.enterprise_id,
        "fxsj": dt.datetime.combine(h.found_on, dt.time(9, 30)), "yhly": SOURCES[h.source],
        "yhdj": LEVELS[h.level], "yhlx": CATEGORIES[h.category], "yhms": h.description,
        "zgcs": h.measure, "zgzrr": h.responsible_person, "zgqx": h.deadline.strftime("%Y%m%d"),
        "kszgrq": h.rectify_started_on, "sqysrq": h.submitted_on, "zt": _state(h),
        "xhrq": h.closed_on, "ysr": h.accepted_by, "bjgrq": h.regulator_reported_on,
        "bzdhrq": h.congress_reported_on, "scbz": "0",
    } for h in ledger]
    deleted = [{**row, "yhid": 900000 + row["yhid"], "yhbh": f"SC{row['yhbh']}",
                "fxsj": dt.datetime(2022, 6, 1, 10), "scbz": "1"} for row in yh[:DELETED]]
    return qy, yh + deleted


def _insert(engine: sa.Engine, table: str, values: list[dict]) -> None:
    columns = list(values[0])
    stmt = sa.text(f"INSERT INTO {table} ({', '.join(columns)}) "
                   f"VALUES ({', '.join(':' + c for c in columns)})")
    with engine.begin() as conn:
        conn.execute(stmt, values)


def _csv_dir_without_views(tmp_path_factory):
    """The sample's files, except those of the tables the views provide."""
    directory = tmp_path_factory.mktemp("dashboard-csv")
    for path in db.SAMPLE_CSV_DIR.glob("*.csv"):
        if path.stem not in VIEW_TABLES:
            shutil.copy(path, directory / path.name)
    return directory


@dataclass(frozen=True)
class Legacy:
    """The built database: an admin engine that reads the legacy tables (`prefix` qualifies
    their names), the owner's URL of the views' schema, the read-only account's URL."""

    admin: sa.Engine
    prefix: str
    owner_url: str
    readonly_url: str

    def sql(self, text: str) -> str:
        return re.sub(r"\b(yh_tz|qy_jbxx)\b", lambda m: self.prefix + m.group(1), text)


def _reset_server(backend: str, names: dict[str, str]) -> None:
    """Drop what an earlier run left outside the legacy database: the account, and on MariaDB
    the views' database."""
    engine = sa.create_engine(server_url(backend), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        quote = conn.dialect.identifier_preparer.quote
        if backend == "postgresql":
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {quote(names['dashboard_ro'])}")
        else:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(names['dashboard'])}")
            execute_as_written(conn, f"DROP USER IF EXISTS '{names['dashboard_ro']}'@'%'")
    engine.dispose()


@pytest.fixture(scope="module", params=["postgresql", "mysql"])
def legacy(request, sample_sqlite_url, tmp_path_factory):
    backend = request.param
    legacy_db = scratch_name(backend, "legacy")
    names = {"yhpc": legacy_db, "dashboard": f"{legacy_db}_dashboard",
             "dashboard_ro": f"{server_url(backend).database}_ro"}
    blocks = sql_blocks(backend)
    legacy_url = recreate_database(backend, legacy_db)
    _reset_server(backend, names)
    if backend == "postgresql":
        # One database; the views' schema comes first on the owner's search path.
        admin, prefix = sa.create_engine(legacy_url), ""
        owner = legacy_url.update_query_dict({"options": f"-csearch_path={names['dashboard']}"})
        readonly = legacy_url
    else:
        # Two databases on one server; the admin qualifies the legacy tables.
        admin, prefix = sa.create_engine(server_url(backend)), f"{legacy_db}."
        owner = readonly = server_url(backend).set(database=names["dashboard"])
    readonly = readonly.set(username=names["dashboard_ro"], password=PASSWORD)
    built = Legacy(admin, prefix, owner.render_as_string(hide_password=False),
                   readonly.render_as_string(hide_password=False))

    run_block(admin, blocks["legacy"], names)
    qy, yh = legacy_rows(sample_sqlite_url)
    _insert(admin, built.sql("qy_jbxx"), qy)
    _insert(admin, built.sql("yh_tz"), yh)
    run_block(admin, blocks["views"], names)
    csv_dir = _csv_dir_without_views(tmp_path_factory)
    assert own_tables.main(["--url", built.owner_url, "--csv-dir", str(csv_dir)]) == 0
    run_block(admin, blocks["grants"], names)
    yield built
    admin.dispose()


@pytest.fixture
def readonly(legacy):
    engine = db.create_bureau_engine(legacy.readonly_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def test_the_document_has_every_block():
    for dialect in ("postgresql", "mysql"):
        assert set(sql_blocks(dialect)) == {"legacy", "views", "grants"}, dialect


def test_check_db_reports_the_views_clean(legacy, readonly):
    results = check_db.check(readonly, today=AS_OF)
    kinds = {r.table.name: r.kind for r in results}
    assert {name for name, kind in kinds.items() if kind == "view"} == set(VIEW_TABLES)
    assert all(kinds.values()) and all(not r.skipped for r in results)
    assert [f.code for r in results for f in r.findings] == []
    assert check_db.run(legacy.readonly_url, today=AS_OF)[0] == 0


def test_the_account_reads_only_the_dashboard_schema(legacy, readonly):
    qualified = legacy.prefix or "public."
    with pytest.raises(sa.exc.DBAPIError):
        readonly.exec_driver_sql(f"SELECT count(*) FROM {qualified}yh_tz")


def _live(legacy: Legacy, where: str = "") -> str:
    return legacy.sql("SELECT count(*) FROM yh_tz WHERE scbz = '0' AND fxsj >= '2022-01-01' "
                      f"AND fxsj < '2022-11-26' {where}")


CLOSED = "zt = '已销号' AND xhrq IS NOT NULL AND xhrq <= '2022-11-25'"
DOUBLE_REPORTED = ("bjgrq IS NOT NULL AND bjgrq <= '2022-11-25' "
                   "AND bzdhrq IS NOT NULL AND bzdhrq <= '2022-11-25'")


def test_hidden_danger_figures_match_the_legacy_ledger(legacy, readonly, sample_conn):
    figures = rectification.summarize_hidden_dangers(readonly, as_of=AS_OF).iloc[0].to_dict()
    with legacy.admin.connect() as conn:
        expected = {
            "found": scalar(conn, _live(legacy)),
            "closed": scalar(conn, _live(legacy, f"AND {CLOSED}")),
            "open": scalar(conn, _live(legacy, f"AND NOT ({CLOSED})")),
            "overdue": scalar(conn, _live(legacy, f"AND NOT ({CLOSED}) AND zgqx < '20221125'")),
            "major": scalar(conn, _live(legacy, "AND yhdj = '重大'")),
            "major_open": scalar(conn, _live(legacy, f"AND yhdj = '重大' AND NOT ({CLOSED})")),
            "major_open_not_double_reported": scalar(conn, _live(
                legacy, f"AND yhdj = '重大' AND NOT ({CLOSED}) AND NOT ({DOUBLE_REPORTED})")),
        }
    assert figures == expected
    assert expected["found"] and expected["overdue"] and expected["major_open"]
    # The legacy rows were written from the sample, so the sample shows the same figures.
    assert rectification.summarize_hidden_dangers(sample_conn, as_of=AS_OF).iloc[0].to_dict() \
        == expected


def test_figures_by_unit_and_month_match_the_legacy_ledger(legacy, readonly):
    by_unit = rectification.summarize_hidden_dangers(readonly, as_of=AS_OF, by="unit_code")
    by_month = rectification.count_hidden_dangers_by_month(readonly, as_of=AS_OF)
    with legacy.admin.connect() as conn:
        per_county = rows(conn, legacy.sql(
            "SELECT q.ssqx, count(*) FROM yh_tz AS y JOIN qy_jbxx AS q ON q.qyid = y.qyid "
            "WHERE y.scbz = '0' AND y.fxsj >= '2022-01-01' AND y.fxsj < '2022-11-26' "
            "GROUP BY q.ssqx"))
        per_month = rows(conn, legacy.sql(
            "SELECT EXTRACT(MONTH FROM fxsj) AS m, count(*) FROM yh_tz WHERE scbz = '0' "
            "AND fxsj >= '2022-01-01' AND fxsj < '2022-11-26' GROUP BY EXTRACT(MONTH FROM fxsj)"))
    expected_units: dict[str, int] = {}
    for county, found in per_county:
        code = COUNTY_CODES[county]
        expected_units[code] = expected_units.get(code, 0) + found
    assert dict(zip(by_unit["unit_code"], by_unit["found"])) == expected_units
    assert {int(m): n for m, n in per_month} == {
        m: n for m, n in zip(by_month["month"], by_month["found"]) if n}


def test_the_overdue_list_names_the_legacy_enterprises(legacy, readonly):
    listed = rectification.list_hidden_dangers(readonly, as_of=AS_OF, scope="overdue")
    with legacy.admin.connect() as conn:
        expected = rows(conn, legacy.sql(
            "SELECT y.yhbh, q.qymc FROM yh_tz AS y JOIN qy_jbxx AS q ON q.qyid = y.qyid "
            "WHERE y.scbz = '0' AND y.fxsj >= '2022-01-01' AND y.fxsj < '2022-11-26' "
            f"AND NOT ({CLOSED}) AND y.zgqx < '20221125'"))
    assert sorted(zip(listed["code"], listed["enterprise"])) == sorted(expected)


def test_standardization_matches_the_legacy_enterprises(legacy, readonly):
    measured = scorecard.measure_standardization(readonly)
    with legacy.admin.connect() as conn:
        expected = {
            "enterprises": scalar(conn, legacy.sql("SELECT count(*) FROM qy_jbxx")),
            "met": scalar(conn, legacy.sql(
                "SELECT count(*) FROM qy_jbxx WHERE bzhdj IN ('一级', '二级') OR (bzhdj = '三级' "
                "AND hylb NOT IN ('煤矿', '非煤矿山') AND sfzdwxy = '否')")),
        }
    assert measured == expected


def test_own_tables_refuses_a_file_for_a_view(legacy, tmp_path, capsys):
    (tmp_path / "hidden_dangers.csv").write_text("id\n", encoding="utf-8")
    assert own_tables.main(["--url", legacy.owner_url, "--csv-dir", str(tmp_path)]) == 1
    assert "hidden_dangers.csv" in capsys.readouterr().err
