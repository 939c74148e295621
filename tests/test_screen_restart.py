"""The app server restarts under a running screen (a deployment, a crash, a reboot of the
server): the browser reconnects by itself and the rotation goes on, with no reload.

The test waits for events (the server healthy again, the view title changing), each with a
generous limit, never for a time budget: on a busy machine it is only slower.
"""

from __future__ import annotations

from tests.browser import FINISHED, chromium, free_port, open_and_wait, serve_app

TITLE = ".screen-head .view"


def wait_for_next_view(page, shown: str) -> str:
    page.wait_for_function(f"last => document.querySelector('{TITLE}')?.innerText !== last",
                           arg=shown, timeout=180_000)
    page.wait_for_selector(FINISHED, timeout=120_000)
    return page.locator(TITLE).inner_text()


def test_rotation_resumes_after_the_server_restarts_without_a_reload(sample_sqlite_url):
    env = {"DATABASE_URL": sample_sqlite_url}
    port = free_port()
    with chromium() as page:
        with serve_app(env=env, port=port) as base:
            open_and_wait(page, f"{base}/?kiosk=1&rotate=5&views=overview,accidents")
            # A mark in the page's own JavaScript state: a reload would wipe it.
            page.evaluate("window.__screenMark = 'before restart'")
            first = page.locator(TITLE).inner_text()
            wait_for_next_view(page, first)
        # The server is gone: the page stays as it was (no error screen), waiting to reconnect.
        assert page.locator('[data-testid="stException"]').count() == 0
        with serve_app(env=env, port=port):
            shown = page.locator(TITLE).inner_text()
            after = wait_for_next_view(page, shown)
            again = wait_for_next_view(page, after)
            assert {after, again} == {"态势总览", "事故控制"}, "both views come round again"
            assert page.evaluate("window.__screenMark") == "before restart", "no reload"
            assert page.locator('[data-testid="stException"]').count() == 0
