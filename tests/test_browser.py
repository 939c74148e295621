"""Every page in a real browser: Debian's Chromium against `streamlit run`, no network."""

from __future__ import annotations

import re

import pytest

from tests.browser import FINISHED, PAGES, chromium, open_and_wait, serve_app
from ui.screen import VIEWS

TITLES = {"overview": "态势总览", "accidents": "事故控制", "rectification": "专项整治",
          "mining": "智能化建设", "resources": "应急资源"}
SCREEN_TITLES = [view.title for view in VIEWS]
# What st.date_input's calendar shows on an English browser: month and weekday names.
ENGLISH_DATE_WORDS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Su|Mo|Tu|We|Th|Fr|Sa)\b")


@pytest.fixture(scope="module")
def page():
    with chromium() as browser_page:
        yield browser_page


@pytest.fixture(scope="module")
def base(sample_sqlite_url):
    with serve_app(env={"DATABASE_URL": sample_sqlite_url}) as url:
        yield url


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors(page, base, name):
    open_and_wait(page, f"{base}/{name}?as_of=2022-11-25")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator("h1").first.inner_text().startswith(TITLES[name])
    assert "示例数据" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert "2022-11-25" in page.url


def test_the_as_of_date_is_picked_in_chinese_on_an_english_browser(page, base):
    english = page.context.browser.new_context(viewport={"width": 1366, "height": 768},
                                               locale="en-US")
    try:
        _pick_a_date_on(english.new_page(), base)
    finally:
        english.close()


def _pick_a_date_on(page, base: str) -> None:
    """Pick 6月 and 30日 in the sidebar of a browser whose language is English."""
    open_and_wait(page, f"{base}/accidents?as_of=2022-11-25")
    assert page.evaluate("navigator.language") == "en-US"
    sidebar = page.locator('[data-testid="stSidebar"]')
    seen = [sidebar.inner_text()]
    for key, choice, as_of in (("month", "6月", "2022-06-25"), ("day", "30日", "2022-06-30")):
        sidebar.locator(f'.st-key-global-as_of-{key} [role="combobox"]').click()
        page.locator('[role="listbox"]').wait_for(timeout=60_000)
        seen.append(page.locator('[role="listbox"]').inner_text())
        page.keyboard.type(choice)
        page.get_by_role("option", name=choice, exact=True).click()
        page.wait_for_url(f"**as_of={as_of}**", timeout=60_000)
        page.wait_for_selector(FINISHED, timeout=60_000)
    english = ENGLISH_DATE_WORDS.findall("\n".join(seen + [sidebar.inner_text()]))
    assert not english, english
    assert "1月" in seen[1] and "1日" in seen[2], seen  # the lists were read
    header = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    assert "至2022年6月30日" in header.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_unreachable_database_shows_the_chinese_message_in_the_browser(page):
    with serve_app(env={"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}) as down:
        open_and_wait(page, f"{down}/accidents")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "无法连接业务数据库" in page.locator('[data-testid="stAlertContentError"]').inner_text()


def _view_once_settled(page) -> str:
    """The screen's current view title, read when no script or fragment run is in progress."""
    page.wait_for_selector(FINISHED, timeout=60_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(FINISHED, timeout=60_000)
    return page.locator(".screen-head .view").inner_text()


def test_kiosk_has_no_chrome_fits_the_screen_and_rotates(page, base):
    open_and_wait(page, f"{base}/?kiosk=1&rotate=5")
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    assert page.locator('[data-testid="stToolbar"]').count() == 0 or \
        page.locator('[data-testid="stToolbar"]').is_hidden()
    seen = [_view_once_settled(page)]
    while len(set(seen)) < len(SCREEN_TITLES):
        # Every view: no widgets or element toolbars, and it fits 1920×1080 without scrolling.
        controls = page.locator("input, select, textarea, button").filter(visible=True)
        assert controls.count() == 0, f"controls on {seen[-1]}"
        main = page.locator('[data-testid="stMain"]').evaluate(
            "m => [m.scrollHeight, m.clientHeight]")
        assert main[0] <= main[1], f"vertical scrolling needed on {seen[-1]}: {main}"
        assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
        page.wait_for_function(
            "last => document.querySelector('.screen-head .view')?.innerText !== last",
            arg=seen[-1], timeout=180_000)  # an event, with room for a busy machine
        seen.append(_view_once_settled(page))
    assert set(seen) == set(SCREEN_TITLES)
    assert page.locator('[data-testid="stException"]').count() == 0
