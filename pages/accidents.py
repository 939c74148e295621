"""事故控制: accidents and deaths by grade and unit for the year to date."""

import streamlit as st

from data_access import accidents
from ui.data import query
from ui.labels import COLUMNS, GRADE_ORDER, GRADES
from ui.shell import has_data, page_context, page_header

ctx, filters = page_context()
page_header("事故控制", ctx, filters)
if has_data(ctx, "accidents"):
    by_grade = query(accidents.summarize_accidents, by="grade", as_of=filters.as_of,
                     unit=filters.unit_or_none).set_index("grade")
    cols = st.columns(len(GRADE_ORDER))
    for col, grade in zip(cols, GRADE_ORDER):
        count = int(by_grade["accidents"].get(grade, 0))
        col.metric(f"{GRADES[grade]}事故", f"{count}起")
    by_unit = query(accidents.summarize_accidents, by="unit_code", as_of=filters.as_of)
    by_unit["unit_code"] = by_unit["unit_code"].map(ctx.unit_name)
    st.dataframe(by_unit[["unit_code", "accidents", "deaths"]].rename(columns=COLUMNS),
                 hide_index=True, key="accidents.by_unit")
