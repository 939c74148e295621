"""Intelligent mining: working faces by stage and month, green pilots and the demonstration mine.

A face's stage as of a date is the last stage whose date is on or before it:
计划 planned → 建设中 construction → 自评达标 self_assessed → 申报 applied → 评定 evaluated →
通过 accepted (built). Faces are counted for the plan year of `as_of`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access._sql import count_where, frame, unit_scope
from data_access.schema import coal_mines, mine_milestones, working_faces
from data_access.validity import usable

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


def _face_conditions(conn: sa.Connection, *, as_of: dt.date,
                     unit: str | None) -> list[sa.ColumnElement[bool]]:
    """The plan year's valid faces (`validity.usable`) of valid mines in the unit."""
    return [working_faces.c.plan_year == as_of.year, working_faces.c.planned_on <= as_of,
            *unit_scope(coal_mines.c.unit_code, unit), *usable(conn, working_faces),
            *usable(conn, coal_mines)]


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
        .where(*_face_conditions(conn, as_of=as_of, unit=unit))
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
                    .where(*_face_conditions(conn, as_of=as_of, unit=unit)).group_by(planned_month))
    accepted_month = sa.extract("month", wf.accepted_on).label("month")
    accepted = frame(conn, sa.select(accepted_month, sa.func.count().label("accepted"))
                     .select_from(_faces_with_mines())
                     .where(*_face_conditions(conn, as_of=as_of, unit=unit), _reached(wf.accepted_on, as_of))
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
        .where(*_face_conditions(conn, as_of=as_of, unit=unit))
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
        .where(*usable(conn, mine_milestones), *usable(conn, coal_mines))
        .order_by(mm.programme, coal_mines.c.name, mm.planned_on)
    )
    return frame(conn, stmt)


def count_programme_mines(conn: sa.Connection) -> dict[str, int]:
    """How many mines are designated green-mining pilots and intelligent demonstration mines."""
    stmt = sa.select(count_where(coal_mines.c.is_green_pilot, "green_pilot"),
                     count_where(coal_mines.c.is_intelligent_demo, "intelligent_demo")
                     ).where(*usable(conn, coal_mines))
    row = frame(conn, stmt).iloc[0]
    return {name: int(value) for name, value in row.items()}


# ---- faces one by one: lagging faces and a mine's drill-down -------------------------------
_STAGE_DATE_COLUMNS = ("planned_on", "construction_started_on", "self_assessed_on", "applied_on",
                       "evaluated_on", "accepted_on")


def _late_condition(as_of: dt.date) -> sa.ColumnElement[bool]:
    wf = working_faces.c
    return sa.and_(wf.planned_completion_on < as_of, sa.not_(_reached(wf.accepted_on, as_of)))


def list_faces(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
               mine_id: int | None = None, late_only: bool = False) -> pd.DataFrame:
    """Faces of the plan year as of `as_of`, one row each: id, name, mine_id, mine, unit_code,
    face_type, stage, planned_completion_on, the stage dates (planned_on … accepted_on; a date
    after `as_of` reads as not yet reached, None), late (bool) and days_late (days since the
    planned completion date for a late face, else 0).

    `late_only` keeps faces whose planned completion date has passed without acceptance, the
    longest overdue first; otherwise faces are ordered by planned completion date. Empty when
    no face matches."""
    wf = working_faces.c
    late = _late_condition(as_of)
    stage_dates = [
        sa.case((_reached(getattr(wf, name), as_of), getattr(wf, name))).label(name)
        for name in _STAGE_DATE_COLUMNS
    ]
    stmt = (
        sa.select(wf.id, wf.name, wf.mine_id, coal_mines.c.name.label("mine"),
                  coal_mines.c.unit_code, wf.face_type, stage_expression(as_of).label("stage"),
                  wf.planned_completion_on, *stage_dates,
                  sa.case((late, 1), else_=0).label("late"))
        .select_from(_faces_with_mines())
        .where(*_face_conditions(conn, as_of=as_of, unit=unit))
        .order_by(wf.planned_completion_on, wf.id)
    )
    if mine_id is not None:
        stmt = stmt.where(wf.mine_id == mine_id)
    if late_only:
        stmt = stmt.where(late)
    df = frame(conn, stmt)
    df["late"] = df["late"].astype(bool)
    df["days_late"] = [(as_of - planned).days if is_late else 0
                       for planned, is_late in zip(df["planned_completion_on"], df["late"])]
    return df


