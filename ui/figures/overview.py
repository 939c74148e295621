"""Pure builders for the overview: the scorecard as a compact HTML table (coloured status chips,
the line's rule on hover) and the by-unit monitoring table as a styled DataFrame.

The HTML holds text from `ui/labels.py`, the year's plan (line names, section titles: data the
data admin imports) and numbers formatted here; every piece is escaped. Each row carries `data-code` and `data-status` so tests can find it.
"""

from __future__ import annotations

import html
import math

import pandas as pd
from pandas.io.formats.style import Styler

from data_access.scorecard import (
    COUNTED_RULES,
    MONITORING_RATES,
    NO_PLAN,
    STATUSES,
    rate_status,
)
from ui.format import pct, pct_number
from ui.labels import (
    MONITORING_COLUMNS,
    SCORECARD_COMPARE_HEADERS,
    SCORECARD_DEFINITIONS,
    SCORECARD_HEADERS,
    SCORECARD_NO_DATA,
    SCORECARD_RULES,
    SCORECARD_RULES_WITH_TARGET,
    SCORECARD_STATUSES,
    SCORECARD_TABLE_NAMES,
    SCORECARD_TEXT,
    TABLE_NAMES,
)
from ui.theme import FONT_FAMILY, STATUS_COLOURS

STATUS_THEME = {"met": "green", "pending": "blue", "warning": "amber", "missed": "red",
                "no_data": "grey"}
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


def _counted(row: pd.Series) -> bool:
    """A count (zero and control lines, indicators), not a share."""
    return row["rule"] in COUNTED_RULES or row["kind"] == "indicator"


def format_number(number: float) -> str:
    return f"{number:g}"


def format_value(row: pd.Series) -> str:
    if _counted(row):
        if _missing(row["numerator"]):
            return SCORECARD_STATUSES["no_data"]
        return f"{int(row['numerator'])}{row['unit']}"
    return format_rate(row["numerator"], row["denominator"])


def format_expected(row: pd.Series) -> str:
    """What a progress line should have reached by the date: a share (应达 90.1%), or for an
    indicator the count (应达 4.5处)."""
    if row["kind"] == "indicator":
        return f"{row['expected'] * row['target']:.1f}{row['unit']}"
    return format_share(row["expected"])


def format_counts(row: pd.Series) -> str:
    """The numerator and denominator behind a rate (e.g. 147/150); for a control line the share
    of its indicator used (已用 87.5%); empty for other counts."""
    if row["rule"] == "control":
        return ("" if _missing(row["denominator"]) or not row["denominator"] else
                SCORECARD_TEXT["used"].format(share=format_share(row["numerator"]
                                                                 / row["denominator"])))
    if (_counted(row) or _missing(row["numerator"]) or _missing(row["denominator"])
            or not row["denominator"]):
        return ""
    if row["measure"] == "risk_census":
        return ""
    return f"{int(row['numerator'])}/{int(row['denominator'])}"


def format_target(row: pd.Series) -> str:
    """The plan's target in its unit of measure (100%, 0起, 30处), a control line's
    indicator (未设定 when not entered); — without a plan."""
    if row["rule"] == "control" and _missing(row["target"]) and row.get("reason") != NO_PLAN:
        return SCORECARD_TEXT["not_set"]  # the year's 控制指标 not entered in 目标管理
    if _missing(row["target"]):
        return SCORECARD_TEXT["no_value"]
    if _counted(row):
        return f"{format_number(row['target'])}{row['unit']}"
    return f"{format_number(round(row['target'] * 100, 2))}%"


def format_change(row: pd.Series) -> str:
    """+1.2个百分点 / −1起 / 持平 / 无历史 / —."""
    if not row["has_history"]:
        return SCORECARD_TEXT["no_history"]
    change = row["change"]
    if _missing(change):
        return SCORECARD_TEXT["no_value"]
    if _counted(row) and row["kind"] == "indicator":
        change = change * row["target"]  # an indicator's value is count ÷ target
    if _counted(row):
        count = int(round(change))
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


def rule_text(row: pd.Series) -> str:
    """The rule's wording: the standard text for the standard targets (100%, 0), else the
    wording with the plan's target."""
    standard = row["rule"] == "control" or (row["rule"] == "zero" and row["target"] == 0) or (
        row["rule"] != "zero" and row["kind"] != "indicator" and row["target"] == 1)
    if standard or _missing(row["target"]):
        return SCORECARD_RULES[row["rule"]]
    return SCORECARD_RULES_WITH_TARGET[row["rule"]].format(target=format_target(row))


