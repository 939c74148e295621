"""The bureau database, declared once.

Every table and column carries its Chinese term as a SQL comment; `docs/data-model.md` is
generated from these declarations (`make docs`) and a test keeps the two in step.

Codes stored in the database are English (`general`, `coal`, `warehouse`); the Chinese labels
for people live in `ui/labels.py`. Dates are calendar dates in China Standard Time; amounts of
money are in 万元 (10,000 yuan).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _pk() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True, comment="编号")


def _unit_fk(nullable: bool = False, comment: str = "所属县区(单位代码)") -> sa.Column:
    return sa.Column(
        "unit_code", sa.String(12), sa.ForeignKey("units.code"), nullable=nullable, comment=comment
    )


def _sector_fk(nullable: bool = False, comment: str = "行业领域代码") -> sa.Column:
    return sa.Column(
        "sector_code", sa.String(24), sa.ForeignKey("sectors.code"), nullable=nullable,
        comment=comment,
    )


def _point() -> tuple[sa.Column, sa.Column]:
    return (
        sa.Column("lat", sa.Double, nullable=False, comment="纬度(WGS-84/CGCS2000)"),
        sa.Column("lon", sa.Double, nullable=False, comment="经度(WGS-84/CGCS2000)"),
    )


dataset_info = sa.Table(
    "dataset_info",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True, comment="键"),
    sa.Column("value", sa.String(200), nullable=False, comment="值"),
    comment="数据集说明(是否示例数据、生成方式、数据截至日期)",
)

units = sa.Table(
    "units",
    metadata,
    sa.Column("code", sa.String(12), primary_key=True,
              comment="单位代码(行政区划代码;经开区无官方代码,用JKQ)"),
    sa.Column("name", sa.String(40), nullable=False, unique=True, comment="单位名称"),
    sa.Column("kind", sa.String(12), nullable=False,
              comment="类别: city 市 / district 区 / county 县 / zone 功能区"),
    sa.Column("parent_code", sa.String(12), nullable=True,
              comment="所在县区(功能区所在的区,其余为空)"),
    *_point(),
    sa.Column("sort_order", sa.Integer, nullable=False, comment="排序"),
    comment="单位:长治市、12个县区及高新区、经开区",
)

departments = sa.Table(
    "departments",
    metadata,
    sa.Column("code", sa.String(24), primary_key=True, comment="科室代码"),
    sa.Column("name", sa.String(40), nullable=False, unique=True, comment="科室名称"),
    sa.Column("sort_order", sa.Integer, nullable=False, comment="排序"),
    comment="市局机关科室",
)

sectors = sa.Table(
    "sectors",
    metadata,
    sa.Column("code", sa.String(24), primary_key=True, comment="行业领域代码"),
    sa.Column("name", sa.String(40), nullable=False, unique=True, comment="行业领域名称"),
    sa.Column("sort_order", sa.Integer, nullable=False, comment="排序"),
    comment="行业领域(事故统计与控制指标口径)",
)

enterprises = sa.Table(
    "enterprises",
    metadata,
    _pk(),
    sa.Column("name", sa.String(80), nullable=False, comment="企业名称"),
    _unit_fk(),
    _sector_fk(),
    *_point(),
    sa.Column("std_grade", sa.Integer, nullable=True,
              comment="安全生产标准化等级(1一级/2二级/3三级,空为未达标)"),
    sa.Column("required_std_grade", sa.Integer, nullable=False,
              comment="应达到的标准化等级(2二级及以上/3三级)"),
    sa.Column("has_major_hazard", sa.Boolean, nullable=False, comment="涉及重大危险源"),
    sa.Column("is_hazchem", sa.Boolean, nullable=False, comment="危险化学品企业"),
    comment="生产经营单位(企业)",
)

accidents = sa.Table(
    "accidents",
    metadata,
    _pk(),
    sa.Column("code", sa.String(32), nullable=False,
              comment="事故编号(快报编号;导入时未填则按县区和发生时间生成)"),
    sa.Column("occurred_at", sa.DateTime, nullable=False, comment="事故发生时间"),
    _unit_fk(comment="事故发生地县区"),
    _sector_fk(comment="行业领域(事故类别口径)"),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=True,
              comment="发生单位(企业编号,可空)"),
    sa.Column("grade", sa.String(16), nullable=False,
              comment="事故等级(填报): extra_major 特别重大 / major 重大 / larger 较大 / general 一般"),
    sa.Column("deaths", sa.Integer, nullable=False, comment="死亡人数"),
    sa.Column("serious_injuries", sa.Integer, nullable=False,
              comment="重伤人数(含急性工业中毒)"),
    sa.Column("direct_loss_wan", sa.Numeric(14, 2), nullable=False, comment="直接经济损失(万元)"),
    sa.Column("summary", sa.String(400), nullable=False, comment="事故简况"),
    sa.UniqueConstraint("code", name="uq_accidents_code"),
    # Covering: the accident figures and the validity rules read only these (migration 0006).
    sa.Index("ix_accidents_occurred_cover", "occurred_at", "unit_code", "sector_code", "grade",
             "deaths", "serious_injuries", "direct_loss_wan"),
    sa.Index("ix_accidents_unit_cover", "unit_code", "occurred_at", "sector_code", "grade",
             "deaths", "serious_injuries", "direct_loss_wan"),
    comment="生产安全事故",
)

targets = sa.Table(
    "targets",
    metadata,
    _pk(),
    sa.Column("year", sa.Integer, nullable=False, comment="年度"),
    _unit_fk(nullable=True, comment="单位(空为全市)"),
    _sector_fk(nullable=True, comment="行业领域(空为全部行业)"),
    sa.Column("metric", sa.String(40), nullable=False,
              comment="指标代码(见 docs/data-model.md 的指标表)"),
    sa.Column("direction", sa.String(8), nullable=False,
              comment="方向: at_most 控制上限 / at_least 目标下限"),
    sa.Column("value", sa.Numeric(14, 2), nullable=False, comment="指标值"),
    sa.Column("source", sa.String(120), nullable=False, comment="来源(文件或说明)"),
    sa.UniqueConstraint("year", "unit_code", "sector_code", "metric", name="uq_targets"),
    comment="年度目标与控制指标",
)

key_tasks = sa.Table(
    "key_tasks",
    metadata,
    _pk(),
    sa.Column("code", sa.String(16), nullable=False, unique=True, comment="任务编号"),
    sa.Column("year", sa.Integer, nullable=False, comment="年度"),
    _sector_fk(comment="行业领域(综合类为 general)"),
    sa.Column("notice_section", sa.String(4), nullable=False, comment="通知条目(二/三…)"),
    sa.Column("title", sa.String(120), nullable=False, comment="任务名称"),
    sa.Column("description", sa.String(400), nullable=False, comment="任务内容"),
    sa.Column("lead_department_code", sa.String(24), sa.ForeignKey("departments.code"),
              nullable=False, comment="牵头科室"),
    sa.Column("responsible_units", sa.String(200), nullable=False, comment="责任单位"),
    sa.Column("start_on", sa.Date, nullable=False, comment="计划开始日期"),
    sa.Column("deadline", sa.Date, nullable=False, comment="完成时限"),
    comment="专项整治巩固提升年重点任务清单",
)

task_progress_reports = sa.Table(
    "task_progress_reports",
    metadata,
    _pk(),
    sa.Column("task_id", sa.Integer, sa.ForeignKey("key_tasks.id"), nullable=False,
              comment="任务编号"),
    sa.Column("reported_on", sa.Date, nullable=False, comment="报送日期"),
    sa.Column("progress_pct", sa.Integer, nullable=False, comment="完成进度(%),100为已完成"),
    sa.Column("note", sa.String(400), nullable=False, comment="进展情况"),
    sa.Index("ix_task_reports_task_date", "task_id", "reported_on"),
    comment="重点任务进展报送(按日期留痕,任意日期的状态由此推算)",
)

hidden_dangers = sa.Table(
    "hidden_dangers",
    metadata,
    _pk(),
    sa.Column("code", sa.String(24), nullable=False, unique=True, comment="隐患编号"),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False,
              comment="企业编号"),
    _unit_fk(),
    _sector_fk(),
    sa.Column("found_on", sa.Date, nullable=False, comment="发现日期"),
    sa.Column("source", sa.String(16), nullable=False,
              comment="来源: self_check 企业自查 / enforcement 执法检查 / expert 专家服务 / "
                      "report 举报 / assigned 上级交办"),
    sa.Column("level", sa.String(8), nullable=False,
              comment="隐患等级: general 一般 / major 重大"),
    sa.Column("category", sa.String(16), nullable=False,
              comment="隐患类型: equipment 设备设施 / environment 作业环境 / management 安全管理 "
                      "/ behaviour 人员行为"),
    sa.Column("description", sa.String(400), nullable=False, comment="隐患描述"),
    sa.Column("measure", sa.String(400), nullable=False, comment="整改措施"),
    sa.Column("responsible_person", sa.String(40), nullable=False, comment="整改责任人"),
    sa.Column("deadline", sa.Date, nullable=False, comment="整改期限"),
    sa.Column("rectify_started_on", sa.Date, nullable=True, comment="开始整改日期"),
    sa.Column("submitted_on", sa.Date, nullable=True, comment="整改完成申请验收日期"),
    sa.Column("closed_on", sa.Date, nullable=True, comment="验收销号日期"),
    sa.Column("accepted_by", sa.String(40), nullable=True, comment="验收人"),
    sa.Column("regulator_reported_on", sa.Date, nullable=True,
              comment="向监管部门报告日期(双报告之一,重大隐患)"),
    sa.Column("congress_reported_on", sa.Date, nullable=True,
              comment="向职工(代表)大会报告日期(双报告之二,重大隐患)"),
    # Covering indexes: the year-to-date conditional counts (found, closed, open, overdue,
    # major, double reports) read only the index, city-wide or for one unit; the open-item and
    # sign-off counts range over closed_on. See docs/performance.md.
    sa.Index("ix_hd_found_cover", "found_on", "closed_on", "deadline", "level", "unit_code",
             "sector_code", "regulator_reported_on", "congress_reported_on"),
    sa.Index("ix_hd_unit_cover", "unit_code", "found_on", "closed_on", "deadline", "level",
             "sector_code", "regulator_reported_on", "congress_reported_on"),
    sa.Index("ix_hd_closed_cover", "closed_on", "found_on", "deadline", "level", "unit_code",
             "sector_code"),
    # The drill-down list in its own order (deadline, then entry order): walked from the
    # scope's first deadline until the list is full (rectification.scope_conditions).
    sa.Index("ix_hd_deadline_list", "deadline", "id", "found_on", "closed_on", "level",
             "unit_code", "sector_code", "regulator_reported_on", "congress_reported_on"),
    # The items never signed off, in deadline order: the open items' lists at the latest day,
    # without walking past every item signed off since (rectification._signed_off_after).
    # Partial where the backend allows; MariaDB keeps every row, NULL sign-off dates first.
    sa.Index("ix_hd_open_list", "closed_on", "deadline", "id", "found_on", "level",
             "unit_code", "sector_code", "regulator_reported_on", "congress_reported_on",
             postgresql_where=sa.text("closed_on IS NULL"),
             sqlite_where=sa.text("closed_on IS NULL")),
    comment="隐患排查治理台账",
)

coal_mines = sa.Table(
    "coal_mines",
    metadata,
    _pk(),
    sa.Column("name", sa.String(80), nullable=False, unique=True, comment="煤矿名称"),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=True,
              comment="所属企业编号"),
    _unit_fk(),
    *_point(),
    sa.Column("capacity_wt", sa.Integer, nullable=False, comment="核定生产能力(万吨/年)"),
    sa.Column("is_green_pilot", sa.Boolean, nullable=False, comment="省级绿色开采试点煤矿"),
    sa.Column("is_intelligent_demo", sa.Boolean, nullable=False, comment="智能化示范矿井"),
    comment="煤矿",
)

mine_milestones = sa.Table(
    "mine_milestones",
    metadata,
    _pk(),
    sa.Column("mine_id", sa.Integer, sa.ForeignKey("coal_mines.id"), nullable=False,
              comment="煤矿编号"),
    sa.Column("programme", sa.String(16), nullable=False,
              comment="所属工作: green_pilot 绿色开采试点 / intelligent_demo 智能化示范矿井"),
    sa.Column("name", sa.String(80), nullable=False, comment="节点名称"),
    sa.Column("planned_on", sa.Date, nullable=False, comment="计划完成日期"),
    sa.Column("achieved_on", sa.Date, nullable=True, comment="实际完成日期"),
    comment="绿色开采试点与智能化示范矿井建设节点",
)

working_faces = sa.Table(
    "working_faces",
    metadata,
    _pk(),
    sa.Column("code", sa.String(24), nullable=False, comment="工作面编号"),
    sa.Column("mine_id", sa.Integer, sa.ForeignKey("coal_mines.id"), nullable=False,
              comment="煤矿编号"),
    sa.Column("name", sa.String(80), nullable=False, comment="工作面名称"),
    sa.Column("face_type", sa.String(12), nullable=False,
              comment="类型: mining 智能化综采(采煤)工作面 / heading 智能化掘进工作面"),
    sa.Column("plan_year", sa.Integer, nullable=False, comment="列入计划年度"),
    sa.Column("planned_completion_on", sa.Date, nullable=False, comment="计划建成日期"),
    sa.Column("planned_on", sa.Date, nullable=False, comment="列入年度计划日期"),
    sa.Column("construction_started_on", sa.Date, nullable=True, comment="开工建设日期"),
    sa.Column("self_assessed_on", sa.Date, nullable=True, comment="自评达标日期"),
    sa.Column("applied_on", sa.Date, nullable=True, comment="申报日期"),
    sa.Column("evaluated_on", sa.Date, nullable=True, comment="评定日期"),
    sa.Column("accepted_on", sa.Date, nullable=True, comment="公示通过(建成)日期"),
    sa.UniqueConstraint("code", name="uq_working_faces_code"),
    sa.Index("ix_faces_plan_year", "plan_year"),
    comment="智能化采掘工作面",
)

resource_sites = sa.Table(
    "resource_sites",
    metadata,
    _pk(),
    sa.Column("code", sa.String(24), nullable=False, comment="点位编号"),
    sa.Column("name", sa.String(80), nullable=False, comment="名称"),
    sa.Column("kind", sa.String(16), nullable=False,
              comment="类别: warehouse 物资储备库 / team 救援队伍 / shelter 避难场所 / "
                      "depot 装备库"),
    sa.Column("subkind", sa.String(24), nullable=False,
              comment="细类(队伍类型、储备方式等,见 docs/data-model.md)"),
    sa.Column("level", sa.String(12), nullable=False,
              comment="级别: province 省 / city 市 / county 县 / township 乡镇 / village 村 / "
                      "enterprise 企业"),
    _unit_fk(),
    *_point(),
    sa.Column("capacity", sa.Integer, nullable=True, comment="容纳人数(避难场所)"),
    sa.Column("headcount", sa.Integer, nullable=True, comment="队伍人数(救援队伍)"),
    sa.Column("area_m2", sa.Integer, nullable=True, comment="面积(平方米)"),
    sa.Column("contact_role", sa.String(40), nullable=False, comment="联系人岗位"),
    sa.UniqueConstraint("code", name="uq_resource_sites_code"),
    sa.Index("ix_sites_kind_unit", "kind", "unit_code"),
    comment="应急资源点位:储备库、救援队伍、避难场所、装备库",
)

resource_items = sa.Table(
    "resource_items",
    metadata,
    _pk(),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("resource_sites.id"), nullable=False,
              comment="点位编号"),
    sa.Column("item", sa.String(40), nullable=False, comment="物资装备名称"),
    sa.Column("category", sa.String(16), nullable=False,
              comment="类别(见 docs/data-model.md 的物资类别表)"),
    sa.Column("quantity", sa.Integer, nullable=False, comment="数量"),
    sa.Column("uom", sa.String(8), nullable=False, comment="计量单位"),
    sa.Index("ix_items_site", "site_id"),
    sa.Index("ix_items_category_cover", "category", "site_id", "item", "uom", "quantity"),
    comment="应急物资装备清单",
)

resource_checks = sa.Table(
    "resource_checks",
    metadata,
    _pk(),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("resource_sites.id"), nullable=False,
              comment="点位编号"),
    sa.Column("checked_on", sa.Date, nullable=False, comment="清点检查日期"),
    sa.Column("note", sa.String(200), nullable=True, comment="情况说明"),
    sa.UniqueConstraint("site_id", "checked_on", name="uq_resource_checks"),
    sa.Index("ix_checks_date_site", "checked_on", "site_id"),
    comment="应急物资清点检查记录(按日期留痕,任意日期的最近一次检查由此推算)",
)

# ---- Scorecard of the notice's other quantified targets (overview page) -------------------

leadership_activities = sa.Table(
    "leadership_activities",
    metadata,
    _pk(),
    _unit_fk(comment="单位(县区、功能区或市局)"),
    sa.Column("held_on", sa.Date, nullable=False, comment="日期"),
    sa.Column("kind", sa.String(20), nullable=False,
              comment="类别: meeting 研究安全生产工作的会议 / grassroots_visit 主要负责人深入基层指导检查"),
    sa.Column("note", sa.String(120), nullable=False, comment="内容摘要"),
    sa.Index("ix_leadership_unit_held", "unit_code", "held_on"),
    sa.Index("ix_leadership_held", "held_on"),
    comment="安全生产会议与主要负责人深入基层记录(通知第一条:每月至少一次会议、两次深入基层)",
)

coal_gas_events = sa.Table(
    "coal_gas_events",
    metadata,
    _pk(),
    sa.Column("mine_id", sa.Integer, sa.ForeignKey("coal_mines.id"), nullable=False,
              comment="煤矿编号"),
    sa.Column("occurred_on", sa.Date, nullable=False, comment="发生日期"),
    sa.Column("kind", sa.String(16), nullable=False,
              comment="类别: gas_over_limit 瓦斯超限 / outburst 煤与瓦斯突出"),
    sa.Column("location", sa.String(80), nullable=False, comment="发生地点(工作面、巷道)"),
    sa.Column("peak_ch4_pct", sa.Numeric(5, 2), nullable=True, comment="甲烷浓度峰值(%)"),
    sa.Column("summary", sa.String(400), nullable=False, comment="简要经过与处置"),
    sa.Index("ix_gas_events_occurred", "occurred_on"),
    comment="煤矿瓦斯超限与煤与瓦斯突出事件(瓦斯“零超限”、煤层“零突出”)",
)

oil_gas_storage_assessments = sa.Table(
    "oil_gas_storage_assessments",
    metadata,
    _pk(),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False,
              comment="油气储存企业(企业编号)"),
    sa.Column("assessed_on", sa.Date, nullable=False, comment="评估(复核)日期"),
    sa.Column("risk_level", sa.String(12), nullable=False,
              comment="风险等级: high 高风险 / higher 较高风险 / moderate 一般风险 / low 低风险"),
    sa.Index("ix_oilgas_enterprise_assessed", "enterprise_id", "assessed_on"),
    comment="油气储存企业安全风险等级评估(按日期留痕,任意日期的等级取此前最近一次)",
)

major_hazard_sources = sa.Table(
    "major_hazard_sources",
    metadata,
    _pk(),
    sa.Column("code", sa.String(24), nullable=False, unique=True, comment="重大危险源编号"),
    sa.Column("name", sa.String(80), nullable=False, comment="重大危险源名称"),
    sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False,
              comment="所属企业编号"),
    _unit_fk(),
    _sector_fk(),
    sa.Column("hazard_grade", sa.Integer, nullable=False,
              comment="重大危险源等级(1一级至4四级,一级最高)"),
    sa.Column("responsible_role", sa.String(40), nullable=False, comment="包保责任人岗位"),
    sa.Column("registered_on", sa.Date, nullable=False, comment="辨识备案日期"),
    sa.Index("ix_mhs_unit", "unit_code"),
    comment="重大危险源",
)

major_hazard_source_events = sa.Table(
    "major_hazard_source_events",
    metadata,
    _pk(),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("major_hazard_sources.id"), nullable=False,
              comment="重大危险源编号"),
    sa.Column("kind", sa.String(16), nullable=False,
              comment="类别: training 包保责任人培训 / inspection 执法检查"),
    sa.Column("held_on", sa.Date, nullable=False, comment="日期"),
    sa.Index("ix_mhs_events_source_kind", "source_id", "kind", "held_on"),
    comment="重大危险源包保责任人培训与执法检查记录",
)

inspection_plans = sa.Table(
    "inspection_plans",
    metadata,
    _pk(),
    sa.Column("year", sa.Integer, nullable=False, comment="年度"),
    _unit_fk(comment="执法单位(县区、功能区或市局)"),
    sa.Column("planned_inspections", sa.Integer, nullable=False, comment="计划检查企业(次)"),
    sa.UniqueConstraint("year", "unit_code", name="uq_inspection_plans"),
    comment="年度监督检查计划",
)

inspection_progress = sa.Table(
    "inspection_progress",
    metadata,
    _pk(),
    _unit_fk(comment="执法单位(县区、功能区或市局)"),
    sa.Column("reported_on", sa.Date, nullable=False, comment="报送日期"),
    sa.Column("done_to_date", sa.Integer, nullable=False, comment="年内累计完成检查(次)"),
    sa.Index("ix_inspection_progress_unit_date", "unit_code", "reported_on"),
    comment="年度监督检查计划执行进度报送(半月报,年内累计)",
)

risk_census_progress = sa.Table(
    "risk_census_progress",
    metadata,
    _pk(),
    _unit_fk(comment="县区"),
    sa.Column("reported_on", sa.Date, nullable=False, comment="报送日期"),
    sa.Column("completion_pct", sa.Integer, nullable=False,
              comment="调查与评估任务完成进度(%),100为全部完成"),
    sa.Index("ix_census_unit_date", "unit_code", "reported_on"),
    comment="第一次全国自然灾害综合风险普查进度报送(月报)",
)

drills = sa.Table(
    "drills",
    metadata,
    _pk(),
    _unit_fk(comment="组织单位(市或县区)"),
    sa.Column("held_on", sa.Date, nullable=False, comment="演练日期"),
    sa.Column("kind", sa.String(16), nullable=False,
              comment="类别: comprehensive 综合性演练 / special 专项演练 / tabletop 桌面推演"),
    sa.Column("title", sa.String(120), nullable=False, comment="演练名称"),
    sa.Column("participants", sa.Integer, nullable=False, comment="参演人数"),
    sa.Index("ix_drills_unit_held", "unit_code", "held_on"),
    comment="应急演练(市县两级年内至少开展1次综合性演练)",
)

townships = sa.Table(
    "townships",
    metadata,
    _pk(),
    _unit_fk(comment="所属县区"),
    sa.Column("name", sa.String(40), nullable=False, unique=True,
              comment="乡镇(街道)名称(示例数据为虚构编号)"),
    sa.Index("ix_townships_unit", "unit_code"),
    comment="乡镇(街道)",
)

township_staffing = sa.Table(
    "township_staffing",
    metadata,
    _pk(),
    sa.Column("township_id", sa.Integer, sa.ForeignKey("townships.id"), nullable=False,
              comment="乡镇(街道)编号"),
    sa.Column("reported_on", sa.Date, nullable=False, comment="报送(变动)日期"),
    sa.Column("staff", sa.Integer, nullable=False, comment="安全生产和应急管理工作人员(人)"),
    sa.Index("ix_township_staffing_township_date", "township_id", "reported_on"),
    comment="乡镇(街道)应急管理人员配备(按变动日期留痕,任意日期取此前最近一次)",
)

hazchem_monitoring_weekly = sa.Table(
    "hazchem_monitoring_weekly",
    metadata,
    _pk(),
    _unit_fk(),
    sa.Column("week_ending", sa.Date, nullable=False, comment="统计周截止日期(周五)"),
    sa.Column("commit_required", sa.Integer, nullable=False,
              comment="应发布安全承诺公告(企业·日)"),
    sa.Column("commit_on_time", sa.Integer, nullable=False,
              comment="按时发布安全承诺公告(企业·日)"),
    sa.Column("sources_required", sa.Integer, nullable=False, comment="应接入重大危险源(个)"),
    sa.Column("sources_connected", sa.Integer, nullable=False, comment="已接入重大危险源(个)"),
    sa.Column("points_connected", sa.Integer, nullable=False, comment="已接入监测点位(个)"),
    sa.Column("points_online", sa.Integer, nullable=False, comment="在线监测点位(个,周平均)"),
    sa.Column("alarms", sa.Integer, nullable=False, comment="本周报警(条)"),
    sa.Column("alarms_cleared", sa.Integer, nullable=False, comment="本周报警中已消警(条)"),
    sa.Column("alarms_over_24h", sa.Integer, nullable=False,
              comment="超过24小时未消警(条)"),
    sa.Index("ix_hazchem_week_unit", "week_ending", "unit_code"),
    comment="危化品安全风险监测预警系统周统计(安全承诺率、接入率、在线率、消警率)",
)

cyber_incidents = sa.Table(
    "cyber_incidents",
    metadata,
    _pk(),
    _unit_fk(comment="发生单位(市局或县区应急管理局)"),
    sa.Column("occurred_on", sa.Date, nullable=False, comment="发生日期"),
    sa.Column("severity", sa.String(16), nullable=False,
              comment="事件级别: general 一般 / larger 较大 / major 重大 / extra_major 特别重大"),
    sa.Column("system", sa.String(60), nullable=False, comment="涉及系统"),
    sa.Column("summary", sa.String(400), nullable=False, comment="事件简况与处置"),
    sa.Index("ix_cyber_occurred", "occurred_on"),
    comment="网络安全事件(确保不发生较大网络安全事件)",
)

# ---- The year's work plan: the notice, its sections, its scorecard lines ----------------
# A year's plan is data: the data admin imports next year's notice like any other table. The
# measures its lines choose are a fixed catalogue in code (data_access/measures.py).

plan_notices = sa.Table(
    "plan_notices",
    metadata,
    _pk(),
    sa.Column("year", sa.Integer, nullable=False, unique=True, comment="年度"),
    sa.Column("title", sa.String(120), nullable=False, comment="通知标题"),
    sa.Column("doc_number", sa.String(40), nullable=False, comment="文号"),
    sa.Column("issued_on", sa.Date, nullable=False, comment="印发日期"),
    sa.Column("checklist_title", sa.String(80), nullable=False, comment="重点任务清单名称"),
    comment="年度工作通知(每年一份,记分卡和重点任务清单按此对照)",
)

plan_sections = sa.Table(
    "plan_sections",
    metadata,
    _pk(),
    sa.Column("year", sa.Integer, nullable=False, comment="年度(读取时只读有通知的年度)"),
    sa.Column("code", sa.String(4), nullable=False, comment="条目(一/二…)"),
    sa.Column("title", sa.String(60), nullable=False, comment="条目标题"),
    sa.Column("sort_order", sa.Integer, nullable=False, comment="显示顺序"),
    sa.UniqueConstraint("year", "code", name="uq_plan_sections"),
    comment="年度工作通知的条目",
)

plan_lines = sa.Table(
    "plan_lines",
    metadata,
    _pk(),
    sa.Column("year", sa.Integer, nullable=False, comment="年度(读取时只读有通知的年度)"),
    sa.Column("code", sa.String(40), nullable=False, comment="指标编号(年内唯一)"),
    sa.Column("name", sa.String(60), nullable=False, comment="指标名称(记分卡上显示)"),
    sa.Column("measure", sa.String(40), nullable=False,
              comment="计算口径代码(见 docs/annual-plan.md 的口径表)"),
    sa.Column("rule", sa.String(12), nullable=False,
              comment="判定规则: rate 比率 / progress 按时间进度 / annual 每年一次按期限 / "
                      "zero 不超过 / control 控制指标"),
    sa.Column("target", sa.Numeric(12, 2), nullable=False,
              comment="目标值(按计量单位:%为百分数,其余为个数)"),
    sa.Column("uom", sa.String(8), nullable=False, comment="计量单位(%、起、家、条、处)"),
    sa.Column("section", sa.String(4), nullable=False, comment="所属条目"),
    sa.Column("sort_order", sa.Integer, nullable=False, comment="显示顺序"),
    sa.UniqueConstraint("year", "code", name="uq_plan_lines"),
    comment="年度工作目标记分卡的指标",
)

# ---- The import log: what each import changed, so that the latest one can be undone ------

import_batches = sa.Table(
    "import_batches",
    metadata,
    _pk(),
    sa.Column("kind", sa.String(12), nullable=False,
              comment="类别: import 导入(可撤销) / replace 全量替换(make load,不可撤销)"),
    sa.Column("started_at", sa.DateTime, nullable=False, comment="开始时间"),
    sa.Column("finished_at", sa.DateTime, nullable=True, comment="完成时间"),
    sa.Column("user_name", sa.String(80), nullable=True, comment="操作人(登录名)"),
    sa.Column("client", sa.String(80), nullable=True, comment="客户端(地址或命令行)"),
    sa.Column("files", sa.String(2000), nullable=False,
              comment="文件名及 SHA-256(JSON 列表)"),
    sa.Column("summary", sa.String(4000), nullable=False,
              comment="各表新增、修改、删除行数(JSON)"),
    sa.Column("undone_at", sa.DateTime, nullable=True, comment="撤销时间"),
    sa.Column("undone_by", sa.String(80), nullable=True, comment="撤销人"),
    comment="数据导入记录",
)

import_changes = sa.Table(
    "import_changes",
    metadata,
    _pk(),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=False,
              comment="导入记录编号"),
    sa.Column("table_name", sa.String(40), nullable=False, comment="数据表"),
    sa.Column("action", sa.String(8), nullable=False,
              comment="变化: insert 新增 / update 修改 / delete 删除"),
    sa.Column("row_key", sa.String(40), nullable=False, comment="行的主键值"),
    sa.Column("before", sa.Text, nullable=True, comment="修改或删除前的整行(JSON),新增为空"),
    sa.Index("ix_import_changes_batch", "batch_id", "table_name"),
    comment="数据导入的逐行变化(撤销导入时据此恢复)",
)

# ---- Who may see what, and what they did (data_access.access, data_access.audit) ----------

app_users = sa.Table(
    "app_users",
    metadata,
    _pk(),
    sa.Column("principal", sa.String(120), nullable=False, unique=True,
              comment="登录名;以 group: 开头为身份提供方的组或角色声明(如 group:county-luzhou)"),
    sa.Column("role", sa.String(12), nullable=False,
              comment="角色: leader 局领导 / department 市局科室 / county 县区 / data_admin 数据管理员"),
    sa.Column("unit_code", sa.String(12), nullable=True,
              comment="县区角色所属单位(单位代码);其他角色为空"),
    sa.Column("name", sa.String(40), nullable=True, comment="姓名或说明"),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="最后修改时间"),
    sa.Column("updated_by", sa.String(120), nullable=True, comment="最后修改人"),
    comment="用户与角色(由数据管理员维护)",
)

screen_tokens = sa.Table(
    "screen_tokens",
    metadata,
    _pk(),
    sa.Column("name", sa.String(40), nullable=False, unique=True, comment="大屏名称(如 三楼会议室)"),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True,
              comment="授权码的 SHA-256(授权码本身不保存)"),
    sa.Column("created_at", sa.DateTime, nullable=False, comment="创建时间"),
    sa.Column("created_by", sa.String(120), nullable=True, comment="创建人"),
    sa.Column("revoked_at", sa.DateTime, nullable=True, comment="吊销时间(为空表示有效)"),
    comment="大屏授权(每块屏一个可吊销的授权码)",
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _pk(),
    sa.Column("at", sa.DateTime, nullable=False, comment="时间"),
    sa.Column("kind", sa.String(16), nullable=False,
              comment="类别: login 登录 / login_failed 登录失败 / logout 退出 / denied 拒绝访问 / "
                      "view 浏览 / download 下载 / brief 简报 / import 导入 / undo 撤销导入 / "
                      "role 角色变更 / token 大屏授权"),
    sa.Column("user_name", sa.String(120), nullable=True, comment="用户(登录名;大屏为 screen:名称)"),
    sa.Column("role", sa.String(12), nullable=True, comment="当时的角色"),
    sa.Column("client", sa.String(80), nullable=True, comment="客户端地址"),
    sa.Column("page", sa.String(40), nullable=True, comment="页面"),
    sa.Column("scope", sa.String(12), nullable=True, comment="数据范围(单位代码;空为全市)"),
    sa.Column("detail", sa.String(1000), nullable=True, comment="筛选条件、文件名等(JSON)"),
    sa.Column("row_count", sa.Integer, nullable=True, comment="涉及行数(下载、导入)"),
    sa.Index("ix_audit_log_at", "at"),
    sa.Index("ix_audit_log_user", "user_name", "at"),
    comment="审计日志(登录、浏览、下载、导入、角色变更)",
)


def _ledger_counts(name: str, granularity: str, comment: str) -> sa.Table:
    """Counts of usable hidden dangers per found year, unit, sector, level, measure and day
    or month (`data_access.rollups`)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("found_year", sa.Integer, primary_key=True, comment="发现年度"),
        sa.Column("unit_code", sa.String(12), primary_key=True, comment="所属县区(单位代码)"),
        sa.Column("sector_code", sa.String(24), primary_key=True, comment="行业领域代码"),
        sa.Column("level", sa.String(8), primary_key=True, comment="隐患等级"),
        sa.Column("measure", sa.String(16), primary_key=True,
                  comment="计数口径(见 data_access/rollups.py 的 MEASURES)"),
        sa.Column("period", sa.Date, primary_key=True, comment=granularity),
        sa.Column("n", sa.Integer, nullable=False, comment="隐患条数"),
        # Reads: a range of periods of a few measures, everything else from the index alone.
        sa.Index(f"ix_{name}_read", "measure", "period", "found_year", "unit_code",
                 "sector_code", "level", "n"),
        comment=comment,
    )


