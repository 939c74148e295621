"""Every Chinese word the UI shows, in one place, keyed by the English codes the database and
the code use. Sector and unit names come from the database itself (tables `sectors`, `units`).
"""

from __future__ import annotations

from data_access import vocab

APP_TITLE = "长治市应急管理局 安全生产态势感知"
SAMPLE_BADGE = "示例数据"
SCREEN_LINK = (":material/tv: [会议室大屏](/?kiosk=1)  \n"
               ":gray[全屏轮播各页面,每30秒切换、每5分钟刷新数据;浏览器按 F11 全屏。]")
SAMPLE_BADGE_HELP = "当前连接的是内置示例数据库:县区名称与代码真实,企业、煤矿、点位、人员和数字均为虚构。"
CITY_NAME = "全市"
# What an emptied selectbox shows while the user types to search it (Streamlit's: English).
CHOOSE = "请选择或输入"

# The data model's code lists (shared with the import and the data-quality checks).
GRADES, GRADE_ORDER = vocab.GRADES, vocab.GRADE_ORDER
TASK_STATUSES, HAZARD_STATES = vocab.TASK_STATUSES, vocab.HAZARD_STATES
HAZARD_LEVELS, HAZARD_SOURCES = vocab.HAZARD_LEVELS, vocab.HAZARD_SOURCES
HAZARD_CATEGORIES = vocab.HAZARD_CATEGORIES
FACE_STAGES, FACE_TYPES, PROGRAMMES = vocab.FACE_STAGES, vocab.FACE_TYPES, vocab.PROGRAMMES
SITE_KINDS, SITE_SUBKINDS, SITE_LEVELS = vocab.SITE_KINDS, vocab.SITE_SUBKINDS, vocab.SITE_LEVELS
ITEM_CATEGORIES = vocab.ITEM_CATEGORIES

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
    "schema_behind": "数据库结构版本({revision})比本程序要求的版本({head})旧。请系统管理员先升级数据库结构:"
                     "make migrate DATABASE_URL=<数据库地址>,完成后刷新本页。",
    "schema_ahead": "数据库结构版本({revision})比本程序新,本程序版本较旧(支持到 {head})。"
                    "请升级本程序后再使用。",
    "schema_missing_columns": "数据库中的数据表缺少本程序需要的列:{columns}。请系统管理员补齐这些列"
                              "(如为视图,请在视图中加上这些列)后刷新本页。",
    "no_revision": "无",
    "db_empty_tables": "以下数据表暂无数据,相关指标显示为“无数据”:{tables}。",
    "config_invalid": "数据库配置文件 .streamlit/secrets.toml 格式有误,无法读取。请按 README 修正。",
    "sample_invalid": "示例数据文件(sample_data/csv)有 {count} 处问题,未建立示例数据库。第一处:{first}。"
                      "请恢复原文件或运行 make sample 重新生成。",
    "page_failed": "本页面暂时无法显示(已记录错误日志)。其他页面不受影响,请稍后刷新或联系科技和信息化科。",
    "query_failed": "查询数据库时出错(已记录错误日志)。请稍后刷新;如持续出现,请联系科技和信息化科。",
    "db_auth_failed": "业务数据库拒绝登录:数据库地址中的用户名或密码不正确,或该账号无权访问这个数据库。"
                      "请系统管理员核对环境变量 DATABASE_URL 或 .streamlit/secrets.toml 中的账号和密码,"
                      "修正后刷新本页。",
    "db_missing": "数据库服务器上没有数据库地址中指定的数据库(库名有误,或尚未建库)。"
                  "请系统管理员核对库名,或按 README 建库并导入数据后刷新本页。",
    "driver_missing": "服务器上没有安装连接这种数据库所需的驱动程序({driver})。请系统管理员安装依赖"
                      "(pip install -r requirements.txt)或改正数据库地址中的驱动名称,然后重启本程序。",
    "table_missing": "数据库中缺少数据表{table},这一部分无法显示,页面其他部分不受影响。"
                     "请系统管理员检查数据库结构(make check-db)并补齐后刷新。",
    "column_missing": "数据库中的数据表{table}缺少列 {column},这一部分无法显示,页面其他部分不受影响。"
                      "请系统管理员检查数据库结构(make check-db),补齐这一列(如为视图,请在视图中加上)后刷新。",
    "query_timeout": "数据库在 {seconds} 秒内没有返回结果(查询超时):数据库可能负载过高或暂时没有响应。"
                     "请稍后刷新;如持续出现,请联系科技和信息化科。",
    "section_failed": "这一部分暂时无法显示(已记录错误日志),页面其他部分不受影响。请稍后刷新或联系科技和信息化科。",
    "filters_failed": "筛选条件暂时无法显示(已记录错误日志),各页面按全市、最新数据显示。",
    "action_failed": "刚才的操作没有完成(已记录错误日志),请重试或刷新本页。",
    "tables_missing": "数据库中缺少以下数据表,用到它们的部分无法显示:{tables}。",
    "stale": "数据更新于 {time},数据库暂不可用",
    "queued": "当前访问人数较多,本页正在排队(第 {place} 位),请稍候…",
    "busy": "当前访问人数较多,{seconds} 秒内未能显示本页。请稍后刷新;如持续出现,请联系科技和信息化科。",
    "no_data": "所选范围内暂无数据。",
    "target_not_set": "未设定",
}

TABLE_NAMES = {
    "units": "单位", "sectors": "行业领域", "accidents": "生产安全事故", "targets": "目标与控制指标",
    "key_tasks": "重点任务清单", "hidden_dangers": "隐患台账", "coal_mines": "煤矿",
    "working_faces": "智能化采掘工作面", "resource_sites": "应急资源点位",
    "dataset_info": "数据集说明", "departments": "科室", "enterprises": "企业",
    "task_progress_reports": "重点任务进展", "mine_milestones": "试点示范煤矿建设节点",
    "resource_items": "应急物资装备", "resource_checks": "物资清点检查",
    "import_batches": "导入记录", "import_changes": "导入变更明细",
}

