"""Rebuild the hidden-danger ledger's counts (`make rollups`).

    python -m data_access.recount [--url URL]

The import and its undo keep the counts (`data_access.rollups`) in step by themselves, and
`make load` rebuilds them; this is for a ledger changed in other ways (plain SQL, another
program), after which the pages read the raw rows — correct, only slower — until it runs. One
transaction: the pages keep the old counts, or read raw rows, until it commits. The URL
defaults to DATABASE_URL, then to the app's own resolution (the embedded sample).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import sqlalchemy as sa

from data_access import db, rollups, versioning


def main() -> int:
    parser = argparse.ArgumentParser(description="Rebuild the hidden-danger ledger's counts.")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    try:
        target = db.DatabaseTarget(args.url, "env") if args.url else db.resolve_database()
    except db.ConfigError:
        print("数据库配置文件 .streamlit/secrets.toml 格式有误,无法读取。", file=sys.stderr)
        return 1
    shown = sa.make_url(target.url).render_as_string(hide_password=True)
    engine = db.open_engine(target)
    try:
        with engine.connect() as conn:
            state = versioning.get_schema_state(conn)
        if state.status != versioning.CURRENT:
            print(f"{shown}:{versioning.describe_state(state)}", file=sys.stderr)
            return 1
        started = time.perf_counter()
        with engine.begin() as conn:
            rollups.refresh(conn)
        print(f"{shown}:隐患台账汇总已重建,用时 {time.perf_counter() - started:.1f} 秒。")
        return 0
    except sa.exc.SQLAlchemyError as error:
        print(f"{shown}:未能重建汇总,原有汇总未改变。数据库报告:{db.describe_error(error)}",
              file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
