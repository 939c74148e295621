"""Per-day and per-month counts of the hidden-danger ledger, so that a page's cost follows what
it shows, not how many rows the ledger holds.

Every figure of the ledger as of a date `a` is a difference of counts "rows whose key date is on
or before `a`": found by `a` (key: found_on), signed off by `a` (closed_on), past the deadline
at `a` (deadline + 1 day), past it and signed off by `a` (the later of the two), and so on —
`MEASURES` lists the keys; `summarize`, `carried_over` and `open_by_age` combine them. The
tables `hd_daily` and `hd_monthly` hold, per found year, unit, sector and level, how many
usable rows (`validity.usable`) have each key on each day (month); a count up to `a` is the
months before `a`'s month plus the days of `a`'s month, whatever the ledger's size.
`hd_set_aside` holds, per found year and unit, the rows the figures leave out, by rule.

The counts are kept by the writers, in the same transaction as the rows: the import
(`importing.commit`) and its undo refresh the (found year, unit) slices they touched, `make
load` and `make rollups` rebuild them all. `rollup_state` records the data version and the day they
were built for; a write to the ledger, units or sectors that bypasses those writers (plain SQL)
is caught by database triggers (migration 0004) that mark the counts stale. Pages use them only
while they are fresh (`fresh`) and otherwise read the raw rows (correct, only slower), until
`make rollups` runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from data_access import catalog, quality, schema, validity
from data_access._sql import count_where, frame, unit_scope, year_start

hd = schema.hidden_dangers.c
DIMENSIONS = ("found_year", "unit_code", "sector_code", "level")
SOURCE = "hidden_dangers"
ANY_RULE = "*"  # hd_set_aside: rows set aside by any rule


# ---- dates in SQL, written for each backend ------------------------------------------------
class add_days(FunctionElement):
    """A date plus a whole number of days."""

    type = sa.Date()
    inherit_cache = True


@compiles(add_days)
def _add_days(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} + {days})"


@compiles(add_days, "mysql")
@compiles(add_days, "mariadb")
def _add_days_mysql(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"DATE_ADD({day}, INTERVAL {days} DAY)"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, printf('%+d days', {days}))"


class later_of(FunctionElement):
    """The later of two or more dates (none of them NULL)."""

    type = sa.Date()
    inherit_cache = True


@compiles(later_of)
def _later_of(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(later_of, "sqlite")
def _later_of_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


class month_start(FunctionElement):
    """The first day of a date's month."""

    type = sa.Date()
    inherit_cache = True


@compiles(month_start)
def _month_start(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "mysql")
@compiles(month_start, "mariadb")
def _month_start_mysql(element, compiler, **kw):
    day = compiler.process(element.clauses, **kw)
    return f"DATE_SUB({day}, INTERVAL DAYOFMONTH({day}) - 1 DAY)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


# ---- what is counted -----------------------------------------------------------------------
AGE_STEPS = (1, 31, 91)  # deadline + k days ≤ a  ⇔  more than k − 1 days past it at a


def _measures() -> dict[str, tuple[sa.ColumnElement, sa.ColumnElement[bool]]]:
    """measure → (its key date, the rows that have one)."""
    both_reported = sa.and_(hd.regulator_reported_on.is_not(None),
                            hd.congress_reported_on.is_not(None))
    closed = hd.closed_on.is_not(None)
    measures = {
        "found": (hd.found_on, sa.true()),
        "closed": (hd.closed_on, closed),
        "reported": (later_of(hd.regulator_reported_on, hd.congress_reported_on),
                     both_reported),
        "reported_closed": (later_of(hd.regulator_reported_on, hd.congress_reported_on,
                                     hd.closed_on), sa.and_(both_reported, closed)),
    }
    for k in AGE_STEPS:
        past = add_days(hd.deadline, sa.literal_column(str(k), sa.Integer))
        measures[f"due{k}"] = (past, sa.true())
        measures[f"due_closed{k}"] = (later_of(past, hd.closed_on), closed)
    return measures


MEASURES = tuple(_measures())



# ---- building ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slice:
    """The rows of one found year and one unit: what a change to some rows touches. None for
    a missing found date or unit (such rows are only ever set aside)."""

    found_year: int | None
    unit_code: str | None


