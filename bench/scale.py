"""Build a large copy of the sample database, for measuring pages at scale.

    python bench/scale.py [--url DATABASE_URL] [--hidden-dangers 2000000] [--accidents 0]
                          [--faces 0] [--sites 0]

Loads the sample CSVs (`data_access.db.load_into`, replacing every table's rows), then appends
synthetic hidden dangers found between 1 January 2021 and the sample's as-of date, spread over
every sample enterprise (so over all units and sectors) with the sample's mix of sources,
categories and levels, a realistic open / closed / overdue mix and unique codes (SYN…), and
optionally synthetic accidents, copies of the sample's working faces and emergency resource
sites (a province: about 100,000 accidents, 1,000 faces and 20,000 sites; a site copy lies a
few hundred metres from its original, with its inventory and stock checks). Default target:
the SQLite file `var/bureau-scale.sqlite`.

Bulk insert: the hidden_dangers secondary indexes are dropped (MariaDB/MySQL keep those a
foreign key needs: it refuses to drop them, error 1553), rows are generated in chunks of
500,000 (so 20M rows need no more memory than 2M) and inserted in batches of 50,000 inside one
transaction (PostgreSQL: COPY), with a progress bar on stderr; then the indexes are rebuilt, the
ledger's counts (`data_access.rollups`) made, and the database analysed, as one would after a
bulk load. Rerunnable: each run rebuilds the database from the sample. Then measure the pages
with `python bench/pages.py --url <same url>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access import catalog, db, rollups, schema  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bureau-scale.sqlite'}"
BATCH_ROWS = 50_000
CHUNK_ROWS = 500_000
FIRST_DAY = dt.date(2021, 1, 1)

SOURCES = {"self_check": 0.55, "enforcement": 0.25, "expert": 0.12, "report": 0.03,
           "assigned": 0.05}
CATEGORIES = {"equipment": 0.25, "environment": 0.25, "management": 0.25, "behaviour": 0.25}
MAJOR_SHARE = 0.04
NEVER_FINISHED_SHARE = 0.02  # rectification stalls: never submitted for acceptance
PEOPLE = ("王某某", "李某某", "张某某", "刘某某", "陈某某", "杨某某", "赵某某", "黄某某",
          "周某某", "吴某某", "徐某某", "孙某某")
ACCIDENT_SUMMARY = "合成事故记录(规模测试数据):车辆侧翻,造成人员受伤。"


def hidden_danger_rows(rng: np.random.Generator, n: int, *, first_id: int, end: dt.date,
                       enterprises: list[tuple[int, str, str]], texts: list[tuple[str, str]]
                       ) -> dict[str, list]:
    """`n` synthetic hidden dangers as columns of Python values (dates as ISO strings, None
    for NULL), every date on or before `end`."""
    start = np.datetime64(FIRST_DAY, "D")
    last = np.datetime64(end, "D")
    span = (end - FIRST_DAY).days + 1
    found = start + rng.integers(0, span, n).astype("timedelta64[D]")
    major = rng.random(n) < MAJOR_SHARE
    allowed = np.where(major, rng.integers(30, 121, n), rng.integers(7, 46, n))
    deadline = found + allowed.astype("timedelta64[D]")
    started = found + rng.integers(0, 6, n).astype("timedelta64[D]")
    # Most finish within the allowed time; about a fifth run late.
    took = np.maximum(1, (allowed * rng.uniform(0.3, 1.35, n)).astype(int))
    submitted = started + took.astype("timedelta64[D]")
    closed = submitted + rng.integers(1, 8, n).astype("timedelta64[D]")
    stalled = rng.random(n) < NEVER_FINISHED_SHARE
    regulator = found + rng.integers(0, 4, n).astype("timedelta64[D]")
    congress = found + rng.integers(3, 31, n).astype("timedelta64[D]")
    has_regulator = major & (rng.random(n) < 0.95)
    has_congress = major & (rng.random(n) < 0.85)

    def dates(values: np.ndarray, present: np.ndarray | None = None) -> list:
        keep = values <= last if present is None else present & (values <= last)
        text = np.datetime_as_string(values, unit="D").astype(object)
        text[~keep] = None
        return text.tolist()

    firm = rng.integers(0, len(enterprises), n)
    firms = np.array(enterprises, dtype=object)[firm]
    text = np.array(texts, dtype=object)[rng.integers(0, len(texts), n)]
    closed_dates = dates(closed, ~stalled)
    accepters = np.array(PEOPLE, dtype=object)[rng.integers(0, len(PEOPLE), n)].tolist()
    ids = range(first_id, first_id + n)
    return {
        "id": list(ids),
        "code": [f"SYN{i:09d}" for i in ids],
        "enterprise_id": firms[:, 0].tolist(),
        "unit_code": firms[:, 1].tolist(),
        "sector_code": firms[:, 2].tolist(),
        "found_on": dates(found),
        "source": rng.choice(list(SOURCES), n, p=list(SOURCES.values())).tolist(),
        "level": np.where(major, "major", "general").tolist(),
        "category": rng.choice(list(CATEGORIES), n, p=list(CATEGORIES.values())).tolist(),
        "description": text[:, 0].tolist(),
        "measure": text[:, 1].tolist(),
        "responsible_person": np.array(PEOPLE, dtype=object)[
            rng.integers(0, len(PEOPLE), n)].tolist(),
        "deadline": np.datetime_as_string(deadline, unit="D").tolist(),
        "rectify_started_on": dates(started),
        "submitted_on": dates(submitted, ~stalled),
        "closed_on": closed_dates,
        "accepted_by": [a if c is not None else None for a, c in zip(accepters, closed_dates)],
        "regulator_reported_on": dates(regulator, has_regulator),
        "congress_reported_on": dates(congress, has_congress),
    }


def accident_rows(rng: np.random.Generator, n: int, *, first_id: int, end: dt.date,
                  enterprises: list[tuple[int, str, str]]) -> dict[str, list]:
    """`n` synthetic accidents between 1 January 2021 and `end`, at sample enterprises."""
    span_minutes = ((end - FIRST_DAY).days + 1) * 24 * 60
    at = (np.datetime64(FIRST_DAY, "m")
          + rng.integers(0, span_minutes, n).astype("timedelta64[m]"))
    firm = np.array(enterprises, dtype=object)[rng.integers(0, len(enterprises), n)]
    with_firm = rng.random(n) < 0.5
    deaths = (rng.random(n) < 0.4).astype(int)
    ids = range(first_id, first_id + n)
    return {
        "id": list(ids),
        "code": [f"SYN-SG-{i:08d}" for i in ids],
        # SQLAlchemy's SQLite DATETIME text form, so string comparisons stay right.
        "occurred_at": [f"{s.replace('T', ' ')}:00.000000"
                        for s in np.datetime_as_string(at, unit="m")],
        "unit_code": firm[:, 1].tolist(),
        "sector_code": firm[:, 2].tolist(),
        "enterprise_id": [f if w else None for f, w in zip(firm[:, 0].tolist(), with_firm)],
        "grade": np.where(rng.random(n) < 0.01, "larger", "general").tolist(),
        "deaths": deaths.tolist(),
        "serious_injuries": rng.integers(0, 3, n).tolist(),
        "direct_loss_wan": [f"{v:.2f}" for v in rng.uniform(1, 80, n)],
        "summary": [ACCIDENT_SUMMARY] * n,
    }


def resource_rows(rng: np.random.Generator, n: int, *, first_ids: dict[str, int],
                  sites: list[dict], items: list[dict], checks: list[dict]
                  ) -> dict[str, dict[str, list]]:
    """`n` synthetic resource sites, each a copy of a random sample site moved up to about
    300 m, with the original's inventory and stock-check dates: columns per table name."""
    picked = rng.integers(0, len(sites), n)
    jitter = rng.uniform(-0.003, 0.003, (n, 2))
    items_of: dict[int, list[dict]] = {}
    for item in items:
        items_of.setdefault(item["site_id"], []).append(item)
    checks_of: dict[int, list[dict]] = {}
    for check in checks:
        checks_of.setdefault(check["site_id"], []).append(check)
    out: dict[str, dict[str, list]] = {
        "resource_sites": {k: [] for k in sites[0]},
        "resource_items": {k: [] for k in items[0]},
        "resource_checks": {k: [] for k in checks[0]},
    }
    item_id, check_id = first_ids["resource_items"], first_ids["resource_checks"]
    for offset, (index, (dlat, dlon)) in enumerate(zip(picked.tolist(), jitter.tolist())):
        site_id = first_ids["resource_sites"] + offset
        source = sites[index]
        copy = {**source, "id": site_id, "code": f"SYN-ZY-{site_id:07d}",
                "name": f"{source['name']}(规模测试{site_id})",
                "lat": round(float(source["lat"]) + dlat, 6) if source["lat"] is not None
                else None,
                "lon": round(float(source["lon"]) + dlon, 6) if source["lon"] is not None
                else None}
        for key, value in copy.items():
            out["resource_sites"][key].append(value)
        for item in items_of.get(source["id"], []):
            for key, value in {**item, "id": item_id, "site_id": site_id}.items():
                out["resource_items"][key].append(value)
            item_id += 1
        for check in checks_of.get(source["id"], []):
            for key, value in {**check, "id": check_id, "site_id": site_id}.items():
                out["resource_checks"][key].append(str(value) if key == "checked_on"
                                                   else value)
            check_id += 1
    return out


