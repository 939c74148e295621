"""Load CSV files (one per table, named `<table>.csv`) into the bureau database.

Values are converted by the declared column type, so the same CSV loads into SQLite,
PostgreSQL and MariaDB. Empty cells become NULL.

Every file is checked row by row before anything is written: unknown columns, missing required
values, values that are not dates or numbers, unit codes that are not Changzhi units, and
coordinates outside Changzhi are reported with file, line and a Chinese message, and then
nothing is loaded at all (`LoadError`), so a bad file never leaves half a dataset behind.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path

import sqlalchemy as sa

from data_access import geo, schema

BATCH_ROWS = 5000
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # line in the file; 1 is the header
    column: str
    message: str  # Chinese, for the people who fix the file

    def __str__(self) -> str:
        where = f"{self.file} 第{self.line}行" + (f" [{self.column}]" if self.column else "")
        return f"{where}:{self.message}"


class LoadError(Exception):
    """The files were not loaded; `problems` says why, row by row."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the CSV files")
        self.problems = problems


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


def load_csv(conn: sa.Connection, table: sa.Table, path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = convert_rows(table, csv.DictReader(handle))
        total = 0
        while batch := list(islice(rows, BATCH_ROWS)):
            conn.execute(table.insert(), batch)
            total += len(batch)
    return total


_TYPE_NAMES = {bool: "布尔值(true/false)", int: "整数", float: "数值", Decimal: "数值",
               dt.date.fromisoformat: "日期(YYYY-MM-DD)",
               dt.datetime.fromisoformat: "日期时间(YYYY-MM-DD HH:MM)"}


def _check_row(table: sa.Table, path: Path, line: int, row: dict[str, str],
               known_units: set[str]) -> Iterator[Problem]:
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
            yield Problem(path.name, line, column.name, f"“{text}”不是{kind}")
    unit = values.get("unit_code")
    if unit is not None and table.name != "units" and unit not in known_units:
        yield Problem(path.name, line, "unit_code", f"单位代码“{unit}”不是长治市的县区或功能区")
    lat, lon = values.get("lat"), values.get("lon")
    if isinstance(lat, float) and isinstance(lon, float) and not geo.in_city_bounds(lat, lon):
        yield Problem(path.name, line, "lat/lon", f"坐标({lat}, {lon})不在长治市范围内")


def check_csv(table: sa.Table, path: Path, known_units: set[str]) -> list[Problem]:
    """Every problem in one file (at most MAX_PROBLEMS); an empty list means it will load."""
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
                problems.extend(_check_row(table, path, line, row, known_units))
                if len(problems) >= MAX_PROBLEMS:
                    break
            return problems
    except UnicodeDecodeError:
        return [Problem(path.name, 0, "", "文件不是 UTF-8 编码(请在 Excel 中另存为“CSV UTF-8”)")]
    except csv.Error as exc:
        return [Problem(path.name, 0, "", f"不是有效的 CSV 文件:{exc}")]


def _units_in(csv_dir: Path, conn: sa.Connection) -> set[str]:
    path = csv_dir / "units.csv"
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {row.get("code", "") for row in csv.DictReader(handle)}
    return set(conn.execute(sa.select(schema.units.c.code)).scalars())


def load_csv_dir(conn: sa.Connection, csv_dir: Path) -> dict[str, int]:
    """Check every file, then load them all in table order; raises LoadError (and loads
    nothing) when any row has a problem. Run it inside one transaction."""
    known_units = _units_in(csv_dir, conn)
    present = [(t, csv_dir / f"{t.name}.csv") for t in schema.TABLES_IN_LOAD_ORDER
               if (csv_dir / f"{t.name}.csv").exists()]
    problems = [p for table, path in present for p in check_csv(table, path, known_units)]
    if problems:
        raise LoadError(problems)
    return {table.name: load_csv(conn, table, path) for table, path in present}