# ---- intelligent mining page (pages/mining.py) ----
MILESTONE_STATES = {"achieved": "按期完成", "achieved_late": "逾期完成", "overdue": "逾期未完成",
                    "due": "未到期"}
PROGRAMME_MINE_STATES = {"completed": "已完成全部节点", "behind": "滞后", "on_track": "正常推进",
                         "no_plan": "未报节点计划"}
FORECAST_OUTCOMES = {"met": "已完成年度目标", "on_track": "按当前进度年内可完成",
                     "behind": "按当前进度年内无法完成", "stalled": "近期无工作面通过,按当前进度无法完成",
                     "plan_short": "年度计划工作面数少于目标,无法完成", "no_target": "年度目标未设定"}
MINING_COLUMNS = {
    "days_late": "逾期天数", "planned_completion_on": "计划建成", "planned_on": "列入计划",
    "construction_started_on": "开工建设", "self_assessed_on": "自评达标", "applied_on": "申报",
    "evaluated_on": "评定", "accepted_on": "通过(建成)", "milestones": "节点数",
    "achieved": "已完成节点", "achieved_late": "其中逾期完成", "overdue": "逾期未完成节点",
    "next_milestone": "下一节点", "next_planned_on": "下一节点计划日期", "pending": "未到期未建成",
}

# ---- emergency resources page (issue 6) --------------------------------------------------
TEAM_TYPES = {"professional": "专业救援队伍", "semi_professional": "乡镇半专业队伍",
              "aviation": "航空救援", "social": "社会应急力量"}
RESOURCE_COLUMNS = {
    **COLUMNS, "unit": "所属单位", "kind": "类别", "subkind": "细类", "level": "级别",
    "category": "装备类别", "equipment": "重点装备", "distance_km": "直线距离(公里)",
    "number": "图上编号",
    "days_since_check": "距上次检查(天)", "problem": "问题", "size": "规模",
    "enterprise": "企业", "sites": "点位数", "rank": "序号",
}
RESOURCE_TEXT = {
    "all_categories": "全部装备类别",
    "legend_overdue": "清点检查超期(外圈)",
    "legend_nearest": "就近资源(编号同列表)",
    "legend_incident": "事发地点",
    "never_checked": "从未检查",
    "location_missing": "坐标缺失或无效",
    "location_outside": "坐标不在长治市范围内",
    "point_invalid": "请输入有效的纬度和经度数字。",
    "point_outside": "坐标(纬度 {lat},经度 {lon})不在长治市 12 个县区范围内,请核对。",
    "point_swapped": "坐标(纬度 {lat},经度 {lon})不在长治市范围内;经纬度似乎填反了,"
                     "请把约 36 的值填入纬度、约 113 的值填入经度。",
    "cell_label": "汇总点",
    "cell_extent": "约 3 公里范围内",
    "cell_hint": "选择县区可逐个查看点位",
    "cell_equipment": "选择县区后逐个点位显示",
    "gathered": "全市共 {n:,} 个点位,地图按约 3 公里范围汇总显示(标记越大,点位越多);"
                "在侧栏选择县区可逐个查看点位。",
    "no_site_selected": "在地图上点击一个点位,或从下拉列表中选择,查看其物资装备清单。",
    "no_items": "该点位暂无物资装备记录。",
    "no_nearest": "所查范围内没有符合条件的救援队伍、储备库或装备库。",
    "misplaced": "数据质量提示:{n} 个点位的坐标缺失、无效或不在长治市范围内,未画在地图上,请核对:",
    "basemap_note": "未配置底图:地图只显示本地县区轮廓(离线可用)。",
    "basemap_configured": "底图:已配置的自建/天地图样式;若无法访问,县区轮廓仍可显示。",
}

# ---- special rectification page (issue 4) ------------------------------------------------
HAZARD_SCOPE_LABELS = {
    "overdue": "超期未整改", "major_open": "重大隐患未销号", "not_double_reported": "重大隐患未完成双报告",
    "carried_over": "往年结转未销号", "open": "本年发现未销号", "found": "本年发现",
    "closed": "本年发现已销号", "closed_in_period": "本年销号(按销号日期,含往年发现)",
    "age_current": "未销号·未超期", "age_1_30": "未销号·超期1–30天",
    "age_31_90": "未销号·超期31–90天", "age_over_90": "未销号·超期90天以上",
}
HAZARD_AGE_LABELS = {"age_current": "未超期", "age_1_30": "超期1–30天",
                     "age_31_90": "超期31–90天", "age_over_90": "超期90天以上"}
RECTIFICATION_COLUMNS = {
    **COLUMNS, "code": "编号", "sector": "行业领域", "unit": "县区", "lead_department": "牵头科室",
    "progress_pct": "进度(%)", "expected_pct": "时间进度(%)", "note": "最新进展",
    "reported_on": "最近报送", "days_overdue": "超期天数", "double_report": "双报告",
    "closure_rate": "销号率(%)", "enterprise": "企业", "description": "隐患描述",
    "rectify_deadline": "整改期限",
}
RECTIFICATION_TEXT = {
    "tasks_tab": "重点任务清单", "hazards_tab": "隐患排查治理",
    "due_soon_rule": "临期:未完成、完成时限在今后14天内(含当天),且最近一次报送的进度低于时间进度"
                     "(计划开始日至完成时限已过去的比例)。",
    "status_rule": "状态按截至日期推算:截至当日已报送100%进度为“已完成”(完成时限当天完成算按期);"
                   "否则过了完成时限为“逾期”(到期当天不算逾期);尚无进度为“未启动”,其余为“推进中”。"
                   "截至日期之后的报送不计入。",
    "tasks_city_wide": "重点任务清单为全市清单,不随左侧“单位”筛选。",
    "hazard_rule": "本年指标按 1 月 1 日至截至日期发现的隐患统计;销号率 = 已销号 ÷ 发现;"
                   "超期未整改 = 截至日期仍未销号且已过整改期限(到期当天不算超期);"
                   "双报告 = 截至日期前已向监管部门和职工(代表)大会报告。"
                   "往年结转未销号为往年发现、截至日期仍未销号的隐患,单独列示,不计入本年指标。",
    "drill_hint": "点击上方图中的柱形,可直接列出其背后的隐患;也可在此选择。",
    "truncated": "共 {total} 项,表中按{order}显示前 {shown} 项;下载内容与表中相同。",
    "listed": "共 {total} 项,按{order}排列。",
    "by_deadline": "整改期限由早到晚", "by_signoff": "销号日期由近到远",
    "no_tasks": "所选条件下没有重点任务。",
    "none_this_week": "无",
    "all": "全部",
}

