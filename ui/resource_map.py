"""What the resources map and lists fetch: never more sites than they can show.

Up to MAP_POINT_LIMIT sites in the filter are drawn one by one, with their key equipment; more
(the whole province or a big city) are drawn gathered per grid cell at city zoom, counted in
the database, and a county (the unit filter) shows its sites one by one again. Sites whose
coordinates put them outside Changzhi are listed, never drawn. Tables show one page of
PAGE_ROWS sites at a time; the download builds the full list when it is asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_access import access, resources
from ui.data import query, read
from ui.downloads import excel_bytes
from ui.figures import resources as fig
from ui.labels import RESOURCE_COLUMNS

MAP_POINT_LIMIT = 2_500
CLUSTER_CELL_DEG = 0.03  # about 3 km: legible at the city's zoom
PAGE_ROWS = 200


@dataclass(frozen=True)
class SiteScope:
    """The sites a view shows: kinds (layers), unit and item category, at a date."""
    as_of: dt.date
    kinds: tuple[str, ...]
    unit: str | None
    category: str | None
    interval: int

    def filters(self) -> dict:
        return {"as_of": self.as_of, "kinds": self.kinds, "unit": self.unit,
                "category": self.category, "check_interval_days": self.interval}

    def site_filters(self) -> dict:
        return {"kinds": self.kinds, "unit": self.unit, "category": self.category}


@dataclass(frozen=True)
class MapSites:
    shaped: pd.DataFrame  # records for `fig.build_resource_deck`
    sites: pd.DataFrame  # the sites drawn one by one (none when gathered)
    misplaced: pd.DataFrame  # sites left off the map because of their coordinates
    gathered: bool  # drawn per grid cell


def equipment_lines(scope: SiteScope | None = None, *,
                    site_ids: tuple[int, ...] | None = None) -> dict[int, str]:
    """site id → its key equipment in one line, of the scope's sites or of `site_ids`."""
    if site_ids is not None and not site_ids:
        return {}
    kwargs = scope.site_filters() if scope is not None else {}
    found = query(resources.summarize_key_equipment, site_ids=site_ids, **kwargs)
    return dict(zip(found["site_id"], found["equipment"]))


def map_sites(scope: SiteScope, *, in_scope: int, unit_names: dict[str, str],
              with_equipment: bool = True) -> MapSites:
    """The map's records for `scope`, which holds `in_scope` sites (counted by the caller)."""
    misplaced = query(resources.list_misplaced_sites, **scope.site_filters())
    if in_scope > MAP_POINT_LIMIT:
        cells = query(resources.summarize_sites_on_grid, cell_deg=CLUSTER_CELL_DEG,
                      leave_out=tuple(int(i) for i in misplaced["id"]), **scope.filters())
        return MapSites(fig.shape_cells(cells), misplaced.iloc[:0], misplaced, True)
    sites = query(resources.list_resource_sites, **scope.filters())
    sites = sites[~sites["id"].isin(misplaced["id"])]
    equipment = equipment_lines(scope) if with_equipment else {}
    shaped = fig.shape_sites(sites, equipment=equipment, unit_names=unit_names,
                             as_of=scope.as_of)
    return MapSites(shaped, sites, misplaced, False)


def page_of_sites(scope: SiteScope, page: int, *, overdue_only: bool = False) -> pd.DataFrame:
    """One page (numbered from 1) of the scope's sites, or of its overdue ones."""
    return query(resources.list_resource_sites, overdue_only=overdue_only, limit=PAGE_ROWS,
                 offset=(page - 1) * PAGE_ROWS, **scope.filters())


def pages(rows: int) -> int:
    return max(1, -(-rows // PAGE_ROWS))


def site_list_file(scope: SiteScope, unit_names: dict[str, str], allowed: access.Scope) -> bytes:
    """Every site of the scope as an Excel sheet: read and written when the download is
    clicked, never on a render, narrowed to what the user may see (`allowed`, taken at the
    render: the click runs outside the session)."""
    def fetch(conn):
        return (access.call(resources.list_resource_sites, conn, allowed, **scope.filters()),
                access.call(resources.summarize_key_equipment, conn, allowed,
                            **scope.site_filters()))

    sites, gear = read(fetch)
    listing = fig.site_table(sites, equipment=dict(zip(gear["site_id"], gear["equipment"])),
                             unit_names=unit_names, as_of=scope.as_of)
    return excel_bytes(listing.rename(columns=RESOURCE_COLUMNS), sheet="应急资源点位")
