"""The emergency-resources map as a pydeck Deck that needs no internet, plus the pure shaping
that feeds it: one IconLayer per site kind over the local county outlines.

Layers (every one has an `id`): "background" (a plain light polygon, only without a basemap),
"counties" (GeoJsonLayer), "county-names" (TextLayer), "sites-warehouse", "sites-team",
"sites-shelter", "sites-depot" (one IconLayer per kind, each kind its own shape — 物资储备库 a
square, 救援队伍 a circle, 避难场所 a triangle, 装备库 a diamond — teams coloured by type; the
shapes come from one SVG atlas in a `data:` URL, `ui/figures/map_symbols.py`), "overdue" (rings
round sites whose stock check is overdue), "nearest" (rings round
the nearest resources), "selected" (ring round the selected site) and "incident" (the point a
nearest-resource search starts from). Only site layers and "nearest" are pickable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from data_access.geo import is_coordinate
from ui.figures.map_symbols import icon_atlas, ring_svg, svg_data_url, symbol_svg
from ui.format import cn_date
from ui.labels import RESOURCE_TEXT, SITE_KINDS, SITE_LEVELS, SITE_SUBKINDS, TEAM_TYPES
from ui.safe import html_text, md
from ui.theme import FONT_FAMILY

# Colours from the Okabe–Ito set (told apart with red–green colour blindness, and by lightness);
# the kind is told by shape as well, so no marker is read by its hue alone.
KIND_COLOURS = {"warehouse": (0, 114, 178), "team": (213, 94, 0), "shelter": (0, 158, 115),
                "depot": (140, 140, 140)}
TEAM_TYPE_COLOURS = {"professional": (213, 94, 0), "semi_professional": (230, 159, 0),
                     "aviation": (204, 121, 167), "social": (86, 180, 233)}
MARKER_SHAPES = {"warehouse": "square", "team": "circle", "shelter": "triangle",
                 "depot": "diamond"}
# icon key → (shape, colour): one per kind, and per team type ("team" alone: gathered teams).
ICONS = {kind: (MARKER_SHAPES[kind], KIND_COLOURS[kind]) for kind in MARKER_SHAPES} | {
    f"team-{t}": (MARKER_SHAPES["team"], colour) for t, colour in TEAM_TYPE_COLOURS.items()}
TEAM_TYPE_OF_SUBKIND = {"township": "semi_professional", "aviation": "aviation",
                        "social": "social"}  # any other team subkind is professional
SIZE_COLUMN = {"warehouse": "area_m2", "team": "headcount", "shelter": "capacity",
               "depot": "area_m2"}
NEAREST_COLOUR = (255, 200, 0)
NEAREST_GAP_PX = 2 * (11.0 + 5) + 2  # numbered rings of one place drawn side by side
INCIDENT_COLOUR = (200, 0, 0)
PIXELS = '"pixels"'  # a literal string for pydeck (see `quoted`)
SITE_LAYER_PREFIX = "sites-"
PICKABLE_LAYERS = ("nearest",)
MIN_RADIUS_PX, MAX_RADIUS_PX = 5.0, 11.0  # a marker's half size: shapes told apart at 10 px
VIEW = {"latitude": 36.48, "longitude": 112.86, "zoom": 8.0}


@dataclass(frozen=True)
class MapLook:
    """Colours and sizes of one map style: the light page or the dark meeting-room screen."""
    background: tuple[int, ...]
    county_fill: tuple[int, ...]
    highlight_fill: tuple[int, ...]
    county_line: tuple[int, ...]
    label: tuple[int, ...]
    halo: tuple[int, ...]
    label_px: float
    overdue: tuple[int, ...] = (240, 228, 66)
    radius_scale: float = 1.0


LIGHT = MapLook(background=(238, 236, 230), county_fill=(255, 255, 255, 230),
                highlight_fill=(222, 235, 250, 240), county_line=(90, 96, 110),
                label=(40, 46, 60, 255), halo=(255, 255, 255, 235), label_px=15,
                overdue=(196, 140, 0))
DARK = MapLook(background=(11, 18, 32), county_fill=(24, 36, 58, 255),
               highlight_fill=(40, 66, 104, 255), county_line=(150, 170, 200),
               label=(240, 244, 250, 255), halo=(11, 18, 32, 255), label_px=26,
               radius_scale=1.6)

TOOLTIP_HTML = (
    "<b style='font-size:15px'>{name}</b><br/>{kind_label} · {level_label} · {unit_name}<br/>"
    "{size_text}<br/>重点装备:{equipment_text}<br/>联系人岗位:{contact_role}<br/>"
    "{check_text}<br/>{distance_text}"
)
TOOLTIP_STYLE = {"backgroundColor": "rgba(255,255,255,0.97)", "color": "#1f2430",
                 "fontFamily": FONT_FAMILY, "fontSize": "13px", "lineHeight": "1.5",
                 "border": "1px solid #c9ced6", "borderRadius": "4px", "padding": "8px 10px",
                 "maxWidth": "360px", "whiteSpace": "normal"}


def quoted(text: str) -> str:
    """A literal string for pydeck, which otherwise reads a string as a data accessor."""
    return f'"{text}"'


def site_layer_id(kind: str) -> str:
    return f"{SITE_LAYER_PREFIX}{kind}"


def team_type(subkind: str) -> str:
    return TEAM_TYPE_OF_SUBKIND.get(subkind, "professional")


def icon_key(kind: str, subkind: str | None = None) -> str:
    """The marker of a site ("team-aviation"), or of gathered sites of a kind (subkind None)."""
    if kind == "team" and subkind is not None:
        return f"team-{team_type(subkind)}"
    return kind if kind in MARKER_SHAPES else "depot"


def kind_label(kind: str, subkind: str) -> str:
    """"救援队伍 · 矿山专业队"; shelters need no second word."""
    if kind == "shelter":
        return SITE_KINDS["shelter"]
    return f"{SITE_KINDS.get(kind, kind)} · {SITE_SUBKINDS.get(subkind, subkind)}"


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def size_text(kind: str, row: Mapping) -> str:
    """"队伍 85 人" / "可容纳 12,000 人" / "面积 3,200 平方米"; "" when not recorded."""
    value = _number(row.get(SIZE_COLUMN.get(kind, "area_m2")))
    if value is None:
        return ""
    if kind == "team":
        return f"队伍 {int(value):,} 人"
    if kind == "shelter":
        return f"可容纳 {int(value):,} 人"
    return f"面积 {int(value):,} 平方米"


def radius_px(values: pd.Series) -> pd.Series:
    """Pixel radius by the square root of size relative to the largest of its kind."""
    numbers = pd.to_numeric(values, errors="coerce")
    top = numbers.max()
    if not numbers.notna().any() or not top or top <= 0:
        return pd.Series(MIN_RADIUS_PX + 1, index=values.index)
    scaled = MIN_RADIUS_PX + (MAX_RADIUS_PX - MIN_RADIUS_PX) * (numbers.clip(lower=0) / top) ** 0.5
    return scaled.fillna(MIN_RADIUS_PX).round(1)


def check_text(row: Mapping, as_of) -> str:
    last = row.get("last_checked_on")
    if last is None or pd.isna(last):
        return "最近清点检查:从未检查(超期)"
    overdue = "(超期)" if bool(row.get("check_overdue")) else ""
    return f"最近清点检查:{cn_date(pd.Timestamp(last).date())}{overdue}"


def shape_sites(sites: pd.DataFrame, *, equipment: Mapping[int, str],
                unit_names: Mapping[str, str], as_of) -> pd.DataFrame:
    """The records the map draws: one per site with position, marker (`icon`), size and every
    tooltip field filled (an empty string where not applicable). The tooltip is HTML, so every
    text from the data is escaped (`safe.html_text`)."""
    columns = ["id", "name", "kind", "team_type", "lon", "lat", "icon", "radius", "overdue",
               "sites", "overdue_sites", "kind_label", "level_label", "unit_name", "size_text",
               "equipment_text", "contact_role", "check_text", "distance_text"]
    if sites.empty:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(index=sites.index)
    out["id"] = sites["id"].astype(int)
    out["name"] = [html_text(n) for n in sites["name"]]
    out["kind"] = sites["kind"].astype(str)
    out["team_type"] = [team_type(s) if k == "team" else ""
                        for k, s in zip(sites["kind"], sites["subkind"])]
    out["lon"] = sites["lon"].astype(float).round(6)
    out["lat"] = sites["lat"].astype(float).round(6)
    out["icon"] = [icon_key(k, s) for k, s in zip(sites["kind"], sites["subkind"])]
    out["radius"] = MIN_RADIUS_PX
    out["overdue"] = (sites["check_overdue"].fillna(False).astype(bool)
                      if "check_overdue" in sites else False)
    out["sites"] = 1  # a record stands for one site (a gathered cell: for many)
    out["overdue_sites"] = out["overdue"].astype(int)
    for kind, group in sites.groupby("kind"):
        column = SIZE_COLUMN.get(kind, "area_m2")
        if column in group:
            out.loc[group.index, "radius"] = radius_px(group[column])
    out["kind_label"] = [html_text(kind_label(k, s)) for k, s in zip(sites["kind"], sites["subkind"])]
    out["level_label"] = [html_text(SITE_LEVELS.get(v, v)) for v in sites["level"]]
    out["unit_name"] = [html_text(unit_names.get(u, u)) for u in sites["unit_code"]]
    records = sites.to_dict("records")
    out["size_text"] = [size_text(r["kind"], r) for r in records]
    out["equipment_text"] = [html_text(equipment.get(int(i), "暂无记录"), 200)
                             for i in sites["id"]]
    out["contact_role"] = [html_text(r) for r in sites["contact_role"]]
    out["check_text"] = [check_text(r, as_of) if "last_checked_on" in r else "" for r in records]
    out["distance_text"] = [f"直线距离:{d:.1f} 公里" for d in sites["distance_km"]] \
        if "distance_km" in sites else ""
    return out[columns].reset_index(drop=True)


def shape_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Map records (the columns of `shape_sites`) for sites gathered per grid cell
    (`resources.summarize_sites_on_grid`): one dot per kind and cell at the sites' mean
    position, sized by how many it stands for, the tooltip giving their number, people and
    overdue checks. No record is a site: `id` is empty, so clicking one selects nothing."""
    columns = ["id", "name", "kind", "team_type", "lon", "lat", "icon", "radius", "overdue",
               "sites", "overdue_sites", "kind_label", "level_label", "unit_name", "size_text",
               "equipment_text", "contact_role", "check_text", "distance_text"]
    if cells.empty:
        return pd.DataFrame(columns=columns)
    top = float(cells["sites"].max())
    sizes = [("team", "headcount", "队伍共 {:,} 人"), ("shelter", "capacity", "可容纳共 {:,} 人")]
    size = []
    for r in cells.to_dict("records"):
        text = next((f.format(int(r[c])) for k, c, f in sizes if r["kind"] == k
                     and not pd.isna(r[c])), "")
        size.append(text)
    out = pd.DataFrame({
        "id": None,
        "name": [f"此处 {int(n):,} 处{SITE_KINDS.get(k, k)}"
                 for n, k in zip(cells["sites"], cells["kind"])],
        "kind": cells["kind"].astype(str).values,
        "team_type": "",
        "lon": cells["lon"].astype(float).round(6).values,
        "lat": cells["lat"].astype(float).round(6).values,
        "icon": [icon_key(k) for k in cells["kind"]],
        "radius": [round(MIN_RADIUS_PX + (MAX_RADIUS_PX + 6 - MIN_RADIUS_PX)
                         * (float(n) / top) ** 0.5, 1) for n in cells["sites"]],
        "kind_label": RESOURCE_TEXT["cell_label"],
        "level_label": RESOURCE_TEXT["cell_extent"],
        "unit_name": RESOURCE_TEXT["cell_hint"],
        "size_text": size,
        "equipment_text": RESOURCE_TEXT["cell_equipment"],
        "contact_role": "—",
        "check_text": [f"清点检查超期 {int(n):,} 处" for n in cells["check_overdue"]],
        "distance_text": "",
        "overdue": (cells["check_overdue"] > 0).values,
        "sites": cells["sites"].astype(int).values,
        "overdue_sites": cells["check_overdue"].astype(int).values,
    })
    return out[columns]


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(signed area, centroid lon, centroid lat) of a closed ring, planar in degrees."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def label_points(outlines: dict) -> list[dict]:
    """One label point per county: the centroid of its largest polygon."""
    points = []
    for feature in outlines["features"]:
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        ring = max((p[0] for p in polygons), key=lambda r: abs(_ring_centroid(r)[0]))
        _, lon, lat = _ring_centroid([list(pt[:2]) for pt in ring])
        points.append({"code": feature["properties"]["code"],
                       "name": feature["properties"]["name"], "lon": lon, "lat": lat})
    return points


