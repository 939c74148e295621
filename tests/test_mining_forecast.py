"""Intelligent mining: the forecast rule on hand-made series with known answers, the programme
status rule at its edges, and the page's data_access functions against hand-written SQL on
every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import forecast, mining
from tests.sqlcheck import rows, scalar

AS_OF = dt.date(2022, 11, 25)
EARLIER = dt.date(2022, 6, 30)
UNIT = "140423"
D = dt.date


def every(start: dt.date, days: int, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=days * i) for i in range(n)]


# ---- forecast: hand-made series --------------------------------------------------------------
STEADY_AS_OF = D(2022, 9, 30)  # 92 days left in the year
# 11 completions in spring, then one every 10 days, the last on the as-of date: 9 in the window.
STEADY = every(D(2022, 3, 1), 7, 11) + every(D(2022, 7, 12), 10, 9)


def test_steady_pace_reaches_a_target_within_the_year():
    assert STEADY[-1] == STEADY_AS_OF
    f = forecast.forecast_progress(STEADY, as_of=STEADY_AS_OF, target=29)
    assert (f.built, f.recent) == (20, 9)
    assert f.pace_per_month == pytest.approx(3.0)
    assert f.year_end == 29          # 20 + floor(9 × 92 / 90) = 20 + 9
    assert f.reached_on == D(2022, 12, 29)  # 9 more at 1 per 10 days: 90 days on
    assert f.outcome == forecast.ON_TRACK
    assert f.shortfall == 0


def test_steady_pace_misses_a_higher_target_and_gives_the_date_next_year():
    f = forecast.forecast_progress(STEADY, as_of=STEADY_AS_OF, target=30)
    assert f.year_end == 29
    assert f.reached_on == D(2023, 1, 8)  # 10 more: 100 days on
    assert f.outcome == forecast.BEHIND
    assert f.shortfall == 1


def test_no_progress_in_the_window_means_never():
    spring = every(D(2022, 2, 1), 5, 12)
    f = forecast.forecast_progress(spring, as_of=D(2022, 11, 25), target=58)
    assert (f.built, f.recent, f.pace_per_month) == (12, 0, 0.0)
    assert f.year_end == 12
    assert f.reached_on is None
    assert f.outcome == forecast.STALLED
    assert f.shortfall == 46


def test_nothing_built_at_all():
    f = forecast.forecast_progress([], as_of=D(2022, 5, 1), target=10)
    assert (f.built, f.year_end, f.reached_on, f.outcome) == (0, 0, None, forecast.STALLED)


def test_target_already_met_reports_the_day_it_was_crossed():
    days = [D(2022, 1, 5), D(2022, 3, 1), D(2022, 2, 1), D(2022, 4, 9), D(2022, 6, 1), D(2022, 8, 8)]
    f = forecast.forecast_progress(days, as_of=D(2022, 9, 1), target=5)
    assert f.built == 6
    assert f.reached_on == D(2022, 6, 1)  # the 5th completion in date order
    assert f.outcome == forecast.MET
    assert f.shortfall == 0


def test_target_met_exactly_on_the_as_of_day():
    f = forecast.forecast_progress(every(D(2022, 10, 1), 1, 3), as_of=D(2022, 10, 3), target=3)
    assert (f.outcome, f.reached_on) == (forecast.MET, D(2022, 10, 3))


def test_no_target_still_forecasts_the_year_end():
    f = forecast.forecast_progress(STEADY, as_of=STEADY_AS_OF, target=None)
    assert (f.year_end, f.reached_on, f.outcome, f.shortfall) == (29, None, forecast.NO_TARGET, None)


def test_window_edges_and_later_dates():
    as_of = D(2022, 11, 25)
    days = [as_of - dt.timedelta(days=90), as_of - dt.timedelta(days=89), as_of,
            as_of + dt.timedelta(days=1)]
    assert forecast.count_recent(days, as_of=as_of) == 2
    f = forecast.forecast_progress(days, as_of=as_of, target=None)
    assert (f.built, f.recent) == (3, 2)


def test_year_end_on_31_december_adds_nothing():
    assert forecast.days_left_in_year(D(2022, 12, 31)) == 0
    assert forecast.forecast_year_end(40, 30, as_of=D(2022, 12, 31)) == 40
    assert forecast.days_left_in_year(D(2022, 12, 30)) == 1


def test_exact_division_has_no_off_by_one():
    # 3 missing at 9 per 90 days = exactly 30 days
    assert forecast.date_reaching(23, 20, 9, as_of=D(2022, 6, 1)) == D(2022, 7, 1)
    assert forecast.date_reaching(20, 20, 0, as_of=D(2022, 6, 1)) == D(2022, 6, 1)
    assert forecast.date_reaching(21, 20, 0, as_of=D(2022, 6, 1)) is None


def test_forecast_stops_at_the_plan():
    f = forecast.forecast_progress(STEADY, as_of=STEADY_AS_OF, target=None, ceiling=25)
    assert f.year_end == 25
    assert f.projected(D(2022, 12, 31), STEADY_AS_OF) == 25
    assert f.projected(D(2022, 10, 10), STEADY_AS_OF) == pytest.approx(21)
    short = forecast.forecast_progress(STEADY, as_of=STEADY_AS_OF, target=30, ceiling=25)
    assert (short.outcome, short.reached_on) == (forecast.PLAN_SHORT, None)
    enough = forecast.forecast_progress(STEADY, as_of=STEADY_AS_OF, target=29, ceiling=40)
    assert (enough.outcome, enough.year_end) == (forecast.ON_TRACK, 29)


@pytest.mark.parametrize(("milestones", "achieved", "overdue", "state"), [
    (0, 0, 0, "no_plan"), (4, 4, 0, "completed"), (4, 3, 1, "behind"), (4, 3, 0, "on_track"),
    (5, 0, 0, "on_track"),
])
def test_programme_mine_state(milestones, achieved, overdue, state):
    assert mining.programme_mine_state(milestones, achieved, overdue) == state


# ---- data_access against SQL ------------------------------------------------------------------
def _day(value) -> dt.date | None:
    """A date from hand-written SQL (SQLite returns ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


_FACES = ("FROM working_faces f JOIN coal_mines m ON m.id = f.mine_id "
          "WHERE f.plan_year = :year AND f.planned_on <= :as_of AND (:unit = '' OR m.unit_code = :unit)")
_LATE = "f.planned_completion_on < :as_of AND (f.accepted_on IS NULL OR f.accepted_on > :as_of)"


def _params(as_of, unit):
    return {"year": as_of.year, "as_of": as_of, "unit": unit or ""}


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
@pytest.mark.parametrize("unit", [None, UNIT])
def test_late_faces_match_sql(conn, as_of, unit):
    late = mining.list_faces(conn, as_of=as_of, unit=unit, late_only=True)
    expected = rows(conn, f"SELECT f.id, f.planned_completion_on {_FACES} AND {_LATE}",
                    **_params(as_of, unit))
    assert sorted(late["id"]) == sorted(r[0] for r in expected)
    assert late["late"].all()
    by_id = {r[0]: (as_of - _day(r[1])).days for r in expected}
    assert dict(zip(late["id"], late["days_late"])) == by_id
    assert list(late["days_late"]) == sorted(late["days_late"], reverse=True)  # worst first


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_face_list_masks_dates_after_as_of(conn, as_of):
    faces = mining.list_faces(conn, as_of=as_of)
    assert len(faces) == scalar(conn, f"SELECT COUNT(*) {_FACES}", **_params(as_of, None))
    for column in ("accepted_on", "evaluated_on", "construction_started_on"):
        assert int(faces[column].notna().sum()) == scalar(
            conn, f"SELECT COUNT(*) {_FACES} AND f.{column} <= :as_of", **_params(as_of, None))
    assert int(faces["late"].sum()) == scalar(conn, f"SELECT COUNT(*) {_FACES} AND {_LATE}",
                                              **_params(as_of, None))
    assert set(faces["stage"]) <= set(mining.STAGES)


def test_one_mines_faces_match_sql(conn):
    mine_id = scalar(conn, "SELECT mine_id FROM working_faces WHERE plan_year = 2022 "
                           "GROUP BY mine_id ORDER BY COUNT(*) DESC, mine_id LIMIT 1")
    faces = mining.list_faces(conn, as_of=AS_OF, mine_id=mine_id)
    assert sorted(faces["id"]) == [r[0] for r in rows(
        conn, "SELECT id FROM working_faces WHERE plan_year = 2022 AND mine_id = :m "
              "AND planned_on <= :as_of ORDER BY id", m=mine_id, as_of=AS_OF)]


@pytest.mark.parametrize("unit", [None, UNIT])
def test_acceptance_dates_match_sql(conn, unit):
    days = mining.list_acceptance_dates(conn, as_of=AS_OF, unit=unit)
    expected = [_day(r[0]) for r in rows(
        conn, f"SELECT f.accepted_on {_FACES} AND f.accepted_on <= :as_of ORDER BY f.accepted_on",
        **_params(AS_OF, unit))]
    assert days == expected
    assert forecast.count_recent(days, as_of=AS_OF) == scalar(
        conn, f"SELECT COUNT(*) {_FACES} AND f.accepted_on <= :as_of AND f.accepted_on > :start",
        start=AS_OF - dt.timedelta(days=90), **_params(AS_OF, unit))


def test_faces_by_unit_match_sql(conn):
    by_unit = mining.summarize_faces_by_unit(conn, as_of=AS_OF)
    expected = rows(conn, f"""
        SELECT m.unit_code, COUNT(*),
               SUM(CASE WHEN f.accepted_on <= :as_of THEN 1 ELSE 0 END),
               SUM(CASE WHEN {_LATE} THEN 1 ELSE 0 END)
        {_FACES} GROUP BY m.unit_code""", **_params(AS_OF, None))
    got = {r.unit_code: (r.planned, r.accepted, r.late) for r in by_unit.itertuples()}
    assert got == {code: (int(p), int(a), int(late)) for code, p, a, late in expected}
    assert list(by_unit["late"]) == sorted(by_unit["late"], reverse=True)


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
@pytest.mark.parametrize("unit", [None, UNIT])
def test_programme_mines_match_sql(conn, as_of, unit):
    summary = mining.summarize_programme_mines(conn, as_of=as_of, unit=unit)
    for programme, flag in (("green_pilot", "is_green_pilot"),
                            ("intelligent_demo", "is_intelligent_demo")):
        part = summary[summary["programme"] == programme]
        assert len(part) == scalar(
            conn, f"SELECT COUNT(*) FROM coal_mines WHERE {flag} = :t "
                  "AND (:unit = '' OR unit_code = :unit)", t=True, unit=unit or "")
        expected = rows(conn, """
            SELECT mm.mine_id, COUNT(*),
                   SUM(CASE WHEN mm.achieved_on <= :as_of THEN 1 ELSE 0 END),
                   SUM(CASE WHEN mm.achieved_on <= :as_of AND mm.achieved_on > mm.planned_on
                            THEN 1 ELSE 0 END),
                   SUM(CASE WHEN (mm.achieved_on IS NULL OR mm.achieved_on > :as_of)
                             AND mm.planned_on < :as_of THEN 1 ELSE 0 END),
                   MIN(CASE WHEN mm.achieved_on IS NULL OR mm.achieved_on > :as_of
                            THEN mm.planned_on END)
            FROM mine_milestones mm JOIN coal_mines m ON m.id = mm.mine_id
            WHERE mm.programme = :p AND (:unit = '' OR m.unit_code = :unit)
            GROUP BY mm.mine_id""", as_of=as_of, p=programme, unit=unit or "")
        got = {r.mine_id: (r.milestones, r.achieved, r.achieved_late, r.overdue,
                           None if r.next_planned_on is None or r.next_planned_on != r.next_planned_on
                           else r.next_planned_on)
               for r in part.itertuples()}
        assert got == {m: (int(n), int(a), int(al), int(o), _day(nxt))
                       for m, n, a, al, o, nxt in expected}
    completed = summary["state"] == "completed"
    assert (summary.loc[completed, "achieved"] == summary.loc[completed, "milestones"]).all()


def test_milestone_states_match_sql(conn):
    ms = mining.list_milestones(conn, as_of=AS_OF)
    assert len(ms) == scalar(conn, "SELECT COUNT(*) FROM mine_milestones")
    overdue = scalar(conn, "SELECT COUNT(*) FROM mine_milestones WHERE planned_on < :as_of AND "
                           "(achieved_on IS NULL OR achieved_on > :as_of)", as_of=AS_OF)
    late_done = scalar(conn, "SELECT COUNT(*) FROM mine_milestones WHERE achieved_on <= :as_of "
                             "AND achieved_on > planned_on", as_of=AS_OF)
    assert int((ms["state"] == "overdue").sum()) == overdue
    assert int((ms["state"] == "achieved_late").sum()) == late_done
    assert int(ms["achieved_on"].notna().sum()) == scalar(
        conn, "SELECT COUNT(*) FROM mine_milestones WHERE achieved_on <= :as_of", as_of=AS_OF)


def test_a_plan_of_zero_is_a_plan_short_of_any_target():
    early = dt.date(2022, 1, 3)
    outlook = forecast.forecast_progress([], as_of=early, target=58, ceiling=0)
    assert outlook.outcome == forecast.PLAN_SHORT and outlook.year_end == 0
    # without a known plan, no recent completion is a stall
    assert forecast.forecast_progress([], as_of=early, target=58).outcome == forecast.STALLED
