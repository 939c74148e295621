"""Data-quality rules for the bureau database, derived from its declarations.

Most rules come from what the data model already says: non-nullable columns (`required`),
code lists in `vocab.CODED_COLUMNS` (`unknown_code`), foreign keys (`broken_reference`),
numeric columns (`impossible_number`), date columns (`date_range`), declared keys and
`schema.NATURAL_KEYS` (`duplicate_key`) and string lengths (`too_long`). A short explicit list
adds what the declarations cannot say: which dates are plans (may lie in the future), which
dates must come in order (`date_order`), which counts are parts of a whole.

Severity: an **error** makes a figure wrong or a row unusable (a missing required value, an
unknown code, a reference to nothing, an impossible number, a date outside 2000-01-01 … the
day after tomorrow, dates in an impossible order, two rows with one declared key); a **warning**
is suspicious but the figures still compute: two rows with the same natural key where the data
model declares no unique key (they may be two real records), and text longer than the column
allows (shown in full; only loading it into the dashboard's own tables would fail).

Every rule reads one table. A row-level rule carries `bad`, a SQLAlchemy condition that is
true for an offending row and never NULL, so `NOT bad` keeps exactly the other rows
(`clean_rows` combines them for a page). A duplicate-key rule carries `keys`, a subquery of the
key values held by more than one row, with their number of rows (`rows`); its `bad` marks
every row holding such a key. SQL is SQLAlchemy Core and runs on SQLite, PostgreSQL and
MariaDB; values are bound parameters and identifiers come from the schema only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from data_access import constraints, geo, schema, vocab
from data_access._sql import count_where, start_of_day

ERROR = "error"
WARNING = "warning"

CHECKS = ("required", "unknown_code", "broken_reference", "impossible_number", "date_range",
          "date_order", "duplicate_key", "too_long")

FIRST_DAY = constraints.EARLIEST_DATE
# References the data model holds without a foreign key: (table, column) → (table, column).
EXTRA_REFERENCES = {("units", "parent_code"): ("units", "code")}


@dataclass(frozen=True, eq=False)
class Rule:
    """One data-quality rule on one table.

    `code` is stable (`<check>:<table>.<column>[,<column>…]`); `columns` are the table's
    columns the rule reads, shown beside each example; `bad` is true for an offending row and
    never NULL. `in_scan` rules are counted together in one pass over the table; the others
    (references: an anti-join each) are counted on their own.
    """

    check: str
    table: sa.Table
    columns: tuple[str, ...]
    description: str  # Chinese, for the people who fix the data
    severity: str
    bad: sa.ColumnElement[bool]
    in_scan: bool = True

    @property
    def code(self) -> str:
        return f"{self.check}:{self.table.name}.{','.join(self.columns)}"

    @property
    def references(self) -> tuple[str, str] | None:
        """(table, column) a broken-reference rule looks the value up in; None otherwise."""
        return None

    def count_statement(self) -> sa.Select:
        """SELECT the number of offending rows."""
        return sa.select(sa.func.count()).select_from(self.table).where(self.bad)

    def examples_statement(self, identity: Sequence[str], limit: int = 3) -> sa.Select:
        """SELECT up to `limit` offending rows: the `identity` columns (a natural key or the id)
        then the rule's columns, as stored (no conversion, so malformed values show as they
        are)."""
        names = list(dict.fromkeys([*identity, *self.columns]))
        ordering = [self.table.c[name] for name in identity]
        return (sa.select(*(_raw(self.table.c[name]) for name in names))
                .where(self.bad).order_by(*ordering).limit(limit))


@dataclass(frozen=True, eq=False)
class ReferenceRule(Rule):
    """A value with no row holding it in the referenced column (an anti-join)."""

    target: sa.Column | None = None

    @property
    def references(self) -> tuple[str, str]:
        return self.target.table.name, self.target.name


@dataclass(frozen=True, eq=False)
class DuplicateRule(Rule):
    """Key values held by more than one row. `keys` is the subquery of those values with their
    number of rows (`rows`); the count is the rows involved."""

    keys: sa.Subquery | None = None

    def count_statement(self) -> sa.Select:
        return sa.select(sa.func.coalesce(sa.func.sum(self.keys.c.rows), 0))

    def examples_statement(self, identity: Sequence[str] = (), limit: int = 3) -> sa.Select:
        """SELECT up to `limit` duplicated keys with their number of rows, most repeated first."""
        key_columns = [self.keys.c[name] for name in self.columns]
        return (sa.select(*(_raw(c) for c in key_columns), self.keys.c.rows)
                .order_by(self.keys.c.rows.desc(), *key_columns).limit(limit))


class text_length(FunctionElement):
    """Length of a text in characters (MariaDB's LENGTH counts bytes; SQLite has no
    CHAR_LENGTH)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(text_length)
