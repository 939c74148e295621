"""Time and memory of importing a large weekly ledger: read, check and compare, preview, commit.

    python bench/import.py [--rows 100000] [--url DATABASE_URL] [--changed 0.1]

Writes an .xlsx of `--rows` hidden dangers as a clerk's file would hold them (Chinese headers and
values, names instead of ids, Excel date cells): a share `--changed` of them are rows the
database already has, with a changed description; the rest are new. Then imports it into a
copy of the embedded sample (default) or the database at `--url` (which is changed: use a
scratch database) and prints the seconds of each step and the process's peak memory.
Goal (issue 11): 100,000 rows in at most 60 s and 1 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from data_access import db, schema, vocab  # noqa: E402
from data_access.importing import analyse, commit, report  # noqa: E402
from data_access.importing.read import SourceFile, read_file  # noqa: E402

HEADERS = ("隐患编号", "企业名称", "县区", "行业领域", "发现日期", "来源", "隐患等级", "隐患类型",
           "隐患描述", "整改措施", "整改责任人", "整改期限", "销号日期")


def ledger_workbook(conn: sa.Connection, rows: int, changed: float, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    firms = conn.execute(sa.text(
        "SELECT e.name, u.name, s.name FROM enterprises e JOIN units u ON u.code = e.unit_code "
        "JOIN sectors s ON s.code = e.sector_code")).all()
    existing = conn.execute(sa.text(
        "SELECT h.code, e.name, u.name, s.name, h.found_on, h.source, h.level, h.category, "
        "h.measure, h.responsible_person, h.deadline, h.closed_on FROM hidden_dangers h "
        "JOIN enterprises e ON e.id = h.enterprise_id JOIN units u ON u.code = h.unit_code "
        "JOIN sectors s ON s.code = h.sector_code ORDER BY h.id")).all()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("隐患台账")
    sheet.append(HEADERS)
    kept = existing[: int(rows * changed)]
    for code, firm, unit, sector, found, source, level, category, measure, person, deadline, \
            closed in kept:
        sheet.append([code, firm, unit, sector, found, vocab.HAZARD_SOURCES[source],
                      vocab.HAZARD_LEVELS[level], vocab.HAZARD_CATEGORIES[category],
                      "复查后补充的隐患描述", measure, person, deadline, closed])
    start = dt.date(2022, 1, 1)
    for n in range(rows - len(kept)):
        firm, unit, sector = rng.choice(firms)
        found = start + dt.timedelta(days=rng.randint(0, 320))
        closed = found + dt.timedelta(days=rng.randint(3, 30)) if rng.random() < 0.8 else None
        sheet.append([f"YH-BENCH-{n:07d}", firm, unit, sector, found,
                      rng.choice(list(vocab.HAZARD_SOURCES.values())),
                      "一般" if rng.random() > 0.04 else "重大",
                      rng.choice(list(vocab.HAZARD_CATEGORIES.values())),
                      "配电柜接地线松动", "紧固接地线并检测", "王某某",
                      found + dt.timedelta(days=30), closed])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--changed", type=float, default=0.05,
                        help="share of rows the database already has (changed ones)")
    parser.add_argument("--url", help="a scratch database (default: a copy of the sample)")
    args = parser.parse_args()
    scratch = None
    if args.url:
        engine = db.create_bureau_engine(args.url)
    else:
        scratch = Path(tempfile.mkdtemp()) / "bench-import.sqlite"
        shutil.copy(db.ensure_sample_database(), scratch)
        engine = db.create_bureau_engine(f"sqlite:///{scratch}")
    with engine.connect() as conn:
        data = ledger_workbook(conn, args.rows, args.changed)
    source = SourceFile("隐患台账.xlsx", data)
    steps = []
    started = time.perf_counter()
    read_file(source)
    steps.append(("read .xlsx", time.perf_counter() - started))
    started = time.perf_counter()
    with engine.connect() as conn:
        plan = analyse.analyse(conn, [source])
    steps.append(("read, check and compare", time.perf_counter() - started))
    if not plan.ok:
        raise SystemExit("\n".join(map(str, plan.problems[:20])))
    started = time.perf_counter()
    with engine.connect() as conn:
        units = dict(conn.execute(sa.select(schema.units.c.code, schema.units.c.name)).all())
        report.plan_text(plan, conn, units)
        report.summary_table(plan, units)
    steps.append(("preview", time.perf_counter() - started))
    started = time.perf_counter()
    commit.commit_plan(engine, plan, user="bench")
    steps.append(("commit (one transaction)", time.perf_counter() - started))
    counts = plan.tables["hidden_dangers"].counts
    print(f"{args.rows:,} hidden dangers ({len(data) / 1024 / 1024:.1f} MiB .xlsx): "
          f"{counts['new']:,} new, {counts['changed']:,} changed; "
          f"database {engine.url.get_backend_name()}")
    print(f"{'step':<28}{'seconds':>9}")
    for name, seconds in steps:
        print(f"{name:<28}{seconds:>9.2f}")
    total = sum(s for name, s in steps if name != "read .xlsx")
    print(f"{'total (analyse+preview+commit)':<28}{total:>9.2f}")
    print(f"peak memory (RSS)           {peak_mib():>7.0f} MiB")
    engine.dispose()
    if scratch:
        shutil.rmtree(scratch.parent)


if __name__ == "__main__":
    main()
