"""The special-rectification key-task checklist and the hidden-danger ledger.

Everything is computed as of a date from dated records: a task's status from the progress
reports made on or before `as_of`; a hidden danger's state from its found, started, submitted
and closed dates. Moving `as_of` back shows what the page would have shown then.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access._sql import count_where, frame, year_start
from data_access.schema import departments, enterprises, hidden_dangers, key_tasks
from data_access.schema import task_progress_reports as reports

CITY_CODE = "140400"
TASK_STATUSES = ("not_started", "in_progress", "completed", "overdue")
HAZARD_STATES = ("pending", "in_progress", "awaiting_acceptance", "closed")


def task_status(*, progress_pct: int | None, completed_on: dt.date | None, deadline: dt.date,
                as_of: dt.date) -> str:
    """未启动 / 推进中 / 已完成 / 逾期 as of a date.

    Completed if a 100% report was made on or before `as_of` (on the deadline counts as on
    time); otherwise overdue once `as_of` is after the deadline (due today is not overdue);
    otherwise not started while no progress has been reported, else in progress.
    """
    if completed_on is not None and completed_on <= as_of:
        return "completed"
    if as_of > deadline:
        return "overdue"
    if not progress_pct:
        return "not_started"
    return "in_progress"


def list_key_tasks(conn: sa.Connection, *, as_of: dt.date) -> pd.DataFrame:
    """Every key task of the year of `as_of`, with its latest report on or before `as_of`
    (reported_on, progress_pct, note), the date it was completed (or None) and its status."""
    ranked = (
        sa.select(
            reports.c.task_id, reports.c.reported_on, reports.c.progress_pct, reports.c.note,
            sa.func.row_number().over(
                partition_by=reports.c.task_id,
                order_by=(reports.c.reported_on.desc(), reports.c.id.desc()),
            ).label("rank"),
        )
        .where(reports.c.reported_on <= as_of)
        .subquery()
    )
    latest = sa.select(ranked).where(ranked.c.rank == 1).subquery()
    completed = (
        sa.select(reports.c.task_id, sa.func.min(reports.c.reported_on).label("completed_on"))
        .where(reports.c.reported_on <= as_of, reports.c.progress_pct >= 100)
        .group_by(reports.c.task_id)
        .subquery()
    )
    stmt = (
        sa.select(
            key_tasks.c.id, key_tasks.c.code, key_tasks.c.sector_code, key_tasks.c.notice_section,
            key_tasks.c.title, key_tasks.c.lead_department_code,
            departments.c.name.label("lead_department"), key_tasks.c.responsible_units,
            key_tasks.c.start_on, key_tasks.c.deadline,
            latest.c.reported_on, latest.c.progress_pct, latest.c.note,
            completed.c.completed_on,
        )
        .select_from(
            key_tasks.join(departments, key_tasks.c.lead_department_code == departments.c.code)
            .outerjoin(latest, latest.c.task_id == key_tasks.c.id)
            .outerjoin(completed, completed.c.task_id == key_tasks.c.id)
        )
        .where(key_tasks.c.year == as_of.year)
        .order_by(key_tasks.c.deadline, key_tasks.c.code)
    )
    df = frame(conn, stmt)
    df["status"] = [
        task_status(progress_pct=None if pd.isna(p) else int(p),
                    completed_on=None if pd.isna(c) else c, deadline=d, as_of=as_of)
        for p, c, d in zip(df["progress_pct"], df["completed_on"], df["deadline"])
    ]
    return df


def _hazard_conditions(*, as_of: dt.date, unit: str | None, sector: str | None,
                       start: dt.date | None) -> list[sa.ColumnElement[bool]]:
    hd = hidden_dangers.c
    conditions = [hd.found_on >= (start or year_start(as_of)), hd.found_on <= as_of]
    if unit and unit != CITY_CODE:
        conditions.append(hd.unit_code == unit)
    if sector:
        conditions.append(hd.sector_code == sector)
    return conditions


def _closed_by(as_of: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(hidden_dangers.c.closed_on.is_not(None), hidden_dangers.c.closed_on <= as_of)


def _open_at(as_of: dt.date) -> sa.ColumnElement[bool]:
    return sa.or_(hidden_dangers.c.closed_on.is_(None), hidden_dangers.c.closed_on > as_of)


def _reported(column: sa.Column, as_of: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(column.is_not(None), column <= as_of)


HAZARD_GROUPINGS = {"unit_code": hidden_dangers.c.unit_code,
                    "sector_code": hidden_dangers.c.sector_code}


def summarize_hidden_dangers(conn: sa.Connection, *, as_of: dt.date, by: str | None = None,
                             unit: str | None = None, sector: str | None = None,
                             start: dt.date | None = None) -> pd.DataFrame:
    """Hidden dangers found from 1 January (or `start`) to `as_of`, and where they stood then.

    Columns: found, closed (signed off by `as_of`), open, overdue (open and past the deadline;
    due today is not overdue), major, major_open, major_open_not_double_reported (an open major
    hidden danger missing either of the two reports). `by` adds a "unit_code" or
    "sector_code" column; None gives one row of totals.
    """
    hd = hidden_dangers.c
    is_major = hd.level == "major"
    double_reported = sa.and_(_reported(hd.regulator_reported_on, as_of),
                              _reported(hd.congress_reported_on, as_of))
    columns = [
        sa.func.count().label("found"),
        count_where(_closed_by(as_of), "closed"),
        count_where(_open_at(as_of), "open"),
        count_where(sa.and_(_open_at(as_of), hd.deadline < as_of), "overdue"),
        count_where(is_major, "major"),
        count_where(sa.and_(is_major, _open_at(as_of)), "major_open"),
        count_where(sa.and_(is_major, _open_at(as_of), sa.not_(double_reported)),
                    "major_open_not_double_reported"),
    ]
    conditions = _hazard_conditions(as_of=as_of, unit=unit, sector=sector, start=start)
    if by is None:
        return frame(conn, sa.select(*columns).where(*conditions))
    if by not in HAZARD_GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    key = HAZARD_GROUPINGS[by].label(by)
    stmt = sa.select(key, *columns).where(*conditions).group_by(key).order_by(key)
    return frame(conn, stmt)


def count_hidden_dangers_by_month(conn: sa.Connection, *, as_of: dt.date,
                                  unit: str | None = None,
                                  sector: str | None = None) -> pd.DataFrame:
    """Per month of the year up to `as_of`: found (by found date) and closed (by sign-off date,
    whatever year the hidden danger was found). Columns: month, found, closed."""
    hd = hidden_dangers.c
    found_month = sa.extract("month", hd.found_on).label("month")
    found = frame(conn, sa.select(found_month, sa.func.count().label("found"))
                  .where(*_hazard_conditions(as_of=as_of, unit=unit, sector=sector, start=None))
                  .group_by(found_month))
    closed_conditions = [hd.closed_on >= year_start(as_of), hd.closed_on <= as_of]
    if unit and unit != CITY_CODE:
        closed_conditions.append(hd.unit_code == unit)
    if sector:
        closed_conditions.append(hd.sector_code == sector)
    closed_month = sa.extract("month", hd.closed_on).label("month")
    closed = frame(conn, sa.select(closed_month, sa.func.count().label("closed"))
                   .where(*closed_conditions).group_by(closed_month))
    months = pd.DataFrame({"month": range(1, as_of.month + 1)})
    for part in (found, closed):
        part["month"] = part["month"].astype(int)
    return (months.merge(found, on="month", how="left").merge(closed, on="month", how="left")
            .fillna(0).astype(int))


def hazard_state_expression(as_of: dt.date) -> sa.ColumnElement[str]:
    """待整改 / 整改中 / 待验收 / 已销号 as of a date, as a SQL expression."""
    hd = hidden_dangers.c
    return sa.case(
        (_closed_by(as_of), "closed"),
        (_reported(hd.submitted_on, as_of), "awaiting_acceptance"),
        (_reported(hd.rectify_started_on, as_of), "in_progress"),
        else_="pending",
    )


def list_hidden_dangers(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                        sector: str | None = None, level: str | None = None,
                        only_open: bool = False, only_overdue: bool = False,
                        start: dt.date | None = None, limit: int = 1000) -> pd.DataFrame:
    """The ledger rows behind a figure, oldest deadline first, at most `limit` rows."""
    hd = hidden_dangers.c
    conditions = _hazard_conditions(as_of=as_of, unit=unit, sector=sector, start=start)
    if level:
        conditions.append(hd.level == level)
    if only_open or only_overdue:
        conditions.append(_open_at(as_of))
    if only_overdue:
        conditions.append(hd.deadline < as_of)
    stmt = (
        sa.select(
            hd.code, enterprises.c.name.label("enterprise"), hd.unit_code, hd.sector_code,
            hd.found_on, hd.source, hd.level, hd.category, hd.description, hd.measure,
            hd.responsible_person, hd.deadline,
            hazard_state_expression(as_of).label("state"),
            sa.case((_closed_by(as_of), hd.closed_on)).label("closed_on"),
            sa.case((_reported(hd.regulator_reported_on, as_of), hd.regulator_reported_on))
            .label("regulator_reported_on"),
            sa.case((_reported(hd.congress_reported_on, as_of), hd.congress_reported_on))
            .label("congress_reported_on"),
        )
        .select_from(hidden_dangers.join(enterprises, hd.enterprise_id == enterprises.c.id))
        .where(*conditions)
        .order_by(hd.deadline, hd.code)
        .limit(limit)
    )
    return frame(conn, stmt)
