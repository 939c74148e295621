"""Baseline: the bureau schema as the releases before versioning created it

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-04 15:44:02

Every table, column, comment, key and index of data_access/schema.py at that time, except the
three hidden-danger covering indexes (0002): some databases made with `create_all` have them,
some do not. A database without a version table whose tables match this revision is stamped
with it and upgraded (data_access/versioning.py).

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset_info",
        sa.Column("key", sa.String(length=40), nullable=False, comment="键"),
        sa.Column("value", sa.String(length=200), nullable=False, comment="值"),
        sa.PrimaryKeyConstraint("key"),
        comment="数据集说明(是否示例数据、生成方式、数据截至日期)",
    )
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=24), nullable=False, comment="科室代码"),
        sa.Column("name", sa.String(length=40), nullable=False, comment="科室名称"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="排序"),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
        comment="市局机关科室",
    )
    op.create_table(
        "sectors",
        sa.Column("code", sa.String(length=24), nullable=False, comment="行业领域代码"),
        sa.Column("name", sa.String(length=40), nullable=False, comment="行业领域名称"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="排序"),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
        comment="行业领域(事故统计与控制指标口径)",
    )
    op.create_table(
        "units",
        sa.Column("code", sa.String(length=12), nullable=False, comment="单位代码(行政区划代码;经开区无官方代码,用JKQ)"),
        sa.Column("name", sa.String(length=40), nullable=False, comment="单位名称"),
        sa.Column("kind", sa.String(length=12), nullable=False, comment="类别: city 市 / district 区 / county 县 / zone 功能区"),
        sa.Column("parent_code", sa.String(length=12), nullable=True, comment="所在县区(功能区所在的区,其余为空)"),
        sa.Column("lat", sa.Double(), nullable=False, comment="纬度(WGS-84/CGCS2000)"),
        sa.Column("lon", sa.Double(), nullable=False, comment="经度(WGS-84/CGCS2000)"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="排序"),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
        comment="单位:长治市、12个县区及高新区、经开区",
    )
    op.create_table(
        "cyber_incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="发生单位(市局或县区应急管理局)"),
        sa.Column("occurred_on", sa.Date(), nullable=False, comment="发生日期"),
        sa.Column("severity", sa.String(length=16), nullable=False, comment="事件级别: general 一般 / larger 较大 / major 重大 / extra_major 特别重大"),
        sa.Column("system", sa.String(length=60), nullable=False, comment="涉及系统"),
        sa.Column("summary", sa.String(length=400), nullable=False, comment="事件简况与处置"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="网络安全事件(确保不发生较大网络安全事件)",
    )
    op.create_index("ix_cyber_occurred", "cyber_incidents", ["occurred_on"])
    op.create_table(
        "drills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="组织单位(市或县区)"),
        sa.Column("held_on", sa.Date(), nullable=False, comment="演练日期"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="类别: comprehensive 综合性演练 / special 专项演练 / tabletop 桌面推演"),
        sa.Column("title", sa.String(length=120), nullable=False, comment="演练名称"),
        sa.Column("participants", sa.Integer(), nullable=False, comment="参演人数"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="应急演练(市县两级年内至少开展1次综合性演练)",
    )
    op.create_index("ix_drills_unit_held", "drills", ["unit_code", "held_on"])
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("name", sa.String(length=80), nullable=False, comment="企业名称"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区(单位代码)"),
        sa.Column("sector_code", sa.String(length=24), nullable=False, comment="行业领域代码"),
        sa.Column("lat", sa.Double(), nullable=False, comment="纬度(WGS-84/CGCS2000)"),
        sa.Column("lon", sa.Double(), nullable=False, comment="经度(WGS-84/CGCS2000)"),
        sa.Column("std_grade", sa.Integer(), nullable=True, comment="安全生产标准化等级(1一级/2二级/3三级,空为未达标)"),
        sa.Column("required_std_grade", sa.Integer(), nullable=False, comment="应达到的标准化等级(2二级及以上/3三级)"),
        sa.Column("has_major_hazard", sa.Boolean(), nullable=False, comment="涉及重大危险源"),
        sa.Column("is_hazchem", sa.Boolean(), nullable=False, comment="危险化学品企业"),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"]),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="生产经营单位(企业)",
    )
    op.create_table(
        "hazchem_monitoring_weekly",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区(单位代码)"),
        sa.Column("week_ending", sa.Date(), nullable=False, comment="统计周截止日期(周五)"),
        sa.Column("commit_required", sa.Integer(), nullable=False, comment="应发布安全承诺公告(企业·日)"),
        sa.Column("commit_on_time", sa.Integer(), nullable=False, comment="按时发布安全承诺公告(企业·日)"),
        sa.Column("sources_required", sa.Integer(), nullable=False, comment="应接入重大危险源(个)"),
        sa.Column("sources_connected", sa.Integer(), nullable=False, comment="已接入重大危险源(个)"),
        sa.Column("points_connected", sa.Integer(), nullable=False, comment="已接入监测点位(个)"),
        sa.Column("points_online", sa.Integer(), nullable=False, comment="在线监测点位(个,周平均)"),
        sa.Column("alarms", sa.Integer(), nullable=False, comment="本周报警(条)"),
        sa.Column("alarms_cleared", sa.Integer(), nullable=False, comment="本周报警中已消警(条)"),
        sa.Column("alarms_over_24h", sa.Integer(), nullable=False, comment="超过24小时未消警(条)"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="危化品安全风险监测预警系统周统计(安全承诺率、接入率、在线率、消警率)",
    )
    op.create_index("ix_hazchem_week_unit", "hazchem_monitoring_weekly", ["week_ending", "unit_code"])
    op.create_table(
        "inspection_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("year", sa.Integer(), nullable=False, comment="年度"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="执法单位(县区、功能区或市局)"),
        sa.Column("planned_inspections", sa.Integer(), nullable=False, comment="计划检查企业(次)"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "unit_code", name="uq_inspection_plans"),
        comment="年度监督检查计划",
    )
    op.create_table(
        "inspection_progress",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="执法单位(县区、功能区或市局)"),
        sa.Column("reported_on", sa.Date(), nullable=False, comment="报送日期"),
        sa.Column("done_to_date", sa.Integer(), nullable=False, comment="年内累计完成检查(次)"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="年度监督检查计划执行进度报送(半月报,年内累计)",
    )
    op.create_index("ix_inspection_progress_unit_date", "inspection_progress", ["unit_code", "reported_on"])
    op.create_table(
        "key_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("code", sa.String(length=16), nullable=False, comment="任务编号"),
        sa.Column("year", sa.Integer(), nullable=False, comment="年度"),
        sa.Column("sector_code", sa.String(length=24), nullable=False, comment="行业领域(综合类为 general)"),
        sa.Column("notice_section", sa.String(length=4), nullable=False, comment="通知条目(二/三…)"),
        sa.Column("title", sa.String(length=120), nullable=False, comment="任务名称"),
        sa.Column("description", sa.String(length=400), nullable=False, comment="任务内容"),
        sa.Column("lead_department_code", sa.String(length=24), nullable=False, comment="牵头科室"),
        sa.Column("responsible_units", sa.String(length=200), nullable=False, comment="责任单位"),
        sa.Column("start_on", sa.Date(), nullable=False, comment="计划开始日期"),
        sa.Column("deadline", sa.Date(), nullable=False, comment="完成时限"),
        sa.ForeignKeyConstraint(["lead_department_code"], ["departments.code"]),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        comment="专项整治巩固提升年重点任务清单",
    )
    op.create_table(
        "leadership_activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="单位(县区、功能区或市局)"),
        sa.Column("held_on", sa.Date(), nullable=False, comment="日期"),
        sa.Column("kind", sa.String(length=20), nullable=False, comment="类别: meeting 研究安全生产工作的会议 / grassroots_visit 主要负责人深入基层指导检查"),
        sa.Column("note", sa.String(length=120), nullable=False, comment="内容摘要"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="安全生产会议与主要负责人深入基层记录(通知第一条:每月至少一次会议、两次深入基层)",
    )
    op.create_index("ix_leadership_held", "leadership_activities", ["held_on"])
    op.create_index("ix_leadership_unit_held", "leadership_activities", ["unit_code", "held_on"])
    op.create_table(
        "resource_sites",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("name", sa.String(length=80), nullable=False, comment="名称"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="类别: warehouse 物资储备库 / team 救援队伍 / shelter 避难场所 / depot 装备库"),
        sa.Column("subkind", sa.String(length=24), nullable=False, comment="细类(队伍类型、储备方式等,见 docs/data-model.md)"),
        sa.Column("level", sa.String(length=12), nullable=False, comment="级别: province 省 / city 市 / county 县 / township 乡镇 / village 村 / enterprise 企业"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区(单位代码)"),
        sa.Column("lat", sa.Double(), nullable=False, comment="纬度(WGS-84/CGCS2000)"),
        sa.Column("lon", sa.Double(), nullable=False, comment="经度(WGS-84/CGCS2000)"),
        sa.Column("capacity", sa.Integer(), nullable=True, comment="容纳人数(避难场所)"),
        sa.Column("headcount", sa.Integer(), nullable=True, comment="队伍人数(救援队伍)"),
        sa.Column("area_m2", sa.Integer(), nullable=True, comment="面积(平方米)"),
        sa.Column("contact_role", sa.String(length=40), nullable=False, comment="联系人岗位"),
        sa.Column("last_checked_on", sa.Date(), nullable=True, comment="最近清点检查日期"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="应急资源点位:储备库、救援队伍、避难场所、装备库",
    )
    op.create_index("ix_sites_kind_unit", "resource_sites", ["kind", "unit_code"])
    op.create_table(
        "risk_census_progress",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="县区"),
        sa.Column("reported_on", sa.Date(), nullable=False, comment="报送日期"),
        sa.Column("completion_pct", sa.Integer(), nullable=False, comment="调查与评估任务完成进度(%),100为全部完成"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="第一次全国自然灾害综合风险普查进度报送(月报)",
    )
    op.create_index("ix_census_unit_date", "risk_census_progress", ["unit_code", "reported_on"])
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("year", sa.Integer(), nullable=False, comment="年度"),
        sa.Column("unit_code", sa.String(length=12), nullable=True, comment="单位(空为全市)"),
        sa.Column("sector_code", sa.String(length=24), nullable=True, comment="行业领域(空为全部行业)"),
        sa.Column("metric", sa.String(length=40), nullable=False, comment="指标代码(见 docs/data-model.md 的指标表)"),
        sa.Column("direction", sa.String(length=8), nullable=False, comment="方向: at_most 控制上限 / at_least 目标下限"),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False, comment="指标值"),
        sa.Column("source", sa.String(length=120), nullable=False, comment="来源(文件或说明)"),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"]),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "unit_code", "sector_code", "metric", name="uq_targets"),
        comment="年度目标与控制指标",
    )
    op.create_table(
        "townships",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区"),
        sa.Column("name", sa.String(length=40), nullable=False, comment="乡镇(街道)名称(示例数据为虚构编号)"),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        comment="乡镇(街道)",
    )
    op.create_index("ix_townships_unit", "townships", ["unit_code"])
    op.create_table(
        "accidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("occurred_at", sa.DateTime(), nullable=False, comment="事故发生时间"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="事故发生地县区"),
        sa.Column("sector_code", sa.String(length=24), nullable=False, comment="行业领域(事故类别口径)"),
        sa.Column("enterprise_id", sa.Integer(), nullable=True, comment="发生单位(企业编号,可空)"),
        sa.Column("grade", sa.String(length=16), nullable=False, comment="事故等级(填报): extra_major 特别重大 / major 重大 / larger 较大 / general 一般"),
        sa.Column("deaths", sa.Integer(), nullable=False, comment="死亡人数"),
        sa.Column("serious_injuries", sa.Integer(), nullable=False, comment="重伤人数(含急性工业中毒)"),
        sa.Column("direct_loss_wan", sa.Numeric(precision=14, scale=2), nullable=False, comment="直接经济损失(万元)"),
        sa.Column("summary", sa.String(length=400), nullable=False, comment="事故简况"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"]),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"]),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        comment="生产安全事故",
    )
    op.create_index("ix_accidents_occurred_at", "accidents", ["occurred_at"])
    op.create_index("ix_accidents_unit_occurred", "accidents", ["unit_code", "occurred_at"])
    op.create_table(
        "coal_mines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("name", sa.String(length=80), nullable=False, comment="煤矿名称"),
        sa.Column("enterprise_id", sa.Integer(), nullable=True, comment="所属企业编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区(单位代码)"),
        sa.Column("lat", sa.Double(), nullable=False, comment="纬度(WGS-84/CGCS2000)"),
        sa.Column("lon", sa.Double(), nullable=False, comment="经度(WGS-84/CGCS2000)"),
        sa.Column("capacity_wt", sa.Integer(), nullable=False, comment="核定生产能力(万吨/年)"),
        sa.Column("is_green_pilot", sa.Boolean(), nullable=False, comment="省级绿色开采试点煤矿"),
        sa.Column("is_intelligent_demo", sa.Boolean(), nullable=False, comment="智能化示范矿井"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"]),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        comment="煤矿",
    )
    op.create_table(
        "hidden_dangers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("code", sa.String(length=24), nullable=False, comment="隐患编号"),
        sa.Column("enterprise_id", sa.Integer(), nullable=False, comment="企业编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区(单位代码)"),
        sa.Column("sector_code", sa.String(length=24), nullable=False, comment="行业领域代码"),
        sa.Column("found_on", sa.Date(), nullable=False, comment="发现日期"),
        sa.Column("source", sa.String(length=16), nullable=False, comment="来源: self_check 企业自查 / enforcement 执法检查 / expert 专家服务 / report 举报 / assigned 上级交办"),
        sa.Column("level", sa.String(length=8), nullable=False, comment="隐患等级: general 一般 / major 重大"),
        sa.Column("category", sa.String(length=16), nullable=False, comment="隐患类型: equipment 设备设施 / environment 作业环境 / management 安全管理 / behaviour 人员行为"),
        sa.Column("description", sa.String(length=400), nullable=False, comment="隐患描述"),
        sa.Column("measure", sa.String(length=400), nullable=False, comment="整改措施"),
        sa.Column("responsible_person", sa.String(length=40), nullable=False, comment="整改责任人"),
        sa.Column("deadline", sa.Date(), nullable=False, comment="整改期限"),
        sa.Column("rectify_started_on", sa.Date(), nullable=True, comment="开始整改日期"),
        sa.Column("submitted_on", sa.Date(), nullable=True, comment="整改完成申请验收日期"),
        sa.Column("closed_on", sa.Date(), nullable=True, comment="验收销号日期"),
        sa.Column("accepted_by", sa.String(length=40), nullable=True, comment="验收人"),
        sa.Column("regulator_reported_on", sa.Date(), nullable=True, comment="向监管部门报告日期(双报告之一,重大隐患)"),
        sa.Column("congress_reported_on", sa.Date(), nullable=True, comment="向职工(代表)大会报告日期(双报告之二,重大隐患)"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"]),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"]),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        comment="隐患排查治理台账",
    )
    op.create_table(
        "major_hazard_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("code", sa.String(length=24), nullable=False, comment="重大危险源编号"),
        sa.Column("name", sa.String(length=80), nullable=False, comment="重大危险源名称"),
        sa.Column("enterprise_id", sa.Integer(), nullable=False, comment="所属企业编号"),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="所属县区(单位代码)"),
        sa.Column("sector_code", sa.String(length=24), nullable=False, comment="行业领域代码"),
        sa.Column("hazard_grade", sa.Integer(), nullable=False, comment="重大危险源等级(1一级至4四级,一级最高)"),
        sa.Column("responsible_role", sa.String(length=40), nullable=False, comment="包保责任人岗位"),
        sa.Column("registered_on", sa.Date(), nullable=False, comment="辨识备案日期"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"]),
        sa.ForeignKeyConstraint(["sector_code"], ["sectors.code"]),
        sa.ForeignKeyConstraint(["unit_code"], ["units.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        comment="重大危险源",
    )
    op.create_index("ix_mhs_unit", "major_hazard_sources", ["unit_code"])
    op.create_table(
        "oil_gas_storage_assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("enterprise_id", sa.Integer(), nullable=False, comment="油气储存企业(企业编号)"),
        sa.Column("assessed_on", sa.Date(), nullable=False, comment="评估(复核)日期"),
        sa.Column("risk_level", sa.String(length=12), nullable=False, comment="风险等级: high 高风险 / higher 较高风险 / moderate 一般风险 / low 低风险"),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprises.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="油气储存企业安全风险等级评估(按日期留痕,任意日期的等级取此前最近一次)",
    )
    op.create_index("ix_oilgas_enterprise_assessed", "oil_gas_storage_assessments", ["enterprise_id", "assessed_on"])
    op.create_table(
        "resource_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("site_id", sa.Integer(), nullable=False, comment="点位编号"),
        sa.Column("item", sa.String(length=40), nullable=False, comment="物资装备名称"),
        sa.Column("category", sa.String(length=16), nullable=False, comment="类别(见 docs/data-model.md 的物资类别表)"),
        sa.Column("quantity", sa.Integer(), nullable=False, comment="数量"),
        sa.Column("uom", sa.String(length=8), nullable=False, comment="计量单位"),
        sa.ForeignKeyConstraint(["site_id"], ["resource_sites.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="应急物资装备清单",
    )
    op.create_index("ix_items_site", "resource_items", ["site_id"])
    op.create_table(
        "task_progress_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("task_id", sa.Integer(), nullable=False, comment="任务编号"),
        sa.Column("reported_on", sa.Date(), nullable=False, comment="报送日期"),
        sa.Column("progress_pct", sa.Integer(), nullable=False, comment="完成进度(%),100为已完成"),
        sa.Column("note", sa.String(length=400), nullable=False, comment="进展情况"),
        sa.ForeignKeyConstraint(["task_id"], ["key_tasks.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="重点任务进展报送(按日期留痕,任意日期的状态由此推算)",
    )
    op.create_index("ix_task_reports_task_date", "task_progress_reports", ["task_id", "reported_on"])
    op.create_table(
        "township_staffing",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("township_id", sa.Integer(), nullable=False, comment="乡镇(街道)编号"),
        sa.Column("reported_on", sa.Date(), nullable=False, comment="报送(变动)日期"),
        sa.Column("staff", sa.Integer(), nullable=False, comment="安全生产和应急管理工作人员(人)"),
        sa.ForeignKeyConstraint(["township_id"], ["townships.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="乡镇(街道)应急管理人员配备(按变动日期留痕,任意日期取此前最近一次)",
    )
    op.create_index("ix_township_staffing_township_date", "township_staffing", ["township_id", "reported_on"])
    op.create_table(
        "coal_gas_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("mine_id", sa.Integer(), nullable=False, comment="煤矿编号"),
        sa.Column("occurred_on", sa.Date(), nullable=False, comment="发生日期"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="类别: gas_over_limit 瓦斯超限 / outburst 煤与瓦斯突出"),
        sa.Column("location", sa.String(length=80), nullable=False, comment="发生地点(工作面、巷道)"),
        sa.Column("peak_ch4_pct", sa.Numeric(precision=5, scale=2), nullable=True, comment="甲烷浓度峰值(%)"),
        sa.Column("summary", sa.String(length=400), nullable=False, comment="简要经过与处置"),
        sa.ForeignKeyConstraint(["mine_id"], ["coal_mines.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="煤矿瓦斯超限与煤与瓦斯突出事件(瓦斯“零超限”、煤层“零突出”)",
    )
    op.create_index("ix_gas_events_occurred", "coal_gas_events", ["occurred_on"])
    op.create_table(
        "major_hazard_source_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="重大危险源编号"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="类别: training 包保责任人培训 / inspection 执法检查"),
        sa.Column("held_on", sa.Date(), nullable=False, comment="日期"),
        sa.ForeignKeyConstraint(["source_id"], ["major_hazard_sources.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="重大危险源包保责任人培训与执法检查记录",
    )
    op.create_index("ix_mhs_events_source_kind", "major_hazard_source_events", ["source_id", "kind", "held_on"])
    op.create_table(
        "mine_milestones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("mine_id", sa.Integer(), nullable=False, comment="煤矿编号"),
        sa.Column("programme", sa.String(length=16), nullable=False, comment="所属工作: green_pilot 绿色开采试点 / intelligent_demo 智能化示范矿井"),
        sa.Column("name", sa.String(length=80), nullable=False, comment="节点名称"),
        sa.Column("planned_on", sa.Date(), nullable=False, comment="计划完成日期"),
        sa.Column("achieved_on", sa.Date(), nullable=True, comment="实际完成日期"),
        sa.ForeignKeyConstraint(["mine_id"], ["coal_mines.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="绿色开采试点与智能化示范矿井建设节点",
    )
    op.create_table(
        "working_faces",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, comment="编号"),
        sa.Column("mine_id", sa.Integer(), nullable=False, comment="煤矿编号"),
        sa.Column("name", sa.String(length=80), nullable=False, comment="工作面名称"),
        sa.Column("face_type", sa.String(length=12), nullable=False, comment="类型: mining 智能化综采(采煤)工作面 / heading 智能化掘进工作面"),
        sa.Column("plan_year", sa.Integer(), nullable=False, comment="列入计划年度"),
        sa.Column("planned_completion_on", sa.Date(), nullable=False, comment="计划建成日期"),
        sa.Column("planned_on", sa.Date(), nullable=False, comment="列入年度计划日期"),
        sa.Column("construction_started_on", sa.Date(), nullable=True, comment="开工建设日期"),
        sa.Column("self_assessed_on", sa.Date(), nullable=True, comment="自评达标日期"),
        sa.Column("applied_on", sa.Date(), nullable=True, comment="申报日期"),
        sa.Column("evaluated_on", sa.Date(), nullable=True, comment="评定日期"),
        sa.Column("accepted_on", sa.Date(), nullable=True, comment="公示通过(建成)日期"),
        sa.ForeignKeyConstraint(["mine_id"], ["coal_mines.id"]),
        sa.PrimaryKeyConstraint("id"),
        comment="智能化采掘工作面",
    )
    op.create_index("ix_faces_plan_year", "working_faces", ["plan_year"])


def downgrade() -> None:
    op.drop_table("working_faces")
    op.drop_table("mine_milestones")
    op.drop_table("major_hazard_source_events")
    op.drop_table("coal_gas_events")
    op.drop_table("township_staffing")
    op.drop_table("task_progress_reports")
    op.drop_table("resource_items")
    op.drop_table("oil_gas_storage_assessments")
    op.drop_table("major_hazard_sources")
    op.drop_table("hidden_dangers")
    op.drop_table("coal_mines")
    op.drop_table("accidents")
    op.drop_table("townships")
    op.drop_table("targets")
    op.drop_table("risk_census_progress")
    op.drop_table("resource_sites")
    op.drop_table("leadership_activities")
    op.drop_table("key_tasks")
    op.drop_table("inspection_progress")
    op.drop_table("inspection_plans")
    op.drop_table("hazchem_monitoring_weekly")
    op.drop_table("enterprises")
    op.drop_table("drills")
    op.drop_table("cyber_incidents")
    op.drop_table("units")
    op.drop_table("sectors")
    op.drop_table("departments")
    op.drop_table("dataset_info")