def droppable_indexes(conn: sa.Connection, table: sa.Table) -> list[sa.Index]:
    """The table's secondary indexes that a bulk load may drop and rebuild: on MariaDB/MySQL
    not one whose first column holds a foreign key (InnoDB needs an index there and refuses
    to drop the last one, error 1553)."""
    if conn.dialect.name not in ("mysql", "mariadb"):
        return list(table.indexes)
    keyed = {fk.parent.name for fk in table.foreign_keys}
    return [i for i in table.indexes if next(iter(i.columns)).name not in keyed]


def insert_columns(conn: sa.Connection, table: sa.Table, columns: dict[str, list]) -> None:
    """Append rows given as columns: PostgreSQL COPY, else executemany in batches."""
    names = list(columns)
    n = len(columns[names[0]])
    dialect = conn.dialect.name
    for begin in range(0, n, BATCH_ROWS):
        rows = list(zip(*(columns[name][begin:begin + BATCH_ROWS] for name in names)))
        if dialect == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
                buffer.write("\n")
            cursor = conn.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        elif dialect == "sqlite":
            marks = ", ".join("?" * len(names))
            conn.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows)
        else:
            conn.execute(table.insert(), [dict(zip(names, row)) for row in rows])


class Progress:
    """A one-line progress bar on stderr: rows done of the total, rate and time so far."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.started = label, total, time.perf_counter()

    def show(self, done: int) -> None:
        elapsed = time.perf_counter() - self.started
        filled = int(30 * done / self.total) if self.total else 30
        rate = done / elapsed if elapsed else 0.0
        sys.stderr.write(f"\r{self.label:<16}[{'#' * filled}{'.' * (30 - filled)}] "
                         f"{done:>12,}/{self.total:,}  {rate:>9,.0f} 行/s  {elapsed:6.0f} s")
        if done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def insert_chunked(conn: sa.Connection, table: sa.Table, total: int, first_id: int,
                   make_rows) -> None:
    """Insert `total` rows made `CHUNK_ROWS` at a time by `make_rows(n, first_id)`."""
    progress = Progress(table.name, total)
    for begin in range(0, total, CHUNK_ROWS):
        n = min(CHUNK_ROWS, total - begin)
        insert_columns(conn, table, make_rows(n, first_id + begin))
        progress.show(begin + n)


def face_rows(conn: sa.Connection, n: int, *, first_id: int) -> dict[str, list]:
    """`n` copies of the sample's working faces (cycled), with new ids and codes."""
    faces = schema.working_faces
    sample = conn.execute(sa.select(faces).order_by(faces.c.id)).mappings().all()
    rows = [dict(sample[i % len(sample)]) for i in range(n)]
    for i, row in enumerate(rows):
        row["id"], row["code"] = first_id + i, f"SYN-GZM-{first_id + i:06d}"
    return {name: [row[name] for row in rows] for name in (column.name for column in faces.c)}


