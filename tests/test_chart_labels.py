"""Every chart says what it shows: a title on each value axis with its unit, the year on a time
axis that can run into the next one, the 100% line of an indicator labelled, and a row for a
unit without an indicator."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access import accident_rules, forecast, mining
from data_access import rectification as rect
from ui.figures import accidents as acc_figs
from ui.figures import mining as mining_figs
from ui.figures import rectification as rect_figs

AS_OF = dt.date(2022, 11, 25)


def _title(axis) -> str:
    return (axis.title.text or "") if axis.title else ""


def test_ledger_and_mining_charts_name_their_axes_and_units(sample_conn):
    summary = rect.summarize_hidden_dangers(sample_conn, as_of=AS_OF, by="unit_code")
    place = rect_figs.build_hazards_by_place(summary, dimension="unit", names={"140431": "沁源县"})
    assert "(项)" in _title(place.layout.xaxis)
    month = rect_figs.build_hazards_by_month(
        rect.count_hidden_dangers_by_month(sample_conn, as_of=AS_OF), year=AS_OF.year)
    assert "(项)" in _title(month.layout.yaxis) and "2022年" in _title(month.layout.xaxis)
    age = rect_figs.build_open_by_age(rect.count_open_hidden_dangers_by_age(sample_conn,
                                                                             as_of=AS_OF))
    assert "(项)" in _title(age.layout.yaxis) and "天" in _title(age.layout.xaxis)
    stages = mining_figs.build_stage_bars(mining.count_faces_by_stage(sample_conn, as_of=AS_OF))
    assert "(处)" in _title(stages.layout.xaxis)
    outlook = forecast.forecast_progress([AS_OF - dt.timedelta(days=10)], as_of=AS_OF, target=58)
    trajectory = mining_figs.build_trajectory(
        mining.count_faces_by_month(sample_conn, as_of=AS_OF), outlook, as_of=AS_OF)
    assert "(处)" in _title(trajectory.layout.yaxis)
    assert "%Y" in trajectory.layout.xaxis.tickformat  # the axis may run into next year


def test_control_bars_label_the_100_percent_line_and_keep_rows_without_an_indicator():
    rows = accident_rules.control_rows(["140423", "JKQ"], used={"140423": 3, "JKQ": 4},
                                       previous={}, limits={"140423": 6, "JKQ": None},
                                       progress=0.9, previous_progress=0.88)
    fig = acc_figs.build_control_bars(rows, names={"140423": "长治县", "JKQ": "经开区"},
                                      progress=0.9)
    axis = fig.layout.xaxis
    assert dict(zip(axis.tickvals, axis.ticktext))[100] == "指标 100%"
    assert all(text.endswith("%") for text in axis.ticktext)
    assert "(%" in _title(fig.layout.xaxis)
    row = list(rows["code"]).index("JKQ")
    widths = [trace.x[row] for trace in fig.data]
    assert max(widths) > 0, "经开区's 4 deaths have no bar"
    assert any("未设定 · 4人" in a.text for a in fig.layout.annotations)
    assert pd.isna(rows.loc[row, "share"])
