"""A year's work plan as data: the notice, its sections and its scorecard lines, seeded with 2022

Revision ID: 0008_annual_plans
Revises: 0007_access_and_audit
Create Date: 2026-12-04 19:50:00

plan_notices (one row per year), plan_sections and plan_lines hold what the scorecard and the
key-task checklist are read against; the measures the lines choose are a catalogue in code
(data_access/measures.py). The tables are filled with the 2022 notice exactly as the dashboard
showed it when the plan was still written into the code, so that an upgraded database shows the
same scorecard; next year's notice is imported by the data admin (docs/annual-plan.md).

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008_annual_plans"
down_revision = "0007_access_and_audit"
branch_labels = None
depends_on = None

NOTICE_2022 = {
    "id": 1, "year": 2022, "title": "关于做好2022年应急管理工作的通知", "doc_number": "未载明",
    "issued_on": dt.date(2022, 2, 8), "checklist_title": "专项整治巩固提升年重点任务清单",
}
SECTIONS_2022 = (
    ("控", "事故控制"), ("一", "一、压实责任体系"), ("二", "二、防范化解风险"), ("三", "三、依法治安"),
    ("四", "四、防灾减灾"), ("五", "五、应急救援"), ("六", "六、夯实基础"),
)
# code (= measure), name, rule, target (% for shares), unit of measure, section; accident
# control lines are judged against the year's indicators in `targets`, their target is not read
LINES_2022 = (
    ("major_accidents", "重特大事故", "control", 0, "起", "控"),
    ("larger_accidents", "较大事故", "control", 0, "起", "控"),
    ("general_accidents", "一般事故", "control", 0, "起", "控"),
    ("accident_deaths", "死亡人数", "control", 0, "人", "控"),
    ("monthly_meetings", "每月研究安全生产会议(≥1次)", "rate", 100, "%", "一"),
    ("leader_visits", "主要负责人每月深入基层(≥2次)", "rate", 100, "%", "一"),
    ("gas_over_limit", "煤矿瓦斯超限", "zero", 0, "起", "二"),
    ("coal_outburst", "煤层突出", "zero", 0, "起", "二"),
    ("oil_gas_high_risk", "高风险、较高风险油气储存企业", "zero", 0, "家", "二"),
    ("mhs_training", "重大危险源包保责任人培训覆盖率", "progress", 100, "%", "二"),
    ("mhs_inspection", "重大危险源执法检查覆盖率", "progress", 100, "%", "二"),
    ("inspection_plan", "年度监督检查计划完成率", "progress", 100, "%", "三"),
    ("risk_census", "自然灾害综合风险普查完成度", "progress", 100, "%", "四"),
    ("comprehensive_drills", "市县综合性演练开展率(≥1次/年)", "annual", 100, "%", "五"),
    ("township_staffing", "乡镇(街道)配备≥3名人员", "rate", 100, "%", "六"),
    ("hazchem_commitment", "危化监测预警:安全承诺率", "rate", 100, "%", "六"),
    ("hazchem_connection", "危化监测预警:接入率", "rate", 100, "%", "六"),
    ("hazchem_online", "危化监测预警:在线率", "rate", 100, "%", "六"),
    ("hazchem_alarm_clearance", "危化监测预警:消警率", "rate", 100, "%", "六"),
    ("hazchem_alarms_over_24h", "危化监测预警:超24小时未消警", "zero", 0, "条", "六"),
    ("standardization", "企业标准化达到要求等级(现状)", "rate", 100, "%", "六"),
    ("cyber_incidents", "较大及以上网络安全事件", "zero", 0, "起", "六"),
)


def upgrade() -> None:
    notices = op.create_table(
        "plan_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("year", sa.Integer(), nullable=False, comment="年度"),
        sa.Column("title", sa.String(length=120), nullable=False, comment="通知标题"),
        sa.Column("doc_number", sa.String(length=40), nullable=False, comment="文号"),
        sa.Column("issued_on", sa.Date(), nullable=False, comment="印发日期"),
        sa.Column("checklist_title", sa.String(length=80), nullable=False,
                  comment="重点任务清单名称"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year"),
        comment="年度工作通知(每年一份,记分卡和重点任务清单按此对照)",
    )
    sections = op.create_table(
        "plan_sections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("year", sa.Integer(), nullable=False,
                  comment="年度(读取时只读有通知的年度)"),
        sa.Column("code", sa.String(length=4), nullable=False, comment="条目(一/二…)"),
        sa.Column("title", sa.String(length=60), nullable=False, comment="条目标题"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="显示顺序"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "code", name="uq_plan_sections"),
        comment="年度工作通知的条目",
    )
    lines = op.create_table(
        "plan_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("year", sa.Integer(), nullable=False,
                  comment="年度(读取时只读有通知的年度)"),
        sa.Column("code", sa.String(length=40), nullable=False, comment="指标编号(年内唯一)"),
        sa.Column("name", sa.String(length=60), nullable=False, comment="指标名称(记分卡上显示)"),
        sa.Column("measure", sa.String(length=40), nullable=False,
                  comment="计算口径代码(见 docs/annual-plan.md 的口径表)"),
        sa.Column("rule", sa.String(length=12), nullable=False,
                  comment="判定规则: rate 比率 / progress 按时间进度 / annual 每年一次按期限 / "
                          "zero 不超过 / control 控制指标"),
        sa.Column("target", sa.Numeric(precision=12, scale=2), nullable=False,
                  comment="目标值(按计量单位:%为百分数,其余为个数)"),
        sa.Column("uom", sa.String(length=8), nullable=False, comment="计量单位(%、起、家、条、处)"),
        sa.Column("section", sa.String(length=4), nullable=False, comment="所属条目"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="显示顺序"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "code", name="uq_plan_lines"),
        comment="年度工作目标记分卡的指标",
    )
    op.bulk_insert(notices, [NOTICE_2022])
    op.bulk_insert(sections, [{"id": i, "year": 2022, "code": code, "title": title,
                               "sort_order": i} for i, (code, title) in enumerate(SECTIONS_2022, 1)])
    op.bulk_insert(lines, [
        {"id": i, "year": 2022, "code": code, "name": name, "measure": code, "rule": rule,
         "target": target, "uom": uom, "section": section, "sort_order": i}
        for i, (code, name, rule, target, uom, section) in enumerate(LINES_2022, 1)])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("plan_notices", "plan_sections", "plan_lines"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT MAX(id) FROM {table}))")


def downgrade() -> None:
    op.drop_table("plan_lines")
    op.drop_table("plan_sections")
    op.drop_table("plan_notices")
