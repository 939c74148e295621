"""Reading the resources map in the browser: where a site is drawn, which shape its marker has
(from the canvas's pixels), and the legend's symbols. Used by the page's and the screen's
browser tests."""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from data_access.geo import haversine_km, load_county_outlines
from tests.sqlcheck import last_check_sql
from ui.figures import resources as fig
from ui.figures.resources import page_view
from ui.labels import SITE_KINDS, TEAM_TYPES

SAMPLE_AS_OF = dt.date(2022, 11, 25)  # the sample's latest date, where pages and screen open


def world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """deck.gl's Web-Mercator world coordinates (512-pixel tiles) at `zoom`."""
    size = 512 * 2 ** zoom
    x = (lon + 180) / 360 * size
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * size
    return x, y


def screen_point(lat: float, lon: float, box: dict, view: dict | None = None
                 ) -> tuple[float, float]:
    """Where (lat, lon) is drawn in the map's `box` at `view` (default: the city view)."""
    view = view or page_view(load_county_outlines(), unit=None)
    cx, cy = world_px(view["latitude"], view["longitude"], view["zoom"])
    x, y = world_px(lat, lon, view["zoom"])
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def loneliest_team(sites: pd.DataFrame, unit: str | None = None) -> pd.Series:
    """The team (of `unit`) farthest from any other site, so the hover cannot pick a
    neighbour."""
    return loneliest(sites, sites["kind"] == "team", unit)


def loneliest(sites: pd.DataFrame, mask: pd.Series, unit: str | None = None) -> pd.Series:
    """The site among `mask` (of `unit`) farthest from any other site."""
    chosen = sites[mask & ((sites["unit_code"] == unit) if unit else True)]
    gaps = [min(haversine_km(t.lat, t.lon, o.lat, o.lon)
                for o in sites.itertuples() if o.id != t.id) for t in chosen.itertuples()]
    return chosen.iloc[max(range(len(gaps)), key=gaps.__getitem__)]


# The shapes told apart by the pixels of one marker: how much of its bounding box it fills,
# and how its upper half compares with its lower half.
def marker_pixels(image: Image.Image, x: float, y: float, colour: tuple[int, ...],
                  reach: int = 60, tolerance: int = 40) -> set[tuple[int, int]]:
    """The pixels of the marker drawn at (x, y): those of about `colour` joined to the centre."""
    rgb = image.convert("RGB")
    start = (round(x), round(y))

    def near(p):
        return sum(abs(a - b) for a, b in zip(rgb.getpixel(p), colour)) <= tolerance

    if not near(start):
        return set()
    seen, todo = {start}, [start]
    while todo:
        px, py = todo.pop()
        for q in ((px + 1, py), (px - 1, py), (px, py + 1), (px, py - 1)):
            if q not in seen and abs(q[0] - start[0]) <= reach and abs(q[1] - start[1]) <= reach \
                    and 0 <= q[0] < rgb.width and 0 <= q[1] < rgb.height and near(q):
                seen.add(q)
                todo.append(q)
    return seen


def shape_of(pixels: set[tuple[int, int]]) -> str:
    """square, circle, triangle or diamond, from a marker's pixels (at least 40 of them)."""
    assert len(pixels) >= 40, f"no marker drawn there ({len(pixels)} pixels)"
    xs, ys = [p[0] for p in pixels], [p[1] for p in pixels]
    width, height = max(xs) - min(xs) + 1, max(ys) - min(ys) + 1
    fill = len(pixels) / (width * height)
    middle = (min(ys) + max(ys)) / 2
    upper = sum(1 for p in pixels if p[1] < middle) / len(pixels)
    if fill > 0.88:
        return "square"
    if fill > 0.68:
        return "circle"
    return "triangle" if upper < 0.4 else "diamond"


def read_sites(conn, as_of: dt.date = SAMPLE_AS_OF, interval_days: int = 90) -> pd.DataFrame:
    """Every site with what decides its marker: kind, type, size, and whether its stock check is
    overdue (hand-written SQL)."""
    last = last_check_sql()
    return pd.read_sql(sa.text(
        "SELECT id, name, kind, subkind, unit_code, lat, lon, headcount, capacity, area_m2, "
        f"CASE WHEN {last} IS NULL OR {last} < :cut THEN 1 ELSE 0 END AS overdue "
        "FROM resource_sites"), conn,
        params={"as_of": as_of, "cut": as_of - dt.timedelta(days=interval_days)})


