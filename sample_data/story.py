"""The invented story behind the sample data: how many of what, where, and how it went.

Everything here is fictitious. It is shaped so that each page has both green and red lines to
show: 2021 went roughly to plan; in 2022 a few counties run ahead of their death indicators,
some key tasks slip, hidden dangers close more slowly in two counties, and the intelligent-face
programme runs behind its 58-face target.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

from sample_data.reference import COUNTIES, REPORTING_UNITS

SECTOR_WORDS = {
    "coal": "煤业", "noncoal_mine": "矿业", "hazchem": "化工", "fireworks": "烟花",
    "industry_trade": "实业", "construction": "建设工程", "road_transport": "运输",
    "other": "商贸",
}

_COAL = {"140423": 6, "140405": 5, "140428": 4, "140431": 7, "140429": 4, "140406": 3,
         "140404": 4, "140430": 3, "140426": 2, "140427": 2}
_NONCOAL = {"140425": 3, "140426": 3, "140427": 3, "140404": 2, "140431": 2}
_HAZCHEM = {"140406": 6, "140423": 3, "140405": 3, "140404": 3, "JKQ": 4, "140471": 3,
            "140428": 2, "140403": 2}
_FIREWORKS = {"140425": 1, "140429": 1, "140430": 1, "140428": 1}
MINE_COUNT = 40
GREEN_PILOTS = 9


def enterprise_plan() -> list[tuple[str, str, int]]:
    """(unit, sector, count) for the fictitious enterprises; coal first, one per mine."""
    plan = [(u, "coal", n) for u, n in _COAL.items()]
    plan += [(u, "noncoal_mine", n) for u, n in _NONCOAL.items()]
    plan += [(u, "hazchem", n) for u, n in _HAZCHEM.items()]
    plan += [(u, "fireworks", n) for u, n in _FIREWORKS.items()]
    for code, *_ in REPORTING_UNITS:
        plan += [(code, "industry_trade", 8), (code, "construction", 4),
                 (code, "road_transport", 3), (code, "other", 2)]
    return plan


# ---- accidents ---------------------------------------------------------------------------
ACCIDENTS_PER_YEAR = {2021: 182, 2022: 158}
LARGER_ACCIDENTS = {2021: 2, 2022: 1}
ACCIDENT_SECTOR_WEIGHTS = {
    "road_transport": 34, "construction": 14, "industry_trade": 14, "fire": 12, "other": 9,
    "coal": 7, "noncoal_mine": 5, "hazchem": 4, "fireworks": 1,
}
# Weights follow REPORTING_UNITS order; 2022 leans on 襄垣县, 沁源县 and 屯留区.
_UNIT_WEIGHTS = {
    2021: (14, 9, 8, 8, 9, 5, 5, 6, 7, 6, 5, 9, 3, 3),
    2022: (12, 8, 11, 7, 13, 5, 5, 5, 7, 5, 5, 13, 3, 3),
}


def unit_weights(year: int) -> tuple[int, ...]:
    return _UNIT_WEIGHTS[year]


_SUMMARIES = {
    "road_transport": ("一辆重型货车在县道弯道处侧翻", "两车在国道交叉路口相撞",
                       "一辆运输车辆追尾前方停驶车辆", "一辆客车在山区路段刮撞护栏"),
    "construction": ("施工人员在脚手架作业时高处坠落", "基坑开挖时发生局部坍塌",
                     "塔吊吊装作业时物体打击", "临时用电线路漏电导致触电"),
    "industry_trade": ("设备检修时未停机发生机械伤害", "有限空间作业发生中毒窒息",
                       "行车吊运钢材时发生起重伤害", "粉尘清扫过程中发生灼烫"),
    "fire": ("居民自建房电气线路故障引发火灾", "仓库堆垛起火", "沿街商铺夜间起火"),
    "other": ("农用车辆作业时发生伤害", "商铺招牌脱落砸伤行人", "电梯维修作业时发生挤压"),
    "coal": ("回采工作面顶板局部冒落", "运输巷道胶带输送机伤人", "掘进工作面片帮伤人",
             "辅助运输车辆刮碰作业人员"),
    "noncoal_mine": ("采场浮石冒落伤人", "矿用车辆运输过程中侧翻", "爆破作业后进入工作面被落石砸伤"),
    "hazchem": ("储罐检修动火作业引发闪爆", "装卸作业时发生物料泄漏致人灼伤",
                "反应釜超温超压导致泄漏"),
    "fireworks": ("烟花爆竹仓库搬运作业发生燃爆",),
}


def accident_summary(rng: random.Random, sector: str, deaths: int, injuries: int) -> str:
    text = rng.choice(_SUMMARIES[sector])
    parts = []
    if deaths:
        parts.append(f"{deaths}人死亡")
    if injuries:
        parts.append(f"{injuries}人重伤")
    return f"{text},造成{'、'.join(parts)}。" if parts else f"{text},造成财产损失。"


def apply_grade_mismatches(rows: list[dict]) -> None:
    """Two 2022 records whose reported grade disagrees with 国务院令第493号, for the
    data-quality check: one reported 一般 with a loss of 1,250 万元 (which makes it 较大), and one
    reported 较大 with 2 deaths and little loss (which makes it 一般)."""
    general_2022 = [r for r in rows if r["occurred_at"].startswith("2022") and r["grade"] == "general"]
    general_2022[10].update(direct_loss_wan="1250.00", deaths=0, serious_injuries=2)
    general_2022[40].update(grade="larger", deaths=2, serious_injuries=1, direct_loss_wan="85.00")


def targets(accidents: list[dict]) -> list[dict]:
    """Control indicators: 2021 set a little above what happened; 2022 tightened from 2021."""
    deaths_by_unit: dict[int, Counter] = defaultdict(Counter)
    deaths_by_sector: dict[int, Counter] = defaultdict(Counter)
    count_by_unit: dict[int, Counter] = defaultdict(Counter)
    grade_counts: dict[int, Counter] = defaultdict(Counter)
    for a in accidents:
        year = int(a["occurred_at"][:4])
        deaths_by_unit[year][a["unit_code"]] += int(a["deaths"])
        deaths_by_sector[year][a["sector_code"]] += int(a["deaths"])
        count_by_unit[year][a["unit_code"]] += 1
        grade_counts[year][a["grade"]] += 1
    rows: list[dict] = []

    def add(year, unit, sector, metric, value, direction="at_most"):
        rows.append({"id": len(rows) + 1, "year": year, "unit_code": unit or "",
                     "sector_code": sector or "", "metric": metric, "direction": direction,
                     "value": value, "source": "示例指标(虚构)"})

    base = 2021
    factors = {2021: 1.12, 2022: 0.92}
    # 经开区 has no indicator of its own in either year: the page must say 未设定.
    units_with_targets = [u[0] for u in REPORTING_UNITS if u[0] != "JKQ"]
    for year, factor in factors.items():
        deaths_total = sum(deaths_by_unit[base].values())
        add(year, None, None, "deaths", round(deaths_total * factor))
        add(year, None, None, "accidents_total", round(sum(count_by_unit[base].values()) * factor))
        add(year, None, None, "accidents_general", round(grade_counts[base]["general"] * factor))
        add(year, None, None, "accidents_larger", 2)
        add(year, None, None, "accidents_major", 0)
        add(year, None, None, "accidents_extra_major", 0)
        for unit in units_with_targets:
            add(year, unit, None, "deaths", max(2, round(deaths_by_unit[base][unit] * factor)))
            add(year, unit, None, "accidents_total",
                max(3, round(count_by_unit[base][unit] * factor)))
        for sector in ACCIDENT_SECTOR_WEIGHTS:
            if sector != "other":
                add(year, None, sector, "deaths",
                    max(1, round(deaths_by_sector[base][sector] * factor)))
    add(2022, None, None, "intelligent_faces", 58, "at_least")
    add(2022, None, None, "green_pilot_mines", 9, "at_least")
    add(2022, None, None, "intelligent_demo_mines", 1, "at_least")
    return rows


# ---- key tasks ---------------------------------------------------------------------------
# code, sector, notice §, lead department, title, content, responsible units, start, deadline,
# how it goes (profile; see progress_reports).
KEY_TASKS = (
    ("ZH-01", "general", "二", "coordination", "制定“巩固提升年”重点任务清单",
     "全面梳理专项整治中发现的共性问题和突出矛盾,制定2022年重点任务清单", "市局各科室、各县区应急管理局",
     "2022-01-10", "2022-03-31", "done_early"),
    ("ZH-02", "general", "二", "coordination", "社会化专家服务与推进会、现场会",
     "持续推进社会化专家服务,及时召开推进会、现场会,形成一批制度成果", "各县区应急管理局",
     "2022-02-15", "2022-12-31", "on_track"),
    ("MK-01", "coal", "二", "coal_safety", "瓦斯“零超限”、煤层“零突出”攻坚",
     "加大煤矿瓦斯治理攻坚力度,努力实现瓦斯“零超限”、煤层“零突出”", "各产煤县区应急管理局、煤矿企业",
     "2022-02-15", "2022-12-31", "on_track"),
    ("MK-02", "coal", "二", "coal_safety", "煤矿隐蔽致灾因素普查治理",
     "扎实开展煤矿隐蔽致灾因素普查治理,建立普查成果台账", "各产煤县区应急管理局",
     "2022-03-01", "2022-10-31", "done_late"),
    ("MK-03", "coal", "二", "coal_safety", "打击超层越界、图纸造假、隐蔽工作面",
     "严厉打击煤矿超层越界开采、图纸造假、隐蔽工作面、违规开采保安煤柱、瞒报事故等违法违规行为",
     "各产煤县区应急管理局", "2022-03-01", "2022-11-30", "due_soon_behind"),
    ("MK-04", "coal", "二", "coal_safety", "“一规程四细则”执行情况专项检查",
     "严格执行“一规程四细则”,开展执行情况专项检查", "各产煤县区应急管理局",
     "2022-02-20", "2022-06-30", "done_early"),
    ("MK-05", "coal", "二", "coal_safety", "重大灾害治理(瓦斯、水害、冲击地压、顶板)",
     "加强煤矿瓦斯、水害、冲击地压、顶板等重大灾害治理", "各产煤县区应急管理局",
     "2022-03-01", "2022-09-30", "done_on_deadline"),
    ("MK-06", "coal", "二", "coal_safety", "煤矿“一优三减”与智能化建设",
     "推进煤矿“一优三减”,加快智能化矿山和智能化采掘工作面建设进度", "各产煤县区应急管理局",
     "2022-02-15", "2022-12-31", "on_track"),
    ("FM-01", "noncoal_mine", "二", "noncoal_safety", "地下矿山采空区治理",
     "深入开展地下矿山采空区治理", "平顺县、黎城县、壶关县应急管理局",
     "2022-03-01", "2022-11-22", "overdue_this_week"),
    ("FM-02", "noncoal_mine", "二", "noncoal_safety", "尾矿库治理",
     "深入开展尾矿库治理,落实尾矿库安全风险管控", "有尾矿库的县区应急管理局",
     "2022-03-01", "2022-10-31", "overdue"),
    ("FM-03", "noncoal_mine", "二", "noncoal_safety", "矿山图纸定期交换制度落实",
     "严格落实矿山图纸定期交换制度", "各县区应急管理局", "2022-02-20", "2022-06-30", "done_early"),
    ("FM-04", "noncoal_mine", "二", "noncoal_safety", "地下矿山复工复产“十二条”措施落实",
     "严格落实地下矿山复工复产“十二条”措施", "各县区应急管理局",
     "2022-02-10", "2022-04-30", "done_early"),
    ("FM-05", "noncoal_mine", "二", "noncoal_safety", "非煤矿山整合优化(关小上大)",
     "采取试点先行方式整合优化矿产资源,提高最小开采规模和最低服务年限标准", "相关县区应急管理局",
     "2022-12-01", "2022-12-31", "not_started"),
    ("WH-01", "hazchem", "二", "hazchem_safety", "危险化学品安全风险集中治理",
     "全面开展危险化学品安全风险集中治理", "各县区应急管理局、开发区安全部门",
     "2022-02-15", "2022-12-31", "on_track"),
    ("WH-02", "hazchem", "二", "hazchem_safety", "硝化、氯化、过氧化工艺全流程自动化",
     "涉及硝化、氯化、过氧化工艺的上下游配套装置实现全流程自动化控制", "潞城区、经开区、高新区",
     "2022-03-01", "2022-11-25", "due_today"),
    ("WH-03", "hazchem", "二", "hazchem_safety", "油气储存企业高风险、较高风险动态“清零”",
     "落实油气储存企业“一企一策”整改提升方案,实现高风险、较高风险等级企业动态“清零”",
     "相关县区应急管理局", "2022-03-01", "2022-10-31", "overdue"),
    ("WH-04", "hazchem", "二", "hazchem_safety", "重大危险源包保责任人全覆盖培训",
     "对重大危险源包保责任人实施全覆盖培训", "各县区应急管理局", "2022-03-01", "2022-08-31",
     "done_early"),
    ("WH-05", "hazchem", "二", "hazchem_safety", "第三轮危险化学品重点企业安全风险评估诊断",
     "持续推动第三轮危险化学品重点企业安全风险评估诊断", "各县区应急管理局",
     "2022-03-15", "2022-11-30", "done_this_week"),
    ("WH-06", "hazchem", "二", "hazchem_safety", "危险化学品企业工伤预防能力提升培训",
     "开展危险化学品企业工伤预防能力提升培训工程", "各县区应急管理局",
     "2022-04-01", "2022-12-05", "due_soon_behind"),
    ("GM-01", "industry_trade", "二", "basic_safety", "隐患清单销号闭环",
     "对企业自查、检查发现的风险隐患建立台账、列出清单,确保每一条隐患销号闭环", "各县区应急管理局",
     "2022-02-15", "2022-12-31", "on_track"),
    ("GM-02", "industry_trade", "二", "basic_safety", "“互联网+执法”工贸专项执法模块推广",
     "全面推广应用“互联网+执法”系统工贸专项执法模块", "各县区应急管理局",
     "2022-03-01", "2022-07-31", "done_late"),
    ("GM-03", "industry_trade", "二", "basic_safety", "冶金工贸重大危险源全覆盖执法检查",
     "依法进行重大危险源辨识,确定等级,对重大危险源进行“全覆盖”执法检查", "各县区应急管理局",
     "2022-03-01", "2022-09-30", "overdue"),
    ("ZH-03", "general", "三", "enforcement", "年度监督检查计划执行",
     "制定落实年度监督检查计划,创新督查检查方式", "市综合行政执法支队、各县区应急管理局",
     "2022-01-20", "2022-12-31", "on_track"),
    ("ZH-04", "general", "三", "law", "失信惩戒名单与联合惩戒",
     "对存在严重违法行为的失信个体及时纳入失信惩戒名单,实施联合惩戒", "各县区应急管理局",
     "2022-03-01", "2022-11-30", "due_soon_behind"),
    ("ZH-05", "general", "三", "law", "行政执法与刑事司法衔接",
     "加强行刑衔接,严厉打击危险作业等安全生产违法犯罪行为", "各县区应急管理局",
     "2022-03-01", "2022-10-31", "done_on_deadline"),
    ("ZH-06", "general", "三", "coordination", "双重预防机制与重大隐患“双报告”",
     "健全双重预防机制,重大隐患排查治理情况向监管部门和职代会“双报告”", "各县区应急管理局",
     "2022-02-15", "2022-12-31", "on_track"),
    ("ZH-07", "hazchem", "三", "hazchem_safety", "危化重大危险源企业双重预防机制数字化",
     "积极推进危险化学品重大危险源企业双重预防机制数字化建设", "各县区应急管理局",
     "2022-03-01", "2022-11-15", "overdue"),
    ("ZH-08", "general", "三", "enforcement", "“互联网+监管”与行政执法“三项制度”",
     "推进“互联网+监管”,全面执行行政执法“三项制度”", "市综合行政执法支队",
     "2022-02-15", "2022-06-30", "done_early"),
)

_TASK_NOTES = (
    (0, "已制定实施方案并印发"),
    (25, "已组织开展排查,形成问题清单"),
    (45, "正在推进整改,已召开推进会"),
    (65, "开展督查检查,督促问题整改"),
    (85, "整改基本完成,正在组织验收"),
)


def _note_for(pct: int) -> str:
    if pct >= 100:
        return "任务已完成,形成制度成果并报送总结"
    return [text for floor, text in _TASK_NOTES if pct >= floor][-1]


def progress_reports(rng: random.Random, start: dt.date, deadline: dt.date, profile: str,
                     data_end: dt.date) -> list[tuple[dt.date, int, str]]:
    """Monthly progress reports from the start date, shaped by the task's profile."""
    finish = {
        "done_early": deadline - dt.timedelta(days=rng.randint(8, 25)),
        "done_on_deadline": deadline,
        "done_late": deadline + dt.timedelta(days=rng.randint(6, 20)),
        "done_this_week": data_end - dt.timedelta(days=3),
    }.get(profile)
    ceiling = {"overdue": 75, "overdue_this_week": 80, "due_soon_behind": 60, "due_today": 90}
    if profile == "not_started" or start > data_end:
        return []
    last_day = min(finish or data_end, data_end)
    span = max((deadline - start).days, 1)
    reports = []
    day = start + dt.timedelta(days=rng.randint(10, 20))
    while day < last_day:
        on_time_pct = int(100 * (day - start).days / span)
        pct = min(on_time_pct, ceiling.get(profile, 95))
        if profile == "on_track":
            pct = min(on_time_pct + rng.randint(0, 5), 95)
        pct = max(5, pct - pct % 5)
        reports.append((day, pct, _note_for(pct)))
        day += dt.timedelta(days=rng.randint(26, 34))
    if finish is not None and finish <= data_end:
        reports.append((finish, 100, _note_for(100)))
    return reports


