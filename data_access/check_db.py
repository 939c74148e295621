"""Check a database — its own tables, or views over another system — against the data model.

    python -m data_access.check_db [--url URL]        (or: make check-db DATABASE_URL=…)

Without --url the database is the app's own (DATABASE_URL, then `.streamlit/secrets.toml`,
then the embedded sample). Nothing is written.

Structure: every table of the data model must exist as a table or a view with every column,
each of the right kind (integer / number / text / date / datetime / boolean). Where the
reflected type is vague (a view's computed column, a date kept as text in SQLite, a
PostgreSQL NUMERIC where an integer is expected) a few stored values are checked instead.
Content: every rule of `data_access.quality` on every table present, skipping rules whose
columns are missing or of the wrong kind. The row-level rules of a table are counted in one
pass (conditional counts); references are anti-joins and duplicates GROUP BY … HAVING, one
query each; examples (at most three) are fetched only for rules that found something.

The report is in Chinese, grouped by table. Exit status: 0 without errors (warnings allowed),
1 with errors, 2 when the database cannot be reached or its structure cannot be read (a
Chinese message, the password hidden).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from data_access import catalog, constraints, db, quality, schema
from data_access.quality import ERROR, WARNING

EXAMPLES = 3
CATEGORY_NAMES = {"integer": "整数", "number": "数值", "text": "文本", "date": "日期",
                  "datetime": "日期时间", "boolean": "布尔值", "other": "其他类型"}
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告"}
KIND_NAMES = {"table": "表", "view": "视图", "materialized view": "物化视图"}


@dataclass(frozen=True)
class Finding:
    """One problem: a structure problem (`count` None) or a rule that found rows."""

    code: str
    severity: str
    description: str
    count: int | None = None
    examples: tuple[str, ...] = ()


@dataclass
class TableResult:
    """What the check found on one table of the data model."""

    table: sa.Table
    kind: str | None  # "table", "view", "materialized view", or None when missing
    rows: int | None = None
    findings: list[Finding] = field(default_factory=list)
    skipped: int = 0  # rules not run because their columns are missing or of the wrong kind


class Unreachable(Exception):
    """The database cannot be reached; the message is Chinese and holds no password."""


# ---- structure ---------------------------------------------------------------------------

def expected_category(column: sa.Column) -> str:
    return _category(column.type) or "other"


def _category(kind: sa.types.TypeEngine) -> str | None:
    """integer / number / text / date / datetime / boolean / other; None for no type at all."""
    if isinstance(kind, sa.types.NullType):
        return None
    for category, types in (("boolean", sa.Boolean), ("integer", sa.Integer),
                            ("number", sa.Numeric), ("datetime", sa.DateTime),
                            ("date", sa.Date), ("text", sa.String)):
        if isinstance(kind, types):
            return category
    return "other"


def _verdict(expected: str, found: str | None, dialect: str) -> str:
    """"ok", "wrong", or "values" (the type does not tell; check stored values)."""
    if found == expected or (expected == "number" and found == "integer"):
        return "ok"
    vague = (
        found is None
        or (expected == "integer" and found == "number")
        or (expected == "boolean" and found == "integer" and dialect != "postgresql")
        or (dialect == "sqlite" and found == "text" and expected in ("date", "datetime"))
    )
    return "values" if vague else "wrong"


def _is_iso(text: str, *, with_time: bool) -> bool:
    """An ISO date (YYYY-MM-DD), or date and time, as SQLite stores them."""
    try:
        (dt.datetime if with_time else dt.date).fromisoformat(text)
    except ValueError:
        return False
    return len(text) > 10 if with_time else re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def value_fits(category: str, value: object) -> bool:
    """Whether a stored value can stand for the category (for columns of vague type)."""
    if isinstance(value, bool):
        return category == "boolean"
    if category == "boolean":
        return value in (0, 1)
    if category in ("integer", "number"):
        if isinstance(value, str):
            pattern = r"-?\d+" if category == "integer" else r"-?\d+(\.\d*)?"
            return re.fullmatch(pattern, value.strip()) is not None
        if not isinstance(value, int | float | Decimal):
            return False
        return category == "number" or value == int(value)
    if category in ("date", "datetime"):
        if isinstance(value, str):
            return _is_iso(value, with_time=category == "datetime")
        is_datetime = isinstance(value, dt.datetime)
        return isinstance(value, dt.date) and is_datetime == (category == "datetime")
    return isinstance(value, str)


def _stored_values(conn: sa.Connection, table: sa.Table, name: str) -> list:
    column = sa.column(name)
    stmt = (sa.select(column).select_from(sa.table(table.name))
            .where(column.is_not(None)).limit(EXAMPLES))
    return list(conn.execute(stmt).scalars())


def _check_structure(conn: sa.Connection, result: TableResult) -> set[str]:
    """Record missing and wrongly typed columns; return the names of the usable columns."""
    table, dialect = result.table, conn.dialect.name
    reflected = {c["name"]: c["type"] for c in sa.inspect(conn).get_columns(table.name)}
    usable = set()
    for column in table.columns:
        where = f"{table.name}.{column.name}"
        if column.name not in reflected:
            result.findings.append(Finding(f"missing_column:{where}", ERROR,
                                           f"缺少列:{quality.term(column.comment)}({column.name})"))
            continue
        expected, found = expected_category(column), _category(reflected[column.name])
        verdict = _verdict(expected, found, dialect)
        bad_values = []
        if verdict == "values":
            bad_values = [v for v in _stored_values(conn, table, column.name)
                          if not value_fits(expected, v)]
        if verdict == "wrong" or bad_values:
            shown = f",如 {_show(bad_values[0])}" if bad_values else ""
            result.findings.append(Finding(
                f"wrong_type:{where}", ERROR,
                f"列类型不符:{quality.term(column.comment)}({column.name})应为"
                f"{CATEGORY_NAMES[expected]},实际为 {reflected[column.name]}{shown}"))
            continue
        usable.add(column.name)
    return usable


# ---- content -----------------------------------------------------------------------------

def _runnable(rule: quality.Rule, usable: dict[str, set[str]]) -> bool:
    needed = [(rule.table.name, name) for name in rule.columns]
    if rule.references:
        needed.append(rule.references)
    return all(name in usable.get(table, set()) for table, name in needed)


def _identity(table: sa.Table, usable: set[str]) -> tuple[str, ...]:
    """Columns that name a row in examples: its natural key, else its id, else none."""
    natural = schema.NATURAL_KEYS[table.name]
    if set(natural) <= usable:
        return natural
    return ("id",) if "id" in usable and "id" in table.c else ()


def _show(value: object, limit: int = 30) -> str:
    if value is None:
        return "空"
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…(共{len(text)}字)"


def _example(row: sa.Row, *, duplicate: bool) -> str:
    values = dict(row._mapping)
    rows = values.pop("rows", None) if duplicate else None
    text = ", ".join(f"{name}={_show(value)}" for name, value in values.items())
    return f"{text}(共 {rows} 行)" if duplicate else text


def _first_line(error: sa.exc.DBAPIError) -> str:
    """The database's own message, first line only (no SQL, no traceback)."""
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else type(error.orig).__name__


