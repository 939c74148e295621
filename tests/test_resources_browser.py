"""The resources map in a real browser with no network: outlines, sites and one site's tooltip.

Writes `out/resources-tooltip.png` (1920×1080). The test hovers the pixel where a known site must
be drawn (Web-Mercator from the map's initial view) and reads the tooltip deck.gl shows. Each
kind's marker shape is read from the canvas's pixels round a site standing alone, and the legend
must show one symbol per kind in that shape.
"""

from __future__ import annotations

import math

import pandas as pd

from data_access import db, resources
from data_access.geo import load_county_outlines
from data_access.nearest import find_nearest
from tests.browser import FINISHED, ROOT, chromium, open_and_wait, serve_app
from tests.map_checks import (
    check_legend,
    check_marker_shapes,
    hover_until_tooltip,
    loneliest_team,
    read_sites,
    screen_point,
)
from ui.figures.resources import NEAREST_GAP_PX, page_view, spread_markers

OUT = ROOT / "out" / "resources-tooltip.png"
SELECTED = ROOT / "out" / "resources-selected.png"


def test_map_shows_outlines_sites_and_a_tooltip_offline(sample_sqlite_url):
    engine = db.create_bureau_engine(sample_sqlite_url)
    with engine.connect() as conn:
        sites = read_sites(conn)
    engine.dispose()
    team = loneliest_team(sites)
    OUT.parent.mkdir(exist_ok=True)
    with serve_app({"DATABASE_URL": sample_sqlite_url}) as base, chromium() as page:
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        open_and_wait(page, f"{base}/resources")
        canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
        canvas.wait_for(state="visible")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        # Each kind in its own shape, on the map and in the legend under it.
        check_marker_shapes(page, box, sites, page_view(load_county_outlines(), unit=None))
        check_legend(page, min_px=14)
        x, y = screen_point(float(team["lat"]), float(team["lon"]), box)
        tooltip = hover_until_tooltip(page, x, y)
        text = tooltip.inner_text()
        page.screenshot(path=str(OUT))
        # A click selects the site: the page reruns and shows its inventory beside the map.
        page.mouse.click(x, y)
        page.wait_for_timeout(800)
        page.wait_for_selector(FINISHED, timeout=60_000)
        card = page.locator('[data-testid="stMarkdownContainer"]', has_text=team["name"])
        card.first.wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
        page.screenshot(path=str(SELECTED))
    assert team["name"] in text
    assert "救援队伍" in text and "重点装备" in text and "联系人岗位" in text
    # Nothing leaves the machine: no basemap style, tiles, fonts or icons.
    outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
    assert outside == [], outside


def map_box(page) -> dict:
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()
    return canvas.bounding_box()


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit selectbox labelled `label` and wait for the rerun."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.locator("input").click()
    page.locator('[role="option"]').filter(has_text=option).first.click()
    page.wait_for_timeout(500)
    page.wait_for_selector(FINISHED, timeout=60_000)


def test_choosing_a_unit_zooms_the_map_and_a_nearest_search_numbers_its_sites(
        sample_sqlite_url):
    engine = db.create_bureau_engine(sample_sqlite_url)
    with engine.connect() as conn:
        sites = pd.read_sql("SELECT id, name, kind, unit_code, lat, lon FROM resource_sites",
                            conn)
        seat = conn.exec_driver_sql("SELECT lat, lon FROM units WHERE code = '140423'").one()
        near = pd.concat([find_nearest(
            lambda box, kind=kind: resources.list_sites_in_box(conn, kinds=(kind,), **box),
            seat[0], seat[1], limit=5) for kind in ("team", "warehouse", "depot")],
            ignore_index=True)
    engine.dispose()
    outlines = load_county_outlines()
    team = loneliest_team(sites, unit="140423")
    county = page_view(outlines, unit="140423")
    with serve_app({"DATABASE_URL": sample_sqlite_url}) as base, chromium() as page:
        open_and_wait(page, f"{base}/resources?as_of=2022-11-25")
        before = screen_point(float(team["lat"]), float(team["lon"]), map_box(page))
        choose(page, "单位", "襄垣县")
        assert "unit=140423" in page.url
        box = map_box(page)
        after = screen_point(float(team["lat"]), float(team["lon"]), box, county)
        assert math.dist(before, after) > 50, "the county's view is not the city's"
        # The site is where the county's fitted view puts it: the map's view state is it.
        assert team["name"] in hover_until_tooltip(page, *after).inner_text()
        page.screenshot(path=str(ROOT / "out" / "resources-unit.png"))

        page.locator("button").filter(has_text="单位驻地").first.click()
        page.wait_for_selector(FINISHED, timeout=60_000)
        choose(page, "单位驻地", "襄垣县")
        view = page_view(outlines, unit="140423",
                         nearest=[tuple(seat), *zip(near["lat"], near["lon"])])
        box = map_box(page)
        drawn = spread_markers(near, zoom=view["zoom"], gap_px=NEAREST_GAP_PX)
        points = [screen_point(a, b, box, view)
                  for a, b in zip(drawn["draw_lat"], drawn["draw_lon"])]
        start = screen_point(seat[0], seat[1], box, view)
        clear = [k for k, p in enumerate(points)
                 if math.dist(p, start) > 12 and all(math.dist(p, q) > 31 for j, q in
                                                     enumerate(points) if j != k)]
        assert len(clear) >= 8, "the numbered markers stand apart, to be pointed at"
        for k in clear:
            # Marker k (numbered k + 1 on the map and in the list) shows the list's site k.
            text = hover_until_tooltip(page, *points[k]).inner_text()
            assert near["name"].iloc[k] in text and "直线距离" in text, (k, text)
        page.screenshot(path=str(ROOT / "out" / "resources-nearest.png"))