def _found_year() -> sa.ColumnElement:
    return sa.cast(sa.extract("year", hd.found_on), sa.Integer)


def _slice_rows(s: Slice) -> sa.ColumnElement[bool]:
    """The ledger rows of a slice, as ranges its indexes answer."""
    if s.found_year is None:
        year = hd.found_on.is_(None)
    else:
        year = sa.and_(hd.found_on >= dt.date(s.found_year, 1, 1),
                       hd.found_on < dt.date(s.found_year + 1, 1, 1))
    return sa.and_(year, hd.unit_code.is_(None) if s.unit_code is None
                   else hd.unit_code == s.unit_code)


def _slice_counts(table: sa.Table, s: Slice) -> sa.ColumnElement[bool]:
    c = table.c
    return sa.and_(c.found_year.is_(None) if s.found_year is None else c.found_year == s.found_year,
                   c.unit_code.is_(None) if s.unit_code is None else c.unit_code == s.unit_code)


def _in(slices: list[Slice] | None, condition) -> list[sa.ColumnElement[bool]]:
    if slices is None:
        return []
    return [sa.or_(*(condition(s) for s in slices))] if slices else [sa.false()]


def slices_of(conn: sa.Connection, ids: Iterable[int]) -> set[Slice]:
    """The slices the ledger rows with these ids are in now."""
    ids = sorted(set(ids))
    found = set()
    for start in range(0, len(ids), 500):
        stmt = (sa.select(hd.found_on, hd.unit_code).distinct()
                .where(hd.id.in_(ids[start:start + 500])))
        found |= {Slice(None if day is None else _year_of(day), unit)
                  for day, unit in conn.execute(stmt)}
    return found


def _year_of(day: dt.date | str) -> int:
    return day.year if isinstance(day, dt.date) else int(str(day)[:4])


def _count_rows(conn: sa.Connection, slices: list[Slice] | None) -> None:
    usable = validity.usable(conn, schema.hidden_dangers)
    daily, monthly = schema.hd_daily, schema.hd_monthly
    for name, (key, has) in _measures().items():
        select = (sa.select(_found_year(), hd.unit_code, hd.sector_code, hd.level,
                            sa.literal(name, sa.String(16)), key, sa.func.count())
                  .where(has, *usable, *_in(slices, _slice_rows))
                  .group_by(_found_year(), hd.unit_code, hd.sector_code, hd.level, key))
        conn.execute(daily.insert().from_select([*DIMENSIONS, "measure", "period", "n"], select))
    month = month_start(daily.c.period)
    dims = [daily.c[d] for d in (*DIMENSIONS, "measure")]
    conn.execute(monthly.insert().from_select(
        [*DIMENSIONS, "measure", "period", "n"],
        sa.select(*dims, month, sa.func.sum(daily.c.n))
        .where(*_in(slices, lambda s: _slice_counts(daily, s)))
        .group_by(*dims, month)))


def _set_aside_rows(conn: sa.Connection, slices: list[Slice] | None) -> None:
    rules = validity.active_rules(conn, schema.hidden_dangers)
    if not rules:
        return
    year = _found_year().label("found_year")
    where = _in(slices, _slice_rows)
    counts = frame(conn, sa.select(
        year, hd.unit_code, count_where(sa.or_(*(r.bad for r in rules)), "any"),
        *(count_where(rule.bad, f"r{i}") for i, rule in enumerate(rules)))
        .where(sa.or_(*(r.bad for r in rules)), *where).group_by(year, hd.unit_code))
    rows = []
    for i, rule in [(None, None), *enumerate(rules)]:
        column = "any" if rule is None else f"r{i}"
        if not counts[column].astype(int).any():
            continue
        examples = _examples(conn, rule, rules, where)
        for r in counts.itertuples():
            n = int(getattr(r, column))
            if n:
                key = (None if pd.isna(r.found_year) else int(r.found_year), r.unit_code)
                rows.append({"found_year": key[0], "unit_code": key[1],
                             "rule": ANY_RULE if rule is None else rule.code, "n": n,
                             "examples": json.dumps(examples.get(key, []), ensure_ascii=False)})
    if rows:
        conn.execute(schema.hd_set_aside.insert(), rows)