def build(url: str, *, hidden_dangers: int, accidents: int, faces: int = 0, sites: int = 0,
          seed: int = 42,
          analyze: bool = True) -> dict[str, int]:
    """(Re)build the database at `url`; returns rows per scaled table."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    engine = db.create_bureau_engine(url)
    try:
        db.load_into(engine, replace=True)
        rng = np.random.default_rng(seed)
        hd, ac, wf = schema.hidden_dangers, schema.accidents, schema.working_faces
        with engine.begin() as conn:
            end = dt.date.fromisoformat(catalog.get_dataset_info(conn)["data_as_of"])
            firms = [tuple(r) for r in conn.execute(sa.select(
                schema.enterprises.c.id, schema.enterprises.c.unit_code,
                schema.enterprises.c.sector_code).order_by(schema.enterprises.c.id))]
            texts = [tuple(r) for r in conn.execute(
                sa.select(hd.c.description, hd.c.measure).distinct()
                .order_by(hd.c.description, hd.c.measure))]
            dropped = droppable_indexes(conn, hd)
            for index in dropped:
                index.drop(conn)
            if hidden_dangers:
                first = conn.execute(sa.select(sa.func.max(hd.c.id))).scalar() + 1
                insert_chunked(conn, hd, hidden_dangers, first, lambda n, first_id: (
                    hidden_danger_rows(rng, n, first_id=first_id, end=end, enterprises=firms,
                                       texts=texts)))
            if accidents:
                first = conn.execute(sa.select(sa.func.max(ac.c.id))).scalar() + 1
                insert_chunked(conn, ac, accidents, first, lambda n, first_id: accident_rows(
                    rng, n, first_id=first_id, end=end, enterprises=firms))
            if faces:
                first = conn.execute(sa.select(sa.func.max(wf.c.id))).scalar() + 1
                insert_columns(conn, wf, face_rows(conn, faces, first_id=first))
            if sites:
                scaled = (schema.resource_sites, schema.resource_items, schema.resource_checks)
                rows = {t.name: [dict(r._mapping) for r in conn.execute(
                    sa.select(t).order_by(t.c.id))] for t in scaled}
                first_ids = {t.name: conn.execute(sa.select(sa.func.max(t.c.id))).scalar() + 1
                             for t in scaled}
                synthetic = resource_rows(rng, sites, first_ids=first_ids,
                                          sites=rows["resource_sites"],
                                          items=rows["resource_items"],
                                          checks=rows["resource_checks"])
                for table in scaled:
                    insert_columns(conn, table, synthetic[table.name])
            started = time.perf_counter()
            for index in dropped:
                index.create(conn)
            print(f"indexes rebuilt in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            started = time.perf_counter()
            rollups.refresh(conn)
            print(f"ledger counts made in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            if conn.dialect.name == "postgresql":
                for table in (hd, ac, wf, schema.resource_sites, schema.resource_items,
                              schema.resource_checks):
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))")
            counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                      for t in (hd, ac, wf, schema.resource_sites, schema.resource_items)}
        if analyze:
            # PostgreSQL: VACUUM too, so index-only scans need no heap visits (autovacuum
            # would get there on its own after a while).
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                if conn.dialect.name in ("mysql", "mariadb"):
                    conn.exec_driver_sql("ANALYZE TABLE hidden_dangers, accidents, working_faces, "
                                         "hd_daily, hd_monthly, resource_sites, resource_items, "
                                         "resource_checks")
                elif conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("VACUUM ANALYZE")
                else:
                    conn.exec_driver_sql("ANALYZE")
        return counts
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL,
                        help="database URL to (re)build (default: var/bureau-scale.sqlite)")
    parser.add_argument("--hidden-dangers", type=int, default=2_000_000,
                        help="synthetic hidden dangers to add to the sample's")
    parser.add_argument("--accidents", type=int, default=0,
                        help="synthetic accidents to add to the sample's")
    parser.add_argument("--sites", type=int, default=0,
                        help="synthetic emergency resource sites (with items and checks)")
    parser.add_argument("--faces", type=int, default=0,
                        help="working faces to add (copies of the sample's)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-analyze", dest="analyze", action="store_false",
                        help="skip ANALYZE after the load")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build(args.url, hidden_dangers=args.hidden_dangers, accidents=args.accidents,
                   faces=args.faces, sites=args.sites, seed=args.seed, analyze=args.analyze)
    elapsed = time.perf_counter() - started
    print(f"built {sa.make_url(args.url).render_as_string(hide_password=True)} "
          f"in {elapsed:.1f} s")
    for name, rows in counts.items():
        print(f"  {name:<16}{rows:>12,}")


if __name__ == "__main__":
    main()
