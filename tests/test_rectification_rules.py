"""Rules of the special-rectification page at their edges, its queries against hand-written SQL
on every backend, and the pure figure, drill-down and download helpers."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import rectification as rect
from tests.sqlcheck import rows as sql_rows
from tests.sqlcheck import scalar
from ui.downloads import csv_bytes, excel_bytes
from ui.figures import rectification as figs

D = dt.date
AS_OF = D(2022, 11, 25)
EARLIER = D(2022, 6, 30)
PREVIOUS = D(2022, 11, 18)
UNIT = "140431"  # 沁源县: the slow closer of the sample story


# ---- task status -------------------------------------------------------------------------
JUNE_30 = D(2022, 6, 30)
MARCH_1 = D(2022, 3, 1)


def status(*, progress=50, completed_on=None, deadline=JUNE_30, as_of):
    return rect.task_status(progress_pct=progress, completed_on=completed_on, deadline=deadline,
                            as_of=as_of)


def test_due_today_is_not_overdue():
    assert status(as_of=D(2022, 6, 30)) == "in_progress"
    assert status(progress=None, as_of=D(2022, 6, 30)) == "not_started"
    assert status(progress=0, as_of=D(2022, 6, 30)) == "not_started"


def test_due_yesterday_is_overdue():
    assert status(as_of=D(2022, 7, 1)) == "overdue"
    assert status(progress=None, as_of=D(2022, 7, 1)) == "overdue"


def test_completed_on_the_deadline_is_completed_not_overdue():
    assert status(progress=100, completed_on=D(2022, 6, 30), as_of=D(2022, 6, 30)) == "completed"
    assert status(progress=100, completed_on=D(2022, 6, 30), as_of=D(2022, 12, 31)) == "completed"


def test_completion_after_the_as_of_date_does_not_count():
    # completed late (after the deadline): overdue until the day it was completed
    assert status(progress=100, completed_on=D(2022, 7, 5), as_of=D(2022, 7, 4)) == "overdue"
    assert status(progress=100, completed_on=D(2022, 7, 5), as_of=D(2022, 7, 5)) == "completed"


@pytest.mark.parametrize(("as_of", "expected"), [
    (D(2022, 2, 28), 0), (D(2022, 3, 1), 0), (D(2022, 3, 11), 10), (D(2022, 4, 10), 40),
    (D(2022, 6, 8), 99), (D(2022, 6, 9), 100), (D(2022, 7, 1), 100),
])
def test_expected_progress_is_the_elapsed_share_of_the_span(as_of, expected):
    # 1 March → 9 June is 100 days
    assert rect.expected_progress_pct(start_on=D(2022, 3, 1), deadline=D(2022, 6, 9),
                                      as_of=as_of) == expected


def test_expected_progress_of_a_one_day_task():
    day = D(2022, 5, 1)
    assert rect.expected_progress_pct(start_on=day, deadline=day, as_of=day) == 100
    assert rect.expected_progress_pct(start_on=day, deadline=day, as_of=D(2022, 4, 30)) == 0


def due_soon(*, deadline, progress=50, state="in_progress", as_of=AS_OF,
             start_on=MARCH_1):
    return rect.is_due_soon(status=state, progress_pct=progress, start_on=start_on,
                            deadline=deadline, as_of=as_of)


def test_due_soon_window_is_today_to_fourteen_days_ahead():
    assert due_soon(deadline=AS_OF)  # due today
    assert due_soon(deadline=AS_OF + dt.timedelta(days=14))
    assert not due_soon(deadline=AS_OF + dt.timedelta(days=15))
    assert not due_soon(deadline=AS_OF - dt.timedelta(days=1), state="overdue")


def test_due_soon_needs_the_task_to_be_behind():
    # 1 March → 3 December is 277 days; on 25 November 269 have passed: 97.1…%
    deadline = D(2022, 12, 3)
    assert rect.expected_progress_pct(start_on=D(2022, 3, 1), deadline=deadline,
                                      as_of=AS_OF) == 97
    assert due_soon(deadline=deadline, progress=97)  # 97 < 97.1…: still behind
    assert not due_soon(deadline=deadline, progress=98)
    assert due_soon(deadline=deadline, progress=None)  # nothing reported reads 0
    assert not due_soon(deadline=deadline, progress=100, state="completed")
    # a task that has not started yet by plan is not behind
    assert not due_soon(deadline=deadline, progress=None, start_on=AS_OF + dt.timedelta(days=1))


def test_due_today_and_behind_unless_fully_reported():
    assert due_soon(deadline=AS_OF, progress=99)
    assert not due_soon(deadline=AS_OF, progress=100, state="completed")


@pytest.mark.parametrize(("deadline", "completed_on", "expected"), [
    (D(2022, 11, 22), None, True),                 # due between the reviews, not done
    (PREVIOUS, None, True),                        # due on the previous review day
    (PREVIOUS - dt.timedelta(days=1), None, False),  # already overdue at the previous review
    (AS_OF, None, False),                          # due today: not overdue yet
    (D(2022, 11, 22), D(2022, 11, 24), False),     # completed (late) before the as-of date
    (D(2022, 11, 22), D(2022, 11, 26), True),      # completed only after the as-of date
])
def test_newly_overdue_since_the_previous_review(deadline, completed_on, expected):
    assert rect.is_newly_overdue(completed_on=completed_on, deadline=deadline, as_of=AS_OF,
                                 previous_review=PREVIOUS) is expected


@pytest.mark.parametrize(("completed_on", "expected"), [
    (None, False), (PREVIOUS, False), (PREVIOUS + dt.timedelta(days=1), True), (AS_OF, True),
    (AS_OF + dt.timedelta(days=1), False),
])
def test_completed_since_the_previous_review(completed_on, expected):
    assert rect.is_completed_since(completed_on=completed_on, as_of=AS_OF,
                                   previous_review=PREVIOUS) is expected


# ---- key tasks from dated records --------------------------------------------------------
def task(conn, code: str, as_of: dt.date) -> pd.Series:
    tasks = rect.list_key_tasks(conn, as_of=as_of)
    return tasks.set_index("code").loc[code]


def test_sample_profiles_at_the_default_date(conn):
    tasks = rect.list_key_tasks(conn, as_of=AS_OF, previous_review=PREVIOUS).set_index("code")
    assert set(tasks.index[tasks["due_soon"]]) == {"WH-02", "MK-03", "ZH-04", "WH-06"}
    assert list(tasks.index[tasks["newly_overdue"]]) == ["FM-01"]
    assert list(tasks.index[tasks["completed_since_review"]]) == ["WH-05"]
    assert tasks.at["WH-02", "status"] == "in_progress"  # due today
    assert tasks.at["FM-05", "status"] == "not_started"


def test_due_today_and_due_yesterday_from_records(conn):
    # FM-01 is due on 22 November and was never completed
    assert task(conn, "FM-01", D(2022, 11, 22))["status"] == "in_progress"
    assert task(conn, "FM-01", D(2022, 11, 23))["status"] == "overdue"


def test_completed_on_the_deadline_from_records(conn):
    deadline = task(conn, "MK-05", AS_OF)["deadline"]
    assert task(conn, "MK-05", AS_OF)["completed_on"] == deadline
    assert task(conn, "MK-05", deadline)["status"] == "completed"
    assert task(conn, "MK-05", deadline - dt.timedelta(days=1))["status"] == "in_progress"


def test_a_report_after_the_as_of_date_is_ignored(conn):
    # WH-05 reported 100% on 22 November; the day before, its latest report is the one before
    day_before = D(2022, 11, 21)
    row = task(conn, "WH-05", day_before)
    latest = scalar(conn, "SELECT progress_pct FROM task_progress_reports r "
                          "JOIN key_tasks k ON k.id = r.task_id WHERE k.code = 'WH-05' "
                          "AND r.reported_on = (SELECT MAX(r2.reported_on) "
                          "FROM task_progress_reports r2 WHERE r2.task_id = r.task_id "
                          "AND r2.reported_on <= :day)", day=day_before)
    assert latest < 100
    assert row["status"] == "in_progress"
    assert int(row["progress_pct"]) == latest
    assert pd.isna(row["completed_on"])
    assert task(conn, "WH-05", D(2022, 11, 22))["status"] == "completed"


# ---- hidden-danger scopes against hand-written SQL ---------------------------------------
OPEN = "(closed_on IS NULL OR closed_on > :as_of)"
THIS_YEAR = "found_on >= :start AND found_on <= :as_of"
SCOPE_SQL = {
    "found": THIS_YEAR,
    "closed": f"{THIS_YEAR} AND closed_on <= :as_of",
    "open": f"{THIS_YEAR} AND {OPEN}",
    "overdue": f"{THIS_YEAR} AND {OPEN} AND deadline < :as_of",
    "major_open": f"{THIS_YEAR} AND {OPEN} AND level = 'major'",
    "not_double_reported": f"{THIS_YEAR} AND {OPEN} AND level = 'major' AND NOT ("
                           "regulator_reported_on IS NOT NULL AND regulator_reported_on <= :as_of "
                           "AND congress_reported_on IS NOT NULL AND congress_reported_on <= :as_of)",
    "carried_over": f"found_on < :start AND {OPEN}",
    "closed_in_period": "closed_on >= :start AND closed_on <= :as_of",
    "age_current": f"found_on <= :as_of AND {OPEN} AND deadline >= :as_of",
    "age_1_30": f"found_on <= :as_of AND {OPEN} AND deadline < :as_of AND deadline >= :d30",
    "age_31_90": f"found_on <= :as_of AND {OPEN} AND deadline < :d30 AND deadline >= :d90",
    "age_over_90": f"found_on <= :as_of AND {OPEN} AND deadline < :d90",
}


def scope_params(as_of: dt.date) -> dict:
    return {"as_of": as_of, "start": D(as_of.year, 1, 1),
            "d30": as_of - dt.timedelta(days=30), "d90": as_of - dt.timedelta(days=90)}


def count_sql(conn, where: str, **params) -> int:
    """COUNT(*) of hidden_dangers WHERE `where`, binding only the parameters it names."""
    used = {k: v for k, v in params.items() if re.search(rf":{k}\b", where)}
    return scalar(conn, f"SELECT COUNT(*) FROM hidden_dangers WHERE {where}", **used)


def expected_count(conn, scope, as_of, unit=None, extra=""):
    where = SCOPE_SQL[scope] + ("" if unit is None else " AND unit_code = :unit") + extra
    return count_sql(conn, where, **scope_params(as_of), unit=unit)


def test_scopes_cover_every_listed_scope():
    assert set(SCOPE_SQL) == set(rect.HAZARD_SCOPES)


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
@pytest.mark.parametrize("unit", [None, UNIT])
def test_scope_counts_and_lists_match_sql(conn, as_of, unit):
    for scope in rect.HAZARD_SCOPES:
        expected = expected_count(conn, scope, as_of, unit)
        assert rect.count_hidden_dangers(conn, as_of=as_of, scope=scope, unit=unit) == expected, scope
        rows = rect.list_hidden_dangers(conn, as_of=as_of, scope=scope, unit=unit, limit=5000)
        assert len(rows) == expected, scope


def test_month_narrows_by_found_or_sign_off_month(conn):
    march = " AND {col} >= :m1 AND {col} <= :m31"
    params = {"m1": D(2022, 3, 1), "m31": D(2022, 3, 31)}
    where = SCOPE_SQL["overdue"] + march.format(col="found_on")
    assert rect.count_hidden_dangers(conn, as_of=AS_OF, scope="overdue", month=3) == count_sql(
        conn, where, **scope_params(AS_OF), **params)
    where = SCOPE_SQL["closed_in_period"] + march.format(col="closed_on")
    assert rect.count_hidden_dangers(conn, as_of=AS_OF, scope="closed_in_period",
                                     month=3) == count_sql(
        conn, where, **scope_params(AS_OF), **params)
    # the month of the as-of date ends on the as-of date
    assert rect.count_hidden_dangers(conn, as_of=AS_OF, scope="found", month=11) == scalar(
        conn, "SELECT COUNT(*) FROM hidden_dangers WHERE found_on >= :m AND found_on <= :as_of",
        m=D(2022, 11, 1), as_of=AS_OF)
    # a month means nothing to the carried-over list: ignored
    assert rect.count_hidden_dangers(conn, as_of=AS_OF, scope="carried_over", month=3) == \
        expected_count(conn, "carried_over", AS_OF)


@pytest.mark.parametrize("month", [None, 3])
def test_the_years_sign_offs_list_newest_first_and_the_rest_by_deadline(conn, month):
    as_of, limit = AS_OF, 25
    span = ("closed_on >= :start AND closed_on <= :as_of" if month is None
            else "closed_on >= :m1 AND closed_on <= :m31")
    expected = [code for code, in conn.execute(sa.text(
        f"SELECT code FROM hidden_dangers WHERE {span} ORDER BY closed_on DESC, found_on DESC, "
        f"deadline DESC, level DESC, unit_code DESC, sector_code DESC, id DESC LIMIT {limit}"), {"start": D(2022, 1, 1), "as_of": as_of, "m1": D(2022, 3, 1),
                            "m31": D(2022, 3, 31)})]
    listed = rect.list_hidden_dangers(conn, as_of=as_of, scope="closed_in_period", month=month,
                                      limit=limit)
    assert list(listed["code"]) == expected and len(expected) == limit
    by_deadline = [code for code, in conn.execute(sa.text(
        f"SELECT code FROM hidden_dangers WHERE {SCOPE_SQL['found']} ORDER BY deadline, id "
        f"LIMIT {limit}"), scope_params(as_of))]
    assert list(rect.list_hidden_dangers(conn, as_of=as_of, scope="found",
                                         limit=limit)["code"]) == by_deadline


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
@pytest.mark.parametrize("scope", ["open", "overdue", "major_open", "not_double_reported"])
def test_open_lists_in_deadline_order_at_the_latest_and_an_earlier_day(conn, scope, as_of):
    """At the latest day nothing was signed off later, and the open items are read from the
    index of never-signed-off items; at an earlier day some open items have a sign-off date
    after it, and the list must hold those too, in the same order as one query."""
    limit = 40
    where = SCOPE_SQL[scope]
    expected = conn.execute(sa.text(
        f"SELECT code, closed_on FROM hidden_dangers WHERE {where} ORDER BY deadline, id "
        f"LIMIT {limit}"), {k: v for k, v in scope_params(as_of).items()
                            if f":{k}" in where}).all()
    signed_off_later = {closed is not None for _, closed in expected}
    assert (True in signed_off_later) == (as_of == EARLIER)
    listed = rect.list_hidden_dangers(conn, as_of=as_of, scope=scope, limit=limit)
    assert list(listed["code"]) == [code for code, _ in expected]
    assert listed["closed_on"].isna().all()


def test_unknown_scope_is_refused(conn):
    with pytest.raises(ValueError):
        rect.count_hidden_dangers(conn, as_of=AS_OF, scope="everything")


def test_list_is_limited_and_ordered_by_deadline(conn):
    rows = rect.list_hidden_dangers(conn, as_of=AS_OF, scope="found", limit=7)
    assert len(rows) == 7
    assert list(rows["deadline"]) == sorted(rows["deadline"])
    first = sql_rows(conn, "SELECT code FROM hidden_dangers WHERE found_on >= :start AND "
                           "found_on <= :as_of ORDER BY deadline, id LIMIT 7",
                     start=D(2022, 1, 1), as_of=AS_OF)
    assert list(rows["code"]) == [code for (code,) in first]
    assert rect.count_hidden_dangers(conn, as_of=AS_OF, scope="found") > 7


def test_list_shows_the_state_as_of_the_date(conn):
    rows = rect.list_hidden_dangers(conn, as_of=EARLIER, scope="found", limit=5000)
    closed_later = rows[rows["state"] != "closed"]
    assert closed_later["closed_on"].isna().all()
    assert (rows.loc[rows["state"] == "closed", "closed_on"] <= EARLIER).all()
    overdue = rows[(rows["state"] != "closed") & (rows["deadline"] < EARLIER)]
    assert (overdue["days_overdue"] == [(EARLIER - d).days for d in overdue["deadline"]]).all()
    assert (rows.loc[rows["state"] == "closed", "days_overdue"] == 0).all()


@pytest.mark.parametrize("as_of", [AS_OF, EARLIER])
def test_carried_over_summary_matches_sql(conn, as_of):
    row = rect.summarize_carried_over(conn, as_of=as_of).iloc[0]
    params = scope_params(as_of)
    assert row["open"] == expected_count(conn, "carried_over", as_of)
    assert row["major_open"] == expected_count(conn, "carried_over", as_of,
                                               extra=" AND level = 'major'")
    assert row["closed_this_year"] == count_sql(
        conn, "found_on < :start AND closed_on >= :start AND closed_on <= :as_of", **params)


@pytest.mark.parametrize("unit", [None, UNIT])
def test_ageing_matches_sql(conn, unit):
    by_age = rect.count_open_hidden_dangers_by_age(conn, as_of=AS_OF, unit=unit)
    assert set(by_age["bucket"]) <= set(rect.AGE_BUCKETS)
    for bucket in rect.AGE_BUCKETS:
        for carried, extra in ((False, " AND found_on >= :start"), (True, " AND found_on < :start")):
            shown = by_age.loc[(by_age["bucket"] == bucket) & (by_age["carried_over"] == carried),
                               "open"]
            assert (int(shown.sum())) == expected_count(conn, bucket, AS_OF, unit, extra)


# ---- drill-down from a chart click -------------------------------------------------------
def point(customdata):
    return {"curve_number": 0, "point_index": 0, "customdata": customdata}


@pytest.mark.parametrize(("selection", "expected"), [
    (None, None),
    ({"selection": {"points": []}}, None),
    ({"selection": {"points": [{"x": 1}]}}, None),
    ({"selection": {"points": [point(["overdue", "unit", "140431"])]}},
     figs.Drill("overdue", unit="140431")),
    ({"points": [point(["closed", "sector", "coal"])]}, figs.Drill("closed", sector="coal")),
    ({"selection": {"points": [point(["open_in_time", "unit", "140426"])]}},
     figs.Drill("open", unit="140426")),
    ({"selection": {"points": [point(["closed_in_period", "month", 3])]}},
     figs.Drill("closed_in_period", month=3)),
    ({"selection": {"points": [point(["age_over_90", "", ""]), point(["found", "", ""])]}},
     figs.Drill("age_over_90")),
])
def test_drill_from_selection(selection, expected):
    assert figs.drill_from_selection(selection) == expected


def test_every_bar_of_the_hazard_figures_drills_to_a_known_scope(conn):
    summary = rect.summarize_hidden_dangers(conn, as_of=AS_OF, by="unit_code")
    names = {"140431": "沁源县", "140426": "黎城县"}
    figures = [
        figs.build_hazards_by_place(summary, dimension="unit", names=names),
        figs.build_hazards_by_month(rect.count_hidden_dangers_by_month(conn, as_of=AS_OF),
                                    year=AS_OF.year),
        figs.build_open_by_age(rect.count_open_hidden_dangers_by_age(conn, as_of=AS_OF)),
    ]
    for fig in figures:
        for trace in fig.data:
            for data in trace.customdata:
                drill = figs.drill_from_selection({"points": [point(list(data))]})
                assert drill.scope in rect.HAZARD_SCOPES
    by_place = figures[0]
    assert [d[2] for d in by_place.data[2].customdata] == ["140431", "140426"]
    overdue = summary.set_index("unit_code")["overdue"]
    assert list(by_place.data[2].x) == [overdue["140431"], overdue["140426"]]


# ---- tables and downloads ----------------------------------------------------------------
def test_checklist_table_marks_due_soon_and_blanks_missing_dates(conn):
    tasks = rect.list_key_tasks(conn, as_of=AS_OF)
    table = figs.checklist_table(tasks, sector_names={"coal": "煤矿"})
    assert len(table) == len(tasks)
    assert "推进中(临期)" in set(table["状态"])
    shown = figs.for_display(table)
    assert "None" not in set(shown["完成日期"].astype(str))
    assert set(shown.loc[tasks["completed_on"].isna().to_numpy(), "完成日期"]) == {""}


def test_downloads_keep_chinese(conn):
    rows = rect.list_hidden_dangers(conn, as_of=AS_OF, scope="major_open", limit=50)
    table = figs.hazard_table(rows, unit_names={"140431": "沁源县"}, sector_names={})
    assert set(table["双报告"]) <= {"已双报告", "未报告", "仅报监管部门", "仅报职代会"}
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("编号,企业,县区")
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(table, sheet="隐患清单")))
    sheet = book["隐患清单"]
    assert sheet.cell(1, 1).value == "编号"
    assert sheet.max_row == len(table) + 1
