"""Every Chinese word the UI shows, in one place, keyed by the English codes the database and
the code use. Sector and unit names come from the database itself (tables `sectors`, `units`).
"""

from __future__ import annotations

APP_TITLE = "长治市应急管理局 安全生产态势感知"
SAMPLE_BADGE = "示例数据"
SAMPLE_BADGE_HELP = "当前连接的是内置示例数据库:县区名称与代码真实,企业、煤矿、点位、人员和数字均为虚构。"
CITY_NAME = "全市"

GRADES = {"extra_major": "特别重大", "major": "重大", "larger": "较大", "general": "一般"}
GRADE_ORDER = ("extra_major", "major", "larger", "general")

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

# Column headers of tables and downloads.
COLUMNS = {
    "id": "编号", "code": "编号", "occurred_at": "发生时间", "unit_code": "县区", "unit": "县区",
    "enterprise": "发生单位", "sector_code": "行业领域", "sector": "行业领域", "grade": "事故等级",
    "deaths": "死亡人数", "serious_injuries": "重伤人数", "direct_loss_wan": "直接经济损失(万元)",
    "summary": "事故简况", "accidents": "事故起数", "month": "月份",
    "title": "任务名称", "lead_department": "牵头科室", "responsible_units": "责任单位",
    "deadline": "完成时限", "progress_pct": "进度(%)", "note": "最新进展", "reported_on": "报送日期",
    "status": "状态", "completed_on": "完成日期", "notice_section": "通知条目",
    "found": "发现隐患", "closed": "已销号", "open": "未销号", "overdue": "超期未整改",
    "closure_rate": "销号率", "major": "重大隐患", "major_open": "重大隐患未销号",
    "major_open_not_double_reported": "未完成双报告",
    "found_on": "发现日期", "source": "来源", "level": "等级", "category": "类型",
    "description": "隐患描述", "measure": "整改措施", "responsible_person": "责任人",
    "state": "状态", "closed_on": "销号日期", "regulator_reported_on": "报监管部门",
    "congress_reported_on": "报职代会",
    "mine": "煤矿", "planned": "计划", "accepted": "已建成", "late": "逾期未建成",
    "stage": "阶段", "face_type": "类型", "faces": "工作面数", "name": "名称",
    "planned_on": "计划日期", "achieved_on": "完成日期", "programme": "类别",
    "kind": "类别", "subkind": "细类", "sites": "点位数", "headcount": "队伍人数",
    "capacity": "容纳人数", "area_m2": "面积(平方米)", "contact_role": "联系人岗位",
    "last_checked_on": "最近检查", "check_overdue": "检查超期", "item": "物资装备",
    "quantity": "数量", "uom": "单位", "lat": "纬度", "lon": "经度",
}

# Messages for people; never a traceback.
MESSAGES = {
    "db_unreachable": "无法连接业务数据库。请检查数据库服务是否运行、网络是否可达,稍后刷新本页。"
                      "如持续出现,请联系科技和信息化科。",
    "db_not_initialised": "数据库中缺少以下数据表:{tables}。请先按 README 初始化数据库结构并导入数据。",
    "db_empty_tables": "以下数据表暂无数据,相关指标显示为“无数据”:{tables}。",
    "config_invalid": "数据库配置文件 .streamlit/secrets.toml 格式有误,无法读取。请按 README 修正。",
    "page_failed": "本页面暂时无法显示(已记录错误日志)。其他页面不受影响,请稍后刷新或联系科技和信息化科。",
    "query_failed": "查询数据库时出错(已记录错误日志)。请稍后刷新;如持续出现,请联系科技和信息化科。",
    "no_data": "所选范围内暂无数据。",
    "target_not_set": "未设定",
}

TABLE_NAMES = {
    "units": "单位", "sectors": "行业领域", "accidents": "生产安全事故", "targets": "目标与控制指标",
    "key_tasks": "重点任务清单", "hidden_dangers": "隐患台账", "coal_mines": "煤矿",
    "working_faces": "智能化采掘工作面", "resource_sites": "应急资源点位",
}
