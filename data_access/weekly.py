"""The weekly review: what changed since the previous review date.

"In the week" means `since < date ≤ as_of`; `since` is the previous review (by default seven
days before `as_of`, `ui.filters.Filters.previous_review`). `unit` is a unit code (None or the
city code "140400" = whole city). The key-task checklist is city-wide and ignores `unit`.

Where a domain module already answers the question, it is called (accidents, key tasks,
scorecard); the rest is written here in SQLAlchemy Core, aggregated in SQL and portable across
SQLite, PostgreSQL and MariaDB. An empty frame (or zero counts) means nothing changed.

Resource sites keep only their latest stock-check date, so the two stock-check counts are
exact for the latest as-of date and a lower bound for earlier ones.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access import accidents, rectification, rollups, scorecard
from data_access._sql import count_where, frame, next_day, unit_scope
from data_access.resources import DEFAULT_CHECK_INTERVAL_DAYS, checked_between, overdue_at
from data_access.schema import (
    coal_mines,
    drills,
    enterprises,
    hidden_dangers,
    mine_milestones,
    resource_sites,
    working_faces,
)
from data_access.validity import usable

REVIEW_INTERVAL_DAYS = 7
TASK_CHANGES = ("completed", "newly_overdue")
HAZARD_CHANGES = ("opened", "closed")


def default_since(as_of: dt.date) -> dt.date:
    """The previous weekly review: seven days before `as_of`."""
    return as_of - dt.timedelta(days=REVIEW_INTERVAL_DAYS)


def week_bounds(*, since: dt.date, as_of: dt.date,
                not_before: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of the review week: (since + 1 day, as_of), both included — the one
    definition every page, the screen and the brief state. Figures counted within the year
    pass `not_before` (1 January), which the first day then never precedes."""
    start = next_day(since)
    return (start if not_before is None else max(start, not_before)), as_of