def _outline_data(outlines: dict, highlight_unit: str | None, basemap: bool,
                  look: MapLook = LIGHT) -> dict:
    """Outlines with a fill per county: the look's fill over the plain background, clear over a
    basemap, tinted for the unit chosen in the global filter."""
    plain, tinted = ((0, 0, 0, 0), (31, 111, 178, 40)) if basemap else \
        (look.county_fill, look.highlight_fill)
    features = []
    for feature in outlines["features"]:
        fill = tinted if feature["properties"]["code"] == highlight_unit else plain
        features.append({**feature, "properties": {**feature["properties"], "fill": list(fill)}})
    return {"type": "FeatureCollection", "features": features}


def _site_layer(layer_id: str, records: pd.DataFrame, look: MapLook) -> pdk.Layer:
    """A kind's markers: its shape from the atlas, `radius` pixels from centre to edge."""
    atlas, mapping = icon_atlas(ICONS)
    return pdk.Layer(
        "IconLayer", id=layer_id, data=records, get_position=["draw_lon", "draw_lat"],
        icon_atlas=quoted(atlas), icon_mapping=mapping, get_icon="icon", get_size="radius",
        size_units=PIXELS, size_scale=2 * look.radius_scale, billboard=True, pickable=True,
        auto_highlight=True,
    )


