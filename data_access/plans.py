"""A year's work plan, read from its tables: the notice, its sections and its scorecard lines.

The bureau issues a new notice every February; the data admin imports it (数据管理, sheets
年度工作通知 / 通知条目 / 记分卡指标) and every page, the screen and the weekly brief follow it
at once. A year without a plan has no targets: the scorecard shows the measures the data can
compute and says that the plan is missing. A database without the plan tables (an existing
system's views made before them) is read as having no plan for any year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from data_access import measures, vocab
from data_access._sql import frame, relation_names
from data_access.schema import plan_lines, plan_notices, plan_sections
from data_access.validity import usable

PLAN_TABLES = ("plan_notices", "plan_sections", "plan_lines")


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    measure: str
    rule: str  # "rate", "progress" or "zero"
    target: float | None  # a fraction for shares, a count otherwise; None without a plan
    uom: str  # "%" for shares, else the counting word (起, 家, 条, 处)
    section: str
    order: int = 0

    @property
    def has_history(self) -> bool:
        known = measures.BY_CODE.get(self.measure)
        return known.has_history if known else True


@dataclass(frozen=True)
class Plan:
    year: int
    title: str
    doc_number: str
    issued_on: dt.date
    checklist_title: str
    sections: tuple[tuple[str, str], ...]  # (code, title) in order
    lines: tuple[Line, ...]

    @property
    def section_titles(self) -> dict[str, str]:
        return dict(self.sections)


def make_line(*, code: str, name: str, measure: str, rule: str, target: float, uom: str,
              section: str, order: int = 0) -> Line:
    """A plan line from its stored values: a share's target is stored in percent."""
    known = measures.BY_CODE.get(measure)
    share = known.is_share if known else uom == "%"
    return Line(code, name, measure, rule, float(target) / 100 if share else float(target), uom,
                section, order)


def has_plan_tables(conn: sa.Connection) -> bool:
    return set(PLAN_TABLES) <= relation_names(conn)


def list_plan_titles(conn: sa.Connection) -> list[tuple[int, str]]:
    """(year, notice title) for the years that have a notice, oldest first."""
    if not has_plan_tables(conn):
        return []
    return [(int(year), title) for year, title in conn.execute(
        sa.select(plan_notices.c.year, plan_notices.c.title).where(*usable(conn, plan_notices))
        .order_by(plan_notices.c.year))]


def read_plan(conn: sa.Connection, year: int) -> Plan | None:
    """The plan of `year`, or None when the year has no notice."""
    if not has_plan_tables(conn):
        return None
    notice = conn.execute(sa.select(plan_notices).where(
        plan_notices.c.year == year, *usable(conn, plan_notices))).first()
    if notice is None:
        return None
    sections = frame(conn, sa.select(plan_sections.c.code, plan_sections.c.title)
                     .where(plan_sections.c.year == year, *usable(conn, plan_sections))
                     .order_by(plan_sections.c.sort_order, plan_sections.c.code))
    pl = plan_lines.c
    rows = frame(conn, sa.select(pl.code, pl.name, pl.measure, pl.rule, pl.target, pl.uom,
                                 pl.section, pl.sort_order)
                 .where(pl.year == year, *usable(conn, plan_lines))
                 .order_by(pl.sort_order, pl.code))
    titles = dict(zip(sections["code"], sections["title"]))
    lines = tuple(make_line(code=r.code, name=r.name, measure=r.measure, rule=r.rule,
                            target=r.target, uom=r.uom, section=r.section, order=int(r.sort_order))
                  for r in rows.itertuples())
    order = list(titles) + [s for s in dict.fromkeys(line.section for line in lines)
                            if s not in titles]
    lines = tuple(sorted(lines, key=lambda line: (order.index(line.section), line.order)))
    return Plan(year=year, title=notice.title, doc_number=notice.doc_number,
                issued_on=notice.issued_on, checklist_title=notice.checklist_title,
                sections=tuple((code, titles.get(code, code)) for code in order), lines=lines)


def catalogue_lines() -> tuple[Line, ...]:
    """Every measure of the catalogue under its own name, without target, grouped by kind
    (vocab.MEASURE_KINDS): what a year without a plan shows."""
    kinds = list(vocab.MEASURE_KINDS)
    ordered = sorted(measures.CATALOGUE, key=lambda m: kinds.index(m.kind))
    return tuple(Line(m.code, vocab.PLAN_MEASURES[m.code], m.code, m.rules[0], None, m.uom,
                      m.kind, i) for i, m in enumerate(ordered))