def _examples(conn: sa.Connection, rule, rules, where) -> dict[tuple, list[str]]:
    """Per (found year, unit): the first EXAMPLES codes of the rows `rule` (None: any of
    `rules`) sets aside."""
    bad = sa.or_(*(r.bad for r in rules)) if rule is None else rule.bad
    code = sa.type_coerce(hd.code, sa.String)
    ranked = (sa.select(_found_year().label("found_year"), hd.unit_code, code.label("code"),
                        sa.func.row_number().over(
                            partition_by=(_found_year(), hd.unit_code),
                            order_by=hd.code).label("rank"))
              .where(bad, *where).subquery())
    stmt = sa.select(ranked.c.found_year, ranked.c.unit_code, ranked.c.code).where(
        ranked.c.rank <= validity.EXAMPLES).order_by(ranked.c.rank)
    found: dict[tuple, list[str]] = {}
    for year, unit, value in conn.execute(stmt):
        found.setdefault((year, unit), []).append("" if value is None else str(value))
    return found


def refresh(conn: sa.Connection, slices: Iterable[Slice] | None = None) -> None:
    """Recount the given slices of the ledger (all of it with None) inside the caller's
    transaction, and record the data they now match."""
    slices = None if slices is None else sorted(
        set(slices), key=lambda s: (s.found_year is None, s.found_year or 0, s.unit_code or ""))
    for table in (schema.hd_daily, schema.hd_monthly, schema.hd_set_aside):
        conn.execute(table.delete().where(*_in(slices, lambda s, t=table: _slice_counts(t, s))))
    _count_rows(conn, slices)
    _set_aside_rows(conn, slices)
    _stamp(conn)


def _stamp(conn: sa.Connection) -> None:
    state = schema.rollup_state
    values = {"data_version": _version_text(conn), "valid_on": validity.today(),
              "built_at": dt.datetime.now().replace(microsecond=0)}
    conn.execute(state.delete().where(state.c.source == SOURCE))
    conn.execute(state.insert().values(source=SOURCE, **values))


def _version_text(conn: sa.Connection) -> str:
    return json.dumps(list(catalog.get_data_version(conn) or (0, 0)))


def present(conn: sa.Connection) -> bool:
    """Whether this database has the count tables (the dashboard's own schema since 0004)."""
    return sa.inspect(conn).has_table(schema.rollup_state.name)


def fresh(conn: sa.Connection) -> bool:
    """Whether the counts match the ledger as it is. They were made at the current data
    version (imports and undos change it) and nothing has written to the ledger, units or
    sectors since (the database's triggers, migration 0004, mark the state STALE on any
    write); and by today's validity rules, or by an earlier day's when no row was then set
    aside for a date (those rules only admit more rows as days pass). False for a database
    without them or never counted: the pages then read the raw rows."""
    if not present(conn):
        return False
    state = schema.rollup_state.c
    row = conn.execute(sa.select(state.data_version, state.valid_on)
                       .where(state.source == SOURCE)).first()
    if row is None or row.data_version != _version_text(conn):
        return False
    return _as_date(row.valid_on) == validity.today() or not conn.execute(
        sa.select(sa.literal(1)).where(schema.hd_set_aside.c.rule.like("date_range:%"))
        .limit(1)).first()


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def built_at(conn: sa.Connection) -> dt.datetime | None:
    """When the counts were last made (None: never, or no count tables)."""
    if not present(conn):
        return None
    state = schema.rollup_state.c
    return conn.execute(sa.select(state.built_at).where(state.source == SOURCE)).scalar()