class _Failed(Exception):
    def __init__(self, error: sa.exc.DBAPIError) -> None:
        super().__init__(_first_line(error))


def _fetch(conn: sa.Connection, stmt: sa.Executable) -> list[sa.Row]:
    """Rows of `stmt`; a database error (say, a view whose CAST fails on one legacy value)
    becomes `_Failed`, after which the connection is usable again."""
    try:
        return list(conn.execute(stmt))
    except sa.exc.DBAPIError as error:
        conn.rollback()
        raise _Failed(error) from error


def _finding(conn: sa.Connection, rule: quality.Rule, count: int,
             identity: Sequence[str]) -> Finding:
    rows = _fetch(conn, rule.examples_statement(identity, EXAMPLES))
    duplicate = isinstance(rule, quality.DuplicateRule)
    return Finding(rule.code, rule.severity, rule.description, count,
                   tuple(_example(row, duplicate=duplicate) for row in rows))


def _failed(code: str, error: _Failed) -> Finding:
    return Finding(f"query_failed:{code}", ERROR, f"数据库执行检查时出错:{error}")


def _check_content(conn: sa.Connection, result: TableResult, rules: Sequence[quality.Rule],
                   identity: Sequence[str]) -> None:
    scanned = [rule for rule in rules if rule.in_scan]
    counts: list[tuple[quality.Rule, int]] = []
    try:
        row = _fetch(conn, quality.scan_statement(result.table, scanned))[0]
        result.rows = int(row[0])
        counts += [(rule, int(n)) for rule, n in zip(scanned, row[1:])]
    except _Failed as error:
        result.findings.append(_failed(result.table.name, error))
    for rule in rules:
        if rule.in_scan:
            continue
        try:
            counts.append((rule, int(_fetch(conn, rule.count_statement())[0][0])))
        except _Failed as error:
            result.findings.append(_failed(rule.code, error))
    for rule, count in counts:
        if count:
            try:
                result.findings.append(_finding(conn, rule, count, identity))
            except _Failed as error:
                result.findings.append(_failed(rule.code, error))
    if result.rows == 0 and result.table.name in catalog.REQUIRED_TABLES:
        result.findings.append(Finding(f"empty_table:{result.table.name}", WARNING,
                                       "表中没有数据(仪表板的页面需要此表)"))


def relation_kinds(conn: sa.Connection) -> dict[str, str]:
    """Every table and view in the connection's default schema: name → "table", "view" or
    "materialized view" (PostgreSQL)."""
    inspector = sa.inspect(conn)
    kinds = {name: "table" for name in inspector.get_table_names()}
    kinds.update({name: "view" for name in inspector.get_view_names()})
    if conn.dialect.name == "postgresql":
        kinds.update({name: "materialized view"
                      for name in inspector.get_materialized_view_names()})
    return kinds


