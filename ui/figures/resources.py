"""The emergency-resources map as a pydeck Deck that needs no internet, plus the pure shaping
that feeds it: one ScatterplotLayer per site kind over the local county outlines.

Layers (every one has an `id`): "background" (a plain light polygon, only without a basemap),
"counties" (GeoJsonLayer), "county-names" (TextLayer), "sites-warehouse", "sites-team",
"sites-shelter", "sites-depot" (one per kind; teams coloured by type), "nearest" (rings round
the nearest resources), "selected" (ring round the selected site) and "incident" (the point a
nearest-resource search starts from). Only site layers and "nearest" are pickable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import pydeck as pdk

from data_access.geo import is_coordinate
from ui.format import cn_date
from ui.labels import RESOURCE_TEXT, SITE_KINDS, SITE_LEVELS, SITE_SUBKINDS, TEAM_TYPES
from ui.safe import html_text, md
from ui.theme import FONT_FAMILY

KIND_COLOURS = {"warehouse": (28, 131, 225), "team": (230, 57, 57), "shelter": (33, 170, 84),
                "depot": (110, 115, 130)}
TEAM_TYPE_COLOURS = {"professional": (230, 57, 57), "semi_professional": (255, 150, 30),
                     "aviation": (128, 61, 245), "social": (215, 170, 0)}
# Streamlit markdown colour names for the legend, matching the colours above.
LEGEND_COLOURS = {"warehouse": "blue", "team": "red", "shelter": "green", "depot": "gray",
                  "professional": "red", "semi_professional": "orange", "aviation": "violet",
                  "social": "yellow"}
TEAM_TYPE_OF_SUBKIND = {"township": "semi_professional", "aviation": "aviation",
                        "social": "social"}  # any other team subkind is professional
SIZE_COLUMN = {"warehouse": "area_m2", "team": "headcount", "shelter": "capacity",
               "depot": "area_m2"}
NEAREST_COLOUR = (255, 200, 0)
INCIDENT_COLOUR = (200, 0, 0)
BACKGROUND_COLOUR = (238, 236, 230)
COUNTY_FILL = (255, 255, 255, 230)
COUNTY_HIGHLIGHT_FILL = (222, 235, 250, 240)
COUNTY_LINE = (90, 96, 110)
PIXELS = '"pixels"'  # a literal string for pydeck (see `quoted`)
SITE_LAYER_PREFIX = "sites-"
PICKABLE_LAYERS = ("nearest",)
MIN_RADIUS_PX, MAX_RADIUS_PX = 4.0, 11.0
VIEW = {"latitude": 36.48, "longitude": 112.86, "zoom": 8.0}

TOOLTIP_HTML = (
    "<b style='font-size:15px'>{name}</b><br/>{kind_label} · {level_label} · {unit_name}<br/>"
    "{size_text}<br/>重点装备:{equipment_text}<br/>联系人岗位:{contact_role}<br/>"
    "{check_text}{distance_text}"
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


def site_colour(kind: str, subkind: str) -> tuple[int, int, int]:
    if kind == "team":
        return TEAM_TYPE_COLOURS[team_type(subkind)]
    return KIND_COLOURS.get(kind, KIND_COLOURS["depot"])


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
    """The records the map draws: one per site with position, colour, radius and every
    tooltip field filled (an empty string where not applicable). The tooltip is HTML, so every
    text from the data is escaped (`safe.html_text`)."""
    columns = ["id", "name", "kind", "team_type", "lon", "lat", "colour", "radius",
               "kind_label", "level_label", "unit_name", "size_text", "equipment_text",
               "contact_role", "check_text", "distance_text"]
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
    out["colour"] = [list(site_colour(k, s)) for k, s in zip(sites["kind"], sites["subkind"])]
    out["radius"] = MIN_RADIUS_PX
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
    out["distance_text"] = [f"<br/>直线距离:{d:.1f} 公里" for d in sites["distance_km"]] \
        if "distance_km" in sites else ""
    return out[columns].reset_index(drop=True)


def shape_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Map records (the columns of `shape_sites`) for sites gathered per grid cell
    (`resources.summarize_sites_on_grid`): one dot per kind and cell at the sites' mean
    position, sized by how many it stands for, the tooltip giving their number, people and
    overdue checks. No record is a site: `id` is empty, so clicking one selects nothing."""
    columns = ["id", "name", "kind", "team_type", "lon", "lat", "colour", "radius",
               "kind_label", "level_label", "unit_name", "size_text", "equipment_text",
               "contact_role", "check_text", "distance_text"]
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
        "colour": [list(KIND_COLOURS.get(k, KIND_COLOURS["depot"])) for k in cells["kind"]],
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


