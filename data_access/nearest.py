"""The nearest-resource search of the emergency-resources page (straight-line distance, in
kilometres).

The search asks the database for the sites inside a latitude/longitude box around the point
(a portable SQL prefilter, see `resources.list_sites_in_box`), ranks them by great-circle
distance here, and widens the box until enough sites lie within the searched radius. Every site
returned lies within that radius, and no site within it is missed: the box contains the circle.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from data_access.geo import EARTH_RADIUS_KM, haversine_km

KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180  # ≈ 111.195 km
SEARCH_RADII_KM = (25.0, 50.0, 100.0, 250.0)


def bounding_box(lat: float, lon: float, radius_km: float) -> dict[str, float]:
    """The smallest latitude/longitude box (degrees) that contains every point within
    `radius_km` of (lat, lon); valid away from the poles, which is all this city needs."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    # The circle is widest in longitude at the latitude nearest the pole it reaches.
    widest = min(89.0, abs(lat) + dlat)
    dlon = min(180.0, radius_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(widest))))
    return {"min_lat": lat - dlat, "max_lat": lat + dlat,
            "min_lon": lon - dlon, "max_lon": lon + dlon}


def rank_by_distance(sites: pd.DataFrame, lat: float, lon: float) -> pd.DataFrame:
    """`sites` (with lat, lon) plus `distance_km` from (lat, lon), nearest first (ties by id)."""
    ranked = sites.copy()
    ranked["distance_km"] = [haversine_km(lat, lon, a, b)
                             for a, b in zip(ranked["lat"], ranked["lon"])]
    sort_by = ["distance_km", "id"] if "id" in ranked.columns else ["distance_km"]
    return ranked.sort_values(sort_by, kind="stable").reset_index(drop=True)


def find_nearest(fetch_box: Callable[[dict[str, float]], pd.DataFrame], lat: float, lon: float,
                 *, limit: int, radii_km: tuple[float, ...] = SEARCH_RADII_KM) -> pd.DataFrame:
    """The `limit` sites nearest to (lat, lon), with `distance_km`, nearest first.

    `fetch_box(box)` returns the candidate sites inside a box from `bounding_box`. Radii are
    tried in turn; the search stops at the first radius holding `limit` sites. Fewer rows than
    `limit`: fewer sites exist within the largest radius. No rows: none at all.
    """
    within = pd.DataFrame()
    for radius in radii_km:
        ranked = rank_by_distance(fetch_box(bounding_box(lat, lon, radius)), lat, lon)
        within = ranked[ranked["distance_km"] <= radius]
        if len(within) >= limit:
            break
    return within.head(limit).reset_index(drop=True)