def check(conn: sa.Connection, *, today: dt.date) -> list[TableResult]:
    """Check every table of the data model on `conn`; dates are judged against `today`."""
    kinds = relation_kinds(conn)
    results = [TableResult(table, kinds.get(table.name)) for table in schema.TABLES_IN_LOAD_ORDER]
    usable = {}
    for result in results:
        if result.kind is None:
            result.findings.append(Finding(f"missing_table:{result.table.name}", ERROR,
                                           "缺少此表(或同名视图)"))
        else:
            usable[result.table.name] = _check_structure(conn, result)
    for result in results:
        if result.kind is None:
            continue
        rules = quality.rules_for(result.table, today=today)
        runnable = [rule for rule in rules if _runnable(rule, usable)]
        result.skipped = len(rules) - len(runnable)
        _check_content(conn, result, runnable,
                       _identity(result.table, usable[result.table.name]))
        result.findings.sort(key=lambda f: f.severity != ERROR)
    return results


# ---- report ------------------------------------------------------------------------------

def findings_of(results: Sequence[TableResult], severity: str) -> list[Finding]:
    return [f for r in results for f in r.findings if f.severity == severity]


def format_report(results: Sequence[TableResult], *, url: str, today: dt.date) -> str:
    lines = [f"数据检查:{url}",
             f"检查日期 {today};记录日期晚于 {constraints.latest_allowed_date(today)} 视为错误。", ""]
    for result in results:
        name = f"{quality.term(result.table.comment)} {result.table.name}"
        if result.kind is None:
            lines.append(f"■ {name}")
        else:
            kind = KIND_NAMES[result.kind]
            rows = "?" if result.rows is None else f"{result.rows:,}"
            clean = ":无问题" if not result.findings else ""
            lines.append(f"■ {name}({kind},{rows} 行){clean}")
        for finding in result.findings:
            count = "" if finding.count is None else f" — {finding.count:,} 行"
            lines.append(f"  [{SEVERITY_NAMES[finding.severity]}] {finding.description}"
                         f"{count}  〔{finding.code}〕")
            lines.extend(f"      例:{example}" for example in finding.examples)
        if result.skipped:
            lines.append(f"  (因缺列或列类型不符,{result.skipped} 条规则未检查)")
    errors, warnings = findings_of(results, ERROR), findings_of(results, WARNING)
    present = [r for r in results if r.kind is not None]
    total = sum(r.rows or 0 for r in present)
    verdict = "有错误,请修正后再用于仪表板。" if errors else "没有错误,可以用于仪表板。"
    lines += ["", f"汇总:检查 {len(results)} 张表(存在 {len(present)} 张,共 {total:,} 行),"
                  f"错误 {len(errors)} 项,警告 {len(warnings)} 项。{verdict}"]
    return "\n".join(lines)


# ---- command line ------------------------------------------------------------------------

def _safe(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def open_database(url: str | None) -> tuple[sa.Engine, sa.URL]:
    """An engine on `url` (default: the app's database); raises Unreachable."""
    try:
        if url is None:
            target = db.resolve_database()
            engine = db.open_engine(target)
        else:
            parsed = sa.make_url(url)
            path = parsed.database
            if parsed.get_backend_name() == "sqlite" and path and not Path(path).exists():
                raise Unreachable(f"无法连接数据库 {_safe(parsed)}:数据库文件不存在")
            engine = db.create_bureau_engine(url)
    except db.ConfigError as error:
        raise Unreachable(f"无法确定数据库:配置文件有误({error})") from error
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as error:
        raise Unreachable("数据库地址无效,应形如 postgresql+psycopg://用户@主机:5432/库名") from error
    return engine, engine.url


def _reason(error: sa.exc.DBAPIError, url: sa.URL) -> str:
    reason = _first_line(error)
    return reason.replace(url.password, "***") if url.password else reason


def run(url: str | None, *, today: dt.date) -> tuple[int, str]:
    """(exit status, report or message) for the database at `url`."""
    try:
        engine, parsed = open_database(url)
    except Unreachable as error:
        return 2, str(error)
    try:
        conn = engine.connect()
    except sa.exc.DBAPIError as error:
        engine.dispose()
        return 2, f"无法连接数据库 {_safe(parsed)}:{_reason(error, parsed)}"
    try:
        with conn:
            results = check(conn, today=today)
    except sa.exc.DBAPIError as error:
        return 2, f"无法读取数据库 {_safe(parsed)} 的结构(账号权限不足?):{_reason(error, parsed)}"
    finally:
        engine.dispose()
    status = 1 if findings_of(results, ERROR) else 0
    return status, format_report(results, url=_safe(parsed), today=today)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a database (tables or views) against the dashboard's data model.")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL, secrets, sample)")
    args = parser.parse_args(argv)
    status, text = run(args.url, today=dt.date.today())
    print(text, file=sys.stderr if status == 2 else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())
