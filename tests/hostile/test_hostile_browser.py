"""The dirty, hostile database in Chromium: hostile names in every text column and hostile link
values make no request leave the browser, no element from data-provided markup and no link to
an outside address; every download opens with no formula cell and no cell that a spreadsheet
would read as one."""

from __future__ import annotations

import csv
import io
import urllib.parse

import openpyxl
import pytest

from tests.browser import FINISHED, chromium, open_and_wait, serve_app
from tests.hostile import dirty

FORMULA_STARTS = ("=", "+", "-", "@")
# Every page and tab, and hostile values in links.
VIEWS = (
    "overview", "accidents", "rectification", "rectification?rectification.tab=隐患排查治理",
    "mining", "resources",
    "accidents?unit=" + urllib.parse.quote(dirty.LINK),
    "overview?as_of=" + urllib.parse.quote(dirty.RED),
    "accidents?acc_sector=" + urllib.parse.quote(dirty.HTML),
    "overview?unit=" + urllib.parse.quote("长" * 2_000),
)
# Elements that data-provided markup would create (the app itself draws no images from data).
MARKUP = ("a[href^='http://evil']", "img[src*='evil']", "[data-testid='stMarkdownContainer'] b",
          "a[href*='evil.example']")


@pytest.fixture(scope="module")
def hostile_base(sample_sqlite_url, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "dirty.sqlite"
    dirty.build_dirty(sample_sqlite_url, f"sqlite:///{path}")
    with serve_app(env={"DATABASE_URL": f"sqlite:///{path}"}) as base:
        yield base


def _settle(page) -> None:
    page.wait_for_selector(FINISHED, timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_selector(FINISHED, timeout=60_000)


def _outside(url: str, base: str) -> bool:
    return not (url.startswith(base) or url.startswith(("data:", "blob:", "about:")))


def test_no_request_leaves_and_no_markup_or_link_comes_from_data(hostile_base):
    requests: list[str] = []
    with chromium() as page:
        page.on("request", lambda request: requests.append(request.url))
        for view in VIEWS:
            open_and_wait(page, f"{hostile_base}/{view}")
            _settle(page)
            for selector in MARKUP:
                assert page.locator(selector).count() == 0, (view, selector)
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            assert [h for h in links if _outside(h, hostile_base)] == [], view
            assert page.locator('[data-testid="stException"]').count() == 0, view
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert "\u202e" not in text and "This app has encountered an error" not in text
            height = page.evaluate("document.querySelector('[data-testid=stSidebar]')"
                                   "?.scrollHeight || 0")
            assert height < 3000, (view, height)  # a 20,000-character value cannot swamp it
    assert [u for u in requests if _outside(u, hostile_base)] == []


def _cells(name: str, data: bytes) -> list[tuple[str, object, str]]:
    """(where, value, data type) of every cell of a downloaded file."""
    if name.endswith(".csv"):
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return [(f"{name}:{i}", value, "s") for i, row in enumerate(rows) for value in row]
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(f"{name}:{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
            for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def _download_visible(page, view: str, files: dict[str, bytes]) -> None:
    """Click every download button shown (those of other tabs are in the page but hidden)."""
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    for i in range(buttons.count()):
        if not buttons.nth(i).is_visible():
            continue
        with page.expect_download(timeout=120_000) as caught:
            buttons.nth(i).click()
        download = caught.value
        with open(download.path(), "rb") as handle:
            files[f"{view}:{download.suggested_filename}"] = handle.read()


def _download_all(page, base: str) -> dict[str, bytes]:
    files = {}
    for view in ("overview", "accidents", "rectification",
                 "rectification?rectification.tab=隐患排查治理", "mining", "resources"):
        open_and_wait(page, f"{base}/{view}")
        _settle(page)
        for expander in page.locator('[data-testid="stExpander"] summary').all():
            if "数据质量" in expander.inner_text():
                expander.click()
                _settle(page)
        _download_visible(page, view, files)
        tabs = page.locator('[data-testid="stMain"] [role="tab"]')
        for i in range(tabs.count()):
            tabs.nth(i).click()
            _settle(page)
            _download_visible(page, view, files)
    return files


def test_every_download_is_free_of_formulas(hostile_base):
    with chromium() as page:
        files = _download_all(page, hostile_base)
    names = " ".join(files)
    for expected in ("事故明细", "隐患清单", "重点任务清单", "应急资源点位", "数据质量", "weekly-brief"):
        assert expected in names, (expected, names)
    planted = 0
    for name, data in files.items():
        if name.endswith(".docx"):
            continue
        for where, value, kind in _cells(name.split(":", 1)[1], data):
            assert kind != "f", where
            if isinstance(value, str):
                assert not value.startswith(FORMULA_STARTS), (where, value)
                planted += value.startswith("'=HYPERLINK")
    assert planted > 0  # the planted formulas were in the files, neutralised
