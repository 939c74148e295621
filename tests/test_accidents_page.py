"""The accident control page through app.py (AppTest): every headline figure, the unit table,
the data-quality note and the drill-down list equal hand-written SQL on the sample database."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os

import pandas as pd
import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access import accident_rules as rules
from tests.conftest import ROOT, metric_values, open_page, shown
from tests.sqlcheck import day_bounds, rows, scalar
from ui import brief
from ui.figures.accidents import export_files
from ui.labels import ACCIDENT_LIST_COLUMNS

AS_OF = dt.date(2022, 11, 25)
GRADE_LABELS = {"extra_major": "特别重大事故", "major": "重大事故", "larger": "较大事故",
                "general": "一般事故"}


def where(unit: str | None = None, sector: str | None = None) -> tuple[str, dict]:
    sql, params = "", {}
    if unit:
        sql, params["unit"] = sql + " AND unit_code = :unit", unit
    if sector:
        sql, params["sector"] = sql + " AND sector_code = :sector", sector
    return sql, params


def count(sample_conn, as_of: dt.date, what: str = "COUNT(*)", extra: str = "", **params) -> int:
    return scalar(sample_conn, f"SELECT {what} FROM accidents WHERE occurred_at >= :start "
                      f"AND occurred_at < :end{extra}", **day_bounds(as_of), **params)


def target(sample_conn, metric: str, unit: str | None = None, sector: str | None = None,
           year: int = 2022) -> int | None:
    """The indicator from the targets table, or None where no row exists (未设定)."""
    found = rows(sample_conn, "SELECT value FROM targets WHERE year = :year AND metric = :metric AND "
                     "COALESCE(unit_code, '') = :unit AND COALESCE(sector_code, '') = :sector",
                 year=year, metric=metric, unit=unit or "", sector=sector or "")
    return None if not found else int(found[0][0])


def tile_of(at, label: str):
    """The column that holds the metric `label`."""
    for column in at.columns:
        if any(m.label == label for m in column.metric):
            return column
    raise AssertionError(f"no tile {label}")


def tile_caption(at, label: str) -> str:
    return " ".join(c.value for c in tile_of(at, label).caption)


def indicator_text(value: int | None, unit: str) -> str:
    return "控制指标 未设定" if value is None else f"控制指标 {value}{unit}"


def frame_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize(("as_of", "unit", "sector"), [
    (AS_OF, None, None),
    (dt.date(2022, 6, 30), "140423", None),
    (AS_OF, "JKQ", None),           # 经开区 has no indicator: 未设定, never 0
    (AS_OF, None, "road_transport"),
])
def test_headline_matches_sql(app, sample_conn, as_of, unit, sector):
    params = {"as_of": as_of.isoformat(), **({"unit": unit} if unit else {}),
              **({"acc_sector": sector} if sector else {})}
    at = open_page(app, "accidents", **params)
    shown = metric_values(at)
    extra, filt = where(unit, sector)
    last_year = as_of.replace(year=as_of.year - 1)
    for grade, label in GRADE_LABELS.items():
        used = count(sample_conn, as_of, extra=extra + " AND grade = :grade", grade=grade, **filt)
        assert shown[label] == f"{used}起"
        last = count(sample_conn, last_year, extra=extra + " AND grade = :grade", grade=grade, **filt)
        limit = target(sample_conn, f"accidents_{grade}", unit, sector)
        caption = tile_caption(at, label)
        assert indicator_text(limit, "起") in caption
        assert f"去年同期 {last}起" in caption
        if grade in ("extra_major", "major") and used:
            assert "超标" in " ".join(m.value for m in tile_of(at, label).markdown)
    total = count(sample_conn, as_of, extra=extra, **filt)
    assert shown["事故总起数"] == f"{total}起"
    assert indicator_text(target(sample_conn, "accidents_total", unit, sector), "起") in tile_caption(
        at, "事故总起数")
    deaths = count(sample_conn, as_of, "SUM(deaths)", extra=extra, **filt)
    assert shown["死亡人数"] == f"{deaths}人"
    death_limit = target(sample_conn, "deaths", unit, sector)
    progress_texts = [p.proto.text for p in at.get("progress")]
    if death_limit is None:
        assert "死亡控制指标 未设定" in progress_texts
    else:
        assert f"死亡控制指标已用 {deaths / death_limit:.1%}({deaths}/{death_limit}人)" in \
            progress_texts
    day = as_of.timetuple().tm_yday
    assert f"时间进度 {day / 365:.1%}" in progress_texts


def test_city_status_colours_on_the_sample(app, sample_conn):
    """On 2022-11-25 (90.1% of the year) the city's 较大 indicator is used up (2 of 2) and
    deaths sit just under time progress: 超进度 and 预警."""
    at = open_page(app, "accidents", as_of=AS_OF.isoformat())
    larger = count(sample_conn, AS_OF, extra=" AND grade = 'larger'")
    assert (larger, target(sample_conn, "accidents_larger")) == (2, 2)
    assert ":red-badge[超进度]" in " ".join(m.value for m in tile_of(at, "较大事故").markdown)
    deaths, limit = count(sample_conn, AS_OF, "SUM(deaths)"), target(sample_conn, "deaths")
    assert 0.9 * 329 / 365 < deaths / limit <= 329 / 365
    assert ":orange-badge[预警]" in " ".join(m.value for m in tile_of(at, "死亡人数").markdown)


def test_unit_table_matches_sql(app, sample_conn):
    at = open_page(app, "accidents", as_of=AS_OF.isoformat())
    table = frame_with(at, "used_accidents")
    names = dict(rows(sample_conn, "SELECT name, code FROM units"))
    previous = AS_OF - dt.timedelta(days=7)
    expected_units = {code for (code,) in rows(sample_conn, "SELECT code FROM units WHERE code <> '140400'")}
    assert {names[n] for n in table["name"]} == expected_units
    for r in table.itertuples():
        code = names[r.name]
        deaths = count(sample_conn, AS_OF, "SUM(deaths)", " AND unit_code = :unit", unit=code)
        assert r.used_deaths == deaths
        assert r.used_accidents == count(sample_conn, AS_OF, extra=" AND unit_code = :unit", unit=code)
        limit = target(sample_conn, "deaths", code)
        assert r.limit_deaths == ("未设定" if limit is None else str(limit))
        count_limit = target(sample_conn, "accidents_total", code)
        assert r.limit_accidents == ("未设定" if count_limit is None else str(count_limit))
        if limit is None:
            assert pd.isna(r.share_deaths) and "未设定" in r.status_deaths
        else:
            assert r.share_deaths == pytest.approx(round(deaths / limit * 100, 1))
        week = scalar(sample_conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :start AND "
                          "occurred_at < :end AND unit_code = :unit",
                      start=dt.datetime.combine(previous + dt.timedelta(days=1), dt.time()),
                      end=day_bounds(AS_OF)["end"], unit=code)
        assert r.week_deaths == week
    # Worst first: 超标 before 超进度 before 预警 before 正常 before 未设定.
    order = ["超标", "超进度", "预警", "正常", "未设定"]
    ranks = [order.index(s.split(" ", 1)[1]) for s in table["status_deaths"]]
    assert ranks == sorted(ranks)
    assert table["name"].iloc[-1] == "经开区"


def test_unit_chart_shows_consumption_per_unit(app, sample_conn):
    at = open_page(app, "accidents", as_of=AS_OF.isoformat())
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = spec["data"][0]
    for code, share in zip(bar["customdata"], bar["x"]):
        limit = target(sample_conn, "deaths", code)
        deaths = count(sample_conn, AS_OF, "SUM(deaths)", " AND unit_code = :unit", unit=code)
        assert share == pytest.approx(0 if limit is None else deaths / limit * 100)


def test_grade_check_note_lists_the_disagreeing_records(app, sample_conn):
    at = open_page(app, "accidents", as_of=AS_OF.isoformat())
    note = shown(" ".join(w.value for w in at.warning))
    disagreeing = rows(sample_conn, """
        SELECT code FROM accidents WHERE occurred_at >= :start AND occurred_at < :end AND (
            (grade = 'general' AND (deaths >= 3 OR serious_injuries >= 10
                                    OR direct_loss_wan >= 1000))
         OR (grade = 'larger' AND NOT (deaths BETWEEN 3 AND 9 OR serious_injuries BETWEEN 10 AND 49
                                       OR (direct_loss_wan >= 1000 AND direct_loss_wan < 5000))))
        """, **day_bounds(AS_OF))
    assert len(disagreeing) == 2
    assert f"{len(disagreeing)}起事故的填报等级" in note
    for (code,) in disagreeing:
        assert f"{code}(" in note
    listed = frame_with(at, "grade_check")
    flagged = set(listed.loc[listed["grade_check"] != "", "code"])
    assert flagged == {r[0] for r in disagreeing}


def test_drilldown_list_for_one_unit_is_exactly_its_accidents(app, sample_conn):
    at = open_page(app, "accidents", as_of=AS_OF.isoformat(), unit="140431")
    listed = frame_with(at, "grade_check")
    expected = rows(sample_conn, "SELECT code FROM accidents WHERE occurred_at >= :start AND "
                        "occurred_at < :end AND unit_code = '140431'", **day_bounds(AS_OF))
    assert sorted(listed["code"]) == sorted(r[0] for r in expected)
    assert set(listed["unit"]) == {"沁源县"}


def test_sector_selection_narrows_the_page_and_is_kept_in_the_url(app, sample_conn):
    at = open_page(app, "accidents", as_of=AS_OF.isoformat(), unit="140423")
    at.selectbox(key="accidents.sector").set_value("road_transport").run()
    assert not at.exception
    assert at.query_params["acc_sector"] == ["road_transport"] or \
        at.query_params["acc_sector"] == "road_transport"
    listed = frame_with(at, "grade_check")
    expected = rows(sample_conn, "SELECT code FROM accidents WHERE occurred_at >= :start AND occurred_at < "
                        ":end AND unit_code = '140423' AND sector_code = 'road_transport'",
                    **day_bounds(AS_OF))
    assert sorted(listed["code"]) == sorted(r[0] for r in expected)
    assert metric_values(at)["事故总起数"] == f"{len(expected)}起"
    # The reset button clears both the unit and the sector.
    at.button(key="accidents.reset").click().run()
    assert metric_values(at)["事故总起数"] == f"{count(sample_conn, AS_OF)}起"
    assert "acc_sector" not in at.query_params


def test_previous_review_in_last_year_counts_the_new_year_only(app, sample_conn):
    at = open_page(app, "accidents", as_of="2022-01-03")
    table = frame_with(at, "used_accidents")
    assert (table["week_deaths"] == table["used_deaths"]).all()
    assert table["used_deaths"].sum() == count(sample_conn, dt.date(2022, 1, 3), "SUM(deaths)")


def test_downloads_read_in_excel(sample_conn):
    table = pd.DataFrame({"code": ["SG2022-0001"], "unit": ["沁源县"],
                          "summary": ["顶板冒落,造成1人死亡。"]})
    make_csv, make_xlsx = export_files(table, ACCIDENT_LIST_COLUMNS)
    csv_bytes, xlsx_bytes = make_csv(), make_xlsx()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert csv_bytes.decode("utf-8-sig").splitlines()[0] == "事故编号,县区,事故简况"
    back = pd.read_excel(io.BytesIO(xlsx_bytes))
    assert list(back.columns) == ["事故编号", "县区", "事故简况"]
    assert back.iloc[0, 2] == "顶板冒落,造成1人死亡。"


def test_status_rule_matches_the_documented_example():
    """60% of the indicator used at 40% of the year is red (domain brief §2)."""
    assert rules.control_status(6, 10, 0.4).colour == "red"


def test_the_week_caption_states_the_same_week_as_the_banner(app):
    at = open_page(app, "accidents", as_of="2022-11-25")
    at.session_state["accidents.week"] = True  # open the 本周变化 block
    at.run()
    captions = " ".join(c.value for c in at.caption)
    assert "“本周新增”为2022年11月19日至2022年11月25日新增" in captions
    assert "本周指2022年11月19日至2022年11月25日" in captions


REGRADE_SQL = ("SELECT COUNT(*) FROM accidents WHERE occurred_at >= '2022-01-01' AND "
               "occurred_at < '2022-11-26' AND grade <> 'extra_major' AND "
               "(deaths >= 30 OR serious_injuries >= 100 OR direct_loss_wan >= 10000)")


@pytest.fixture()
def regraded(tmp_path, sample_sqlite_path, monkeypatch):
    """The sample with one 2022 accident of 1亿元 (10000万元) direct loss reported as 重大:
    493号 makes it 特别重大 ("以上" includes the amount itself)."""
    copy = tmp_path / "regraded.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = sa.create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        target = conn.execute(sa.text(
            "SELECT id FROM accidents WHERE grade = 'general' AND occurred_at >= '2022-03-01' "
            "AND occurred_at < '2022-11-01' ORDER BY id LIMIT 1")).scalar_one()
        conn.execute(sa.text("UPDATE accidents SET grade = 'major', direct_loss_wan = 10000 "
                             "WHERE id = :id"), {"id": target})
        expected = conn.execute(sa.text(REGRADE_SQL)).scalar_one()
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{copy}")
    st.cache_data.clear()
    st.cache_resource.clear()
    return expected


def test_a_loss_of_1e8_yuan_reported_as_major_is_named_on_every_headline(regraded):
    assert regraded >= 1
    note = f"另有{regraded}起按条例应为特别重大,待核"
    at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "accidents",
                   as_of="2022-11-25")
    assert note in " ".join(m.value for m in at.main.markdown)
    at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "overview",
                   as_of="2022-11-25")
    assert note in " ".join(m.value for m in at.main.markdown)
    screen = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    screen.query_params.update({"kiosk": "1", "views": "accidents"})
    screen.run()
    assert html.escape(note) in " ".join(h.body for h in screen.get("html"))
    engine = sa.create_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        data = brief.collect_brief_data(conn, as_of=dt.date(2022, 11, 25),
                                        since=dt.date(2022, 11, 18), unit=None)
    engine.dispose()
    assert note in brief.summary_paragraph(data)


def test_a_loss_just_under_1e8_yuan_is_not_flagged_as_extra_major():
    assert rules.grade_for(deaths=0, serious_injuries=0, direct_loss_wan=10000) == "extra_major"
    assert rules.grade_for(deaths=0, serious_injuries=0, direct_loss_wan=9999.99) == "major"
