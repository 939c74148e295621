"""专项整治: key-task status and hidden-danger closure as of the as-of date."""

import streamlit as st

from data_access import rectification
from ui.data import query
from ui.labels import TASK_STATUSES
from ui.shell import has_data, page_context, page_header

ctx, filters = page_context()
page_header("专项整治", ctx, filters)
if has_data(ctx, "key_tasks", "hidden_dangers"):
    tasks = query(rectification.list_key_tasks, as_of=filters.as_of)
    counts = tasks["status"].value_counts()
    cols = st.columns(len(TASK_STATUSES))
    for col, (status, label) in zip(cols, TASK_STATUSES.items()):
        col.metric(f"任务{label}", f"{int(counts.get(status, 0))}项")
    hz = query(rectification.summarize_hidden_dangers, as_of=filters.as_of,
               unit=filters.unit_or_none).iloc[0]
    cols = st.columns(4)
    cols[0].metric("发现隐患", f"{hz['found']}项")
    cols[1].metric("已销号", f"{hz['closed']}项")
    cols[2].metric("超期未整改", f"{hz['overdue']}项")
    cols[3].metric("重大隐患未销号", f"{hz['major_open']}项")
