"""Users and roles, screen tokens, the audit log

Revision ID: 0007_access_and_audit
Revises: 0006_accident_covering_indexes
Create Date: 2026-12-04 20:00:00

- app_users: who has which role (局领导, 市局科室, 县区 with its unit, 数据管理员), by login name
  or by a group claim of the identity provider (data_access/access.py).
- screen_tokens: one revocable token per meeting-room screen; only its SHA-256 is stored.
- audit_log: logins, failed logins, page views, downloads, briefs, imports, undos, role changes.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_access_and_audit"
down_revision = "0006_accident_covering_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("principal", sa.String(length=120), nullable=False,
                  comment="登录名;以 group: 开头为身份提供方的组或角色声明(如 group:county-luzhou)"),
        sa.Column("role", sa.String(length=12), nullable=False,
                  comment="角色: leader 局领导 / department 市局科室 / county 县区 / data_admin 数据管理员"),
        sa.Column("unit_code", sa.String(length=12), nullable=True,
                  comment="县区角色所属单位(单位代码);其他角色为空"),
        sa.Column("name", sa.String(length=40), nullable=True, comment="姓名或说明"),
        sa.Column("updated_at", sa.DateTime(), nullable=False, comment="最后修改时间"),
        sa.Column("updated_by", sa.String(length=120), nullable=True, comment="最后修改人"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("principal"),
        comment="用户与角色(由数据管理员维护)",
    )
    op.create_table(
        "screen_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("name", sa.String(length=40), nullable=False, comment="大屏名称(如 三楼会议室)"),
        sa.Column("token_sha256", sa.String(length=64), nullable=False,
                  comment="授权码的 SHA-256(授权码本身不保存)"),
        sa.Column("created_at", sa.DateTime(), nullable=False, comment="创建时间"),
        sa.Column("created_by", sa.String(length=120), nullable=True, comment="创建人"),
        sa.Column("revoked_at", sa.DateTime(), nullable=True, comment="吊销时间(为空表示有效)"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_sha256"),
        comment="大屏授权(每块屏一个可吊销的授权码)",
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("at", sa.DateTime(), nullable=False, comment="时间"),
        sa.Column("kind", sa.String(length=16), nullable=False,
                  comment="类别: login 登录 / login_failed 登录失败 / logout 退出 / denied 拒绝访问 / "
                          "view 浏览 / download 下载 / brief 简报 / import 导入 / undo 撤销导入 / "
                          "role 角色变更 / token 大屏授权"),
        sa.Column("user_name", sa.String(length=120), nullable=True,
                  comment="用户(登录名;大屏为 screen:名称)"),
        sa.Column("role", sa.String(length=12), nullable=True, comment="当时的角色"),
        sa.Column("client", sa.String(length=80), nullable=True, comment="客户端地址"),
        sa.Column("page", sa.String(length=40), nullable=True, comment="页面"),
        sa.Column("scope", sa.String(length=12), nullable=True, comment="数据范围(单位代码;空为全市)"),
        sa.Column("detail", sa.String(length=1000), nullable=True, comment="筛选条件、文件名等(JSON)"),
        sa.Column("row_count", sa.Integer(), nullable=True, comment="涉及行数(下载、导入)"),
        sa.PrimaryKeyConstraint("id"),
        comment="审计日志(登录、浏览、下载、导入、角色变更)",
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_user", "audit_log", ["user_name", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_user", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("screen_tokens")
    op.drop_table("app_users")