# ---- hidden dangers ----------------------------------------------------------------------
HIDDEN_DANGERS_PER_YEAR = {2021: 2800, 2022: 2650}
HD_SECTOR_WEIGHT = {
    "coal": 9, "noncoal_mine": 5, "hazchem": 7, "fireworks": 3, "industry_trade": 3,
    "construction": 2, "road_transport": 1, "other": 1,
}
_HD_SOURCES = {"self_check": 55, "enforcement": 25, "expert": 12, "report": 3, "assigned": 5}
_HD_CATEGORIES = {
    "equipment": ("安全防护装置缺失或失效", "电气设备防爆性能不符合要求", "压力表、安全阀未按期校验",
                  "消防设施器材配置不足"),
    "environment": ("作业场所通风不良", "安全警示标志设置不全", "疏散通道堆放杂物",
                    "有限空间未设置警示标识"),
    "management": ("安全管理制度未及时修订", "应急预案未按规定演练", "特种作业人员证件过期",
                   "隐患排查记录不完整"),
    "behaviour": ("作业人员未按规定佩戴劳动防护用品", "动火作业未办理审批手续",
                  "违章指挥、冒险作业", "交接班记录缺失"),
}
_HD_MEASURES = {
    "equipment": "更换维修相关设备设施,完善安全防护装置",
    "environment": "整治作业环境,补设警示标志并清理通道",
    "management": "修订完善管理制度,组织培训并留存记录",
    "behaviour": "开展教育培训,严格作业审批和现场监护",
}
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡郭何高林罗郑梁谢宋唐"
# Counties that close hidden dangers more slowly in this story (a factor on the time taken).
_SLOW_UNITS = {"140431": 1.9, "140426": 1.6}


