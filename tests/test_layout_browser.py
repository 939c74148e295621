"""Every page and tab at a laptop's 1366×768 and at 1920×1080 in Chromium (the layouts are the
same rules at a projector's 1280×720; that size is left to `python -m tests.browser PAGE --width 1280 --height 720` to
keep the CI run short):
no metric value cut to "…", no horizontal scrollbar on the page, no table header running into
another. Besides the sample's 2022, the overview of a year without a notice (the start of 2023
imported, its plan not: every measure unjudged, docs/annual-plan.md). Screenshots of each view
go to out/layout/ for people to look at."""

from __future__ import annotations

import pytest

from data_access import db
from sample_data import year2023
from tests.browser import FINISHED, PAGES, ROOT, chromium, open_and_wait, serve_app
from tests.test_annual_plan import import_folder

# (screenshot name, page, as-of date)
VIEWS = [*((name, name, "2022-11-25") for name in PAGES),
         ("overview-2023-no-plan", "overview", "2023-02-24")]
SIZES = ((1366, 768), (1920, 1080))
SHOTS = ROOT / "out" / "layout"
# In the page's own JavaScript: what a reader would see cut or overlapping.
PROBLEMS_JS = """
() => {
  const problems = [];
  for (const el of document.querySelectorAll('[data-testid="stMetricValue"]')) {
    if (!el.offsetParent) continue;  // in a hidden tab
    for (const node of [el, ...el.querySelectorAll('*')]) {
      if (node.scrollWidth > node.clientWidth + 1) {
        problems.push('metric cut: ' + el.innerText); break;
      }
    }
  }
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push('page scrolls sideways');
  const main = document.querySelector('[data-testid="stMain"]');
  if (main && main.scrollWidth > main.clientWidth + 1) problems.push('main area scrolls sideways');
  const heads = [...document.querySelectorAll('[data-testid="stMain"] th')]
    .filter(th => th.offsetParent).map(th => [th, th.getBoundingClientRect()]);
  for (const [th, r] of heads) {
    if (th.scrollWidth > th.clientWidth + 1) problems.push('header cut: ' + th.innerText);
  }
  for (let i = 0; i < heads.length; i++) {
    for (let j = i + 1; j < heads.length; j++) {
      const [a, ra] = heads[i], [b, rb] = heads[j];
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) problems.push('headers overlap: ' + a.innerText + ' / ' + b.innerText);
    }
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def base(sample_sqlite_path, tmp_path_factory):
    """The sample with the start of 2023 imported through the import's path, not its notice."""
    path = tmp_path_factory.mktemp("layout") / "sample-2023.sqlite"
    path.write_bytes(sample_sqlite_path.read_bytes())
    engine = db.create_bureau_engine(f"sqlite:///{path}")
    import_folder(engine, year2023.OUT_DIR / "data")
    engine.dispose()
    with serve_app(env={"DATABASE_URL": f"sqlite:///{path}"}) as url:
        yield url


def _settle(page) -> None:
    page.wait_for_selector(FINISHED, timeout=60_000)
    page.wait_for_timeout(800)
    page.wait_for_selector(FINISHED, timeout=60_000)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_and_tab_fits(base, size):
    width, height = size
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    with chromium(width, height) as page:
        for name, address, as_of in VIEWS:
            open_and_wait(page, f"{base}/{address}?as_of={as_of}")
            _settle(page)
            views = [(name, None)]
            tabs = page.locator('[data-testid="stMain"] [role="tab"]')
            views += [(f"{name}-tab{i}", i) for i in range(tabs.count())]
            for view, tab in views:
                if tab is not None:
                    tabs.nth(tab).click()
                    _settle(page)
                problems = page.evaluate(PROBLEMS_JS)
                if problems:
                    found[view] = sorted(set(problems))
                if tab is None:
                    page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"),
                                    full_page=True)
    assert not found, found
