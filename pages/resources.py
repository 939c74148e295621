"""应急资源: where the warehouses, teams, shelters and depots are, what they hold, whether their
stock checks are current, and what lies nearest to a place. The map needs no internet."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from data_access import resources
from data_access.geo import in_changzhi, is_coordinate, load_county_outlines
from data_access.nearest import find_nearest
from ui import auth
from ui.data import current_scope, query
from ui.figures import resources as fig
from ui.format import cn_date, count, number_config
from ui.guard import section
from ui.labels import CHOOSE, ITEM_CATEGORIES, RESOURCE_COLUMNS, RESOURCE_TEXT, SITE_KINDS
from ui.quality import render_quality_notice
from ui.resource_map import (
    PAGE_ROWS,
    SiteScope,
    equipment_lines,
    map_sites,
    page_of_sites,
    pages,
    site_list_file,
)
from ui.safe import md, plain
from ui.settings import map_style_url
from ui.shell import has_data, page_context, page_header
from ui.weekly import render_week_changes

NEAREST_KINDS = ("team", "warehouse", "depot")
KEY_CATEGORIES = ("drainage", "plugging", "firefighting")
NEAR_MODES = {"enterprise": "企业", "unit": "单位驻地", "point": "输入坐标"}


def show_table(df: pd.DataFrame, **kwargs) -> None:
    table = df.rename(columns=RESOURCE_COLUMNS)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config=number_config(table, **kwargs.pop("column_config", {})), **kwargs)


def page_picker(rows: int, key: str) -> int:
    """A page number for a table of `rows` rows shown PAGE_ROWS at a time (none for one page)."""
    total = pages(rows)
    if total == 1:
        st.session_state.pop(key, None)
        return 1
    if st.session_state.get(key, 1) > total:
        st.session_state[key] = total
    narrow, _ = st.columns([1, 3])
    return int(narrow.number_input(f"页码(共 {total} 页,每页 {PAGE_ROWS} 个点位)", 1, total,
                                   key=key, step=1))


def search_point(ctx, unit: str | None) -> tuple[tuple[float, float] | None, str]:
    """The nearest-resource search's starting point from the chosen source, and its name."""
    mode = st.segmented_control("就近资源查询(起点)", list(NEAR_MODES), key="resources.near_mode",
                                format_func=NEAR_MODES.get)
    if mode == "enterprise":
        firms = query(resources.list_enterprise_locations, unit=unit)
        firms = firms.set_index(firms["id"].astype(int))
        firm = st.selectbox("企业", list(firms.index), index=None, placeholder="选择或输入企业名称",
                            key="resources.near_enterprise",
                            format_func=lambda i: f"{plain(firms.at[i, 'name'])}"
                                                  f"({ctx.unit_name(firms.at[i, 'unit_code'])})")
        if firm in firms.index:
            row = firms.loc[firm]
            return (float(row["lat"]), float(row["lon"])), str(row["name"])
    elif mode == "unit":
        units = ctx.units.set_index("code")
        code = st.selectbox("单位驻地", list(units.index), index=None, placeholder="选择单位",
                            key="resources.near_unit", format_func=ctx.unit_name)
        if code is not None:
            return ((float(units.at[code, "lat"]), float(units.at[code, "lon"])),
                    f"{ctx.unit_name(code)}驻地")
    elif mode == "point":
        left, right = st.columns(2)
        lat = left.number_input("纬度(WGS-84)", value=None, format="%.6f", key="resources.near_lat",
                                placeholder="例如 36.195")
        lon = right.number_input("经度(WGS-84)", value=None, format="%.6f", key="resources.near_lon",
                                 placeholder="例如 113.117")
        if lat is not None and lon is not None:
            if in_changzhi(lat, lon):
                return (float(lat), float(lon)), f"纬度 {lat:.4f},经度 {lon:.4f}"
            if in_changzhi(lon, lat):
                st.error(RESOURCE_TEXT["point_swapped"].format(lat=lat, lon=lon))
            elif not is_coordinate(lat, lon):
                st.error(RESOURCE_TEXT["point_invalid"])
            else:
                st.error(RESOURCE_TEXT["point_outside"].format(lat=lat, lon=lon))
    return None, ""


def nearest_sites(point: tuple[float, float], category: str | None, limit: int) -> pd.DataFrame:
    found = []
    for kind in NEAREST_KINDS:
        def fetch(box: dict, kind: str = kind) -> pd.DataFrame:
            return query(resources.list_sites_in_box, kinds=(kind,), category=category, **box)
        found.append(find_nearest(fetch, *point, limit=limit))
    return pd.concat([f for f in found if not f.empty] or [pd.DataFrame()], ignore_index=True)


