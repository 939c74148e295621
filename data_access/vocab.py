"""The data model's code lists: every coded column's allowed values and their Chinese labels.

Codes are stored in English (`general`, `warehouse`); people read and type the Chinese. One
definition serves the pages (through `ui/labels.py`), the import of the bureau's files (which
accepts either), the import templates' drop-down lists, the data-quality checks and
`docs/data-model.md`. Reference-coded columns (`unit_code`, `sector_code`,
`lead_department_code`) take their values from their tables instead.
"""

from __future__ import annotations

GRADES = {"extra_major": "特别重大", "major": "重大", "larger": "较大", "general": "一般"}
GRADE_ORDER = ("extra_major", "major", "larger", "general")

UNIT_KINDS = {"city": "市", "district": "区", "county": "县", "zone": "功能区"}
TARGET_DIRECTIONS = {"at_most": "不超过(控制指标)", "at_least": "不少于(目标)"}
TARGET_METRICS = {
    "deaths": "死亡人数控制指标(人)",
    "accidents_total": "事故起数控制指标(起)",
    "accidents_general": "一般事故起数控制指标(起)",
    "accidents_larger": "较大事故起数控制指标(起)",
    "accidents_major": "重大事故起数控制指标(起,零控制)",
    "accidents_extra_major": "特别重大事故起数控制指标(起,零控制)",
    "intelligent_faces": "建成智能化采掘工作面(处)",
    "green_pilot_mines": "省级绿色开采试点煤矿(座)",
    "intelligent_demo_mines": "智能化示范矿井(座)",
}
NOTICE_SECTIONS = {s: f"第{s}条" for s in ("一", "二", "三", "四", "五", "六")}

TASK_STATUSES = {"not_started": "未启动", "in_progress": "推进中", "completed": "已完成",
                 "overdue": "逾期"}
HAZARD_STATES = {"pending": "待整改", "in_progress": "整改中", "awaiting_acceptance": "待验收",
                 "closed": "已销号"}
HAZARD_LEVELS = {"general": "一般隐患", "major": "重大隐患"}
HAZARD_SOURCES = {"self_check": "企业自查", "enforcement": "执法检查", "expert": "专家服务",
                  "report": "举报", "assigned": "上级交办"}
HAZARD_CATEGORIES = {"equipment": "设备设施", "environment": "作业环境", "management": "安全管理",
                     "behaviour": "人员行为"}

FACE_STAGES = {"planned": "计划", "construction": "建设中", "self_assessed": "自评达标",
               "applied": "申报", "evaluated": "评定", "accepted": "通过(建成)"}
FACE_TYPES = {"mining": "综采", "heading": "掘进"}
PROGRAMMES = {"green_pilot": "绿色开采试点", "intelligent_demo": "智能化示范矿井"}

SITE_KINDS = {"warehouse": "物资储备库", "team": "救援队伍", "shelter": "避难场所",
              "depot": "装备库"}
SITE_SUBKINDS = {
    "physical": "实物储备", "agreement": "协议储备", "capacity": "产能储备",
    "fire_rescue": "国家综合性消防救援", "forest_fire": "森林消防", "mine_rescue": "矿山专业队",
    "hazchem_rescue": "危化专业队", "local_professional": "地方专业队", "enterprise": "企业专职队",
    "township": "乡镇半专业队", "social": "社会应急力量", "aviation": "航空救援", "pla": "解放军·武警",
    "emergency": "应急避难场所", "equipment": "应急装备",
}
SITE_LEVELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级",
               "village": "村级", "enterprise": "企业"}
ITEM_CATEGORIES = {
    "drainage": "排水抢险", "plugging": "倒灌堵漏", "firefighting": "灭火", "rescue": "破拆救援",
    "detection": "侦检探测", "communication": "通信指挥", "power_lighting": "电力照明",
    "living": "生活保障", "medical": "医疗救护", "protection": "个人防护", "engineering": "工程机械",
}

LEADERSHIP_KINDS = {"meeting": "研究安全生产工作会议", "grassroots_visit": "主要负责人深入基层"}
GAS_EVENT_KINDS = {"gas_over_limit": "瓦斯超限", "outburst": "煤与瓦斯突出"}
OIL_GAS_RISK_LEVELS = {"high": "高风险", "higher": "较高风险", "moderate": "一般风险",
                       "low": "低风险"}
