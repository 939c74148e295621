"""A plan in words and tables, for people: what the files hold, what is wrong with them, and
what an import would change. The command line prints it; the 数据管理 page shows the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from data_access import schema
from data_access.importing.analyse import WHOLE_TABLE, Change, Pending, Plan, TableChanges
from data_access.importing.spec import BOOL, CODE, REF, SPECS_BY_TABLE, Field

NEW_SHOWN, ROWS_SHOWN = 200, 500  # rows of each kind a preview lists
KINDS = {"new": "新增", "changed": "修改", "unchanged": "不变", "removed": "删除"}
PROBLEM_COLUMNS = {"file": "文件", "sheet": "工作表", "row": "行", "column": "列", "value": "值",
                   "reason": "问题"}


def problems_table(problems) -> pd.DataFrame:
    return pd.DataFrame([{PROBLEM_COLUMNS[k]: getattr(p, k) or "" for k in PROBLEM_COLUMNS}
                         for p in problems], columns=list(PROBLEM_COLUMNS.values()))


def scope_text(changes: TableChanges, unit_names: dict[str, str]) -> str:
    if changes.scope is None:
        return "部分数据:文件中没有的记录保持不变"
    if changes.scope == WHOLE_TABLE:
        return "全市完整数据:文件中没有的记录将删除"
    return f"{unit_names.get(changes.scope, changes.scope)}完整数据:该单位文件中没有的记录将删除"


def summary_table(plan: Plan, unit_names: dict[str, str]) -> pd.DataFrame:
    """One line per table: its sheet name, where it came from, and the rows per kind."""
    return pd.DataFrame([{
        "数据表": changes.spec.sheet,
        "来源": "、".join(changes.sources),
        **{KINDS[k]: v for k, v in changes.counts.items()},
        "范围": scope_text(changes, unit_names),
    } for changes in plan.tables.values()])


def _display(f: Field, value: object, names: dict[tuple[str, object], str]) -> str:
    if value is None:
        return "(空)"
    if isinstance(value, Pending):
        return value.key
    if f.kind == CODE:
        return str(f.codes.get(value, value))
    if f.kind == REF:
        return names.get((f.ref.table, value), str(value))
    if f.kind == BOOL:
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() else value.date().isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def reference_names(conn: sa.Connection, changes: list[TableChanges]
                    ) -> dict[tuple[str, object], str]:
    """How people know the rows that changed references point to (names, numbers)."""
    wanted: dict[tuple[str, str, str], set] = {}
    for table_changes in changes:
        spec = table_changes.spec
        shown = [*table_changes.new[:NEW_SHOWN], *table_changes.removed[:ROWS_SHOWN]]
        for change in table_changes.changed[:ROWS_SHOWN]:
            shown += [change.before, change.after]
        for f in (f for f in spec.stored if f.kind == REF):
            key = (f.ref.table, f.ref.stores, f.ref.also_by or f.ref.by)
            wanted.setdefault(key, set()).update(
                v for row in shown if (v := row.get(f.column)) is not None
                and not isinstance(v, Pending))
    names = {}
    for (table, stores, by), values in wanted.items():
        t = schema.metadata.tables[table]
        for stored, name in conn.execute(sa.select(t.c[stores], t.c[by])
                                         .where(t.c[stores].in_(sorted(values, key=str)))):
            names[table, stored] = str(name)
    return names


def changes_table(changes: TableChanges, names: dict[tuple[str, object], str],
                  limit: int = ROWS_SHOWN) -> pd.DataFrame:
    """The changed rows: key, field, old → new (at most `limit` rows)."""
    spec = changes.spec
    lines = []
    for change in changes.changed[:limit]:
        for column in change.fields:
            f = spec.field(column)
            lines.append({"记录": change.key, "字段": f.header,
                          "原值": _display(f, change.before.get(column), names),
                          "新值": _display(f, change.after[column], names)})
    return pd.DataFrame(lines, columns=["记录", "字段", "原值", "新值"])


def rows_table(changes: TableChanges, rows: list[dict], names: dict[tuple[str, object], str],
               limit: int) -> pd.DataFrame:
    """New or removed rows as people know them (references by name or number), at most
    `limit`; the columns are those the files give."""
    shown = [f for f in changes.spec.stored if f.column in changes.columns]
    return pd.DataFrame([{f.header: _display(f, row.get(f.column), names) for f in shown}
                         for row in rows[:limit]], columns=[f.header for f in shown])


def batch_counts(summary: dict[str, dict[str, int]]) -> str:
    """An import's rows per table and kind of change, in words."""
    return ";".join(
        f"{SPECS_BY_TABLE[table].sheet if table in SPECS_BY_TABLE else table}:"
        + "、".join(f"{KINDS[k]} {n:,}" for k, n in kinds.items() if n)
        for table, kinds in summary.items() if any(kinds.values()))


def change_lines(change: Change, spec_table: str, names: dict) -> str:
    spec = SPECS_BY_TABLE[spec_table]
    parts = [f"{spec.field(c).header}:{_display(spec.field(c), change.before.get(c), names)} → "
             f"{_display(spec.field(c), change.after[c], names)}" for c in change.fields]
    return f"{change.key}:" + ";".join(parts)


def plan_text(plan: Plan, conn: sa.Connection, unit_names: dict[str, str],
              shown: int = 20) -> list[str]:
    """The preview as lines of text (the command line's output)."""
    lines = []
    for f in plan.files:
        encoding = f",编码 {f.encoding}" if f.encoding else ""
        lines.append(f"文件 {f.name}({f.size:,} 字节{encoding},SHA-256 {f.sha256[:16]}…)")
        for sheet, table in f.sheets:
            lines.append(f"  工作表「{sheet}」→ {SPECS_BY_TABLE[table].sheet}")
        for sheet, why in f.ignored_sheets:
            lines.append(f"  工作表「{sheet}」已跳过:{why}")
        for sheet, header in f.ignored_columns:
            lines.append(f"  工作表「{sheet}」的列“{header}”不是导入字段,已忽略")
    if plan.problems:
        lines.append(f"发现 {len(plan.problems)} 处问题,未导入任何数据。请修正后重新导入:")
        lines += [f"  {p}" for p in plan.problems]
        return lines
    for w in plan.warnings:
        lines.append(f"提示:{w}")
    names = reference_names(conn, list(plan.tables.values()))
    for changes in plan.tables.values():
        counts = "、".join(f"{KINDS[k]} {v:,}" for k, v in changes.counts.items())
        lines.append(f"{changes.spec.sheet}:{counts}。{scope_text(changes, unit_names)}")
        for change in changes.changed[:shown]:
            lines.append(f"  修改 {change_lines(change, changes.spec.table, names)}")
        if len(changes.changed) > shown:
            lines.append(f"  ……另有 {len(changes.changed) - shown:,} 行修改")
        for row in changes.removed[:shown]:
            key = " / ".join(str(row.get(c)) for c in changes.spec.key)
            lines.append(f"  删除 {key}")
        if len(changes.removed) > shown:
            lines.append(f"  ……另有 {len(changes.removed) - shown:,} 行删除")
    if not plan.has_changes:
        lines.append("文件中的数据与数据库完全一致,没有需要导入的变化。")
    return lines