def _in_week(column: sa.Column, since: dt.date, as_of: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(column.is_not(None), column > since, column <= as_of)


# ---- accidents ---------------------------------------------------------------------------
def count_new_accidents(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                        unit: str | None = None) -> dict[str, float]:
    """Accidents that occurred in the week: accidents, deaths, serious_injuries,
    direct_loss_wan (万元). Zeros: none occurred."""
    return accidents.count_accidents(conn, as_of=as_of, unit=unit, start=next_day(since))


def list_new_accidents(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                       unit: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The accidents of the week, newest first (columns of `accidents.list_accidents`)."""
    return accidents.list_accidents(conn, as_of=as_of, unit=unit, start=next_day(since),
                                    limit=limit)


# ---- key tasks (city-wide) -----------------------------------------------------------------
def list_task_changes(conn: sa.Connection, *, since: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Key tasks completed in the week, and tasks overdue at `as_of` that were not yet overdue
    at `since` (newly overdue). Columns: change ("completed" or "newly_overdue"), code, title,
    sector_code, lead_department, deadline, progress_pct (latest by `as_of`), completed_on,
    days_overdue (days past the deadline at `as_of`, 0 for completed tasks). Completed first,
    then newly overdue, each by deadline."""
    tasks = rectification.list_key_tasks(conn, as_of=as_of, previous_review=since)
    columns = ["change", "code", "title", "sector_code", "lead_department", "deadline",
               "progress_pct", "completed_on", "days_overdue"]
    parts = []
    for change, flag in (("completed", "completed_since_review"),
                         ("newly_overdue", "newly_overdue")):
        part = tasks.loc[tasks[flag].astype(bool).to_numpy()].copy()
        part["change"] = change
        part["days_overdue"] = [(as_of - d).days if change == "newly_overdue" else 0
                                for d in part["deadline"]]
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if out.empty:
        return pd.DataFrame(columns=columns)
    return out[columns].reset_index(drop=True)


# ---- hidden dangers ------------------------------------------------------------------------
def count_hazard_changes(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                         unit: str | None = None) -> dict[str, int]:
    """Hidden dangers found in the week (found), signed off in the week whatever year they were
    found (closed), and the same for major hidden dangers (major_opened, major_closed)."""
    if rollups.fresh(conn):
        return rollups.changes(conn, since=since, as_of=as_of, unit=unit)
    hd = hidden_dangers.c
    major = hd.level == "major"
    counts = {}
    # One range per date column (each read from a covering index), not one scan for "found
    # or closed in the week": the OR costs a merge of both row sets.
    for column, total, of_major in ((hd.found_on, "found", "major_opened"),
                                    (hd.closed_on, "closed", "major_closed")):
        stmt = sa.select(sa.func.count().label(total), count_where(major, of_major)).where(
            _in_week(column, since, as_of), *unit_scope(hd.unit_code, unit),
            *usable(conn, hidden_dangers))
        counts.update(frame(conn, stmt).iloc[0].to_dict())
    return {name: int(counts[name]) for name in ("found", "closed", "major_opened",
                                                 "major_closed")}


def list_major_hazard_changes(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                              unit: str | None = None, limit: int | None = None
                              ) -> pd.DataFrame:
    """Major hidden dangers found in the week (change "opened") and signed off in the week
    (change "closed"); one found and closed within the week appears under both. Columns:
    change, code, enterprise, unit_code, sector_code, found_on, deadline, closed_on (None
    unless signed off by `as_of`), state (as of `as_of`), description. Opened first, each by
    date; the first `limit` of them when given (their number is `count_hazard_changes`'s
    major_opened + major_closed)."""
    hd = hidden_dangers.c
    closed_by = sa.and_(hd.closed_on.is_not(None), hd.closed_on <= as_of)

    def part(change: str, column: sa.Column) -> sa.Select:
        return (
            sa.select(
                sa.literal(change, sa.String(8)).label("change"),
                sa.literal(HAZARD_CHANGES.index(change), sa.Integer).label("change_order"),
                hd.code, enterprises.c.name.label("enterprise"), hd.unit_code, hd.sector_code,
                hd.found_on, hd.deadline, sa.case((closed_by, hd.closed_on)).label("closed_on"),
                rectification.hazard_state_expression(as_of).label("state"), hd.description,
                column.label("changed_on"),
            )
            .select_from(hidden_dangers.outerjoin(enterprises,
                                                  hd.enterprise_id == enterprises.c.id))
            .where(hd.level == "major", _in_week(column, since, as_of),
                   *unit_scope(hd.unit_code, unit), *usable(conn, hidden_dangers))
        )

    union = sa.union_all(part("opened", hd.found_on), part("closed", hd.closed_on)).subquery()
    stmt = (sa.select(union).order_by(union.c.change_order, union.c.changed_on, union.c.code)
            .limit(limit))
    df = frame(conn, stmt)
    return df.drop(columns=["change_order", "changed_on"])


# ---- intelligent mining --------------------------------------------------------------------
def list_faces_accepted(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                        unit: str | None = None) -> pd.DataFrame:
    """Intelligent working faces accepted (公示通过, built) in the week, whatever their plan
    year: id, name, mine, unit_code, face_type, plan_year, planned_completion_on, accepted_on,
    late (accepted after the planned completion date). Oldest acceptance first."""
    wf = working_faces.c
    stmt = (
        sa.select(wf.id, wf.name, coal_mines.c.name.label("mine"), coal_mines.c.unit_code,
                  wf.face_type, wf.plan_year, wf.planned_completion_on, wf.accepted_on,
                  sa.case((wf.accepted_on > wf.planned_completion_on, 1), else_=0).label("late"))
        .select_from(working_faces.join(coal_mines, wf.mine_id == coal_mines.c.id))
        .where(_in_week(wf.accepted_on, since, as_of), *unit_scope(coal_mines.c.unit_code, unit),
               *usable(conn, working_faces), *usable(conn, coal_mines))
        .order_by(wf.accepted_on, wf.id)
    )
    df = frame(conn, stmt)
    df["late"] = df["late"].astype(bool)
    return df


def list_milestones_achieved(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                             unit: str | None = None) -> pd.DataFrame:
    """Milestones of the green-mining pilots and the demonstration mine achieved in the week:
    mine, unit_code, programme, name, planned_on, achieved_on. Oldest first."""
    mm = mine_milestones.c
    stmt = (
        sa.select(coal_mines.c.name.label("mine"), coal_mines.c.unit_code, mm.programme,
                  mm.name, mm.planned_on, mm.achieved_on)
        .select_from(mine_milestones.join(coal_mines, mm.mine_id == coal_mines.c.id))
        .where(_in_week(mm.achieved_on, since, as_of), *unit_scope(coal_mines.c.unit_code, unit),
               *usable(conn, mine_milestones), *usable(conn, coal_mines))
        .order_by(mm.achieved_on, mm.id)
    )
    return frame(conn, stmt)


# ---- emergency resources -------------------------------------------------------------------
def list_drills_held(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                     unit: str | None = None) -> pd.DataFrame:
    """Emergency drills held in the week: held_on, unit_code, kind, title, participants."""
    dr = drills.c
    stmt = (
        sa.select(dr.held_on, dr.unit_code, dr.kind, dr.title, dr.participants)
        .where(_in_week(dr.held_on, since, as_of), *unit_scope(dr.unit_code, unit),
               *usable(conn, drills))
        .order_by(dr.held_on, dr.id)
    )
    return frame(conn, stmt)


def count_site_check_changes(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                             unit: str | None = None,
                             check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS
                             ) -> dict[str, int]:
    """Resource sites with a stock check in the week (checked), and sites whose check became
    overdue in the week (newly_overdue: overdue at `as_of`, not yet at `since`), both from the
    dated check log."""
    rs = resource_sites.c
    stmt = (
        sa.select(
            count_where(checked_between(conn, next_day(since), as_of), "checked"),
            count_where(sa.and_(overdue_at(conn, as_of, check_interval_days),
                                sa.not_(overdue_at(conn, since, check_interval_days))),
                        "newly_overdue"))
        .where(*unit_scope(rs.unit_code, unit), *usable(conn, resource_sites))
    )
    row = frame(conn, stmt).iloc[0]
    return {name: int(value) for name, value in row.items()}


# ---- scorecard -----------------------------------------------------------------------------
def compare_scorecard(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                      unit: str | None = None) -> pd.DataFrame:
    """The scorecard at `as_of` beside the one at `since` (`scorecard.compare_weeks`)."""
    return scorecard.compare_weeks(scorecard.compute_scorecard(conn, as_of=as_of, unit=unit),
                                   scorecard.compute_scorecard(conn, as_of=since, unit=unit))


def status_changes(compared: pd.DataFrame) -> pd.DataFrame:
    """Lines of a `compare_scorecard` frame whose status differs from the previous review's
    (lines that keep no history never change)."""
    changed = compared["status"] != compared["previous_status"]
    return compared[changed & compared["has_history"].astype(bool)].reset_index(drop=True)


def list_scorecard_changes(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                           unit: str | None = None) -> pd.DataFrame:
    """Scorecard lines whose status changed since the previous review (columns of
    `compare_scorecard`: code, section, value, status, previous_value, previous_status …)."""
    return status_changes(compare_scorecard(conn, since=since, as_of=as_of, unit=unit))


# ---- all counts at once --------------------------------------------------------------------
WEEK_PARTS = ("accidents", "tasks", "hazards", "faces", "milestones", "drills", "checks")


def summarize_week(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
                   unit: str | None = None, scorecard: bool = True,
                   parts: tuple[str, ...] = WEEK_PARTS) -> dict[str, int]:
    """The counts of the weekly review, by part: accidents (accidents, deaths), tasks
    (tasks_completed, tasks_newly_overdue, city-wide), hazards (hazards_found, hazards_closed,
    major_opened, major_closed), faces (faces_accepted), milestones (milestones_achieved),
    drills, checks (sites_checked, sites_newly_overdue); only the `parts` asked for (a page's
    block needs its own). Unless `scorecard` is False (it computes the scorecard twice), also
    scorecard_changed."""
    unknown = set(parts) - set(WEEK_PARTS)
    if unknown:
        raise ValueError(f"unknown parts {sorted(unknown)}")
    counts: dict[str, int] = {}
    if "accidents" in parts:
        new = count_new_accidents(conn, since=since, as_of=as_of, unit=unit)
        counts |= {"accidents": int(new["accidents"]), "deaths": int(new["deaths"])}
    if "tasks" in parts:
        tasks = list_task_changes(conn, since=since, as_of=as_of)
        counts |= {"tasks_completed": int((tasks["change"] == "completed").sum()),
                   "tasks_newly_overdue": int((tasks["change"] == "newly_overdue").sum())}
    if "hazards" in parts:
        hazards = count_hazard_changes(conn, since=since, as_of=as_of, unit=unit)
        counts |= {"hazards_found": hazards["found"], "hazards_closed": hazards["closed"],
                   "major_opened": hazards["major_opened"], "major_closed": hazards["major_closed"]}
    if "faces" in parts:
        counts["faces_accepted"] = len(list_faces_accepted(conn, since=since, as_of=as_of,
                                                           unit=unit))
    if "milestones" in parts:
        counts["milestones_achieved"] = len(list_milestones_achieved(conn, since=since,
                                                                     as_of=as_of, unit=unit))
    if "drills" in parts:
        counts["drills"] = len(list_drills_held(conn, since=since, as_of=as_of, unit=unit))
    if "checks" in parts:
        checks = count_site_check_changes(conn, since=since, as_of=as_of, unit=unit)
        counts |= {"sites_checked": checks["checked"],
                   "sites_newly_overdue": checks["newly_overdue"]}
    if scorecard:
        counts["scorecard_changed"] = len(list_scorecard_changes(conn, since=since, as_of=as_of,
                                                                 unit=unit))
    return counts