HAZARD_SOURCE_EVENT_KINDS = {"training": "包保责任人培训", "inspection": "执法检查"}
DRILL_KINDS = {"comprehensive": "综合性演练", "special": "专项演练", "tabletop": "桌面推演"}
CYBER_SEVERITIES = {"general": "一般", "larger": "较大", "major": "重大", "extra_major": "特别重大"}

# The scorecard's measures (data_access/measures.py) and the name each has when a year's plan
# does not name it; the rules a plan line may judge a measure by.
PLAN_MEASURES = {
    "major_accidents": "重特大事故",
    "larger_accidents": "较大事故",
    "general_accidents": "一般事故",
    "accident_deaths": "死亡人数",
    "monthly_meetings": "每月研究安全生产会议(≥1次)",
    "leader_visits": "主要负责人每月深入基层(≥2次)",
    "gas_over_limit": "煤矿瓦斯超限",
    "coal_outburst": "煤层突出",
    "oil_gas_high_risk": "高风险、较高风险油气储存企业",
    "mhs_training": "重大危险源包保责任人培训覆盖率",
    "mhs_inspection": "重大危险源执法检查覆盖率",
    "inspection_plan": "年度监督检查计划完成率",
    "risk_census": "自然灾害综合风险普查完成度",
    "comprehensive_drills": "市县综合性演练开展率(≥1次/年)",
    "township_staffing": "乡镇(街道)配备≥3名人员",
    "hazchem_commitment": "危化监测预警:安全承诺率",
    "hazchem_connection": "危化监测预警:接入率",
    "hazchem_online": "危化监测预警:在线率",
    "hazchem_alarm_clearance": "危化监测预警:消警率",
    "hazchem_alarms_over_24h": "危化监测预警:超24小时未消警",
    "standardization": "企业标准化达到要求等级(现状)",
    "cyber_incidents": "较大及以上网络安全事件",
    "intelligent_faces": "建成智能化采掘工作面",
    "hazard_closure": "本年发现隐患销号率",
}
PLAN_RULES = {"rate": "比率", "progress": "按时间进度", "annual": "每年一次按期限", "zero": "不超过",
              "control": "控制指标"}
# Kinds of measure (data_access/measures.py): the groups a year without a plan shows.
MEASURE_KINDS = {"control": "事故控制指标", "ratio": "覆盖率与完成率", "obligation": "各单位履职情况",
                 "zero_count": "零控制事项", "indicator": "对照年度指标"}  # accident control first

STANDARD_GRADES = {1: "一级", 2: "二级", 3: "三级"}
REQUIRED_STANDARD_GRADES = {2: "二级", 3: "三级"}
HAZARD_SOURCE_GRADES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

# (table, column) → allowed codes and their labels. A value outside its list is an unknown code.
CODED_COLUMNS: dict[tuple[str, str], dict] = {
    ("units", "kind"): UNIT_KINDS,
    ("enterprises", "std_grade"): STANDARD_GRADES,
    ("enterprises", "required_std_grade"): REQUIRED_STANDARD_GRADES,
    ("accidents", "grade"): GRADES,
    ("targets", "metric"): TARGET_METRICS,
    ("targets", "direction"): TARGET_DIRECTIONS,
    ("key_tasks", "notice_section"): NOTICE_SECTIONS,
    ("hidden_dangers", "source"): HAZARD_SOURCES,
    ("hidden_dangers", "level"): HAZARD_LEVELS,
    ("hidden_dangers", "category"): HAZARD_CATEGORIES,
    ("mine_milestones", "programme"): PROGRAMMES,
    ("working_faces", "face_type"): FACE_TYPES,
    ("resource_sites", "kind"): SITE_KINDS,
    ("resource_sites", "subkind"): SITE_SUBKINDS,
    ("resource_sites", "level"): SITE_LEVELS,
    ("resource_items", "category"): ITEM_CATEGORIES,
    ("leadership_activities", "kind"): LEADERSHIP_KINDS,
    ("coal_gas_events", "kind"): GAS_EVENT_KINDS,
    ("oil_gas_storage_assessments", "risk_level"): OIL_GAS_RISK_LEVELS,
    ("major_hazard_sources", "hazard_grade"): HAZARD_SOURCE_GRADES,
    ("major_hazard_source_events", "kind"): HAZARD_SOURCE_EVENT_KINDS,
    ("drills", "kind"): DRILL_KINDS,
    ("cyber_incidents", "severity"): CYBER_SEVERITIES,
    ("plan_lines", "measure"): PLAN_MEASURES,
    ("plan_lines", "rule"): PLAN_RULES,
}
