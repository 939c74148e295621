"""The emergency-resources page: its data_access functions against hand-written SQL on every
backend, the pure map/selection helpers, and AppTests of the page reading the map's own data."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import shutil

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import geo, resources
from data_access.nearest import bounding_box, find_nearest
from tests.conftest import ROOT, metric_values, open_page
from tests.sqlcheck import last_check_sql, rows, scalar
from ui.figures import resources as fig
from ui.labels import SITE_KINDS, TEAM_TYPES

AS_OF = dt.date(2022, 11, 25)
UNIT = "140423"
COUNTIES = ("140403", "140404", "140405", "140406", "140423", "140425", "140426", "140427",
            "140428", "140429", "140430", "140431")


# ---- data_access against SQL --------------------------------------------------------------
def test_sites_by_unit_and_category_match_sql(conn):
    by_unit = resources.summarize_sites_by_unit(conn, as_of=AS_OF, check_interval_days=60)
    last = last_check_sql()
    expected = rows(conn, "SELECT unit_code, kind, COUNT(*), "
                          f"SUM(CASE WHEN {last} IS NULL OR {last} < :cut "
                          "THEN 1 ELSE 0 END) FROM resource_sites GROUP BY unit_code, kind "
                          "ORDER BY unit_code, kind", cut=AS_OF - dt.timedelta(days=60),
                    as_of=AS_OF)
    assert [(u, k, int(n), int(o)) for u, k, n, o in expected] == list(
        by_unit[["unit_code", "kind", "sites", "check_overdue"]].itertuples(index=False, name=None))
    assert int(by_unit["headcount"].sum()) == scalar(
        conn, "SELECT SUM(headcount) FROM resource_sites WHERE kind = 'team'")
    drainage = resources.list_resource_sites(conn, as_of=AS_OF, unit=UNIT, category="drainage")
    assert sorted(drainage["id"]) == [r[0] for r in rows(
        conn, "SELECT s.id FROM resource_sites s WHERE s.unit_code = :u AND s.id IN "
              "(SELECT site_id FROM resource_items WHERE category = 'drainage') ORDER BY s.id",
        u=UNIT)]


def test_equipment_by_unit_and_site_items_match_sql(conn):
    gear = resources.summarize_equipment_by_unit(conn, kinds=("team",), category="drainage")
    robots = gear[gear["item"] == "智能排水机器人"]
    expected = rows(conn, "SELECT s.unit_code, SUM(i.quantity), COUNT(DISTINCT s.id) FROM "
                          "resource_items i JOIN resource_sites s ON s.id = i.site_id WHERE "
                          "s.kind = 'team' AND i.item = '智能排水机器人' GROUP BY s.unit_code "
                          "ORDER BY s.unit_code")
    assert [(u, int(q), int(n)) for u, q, n in expected] == list(
        robots[["unit_code", "quantity", "sites"]].itertuples(index=False, name=None))
    assert set(gear["category"]) == {"drainage"}


def _key_items_sql(conn, where: str = "1 = 1", **params) -> dict[int, str]:
    """site id → its key-equipment line, ranked in Python from the raw rows."""
    order = {c: i for i, c in enumerate(resources.CATEGORY_PRIORITY)}
    held: dict[int, list] = {}
    for site, item_id, item, category, quantity, uom in rows(
            conn, "SELECT i.site_id, i.id, i.item, i.category, i.quantity, i.uom FROM "
                  f"resource_items i JOIN resource_sites s ON s.id = i.site_id WHERE {where}",
            **params):
        held.setdefault(site, []).append((order.get(category, len(order)), item_id,
                                          f"{item}{quantity}{uom}"))
    return {site: "、".join(t for *_, t in sorted(parts)[:4]) + ("…" if len(parts) > 4 else "")
            for site, parts in held.items()}


def test_key_equipment_lines_match_the_inventory(conn):
    lines = resources.summarize_key_equipment(conn, unit=UNIT, kinds=("warehouse", "depot"))
    assert dict(zip(lines["site_id"], lines["equipment"])) == _key_items_sql(
        conn, "s.unit_code = :u AND s.kind IN ('warehouse', 'depot')", u=UNIT)
    some = resources.summarize_key_equipment(conn, site_ids=(1, 3))
    assert dict(zip(some["site_id"], some["equipment"])) == _key_items_sql(
        conn, "s.id IN (1, 3)")
    assert any(line.endswith("…") for line in some["equipment"])
    plugging = resources.summarize_key_equipment(conn, kinds=("team",), category="plugging")
    assert sorted(plugging["site_id"]) == [r[0] for r in rows(
        conn, "SELECT id FROM resource_sites WHERE kind = 'team' AND id IN (SELECT site_id "
              "FROM resource_items WHERE category = 'plugging') ORDER BY id")]


def test_grid_cells_and_pages_count_every_site(conn):
    cells = resources.summarize_sites_on_grid(conn, as_of=AS_OF, cell_deg=0.03)
    by_kind = rows(conn, "SELECT kind, COUNT(*), SUM(headcount) FROM resource_sites "
                         "GROUP BY kind ORDER BY kind")
    totals = cells.groupby("kind")[["sites", "headcount"]].sum()
    assert [(k, int(n)) for k, n, _ in by_kind] == [
        (k, int(totals.at[k, "sites"])) for k in sorted(totals.index)]
    assert int(totals.at["team", "headcount"]) == [h for k, _, h in by_kind if k == "team"][0]
    assert len(cells) < scalar(conn, "SELECT COUNT(*) FROM resource_sites")  # gathered
    assert cells["lat"].between(35.75, 37.2).all()
    left_out = resources.summarize_sites_on_grid(conn, as_of=AS_OF, cell_deg=0.03,
                                                 leave_out=(1, 2))
    assert int(left_out["sites"].sum()) == int(cells["sites"].sum()) - 2
    first = resources.list_resource_sites(conn, as_of=AS_OF, limit=50)
    second = resources.list_resource_sites(conn, as_of=AS_OF, limit=50, offset=50)
    every = resources.list_resource_sites(conn, as_of=AS_OF)
    assert list(first["id"]) + list(second["id"]) == list(every["id"][:100])
    late = resources.list_resource_sites(conn, as_of=AS_OF, overdue_only=True)
    assert sorted(late["id"]) == sorted(every.loc[every["check_overdue"], "id"])
    never = int(late["last_checked_on"].isna().sum())
    assert late["last_checked_on"].iloc[:never].isna().all()  # never checked come first
    checked = [str(d)[:10] for d in late["last_checked_on"].iloc[never:]]
    assert checked == sorted(checked)


def test_misplaced_sites_are_those_outside_the_outlines(conn):
    assert resources.list_misplaced_sites(conn).empty  # the sample's are all in
    conn.execute(sa.text("UPDATE resource_sites SET lat = 39.915, lon = 116.404 WHERE id = 3"))
    conn.execute(sa.text("UPDATE resource_sites SET lat = 36.19, lon = 111.95 WHERE id = 4"))
    found = resources.list_misplaced_sites(conn)
    assert sorted(found["id"]) == [3, 4]
    assert resources.list_misplaced_sites(conn, kinds=("shelter",)).empty
    assert not geo.in_changzhi(36.19, 111.95) and geo.in_city_bounds(36.19, 111.95)
    conn.rollback()


def test_inner_boxes_lie_inside_changzhi():
    boxes = geo.inner_boxes(resources.LOCATION_CELL_DEG)
    assert len(boxes) > 50
    for a, b, c, d in boxes:
        for lat in (a, (a + b) / 2, b):
            for lon in (c, (c + d) / 2, d):
                assert geo.in_changzhi(lat, lon), (lat, lon)


def test_sites_in_box_and_enterprises_match_sql(conn):
    box = bounding_box(36.5, 112.9, 30)
    inside = resources.list_sites_in_box(conn, kinds=("team",), **box)
    assert inside["id"].tolist() == [r[0] for r in rows(
        conn, "SELECT id FROM resource_sites WHERE kind = 'team' AND lat BETWEEN :a AND :b "
              "AND lon BETWEEN :c AND :d ORDER BY id", a=box["min_lat"], b=box["max_lat"],
        c=box["min_lon"], d=box["max_lon"])]
    firms = resources.list_enterprise_locations(conn, unit=UNIT)
    assert len(firms) == scalar(conn, "SELECT COUNT(*) FROM enterprises WHERE unit_code = :u", u=UNIT)
    assert len(resources.list_enterprise_locations(conn)) == scalar(
        conn, "SELECT COUNT(*) FROM enterprises")


def test_nearest_search_through_sql_equals_brute_force(conn):
    lat, lon = 36.497, 112.334  # 沁源县
    nearest = find_nearest(lambda box: resources.list_sites_in_box(conn, kinds=("team",), **box),
                           lat, lon, limit=5)
    everything = rows(conn, "SELECT id, lat, lon FROM resource_sites WHERE kind = 'team'")
    brute = sorted((geo.haversine_km(lat, lon, a, b), i) for i, a, b in everything)[:5]
    assert nearest["id"].tolist() == [i for _, i in brute]
    assert nearest["distance_km"].tolist() == pytest.approx([d for d, _ in brute])


# ---- pure helpers ------------------------------------------------------------------------
def test_selected_site_id_reads_site_layers_only():
    assert fig.selected_site_id(None) is None
    assert fig.selected_site_id({"indices": {}, "objects": {}}) is None
    assert fig.selected_site_id({"indices": {"sites-team": [3]},
                                 "objects": {"sites-team": [{"id": 17, "name": "x"}]}}) == 17
    assert fig.selected_site_id({"objects": {"nearest": [{"id": 5.0}]}}) == 5
    assert fig.selected_site_id({"objects": {"counties": [{"id": 9}],
                                             "incident": [{"id": 8}]}}) is None


def test_resolve_site_choice():
    options = [1, 2, 3]
    # A new click wins over the list's choice.
    assert fig.resolve_site_choice(clicked=2, last_clicked=None, chosen=1, options=options) == 2
    # The same click seen again does not undo a later choice in the list.
    assert fig.resolve_site_choice(clicked=2, last_clicked=2, chosen=3, options=options) == 3
    # A choice that left the filter is dropped; a click outside the options is ignored.
    assert fig.resolve_site_choice(clicked=None, last_clicked=None, chosen=9, options=options) is None
    assert fig.resolve_site_choice(clicked=9, last_clicked=None, chosen=1, options=options) == 1


def test_map_selection_reads_widget_state():
    assert fig.map_selection(None) is None
    assert fig.map_selection({"selection": {"objects": {}}}) == {"objects": {}}
    assert fig.map_selection({"other": 1}) is None


def test_deck_without_basemap_requests_none():
    deck = fig.build_resource_deck(fig.shape_sites(pd.DataFrame(), equipment={}, unit_names={},
                                                   as_of=AS_OF),
                                   outlines=geo.load_county_outlines(), kinds=("team",))
    spec = json.loads(deck.to_json())
    # pydeck's sentinel: Streamlit then draws no basemap and fetches no style.
    assert spec["mapStyle"] == "__MAP_STYLE__"
    text = next(layer for layer in spec["layers"] if layer["id"] == "county-names")
    assert not text["fontFamily"].startswith("@@=") and not text["characterSet"].startswith("@@=")
    assert set(text["characterSet"]) >= set("沁源县潞州区")
    with_style = json.loads(fig.build_resource_deck(
        pd.DataFrame(columns=["kind"]), outlines=geo.load_county_outlines(), kinds=(),
        map_style="http://intranet/style.json").to_json())
    assert with_style["mapStyle"] == "http://intranet/style.json"
    assert "background" not in [layer["id"] for layer in with_style["layers"]]


def test_label_points_lie_in_their_county():
    for point in fig.label_points(geo.load_county_outlines()):
        assert geo.county_of_point(point["lat"], point["lon"]) == point["code"]


# ---- the page (AppTest) ---------------------------------------------------------------------
# The tabs are lazy: a test opens the one it reads through the link, as a shared link would.
OVERDUE_TAB = {"resources.tab": "清点检查超期"}
LIST_TAB = {"resources.tab": "点位清单"}


def deck_layers(at: AppTest) -> dict[str, dict]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer for layer in spec["layers"]}


def sqlite_conn(url: str) -> sa.Connection:
    return sa.create_engine(url).connect()


@pytest.mark.parametrize("unit", ["140400", UNIT])
def test_map_has_every_site_once_in_its_layer_inside_changzhi(app, sample_sqlite_url, unit):
    at = open_page(app, "resources", as_of=AS_OF.isoformat(), **({} if unit == "140400"
                                                                   else {"unit": unit}))
    layers = deck_layers(at)
    counties = layers["counties"]["data"]["features"]
    assert sorted(f["properties"]["code"] for f in counties) == sorted(COUNTIES)
    unit_sql = "" if unit == "140400" else " AND s.unit_code = :u"
    params = {} if unit == "140400" else {"u": unit}
    with sqlite_conn(sample_sqlite_url) as conn:
        drawn = []
        for kind in resources.SITE_KINDS:
            records = layers[f"sites-{kind}"]["data"]
            expected = rows(conn, "SELECT s.id, COALESCE(u.parent_code, s.unit_code) FROM "
                                  "resource_sites s JOIN units u ON u.code = s.unit_code WHERE "
                                  f"s.kind = :k{unit_sql} ORDER BY s.id", k=kind, **params)
            assert sorted(r["id"] for r in records) == [i for i, _ in expected]
            assert all(r["kind"] == kind for r in records)
            # Each kind is drawn in its own shape, from the atlas the layer carries.
            layer = layers[f"sites-{kind}"]
            assert layer["@@type"] == "IconLayer"
            assert layer["iconAtlas"].startswith("data:image/svg+xml;base64,")
            assert {fig.ICONS[r["icon"]][0] for r in records} == {fig.MARKER_SHAPES[kind]}
            assert {r["icon"] for r in records} <= set(layer["iconMapping"])
            home = dict(expected)
            for r in records:  # inside Changzhi, and inside the site's own county
                assert geo.county_of_point(r["lat"], r["lon"]) == home[r["id"]]
            drawn += [r["id"] for r in records]
        assert len(drawn) == len(set(drawn))  # once each
        metrics = metric_values(at)
        teams = scalar(conn, "SELECT COUNT(*) FROM resource_sites s WHERE kind = 'team'"
                             f"{unit_sql}", **params)
        assert metrics["救援队伍"] == f"{teams:,}支"
        headcount = scalar(conn, "SELECT SUM(headcount) FROM resource_sites s WHERE "
                                 f"kind = 'team'{unit_sql}", **params)
        assert metrics["救援人员"] == f"{headcount:,}人"
        last = last_check_sql("s")
        overdue = scalar(conn, f"SELECT COUNT(*) FROM resource_sites s WHERE ({last} IS "
                               f"NULL OR {last} < :cut){unit_sql}",
                         cut=AS_OF - dt.timedelta(days=90), as_of=AS_OF, **params)
        assert metrics["清点检查超期"] == f"{overdue}处"
    assert not at.warning  # no site is off the map in the sample


def test_kind_and_category_filters_change_layers_and_lists(app, sample_sqlite_url):
    at = open_page(app, "resources", as_of=AS_OF.isoformat(), **LIST_TAB)
    at.pills(key="resources.kinds").set_value(["team", "depot"]).run()
    at.selectbox(key="resources.category").set_value("drainage").run()
    layers = deck_layers(at)
    assert [k for k in layers if k.startswith("sites-")] == ["sites-team", "sites-depot"]
    with sqlite_conn(sample_sqlite_url) as conn:
        expected = [r[0] for r in rows(
            conn, "SELECT id FROM resource_sites WHERE kind IN ('team', 'depot') AND id IN "
                  "(SELECT site_id FROM resource_items WHERE category = 'drainage') ORDER BY id")]
    drawn = sorted(r["id"] for k in ("sites-team", "sites-depot") for r in layers[k]["data"])
    assert drawn == expected
    listing = at.dataframe[-1].value
    assert len(listing) == len(expected) and "重点装备" in listing.columns


def test_overdue_table_follows_the_interval(app, sample_sqlite_url):
    at = open_page(app, "resources", as_of=AS_OF.isoformat(), **OVERDUE_TAB)
    at.number_input(key="resources.interval").set_value(30).run()
    with sqlite_conn(sample_sqlite_url) as conn:
        last = last_check_sql()
        expected = scalar(conn, f"SELECT COUNT(*) FROM resource_sites WHERE {last} IS "
                                f"NULL OR {last} < :cut", cut=AS_OF - dt.timedelta(days=30),
                          as_of=AS_OF)
    tab = next(t for t in at.tabs if t.label == "清点检查超期")
    assert tab.caption[0].value.endswith(f"共 {expected:,} 处")
    assert len(tab.dataframe[0].value) == expected


def test_site_inventory_from_the_list(app, sample_sqlite_url):
    at = open_page(app, "resources", as_of=AS_OF.isoformat())
    at.selectbox(key="resources.site").set_value(3).run()
    with sqlite_conn(sample_sqlite_url) as conn:
        items = rows(conn, "SELECT item FROM resource_items WHERE site_id = 3 ORDER BY item")
    inventory = next(df.value for df in at.dataframe if "物资装备" in df.value.columns)
    assert sorted(inventory["物资装备"]) == [i for (i,) in items]
    assert "selected" in deck_layers(at)


def test_nearest_from_a_unit_point_lists_and_draws_the_nearest(app, sample_sqlite_url):
    at = open_page(app, "resources", as_of=AS_OF.isoformat())
    at.segmented_control(key="resources.near_mode").set_value("unit").run()
    at.selectbox(key="resources.near_unit").set_value("140431").run()
    layers = deck_layers(at)
    with sqlite_conn(sample_sqlite_url) as conn:
        lat, lon = rows(conn, "SELECT lat, lon FROM units WHERE code = '140431'")[0]
        teams = rows(conn, "SELECT id, name, lat, lon FROM resource_sites WHERE kind = 'team'")
    nearest_teams = sorted((geo.haversine_km(lat, lon, a, b), n) for _, n, a, b in teams)[:5]
    table = next(df.value for df in at.dataframe if "直线距离(公里)" in df.value.columns)
    shown = table[table["类别"].str.startswith("救援队伍")]
    assert shown["名称"].tolist() == [n for _, n in nearest_teams]
    assert shown["直线距离(公里)"].tolist() == pytest.approx([round(d, 1) for d, _ in nearest_teams])
    assert len(layers["nearest"]["data"]) == len(table) == 15  # 5 teams, warehouses, depots
    assert layers["incident"]["data"] == [{"lat": lat, "lon": lon}]
    # Numbered markers: number k on the map sits on the ring of the k-th site of the list,
    # and that ring is the site's (true position in the record, drawn beside its neighbours).
    assert table["图上编号"].tolist() == list(range(1, 16))
    with sqlite_conn(sample_sqlite_url) as conn:
        where = {n: (a, b) for n, a, b in rows(conn, "SELECT name, lat, lon FROM resource_sites")}
    numbers = {int(n["number"]): (n["lat"], n["lon"]) for n in layers["nearest-numbers"]["data"]}
    for number, name, ring in zip(table["图上编号"], table["名称"], layers["nearest"]["data"]):
        assert ring["name"] == name
        assert (ring["lat"], ring["lon"]) == pytest.approx(where[name], abs=1e-6)
        assert numbers[number] == pytest.approx((ring["draw_lat"], ring["draw_lon"]))
    # The map opens on the start point and the sites found, all inside the view.
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert view["zoom"] > fig.page_view(geo.load_county_outlines(), unit=None)["zoom"]


def test_choosing_a_unit_opens_the_map_on_its_outline(app):
    at = open_page(app, "resources", as_of=AS_OF.isoformat(), unit="140423")
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    west, south, east, north = fig.outline_bounds(geo.load_county_outlines(), "140423")
    assert south < view["latitude"] < north and west < view["longitude"] < east
    # The county's bounds fill the map: its corners project inside, close to the edges.
    width, height = fig.PAGE_MAP_PX
    cx, cy = fig.mercator(view["latitude"], view["longitude"])
    scale = 2 ** view["zoom"]
    for lat, lon in ((north, west), (south, east)):
        x, y = fig.mercator(lat, lon)
        assert abs(x - cx) * scale <= width / 2 and abs(y - cy) * scale <= height / 2
    x0, y0 = fig.mercator(north, west)
    x1, y1 = fig.mercator(south, east)
    assert max((x1 - x0) * scale / width, (y1 - y0) * scale / height) > 0.85


def test_markers_of_one_place_are_fanned_out_not_stacked():
    same = pd.DataFrame({"lat": [36.5] * 4 + [36.9], "lon": [112.9] * 4 + [113.3]})
    spread = fig.spread_markers(same, zoom=9, gap_px=11)
    assert spread[["lat", "lon"]].equals(same), "the true positions stay"
    points = [fig.mercator(a, b) for a, b in zip(spread["draw_lat"], spread["draw_lon"])]
    for i in range(4):
        for j in range(i + 1, 4):
            gap = math.dist(points[i], points[j]) * 2 ** 9
            assert gap >= 11 - 1e-6, "neighbours at least one marker apart"
    assert spread.iloc[4].tolist() == [36.9, 113.3] * 2, "a lone site is drawn where it is"
    moved = max(math.dist(p, fig.mercator(36.5, 112.9)) * 2 ** 9 for p in points[:4])
    assert moved < 20, "a small ring round the place, in pixels at the opening zoom"


@pytest.mark.parametrize(("lat", "lon", "message"), [
    (39.915, 116.404, "不在长治市 12 个县区范围内"),
    (113.117, 36.195, "经纬度似乎填反了"),
])
def test_typed_coordinates_outside_changzhi_get_a_chinese_message(app, lat, lon, message):
    at = open_page(app, "resources", as_of=AS_OF.isoformat())
    at.segmented_control(key="resources.near_mode").set_value("point").run()
    at.number_input(key="resources.near_lat").set_value(lat)
    at.number_input(key="resources.near_lon").set_value(lon).run()
    assert any(message in e.value for e in at.error)
    assert "incident" not in deck_layers(at)


def test_site_with_impossible_coordinates_is_left_off_the_map(monkeypatch, tmp_path,
                                                               sample_sqlite_path):
    path = tmp_path / "bad.sqlite"
    shutil.copy(sample_sqlite_path, path)
    url = f"sqlite:///{path}"
    with sa.create_engine(url).begin() as conn:
        conn.execute(sa.text("UPDATE resource_sites SET lat = 39.915, lon = 116.404 WHERE id = 3"))
        conn.execute(sa.text("UPDATE resource_sites SET lat = 999, lon = -5 WHERE id = 4"))
    monkeypatch.setenv("DATABASE_URL", url)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "resources",
                   as_of=AS_OF.isoformat())
    drawn = [r["id"] for r in deck_layers(at)["sites-team"]["data"]]
    assert 3 not in drawn and 4 not in drawn
    assert any("2 个点位" in w.value for w in at.warning)
    note = next(df.value for df in at.dataframe if "问题" in df.value.columns)
    assert len(note) == 2


def test_the_legend_counts_sites_drawn_one_by_one_or_gathered(sample_sqlite_url):
    with sqlite_conn(sample_sqlite_url) as conn:
        sites = resources.list_resource_sites(conn, as_of=AS_OF)
        cells = resources.summarize_sites_on_grid(conn, as_of=AS_OF, cell_deg=0.03)
        teams = scalar(conn, "SELECT COUNT(*) FROM resource_sites WHERE kind = 'team'")
        depots = scalar(conn, "SELECT COUNT(*) FROM resource_sites WHERE kind = 'depot'")
    one_by_one = fig.legend_entries(fig.shape_sites(sites, equipment={}, unit_names={},
                                                    as_of=AS_OF))
    gathered = fig.legend_entries(fig.shape_cells(cells))
    for entries in (one_by_one, gathered):
        counts = {e["label"]: e["count"] for e in entries}
        assert sum(int(c.removesuffix("支")) for c in counts.values() if c.endswith("支")) == teams
        assert counts["装备库"] == f"{depots}处"
        assert counts["清点检查超期(外圈)"] == f"{int(sites['check_overdue'].sum())}处"
    assert len(one_by_one) > len(gathered), "gathered teams are one entry, not one per type"
    # Each kind has a symbol of its own shape, the one its markers are drawn in.
    for entries in (one_by_one, gathered):
        shapes = {e["label"]: e["shape"] for e in entries}
        kinds = {k: shapes[label] for k, label in SITE_KINDS.items() if label in shapes}
        assert set(kinds.values()) == {"square", "triangle", "diamond"} | (
            {"circle"} if "team" in kinds else set())
        assert all(shapes[label] == "circle" for label in TEAM_TYPES.values() if label in shapes)
        for entry in entries:
            svg = base64.b64decode(entry["symbol"].removeprefix("data:image/svg+xml;base64,"))
            assert svg.startswith(b"<svg")
    legend = fig.legend_html(one_by_one, font_px=15, text="#000", muted="#333")
    assert legend.count('<img class="map-symbol"') == len(one_by_one)
    assert all(f'src="{e["symbol"]}"' in legend for e in one_by_one), "whole, not shortened"


@pytest.fixture(scope="module")
def many_sites_url(tmp_path_factory) -> str:
    """The sample with 2,600 more resource sites (bench/scale.py): more than the map draws
    one by one, more than one page of the lists."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    url = f"sqlite:///{tmp_path_factory.mktemp('sites') / 'sites.sqlite'}"
    scale.build(url, hidden_dangers=0, accidents=0, sites=2600)
    return url


