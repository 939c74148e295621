"""Figures of the intelligent-mining page: faces by stage, the trajectory toward the target,
late faces by unit and the milestone timeline of the pilot and demonstration mines."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from data_access.forecast import Forecast
from ui.format import cn_date
from ui.labels import FACE_STAGES, FACE_TYPES, MILESTONE_STATES
from ui.safe import html_text
from ui.theme import LAST_YEAR_COLOUR, SERIES_COLOURS, STATUS_COLOURS, THIS_YEAR_COLOUR, apply_theme

TYPE_COLOURS = {"mining": SERIES_COLOURS[0], "heading": SERIES_COLOURS[5]}
FORECAST_COLOUR = SERIES_COLOURS[1]
TARGET_COLOUR = STATUS_COLOURS["red"]
MILESTONE_COLOURS = {"achieved": STATUS_COLOURS["green"], "achieved_late": STATUS_COLOURS["amber"],
                     "overdue": STATUS_COLOURS["red"], "due": STATUS_COLOURS["grey"]}
MILESTONE_SYMBOLS = {"achieved": "circle", "achieved_late": "circle", "overdue": "x",
                     "due": "circle-open"}

# Trace names the page's tests look up.
PLANNED_TRACE = "计划累计"
ACTUAL_TRACE = "实际累计(通过)"
FORECAST_TRACE = "按近期进度预测"


def build_stage_bars(by_stage: pd.DataFrame, *, height: int = 300) -> go.Figure:
    """Faces now at each stage (计划 at the top … 通过 at the bottom), stacked 综采 / 掘进."""
    fig = go.Figure()
    stages = list(FACE_STAGES)
    for face_type, label in FACE_TYPES.items():
        rows = by_stage[by_stage["face_type"] == face_type].groupby("stage")["faces"].sum()
        counts = [int(rows.get(stage, 0)) for stage in stages]
        fig.add_bar(y=[FACE_STAGES[s] for s in stages], x=counts, name=label, orientation="h",
                    marker_color=TYPE_COLOURS[face_type],
                    text=[c or "" for c in counts], textposition="inside", textangle=0,
                    insidetextanchor="middle",
                    hovertemplate=f"%{{y}} · {label}:%{{x}}处<extra></extra>")
    totals = by_stage.groupby("stage")["faces"].sum()
    fig.add_scatter(y=[FACE_STAGES[s] for s in stages],
                    x=[int(totals.get(s, 0)) for s in stages], mode="text",
                    text=[f" {int(totals.get(s, 0))}处" for s in stages], textposition="middle right",
                    showlegend=False, hoverinfo="skip")
    fig.update_layout(barmode="stack", title={"text": "工作面所处阶段", "x": 0, "y": 0.98})
    fig.update_layout(legend={"traceorder": "normal"})
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title={"text": "工作面(处)", "font": {"size": 12}}, rangemode="tozero",
                     range=[0, max(int(totals.max()) if len(totals) else 0, 1) * 1.2])
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 60})
    return fig


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def cumulative_series(by_month: pd.DataFrame, *, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(planned, actual) cumulative series from `count_faces_by_month`: planned at every month
    end of the year; actual at each month end up to the as-of month, whose point sits on the
    as-of date. Columns: day, month, cumulative."""
    months = by_month.sort_values("month")
    planned = pd.DataFrame({
        "day": [_month_end(as_of.year, int(m)) for m in months["month"]],
        "month": months["month"].astype(int).tolist(),
        "cumulative": months["planned"].cumsum().astype(int).tolist(),
    })
    done = months[months["month"] <= as_of.month]
    actual = pd.DataFrame({
        "day": [min(_month_end(as_of.year, int(m)), as_of) for m in done["month"]],
        "month": done["month"].astype(int).tolist(),
        "cumulative": done["accepted"].cumsum().astype(int).tolist(),
    })
    return planned, actual


