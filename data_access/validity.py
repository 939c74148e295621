"""Which rows a figure may use: the data-quality layer between the database and the pages.

A row counts in the figures only if every value that decides what it counts as and where —
its table's CORE columns (dates, unit, sector, grade, level, amounts, keys) — is valid by the
error rules of `quality` (required, known code, existing reference, possible number, date in
range and in order, key not repeated). Other rows are set aside: every query adds
`usable(conn, table)` to its WHERE clause, so all figures of a page agree, and the pages name
what was set aside (`summarize_set_aside`, `list_set_aside`). Descriptive values (names, texts,
a descriptive code) never set a row aside; the pages show them escaped, or 不详 when missing.

Everything is SQL conditions on the rows the query reads anyway. A rule is left out where the
database itself already forbids what it looks for — a column it declares NOT NULL, a key its
primary key or a unique constraint keeps unique, a reference its foreign key enforces (not on
SQLite, which does not enforce them by default) — so on the dashboard's own database the
conditions stay few and the ledger's covering indexes still answer its counts alone; on views
over another system every rule applies. What a database enforces is read once per connection.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import quality, schema
from data_access._sql import count_where, frame, relation_names

# Per table, the columns whose validity decides whether a row counts at all.
CORE_COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("code", "kind"),
    "departments": ("code",),
    "sectors": ("code",),
    "enterprises": ("id", "unit_code", "sector_code", "std_grade", "required_std_grade",
                    "has_major_hazard", "is_hazchem"),
    "accidents": ("id", "occurred_at", "unit_code", "sector_code", "grade", "deaths",
                  "serious_injuries", "direct_loss_wan"),
    "targets": ("id", "year", "unit_code", "sector_code", "metric", "direction", "value"),
    "key_tasks": ("id", "code", "year", "sector_code", "notice_section",
                  "lead_department_code", "start_on", "deadline"),
    "task_progress_reports": ("id", "task_id", "reported_on", "progress_pct"),
    # The ledger's counts read only these (its covering indexes hold them).
    "hidden_dangers": ("id", "unit_code", "sector_code", "found_on", "level", "deadline",
                       "closed_on", "regulator_reported_on", "congress_reported_on"),
    "coal_mines": ("id", "unit_code", "is_green_pilot", "is_intelligent_demo"),
    "mine_milestones": ("id", "mine_id", "programme", "planned_on", "achieved_on"),
    "working_faces": ("id", "code", "mine_id", "face_type", "plan_year",
                      "planned_completion_on", "planned_on", "construction_started_on",
                      "self_assessed_on", "applied_on", "evaluated_on", "accepted_on"),
    "resource_sites": ("id", "code", "kind", "unit_code", "capacity", "headcount"),
    "resource_items": ("id", "site_id", "category", "quantity"),
    "resource_checks": ("id", "site_id", "checked_on"),
    "leadership_activities": ("id", "unit_code", "held_on", "kind"),
    "coal_gas_events": ("id", "mine_id", "occurred_on", "kind"),
    "oil_gas_storage_assessments": ("id", "enterprise_id", "assessed_on", "risk_level"),
    "major_hazard_sources": ("id", "code", "enterprise_id", "unit_code", "sector_code",
                             "registered_on"),
    "major_hazard_source_events": ("id", "source_id", "kind", "held_on"),
    "inspection_plans": ("id", "year", "unit_code", "planned_inspections"),
    "inspection_progress": ("id", "unit_code", "reported_on", "done_to_date"),
    "risk_census_progress": ("id", "unit_code", "reported_on", "completion_pct"),
    "drills": ("id", "unit_code", "held_on", "kind"),
    "townships": ("id", "unit_code"),
    "township_staffing": ("id", "township_id", "reported_on", "staff"),
    "hazchem_monitoring_weekly": ("id", "unit_code", "week_ending", "commit_required",
                                  "commit_on_time", "sources_required", "sources_connected",
                                  "points_connected", "points_online", "alarms",
                                  "alarms_cleared", "alarms_over_24h"),
    "cyber_incidents": ("id", "unit_code", "occurred_on", "severity"),
    # A line with an unknown measure or rule stays: the scorecard shows it as 无数据 and why.
    "plan_notices": ("id", "year"),
    "plan_sections": ("id", "year", "code"),
    "plan_lines": ("id", "year", "code", "target", "section"),
}
GUARANTEES_KEY = "dashboard.guarantees"  # conn.info: table → what the database enforces
EXAMPLES = 3


def today() -> dt.date:
    return dt.date.today()


@functools.cache
def core_rules(table_name: str, day: dt.date) -> tuple[quality.Rule, ...]:
    """The error rules of `table_name` that read only its core columns."""
    core = set(CORE_COLUMNS[table_name])
    return tuple(rule for rule in quality.rules_for(schema.metadata.tables[table_name], today=day)
                 if rule.severity == quality.ERROR and set(rule.columns) <= core)


@dataclass(frozen=True)
class Enforced:
    """What the database itself keeps true for a table: columns declared NOT NULL, key column
    sets kept unique (primary key, unique constraints and indexes), and foreign-key columns it
    enforces. Nothing for a view."""

    not_null: frozenset[str] = frozenset()
    unique: frozenset[tuple[str, ...]] = frozenset()
    references: frozenset[str] = frozenset()


def enforced(conn: sa.Connection, table: sa.Table) -> Enforced:
    """What the database enforces for `table`, read once per database connection."""
    known = conn.info.setdefault(GUARANTEES_KEY, {})
    if table.name not in known:
        known[table.name] = _reflect_enforced(conn, table.name)
    return known[table.name]


def _reflect_enforced(conn: sa.Connection, name: str) -> Enforced:
    inspector = sa.inspect(conn)
    if name in inspector.get_view_names():
        return Enforced()
    try:
        not_null = {c["name"] for c in inspector.get_columns(name) if not c["nullable"]}
        keys = {tuple(sorted(inspector.get_pk_constraint(name).get("constrained_columns") or []))}
        keys |= {tuple(sorted(u["column_names"])) for u in inspector.get_unique_constraints(name)}
        keys |= {tuple(sorted(i["column_names"])) for i in inspector.get_indexes(name)
                 if i.get("unique")}
        references = set() if conn.dialect.name == "sqlite" else {
            column for fk in inspector.get_foreign_keys(name)
            for column in fk["constrained_columns"]}
    except (sa.exc.NoSuchTableError, NotImplementedError):
        return Enforced()
    return Enforced(frozenset(not_null), frozenset(k for k in keys if k), frozenset(references))


def _needs(conn: sa.Connection, table: sa.Table, rule: quality.Rule) -> bool:
    """Whether `rule` can find anything, given what the database enforces itself."""
    kept = enforced(conn, table)
    if isinstance(rule, quality.DuplicateRule):
        return tuple(sorted(rule.columns)) not in kept.unique
    if isinstance(rule, quality.ReferenceRule):
        return rule.columns[0] not in kept.references
    if rule.check == "required":
        return rule.columns[0] not in kept.not_null
    return True


def active_rules(conn: sa.Connection, table: sa.Table) -> tuple[quality.Rule, ...]:
    """The rules that can find something in this database's `table`."""
    return tuple(r for r in core_rules(table.name, today()) if _needs(conn, table, r))