def list_acceptance_dates(conn: sa.Connection, *, as_of: dt.date,
                          unit: str | None = None) -> list[dt.date]:
    """Acceptance dates (one per face, ascending, duplicates kept) of the plan year's faces
    accepted on or before `as_of`; the input of the forecast. Empty when none is accepted."""
    wf = working_faces.c
    stmt = (sa.select(wf.accepted_on).select_from(_faces_with_mines())
            .where(*_face_conditions(conn, as_of=as_of, unit=unit), _reached(wf.accepted_on, as_of))
            .order_by(wf.accepted_on))
    return [_as_date(day) for day in conn.execute(stmt).scalars()]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def summarize_faces_by_unit(conn: sa.Connection, *, as_of: dt.date,
                            unit: str | None = None) -> pd.DataFrame:
    """Per unit with faces in the plan year: unit_code, planned, accepted, late (faces whose
    planned completion date has passed without acceptance); most late first."""
    wf = working_faces.c
    stmt = (
        sa.select(coal_mines.c.unit_code, sa.func.count().label("planned"),
                  count_where(_reached(wf.accepted_on, as_of), "accepted"),
                  count_where(_late_condition(as_of), "late"))
        .select_from(_faces_with_mines())
        .where(*_face_conditions(conn, as_of=as_of, unit=unit))
        .group_by(coal_mines.c.unit_code)
        .order_by(sa.desc("late"), coal_mines.c.unit_code)
    )
    return frame(conn, stmt)


# ---- green-mining pilots and the demonstration mine ----------------------------------------
# A milestone as of a date: achieved (on or before its planned date), achieved_late, overdue
# (planned date passed, not achieved) or due (planned date still ahead).
MILESTONE_STATES = ("achieved", "achieved_late", "overdue", "due")
# A programme mine as of a date: completed (every milestone achieved: it counts toward the
# target), behind (a milestone overdue), on_track, or no_plan (designated, no milestones).
PROGRAMME_MINE_STATES = ("completed", "behind", "on_track", "no_plan")


def milestone_state_expression(as_of: dt.date) -> sa.ColumnElement[str]:
    mm = mine_milestones.c
    achieved = _reached(mm.achieved_on, as_of)
    return sa.case(
        (sa.and_(achieved, mm.achieved_on <= mm.planned_on), "achieved"),
        (achieved, "achieved_late"),
        (mm.planned_on < as_of, "overdue"),
        else_="due",
    )


def list_milestones(conn: sa.Connection, *, as_of: dt.date,
                    unit: str | None = None) -> pd.DataFrame:
    """Milestones of the pilot and demonstration mines as of `as_of`: mine_id, mine, unit_code,
    programme, name, planned_on, achieved_on (None unless achieved by `as_of`), state (one of
    MILESTONE_STATES). Ordered by programme, mine, planned date; empty when there are none."""
    mm = mine_milestones.c
    stmt = (
        sa.select(coal_mines.c.id.label("mine_id"), coal_mines.c.name.label("mine"),
                  coal_mines.c.unit_code, mm.programme, mm.name, mm.planned_on,
                  sa.case((_reached(mm.achieved_on, as_of), mm.achieved_on)).label("achieved_on"),
                  milestone_state_expression(as_of).label("state"))
        .select_from(mine_milestones.join(coal_mines, mm.mine_id == coal_mines.c.id))
        .where(*usable(conn, mine_milestones), *usable(conn, coal_mines))
        .order_by(mm.programme, coal_mines.c.name, mm.planned_on)
    )
    return frame(conn, stmt.where(*unit_scope(coal_mines.c.unit_code, unit)))


