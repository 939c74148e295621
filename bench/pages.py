"""Render time and rows fetched per page, cold and warm cache.

    python bench/pages.py [--url DATABASE_URL] [--repeat 5] [--views resources,accidents]
                          [--no-compare] [--cold-engine] [--audit]

Each page is rendered through `app.py` with Streamlit's AppTest (in-process, no browser): the
time is server-side script time, including the shell (filters, navigation). "first" is the
view's first render in this process with Streamlit's caches cleared: it also pays one-time
Python costs (modules imported, plotly's validators built for a new kind of chart) that a
server pays once after it starts. "cold" is the median of --repeat more renders with the data
and chart caches cleared each time (`st.cache_data` and `ui.memo`'s charts), the database engine
and its open connections kept: what a user meets after an import (`ui.data.data_changed` clears
the data cache; the charts are keyed by their data) or when the cached figures expire, and what
the 1 s budget applies to. With --cold-engine, cold clears every cache, engines too, so each
cold render also connects and reads what the database enforces again, as a new process does.
"warm" is the median of as many cached renders.
"rows" counts the rows the database returned to the page (cursor fetches). The warm time is
split into "data" (reads through `ui.data`, cached or not), "figures" (building charts, maps and
tables in `ui.figures`, and handing charts and maps to Streamlit) and "other" (the rest of the
page's Python and Streamlit's own work), so a regression shows where it is. As in the server,
whose runtime keeps one script cache, the page scripts are compiled once, not on every render
(AppTest would otherwise recompile them each run, about 0.07 s that no user waits for).

Then, in the same run, two other ways of getting the ledger's by-unit figures (found this year,
signed off, open, overdue): "naive" (`SELECT *` of the whole ledger into pandas, then a
groupby — what a dashboard without aggregation does) and, when the `duckdb` package is
installed (`pip install -r bench/requirements.txt`), DuckDB over a Parquet export of the
ledger (the export's own time printed apart). The ratios compare them with the 专项整治 ledger
tab's cold render.

With --audit, instead: each page's warm render with the audit log written (a page view per
render, queued and written in the background) and with auditing switched off, and the
difference (docs/security.md).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import cursor  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from data_access import catalog, db  # noqa: E402

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


class Split:
    """Seconds spent in data reads and in figure building during a render (outermost calls
    only, so nested ones are not counted twice)."""

    def __init__(self) -> None:
        self.seconds = {"data": 0.0, "figures": 0.0}
        self._depth = 0

    def reset(self) -> None:
        self.seconds = dict.fromkeys(self.seconds, 0.0)

    def timed(self, part: str, fn):
        split = self

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if split._depth:
                return fn(*args, **kwargs)
            split._depth += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                split.seconds[part] += time.perf_counter() - started
                split._depth -= 1

        return wrapper

    def install(self) -> None:
        """Wrap `ui.data`'s reads, every function of the `ui.figures` modules, and
        Streamlit's chart and map elements. Pages import these at each run, so they get the
        wrapped ones."""
        import importlib
        import pkgutil
        import types

        import streamlit as st
        from streamlit.delta_generator import DeltaGenerator

        import ui.data
        import ui.figures

        ui.data._fresh_or_last_good = self.timed("data", ui.data._fresh_or_last_good)
        for info in pkgutil.iter_modules(ui.figures.__path__):
            module = importlib.import_module(f"ui.figures.{info.name}")
            for name, value in vars(module).items():
                if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
                    setattr(module, name, self.timed("figures", value))
        for name in ("plotly_chart", "pydeck_chart"):
            timed = self.timed("figures", getattr(DeltaGenerator, name))
            setattr(DeltaGenerator, name, timed)
            setattr(st, name, types.MethodType(timed, st._main))


SPLIT = Split()


def share_script_cache() -> None:
    """One compiled-script cache for every AppTest run, as the server's runtime keeps one."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


COLD_ENGINE = False  # --cold-engine: cold renders clear the engines too


def render(page: str, params: dict[str, str], *, cold: bool = False
           ) -> tuple[float, int, dict[str, float]]:
    """Seconds, rows fetched and seconds per part (`Split`) for one render of `page` through
    app.py; `cold` clears the data and chart caches first (and the engines with
    COLD_ENGINE)."""
    import streamlit as st

    from ui import memo

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page(f"pages/{page}.py")
    if cold:
        st.cache_data.clear()
        memo._built.clear()
        if COLD_ENGINE:
            st.cache_resource.clear()
    COUNTER.rows = 0
    SPLIT.reset()
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    if at.error:  # e.g. a database behind the code: the page showed a message, not figures
        raise RuntimeError(f"{page}: {at.error[0].value}")
    return elapsed, COUNTER.rows, dict(SPLIT.seconds)


