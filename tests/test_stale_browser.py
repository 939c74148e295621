"""The meeting-room screen in Chromium while its PostgreSQL server is frozen (SIGSTOP on every
process of a cluster the tests started): within the query timeout and one turn the screen says
"数据更新于 HH:MM,数据库暂不可用" over its last good figures, keeps its header, clock and
rotation, and after SIGCONT shows fresh data again without a reload."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from data_access import schema
from tests.browser import FINISHED, chromium, open_and_wait, serve_app

STALE = re.compile(r"数据更新于 \d\d:\d\d,数据库暂不可用")
WAIT_MS = 120_000  # generous: a busy 2-core machine, a 2 s query timeout, 5 s turns
METRICS_JS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')]
  .map(m => [m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
             m.querySelector('[data-testid="stMetricValue"]').innerText.trim()]))"""
SHOWS_VIEW_JS = """title => document.querySelector('.screen-head .view')?.innerText === title
  && document.querySelectorAll('[data-testid="stMetric"]').length > 0"""


def overview_metrics(page) -> dict[str, str]:
    """The overview view's tiles, read once it is on screen and no run is under way."""
    page.wait_for_function(SHOWS_VIEW_JS, arg="态势总览", timeout=WAIT_MS)
    page.wait_for_selector(FINISHED, timeout=WAIT_MS)
    page.wait_for_function(SHOWS_VIEW_JS, arg="态势总览", timeout=WAIT_MS)
    return page.evaluate(METRICS_JS)


def add_accident(url: str) -> None:
    """A new accident on the latest day, recorded as an import (a new data version)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        sector = conn.execute(sa.select(schema.sectors.c.code).limit(1)).scalar()
        conn.execute(schema.accidents.insert().values(
            code="STALE-TEST-1", occurred_at=dt.datetime(2022, 11, 25, 8, 0),
            unit_code="140423", sector_code=sector, grade="general", deaths=0,
            serious_injuries=0, direct_loss_wan=1, summary="冻结测试后新增"))
        conn.execute(schema.import_batches.insert().values(
            kind="import", started_at=dt.datetime.now(), finished_at=dt.datetime.now(),
            files="[]", summary="{}"))
    engine.dispose()


def test_frozen_database_under_a_running_screen(throwaway_postgres):
    env = {"DATABASE_URL": throwaway_postgres.url(), "DASHBOARD_QUERY_TIMEOUT": "2"}
    with serve_app(env=env) as base, chromium() as page:
        open_and_wait(page, f"{base}/?kiosk=1&views=overview,accidents&rotate=5&refresh=1")
        page.evaluate("window.sameDocument = true")  # gone if the browser reloads
        before = overview_metrics(page)
        assert before["事故起数"].endswith("起")
        throwaway_postgres.freeze()
        try:
            page.wait_for_selector(".screen-stale", timeout=WAIT_MS)
            assert STALE.fullmatch(page.locator(".screen-stale").inner_text().strip())
            assert overview_metrics(page) == before, "the last good figures stay"
            assert page.locator(".screen-stale").is_visible()
            assert page.locator(".screen-head .title").inner_text().startswith("长治市应急管理局")
            assert page.locator("iframe").count() >= 1, "the clock stays"
            page.wait_for_function(SHOWS_VIEW_JS, arg="事故控制", timeout=WAIT_MS)  # rotation
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            throwaway_postgres.thaw()
        page.wait_for_selector(".screen-stale", state="detached", timeout=WAIT_MS)
        add_accident(throwaway_postgres.url())
        added = f"{int(before['事故起数'].removesuffix('起').replace(',', '')) + 1:,}起"
        page.wait_for_function(
            """([title, label, value]) => {
                 const view = document.querySelector('.screen-head .view')?.innerText;
                 const tiles = [...document.querySelectorAll('[data-testid="stMetric"]')];
                 return view === title && tiles.some(m =>
                   m.querySelector('[data-testid="stMetricLabel"]').innerText.trim() === label
                   && m.querySelector('[data-testid="stMetricValue"]').innerText.trim() === value);
               }""", arg=["态势总览", "事故起数", added], timeout=WAIT_MS)
        assert page.evaluate("window.sameDocument") is True, "no reload"
        assert page.locator(".screen-stale").count() == 0
