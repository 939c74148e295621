"""The ledger's drill lists (the rows behind a figure, first 1,000), timed per scope.

    python bench/lists.py [--url DATABASE_URL] [--as-of 2022-06-30] [--repeat 3]

For each scope of `rectification.HAZARD_SCOPES`, city-wide, at the data's as-of day (or
--as-of): the best of --repeat reads of `list_hidden_dangers` as the pages call it ("as
read"), and the same list read by walking `ix_hd_deadline_list` from the scope's first deadline
("deadline walk", what every open list did before `ix_hd_open_list`). The two differ only for
the open scopes (`rectification.OPEN_SCOPES`) at a day after which nothing was signed off, the
latest day; "same" says whether they listed the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from data_access import catalog, db  # noqa: E402
from data_access import rectification as rect  # noqa: E402


def best_of(repeat: int, read) -> tuple[float, list[str]]:
    best, codes = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        codes = list(read()["code"])
        best = min(best, time.perf_counter() - started)
    return best, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: the app's own resolution)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat,
                        help="the day the lists are as of (default: the data's as-of day)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = args.url or db.resolve_database().url
    engine = db.create_bureau_engine(url)
    probe = rect._signed_off_after
    try:
        with engine.connect() as conn:
            as_of = args.as_of or dt.date.fromisoformat(
                catalog.get_dataset_info(conn)["data_as_of"])
            print(f"{sa.engine.make_url(url).render_as_string(hide_password=True)}, "
                  f"as of {as_of}, best of {args.repeat}, seconds")
            print(f"{'scope':<22}{'as read':>9}{'deadline walk':>15}{'rows':>7}  same")
            for scope in rect.HAZARD_SCOPES:
                read = functools.partial(rect.list_hidden_dangers, conn, as_of=as_of,
                                         scope=scope)
                chosen, codes = best_of(args.repeat, read)
                rect._signed_off_after = lambda *_args: True
                try:
                    walked, walked_codes = best_of(args.repeat, read)
                finally:
                    rect._signed_off_after = probe
                print(f"{scope:<22}{chosen:>9.3f}{walked:>15.3f}{len(codes):>7}  "
                      f"{'yes' if codes == walked_codes else 'NO'}")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