def no_data_text(row: pd.Series) -> str:
    """Why a line reads 无数据: its missing tables, the year without a plan, a rule the measure
    does not allow, or nothing to measure in the scope; empty when it has a value."""
    missing = missing_tables_text(row.get("missing_tables"))
    if missing:
        return missing
    reason = row.get("reason")
    if not isinstance(reason, str):
        return ""
    text = SCORECARD_NO_DATA[reason]
    problem = row.get("problem")
    return f"{text}:{problem}" if isinstance(problem, str) and problem else text


def line_help(row: pd.Series) -> str:
    definition = SCORECARD_DEFINITIONS.get(row["measure"], "")
    parts = [definition, rule_text(row), no_data_text(row)]
    return "\n".join(p for p in parts if p)


def verdict_word(row: pd.Series, column: str = "verdict") -> str | None:
    """A control line's own word (正常/预警/超进度/超标), else None (the status's word)."""
    word = row.get(column)
    return None if _missing(word) else str(word)


def screen_sections(df: pd.DataFrame) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The plan's sections for the screen, where the scorecard does not fit on one view: the
    first half under the overview's tiles, the second half on a view of its own, each half
    split in two columns (split_sections)."""
    first, second = split_sections(df)
    return tuple(split_sections(df[df["section"].isin(half)]) for half in (first, second))


def split_sections(df: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The plan's sections in order, split in two columns of about equal lines: the split
    whose longer column is shortest (the earliest such split on a tie)."""
    sections = list(dict.fromkeys(df["section"]))
    sizes = [int((df["section"] == s).sum()) for s in sections]
    total = sum(sizes)
    cut = min(range(1, len(sections) + 1),
              key=lambda i: max(sum(sizes[:i]), total - sum(sizes[:i])), default=0)
    return tuple(sections[:cut]), tuple(sections[cut:])


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


def _chip(status: str, previous: bool = False, word: str | None = None) -> str:
    """A status chip: the scorecard's word for the status, or a control line's own `word`."""
    colour = STATUS_HEX[status]
    style = f"color:{colour};border-color:{colour}" if previous else f"background:{colour}"
    css = f"sc-chip sc-prev sc-{status}" if previous else f"sc-chip sc-{status}"
    return (f'<span class="{css}" style="{style}">'
            f"{html.escape(word or SCORECARD_STATUSES[status])}</span>")


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
        title = part["section_title"].iloc[0]
        if isinstance(title, str) and title and title != section:
            body.append(f'<tr class="sc-section"><td colspan="6">{e(title)}</td></tr>')
        for _, row in part.iterrows():
            counts = format_counts(row)
            missing = missing_tables_text(row.get("missing_tables"))
            help_text = line_help(row)
            target = format_target(row)
            due = {"control": "time", "progress": "expected"}.get(row["rule"])
            if due and not _missing(row["expected"]) and not (
                    row["rule"] == "control" and (_missing(row["target"]) or not row["target"])):
                share = format_share(row["expected"]) if due == "time" else format_expected(row)
                target += f"<small>{e(SCORECARD_TEXT[due].format(share=share))}</small>"
            previous = (_chip(row["previous_status"], previous=True,
                              word=verdict_word(row, "previous_verdict"))
                        if row["has_history"] else SCORECARD_TEXT["no_value"])
            body.append(
                f'<tr data-code="{e(row["code"])}" data-status="{e(row["status"])}" '
                f'title="{e(help_text)}">'
                f'<td class="sc-name">{e(row["name"])}</td>'
                f'<td class="sc-num"><span class="sc-value">{e(format_value(row))}</span>'
                f'{f"<small>{e(missing or counts)}</small>" if missing or counts else ""}</td>'
                f'<td class="sc-target">{target}</td>'
                f"<td>{_chip(row['status'], word=verdict_word(row))}</td>"
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


def compare_years_table(current: pd.DataFrame, last: pd.DataFrame) -> pd.DataFrame:
    """This year's scorecard beside last year's at the same day, matched by measure: this
    year's lines in order, then the measures only last year's plan had. Each side shows the
    value, target and status under its own year's plan; — where a plan has no such line."""
    h = SCORECARD_COMPARE_HEADERS
    before = {row["measure"]: row for _, row in last.iterrows()}
    rows = []

    def side(row: pd.Series | None) -> list[str]:
        if row is None:
            return [SCORECARD_TEXT["no_value"]] * 3
        return [format_value(row), format_target(row),
                verdict_word(row) or SCORECARD_STATUSES[row["status"]]]

    for _, row in current.iterrows():
        rows.append([row["name"], *side(row), *side(before.get(row["measure"]))])
    shown = set(current["measure"])
    for _, row in last.iterrows():
        if row["measure"] not in shown:
            rows.append([row["name"], *side(None), *side(row)])
    return pd.DataFrame(rows, columns=[h["name"], h["value"], h["target"], h["status"],
                                       h["last_value"], h["last_target"], h["last_status"]])