def test_many_sites_are_gathered_on_the_map_and_paged_in_the_lists(monkeypatch, many_sites_url):
    monkeypatch.setenv("DATABASE_URL", many_sites_url)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), "resources",
                   as_of=AS_OF.isoformat(), **LIST_TAB)
    layers = deck_layers(at)
    with sqlite_conn(many_sites_url) as conn:
        total = scalar(conn, "SELECT COUNT(*) FROM resource_sites")
        teams = scalar(conn, "SELECT COUNT(*) FROM resource_sites WHERE kind = 'team'")
        off_map = len(resources.list_misplaced_sites(conn))
        first_page = [n for (n,) in rows(conn, "SELECT name FROM resource_sites ORDER BY kind, "
                                               "unit_code, id LIMIT 200")]
        second_page = [n for (n,) in rows(conn, "SELECT name FROM resource_sites ORDER BY kind, "
                                                "unit_code, id LIMIT 200 OFFSET 200")]
    assert total > 2500
    drawn = [r for kind in resources.SITE_KINDS for r in layers[f"sites-{kind}"]["data"]]
    assert len(drawn) < total / 3  # gathered per cell
    assert all(r["id"] is None for r in drawn)  # a cell is not a site: clicking selects nothing
    assert sum(int(r["name"].split(" ")[1].replace(",", "")) for r in drawn) == total - off_map
    team_cells = layers["sites-team"]["data"]
    assert sum(int(r["name"].split(" ")[1].replace(",", "")) for r in team_cells) <= teams
    listing = at.dataframe[-1].value
    assert list(listing["名称"]) == first_page
    at.number_input(key="resources.list_page").set_value(2).run()
    assert list(at.dataframe[-1].value["名称"]) == second_page
    overdue = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120),
                        "resources", as_of=AS_OF.isoformat(), **OVERDUE_TAB)
    overdue_tab = next(t for t in overdue.tabs if t.label == "清点检查超期")
    with sqlite_conn(many_sites_url) as conn:
        last = last_check_sql()
        late = scalar(conn, f"SELECT COUNT(*) FROM resource_sites WHERE {last} IS NULL OR "
                            f"{last} < :cut", cut=AS_OF - dt.timedelta(days=90), as_of=AS_OF)
    assert len(overdue_tab.dataframe[0].value) == min(late, 200)  # one page of them
    at.selectbox(key="global.unit").set_value(UNIT).run()  # one county: site by site again
    county = [r for kind in resources.SITE_KINDS for r in deck_layers(at)[f"sites-{kind}"]["data"]]
    with sqlite_conn(many_sites_url) as conn:
        in_county = scalar(conn, "SELECT COUNT(*) FROM resource_sites WHERE unit_code = :u",
                           u=UNIT)
        off_county_map = len(resources.list_misplaced_sites(conn, unit=UNIT))
    assert all(r["id"] is not None for r in county)
    assert len(county) == in_county - off_county_map
