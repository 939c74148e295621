"""data_access against real databases: every figure equals a hand-written SQL count."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import accidents, catalog, mining, rectification, resources, targets
from tests.sqlcheck import day_bounds, last_check_sql, rows, scalar

AS_OF = dt.date(2022, 11, 25)
EARLIER = dt.date(2022, 6, 30)
UNIT = "140423"


def test_catalog_reports_a_healthy_sample(conn):
    health = catalog.check_database(conn)
    assert health.ok
    assert catalog.is_sample_dataset(conn)
    assert catalog.get_latest_data_date(conn) == AS_OF
    assert catalog.get_data_years(conn) == [2022, 2021]
    units = catalog.list_units(conn)
    assert len(units) == scalar(conn, "SELECT COUNT(*) FROM units")
    assert units["code"].iloc[0] == "140400"


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
@pytest.mark.parametrize("unit", [None, UNIT])
def test_accidents_by_grade_match_sql(conn, as_of, unit):
    df = accidents.summarize_accidents(conn, by="grade", as_of=as_of, unit=unit)
    unit_sql = "" if unit is None else " AND unit_code = :unit"
    params = {**day_bounds(as_of), **({} if unit is None else {"unit": unit})}
    for grade in ("general", "larger", "major", "extra_major"):
        expected = scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                                f"AND occurred_at < :end AND grade = :grade{unit_sql}",
                          grade=grade, **params)
        shown = df.loc[df["grade"] == grade, "accidents"]
        assert (int(shown.iloc[0]) if len(shown) else 0) == expected
    deaths = scalar(conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start "
                          f"AND occurred_at < :end{unit_sql}", **params)
    assert int(df["deaths"].sum()) == deaths


def test_accidents_by_unit_sector_and_month_match_sql(conn):
    bounds = day_bounds(AS_OF)
    by_unit = accidents.summarize_accidents(conn, by="unit_code", as_of=AS_OF)
    expected = rows(conn, "SELECT unit_code, COUNT(*), SUM(deaths) FROM accidents WHERE "
                          "occurred_at >= :start AND occurred_at < :end GROUP BY unit_code "
                          "ORDER BY unit_code", **bounds)
    assert [(u, int(a), int(d)) for u, a, d in expected] == list(
        by_unit[["unit_code", "accidents", "deaths"]].itertuples(index=False, name=None))
    by_sector = accidents.summarize_accidents(conn, by="sector_code", as_of=AS_OF, unit=UNIT)
    assert int(by_sector["accidents"].sum()) == scalar(
        conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end "
              "AND unit_code = :unit", unit=UNIT, **bounds)
    by_month = accidents.summarize_accidents(conn, by="month", as_of=AS_OF)
    november = scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND "
                            "occurred_at < :end", start=dt.datetime(2022, 11, 1), end=bounds["end"])
    assert int(by_month.loc[by_month["month"] == 11, "accidents"].iloc[0]) == november
    assert by_month["month"].max() == 11


def test_accident_list_is_the_units_accidents(conn):
    listed = accidents.list_accidents(conn, as_of=AS_OF, unit=UNIT)
    expected = rows(conn, "SELECT id FROM accidents WHERE occurred_at >= :start AND "
                          "occurred_at < :end AND unit_code = :unit", unit=UNIT, **day_bounds(AS_OF))
    assert sorted(listed["id"]) == sorted(r[0] for r in expected)
    assert set(listed["unit_code"]) == {UNIT}


def test_totals_for_last_year_same_period(conn):
    last_year = dt.date(2021, 11, 25)
    totals = accidents.count_accidents(conn, as_of=last_year)
    assert totals["accidents"] == scalar(
        conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end",
        **day_bounds(last_year))


@pytest.mark.parametrize("unit", [None, UNIT])
@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2021, 11, 25)])
def test_totals_from_the_grades_equal_the_totals_read(conn, as_of, unit):
    summary = accidents.summarize_accidents(conn, by="grade", as_of=as_of, unit=unit)
    read = accidents.count_accidents(conn, as_of=as_of, unit=unit)
    derived = accidents.totals_of(summary)
    assert derived == pytest.approx(read) and derived["accidents"] > 0
    assert accidents.totals_of(summary.iloc[0:0]) == {
        "accidents": 0, "deaths": 0, "serious_injuries": 0, "direct_loss_wan": 0.0}


def test_targets_distinguish_not_set_from_zero(conn):
    df = targets.list_targets(conn, year=2022, metrics=("deaths", "accidents_major"))
    assert targets.pick_target(df, "deaths") == scalar(
        conn, "SELECT value FROM targets WHERE year = 2022 AND metric = 'deaths' "
              "AND unit_code IS NULL AND sector_code IS NULL")
    assert targets.pick_target(df, "accidents_major") == 0
    assert targets.pick_target(df, "deaths", unit="JKQ") is None
    assert targets.pick_target(df, "deaths", sector="other") is None


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_hidden_danger_summary_matches_sql(conn, as_of):
    summary = rectification.summarize_hidden_dangers(conn, as_of=as_of).iloc[0]
    params = {"start": dt.date(2022, 1, 1), "as_of": as_of}
    period = "found_on >= :start AND found_on <= :as_of"
    is_open = "(closed_on IS NULL OR closed_on > :as_of)"
    assert summary["found"] == scalar(conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {period}",
                                      **params)
    assert summary["closed"] == scalar(
        conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {period} AND closed_on <= :as_of",
        **params)
    assert summary["overdue"] == scalar(
        conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {period} AND {is_open} "
              "AND deadline < :as_of", **params)
    assert summary["major_open"] == scalar(
        conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {period} AND {is_open} "
              "AND level = 'major'", **params)
    by_unit = rectification.summarize_hidden_dangers(conn, as_of=as_of, by="unit_code")
    assert by_unit["found"].sum() == summary["found"]


def test_hidden_dangers_by_month_and_list(conn):
    months = rectification.count_hidden_dangers_by_month(conn, as_of=AS_OF)
    assert months["found"].sum() == scalar(
        conn, "SELECT COUNT(*) FROM hidden_dangers WHERE found_on >= :start AND found_on <= :end",
        start=dt.date(2022, 1, 1), end=AS_OF)
    assert months["closed"].sum() == scalar(
        conn, "SELECT COUNT(*) FROM hidden_dangers WHERE closed_on >= :start AND closed_on <= :end",
        start=dt.date(2022, 1, 1), end=AS_OF)
    overdue = rectification.list_hidden_dangers(conn, as_of=AS_OF, unit=UNIT, scope="overdue")
    assert len(overdue) == scalar(
        conn, "SELECT COUNT(*) FROM hidden_dangers WHERE found_on >= :start AND found_on <= :end "
              "AND unit_code = :unit AND (closed_on IS NULL OR closed_on > :end) "
              "AND deadline < :end", start=dt.date(2022, 1, 1), end=AS_OF, unit=UNIT)
    assert set(overdue["state"]) <= set(rectification.HAZARD_STATES) - {"closed"}


def test_key_tasks_as_of_dates(conn):
    tasks = rectification.list_key_tasks(conn, as_of=AS_OF)
    assert len(tasks) == scalar(conn, "SELECT COUNT(*) FROM key_tasks WHERE year = 2022")
    completed = scalar(conn, "SELECT COUNT(DISTINCT task_id) FROM task_progress_reports "
                             "WHERE progress_pct >= 100 AND reported_on <= :as_of", as_of=AS_OF)
    assert int((tasks["status"] == "completed").sum()) == completed
    earlier = rectification.list_key_tasks(conn, as_of=EARLIER)
    assert int((earlier["status"] == "completed").sum()) == scalar(
        conn, "SELECT COUNT(DISTINCT task_id) FROM task_progress_reports "
              "WHERE progress_pct >= 100 AND reported_on <= :as_of", as_of=EARLIER)


def test_faces_by_stage_and_month_match_sql(conn):
    by_stage = mining.count_faces_by_stage(conn, as_of=AS_OF)
    accepted = scalar(conn, "SELECT COUNT(*) FROM working_faces WHERE plan_year = 2022 "
                            "AND accepted_on <= :as_of", as_of=AS_OF)
    assert int(by_stage.loc[by_stage["stage"] == "accepted", "faces"].sum()) == accepted
    assert int(by_stage["faces"].sum()) == scalar(
        conn, "SELECT COUNT(*) FROM working_faces WHERE plan_year = 2022 AND planned_on <= :as_of",
        as_of=AS_OF)
    assert int(by_stage["late"].sum()) == scalar(
        conn, "SELECT COUNT(*) FROM working_faces WHERE plan_year = 2022 AND "
              "planned_completion_on < :as_of AND (accepted_on IS NULL OR accepted_on > :as_of)",
        as_of=AS_OF)
    by_month = mining.count_faces_by_month(conn, as_of=AS_OF)
    assert int(by_month["accepted"].sum()) == accepted
    assert len(by_month) == 12
    by_mine = mining.summarize_faces_by_mine(conn, as_of=AS_OF)
    assert int(by_mine["accepted"].sum()) == accepted
    assert mining.count_programme_mines(conn) == {"green_pilot": 9, "intelligent_demo": 1}


def test_resources_match_sql(conn):
    by_kind = resources.summarize_sites_by_kind(conn, as_of=AS_OF)
    assert int(by_kind["sites"].sum()) == scalar(conn, "SELECT COUNT(*) FROM resource_sites")
    last = last_check_sql()
    overdue = scalar(conn, f"SELECT COUNT(*) FROM resource_sites WHERE {last} IS NULL "
                           f"OR {last} < :cutoff", cutoff=AS_OF - dt.timedelta(days=90),
                     as_of=AS_OF)
    assert int(by_kind["check_overdue"].sum()) == overdue
    sites = resources.list_resource_sites(conn, as_of=AS_OF, unit=UNIT, kinds=("team",))
    assert len(sites) == scalar(conn, "SELECT COUNT(*) FROM resource_sites WHERE unit_code = :u "
                                      "AND kind = 'team'", u=UNIT)
    site_id = int(sites["id"].iloc[0])
    items = resources.list_site_items(conn, site_id=site_id)
    assert len(items) == scalar(conn, "SELECT COUNT(*) FROM resource_items WHERE site_id = :s",
                                s=site_id)


def test_unknown_grouping_is_refused(conn):
    with pytest.raises(ValueError):
        accidents.summarize_accidents(conn, by="summary; DROP TABLE accidents", as_of=AS_OF)
    with pytest.raises(ValueError):
        rectification.summarize_hidden_dangers(conn, as_of=AS_OF, by="description")
