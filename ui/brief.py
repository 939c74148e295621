"""The weekly brief (周报): a Word document a bureau can circulate and an Excel workbook with the
tables behind it, built from the database for an as-of date, a previous review date and a unit.

    python -m ui.brief --as-of 2022-11-25 [--since 2022-11-18] [--unit 140423] [--out-dir out]

writes `out/weekly-brief-2022-11-25.docx` and `.xlsx` (a unit adds `-<code>` to the name).

`collect_brief_data(conn, …)` reads everything (through data_access only); `render_docx` and
`render_xlsx` turn it into bytes; `build_brief` does all three. No Streamlit here: the overview
page calls these through `ui.weekly.render_brief_downloads`.

Charts are the dashboard's own plotly builders exported as PNG with kaleido, which needs a
Chromium (Debian's, via BROWSER_PATH) and CJK fonts (fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from data_access import accident_rules as rules
from data_access import accidents, catalog, forecast, mining, rectification, targets, weekly
from data_access._sql import CITY_CODE, year_start
from data_access.scorecard import STATUSES
from ui.downloads import excel_book
from ui.figures.accidents import (
    HEADLINE_GRADES,
    build_control_bars,
    build_cumulative_trend,
    regrade_note,
)
from ui.figures.mining import build_trajectory
from ui.figures.overview import (
    STATUS_HEX,
    format_change,
    format_target,
    format_value,
    verdict_word,
)
from ui.figures.rectification import build_hazards_by_month
from ui.format import cn_date, pct
from ui.labels import (
    BRIEF_COLUMNS,
    BRIEF_SHEETS,
    BRIEF_TEXT,
    CITY_NAME,
    DRILL_KINDS,
    FACE_TYPES,
    GRADES,
    HAZARD_STATES,
    PROGRAMMES,
    SAMPLE_BADGE_HELP,
    SCORECARD_RULES,
    SCORECARD_STATUSES,
    WEEKLY_CHANGES,
)

os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")

T = BRIEF_TEXT
BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "SimSun", "SimHei", "KaiTi"
TEXT_WIDTH_CM = 16.0
CHART_WIDTH_PX = 900
CHART_FONT_SIZE = 16
LARGER_OR_WORSE = ("larger", "major", "extra_major")


# ---- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BriefFiles:
    docx: bytes
    xlsx: bytes
    name: str  # file stem, e.g. weekly-brief-2022-11-25


@dataclass
class BriefData:
    """Everything the brief shows, read once."""
    as_of: dt.date
    since: dt.date
    unit: str | None
    is_sample: bool
    unit_names: dict[str, str]
    sector_names: dict[str, str]
    year: dict[str, int]            # year-to-date counts (see `collect_brief_data`)
    week: dict[str, int]            # `weekly.summarize_week`
    regrades: dict[str, int]        # `accidents.count_regrades`: what 493号 would add per grade
    death_limit: float | None
    accident_limit: float | None
    face_target: float | None
    progress: float                 # 时间进度 at as_of
    tasks_total: int
    hazard_summary: dict[str, int]  # `rectification.summarize_hidden_dangers` (one row)
    scorecard: pd.DataFrame         # `weekly.compare_scorecard`
    new_accidents: pd.DataFrame
    task_changes: pd.DataFrame
    major_changes: pd.DataFrame
    faces_accepted: pd.DataFrame
    milestones: pd.DataFrame
    drills: pd.DataFrame
    unit_control: pd.DataFrame      # `accident_rules.control_rows` of deaths by unit
    accidents_by_month: pd.DataFrame
    accidents_last_year: pd.DataFrame
    hazards_by_month: pd.DataFrame
    faces_by_month: pd.DataFrame
    face_forecast: forecast.Forecast
    figures: list[tuple[str, go.Figure]] = field(default_factory=list)

    @property
    def scope_name(self) -> str:
        return CITY_NAME if self.unit is None else self.unit_names.get(self.unit, self.unit)

    @property
    def week_start(self) -> dt.date:
        return weekly.week_bounds(since=self.since, as_of=self.as_of)[0]

    @property
    def scorecard_changes(self) -> pd.DataFrame:
        return weekly.status_changes(self.scorecard)


def brief_name(as_of: dt.date, unit: str | None = None) -> str:
    """weekly-brief-2022-11-25, or weekly-brief-2022-11-25-140423 for one unit."""
    suffix = "" if unit is None or unit == CITY_CODE else f"-{unit}"
    return f"weekly-brief-{as_of.isoformat()}{suffix}"


def _as_dict(row: pd.Series) -> dict[str, int]:
    return {name: int(value) for name, value in row.items()}


def collect_brief_data(conn, *, as_of: dt.date, since: dt.date | None = None,
                       unit: str | None = None) -> BriefData:
    """Read the brief's figures for `as_of`, the week after `since` (default: as_of − 7 days)
    and `unit` (None or the city code: whole city)."""
    unit = None if unit == CITY_CODE else unit
    since = since or weekly.default_since(as_of)
    year = as_of.year
    units = catalog.list_units(conn)
    unit_names = dict(zip(units["code"], units["name"]))
    sectors = catalog.list_sectors(conn)
    sector_names = dict(zip(sectors["code"], sectors["name"]))
    goals = targets.list_targets(conn, year=year,
                                 metrics=("deaths", "accidents_total", "intelligent_faces"))

    totals = accidents.count_accidents(conn, as_of=as_of, unit=unit)
    by_grade = accidents.summarize_accidents(conn, by="grade", as_of=as_of, unit=unit)
    before_year = year_start(as_of) - dt.timedelta(days=1)
    hazards_ytd = weekly.count_hazard_changes(conn, since=before_year, as_of=as_of, unit=unit)
    tasks = rectification.list_key_tasks(conn, as_of=as_of, previous_review=since)
    by_stage = mining.count_faces_by_stage(conn, as_of=as_of, unit=unit)
    face_target = targets.pick_target(goals, "intelligent_faces", unit=unit)
    outlook = forecast.forecast_progress(
        mining.list_acceptance_dates(conn, as_of=as_of, unit=unit), as_of=as_of,
        target=face_target, ceiling=int(by_stage["faces"].sum()))
    new_accidents = weekly.list_new_accidents(conn, since=since, as_of=as_of, unit=unit)

    year_counts = {
        "accidents": int(totals["accidents"]),
        "deaths": int(totals["deaths"]),
        "larger_accidents": int(by_grade.loc[by_grade["grade"].isin(LARGER_OR_WORSE),
                                             "accidents"].sum()),
        "tasks_completed": int((tasks["status"] == "completed").sum()),
        "tasks_overdue": int((tasks["status"] == "overdue").sum()),
        "hazards_found": hazards_ytd["found"],
        "hazards_closed": hazards_ytd["closed"],
        "major_opened": hazards_ytd["major_opened"],
        "major_closed": hazards_ytd["major_closed"],
        "faces_built": outlook.built,
        "drills": len(weekly.list_drills_held(conn, since=before_year, as_of=as_of, unit=unit)),
    }
    week = weekly.summarize_week(conn, since=since, as_of=as_of, unit=unit)
    week["larger_accidents"] = int(new_accidents["grade"].isin(LARGER_OR_WORSE).sum())

    progress = rules.time_progress(as_of)
    # One unit's brief ranks that unit alone: it carries no other unit's figures.
    unit_codes = [c for c in units["code"] if c != CITY_CODE] if unit is None else [unit]
    now = accidents.summarize_accidents(conn, by="unit_code", as_of=as_of).set_index("unit_code")
    old = accidents.summarize_accidents(conn, by="unit_code", as_of=since,
                                        start=year_start(as_of)).set_index("unit_code")
    limits = rules.limits_by(goals, "deaths", unit_codes, by="unit")
    shown = [c for c in unit_codes if limits[c] is not None or c in now.index]
    unit_control = rules.control_rows(
        shown, used=now["deaths"].to_dict(), previous=old["deaths"].to_dict(), limits=limits,
        progress=progress, previous_progress=rules.progress_within(year, since))

    return BriefData(
        as_of=as_of, since=since, unit=unit, is_sample=catalog.is_sample_dataset(conn),
        unit_names=unit_names, sector_names=sector_names, year=year_counts, week=week,
        regrades=accidents.count_regrades(conn, as_of=as_of, unit=unit),
        death_limit=targets.pick_target(goals, "deaths", unit=unit),
        accident_limit=targets.pick_target(goals, "accidents_total", unit=unit),
        face_target=face_target, progress=progress, tasks_total=len(tasks),
        hazard_summary=_as_dict(rectification.summarize_hidden_dangers(
            conn, as_of=as_of, unit=unit).iloc[0]),
        scorecard=weekly.compare_scorecard(conn, since=since, as_of=as_of, unit=unit),
        new_accidents=new_accidents,
        task_changes=weekly.list_task_changes(conn, since=since, as_of=as_of),
        major_changes=weekly.list_major_hazard_changes(conn, since=since, as_of=as_of, unit=unit),
        faces_accepted=weekly.list_faces_accepted(conn, since=since, as_of=as_of, unit=unit),
        milestones=weekly.list_milestones_achieved(conn, since=since, as_of=as_of, unit=unit),
        drills=weekly.list_drills_held(conn, since=since, as_of=as_of, unit=unit),
        unit_control=unit_control,
        accidents_by_month=accidents.summarize_accidents(conn, by="month", as_of=as_of,
                                                         unit=unit),
        accidents_last_year=accidents.summarize_accidents(
            conn, by="month", as_of=dt.date(year - 1, 12, 31), unit=unit),
        hazards_by_month=rectification.count_hidden_dangers_by_month(conn, as_of=as_of,
                                                                     unit=unit),
        faces_by_month=mining.count_faces_by_month(conn, as_of=as_of, unit=unit),
        face_forecast=outlook,
    )


# ---- text ----------------------------------------------------------------------------------
def _share(part: float, whole: float | None) -> str:
    return "—" if not whole else pct(part / whole)


def _limit_note(limit: float | None, used: int, unit_word: str, progress: float) -> str:
    if limit is None:
        return T["limit_unset"]
    return T["limit"].format(limit=f"{limit:.0f}{unit_word}", share=_share(used, limit),
                             progress=pct(progress),
                             status=rules.control_status(used, limit, progress).label)


def key_figures(data: BriefData) -> pd.DataFrame:
    """表1: item, year (to date), week, unit word, note. Numbers stay numbers (for Excel)."""
    y, w, h = data.year, data.week, data.hazard_summary
    closure = _share(h["closed"], h["found"])
    face_note = (T["faces_target_unset"] if data.face_target is None else
                 T["faces_target"].format(target=f"{data.face_target:.0f}",
                                          share=_share(y["faces_built"], data.face_target)))
    rows = [
        ("accidents", y["accidents"], w["accidents"], "起",
         _limit_note(data.accident_limit, y["accidents"], "起", data.progress)),
        ("deaths", y["deaths"], w["deaths"], "人",
         _limit_note(data.death_limit, y["deaths"], "人", data.progress)),
        ("larger_accidents", y["larger_accidents"], w["larger_accidents"], "起",
         T["zero_controlled"]),
        ("tasks_completed", y["tasks_completed"], w["tasks_completed"], "项",
         T["tasks_note"].format(total=data.tasks_total)),
        ("tasks_overdue", y["tasks_overdue"], w["tasks_newly_overdue"], "项", T["city_wide"]),
        ("hazards_found", y["hazards_found"], w["hazards_found"], "项",
         T["closure_note"].format(rate=closure, overdue=h["overdue"])),
        ("hazards_closed", y["hazards_closed"], w["hazards_closed"], "项", T["closed_note"]),
        ("major_opened", y["major_opened"], w["major_opened"], "项",
         T["major_open_note"].format(open=h["major_open"])),
        ("major_closed", y["major_closed"], w["major_closed"], "项", ""),
        ("faces", y["faces_built"], w["faces_accepted"], "处", face_note),
        ("drills", y["drills"], w["drills"], "次", ""),
    ]
    return pd.DataFrame(rows, columns=["item", "year", "week", "unit", "note"])


def status_counts(scorecard: pd.DataFrame) -> dict[str, int]:
    return {status: int((scorecard["status"] == status).sum()) for status in STATUSES}


def summary_paragraph(data: BriefData) -> str:
    """一、总体情况: the key numbers in one paragraph."""
    y, w, h = data.year, data.week, data.hazard_summary
    counts = status_counts(data.scorecard)
    deaths_part = (T["deaths_unset"] if data.death_limit is None else T["deaths_share"].format(
        share=_share(y["deaths"], data.death_limit), progress=pct(data.progress)))
    faces_part = ("" if data.face_target is None else T["faces_part"].format(
        target=f"{data.face_target:.0f}", share=_share(y["faces_built"], data.face_target)))
    return T["summary"].format(
        as_of=cn_date(data.as_of), scope=data.scope_name, accidents=y["accidents"],
        deaths=y["deaths"], deaths_part=deaths_part, start=cn_date(data.week_start),
        regrade_part=(f"（{note}）" if (note := regrade_note(data.regrades, HEADLINE_GRADES))
                      else ""),
        end=cn_date(data.as_of), week_accidents=w["accidents"], week_deaths=w["deaths"],
        tasks=data.tasks_total, completed=y["tasks_completed"], overdue=y["tasks_overdue"],
        week_completed=w["tasks_completed"], week_overdue=w["tasks_newly_overdue"],
        found=h["found"], closure=_share(h["closed"], h["found"]), hazards_overdue=h["overdue"],
        week_found=w["hazards_found"], week_closed=w["hazards_closed"],
        major_opened=w["major_opened"], major_closed=w["major_closed"],
        faces=y["faces_built"], faces_part=faces_part, week_faces=w["faces_accepted"],
        lines=len(data.scorecard), met=counts["met"], pending=counts["pending"],
        warning=counts["warning"],
        missed=counts["missed"], no_data=counts["no_data"], changed=w["scorecard_changed"])


# ---- tables as DataFrames (Chinese headers; shared by Word and Excel) ------------------------
def _missing(value) -> bool:
    return value is None or (not isinstance(value, str | dt.date) and pd.isna(value))


def _dates(column: pd.Series) -> list[dt.date | None]:
    """Dates as `datetime.date` (None where missing), so Excel gets date cells."""
    return [None if _missing(v) else (v.date() if isinstance(v, dt.datetime) else v)
            for v in column]


def table_text(value, *, year: int) -> str:
    """A cell of a Word table: dates as 11月22日 (with the year when it is not `year`),
    times as 11月22日 08:45, floats without trailing zeros, missing values empty."""
    if _missing(value):
        return ""
    if isinstance(value, dt.datetime):
        return f"{table_text(value.date(), year=year)} {value:%H:%M}"
    if isinstance(value, dt.date):
        day = f"{value.month}月{value.day}日"
        return day if value.year == year else f"{value.year}年{day}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def scorecard_table(data: BriefData) -> pd.DataFrame:
    sc = data.scorecard
    return pd.DataFrame({
        "section": sc["section_title"],
        "code": sc["code"],
        "name": sc["name"],
        "value": [format_value(row) for _, row in sc.iterrows()],
        "target": [format_target(row) for _, row in sc.iterrows()],
        "status": [verdict_word(row) or SCORECARD_STATUSES[row["status"]]
                   for _, row in sc.iterrows()],
        "change": [format_change(row) for _, row in sc.iterrows()],
        "previous_status": [SCORECARD_STATUSES[s] if history else "—"
                            for history, s in zip(sc["has_history"], sc["previous_status"])],
        "raw_value": [None if v is None or pd.isna(v) else float(v) for v in sc["value"]],
    })


def accidents_table(data: BriefData) -> pd.DataFrame:
    df = data.new_accidents
    return pd.DataFrame({
        "code": df["code"],
        "occurred_at": list(df["occurred_at"]),
        "unit": df["unit_code"].map(data.unit_names),
        "enterprise": df["enterprise"].fillna(""),
        "sector": df["sector_code"].map(data.sector_names),
        "grade": [GRADES.get(g, g) for g in df["grade"]],
        "deaths": df["deaths"].astype(int),
        "serious_injuries": df["serious_injuries"].astype(int),
        "direct_loss_wan": df["direct_loss_wan"].astype(float),
        "summary": df["summary"],
    })


def tasks_table(data: BriefData) -> pd.DataFrame:
    df = data.task_changes
    return pd.DataFrame({
        "week_change": [WEEKLY_CHANGES[c] for c in df["change"]],
        "code": df["code"], "task": df["title"],
        "sector": df["sector_code"].map(data.sector_names),
        "lead_department": df["lead_department"],
        "task_deadline": _dates(df["deadline"]),
        "progress_pct": [0 if pd.isna(p) else int(p) for p in df["progress_pct"]],
        "completed_on": _dates(df["completed_on"]),
        "days_overdue": df["days_overdue"].astype(int),
    })


def hazards_table(data: BriefData) -> pd.DataFrame:
    df = data.major_changes
    return pd.DataFrame({
        "week_change": [WEEKLY_CHANGES[c] for c in df["change"]],
        "code": df["code"], "unit": df["unit_code"].map(data.unit_names),
        "hazard_enterprise": df["enterprise"], "sector": df["sector_code"].map(data.sector_names),
        "description": df["description"],
        "found_on": _dates(df["found_on"]),
        "hazard_deadline": _dates(df["deadline"]),
        "closed_on": _dates(df["closed_on"]),
        "state": [HAZARD_STATES.get(s, s) for s in df["state"]],
    })


def faces_table(data: BriefData) -> pd.DataFrame:
    df = data.faces_accepted
    return pd.DataFrame({
        "face": df["name"], "mine": df["mine"], "unit": df["unit_code"].map(data.unit_names),
        "face_type": [FACE_TYPES.get(t, t) for t in df["face_type"]],
        "planned_completion_on": _dates(df["planned_completion_on"]),
        "accepted_on": _dates(df["accepted_on"]),
        "days_late": [max((a - p).days, 0) for a, p in
                      zip(df["accepted_on"], df["planned_completion_on"])],
    })


def milestones_table(data: BriefData) -> pd.DataFrame:
    df = data.milestones
    return pd.DataFrame({
        "mine": df["mine"], "unit": df["unit_code"].map(data.unit_names),
        "programme": [PROGRAMMES.get(p, p) for p in df["programme"]],
        "milestone": df["name"], "planned_on": _dates(df["planned_on"]),
        "achieved_on": _dates(df["achieved_on"]),
    })


def drills_table(data: BriefData) -> pd.DataFrame:
    df = data.drills
    return pd.DataFrame({
        "held_on": _dates(df["held_on"]),
        "unit": df["unit_code"].map(data.unit_names),
        "drill_kind": [DRILL_KINDS.get(k, k) for k in df["kind"]],
        "drill": df["title"], "participants": df["participants"].astype(int),
    })


def scorecard_changes_table(data: BriefData) -> pd.DataFrame:
    sc = data.scorecard_changes
    return pd.DataFrame({
        "name": sc["name"],
        "previous_status": [SCORECARD_STATUSES[s] for s in sc["previous_status"]],
        "status": [verdict_word(row) or SCORECARD_STATUSES[row["status"]]
                   for _, row in sc.iterrows()],
        "value": [format_value(row) for _, row in sc.iterrows()],
        "change": [format_change(row) for _, row in sc.iterrows()],
    })


def unit_control_table(data: BriefData) -> pd.DataFrame:
    df = data.unit_control
    return pd.DataFrame({
        "unit": df["code"].map(data.unit_names),
        "used_deaths": df["used"].astype(int),
        "limit_deaths": [None if v is None or pd.isna(v) else float(v) for v in df["limit"]],
        "share_deaths": [None if v is None or pd.isna(v) else float(v) for v in df["share"]],
        "status_deaths": df["status_label"],
        "week_deaths": df["week_used"].astype(int),
        "previous_status_deaths": df["previous_status_label"],
    })


def monthly_table(data: BriefData) -> pd.DataFrame:
    def column(df: pd.DataFrame, name: str) -> list[int]:
        values = df.set_index("month")[name] if len(df) else pd.Series(dtype=int)
        return [int(values.get(m, 0)) for m in range(1, 13)]

    hz = data.hazards_by_month.set_index("month")
    faces = data.faces_by_month.set_index("month")
    last_month = data.as_of.month
    upto = [m <= last_month for m in range(1, 13)]
    return pd.DataFrame({
        "month": [f"{m}月" for m in range(1, 13)],
        "accidents": [v if ok else None for v, ok in
                      zip(column(data.accidents_by_month, "accidents"), upto)],
        "deaths": [v if ok else None for v, ok in
                   zip(column(data.accidents_by_month, "deaths"), upto)],
        "accidents_last_year": column(data.accidents_last_year, "accidents"),
        "deaths_last_year": column(data.accidents_last_year, "deaths"),
        "hazards_found": [int(hz["found"].get(m, 0)) if ok else None
                          for m, ok in zip(range(1, 13), upto)],
        "hazards_closed": [int(hz["closed"].get(m, 0)) if ok else None
                           for m, ok in zip(range(1, 13), upto)],
        "faces_planned": [int(faces["planned"].get(m, 0)) for m in range(1, 13)],
        "faces_accepted": [int(faces["accepted"].get(m, 0)) if ok else None
                           for m, ok in zip(range(1, 13), upto)],
    })


# ---- charts ----------------------------------------------------------------------------------
def build_brief_figures(data: BriefData) -> list[tuple[str, go.Figure]]:
    """The key charts, each with its caption, from the dashboard's own builders."""
    figs = [
        (T["fig_control"].format(progress=pct(data.progress)),
         build_control_bars(data.unit_control, names=data.unit_names, progress=data.progress,
                            selected=data.unit)),
        (T["fig_trend"], build_cumulative_trend(data.accidents_by_month,
                                                data.accidents_last_year, as_of=data.as_of,
                                                death_indicator=data.death_limit)),
        (T["fig_faces"], build_trajectory(data.faces_by_month, data.face_forecast,
                                          as_of=data.as_of)),
        (T["fig_hazards"], build_hazards_by_month(data.hazards_by_month, year=data.as_of.year,
                                                   height=380)),
    ]
    for _, fig in figs:
        fig.update_layout(template="plotly_white", title=None, paper_bgcolor="white",
                          plot_bgcolor="white", font_size=CHART_FONT_SIZE)
    return figs


