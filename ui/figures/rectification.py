"""Figures and tables of the special-rectification page: key tasks by sector and status, hidden
dangers by unit or sector, by month and by age, and the drill-down from a clicked bar.

Every hidden-danger bar carries `customdata = [scope, dimension, key]` (a scope of
`data_access.rectification.HAZARD_SCOPES`; dimension "unit", "sector", "month" or ""), so a
click on it names the list behind it: `drill_from_selection` turns the click into a `Drill`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ui.format import pct, pct_number
from ui.labels import (
    HAZARD_AGE_LABELS,
    HAZARD_CATEGORIES,
    HAZARD_LEVELS,
    HAZARD_SOURCES,
    HAZARD_STATES,
    RECTIFICATION_COLUMNS,
    TASK_STATUSES,
)
from ui.safe import html_text
from ui.theme import SERIES_COLOURS, STATUS_COLOURS, apply_theme

TASK_STATUS_COLOURS = {"completed": STATUS_COLOURS["green"], "in_progress": SERIES_COLOURS[0],
                       "not_started": STATUS_COLOURS["grey"], "overdue": STATUS_COLOURS["red"]}
TASK_STATUS_ORDER = ("completed", "in_progress", "not_started", "overdue")
# The three parts of a hidden-danger bar: (scope, trace name, colour).
HAZARD_PARTS = (("closed", "已销号", STATUS_COLOURS["green"]),
                ("open_in_time", "未销号(未超期)", STATUS_COLOURS["amber"]),
                ("overdue", "超期未整改", STATUS_COLOURS["red"]))
FOUND_COLOUR = SERIES_COLOURS[0]
CLOSED_COLOUR = STATUS_COLOURS["green"]
ORIGIN_COLOURS = {False: SERIES_COLOURS[0], True: SERIES_COLOURS[3]}
ORIGIN_NAMES = {False: "本年发现", True: "往年结转"}


# ---- drill-down --------------------------------------------------------------------------
@dataclass(frozen=True)
class Drill:
    """What list a click asks for; None means "all" (the unit falls back to the page's unit)."""
    scope: str
    unit: str | None = None
    sector: str | None = None
    month: int | None = None


def drill_from_selection(selection: dict | None) -> Drill | None:
    """The list behind the first clicked point of a plotly selection (`st.plotly_chart(...,
    on_select=...)` state, or its "selection" part), or None when nothing usable is selected.

    A part "open_in_time" of a unit/sector bar lists every open item of that unit or sector
    (its overdue items included) since no scope holds open-but-in-time items alone.
    """
    if not selection:
        return None
    points = (selection.get("selection") or selection).get("points") or []
    for point in points:
        data = point.get("customdata")
        if not data or len(data) < 3:
            continue
        scope, dimension, key = data[0], data[1], data[2]
        scope = "open" if scope == "open_in_time" else scope
        if dimension == "unit":
            return Drill(scope, unit=str(key))
        if dimension == "sector":
            return Drill(scope, sector=str(key))
        if dimension == "month":
            return Drill(scope, month=int(key))
        return Drill(scope)
    return None


# ---- key tasks ---------------------------------------------------------------------------
def build_task_status_by_sector(counts: pd.DataFrame, sector_names: dict[str, str], *,
                                height: int = 320) -> go.Figure:
    """Tasks per sector stacked by status (from `count_tasks_by_sector_and_status`)."""
    sectors = [s for s in sector_names if s in set(counts["sector_code"])]
    fig = go.Figure()
    for status in TASK_STATUS_ORDER:
        rows = counts[counts["status"] == status].set_index("sector_code")["tasks"]
        values = [int(rows.get(s, 0)) for s in sectors]
        fig.add_bar(y=[html_text(sector_names[s], 30) for s in sectors], x=values, orientation="h",
                    name=TASK_STATUSES[status], marker_color=TASK_STATUS_COLOURS[status],
                    text=[v or "" for v in values], textposition="inside",
                    hovertemplate=f"%{{y}} · {TASK_STATUSES[status]}:%{{x}}项<extra></extra>")
    fig.update_layout(barmode="stack", title={"text": "各行业领域任务状态", "x": 0, "y": 0.98},
                      legend_traceorder="normal")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=None, dtick=1 if len(counts) and counts["tasks"].max() < 10 else None)
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 70})
    return fig