# ---- 事故控制 (accident control page) ----
ACCIDENT_TEXT = {
    "status_rule": "颜色规则(年度控制指标,均为“不超过”):重特大事故零控制,发生即为红色“超标”;"
                   "未设定指标为灰色“未设定”(不等于0);已超过全年指标为红色“超标”;"
                   "指标使用率(已发生 ÷ 全年指标)高于时间进度为红色“超进度”;"
                   "高于时间进度的90%为黄色“预警”;其余为绿色“正常”。"
                   "时间进度 = 截至日期是全年第几天 ÷ 全年天数。",
    "grade_rule": "核定等级按《生产安全事故报告和调查处理条例》(国务院令第493号)第三条:"
                  "死亡、重伤(含急性工业中毒)、直接经济损失任一项达到即为该等级,取最高者;"
                  "“以上”包括本数。页面上的起数按填报等级统计。",
    "scope_help": "单位:点击“各单位”图中的柱形,或在左侧“单位”中选择,二者是同一个筛选;"
                  "行业:点击“各行业”图中的柱形,或在此选择。所选内容会写入页面链接,复制链接即可分享当前视图。"
                  "选择后,顶部指标、累计趋势和事故明细只统计所选单位和行业;两张对比图始终显示全市,所选项加框突出。",
    "by_unit_caption": "全市各单位死亡控制指标使用率,按严重程度排序;竖虚线为时间进度,点线为指标的100%;灰色斜纹为未设定指标的单位(右侧为死亡人数)。点击柱形可钻取,再次点击取消。",
    "by_sector_caption": "全市分行业死亡控制指标使用率(行业指标为全市口径);竖虚线为时间进度,点线为指标的100%;灰色斜纹为未设定指标的行业(右侧为死亡人数)。点击柱形可钻取,再次点击取消。",
    "week_caption": "周变化:与上次周调度({previous})相比;“本周新增”为{span}新增。",
    "quality_note": "数据质量提示:{count}起事故的填报等级与按条例核定的等级不一致(上方起数按填报等级统计),请核实:",
    "quality_item": "{code}({date},{unit}):填报{reported},按条例应为{rule}"
                    "(死亡{deaths}人、重伤{injuries}人、直接经济损失{loss}万元)",
    "quality_more": "另有{count}起,见下表“等级核对”列。",
    "regrade": "另有{count}起按条例应为{grade},待核",
    "quality_pointer": "{count}起事故的填报等级与按条例核定的等级不一致,见下方“事故明细”。",
    "grade_mismatch": "不符:应为{rule}",
    "list_caption": "共{count}起,按发生时间由近到远排列。",
    "list_truncated": "共{count}起,表中显示最近{shown}起;下载内容与表中相同。",
    "all_sectors": "全部行业",
    "reset": "恢复全市、全部行业",
    "chart_tab": "图表", "table_tab": "明细表",
    "progress_caption": "时间进度 {progress}({date}为全年第{day}天,共{days}天)",
    "same_period": "较去年同期",
    "last_year": "去年同期 {value}",
    "indicator": "控制指标 {value}",
    "used_share": "已用 {share}",
    "deaths_used": "死亡控制指标已用 {share}({used}/{limit}人)",
    "deaths_unset": "死亡控制指标 未设定",
    "time_used": "时间进度 {share}",
}
ACCIDENT_CONTROL_COLUMNS = {
    "name": "名称", "used_deaths": "死亡(人)", "limit_deaths": "死亡指标(人)",
    "share_deaths": "指标使用率", "status_deaths": "状态", "week_deaths": "本周新增死亡",
    "week_share_deaths": "使用率周变化(百分点)", "previous_status_deaths": "上周状态",
    "used_accidents": "事故(起)", "limit_accidents": "起数指标(起)",
    "share_accidents": "起数使用率", "status_accidents": "起数状态",
}
ACCIDENT_LIST_COLUMNS = {
    "code": "事故编号", "occurred_at": "发生时间", "unit": "县区", "enterprise": "发生单位",
    "sector": "行业领域", "grade": "事故等级(填报)", "rule_grade": "核定等级",
    "grade_check": "等级核对", "deaths": "死亡人数", "serious_injuries": "重伤人数",
    "direct_loss_wan": "直接经济损失(万元)", "summary": "事故简况",
}

# ---- Overview: headline tiles and the scorecard of the notice's quantified targets ----------
NAV_TEXT = {
    "not_found_title": "页面不存在",
    "not_found": "地址“/{path}”没有对应的页面。请从左侧菜单选择页面,或返回总览。",
    "to_overview": "返回总览",
}
OVERVIEW_TEXT = {
    "title": "态势总览",
    "tile_accidents": "事故控制", "tile_rectification": "专项整治",
    "tile_mining": "智能化建设", "tile_resources": "应急资源",
    "accidents": "事故起数", "deaths": "死亡人数",
    "deaths_indicator": "死亡控制指标 {limit}人,已用 {share}", "deaths_unset": "死亡控制指标 未设定",
    "larger_accidents": "其中较大事故 {count}起",
    "tasks_done": "重点任务完成", "tasks_overdue": "逾期 {count}项",
    "closure_rate": "隐患销号率", "hazards_overdue": "超期未整改 {count}项",
    "faces_built": "智能化工作面建成", "faces_target": "年度目标 {target}处,完成 {share}",
    "faces_target_unset": "年度目标 未设定", "faces_late": "逾期未建成",
    "sites": "应急资源点位", "teams": "救援队伍 {teams}支 · {headcount}人",
    "checks_overdue": "物资检查超期",
    "details": "查看详情",
    "scorecard": "年度工作目标记分卡",
    "scorecard_caption": "对照《{title}》中的量化目标;较上周 = 与{previous}相比。"
                         "鼠标停在一行上可看该行的口径和判定规则。",
    "no_plan": "{year}年尚未录入年度工作通知:下表只列出数据能计算的口径及其数值,不作判定。"
               "数据管理员可在“数据管理”页导入当年的通知(见 docs/annual-plan.md)。",
    "compare_last_year": "与上年同期对比",
    "compare_caption": "本年记分卡({as_of})与上年同日({last})按计算口径对照;上年通知没有的指标为“—”。",
    "carried_over": "跨年结转",
    "monitoring_by_unit": "危化品安全风险监测预警系统:分单位情况(本周报 {week})",
    "monitoring_none": "所选范围内没有截至该日一周内的监测周报。",
    "rules_help": "判定规则说明",
    "rules_colours": "颜色:达标为绿色,未到期为蓝色,预警为黄色,未达标为红色,无数据为灰色。各行口径见鼠标悬停提示及 docs/scorecard.md。",
}
SCORECARD_STATUSES = {"met": "达标", "pending": "未到期", "warning": "预警", "missed": "未达标",
                      "no_data": "无数据"}
