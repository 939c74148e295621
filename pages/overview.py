"""总览: headline tiles for the four detailed views."""

import streamlit as st

from data_access import accidents, mining, rectification, resources, targets
from ui.data import query
from ui.shell import page_context, page_header

ctx, filters = page_context()
page_header("态势总览", ctx, filters)
unit = filters.unit_or_none

totals = query(accidents.count_accidents, as_of=filters.as_of, unit=unit)
indicator = targets.pick_target(
    query(targets.list_targets, year=filters.year, metrics=("deaths", "intelligent_faces")),
    "deaths", unit=unit)
tasks = query(rectification.list_key_tasks, as_of=filters.as_of)
hazards = query(rectification.summarize_hidden_dangers, as_of=filters.as_of, unit=unit).iloc[0]
faces = query(mining.count_faces_by_stage, as_of=filters.as_of, unit=unit)
face_target = targets.pick_target(
    query(targets.list_targets, year=filters.year, metrics=("intelligent_faces",)),
    "intelligent_faces")
sites = query(resources.summarize_sites_by_kind, as_of=filters.as_of, unit=unit)

cols = st.columns(4)
with cols[0].container(border=True):
    st.metric("事故起数", f"{totals['accidents']}起")
    st.metric("死亡人数", f"{totals['deaths']}人",
              help="死亡控制指标:" + ("未设定" if indicator is None else f"{indicator:.0f}人"))
    st.page_link("pages/accidents.py", label="事故控制详情", icon=":material/arrow_forward:",
                 query_params=filters.query_params())
with cols[1].container(border=True):
    done = int((tasks["status"] == "completed").sum())
    st.metric("重点任务完成", f"{done}/{len(tasks)}项")
    rate = hazards["closed"] / hazards["found"] if hazards["found"] else None
    st.metric("隐患销号率", "无数据" if rate is None else f"{rate:.1%}")
    st.page_link("pages/rectification.py", label="专项整治详情", icon=":material/arrow_forward:",
                 query_params=filters.query_params())
with cols[2].container(border=True):
    built = int(faces.loc[faces["stage"] == "accepted", "faces"].sum())
    st.metric("智能化采掘工作面建成", f"{built}处",
              help="年度目标:" + ("未设定" if face_target is None else f"{face_target:.0f}处"))
    st.page_link("pages/mining.py", label="智能化建设详情", icon=":material/arrow_forward:",
                 query_params=filters.query_params())
with cols[3].container(border=True):
    st.metric("应急资源点位", f"{int(sites['sites'].sum())}处")
    st.metric("物资检查超期", f"{int(sites['check_overdue'].sum())}处")
    st.page_link("pages/resources.py", label="应急资源详情", icon=":material/arrow_forward:",
                 query_params=filters.query_params())
