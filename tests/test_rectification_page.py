"""AppTest of the 专项整治 page: every number it shows is compared with hand-written SQL on the
same (SQLite sample) database, at the default as-of date and at an earlier one."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import numpy as np
import pytest

from tests.conftest import metric_values, open_page, shown
from tests.sqlcheck import rows, scalar
from ui.format import count, pct

DEFAULT = dt.date(2022, 11, 25)
EARLIER = dt.date(2022, 6, 30)

# The latest progress reported on or before :as_of (0 when none), and whether a 100% report was
# made by then.
LATEST = ("COALESCE((SELECT r.progress_pct FROM task_progress_reports r WHERE r.task_id = k.id "
          "AND r.reported_on <= :as_of ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0)")
DONE = ("EXISTS (SELECT 1 FROM task_progress_reports r WHERE r.task_id = k.id "
        "AND r.reported_on <= :as_of AND r.progress_pct >= 100)")
DONE_ON = ("(SELECT MIN(r.reported_on) FROM task_progress_reports r WHERE r.task_id = k.id "
           "AND r.progress_pct >= 100 AND r.reported_on <= :as_of)")
TASK_SQL = {
    "已完成": DONE,
    "逾期": f"NOT {DONE} AND k.deadline < :as_of",
    "未启动": f"NOT {DONE} AND k.deadline >= :as_of AND {LATEST} = 0",
    "推进中": f"NOT {DONE} AND k.deadline >= :as_of AND {LATEST} > 0",
    # 临期: due within 14 days and latest progress below the elapsed share of start → deadline
    "临期": f"NOT {DONE} AND k.deadline >= :as_of AND k.deadline <= :in14 AND "
            f"{LATEST} * (julianday(k.deadline) - julianday(k.start_on)) < "
            "100 * MAX(0, julianday(:as_of) - julianday(k.start_on))",
}
OPEN = "(closed_on IS NULL OR closed_on > :as_of)"
THIS_YEAR = "found_on >= :start AND found_on <= :as_of"


# The ledger's tab, opened by its URL parameter (only the open tab runs).
HAZARD_TAB = {"rectification.tab": "隐患排查治理"}


def task_count(conn, condition: str, as_of: dt.date, previous: dt.date | None = None) -> int:
    return scalar(conn, f"SELECT COUNT(*) FROM key_tasks k WHERE k.year = :year AND {condition}",
                  **_params(condition, as_of, previous))


def task_codes(conn, condition: str, as_of: dt.date, previous: dt.date | None = None) -> set[str]:
    return {r[0] for r in rows(conn, f"SELECT k.code FROM key_tasks k WHERE k.year = :year "
                                     f"AND {condition}", **_params(condition, as_of, previous))}


def _params(sql: str, as_of: dt.date, previous: dt.date | None) -> dict:
    values = {"as_of": as_of, "year": as_of.year, "in14": as_of + dt.timedelta(days=14),
              "previous": previous, "start": dt.date(as_of.year, 1, 1)}
    return {k: v for k, v in values.items() if k == "year" or re.search(rf":{k}\b", sql)}


def hazard_count(conn, where: str, as_of: dt.date, unit: str | None) -> int:
    where += "" if unit is None else " AND unit_code = :unit"
    params = _params(where, as_of, None) | ({} if unit is None else {"unit": unit})
    params.pop("year")
    return scalar(conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {where}", **params)


def query_params(as_of: dt.date, unit: str | None) -> dict[str, str]:
    return {"as_of": as_of.isoformat(), **({} if unit is None else {"unit": unit})}


@pytest.mark.parametrize(("as_of", "unit"), [(DEFAULT, None), (EARLIER, None),
                                             (DEFAULT, "140431"), (EARLIER, "140423")])
def test_headline_figures_match_sql(app, sample_conn, as_of, unit):
    at = open_page(app, "rectification", **query_params(as_of, unit))
    shown = metric_values(at)
    # key tasks: city-wide, whatever the unit
    for label, condition in TASK_SQL.items():
        assert shown[label] == count(task_count(sample_conn, condition, as_of), "项"), label
    found = hazard_count(sample_conn, THIS_YEAR, as_of, unit)
    closed = hazard_count(sample_conn, f"{THIS_YEAR} AND closed_on <= :as_of", as_of, unit)
    assert shown["发现隐患"] == count(found, "项")
    assert shown["已销号"] == count(closed, "项")
    assert shown["销号率"] == pct(closed / found)
    assert shown["超期未整改"] == count(
        hazard_count(sample_conn, f"{THIS_YEAR} AND {OPEN} AND deadline < :as_of", as_of, unit), "项")
    assert shown["重大隐患未销号"] == count(
        hazard_count(sample_conn, f"{THIS_YEAR} AND {OPEN} AND level = 'major'", as_of, unit), "项")
    assert shown["往年结转未销号"] == count(
        hazard_count(sample_conn, f"found_on < :start AND {OPEN}", as_of, unit), "项")
    deltas = {m.label: m.delta for m in at.metric}
    not_double = hazard_count(
        sample_conn, f"{THIS_YEAR} AND {OPEN} AND level = 'major' AND NOT ("
                "regulator_reported_on IS NOT NULL AND regulator_reported_on <= :as_of AND "
                "congress_reported_on IS NOT NULL AND congress_reported_on <= :as_of)",
        as_of, unit)
    assert deltas["重大隐患未销号"] == f"未双报告{not_double}项"


def review_lists(at) -> dict[str, set[str]]:
    """Task codes under each review heading, in page order."""
    lists, current = {}, None
    for block in at.markdown:
        text = shown(block.value)
        heading = re.match(r"\*\*(临期任务|本周完成|本周新增逾期)\*\*", text)
        if heading:
            current = heading.group(1)
            lists[current] = set()
        elif current and (code := re.match(r"\*\*([A-Z]{2}-\d{2})\*\*", text)):
            lists[current].add(code.group(1))
    return lists


@pytest.mark.parametrize("as_of", [DEFAULT, EARLIER])
def test_review_lists_match_sql(app, sample_conn, as_of):
    previous = as_of - dt.timedelta(days=7)
    at = open_page(app, "rectification", as_of=as_of.isoformat())
    lists = review_lists(at)
    assert lists["临期任务"] == task_codes(sample_conn, TASK_SQL["临期"], as_of)
    assert lists["本周完成"] == task_codes(
        sample_conn, f"{DONE_ON} > :previous AND {DONE_ON} <= :as_of", as_of, previous)
    assert lists["本周新增逾期"] == task_codes(
        sample_conn, f"NOT {DONE} AND k.deadline < :as_of AND k.deadline >= :previous", as_of, previous)
    if as_of == DEFAULT:  # the sample story's weekly review
        assert lists == {"临期任务": {"WH-02", "MK-03", "ZH-04", "WH-06"},
                         "本周完成": {"WH-05"}, "本周新增逾期": {"FM-01"}}


def test_checklist_filters(app, sample_conn):
    at = open_page(app, "rectification", as_of=DEFAULT.isoformat())
    checklist = at.dataframe[0].value
    assert len(checklist) == scalar(sample_conn, "SELECT COUNT(*) FROM key_tasks WHERE year = 2022")
    at.selectbox(key="rectification.tasks.status").set_value("overdue").run()
    shown = at.dataframe[0].value
    assert set(shown["编号"]) == task_codes(sample_conn, TASK_SQL["逾期"], DEFAULT)
    assert set(shown["状态"]) == {"逾期"}
    at.selectbox(key="rectification.tasks.status").set_value("due_soon")
    at.selectbox(key="rectification.tasks.sector").set_value("general").run()
    shown = at.dataframe[0].value
    assert set(shown["编号"]) == task_codes(
        sample_conn, TASK_SQL["临期"] + " AND k.sector_code = 'general'", DEFAULT)
    at.selectbox(key="rectification.tasks.status").set_value("")
    at.selectbox(key="rectification.tasks.sector").set_value("")
    at.selectbox(key="rectification.tasks.department").set_value("煤矿安全监督管理科").run()
    assert len(at.dataframe[0].value) == scalar(
        sample_conn, "SELECT COUNT(*) FROM key_tasks k JOIN departments d "
                "ON d.code = k.lead_department_code WHERE k.year = 2022 "
                "AND d.name = '煤矿安全监督管理科'")


def values(data) -> list:
    """A trace's values, whether plain JSON or plotly's base64 typed array."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def chart(at, index: int) -> dict[str, dict]:
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return {trace["name"]: trace for trace in spec["data"]}


