"""Write `docs/data-model.md` from the schema's own declarations and Chinese comments.

`python -m data_access.describe > docs/data-model.md` (or `make docs`); a test fails when the
file and the schema disagree, so the document cannot drift.
"""

from __future__ import annotations

import sqlalchemy as sa

from data_access import schema, vocab

INTRO = """# Data model (数据模型)

Generated from `data_access/schema.py` by `make docs`; do not edit by hand.

One database serves every page. It runs on SQLite (the embedded sample), PostgreSQL and
MariaDB/MySQL with the same code. Codes stored in the database are English; their Chinese labels
are in the column comments below and in `data_access/vocab.py`. Dates are calendar dates (China Standard
Time); money is in 万元; coordinates are WGS-84/CGCS2000 degrees.

Everything that changes over time is stored with its date (progress reports, hidden-danger
dates, face stage dates), so any figure can be computed as of any date.
"""


def _type_name(column: sa.Column) -> str:
    kind = column.type
    if isinstance(kind, sa.String) and kind.length:
        return f"VARCHAR({kind.length})"
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return f"NUMERIC({kind.precision},{kind.scale})"
    return type(kind).__name__.upper()


def _key_notes(column: sa.Column) -> str:
    notes = []
    if column.primary_key:
        notes.append("PK")
    for fk in column.foreign_keys:
        notes.append(f"→ {fk.target_fullname}")
    if column.unique:
        notes.append("unique")
    return ", ".join(notes)


def describe() -> str:
    parts = [INTRO]
    for table in (*schema.TABLES_IN_LOAD_ORDER, *schema.LOG_TABLES, *schema.ROLLUP_TABLES,
                  *schema.ACCESS_TABLES):
        parts.append(f"\n## `{table.name}` — {table.comment}\n")
        parts.append("| column | type | null | keys | 中文 / meaning |")
        parts.append("|---|---|---|---|---|")
        for column in table.columns:
            parts.append(
                f"| `{column.name}` | {_type_name(column)} | {'yes' if column.nullable else 'no'} "
                f"| {_key_notes(column)} | {column.comment or ''} |"
            )
        indexes = sorted(
            f"`{ix.name}` ({', '.join(c.name for c in ix.columns)})" for ix in table.indexes
        )
        if indexes:
            parts.append(f"\nIndexes: {'; '.join(indexes)}.")
    parts.append(_code_lists())
    return "\n".join(parts) + "\n"


def _code_table(title: str, codes: dict[str, str]) -> str:
    rows = "\n".join(f"| `{code}` | {name} |" for code, name in codes.items())
    return f"\n### {title}\n\n| code | 中文 |\n|---|---|\n{rows}\n"


def _code_lists() -> str:
    return "\n## Code lists (代码表)\n" + "".join((
        _code_table("指标表: `targets.metric`", vocab.TARGET_METRICS),
        _code_table("事故等级: `accidents.grade`", vocab.GRADES),
        _code_table("资源点位细类: `resource_sites.subkind`", vocab.SITE_SUBKINDS),
        _code_table("物资类别表: `resource_items.category`", vocab.ITEM_CATEGORIES),
        _code_table("工作面阶段 (computed from the stage dates)", vocab.FACE_STAGES),
    ))


if __name__ == "__main__":
    print(describe(), end="")