class Maintainer:
    """Keeps the counts whole across a writer's changes, inside its transaction: `before(table,
    ids)` ahead of changing or deleting rows, `after(table, ids)` once rows are inserted or
    changed, `finish()` at the end. Changed ledger rows have their slices recounted; a change
    to a table the ledger's rows refer to (units, sectors), where the database does not enforce
    those references itself, can set rows aside or admit them anywhere, so everything is
    recounted (as for any ledger change where the database does not keep codes unique).
    Counts that did not match the ledger before the writer began are left alone
    (the pages read raw rows until `make rollups`)."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.active = fresh(conn)
        self.slices: set[Slice] = set()
        self.everything = False
        rules = validity.active_rules(conn, schema.hidden_dangers) if self.active else ()
        self.referenced = {rule.references[0] for rule in rules if rule.references}
        # A repeated code the database does not forbid sets aside rows of any slice.
        self.keys_unchecked = any(isinstance(rule, quality.DuplicateRule) for rule in rules)

    def before(self, table: str, ids: Iterable[int]) -> None:
        if not self.active:
            return
        if table == SOURCE and not self.keys_unchecked:
            self.slices |= slices_of(self.conn, ids)
        elif table == SOURCE or table in self.referenced:
            self.everything = True

    def after(self, table: str, ids: Iterable[int]) -> None:
        self.before(table, ids)

    def finish(self) -> None:
        if self.active:
            refresh(self.conn, None if self.everything else self.slices)


# ---- reading -------------------------------------------------------------------------------
def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def pieces(low: dt.date | None, high: dt.date) -> list[tuple[str, dt.date | None, dt.date]]:
    """The days low … high (low None: from the beginning) as the fewest rows: ("daily", first,
    last) for days of a month not covered whole, ("monthly", first, last) for the whole months
    between (first and last are month starts; first None: every month before last)."""
    last_month = high.replace(day=1)
    if low is not None and low > high:
        return []
    if low is not None and low.replace(day=1) == last_month:
        return [("daily", low, high)]
    out: list[tuple[str, dt.date | None, dt.date]] = []
    first_whole = low
    if low is not None and low.day != 1:
        out.append(("daily", low, _next_month(low) - dt.timedelta(days=1)))
        first_whole = _next_month(low)
    if first_whole is None or first_whole < last_month:
        before_last = (last_month - dt.timedelta(days=1)).replace(day=1)
        out.append(("monthly", first_whole, before_last))
    out.append(("daily", last_month, high))
    return out


def _tables() -> dict[str, sa.Table]:
    return {"daily": schema.hd_daily, "monthly": schema.hd_monthly}


def counts(conn: sa.Connection, measures: Iterable[str], *, high: dt.date,
           low: dt.date | None = None, years: tuple[str, int] | None = None,
           unit: str | None = None, sector: str | None = None,
           by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Σ n of `measures` whose key date is in low … high, per `by` columns (of DIMENSIONS and
    "period") and measure. `years` narrows the found year: ("=", y) or ("<", y)."""
    measures = list(measures)
    selects = []
    for kind, first, last in pieces(low, high):
        c = _tables()[kind].c
        where = [c.measure.in_(measures), c.period <= last,
                 *unit_scope(c.unit_code, unit)]
        if first is not None:
            where.append(c.period >= first)
        if sector:
            where.append(c.sector_code == sector)
        if years is not None:
            where.append(c.found_year == years[1] if years[0] == "=" else c.found_year < years[1])
        selects.append(sa.select(*(c[k] for k in by), c.measure, c.n).where(*where))
    if not selects:
        return pd.DataFrame(columns=[*by, "measure", "n"])
    union = sa.union_all(*selects).subquery() if len(selects) > 1 else selects[0].subquery()
    keys = [union.c[k] for k in (*by, "measure")]
    df = frame(conn, sa.select(*keys, sa.func.sum(union.c.n).label("n")).group_by(*keys))
    df["n"] = df["n"].astype("int64")
    return df


def _wide(df: pd.DataFrame, index: list[str], columns: list[str]) -> pd.DataFrame:
    """Counts spread to one column per (columns…) value, zeros where nothing was counted."""
    if not index:
        df = df.assign(_all=0)
        index = ["_all"]
    wide = df.pivot_table(index=index, columns=columns, values="n", aggfunc="sum", fill_value=0)
    return wide


def _get(wide: pd.DataFrame, *key: str) -> pd.Series:
    column = key if len(key) > 1 else key[0]
    return wide[column] if column in wide.columns else pd.Series(0, index=wide.index)


YEAR_MEASURES = ("found", "closed", "reported", "reported_closed", "due1", "due_closed1")


