"""Emergency resource sites (warehouses, rescue teams, shelters, equipment depots) and their
inventories. Coordinates are WGS-84. A site's stock checks are kept with their dates
(`resource_checks`); its stock check is overdue at `as_of` when its latest check on or before
`as_of` is more than `check_interval_days` earlier, or it had never been checked by then.

Filters shared by the site queries: `unit` (a unit code; None or the city code = whole city),
`kinds` (a tuple of SITE_KINDS; None or empty = all kinds) and `category` (an item category
such as "drainage": only sites that hold at least one item of it; None = any).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access._sql import count_where, frame, sum_of, unit_scope
from data_access.schema import enterprises, resource_checks, resource_items, resource_sites
from data_access.validity import usable

SITE_KINDS = ("warehouse", "team", "shelter", "depot")
DEFAULT_CHECK_INTERVAL_DAYS = 90


def last_checks(conn: sa.Connection, as_of: dt.date, name: str = "last_check") -> sa.Subquery:
    """Each site's latest valid stock check on or before `as_of`: site_id, last_checked_on.
    Sites not checked by then are absent."""
    rc = resource_checks.c
    return (sa.select(rc.site_id, sa.func.max(rc.checked_on).label("last_checked_on"))
            .where(rc.checked_on <= as_of, *usable(conn, resource_checks))
            .group_by(rc.site_id).subquery(name))


def check_overdue(last_checked_on: sa.ColumnElement, as_of: dt.date,
                  interval_days: int) -> sa.ColumnElement[bool]:
    """Never checked by `as_of`, or last checked more than `interval_days` before it."""
    cutoff = as_of - dt.timedelta(days=interval_days)
    return sa.or_(last_checked_on.is_(None), last_checked_on < cutoff)


def _sites_with_last_check(conn: sa.Connection,
                           as_of: dt.date) -> tuple[sa.FromClause, sa.ColumnElement]:
    last = last_checks(conn, as_of)
    return (resource_sites.outerjoin(last, last.c.site_id == resource_sites.c.id),
            last.c.last_checked_on)


def _holds_category(category: str) -> sa.ColumnElement[bool]:
    held = resource_items.alias("held")  # an alias: the outer query may join resource_items
    return sa.exists(sa.select(held.c.id).where(held.c.site_id == resource_sites.c.id,
                                                held.c.category == category)
                     .correlate(resource_sites))


def _site_conditions(conn: sa.Connection, *, unit: str | None,
                     kinds: tuple[str, ...] | None,
                     category: str | None = None) -> list[sa.ColumnElement[bool]]:
    """Valid sites (`validity.usable`) of the unit, kinds and item category."""
    conditions = usable(conn, resource_sites)
    conditions.extend(unit_scope(resource_sites.c.unit_code, unit))
    if kinds:
        conditions.append(resource_sites.c.kind.in_(kinds))
    if category:
        conditions.append(_holds_category(category))
    return conditions


def list_resource_sites(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                        kinds: tuple[str, ...] | None = None, category: str | None = None,
                        check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS) -> pd.DataFrame:
    """Every site in the filter with its code, location, size, latest check on or before
    `as_of` (last_checked_on, None if none) and check_overdue flag.

    Sizes: capacity in persons (shelters), headcount in persons (teams), area_m2 in m²; each is
    empty where it does not apply. No rows: no site in the filter.
    """
    rs = resource_sites.c
    sites, last_checked_on = _sites_with_last_check(conn, as_of)
    stmt = (
        sa.select(rs.id, rs.code, rs.name, rs.kind, rs.subkind, rs.level, rs.unit_code, rs.lat,
                  rs.lon, rs.capacity, rs.headcount, rs.area_m2, rs.contact_role,
                  last_checked_on.label("last_checked_on"),
                  check_overdue(last_checked_on, as_of, check_interval_days)
                  .label("check_overdue"))
        .select_from(sites)
        .where(*_site_conditions(conn, unit=unit, kinds=kinds, category=category))
        .order_by(rs.kind, rs.unit_code, rs.id)
    )
    df = frame(conn, stmt)
    df["check_overdue"] = df["check_overdue"].astype(bool)
    return df


def summarize_sites_by_kind(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                            category: str | None = None,
                            check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS
                            ) -> pd.DataFrame:
    """Per kind: sites, headcount (teams), capacity (shelters), check_overdue."""
    rs = resource_sites.c
    sites, last_checked_on = _sites_with_last_check(conn, as_of)
    stmt = (
        sa.select(rs.kind, sa.func.count().label("sites"), sum_of(rs.headcount, "headcount"),
                  sum_of(rs.capacity, "capacity"),
                  count_where(check_overdue(last_checked_on, as_of, check_interval_days),
                              "check_overdue"))
        .select_from(sites)
        .where(*_site_conditions(conn, unit=unit, kinds=None, category=category))
        .group_by(rs.kind)
        .order_by(rs.kind)
    )
    return frame(conn, stmt)


def summarize_sites_by_unit(conn: sa.Connection, *, as_of: dt.date, unit: str | None = None,
                            kinds: tuple[str, ...] | None = None, category: str | None = None,
                            check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS
                            ) -> pd.DataFrame:
    """Per unit and kind: sites, headcount (persons), capacity (persons), check_overdue.
    Only unit/kind pairs with at least one site appear."""
    rs = resource_sites.c
    sites, last_checked_on = _sites_with_last_check(conn, as_of)
    stmt = (
        sa.select(rs.unit_code, rs.kind, sa.func.count().label("sites"),
                  sum_of(rs.headcount, "headcount"), sum_of(rs.capacity, "capacity"),
                  count_where(check_overdue(last_checked_on, as_of, check_interval_days),
                              "check_overdue"))
        .select_from(sites)
        .where(*_site_conditions(conn, unit=unit, kinds=kinds, category=category))
        .group_by(rs.unit_code, rs.kind)
        .order_by(rs.unit_code, rs.kind)
    )
    return frame(conn, stmt)


def summarize_equipment_by_unit(conn: sa.Connection, *, unit: str | None = None,
                                kinds: tuple[str, ...] | None = None,
                                category: str | None = None) -> pd.DataFrame:
    """Per unit and item (of the sites in the filter): category, uom, total quantity and the
    number of sites holding it. With `category`, only items of that category are counted."""
    rs, ri = resource_sites.c, resource_items.c
    conditions = [*_site_conditions(conn, unit=unit, kinds=kinds), *usable(conn, resource_items)]
    if category:
        conditions.append(ri.category == category)
    stmt = (
        sa.select(rs.unit_code, ri.category, ri.item, ri.uom,
                  sum_of(ri.quantity, "quantity"),
                  sa.func.count(sa.distinct(rs.id)).label("sites"))
        .select_from(resource_items.join(resource_sites, ri.site_id == rs.id))
        .where(*conditions)
        .group_by(rs.unit_code, ri.category, ri.item, ri.uom)
        .order_by(rs.unit_code, ri.category, ri.item)
    )
    return frame(conn, stmt)


def list_site_items(conn: sa.Connection, *, site_id: int) -> pd.DataFrame:
    """One site's inventory: item, category, quantity, uom. No rows: nothing recorded."""
    ri = resource_items.c
    stmt = (sa.select(ri.item, ri.category, ri.quantity, ri.uom)
            .where(ri.site_id == site_id, *usable(conn, resource_items))
            .order_by(ri.category, ri.item))
    return frame(conn, stmt)


