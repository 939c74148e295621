"""Counts of the hidden-danger ledger per day and per month, and the rows it sets aside

Revision ID: 0004_ledger_rollups
Revises: 0003_import_log_and_checks
Create Date: 2026-12-04 19:00:00

hd_daily and hd_monthly hold, per found year, unit, sector, level and measure, how many usable
hidden dangers have their key date on each day (month); hd_set_aside counts the rows the figures
leave out; rollup_state records which data they were made from (data_access/rollups.py). The
tables start empty: the pages read the raw rows until `make rollups` (or the next `make load`)
fills them.

Triggers on hidden_dangers, units and sectors mark the counts stale on any write (plain SQL,
another program); the dashboard's own writers recount and mark them current again in the same
transaction. PostgreSQL: one statement-level trigger per table; SQLite and MariaDB have row
triggers only, which look at the state first so that a bulk write costs one lookup per row.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_ledger_rollups"
down_revision = "0003_import_log_and_checks"
branch_labels = None
depends_on = None

COUNTS = (
    ("hd_daily", "日期(该口径的关键日期)", "隐患台账按日计数(由台账生成,勿手工修改)"),
    ("hd_monthly", "月份(当月1日)", "隐患台账按月计数(由台账生成,勿手工修改)"),
)


def upgrade() -> None:
    for name, granularity, comment in COUNTS:
        op.create_table(
            name,
            sa.Column("found_year", sa.Integer(), nullable=False, comment="发现年度"),
            sa.Column("unit_code", sa.String(length=12), nullable=False,
                      comment="所属县区(单位代码)"),
            sa.Column("sector_code", sa.String(length=24), nullable=False,
                      comment="行业领域代码"),
            sa.Column("level", sa.String(length=8), nullable=False, comment="隐患等级"),
            sa.Column("measure", sa.String(length=16), nullable=False,
                      comment="计数口径(见 data_access/rollups.py 的 MEASURES)"),
            sa.Column("period", sa.Date(), nullable=False, comment=granularity),
            sa.Column("n", sa.Integer(), nullable=False, comment="隐患条数"),
            sa.PrimaryKeyConstraint("found_year", "unit_code", "sector_code", "level",
                                    "measure", "period"),
            comment=comment,
        )
        op.create_index(f"ix_{name}_read", name, ["measure", "period", "found_year",
                                                  "unit_code", "sector_code", "level", "n"])
    op.create_table(
        "hd_set_aside",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("found_year", sa.Integer(), nullable=True,
                  comment="发现年度(发现日期缺失时为空)"),
        sa.Column("unit_code", sa.String(length=12), nullable=True,
                  comment="所属县区(单位代码)"),
        sa.Column("rule", sa.String(length=200), nullable=False,
                  comment="数据质量规则编号(* 为违反任一规则的行)"),
        sa.Column("n", sa.Integer(), nullable=False, comment="未计入统计的隐患条数"),
        sa.Column("examples", sa.Text(), nullable=False, comment="前几条的隐患编号(JSON 数组)"),
        sa.PrimaryKeyConstraint("id"),
        comment="隐患台账中未计入统计的行,按规则计数(由台账生成,勿手工修改)",
    )
    op.create_index("ix_hd_set_aside_slice", "hd_set_aside", ["found_year", "unit_code"])
    op.create_table(
        "rollup_state",
        sa.Column("source", sa.String(length=40), nullable=False, comment="源数据表"),
        sa.Column("data_version", sa.String(length=40), nullable=False,
                  comment="生成时的数据版本(导入记录编号, 已撤销数);stale 表示此后台账被改动过"),
        sa.Column("valid_on", sa.Date(), nullable=False, comment="按哪一天的数据质量规则生成"),
        sa.Column("built_at", sa.DateTime(), nullable=False, comment="生成时间"),
        sa.PrimaryKeyConstraint("source"),
        comment="汇总表的生成状态(与台账不一致时页面改读原始行)",
    )
    _create_triggers()


WATCHED = ("hidden_dangers", "units", "sectors")
EVENTS = ("insert", "update", "delete")
MARK = "UPDATE rollup_state SET data_version = 'stale' WHERE data_version <> 'stale'"


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION rollups_mark_stale() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {MARK}; RETURN NULL; END $$")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER {table}_rollups_stale AFTER INSERT OR UPDATE OR DELETE "
                       f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                       "EXECUTE FUNCTION rollups_mark_stale()")
        return
    for table in WATCHED:
        for event in EVENTS:
            name = f"{table}_rollups_stale_{event}"
            if dialect == "sqlite":
                op.execute(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
                           "WHEN EXISTS (SELECT 1 FROM rollup_state WHERE data_version <> 'stale') "
                           f"BEGIN {MARK}; END")
            else:
                op.execute(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} "
                           f"FOR EACH ROW {MARK}")


def _drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER {table}_rollups_stale ON {table}")
        op.execute("DROP FUNCTION rollups_mark_stale()")
        return
    for table in WATCHED:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER {table}_rollups_stale_{event}")


def downgrade() -> None:
    _drop_triggers()
    op.drop_table("rollup_state")
    op.drop_index("ix_hd_set_aside_slice", table_name="hd_set_aside")
    op.drop_table("hd_set_aside")
    for name, _, _ in reversed(COUNTS):
        op.drop_index(f"ix_{name}_read", table_name=name)
        op.drop_table(name)
