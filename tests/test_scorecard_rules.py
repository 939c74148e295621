"""The scorecard: status rules at their edges, and every line's measure against hand-written SQL
on each backend. `expected_scorecard` is also what the overview page test compares with."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from data_access import plans, scorecard
from data_access.scorecard import (
    annual_status,
    complete_months,
    progress_status,
    rate_status,
    year_elapsed_share,
    zero_status,
)
from sample_data.plans import lines_2022
from tests import sqlcheck
from ui.figures.overview import format_change, format_rate

AS_OF = dt.date(2022, 11, 25)
LINES_2022 = {line.code: line for line in lines_2022()}  # the sample's 2021 plan has the same
PREVIOUS = dt.date(2022, 11, 18)
EARLIER = dt.date(2022, 6, 30)


# ---- rules at their edges ----------------------------------------------------------------
@pytest.mark.parametrize(("value", "status"), [
    (None, "no_data"), (1.0, "met"), (1.03, "met"), (0.99999, "warning"), (0.95, "warning"),
    (0.9499, "missed"), (0.0, "missed"),
])
def test_rate_status_edges(value, status):
    assert rate_status(value) == status


def test_rate_status_exact_fraction_at_the_band_edge():
    assert rate_status(19 / 20) == "warning"
    assert rate_status(18 / 19) == "missed"
    assert rate_status(150 / 150) == "met"


@pytest.mark.parametrize(("count", "status"), [
    (None, "no_data"), (0, "met"), (1, "missed"), (7, "missed"),
])
def test_zero_status_edges(count, status):
    assert zero_status(count) == status


def test_year_elapsed_share():
    assert year_elapsed_share(dt.date(2022, 1, 1)) == 1 / 365
    assert year_elapsed_share(dt.date(2022, 12, 31)) == 1.0
    assert year_elapsed_share(dt.date(2024, 12, 31)) == 1.0
    assert year_elapsed_share(dt.date(2024, 2, 29)) == 60 / 366


def test_annual_status_is_judged_by_the_deadline_not_by_time_elapsed():
    assert annual_status(None, as_of=dt.date(2022, 6, 30)) == "no_data"
    # the drill not yet held on 30 June: there is time (linear progress said 未达标 at 49.6%)
    assert annual_status(0.0, as_of=dt.date(2022, 6, 30)) == "pending"
    assert annual_status(12 / 13, as_of=dt.date(2022, 9, 30)) == "pending"  # the day before late
    assert annual_status(12 / 13, as_of=dt.date(2022, 10, 1)) == "warning"  # the last quarter
    assert annual_status(12 / 13, as_of=dt.date(2022, 12, 30)) == "warning"  # the day before
    assert annual_status(12 / 13, as_of=dt.date(2022, 12, 31)) == "missed"  # the deadline
    assert annual_status(1.0, as_of=dt.date(2022, 1, 1)) == "met"  # held on New Year's Day
    assert annual_status(1.0, as_of=dt.date(2022, 12, 31)) == "met"
    assert LINES_2022["comprehensive_drills"].rule == "annual"


def test_the_2022_plan_judges_the_comprehensive_drills_by_their_deadline(conn):
    """The plan the database holds (seeded by migration 0008, or imported), not only the sample's
    copy of it, gives the drills the once-a-year rule."""
    lines = {line.code: line for line in plans.read_plan(conn, 2022).lines}
    assert lines["comprehensive_drills"].rule == "annual"
    assert scorecard.line_status(lines["comprehensive_drills"], 12 / 13,
                                 as_of=dt.date(2022, 9, 30)) == "pending"


def test_progress_status_edges():
    mid = dt.date(2022, 7, 2)  # day 183 of 365
    share = 183 / 365
    assert progress_status(None, as_of=mid) == "no_data"
    assert progress_status(1.0, as_of=mid) == "met"
    assert progress_status(share, as_of=mid) == "warning"  # exactly on time
    assert progress_status(share - 0.001, as_of=mid) == "missed"
    year_end = dt.date(2022, 12, 31)
    assert progress_status(0.999, as_of=year_end) == "missed"
    assert progress_status(1.0, as_of=year_end) == "met"
    assert progress_status(0.0, as_of=dt.date(2022, 1, 1)) == "missed"


def test_complete_months():
    assert complete_months(dt.date(2022, 1, 30)) == 0
    assert complete_months(dt.date(2022, 1, 31)) == 1
    assert complete_months(dt.date(2022, 2, 28)) == 2
    assert complete_months(dt.date(2024, 2, 28)) == 1
    assert complete_months(dt.date(2022, 11, 25)) == 10
    assert complete_months(dt.date(2022, 12, 31)) == 12


def test_line_status_follows_the_line_rule():
    lines = LINES_2022
    assert scorecard.line_status(lines["gas_over_limit"], 1, as_of=AS_OF) == "missed"
    assert scorecard.line_status(lines["gas_over_limit"], 0, as_of=AS_OF) == "met"
    assert scorecard.line_status(lines["mhs_inspection"], 0.85, as_of=AS_OF) == "missed"
    assert scorecard.line_status(lines["mhs_inspection"], 0.92, as_of=AS_OF) == "warning"
    assert scorecard.line_status(lines["comprehensive_drills"], 0.5, as_of=AS_OF) == "warning"
    assert scorecard.line_status(lines["comprehensive_drills"], 0.5,
                                 as_of=dt.date(2022, 6, 30)) == "pending"
    assert scorecard.line_status(lines["township_staffing"], 0.92, as_of=AS_OF) == "missed"
    assert scorecard.line_status(lines["township_staffing"], None, as_of=AS_OF) == "no_data"


def test_every_section_has_lines_and_codes_are_unique(conn):
    plan = plans.read_plan(conn, 2022)
    assert {line.section for line in plan.lines} == set(plan.section_titles)
    assert len({line.code for line in plan.lines}) == len(plan.lines)


def test_compare_weeks_change_and_missing_values():
    def frame(values):
        return pd.DataFrame([
            {"code": code, "value": value, "status": "met",
             "has_history": LINES_2022[code].has_history}
            for code, value in zip(("gas_over_limit", "standardization", "risk_census"), values)
        ])

    out = scorecard.compare_weeks(frame([2, 0.9, None]), frame([1, 0.8, 0.5]))
    assert list(out["change"]) == [1, None, None]  # standardization keeps no history
    assert list(out["previous_value"][:2]) == [1, 0.8]


def test_formatting_never_rounds_up_to_the_target():
    assert format_rate(9999, 10000) == "99.9%"
    assert format_rate(150, 150) == "100.0%"
    assert format_rate(1, 3) == "33.3%"
    assert format_rate(5, 0) == "无数据"
    row = {"code": "gas_over_limit", "rule": "zero", "unit": "起", "change": 2,
           "kind": "zero_count", "has_history": True}
    assert format_change(pd.Series(row)) == "+2起"
    assert format_change(pd.Series({**row, "change": -1})) == "−1起"
    assert format_change(pd.Series({**row, "change": 0})) == "持平"
    rate = {"code": "township_staffing", "rule": "rate", "unit": "%", "change": 1 / 121,
            "kind": "ratio", "has_history": True}
    assert format_change(pd.Series(rate)) == "+0.8个百分点"
    assert format_change(pd.Series({**rate, "change": None})) == "—"
    assert format_change(pd.Series({**rate, "code": "standardization",
                                    "has_history": False})) == "无历史"


# ---- independent SQL for every line --------------------------------------------------------
def _used(sql: str, params: dict) -> dict:
    names = set(re.findall(r":(\w+)", sql))
    return {k: v for k, v in params.items() if k in names}


def scalar(conn, sql: str, **params):
    return sqlcheck.scalar(conn, sql, **_used(sql, params))


def rows(conn, sql: str, **params):
    return sqlcheck.rows(conn, sql, **_used(sql, params))


def _unit_filter(column: str, unit: str | None) -> str:
    return "" if unit is None else f" AND {column} = :unit"


def _last_complete_month_end(as_of: dt.date) -> dt.date | None:
    month_end = (as_of.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    end = as_of if as_of == month_end else as_of.replace(day=1) - dt.timedelta(days=1)
    return end if end.year == as_of.year else None


def expected_scorecard(conn, as_of: dt.date, unit: str | None) -> dict[str, tuple]:
    """(numerator, denominator) for rate lines, (count, None) for zero lines; None = no data."""
    p = {"start": dt.date(as_of.year, 1, 1), "as_of": as_of}
    if unit is not None:
        p["unit"] = unit
    out: dict[str, tuple] = {}

    # §控: accidents by grade and deaths since 1 January, against the year's indicators for the
    # scope (none set: None); 重特大 is controlled at 0.
    day_end = as_of + dt.timedelta(days=1)
    happened = ("FROM accidents WHERE occurred_at >= :start AND occurred_at < :day_end"
                + _unit_filter("unit_code", unit))

    def indicator(metric: str) -> int | None:
        unit_sql = "unit_code IS NULL" if unit is None else "unit_code = :unit"
        found = sqlcheck.rows(conn, f"SELECT value FROM targets WHERE year = :year AND metric = :m AND "
                           f"{unit_sql} AND sector_code IS NULL", year=as_of.year, m=metric,
                     **({"unit": unit} if unit else {}))
        return int(found[0][0]) if found else None

    out["major_accidents"] = (scalar(conn, "SELECT COUNT(*) " + happened + " AND grade IN "
                                           "('major', 'extra_major')", day_end=day_end, **p), 0)
    for code, grade in (("larger_accidents", "larger"), ("general_accidents", "general")):
        out[code] = (scalar(conn, "SELECT COUNT(*) " + happened + " AND grade = :g", g=grade,
                            day_end=day_end, **p), indicator(f"accidents_{grade}"))
    out["accident_deaths"] = (scalar(conn, "SELECT COALESCE(SUM(deaths), 0) " + happened,
                                     day_end=day_end, **p), indicator("deaths"))

    # §一: unit-months of complete months with ≥1 meeting / ≥2 visits.
    units_in_scope = scalar(conn, "SELECT COUNT(*) FROM units WHERE 1 = 1"
                            + _unit_filter("code", unit), **p)
    last = _last_complete_month_end(as_of)
    met = {"meeting": 0, "grassroots_visit": 0}
    months = active = 0
    if last is not None:
        for month in range(1, last.month + 1):
            first = dt.date(as_of.year, month, 1)
            end = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            months += 1
            active += scalar(conn, "SELECT COUNT(DISTINCT unit_code) FROM leadership_activities "
                                   "WHERE held_on >= :a AND held_on <= :b"
                             + _unit_filter("unit_code", unit), a=first, b=end,
                             **({"unit": unit} if unit else {}))
            for kind, minimum in (("meeting", 1), ("grassroots_visit", 2)):
                met[kind] += scalar(
                    conn, "SELECT COUNT(*) FROM (SELECT unit_code FROM leadership_activities "
                          "WHERE kind = :kind AND held_on >= :a AND held_on <= :b"
                    + _unit_filter("unit_code", unit)
                    + " GROUP BY unit_code HAVING COUNT(*) >= :minimum) t",
                    kind=kind, a=first, b=end, minimum=minimum, **({"unit": unit} if unit else {}))
    denominator = units_in_scope * months
    out["monthly_meetings"] = (met["meeting"] if active else None, denominator)
    out["leader_visits"] = (met["grassroots_visit"] if active else None, denominator)

    # §二: gas events, oil and gas storage risk, major hazard sources.
    mines = scalar(conn, "SELECT COUNT(*) FROM coal_mines WHERE 1 = 1"
                   + _unit_filter("unit_code", unit), **p)
    for code, kind in (("gas_over_limit", "gas_over_limit"), ("coal_outburst", "outburst")):
        n = scalar(conn, "SELECT COUNT(*) FROM coal_gas_events g JOIN coal_mines m "
                         "ON m.id = g.mine_id WHERE g.kind = :kind AND g.occurred_on >= :start "
                         "AND g.occurred_on <= :as_of" + _unit_filter("m.unit_code", unit),
                   kind=kind, **p)
        out[code] = (n if mines else None, None)
    assessed = scalar(conn, "SELECT COUNT(DISTINCT a.enterprise_id) FROM "
                            "oil_gas_storage_assessments a JOIN enterprises e ON "
                            "e.id = a.enterprise_id WHERE a.assessed_on <= :as_of"
                      + _unit_filter("e.unit_code", unit), **p)
    high = scalar(conn, "SELECT COUNT(*) FROM oil_gas_storage_assessments a JOIN enterprises e "
                        "ON e.id = a.enterprise_id WHERE a.assessed_on <= :as_of "
                        "AND a.risk_level IN ('high', 'higher')"
                  + _unit_filter("e.unit_code", unit)
                  + " AND NOT EXISTS (SELECT 1 FROM oil_gas_storage_assessments b WHERE "
                    "b.enterprise_id = a.enterprise_id AND b.assessed_on <= :as_of AND "
                    "(b.assessed_on > a.assessed_on OR (b.assessed_on = a.assessed_on "
                    "AND b.id > a.id)))", **p)
    out["oil_gas_high_risk"] = (high if assessed else None, None)
    sources = scalar(conn, "SELECT COUNT(*) FROM major_hazard_sources WHERE registered_on <= "
                           ":as_of" + _unit_filter("unit_code", unit), **p)
    for code, kind in (("mhs_training", "training"), ("mhs_inspection", "inspection")):
        covered = scalar(conn, "SELECT COUNT(*) FROM major_hazard_sources WHERE registered_on "
                               "<= :as_of" + _unit_filter("unit_code", unit)
                         + " AND id IN (SELECT source_id FROM major_hazard_source_events WHERE "
                           "kind = :kind AND held_on >= :start AND held_on <= :as_of)",
                         kind=kind, **p)
        out[code] = (covered, sources)

    # §三: inspection plan.
    planned = scalar(conn, "SELECT SUM(planned_inspections) FROM inspection_plans WHERE "
                           "year = :year" + _unit_filter("unit_code", unit), year=as_of.year,
                     **({"unit": unit} if unit else {}))
    done = scalar(conn, "SELECT SUM(done_to_date) FROM inspection_progress r WHERE "
                        "reported_on >= :start AND reported_on <= :as_of"
                  + _unit_filter("unit_code", unit)
                  + " AND NOT EXISTS (SELECT 1 FROM inspection_progress s WHERE "
                    "s.unit_code = r.unit_code AND s.reported_on >= :start AND s.reported_on "
                    "<= :as_of AND (s.reported_on > r.reported_on OR (s.reported_on = "
                    "r.reported_on AND s.id > r.id)))", **p)
    out["inspection_plan"] = (done, planned)

    # §四: census (counties only; a county without a report counts 0).
    counties = scalar(conn, "SELECT COUNT(*) FROM units WHERE kind IN ('district', 'county')"
                      + _unit_filter("code", unit), **p)
    latest = ("FROM risk_census_progress r JOIN units u ON u.code = r.unit_code WHERE "
              "u.kind IN ('district', 'county') AND r.reported_on <= :as_of"
              + _unit_filter("r.unit_code", unit)
              + " AND NOT EXISTS (SELECT 1 FROM risk_census_progress s WHERE s.unit_code = "
                "r.unit_code AND s.reported_on <= :as_of AND (s.reported_on > r.reported_on "
                "OR (s.reported_on = r.reported_on AND s.id > r.id)))")
    reported = scalar(conn, "SELECT COUNT(*) " + latest, **p)
    pct_sum = scalar(conn, "SELECT SUM(r.completion_pct) " + latest, **p)
    out["risk_census"] = (pct_sum if reported else None, 100 * counties)

    # §五: comprehensive drills, city and counties.
    required = scalar(conn, "SELECT COUNT(*) FROM units WHERE kind IN ('city', 'district', "
                            "'county')" + _unit_filter("code", unit), **p)
    held = scalar(conn, "SELECT COUNT(DISTINCT d.unit_code) FROM drills d JOIN units u ON "
                        "u.code = d.unit_code WHERE d.kind = 'comprehensive' AND u.kind IN "
                        "('city', 'district', 'county') AND d.held_on >= :start AND d.held_on "
                        "<= :as_of" + _unit_filter("d.unit_code", unit), **p)
    out["comprehensive_drills"] = (held, required)

    # §六: townships, monitoring, standardization, cyber incidents.
    townships = scalar(conn, "SELECT COUNT(*) FROM townships WHERE 1 = 1"
                       + _unit_filter("unit_code", unit), **p)
    latest_staff = ("FROM township_staffing r JOIN townships t ON t.id = r.township_id WHERE "
                    "r.reported_on <= :as_of" + _unit_filter("t.unit_code", unit)
                    + " AND NOT EXISTS (SELECT 1 FROM township_staffing s WHERE s.township_id "
                      "= r.township_id AND s.reported_on <= :as_of AND (s.reported_on > "
                      "r.reported_on OR (s.reported_on = r.reported_on AND s.id > r.id)))")
    reported = scalar(conn, "SELECT COUNT(*) " + latest_staff, **p)
    staffed = scalar(conn, "SELECT COUNT(*) " + latest_staff + " AND r.staff >= 3", **p)
    out["township_staffing"] = (staffed if reported else None, townships)

    fresh = ("FROM hazchem_monitoring_weekly WHERE week_ending <= :as_of AND week_ending > "
             ":week_ago" + _unit_filter("unit_code", unit))
    last_week = rows(conn, "SELECT MAX(week_ending) " + fresh,
                     week_ago=as_of - dt.timedelta(days=7), **p)[0][0]
    sums = {}
    if last_week is not None:
        for column in scorecard.MONITORING_COUNTS:
            sums[column] = scalar(conn, f"SELECT SUM({column}) FROM hazchem_monitoring_weekly "
                                        "WHERE week_ending = :week"
                                  + _unit_filter("unit_code", unit), week=_as_date(last_week),
                                  **({"unit": unit} if unit else {}))

    def monitored(numerator, denominator=None):
        if not sums:
            return (None, None)
        return (sums[numerator], None if denominator is None else sums[denominator])

    out["hazchem_commitment"] = monitored("commit_on_time", "commit_required")
    out["hazchem_connection"] = monitored("sources_connected", "sources_required")
    out["hazchem_online"] = monitored("points_online", "points_connected")
    out["hazchem_alarm_clearance"] = monitored("alarms_cleared", "alarms")
    out["hazchem_alarms_over_24h"] = monitored("alarms_over_24h")
    out["standardization"] = (
        scalar(conn, "SELECT COUNT(*) FROM enterprises WHERE std_grade IS NOT NULL AND "
                     "std_grade <= required_std_grade" + _unit_filter("unit_code", unit), **p),
        scalar(conn, "SELECT COUNT(*) FROM enterprises WHERE 1 = 1"
               + _unit_filter("unit_code", unit), **p))
    out["cyber_incidents"] = (scalar(
        conn, "SELECT COUNT(*) FROM cyber_incidents WHERE severity IN ('larger', 'major', "
              "'extra_major') AND occurred_on >= :start AND occurred_on <= :as_of"
        + _unit_filter("unit_code", unit), **p), None)
    return out


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


CONTROL_STATUS = {"正常": "met", "预警": "warning", "超进度": "missed", "超标": "missed",
                  "未设定": "no_data"}


def expected_control_word(used: int, limit: int | None, as_of: dt.date) -> str:
    """The 事故控制 page's rule, written out again by hand: a zero indicator is 超标 at the
    first accident; above the indicator 超标; share used above 时间进度 超进度; above 90% of it
    预警."""
    if limit is None:
        return "未设定"
    if limit == 0:
        return "超标" if used else "正常"
    day = as_of.timetuple().tm_yday
    days = 366 if (as_of.year % 4 == 0 and as_of.year % 100 != 0) or as_of.year % 400 == 0 else 365
    share, progress = used / limit, day / days
    if share > 1:
        return "超标"
    if share > progress:
        return "超进度"
    return "预警" if share > 0.9 * progress else "正常"


def expected_status(code: str, numerator, denominator, as_of: dt.date) -> str:
    """The rule, written out again by hand for the tests."""
    rule = LINES_2022[code].rule
    if rule == "control":
        return CONTROL_STATUS[expected_control_word(numerator, denominator, as_of)]
    if numerator is None or (rule != "zero" and not denominator):
        return "no_data"
    if rule == "zero":
        return "met" if numerator == 0 else "missed"
    value = numerator / denominator
    if value >= 1:
        return "met"
    if rule == "annual":
        if (as_of.month, as_of.day) == (12, 31):
            return "missed"
        return "warning" if as_of.month >= 10 else "pending"
    day = as_of.timetuple().tm_yday
    days = 366 if (as_of.year % 4 == 0 and as_of.year % 100 != 0) or as_of.year % 400 == 0 else 365
    floor = day / days if rule == "progress" else 0.95
    return "warning" if value >= floor else "missed"


def _nullable_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


@pytest.mark.parametrize(("as_of", "unit"), [
    (AS_OF, None), (PREVIOUS, None), (EARLIER, "140423"), (AS_OF, "JKQ"), (AS_OF, "140431"),
    (dt.date(2021, 12, 31), None), (dt.date(2021, 1, 20), None),
])
def test_every_line_matches_sql(conn, as_of, unit):
    lines = scorecard.compute_scorecard(conn, as_of=as_of, unit=unit).set_index("code")
    expected = expected_scorecard(conn, as_of, unit)
    assert set(expected) == set(lines.index)
    for code, (numerator, denominator) in expected.items():
        row = lines.loc[code]
        assert _nullable_int(row["numerator"]) == numerator, code
        if row["rule"] != "zero":
            assert _nullable_int(row["denominator"]) == denominator, code
        assert row["status"] == expected_status(code, numerator, denominator, as_of), code
        if row["rule"] == "control":
            assert row["verdict"] == expected_control_word(numerator, denominator, as_of), code


def test_the_story_has_green_amber_red_and_no_data(conn):
    city = scorecard.compute_scorecard(conn, as_of=AS_OF)
    assert {"met", "warning", "missed"} <= set(city["status"])
    zone = scorecard.compute_scorecard(conn, as_of=AS_OF, unit="JKQ")
    assert "no_data" in set(zone["status"])


def test_monitoring_by_unit_adds_up_to_the_city(conn):
    by_unit = scorecard.summarize_hazchem_monitoring(conn, as_of=AS_OF, by_unit=True)
    total = scorecard.summarize_hazchem_monitoring(conn, as_of=AS_OF).iloc[0]
    assert len(by_unit) == scalar(conn, "SELECT COUNT(DISTINCT unit_code) FROM "
                                        "hazchem_monitoring_weekly WHERE week_ending = :w",
                                  w=AS_OF)
    for column in scorecard.MONITORING_COUNTS:
        assert int(by_unit[column].sum()) == int(total[column]) == scalar(
            conn, f"SELECT SUM({column}) FROM hazchem_monitoring_weekly WHERE week_ending = :w",
            w=AS_OF)
    assert scorecard.summarize_hazchem_monitoring(conn, as_of=dt.date(2020, 12, 31)).empty


def test_no_table_is_missing_in_the_sample(conn):
    assert scorecard.list_missing_tables(conn) == ()