@pytest.mark.parametrize("as_of", [DEFAULT, EARLIER])
def test_hazard_figures_by_unit_and_month_match_sql(app, sample_conn, as_of):
    at = open_page(app, "rectification", as_of=as_of.isoformat(), **HAZARD_TAB)
    by_unit = chart(at, 0)
    overdue = dict(rows(sample_conn, f"SELECT unit_code, COUNT(*) FROM hidden_dangers "
                                f"WHERE {THIS_YEAR} AND {OPEN} AND deadline < :as_of "
                                "GROUP BY unit_code", start=dt.date(2022, 1, 1), as_of=as_of))
    trace = by_unit["超期未整改"]
    assert {d[2]: x for d, x in zip(trace["customdata"], values(trace["x"]))} == {
        d[2]: overdue.get(d[2], 0) for d in trace["customdata"]}
    place = at.dataframe[0].value.set_index("县区")
    found = dict(rows(sample_conn, "SELECT u.name, COUNT(*) FROM hidden_dangers h JOIN units u "
                              f"ON u.code = h.unit_code WHERE {THIS_YEAR} GROUP BY u.name",
                      start=dt.date(2022, 1, 1), as_of=as_of))
    assert place["发现隐患"].to_dict() == found
    by_month = chart(at, 1)
    closed = dict(rows(sample_conn, "SELECT CAST(strftime('%m', closed_on) AS INTEGER), COUNT(*) "
                               "FROM hidden_dangers WHERE closed_on >= :start "
                               "AND closed_on <= :as_of GROUP BY 1",
                       start=dt.date(2022, 1, 1), as_of=as_of))
    assert values(by_month["销号"]["y"]) == [closed.get(m, 0) for m in range(1, as_of.month + 1)]