CARRIED_OVER = {  # data_access.carryover: earlier years' unfinished work, not in this year's counts
    "faces": "往年结转:往年计划未建成的工作面{carried}处,本年已建成{built}处(不计入本年度计划)。",
    "tasks": "往年结转:往年清单中未完成的重点任务{carried}项,本年已完成{completed}项(不计入本年清单)。",
}
SCORECARD_COMPARE_HEADERS = {"name": "指标", "value": "本年值", "target": "本年目标",
                             "status": "本年状态", "last_value": "上年同期值",
                             "last_target": "上年目标", "last_status": "上年同期状态"}
SCORECARD_HEADERS = {"name": "指标", "value": "当前值", "target": "目标", "status": "状态",
                     "change": "较上周", "previous_status": "上周状态"}
SCORECARD_LINES = vocab.PLAN_MEASURES  # a measure's name where the year's plan names none
SCORECARD_DEFINITIONS = {
    "major_accidents": "1月1日至统计日发生的重大、特别重大生产安全事故起数。零控制(坚决遏制重特大事故):发生即超标。",
    "larger_accidents": "1月1日至统计日发生的较大生产安全事故起数,对照本年较大事故控制指标。",
    "general_accidents": "1月1日至统计日发生的一般生产安全事故起数,对照本年一般事故控制指标。",
    "accident_deaths": "1月1日至统计日生产安全事故死亡人数,对照本年死亡人数控制指标。",
    "monthly_meetings": "本年已结束的月份中,各单位(市局、各县区、高新区、经开区)当月至少召开1次研究安全生产工作会议的“单位·月”占比。",
    "leader_visits": "本年已结束的月份中,各单位主要负责人当月至少2次深入基层指导检查的“单位·月”占比。",
    "gas_over_limit": "1月1日至统计日煤矿瓦斯超限次数(瓦斯“零超限”)。所选范围没有煤矿时为无数据。",
    "coal_outburst": "1月1日至统计日煤与瓦斯突出次数(煤层“零突出”)。所选范围没有煤矿时为无数据。",
    "oil_gas_high_risk": "统计日最近一次评估为高风险或较高风险的油气储存企业数(动态“清零”)。所选范围没有评估记录时为无数据。",
    "mhs_training": "统计日已备案的重大危险源中,包保责任人在本年内已接受培训的占比(全覆盖培训)。",
    "mhs_inspection": "统计日已备案的重大危险源中,本年内已接受执法检查的占比(全覆盖执法检查)。",
    "inspection_plan": "各单位截至统计日最近一次报送的年内累计完成检查次数 ÷ 年度计划检查次数。",
    "risk_census": "各县区截至统计日最近一次报送的调查与评估完成进度的平均值(未报送的县区按0计)。",
    "comprehensive_drills": "市级和各县区(不含功能区)中,本年内已组织至少1次综合性演练的单位占比。",
    "township_staffing": "各乡镇(街道)截至统计日最近一次报送的安全生产和应急管理工作人员不少于3名的占比。",
    "hazchem_commitment": "统计日前7天内最新一期周报:按时发布安全承诺公告的企业·日 ÷ 应发布的企业·日。",
    "hazchem_connection": "最新一期周报:已接入监测预警系统的重大危险源 ÷ 应接入的重大危险源。",
    "hazchem_online": "最新一期周报:在线监测点位 ÷ 已接入监测点位。",
    "hazchem_alarm_clearance": "最新一期周报:本周报警中已消警的条数 ÷ 本周报警条数。",
    "hazchem_alarms_over_24h": "最新一期周报中超过24小时仍未消警的报警条数。",
    "standardization": "企业持有的安全生产标准化等级达到应达等级(规定企业二级及以上,其他企业三级)的占比。企业台账只记录当前等级,不随统计日变化,也没有上周对比。",
    "cyber_incidents": "1月1日至统计日发生的较大、重大、特别重大网络安全事件起数(一般事件不计)。",
    "intelligent_faces": "1月1日至统计日通过(建成)的智能化采掘工作面处数,对照年度工作通知的目标处数。",
    "hazard_closure": "1月1日至统计日发现的隐患中,截至统计日已验收销号的占比。",
}
SCORECARD_RULES = {
    "rate": "判定:达到100%为达标;95%至100%之间为预警;低于95%为未达标;无可计算对象为无数据。",
    "progress": "判定(年底前应达到100%,按时间进度看):已达100%为达标;未达100%但不低于时间进度"
                "(统计日占全年天数的比例)为预警;低于时间进度为未达标;无可计算对象为无数据。",
    "annual": "判定(每年至少一次,12月31日前完成,按期限看而非时间进度):已达100%为达标;9月30日前"
              "未达100%为未到期(仍有时间完成);10月1日起(全年最后一个季度)仍未达100%为预警;12月31日"
              "仍未达100%为未达标;无可计算对象为无数据。",
    "zero": "判定(目标为0):0为达标;1及以上为未达标;所选范围无此类对象为无数据。",
    "control": "判定(控制指标,与事故控制页相同):超过指标为超标;指标使用率超过时间进度为超进度;"
               "超过时间进度的90%为预警;否则为正常;未设定指标为未设定。重特大事故零控制,发生即超标。",
}
SCORECARD_RULES_WITH_TARGET = {  # a plan's target other than 100% (rates) or 0 (zero lines)
    "rate": "判定(目标{target}):达到目标为达标;达到目标的95%但未达到为预警;更低为未达标;"
            "无可计算对象为无数据。",
    "progress": "判定(年底前应达到{target},按时间进度看):已达目标为达标;未达目标但不低于目标×时间进度"
                "(统计日占全年天数的比例)为预警;低于时间进度为未达标;无可计算对象为无数据。",
    "annual": "判定(每年至少一次,12月31日前应达到{target},按期限看):已达目标为达标;9月30日前未达目标"
              "为未到期;10月1日起仍未达目标为预警;12月31日仍未达目标为未达标;无可计算对象为无数据。",
    "zero": "判定(不超过{target}):不超过为达标;超过为未达标;所选范围无此类对象为无数据。",
}
SCORECARD_NO_DATA = {  # why a line reads 无数据 (data_access.scorecard reason codes)
    "no_plan": "本年度尚未录入年度工作通知,只显示可计算的数值,不作判定",
    "bad_rule": "年度工作通知中该指标的判定规则不适用",
    "nothing_to_measure": "统计范围内没有可计算的对象或报送记录",
}
SCORECARD_TEXT = {
    "expected": "应达 {share}", "used": "已用 {share}", "time": "时间进度 {share}",
    "not_set": "未设定", "no_history": "无历史", "unchanged": "持平",
    "points": "个百分点", "no_value": "—", "missing_tables": "缺少数据表:{tables}",
}
SCORECARD_TABLE_NAMES = {
    "leadership_activities": "安全生产会议与深入基层记录", "coal_gas_events": "煤矿瓦斯事件",
    "oil_gas_storage_assessments": "油气储存企业风险评估", "major_hazard_sources": "重大危险源",
    "major_hazard_source_events": "重大危险源培训与检查", "inspection_plans": "年度监督检查计划",
    "inspection_progress": "监督检查计划执行进度", "risk_census_progress": "风险普查进度",
    "drills": "应急演练", "townships": "乡镇(街道)", "township_staffing": "乡镇应急人员配备",
    "hazchem_monitoring_weekly": "危化品监测预警周统计", "cyber_incidents": "网络安全事件",
}
MONITORING_COLUMNS = {
    "unit": "单位", "commitment_rate": "安全承诺率", "connection_rate": "接入率",
    "online_rate": "在线率", "clearance_rate": "消警率", "alarms": "本周报警(条)",
    "alarms_over_24h": "超24小时未消警(条)",
}

