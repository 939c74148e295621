"""Pure builders for the overview: the scorecard as a compact HTML table (coloured status chips,
the line's rule on hover) and the by-unit monitoring table as a styled DataFrame.

The HTML holds only text from `ui/labels.py` and numbers formatted here; every piece is
escaped all the same. Each row carries `data-code` and `data-status` so tests can find it.
"""

from __future__ import annotations

import html
import math

import pandas as pd
from pandas.io.formats.style import Styler

from data_access.scorecard import LINES_BY_CODE, MONITORING_RATES, STATUSES, rate_status
from ui.format import pct, pct_number
from ui.labels import (
    MONITORING_COLUMNS,
    SCORECARD_DEFINITIONS,
    SCORECARD_HEADERS,
    SCORECARD_LINES,
    SCORECARD_RULES,
    SCORECARD_SECTIONS,
    SCORECARD_STATUSES,
    SCORECARD_TABLE_NAMES,
    SCORECARD_TEXT,
    TABLE_NAMES,
)
from ui.theme import FONT_FAMILY, STATUS_COLOURS

STATUS_THEME = {"met": "green", "warning": "amber", "missed": "red", "no_data": "grey"}
STATUS_HEX = {status: STATUS_COLOURS[STATUS_THEME[status]] for status in STATUSES}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_rate(numerator, denominator) -> str:
    """Tenths of a percent, rounded down, from whole counts (99.96% reads 99.9%, never 100.0%)."""
    if _missing(numerator) or _missing(denominator) or not denominator:
        return SCORECARD_STATUSES["no_data"]
    tenths = int(numerator) * 1000 // int(denominator)
    return f"{tenths // 10}.{tenths % 10}%"


def format_share(share: float | None) -> str:
    return SCORECARD_STATUSES["no_data"] if _missing(share) else pct(share)


def format_value(row: pd.Series) -> str:
    if row["rule"] == "zero":
        if _missing(row["value"]):
            return SCORECARD_STATUSES["no_data"]
        return f"{int(row['value'])}{row['unit']}"
    return format_rate(row["numerator"], row["denominator"])


def format_counts(row: pd.Series) -> str:
    """The numerator and denominator behind a rate (e.g. 147/150), empty for zero lines."""
    if (row["rule"] == "zero" or _missing(row["numerator"]) or _missing(row["denominator"])
            or not row["denominator"]):
        return ""
    if row["code"] == "risk_census":
        return ""
    return f"{int(row['numerator'])}/{int(row['denominator'])}"


def format_target(row: pd.Series) -> str:
    if row["rule"] == "zero":
        return f"0{row['unit']}"
    return pct(row["target"], 0)


def format_change(row: pd.Series) -> str:
    """+1.2个百分点 / −1起 / 持平 / 无历史 / —."""
    if not LINES_BY_CODE[row["code"]].has_history:
        return SCORECARD_TEXT["no_history"]
    change = row["change"]
    if _missing(change):
        return SCORECARD_TEXT["no_value"]
    if row["rule"] == "zero":
        count = int(change)
        return SCORECARD_TEXT["unchanged"] if count == 0 else f"{count:+d}{row['unit']}".replace(
            "-", "−")
    points = pct_number(change)
    if points == 0:
        return SCORECARD_TEXT["unchanged"]
    return f"{points:+.1f}{SCORECARD_TEXT['points']}".replace("-", "−")


def missing_tables_text(tables) -> str:
    """"缺少数据表:煤矿瓦斯事件" for a line whose tables the database lacks; else empty."""
    if not isinstance(tables, tuple | list) or not tables:
        return ""
    names = "、".join(SCORECARD_TABLE_NAMES.get(t) or TABLE_NAMES.get(t, t) for t in tables)
    return SCORECARD_TEXT["missing_tables"].format(tables=names)


def line_help(code: str, rule: str) -> str:
    return f"{SCORECARD_DEFINITIONS[code]}\n{SCORECARD_RULES[rule]}"


