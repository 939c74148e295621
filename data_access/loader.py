"""Load CSV files (one per table, named `<table>.csv`) into the bureau database.

Values are converted by the declared column type, so the same CSV loads into SQLite,
PostgreSQL and MariaDB. Empty cells become NULL.

Every file is checked row by row before anything is written: unknown columns, missing required
values, values that are not dates or numbers, unknown codes, text longer than its column,
impossible values (`constraints.row_problems`: negative deaths, future dates, dates out of
order, coordinates outside Changzhi …), a key repeated within a file, and a reference to a row
that neither the files nor the database hold; each is reported with file, line and a Chinese
message, and then nothing is loaded at all (`LoadError`), so a bad file never leaves half a
dataset behind. A folder that lacks some tables' files is refused unless that is allowed.

Loading replaces rows with DML only (DELETE, then INSERT) inside the caller's one transaction:
MariaDB commits implicitly before any DDL, so a DROP or TRUNCATE would make the old data
unrecoverable before the new rows are in.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path

import sqlalchemy as sa

from data_access import constraints, rollups, schema, vocab
from data_access.importing.commit import finish_batch, start_batch

BATCH_ROWS = 5000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # line in the file; 1 is the header, 0 the whole file
    column: str
    message: str  # Chinese, for the people who fix the file

    def __str__(self) -> str:
        where = (self.file + (f" 第{self.line}行" if self.line else "")
                 + (f" [{self.column}]" if self.column else ""))
        return f"{where}:{self.message}"


class LoadError(Exception):
    """The files were not loaded; `problems` says why, row by row."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the CSV files")
        self.problems = problems


class TablesNotEmptyError(Exception):
    """Loading without replace into tables that already hold rows (the keys would collide);
    nothing was written."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(f"tables already hold rows: {', '.join(tables)}")
        self.tables = tables


# Called after each batch is written: (table name, rows written to it so far).
Progress = Callable[[str, int], None]


def _to_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "t", "yes", "y"}:
        return True
    if lowered in {"0", "false", "f", "no", "n"}:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _converter(column: sa.Column) -> Callable[[str], object]:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return _to_bool
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat
    if isinstance(kind, sa.Integer):
        return int
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal
    if isinstance(kind, sa.Float):
        return float
    return str


def convert_rows(table: sa.Table, rows: Iterable[dict[str, str]]) -> Iterator[dict[str, object]]:
    converters = {column.name: _converter(column) for column in table.columns}
    for row in rows:
        unknown = set(row) - set(converters)
        if unknown:
            raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}")
        yield {
            name: (None if value is None or value == "" else converters[name](value))
            for name, value in row.items()
        }


def load_csv(conn: sa.Connection, table: sa.Table, path: Path,
             progress: Progress | None = None) -> int:
    """Insert the file's rows in batches of BATCH_ROWS; returns the number of rows."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = convert_rows(table, csv.DictReader(handle))
        total = 0
        while batch := list(islice(rows, BATCH_ROWS)):
            conn.execute(table.insert(), batch)
            total += len(batch)
            if progress is not None:
                progress(table.name, total)
    return total


_TYPE_NAMES = {bool: "布尔值(true/false)", int: "整数", float: "数值", Decimal: "数值",
               dt.date.fromisoformat: "日期(YYYY-MM-DD)",
               dt.datetime.fromisoformat: "日期时间(YYYY-MM-DD HH:MM)"}


