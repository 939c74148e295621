"""From the bureau's files to a reviewable plan: every problem, or exactly what would change.

`analyse(conn, files)` reads every sheet, recognises which table it fills (by its name, else
by its headers), reads each cell as its column's type, checks every row (types, codes,
references, ranges, date order, keys repeated within the files) and, when nothing is wrong,
compares the rows with the database by each table's natural key: new, changed (field by field,
old → new), unchanged, and — where a file declares itself complete for a scope — the rows it
no longer holds, to be removed. Nothing is written; `commit.commit_plan` applies a plan.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from data_access import access, catalog, constraints, schema, vocab
from data_access._sql import CITY_CODE
from data_access.accident_rules import grade_for
from data_access.importing import parse
from data_access.importing.read import (
    RawSheet,
    ReadFile,
    SourceFile,
    UnreadableFile,
    iter_cells,
    read_file,
)
from data_access.importing.spec import (
    BOOL,
    CODE,
    DATE,
    DATETIME,
    DECIMAL,
    DECLARATION_SHEETS,
    EXAMPLE_MARK,
    FLOAT,
    GUIDE_SHEET,
    INTEGER,
    LISTS_SHEET,
    REF,
    SPECS,
    SPECS_BY_TABLE,
    TABLE_ORDER,
    TEXT,
    Field,
    SheetSpec,
)

WHOLE_TABLE = "*"  # a complete-file scope that covers the whole table
IN_BATCH = 500  # values per IN (…) list
MAX_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int  # as Excel numbers it; 0 for the file as a whole
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = self.file + (f"「{self.sheet}」" if self.sheet else "")
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f" [{self.column}]"
        value = f"“{self.value}”" if self.value else ""
        return f"{where}:{value}{self.reason}"


@dataclass(frozen=True)
class Pending:
    """A reference to a row that this import adds: its id is known only once it is written."""

    table: str
    key: str


@dataclass
class Row:
    source: str  # file「sheet」
    number: int
    values: dict[str, object]  # stored columns read from the file (refs resolved later)
    refs: dict[str, str] = field(default_factory=dict)  # REF column → the text in the file
    derived_code: bool = False  # accidents: 事故编号 was not given and was derived
    ok: bool = True  # False: a cell has a problem (the row is still checked for the rest)


@dataclass
class Change:
    id: object  # the row's primary key value
    key: str  # its natural key, for people
    before: dict[str, object]
    after: dict[str, object]  # only the changed columns

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.after)


@dataclass
class TableChanges:
    spec: SheetSpec
    sources: list[str] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # the stored columns the files give
    new: list[dict[str, object]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    removed: list[dict[str, object]] = field(default_factory=list)  # whole rows, as they are
    scope: str | None = None  # a complete file's scope: None partial, "*" whole table, a unit

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed),
                "unchanged": self.unchanged, "removed": len(self.removed)}


@dataclass
class FileReport:
    name: str
    sha256: str
    size: int
    encoding: str | None = None
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, table)
    ignored_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why)
    ignored_columns: list[tuple[str, str]] = field(default_factory=list)  # (sheet, header)


@dataclass
class Plan:
    files: list[FileReport]
    tables: dict[str, TableChanges]
    problems: list[Problem]
    warnings: list[Problem]
    data_version: tuple[int, int]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return any(t.new or t.changed or t.removed for t in self.tables.values())

    def summary(self) -> dict[str, dict[str, int]]:
        return {name: changes.counts for name, changes in self.tables.items()}


# ---- recognising sheets and headers --------------------------------------------------------
def normal_name(text: str) -> str:
    """A header or sheet name as compared: NFKC, no spaces, no required-marker *, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*]", "", text).lower()


def _without_unit_hint(text: str) -> str:
    return re.sub(r"\([^()]*\)$", "", text)


def _header_index(spec: SheetSpec) -> dict[str, Field]:
    index = {}
    for f in spec.fields:
        for name in (f.header, *f.aliases):
            index.setdefault(normal_name(name), f)
    return index


