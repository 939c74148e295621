"""应急资源: resource sites by kind and stock-check readiness."""

import streamlit as st

from data_access import resources
from ui.data import query
from ui.labels import SITE_KINDS
from ui.shell import has_data, page_context, page_header

ctx, filters = page_context()
page_header("应急资源", ctx, filters)
if has_data(ctx, "resource_sites"):
    by_kind = query(resources.summarize_sites_by_kind, as_of=filters.as_of,
                    unit=filters.unit_or_none).set_index("kind")
    cols = st.columns(len(SITE_KINDS))
    for col, (kind, label) in zip(cols, SITE_KINDS.items()):
        sites = int(by_kind["sites"].get(kind, 0))
        overdue = int(by_kind["check_overdue"].get(kind, 0))
        col.metric(label, f"{sites}处", help=f"检查超期 {overdue} 处")