LEDGER_COLUMNS = "unit_code, found_on, deadline, closed_on"
DUCKDB_SQL = """
SELECT unit_code,
       count(*) FILTER (WHERE found_on >= $start) AS found,
       count(*) FILTER (WHERE found_on >= $start AND closed_on <= $as_of) AS closed,
       count(*) FILTER (WHERE closed_on IS NULL OR closed_on > $as_of) AS open,
       count(*) FILTER (WHERE (closed_on IS NULL OR closed_on > $as_of) AND deadline < $as_of)
           AS overdue
FROM read_parquet($path) WHERE found_on <= $as_of GROUP BY unit_code ORDER BY unit_code
"""


def as_of_day(engine: sa.Engine) -> pd.Timestamp:
    with engine.connect() as conn:
        return pd.Timestamp(catalog.get_dataset_info(conn)["data_as_of"])


def naive_ledger(engine: sa.Engine, as_of: pd.Timestamp) -> tuple[float, pd.DataFrame]:
    """Seconds for the whole ledger read into pandas and grouped by unit."""
    started = time.perf_counter()
    with engine.connect() as conn:
        rows = pd.read_sql(sa.text("SELECT * FROM hidden_dangers"), conn)
    for column in ("found_on", "deadline", "closed_on"):
        rows[column] = pd.to_datetime(rows[column])
    rows = rows[rows["found_on"] <= as_of]
    this_year = rows["found_on"] >= as_of.replace(month=1, day=1)
    signed = rows["closed_on"] <= as_of
    still_open = ~signed
    figures = pd.DataFrame({
        "unit_code": rows["unit_code"], "found": this_year, "closed": this_year & signed,
        "open": still_open, "overdue": still_open & (rows["deadline"] < as_of),
    }).groupby("unit_code").sum()
    return time.perf_counter() - started, figures