HEADER_INDEX = {spec.table: _header_index(spec) for spec in SPECS}
SHEET_INDEX = {normal_name(name): spec for spec in SPECS for name in (spec.sheet, *spec.aliases)}


def match_header(spec: SheetSpec, header: str) -> Field | None:
    index = HEADER_INDEX[spec.table]
    key = normal_name(header)
    return index.get(key) or index.get(_without_unit_hint(key))


def recognise(sheet: RawSheet) -> SheetSpec | None:
    """The spec a sheet fills: by its name (or, for a CSV file, the file's name), else the
    spec whose required headers it all has and that matches most of its headers."""
    by_name = SHEET_INDEX.get(normal_name(sheet.sheet))
    if by_name is not None:
        return by_name
    best, best_hits = None, 0
    for spec in SPECS:
        columns = {f.column for f in (match_header(spec, h) for h in sheet.headers if h) if f}
        required = {f.column for f in spec.fields if f.required}
        if required <= columns and len(columns) > best_hits:
            best, best_hits = spec, len(columns)
    return best


# ---- reading values ------------------------------------------------------------------------
def _code_aliases(codes: dict) -> dict[str, object]:
    aliases: dict[str, object] = {}
    for code, label in codes.items():
        for name in (str(code), label, re.sub(r"\(.*\)$", "", label)):
            aliases[normal_name(name)] = code
        for suffix in ("隐患", "事故", "风险", "级"):
            if label.endswith(suffix) and len(label) > len(suffix):
                aliases[normal_name(label[: -len(suffix)])] = code
    return aliases


CODE_ALIASES = {(spec.table, f.column): _code_aliases(f.codes)
                for spec in SPECS for f in spec.fields if f.kind == CODE}


def read_value(spec: SheetSpec, f: Field, cell: object, today: dt.date) -> object:
    """The cell as the field's stored value (REF fields: the text, resolved later)."""
    column = spec.sa_table.c[f.column] if not f.check_only else None
    if f.kind == TEXT:
        return parse.parse_text(cell, max_length=getattr(column.type, "length", None))
    if f.kind == INTEGER:
        return parse.parse_integer(cell)
    if f.kind == DECIMAL:
        number = parse.parse_decimal(cell)
        scale = getattr(column.type, "scale", None)
        if number is not None and scale is not None:
            number = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        return number
    if f.kind == FLOAT:
        return parse.parse_float(cell)
    if f.kind in (DATE, DATETIME):
        return parse.parse_date(cell) if f.kind == DATE else parse.parse_datetime(cell)
    if f.kind == BOOL:
        return parse.parse_bool(cell)
    if f.kind == CODE:
        text = parse.clean_text(cell)
        if text is None:
            return None
        code = CODE_ALIASES[spec.table, f.column].get(normal_name(text))
        if code is None:
            raise parse.BadValue("不是可选的值(可选:" + "、".join(map(str, f.codes.values())) + ")")
        return code
    return parse.parse_text(cell)  # REF


def _row_checks(spec: SheetSpec, values: dict[str, object],
                today: dt.date) -> list[tuple[str, str]]:
    """(column, reason) for what is impossible in a row (`constraints.row_problems`) or
    contradicts its stated 状态."""
    found = constraints.row_problems(spec.table, values, today,
                                     label=lambda column: spec.field(column).header)
    state = values.get("state")
    if state is not None:
        reason = _state_conflict(state, values)
        if reason:
            found.append(("state", reason))
    return found


def _state_conflict(state: str, values: dict[str, object]) -> str | None:
    closed, submitted, started = (values.get(c) for c in
                                  ("closed_on", "submitted_on", "rectify_started_on"))
    if state == "closed" and closed is None:
        return "状态为已销号,但没有销号日期"
    if state != "closed" and closed is not None:
        return "已有销号日期,状态应为已销号"
    if state == "awaiting_acceptance" and submitted is None:
        return "状态为待验收,但没有申请验收日期"
    if state == "in_progress" and started is None:
        return "状态为整改中,但没有开始整改日期"
    return None


