"""Accidents against targets and control indicators.

The reporting period is the calendar year of `as_of`, from 1 January up to and including
`as_of`. `unit` is a unit code (None or the city code "140400" means the whole city), `sector`
a sector code (None means all sectors). Money is in 万元.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access._sql import frame, next_day, start_of_day, sum_of, unit_scope, year_start
from data_access.accident_rules import grade_case
from data_access.schema import accidents, enterprises
from data_access.validity import usable

GROUPINGS = {
    "grade": accidents.c.grade,
    "unit_code": accidents.c.unit_code,
    "sector_code": accidents.c.sector_code,
    "month": sa.extract("month", accidents.c.occurred_at),
}


def period_conditions(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                      sector: str | None = None,
                      start: dt.date | None = None) -> list[sa.ColumnElement[bool]]:
    """The accidents of the period in the unit and sector, valid ones only
    (`validity.usable`)."""
    conditions = [*usable(conn, accidents),
        accidents.c.occurred_at >= start_of_day(start or year_start(as_of)),
        accidents.c.occurred_at < start_of_day(next_day(as_of)),
    ]
    conditions.extend(unit_scope(accidents.c.unit_code, unit))
    if sector:
        conditions.append(accidents.c.sector_code == sector)
    return conditions


def summarize_accidents(conn: sa.Connection, *, by: str, as_of: dt.date,
                        unit: str | None = None, sector: str | None = None,
                        start: dt.date | None = None) -> pd.DataFrame:
    """Accidents, deaths, serious injuries and direct loss per `by` value for the period.

    `by` is one of "grade", "unit_code", "sector_code", "month" (1–12). Groups without accidents
    are absent from the result; an empty frame means no accident in the period.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    key = GROUPINGS[by].label(by)
    stmt = (
        sa.select(
            key,
            sa.func.count().label("accidents"),
            sum_of(accidents.c.deaths, "deaths"),
            sum_of(accidents.c.serious_injuries, "serious_injuries"),
            sum_of(accidents.c.direct_loss_wan, "direct_loss_wan"),
        )
        .where(*period_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=start))
        .group_by(key)
        .order_by(key)
    )
    df = frame(conn, stmt)
    if by == "month":
        df["month"] = df["month"].astype(int)
    return df


def totals_of(summary: pd.DataFrame) -> dict[str, float]:
    """`count_accidents`' totals from a `summarize_accidents` frame of the same period and scope
    (every counted accident is in exactly one group), without reading the table again."""
    return {"accidents": int(summary["accidents"].sum()), "deaths": int(summary["deaths"].sum()),
            "serious_injuries": int(summary["serious_injuries"].sum()),
            "direct_loss_wan": float(summary["direct_loss_wan"].sum())}


def count_accidents(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                    sector: str | None = None, start: dt.date | None = None) -> dict[str, float]:
    """Totals for the period: accidents, deaths, serious_injuries, direct_loss_wan."""
    stmt = sa.select(
        sa.func.count().label("accidents"),
        sum_of(accidents.c.deaths, "deaths"),
        sum_of(accidents.c.serious_injuries, "serious_injuries"),
        sum_of(accidents.c.direct_loss_wan, "direct_loss_wan"),
    ).where(*period_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=start))
    row = frame(conn, stmt).iloc[0]
    return {name: (float(value) if name == "direct_loss_wan" else int(value))
            for name, value in row.items()}


def list_accidents(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                   sector: str | None = None, start: dt.date | None = None,
                   limit: int = 1000) -> pd.DataFrame:
    """The accidents behind the figures, newest first, at most `limit` rows.

    `grade` is the reported grade; `rule_grade` the grade 国务院令第493号 gives from deaths,
    serious injuries and direct loss (万元). An empty frame means no accident in the period.
    """
    stmt = (
        sa.select(
            accidents.c.id, accidents.c.code, accidents.c.occurred_at, accidents.c.unit_code,
            enterprises.c.name.label("enterprise"), accidents.c.sector_code, accidents.c.grade,
            accidents.c.deaths, accidents.c.serious_injuries, accidents.c.direct_loss_wan,
            accidents.c.summary, _rule_grade().label("rule_grade"),
        )
        .select_from(accidents.outerjoin(enterprises, accidents.c.enterprise_id == enterprises.c.id))
        .where(*period_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=start))
        .order_by(accidents.c.occurred_at.desc(), accidents.c.id.desc())
        .limit(limit)
    )
    return frame(conn, stmt)


def count_regrades(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                   sector: str | None = None, start: dt.date | None = None) -> dict[str, int]:
    """How many accidents of the period 国务院令第493号 puts in each grade although they were
    reported under another one: {rule grade: accidents}, grades with none left out. The tiles
    count reported grades; these are what each grade's tile would gain if corrected."""
    rule = _rule_grade()
    stmt = (
        sa.select(rule.label("rule_grade"), sa.func.count().label("accidents"))
        .where(*period_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=start),
               accidents.c.grade != rule)
        .group_by(rule)
    )
    return {grade: int(n) for grade, n in conn.execute(stmt)}



def _rule_grade() -> sa.Case:
    return grade_case(accidents.c.deaths, accidents.c.serious_injuries,
                      accidents.c.direct_loss_wan)


def list_grade_mismatches(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                          sector: str | None = None,
                          start: dt.date | None = None) -> pd.DataFrame:
    """Accidents of the period whose reported grade differs from the grade 国务院令第493号 gives.

    Columns: id, code (事故编号), occurred_at, unit_code, sector_code, grade (reported), rule_grade, deaths,
    serious_injuries, direct_loss_wan (万元); oldest first. The grade is computed in SQL, so
    only disagreeing rows are fetched; an empty frame means every record agrees.
    """
    rule = _rule_grade()
    stmt = (
        sa.select(
            accidents.c.id, accidents.c.code, accidents.c.occurred_at, accidents.c.unit_code,
            accidents.c.sector_code, accidents.c.grade, rule.label("rule_grade"),
            accidents.c.deaths, accidents.c.serious_injuries, accidents.c.direct_loss_wan,
        )
        .where(*period_conditions(conn, as_of=as_of, unit=unit, sector=sector, start=start),
               accidents.c.grade != rule)
        .order_by(accidents.c.occurred_at, accidents.c.id)
    )
    return frame(conn, stmt)