def checklist_table(tasks: pd.DataFrame, *, sector_names: dict[str, str]) -> pd.DataFrame:
    """The key-task checklist for people: Chinese headers and labels, 临期 shown in the status."""
    status = [TASK_STATUSES[s] + ("(临期)" if soon else "")
              for s, soon in zip(tasks["status"], tasks["due_soon"])]
    table = pd.DataFrame({
        "code": tasks["code"],
        "title": tasks["title"],
        "sector": tasks["sector_code"].map(sector_names),
        "lead_department": tasks["lead_department"],
        "responsible_units": tasks["responsible_units"],
        "deadline": tasks["deadline"],
        "status": status,
        "progress_pct": tasks["progress_pct"].fillna(0).astype(int),
        "expected_pct": tasks["expected_pct"].astype(int),
        "note": tasks["note"].fillna("尚未报送"),
        "reported_on": tasks["reported_on"],
        "completed_on": tasks["completed_on"],
    })
    return table.rename(columns=RECTIFICATION_COLUMNS)


# ---- hidden dangers ----------------------------------------------------------------------
def with_closure_rate(summary: pd.DataFrame) -> pd.DataFrame:
    """Adds closure_rate (closed ÷ found; None where nothing was found)."""
    out = summary.copy()
    out["closure_rate"] = [c / f if f else None for c, f in zip(out["closed"], out["found"])]
    return out


def build_hazards_by_place(summary: pd.DataFrame, *, dimension: str, names: dict[str, str],
                           height: int | None = None) -> go.Figure:
    """Hidden dangers found this year per unit (dimension "unit", column unit_code) or sector
    ("sector", sector_code), split into closed / open in time / overdue; the closure rate is in
    each row's label. Rows keep the order of `names`; the height follows the number of rows
    unless given."""
    column = "unit_code" if dimension == "unit" else "sector_code"
    rows = with_closure_rate(summary).set_index(column)
    keys = [k for k in names if k in rows.index]
    labels = [f"{html_text(names[k], 30)}  {pct(rows.at[k, 'closure_rate'])}" for k in keys]
    parts = {
        "closed": [int(rows.at[k, "closed"]) for k in keys],
        "open_in_time": [int(rows.at[k, "open"] - rows.at[k, "overdue"]) for k in keys],
        "overdue": [int(rows.at[k, "overdue"]) for k in keys],
    }
    fig = go.Figure()
    for scope, name, colour in HAZARD_PARTS:
        fig.add_bar(y=labels, x=parts[scope], orientation="h", name=name, marker_color=colour,
                    customdata=[[scope, dimension, k] for k in keys],
                    text=[v or "" for v in parts[scope]] if scope == "overdue" else None,
                    textposition="outside", textangle=0,
                    hovertemplate=f"%{{y}} · {name}:%{{x}}项<extra></extra>")
    title = "各县区隐患销号情况(标签为销号率)" if dimension == "unit" else "各行业领域隐患销号情况(标签为销号率)"
    fig.update_layout(barmode="stack", title={"text": title, "x": 0, "y": 0.98},
                      clickmode="event+select", legend_traceorder="normal")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=None)
    apply_theme(fig, height=height or max(240, 100 + 33 * len(keys)))
    fig.update_layout(margin={"t": 70})
    return fig


def build_hazards_by_month(by_month: pd.DataFrame, *, height: int = 420) -> go.Figure:
    """Found (by found date) against closed (by sign-off date, any year found) per month."""
    months = [f"{m}月" for m in by_month["month"]]
    fig = go.Figure()
    for column, scope, name, colour in (("found", "found", "发现", FOUND_COLOUR),
                                        ("closed", "closed_in_period", "销号", CLOSED_COLOUR)):
        fig.add_bar(x=months, y=[int(v) for v in by_month[column]], name=name,
                    marker_color=colour,
                    customdata=[[scope, "month", int(m)] for m in by_month["month"]],
                    hovertemplate=f"%{{x}} · {name}:%{{y}}项<extra></extra>")
    fig.update_layout(barmode="group", title={"text": "逐月发现与销号", "x": 0, "y": 0.98},
                      clickmode="event+select")
    fig.update_yaxes(title=None, rangemode="tozero")
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 70})
    return fig