PAGE_MAP_PX = (960, 600)  # the page's map, width at a 1920-pixel window with the sidebar open


def page_view(outlines: dict, *, unit: str | None,
              nearest: list[tuple[float, float]] | None = None) -> dict:
    """Where the page's map opens: on the start point and the sites of a nearest search; else
    on the unit chosen in the filter (a zone without an outline: the city); else the city."""
    width, height = PAGE_MAP_PX
    if nearest:
        return fit_view(points_bounds(nearest), width_px=width, height_px=height, padding=0.1)
    codes = {f["properties"]["code"] for f in outlines["features"]}
    return fit_view(outline_bounds(outlines, unit if unit in codes else None), width_px=width,
                    height_px=height, padding=0.04)


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web-Mercator world coordinates at zoom 0 (a 512-pixel world, deck.gl's convention)."""
    x = (lon + 180) / 360 * 512
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * 512
    return x, y


def outline_bounds(outlines: dict, code: str | None = None) -> tuple[float, float, float, float]:
    """(west, south, east, north) of all outlines, or of the county `code`."""
    lons, lats = [], []
    for feature in outlines["features"]:
        if code is not None and feature["properties"]["code"] != code:
            continue
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        for polygon in polygons:
            for lon, lat, *_ in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        raise ValueError(f"no outline for {code!r}")
    return min(lons), min(lats), max(lons), max(lats)


def points_bounds(points: list[tuple[float, float]], pad_deg: float = 0.03
                  ) -> tuple[float, float, float, float]:
    """(west, south, east, north) round (lat, lon) points, widened by `pad_deg`."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return min(lons) - pad_deg, min(lats) - pad_deg, max(lons) + pad_deg, max(lats) + pad_deg


def unmercator(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of Web-Mercator world coordinates at zoom 0."""
    lon = x / 512 * 360 - 180
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / 512))) - math.pi / 2)
    return lat, lon


