"""The ledger's counts (data_access.rollups) against its raw rows, on every backend: after the
sample is loaded, after an import, after its undo and after a rebuild; and the cases in which
the pages must stop trusting them (a write by plain SQL, a day on which the validity rules
admit rows they set aside)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import rectification, rollups, schema, validity, weekly
from data_access.importing import commit
from tests.importfill import plan_for, weekly_changes
from tests.sqlcheck import scalar

# Days that cross what the counts are split by: a year's last and first day, a month's first
# day, a leap day, days before and after the sample's as-of date.
DAYS = (dt.date(2021, 12, 31), dt.date(2022, 1, 1), dt.date(2022, 3, 1), dt.date(2024, 2, 29))


@contextlib.contextmanager
def raw_rows(engine: sa.Engine):
    """A connection on which the counts' state is removed inside a transaction rolled back at
    the end, so that the public functions read the raw rows."""
    with engine.connect() as conn, conn.begin() as transaction:
        conn.execute(schema.rollup_state.delete())
        assert not rollups.fresh(conn)
        yield conn
        transaction.rollback()


def _sample_unit_and_sector(conn) -> tuple[str, str]:
    unit, sector = conn.execute(sa.text(
        "SELECT unit_code, sector_code FROM hidden_dangers GROUP BY unit_code, sector_code "
        "ORDER BY COUNT(*) DESC, unit_code, sector_code")).first()
    return unit, sector


def _figures(conn, day: dt.date, unit: str | None, sector: str | None, *, counted: bool) -> dict:
    """Every ledger figure a page shows, from the counts (`counted`) or the public functions
    (which read raw rows inside `raw_rows`)."""
    place = {"unit": unit, "sector": sector}
    if counted:
        figures = {
            "summary": rollups.summarize(conn, as_of=day, **place),
            "by_unit": rollups.summarize(conn, as_of=day, by="unit_code", **place),
            "by_sector": rollups.summarize(conn, as_of=day, by="sector_code", **place),
            "carried": rollups.carried_over(conn, as_of=day, **place),
            "age": rollups.open_by_age(conn, as_of=day, **place),
            "months": rollups.by_month(conn, as_of=day, **place),
            "week": rollups.changes(conn, since=day - dt.timedelta(days=7), as_of=day, unit=unit),
        }
        scopes = {scope: rollups.count_scope(conn, scope, as_of=day, **place)
                  for scope in rectification.HAZARD_SCOPES}
        months = {scope: rollups.count_scope(conn, scope, as_of=day, month=day.month, **place)
                  for scope in ("found", "closed_in_period")}
    else:
        figures = {
            "summary": rectification.summarize_hidden_dangers(conn, as_of=day, **place),
            "by_unit": rectification.summarize_hidden_dangers(conn, as_of=day, by="unit_code",
                                                              **place),
            "by_sector": rectification.summarize_hidden_dangers(conn, as_of=day,
                                                                by="sector_code", **place),
            "carried": rectification.summarize_carried_over(conn, as_of=day, **place),
            "age": rectification.count_open_hidden_dangers_by_age(conn, as_of=day, **place),
            "months": rectification.count_hidden_dangers_by_month(conn, as_of=day, **place),
            "week": weekly.count_hazard_changes(conn, since=day - dt.timedelta(days=7),
                                                as_of=day, unit=unit),
        }
        scopes = {scope: rectification.count_hidden_dangers(conn, as_of=day, scope=scope,
                                                            **place)
                  for scope in rectification.HAZARD_SCOPES}
        months = {scope: rectification.count_hidden_dangers(conn, as_of=day, scope=scope,
                                                            month=day.month, **place)
                  for scope in ("found", "closed_in_period")}
    return {**figures, "scopes": scopes, "months_of_scopes": months}


def _same(counted: dict, raw: dict, where: str) -> None:
    for name, value in raw.items():
        got = counted[name]
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(got.reset_index(drop=True), value.reset_index(drop=True),
                                          check_dtype=False, obj=f"{name} {where}")
        else:
            assert got == value, f"{name} {where}"


def assert_counts_match_rows(engine: sa.Engine, days: tuple[dt.date, ...] = DAYS) -> None:
    with engine.connect() as conn:
        assert rollups.fresh(conn)
        unit, sector = _sample_unit_and_sector(conn)
        places = [(None, None), (unit, None), (unit, sector)]
        counted = {(day, place): _figures(conn, day, *place, counted=True)
                   for day in days for place in places}
        aside = rollups.set_aside(conn)
    with raw_rows(engine) as conn:
        for (day, place), figures in counted.items():
            _same(figures, _figures(conn, day, *place, counted=False), f"at {day} {place}")
        raw_aside = validity.summarize_set_aside(conn, tables=("hidden_dangers",))
    assert ([aside] if aside else []) == raw_aside


def test_the_figures_are_not_all_zero(engine):
    """The comparisons below would pass on an empty ledger; the sample's is not."""
    with engine.connect() as conn:
        figures = rollups.summarize(conn, as_of=dt.date(2022, 11, 30)).iloc[0]
        assert figures["found"] == scalar(
            conn, "SELECT COUNT(*) FROM hidden_dangers WHERE found_on BETWEEN :a AND :b",
            a=dt.date(2022, 1, 1), b=dt.date(2022, 11, 30)) > 0
        assert figures["overdue"] > 0 and figures["major_open"] > 0


