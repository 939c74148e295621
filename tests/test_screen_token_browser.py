"""The meeting-room screen's token in Chromium, on a server that requires login (oidc mode): the
screen opens with its token and no interactive login and rotates; an unknown token is refused;
revoking the token stops the running screen, without a reload, at its next refresh period
(docs/security.md)."""

from __future__ import annotations

import time

import pytest

from data_access import access, db
from tests.browser import chromium, open_and_wait, serve_app
from ui.kiosk import refresh_epoch
from ui.labels import AUTH_TEXT

REFRESH_MIN = 1
SCREEN = "三楼会议室"


@pytest.fixture
def screen_app(tmp_path, sample_sqlite_path):
    copy = tmp_path / "screen.sqlite"
    copy.write_bytes(sample_sqlite_path.read_bytes())
    engine = db.create_bureau_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        token = access.new_screen_token(conn, SCREEN, by="t")
    env = {"DATABASE_URL": f"sqlite:///{copy}", "DASHBOARD_AUTH_MODE": "oidc"}
    with serve_app(env=env) as base:
        yield {"base": str(base), "engine": engine, "token": token}
    engine.dispose()


def view_title(page) -> str:
    return page.locator(".screen-head .view").inner_text()


def test_the_screen_rotates_with_its_token_and_stops_within_a_refresh_of_revoking(screen_app):
    with chromium() as page:
        open_and_wait(page, f"{screen_app['base']}/?kiosk=1&token=forged-token")
        assert AUTH_TEXT["screen_revoked"] in page.locator("body").inner_text()
        open_and_wait(page, f"{screen_app['base']}/?kiosk=1&rotate=5&refresh={REFRESH_MIN}"
                            f"&token={screen_app['token']}")
        first = view_title(page)
        page.wait_for_function(  # it rotates: an event, with room for a busy machine
            "last => document.querySelector('.screen-head .view')?.innerText !== last",
            arg=first, timeout=180_000)
        assert AUTH_TEXT["screen_revoked"] not in page.locator("body").inner_text()
        with screen_app["engine"].begin() as conn:
            access.revoke_screen_token(conn, SCREEN)
        revoked = time.time()
        page.wait_for_function("text => document.body.innerText.includes(text)",
                               arg=AUTH_TEXT["screen_revoked"], timeout=240_000)
        # Checked once per refresh period: it shows in the period after the revocation's (one
        # more allowed for a busy machine), long before the reads' 5-minute cache would expire.
        assert refresh_epoch(time.time(), REFRESH_MIN) - refresh_epoch(revoked, REFRESH_MIN) <= 2
