"""Next year's notice is data, not code.

A database holding the 2022 sample plus the start of 2023 (sample_data/year2023/data, imported
through the 数据管理 import path) shows 2023 without a plan: every page says so, the scorecard
lists the measures the data can compute without judging them. The 2023 notice
(sample_data/year2023/plan) is then imported the same way, in the same process, and every page,
the screen and the weekly brief show its lines and targets at once. The expected lines are read
from the imported rows with SQL of their own.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document
from streamlit.testing.v1 import AppTest

from data_access import carryover, db, measures, scorecard, versioning
from data_access.importing import analyse, commit
from data_access.importing.read import SourceFile
from sample_data import plans as plans_data
from sample_data import year2023
from sample_data.plans import LINES_2022
from tests.conftest import ROOT, open_page, shown
from tests.test_brief import sheet_records
from tests.test_overview_page import scorecard_rows
from ui import brief
from ui.labels import BRIEF_SHEETS, CARRIED_OVER

AS_OF = dt.date(2023, 2, 24)
PAGES = ("overview", "accidents", "rectification", "mining", "resources")


def import_folder(engine: sa.Engine, folder: Path) -> None:
    """Every file of `folder` through the import's analysis and commit, as 数据管理 does."""
    files = [SourceFile(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]
    with engine.connect() as conn:
        plan = analyse.analyse(conn, files)
    assert plan.ok, [str(p) for p in plan.problems[:10]]
    commit.commit_plan(engine, plan, user="test", client="test")


@pytest.fixture
def engine_2023(tmp_path):
    path = db.ensure_sample_database(tmp_path / "sample.sqlite")
    eng = db.create_bureau_engine(f"sqlite:///{path}")
    import_folder(eng, year2023.OUT_DIR / "data")
    yield eng
    eng.dispose()


@pytest.fixture
def app_on(engine_2023, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", str(engine_2023.url))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return lambda: AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def plan_rows(engine: sa.Engine, year: int) -> tuple[str | None, list[tuple]]:
    """The notice's title and its lines (code, name, target, uom) in order, by plain SQL."""
    with engine.connect() as conn:
        title = conn.execute(sa.text("SELECT title FROM plan_notices WHERE year = :y"),
                             {"y": year}).scalar()
        lines = conn.execute(sa.text(
            "SELECT l.code, l.name, l.target, l.uom FROM plan_lines l "
            "JOIN plan_sections s ON s.year = l.year AND s.code = l.section "
            "WHERE l.year = :y ORDER BY s.sort_order, l.sort_order"), {"y": year}).all()
    return title, [tuple(r) for r in lines]


def target_text(target, uom: str) -> str:
    return f"{float(target):g}{uom}"


CONTROL_METRICS = {"larger_accidents": "accidents_larger", "general_accidents": "accidents_general",
                   "accident_deaths": "deaths"}  # 重特大事故 is controlled at zero


def control_target_text(engine: sa.Engine, code: str, uom: str) -> str:
    """An accident control line's target: the city's 2023 indicator in `targets`, by plain SQL."""
    if code not in CONTROL_METRICS:
        return f"0{uom}"
    with engine.connect() as conn:
        value = conn.execute(sa.text(
            "SELECT value FROM targets WHERE year = 2023 AND metric = :m AND unit_code IS NULL "
            "AND sector_code IS NULL"), {"m": CONTROL_METRICS[code]}).scalar()
    return "未设定" if value is None else target_text(value, uom)


def header_caption(at: AppTest) -> str:
    return next(shown(c.value) for c in at.caption if "统计期" in c.value)


def test_the_files_are_what_the_generator_writes(tmp_path):
    """sample_data/year2023 is generated: the committed files are its current output."""
    year2023.write_all(tmp_path)
    for written in sorted(tmp_path.rglob("*.csv")):
        shipped = year2023.OUT_DIR / written.relative_to(tmp_path)
        assert shipped.read_bytes() == written.read_bytes(), shipped


def test_2023_plan_imported_shows_everywhere_without_a_restart(engine_2023, app_on):
    assert plan_rows(engine_2023, 2023) == (None, [])
    at = open_page(app_on(), "overview", as_of=AS_OF.isoformat())
    assert "2023年尚未录入年度工作通知" in header_caption(at)
    assert any("2023年尚未录入年度工作通知" in i.value for i in at.info)
    rows = scorecard_rows(at)
    assert sorted(rows) == sorted(m.code for m in measures.CATALOGUE)
    assert {r["status_attr"] for r in rows.values()} == {"no_data"}

    import_folder(engine_2023, year2023.OUT_DIR / "plan")
    title, lines = plan_rows(engine_2023, 2023)
    assert title and lines
    at.run()  # the same session, the same process
    assert not at.exception
    assert f"对照《{title}》" in header_caption(at)
    rows = scorecard_rows(at)
    assert list(rows) == [code for code, *_ in lines]
    for code, _, target, uom in lines:
        if measures.BY_CODE[code].kind == "control":  # the year's indicator, not the plan's 0
            expected = control_target_text(engine_2023, code, uom)
        else:
            expected = target_text(target, uom)
        assert rows[code]["target"].startswith(expected), code
    assert "risk_census" not in rows and "intelligent_faces" in rows
    with engine_2023.connect() as conn:
        built = conn.execute(sa.text(
            "SELECT COUNT(*) FROM working_faces WHERE accepted_on >= '2023-01-01' "
            "AND accepted_on <= :d"), {"d": AS_OF}).scalar()
    assert rows["intelligent_faces"]["value"] == f"{built}处"

    for page in PAGES[1:]:
        shown_page = open_page(app_on(), page, as_of=AS_OF.isoformat())
        assert f"对照《{title}》" in header_caption(shown_page), page
        if page == "rectification":
            with engine_2023.connect() as conn:
                checklist = conn.execute(sa.text(
                    "SELECT checklist_title FROM plan_notices WHERE year = 2023")).scalar()
            assert any(f"**{checklist}**" in shown(m.value) for m in shown_page.markdown)

    on_screen = []  # the plan's first half under the overview's tiles, the rest on 目标考核
    for view in ("overview", "scorecard"):
        screen = app_on()
        screen.query_params.update({"kiosk": "1", "views": view})
        screen.run()
        assert not screen.exception
        on_screen += list(scorecard_rows(screen))
    assert on_screen == [code for code, *_ in lines]

    with engine_2023.connect() as conn:
        data = brief.collect_brief_data(conn, as_of=AS_OF, since=AS_OF - dt.timedelta(days=7))
    book = openpyxl.load_workbook(io.BytesIO(brief.render_xlsx(data)))
    sheet = sheet_records(book, BRIEF_SHEETS["scorecard"])
    assert [r["指标"] for r in sheet] == [name for _, name, *_ in lines]
    assert [r["目标"] for r in sheet] == [
        control_target_text(engine_2023, code, u) if measures.BY_CODE[code].kind == "control"
        else target_text(t, u) for code, _, t, u in lines]
    doc = Document(io.BytesIO(brief.render_docx(data, charts=False)))
    full_width = str.maketrans("(),;:", "（），；：")  # the brief's typography
    assert any(f"对照《{title}》".translate(full_width) in p.text for p in doc.paragraphs)


def test_2022_reads_as_before_after_the_2023_import(engine_2023):
    """Importing 2023 changes nothing in 2022."""
    import_folder(engine_2023, year2023.OUT_DIR / "plan")
    with engine_2023.connect() as conn:
        lines = scorecard.compute_scorecard(conn, as_of=dt.date(2022, 11, 25))
    assert list(lines["code"]) == [code for code, *_ in LINES_2022]
    assert list(lines["name"]) == [name for _, name, *_ in LINES_2022]


def test_the_migration_seeds_the_2022_plan_the_sample_holds(tmp_path):
    """An upgraded database (no sample loaded) reads 2022 exactly as the sample does."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    versioning.upgrade_database(engine)
    sample = plans_data.tables()
    with engine.connect() as conn:
        for table in ("plan_notices", "plan_sections", "plan_lines"):
            stored = [dict(r._mapping) for r in conn.execute(sa.text(
                f"SELECT * FROM {table} WHERE year = 2022 ORDER BY id"))]
            expected = [r for r in sample[table] if r["year"] == 2022]
            assert len(stored) == len(expected), table
            for got, want in zip(stored, expected):
                assert {k: str(v) for k, v in got.items() if k != "id"} == \
                    {k: str(v) for k, v in want.items() if k != "id"}, table
    engine.dispose()


def test_work_spanning_years_is_carried_over_once(engine_2023, app_on):
    """2022's unfinished faces and key tasks show as carried over in 2023, not in its counts."""
    with engine_2023.connect() as conn:
        faces = conn.execute(sa.text(
            "SELECT COUNT(*), SUM(CASE WHEN accepted_on IS NOT NULL THEN 1 ELSE 0 END) "
            "FROM working_faces WHERE plan_year < 2023 "
            "AND (accepted_on IS NULL OR accepted_on >= '2023-01-01')")).one()
        tasks = conn.execute(sa.text(
            "SELECT COUNT(*) FROM key_tasks t WHERE t.year < 2023 AND NOT EXISTS ("
            "SELECT 1 FROM task_progress_reports r WHERE r.task_id = t.id "
            "AND r.progress_pct >= 100 AND r.reported_on < '2023-01-01')")).scalar()
        tasks_done = conn.execute(sa.text(
            "SELECT COUNT(DISTINCT r.task_id) FROM task_progress_reports r "
            "JOIN key_tasks t ON t.id = r.task_id WHERE t.year < 2023 AND r.progress_pct >= 100 "
            "AND r.reported_on >= '2023-01-01' AND r.reported_on <= :d AND NOT EXISTS ("
            "SELECT 1 FROM task_progress_reports e WHERE e.task_id = t.id "
            "AND e.progress_pct >= 100 AND e.reported_on < '2023-01-01')"), {"d": AS_OF}).scalar()
        this_year_faces = conn.execute(sa.text(
            "SELECT COUNT(*) FROM working_faces WHERE plan_year = 2023")).scalar()
    assert faces[0] > 0 and tasks > 0
    mining_page = open_page(app_on(), "mining", as_of=AS_OF.isoformat())
    captions = [shown(c.value) for c in mining_page.caption]
    assert CARRIED_OVER["faces"].format(carried=faces[0], built=faces[1] or 0) in captions
    assert f"本年度计划 {this_year_faces}处" in captions
    rectification_page = open_page(app_on(), "rectification", as_of=AS_OF.isoformat())
    assert CARRIED_OVER["tasks"].format(carried=tasks, completed=tasks_done) in [
        shown(c.value) for c in rectification_page.caption]


@pytest.mark.parametrize("as_of", [dt.date(2022, 3, 31), dt.date(2022, 11, 25)])
def test_carry_over_counts_agree_with_sql_on_every_backend(conn, as_of):
    start = dt.date(as_of.year, 1, 1)
    faces = conn.execute(sa.text(
        "SELECT COUNT(*) FROM working_faces WHERE plan_year < :y "
        "AND (accepted_on IS NULL OR accepted_on >= :s)"), {"y": as_of.year, "s": start}).scalar()
    tasks = conn.execute(sa.text(
        "SELECT COUNT(*) FROM key_tasks t WHERE t.year < :y AND NOT EXISTS ("
        "SELECT 1 FROM task_progress_reports r WHERE r.task_id = t.id "
        "AND r.progress_pct >= 100 AND r.reported_on < :s)"), {"y": as_of.year, "s": start}).scalar()
    assert carryover.count_carried_over_faces(conn, as_of=as_of)["carried"] == faces
    assert carryover.count_carried_over_tasks(conn, as_of=as_of)["carried"] == tasks
