"""智能化建设: intelligent working faces by stage against the year's target."""

import streamlit as st

from data_access import mining, targets
from ui.data import query
from ui.labels import FACE_STAGES
from ui.shell import has_data, page_context, page_header

ctx, filters = page_context()
page_header("智能化建设", ctx, filters)
if has_data(ctx, "working_faces"):
    by_stage = query(mining.count_faces_by_stage, as_of=filters.as_of, unit=filters.unit_or_none)
    goal = targets.pick_target(
        query(targets.list_targets, year=filters.year, metrics=("intelligent_faces",)),
        "intelligent_faces")
    per_stage = by_stage.groupby("stage")["faces"].sum()
    st.metric("已建成智能化采掘工作面", f"{int(per_stage.get('accepted', 0))}处",
              help="年度目标:" + ("未设定" if goal is None else f"{goal:.0f}处"))
    cols = st.columns(len(FACE_STAGES))
    for col, (stage, label) in zip(cols, FACE_STAGES.items()):
        col.metric(label, f"{int(per_stage.get(stage, 0))}处")
