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
from data_access.geo import CITY_BOUNDS, inner_boxes, points_in_changzhi
from data_access.schema import enterprises, resource_checks, resource_items, resource_sites
from data_access.validity import usable

SITE_KINDS = ("warehouse", "team", "shelter", "depot")
DEFAULT_CHECK_INTERVAL_DAYS = 90
# Which equipment a one-line summary names first: §五 of the notice (drainage robots, hoses,
# plugging, firefighting) before rescue tools, detection and the rest.
CATEGORY_PRIORITY = ("drainage", "plugging", "firefighting", "rescue", "detection",
                     "communication", "engineering", "power_lighting", "protection", "medical",
                     "living")
KEY_ITEMS_SHOWN = 4
LOCATION_CELL_DEG = 0.025  # grid of `geo.inner_boxes` used to spare most sites a polygon test


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


def checked_between(conn: sa.Connection, first: dt.date, last: dt.date) -> sa.ColumnElement[bool]:
    """The site (`resource_sites` row of the outer query) has a valid stock check dated `first`
    … `last`: one probe of the (site, date) key per site, not a pass over the whole log."""
    rc = resource_checks.c
    return sa.exists(sa.select(rc.site_id).where(
        rc.site_id == resource_sites.c.id, rc.checked_on >= first, rc.checked_on <= last,
        *usable(conn, resource_checks)))