def summarize(conn: sa.Connection, *, as_of: dt.date, by: str | None = None,
              unit: str | None = None, sector: str | None = None) -> pd.DataFrame:
    """`rectification.summarize_hidden_dangers` (from 1 January) read from the counts."""
    index = [by] if by else []
    df = counts(conn, YEAR_MEASURES, high=as_of, years=("=", as_of.year), unit=unit,
                sector=sector, by=(*index, "level"))
    wide = _wide(df, index, ["level", "measure"]) if len(df) else None
    names = ("found", "closed", "open", "overdue", "major", "major_open",
             "major_open_not_double_reported")
    if wide is None:
        return pd.DataFrame([dict.fromkeys(names, 0)]) if by is None else \
            pd.DataFrame(columns=[by, *names])

    def total(measure: str) -> pd.Series:
        return sum((_get(wide, level, measure) for level in wide.columns.levels[0]),
                   pd.Series(0, index=wide.index))

    def major(measure: str) -> pd.Series:
        return _get(wide, "major", measure)

    out = pd.DataFrame({
        "found": total("found"),
        "closed": total("closed"),
        "open": total("found") - total("closed"),
        "overdue": total("due1") - total("due_closed1"),
        "major": major("found"),
        "major_open": major("found") - major("closed"),
        "major_open_not_double_reported": major("found") - major("closed")
        - (major("reported") - major("reported_closed")),
    }).astype("int64")
    if by is None:
        return out.reset_index(drop=True)
    out = out[out["found"] > 0].reset_index().sort_values(by, kind="stable")
    return out.reset_index(drop=True)


def carried_over(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                 sector: str | None = None) -> pd.DataFrame:
    """`rectification.summarize_carried_over` read from the counts."""
    years = ("<", as_of.year)
    now = counts(conn, ("found", "closed"), high=as_of, years=years, unit=unit, sector=sector,
                 by=("level",))
    closed = counts(conn, ("closed",), low=year_start(as_of), high=as_of, years=years,
                    unit=unit, sector=sector)

    def n(measure: str, level: str | None = None) -> int:
        rows = now[(now["measure"] == measure) & ((now["level"] == level) if level else True)]
        return int(rows["n"].sum())

    return pd.DataFrame([{
        "open": n("found") - n("closed"),
        "major_open": n("found", "major") - n("closed", "major"),
        "closed_this_year": int(closed["n"].sum()),
    }])


AGE_MEASURES = ("found", "closed", *(f"due{k}" for k in AGE_STEPS),
                *(f"due_closed{k}" for k in AGE_STEPS))


def _open_by_bucket(wide: pd.DataFrame) -> dict[str, pd.Series]:
    """Open items per ageing bucket from counts spread by measure."""
    def open_past(k: int) -> pd.Series:
        return _get(wide, f"due{k}") - _get(wide, f"due_closed{k}")
    opened = _get(wide, "found") - _get(wide, "closed")
    return {"age_current": opened - open_past(1), "age_1_30": open_past(1) - open_past(31),
            "age_31_90": open_past(31) - open_past(91), "age_over_90": open_past(91)}


def open_by_age(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                sector: str | None = None) -> pd.DataFrame:
    """`rectification.count_open_hidden_dangers_by_age` read from the counts."""
    df = counts(conn, AGE_MEASURES, high=as_of, unit=unit, sector=sector, by=("found_year",))
    columns = ["bucket", "carried_over", "open"]
    if df.empty:
        return pd.DataFrame({"bucket": pd.Series(dtype=object),
                             "carried_over": pd.Series(dtype=bool),
                             "open": pd.Series(dtype="int64")})[columns]
    df["carried_over"] = df["found_year"] < as_of.year
    wide = _wide(df, ["carried_over"], ["measure"])
    rows = [{"bucket": bucket, "carried_over": bool(flag), "open": int(n)}
            for bucket, series in _open_by_bucket(wide).items()
            for flag, n in series.items() if n]
    out = pd.DataFrame(rows, columns=columns).sort_values(["bucket", "carried_over"])
    return out.astype({"carried_over": bool, "open": "int64"}).reset_index(drop=True)


