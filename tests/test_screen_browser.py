"""The meeting-room screen read from 3–4 m: in Chromium at 1920×1080 (and 3840×2160 with
`scale=2`), every text element of every view is measured against the minimums in the screen's
theme, every headline tile carries a verdict, and nothing needs scrolling.

Each view is opened on its own (`views=<code>`, `rotate=3600`), so the test waits for events
(the script finished, charts and the map drawn), never for the clock.
"""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access.geo import load_county_outlines
from tests.browser import ROOT, chromium, open_and_wait, serve_app
from tests.map_checks import check_legend, check_marker_shapes, read_sites
from ui.figures.resources import DARK
from ui.labels import SCORECARD_STATUSES
from ui.screen import VIEWS, map_view
from ui.screen_theme import SIZE_PX, TONES, TYPE_PX

OUT = ROOT / "out"
VERDICT_WORDS = {*SCORECARD_STATUSES.values(), "正常", "预警", "超进度", "超标", "未设定",
                 "已完成", "可完成", "难完成"}

# Every visible element with text of its own (HTML and SVG), its computed font size, and the
# selectors of the classes it must meet. Text drawn inside the map's canvas is not in the DOM:
# its size is the deck's TextLayer size, checked in tests/test_screen_page.py.
MEASURE = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    if (['STYLE', 'SCRIPT', 'NOSCRIPT'].includes(el.tagName)) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent.trim()).join('');
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const off = rect.bottom <= 0 || rect.right <= 0 || rect.left >= innerWidth
      || rect.top >= innerHeight;  // e.g. the "skip to content" link, shown only on focus
    if (off || rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden'
        || style.display === 'none' || el.closest('[aria-hidden="true"]')) continue;
    const is = sel => !!el.closest(sel);
    out.push({text: own.slice(0, 30), px: parseFloat(style.fontSize), tag: el.tagName,
              headline: is('[data-testid="stMetricValue"]'),
              label: is('[data-testid="stMetricLabel"]') || is('h3') || is('.screen-head .asof')
                     || is('.map-legend') || is('.screen-list') || is('.screen-note'),
              chip: is('.screen-chip') || is('.sc-chip'),
              table: is('.sc-table td') || is('.sc-table th') || is('.js-plotly-plot')});
  }
  return out;
}
"""

TILES = """
() => [...document.querySelectorAll('[class*="st-key-tile-"]')].map(tile => {
  const chip = tile.querySelector('.screen-chip');
  const tone = [...tile.classList].find(c => c.startsWith('st-key-tile-'));
  return {key: tone, chip: chip ? chip.innerText.trim() : null,
          chipTone: chip ? [...chip.classList].find(c => c.startsWith('tone-')) : null,
          mark: chip ? getComputedStyle(chip, '::before').content : null,
          edge: getComputedStyle(tile).borderLeftWidth,
          value: tile.querySelector('[data-testid="stMetricValue"]')?.innerText};
})
"""


@pytest.fixture(scope="module")
def sites(sample_sqlite_url) -> pd.DataFrame:
    engine = sa.create_engine(sample_sqlite_url)
    with engine.connect() as conn:
        found = read_sites(conn)
    engine.dispose()
    return found


def check_map(page, sites: pd.DataFrame, scale: int) -> None:
    """The 一张图 view: each kind in its own shape on the map, and in the legend beside it at
    label size."""
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    check_marker_shapes(page, canvas.bounding_box(), sites,
                        map_view(load_county_outlines(), None, scale),
                        scale=DARK.radius_scale * scale, label_px=SIZE_PX["map_label"] * scale)
    check_legend(page, min_px=TYPE_PX["label"] * scale)


@pytest.fixture(scope="module")
def base(sample_sqlite_url):
    with serve_app(env={"DATABASE_URL": sample_sqlite_url}) as url:
        yield url


SMALL_SCREEN_SCALE = 0.71


def open_view(page, base: str, code: str, scale: float = 1) -> None:
    open_and_wait(page, f"{base}/?kiosk=1&rotate=3600&views={code}&scale={scale}",
                  timeout_ms=120_000)
    # Charts and the map draw after the script has finished: wait for them, not for time.
    if page.locator('[data-testid="stPlotlyChart"]').count():
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    if page.locator('[data-testid="stDeckGlJsonChart"]').count():
        page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=120_000)
        page.wait_for_timeout(1_000)  # the first frame of the canvas, for the screenshot only


def check_type(page, code: str, scale: float) -> None:
    measured = page.evaluate(MEASURE)
    assert measured, f"no text on {code}"
    for item in measured:
        where = f"{code}: {item['text']!r} ({item['tag']}) at {item['px']} px"
        assert item["px"] >= TYPE_PX["minimum"] * scale, where
        if item["headline"]:
            assert item["px"] >= TYPE_PX["headline"] * scale, where
        elif item["label"]:
            assert item["px"] >= TYPE_PX["label"] * scale or item["chip"], where
        if item["chip"]:
            assert item["px"] >= TYPE_PX["chip"] * scale, where
        elif item["table"] and item["tag"] != "SMALL":  # a <small> note: the minimum above
            assert item["px"] >= TYPE_PX["table"] * scale, where
    clock = page.frame_locator('[data-testid="stIFrame"]').locator("#clock")
    assert float(clock.evaluate("c => parseFloat(getComputedStyle(c).fontSize)")) \
        >= TYPE_PX["label"] * scale


def check_tiles(page, code: str) -> int:
    tiles = page.evaluate(TILES)
    for tile in tiles:
        assert tile["chip"], f"{code}: tile {tile['key']} has no verdict"
        tone = tile["chipTone"].removeprefix("tone-")
        assert tile["chip"] in VERDICT_WORDS, f"{code}: {tile['chip']!r}"
        assert TONES[tone][1] in tile["mark"], "a shape mark, not colour alone"
        assert tile["key"].startswith(f"st-key-tile-{tone}-"), "tile and chip agree"
        assert float(tile["edge"].removesuffix("px")) > 0, "the tile's edge shows the colour"
        assert tone in TONES
    return len(tiles)


def check_no_scrolling(page, code: str) -> None:
    main = page.locator('[data-testid="stMain"]').evaluate("m => [m.scrollHeight, m.clientHeight]")
    assert main[0] <= main[1], f"vertical scrolling needed on {code}: {main}"
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")


def check_tables_fit(page, code: str) -> None:
    """Every scorecard table ends inside its column (a wider one runs under its neighbour)."""
    edges = page.evaluate("""() => [...document.querySelectorAll('.sc-table')].map(t => [
        t.getBoundingClientRect().right,
        t.closest('[data-testid="stColumn"]').getBoundingClientRect().right])""")
    assert edges, f"no scorecard table on {code}"
    for right, column_right in edges:
        assert right <= column_right + 1, f"{code}: table ends at {right}, column at {column_right}"


def test_every_view_is_readable_from_the_back_of_the_room(base, sites):
    OUT.mkdir(exist_ok=True)
    with chromium(1920, 1080) as page:
        for view in VIEWS:
            open_view(page, base, view.code)
            assert page.locator(".screen-head .view").inner_text() == view.title
            check_type(page, view.code, 1)
            tiles = check_tiles(page, view.code)
            assert tiles or view.code == "scorecard", f"{view.code} has no headline tile"
            check_no_scrolling(page, view.code)
            if view.code in ("overview", "scorecard"):
                check_tables_fit(page, view.code)
            if view.code == "resources":
                check_map(page, sites, 1)
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(OUT / f"screen-{view.code}.png"))


def test_scale_two_on_a_4k_screen_keeps_the_minimums_doubled(base, sites):
    with chromium(3840, 2160) as page:
        for code in ("overview", "resources"):
            open_view(page, base, code, scale=2)
            check_type(page, code, 2)
            check_tiles(page, code)
            check_no_scrolling(page, code)
            if code == "resources":
                check_map(page, sites, 2)
            page.screenshot(path=str(OUT / f"screen-{code}-4k.png"))


def test_a_1366_screen_at_its_scale_shows_the_1920_layout(base):
    """A 1366×768 screen (a projector, an older panel) with `scale=0.71` (1366 / 1920): the
    same layout, type at the same share of the screen as at 1920×1080."""
    with chromium(1366, 768) as page:
        for code in ("overview", "scorecard", "accidents"):
            open_view(page, base, code, scale=SMALL_SCREEN_SCALE)
            check_type(page, code, SMALL_SCREEN_SCALE)
            check_tiles(page, code)
            check_no_scrolling(page, code)
            if code != "accidents":
                check_tables_fit(page, code)
            page.screenshot(path=str(OUT / f"screen-{code}-1366.png"))