def figures_png(figs: list[go.Figure]) -> list[bytes]:
    """PNG images (2× scale, CHART_WIDTH_PX wide) of `figs`, exported in one browser session
    (kaleido starts a headless Chromium once per call, which takes a few seconds)."""
    if not figs:
        return []
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        paths = [Path(tmp) / f"figure-{i}.png" for i in range(len(figs))]
        pio.write_images(fig=list(figs), file=paths, format="png", width=CHART_WIDTH_PX,
                         height=[int(f.layout.height or 400) for f in figs], scale=2)
        return [path.read_bytes() for path in paths]


# ---- Word ------------------------------------------------------------------------------------
def _fonts(element, name: str) -> None:
    """Set ascii, hAnsi and eastAsia fonts on a run's or style's rPr; drop theme fonts, which
    would otherwise win."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


_HALF_WIDTH = re.compile(r"(?<!\d)[,;:]|[,;:](?!\d)|[()]")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}


def cn_punct(text: str) -> str:
    """Chinese punctuation for a printed document: ASCII , ; : ( ) become full-width, except
    between digits (1,234 and 08:45 stay as they are)."""
    return _HALF_WIDTH.sub(lambda m: _FULL_WIDTH[m.group()], text)


def _run(paragraph, text: str, *, font: str = BODY_FONT, size: float = 12,
         bold: bool = False, colour: str | None = None):
    run = paragraph.add_run(cn_punct(text))
    _fonts(run._element, font)
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _paragraph(doc, text: str = "", *, font: str = BODY_FONT, size: float = 12,
               bold: bool = False, align=None, indent: bool = False, colour: str | None = None,
               space_after: float = 4, style: str | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        _run(p, text, font=font, size=size, bold=bold, colour=colour)
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.3
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    return p


def _heading(doc, text: str, level: int):
    font, size = (HEADING_FONT, 16) if level == 1 else (SUBHEADING_FONT, 14)
    p = _paragraph(doc, text, font=font, size=size, bold=True,
                   style=f"Heading {level}", space_after=6)
    p.paragraph_format.space_before = Pt(12 if level == 1 else 6)
    p.paragraph_format.keep_with_next = True
    return p


def _border_bottom(paragraph, colour: str = "C00000", size: int = 18) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"),
                       ("w:color", colour)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _cell_text(cell, text: str, *, bold: bool = False, align=None, colour: str | None = None,
               size: float = 10) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.1
    if align is not None:
        p.alignment = align
    _run(p, text, size=size, bold=bold, colour=colour)


def _table(doc, headers: list[str], rows: list[list[str]], widths_cm: list[float], *,
           numeric: tuple[int, ...] = ()):
    """A bordered table with a shaded header row repeated on each page; `numeric` columns are
    right-aligned."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "E7ECF2")
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values)):
            _cell_text(cell, str(text), align=WD_ALIGN_PARAGRAPH.RIGHT if i in numeric else None)
    _fit(table, widths_cm)
    _paragraph(doc, space_after=2)
    return table


