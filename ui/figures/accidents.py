"""Figures of the accident control page: indicator consumption against time progress (one bar
per unit or sector, worst first) and the cumulative trend of this year against last year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from data_access.accident_rules import progress_within
from ui.downloads import csv_bytes, excel_bytes
from ui.format import pct, pct_number
from ui.labels import ACCIDENT_TEXT, GRADE_ORDER, GRADES
from ui.safe import html_text, md
from ui.theme import LAST_YEAR_COLOUR, STATUS_COLOURS, THIS_YEAR_COLOUR, apply_theme

ROW_HEIGHT = 30

TEXT_COLUMN_X = 0.66  # share of the width for the bars; their figures to the right
MONTHS = list(range(1, 13))
SMALL_COUNT = 8
# The grades a headline beside all accidents (总览, the screen, the brief) names when 493号 puts
# an accident there: those with control indicators, 较大 and worse.
HEADLINE_GRADES = GRADE_ORDER[:3]


def regrade_note(regrades: dict[str, int], grades: tuple[str, ...] = GRADE_ORDER) -> str:
    """"另有1起按条例应为特别重大,待核" for each of `grades` that accidents reported under another
    grade belong to by 493号 (`accidents.count_regrades`), most severe first; '' when none.
    Shown beside any figure counted by reported grade, so that a 0 is never read alone."""
    return ";".join(ACCIDENT_TEXT["regrade"].format(count=regrades[g], grade=GRADES[g])
                    for g in GRADE_ORDER if g in grades and regrades.get(g))


def bar_text(row: pd.Series, unit: str) -> str:
    """'89% · 17/19人 · 本周+1', or '未设定 · 3人' without an indicator."""
    if row["limit"] is None or pd.isna(row["limit"]):
        text = f"未设定 · {row['used']}{unit}"
    else:
        text = f"{pct(row['share'], 0)} · {row['used']}/{row['limit']:.0f}{unit}"
    if row["week_used"]:
        text += f" · 本周+{row['week_used']}"
    return text


def share_ticks(top: float) -> tuple[list[int], list[str]]:
    """The share axis' ticks up to `top` (%): every 50 %, or every 100 % past 200 %; the 100 %
    tick reads "指标 100%" (the dotted line there is the indicator), so no separate label has
    to find room beside the tick labels."""
    step = 50 if top <= 200 else 100
    ticks = list(range(0, int(top) + 1, step))
    return ticks, ["指标 100%" if tick == 100 else f"{tick}%" for tick in ticks]


def build_control_bars(df: pd.DataFrame, *, names: dict[str, str], progress: float,
                       unit: str = "人", selected: str | None = None,
                       height: int | None = None,
                       text_column_x: float = TEXT_COLUMN_X) -> go.Figure:
    """Horizontal bars of indicator consumption (%) from `accident_rules.control_rows`, worst on
    top, coloured by status, with the time-progress line. `customdata` holds the code, so a
    selected bar names its unit or sector; `selected` is drawn solid, the others lighter.
    `text_column_x`: where the figures' column begins (a share of the width; the screen's
    larger type needs more room)."""
    shares = [0.0 if pd.isna(s) else s * 100 for s in df["share"]]
    labels = [html_text(names.get(code, code), 30) for code in df["code"]]
    opacity = [1.0 if selected in (None, code) else 0.45 for code in df["code"]]
    texts = [bar_text(row, unit) for _, row in df.iterrows()]
    top = max([100.0, *shares])
    fig = go.Figure(go.Bar(
        x=shares, y=labels, orientation="h", customdata=list(df["code"]),
        marker={"color": [STATUS_COLOURS[c] for c in df["colour"]], "opacity": opacity,
                "line": {"color": "#1f2933",
                         "width": [2 if code == selected else 0 for code in df["code"]]}},
        text=texts, textposition="none", hovertemplate="%{y}<br>%{text}<extra></extra>"))
    # Without an indicator there is no share: a hatched grey bar across the plot keeps the row
    # (and its deaths, in the figures column) in view.
    unset = [pd.isna(limit) for limit in df["limit"]]
    fig.add_bar(x=[top * 1.05 if none else 0 for none in unset], y=labels, orientation="h",
                customdata=list(df["code"]), marker={"color": "#d5d9de", "pattern": {"shape": "/"}},
                text=texts, textposition="none", hovertemplate="%{y}<br>%{text}<extra></extra>",
                showlegend=False)
    fig.update_layout(barmode="overlay")
    # The figures sit in their own column right of the plot, so no line crosses them.
    fig.update_layout(annotations=[
        {"x": text_column_x, "xref": "paper", "xanchor": "left", "y": label, "yref": "y",
         "text": f"<b>{text}</b>" if code == selected else text, "showarrow": False,
         "font": {"size": 13}}
        for label, text, code in zip(labels, texts, df["code"])
    ])
    fig.add_vline(x=progress * 100, line={"color": "#1f2933", "width": 2, "dash": "dash"})
    fig.add_vline(x=100, line={"color": "#8a8f98", "width": 1, "dash": "dot"})
    fig.add_annotation(x=progress * 100, y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=f"时间进度 {pct(progress)}", font={"size": 13})
    ticks, tick_text = share_ticks(top * 1.05)
    fig.update_xaxes(range=[0, top * 1.05], tickvals=ticks, ticktext=tick_text, showgrid=True,
                     zeroline=False, domain=[0, text_column_x - 0.02],
                     title={"text": f"已用控制指标(%,按{'死亡人数' if unit == '人' else '起数'})",
                            "font": {"size": 12}})
    fig.update_yaxes(autorange="reversed", tickfont={"size": 14})
    apply_theme(fig, height=height or max(260, 60 + ROW_HEIGHT * len(df)), legend=False)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 30, "b": 50}, bargap=0.3,
                      clickmode="event+select", dragmode=False)
    return fig


def cumulative_by_month(df: pd.DataFrame, column: str, last_month: int) -> list[float]:
    """Running total of `column` for months 1..last_month from a by-month summary."""
    values = df.set_index("month")[column] if len(df) else pd.Series(dtype=float)
    series = pd.Series([float(values.get(m, 0)) for m in range(1, last_month + 1)])
    return series.cumsum().tolist()


def build_cumulative_trend(this_year: pd.DataFrame, last_year: pd.DataFrame, *,
                           as_of: dt.date, death_indicator: float | None,
                           height: int = 340) -> go.Figure:
    """Cumulative accidents and deaths by month: this year to `as_of` against the whole of last
    year, and (when set) the death indicator spread evenly over the year."""
    year = as_of.year
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=("累计事故起数(起)", "累计死亡人数(人)"))
    labels = [f"{m}月" for m in MONTHS]
    for col, column in ((1, "accidents"), (2, "deaths")):
        last_values = cumulative_by_month(last_year, column, 12)
        this_values = cumulative_by_month(this_year, column, as_of.month)
        if max([*last_values, *this_values]) < SMALL_COUNT:  # whole numbers only on the axis
            fig.update_yaxes(dtick=1, row=1, col=col)
        fig.add_trace(go.Scatter(
            x=labels, y=last_values, name=f"{year - 1}年",
            mode="lines+markers", line={"color": LAST_YEAR_COLOUR, "width": 2, "dash": "dash"},
            legendgroup="last", showlegend=col == 1), row=1, col=col)
        fig.add_trace(go.Scatter(
            x=labels[:as_of.month], y=this_values,
            name=f"{year}年(截至{as_of.month}月{as_of.day}日)", mode="lines+markers",
            line={"color": THIS_YEAR_COLOUR, "width": 3}, legendgroup="this",
            showlegend=col == 1), row=1, col=col)
    if death_indicator is not None:
        pace = [death_indicator * progress_within(year, _month_end(year, m)) for m in MONTHS]
        fig.add_trace(go.Scatter(
            x=labels, y=pace, name=f"死亡控制指标按时间进度({death_indicator:.0f}人/年)",
            mode="lines", line={"color": STATUS_COLOURS["red"], "width": 1.5, "dash": "dot"}),
            row=1, col=2)
    apply_theme(fig, height=height)
    fig.update_layout(legend={"y": 1.12}, margin={"l": 10, "r": 10, "t": 70, "b": 10})
    fig.update_yaxes(rangemode="tozero")
    return fig


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


# ---- tables (DataFrame in, display DataFrame with Chinese headers out) ---------------------
NOT_SET = "未设定"
STATUS_MARKS = {"red": "🔴", "amber": "🟡", "green": "🟢", "grey": "⚪"}


def status_text(colour: str, label: str) -> str:
    return f"{STATUS_MARKS[colour]} {label}"


def control_table(deaths: pd.DataFrame, counts: pd.DataFrame | None, *,
                  names: dict[str, str]) -> pd.DataFrame:
    """The by-unit or by-sector table, in the order of `deaths` (worst first): deaths against
    their indicator with the week's change, and (for units) accidents against theirs.
    Indicators read 未设定 where none is set; percentages are numbers in %, None without one."""
    def pct_or_none(value):
        return None if value is None or pd.isna(value) else pct_number(float(value))

    def limit_text(value):
        return NOT_SET if value is None or pd.isna(value) else f"{value:.0f}"

    table = pd.DataFrame({
        "code": deaths["code"],
        "name": [names.get(c, c) for c in deaths["code"]],
        "used_deaths": deaths["used"],
        "limit_deaths": [limit_text(v) for v in deaths["limit"]],
        "share_deaths": [pct_or_none(v) for v in deaths["share"]],
        "status_deaths": [status_text(c, s) for c, s in zip(deaths["colour"], deaths["status_label"])],
        "week_deaths": deaths["week_used"],
        "week_share_deaths": [pct_or_none(v) for v in deaths["week_share"]],
        "previous_status_deaths": deaths["previous_status_label"],
    })
    if counts is not None:
        by_code = counts.set_index("code")
        table["used_accidents"] = [int(by_code.at[c, "used"]) for c in table["code"]]
        table["limit_accidents"] = [limit_text(by_code.at[c, "limit"]) for c in table["code"]]
        table["share_accidents"] = [pct_or_none(by_code.at[c, "share"]) for c in table["code"]]
        table["status_accidents"] = [status_text(by_code.at[c, "colour"], by_code.at[c, "status_label"])
                                     for c in table["code"]]
    return table.drop(columns="code")


def accident_list_table(df: pd.DataFrame, *, unit_names: dict[str, str],
                        sector_names: dict[str, str], grades: dict[str, str],
                        mismatch: str) -> pd.DataFrame:
    """The accident list for display and download, codes replaced by Chinese names; the
    等级核对 column says where the reported grade differs from the rule's."""
    out = pd.DataFrame({
        "code": df["code"],
        "occurred_at": pd.to_datetime(df["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "unit": df["unit_code"].map(lambda c: unit_names.get(c, c)),
        "enterprise": df["enterprise"].fillna("—"),
        "sector": df["sector_code"].map(lambda c: sector_names.get(c, c)),
        "grade": df["grade"].map(lambda g: grades.get(g, g)),
        "rule_grade": df["rule_grade"].map(lambda g: grades.get(g, g)),
        "grade_check": [mismatch.format(rule=grades.get(r, r)) if r != g else ""
                        for g, r in zip(df["grade"], df["rule_grade"])],
        "deaths": df["deaths"].astype(int),
        "serious_injuries": df["serious_injuries"].astype(int),
        "direct_loss_wan": df["direct_loss_wan"].astype(float).round(2),
        "summary": df["summary"],
    })
    return out


def export_files(table: pd.DataFrame, headers: dict[str, str]
                 ) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """Builders of the displayed list as CSV (UTF-8 with BOM, so Excel reads the Chinese) and
    as .xlsx, with Chinese column headers: each file is written only when it is asked for."""
    export = table.rename(columns=headers)
    return partial(csv_bytes, export), partial(excel_bytes, export, sheet="事故明细")


def quality_note(mismatches: pd.DataFrame, *, unit_names: dict[str, str],
                 grades: dict[str, str], text: dict[str, str], shown: int = 3) -> str:
    """The data-quality note (markdown) for records whose reported grade differs from the rule."""
    items = [text["quality_item"].format(
        code=md(r.code), date=f"{r.occurred_at.year}年{r.occurred_at.month}月{r.occurred_at.day}日",
        unit=md(unit_names.get(r.unit_code, r.unit_code)), reported=grades[r.grade],
        rule=grades[r.rule_grade], deaths=r.deaths, injuries=r.serious_injuries,
        loss=f"{float(r.direct_loss_wan):,.2f}") for r in mismatches.head(shown).itertuples()]
    lines = [text["quality_note"].format(count=len(mismatches)), *(f"- {i}" for i in items)]
    if len(mismatches) > shown:
        lines.append(text["quality_more"].format(count=len(mismatches) - shown))
    return "\n".join(lines)