def lone_markers(sites: pd.DataFrame, view: dict, scale: float, label_px: float
                 ) -> dict[str, tuple[tuple[float, float], tuple[int, ...]]]:
    """Per kind, where (lat, lon) a marker is drawn that nothing covers, and its colour: among
    the kind's sites of at least a ninth of the largest size (a marker of 14 px or more at scale
    1, the size growing with the square root), not overdue (no ring over it), professional for
    teams, the one drawn farthest from any marker drawn over it — of its own kind or of a kind
    drawn later (the layers go warehouse, team, shelter, depot) — and from any overdue ring.
    Positions are the fanned ones the map draws (`spread_markers`, on the sites in the map's
    order: by kind, unit, id)."""
    ordered = sites.sort_values(["kind", "unit_code", "id"]).reset_index(drop=True)
    drawn = fig.spread_markers(ordered, zoom=view["zoom"], gap_px=fig.MAX_RADIUS_PX * scale)
    world = {i: world_px(a, b, view["zoom"]) for i, a, b in
             zip(drawn.index, drawn["draw_lat"], drawn["draw_lon"])}
    layer = {kind: n for n, kind in enumerate(fig.MARKER_SHAPES)}
    labels = [(world_px(p["lat"], p["lon"], view["zoom"]), len(p["name"]) * label_px / 2)
              for p in fig.label_points(load_county_outlines())]
    professional = drawn["subkind"].map(fig.team_type) == "professional"
    chosen = {}
    for kind, column in fig.SIZE_COLUMN.items():
        size = drawn[column].where(drawn["kind"] == kind)
        fit = (size >= size.max() / 9) & (drawn["overdue"] == 0) \
            & (professional if kind == "team" else True)
        over = drawn.index[(drawn["kind"].map(layer) >= layer[kind]) | (drawn["overdue"] == 1)]

        def room(i, over=over):
            return min([math.dist(world[i], world[j]) for j in over if j != i]
                       + [math.dist(world[i], at) - half for at, half in labels])

        best = max(drawn.index[fit], key=room)
        chosen[kind] = ((drawn.at[best, "draw_lat"], drawn.at[best, "draw_lon"]),
                        fig.ICONS["team-professional" if kind == "team" else kind][1])
    return chosen


LEGEND = """
() => [...document.querySelectorAll('.map-legend .map-legend-item')].map(item => {
  const img = item.querySelector('img.map-symbol');
  return {label: item.querySelector('span').innerText.trim(),
          shape: img ? img.dataset.shape : null,
          drawn: img ? img.complete && img.naturalWidth > 0 : false,
          px: img ? img.getBoundingClientRect().width : 0};
})
"""


def check_legend(page, min_px: float) -> dict[str, str]:
    """Every legend entry shows its symbol (loaded, at least `min_px` wide); label → shape."""
    entries = page.evaluate(LEGEND)
    assert entries, "no legend"
    for entry in entries:
        assert entry["drawn"] and entry["px"] >= min_px, entry
    shapes = {e["label"]: e["shape"] for e in entries}
    assert {shapes[SITE_KINDS[k]] for k in ("warehouse", "shelter", "depot")} \
        == {"square", "triangle", "diamond"}
    teams = [shapes[label] for label in (*TEAM_TYPES.values(), SITE_KINDS["team"])
             if label in shapes]
    assert teams and set(teams) == {"circle"}
    return shapes


def check_marker_shapes(page, canvas_box: dict, sites: pd.DataFrame, view: dict, *,
                        scale: float = 1.0, label_px: float = fig.LIGHT.label_px,
                        attempts: int = 120) -> None:
    """Each kind's lone marker is drawn in its kind's shape and colour, where the view puts it
    (the symbols' image loads after the canvas appears: looked at again until drawn). `sites`
    from `read_sites`; `scale` the map's marker scale and `label_px` its county names' size (the
    screen's are larger)."""
    points = {kind: (screen_point(*position, canvas_box, view), colour) for kind, (position, colour)
              in lone_markers(sites, view, scale, label_px).items()}
    for _ in range(attempts):
        image = Image.open(io.BytesIO(page.screenshot()))
        found = {kind: marker_pixels(image, *point, colour)
                 for kind, (point, colour) in points.items()}
        if all(len(pixels) >= 40 for pixels in found.values()):
            break
        page.wait_for_timeout(500)
    for kind, pixels in found.items():
        assert shape_of(pixels) == fig.MARKER_SHAPES[kind], kind


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
