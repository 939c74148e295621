"""Create the schema on a database and load CSV files into it.

    python -m data_access.load --url postgresql+psycopg://user@host/db [--csv-dir DIR] [--replace]

Without --csv-dir it loads the fictitious sample (`sample_data/csv`). --replace drops the
dashboard's tables first. The URL defaults to DATABASE_URL.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from data_access import db, loader


def main() -> None:
    parser = argparse.ArgumentParser(description="Load CSV files into the bureau database.")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--csv-dir", type=Path, default=db.SAMPLE_CSV_DIR)
    parser.add_argument("--replace", action="store_true")
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url or set DATABASE_URL")
    engine = db.create_bureau_engine(args.url)
    try:
        counts = db.load_into(engine, args.csv_dir, replace=args.replace)
    except loader.LoadError as error:
        print(f"未导入任何数据:发现 {len(error.problems)} 处问题,请修正后重新导入。", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    for table, rows in counts.items():
        print(f"{table:24} {rows:>8}")


if __name__ == "__main__":
    main()