def _groups_within(points: dict, gap: float) -> list[list]:
    """Keys of `points` ({key: (x, y)}) joined when closer than `gap`, through chains of such
    neighbours (a grid of `gap` cells: only the 3×3 cells round a point are looked at)."""
    parent = {key: key for key in points}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    cells: dict[tuple[int, int], list] = {}
    for key, (x, y) in points.items():
        cells.setdefault((int(x // gap), int(y // gap)), []).append(key)
    for (cx, cy), keys in cells.items():
        for key in keys:
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for other in cells.get((cx + dx, cy + dy), ()):
                        if other != key and math.dist(points[key], points[other]) < gap:
                            parent[root(key)] = root(other)
    groups: dict = {}
    for key in points:
        groups.setdefault(root(key), []).append(key)
    return list(groups.values())


def spread_markers(sites: pd.DataFrame, *, zoom: float, gap_px: float) -> pd.DataFrame:
    """`sites` with the position each marker is drawn at (draw_lat, draw_lon): sites whose
    markers would overlap at `zoom` (closer than `gap_px`) are fanned out on a ring round their
    mean position, neighbours `gap_px` apart, so no marker hides another. lat and lon stay the
    true position, for tooltips, lists, distances and selection."""
    out = sites.assign(draw_lat=sites.get("lat"), draw_lon=sites.get("lon"))
    if len(sites) < 2:
        return out
    scale = 2 ** zoom
    world = {i: tuple(v * scale for v in mercator(lat, lon))
             for i, lat, lon in zip(sites.index, sites["lat"], sites["lon"])}
    for members in _groups_within(world, gap_px):
        n = len(members)
        if n < 2:
            continue
        cx = sum(world[i][0] for i in members) / n
        cy = sum(world[i][1] for i in members) / n
        ring = gap_px / (2 * math.sin(math.pi / n))  # neighbours gap_px apart, in pixels
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / n - math.pi / 2
            lat, lon = unmercator((cx + ring * math.cos(angle)) / scale,
                                  (cy + ring * math.sin(angle)) / scale)
            out.at[i, "draw_lat"], out.at[i, "draw_lon"] = round(lat, 6), round(lon, 6)
    return out


def fit_view(bounds: tuple[float, float, float, float], *, width_px: float, height_px: float,
             padding: float = 0.06, max_zoom: float = 13.0) -> dict:
    """The view (latitude, longitude, zoom) that shows `bounds` whole in a map of
    width_px × height_px, leaving `padding` (a share of each side) free."""
    west, south, east, north = bounds
    x0, y0 = mercator(north, west)
    x1, y1 = mercator(south, east)
    usable_w, usable_h = width_px * (1 - 2 * padding), height_px * (1 - 2 * padding)
    span_x, span_y = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    zoom = min(math.log2(usable_w / span_x), math.log2(usable_h / span_y), max_zoom)
    cy = (y0 + y1) / 2
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * cy / 512))) - math.pi / 2)
    return {"latitude": round(lat, 6), "longitude": round((west + east) / 2, 6),
            "zoom": round(zoom, 3)}