# ---- weekly review ("本周变化") and the weekly brief (issue 8) ------------------------------
DRILL_KINDS = vocab.DRILL_KINDS
WEEKLY_CHANGES = {"completed": "完成", "newly_overdue": "新增逾期", "opened": "新增",
                  "closed": "销号"}
WEEKLY_TEXT = {
    "title": "本周变化({start}—{end})",
    "since": "与上次周调度({previous})相比;本周指{span}。",
    "none": "无", "more": "另有 {count} 项", "no_enterprise": "发生单位不详",
    "accidents": "新增事故 {accidents}起、死亡 {deaths}人",
    "tasks": "重点任务:本周完成 {completed}项、新增逾期 {overdue}项",
    "tasks_city": "重点任务清单为全市清单,不随左侧“单位”筛选。",
    "hazards": "隐患:本周发现 {found}项、销号 {closed}项",
    "major": "重大隐患:新增 {opened}项、销号 {closed}项",
    "faces": "智能化工作面:本周通过 {faces}处",
    "late": "比计划晚{days}天",
    "milestones": "试点/示范矿井建设节点:本周完成 {count}个",
    "drills": "应急演练 {count}次",
    "checks": "物资清点检查 {checked}处,检查新超期 {overdue}处",
    "scorecard": "记分卡:{count}项状态变化",
    "status_change": "{name}:{before} → {after}(当前 {value})",
    "completed": "【完成】", "newly_overdue": "【新增逾期】", "opened": "【新增】", "closed": "【销号】",
    "headline_rectification": "任务完成 {completed}项、新增逾期 {overdue}项;重大隐患新增 {opened}项、销号 {closed}项",
    "headline_overview": "新增事故 {accidents}起、死亡 {deaths}人;记分卡 {changed}项状态变化",
    "download_docx": "下载周报(Word)", "download_xlsx": "下载周报数据(Excel)",
    "download_help": "按当前“数据截至”日期和单位生成本周周报(含记分卡、本周变化和重点图表),生成约需10秒。",
}
BRIEF_TEXT = {
    "title": "长治市应急管理局安全生产态势周报",
    "issuer": "长治市应急管理局",
    "period": "（{start}—{end}）",
    "byline": "数据截至{as_of}　　统计范围：{scope}　　上次周调度：{previous}",
    "sample_label": "【示例数据】",
    "not_sample": "业务数据",
    "h1": "一、总体情况", "h2": "二、目标完成情况", "h3": "三、本周变化", "h4": "四、重点图表",
    "sub": {"accidents": "（一）生产安全事故", "tasks": "（二）专项整治重点任务",
            "hazards": "（三）隐患排查治理", "mining": "（四）智能化建设",
            "resources": "（五）应急准备", "scorecard": "（六）目标状态变化"},
    "summary": "截至{as_of}，{scope}今年共发生生产安全事故{accidents}起、死亡{deaths}人{deaths_part}{regrade_part}；"
               "本周（{start}至{end}）新增事故{week_accidents}起、死亡{week_deaths}人。"
               "专项整治重点任务共{tasks}项，已完成{completed}项、逾期{overdue}项，"
               "本周完成{week_completed}项、新增逾期{week_overdue}项。"
               "今年发现隐患{found}项，销号率{closure}，超期未整改{hazards_overdue}项；"
               "本周发现隐患{week_found}项、销号{week_closed}项，其中新增重大隐患{major_opened}项、"
               "重大隐患销号{major_closed}项。"
               "智能化采掘工作面已建成{faces}处{faces_part}，本周通过{week_faces}处。"
               "年度工作目标记分卡{lines}项中，达标{met}项、未到期{pending}项、预警{warning}项、未达标{missed}项、"
               "无数据{no_data}项，本周{changed}项状态发生变化。",
    "deaths_share": "，占全年死亡控制指标的{share}（时间进度{progress}）",
    "deaths_unset": "（死亡控制指标未设定）",
    "faces_part": "（年度目标{target}处，完成{share}）",
    "table_key": "表1　主要指标",
    "items": {"accidents": "生产安全事故", "deaths": "死亡人数", "larger_accidents": "较大及以上事故",
              "tasks_completed": "重点任务完成", "tasks_overdue": "重点任务逾期",
              "hazards_found": "发现隐患", "hazards_closed": "隐患销号",
              "major_opened": "发现重大隐患", "major_closed": "重大隐患销号",
              "faces": "智能化工作面建成", "drills": "应急演练"},
    "limit": "控制指标{limit}，已用{share}（时间进度{progress}），{status}",
    "limit_unset": "控制指标未设定",
    "zero_controlled": "重大、特别重大事故零控制",
    "tasks_note": "全市清单共{total}项",
    "city_wide": "本周栏为新增逾期",
    "closure_note": "本年发现隐患销号率{rate}，超期未整改{overdue}项",
    "closed_note": "按销号日期统计（含往年发现）",
    "major_open_note": "本年发现的重大隐患未销号{open}项",
    "faces_target": "年度目标{target}处，完成{share}",
    "faces_target_unset": "年度目标未设定",
    "scorecard_intro": "对照《{title}》中的量化目标共{lines}项：达标{met}项、未到期{pending}项、"
                       "预警{warning}项、未达标{missed}项、无数据{no_data}项；与上次周调度（{previous}）"
                       "相比，{changed}项状态发生变化。",
    "scorecard_intro_no_plan": "{year}年尚未录入年度工作通知,以下{lines}项为数据能计算的口径及其数值,"
                               "不作判定。",
    "table_scorecard": "表2　年度工作目标记分卡",
    "scorecard_rules": "注：",
    "week_accidents": "本周新增生产安全事故{accidents}起、死亡{deaths}人，明细如下。",
    "week_no_accidents": "本周未发生生产安全事故。",
    "week_tasks": "本周完成重点任务{completed}项，新增逾期{overdue}项（重点任务为全市清单）。",
    "week_hazards": "本周发现隐患{found}项、销号{closed}项；新增重大隐患{opened}项，重大隐患销号{major_closed}项。",
    "week_faces": "本周通过（建成）智能化采掘工作面{faces}处；绿色开采试点和智能化示范矿井完成建设节点{milestones}个。",
    "week_resources": "本周组织应急演练{drills}次；应急资源点位完成物资清点检查{checked}处，新增检查超期{overdue}处。",
    "week_scorecard": "与上次周调度（{previous}）相比，{changed}项目标状态发生变化。",
    "week_scorecard_none": "与上次周调度相比，各项目标状态均无变化。",
    "fig_control": "各单位死亡控制指标使用率（虚线为时间进度{progress}）",
    "fig_trend": "累计事故起数和死亡人数：本年与上年",
    "fig_faces": "智能化采掘工作面累计建成：计划、实际与预测",
    "fig_hazards": "隐患逐月发现与销号",
    "figure": "图{number}　{caption}",
    "charts_left_out": "（本版未附图表。）",
    "footnote": "说明：本周报由长治市应急管理局安全生产态势感知平台按数据库记录自动生成；"
                "“本周”指上次周调度次日至数据截至日（含当日）。表中数据详见同名Excel文件。",
    "about_fields": ["名称", "本周", "数据截至", "上次周调度", "统计范围", "数据来源"],
}
BRIEF_SHEETS = {
    "about": "说明", "key": "主要指标", "scorecard": "目标完成情况", "scorecard_changes": "目标状态变化",
    "accidents": "本周新增事故", "tasks": "本周重点任务变化", "hazards": "本周重大隐患变化",
    "faces": "本周通过工作面", "milestones": "本周完成建设节点", "drills": "本周应急演练",
    "unit_control": "各单位死亡控制指标", "monthly": "逐月数据",
}
BRIEF_COLUMNS = {
    "field": "项目", "value": "当前值", "item": "项目", "year": "本年累计", "week": "本周",
    "unit_word": "计量单位", "note": "说明",
    "section": "篇目", "code": "编号", "name": "指标", "target": "目标", "status": "本周状态",
    "change": "较上周", "previous_status": "上周状态", "raw_value": "当前值(数值)",
    "id": "编号", "occurred_at": "发生时间", "unit": "县区", "enterprise": "发生单位",
    "sector": "行业领域", "grade": "事故等级", "deaths": "死亡人数", "serious_injuries": "重伤人数",
    "direct_loss_wan": "直接经济损失(万元)", "summary": "事故简况",
    "content": "内容", "week_change": "变化", "hazard_enterprise": "企业", "task": "任务名称", "drill": "演练名称", "face": "工作面",
    "lead_department": "牵头科室", "task_deadline": "完成时限", "hazard_deadline": "整改期限",
    "progress_pct": "进度(%)", "completed_on": "完成日期", "days_overdue": "逾期天数",
    "description": "隐患描述", "found_on": "发现日期", "closed_on": "销号日期", "state": "状态",
    "mine": "煤矿", "face_type": "类型", "planned_completion_on": "计划建成",
    "accepted_on": "通过日期", "days_late": "逾期天数",
    "programme": "类别", "milestone": "建设节点", "planned_on": "计划完成", "achieved_on": "完成日期",
    "held_on": "演练日期", "drill_kind": "演练类别", "participants": "参演人数",
    "used_deaths": "死亡(人)", "limit_deaths": "死亡控制指标(人)", "share_deaths": "指标使用率",
    "status_deaths": "状态", "week_deaths": "本周新增死亡(人)",
    "previous_status_deaths": "上周状态",
    "month": "月份", "accidents": "事故起数", "accidents_last_year": "上年事故起数",
    "deaths_last_year": "上年死亡人数", "hazards_found": "发现隐患", "hazards_closed": "隐患销号",
    "faces_planned": "计划建成工作面", "faces_accepted": "通过工作面",
}

