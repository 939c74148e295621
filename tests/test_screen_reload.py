"""The screen's daily reload in a real browser: forced early (the tests' setting
DASHBOARD_SCREEN_RELOAD_AFTER_S, in place of the 03:00 quiet hour), the page reloads itself —
its JavaScript state is new — and the rotation goes on at the view the clock says.

The quiet hour's timing is tested as functions (`tests/test_kiosk_rules.py`); here the test
waits for events (the page navigating, the script finished, the view title changing), each with
a generous limit, never for a time budget.
"""

from __future__ import annotations

from tests.browser import FINISHED, chromium, open_and_wait, serve_app
from tests.test_screen_restart import TITLE, wait_for_next_view

VIEWS = {"态势总览", "事故控制"}


def test_the_screen_reloads_itself_and_the_rotation_resumes(sample_sqlite_url):
    env = {"DATABASE_URL": sample_sqlite_url, "DASHBOARD_SCREEN_RELOAD_AFTER_S": "15"}
    with serve_app(env=env) as base, chromium() as page:
        url = f"{base}/?kiosk=1&rotate=5&views=overview,accidents"
        open_and_wait(page, url, timeout_ms=120_000)
        # A mark in the page's own JavaScript state: the reload wipes it.
        page.evaluate("window.__screenMark = 'before reload'")
        before = page.url
        with page.expect_event("framenavigated", timeout=240_000,
                               predicate=lambda frame: frame == page.main_frame):
            pass
        page.wait_for_selector(FINISHED, timeout=120_000)
        assert page.url == before, "the same screen, with its settings"
        page.wait_for_selector(TITLE, timeout=120_000)
        assert page.evaluate("window.__screenMark") is None, "the page was reloaded"
        shown = page.locator(TITLE).inner_text()
        after = wait_for_next_view(page, shown)
        assert {shown, after} == VIEWS, "the rotation goes on after the reload"
        assert page.locator('[data-testid="stException"]').count() == 0
