"""Numbers for accidents, faces and sites; a dated stock-check log; the import log

Revision ID: 0003_import_log_and_checks
Revises: 0002_hd_covering_indexes
Create Date: 2026-12-04 17:00:00

- accidents.code (事故编号), working_faces.code (工作面编号), resource_sites.code (点位编号):
  the natural keys by which the bureau's files name these rows. Existing rows are numbered
  from their ids (SG-<id>, GZM-<id>, ZY-<id>) before the columns become NOT NULL and unique.
- resource_checks: every stock check with its date. Each site's last_checked_on becomes its
  first logged check, and the column is dropped: a figure as of a past date now counts only
  the checks made by then.
- import_batches and import_changes: what each import changed, so that it can be undone.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_import_log_and_checks"
down_revision = "0002_hd_covering_indexes"
branch_labels = None
depends_on = None

NUMBERS = (  # table, column, length, comment, prefix for existing rows
    ("accidents", "code", 32, "事故编号(快报编号;导入时未填则按县区和发生时间生成)", "SG-"),
    ("working_faces", "code", 24, "工作面编号", "GZM-"),
    ("resource_sites", "code", 24, "点位编号", "ZY-"),
)


def _number_existing_rows(table: str, column: str, prefix: str) -> None:
    t = sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.String))
    op.execute(t.update().values({column: sa.literal(prefix) + sa.cast(t.c.id, sa.String)}))


def upgrade() -> None:
    for table, column, length, comment, prefix in NUMBERS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.String(length), nullable=True, comment=comment))
        _number_existing_rows(table, column, prefix)
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.String(length), nullable=False,
                               existing_comment=comment)
            batch.create_unique_constraint(f"uq_{table}_{column}", [column])

    op.create_table(
        "resource_checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("site_id", sa.Integer(), nullable=False, comment="点位编号"),
        sa.Column("checked_on", sa.Date(), nullable=False, comment="清点检查日期"),
        sa.Column("note", sa.String(length=200), nullable=True, comment="情况说明"),
        sa.ForeignKeyConstraint(["site_id"], ["resource_sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "checked_on", name="uq_resource_checks"),
        comment="应急物资清点检查记录(按日期留痕,任意日期的最近一次检查由此推算)",
    )
    op.create_index("ix_checks_date_site", "resource_checks", ["checked_on", "site_id"])
    sites = sa.table("resource_sites", sa.column("id", sa.Integer),
                     sa.column("last_checked_on", sa.Date))
    checks = sa.table("resource_checks", sa.column("site_id", sa.Integer),
                      sa.column("checked_on", sa.Date))
    op.execute(checks.insert().from_select(
        ["site_id", "checked_on"],
        sa.select(sites.c.id, sites.c.last_checked_on).where(sites.c.last_checked_on.is_not(None))))
    with op.batch_alter_table("resource_sites") as batch:
        batch.drop_column("last_checked_on")

    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("kind", sa.String(length=12), nullable=False,
                  comment="类别: import 导入(可撤销) / replace 全量替换(make load,不可撤销)"),
        sa.Column("started_at", sa.DateTime(), nullable=False, comment="开始时间"),
        sa.Column("finished_at", sa.DateTime(), nullable=True, comment="完成时间"),
        sa.Column("user_name", sa.String(length=80), nullable=True, comment="操作人(登录名)"),
        sa.Column("client", sa.String(length=80), nullable=True, comment="客户端(地址或命令行)"),
        sa.Column("files", sa.String(length=2000), nullable=False,
                  comment="文件名及 SHA-256(JSON 列表)"),
        sa.Column("summary", sa.String(length=4000), nullable=False,
                  comment="各表新增、修改、删除行数(JSON)"),
        sa.Column("undone_at", sa.DateTime(), nullable=True, comment="撤销时间"),
        sa.Column("undone_by", sa.String(length=80), nullable=True, comment="撤销人"),
        sa.PrimaryKeyConstraint("id"),
        comment="数据导入记录",
    )
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("batch_id", sa.Integer(), nullable=False, comment="导入记录编号"),
        sa.Column("table_name", sa.String(length=40), nullable=False, comment="数据表"),
        sa.Column("action", sa.String(length=8), nullable=False,
                  comment="变化: insert 新增 / update 修改 / delete 删除"),
        sa.Column("row_key", sa.String(length=40), nullable=False, comment="行的主键值"),
        sa.Column("before", sa.Text(), nullable=True,
                  comment="修改或删除前的整行(JSON),新增为空"),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="数据导入的逐行变化(撤销导入时据此恢复)",
    )
    op.create_index("ix_import_changes_batch", "import_changes", ["batch_id", "table_name"])


def downgrade() -> None:
    op.drop_table("import_changes")  # with its indexes (MariaDB refuses to drop an FK's index)
    op.drop_table("import_batches")
    with op.batch_alter_table("resource_sites") as batch:
        batch.add_column(sa.Column("last_checked_on", sa.Date(), nullable=True,
                                   comment="最近清点检查日期"))
    sites = sa.table("resource_sites", sa.column("id", sa.Integer),
                     sa.column("last_checked_on", sa.Date))
    checks = sa.table("resource_checks", sa.column("site_id", sa.Integer),
                      sa.column("checked_on", sa.Date))
    op.execute(sites.update().values(last_checked_on=sa.select(sa.func.max(checks.c.checked_on))
                                     .where(checks.c.site_id == sites.c.id)
                                     .scalar_subquery()))
    op.drop_table("resource_checks")
    for table, column, _length, _comment, _prefix in NUMBERS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_{column}", type_="unique")
            batch.drop_column(column)