def by_month(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
             sector: str | None = None) -> pd.DataFrame:
    """`rectification.count_hidden_dangers_by_month` read from the counts."""
    start = year_start(as_of)
    found = counts(conn, ("found",), low=start, high=as_of, years=("=", as_of.year), unit=unit,
                   sector=sector, by=("period",))
    closed = counts(conn, ("closed",), low=start, high=as_of, unit=unit, sector=sector,
                    by=("period",))
    months = pd.DataFrame({"month": range(1, as_of.month + 1)})
    for part, name in ((found, "found"), (closed, "closed")):
        per_month = (part.assign(month=[_as_date(p).month for p in part["period"]])
                     .groupby("month")["n"].sum().rename(name))
        months = months.merge(per_month, left_on="month", right_index=True, how="left")
    return months.fillna(0).astype(int)


def changes(conn: sa.Connection, *, since: dt.date, as_of: dt.date,
            unit: str | None = None) -> dict[str, int]:
    """`weekly.count_hazard_changes` read from the counts."""
    df = counts(conn, ("found", "closed"), low=since + dt.timedelta(days=1), high=as_of,
                unit=unit, by=("level",))

    def n(measure: str, major: bool = False) -> int:
        rows = df[(df["measure"] == measure) & ((df["level"] == "major") if major else True)]
        return int(rows["n"].sum())

    return {"found": n("found"), "closed": n("closed"), "major_opened": n("found", True),
            "major_closed": n("closed", True)}


# Drill-down scopes the counts answer (with a month: only found and closed_in_period).
SUMMARY_SCOPES = {"found": "found", "closed": "closed", "open": "open", "overdue": "overdue",
                  "major_open": "major_open",
                  "not_double_reported": "major_open_not_double_reported"}


def count_scope(conn: sa.Connection, scope: str, *, as_of: dt.date, unit: str | None = None,
                sector: str | None = None, month: int | None = None) -> int | None:
    """`rectification.count_hidden_dangers` read from the counts; None for a scope narrowed to
    a month that they cannot answer (by found month, for states other than found)."""
    if month is not None and scope in ("found", "closed_in_period"):
        first = dt.date(as_of.year, month, 1)
        last = min(_next_month(first) - dt.timedelta(days=1), as_of)
        measure, years = ("found", ("=", as_of.year)) if scope == "found" else ("closed", None)
        return int(counts(conn, (measure,), low=first, high=last, years=years, unit=unit,
                          sector=sector)["n"].sum())
    if month is not None and scope in SUMMARY_SCOPES:
        return None
    if scope in SUMMARY_SCOPES:
        row = summarize(conn, as_of=as_of, unit=unit, sector=sector).iloc[0]
        return int(row[SUMMARY_SCOPES[scope]])
    if scope == "carried_over":
        return int(carried_over(conn, as_of=as_of, unit=unit, sector=sector).iloc[0]["open"])
    if scope == "closed_in_period":
        return int(counts(conn, ("closed",), low=year_start(as_of), high=as_of, unit=unit,
                          sector=sector)["n"].sum())
    df = counts(conn, AGE_MEASURES, high=as_of, unit=unit, sector=sector)
    return int(_open_by_bucket(_wide(df, [], ["measure"]))[scope].sum()) if len(df) else 0


def set_aside(conn: sa.Connection) -> validity.SetAside | None:
    """`validity.summarize_set_aside` for the ledger read from the counts (None: nothing set
    aside)."""
    t = schema.hd_set_aside.c
    rows = conn.execute(sa.select(t.rule, sa.func.sum(t.n)).group_by(t.rule)).all()
    totals = {rule: int(n) for rule, n in rows}
    if not totals.get(ANY_RULE):
        return None
    problems = []
    for rule in validity.active_rules(conn, schema.hidden_dangers):
        n = totals.get(rule.code, 0)
        if n:
            lists = conn.execute(sa.select(t.examples).where(t.rule == rule.code)).scalars()
            examples = sorted({code for text in lists for code in json.loads(text)})
            problems.append((rule.description, n, tuple(examples[:validity.EXAMPLES])))
    return validity.SetAside(SOURCE, totals[ANY_RULE], tuple(problems))