def build_resource_deck(sites: pd.DataFrame, *, outlines: dict, kinds: tuple[str, ...],
                        nearest: pd.DataFrame | None = None,
                        incident: tuple[float, float] | None = None,
                        selected: tuple[float, float] | None = None,
                        highlight_unit: str | None = None,
                        map_style: str | None = None, look: MapLook = LIGHT,
                        view: Mapping[str, float] | None = None) -> pdk.Deck:
    """The map. `sites` are records from `shape_sites` (already limited to drawable
    coordinates); `kinds` the kinds to draw, one layer each; `nearest` shaped records of a
    nearest-resource search; `incident` and `selected` (lat, lon) points to mark. Without
    `map_style` there is no basemap at all: the outlines carry the map. `look` is the page's
    light style or the screen's dark one; `view` the initial view (default: the whole city at
    the page's map size). County names are drawn last, with a halo, so markers never cover
    them; sites whose stock check is overdue get a yellow ring ("overdue", not pickable)."""
    layers = []
    if not map_style:
        layers.append(pdk.Layer(
            "PolygonLayer", id="background", pickable=False, stroked=False,
            data=[{"polygon": [[100, 28], [126, 28], [126, 46], [100, 46]]}],
            get_polygon="polygon", get_fill_color=list(look.background)))
    layers.append(pdk.Layer(
        "GeoJsonLayer", id="counties",
        data=_outline_data(outlines, highlight_unit, bool(map_style), look),
        stroked=True, filled=True, get_fill_color="properties.fill",
        get_line_color=list(look.county_line), line_width_units=PIXELS, get_line_width=1.6,
        pickable=False))
    view = dict(view or VIEW)
    sites = spread_markers(sites, zoom=view["zoom"], gap_px=MAX_RADIUS_PX * look.radius_scale)
    for kind in kinds:
        layers.append(_site_layer(site_layer_id(kind), sites[sites["kind"] == kind], look))
    late = sites[sites["overdue"].astype(bool)] if "overdue" in sites else sites.iloc[0:0]
    if len(late):
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="overdue", data=late, get_position=["draw_lon", "draw_lat"],
            get_radius="radius", radius_units=PIXELS, radius_scale=look.radius_scale * 1.45,
            filled=False, stroked=True, get_line_color=[*look.overdue, 255],
            line_width_units=PIXELS, get_line_width=2.5 * look.radius_scale, pickable=False))
    if nearest is not None and not nearest.empty:
        nearest = spread_markers(nearest, zoom=view["zoom"], gap_px=NEAREST_GAP_PX)
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="nearest", data=nearest, get_position=["draw_lon", "draw_lat"],
            get_radius=MAX_RADIUS_PX + 5, radius_units=PIXELS, filled=True,
            get_fill_color=[*NEAREST_COLOUR, 70], stroked=True,
            get_line_color=[*NEAREST_COLOUR, 255], line_width_min_pixels=3, pickable=True))
        numbers = [{"number": str(k), "lat": lat, "lon": lon} for k, (lat, lon) in
                   enumerate(zip(nearest["draw_lat"], nearest["draw_lon"]), start=1)]
        layers.append(pdk.Layer(
            "TextLayer", id="nearest-numbers", data=numbers, get_position=["lon", "lat"],
            get_text="number", get_size=15, get_color=[20, 20, 20, 255],
            font_family=quoted(FONT_FAMILY), font_weight=700, font_settings={"sdf": True},
            outline_width=3, outline_color=[255, 255, 255, 255], pickable=False,
            billboard=True))
    if selected is not None:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="selected", data=[{"lat": selected[0], "lon": selected[1]}],
            get_position=["lon", "lat"], get_radius=MAX_RADIUS_PX + 7, radius_units=PIXELS,
            filled=False, stroked=True, get_line_color=[20, 20, 20], line_width_min_pixels=3,
            pickable=False))
    if incident is not None:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="incident", data=[{"lat": incident[0], "lon": incident[1]}],
            get_position=["lon", "lat"], get_radius=9, radius_units=PIXELS,
            get_fill_color=list(INCIDENT_COLOUR), stroked=True, get_line_color=[255, 255, 255],
            line_width_min_pixels=2, pickable=False))
    names = label_points(outlines)
    layers.append(pdk.Layer(
        "TextLayer", id="county-names", data=names, get_position=["lon", "lat"],
        get_text="name", get_size=look.label_px, get_color=list(look.label),
        font_family=quoted(FONT_FAMILY),
        character_set=quoted("".join(sorted({ch for p in names for ch in p["name"]}))),
        font_weight=700, font_settings={"sdf": True}, outline_width=4,
        outline_color=list(look.halo), pickable=False, billboard=True))
    view = pdk.ViewState(**view, pitch=0, bearing=0)
    tooltip = {"html": TOOLTIP_HTML, "style": TOOLTIP_STYLE}
    if map_style:
        return pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip,
                        map_provider="maplibre", map_style=map_style)
    # No basemap and no request for one: map_style must stay pydeck's default sentinel
    # ("__MAP_STYLE__"). An explicit map_style=None makes Streamlit fetch Carto's style.
    return pdk.Deck(layers=layers, initial_view_state=view, tooltip=tooltip, map_provider=None)