def derived_accident_code(unit_code: str, occurred_at: dt.datetime) -> str:
    """The 事故编号 of an accident reported without one: its unit and time (idempotent)."""
    return f"{unit_code}-{occurred_at:%Y%m%d%H%M}"


# ---- the analysis --------------------------------------------------------------------------
class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def _declarations(sheet: RawSheet, problems: _Collector, units: dict[str, str]
                  ) -> dict[str, str]:
    """A 导入说明 sheet's rows: 表 (a sheet name) and 完整范围 (全市, or a unit): the tables
    the files hold completely, for that scope."""
    scopes = {}
    for number, cells in iter_cells(sheet):
        named = {normal_name(k): v for k, v in cells.items()}
        table_text = parse.clean_text(named.get(normal_name("表")))
        scope_text = parse.clean_text(named.get(normal_name("完整范围")))
        if table_text is None or scope_text is None:
            continue
        spec = SHEET_INDEX.get(normal_name(table_text))
        if spec is None:
            problems.add(Problem(sheet.file, sheet.sheet, number, "表", table_text,
                                 "不是可导入的表"))
            continue
        scope = _scope_of(spec, scope_text, units)
        if scope is None:
            problems.add(Problem(sheet.file, sheet.sheet, number, "完整范围", scope_text,
                                 "应为“全市”或一个单位(该表可按单位声明时)"))
            continue
        scopes[spec.table] = scope
    return scopes


def _scope_of(spec: SheetSpec, text: str, units: dict[str, str]) -> str | None:
    if normal_name(text) in {normal_name("全市"), normal_name("全部")}:
        return WHOLE_TABLE
    if spec.scope_column is None:
        return None
    return units.get(normal_name(text))


def unit_lookup(conn: sa.Connection) -> dict[str, str]:
    """Every way a unit may be written (code, name, name without 县/区/市) → its code."""
    lookup: dict[str, str] = {}
    for code, name in conn.execute(sa.select(schema.units.c.code, schema.units.c.name)):
        lookup[normal_name(code)] = code
        lookup[normal_name(name)] = code
        if len(name) > 2 and name[-1] in "县区市":
            lookup.setdefault(normal_name(name[:-1]), code)
    return lookup


def _read_rows(spec: SheetSpec, sheet: RawSheet, report: FileReport, problems: _Collector,
               today: dt.date, changes: TableChanges) -> list[Row]:
    mapped: dict[str, Field] = {}
    seen: dict[str, str] = {}
    for header in sheet.headers:
        if not header:
            continue
        f = match_header(spec, header)
        if f is None:
            report.ignored_columns.append((sheet.sheet, header))
        elif f.column in seen:
            problems.add(Problem(sheet.file, sheet.sheet, sheet.header_row, header, "",
                                 f"与“{seen[f.column]}”是同一列,重复"))
        else:
            mapped[header], seen[f.column] = f, header
    missing = [f.header for f in spec.fields if f.required and f.column not in seen]
    if missing:
        problems.add(Problem(sheet.file, sheet.sheet, sheet.header_row, "、".join(missing), "",
                             "缺少必填列"))
        return []
    changes.columns |= {f.column for f in mapped.values() if not f.check_only}
    source = f"{sheet.file}「{sheet.sheet}」"
    rows = []
    for number, cells in iter_cells(sheet):
        if _is_example(cells):
            continue
        values, refs, ok = {}, {}, True
        for header, f in mapped.items():
            cell = cells.get(header)
            try:
                value = read_value(spec, f, cell, today)
            except parse.BadValue as exc:
                problems.add(Problem(sheet.file, sheet.sheet, number, header,
                                     _shown(cell), str(exc)))
                ok = False
                continue
            if value is None and f.required:
                problems.add(Problem(sheet.file, sheet.sheet, number, header, "", "必填项为空"))
                ok = False
                continue
            if f.kind == REF and value is not None:
                refs[f.column] = value
            values[f.column] = value
        if ok:
            for column, reason in _row_checks(spec, values, today):
                problems.add(Problem(sheet.file, sheet.sheet, number, spec.field(column).header,
                                     _shown(values.get(column)), reason))
                ok = False
        values.pop("state", None)
        rows.append(Row(source, number, values, refs, ok=ok))
    return rows