def hidden_danger(rng: random.Random, row_id: int, code: str, enterprise: dict, found: dt.date,
                  data_end: dt.date) -> dict:
    sector = enterprise["sector_code"]
    major = rng.random() < (0.05 if sector in ("coal", "hazchem") else 0.02)
    category = rng.choice(tuple(_HD_CATEGORIES))
    allowed = rng.randint(45, 120) if major else rng.randint(7, 30)
    deadline = found + dt.timedelta(days=allowed)
    slowness = _SLOW_UNITS.get(enterprise["unit_code"], 1.0)
    stuck = rng.random() < 0.015 * slowness
    taken = int(allowed * rng.uniform(0.3, 1.25) * slowness) + 1

    def by_end(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= data_end else None

    started = found + dt.timedelta(days=rng.randint(0, 2))
    closed = None if stuck else found + dt.timedelta(days=taken)
    submitted = None if closed is None else max(started, closed - dt.timedelta(days=rng.randint(1, 5)))
    closed, submitted, started = by_end(closed), by_end(submitted), by_end(started)
    regulator = congress = None
    if major:
        if rng.random() < 0.92:
            regulator = by_end(found + dt.timedelta(days=rng.randint(0, 6)))
        if rng.random() < 0.75:
            congress = by_end(found + dt.timedelta(days=rng.randint(5, 40)))
    person = rng.choice(_SURNAMES) + "某某"
    return {
        "id": row_id, "code": code, "enterprise_id": enterprise["id"],
        "unit_code": enterprise["unit_code"], "sector_code": sector,
        "found_on": found.isoformat(),
        "source": rng.choices(*zip(*_HD_SOURCES.items()))[0],
        "level": "major" if major else "general", "category": category,
        "description": rng.choice(_HD_CATEGORIES[category]),
        "measure": _HD_MEASURES[category], "responsible_person": person,
        "deadline": deadline.isoformat(),
        "rectify_started_on": _iso(started), "submitted_on": _iso(submitted),
        "closed_on": _iso(closed),
        "accepted_by": (rng.choice(_SURNAMES) + "某某") if closed else "",
        "regulator_reported_on": _iso(regulator), "congress_reported_on": _iso(congress),
    }


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


# ---- mines and intelligent faces ---------------------------------------------------------
_GREEN_MILESTONES = ("绿色开采方案编制批复", "保水/充填开采系统建设", "系统联合试运行", "省级试点验收")
_DEMO_MILESTONES = ("智能化建设方案评审", "井下5G与工业环网建设", "智能综采工作面建成",
                    "智能掘进工作面建成", "智能化示范矿井验收")


def mine_milestones(rng: random.Random, mine: dict, offset: int, data_end: dt.date) -> list[dict]:
    names = _DEMO_MILESTONES if mine["is_intelligent_demo"] else _GREEN_MILESTONES
    programme = "intelligent_demo" if mine["is_intelligent_demo"] else "green_pilot"
    lateness = rng.choice((0, 0, 0, 15, 40))  # some pilots run late
    rows = []
    for step, name in enumerate(names):
        planned = dt.date(2022, 3, 31) + dt.timedelta(days=int(step * 270 / (len(names) - 1)))
        achieved = planned + dt.timedelta(days=rng.randint(-10, 10) + lateness * (step + 1) // 2)
        rows.append({
            "id": offset + len(rows) + 1, "mine_id": mine["id"], "programme": programme,
            "name": name, "planned_on": planned.isoformat(),
            "achieved_on": achieved.isoformat() if achieved <= data_end else "",
        })
    return rows


FACES_PLANNED_2022 = 72
_STAGE_ORDER = ("planned", "construction", "self_assessed", "applied", "evaluated", "accepted")


def _stage_2022(rng: random.Random, completion: dt.date, data_end: dt.date) -> str:
    """Where a 2022 face stands at the as-of date: most faces due well before it are accepted,
    about one in five lags; faces due around it are mostly still in the pipeline."""
    days_left = (completion - data_end).days
    if days_left < -20:
        return "accepted" if rng.random() < 0.78 else rng.choice(_STAGE_ORDER[1:5])
    if days_left <= 10:
        return "accepted" if rng.random() < 0.3 else rng.choice(_STAGE_ORDER[1:4])
    return "planned" if rng.random() < 0.4 else "construction"


def working_faces(rng: random.Random, mines: list[dict], data_end: dt.date) -> list[dict]:
    """30 faces accepted in 2021 and 72 planned for 2022, spread over every stage, some late."""
    rows: list[dict] = []
    weighted = [m for m in mines for _ in range(3 if (m["is_green_pilot"] or m["is_intelligent_demo"]) else 1)]

    def face(mine, year, planned_completion, final_stage, face_type):
        planned_on = dt.date(year, 1, 10) + dt.timedelta(days=rng.randint(0, 45))
        start = planned_on + dt.timedelta(days=rng.randint(10, 40))
        steps = [planned_on, start]
        self_assessed = planned_completion - dt.timedelta(days=rng.randint(5, 25))
        steps.append(max(self_assessed, start + dt.timedelta(days=30)))
        for gap in (rng.randint(5, 12), rng.randint(10, 25), rng.randint(5, 15)):
            steps.append(steps[-1] + dt.timedelta(days=gap))
        reached = _STAGE_ORDER.index(final_stage)
        dates = [d if i <= reached else None for i, d in enumerate(steps)]
        if year == data_end.year:
            # Stages the story says were reached must lie on or before the as-of date.
            for i in range(1, len(dates)):
                if dates[i] is not None and dates[i] > data_end:
                    dates[i] = data_end - dt.timedelta(days=(len(dates) - i) * 2)
                    dates[i] = max(dates[i], dates[i - 1])
        number = sum(1 for r in rows if r["mine_id"] == mine["id"]) + 1
        kind_name = "智能化综采工作面" if face_type == "mining" else "智能化掘进工作面"
        rows.append({
            "id": len(rows) + 1,
            "code": f"GZM-{year}-{sum(1 for r in rows if r['plan_year'] == year) + 1:03d}",
            "mine_id": mine["id"],
            "name": f"{mine['name']}{number}号{kind_name}", "face_type": face_type,
            "plan_year": year, "planned_completion_on": planned_completion.isoformat(),
            **{col: _iso(d) for col, d in zip(
                ("planned_on", "construction_started_on", "self_assessed_on", "applied_on",
                 "evaluated_on", "accepted_on"), dates)},
        })

    for _ in range(30):
        completion = dt.date(2021, 4, 1) + dt.timedelta(days=rng.randint(0, 220))
        face(rng.choice(weighted), 2021, completion, "accepted", rng.choice(("mining", "heading")))
    step = 290 / FACES_PLANNED_2022
    for i in range(FACES_PLANNED_2022):
        completion = dt.date(2022, 3, 15) + dt.timedelta(days=int(i * step) + rng.randint(-3, 3))
        face(rng.choice(weighted), 2022, completion, _stage_2022(rng, completion, data_end),
             "mining" if i % 9 < 5 else "heading")
    return rows


# ---- emergency resources -----------------------------------------------------------------
_FOREST_COUNTIES = {"140425", "140426", "140431", "140429", "140427", "140430"}
_COAL_COUNTIES = set(_COAL)
_DIRECTIONS = ("东部", "西部", "南部", "北部")


def site_plan() -> list[tuple[str, str, str, str]]:
    """(unit, kind, subkind, level) for every emergency resource site."""
    plan = [("140403", "warehouse", "physical", "city"), ("140403", "warehouse", "agreement", "city"),
            ("140403", "team", "aviation", "city"), ("140403", "team", "pla", "city"),
            ("140403", "shelter", "emergency", "city"), ("140403", "depot", "equipment", "city")]
    for code, *_ in COUNTIES:
        plan += [(code, "warehouse", "physical", "county"), (code, "warehouse", "physical", "township"),
                 (code, "team", "fire_rescue", "county"), (code, "team", "township", "township"),
                 (code, "shelter", "emergency", "county"), (code, "shelter", "emergency", "township"),
                 (code, "shelter", "emergency", "village"), (code, "depot", "equipment", "county")]
        if code in _COAL_COUNTIES:
            plan += [(code, "team", "mine_rescue", "county"), (code, "team", "enterprise", "enterprise")]
        if code in _FOREST_COUNTIES:
            plan += [(code, "team", "forest_fire", "county"), (code, "depot", "forest_fire", "county")]
        if code in ("140423", "140429", "140431", "140405"):
            plan += [(code, "warehouse", "capacity", "township"), (code, "team", "social", "county")]
        if code in ("140406", "140404", "140428"):
            plan += [(code, "team", "local_professional", "county"), (code, "shelter", "emergency", "township")]
    plan += [("140406", "team", "hazchem_rescue", "county"), ("JKQ", "team", "hazchem_rescue", "enterprise"),
             ("140471", "team", "enterprise", "enterprise"), ("JKQ", "shelter", "emergency", "township"),
             ("140471", "shelter", "emergency", "township"), ("JKQ", "depot", "equipment", "enterprise"),
             ("140423", "team", "hazchem_rescue", "enterprise")]
    return plan


_UNIT_NAMES = {code: name for code, name, *_ in REPORTING_UNITS}
_TEAM_NAMES = {
    "fire_rescue": "消防救援大队", "forest_fire": "森林消防专业队", "mine_rescue": "矿山救护中队",
    "hazchem_rescue": "危化品应急救援队", "local_professional": "地方专业应急救援队",
    "enterprise": "企业专职救援队", "township": "乡镇半专业应急队", "social": "社会应急救援队",
    "aviation": "航空应急救援站", "pla": "武警应急救援分队",
}
_CONTACT = {"warehouse": "储备库管理员", "team": "队伍值班室", "shelter": "场所管理员",
            "depot": "装备管理员"}


def resource_site(rng: random.Random, site_id: int, unit: str, kind: str, subkind: str, level: str,
                  lat: float, lon: float, data_end: dt.date) -> dict:
    place = _UNIT_NAMES[unit] if level in ("city", "county", "enterprise") else \
        f"{_UNIT_NAMES[unit]}{rng.choice(_DIRECTIONS)}"
    if level == "city":
        place = "长治市"
    name = {
        "warehouse": f"{place}{'应急物资储备库' if level != 'township' else '片区物资储备点'}"
                     f"{'(协议储备)' if subkind == 'agreement' else '(产能储备)' if subkind == 'capacity' else ''}",
        "team": f"{place}{_TEAM_NAMES.get(subkind, '应急救援队')}",
        "shelter": f"{place}{'中心' if level in ('city', 'county') else ''}"
                   f"{'村级' if level == 'village' else ''}应急避难场所{site_id}号",
        "depot": f"{place}{'森林防灭火' if subkind == 'forest_fire' else '应急'}装备库",
    }[kind]
    roll = rng.random()
    if roll < 0.8:
        checked = data_end - dt.timedelta(days=rng.randint(2, 85))
    elif roll < 0.97:
        checked = data_end - dt.timedelta(days=rng.randint(95, 260))
    else:
        checked = None
    return {
        "id": site_id, "code": "", "name": name, "kind": kind, "subkind": subkind, "level": level,
        "unit_code": unit, "lat": lat, "lon": lon,
        "capacity": rng.randrange(1500, 30000, 500) if kind == "shelter" else "",
        "headcount": (rng.randint(60, 160) if subkind in ("fire_rescue", "pla", "mine_rescue")
                      else rng.randint(12, 60)) if kind == "team" else "",
        "area_m2": rng.randrange(300, 8000, 100) if kind in ("warehouse", "depot", "shelter") else "",
        "contact_role": _CONTACT[kind], "last_checked_on": checked,
    }


CHECK_HISTORY_FROM = dt.date(2021, 1, 1)


def stock_checks(rng: random.Random, sites: list[dict]) -> list[dict]:
    """Every site's dated stock checks (清点检查): its latest check (a site's
    `last_checked_on`), and before it one every 60–120 days back to the start of 2021. A site
    never checked has none."""
    rows = []
    for site in sites:
        day, days = site["last_checked_on"], []
        while day is not None and day >= CHECK_HISTORY_FROM:
            days.append(day)
            day -= dt.timedelta(days=rng.randint(60, 120))
        rows += [{"id": 0, "site_id": site["id"], "checked_on": d.isoformat(), "note": ""}
                 for d in reversed(days)]
    rows.sort(key=lambda r: (r["checked_on"], r["site_id"]))
    for i, row in enumerate(rows, start=1):
        row["id"] = i
    return rows


# item, category, unit of measure, quantity range
_ITEMS = {
    "warehouse": (("救灾帐篷", "living", "顶", 50, 800), ("棉被", "living", "床", 200, 5000),
                  ("折叠床", "living", "张", 100, 2000), ("防汛编织袋", "plugging", "条", 2000, 50000),
                  ("大流量排水泵", "drainage", "台", 2, 20), ("高压排水管", "drainage", "米", 200, 3000),
                  ("发电机组", "power_lighting", "台", 2, 20), ("移动照明灯塔", "power_lighting", "台", 2, 15),
                  ("救生衣", "protection", "件", 100, 2000), ("冲锋舟", "rescue", "艘", 1, 10)),
    "team": (("智能排水机器人", "drainage", "台", 1, 4), ("高压排水管", "drainage", "米", 100, 1500),
             ("大流量排水泵", "drainage", "台", 1, 8), ("倒灌堵漏装置", "plugging", "套", 1, 10),
             ("远程供水灭火系统", "firefighting", "套", 1, 3), ("以水灭火装备(消防水炮)", "firefighting", "套", 1, 6),
             ("破拆工具组", "rescue", "套", 2, 20), ("生命探测仪", "detection", "台", 1, 6),
             ("正压式空气呼吸器", "protection", "具", 10, 80), ("侦察无人机", "detection", "架", 1, 6),
             ("卫星通信终端", "communication", "台", 1, 5)),
    "depot": (("大流量排水泵", "drainage", "台", 2, 30), ("高压排水管", "drainage", "米", 500, 5000),
              ("倒灌堵漏装置", "plugging", "套", 2, 20), ("风力灭火机", "firefighting", "台", 10, 120),
              ("挖掘机(协议)", "engineering", "台", 1, 10), ("发电机组", "power_lighting", "台", 2, 20),
              ("应急通信指挥车", "communication", "辆", 1, 2)),
    "shelter": (("应急饮用水", "living", "箱", 100, 2000), ("应急照明灯", "power_lighting", "台", 10, 100),
                ("急救药箱", "medical", "个", 5, 60)),
}


def site_items(rng: random.Random, site: dict, offset: int) -> list[dict]:
    pool = _ITEMS[site["kind"]]
    if site["kind"] == "depot" and site["subkind"] == "forest_fire":
        pool = tuple(i for i in pool if i[1] in ("firefighting", "communication", "power_lighting"))
    chosen = rng.sample(pool, k=min(len(pool), rng.randint(3, len(pool))))
    return [
        {"id": offset + n, "site_id": site["id"], "item": item, "category": category,
         "quantity": rng.randint(low, high), "uom": uom}
        for n, (item, category, uom, low, high) in enumerate(chosen, start=1)
    ]