def selected_site_id(selection: Mapping | None) -> int | None:
    """The site id a pydeck `on_select` selection points at, or None.

    `selection` is `{"indices": {layer_id: [...]}, "objects": {layer_id: [record, ...]}}`; only
    site layers and the "nearest" layer carry sites (outlines and markers are not pickable)."""
    if not selection:
        return None
    for layer_id, objects in (selection.get("objects") or {}).items():
        if not (layer_id.startswith(SITE_LAYER_PREFIX) or layer_id in PICKABLE_LAYERS):
            continue
        for record in objects or []:
            value = record.get("id") if isinstance(record, Mapping) else None
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                return int(value)
    return None


def legend_entries(sites: pd.DataFrame, *, nearest: bool = False,
                   look: MapLook = LIGHT) -> list[dict]:
    """The map's legend from the drawn records (`shape_sites` or, gathered, `shape_cells`): per
    kind — teams per type — its symbol (the marker's shape in its colour, as an SVG `data:`
    URL, the same drawing as the map's), the name and how many sites are drawn ("63支"); then
    the overdue ring with its count, and, when a nearest search is shown, its numbered markers
    and start point. `shape` names each symbol's shape."""
    def marker(key: str, label: str, n: int, word: str = "处") -> dict:
        shape, colour = ICONS[key]
        return {"shape": shape, "symbol": svg_data_url(symbol_svg(shape, colour)),
                "label": label, "count": f"{n}{word}"}

    def mark(svg: str, label: str, count: str = "") -> dict:
        return {"shape": "ring", "symbol": svg_data_url(svg), "label": label, "count": count}

    def drawn(mask) -> int:
        return int(sites.loc[mask, "sites"].sum()) if len(sites) else 0

    kinds = sites["kind"] if len(sites) else pd.Series(dtype=str)
    types = sites["team_type"] if len(sites) else pd.Series(dtype=str)
    rows = [marker("warehouse", SITE_KINDS["warehouse"], drawn(kinds == "warehouse"))]
    if len(sites) and ((kinds == "team") & (types == "")).any():  # gathered: teams of all types
        rows.append(marker("team", SITE_KINDS["team"], drawn(kinds == "team"), "支"))
    else:
        rows += [marker(f"team-{t}", label, drawn((kinds == "team") & (types == t)), "支")
                 for t, label in TEAM_TYPES.items()]
    rows += [marker(k, SITE_KINDS[k], drawn(kinds == k)) for k in ("shelter", "depot")]
    overdue = int(sites["overdue_sites"].sum()) if len(sites) else 0
    rows.append(mark(ring_svg(look.overdue), RESOURCE_TEXT["legend_overdue"], f"{overdue}处"))
    if nearest:
        rows.append(mark(ring_svg(NEAREST_COLOUR, fill_alpha=0.3, text="1", width=5),
                         RESOURCE_TEXT["legend_nearest"]))
        rows.append(mark(ring_svg(INCIDENT_COLOUR, fill_alpha=1, width=6),
                         RESOURCE_TEXT["legend_incident"]))
    return rows