def test_counts_match_the_rows_after_a_load(engine):
    assert_counts_match_rows(engine)


def test_counts_follow_an_import_and_its_undo(scratch_engine):
    with scratch_engine.connect() as conn:
        workbook = weekly_changes(conn)
    plan = plan_for(scratch_engine, ("沁县周报.xlsx", workbook))
    assert plan.ok and plan.tables["hidden_dangers"].removed
    commit.commit_plan(scratch_engine, plan)
    assert_counts_match_rows(scratch_engine)
    commit.undo_latest(scratch_engine)
    assert_counts_match_rows(scratch_engine)


def test_a_plain_sql_write_makes_the_pages_read_rows_until_a_rebuild(scratch_engine):
    with scratch_engine.begin() as conn:
        assert rollups.fresh(conn)
        conn.execute(sa.text("UPDATE hidden_dangers SET closed_on = NULL "
                             "WHERE id = (SELECT MIN(id) FROM hidden_dangers)"))
    with scratch_engine.connect() as conn:
        assert not rollups.fresh(conn)
    with scratch_engine.begin() as conn:
        rollups.refresh(conn)
    assert_counts_match_rows(scratch_engine)


def test_a_new_unit_by_plain_sql_is_noticed(scratch_engine):
    with scratch_engine.begin() as conn:
        conn.execute(sa.text("UPDATE units SET name = name WHERE code = '140430'"))
    with scratch_engine.connect() as conn:
        assert not rollups.fresh(conn)


def test_counts_made_on_an_earlier_day(scratch_engine, monkeypatch):
    """A row dated after the day the counts were made was set aside then; once that day has
    come, the raw rows count it and the counts are no longer trusted. Without such a row the
    counts stay good on later days."""
    later = dt.date.today() + dt.timedelta(days=30)
    with scratch_engine.connect() as conn:
        assert rollups.fresh(conn)
    monkeypatch.setattr(validity, "today", lambda: later)
    with scratch_engine.connect() as conn:
        assert rollups.fresh(conn)
    monkeypatch.undo()
    with scratch_engine.begin() as conn:
        conn.execute(sa.text("UPDATE hidden_dangers SET closed_on = :day "
                             "WHERE id = (SELECT MIN(id) FROM hidden_dangers)").bindparams(
            sa.bindparam("day", later - dt.timedelta(days=1), type_=sa.Date)))
        rollups.refresh(conn)
    assert_counts_match_rows(scratch_engine, days=())
    with scratch_engine.connect() as conn:
        assert rollups.set_aside(conn).rows == 1
    monkeypatch.setattr(validity, "today", lambda: later)
    with scratch_engine.connect() as conn:
        assert not rollups.fresh(conn)


@pytest.mark.parametrize(("low", "high", "expected"), [
    (None, dt.date(2022, 3, 15), [("monthly", None, dt.date(2022, 2, 1)),
                                  ("daily", dt.date(2022, 3, 1), dt.date(2022, 3, 15))]),
    (dt.date(2022, 1, 1), dt.date(2022, 3, 15), [("monthly", dt.date(2022, 1, 1),
                                                  dt.date(2022, 2, 1)),
                                                 ("daily", dt.date(2022, 3, 1),
                                                  dt.date(2022, 3, 15))]),
    (dt.date(2022, 3, 2), dt.date(2022, 3, 15), [("daily", dt.date(2022, 3, 2),
                                                  dt.date(2022, 3, 15))]),
    (dt.date(2021, 12, 29), dt.date(2022, 1, 4), [("daily", dt.date(2021, 12, 29),
                                                   dt.date(2021, 12, 31)),
                                                  ("daily", dt.date(2022, 1, 1),
                                                   dt.date(2022, 1, 4))]),
    (dt.date(2021, 11, 20), dt.date(2022, 1, 4), [("daily", dt.date(2021, 11, 20),
                                                   dt.date(2021, 11, 30)),
                                                  ("monthly", dt.date(2021, 12, 1),
                                                   dt.date(2021, 12, 1)),
                                                  ("daily", dt.date(2022, 1, 1),
                                                   dt.date(2022, 1, 4))]),
    (dt.date(2022, 1, 5), dt.date(2022, 1, 4), []),
])
def test_a_range_of_days_is_whole_months_and_days(low, high, expected):
    assert rollups.pieces(low, high) == expected