hd_daily = _ledger_counts("hd_daily", "日期(该口径的关键日期)", "隐患台账按日计数(由台账生成,勿手工修改)")
hd_monthly = _ledger_counts("hd_monthly", "月份(当月1日)", "隐患台账按月计数(由台账生成,勿手工修改)")

hd_set_aside = sa.Table(
    "hd_set_aside",
    metadata,
    _pk(),
    sa.Column("found_year", sa.Integer, nullable=True, comment="发现年度(发现日期缺失时为空)"),
    sa.Column("unit_code", sa.String(12), nullable=True, comment="所属县区(单位代码)"),
    sa.Column("rule", sa.String(200), nullable=False,
              comment="数据质量规则编号(* 为违反任一规则的行)"),
    sa.Column("n", sa.Integer, nullable=False, comment="未计入统计的隐患条数"),
    sa.Column("examples", sa.Text, nullable=False, comment="前几条的隐患编号(JSON 数组)"),
    sa.Index("ix_hd_set_aside_slice", "found_year", "unit_code"),
    comment="隐患台账中未计入统计的行,按规则计数(由台账生成,勿手工修改)",
)

rollup_state = sa.Table(
    "rollup_state",
    metadata,
    sa.Column("source", sa.String(40), primary_key=True, comment="源数据表"),
    sa.Column("data_version", sa.String(40), nullable=False,
              comment="生成时的数据版本(导入记录编号, 已撤销数);stale 表示此后台账被改动过"),
    sa.Column("valid_on", sa.Date, nullable=False, comment="按哪一天的数据质量规则生成"),
    sa.Column("built_at", sa.DateTime, nullable=False, comment="生成时间"),
    comment="汇总表的生成状态(与台账不一致时页面改读原始行)",
)