def build_open_by_age(by_age: pd.DataFrame, *, height: int = 360) -> go.Figure:
    """Open hidden dangers by days past their deadline, stacked 本年发现 / 往年结转."""
    fig = go.Figure()
    for carried in (False, True):
        rows = by_age[by_age["carried_over"] == carried].set_index("bucket")["open"]
        values = [int(rows.get(b, 0)) for b in HAZARD_AGE_LABELS]
        fig.add_bar(x=list(HAZARD_AGE_LABELS.values()), y=values, name=ORIGIN_NAMES[carried],
                    marker_color=ORIGIN_COLOURS[carried],
                    customdata=[[b, "", ""] for b in HAZARD_AGE_LABELS],
                    text=[v or "" for v in values], textposition="inside", textangle=0,
                    hovertemplate=f"%{{x}} · {ORIGIN_NAMES[carried]}:%{{y}}项<extra></extra>")
    fig.update_layout(barmode="stack", title={"text": "未销号隐患超期时长(含往年结转)", "x": 0, "y": 0.98},
                      clickmode="event+select", legend_traceorder="normal")
    fig.update_yaxes(title=None, rangemode="tozero")
    apply_theme(fig, height=height)
    fig.update_layout(margin={"t": 70})
    return fig


def place_table(summary: pd.DataFrame, *, column: str, names: dict[str, str],
                heading: str) -> pd.DataFrame:
    """Found / closed / closure rate / overdue / major open / not double-reported per unit or
    sector, in the order of `names`, with Chinese headers (`heading` names the first column)."""
    rows = with_closure_rate(summary)
    order = {k: i for i, k in enumerate(names)}
    rows = rows.assign(_order=rows[column].map(order)).sort_values("_order")
    table = pd.DataFrame({
        heading: rows[column].map(names),
        "found": rows["found"], "closed": rows["closed"],
        "closure_rate": [pct_number(r) for r in rows["closure_rate"]],
        "overdue": rows["overdue"], "major_open": rows["major_open"],
        "major_open_not_double_reported": rows["major_open_not_double_reported"],
    })
    return table.rename(columns=RECTIFICATION_COLUMNS)


def _double_report_state(level: str, regulator, congress) -> str:
    if level != "major":
        return ""
    done = [name for name, day in (("监管部门", regulator), ("职代会", congress))
            if day is not None and not pd.isna(day)]
    if len(done) == 2:
        return "已双报告"
    return "未报告" if not done else f"仅报{done[0]}"


def hazard_table(rows: pd.DataFrame, *, unit_names: dict[str, str],
                 sector_names: dict[str, str]) -> pd.DataFrame:
    """Ledger rows from `list_hidden_dangers` for people: Chinese headers and labels."""
    table = pd.DataFrame({
        "code": rows["code"], "enterprise": rows["enterprise"],
        "unit": rows["unit_code"].map(unit_names), "sector": rows["sector_code"].map(sector_names),
        "level": rows["level"].map(HAZARD_LEVELS),
        "category": rows["category"].map(HAZARD_CATEGORIES), "description": rows["description"],
        "found_on": rows["found_on"], "rectify_deadline": rows["deadline"],
        "days_overdue": rows["days_overdue"], "state": rows["state"].map(HAZARD_STATES),
        "closed_on": rows["closed_on"],
        "double_report": [_double_report_state(lv, r, c) for lv, r, c in zip(
            rows["level"], rows["regulator_reported_on"], rows["congress_reported_on"])],
        "regulator_reported_on": rows["regulator_reported_on"],
        "congress_reported_on": rows["congress_reported_on"],
        "responsible_person": rows["responsible_person"], "measure": rows["measure"],
        "source": rows["source"].map(HAZARD_SOURCES),
    })
    return table.rename(columns=RECTIFICATION_COLUMNS)


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for st.dataframe: date columns as YYYY-MM-DD text, a missing date blank (not
    "None"). Downloads keep the real dates."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object and all(
                isinstance(v, dt.date) for v in out[column].dropna()):
            out[column] = [v.isoformat() if isinstance(v, dt.date) else "" for v in out[column]]
    return out