_CSS = f"""
<style>
.sc-table {{ width: 100%; border-collapse: collapse; font-family: {FONT_FAMILY};
  font-size: 15px; line-height: 1.25; }}
.sc-table th {{ text-align: left; font-weight: 600; color: #555c66; font-size: 13px;
  border-bottom: 2px solid #d8dde3; padding: 3px 6px; white-space: nowrap; }}
.sc-table td {{ padding: 3px 6px; border-bottom: 1px solid #eceff2; white-space: nowrap; }}
.sc-table tr.sc-section td {{ background: #f3f5f8; font-weight: 700; color: #1f3b57;
  font-size: 14px; padding-top: 5px; }}
.sc-table td.sc-name {{ white-space: normal; cursor: help; }}
.sc-table td.sc-num {{ text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }}
.sc-table td.sc-target, .sc-table td.sc-change {{ text-align: right; color: #3d4550; }}
.sc-table small {{ color: #7a828c; font-weight: 400; font-size: 12px; margin-left: 4px; }}
.sc-chip {{ display: inline-block; min-width: 3.2em; text-align: center; border-radius: 10px;
  padding: 1px 8px; color: #fff; font-size: 13px; font-weight: 600; }}
.sc-chip.sc-prev {{ background: transparent !important; border: 1.5px solid; font-weight: 500; }}
</style>
"""


def _chip(status: str, previous: bool = False) -> str:
    colour = STATUS_HEX[status]
    style = f"color:{colour};border-color:{colour}" if previous else f"background:{colour}"
    css = "sc-chip sc-prev" if previous else "sc-chip"
    return (f'<span class="{css}" style="{style}">'
            f"{html.escape(SCORECARD_STATUSES[status])}</span>")


def build_scorecard_html(df: pd.DataFrame, sections: tuple[str, ...]) -> str:
    """The scorecard lines of `sections` (a `compare_weeks` frame) as one HTML table."""
    e = html.escape
    head = "".join(f"<th>{e(SCORECARD_HEADERS[k])}</th>" for k in
                   ("name", "value", "target", "status", "change", "previous_status"))
    body = []
    for section in sections:
        part = df[df["section"] == section]
        if part.empty:
            continue
        body.append(f'<tr class="sc-section"><td colspan="6">{e(SCORECARD_SECTIONS[section])}'
                    "</td></tr>")
        for _, row in part.iterrows():
            counts = format_counts(row)
            missing = missing_tables_text(row.get("missing_tables"))
            help_text = line_help(row["code"], row["rule"]) + (f"\n{missing}" if missing else "")
            target = format_target(row)
            if row["rule"] == "progress" and not _missing(row["expected"]):
                target += f"<small>{e(SCORECARD_TEXT['expected'].format(share=format_share(row['expected'])))}</small>"
            previous = (_chip(row["previous_status"], previous=True)
                        if LINES_BY_CODE[row["code"]].has_history else SCORECARD_TEXT["no_value"])
            body.append(
                f'<tr data-code="{e(row["code"])}" data-status="{e(row["status"])}" '
                f'title="{e(help_text)}">'
                f'<td class="sc-name">{e(SCORECARD_LINES[row["code"]])}</td>'
                f'<td class="sc-num"><span class="sc-value">{e(format_value(row))}</span>'
                f'{f"<small>{e(missing or counts)}</small>" if missing or counts else ""}</td>'
                f'<td class="sc-target">{target}</td>'
                f"<td>{_chip(row['status'])}</td>"
                f'<td class="sc-change">{e(format_change(row))}</td>'
                f"<td>{previous}</td></tr>")
    return f'{_CSS}<table class="sc-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def monitoring_table(df: pd.DataFrame, unit_names: dict[str, str]) -> Styler:
    """Per unit: the four monitoring rates (coloured by the 100% rule) and alarm counts."""
    table = pd.DataFrame({MONITORING_COLUMNS["unit"]: df["unit_code"].map(unit_names)})
    colours = pd.DataFrame({MONITORING_COLUMNS["unit"]: ""}, index=df.index)
    for rate, (numerator, denominator) in MONITORING_RATES.items():
        column = MONITORING_COLUMNS[rate]
        table[column] = [format_rate(n, d) for n, d in zip(df[numerator], df[denominator])]
        colours[column] = [f"color: {STATUS_HEX[rate_status(None if _missing(v) else v)]}; "
                           "font-weight: 600" for v in df[rate]]
    table[MONITORING_COLUMNS["alarms"]] = df["alarms"].astype(int)
    colours[MONITORING_COLUMNS["alarms"]] = ""
    over = MONITORING_COLUMNS["alarms_over_24h"]
    table[over] = df["alarms_over_24h"].astype(int)
    colours[over] = [f"color: {STATUS_HEX['missed' if v > 0 else 'met']}; font-weight: 600"
                     for v in table[over]]
    return table.style.apply(lambda _: colours, axis=None)