# ---- meeting-room screen (大屏) -------------------------------------------------------------
SCREEN_TEXT = {
    "as_of": "数据截至",
    "set_aside": "数据质量:{rows}条记录未计入",
    "accidents": "事故起数",
    "deaths": "死亡人数",
    "not_set": "未设定",
    "progress": "时间进度 {progress} · 死亡指标已用 {used} · 指标使用超过时间进度即为超进度",
    "tasks_overdue": "重点任务超期",
    "tasks_done": "重点任务完成",
    "closure_rate": "隐患销号率",
    "hazards_overdue": "超期未整改",
    "major_open": "重大隐患未销号",
    "faces_built": "工作面已建成",
    "faces_target": "年度目标",
    "faces_late": "逾期未建成",
    "faces_year_end": "按近期进度年底预计",
    "faces_reached": "按近期进度,预计{day}达到年度目标",
    "faces_met": "已于{day}达到年度目标",
    "not_reached": "按近期进度,年内难以达到年度目标",
    "outlook_met": "已完成", "outlook_on_track": "可完成", "outlook_behind": "难完成",
    "outlook_stalled": "难完成", "outlook_plan_short": "难完成", "outlook_no_target": "未设定",
    "checks_overdue": "物资检查超期",
    "legend": "图例(点位数)",
    "most_overdue": "清点检查超期最多的县区",
    "none_overdue": "没有清点检查超期的点位",
    "deaths_by_unit": "各单位死亡控制指标使用",
    "deaths_by_sector": "各行业死亡控制指标使用",
}