class _Keys:
    """The keys seen so far in the files, to find a key repeated within a file and a reference
    to a row that neither the files nor (without replace) the database hold."""

    def __init__(self, conn: sa.Connection | None) -> None:
        self.conn = conn  # None: the database's rows are about to be replaced
        self.seen: dict[tuple[str, tuple[str, ...]], dict[tuple, int]] = {}
        self.loaded: dict[str, set] = {}  # "table.column" → the values of that column in the file

    def repeated(self, table: sa.Table, values: dict, line: int) -> list[tuple[str, int]]:
        """(key columns, earlier line) for each of the table's keys this row repeats."""
        found = []
        for names in _keys_of(table):
            key = tuple(values.get(n) for n in names)
            if None in key:
                continue
            earlier = self.seen.setdefault((table.name, names), {}).setdefault(key, line)
            if earlier != line:
                found.append(("+".join(names), earlier))
        return found

    def remember(self, table: sa.Table, values: dict) -> None:
        for column in _referenced_columns(table):
            self.loaded.setdefault(f"{table.name}.{column}", set()).add(values.get(column))

    def exists(self, target: sa.Column, value: object, in_files: bool) -> bool:
        if in_files:
            return value in self.loaded.get(f"{target.table.name}.{target.name}", set())
        if self.conn is None:
            return False
        return self.conn.execute(sa.select(sa.literal(1)).select_from(target.table)
                                 .where(target == value).limit(1)).first() is not None


@functools.cache
def _keys_of(table: sa.Table) -> list[tuple[str, ...]]:
    keys = [tuple(c.name for c in table.primary_key.columns)]
    keys += [tuple(c.name for c in u.columns) for u in table.constraints
             if isinstance(u, sa.UniqueConstraint)]
    keys += [(c.name,) for c in table.columns if c.unique]
    return list(dict.fromkeys(k for k in keys if k))


@functools.cache
def _referenced_columns(table: sa.Table) -> set[str]:
    return {fk.column.name for other in schema.TABLES_IN_LOAD_ORDER
            for fk in other.foreign_keys if fk.column.table is table}