def _text_length(element, compiler, **kw):
    return f"char_length({compiler.process(element.clauses, **kw)})"


@compiles(text_length, "sqlite")
def _text_length_sqlite(element, compiler, **kw):
    return f"length({compiler.process(element.clauses, **kw)})"


def _raw(column: sa.ColumnElement) -> sa.ColumnElement:
    """The column as the driver returns it, without the declared type's conversion."""
    return sa.type_coerce(column, sa.types.NullType()).label(column.name)


def term(comment: str | None) -> str:
    """The Chinese term at the head of a schema comment: up to the first ":", "," or ";"
    outside parentheses, without a closing parenthetical ("隐患等级: general 一般 / …" →
    "隐患等级"; "向职工(代表)大会报告日期(双报告之二,重大隐患)" → "向职工(代表)大会报告日期")."""
    head, depth = [], 0
    for char in comment or "":
        if depth == 0 and char in ":,;":
            break
        depth += (char == "(") - (char == ")")
        head.append(char)
    text = "".join(head).strip()
    if text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += (text[i] == ")") - (text[i] == "(")
            if depth == 0:
                return text[:i].strip() or text
    return text


def _name(column: sa.Column) -> str:
    return f"{term(column.comment)}({column.name})"


def _is_text(column: sa.Column) -> bool:
    return isinstance(column.type, sa.String)


def _is_number(column: sa.Column) -> bool:
    return isinstance(column.type, sa.Integer | sa.Numeric) and not isinstance(
        column.type, sa.Boolean)


def _given(*columns: sa.ColumnElement) -> list[sa.ColumnElement[bool]]:
    return [column.is_not(None) for column in columns]


def _required_rules(table: sa.Table) -> Iterable[Rule]:
    for column in table.columns:
        if column.nullable:
            continue
        bad = column.is_(None)
        if _is_text(column):
            bad = sa.or_(bad, sa.func.trim(column) == "")
        yield Rule("required", table, (column.name,), f"必填项为空:{_name(column)}", ERROR, bad)


def _code_rules(table: sa.Table) -> Iterable[Rule]:
    for (table_name, column_name), codes in vocab.CODED_COLUMNS.items():
        if table_name != table.name:
            continue
        column = table.c[column_name]
        allowed = "/".join(str(code) for code in codes)
        yield Rule("unknown_code", table, (column_name,),
                   f"代码不在代码表中:{_name(column)},应为 {allowed}", ERROR,
                   sa.and_(*_given(column), column.not_in(list(codes))))


def _reference_rules(table: sa.Table) -> Iterable[Rule]:
    links = [(fk.parent, fk.column) for fk in table.foreign_keys]
    links += [(table.c[column], schema.metadata.tables[target].c[target_column])
              for (table_name, column), (target, target_column) in EXTRA_REFERENCES.items()
              if table_name == table.name]
    position = {name: i for i, name in enumerate(table.columns.keys())}
    for column, target in sorted(links, key=lambda link: position[link[0].name]):
        referenced = target.table.alias("referenced")
        # One hashed look-up of the referenced keys, not a correlated one per row.
        found = column.in_(sa.select(referenced.c[target.name])
                           .where(referenced.c[target.name].is_not(None)))
        yield ReferenceRule(
            "broken_reference", table, (column.name,),
            f"引用的记录不存在:{_name(column)}在{term(target.table.comment)}"
            f"({target.table.name}.{target.name})中找不到", ERROR,
            sa.and_(*_given(column), sa.not_(found)), in_scan=False, target=target)