# ---- 数据管理 (import, undo, templates) ------------------------------------------------------
ADMIN_TEXT = {
    "title": "数据管理",
    "intro": "导入各科室、各县区报送的 Excel 或 CSV 数据:先检查全部数据并预览变化,确认后一次性写入;"
             "导入可以撤销。表头和填写要求见“导入模板”。",
    "tab_import": "导入数据", "tab_history": "导入记录", "tab_template": "导入模板",
    "upload": "选择文件(Excel 或 CSV,可多选)",
    "upload_help": "支持 .xlsx、.xls 和 .csv(UTF-8 或 GBK 编码);一个工作簿可包含多张工作表,"
                   "按工作表名称或表头识别对应的数据表。",
    "complete": "以下表为完整数据(可选)",
    "complete_help": "选中的表视为所选范围内的完整数据:数据库中有、文件中没有的记录会列出,确认后删除。"
                     "不选则只新增和更新,文件中没有的记录保持不变。",
    "complete_scope": "完整范围",
    "analyse": "检查并预览",
    "analysing": "正在检查文件……",
    "skipped": "已跳过:{why}",
    "ignored_columns": "以下列不是导入字段,已忽略:{columns}",
    "problems": "发现 {count} 处问题,未导入任何数据。请按下表修正文件后重新上传。",
    "download_problems": "下载问题清单(Excel)",
    "warnings": "提示 {count} 条(不影响导入,请核对)",
    "details": "{sheet}明细:新增 {new} 行、修改 {changed} 行、删除 {removed} 行",
    "new_heading": "**新增的记录**(显示前 {shown} 行):",
    "complete_placeholder": "选择表(可多选)",
    "removed_heading": "**将删除的记录**(数据库中有、文件中没有):",
    "changed_heading": "**修改的记录**(原值 → 新值):",
    "nothing": "文件中的数据与数据库完全一致,没有需要导入的变化。",
    "confirm": "确认导入",
    "imported": "已导入(导入记录 {batch}):{counts}。{pages}如有误,可在“导入记录”中撤销。",
    "pages_updated": "各页面已显示新数据;",
    "no_history": "还没有导入记录。",
    "kinds": {"import": "导入", "replace": "全量替换"},
    "undone": "已撤销({at})",
    "cannot_undo": "没有可以撤销的导入(最近一次导入已撤销,或之后做过全量替换)。",
    "undo_heading": "**撤销最近一次导入**",
    "undo_what": "导入记录 {batch}({at}):{counts}。撤销后,数据恢复到这次导入之前的状态。",
    "undo_sure": "我确认撤销这次导入",
    "undo": "撤销导入",
    "undone_done": "已撤销导入记录 {batch},数据已恢复到这次导入之前。",
    "template_intro": "模板每张工作表对应一张数据表:带 * 的列必填,鼠标停在表头上可看含义和格式,"
                      "编码列可从下拉列表选择;第2行为示例,导入时自动跳过。下拉列表中的单位、行业和科室取自当前数据库。",
    "download_template": "下载导入模板(Excel)",
    "replica_heading": "**只读副本**:各页面从数据库只读副本读取数据,导入和撤销写入主库。",
    "replica_synced": "只读副本已与主库同步,各页面显示的是最新数据。",
    "replica_has_import": "只读副本已有最近的导入和撤销,各页面显示的是最新数据。{lag}",
    "replica_missing_import": "只读副本尚未同步最近的导入或撤销:各页面仍显示之前的数据,"
                              "副本同步后自动显示新数据。{lag}",
    "replica_lag": "当前落后主库 {size},约 {age}。",
    "replica_paused": "副本的日志回放已暂停,需由数据库管理员恢复(SELECT pg_wal_replay_resume();)。",
    "replica_pending": "各页面从只读副本读取数据,将在副本同步后显示这次变化(通常几秒内),"
                       "同步情况见本页上方。",
    "counts_fresh": "隐患台账统计表与台账明细一致(统计于 {at}),各页面按统计表快速计算。",
    "counts_stale": "隐患台账在导入之外被修改过(例如直接改库),统计表已过期:各页面暂按台账明细计算,"
                    "结果正确但较慢。请点击“重新统计”,或在服务器上运行 make rollups。",
    "counts_absent": "数据库还没有隐患台账统计表:请运行 make migrate 升级数据库,"
                     "之后点击“重新统计”或运行 make rollups。",
    "recount": "重新统计",
    "recounted": "已重新统计隐患台账,各页面已改按统计表计算。",
}

