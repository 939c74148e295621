"""Emergency resource sites (warehouses, rescue teams, shelters, equipment depots) and their
inventories. Coordinates are WGS-84. A site's stock check is overdue when its last check is
more than `check_interval_days` before `as_of`, or it was never checked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access._sql import count_where, frame, sum_of
from data_access.schema import resource_items, resource_sites

CITY_CODE = "140400"
SITE_KINDS = ("warehouse", "team", "shelter", "depot")
DEFAULT_CHECK_INTERVAL_DAYS = 90


def _check_overdue(as_of: dt.date, interval_days: int) -> sa.ColumnElement[bool]:
    cutoff = as_of - dt.timedelta(days=interval_days)
    return sa.or_(resource_sites.c.last_checked_on.is_(None),
                  resource_sites.c.last_checked_on < cutoff)


def _site_conditions(*, unit: str | None, kinds: tuple[str, ...] | None
                     ) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if unit and unit != CITY_CODE:
        conditions.append(resource_sites.c.unit_code == unit)
    if kinds:
        conditions.append(resource_sites.c.kind.in_(kinds))
    return conditions


def list_resource_sites(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                        kinds: tuple[str, ...] | None = None,
                        check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS) -> pd.DataFrame:
    """Every site in the filter with its location, size, last check and check_overdue flag."""
    rs = resource_sites.c
    stmt = (
        sa.select(rs.id, rs.name, rs.kind, rs.subkind, rs.level, rs.unit_code, rs.lat, rs.lon,
                  rs.capacity, rs.headcount, rs.area_m2, rs.contact_role, rs.last_checked_on,
                  _check_overdue(as_of, check_interval_days).label("check_overdue"))
        .where(*_site_conditions(unit=unit, kinds=kinds))
        .order_by(rs.kind, rs.unit_code, rs.id)
    )
    df = frame(conn, stmt)
    df["check_overdue"] = df["check_overdue"].astype(bool)
    return df


def summarize_sites_by_kind(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                            check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS
                            ) -> pd.DataFrame:
    """Per kind: sites, headcount (teams), capacity (shelters), check_overdue."""
    rs = resource_sites.c
    stmt = (
        sa.select(rs.kind, sa.func.count().label("sites"), sum_of(rs.headcount, "headcount"),
                  sum_of(rs.capacity, "capacity"),
                  count_where(_check_overdue(as_of, check_interval_days), "check_overdue"))
        .where(*_site_conditions(unit=unit, kinds=None))
        .group_by(rs.kind)
        .order_by(rs.kind)
    )
    return frame(conn, stmt)


def list_site_items(conn: sa.Connection, *, site_id: int) -> pd.DataFrame:
    """One site's inventory: item, category, quantity, uom."""
    ri = resource_items.c
    stmt = (sa.select(ri.item, ri.category, ri.quantity, ri.uom)
            .where(ri.site_id == site_id).order_by(ri.category, ri.item))
    return frame(conn, stmt)