def _number_rules(table: sa.Table, *, today: dt.date) -> Iterable[Rule]:
    coded = {column for (table_name, column) in vocab.CODED_COLUMNS if table_name == table.name}
    for column in table.columns:
        if (not _is_number(column) or column.primary_key or column.foreign_keys
                or column.name in coded or column.name in constraints.NOT_AMOUNTS):
            continue
        if column.name in constraints.YEAR_COLUMNS:
            last = constraints.latest_allowed_year(today)
            yield Rule("date_range", table, (column.name,),
                       f"年度不在 {FIRST_DAY.year}–{last} 之间:{_name(column)}", ERROR,
                       sa.and_(*_given(column), sa.or_(column < FIRST_DAY.year, column > last)))
        elif constraints.is_percent(column.name):
            yield Rule("impossible_number", table, (column.name,),
                       f"百分比不在 0–100 之间:{_name(column)}", ERROR,
                       sa.and_(*_given(column), sa.or_(column < 0, column > 100)))
        else:
            yield Rule("impossible_number", table, (column.name,), f"数值为负:{_name(column)}",
                       ERROR, sa.and_(*_given(column), column < 0))
    for part, whole in constraints.PARTS_OF_WHOLE.get(table.name, ()):
        p, w = table.c[part], table.c[whole]
        yield Rule("impossible_number", table, (part, whole),
                   f"部分大于总数:{_name(p)}大于{_name(w)}", ERROR, sa.and_(*_given(p, w), p > w))
    if "lat" in table.c and "lon" in table.c:
        lat, lon, b = table.c.lat, table.c.lon, geo.CITY_BOUNDS
        outside = sa.or_(lat < b["min_lat"], lat > b["max_lat"],
                         lon < b["min_lon"], lon > b["max_lon"])
        yield Rule("impossible_number", table, ("lat", "lon"),
                   f"坐标不在长治市范围内:纬度 {b['min_lat']}–{b['max_lat']},"
                   f"经度 {b['min_lon']}–{b['max_lon']}", ERROR,
                   sa.and_(*_given(lat, lon), outside))


def _date_range_rules(table: sa.Table, *, today: dt.date) -> Iterable[Rule]:
    last = constraints.latest_allowed_date(today)
    for column in table.columns:
        if isinstance(column.type, sa.DateTime):
            first, after = start_of_day(FIRST_DAY), start_of_day(last + dt.timedelta(days=1))
            too_late = column >= after
        elif isinstance(column.type, sa.Date):
            first, too_late = FIRST_DAY, column > last
        else:
            continue
        if (table.name, column.name) in constraints.PLANNED_DATES:
            bad, limits = column < first, f"早于 {FIRST_DAY}"
        else:
            bad, limits = sa.or_(column < first, too_late), f"早于 {FIRST_DAY} 或晚于 {last}"
        yield Rule("date_range", table, (column.name,), f"日期{limits}:{_name(column)}", ERROR,
                   sa.and_(*_given(column), bad))


def _date_order_rules(table: sa.Table) -> Iterable[Rule]:
    for earlier, later in constraints.DATE_ORDER.get(table.name, ()):
        a, b = table.c[earlier], table.c[later]
        yield Rule("date_order", table, (earlier, later), f"日期先后颠倒:{_name(b)}早于{_name(a)}",
                   ERROR, sa.and_(*_given(a, b), b < a))
    stages = constraints.STAGE_DATES.get(table.name)
    if stages:
        columns = [table.c[name] for name in stages]
        backwards = [sa.and_(*_given(a, b), b < a)
                     for i, a in enumerate(columns) for b in columns[i + 1:]]
        names = "→".join(term(c.comment) for c in columns)
        yield Rule("date_order", table, stages, f"阶段日期倒退(应依次为 {names})", ERROR,
                   sa.or_(*backwards))


