"""The special-rectification key-task checklist and the hidden-danger ledger.

Everything is computed as of a date from dated records: a task's status from the progress
reports made on or before `as_of`; a hidden danger's state from its found, started, submitted
and closed dates. Moving `as_of` back shows what the page would have shown then.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access import rollups
from data_access._sql import count_where, frame, latest_rows, unit_scope, year_start
from data_access.schema import departments, enterprises, hidden_dangers, key_tasks
from data_access.schema import task_progress_reports as reports
from data_access.validity import usable

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


DUE_SOON_DAYS = 14


def _elapsed(*, start_on: dt.date, deadline: dt.date, as_of: dt.date) -> tuple[int, int]:
    """(days elapsed, days planned) of the span start_on → deadline at `as_of`: elapsed is 0
    up to the start and the whole span from the deadline on; a span under one day counts as
    one day."""
    span = max((deadline - start_on).days, 1)
    if as_of >= deadline:
        return span, span
    return max(0, min((as_of - start_on).days, span)), span


def expected_progress_pct(*, start_on: dt.date, deadline: dt.date, as_of: dt.date) -> int:
    """The share of the task's planned span (start_on → deadline) elapsed at `as_of`, in whole
    per cent rounded down (时间进度): 0 before the start, 100 from the deadline on."""
    elapsed, span = _elapsed(start_on=start_on, deadline=deadline, as_of=as_of)
    return elapsed * 100 // span


def is_behind(*, progress_pct: int | None, start_on: dt.date, deadline: dt.date,
              as_of: dt.date) -> bool:
    """Behind schedule: the latest reported progress (none reported reads 0) is below the
    elapsed share of the planned span, compared exactly (progress × span < elapsed × 100)."""
    elapsed, span = _elapsed(start_on=start_on, deadline=deadline, as_of=as_of)
    return (progress_pct or 0) * span < elapsed * 100


def is_due_soon(*, status: str, progress_pct: int | None, start_on: dt.date, deadline: dt.date,
                as_of: dt.date, window_days: int = DUE_SOON_DAYS) -> bool:
    """临期: not completed (nor already overdue), due within the next `window_days` days
    (as_of ≤ deadline ≤ as_of + window_days, so due today counts) and behind schedule
    (`is_behind`)."""
    if status in ("completed", "overdue"):
        return False
    if not as_of <= deadline <= as_of + dt.timedelta(days=window_days):
        return False
    return is_behind(progress_pct=progress_pct, start_on=start_on, deadline=deadline,
                     as_of=as_of)


def is_newly_overdue(*, completed_on: dt.date | None, deadline: dt.date, as_of: dt.date,
                     previous_review: dt.date) -> bool:
    """逾期 as of `as_of` but not yet as of the previous review."""
    def status_at(day: dt.date) -> str:
        return task_status(progress_pct=None, completed_on=completed_on, deadline=deadline,
                           as_of=day)
    return status_at(as_of) == "overdue" and status_at(previous_review) != "overdue"


def is_completed_since(*, completed_on: dt.date | None, as_of: dt.date,
                       previous_review: dt.date) -> bool:
    """Completed after the previous review and on or before `as_of`."""
    return completed_on is not None and previous_review < completed_on <= as_of


def flag_tasks_for_review(tasks: pd.DataFrame, *, as_of: dt.date,
                          previous_review: dt.date) -> pd.DataFrame:
    """Add the weekly-review columns to a checklist from `list_key_tasks`: expected_pct (time
    elapsed, %), due_soon (临期), newly_overdue and completed_since_review (both against the
    previous review)."""
    out = tasks.copy()
    progress = [None if pd.isna(p) else int(p) for p in out["progress_pct"]]
    completed = [None if pd.isna(c) else c for c in out["completed_on"]]
    out["expected_pct"] = [expected_progress_pct(start_on=s, deadline=d, as_of=as_of)
                           for s, d in zip(out["start_on"], out["deadline"])]
    out["due_soon"] = [
        is_due_soon(status=st, progress_pct=p, start_on=s, deadline=d, as_of=as_of)
        for st, p, s, d in zip(out["status"], progress, out["start_on"], out["deadline"])
    ]
    out["newly_overdue"] = [
        is_newly_overdue(completed_on=c, deadline=d, as_of=as_of, previous_review=previous_review)
        for c, d in zip(completed, out["deadline"])
    ]
    out["completed_since_review"] = [
        is_completed_since(completed_on=c, as_of=as_of, previous_review=previous_review)
        for c in completed
    ]
    # Explicitly boolean, so that masks stay row filters even on an empty checklist.
    return out.astype({"due_soon": bool, "newly_overdue": bool, "completed_since_review": bool})


def count_tasks_by_sector_and_status(tasks: pd.DataFrame) -> pd.DataFrame:
    """Task counts per sector and status from a checklist (a few dozen rows): columns
    sector_code, status, tasks; statuses with no task are left out."""
    if tasks.empty:
        return pd.DataFrame({"sector_code": [], "status": [], "tasks": []})
    return (tasks.groupby(["sector_code", "status"]).size().rename("tasks").reset_index())


def list_key_tasks(conn: sa.Connection, *, as_of: dt.date,
                   previous_review: dt.date | None = None) -> pd.DataFrame:
    """Every key task of the year of `as_of` (the checklist is city-wide: tasks carry no unit),
    with its latest report on or before `as_of` (reported_on, progress_pct, note; None when
    nothing was reported yet), the date it was completed (or None), its status and the review
    flags of `flag_tasks_for_review` against `previous_review` (default: a week earlier).
    An empty frame means no task is listed for that year."""
    valid_reports = tuple(usable(conn, reports))
    latest = latest_rows(reports, key=reports.c.task_id, day=reports.c.reported_on, as_of=as_of,
                         columns=(reports.c.task_id, reports.c.reported_on,
                                  reports.c.progress_pct, reports.c.note), where=valid_reports)
    completed = (
        sa.select(reports.c.task_id, sa.func.min(reports.c.reported_on).label("completed_on"))
        .where(reports.c.reported_on <= as_of, reports.c.progress_pct >= 100, *valid_reports)
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
        .where(key_tasks.c.year == as_of.year, *usable(conn, key_tasks))
        .order_by(key_tasks.c.deadline, key_tasks.c.code)
    )
    df = frame(conn, stmt)
    df["status"] = [
        task_status(progress_pct=None if pd.isna(p) else int(p),
                    completed_on=None if pd.isna(c) else c, deadline=d, as_of=as_of)
        for p, c, d in zip(df["progress_pct"], df["completed_on"], df["deadline"])
    ]
    return flag_tasks_for_review(df, as_of=as_of,
                                 previous_review=previous_review or as_of - dt.timedelta(days=7))


def _hazard_conditions(conn: sa.Connection, *, as_of: dt.date, unit: str | None,
                       sector: str | None, start: dt.date | None) -> list[sa.ColumnElement[bool]]:
    hd = hidden_dangers.c
    conditions = [hd.found_on >= (start or year_start(as_of)), hd.found_on <= as_of,
                  *unit_scope(hd.unit_code, unit), *usable(conn, hidden_dangers)]
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
    if by is not None and by not in HAZARD_GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    if start is None and rollups.fresh(conn):
        return rollups.summarize(conn, as_of=as_of, by=by, unit=unit, sector=sector)
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
    conditions = _hazard_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=start)
    if by is None:
        return frame(conn, sa.select(*columns).where(*conditions))
    key = HAZARD_GROUPINGS[by].label(by)
    stmt = sa.select(key, *columns).where(*conditions).group_by(key).order_by(key)
    return frame(conn, stmt)


def count_hidden_dangers_by_month(conn: sa.Connection, *, as_of: dt.date,
                                  unit: str | None = None,
                                  sector: str | None = None) -> pd.DataFrame:
    """Per month of the year up to `as_of`: found (by found date) and closed (by sign-off date,
    whatever year the hidden danger was found). Columns: month, found, closed."""
    if rollups.fresh(conn):
        return rollups.by_month(conn, as_of=as_of, unit=unit, sector=sector)
    hd = hidden_dangers.c
    # Counted per day in SQL (an ordered walk of a covering index, at most 366 rows), then
    # summed to months here: grouping by an extracted month costs a sort of every row.
    found = frame(conn, sa.select(hd.found_on.label("day"), sa.func.count().label("found"))
                  .where(*_hazard_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=None))
                  .group_by(hd.found_on))
    closed_conditions = [hd.closed_on >= year_start(as_of), hd.closed_on <= as_of,
                         *unit_scope(hd.unit_code, unit), *usable(conn, hidden_dangers)]
    if sector:
        closed_conditions.append(hd.sector_code == sector)
    closed = frame(conn, sa.select(hd.closed_on.label("day"), sa.func.count().label("closed"))
                   .where(*closed_conditions).group_by(hd.closed_on))
    months = pd.DataFrame({"month": range(1, as_of.month + 1)})
    for part in (found, closed):
        part["month"] = pd.Series([_as_date(day).month for day in part["day"]],
                                  index=part.index, dtype="int64")
    found = found.groupby("month", as_index=False)["found"].sum()
    closed = closed.groupby("month", as_index=False)["closed"].sum()
    return (months.merge(found, on="month", how="left").merge(closed, on="month", how="left")
            .fillna(0).astype(int))


def _as_date(day: dt.date | str) -> dt.date:
    """A DATE value as returned by any backend (a date, or ISO text)."""
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])


def hazard_state_expression(as_of: dt.date) -> sa.ColumnElement[str]:
    """待整改 / 整改中 / 待验收 / 已销号 as of a date, as a SQL expression."""
    hd = hidden_dangers.c
    return sa.case(
        (_closed_by(as_of), "closed"),
        (_reported(hd.submitted_on, as_of), "awaiting_acceptance"),
        (_reported(hd.rectify_started_on, as_of), "in_progress"),
        else_="pending",
    )


# What a drill-down can list. Scopes on hidden dangers found this year (1 January to `as_of`):
# found, closed, open, overdue, major_open, not_double_reported. Scopes on every hidden danger
# found on or before `as_of`: carried_over (found in earlier years, still open), closed_in_period
# (signed off this year, by sign-off date) and the ageing buckets of open items.
HAZARD_SCOPES = ("found", "closed", "open", "overdue", "major_open", "not_double_reported",
                 "carried_over", "closed_in_period",
                 "age_current", "age_1_30", "age_31_90", "age_over_90")
AGE_BUCKETS = ("age_current", "age_1_30", "age_31_90", "age_over_90")
# The year's scopes of items still open at the day: when nothing was signed off after the day,
# their lists read the never-signed-off items alone (`_signed_off_after`). The ageing buckets
# and carried_over keep the deadline walk: it meets their items (past or coming deadlines,
# earlier years' stalled items) at a share that does not fall as the ledger grows, and
# measured at 20M it beat the index of open items on both backends (docs/performance.md).
OPEN_SCOPES = ("open", "overdue", "major_open", "not_double_reported")
# The index the year's sign-offs are listed by (`list_order`).
CLOSED_COVER = next(ix for ix in hidden_dangers.indexes if ix.name == "ix_hd_closed_cover")
# Scopes a month narrows: by found month, except closed_in_period (by sign-off month).
MONTH_SCOPES = ("found", "closed", "open", "overdue", "major_open", "not_double_reported",
                "closed_in_period")


def _not_double_reported(as_of: dt.date) -> sa.ColumnElement[bool]:
    hd = hidden_dangers.c
    return sa.not_(sa.and_(_reported(hd.regulator_reported_on, as_of),
                           _reported(hd.congress_reported_on, as_of)))


def _age_bounds(as_of: dt.date) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Deadline ranges [low, high) of each ageing bucket: days past the deadline at `as_of`
    (none: deadline today or later; 1–30; 31–90; over 90)."""
    day = dt.timedelta(days=1)
    return {
        "age_current": (as_of, None),
        "age_1_30": (as_of - 30 * day, as_of),
        "age_31_90": (as_of - 90 * day, as_of - 30 * day),
        "age_over_90": (None, as_of - 90 * day),
    }