ctx, filters = page_context()
page_header("应急资源", ctx, filters)
render_week_changes("resources", ctx, filters)
render_quality_notice("resources")
if has_data(ctx, "resource_sites"):
    unit = filters.unit_or_none
    c1, c2, c3 = st.columns([3, 1.2, 1], vertical_alignment="bottom")
    kinds = tuple(c1.pills("点位类别(图层)", list(SITE_KINDS), selection_mode="multi",
                           default=list(SITE_KINDS), format_func=SITE_KINDS.get,
                           key="resources.kinds"))
    category = c2.selectbox("装备类别", [None, *ITEM_CATEGORIES], key="resources.category",
                            format_func=lambda c: RESOURCE_TEXT["all_categories"] if c is None
                            else ITEM_CATEGORIES[c],
                            help="只显示存有该类物资装备的点位", placeholder=CHOOSE)
    interval = int(c3.number_input("清点检查周期(天)", min_value=7, max_value=730,
                                   value=resources.DEFAULT_CHECK_INTERVAL_DAYS, step=15,
                                   key="resources.interval",
                                   help="最近一次清点检查早于此天数(或从未检查)即为超期"))
    layer_kinds = kinds or ("none",)  # nothing chosen draws nothing (None would mean all kinds)
    common = {"unit": unit, "category": category}
    stat: dict[str, dict] = {k: {} for k in ("sites", "headcount", "capacity", "check_overdue")}
    by_unit_kind = pd.DataFrame(columns=["unit_code", "kind", "sites", "headcount", "capacity",
                                         "check_overdue"])
    with section():
        # One read for the tiles and the by-unit tab: per unit and kind, every kind.
        by_unit_kind = query(resources.summarize_sites_by_unit, as_of=filters.as_of,
                             check_interval_days=interval, **common)
        by_kind = by_unit_kind.groupby("kind")[["sites", "headcount", "capacity",
                                                "check_overdue"]].sum()
        stat = {k: by_kind.get(k, pd.Series(dtype=int)).to_dict()
                for k in ("sites", "headcount", "capacity", "check_overdue")}
        cols = st.columns(7)
        for col, kind in zip(cols[:4], SITE_KINDS):
            col.metric(SITE_KINDS[kind],
                       count(stat["sites"].get(kind, 0), "支" if kind == "team" else "处"))
        cols[4].metric("救援人员", count(stat["headcount"].get("team", 0), "人"))
        cols[5].metric("避难场所可容纳", count(stat["capacity"].get("shelter", 0), "人"))
        cols[6].metric("清点检查超期", count(sum(stat["check_overdue"].values()), "处"),
                       help=f"最近清点检查早于 {interval} 天或从未检查的点位(全部类别)")

    scope = SiteScope(as_of=filters.as_of, kinds=layer_kinds, unit=unit, category=category,
                      interval=interval)
    in_layers = sum(int(stat["sites"].get(k, 0)) for k in kinds)
    overdue_count = sum(int(stat["check_overdue"].get(k, 0)) for k in kinds)
    mapped = map_sites(scope, in_scope=in_layers, unit_names=ctx.unit_names)
    shaped, misplaced = mapped.shaped, mapped.misplaced

    map_col, side_col = st.columns([2.1, 1], gap="medium")
    map_box, near_box = map_col.container(), map_col.container()
    with side_col:
        st.subheader("就近资源")
        point, point_name = search_point(ctx, unit)
        limit = st.slider("每类列出最近", 1, 10, 5, key="resources.near_limit", format="%d 处")
    near = nearest_sites(point, category, limit) if point else pd.DataFrame()
    near_equipment = equipment_lines(site_ids=tuple(int(i) for i in near["id"])) \
        if not near.empty else {}
    near_shaped = fig.shape_sites(near, equipment=near_equipment, unit_names=ctx.unit_names,
                                  as_of=filters.as_of)
    with near_box:
        if point and near.empty:
            st.info(RESOURCE_TEXT["no_nearest"])
        elif point:
            st.markdown(f"**距“{md(point_name)}”最近的救援队伍、物资储备库和装备库**(直线距离)")
            show_table(fig.nearest_table(near, equipment=near_equipment,
                                         unit_names=ctx.unit_names), column_config={
                "直线距离(公里)": st.column_config.NumberColumn(format="%.1f", width="small"),
                "重点装备": st.column_config.TextColumn(width="large")})

    list_page = st.session_state.get("resources.list_page", 1)
    listed = page_of_sites(scope, list_page)
    known = pd.concat([f for f in (mapped.sites, near, listed) if len(f)] or [listed])
    known = known.drop_duplicates("id")
    site_options = list(dict.fromkeys([*mapped.sites["id"].astype(int), *near_shaped["id"],
                                       *listed["id"].astype(int)]))
    names = dict(zip(known["id"].astype(int), map(plain, known["name"])))
    clicked = fig.selected_site_id(fig.map_selection(st.session_state.get("resources.map")))
    st.session_state["resources.site"] = fig.resolve_site_choice(
        clicked=clicked, last_clicked=st.session_state.get("resources.map_seen"),
        chosen=st.session_state.get("resources.site"), options=site_options)
    st.session_state["resources.map_seen"] = clicked
    picked = next((r for r in [*shaped.to_dict("records"), *near_shaped.to_dict("records")]
                   if r["id"] == st.session_state["resources.site"]), None)
    with map_box:
        style = map_style_url()
        outlines = load_county_outlines()
        found = [point, *zip(near_shaped["lat"], near_shaped["lon"])] if point else None
        deck = fig.build_resource_deck(
            shaped, outlines=outlines, kinds=kinds, nearest=near_shaped,
            incident=point, selected=(picked["lat"], picked["lon"]) if picked else None,
            highlight_unit=unit, map_style=style,
            view=fig.page_view(outlines, unit=unit, nearest=found))
        st.pydeck_chart(deck, height=fig.PAGE_MAP_PX[1], on_select="rerun",
                        selection_mode="single-object", key="resources.map")
        st.html(fig.legend_html(fig.legend_entries(shaped, nearest=not near_shaped.empty),
                                font_px=15, text="#1f2430", muted="#555c66", across=True))
        st.caption(RESOURCE_TEXT["basemap_configured" if style else "basemap_note"])
        if mapped.gathered:
            st.caption(RESOURCE_TEXT["gathered"].format(n=in_layers))
        if not misplaced.empty:
            st.warning(RESOURCE_TEXT["misplaced"].format(n=len(misplaced)))
            show_table(fig.misplaced_table(misplaced, unit_names=ctx.unit_names))

    with side_col:
        st.subheader("点位物资装备")
        site_id = st.selectbox("点位", site_options, index=None, key="resources.site",
                               format_func=names.get, placeholder="选择点位")
        if site_id is None:
            st.info(RESOURCE_TEXT["no_site_selected"])
        else:
            fig_card = fig.site_card(known.set_index("id").loc[site_id],
                                     unit_names=ctx.unit_names)
            st.markdown(fig_card)
            inventory = query(resources.list_site_items, site_id=int(site_id))
            if inventory.empty:
                st.info(RESOURCE_TEXT["no_items"])
            else:
                show_table(inventory.assign(category=inventory["category"].map(
                    lambda c: ITEM_CATEGORIES.get(c, c))))

    # Lazy tabs: only the open one reads its rows (its name is kept in the link).
    tabs = st.tabs(["按单位统计", "清点检查超期", "点位清单"],
                   key="resources.tab", bind="query-params")
    if tabs[0].open:
        with tabs[0]:
            by_unit = by_unit_kind[by_unit_kind["kind"].isin(layer_kinds)]
            show_table(fig.unit_summary_table(by_unit, unit_names=ctx.unit_names),
                       height="content")
            shown = (category,) if category else KEY_CATEGORIES
            gear = query(resources.summarize_equipment_by_unit, kinds=layer_kinds,
                         categories=shown, **common)
            st.markdown("**重点装备数量**(" + "、".join(ITEM_CATEGORIES[c] for c in shown) + ")")
            show_table(fig.equipment_pivot(gear, unit_names=ctx.unit_names, categories=shown),
                       height="content")
    if tabs[1].open:
        with tabs[1]:
            st.caption(f"最近清点检查早于 {cn_date(filters.as_of)} 前 {interval} 天或从未检查的点位,"
                       f"共 {overdue_count:,} 处")
            page = page_picker(overdue_count, "resources.overdue_page")
            late = page_of_sites(scope, page, overdue_only=True)
            show_table(fig.overdue_table(late, unit_names=ctx.unit_names, as_of=filters.as_of))
    if tabs[2].open:
        with tabs[2]:
            st.download_button("下载点位清单(Excel)", auth.audited(
                partial(site_list_file, scope, ctx.unit_names, current_scope()),
                what=f"应急资源点位_{filters.as_of.isoformat()}.xlsx"),
                               file_name=f"应急资源点位_{filters.as_of.isoformat()}.xlsx",
                               key="resources.download", icon=":material/download:")
            page_picker(in_layers, "resources.list_page")
            listing = fig.site_table(listed, unit_names=ctx.unit_names, as_of=filters.as_of,
                                     equipment=equipment_lines(site_ids=tuple(
                                         int(i) for i in listed["id"])))
            show_table(listing)
