"""The ledger's data functions, city-wide, from the counts (`data_access.rollups`) and from the
raw rows, on one database.

    python bench/ledger.py [--url DATABASE_URL] [--repeat 3]

Each function is called with the database's as-of date; "counts" is as the pages call it
(the counts are fresh), "raw rows" the same call with the counts' state removed inside a
transaction that is rolled back (so the functions read the ledger itself). Medians of
`--repeat` runs, in seconds, then the sum.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from data_access import catalog, db, rectification, rollups, schema, validity, weekly  # noqa: E402

CALLS = (
    ("summarize_hidden_dangers(by=unit_code)",
     lambda c, d: rectification.summarize_hidden_dangers(c, as_of=d, by="unit_code")),
    ("summarize_hidden_dangers(by=sector_code)",
     lambda c, d: rectification.summarize_hidden_dangers(c, as_of=d, by="sector_code")),
    ("summarize_carried_over", lambda c, d: rectification.summarize_carried_over(c, as_of=d)),
    ("count_hidden_dangers_by_month",
     lambda c, d: rectification.count_hidden_dangers_by_month(c, as_of=d)),
    ("count_open_hidden_dangers_by_age",
     lambda c, d: rectification.count_open_hidden_dangers_by_age(c, as_of=d)),
    ("count_hidden_dangers(scope=overdue)",
     lambda c, d: rectification.count_hidden_dangers(c, as_of=d, scope="overdue")),
    ("weekly.count_hazard_changes",
     lambda c, d: weekly.count_hazard_changes(c, since=weekly.default_since(d), as_of=d)),
    ("validity.summarize_set_aside",
     lambda c, d: validity.summarize_set_aside(c, tables=("hidden_dangers",))),
)


def timed(call, conn: sa.Connection, day: dt.date, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        call(conn, day)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: the app's own resolution)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = db.create_bureau_engine(args.url or db.resolve_database().url)
    with engine.connect() as conn:
        day = dt.date.fromisoformat(catalog.get_dataset_info(conn)["data_as_of"])
        rows = conn.execute(sa.select(sa.func.count()).select_from(
            schema.hidden_dangers)).scalar_one()
        if not rollups.fresh(conn):
            sys.exit("the ledger's counts are not fresh here: run `make rollups` first")
        counted = {label: timed(call, conn, day, args.repeat) for label, call in CALLS}
        conn.rollback()
        with conn.begin() as transaction:
            conn.execute(schema.rollup_state.delete())
            raw = {label: timed(call, conn, day, args.repeat) for label, call in CALLS}
            transaction.rollback()
    engine.dispose()
    print(f"{rows:,} hidden dangers, as of {day}, {engine.dialect.name}")
    print(f"{'function':<44}{'counts s':>10}{'raw rows s':>12}")
    for label, _ in CALLS:
        print(f"{label:<44}{counted[label]:>10.3f}{raw[label]:>12.3f}")
    print(f"{'sum':<44}{sum(counted.values()):>10.3f}{sum(raw.values()):>12.3f}")


if __name__ == "__main__":
    main()
