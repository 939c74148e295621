"""Every page on the dirty, hostile copy of the sample (tests/hostile/dirty.py), on SQLite,
PostgreSQL and MariaDB: no exception and no English error; the 数据质量 notice counts exactly the
rows planted as unusable; the figures equal independent SQL over the usable rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, as_of_shown, metric_values, open_page
from tests.hostile import dirty
from tests.scratch_db import scratch_url
from tests.sqlcheck import scalar

BACKENDS = ("sqlite", "postgresql", "mysql")
AS_OF = dirty.AS_OF
YEAR = {"start": dt.datetime(2022, 1, 1), "end": dt.datetime(2022, 11, 26)}
# The latest date a record of something that happened may carry (the day after tomorrow).
CUTOFF = dt.date.today() + dt.timedelta(days=3)

# Independent SQL: the rows planted as unusable, per table (see dirty.STATEMENTS). Repeated
# keys are read from a derived table, which MariaDB materialises once (a plain IN (… GROUP BY)
# subquery it runs again for every row).
ACCIDENTS_BAD = (
    "grade NOT IN ('extra_major', 'major', 'larger', 'general') OR deaths < 0 "
    "OR occurred_at >= :cutoff OR unit_code NOT IN (SELECT code FROM units) "
    "OR id IN (SELECT id FROM (SELECT id FROM accidents GROUP BY id HAVING COUNT(*) > 1) d)")
HAZARDS_BAD = (
    "(closed_on IS NOT NULL AND closed_on >= :cutoff) OR found_on >= :cutoff "
    "OR code IN (SELECT code FROM (SELECT code FROM hidden_dangers GROUP BY code "
    "HAVING COUNT(*) > 1) d)")
SET_ASIDE = {
    "accidents": f"SELECT COUNT(*) FROM accidents WHERE {ACCIDENTS_BAD}",
    "hidden_dangers": f"SELECT COUNT(*) FROM hidden_dangers WHERE {HAZARDS_BAD}",
    "key_tasks": "SELECT COUNT(*) FROM key_tasks WHERE deadline IS NULL",
    "working_faces": "SELECT COUNT(*) FROM working_faces WHERE planned_on IS NULL",
    "resource_sites": "SELECT COUNT(*) FROM resource_sites WHERE kind NOT IN "
                      "('warehouse', 'team', 'shelter', 'depot')",
}
PAGE_TABLES = {
    "overview": tuple(SET_ASIDE),
    "accidents": ("accidents",),
    "rectification": ("key_tasks", "hidden_dangers"),
    "mining": ("working_faces",),
    "resources": ("resource_sites",),
}
ENGLISH = re.compile(r"Traceback|Error|Exception|error has occurred|KeyError|TypeError")


@pytest.fixture(scope="module", params=BACKENDS)
def dirty_url(request, sample_sqlite_url, tmp_path_factory) -> str:
    url = scratch_url(request.param, "dirty", tmp_path_factory)
    dirty.build_dirty(sample_sqlite_url, url)
    return url


@pytest.fixture
def dirty_conn(dirty_url):
    engine = sa.create_engine(dirty_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def _open(monkeypatch, url: str, page: str, **params: str) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return open_page(at, page, as_of=AS_OF.isoformat(), **params)


def _texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "info", "markdown", "caption",
                                              "exception")
                    for e in at.get(kind))


def _set_aside(conn, table: str) -> int:
    sql = SET_ASIDE[table]
    return scalar(conn, sql, **({"cutoff": CUTOFF} if ":cutoff" in sql else {}))


def _notice_rows(at: AppTest) -> int:
    label = next(e.label for e in at.expander if e.label.startswith("数据质量"))
    return int(re.search(r"有 ([\d,]+) 条", label).group(1).replace(",", ""))


@pytest.mark.parametrize("page", list(PAGE_TABLES))
def test_every_page_runs_and_names_what_it_set_aside(monkeypatch, dirty_url, dirty_conn, page):
    if page == "overview":
        at = _open(monkeypatch, dirty_url, page)
        summary = next(w.value for w in at.warning if "未计入统计" in w.value)
        rows = int(re.search(r"共有 ([\d,]+) 条", summary).group(1).replace(",", ""))
    else:
        at = _open(monkeypatch, dirty_url, page)
        rows = _notice_rows(at)
    assert not at.exception
    assert not ENGLISH.search(_texts(at)), _texts(at)[:500]
    expected = sum(_set_aside(dirty_conn, t) for t in PAGE_TABLES[page])
    assert expected > 0 and rows == expected


def test_accident_figures_leave_out_exactly_the_unusable_rows(monkeypatch, dirty_url,
                                                               dirty_conn):
    valid = f"occurred_at >= :start AND occurred_at < :end AND NOT ({ACCIDENTS_BAD})"
    count = scalar(dirty_conn, f"SELECT COUNT(*) FROM accidents WHERE {valid}",
                   cutoff=CUTOFF, **YEAR)
    deaths = scalar(dirty_conn, f"SELECT SUM(deaths) FROM accidents WHERE {valid}",
                    cutoff=CUTOFF, **YEAR)
    for page, labels in (("accidents", ("事故总起数", "死亡人数")),
                         ("overview", ("事故起数", "死亡人数"))):
        shown = metric_values(_open(monkeypatch, dirty_url, page))
        assert shown[labels[0]] == f"{count}起"
        assert shown[labels[1]] == f"{deaths}人"


def test_ledger_and_other_figures_leave_out_exactly_the_unusable_rows(monkeypatch, dirty_url,
                                                                      dirty_conn):
    found = scalar(dirty_conn, "SELECT COUNT(*) FROM hidden_dangers WHERE found_on >= :start "
                               f"AND found_on <= :as_of AND NOT ({HAZARDS_BAD})",
                   start=dt.date(2022, 1, 1), as_of=AS_OF, cutoff=CUTOFF)
    shown = metric_values(_open(monkeypatch, dirty_url, "rectification"))
    assert shown["发现隐患"] == f"{found:,}项"
    teams = scalar(dirty_conn, "SELECT COUNT(*) FROM resource_sites WHERE kind = 'team'")
    assert metric_values(_open(monkeypatch, dirty_url, "resources"))["救援队伍"] == f"{teams}支"


def test_the_as_of_date_is_not_moved_by_rows_dated_in_the_future(monkeypatch, dirty_url):
    at = _open(monkeypatch, dirty_url, "overview")
    assert at.query_params["as_of"] in ("2022-11-25", ["2022-11-25"])
    assert as_of_shown(at) == AS_OF


@pytest.mark.parametrize("view", ["overview", "scorecard", "accidents", "rectification",
                                  "mining", "resources"])
def test_every_screen_view_runs_and_says_what_it_set_aside(monkeypatch, dirty_url, dirty_conn,
                                                           view):
    import streamlit as st

    monkeypatch.setenv("DATABASE_URL", dirty_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"kiosk": "1", "views": view})
    at.run()
    assert not at.exception
    shown = " ".join(h.body for h in at.get("html"))
    assert not ENGLISH.search(_texts(at) + shown)
    expected = sum(_set_aside(dirty_conn, t) for t in PAGE_TABLES["overview"])
    assert f"数据质量:{expected:,}条记录未计入" in shown
    assert "evil.example" not in shown or "&lt;" in shown  # data in HTML only escaped