def legend_html(entries: list[dict], *, font_px: float, text: str, muted: str,
                across: bool = False) -> str:
    """The legend as a list: the symbol (an `<img>` of its SVG), the name, the count. Every
    text is from `ui/labels.py` or a number, and escaped all the same."""
    e = html_text
    items = "".join(
        f'<li class="map-legend-item"><img class="map-symbol" data-shape="{e(entry["shape"])}" '
        f'src="{e(entry["symbol"], None)}" alt="" style="width:1.3em;height:1.3em;flex:none">'
        f'<span style="flex:1;color:{text}">{e(entry["label"])}</span>'
        f'<b style="color:{text}">{e(entry["count"])}</b></li>'
        for entry in entries)
    flow = "display:flex;flex-wrap:wrap;column-gap:1.6em;" if across else ""
    return (f'<ul class="map-legend" style="list-style:none;margin:0;padding:0;{flow}'
            f'font-family:{FONT_FAMILY};font-size:{font_px:.0f}px;color:{muted}">'
            f'<style>.map-legend-item{{display:flex;align-items:center;gap:0.4em;'
            f'margin:0.15em 0}}</style>{items}</ul>')


# ---- tables ------------------------------------------------------------------------------
def site_table(sites: pd.DataFrame, *, equipment: Mapping[int, str],
               unit_names: Mapping[str, str], as_of) -> pd.DataFrame:
    """The site list as people read it (Chinese values; columns renamed by the caller)."""
    if sites.empty:
        return pd.DataFrame(columns=["name", "kind", "subkind", "level", "unit", "size",
                                     "equipment", "contact_role", "last_checked_on",
                                     "check_overdue", "lat", "lon"])
    records = sites.to_dict("records")
    return pd.DataFrame({
        "name": sites["name"].values,
        "kind": [SITE_KINDS.get(k, k) for k in sites["kind"]],
        "subkind": [SITE_SUBKINDS.get(s, s) for s in sites["subkind"]],
        "level": [SITE_LEVELS.get(v, v) for v in sites["level"]],
        "unit": [unit_names.get(u, u) for u in sites["unit_code"]],
        "size": [size_text(r["kind"], r) for r in records],
        "equipment": [equipment.get(int(i), "") for i in sites["id"]],
        "contact_role": sites["contact_role"].values,
        "last_checked_on": [None if pd.isna(d) else pd.Timestamp(d).date()
                            for d in sites["last_checked_on"]],
        "check_overdue": ["超期" if o else "" for o in sites["check_overdue"]],
        "lat": sites["lat"].values, "lon": sites["lon"].values,
    })


def overdue_table(sites: pd.DataFrame, *, unit_names: Mapping[str, str], as_of) -> pd.DataFrame:
    """Sites whose stock check is overdue, longest-unchecked (never checked) first."""
    late = sites[sites["check_overdue"]]
    days = [None if pd.isna(d) else (as_of - pd.Timestamp(d).date()).days
            for d in late["last_checked_on"]]
    table = pd.DataFrame({
        "name": late["name"].values,
        "kind": [SITE_KINDS.get(k, k) for k in late["kind"]],
        "unit": [unit_names.get(u, u) for u in late["unit_code"]],
        "contact_role": late["contact_role"].values,
        "last_checked_on": [None if pd.isna(d) else pd.Timestamp(d).date()
                            for d in late["last_checked_on"]],
        "days_since_check": pd.array(days, dtype="Int64"),
    })
    return table.sort_values("days_since_check", ascending=False, na_position="first",
                             kind="stable").reset_index(drop=True)


