"""The weekly brief: the generated .docx and .xlsx are read back (python-docx, openpyxl) and their
figures compared with independent hand-written SQL on the same database."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from docx import Document

from sample_data.plans import lines_2022
from tests.sqlcheck import rows, scalar
from ui import brief
from ui.labels import BRIEF_SHEETS, BRIEF_TEXT, SCORECARD_STATUSES

AS_OF = dt.date(2022, 11, 25)
SINCE = dt.date(2022, 11, 18)
ITEMS = BRIEF_TEXT["items"]


# ---- reading the files back ------------------------------------------------------------------
def table_with_header(doc, first: str, *others: str):
    """The first Word table whose header row starts with `first`, `others`…"""
    wanted = [first, *others]
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:len(wanted)] == wanted:
            return table
    raise AssertionError(f"no table with header {wanted}")


def body_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def number(text: str) -> int:
    match = re.match(r"-?\d+", text.replace(",", ""))
    assert match, text
    return int(match.group())


def sheet_records(book, name: str) -> list[dict]:
    sheet = book[name]
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


# ---- independent SQL -------------------------------------------------------------------------
def sql_week(conn, since: dt.date, as_of: dt.date) -> dict[str, int]:
    start = dt.datetime.combine(since + dt.timedelta(days=1), dt.time())
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    week = {"since": since, "as_of": as_of}
    major = "SELECT COUNT(*) FROM hidden_dangers WHERE level = 'major' AND "
    return {
        "accidents": scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                                  "AND occurred_at < :end", start=start, end=end),
        "deaths": scalar(conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start "
                               "AND occurred_at < :end", start=start, end=end),
        "year_accidents": scalar(conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start "
                                       "AND occurred_at < :end",
                                 start=dt.datetime(as_of.year, 1, 1), end=end),
        "year_deaths": scalar(conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start "
                                    "AND occurred_at < :end",
                              start=dt.datetime(as_of.year, 1, 1), end=end),
        "major_opened": scalar(conn, major + "found_on > :since AND found_on <= :as_of", **week),
        "major_closed": scalar(conn, major + "closed_on > :since AND closed_on <= :as_of", **week),
        "faces": scalar(conn, "SELECT COUNT(*) FROM working_faces WHERE accepted_on > :since "
                              "AND accepted_on <= :as_of", **week),
        "tasks_completed": scalar(conn, """
            SELECT COUNT(*) FROM key_tasks t
            WHERE t.year = :year AND (SELECT MIN(r.reported_on) FROM task_progress_reports r
                                      WHERE r.task_id = t.id AND r.progress_pct >= 100
                                        AND r.reported_on <= :as_of) > :since""",
                                  year=as_of.year, **week),
        "tasks_newly_overdue": scalar(conn, """
            SELECT COUNT(*) FROM key_tasks t
            WHERE t.year = :year AND t.deadline < :as_of AND t.deadline >= :since
              AND NOT EXISTS (SELECT 1 FROM task_progress_reports r WHERE r.task_id = t.id
                              AND r.progress_pct >= 100 AND r.reported_on <= :as_of)""",
                                      year=as_of.year, **week),
    }


def sql_zero_line_status(conn, table: str, condition: str, day: dt.date) -> str:
    date_column = "occurred_on"
    count = scalar(conn, f"SELECT COUNT(*) FROM {table} WHERE {condition} AND {date_column} >= "
                         f":start AND {date_column} <= :day", start=dt.date(day.year, 1, 1), day=day)
    return SCORECARD_STATUSES["met" if count == 0 else "missed"]


NAMES_2022 = {line.code: line.name for line in lines_2022()}  # the sample's 2022 plan
ZERO_LINES = {  # scorecard line → (table, condition) of its events, which must be zero
    "gas_over_limit": ("coal_gas_events", "kind = 'gas_over_limit'"),
    "coal_outburst": ("coal_gas_events", "kind = 'outburst'"),
    "cyber_incidents": ("cyber_incidents", "severity IN ('larger', 'major', 'extra_major')"),
}


# ---- the tests -------------------------------------------------------------------------------
@pytest.fixture
def files(conn) -> brief.BriefFiles:
    return brief.build_brief(conn, as_of=AS_OF, charts=False)


def test_docx_figures_match_sql(conn, files):
    expected = sql_week(conn, SINCE, AS_OF)
    doc = Document(io.BytesIO(files.docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert BRIEF_TEXT["title"] in text
    assert "（2022年11月19日—2022年11月25日）" in text
    assert "数据截至2022年11月25日" in text
    assert BRIEF_TEXT["sample_label"] in text  # the sample database is labelled
    for heading in ("h1", "h2", "h3", "h4"):
        assert BRIEF_TEXT[heading] in text

    key = {r[0]: r for r in body_rows(table_with_header(doc, "项目", "本年累计", "本周"))}
    assert number(key[ITEMS["accidents"]][1]) == expected["year_accidents"]
    assert number(key[ITEMS["accidents"]][2]) == expected["accidents"]
    assert number(key[ITEMS["deaths"]][1]) == expected["year_deaths"]
    assert number(key[ITEMS["deaths"]][2]) == expected["deaths"]
    assert number(key[ITEMS["tasks_completed"]][2]) == expected["tasks_completed"]
    assert number(key[ITEMS["tasks_overdue"]][2]) == expected["tasks_newly_overdue"]
    assert number(key[ITEMS["major_opened"]][2]) == expected["major_opened"]
    assert number(key[ITEMS["major_closed"]][2]) == expected["major_closed"]
    assert number(key[ITEMS["faces"]][2]) == expected["faces"]
    assert (f"本周新增生产安全事故{expected['accidents']}起、死亡{expected['deaths']}人"
            in text)

    accidents = body_rows(table_with_header(doc, "发生时间", "县区"))
    assert len(accidents) == expected["accidents"]
    assert sum(number(r[5]) for r in accidents) == expected["deaths"]

    tasks = body_rows(table_with_header(doc, "变化", "编号", "任务名称"))
    assert sum(r[0] == "完成" for r in tasks) == expected["tasks_completed"]
    assert sum(r[0] == "新增逾期" for r in tasks) == expected["tasks_newly_overdue"]

    hazards = body_rows(table_with_header(doc, "变化", "编号", "县区", "企业"))
    majors = rows(conn, "SELECT code FROM hidden_dangers WHERE level = 'major' AND found_on > "
                        ":since AND found_on <= :as_of ORDER BY code", since=SINCE, as_of=AS_OF)
    assert sorted(r[1] for r in hazards if r[0] == "新增") == [r[0] for r in majors]
    assert sum(r[0] == "销号" for r in hazards) == expected["major_closed"]

    faces = body_rows(table_with_header(doc, "工作面", "煤矿"))
    names = rows(conn, "SELECT name FROM working_faces WHERE accepted_on > :since AND "
                       "accepted_on <= :as_of ORDER BY name", since=SINCE, as_of=AS_OF)
    assert sorted(r[0] for r in faces) == [r[0] for r in names]

    scorecard = {r[0]: r for r in body_rows(table_with_header(doc, "指标", "当前值", "目标"))}
    for code, (table, condition) in ZERO_LINES.items():
        assert scorecard[NAMES_2022[code]][3] == sql_zero_line_status(
            conn, table, condition, AS_OF), code
    changed = {r[0]: (r[1], r[2]) for r in
               body_rows(table_with_header(doc, "指标", "上周状态", "本周状态"))}
    for code, (table, condition) in ZERO_LINES.items():
        before = sql_zero_line_status(conn, table, condition, SINCE)
        after = sql_zero_line_status(conn, table, condition, AS_OF)
        if before != after:
            assert changed[NAMES_2022[code]] == (before, after)
        else:
            assert NAMES_2022[code] not in changed
    assert NAMES_2022["gas_over_limit"] in changed  # the sample week changes this line


def test_xlsx_tables_match_sql(conn, files):
    expected = sql_week(conn, SINCE, AS_OF)
    book = openpyxl.load_workbook(io.BytesIO(files.xlsx))
    assert book.sheetnames == list(BRIEF_SHEETS.values())

    accidents = sheet_records(book, BRIEF_SHEETS["accidents"])
    assert len(accidents) == expected["accidents"]
    assert sum(r["死亡人数"] for r in accidents) == expected["deaths"]
    ids = rows(conn, "SELECT code FROM accidents WHERE occurred_at >= :start AND occurred_at < :end",
               start=dt.datetime(2022, 11, 19), end=dt.datetime(2022, 11, 26))
    assert sorted(r["编号"] for r in accidents) == sorted(r[0] for r in ids)

    key = {r["项目"]: r for r in sheet_records(book, BRIEF_SHEETS["key"])}
    assert key[ITEMS["accidents"]]["本年累计"] == expected["year_accidents"]
    assert key[ITEMS["deaths"]]["本周"] == expected["deaths"]
    assert key[ITEMS["major_opened"]]["本周"] == expected["major_opened"]
    assert key[ITEMS["major_closed"]]["本周"] == expected["major_closed"]
    assert key[ITEMS["faces"]]["本周"] == expected["faces"]

    tasks = sheet_records(book, BRIEF_SHEETS["tasks"])
    assert sum(r["变化"] == "完成" for r in tasks) == expected["tasks_completed"]
    assert sum(r["变化"] == "新增逾期" for r in tasks) == expected["tasks_newly_overdue"]
    hazards = sheet_records(book, BRIEF_SHEETS["hazards"])
    assert sum(r["变化"] == "新增" for r in hazards) == expected["major_opened"]
    assert sum(r["变化"] == "销号" for r in hazards) == expected["major_closed"]
    assert len(sheet_records(book, BRIEF_SHEETS["faces"])) == expected["faces"]

    scorecard = {r["编号"]: r for r in sheet_records(book, BRIEF_SHEETS["scorecard"])}
    assert len(scorecard) == len(NAMES_2022)
    for code, (table, condition) in ZERO_LINES.items():
        assert scorecard[code]["本周状态"] == sql_zero_line_status(conn, table, condition, AS_OF)
        count = scalar(conn, f"SELECT COUNT(*) FROM {table} WHERE {condition} AND occurred_on >= "
                             ":start AND occurred_on <= :day", start=dt.date(2022, 1, 1), day=AS_OF)
        assert scorecard[code]["当前值(数值)"] == count

    monthly = sheet_records(book, BRIEF_SHEETS["monthly"])
    november = next(r for r in monthly if r["月份"] == "11月")
    assert november["事故起数"] == scalar(
        conn, "SELECT COUNT(*) FROM accidents WHERE occurred_at >= :start AND occurred_at < :end",
        start=dt.datetime(2022, 11, 1), end=dt.datetime(2022, 11, 26))
    assert november["隐患销号"] == scalar(
        conn, "SELECT COUNT(*) FROM hidden_dangers WHERE closed_on >= :start AND closed_on <= :end",
        start=dt.date(2022, 11, 1), end=AS_OF)


def test_a_second_week_for_one_unit(conn):
    """Another week and one county: major hidden dangers were signed off in it."""
    since, as_of, unit = dt.date(2022, 11, 6), dt.date(2022, 11, 13), "140423"
    data = brief.collect_brief_data(conn, as_of=as_of, since=since, unit=unit)
    book = openpyxl.load_workbook(io.BytesIO(brief.render_xlsx(data)))
    hazards = sheet_records(book, BRIEF_SHEETS["hazards"])
    for change, column in (("新增", "found_on"), ("销号", "closed_on")):
        expected = rows(conn, f"SELECT code FROM hidden_dangers WHERE level = 'major' AND "
                              f"{column} > :since AND {column} <= :as_of AND unit_code = :unit "
                              "ORDER BY code", since=since, as_of=as_of, unit=unit)
        assert sorted(r["编号"] for r in hazards if r["变化"] == change) == [r[0] for r in expected]
    doc = Document(io.BytesIO(brief.render_docx(data, charts=False)))
    assert "统计范围：襄垣县" in "\n".join(p.text for p in doc.paragraphs)


def test_docx_with_charts_has_four_png_images(sample_sqlite_url):
    """The real export through kaleido and Chromium (a few seconds), on the sample database."""
    import sqlalchemy as sa

    engine = sa.create_engine(sample_sqlite_url)
    with engine.connect() as conn:
        files = brief.build_brief(conn, as_of=AS_OF)
    engine.dispose()
    doc = Document(io.BytesIO(files.docx))
    assert len(doc.inline_shapes) == 4
    images = [part for part in doc.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 4
    assert all(image.blob.startswith(b"\x89PNG") and len(image.blob) > 20_000
               for image in images)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert len(captions) == 4


def test_cli_writes_both_files(tmp_path, monkeypatch, sample_sqlite_url):
    monkeypatch.setenv("DATABASE_URL", sample_sqlite_url)
    assert brief.main(["--as-of", "2022-11-25", "--out-dir", str(tmp_path), "--no-charts"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "weekly-brief-2022-11-25.docx", "weekly-brief-2022-11-25.xlsx"]
    with pytest.raises(SystemExit):
        brief.main(["--as-of", "2022-11-25", "--unit", "999999", "--out-dir", str(tmp_path)])


def test_names_and_text_helpers():
    assert brief.brief_name(AS_OF) == "weekly-brief-2022-11-25"
    assert brief.brief_name(AS_OF, "140400") == "weekly-brief-2022-11-25"
    assert brief.brief_name(AS_OF, "140423") == "weekly-brief-2022-11-25-140423"
    assert brief.cn_punct("判定:达到100%(含);1,234 起 08:45") == "判定：达到100%（含）；1,234 起 08:45"
    assert brief.table_text(dt.date(2022, 11, 30), year=2022) == "11月30日"
    assert brief.table_text(dt.date(2023, 1, 12), year=2022) == "2023年1月12日"
    assert brief.table_text(dt.datetime(2022, 11, 24, 8, 45), year=2022) == "11月24日 08:45"
    assert brief.table_text(None, year=2022) == ""
    assert brief.table_text(12.50, year=2022) == "12.5"