def summarize_programme_mines(conn: sa.Connection, *, as_of: dt.date,
                              unit: str | None = None) -> pd.DataFrame:
    """One row per designated mine and programme (flags in coal_mines; a mine designated but
    with no milestones still appears): mine_id, mine, unit_code, programme, milestones,
    achieved (by `as_of`, on time or late), achieved_late (of those, after the planned date),
    overdue, next_milestone and next_planned_on (the
    earliest milestone not achieved; None when all are), state (PROGRAMME_MINE_STATES).
    Ordered by programme (green pilots first), then most overdue, then mine name."""
    mm = mine_milestones.c
    cm = coal_mines.c
    state = milestone_state_expression(as_of)
    parts = []
    for programme, flag in (("green_pilot", cm.is_green_pilot),
                            ("intelligent_demo", cm.is_intelligent_demo)):
        joined = coal_mines.outerjoin(
            mine_milestones, sa.and_(mm.mine_id == cm.id, mm.programme == programme,
                                     *usable(conn, mine_milestones)))
        parts.append(
            sa.select(cm.id.label("mine_id"), cm.name.label("mine"), cm.unit_code,
                      sa.literal(programme, sa.String(16)).label("programme"),
                      sa.func.count(mm.id).label("milestones"),
                      count_where(state.in_(("achieved", "achieved_late")), "achieved"),
                      count_where(state == "achieved_late", "achieved_late"),
                      count_where(sa.and_(mm.id.is_not(None), state == "overdue"), "overdue"))
            .select_from(joined)
            .where(flag, *unit_scope(cm.unit_code, unit), *usable(conn, coal_mines))
            .group_by(cm.id, cm.name, cm.unit_code)
        )
    summary = frame(conn, sa.union_all(*parts))
    pending = _next_milestones(conn, as_of=as_of)
    summary = summary.merge(pending, on=["mine_id", "programme"], how="left")
    summary["state"] = [programme_mine_state(m, a, o) for m, a, o in
                        zip(summary["milestones"], summary["achieved"], summary["overdue"])]
    summary["programme_order"] = summary["programme"].map({"green_pilot": 0, "intelligent_demo": 1})
    summary = summary.sort_values(["programme_order", "overdue", "mine"],
                                  ascending=[True, False, True])
    return summary.drop(columns="programme_order").reset_index(drop=True)


def _next_milestones(conn: sa.Connection, *, as_of: dt.date) -> pd.DataFrame:
    """mine_id, programme, next_milestone, next_planned_on: the earliest milestone per mine and
    programme not achieved by `as_of`."""
    mm = mine_milestones.c
    rank = sa.func.row_number().over(partition_by=(mm.mine_id, mm.programme),
                                     order_by=(mm.planned_on, mm.id)).label("rank")
    pending = (sa.select(mm.mine_id, mm.programme, mm.name.label("next_milestone"),
                         mm.planned_on.label("next_planned_on"), rank)
               .where(sa.not_(_reached(mm.achieved_on, as_of)), *usable(conn, mine_milestones))
               .subquery())
    stmt = (sa.select(pending.c.mine_id, pending.c.programme, pending.c.next_milestone,
                      pending.c.next_planned_on)
            .where(pending.c.rank == 1))
    return frame(conn, stmt)


def programme_mine_state(milestones: int, achieved: int, overdue: int) -> str:
    """completed when every milestone is achieved (what counts toward the 9 / 1 targets),
    behind when any is overdue, on_track otherwise; no_plan without milestones."""
    if milestones == 0:
        return "no_plan"
    if achieved >= milestones:
        return "completed"
    return "behind" if overdue > 0 else "on_track"