def _key_sets(table: sa.Table) -> list[tuple[tuple[str, ...], bool]]:
    """The table's keys as (columns, declared unique), declared ones first, each set once."""
    declared = [tuple(c.name for c in table.primary_key.columns)]
    declared += [(c.name,) for c in table.columns if c.unique]
    declared += [tuple(c.name for c in constraint.columns) for constraint in table.constraints
                 if isinstance(constraint, sa.UniqueConstraint)]
    keys = [(columns, True) for columns in dict.fromkeys(declared) if columns]
    natural = schema.NATURAL_KEYS[table.name]
    if all(set(natural) != set(columns) for columns, _ in keys):
        keys.append((natural, False))
    return keys


def _duplicate_rules(table: sa.Table) -> Iterable[Rule]:
    for names, declared in _key_sets(table):
        columns = [table.c[name] for name in names]
        keys = (sa.select(*columns, sa.func.count().label("rows"))
                .group_by(*columns).having(sa.func.count() > 1)
                .subquery(f"duplicated_{'_'.join(names)}"))
        if any(c.nullable for c in columns):  # NULL = NULL is not true: compare NULL-safe
            held = sa.exists().where(*(keys.c[c.name].is_not_distinct_from(c) for c in columns))
        else:  # one hashed look-up instead of a correlated one per row
            held = sa.tuple_(*columns).in_(  # (a NULL in the list would make every row NULL)
                sa.select(*(keys.c[c.name] for c in columns))
                .where(*(keys.c[c.name].is_not(None) for c in columns)))
        what = ("主键" if table.primary_key.columns.keys() == list(names)
                else "唯一键" if declared else "自然键")
        columns_text = "、".join(_name(c) for c in columns)
        yield DuplicateRule("duplicate_key", table, names,
                            f"{what}重复:{columns_text}相同的记录不止一条",
                            ERROR if declared else WARNING, held, in_scan=False, keys=keys)


def _length_rules(table: sa.Table) -> Iterable[Rule]:
    for column in table.columns:
        if _is_text(column) and column.type.length:
            yield Rule("too_long", table, (column.name,),
                       f"文本超长:{_name(column)}超过 {column.type.length} 字", WARNING,
                       sa.and_(*_given(column), text_length(column) > column.type.length))


def rules_for(table: sa.Table, *, today: dt.date) -> tuple[Rule, ...]:
    """Every rule on `table` of the data model; dates are judged against `today`."""
    return (*_required_rules(table), *_code_rules(table), *_reference_rules(table),
            *_number_rules(table, today=today), *_date_range_rules(table, today=today),
            *_date_order_rules(table), *_duplicate_rules(table), *_length_rules(table))


def all_rules(*, today: dt.date) -> tuple[Rule, ...]:
    """Every rule on every table, in load order."""
    return tuple(rule for table in schema.TABLES_IN_LOAD_ORDER
                 for rule in rules_for(table, today=today))


def scan_statement(table: sa.Table, rules: Sequence[Rule]) -> sa.Select:
    """One pass over `table`: its number of rows (`rows`) and, for each rule in order, the
    number of offending rows (`r0`, `r1`, …)."""
    return sa.select(sa.func.count().label("rows"),
                     *(count_where(rule.bad, f"r{i}") for i, rule in enumerate(rules))
                     ).select_from(table)


def clean_rows(table: sa.Table, *, today: dt.date, severity: str = ERROR,
               checks: Iterable[str] = CHECKS) -> sa.ColumnElement[bool]:
    """The condition that keeps the rows of `table` free of every `severity` problem of the
    given kinds (`checks`): NOT (bad₁ OR bad₂ …); always true when no rule applies."""
    wanted = set(checks)
    bads = [rule.bad for rule in rules_for(table, today=today)
            if rule.severity == severity and rule.check in wanted]
    return sa.not_(sa.or_(*bads)) if bads else sa.true()