# Load order respects foreign keys.
TABLES_IN_LOAD_ORDER: tuple[sa.Table, ...] = (
    dataset_info,
    units,
    departments,
    sectors,
    enterprises,
    accidents,
    targets,
    key_tasks,
    task_progress_reports,
    hidden_dangers,
    coal_mines,
    mine_milestones,
    working_faces,
    resource_sites,
    resource_items,
    resource_checks,
    leadership_activities,
    coal_gas_events,
    oil_gas_storage_assessments,
    major_hazard_sources,
    major_hazard_source_events,
    inspection_plans,
    inspection_progress,
    risk_census_progress,
    drills,
    townships,
    township_staffing,
    hazchem_monitoring_weekly,
    cyber_incidents,
    plan_notices,
    plan_sections,
    plan_lines,
)
# Tables the migrations fill with the 2022 plan; a load's files for them replace those rows.
SEEDED_TABLES: tuple[sa.Table, ...] = (plan_notices, plan_sections, plan_lines)
# Tables of the import log, not of the bureau's data.
LOG_TABLES: tuple[sa.Table, ...] = (import_batches, import_changes)
# Tables of access control and the audit log (data_access.access, data_access.audit).
ACCESS_TABLES: tuple[sa.Table, ...] = (app_users, screen_tokens, audit_log)
# Tables derived from the ledger (data_access.rollups): rebuilt, never loaded or imported.
ROLLUP_TABLES: tuple[sa.Table, ...] = (hd_daily, hd_monthly, hd_set_aside, rollup_state)