def _fit(table, widths_cm: list[float]) -> None:
    """Column widths on the grid (LibreOffice reads these) and on every cell (Word does);
    rows are not split across pages."""
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _caption(doc, text: str) -> None:
    _paragraph(doc, text, font=HEADING_FONT, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER,
               space_after=4).paragraph_format.keep_with_next = True


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", size=10.5)
    run = _run(p, "", size=10.5)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    _run(p, " —", size=10.5)


def _setup_document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.3)
    section.left_margin = section.right_margin = Cm(2.5)
    section.footer_distance = Cm(1.2)
    normal = doc.styles["Normal"]
    _fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(12)
    for level, font in ((1, HEADING_FONT), (2, SUBHEADING_FONT)):
        style = doc.styles[f"Heading {level}"]
        _fonts(style.element, font)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
    doc.core_properties.title = T["title"]
    doc.core_properties.author = T["issuer"]
    doc.core_properties.language = "zh-CN"
    _page_number_footer(section)
    return doc


def _rows(df: pd.DataFrame, columns: list[str], year: int) -> list[list[str]]:
    return [[table_text(row[c], year=year) for c in columns] for _, row in df.iterrows()]


def _headers(columns: list[str]) -> list[str]:
    return [BRIEF_COLUMNS[c] for c in columns]


