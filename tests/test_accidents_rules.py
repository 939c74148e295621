"""Accident rules: the 国务院令第493号 grade at every boundary (in Python and in SQL on each
backend), time progress, indicator status, control rows, and the drill-down selection logic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import accident_rules as rules
from data_access import accidents
from tests.sqlcheck import day_bounds, rows

AS_OF = dt.date(2022, 11, 25)

# (deaths, serious injuries, direct loss in 万元) → grade; each boundary from both sides.
GRADE_CASES = [
    ((0, 0, "0"), "general"),
    ((2, 0, "0"), "general"), ((3, 0, "0"), "larger"),
    ((9, 0, "0"), "larger"), ((10, 0, "0"), "major"),
    ((29, 0, "0"), "major"), ((30, 0, "0"), "extra_major"),
    ((0, 9, "0"), "general"), ((0, 10, "0"), "larger"),
    ((0, 49, "0"), "larger"), ((0, 50, "0"), "major"),
    ((0, 99, "0"), "major"), ((0, 100, "0"), "extra_major"),
    ((0, 0, "999.99"), "general"), ((0, 0, "1000"), "larger"),
    ((0, 0, "4999.99"), "larger"), ((0, 0, "5000"), "major"),
    ((0, 0, "9999.99"), "major"), ((0, 0, "10000"), "extra_major"),
    # The highest dimension wins.
    ((2, 9, "9999.99"), "major"), ((30, 0, "1"), "extra_major"), ((1, 50, "0"), "major"),
    ((2, 10, "999.99"), "larger"),
]


@pytest.mark.parametrize(("values", "grade"), GRADE_CASES)
def test_grade_rule_boundaries(values, grade):
    deaths, injuries, loss = values
    assert rules.grade_for(deaths, injuries, Decimal(loss)) == grade
    assert rules.grade_for(deaths, injuries, float(loss)) == grade


def test_grade_rule_boundaries_in_sql(conn):
    """The SQL CASE gives the same grades on this backend, with loss typed like the column."""
    columns = []
    for i, ((deaths, injuries, loss), _) in enumerate(GRADE_CASES):
        expr = rules.grade_case(sa.literal(deaths, sa.Integer), sa.literal(injuries, sa.Integer),
                                sa.literal(Decimal(loss), sa.Numeric(14, 2)))
        columns.append(expr.label(f"g{i}"))
    got = list(conn.execute(sa.select(*columns)).one())
    assert got == [grade for _, grade in GRADE_CASES]


def test_grade_mismatches_match_hand_written_sql(conn):
    found = accidents.list_grade_mismatches(conn, as_of=AS_OF)
    expected = rows(conn, """
        SELECT id FROM accidents
        WHERE occurred_at >= :start AND occurred_at < :end AND grade <> (
            CASE WHEN deaths >= 30 OR serious_injuries >= 100 OR direct_loss_wan >= 10000
                     THEN 'extra_major'
                 WHEN deaths >= 10 OR serious_injuries >= 50 OR direct_loss_wan >= 5000
                     THEN 'major'
                 WHEN deaths >= 3 OR serious_injuries >= 10 OR direct_loss_wan >= 1000
                     THEN 'larger'
                 ELSE 'general' END)""", **day_bounds(AS_OF))
    assert sorted(found["id"]) == sorted(r[0] for r in expected)
    # The two records the sample data plants: reported 一般 with 1,250 万元 loss (→ 较大), and
    # reported 较大 with 2 deaths and 85 万元 (→ 一般).
    planted = {(r.grade, r.rule_grade, int(r.deaths), float(r.direct_loss_wan))
               for r in found.itertuples()}
    assert planted == {("general", "larger", 0, 1250.0), ("larger", "general", 2, 85.0)}


def test_listed_rule_grade_equals_python_rule(conn):
    listed = accidents.list_accidents(conn, as_of=AS_OF)
    assert len(listed) > 100
    for r in listed.itertuples():
        assert r.rule_grade == rules.grade_for(int(r.deaths), int(r.serious_injuries),
                                               r.direct_loss_wan)


def test_time_progress():
    assert rules.time_progress(dt.date(2022, 1, 1)) == pytest.approx(1 / 365)
    assert rules.time_progress(dt.date(2022, 11, 25)) == pytest.approx(329 / 365)
    assert rules.time_progress(dt.date(2022, 12, 31)) == 1
    assert rules.time_progress(dt.date(2020, 12, 31)) == 1
    assert rules.time_progress(dt.date(2020, 3, 1)) == pytest.approx(61 / 366)
    # The previous review of 3 January falls in the previous year: no progress yet this year.
    assert rules.progress_within(2022, dt.date(2021, 12, 27)) == 0
    assert rules.progress_within(2022, dt.date(2022, 7, 2)) == pytest.approx(183 / 365)


@pytest.mark.parametrize(("used", "limit", "progress", "kwargs", "label"), [
    (1, 0, 0.5, {}, "超标"),              # zero-controlled: any one is red
    (0, 0, 0.5, {}, "正常"),
    (1, None, 0.5, {"zero_controlled": True}, "超标"),  # 重特大 with no target row
    (0, None, 0.5, {"zero_controlled": True}, "正常"),  # the notice itself sets the zero
    (5, None, 0.5, {}, "未设定"),          # no target is never 0
    (11, 10, 0.99, {}, "超标"),
    (6, 10, 0.4, {}, "超进度"),            # 60% used at 40% of the year
    (4, 10, 0.4, {}, "预警"),              # exactly on time progress: not red, but close
    (4, 10, 0.44, {}, "预警"),             # 40% > 0.9 × 44%
    (4, 10, 0.45, {}, "正常"),             # 40% = 0.9 × 45%: not above
    (10, 10, 1.0, {}, "预警"),             # the whole indicator at year end, not over it
])
def test_control_status(used, limit, progress, kwargs, label):
    status = rules.control_status(used, limit, progress, **kwargs)
    assert status.label == label
    assert status.colour == {"超标": "red", "超进度": "red", "预警": "amber", "正常": "green",
                             "未设定": "grey"}[label]


def test_control_rows_sort_worst_first_and_count_the_week():
    df = rules.control_rows(
        ["a", "b", "c", "d", "e"],
        used={"a": 2, "b": 9, "c": 12, "d": 3, "e": 4},
        previous={"a": 2, "b": 7, "c": 12, "d": 3},
        limits={"a": 10, "b": 10, "c": 10, "d": None, "e": 5},
        progress=0.5, previous_progress=0.48)
    assert list(df["code"]) == ["c", "b", "e", "a", "d"]
    assert list(df["status_label"]) == ["超标", "超进度", "超进度", "正常", "未设定"]
    b = df.set_index("code").loc["b"]
    assert (b["week_used"], b["previous_used"]) == (2, 7)
    assert b["week_share"] == pytest.approx(0.2)
    assert b["previous_status_label"] == "超进度"
    d = df.set_index("code").loc["d"]
    assert d["limit"] is None or pd.isna(d["limit"])
    assert d["share"] is None or pd.isna(d["share"])


def test_limits_by_unit_and_sector_keep_not_set_apart_from_zero():
    targets = pd.DataFrame([
        {"unit_code": None, "sector_code": None, "metric": "deaths", "direction": "at_most",
         "value": 150},
        {"unit_code": "140423", "sector_code": None, "metric": "deaths",
         "direction": "at_most", "value": 10},
        {"unit_code": None, "sector_code": "coal", "metric": "deaths", "direction": "at_most",
         "value": 0},
    ])
    assert rules.limits_by(targets, "deaths", ["140423", "JKQ"], by="unit") == {
        "140423": 10, "JKQ": None}
    assert rules.limits_by(targets, "deaths", ["coal", "other"], by="sector") == {
        "coal": 0, "other": None}
    with pytest.raises(ValueError):
        rules.limits_by(targets, "deaths", ["x"], by="grade")


def _event(*customdata):
    return {"selection": {"points": [{"customdata": c, "point_index": i}
                                     for i, c in enumerate(customdata)],
                          "point_indices": list(range(len(customdata))), "box": [], "lasso": []}}


def test_selected_code_reads_customdata():
    allowed = ["140423", "140431"]
    assert rules.selected_code(_event(["140431"]), allowed) == "140431"
    assert rules.selected_code(_event("140423"), allowed) == "140423"
    assert rules.selected_code(_event(["999999"]), allowed) is None
    assert rules.selected_code(_event([]), allowed) is None
    assert rules.selected_code(_event(), allowed) is None
    assert rules.selected_code(None, allowed) is None
    assert rules.selected_code({"selection": {}}, allowed) is None


def test_drilldown_after_selection():
    allowed = ["coal", "fire"]
    assert rules.drilldown_after_selection(_event(["fire"]), allowed, current=None) == "fire"
    assert rules.drilldown_after_selection(_event(["coal"]), allowed, current="fire") == "coal"
    # Clicking the bar that is already selected leaves it.
    assert rules.drilldown_after_selection(_event(["fire"]), allowed, current="fire") is None
    # The user cleared the selection: the drill-down is cleared too.
    assert rules.drilldown_after_selection(_event(), allowed, current="fire") is None
    assert rules.drilldown_after_selection(None, allowed, current="fire") is None
    # A point without a known code (e.g. a reference line) changes nothing.
    assert rules.drilldown_after_selection(_event([None]), allowed, current="fire") == "fire"


def test_scope_params_leave_out_what_is_not_narrowed():
    assert rules.scope_params(None, None) == {}
    assert rules.scope_params("140423", None) == {"unit": "140423"}
    assert rules.scope_params("140423", "coal") == {"unit": "140423", "sector": "coal"}


@pytest.mark.parametrize("unit", [None, "140423"])
def test_count_regrades_groups_the_mismatches_by_the_grade_of_the_regulation(conn, unit):
    as_of = dt.date(2022, 11, 25)
    mismatches = accidents.list_grade_mismatches(conn, as_of=as_of, unit=unit)
    expected = {g: int(n) for g, n in mismatches["rule_grade"].value_counts().items()}
    assert accidents.count_regrades(conn, as_of=as_of, unit=unit) == expected
