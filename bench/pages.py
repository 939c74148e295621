"""Render time and rows fetched per page, cold and warm cache.

    python bench/pages.py [--url DATABASE_URL] [--repeat 5]

Each page is rendered through `app.py` with Streamlit's AppTest (in-process, no browser): the
time is server-side script time, including the shell (filters, navigation). "cold" clears
Streamlit's caches and the engine first; "warm" is the median of the following renders.
"rows" counts the rows the database returned to the page (cursor fetches).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import cursor  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

# (row label, page, URL parameters): every page as it opens, plus the ledger tab of 专项整治.
VIEWS = (
    ("overview", "overview", {}),
    ("accidents", "accidents", {}),
    ("rectification", "rectification", {}),
    ("  ledger tab", "rectification", {"rectification.tab": "隐患排查治理"}),
    ("mining", "mining", {}),
    ("resources", "resources", {}),
)
BUDGET_COLD_S, BUDGET_WARM_S = 1.0, 0.2


class RowCounter:
    """Counts rows fetched through SQLAlchemy cursor results."""

    def __init__(self) -> None:
        self.rows = 0

    def install(self) -> None:
        strategy = cursor.CursorFetchStrategy
        counter = self

        def wrap(name):
            original = getattr(strategy, name)

            def counted(self, *args, **kwargs):
                result = original(self, *args, **kwargs)
                if name == "fetchone":
                    counter.rows += result is not None
                else:
                    counter.rows += len(result)
                return result

            setattr(strategy, name, counted)

        for method in ("fetchone", "fetchmany", "fetchall"):
            wrap(method)


COUNTER = RowCounter()


def render(page: str, params: dict[str, str], *, cold: bool = False) -> tuple[float, int]:
    """Seconds and rows fetched for one render of `page` through app.py; `cold` clears every
    cache first."""
    import streamlit as st

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page(f"pages/{page}.py")
    if cold:
        st.cache_data.clear()
        st.cache_resource.clear()
    COUNTER.rows = 0
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed, COUNTER.rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: the app's own resolution)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.url:
        os.environ["DATABASE_URL"] = args.url
    COUNTER.install()
    print(f"{'page':<15}{'cold s':>9}{'warm s':>9}{'rows cold':>11}{'rows warm':>11}  budget")
    for label, page, params in VIEWS:
        cold, rows_cold = render(page, params, cold=True)
        warm_runs = [render(page, params) for _ in range(args.repeat)]
        warm = statistics.median(t for t, _ in warm_runs)
        rows_warm = max(r for _, r in warm_runs)
        verdict = "ok" if cold < BUDGET_COLD_S and warm < BUDGET_WARM_S else "OVER"
        print(f"{label:<15}{cold:>9.3f}{warm:>9.3f}{rows_cold:>11}{rows_warm:>11}  {verdict}")


if __name__ == "__main__":
    main()
