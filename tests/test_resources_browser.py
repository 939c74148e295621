"""The resources map in a real browser with no network: outlines, sites and one site's tooltip.

Writes `out/resources-tooltip.png` (1920×1080). The test hovers the pixel where a known site must
be drawn (Web-Mercator from the map's initial view) and reads the tooltip deck.gl shows.
"""

from __future__ import annotations

import math

import pandas as pd
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from data_access import db
from data_access.geo import haversine_km
from tests.browser import FINISHED, ROOT, chromium, open_and_wait, serve_app
from ui.figures.resources import VIEW

OUT = ROOT / "out" / "resources-tooltip.png"
SELECTED = ROOT / "out" / "resources-selected.png"


def world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """deck.gl's Web-Mercator world coordinates (512-pixel tiles) at `zoom`."""
    size = 512 * 2 ** zoom
    x = (lon + 180) / 360 * size
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * size
    return x, y


def screen_point(lat: float, lon: float, box: dict) -> tuple[float, float]:
    cx, cy = world_px(VIEW["latitude"], VIEW["longitude"], VIEW["zoom"])
    x, y = world_px(lat, lon, VIEW["zoom"])
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def loneliest_team(sites: pd.DataFrame) -> pd.Series:
    """The team farthest from any other site, so the hover cannot pick a neighbour."""
    teams = sites[sites["kind"] == "team"]
    gaps = [min(haversine_km(t.lat, t.lon, o.lat, o.lon)
                for o in sites.itertuples() if o.id != t.id) for t in teams.itertuples()]
    return teams.iloc[max(range(len(gaps)), key=gaps.__getitem__)]


def hover_until_tooltip(page, x: float, y: float, attempts: int = 40):
    """Hover the point until deck.gl shows its tooltip.

    On a busy machine the layers may not be pickable yet when the canvas appears, so the pointer
    leaves and comes back (each pass waits up to 3 s) rather than relying on one fixed pause.
    """
    tooltip = page.locator(".deck-tooltip")
    for _ in range(attempts):
        page.mouse.move(x - 30, y - 30)
        page.mouse.move(x, y, steps=5)
        try:
            tooltip.wait_for(state="visible", timeout=3_000)
            return tooltip
        except PlaywrightTimeout:
            continue
    tooltip.wait_for(state="visible", timeout=3_000)
    return tooltip


def test_map_shows_outlines_sites_and_a_tooltip_offline(sample_sqlite_url):
    engine = db.create_bureau_engine(sample_sqlite_url)
    with engine.connect() as conn:
        sites = pd.read_sql("SELECT id, name, kind, lat, lon FROM resource_sites", conn)
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
        x, y = screen_point(float(team["lat"]), float(team["lon"]), box)
        tooltip = hover_until_tooltip(page, x, y)
        text = tooltip.inner_text()
        page.screenshot(path=str(OUT))
        # A click selects the site: the page reruns and shows its inventory beside the map.
        page.mouse.click(x, y)
        page.wait_for_timeout(800)
        page.wait_for_selector(FINISHED, timeout=60_000)
        card = page.locator('[data-testid="stMarkdownContainer"]', has_text=team["name"])
        card.first.wait_for(timeout=20_000)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=20_000)
        page.screenshot(path=str(SELECTED))
    assert team["name"] in text
    assert "救援队伍" in text and "重点装备" in text and "联系人岗位" in text
    # Nothing leaves the machine: no basemap style, tiles, fonts or icons.
    outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
    assert outside == [], outside
