"""Pure geography and nearest-resource rules on points with known answers."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from data_access import geo
from data_access.nearest import (
    KM_PER_DEGREE_LAT,
    bounding_box,
    find_nearest,
    rank_by_distance,
)

# The published coordtransform example (wandergis/coordtransform README).
BEIJING_WGS = (39.915, 116.404)
BEIJING_GCJ = (39.91640428150164, 116.41024449916938)


def test_wgs84_to_gcj02_matches_the_published_pair():
    lat, lon = geo.wgs84_to_gcj02(*BEIJING_WGS)
    assert lat == pytest.approx(BEIJING_GCJ[0], abs=1e-9)
    assert lon == pytest.approx(BEIJING_GCJ[1], abs=1e-9)


def test_gcj02_to_wgs84_round_trips_the_published_pair():
    lat, lon = geo.gcj02_to_wgs84(*BEIJING_GCJ)
    assert abs(lat - BEIJING_WGS[0]) < 1e-6 and abs(lon - BEIJING_WGS[1]) < 1e-6


@pytest.mark.parametrize("point", [(36.195, 113.117), (36.833, 112.860), (35.9, 113.6)])
def test_gcj02_offset_in_changzhi_is_hundreds_of_metres_and_inverts(point):
    gcj = geo.wgs84_to_gcj02(*point)
    offset_m = geo.haversine_km(*point, *gcj) * 1000
    assert 100 < offset_m < 1000
    back = geo.gcj02_to_wgs84(*gcj)
    assert geo.haversine_km(*point, *back) * 1000 < 0.01  # under a centimetre


def test_points_outside_china_are_not_shifted():
    assert geo.wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)
    assert geo.gcj02_to_wgs84(51.5, -0.12) == pytest.approx((51.5, -0.12))


def test_haversine_known_distances():
    # One degree of latitude (or of longitude on the equator) is πR/180 = 111.195 km.
    assert geo.haversine_km(36.0, 113.0, 37.0, 113.0) == pytest.approx(111.195, abs=0.001)
    assert geo.haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.195, abs=0.001)
    assert abs(KM_PER_DEGREE_LAT - 111.195) < 0.001
    # Rosetta Code's haversine example, BNA → LAX: 2887.26 km with R = 6372.8 km; scaled to
    # the mean radius used here (6371.0088 km).
    expected = 2887.2599506 * geo.EARTH_RADIUS_KM / 6372.8
    assert geo.haversine_km(36.12, -86.67, 33.94, -118.40) == pytest.approx(expected, abs=0.01)
    # Antipodes: half the circumference.
    assert geo.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * geo.EARTH_RADIUS_KM)
    assert geo.haversine_km(36.2, 113.1, 36.2, 113.1) == 0
    assert geo.haversine_km(36.2, 113.1, 36.5, 112.3) == geo.haversine_km(36.5, 112.3, 36.2, 113.1)


def test_outlines_hold_the_twelve_counties():
    codes = {f["properties"]["code"] for f in geo.load_county_outlines()["features"]}
    assert codes == {"140403", "140404", "140405", "140406", "140423", "140425", "140426",
                     "140427", "140428", "140429", "140430", "140431"}


@pytest.mark.parametrize(("code", "lat", "lon"), [
    ("140403", 36.195, 113.117), ("140405", 36.316, 112.885), ("140429", 36.833, 112.860),
    ("140430", 36.757, 112.694), ("140431", 36.497, 112.334), ("140426", 36.507, 113.382),
])
def test_county_seats_fall_in_their_county(code, lat, lon):
    assert geo.county_of_point(lat, lon) == code
    assert geo.in_changzhi(lat, lon)


@pytest.mark.parametrize(("lat", "lon"), [
    (39.915, 116.404),          # Beijing
    (113.117, 36.195),          # latitude and longitude swapped
    (37.87, 112.55),            # Taiyuan, inside the rectangle's margin but not Changzhi
    (float("nan"), 113.0), (None, 113.0), ("abc", 113.0), (999.0, 113.0), (0.0, 0.0),
])
def test_points_outside_changzhi_or_invalid_are_rejected(lat, lon):
    assert not geo.in_changzhi(lat, lon)


def test_is_coordinate_edges():
    assert geo.is_coordinate(90, 180) and geo.is_coordinate(-90, -180)
    assert not geo.is_coordinate(90.0001, 0) and not geo.is_coordinate(0, -180.0001)
    assert not geo.is_coordinate(float("inf"), 0)


@pytest.mark.parametrize("radius", [0.5, 25, 100, 250])
def test_bounding_box_contains_the_whole_circle(radius):
    lat, lon = 36.45, 112.9
    box = bounding_box(lat, lon, radius)
    rng = random.Random(42)
    dlat = radius / KM_PER_DEGREE_LAT * 1.6
    for _ in range(4000):
        plat, plon = lat + rng.uniform(-dlat, dlat), lon + rng.uniform(-2 * dlat, 2 * dlat)
        if geo.haversine_km(lat, lon, plat, plon) <= radius:
            assert box["min_lat"] <= plat <= box["max_lat"]
            assert box["min_lon"] <= plon <= box["max_lon"]
    # ... and is not much larger than it: the north-south half-height is exactly the radius.
    assert geo.haversine_km(lat, lon, box["max_lat"], lon) == pytest.approx(radius, rel=1e-9)


def _sites_on_a_meridian(steps_km: list[float], lat: float = 36.0, lon: float = 113.0):
    """Sites due north of (lat, lon) at the given distances (km): known answers."""
    return pd.DataFrame({"id": range(1, len(steps_km) + 1),
                         "lat": [lat + d / KM_PER_DEGREE_LAT for d in steps_km],
                         "lon": [lon] * len(steps_km)})


class BoxSource:
    """A stand-in for the SQL box query that records each box it was asked for."""

    def __init__(self, sites: pd.DataFrame):
        self.sites, self.boxes = sites, []

    def __call__(self, box: dict) -> pd.DataFrame:
        self.boxes.append(box)
        s = self.sites
        return s[s["lat"].between(box["min_lat"], box["max_lat"])
                 & s["lon"].between(box["min_lon"], box["max_lon"])]


def test_find_nearest_ranks_known_distances():
    source = BoxSource(_sites_on_a_meridian([40.0, 3.0, 12.5, 80.0]))
    nearest = find_nearest(source, 36.0, 113.0, limit=2)
    assert nearest["id"].tolist() == [2, 3]
    assert nearest["distance_km"].tolist() == pytest.approx([3.0, 12.5], abs=1e-6)
    assert len(source.boxes) == 1  # both within the first radius: no widening


def test_find_nearest_widens_the_box_until_enough_sites():
    source = BoxSource(_sites_on_a_meridian([40.0, 3.0, 12.5, 80.0, 300.0]))
    nearest = find_nearest(source, 36.0, 113.0, limit=4)
    assert nearest["id"].tolist() == [2, 3, 1, 4]
    assert nearest["distance_km"].tolist() == pytest.approx([3.0, 12.5, 40.0, 80.0], abs=1e-6)
    assert len(source.boxes) == 3  # 25 km, 50 km, then 100 km
    # A site beyond the largest radius (250 km) is never returned, even when asked for more.
    assert find_nearest(source, 36.0, 113.0, limit=10)["id"].tolist() == [2, 3, 1, 4]


def test_find_nearest_with_nothing_around():
    assert find_nearest(BoxSource(_sites_on_a_meridian([])), 36.0, 113.0, limit=3).empty


def test_find_nearest_equals_brute_force_on_random_sites():
    rng = random.Random(7)
    sites = pd.DataFrame({"id": range(1, 201),
                          "lat": [rng.uniform(35.8, 37.1) for _ in range(200)],
                          "lon": [rng.uniform(112.0, 113.7) for _ in range(200)]})
    for lat, lon in [(36.2, 113.1), (36.9, 112.1), (35.85, 113.65)]:
        nearest = find_nearest(BoxSource(sites), lat, lon, limit=7)
        brute = sorted(((geo.haversine_km(lat, lon, a, b), i) for i, a, b in
                        sites.itertuples(index=False)))[:7]
        assert nearest["id"].tolist() == [i for _, i in brute]


def test_rank_by_distance_breaks_ties_by_id():
    sites = pd.DataFrame({"id": [9, 4], "lat": [36.1, 35.9], "lon": [113.0, 113.0]})
    assert rank_by_distance(sites, 36.0, 113.0)["id"].tolist() == [4, 9]


def test_points_in_changzhi_agrees_with_the_single_point_test():
    rng = random.Random(7)
    lats = [rng.uniform(35.6, 37.3) for _ in range(3000)] + [None, float("nan"), 999, 36.2]
    lons = [rng.uniform(111.8, 113.9) for _ in range(3000)] + [113.0, 113.0, -5, None]
    found = geo.points_in_changzhi(lats, lons)
    expected = [geo.in_changzhi(a, b) for a, b in zip(lats, lons)]
    assert found.tolist() == expected
    assert 500 < sum(expected) < 2900  # both inside and outside points were tried