def _outline_data(outlines: dict, highlight_unit: str | None, basemap: bool) -> dict:
    """Outlines with a fill per county: white over the plain background, clear over a basemap,
    tinted blue for the unit chosen in the global filter."""
    plain, tinted = ((0, 0, 0, 0), (31, 111, 178, 40)) if basemap else \
        (COUNTY_FILL, COUNTY_HIGHLIGHT_FILL)
    features = []
    for feature in outlines["features"]:
        fill = tinted if feature["properties"]["code"] == highlight_unit else plain
        features.append({**feature, "properties": {**feature["properties"], "fill": list(fill)}})
    return {"type": "FeatureCollection", "features": features}


def _site_layer(layer_id: str, records: pd.DataFrame) -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer", id=layer_id, data=records, get_position=["lon", "lat"],
        get_fill_color="colour", get_radius="radius", radius_units=PIXELS,
        stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=1,
        opacity=0.9, pickable=True, auto_highlight=True,
    )


def build_resource_deck(sites: pd.DataFrame, *, outlines: dict, kinds: tuple[str, ...],
                        nearest: pd.DataFrame | None = None,
                        incident: tuple[float, float] | None = None,
                        selected: tuple[float, float] | None = None,
                        highlight_unit: str | None = None,
                        map_style: str | None = None) -> pdk.Deck:
    """The map. `sites` are records from `shape_sites` (already limited to drawable
    coordinates); `kinds` the kinds to draw, one layer each; `nearest` shaped records of a
    nearest-resource search; `incident` and `selected` (lat, lon) points to mark. Without
    `map_style` there is no basemap at all: the outlines carry the map."""
    layers = []
    if not map_style:
        layers.append(pdk.Layer(
            "PolygonLayer", id="background", pickable=False, stroked=False,
            data=[{"polygon": [[100, 28], [126, 28], [126, 46], [100, 46]]}],
            get_polygon="polygon", get_fill_color=list(BACKGROUND_COLOUR)))
    layers.append(pdk.Layer(
        "GeoJsonLayer", id="counties", data=_outline_data(outlines, highlight_unit, bool(map_style)),
        stroked=True, filled=True, get_fill_color="properties.fill",
        get_line_color=list(COUNTY_LINE), line_width_units=PIXELS, get_line_width=1.6,
        pickable=False))
    names = label_points(outlines)
    layers.append(pdk.Layer(
        "TextLayer", id="county-names", data=names, get_position=["lon", "lat"],
        get_text="name", get_size=15, get_color=[70, 76, 90, 200], font_family=quoted(FONT_FAMILY),
        character_set=quoted("".join(sorted({ch for p in names for ch in p["name"]}))),
        font_weight=600, pickable=False, billboard=True))
    for kind in kinds:
        layers.append(_site_layer(site_layer_id(kind), sites[sites["kind"] == kind]))
    if nearest is not None and not nearest.empty:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="nearest", data=nearest, get_position=["lon", "lat"],
            get_radius=MAX_RADIUS_PX + 5, radius_units=PIXELS, filled=True,
            get_fill_color=[*NEAREST_COLOUR, 70], stroked=True,
            get_line_color=[*NEAREST_COLOUR, 255], line_width_min_pixels=3, pickable=True))
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
    view = pdk.ViewState(**VIEW, pitch=0, bearing=0)
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


def legend_markdown() -> str:
    """One line of coloured dots naming each kind and team type (Streamlit markdown colours)."""
    parts = [f":{LEGEND_COLOURS['warehouse']}[●] {SITE_KINDS['warehouse']}"]
    parts += [f":{LEGEND_COLOURS[t]}[●] {label}" for t, label in TEAM_TYPES.items()]
    parts += [f":{LEGEND_COLOURS[k]}[●] {SITE_KINDS[k]}" for k in ("shelter", "depot")]
    parts += [":orange[◎] 就近资源", ":red[⬤] 事发地点"]
    return " ".join(parts)


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
    """The nearest-resource list: kind, name, unit, straight-line km, size, key equipment."""
    records = near.to_dict("records")
    return pd.DataFrame({
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
