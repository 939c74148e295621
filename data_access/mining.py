"""Intelligent mining: working faces by stage and month, green pilots and the demonstration mine.

A face's stage as of a date is the last stage whose date is on or before it:
计划 planned → 建设中 construction → 自评达标 self_assessed → 申报 applied → 评定 evaluated →
通过 accepted (built). Faces are counted for the plan year of `as_of`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access._sql import count_where, frame
from data_access.schema import coal_mines, mine_milestones, working_faces

CITY_CODE = "140400"
STAGES = ("planned", "construction", "self_assessed", "applied", "evaluated", "accepted")
_STAGE_COLUMNS = {
    "accepted": working_faces.c.accepted_on,
    "evaluated": working_faces.c.evaluated_on,
    "applied": working_faces.c.applied_on,
    "self_assessed": working_faces.c.self_assessed_on,
    "construction": working_faces.c.construction_started_on,
}


def _reached(column: sa.Column, as_of: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(column.is_not(None), column <= as_of)


def stage_expression(as_of: dt.date) -> sa.ColumnElement[str]:
    return sa.case(
        *((_reached(column, as_of), stage) for stage, column in _STAGE_COLUMNS.items()),
        else_="planned",
    )


def _face_conditions(*, as_of: dt.date, unit: str | None) -> list[sa.ColumnElement[bool]]:
    conditions = [working_faces.c.plan_year == as_of.year, working_faces.c.planned_on <= as_of]
    if unit and unit != CITY_CODE:
        conditions.append(coal_mines.c.unit_code == unit)
    return conditions


def _faces_with_mines() -> sa.Join:
    return working_faces.join(coal_mines, working_faces.c.mine_id == coal_mines.c.id)


def count_faces_by_stage(conn: sa.Connection, *, as_of: dt.date,
                         unit: str | None = None) -> pd.DataFrame:
    """Faces of the plan year per stage and type as of `as_of`: stage, face_type, faces.
    A face counts as late when its planned completion date has passed without acceptance."""
    stage = stage_expression(as_of).label("stage")
    late = sa.and_(working_faces.c.planned_completion_on < as_of,
                   sa.not_(_reached(working_faces.c.accepted_on, as_of)))
    stmt = (
        sa.select(stage, working_faces.c.face_type, sa.func.count().label("faces"),
                  count_where(late, "late"))
        .select_from(_faces_with_mines())
        .where(*_face_conditions(as_of=as_of, unit=unit))
        .group_by(stage, working_faces.c.face_type)
    )
    return frame(conn, stmt)


def count_faces_by_month(conn: sa.Connection, *, as_of: dt.date,
                         unit: str | None = None) -> pd.DataFrame:
    """Per month of the plan year: planned (by planned completion date, all 12 months) and
    accepted (by acceptance date, up to `as_of`). Columns: month, planned, accepted."""
    wf = working_faces.c
    planned_month = sa.extract("month", wf.planned_completion_on).label("month")
    planned = frame(conn, sa.select(planned_month, sa.func.count().label("planned"))
                    .select_from(_faces_with_mines())
                    .where(*_face_conditions(as_of=as_of, unit=unit)).group_by(planned_month))
    accepted_month = sa.extract("month", wf.accepted_on).label("month")
    accepted = frame(conn, sa.select(accepted_month, sa.func.count().label("accepted"))
                     .select_from(_faces_with_mines())
                     .where(*_face_conditions(as_of=as_of, unit=unit), _reached(wf.accepted_on, as_of))
                     .group_by(accepted_month))
    months = pd.DataFrame({"month": range(1, 13)})
    for part in (planned, accepted):
        part["month"] = part["month"].astype(int)
    return (months.merge(planned, on="month", how="left").merge(accepted, on="month", how="left")
            .fillna(0).astype(int))


def summarize_faces_by_mine(conn: sa.Connection, *, as_of: dt.date,
                            unit: str | None = None) -> pd.DataFrame:
    """Per mine with faces in the plan year: mine_id, mine, unit_code, planned, accepted, late."""
    wf = working_faces.c
    late = sa.and_(wf.planned_completion_on < as_of, sa.not_(_reached(wf.accepted_on, as_of)))
    stmt = (
        sa.select(coal_mines.c.id.label("mine_id"), coal_mines.c.name.label("mine"),
                  coal_mines.c.unit_code, coal_mines.c.is_green_pilot,
                  coal_mines.c.is_intelligent_demo,
                  sa.func.count().label("planned"),
                  count_where(_reached(wf.accepted_on, as_of), "accepted"),
                  count_where(late, "late"))
        .select_from(_faces_with_mines())
        .where(*_face_conditions(as_of=as_of, unit=unit))
        .group_by(coal_mines.c.id, coal_mines.c.name, coal_mines.c.unit_code,
                  coal_mines.c.is_green_pilot, coal_mines.c.is_intelligent_demo)
        .order_by(sa.desc("late"), coal_mines.c.name)
    )
    return frame(conn, stmt)


def list_programme_milestones(conn: sa.Connection, *, as_of: dt.date) -> pd.DataFrame:
    """Milestones of the green-mining pilots and the demonstration mine, with whether each was
    achieved by `as_of`: mine, unit_code, programme, name, planned_on, achieved_on (None if
    not by `as_of`)."""
    mm = mine_milestones.c
    stmt = (
        sa.select(coal_mines.c.id.label("mine_id"), coal_mines.c.name.label("mine"),
                  coal_mines.c.unit_code, mm.programme, mm.name, mm.planned_on,
                  sa.case((_reached(mm.achieved_on, as_of), mm.achieved_on)).label("achieved_on"))
        .select_from(mine_milestones.join(coal_mines, mm.mine_id == coal_mines.c.id))
        .order_by(mm.programme, coal_mines.c.name, mm.planned_on)
    )
    return frame(conn, stmt)


def count_programme_mines(conn: sa.Connection) -> dict[str, int]:
    """How many mines are designated green-mining pilots and intelligent demonstration mines."""
    stmt = sa.select(count_where(coal_mines.c.is_green_pilot, "green_pilot"),
                     count_where(coal_mines.c.is_intelligent_demo, "intelligent_demo"))
    row = frame(conn, stmt).iloc[0]
    return {name: int(value) for name, value in row.items()}
