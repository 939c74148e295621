"""The launchers' warm-up (deploy/warmup.py, docs/navigation.md), over Streamlit's own WebSocket
protocol: a process started as the launchers start it has had its first session, so the first
request for an address no page has gets the Chinese notice and no `page_not_found` (the
message behind Streamlit's English dialog). Also when that first session stops before the menu:
at the login page (proxy login, the warm-up not logged in) or at the message for a database
that is away. A bare `streamlit run app.py` still answers that request with `page_not_found`."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys

import pytest

from deploy.cluster import warmup_args
from deploy.session import PageView, Session
from tests.browser import ROOT, serve_app
from tests.conftest import shown
from ui.labels import APP_TITLE, AUTH_TEXT, MESSAGES, NAV_TEXT

UNKNOWN = "no-such-page"
AWAY = "postgresql+psycopg://nobody@127.0.0.1:1/none"
PROXY = {"DASHBOARD_AUTH_MODE": "proxy", "DASHBOARD_PROXY_SECRET": "warm-up-test-secret-4f9c",
         "DASHBOARD_ALLOW_WITHOUT_LOGIN": ""}


def first_visit(base: str, page: str = UNKNOWN) -> PageView:
    """What one new session opening `/page` is sent, as a browser would be."""
    async def visit() -> PageView:
        session = Session(base, random.Random(0))
        try:
            render = await session.open(page)
        finally:
            await session.close()
        assert render.finished, render.errors
        return session.view
    return asyncio.run(visit())


def _alerts(view: PageView) -> list[str]:
    return [alert.body for alert in view.of_kind("alert")]


@pytest.mark.parametrize("case", ["no login", "proxy login", "database away"])
def test_after_the_warm_up_an_unknown_first_address_gets_no_english_dialog(case,
                                                                           sample_sqlite_url):
    env = {"DATABASE_URL": AWAY if case == "database away" else sample_sqlite_url,
           **(PROXY if case == "proxy login" else {})}
    with serve_app(env=env, warm_up=True) as base:
        view = first_visit(base)
        # The default page's own name is no address either (its url_path is empty).
        home = first_visit(base, "home") if case == "no login" else None
    assert not [p for p in view.problems if p.startswith("page not found")], view.problems
    if case == "no login":
        assert view.headings() == [NAV_TEXT["not_found_title"]]
        assert any(f"/{UNKNOWN}" in shown(alert) for alert in _alerts(view))
        assert home.headings() == [NAV_TEXT["not_found_title"]] and not home.problems
    else:
        assert view.headings() == [APP_TITLE]
        expected = AUTH_TEXT["proxy_refused"] if case == "proxy login" \
            else MESSAGES["db_unreachable"]
        assert _alerts(view) == [expected]


def test_a_bare_streamlit_run_answers_an_unknown_first_address_with_page_not_found(
        sample_sqlite_url):
    with serve_app(env={"DATABASE_URL": sample_sqlite_url}) as base:
        view = first_visit(base)
    assert [p for p in view.problems if p.startswith("page not found")], view.problems


def test_the_warm_up_gives_up_on_a_server_that_never_answers():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        # Nothing listens on the port: a failure once the time is up, and the reason.
        waited = subprocess.run([sys.executable, "-m", *warmup_args(1, sleeper.pid),
                                 "--timeout", "2"], cwd=ROOT, capture_output=True, text=True,
                                timeout=60)
        assert waited.returncode == 1 and "没有响应" in waited.stderr
        # The server process has gone (a failed start, Ctrl-C on `make run`): quietly done.
        sleeper.kill()
        sleeper.wait()
        gone = subprocess.run([sys.executable, "-m", *warmup_args(1, sleeper.pid)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert gone.returncode == 0 and not gone.stderr
    finally:
        sleeper.kill()