def unit_summary_table(by_unit: pd.DataFrame, *, unit_names: Mapping[str, str]) -> pd.DataFrame:
    """Units down, per kind the number of sites across, then persons and overdue checks."""
    if by_unit.empty:
        return pd.DataFrame()
    counts = by_unit.pivot_table(index="unit_code", columns="kind", values="sites",
                                 aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=[k for k in SITE_KINDS if k in counts.columns])
    counts.columns = [f"{SITE_KINDS[k]}(处)" for k in counts.columns]
    totals = by_unit.groupby("unit_code")[["headcount", "capacity", "check_overdue"]].sum()
    table = counts.join(totals.rename(columns={
        "headcount": "救援人员(人)", "capacity": "避难可容纳(人)", "check_overdue": "检查超期(处)"}))
    order = [u for u in unit_names if u in table.index]
    table = table.reindex(order)
    table.index = [unit_names.get(u, u) for u in table.index]
    table.index.name = "单位"
    return table.reset_index()


def equipment_pivot(by_unit: pd.DataFrame, *, unit_names: Mapping[str, str],
                    categories: tuple[str, ...]) -> pd.DataFrame:
    """Units down, items of `categories` across ("智能排水机器人(台)"), total quantities."""
    rows = by_unit[by_unit["category"].isin(categories)]
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(column=rows["item"] + "(" + rows["uom"] + ")")
    order = {c: i for i, c in enumerate(categories)}
    columns = (rows.assign(_o=rows["category"].map(order))
               .sort_values(["_o", "item"])["column"].drop_duplicates().tolist())
    table = rows.pivot_table(index="unit_code", columns="column", values="quantity",
                             aggfunc="sum", fill_value=0)[columns]
    table = table.reindex([u for u in unit_names if u in table.index])
    table.index = [unit_names.get(u, u) for u in table.index]
    table.index.name = "单位"
    return table.reset_index()


def nearest_table(near: pd.DataFrame, *, equipment: Mapping[int, str],
                  unit_names: Mapping[str, str]) -> pd.DataFrame:
    """The nearest-resource list: the number its marker carries on the map, kind, name, unit,
    straight-line km, size, key equipment."""
    records = near.to_dict("records")
    return pd.DataFrame({
        "number": range(1, len(near) + 1),
        "kind": [kind_label(r["kind"], r["subkind"]) for r in records],
        "name": near["name"].values,
        "unit": [unit_names.get(u, u) for u in near["unit_code"]],
        "distance_km": near["distance_km"].round(1).values,
        "size": [size_text(r["kind"], r) for r in records],
        "equipment": [equipment.get(int(i), "暂无记录") for i in near["id"]],
        "contact_role": near["contact_role"].values,
    })


def misplaced_table(sites: pd.DataFrame, *, unit_names: Mapping[str, str]) -> pd.DataFrame:
    """Sites left off the map because of their coordinates, for the data-quality note."""
    return pd.DataFrame({
        "name": sites["name"].values,
        "kind": [SITE_KINDS.get(k, k) for k in sites["kind"]],
        "unit": [unit_names.get(u, u) for u in sites["unit_code"]],
        "lat": sites["lat"].values, "lon": sites["lon"].values,
        "problem": [RESOURCE_TEXT["location_outside"] if is_coordinate(a, b)
                    else RESOURCE_TEXT["location_missing"]
                    for a, b in zip(sites["lat"], sites["lon"])],
    })


def site_card(site: Mapping, *, unit_names: Mapping[str, str]) -> str:
    """A few markdown lines about one site (a row of `list_resource_sites` or a nearest row)."""
    lines = [f"**{md(site['name'])}**",
             f"{md(kind_label(site['kind'], site['subkind']))} · "
             f"{md(SITE_LEVELS.get(site['level'], site['level']))} · "
             f"{md(unit_names.get(site['unit_code'], site['unit_code']))}"]
    size = size_text(site["kind"], site)
    if size:
        lines.append(size)
    lines.append(f"联系人岗位:{md(site['contact_role'])}")
    if "last_checked_on" in site and "check_overdue" in site and not pd.isna(site.get("check_overdue")):
        lines.append(check_text(site, None).replace("(超期)", " :red[(超期)]"))
    return "  \n".join(lines)


def resolve_site_choice(*, clicked: int | None, last_clicked: int | None, chosen: int | None,
                        options: list[int]) -> int | None:
    """Which site the detail panel shows: a new click on the map wins; otherwise the list's
    choice stays while it is still among the options; otherwise none."""
    if clicked is not None and clicked != last_clicked and clicked in options:
        return clicked
    return chosen if chosen in options else None


def map_selection(state) -> Mapping | None:
    """The `selection` part of a pydeck chart's widget state (None before any click)."""
    if not state:
        return None
    try:
        return state["selection"]
    except (KeyError, TypeError):
        return None
