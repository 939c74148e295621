"""Load CSV files into the bureau database (`make load`).

    python -m data_access.load --url postgresql+psycopg://user@host/db [--csv-dir DIR]
                               [--replace] [--progress]

Without --csv-dir it loads the fictitious sample (`sample_data/csv`). The URL defaults to
DATABASE_URL. First the schema is brought to the code's revision (the migrations, which never
drop data), then every file is checked, then the rows are written in one transaction.

--replace deletes the dashboard's rows and inserts the files' in that same transaction: a bad
file, a database error or a killed process leaves the previous data exactly as it was. Without
it, tables that already hold rows are refused. A folder without every table's file is refused
unless --allow-partial. --progress prints a line to stderr after each batch written. Every problem is reported in Chinese, with exit status 1 and nothing changed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from data_access import db, loader, versioning


def print_progress(table: str, rows: int) -> None:
    print(f"正在写入 {table}:已写入 {rows} 行", file=sys.stderr, flush=True)


def fail(message: str, details: Sequence[str] = ()) -> None:
    print(message, file=sys.stderr)
    for detail in details:
        print(f"  {detail}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description="Load CSV files into the bureau database.")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--csv-dir", type=Path, default=db.SAMPLE_CSV_DIR)
    parser.add_argument("--replace", action="store_true",
                        help="replace the dashboard's rows with the files' (one transaction)")
    parser.add_argument("--progress", action="store_true",
                        help="print a line to stderr after each batch written")
    parser.add_argument("--allow-partial", action="store_true",
                        help="load a folder without every table's file (with --replace those "
                             "tables are left empty)")
    args = parser.parse_args()
    if not args.url:
        fail("请用 --url 指定数据库地址,或设置环境变量 DATABASE_URL。")
    engine = db.create_bureau_engine(args.url)
    try:
        counts = db.load_into(engine, args.csv_dir, replace=args.replace,
                              progress=print_progress if args.progress else None,
                              allow_partial=args.allow_partial)
    except loader.LoadError as error:
        fail(f"未导入任何数据:发现 {len(error.problems)} 处问题,请修正后重新导入。",
             [str(problem) for problem in error.problems])
    except loader.TablesNotEmptyError as error:
        fail(f"未导入任何数据:以下数据表中已有数据:{'、'.join(error.tables)}。"
             "如需用这些文件替换原有数据,请加 --replace(make load 即为替换)。")
    except versioning.MigrationError as error:
        fail(f"未导入任何数据:{error}")
    except sa.exc.SQLAlchemyError as error:
        fail(f"未导入任何数据,原有数据未改变。数据库报告:{db.describe_error(error)}")
    finally:
        engine.dispose()
    for table, rows in counts.items():
        print(f"{table:24} {rows:>8}")


if __name__ == "__main__":
    main()