def _is_example(cells: dict[str, object]) -> bool:
    """The template's example row (its first filled cell starts with EXAMPLE_MARK): skipped."""
    first = next((text for text in map(parse.clean_text, cells.values()) if text), "")
    return first.startswith(EXAMPLE_MARK)


def _shown(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
    return text[:60] + ("…" if len(text) > 60 else "")


def _row_key(spec: SheetSpec, row: Row) -> tuple:
    return tuple(row.refs.get(c, row.values.get(c)) for c in spec.key)


def _check_duplicates(spec: SheetSpec, rows: list[Row], problems: _Collector) -> list[Row]:
    first: dict[tuple, Row] = {}
    kept = []
    for row in rows:
        key = _row_key(spec, row)
        if None in key and not row.ok:  # a key cell that could not be read: reported already
            kept.append(row)
            continue
        if key in first:
            earlier = first[key]
            where = (f"第{earlier.number}行" if earlier.source == row.source
                     else f"{earlier.source}第{earlier.number}行")
            names = "+".join(spec.field(c).header for c in spec.key)
            file, sheet = row.source.split("「", 1)
            problems.add(Problem(file, sheet.rstrip("」"), row.number, names,
                                 " / ".join(str(k) for k in key),
                                 f"与{where}重复(同一{names}只能出现一次)"))
        else:
            first[key] = row
            kept.append(row)
    return kept


def _fill_accident_codes(rows: list[Row]) -> None:
    for row in rows:
        if row.ok and row.values.get("code") is None:
            unit = row.values.get("unit_code") or row.refs.get("unit_code")
            row.values["code"] = derived_accident_code(str(unit), row.values["occurred_at"])
            row.derived_code = True


# ---- references ----------------------------------------------------------------------------
def _lookup_existing(conn: sa.Connection, table: str, column: str,
                     values: Iterable[str]) -> dict[str, list]:
    t = schema.metadata.tables[table]
    stores = "id" if "id" in t.c else column
    found: dict[str, list] = defaultdict(list)
    values = sorted(set(values))
    for start in range(0, len(values), IN_BATCH):
        chunk = values[start:start + IN_BATCH]
        for key, stored in conn.execute(sa.select(t.c[column], t.c[stores])
                                        .where(t.c[column].in_(chunk))):
            found[str(key)].append(stored)
    return found


def _resolve_references(conn: sa.Connection, rows_by_table: dict[str, list[Row]],
                        units: dict[str, str], problems: _Collector) -> None:
    names = {"sectors": _names(conn, schema.sectors), "departments": _names(conn, schema.departments),
             "units": units}
    for table, rows in rows_by_table.items():
        spec = SPECS_BY_TABLE[table]
        for f in (f for f in spec.stored if f.kind == REF):
            if f.ref.also_by:
                lookup = dict(names[f.ref.table])
                for added_row in rows_by_table.get(f.ref.table, []):
                    code = added_row.values[f.ref.by]
                    lookup[normal_name(code)] = code
                    lookup[normal_name(added_row.values[f.ref.also_by])] = code
                existing = None
            else:
                wanted = {r.refs[f.column] for r in rows if f.column in r.refs}
                existing = _lookup_existing(conn, f.ref.table, f.ref.by, wanted)
                added = {r.values[f.ref.by] for r in rows_by_table.get(f.ref.table, [])}
            keep = []
            for row in rows:
                text = row.refs.get(f.column)
                if text is None:
                    if f.city_is_blank:
                        row.values[f.column] = None
                    keep.append(row)
                    continue
                if f.ref.also_by:
                    code = lookup.get(normal_name(text))
                    if f.city_is_blank and (code == CITY_CODE or normal_name(text) == "全市"):
                        row.values[f.column] = None
                    elif code is not None:
                        row.values[f.column] = code
                    else:
                        _bad_ref(problems, row, spec, f, text)
                        continue
                elif len(existing.get(text, [])) == 1:
                    row.values[f.column] = existing[text][0]
                elif existing.get(text):
                    _report(problems, row, f.header, text,
                            f"在数据库中对应{len(existing[text])}条记录,无法确定是哪一条")
                    continue
                elif text in added:
                    row.values[f.column] = Pending(f.ref.table, text)
                else:
                    _bad_ref(problems, row, spec, f, text)
                    continue
                keep.append(row)
            rows[:] = keep


def _names(conn: sa.Connection, table: sa.Table) -> dict[str, str]:
    lookup = {}
    for code, name in conn.execute(sa.select(table.c.code, table.c.name)):
        lookup[normal_name(code)] = code
        lookup[normal_name(name)] = code
    return lookup


def _report(problems: _Collector, row: Row, column: str, value: str, reason: str) -> None:
    file, sheet = row.source.split("「", 1)
    problems.add(Problem(file, sheet.rstrip("」"), row.number, column, value, reason))


def _bad_ref(problems: _Collector, row: Row, spec: SheetSpec, f: Field, text: str) -> None:
    target = SPECS_BY_TABLE[f.ref.table].sheet
    _report(problems, row, f.header, text, f"不存在:数据库和本次导入的“{target}”中都没有")


# ---- comparing with the database -----------------------------------------------------------
def normal_value(column: sa.Column, value: object) -> object:
    """A value as compared and stored: the backend's types made alike."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return bool(value)
    if isinstance(kind, sa.DateTime):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(kind, sa.Date):
        if isinstance(value, dt.datetime):
            return value.date()
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, sa.Float):
        return round(float(value), 7)
    if isinstance(kind, sa.Numeric):
        scale = kind.scale or 0
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    if isinstance(kind, sa.Integer):
        return int(value)
    return str(value)


def _existing_rows(conn: sa.Connection, table: sa.Table, column: str,
                   values: Iterable[object]) -> list[dict]:
    values = list({v for v in values if v is not None and not isinstance(v, Pending)})
    found = []
    for start in range(0, len(values), IN_BATCH):
        chunk = values[start:start + IN_BATCH]
        found += [dict(r._mapping) for r in conn.execute(
            sa.select(table).where(table.c[column].in_(chunk)))]
    return found


def _pk(table: sa.Table) -> str:
    return table.primary_key.columns.values()[0].name


def _diff(conn: sa.Connection, spec: SheetSpec, rows: list[Row], changes: TableChanges) -> None:
    table = spec.sa_table
    pk = _pk(table)
    key_columns = spec.key
    nullable_key = any(table.c[c].nullable for c in key_columns)
    if nullable_key:  # e.g. targets: a whole-city target has no unit; the table is small
        existing = [dict(r._mapping) for r in conn.execute(sa.select(table))]
    else:
        existing = _existing_rows(conn, table, key_columns[0],
                                  (r.values[key_columns[0]] for r in rows))
    by_time = _accidents_by_time(conn, rows) if spec.table == "accidents" else {}

    def key_of(values: dict) -> tuple:
        return tuple(normal_value(table.c[c], values.get(c)) for c in key_columns)

    by_key = {key_of(e): e for e in existing}
    matched_ids = set()
    for row in rows:
        values = {c: normal_value(table.c[c], v) if not isinstance(v, Pending) else v
                  for c, v in row.values.items()}
        current = None if any(isinstance(values.get(c), Pending) for c in key_columns) \
            else by_key.get(key_of(values))
        compared = changes.columns
        if current is None and by_time:
            current = _same_accident(by_time, values, derived=row.derived_code)
            if row.derived_code:  # matched by time and place: keep the number it has
                compared = compared - {"code"}
        if current is None or current[pk] in matched_ids:
            changes.new.append(values)
            continue
        matched_ids.add(current[pk])
        after = {f.column: values[f.column] for f in spec.stored
                 if f.column in compared and f.column in values
                 and values[f.column] != normal_value(table.c[f.column], current[f.column])}
        if after:
            changes.changed.append(Change(current[pk], " / ".join(map(str, key_of(values))),
                                          current, after))
        else:
            changes.unchanged += 1
    if changes.scope is not None:
        changes.removed = _absent_rows(conn, spec, changes.scope, matched_ids)


def _accidents_by_time(conn: sa.Connection, rows: list[Row]) -> dict[tuple, list[dict]]:
    """The accidents already recorded at the times of the file's accidents, by (time, unit):
    an accident is the same accident when the file gives no 事故编号 (or gives one where the
    database holds a number derived from time and unit) and the time and unit agree."""
    table = schema.accidents
    found = defaultdict(list)
    for current in _existing_rows(conn, table, "occurred_at",
                                  (r.values["occurred_at"] for r in rows)):
        key = (normal_value(table.c.occurred_at, current["occurred_at"]), current["unit_code"])
        found[key].append(current)
    return found


def _same_accident(by_time: dict[tuple, list[dict]], values: dict, *,
                   derived: bool) -> dict | None:
    candidates = by_time.get((values["occurred_at"], values["unit_code"]), [])
    derived_code = derived_accident_code(values["unit_code"], values["occurred_at"])
    if not derived:  # a number given now replaces only a number that was derived before
        candidates = [c for c in candidates if c["code"] == derived_code]
    return candidates[0] if len(candidates) == 1 else None


def _absent_rows(conn: sa.Connection, spec: SheetSpec, scope: str,
                 kept: set) -> list[dict]:
    table = spec.sa_table
    pk = _pk(table)
    conditions = [] if scope == WHOLE_TABLE else [table.c[spec.scope_column] == scope]
    return [dict(r._mapping) for r in conn.execute(sa.select(table).where(*conditions))
            if r._mapping[pk] not in kept]


def _check_removals(conn: sa.Connection, plan_tables: dict[str, TableChanges],
                    problems: _Collector) -> None:
    """A row may only be removed if nothing that stays refers to it."""
    for changes in plan_tables.values():
        if not changes.removed:
            continue
        table = changes.spec.sa_table
        pk = _pk(table)
        ids = [r[pk] for r in changes.removed]
        for other in schema.TABLES_IN_LOAD_ORDER:
            for fk in other.foreign_keys:
                if fk.column.table is not table:
                    continue
                also_removed = {r[_pk(other)] for r in plan_tables[other.name].removed} \
                    if other.name in plan_tables else set()
                count = 0
                for start in range(0, len(ids), IN_BATCH):
                    refs = conn.execute(sa.select(other.c[_pk(other)]).where(
                        fk.parent.in_(ids[start:start + IN_BATCH]))).scalars()
                    count += sum(1 for r in refs if r not in also_removed)
                if count:
                    sheet = SPECS_BY_TABLE[other.name].sheet if other.name in SPECS_BY_TABLE \
                        else other.name
                    problems.add(Problem(", ".join(changes.sources), "", 0, "", "",
                                         f"“{changes.spec.sheet}”中有{len(ids)}行将被删除,但"
                                         f"“{sheet}”中仍有{count}行引用它们;请一并处理后再导入"))


def data_version(conn: sa.Connection) -> tuple[int, int]:
    """Changes with every import, undo and full reload (see catalog.get_data_version)."""
    return catalog.get_data_version(conn) or (0, 0)


def _check_roles(rows: list[Row], problems: _Collector) -> None:
    """A county user has one unit, the other roles none (`access.role_unit_problem`; checked
    once the unit is resolved: 长治市 is the whole city, no county)."""
    spec = SPECS_BY_TABLE["app_users"]
    for row in (r for r in rows if r.ok):
        reason = access.role_unit_problem(row.values.get("role"), row.values.get("unit_code"))
        if reason:
            _report(problems, row, spec.field("unit_code").header,
                    row.refs.get("unit_code", ""), reason)


def _accident_warnings(rows: list[Row], warnings: list[Problem]) -> None:
    """Reported grades that disagree with 国务院令第493号: imported as reported, but said."""
    for row in (r for r in rows if r.ok):
        v = row.values
        rule = grade_for(v["deaths"], v["serious_injuries"], v["direct_loss_wan"])
        if rule != v["grade"]:
            file, sheet = row.source.split("「", 1)
            warnings.append(Problem(file, sheet.rstrip("」"), row.number, "事故等级",
                                    vocab.GRADES[v["grade"]],
                                    f"按条例应为“{vocab.GRADES[rule]}”(页面按填报等级统计,并提示核对)"))


def analyse(conn: sa.Connection, files: list[SourceFile], *,
            complete: dict[str, str] | None = None, today: dt.date | None = None) -> Plan:
    """Read, check and compare `files`; `complete` maps a table to the scope its files hold
    completely (WHOLE_TABLE or a unit code), adding to what a 导入说明 sheet declares."""
    today = today or dt.date.today()
    problems = _Collector()
    units = unit_lookup(conn)
    reports, rows_by_table, tables = [], defaultdict(list), {}
    scopes = dict(complete or {})
    for source in files:
        report = FileReport(source.name, source.sha256, len(source.data))
        reports.append(report)
        try:
            read: ReadFile = read_file(source)
        except UnreadableFile as exc:
            problems.add(Problem(source.name, "", 0, "", "", str(exc)))
            continue
        report.encoding = read.encoding
        if not read.sheets:
            problems.add(Problem(source.name, "", 0, "", "", "文件中没有数据"))
        for sheet in read.sheets:
            if sheet.sheet in (GUIDE_SHEET, LISTS_SHEET):
                continue
            if normal_name(sheet.sheet) in map(normal_name, DECLARATION_SHEETS):
                scopes.update({k: v for k, v in _declarations(sheet, problems, units).items()
                               if k not in (complete or {})})
                continue
            spec = recognise(sheet)
            if spec is None:
                report.ignored_sheets.append((sheet.sheet, "无法识别是哪张表(工作表名称和表头都不匹配)"))
                continue
            report.sheets.append((sheet.sheet, spec.table))
            changes = tables.setdefault(spec.table, TableChanges(spec))
            changes.sources.append(f"{sheet.file}「{sheet.sheet}」")
            rows_by_table[spec.table] += _read_rows(spec, sheet, report, problems, today, changes)
    if not tables and not problems.problems:
        problems.add(Problem(", ".join(f.name for f in files), "", 0, "", "",
                             "没有可导入的工作表"))
    for table, scope in scopes.items():
        if table not in tables:
            problems.add(Problem(", ".join(f.name for f in files), "", 0, "", "",
                                 f"声明了“{SPECS_BY_TABLE[table].sheet}”为完整数据,但文件中没有这张表"))
        else:
            tables[table].scope = scope
    for table, rows in rows_by_table.items():
        spec = SPECS_BY_TABLE[table]
        rows[:] = _check_duplicates(spec, rows, problems)
    _resolve_references(conn, rows_by_table, units, problems)
    _check_roles(rows_by_table.get("app_users", []), problems)
    if "accidents" in rows_by_table:
        _fill_accident_codes(rows_by_table["accidents"])
        rows_by_table["accidents"][:] = _check_duplicates(
            SPECS_BY_TABLE["accidents"], rows_by_table["accidents"], problems)
        _accident_warnings(rows_by_table["accidents"], problems.warnings)
    ordered = dict(sorted(tables.items(), key=lambda item: TABLE_ORDER[item[0]]))
    version = data_version(conn)
    if problems.problems:
        problems.problems.sort(key=lambda p: (p.file, p.sheet, p.row))
        return Plan(reports, ordered, problems.problems, problems.warnings, version)
    for table, changes in ordered.items():
        _diff(conn, changes.spec, rows_by_table[table], changes)
    _check_removals(conn, ordered, problems)
    return Plan(reports, ordered, problems.problems, problems.warnings, version)


def to_json(value: object) -> object:
    """A stored value in the import log's JSON."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_json(row: dict[str, object]) -> str:
    return json.dumps({k: to_json(v) for k, v in row.items()}, ensure_ascii=False,
                      sort_keys=True)