def usable(conn: sa.Connection, table: sa.Table) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions that keep the rows of `table` whose core values are all valid."""
    return [sa.not_(rule.bad) for rule in active_rules(conn, table)]


@dataclass(frozen=True)
class SetAside:
    """What a table holds that the figures leave out: `rows` set aside, per rule (its
    description, count, and up to EXAMPLES identities)."""

    table: str
    rows: int
    problems: tuple[tuple[str, int, tuple[str, ...]], ...]


def _identity(table: sa.Table) -> tuple[str, ...]:
    key = schema.NATURAL_KEYS[table.name]
    return key if all(not table.c[c].foreign_keys for c in key) else ("id", *key)


def summarize_set_aside(conn: sa.Connection, *, tables: tuple[str, ...]) -> list[SetAside]:
    """For each of `tables`, the rows the figures leave out and why (one pass per table; the
    examples are read only for rules that found something; the ledger's from its counts,
    `rollups`, when they are up to date). Tables with nothing set aside, and tables the
    database lacks (a page names those itself), are left out of the result."""
    from data_access import rollups  # it reads this module's rules: imported when used

    found = []
    present = relation_names(conn)
    for name in (t for t in tables if t in present):
        if name == rollups.SOURCE and rollups.fresh(conn):
            counted = rollups.set_aside(conn)
            found.extend([counted] if counted else [])
            continue
        table = schema.metadata.tables[name]
        rules = active_rules(conn, table)
        if not rules:
            continue
        counts = frame(conn, sa.select(
            count_where(sa.or_(*(r.bad for r in rules)), "rows"),
            *(count_where(r.bad, f"r{i}") for i, r in enumerate(rules))).select_from(table)
        ).iloc[0]
        if not int(counts["rows"]):
            continue
        problems = []
        for i, rule in enumerate(rules):
            n = int(counts[f"r{i}"])
            if n:
                problems.append((rule.description, n, _examples(conn, table, rule)))
        found.append(SetAside(name, int(counts["rows"]), tuple(problems)))
    return found


def _examples(conn: sa.Connection, table: sa.Table, rule: quality.Rule) -> tuple[str, ...]:
    identity = _identity(table)
    stmt = (sa.select(*(sa.type_coerce(table.c[c], sa.String).label(c) for c in identity))
            .where(rule.bad).order_by(*(table.c[c] for c in identity)).limit(EXAMPLES))
    return tuple(" / ".join("" if v is None else str(v) for v in row) for row in conn.execute(stmt))


def list_set_aside(conn: sa.Connection, *, table: str, limit: int = 5000) -> pd.DataFrame:
    """The rows of `table` the figures leave out (their core values and the problems found), at
    most `limit`, for people to download and fix."""
    t = schema.metadata.tables[table]
    rules = active_rules(conn, t)
    if not rules:
        return pd.DataFrame()
    reasons = [sa.case((rule.bad, rule.description), else_="").label(f"p{i}")
               for i, rule in enumerate(rules)]
    columns = [sa.type_coerce(t.c[c], sa.String).label(c) for c in CORE_COLUMNS[table]]
    stmt = (sa.select(*columns, *reasons).where(sa.or_(*(r.bad for r in rules)))
            .order_by(*(t.c[c] for c in _identity(t))).limit(limit))
    df = frame(conn, stmt)
    problem_columns = [f"p{i}" for i in range(len(rules))]
    df["problems"] = ["；".join(p for p in row if p) for row in
                      df[problem_columns].itertuples(index=False)]
    return df.drop(columns=problem_columns)


def tables_of(names: Iterable[str]) -> tuple[str, ...]:
    """Table names in load order."""
    wanted = set(names)
    return tuple(t.name for t in schema.TABLES_IN_LOAD_ORDER if t.name in wanted)
