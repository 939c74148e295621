"""Create and load the dashboard's own tables beside views over an existing system.

    python -m data_access.own_tables --url URL [--csv-dir DIR]

When an existing system provides some of the dashboard's tables as views
(docs/existing-database.md), the other tables are ordinary tables in the same schema, loaded
from files. This creates every table of the data model that is neither a table nor a view
yet, with its keys and indexes, but without the foreign keys that would point at a view (a
foreign key cannot reference a view; `python -m data_access.check_db` checks those references
instead). Tables and views (PostgreSQL: materialized views too) already there are left
alone.

With --csv-dir it then loads the files in DIR (`<table>.csv`), checked row by row first as
`make load` does; a file for a table that is a view is refused. Nothing is dropped.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from data_access import db, loader, schema
from data_access.check_db import relation_kinds


def create_own_tables(conn: sa.Connection) -> list[str]:
    """Create the data model's missing tables (and the import log) on `conn`, leaving out
    foreign keys to views; return the names created, in load order."""
    kinds = relation_kinds(conn)
    views = {name for name, kind in kinds.items() if kind != "table"}
    created = []
    for table in (*schema.TABLES_IN_LOAD_ORDER, *schema.LOG_TABLES):
        if table.name in kinds:
            continue
        keys = [fk for fk in table.foreign_key_constraints if fk.referred_table.name not in views]
        conn.execute(sa.schema.CreateTable(table, include_foreign_key_constraints=keys))
        for index in table.indexes:
            conn.execute(sa.schema.CreateIndex(index))
        created.append(table.name)
    return created


def files_for_views(conn: sa.Connection, csv_dir: Path) -> list[str]:
    """Files in `csv_dir` named after a table that is a view here (they cannot be loaded)."""
    views = {name for name, kind in relation_kinds(conn).items() if kind != "table"}
    return [f"{t.name}.csv" for t in schema.TABLES_IN_LOAD_ORDER
            if t.name in views and (csv_dir / f"{t.name}.csv").exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Create (and load) the dashboard's own tables beside views.")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--csv-dir", type=Path)
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("give --url or set DATABASE_URL")
    engine = db.create_bureau_engine(args.url)
    try:
        with engine.begin() as conn:
            if args.csv_dir and (refused := files_for_views(conn, args.csv_dir)):
                print(f"未做任何改动:这些表在数据库中是视图,不能导入文件:{'、'.join(refused)}",
                      file=sys.stderr)
                return 1
            created = create_own_tables(conn)
            counts = (loader.load_csv_dir(conn, args.csv_dir, allow_partial=True)
                      if args.csv_dir else {})
    except loader.LoadError as error:
        print(f"未导入任何数据:发现 {len(error.problems)} 处问题,请修正后重新导入。", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"新建 {len(created)} 张表:{'、'.join(created) or '无'}")
    for table, rows in counts.items():
        print(f"{table:24} {rows:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