def duckdb_ledger(engine: sa.Engine, as_of: pd.Timestamp) -> tuple[float, float] | None:
    """(export seconds, query seconds) for the same figures by DuckDB over a Parquet export;
    None without the duckdb package."""
    try:
        import duckdb
    except ImportError:
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = ROOT / "var" / "bench-ledger.parquet"
    path.parent.mkdir(exist_ok=True)
    started = time.perf_counter()
    with engine.connect().execution_options(stream_results=True) as conn, \
            pq.ParquetWriter(str(path), pa.schema([
                ("unit_code", pa.string()), ("found_on", pa.date32()),
                ("deadline", pa.date32()), ("closed_on", pa.date32())])) as writer:
        for chunk in pd.read_sql(sa.text(f"SELECT {LEDGER_COLUMNS} FROM hidden_dangers"), conn,
                                 chunksize=500_000):
            for column in ("found_on", "deadline", "closed_on"):
                chunk[column] = pd.to_datetime(chunk[column]).dt.date
            writer.write_table(pa.Table.from_pandas(chunk, schema=writer.schema,
                                                    preserve_index=False))
    exported = time.perf_counter() - started
    started = time.perf_counter()
    duckdb.execute(DUCKDB_SQL, {"start": as_of.replace(month=1, day=1).date(),
                                "as_of": as_of.date(), "path": str(path)}).fetchall()
    return exported, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: the app's own resolution)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--views", help="comma-separated row labels to measure (default: all)")
    parser.add_argument("--no-compare", dest="compare", action="store_false",
                        help="skip the naive and DuckDB comparison")
    parser.add_argument("--cold-engine", action="store_true",
                        help="cold renders also clear the engines (a new connection each)")
    parser.add_argument("--audit", action="store_true",
                        help="render times with and without the audit log")
    args = parser.parse_args()
    if args.url:
        os.environ["DATABASE_URL"] = args.url
    global COLD_ENGINE
    COLD_ENGINE = args.cold_engine
    if args.audit:
        audit_cost(args.repeat)
        return
    COUNTER.install()
    SPLIT.install()
    share_script_cache()
    wanted = None if not args.views else {v.strip() for v in args.views.split(",")}
    print(f"{'page':<15}{'first s':>9}{'cold s':>9}{'warm s':>9}{'data':>7}{'figures':>8}"
          f"{'other':>7}{'rows cold':>11}{'rows warm':>11}  budget")
    colds = {}
    for label, page, params in VIEWS:
        if wanted is not None and label.strip() not in wanted:
            continue
        first, rows_cold, _ = render(page, params, cold=True)
        cold_runs = sorted(render(page, params, cold=True)[0] for _ in range(args.repeat))
        cold = cold_runs[len(cold_runs) // 2]
        colds[label] = cold
        warm_runs = sorted((render(page, params) for _ in range(args.repeat)),
                           key=lambda run: run[0])
        warm, _, parts = warm_runs[len(warm_runs) // 2]  # the median run, with its split
        rows_warm = max(r for _, r, _ in warm_runs)
        other = warm - parts["data"] - parts["figures"]
        verdict = "ok" if cold < BUDGET_COLD_S and warm < BUDGET_WARM_S else "OVER"
        print(f"{label:<15}{first:>9.3f}{cold:>9.3f}{warm:>9.3f}{parts['data']:>7.3f}"
              f"{parts['figures']:>8.3f}{other:>7.3f}{rows_cold:>11}{rows_warm:>11}  {verdict}")
    if args.compare and "  ledger tab" in colds:
        compare(colds["  ledger tab"])


def compare(ledger_tab_cold: float) -> None:
    """The naive and DuckDB ways of the ledger's by-unit figures, against the ledger tab."""
    engine = db.create_bureau_engine(db.resolve_database().url)
    try:
        as_of = as_of_day(engine)
        naive, _ = naive_ledger(engine, as_of)
        print(f"\nledger by unit: naive SELECT * + pandas {naive:.2f} s; "
              f"ledger tab cold {ledger_tab_cold:.3f} s: {naive / ledger_tab_cold:.1f}× faster")
        duck = duckdb_ledger(engine, as_of)
        if duck is None:
            print("DuckDB: not installed (pip install -r bench/requirements.txt)")
        else:
            exported, query = duck
            print(f"DuckDB over Parquet: query {query:.3f} s (export {exported:.1f} s); "
                  f"ledger tab cold / DuckDB query = {ledger_tab_cold / query:.1f}")
    finally:
        engine.dispose()



class NoAudit:
    """An audit writer that drops every event (auditing switched off)."""

    def record(self, event) -> None:
        return None

    def flush(self, timeout: float = 0.0) -> bool:
        return True


def audit_cost(repeat: int) -> None:
    """Warm render medians with the audit log written and without it (the machine is shared:
    differences of a few milliseconds are within its noise; --repeat more to narrow them)."""
    from ui import auth

    print(f"{'page':<15}{'audited s':>11}{'no audit s':>12}{'cost ms':>9}")
    writer = auth.audit_writer
    for label, page, params in VIEWS:
        render(page, params, cold=True)
        runs: dict[str, list[float]] = {"audited": [], "off": []}
        pair = (("audited", writer), ("off", NoAudit))
        for i in range(repeat):  # interleaved, each first in turn: the load falls on both alike
            for name, chosen in (pair if i % 2 == 0 else pair[::-1]):
                auth.audit_writer = chosen
                runs[name].append(render(page, params)[0])
        auth.audit_writer = writer
        timed = {name: statistics.median(times) for name, times in runs.items()}
        cost = (timed["audited"] - timed["off"]) * 1000
        print(f"{label:<15}{timed['audited']:>11.3f}{timed['off']:>12.3f}{cost:>9.1f}")
    writer().flush()
    record_cost()


def record_cost(events: int = 20000) -> None:
    """What a page pays per audit event: queueing it (the write happens in the background)."""
    import tempfile

    from data_access import audit, schema

    folder = tempfile.TemporaryDirectory()
    engine = sa.create_engine(f"sqlite:///{folder.name}/audit.sqlite")
    schema.audit_log.create(engine)
    sink = audit.AuditWriter(lambda: engine)
    started = time.perf_counter()
    for i in range(events):
        sink.record(audit.Event("view", f"user{i}", page="overview", detail={"unit": "140400"}))
    per_event = (time.perf_counter() - started) / events
    sink.flush()
    engine.dispose()
    folder.cleanup()
    print(f"record() per event: {per_event * 1e6:.1f} µs (mean of {events:,} queued while "
          "the writer thread inserts them)")


if __name__ == "__main__":
    main()
