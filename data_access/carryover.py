"""What spans years, counted once: work planned in an earlier year and not finished when the
year began is carried over (往年结转) into the year of `as_of`, shown beside the year's own work
and never in its counts (those count the year's plan only).

- faces: intelligent working faces of an earlier plan year not accepted before 1 January;
- key tasks: key tasks of an earlier year's checklist not completed (a 100 % report) before
  1 January;
- hidden dangers: `rectification.summarize_carried_over` (found before 1 January, still open).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data_access._sql import count_where, unit_scope, year_start
from data_access.schema import coal_mines, key_tasks, task_progress_reports, working_faces
from data_access.validity import usable


def _one(conn: sa.Connection, stmt: sa.Select) -> dict[str, int]:
    row = conn.execute(stmt).mappings().one()
    return {key: int(value or 0) for key, value in row.items()}


def count_carried_over_faces(conn: sa.Connection, *, as_of: dt.date,
                             unit: str | None = None) -> dict[str, int]:
    """Faces of earlier plan years not accepted before 1 January (carried) and of those, the
    ones accepted between 1 January and `as_of` (built)."""
    wf = working_faces.c
    start = year_start(as_of)
    return _one(conn, sa.select(
        sa.func.count().label("carried"),
        count_where(sa.and_(wf.accepted_on.is_not(None), wf.accepted_on <= as_of), "built"),
    ).select_from(working_faces.join(coal_mines, wf.mine_id == coal_mines.c.id))
        .where(wf.plan_year < as_of.year,
               sa.or_(wf.accepted_on.is_(None), wf.accepted_on >= start),
               *unit_scope(coal_mines.c.unit_code, unit), *usable(conn, working_faces),
               *usable(conn, coal_mines)))


def count_carried_over_tasks(conn: sa.Connection, *, as_of: dt.date) -> dict[str, int]:
    """Key tasks of earlier years not completed before 1 January (carried) and of those, the
    ones completed between 1 January and `as_of` (completed). The checklist is city-wide."""
    tp = task_progress_reports.c
    done = (sa.select(tp.task_id, sa.func.min(tp.reported_on).label("completed_on"))
            .where(tp.progress_pct >= 100, tp.reported_on <= as_of,
                   *usable(conn, task_progress_reports))
            .group_by(tp.task_id).subquery())
    start = year_start(as_of)
    return _one(conn, sa.select(
        sa.func.count().label("carried"),
        count_where(done.c.completed_on.is_not(None), "completed"),
    ).select_from(key_tasks.outerjoin(done, done.c.task_id == key_tasks.c.id))
        .where(key_tasks.c.year < as_of.year,
               sa.or_(done.c.completed_on.is_(None), done.c.completed_on >= start),
               *usable(conn, key_tasks)))