def overdue_at(conn: sa.Connection, as_of: dt.date, interval_days: int) -> sa.ColumnElement[bool]:
    """`check_overdue` of the site at `as_of`, as a condition on the outer `resource_sites` row:
    no valid check in the `interval_days` before `as_of` (nor on it)."""
    return sa.not_(checked_between(conn, as_of - dt.timedelta(days=interval_days), as_of))


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
                        check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS,
                        site_ids: tuple[int, ...] | None = None, overdue_only: bool = False,
                        limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """The sites in the filter (or those of `site_ids` among them) with code, location, size,
    latest check on or before `as_of` (last_checked_on, None if none) and check_overdue flag,
    ordered by kind, unit and id; `overdue_only` keeps the overdue ones, longest unchecked
    (never checked) first; `limit`/`offset` give one page of them.

    Sizes: capacity in persons (shelters), headcount in persons (teams), area_m2 in m²; each is
    empty where it does not apply. No rows: no site in the filter.
    """
    rs = resource_sites.c
    sites, last_checked_on = _sites_with_last_check(conn, as_of)
    overdue = check_overdue(last_checked_on, as_of, check_interval_days)
    conditions = _site_conditions(conn, unit=unit, kinds=kinds, category=category)
    if site_ids is not None:
        conditions.append(rs.id.in_(site_ids))
    order = [rs.kind, rs.unit_code, rs.id]
    if overdue_only:
        conditions.append(overdue)
        order = [sa.case((last_checked_on.is_(None), 0), else_=1), last_checked_on, *order]
    stmt = (
        sa.select(rs.id, rs.code, rs.name, rs.kind, rs.subkind, rs.level, rs.unit_code, rs.lat,
                  rs.lon, rs.capacity, rs.headcount, rs.area_m2, rs.contact_role,
                  last_checked_on.label("last_checked_on"), overdue.label("check_overdue"))
        .select_from(sites)
        .where(*conditions)
        .order_by(*order)
        .limit(limit).offset(offset or None)
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
    stmt = (
        sa.select(rs.kind, sa.func.count().label("sites"), sum_of(rs.headcount, "headcount"),
                  sum_of(rs.capacity, "capacity"),
                  count_where(overdue_at(conn, as_of, check_interval_days),
                              "check_overdue"))
        .select_from(resource_sites)
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
    stmt = (
        sa.select(rs.unit_code, rs.kind, sa.func.count().label("sites"),
                  sum_of(rs.headcount, "headcount"), sum_of(rs.capacity, "capacity"),
                  count_where(overdue_at(conn, as_of, check_interval_days),
                              "check_overdue"))
        .select_from(resource_sites)
        .where(*_site_conditions(conn, unit=unit, kinds=kinds, category=category))
        .group_by(rs.unit_code, rs.kind)
        .order_by(rs.unit_code, rs.kind)
    )
    return frame(conn, stmt)


def summarize_equipment_by_unit(conn: sa.Connection, *, unit: str | None = None,
                                kinds: tuple[str, ...] | None = None,
                                category: str | None = None,
                                categories: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per unit and item (of the sites in the filter): category, uom, total quantity and the
    number of sites holding it. With `category`, only items of that category are counted; with
    `categories`, only items of those (what a table shows: the key categories)."""
    rs, ri = resource_sites.c, resource_items.c
    conditions = [*_site_conditions(conn, unit=unit, kinds=kinds), *usable(conn, resource_items)]
    if category:
        conditions.append(ri.category == category)
    if categories:
        conditions.append(ri.category.in_(categories))
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


def summarize_key_equipment(conn: sa.Connection, *, unit: str | None = None,
                            kinds: tuple[str, ...] | None = None, category: str | None = None,
                            site_ids: tuple[int, ...] | None = None,
                            shown: int = KEY_ITEMS_SHOWN) -> pd.DataFrame:
    """One row per site holding anything (of the sites in the filter, or of `site_ids`):
    site_id, equipment — "智能排水机器人3台、高压排水管800米…", its first `shown` items in the
    order of CATEGORY_PRIORITY then entry, "…" when it holds more. Built in the database, so a
    page gets one short line per site instead of every inventory row."""
    rs, ri = resource_sites.c, resource_items.c
    conditions = [*_site_conditions(conn, unit=unit, kinds=kinds, category=category),
                  *usable(conn, resource_items)]
    if site_ids is not None:
        conditions.append(rs.id.in_(site_ids))
    priority = sa.case({c: i for i, c in enumerate(CATEGORY_PRIORITY)}, value=ri.category,
                       else_=len(CATEGORY_PRIORITY))
    ranked = (
        sa.select(ri.site_id,
                  (ri.item + sa.cast(ri.quantity, sa.String) + ri.uom).label("text"),
                  sa.func.row_number().over(partition_by=ri.site_id,
                                            order_by=(priority, ri.id)).label("rank"),
                  sa.func.count().over(partition_by=ri.site_id).label("held"))
        .select_from(resource_items.join(resource_sites, ri.site_id == rs.id))
        .where(*conditions)
        .subquery("ranked")
    )
    # The rank travels inside each piece: the aggregate's own order is not portable.
    piece = sa.cast(ranked.c.rank, sa.String) + ":" + ranked.c.text
    stmt = (sa.select(ranked.c.site_id, sa.func.max(ranked.c.held).label("held"),
                      sa.func.aggregate_strings(piece, "\x1f").label("pieces"))
            .where(ranked.c.rank <= shown)
            .group_by(ranked.c.site_id)
            .order_by(ranked.c.site_id))
    df = frame(conn, stmt)
    lines = []
    for held, pieces in zip(df["held"], df["pieces"]):
        parts = sorted((p.split(":", 1) for p in pieces.split("\x1f")), key=lambda p: int(p[0]))
        lines.append("、".join(text for _, text in parts) + ("…" if int(held) > shown else ""))
    return pd.DataFrame({"site_id": df["site_id"].astype(int), "equipment": lines})


def _inside_city_grid(lat: sa.ColumnElement, lon: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """True for a point in one of `geo.inner_boxes`: inside Changzhi for sure."""
    return sa.or_(*(sa.and_(lat.between(a, b), lon.between(c, d))
                    for a, b, c, d in inner_boxes(LOCATION_CELL_DEG)))


def list_misplaced_sites(conn: sa.Connection, *, unit: str | None = None,
                         kinds: tuple[str, ...] | None = None,
                         category: str | None = None) -> pd.DataFrame:
    """The sites in the filter whose coordinates are impossible or outside the 12 county
    outlines of Changzhi: id, name, kind, unit_code, lat, lon, by id. Never drawn, listed for
    checking. The database sets aside the sites that lie inside the city for sure
    (`geo.inner_boxes`); only the few near or beyond its edge are tested against the outlines
    here."""
    rs = resource_sites.c
    stmt = (sa.select(rs.id, rs.name, rs.kind, rs.unit_code, rs.lat, rs.lon)
            .where(*_site_conditions(conn, unit=unit, kinds=kinds, category=category),
                   sa.not_(_inside_city_grid(rs.lat, rs.lon)))
            .order_by(rs.id))
    near_edge = frame(conn, stmt)
    return near_edge[~points_in_changzhi(near_edge["lat"], near_edge["lon"])] \
        .reset_index(drop=True)


def summarize_sites_on_grid(conn: sa.Connection, *, as_of: dt.date, cell_deg: float,
                            unit: str | None = None, kinds: tuple[str, ...] | None = None,
                            category: str | None = None,
                            check_interval_days: int = DEFAULT_CHECK_INTERVAL_DAYS,
                            leave_out: tuple[int, ...] = ()) -> pd.DataFrame:
    """The sites in the filter gathered per kind into grid cells of `cell_deg` degrees, for a
    map of more points than it can draw legibly: kind, sites, headcount, capacity,
    check_overdue, and lat/lon (their mean position). Sites outside the city's bounds and
    those of `leave_out` (the misplaced ones) are not counted."""
    rs = resource_sites.c
    row = sa.func.round(rs.lat / cell_deg)
    col = sa.func.round(rs.lon / cell_deg)
    b = CITY_BOUNDS
    conditions = [*_site_conditions(conn, unit=unit, kinds=kinds, category=category),
                  rs.lat.between(b["min_lat"], b["max_lat"]),
                  rs.lon.between(b["min_lon"], b["max_lon"])]
    if leave_out:
        conditions.append(rs.id.not_in(leave_out))
    stmt = (
        sa.select(rs.kind, sa.func.count().label("sites"), sum_of(rs.headcount, "headcount"),
                  sum_of(rs.capacity, "capacity"),
                  count_where(overdue_at(conn, as_of, check_interval_days),
                              "check_overdue"),
                  sa.func.avg(rs.lat).label("lat"), sa.func.avg(rs.lon).label("lon"))
        .select_from(resource_sites)
        .where(*conditions)
        .group_by(rs.kind, row, col)
        .order_by(rs.kind, row, col)
    )
    df = frame(conn, stmt)
    for column in ("lat", "lon"):
        df[column] = df[column].astype(float)
    return df