# ---- 数据质量 (rows the figures leave out) ---------------------------------------------------
QUALITY_TEXT = {
    "notice": "数据质量:{tables}中有 {rows} 条记录因数据问题未计入本页统计(点击查看)",
    "explain": "以下记录的关键字段(日期、单位、行业、等级、数量、编号等)缺失、超出范围、代码无法识别、"
               "引用不存在或编号重复,本页各项数字均未计入;请在源数据中更正后重新导入。",
    "table_line": "**{table}**:{rows} 条",
    "problem_line": "- {problem}:{count} 条(例:{examples})",
    "download": "下载未计入的记录(Excel)",
    "file_name": "数据质量_未计入记录.xlsx",
    "problems": "问题",
    "none_sheet": "无",
    "section": "数据质量",
    "all_clean": "各数据表的关键字段均通过检查,所有记录都计入了统计。",
    "section_summary": "{count} 张数据表中共有 {rows} 条记录因数据问题未计入统计。",
    "section_details": "逐表查看问题和示例",
}

# ---- 登录与权限 (ui/auth.py) ------------------------------------------------------------------
AUTH_TEXT = {
    "no_login": "未启用登录",
    "no_login_help": "本服务器未启用登录:任何能访问的人都能查看全部数据。仅用于内置示例数据或经明确配置的环境。",
    "none_refused": "本服务器连接的不是内置示例数据,但未配置登录方式。请系统管理员在 .streamlit/secrets.toml 的 "
                    "[access] 中设置 mode = \"oidc\" 或 \"proxy\"(如确需免登录,设置 allow_without_login = true)。",
    "config_invalid": "登录配置有误:{problem}。请系统管理员检查 .streamlit/secrets.toml 的 [access] 部分。",
    "not_logged_in": "您尚未登录。请使用单位统一身份认证账号登录后查看。",
    "login_button": "登录",
    "proxy_not_logged_in": "未收到登录信息:请通过单位统一身份认证入口访问本系统。",
    "proxy_refused": "访问被拒绝:请求未经单位统一身份认证网关。请通过正式入口访问本系统。",
    "idp_unreachable": "统一身份认证服务暂时无法访问,请稍后刷新本页重试。如持续出现,请联系科技和信息化科。",
    "no_role": "账号“{user}”尚未分配角色,暂不能查看数据。请联系数据管理员在“用户与角色”中为您分配角色。",
    "expired": "登录已超过 {hours} 小时,请重新登录。",
    "relogin_button": "重新登录",
    "logout_button": "退出登录",
    "logged_out": "您已退出登录。",
    "logged_out_proxy": "您已退出本系统。如需完全退出统一身份认证,请关闭浏览器。",
    "user_line": "{user} · {role}",
    "user_line_unit": "{user} · {role}({unit})",
    "unit_denied": "无权查看该单位:链接中的单位“{unit}”不在您的权限范围内,已改为{own}。",
    "out_of_scope": "无权查看该单位。",
    "access_denied": "无权进行此操作。",
    "screen_revoked": "大屏授权已失效。请联系数据管理员重新生成大屏授权码。",
    "screen_needs_token": "大屏需要授权码:请使用数据管理员生成的大屏链接(/?kiosk=1&token=…)。",
    "write_account_missing": "当前数据库账号为只读,无法保存。请系统管理员配置写入账号([connections.bureau_write])。",
}
USERS_TEXT = {
    "title": "用户与角色",
    "intro": "按登录名(或身份提供方的组、角色声明,写作 group:组名)分配角色:局领导、市局科室查看全部单位;"
             "县区只能查看本单位;数据管理员管理数据导入、用户和审计日志。",
    "tab_users": "用户与角色", "tab_screens": "大屏授权",
    "principal": "登录名", "principal_help": "统一身份认证的登录名;按组授权时写 group:组名。",
    "role": "角色", "unit": "单位", "unit_help": "仅县区角色使用。", "name": "姓名或说明",
    "updated": "修改时间", "updated_by": "修改人", "count": "共 {count} 条。",
    "form_heading": "**新增或修改**(登录名已存在时修改其角色)",
    "save": "保存", "saved": "已保存“{principal}”的角色。", "removed": "已删除“{principal}”。",
    "remove_which": "删除用户", "remove": "删除",
    "screens_intro": "每块大屏一个授权码,大屏链接为 /?kiosk=1&token=授权码。授权码只在生成时显示一次;"
                     "吊销或重新生成后,旧链接在下一次刷新时失效。",
    "screen": "大屏名称", "screen_help": "如:三楼会议室。同名大屏重新生成授权码时旧码作废。",
    "created": "生成时间", "created_by": "生成人", "state": "状态", "valid": "有效",
    "revoked_at": "{at} 已吊销", "new_token": "生成授权码", "revoke_which": "吊销大屏授权",
    "revoke": "吊销", "screen_name_needed": "请填写大屏名称(不超过 40 个字)。",
    "token_made": "已为“{name}”生成授权码,请立即复制下面的大屏链接(只显示这一次):",
    "token_revoked": "已吊销“{name}”的授权。",
    "audit_title": "审计日志",
    "audit_intro": "登录、登录失败、浏览、下载、简报、导入、撤销和角色变更记录;保留 {days} 天。",
    "period_start": "起始日期", "period_end": "截止日期", "kinds": "类别", "all_kinds": "全部类别", "user_filter": "用户(包含)",
    "events_count": "共 {count} 条(最多显示 {limit} 条,最新在前)。",
    "at": "时间", "kind": "类别", "client": "客户端地址", "page": "页面", "detail": "详情",
    "rows": "行数",
}