def build_trajectory(by_month: pd.DataFrame, forecast: Forecast, *, as_of: dt.date,
                     height: int = 340) -> go.Figure:
    """Planned and actual cumulative completions by month, the forecast at the recent pace
    (dashed, to 31 December or on to the day the target is reached when that is within the
    next half year) and the target (dashed horizontal line, absent when not set)."""
    planned, actual = cumulative_series(by_month, as_of=as_of)
    fig = go.Figure()
    fig.add_scatter(x=[d.isoformat() for d in planned["day"]], y=planned["cumulative"].tolist(),
                    name=PLANNED_TRACE, mode="lines+markers", line={"color": LAST_YEAR_COLOUR},
                    hovertemplate="%{x|%m月}底 计划累计 %{y}处<extra></extra>")
    fig.add_scatter(x=[d.isoformat() for d in actual["day"]], y=actual["cumulative"].tolist(),
                    name=ACTUAL_TRACE, mode="lines+markers+text",
                    line={"color": THIS_YEAR_COLOUR, "width": 3},
                    text=[""] * (len(actual) - 1) + [f"{forecast.built}处"] if len(actual) else [],
                    textposition="top left",
                    hovertemplate="%{x|%m月%d日} 累计建成 %{y}处<extra></extra>")
    year_end = dt.date(as_of.year, 12, 31)
    end = year_end
    reach = forecast.reached_on
    if reach and year_end < reach <= year_end + dt.timedelta(days=183):
        end = reach
    if forecast.recent or forecast.built:
        days = [as_of, year_end] + ([end] if end != year_end else [])
        ceiling = forecast.ceiling
        if ceiling is not None and forecast.recent and forecast.built < ceiling:
            # the day the forecast reaches the plan's total, after which it stays flat
            full = as_of + dt.timedelta(
                days=(ceiling - forecast.built) * forecast.window_days / forecast.recent)
            if full < end:
                days = sorted({*days, full})
        values = [round(forecast.projected(d, as_of), 1) for d in days]
        fig.add_scatter(x=[d.isoformat() for d in days], y=values, name=FORECAST_TRACE,
                        mode="lines+markers", line={"color": FORECAST_COLOUR, "dash": "dash"},
                        hovertemplate="%{x|%Y年%m月%d日} 预计 %{y:.0f}处<extra></extra>")
        fig.add_annotation(x=year_end.isoformat(), y=forecast.projected(year_end, as_of),
                           text=f"年底预计{forecast.year_end}处", showarrow=False,
                           xanchor="center" if end > year_end else "right", yanchor="top", yshift=-6,
                           font={"color": FORECAST_COLOUR}, bgcolor="rgba(255,255,255,0.85)")
    if end > year_end:
        fig.add_annotation(x=end.isoformat(), y=forecast.target, text=f"{cn_date(end)}达到",
                           showarrow=False, xanchor="right", yanchor="bottom", yshift=4,
                           font={"color": FORECAST_COLOUR}, bgcolor="rgba(255,255,255,0.85)")
    if forecast.target is not None:
        fig.add_hline(y=forecast.target, line={"color": TARGET_COLOUR, "dash": "dot"},
                      annotation_text=f"目标 {forecast.target:.0f}处",
                      annotation_position="top left", annotation_font_color=TARGET_COLOUR)
    fig.update_xaxes(range=[dt.date(as_of.year, 1, 1).isoformat(),
                            (end + dt.timedelta(days=10)).isoformat()],
                     tickformat="%-m月\n%Y年", dtick="M1", ticklabelmode="period",
                     title={"text": "月份", "font": {"size": 12}})
    fig.update_yaxes(title={"text": "累计建成工作面(处)", "font": {"size": 12}},
                     rangemode="tozero")
    fig.update_layout(title={"text": "累计建成:计划、实际与预测", "x": 0, "y": 0.98})
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 70})
    return fig


def build_unit_lag_bars(by_unit: pd.DataFrame, unit_names: dict[str, str], *,
                        height: int = 300) -> go.Figure:
    """Per unit: faces built, not built but not yet due, and late, stacked horizontally."""
    df = by_unit.assign(unit=[html_text(unit_names.get(c, c), 30) for c in by_unit["unit_code"]],
                        pending=by_unit["planned"] - by_unit["accepted"] - by_unit["late"])
    fig = go.Figure()
    for column, label, colour in (("accepted", "已建成", STATUS_COLOURS["green"]),
                                  ("pending", "未到期未建成", STATUS_COLOURS["grey"]),
                                  ("late", "逾期未建成", STATUS_COLOURS["red"])):
        values = df[column].astype(int).tolist()
        fig.add_bar(y=df["unit"].tolist(), x=values, name=label, orientation="h",
                    marker_color=colour, text=[v or "" for v in values], textposition="inside",
                    textangle=0,
                    hovertemplate=f"%{{y}} {label}:%{{x}}处<extra></extra>")
    fig.update_layout(barmode="stack", title={"text": "各县区工作面(按逾期数排序)", "x": 0, "y": 0.98})
    fig.update_layout(legend={"traceorder": "normal"})
    fig.update_yaxes(autorange="reversed")
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 70})
    return fig


def milestone_row(mine: str, programme: str, programme_names: dict[str, str]) -> str:
    return f"{mine}({programme_names.get(programme, programme)})"


def build_milestone_timeline(milestones: pd.DataFrame, *, as_of: dt.date,
                             programme_names: dict[str, str],
                             order: list[tuple[str, str]] | None = None,
                             height: int = 360) -> go.Figure:
    """One row per mine, a marker per milestone at its planned date, coloured by its state as of
    `as_of`; a vertical line marks the as-of date. `order`: (mine, programme) pairs, top first."""
    df = milestones.assign(
        row=[milestone_row(html_text(name, 30), p, programme_names)
             for name, p in zip(milestones["mine"], milestones["programme"])],
        achieved_text=[cn_date(d) if d is not None and not pd.isna(d) else "未完成"
                       for d in milestones["achieved_on"]])
    fig = go.Figure()
    for state, label in MILESTONE_STATES.items():
        part = df[df["state"] == state]
        if part.empty:
            continue
        fig.add_scatter(
            x=[d.isoformat() for d in part["planned_on"]], y=part["row"].tolist(),
            mode="markers", name=label,
            marker={"color": MILESTONE_COLOURS[state], "symbol": MILESTONE_SYMBOLS[state],
                    "size": 13, "line": {"width": 2, "color": MILESTONE_COLOURS[state]}},
            customdata=list(zip(map(html_text, part["name"]), part["achieved_text"])),
            hovertemplate="%{y}<br>%{customdata[0]}<br>计划 %{x|%Y年%m月%d日}"
                          "<br>完成 %{customdata[1]}<extra></extra>")
    fig.add_shape(type="line", x0=as_of.isoformat(), x1=as_of.isoformat(), y0=0, y1=1,
                  yref="paper", line={"color": THIS_YEAR_COLOUR, "dash": "dot"})
    fig.add_annotation(x=as_of.isoformat(), y=1, yref="paper", text=f"截至{as_of.month}月{as_of.day}日",
                       showarrow=False, yanchor="bottom", font={"color": THIS_YEAR_COLOUR})
    if order:
        rows = [milestone_row(html_text(m, 30), p, programme_names) for m, p in order]
        fig.update_yaxes(categoryorder="array", categoryarray=[r for r in rows if r in set(df["row"])])
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(tickformat="%-m月", dtick="M1", title=None)
    fig.update_layout(title={"text": "建设节点(按计划日期)", "x": 0, "y": 0.98})
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 60, "b": 10},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0})
    return fig