# Each table's natural key: the columns by which a row is recognised in the bureau's own files
# (the import matches on them; the data-quality checks report duplicates of them). Reference
# columns name the referenced table's natural key in the files (e.g. an enterprise's name).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "dataset_info": ("key",),
    "units": ("code",),
    "departments": ("code",),
    "sectors": ("code",),
    "enterprises": ("name",),
    "accidents": ("code",),
    "targets": ("year", "unit_code", "sector_code", "metric"),
    "key_tasks": ("code",),
    "task_progress_reports": ("task_id", "reported_on"),
    "hidden_dangers": ("code",),
    "coal_mines": ("name",),
    "mine_milestones": ("mine_id", "programme", "name"),
    "working_faces": ("code",),
    "resource_sites": ("code",),
    "resource_items": ("site_id", "item"),
    "resource_checks": ("site_id", "checked_on"),
    "leadership_activities": ("unit_code", "held_on", "kind", "note"),
    "coal_gas_events": ("mine_id", "occurred_on", "kind", "location"),
    "oil_gas_storage_assessments": ("enterprise_id", "assessed_on"),
    "major_hazard_sources": ("code",),
    "major_hazard_source_events": ("source_id", "kind", "held_on"),
    "inspection_plans": ("year", "unit_code"),
    "inspection_progress": ("unit_code", "reported_on"),
    "risk_census_progress": ("unit_code", "reported_on"),
    "drills": ("unit_code", "held_on", "title"),
    "townships": ("name",),
    "township_staffing": ("township_id", "reported_on"),
    "hazchem_monitoring_weekly": ("unit_code", "week_ending"),
    "cyber_incidents": ("unit_code", "occurred_on", "system"),
    "plan_notices": ("year",),
    "plan_sections": ("year", "code"),
    "plan_lines": ("year", "code"),
    "app_users": ("principal",),
}
