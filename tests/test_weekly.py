"""data_access.weekly (what changed since the previous review) against hand-written SQL, on every
backend; and its pure helpers at their edges."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import weekly
from tests.sqlcheck import last_check_sql, rows, scalar

AS_OF = dt.date(2022, 11, 25)
SINCE = dt.date(2022, 11, 18)
# A second week in which major hidden dangers were also signed off.
WEEKS = [(SINCE, AS_OF), (dt.date(2022, 11, 6), dt.date(2022, 11, 13))]
UNIT = "140405"  # 屯留区: an accident, a drill and an accepted face in the sample's last week


def _unit_sql(column: str, unit: str | None) -> str:
    return "" if unit is None else f" AND {column} = :unit"


def _unit_params(unit: str | None) -> dict:
    return {} if unit is None else {"unit": unit}


def test_default_since_and_week_bounds():
    assert weekly.default_since(AS_OF) == SINCE
    assert weekly.week_bounds(since=SINCE, as_of=AS_OF) == (dt.date(2022, 11, 19), AS_OF)
    # across the new year the week keeps its seven days
    assert weekly.default_since(dt.date(2023, 1, 3)) == dt.date(2022, 12, 27)
    # figures counted within the year start on 1 January
    assert weekly.week_bounds(since=dt.date(2022, 12, 27), as_of=dt.date(2023, 1, 3),
                              not_before=dt.date(2023, 1, 1)) == (dt.date(2023, 1, 1),
                                                                  dt.date(2023, 1, 3))
    assert weekly.week_bounds(since=SINCE, as_of=AS_OF, not_before=dt.date(2022, 1, 1)) == (
        dt.date(2022, 11, 19), AS_OF)


def test_week_span_states_the_first_and_last_day():
    from ui.weekly import week_span

    assert week_span(SINCE, AS_OF) == "2022年11月19日至2022年11月25日"
    assert week_span(dt.date(2022, 12, 27), dt.date(2023, 1, 3), dt.date(2023, 1, 1)) == \
        "2023年1月1日至2023年1月3日"


def test_an_accident_on_the_weeks_first_and_last_day_counts_and_the_day_before_does_not(conn):
    day = rows(conn, "SELECT occurred_at FROM accidents ORDER BY occurred_at DESC")[0][0]
    day = (day if isinstance(day, dt.datetime) else dt.datetime.fromisoformat(str(day))).date()
    on_day = scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                          "AND occurred_at < :end", start=dt.datetime.combine(day, dt.time()),
                    end=dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    assert on_day >= 1
    first_day = weekly.count_new_accidents(conn, since=day - dt.timedelta(days=1),
                                           as_of=day + dt.timedelta(days=6))
    last_day = weekly.count_new_accidents(conn, since=day - dt.timedelta(days=7), as_of=day)
    day_before = weekly.count_new_accidents(conn, since=day, as_of=day + dt.timedelta(days=7))
    assert first_day["accidents"] - day_before["accidents"] == on_day
    assert last_day["accidents"] >= on_day
    before_sql = scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                              "AND occurred_at < :end",
                        start=dt.datetime.combine(day + dt.timedelta(days=1), dt.time()),
                        end=dt.datetime.combine(day + dt.timedelta(days=8), dt.time()))
    assert day_before["accidents"] == before_sql


@pytest.mark.parametrize("since,as_of", WEEKS)
@pytest.mark.parametrize("unit", [None, UNIT])
def test_new_accidents_match_sql(conn, since, as_of, unit):
    params = {"start": dt.datetime.combine(since + dt.timedelta(days=1), dt.time()),
              "end": dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()),
              **_unit_params(unit)}
    where = ("FROM accidents WHERE occurred_at >= :start AND occurred_at < :end"
             + _unit_sql("unit_code", unit))
    counts = weekly.count_new_accidents(conn, since=since, as_of=as_of, unit=unit)
    assert counts["accidents"] == scalar(conn, f"SELECT COUNT(*) {where}", **params)
    assert counts["deaths"] == scalar(conn, f"SELECT SUM(deaths) {where}", **params)
    listed = weekly.list_new_accidents(conn, since=since, as_of=as_of, unit=unit)
    assert sorted(listed["id"]) == sorted(r[0] for r in rows(conn, f"SELECT id {where}", **params))


def test_new_accidents_of_the_sample_week_are_the_two_known_ones(conn):
    counts = weekly.count_new_accidents(conn, since=SINCE, as_of=AS_OF)
    assert (counts["accidents"], counts["deaths"]) == (2, 3)


@pytest.mark.parametrize("since,as_of", WEEKS)
def test_task_changes_match_sql(conn, since, as_of):
    changes = weekly.list_task_changes(conn, since=since, as_of=as_of)
    completed = rows(conn, """
        SELECT t.code FROM key_tasks t
        WHERE t.year = :year AND (SELECT MIN(r.reported_on) FROM task_progress_reports r
                                  WHERE r.task_id = t.id AND r.progress_pct >= 100
                                    AND r.reported_on <= :as_of) > :since
        ORDER BY t.code""", year=as_of.year, since=since, as_of=as_of)
    newly_overdue = rows(conn, """
        SELECT t.code FROM key_tasks t
        WHERE t.year = :year AND t.deadline < :as_of AND t.deadline >= :since
          AND NOT EXISTS (SELECT 1 FROM task_progress_reports r WHERE r.task_id = t.id
                          AND r.progress_pct >= 100 AND r.reported_on <= :as_of)
        ORDER BY t.code""", year=as_of.year, since=since, as_of=as_of)
    shown = {change: sorted(changes.loc[changes["change"] == change, "code"])
             for change in weekly.TASK_CHANGES}
    assert shown["completed"] == [r[0] for r in completed]
    assert shown["newly_overdue"] == [r[0] for r in newly_overdue]
    late = changes[changes["change"] == "newly_overdue"]
    assert all(d == (as_of - deadline).days and d > 0
               for d, deadline in zip(late["days_overdue"], late["deadline"]))


def test_the_sample_week_has_one_task_completed_and_one_newly_overdue(conn):
    changes = weekly.list_task_changes(conn, since=SINCE, as_of=AS_OF)
    assert sorted(changes["change"]) == ["completed", "newly_overdue"]


@pytest.mark.parametrize("since,as_of", WEEKS)
@pytest.mark.parametrize("unit", [None, UNIT])
def test_hazard_changes_match_sql(conn, since, as_of, unit):
    counts = weekly.count_hazard_changes(conn, since=since, as_of=as_of, unit=unit)
    params = {"since": since, "as_of": as_of, **_unit_params(unit)}
    scope = _unit_sql("unit_code", unit)
    found = "found_on > :since AND found_on <= :as_of"
    closed = "closed_on > :since AND closed_on <= :as_of"
    for key, condition in (("found", found), ("closed", closed),
                           ("major_opened", f"level = 'major' AND {found}"),
                           ("major_closed", f"level = 'major' AND {closed}")):
        expected = scalar(conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {condition}{scope}",
                          **params)
        assert counts[key] == expected, key
    listed = weekly.list_major_hazard_changes(conn, since=since, as_of=as_of, unit=unit)
    for change, condition in (("opened", found), ("closed", closed)):
        expected = rows(conn, "SELECT code FROM hidden_dangers WHERE level = 'major' AND "
                              f"{condition}{scope} ORDER BY code", **params)
        assert sorted(listed.loc[listed["change"] == change, "code"]) == [r[0] for r in expected]
    assert list(listed["change"]) == sorted(listed["change"], key=weekly.HAZARD_CHANGES.index)


def test_second_week_has_major_hidden_dangers_opened_and_closed(conn):
    since, as_of = WEEKS[1]
    counts = weekly.count_hazard_changes(conn, since=since, as_of=as_of)
    assert counts["major_opened"] > 0 and counts["major_closed"] > 0
    listed = weekly.list_major_hazard_changes(conn, since=since, as_of=as_of)
    assert set(listed.loc[listed["change"] == "closed", "state"]) == {"closed"}
    assert listed.loc[listed["change"] == "closed", "closed_on"].notna().all()
    assert len(listed) == counts["major_opened"] + counts["major_closed"]
    first = weekly.list_major_hazard_changes(conn, since=since, as_of=as_of, limit=2)
    assert first.reset_index(drop=True).equals(listed.head(2).reset_index(drop=True))


@pytest.mark.parametrize("since,as_of", WEEKS)
@pytest.mark.parametrize("unit", [None, UNIT])
def test_faces_milestones_and_drills_match_sql(conn, since, as_of, unit):
    params = {"since": since, "as_of": as_of, **_unit_params(unit)}
    faces = weekly.list_faces_accepted(conn, since=since, as_of=as_of, unit=unit)
    expected = rows(conn, "SELECT f.id FROM working_faces f JOIN coal_mines m ON m.id = f.mine_id "
                          "WHERE f.accepted_on > :since AND f.accepted_on <= :as_of"
                          f"{_unit_sql('m.unit_code', unit)} ORDER BY f.id", **params)
    assert sorted(faces["id"]) == [r[0] for r in expected]
    assert list(faces["late"]) == [a > p for a, p in zip(faces["accepted_on"],
                                                         faces["planned_completion_on"])]
    milestones = weekly.list_milestones_achieved(conn, since=since, as_of=as_of, unit=unit)
    assert len(milestones) == scalar(
        conn, "SELECT COUNT(*) FROM mine_milestones s JOIN coal_mines m ON m.id = s.mine_id "
              "WHERE s.achieved_on > :since AND s.achieved_on <= :as_of"
              f"{_unit_sql('m.unit_code', unit)}", **params)
    drills = weekly.list_drills_held(conn, since=since, as_of=as_of, unit=unit)
    assert len(drills) == scalar(conn, "SELECT COUNT(*) FROM drills WHERE held_on > :since AND "
                                       f"held_on <= :as_of{_unit_sql('unit_code', unit)}",
                                 **params)


def test_the_sample_week_has_faces_accepted(conn):
    faces = weekly.list_faces_accepted(conn, since=SINCE, as_of=AS_OF)
    assert len(faces) == 3
    assert list(faces["accepted_on"]) == sorted(faces["accepted_on"])


@pytest.mark.parametrize("unit", [None, UNIT])
def test_site_check_changes_match_sql(conn, unit):
    counts = weekly.count_site_check_changes(conn, since=SINCE, as_of=AS_OF, unit=unit)
    params = {"since": SINCE, "as_of": AS_OF, **_unit_params(unit)}
    scope = _unit_sql("unit_code", unit)
    assert counts["checked"] == scalar(
        conn, "SELECT COUNT(*) FROM resource_sites WHERE id IN (SELECT site_id FROM "
              f"resource_checks WHERE checked_on > :since AND checked_on <= :as_of){scope}",
        **params)
    now, before = last_check_sql(as_of=":as_of"), last_check_sql(as_of=":since")
    assert counts["newly_overdue"] == scalar(
        conn, f"SELECT COUNT(*) FROM resource_sites WHERE ({now} IS NULL OR {now} < :cut_now) "
              f"AND {before} >= :cut_before{scope}",
        cut_now=AS_OF - dt.timedelta(days=90), cut_before=SINCE - dt.timedelta(days=90),
        **params)


def _gas_status(conn, day: dt.date) -> str:
    events = scalar(conn, "SELECT COUNT(*) FROM coal_gas_events WHERE kind = 'gas_over_limit' "
                          "AND occurred_on >= :start AND occurred_on <= :day",
                    start=dt.date(day.year, 1, 1), day=day)
    return "met" if events == 0 else "missed"


def test_scorecard_changes_match_sql(conn):
    changes = weekly.list_scorecard_changes(conn, since=SINCE, as_of=AS_OF)
    before, after = _gas_status(conn, SINCE), _gas_status(conn, AS_OF)
    assert before != after  # the sample's week has a gas over-limit event
    gas = changes[changes["code"] == "gas_over_limit"]
    assert list(gas[["previous_status", "status"]].itertuples(index=False, name=None)) == [
        (before, after)]
    assert (changes["status"] != changes["previous_status"]).all()
    assert "standardization" not in set(changes["code"])


def test_status_changes_keeps_only_changed_lines_with_history():
    compared = pd.DataFrame({
        "code": ["gas_over_limit", "coal_outburst", "standardization"],
        "status": ["missed", "met", "met"],
        "previous_status": ["met", "met", "missed"],
        "has_history": [True, True, False],  # standardization keeps no history
    })
    assert list(weekly.status_changes(compared)["code"]) == ["gas_over_limit"]
    assert weekly.status_changes(compared.iloc[0:0]).empty


def test_summarize_week_agrees_with_the_lists(conn):
    s = weekly.summarize_week(conn, since=SINCE, as_of=AS_OF)
    tasks = weekly.list_task_changes(conn, since=SINCE, as_of=AS_OF)
    assert s["tasks_completed"] == int((tasks["change"] == "completed").sum())
    assert s["tasks_newly_overdue"] == int((tasks["change"] == "newly_overdue").sum())
    assert s["faces_accepted"] == len(weekly.list_faces_accepted(conn, since=SINCE, as_of=AS_OF))
    assert s["scorecard_changed"] == len(weekly.list_scorecard_changes(conn, since=SINCE,
                                                                       as_of=AS_OF))
    without = weekly.summarize_week(conn, since=SINCE, as_of=AS_OF, scorecard=False)
    assert "scorecard_changed" not in without
    assert without == {k: v for k, v in s.items() if k != "scorecard_changed"}
    assert (s["accidents"], s["deaths"]) == (2, 3)
    for part, keys in (("accidents", {"accidents", "deaths"}),
                       ("checks", {"sites_checked", "sites_newly_overdue"}),
                       ("hazards", {"hazards_found", "hazards_closed", "major_opened",
                                    "major_closed"})):
        one = weekly.summarize_week(conn, since=SINCE, as_of=AS_OF, scorecard=False,
                                    parts=(part,))
        assert one == {k: s[k] for k in keys}
    with pytest.raises(ValueError):
        weekly.summarize_week(conn, since=SINCE, as_of=AS_OF, parts=("weather",))


def test_an_empty_week_reads_zero(conn):
    """A week before any record: nothing changed, and every frame is empty, not an error."""
    since, as_of = dt.date(2019, 12, 1), dt.date(2019, 12, 8)
    assert weekly.count_hazard_changes(conn, since=since, as_of=as_of) == {
        "found": 0, "closed": 0, "major_opened": 0, "major_closed": 0}
    assert weekly.list_task_changes(conn, since=since, as_of=as_of).empty
    assert weekly.list_major_hazard_changes(conn, since=since, as_of=as_of).empty
    assert weekly.list_new_accidents(conn, since=since, as_of=as_of).empty


def _render_all_sections():
    import datetime as dt

    from data_access import access
    from ui import data
    from ui.filters import Filters
    from ui.weekly import SECTIONS, render_week_changes

    data.set_access(access.EVERYTHING)  # what app.py's login gate sets before any page
    ctx = data.load_context()
    for section in SECTIONS:
        render_week_changes(section, ctx, Filters(as_of=dt.date(2022, 11, 25), unit="140400"),
                            expanded=True)


def test_week_changes_block_shows_the_sql_counts(monkeypatch, sample_sqlite_url):
    import sqlalchemy as sa
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", sample_sqlite_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_function(_render_all_sections, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [e.label for e in at.expander]
    assert len(labels) == 5 and all(label.startswith("本周变化(11月19日—11月25日)")
                                    for label in labels)
    engine = sa.create_engine(sample_sqlite_url)
    with engine.connect() as conn:
        accidents = scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND "
                                 "occurred_at < :end", start=dt.datetime(2022, 11, 19),
                           end=dt.datetime(2022, 11, 26))
        deaths = scalar(conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start AND "
                              "occurred_at < :end", start=dt.datetime(2022, 11, 19),
                        end=dt.datetime(2022, 11, 26))
        faces = scalar(conn, "SELECT COUNT(*) FROM working_faces WHERE accepted_on > :since AND "
                             "accepted_on <= :as_of", since=SINCE, as_of=AS_OF)
        drills = scalar(conn, "SELECT COUNT(*) FROM drills WHERE held_on > :since AND "
                              "held_on <= :as_of", since=SINCE, as_of=AS_OF)
        opened = scalar(conn, "SELECT COUNT(*) FROM hidden_dangers WHERE level = 'major' AND "
                              "found_on > :since AND found_on <= :as_of", since=SINCE, as_of=AS_OF)
    engine.dispose()
    overview, accident, rectification, mining, resources = labels
    assert f"新增事故 {accidents}起、死亡 {deaths}人" in overview
    assert f"新增事故 {accidents}起、死亡 {deaths}人" in accident
    assert f"重大隐患新增 {opened}项" in rectification
    assert f"本周通过 {faces}处" in mining
    assert f"应急演练 {drills}次" in resources
    text = "\n".join(m.value for m in at.markdown)
    assert "煤矿瓦斯超限:达标 → 未达标" in text  # the scorecard line the week changed
    assert text.count("· 死亡") == accidents  # one bullet per accident of the week
    assert "nan" not in text


def _render_closed_sections():
    import datetime as dt

    from data_access import access
    from ui import data
    from ui.filters import Filters
    from ui.weekly import SECTIONS, render_week_changes

    data.set_access(access.EVERYTHING)
    ctx = data.load_context()
    for section in SECTIONS:
        render_week_changes(section, ctx, Filters(as_of=dt.date(2022, 11, 25), unit="140400"))


def test_a_closed_week_block_reads_and_shows_only_its_counts(monkeypatch, sample_sqlite_url):
    import functools

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from data_access import weekly as weekly_data

    listed = []

    def recorded(fn):
        @functools.wraps(fn)  # the cached entry point finds a read by its module and name
        def wrapper(*args, **kwargs):
            listed.append(fn.__name__)
            return fn(*args, **kwargs)
        return wrapper

    for name in ("list_new_accidents", "list_task_changes", "list_major_hazard_changes",
                 "list_drills_held", "list_milestones_achieved"):
        monkeypatch.setattr(weekly_data, name, recorded(getattr(weekly_data, name)))
    monkeypatch.setenv("DATABASE_URL", sample_sqlite_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_function(_render_closed_sections, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.expander) == 5 and not at.markdown  # labels only, no lists
    # summarize_week reads the lists it counts (tasks, faces, milestones, drills) once, for
    # the labels; the accidents' and major hidden dangers' lists are not read at all
    assert "list_new_accidents" not in listed and "list_major_hazard_changes" not in listed
    at.session_state["accidents.week"] = True
    at.run()
    assert "list_new_accidents" in listed and at.markdown