def _check_row(table: sa.Table, path: Path, line: int, row: dict[str, str], keys: _Keys,
               files: set[str], today: dt.date) -> Iterator[Problem]:
    values = {}
    for column in table.columns:
        text = row.get(column.name)
        if text is None or text == "":
            generated = column.primary_key and isinstance(column.type, sa.Integer)
            if not column.nullable and not generated:
                yield Problem(path.name, line, column.name, "必填项为空")
            continue
        convert = _converter(column)
        try:
            values[column.name] = convert(text)
        except (ValueError, ArithmeticError):
            kind = _TYPE_NAMES.get(convert, "正确格式")
            yield Problem(path.name, line, column.name, f"“{_short(text)}”不是{kind}")
            continue
        length = getattr(column.type, "length", None)
        if isinstance(column.type, sa.String) and length and len(text) > length:
            yield Problem(path.name, line, column.name, f"超过{length}个字符(共{len(text)}个)")
        codes = vocab.CODED_COLUMNS.get((table.name, column.name))
        if codes is not None and values[column.name] not in codes:
            yield Problem(path.name, line, column.name,
                          f"“{_short(text)}”不是可选的代码({'/'.join(map(str, codes))})")
    for column, reason in constraints.row_problems(table.name, values, today):
        yield Problem(path.name, line, column, reason)
    for names, earlier in keys.repeated(table, values, line):
        yield Problem(path.name, line, names, f"与第{earlier}行重复(应唯一)")
    for fk in table.foreign_keys:
        value, target = values.get(fk.parent.name), fk.column
        in_files = target.table.name in files
        if value is not None and not keys.exists(target, value, in_files):
            where = f"{target.table.name}.csv" if in_files else "数据库"
            reason = (f"单位代码“{_short(str(value))}”不是长治市的县区或功能区"
                      if target.table is schema.units else
                      f"“{_short(str(value))}”在{where}中不存在({target.table.name}.{target.name})")
            yield Problem(path.name, line, fk.parent.name, reason)
    keys.remember(table, values)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def check_csv(table: sa.Table, path: Path, keys: _Keys, files: set[str],
              today: dt.date) -> list[Problem]:
    """Every problem in one file (at most MAX_PROBLEMS); an empty list means it will load.
    Files are checked in load order, so that references to earlier files can be checked."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in table.columns]
            if unknown:
                return [Problem(path.name, 1, ",".join(unknown), "表头中有数据库没有的列")]
            problems: list[Problem] = []
            for line, row in enumerate(reader, start=2):
                if None in row:
                    problems.append(Problem(path.name, line, "", "列数多于表头"))
                    continue
                problems.extend(_check_row(table, path, line, row, keys, files, today))
                if len(problems) >= MAX_PROBLEMS:
                    break
            return problems
    except UnicodeDecodeError:
        return [Problem(path.name, 0, "", "文件不是 UTF-8 编码(请在 Excel 中另存为“CSV UTF-8”)")]
    except csv.Error as exc:
        return [Problem(path.name, 0, "", f"不是有效的 CSV 文件:{exc}")]


def _has_rows(conn: sa.Connection, table: sa.Table) -> bool:
    return conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None


def delete_dashboard_rows(conn: sa.Connection) -> None:
    """DELETE every dashboard table's rows, children before parents, and the import log (the
    imports it records can no longer be undone). DML: it stays inside the caller's transaction
    on every backend."""
    for table in reversed((*schema.TABLES_IN_LOAD_ORDER, *schema.LOG_TABLES)):
        conn.execute(table.delete())


def sync_id_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: move each table's id sequence past the ids just loaded explicitly, so that
    rows the import adds later get new ids (SQLite and MariaDB follow the largest id by
    themselves)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c and table.c.id.autoincrement:
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def load_csv_dir(conn: sa.Connection, csv_dir: Path, *, replace: bool = False,
                 progress: Progress | None = None, allow_partial: bool = False,
                 today: dt.date | None = None) -> dict[str, int]:
    """Check every file, then load them all in table order; returns rows per table. Run it
    inside one transaction, on a schema at the code's revision.

    Raises, with nothing written: LoadError when any row has a problem or the folder holds no
    file to load; TablesNotEmptyError, without `replace`, when a table to be loaded already
    holds rows (the plan tables the migrations seed excepted: their files replace the seed). With `replace`, every dashboard table's rows are deleted before the files' are
    inserted, so when the caller's transaction commits the files replace the old data at once,
    and when it does not (an error, a killed process) the old data is untouched. A folder
    without some tables' files is refused unless `allow_partial` (with `replace`, those tables
    would be left empty).
    """
    present = [(t, csv_dir / f"{t.name}.csv") for t in schema.TABLES_IN_LOAD_ORDER
               if (csv_dir / f"{t.name}.csv").exists()]
    if not present:
        raise LoadError([Problem(str(csv_dir), 0, "",
                                 "目录中没有可导入的 CSV 文件(文件名应为“数据表名.csv”,如 units.csv)")])
    seeded = [table for table, _ in present if table in schema.SEEDED_TABLES]
    if not replace:
        filled = [table.name for table, _ in present
                  if table not in schema.SEEDED_TABLES and _has_rows(conn, table)]
        if filled:
            raise TablesNotEmptyError(filled)
    missing = [t.name for t in schema.TABLES_IN_LOAD_ORDER
               if not (csv_dir / f"{t.name}.csv").exists()]
    problems = [] if allow_partial else [
        Problem(f"{name}.csv", 0, "", "缺少该表的文件;如确需只导入部分表,请加 --allow-partial"
                "(替换时缺少文件的表将被清空)") for name in missing]
    keys = _Keys(None if replace else conn)
    files = {table.name for table, _ in present}
    today = today or dt.date.today()
    problems += [p for table, path in present
                 for p in check_csv(table, path, keys, files, today)]
    if problems:
        raise LoadError(problems)
    if replace:
        delete_dashboard_rows(conn)
    else:  # the files replace what the migrations seeded (the 2022 plan)
        for table in reversed(seeded):
            conn.execute(table.delete())
    batch = start_batch(conn, kind="replace", user=None, client="make load",
                        files=[{"name": path.name} for _, path in present])
    counts = {table.name: load_csv(conn, table, path, progress) for table, path in present}
    sync_id_sequences(conn, [table for table, _ in present])
    finish_batch(conn, batch, {name: {"new": rows} for name, rows in counts.items()})
    if rollups.present(conn):
        rollups.refresh(conn)
    return counts