def _write_key_figures(doc, data: BriefData) -> None:
    _caption(doc, T["table_key"])
    figures = key_figures(data)
    rows = [[T["items"][r.item], f"{r.year}{r.unit}", f"{r.week}{r.unit}", r.note]
            for r in figures.itertuples()]
    _table(doc, _headers(["item", "year", "week", "note"]), rows, [3.6, 2.6, 2.4, 7.4],
           numeric=(1, 2))


def _write_scorecard(doc, data: BriefData) -> None:
    table_df = scorecard_table(data)
    counts = status_counts(data.scorecard)
    title = data.scorecard["plan_title"].iloc[0] if len(data.scorecard) else None
    intro = T["scorecard_intro"] if isinstance(title, str) else T["scorecard_intro_no_plan"]
    _paragraph(doc, intro.format(
        title=title, year=data.as_of.year, lines=len(table_df), met=counts["met"],
        pending=counts["pending"], warning=counts["warning"],
        missed=counts["missed"], no_data=counts["no_data"],
        changed=data.week["scorecard_changed"], previous=cn_date(data.since)), indent=True)
    _caption(doc, T["table_scorecard"])
    columns = ["name", "value", "target", "status", "change"]
    widths = [7.0, 2.4, 2.2, 1.8, 2.6]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, _headers(columns)):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "E7ECF2")
    _repeat_header(table.rows[0])
    status_of = dict(zip(data.scorecard["code"], data.scorecard["status"]))
    for title in dict.fromkeys(table_df["section"]):
        part = table_df[table_df["section"] == title]
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _cell_text(merged, title, bold=True)
        _shade(merged, "F3F5F8")
        for _, row in part.iterrows():
            cells = table.add_row().cells
            _cell_text(cells[0], row["name"])
            _cell_text(cells[1], row["value"], align=WD_ALIGN_PARAGRAPH.RIGHT)
            _cell_text(cells[2], row["target"], align=WD_ALIGN_PARAGRAPH.RIGHT)
            _cell_text(cells[3], row["status"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                       colour="FFFFFF")
            _shade(cells[3], STATUS_HEX[status_of[row["code"]]].lstrip("#").upper())
            _cell_text(cells[4], row["change"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _fit(table, widths)
    note = _paragraph(doc, T["scorecard_rules"] + "".join(SCORECARD_RULES.values()), size=9,
                      colour="555C66")
    note.paragraph_format.space_before = Pt(4)


def _write_changes(doc, data: BriefData) -> None:
    w = data.week
    sub = T["sub"]
    _heading(doc, sub["accidents"], 2)
    _paragraph(doc, T["week_accidents"].format(accidents=w["accidents"], deaths=w["deaths"])
               if w["accidents"] else T["week_no_accidents"], indent=True)
    if w["accidents"]:
        columns = ["occurred_at", "unit", "enterprise", "sector", "grade", "deaths", "summary"]
        _table(doc, _headers(columns), _rows(accidents_table(data), columns, data.as_of.year),
               [2.2, 1.5, 2.8, 2.0, 1.9, 1.9, 3.7], numeric=(5,))

    _heading(doc, sub["tasks"], 2)
    _paragraph(doc, T["week_tasks"].format(completed=w["tasks_completed"],
                                           overdue=w["tasks_newly_overdue"]), indent=True)
    if len(data.task_changes):
        columns = ["week_change", "code", "task", "lead_department", "task_deadline", "progress_pct",
                   "days_overdue"]
        _table(doc, _headers(columns), _rows(tasks_table(data), columns, data.as_of.year),
               [1.9, 1.9, 4.2, 2.5, 1.9, 1.8, 1.8], numeric=(5, 6))

    _heading(doc, sub["hazards"], 2)
    _paragraph(doc, T["week_hazards"].format(
        found=w["hazards_found"], closed=w["hazards_closed"], opened=w["major_opened"],
        major_closed=w["major_closed"]), indent=True)
    if len(data.major_changes):
        columns = ["week_change", "code", "unit", "hazard_enterprise", "description", "hazard_deadline",
                   "closed_on", "state"]
        _table(doc, _headers(columns), _rows(hazards_table(data), columns, data.as_of.year),
               [1.3, 2.6, 1.5, 2.4, 2.7, 2.6, 1.5, 1.4])

    _heading(doc, sub["mining"], 2)
    _paragraph(doc, T["week_faces"].format(faces=w["faces_accepted"],
                                           milestones=w["milestones_achieved"]), indent=True)
    if len(data.faces_accepted):
        columns = ["face", "mine", "unit", "face_type", "planned_completion_on", "accepted_on",
                   "days_late"]
        _table(doc, _headers(columns), _rows(faces_table(data), columns, data.as_of.year),
               [4.8, 2.6, 1.5, 1.2, 2.0, 2.0, 1.9], numeric=(6,))
    if len(data.milestones):
        columns = ["mine", "unit", "programme", "milestone", "planned_on", "achieved_on"]
        _table(doc, _headers(columns), _rows(milestones_table(data), columns, data.as_of.year),
               [2.6, 1.6, 2.4, 4.4, 2.5, 2.5])

    _heading(doc, sub["resources"], 2)
    _paragraph(doc, T["week_resources"].format(drills=w["drills"], checked=w["sites_checked"],
                                               overdue=w["sites_newly_overdue"]), indent=True)
    if len(data.drills):
        columns = ["held_on", "unit", "drill_kind", "drill", "participants"]
        _table(doc, _headers(columns), _rows(drills_table(data), columns, data.as_of.year),
               [2.6, 1.8, 2.2, 7.6, 1.8], numeric=(4,))

    _heading(doc, sub["scorecard"], 2)
    changes = scorecard_changes_table(data)
    _paragraph(doc, T["week_scorecard"].format(changed=len(changes), previous=cn_date(data.since))
               if len(changes) else T["week_scorecard_none"], indent=True)
    if len(changes):
        columns = ["name", "previous_status", "status", "value", "change"]
        _table(doc, _headers(columns), _rows(changes, columns, data.as_of.year), [6.6, 2.0, 2.0, 2.6, 2.8])


def _write_charts(doc, data: BriefData, figures: list[tuple[str, go.Figure]]) -> None:
    images = figures_png([fig for _, fig in figures])
    for number, ((caption, _), png) in enumerate(zip(figures, images), start=1):
        p = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
        _caption(doc, T["figure"].format(number=number, caption=caption))


def render_docx(data: BriefData, *, charts: bool = True) -> bytes:
    """The brief as a Word document (A4 portrait, Chinese). `charts=False` leaves out the
    images (for quick tests); the section then says so."""
    doc = _setup_document()
    _paragraph(doc, T["title"], font=HEADING_FONT, size=22, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _paragraph(doc, T["period"].format(start=cn_date(data.week_start), end=cn_date(data.as_of)),
               font=SUBHEADING_FONT, size=15, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    byline = _paragraph(doc, T["byline"].format(as_of=cn_date(data.as_of), scope=data.scope_name,
                                                previous=cn_date(data.since)),
                        size=11, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=10)
    _border_bottom(byline)
    if data.is_sample:
        notice = _paragraph(doc, "", size=10.5, space_after=8)
        _run(notice, T["sample_label"], size=10.5, bold=True, colour="B45309")
        _run(notice, SAMPLE_BADGE_HELP, size=10.5, colour="B45309")

    _heading(doc, T["h1"], 1)
    _paragraph(doc, summary_paragraph(data), indent=True)
    _write_key_figures(doc, data)

    _heading(doc, T["h2"], 1)
    _write_scorecard(doc, data)

    _heading(doc, T["h3"], 1)
    _write_changes(doc, data)

    _heading(doc, T["h4"], 1)
    if charts:
        _write_charts(doc, data, build_brief_figures(data))
    else:
        _paragraph(doc, T["charts_left_out"], indent=True)

    _paragraph(doc, T["footnote"], size=9, colour="555C66").paragraph_format.space_before = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---- Excel -----------------------------------------------------------------------------------
def _sheet_frame(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    columns = columns or list(df.columns)
    return df[columns].rename(columns=BRIEF_COLUMNS)


def excel_sheets(data: BriefData) -> dict[str, pd.DataFrame]:
    """Sheet name → table (Chinese headers), in workbook order."""
    figures = key_figures(data)
    key = pd.DataFrame({
        "item": [T["items"][i] for i in figures["item"]], "year": figures["year"],
        "week": figures["week"], "unit_word": figures["unit"], "note": figures["note"],
    })
    about = pd.DataFrame({"field": T["about_fields"], "content": [
        T["title"], f"{cn_date(data.week_start)}—{cn_date(data.as_of)}", cn_date(data.as_of),
        cn_date(data.since), data.scope_name,
        T["sample_label"] + SAMPLE_BADGE_HELP if data.is_sample else T["not_sample"]]})
    return {
        BRIEF_SHEETS["about"]: _sheet_frame(about),
        BRIEF_SHEETS["key"]: _sheet_frame(key),
        BRIEF_SHEETS["scorecard"]: _sheet_frame(scorecard_table(data), [
            "section", "name", "value", "target", "status", "change", "previous_status",
            "raw_value", "code"]),
        BRIEF_SHEETS["scorecard_changes"]: _sheet_frame(scorecard_changes_table(data)),
        BRIEF_SHEETS["accidents"]: _sheet_frame(accidents_table(data)),
        BRIEF_SHEETS["tasks"]: _sheet_frame(tasks_table(data)),
        BRIEF_SHEETS["hazards"]: _sheet_frame(hazards_table(data)),
        BRIEF_SHEETS["faces"]: _sheet_frame(faces_table(data)),
        BRIEF_SHEETS["milestones"]: _sheet_frame(milestones_table(data)),
        BRIEF_SHEETS["drills"]: _sheet_frame(drills_table(data)),
        BRIEF_SHEETS["unit_control"]: _sheet_frame(unit_control_table(data)),
        BRIEF_SHEETS["monthly"]: _sheet_frame(monthly_table(data)),
    }


def render_xlsx(data: BriefData) -> bytes:
    """The tables behind the brief, one sheet each, Chinese headers, numbers as numbers."""
    return excel_book(excel_sheets(data), percent_columns=("指标使用率",))


def build_brief(conn, *, as_of: dt.date, since: dt.date | None = None, unit: str | None = None,
                charts: bool = True) -> BriefFiles:
    """Both files of the weekly brief, from one read of the database."""
    data = collect_brief_data(conn, as_of=as_of, since=since, unit=unit)
    return BriefFiles(docx=render_docx(data, charts=charts), xlsx=render_xlsx(data),
                      name=brief_name(as_of, unit))


# ---- command line ----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    from data_access import db

    parser = argparse.ArgumentParser(prog="python -m ui.brief",
                                     description="Write the weekly brief (.docx and .xlsx).")
    parser.add_argument("--as-of", type=dt.date.fromisoformat,
                        help="as-of date YYYY-MM-DD (default: the latest date in the data)")
    parser.add_argument("--since", type=dt.date.fromisoformat,
                        help="previous review date (default: as-of minus 7 days)")
    parser.add_argument("--unit", help="unit code (default: the whole city)")
    parser.add_argument("--out-dir", type=Path, default=Path("out"))
    parser.add_argument("--no-charts", action="store_true", help="leave the charts out")
    args = parser.parse_args(argv)
    engine = db.open_engine(db.resolve_database())
    try:
        with engine.connect() as conn:
            as_of = args.as_of or catalog.get_latest_data_date(conn)
            if as_of is None:
                parser.error("the database holds no data; give --as-of")
            if args.since is not None and args.since >= as_of:
                parser.error("--since must be before --as-of")
            if args.unit and args.unit not in set(catalog.list_units(conn)["code"]):
                parser.error(f"unknown unit code {args.unit!r}")
            files = build_brief(conn, as_of=as_of, since=args.since, unit=args.unit,
                                charts=not args.no_charts)
    finally:
        engine.dispose()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for suffix, content in (("docx", files.docx), ("xlsx", files.xlsx)):
        path = args.out_dir / f"{files.name}.{suffix}"
        path.write_bytes(content)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