def list_items_of_sites(conn: sa.Connection, *, unit: str | None = None,
                        kinds: tuple[str, ...] | None = None, category: str | None = None,
                        site_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Inventory rows (site_id, item, category, quantity, uom) of the sites in the filter, or of
    the given `site_ids`; used to show each site's key equipment on the map and in lists."""
    rs, ri = resource_sites.c, resource_items.c
    conditions = [*_site_conditions(conn, unit=unit, kinds=kinds, category=category),
                  *usable(conn, resource_items)]
    if site_ids is not None:
        conditions.append(rs.id.in_(site_ids))
    stmt = (
        sa.select(ri.site_id, ri.item, ri.category, ri.quantity, ri.uom)
        .select_from(resource_items.join(resource_sites, ri.site_id == rs.id))
        .where(*conditions)
        .order_by(ri.site_id, ri.category, ri.item)
    )
    return frame(conn, stmt)


def list_sites_in_box(conn: sa.Connection, *, min_lat: float, max_lat: float, min_lon: float,
                      max_lon: float, kinds: tuple[str, ...] | None = None,
                      category: str | None = None) -> pd.DataFrame:
    """Sites (id, name, kind, subkind, level, unit_code, lat, lon, headcount, capacity, area_m2,
    contact_role) inside a latitude/longitude box, in degrees (WGS-84): the SQL prefilter of the
    nearest-resource search, which ranks the candidates by distance itself. The whole city is
    deliberately not implied: the box decides."""
    rs = resource_sites.c
    stmt = (
        sa.select(rs.id, rs.name, rs.kind, rs.subkind, rs.level, rs.unit_code, rs.lat, rs.lon,
                  rs.headcount, rs.capacity, rs.area_m2, rs.contact_role)
        .where(rs.lat.between(min_lat, max_lat), rs.lon.between(min_lon, max_lon),
               *_site_conditions(conn, unit=None, kinds=kinds, category=category))
        .order_by(rs.id)
    )
    return frame(conn, stmt)


def list_enterprise_locations(conn: sa.Connection, *, unit: str | None = None) -> pd.DataFrame:
    """Enterprises with a location: id, name, unit_code, sector_code, lat, lon (WGS-84),
    ordered by unit and name. `unit` None or the city code = all units."""
    e = enterprises.c
    stmt = sa.select(e.id, e.name, e.unit_code, e.sector_code, e.lat, e.lon)
    stmt = stmt.where(*unit_scope(e.unit_code, unit), *usable(conn, enterprises))
    return frame(conn, stmt.order_by(e.unit_code, e.name, e.id))