def _month_range(as_of: dt.date, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(as_of.year, month, 1)
    following = dt.date(as_of.year + month // 12, month % 12 + 1, 1)
    return first, min(following - dt.timedelta(days=1), as_of)


def scope_conditions(scope: str, *, as_of: dt.date, month: int | None = None,
                     by_deadline: bool = False) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of a drill-down scope (see HAZARD_SCOPES) as of a date; `month`
    (1–12 of the year of `as_of`) narrows the scopes in MONTH_SCOPES and is ignored by others.

    `by_deadline`: for a list in deadline order. A usable row's deadline is not before it was
    found (validity: date order), so rows found from a day on have deadlines from that day on:
    said outright, and with the found-date bounds put in a form no index serves, the database
    walks `ix_hd_deadline_list` in the list's order from that day and stops at the list's
    length, instead of sorting every row found in the year (whose number grows with the
    ledger)."""
    hd = hidden_dangers.c
    start = year_start(as_of)
    found = sa.func.coalesce(hd.found_on, hd.found_on) if by_deadline else hd.found_on
    this_year = [found >= start, found <= as_of, hd.deadline >= start]
    if scope == "found":
        conditions = this_year
    elif scope == "closed":
        conditions = [*this_year, _closed_by(as_of)]
    elif scope == "open":
        conditions = [*this_year, _open_at(as_of)]
    elif scope == "overdue":
        conditions = [*this_year, _open_at(as_of), hd.deadline < as_of]
    elif scope == "major_open":
        conditions = [*this_year, hd.level == "major", _open_at(as_of)]
    elif scope == "not_double_reported":
        conditions = [*this_year, hd.level == "major", _open_at(as_of),
                      _not_double_reported(as_of)]
    elif scope == "carried_over":
        conditions = [hd.found_on < start, _open_at(as_of)]
    elif scope == "closed_in_period":
        conditions = [hd.closed_on >= start, hd.closed_on <= as_of]
    elif scope in AGE_BUCKETS:
        low, high = _age_bounds(as_of)[scope]
        conditions = [hd.found_on <= as_of, _open_at(as_of)]
        if low is not None:
            conditions.append(hd.deadline >= low)
        if high is not None:
            conditions.append(hd.deadline < high)
    else:
        raise ValueError(f"unknown scope {scope!r}")
    if month is not None and scope in MONTH_SCOPES:
        first, last = _month_range(as_of, month)
        if scope == "closed_in_period":  # the month's bounds replace the year's: one range
            conditions = [hd.closed_on >= first, hd.closed_on <= last]
        else:
            conditions += [found >= first, found <= last, hd.deadline >= first]
    return conditions


def _place_conditions(conn: sa.Connection, unit: str | None,
                      sector: str | None) -> list[sa.ColumnElement[bool]]:
    """The valid hidden dangers (`validity.usable`) of a unit and sector."""
    conditions = [*unit_scope(hidden_dangers.c.unit_code, unit), *usable(conn, hidden_dangers)]
    if sector:
        conditions.append(hidden_dangers.c.sector_code == sector)
    return conditions


def summarize_carried_over(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                           sector: str | None = None) -> pd.DataFrame:
    """往年结转: hidden dangers found before 1 January of the year of `as_of` and still open at
    `as_of`. One row: open, major_open, closed_this_year (carried-over items signed off between
    1 January and `as_of`). Zeros mean nothing was carried over."""
    if rollups.fresh(conn):
        return rollups.carried_over(conn, as_of=as_of, unit=unit, sector=sector)
    hd = hidden_dangers.c
    start = year_start(as_of)
    carried = sa.and_(hd.found_on < start, sa.or_(hd.closed_on.is_(None), hd.closed_on >= start))
    stmt = (
        sa.select(
            count_where(_open_at(as_of), "open"),
            count_where(sa.and_(_open_at(as_of), hd.level == "major"), "major_open"),
            count_where(_closed_by(as_of), "closed_this_year"),
        )
        .where(carried, *_place_conditions(conn, unit, sector))
    )
    return frame(conn, stmt)


def count_open_hidden_dangers_by_age(conn: sa.Connection, *, as_of: dt.date,
                                     unit: str | None = None,
                                     sector: str | None = None) -> pd.DataFrame:
    """Every hidden danger open at `as_of` (whatever year it was found), by days past its
    deadline (AGE_BUCKETS) and by whether it was found this year. Columns: bucket,
    carried_over (bool: found in an earlier year), open. Buckets with no item are left out;
    an empty frame means nothing is open."""
    if rollups.fresh(conn):
        return rollups.open_by_age(conn, as_of=as_of, unit=unit, sector=sector)
    hd = hidden_dangers.c
    bucket = sa.case(
        *[(sa.and_(*([hd.deadline >= low] if low else []), *([hd.deadline < high] if high else [])),
           name) for name, (low, high) in _age_bounds(as_of).items()],
    ).label("bucket")
    origin = sa.case((hd.found_on < year_start(as_of), 1), else_=0).label("carried_over")
    inner = (
        sa.select(bucket, origin)
        .where(hd.found_on <= as_of, _open_at(as_of), *_place_conditions(conn, unit, sector))
        .subquery()
    )
    stmt = (sa.select(inner.c.bucket, inner.c.carried_over, sa.func.count().label("open"))
            .group_by(inner.c.bucket, inner.c.carried_over)
            .order_by(inner.c.bucket, inner.c.carried_over))
    df = frame(conn, stmt)
    df["carried_over"] = df["carried_over"].astype(int).astype(bool)
    return df


def count_hidden_dangers(conn: sa.Connection, *, as_of: dt.date, scope: str = "found",
                         unit: str | None = None, sector: str | None = None,
                         month: int | None = None) -> int:
    """How many hidden dangers a drill-down scope holds (the length of the untruncated list)."""
    if scope not in HAZARD_SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    if rollups.fresh(conn):
        counted = rollups.count_scope(conn, scope, as_of=as_of, unit=unit, sector=sector,
                                      month=month)
        if counted is not None:
            return counted
    stmt = (sa.select(sa.func.count()).select_from(hidden_dangers)
            .where(*scope_conditions(scope, as_of=as_of, month=month),
                   *_place_conditions(conn, unit, sector)))
    return int(conn.execute(stmt).scalar_one())


def list_order(scope: str) -> tuple[sa.ColumnElement, ...]:
    """A drill list's order: oldest deadline first (then entry order), except the year's
    sign-offs (closed_in_period), newest sign-off first — the order an index serves for each
    (`ix_hd_deadline_list`; `ix_hd_closed_cover`), so the first rows are found without sorting
    the scope. Items signed off this year have deadlines of any year: in deadline order the
    walk would pass every item signed off in earlier years first.

    The sign-offs of one day follow `ix_hd_closed_cover`'s own columns backwards (the newest
    found first, …), then entry order: an index ends in the row id on InnoDB and SQLite, so the
    whole order is the index's, read backwards. With only (sign-off date, id), MariaDB sorted
    the year's sign-offs to find the first 1,000 (1.0 s at 2M hidden dangers)."""
    hd = hidden_dangers.c
    if scope == "closed_in_period":
        return (*(column.desc() for column in CLOSED_COVER.columns), hd.id.desc())
    return hd.deadline, hd.id


def _signed_off_after(conn: sa.Connection, as_of: dt.date) -> bool:
    """Whether any item was signed off after `as_of` (an index probe, `ix_hd_closed_cover`).

    If none was, as for the latest day, an item open at `as_of` is one never signed off, and
    `ix_hd_open_list` holds those alone in deadline order: the list reads them from the
    scope's first deadline (ordered by the sign-off date too, NULL throughout, so PostgreSQL
    sees the index's order) instead of walking `ix_hd_deadline_list` past every item signed
    off since, whose number grows with the ledger. For an earlier day the list walks
    `ix_hd_deadline_list` as before: read apart, the items signed off after the day would be
    a range the size of the sign-offs since, sorted."""
    hd = hidden_dangers.c
    probe = sa.select(sa.literal(1)).where(hd.closed_on > as_of).limit(1)
    return conn.execute(probe).first() is not None


def list_hidden_dangers(conn: sa.Connection, *, as_of: dt.date, scope: str = "found",
                        unit: str | None = None, sector: str | None = None,
                        month: int | None = None, limit: int = 1000) -> pd.DataFrame:
    """The ledger rows behind a figure: the hidden dangers of `scope` (HAZARD_SCOPES) in a unit
    and sector, as they stood at `as_of` (state, and sign-off and report dates only if made by
    then), in `list_order(scope)`, at most `limit` rows (`count_hidden_dangers` gives the full
    count). days_overdue is the number of days an open item is past its deadline (0 if not)."""
    hd = hidden_dangers.c
    order = list_order(scope)
    # The first `limit` ids, in the list's order, come from an index alone; only those rows
    # are then read whole (a "deferred join": sorting whole rows of a large scope is slow).
    first = sa.select(hd.id).where(
        *scope_conditions(scope, as_of=as_of, month=month, by_deadline=True),
        *_place_conditions(conn, unit, sector))
    if scope in OPEN_SCOPES and not _signed_off_after(conn, as_of):
        first = first.where(hd.closed_on.is_(None)).order_by(hd.closed_on, *order)
    else:
        first = first.order_by(*order)
    first = first.limit(limit).subquery("first")
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
        .select_from(first.join(hidden_dangers, hd.id == first.c.id)
                     .outerjoin(enterprises, hd.enterprise_id == enterprises.c.id))
        .order_by(*order)
    )
    df = frame(conn, stmt)
    df["days_overdue"] = [
        max((as_of - deadline).days, 0) if state != "closed" else 0
        for deadline, state in zip(df["deadline"], df["state"])
    ]
    return df
