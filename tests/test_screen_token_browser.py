"""The meeting-room screen's token in Chromium, on a server that requires login (oidc mode): the
screen opens with its token and no interactive login and rotates; an unknown token, or one
replaced by a new token for the same screen, is refused; replacing or revoking the token stops
a running screen, without a reload, at its next refresh period (docs/security.md)."""

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


def screen_url(base: str, token: str) -> str:
    return f"{base}/?kiosk=1&rotate=5&refresh={REFRESH_MIN}&token={token}"


def shows_revoked(page) -> bool:
    return AUTH_TEXT["screen_revoked"] in page.locator("body").inner_text()


def wait_until_revoked(page) -> None:
    """The running screen, without a reload, says its token is no longer valid."""
    page.wait_for_function("text => document.body.innerText.includes(text)",
                           arg=AUTH_TEXT["screen_revoked"], timeout=240_000)


def test_the_screen_rotates_with_its_token_and_stops_within_a_refresh_of_revoking(screen_app):
    base = screen_app["base"]
    with chromium() as first:
        open_and_wait(first, f"{base}/?kiosk=1&token=forged-token")
        assert shows_revoked(first)
        open_and_wait(first, screen_url(base, screen_app["token"]))
        shown = view_title(first)
        first.wait_for_function(  # it rotates: an event, with room for a busy machine
            "last => document.querySelector('.screen-head .view')?.innerText !== last",
            arg=shown, timeout=180_000)
        assert not shows_revoked(first)
        # A new token for the same screen replaces the old one: the new link opens, the old
        # one no longer does.
        with screen_app["engine"].begin() as conn:
            rotated = access.new_screen_token(conn, SCREEN, by="t")
        changed = time.time()
        second = first.context.browser.new_page(viewport=first.viewport_size)
        open_and_wait(second, screen_url(base, rotated))
        assert view_title(second) and not shows_revoked(second)
        third = first.context.browser.new_page(viewport=first.viewport_size)
        open_and_wait(third, screen_url(base, screen_app["token"]))
        assert shows_revoked(third)
        with screen_app["engine"].begin() as conn:
            access.revoke_screen_token(conn, SCREEN)
        # Both running screens stop, without a reload: the token is checked once per refresh
        # period, so the message comes in the period after the change (one more allowed for a
        # busy machine), long before the reads' 5-minute cache would expire.
        wait_until_revoked(first)
        wait_until_revoked(second)
        assert refresh_epoch(time.time(), REFRESH_MIN) - refresh_epoch(changed, REFRESH_MIN) <= 2