def test_drill_list_follows_the_choice(app, sample_conn):
    at = open_page(app, "rectification", as_of=DEFAULT.isoformat(), **HAZARD_TAB)
    listed = at.dataframe[1].value
    overdue = hazard_count(sample_conn, f"{THIS_YEAR} AND {OPEN} AND deadline < :as_of", DEFAULT, None)
    assert len(listed) == overdue
    assert any(c.value == f"共 {overdue:,} 项,按整改期限由早到晚排列。" for c in at.caption)
    at.selectbox(key="rectification.drill.scope").set_value("carried_over")
    at.selectbox(key="rectification.drill.unit").set_value("140431").run()
    listed = at.dataframe[1].value
    assert len(listed) == hazard_count(sample_conn, f"found_on < :start AND {OPEN}", DEFAULT, "140431")
    assert set(listed["县区"]) == {"沁源县"}
    at.selectbox(key="rectification.drill.scope").set_value("found")
    at.selectbox(key="rectification.drill.unit").set_value("140400").run()
    found = hazard_count(sample_conn, THIS_YEAR, DEFAULT, None)
    assert len(at.dataframe[1].value) == 1000 < found
    assert any(c.value.startswith(f"共 {found:,} 项,表中") for c in at.caption)


def test_unit_filter_keeps_the_drill_inside_the_unit(app, sample_conn):
    at = open_page(app, "rectification", as_of=DEFAULT.isoformat(), unit="140426", **HAZARD_TAB)
    assert at.selectbox(key="rectification.drill.unit").options == ["黎城县"]
    assert set(at.dataframe[1].value["县区"]) <= {"黎城县"}
    assert len(at.dataframe[1].value) == hazard_count(
        sample_conn, f"{THIS_YEAR} AND {OPEN} AND deadline < :as_of", DEFAULT, "140426")


def test_a_county_view_is_told_the_checklist_is_the_citys(app):
    at = open_page(app, "rectification", as_of=DEFAULT.isoformat(), unit="140426")
    assert any("不随左侧“单位”筛选" in c.value for c in at.caption)


def test_sector_view_of_the_ledger_matches_sql(app, sample_conn):
    at = open_page(app, "rectification", as_of=EARLIER.isoformat(), unit="140423", **HAZARD_TAB)
    at.segmented_control(key="rectification.hazards.dimension").set_value("sector").run()
    place = at.dataframe[0].value.set_index("行业领域")
    expected = rows(sample_conn, "SELECT s.name, COUNT(*), "
                            f"SUM(CASE WHEN {OPEN} AND deadline < :as_of THEN 1 ELSE 0 END) "
                            "FROM hidden_dangers h JOIN sectors s ON s.code = h.sector_code "
                            f"WHERE {THIS_YEAR} AND unit_code = :unit GROUP BY s.name",
                    start=dt.date(2022, 1, 1), as_of=EARLIER, unit="140423")
    assert {name: (found, overdue) for name, found, overdue in expected} == {
        name: (row["发现隐患"], row["超期未整改"]) for name, row in place.iterrows()}


def test_the_ledger_tab_runs_only_when_open(app):
    at = open_page(app, "rectification", as_of=DEFAULT.isoformat())
    keys = {s.key for s in at.selectbox}
    assert "rectification.drill.scope" not in keys
    assert len(at.get("plotly_chart")) == 1  # the checklist's chart only
