"""The sample's work plans: the 2022 notice as the dashboard has always read it (the same rows
migration 0008 seeds), a fictitious 2021 notice with the same lines (the sample's baseline year
was always judged by them), and a fictitious 2023 notice in sample_data/year2023/ to import.

The 2022 plan is written out here rather than imported from the migration: migrations are
frozen history, and a test checks that the two agree.
"""

from __future__ import annotations

from data_access.plans import Line, make_line

NOTICE_2022 = {
    "year": 2022, "title": "关于做好2022年应急管理工作的通知", "doc_number": "未载明",
    "issued_on": "2022-02-08", "checklist_title": "专项整治巩固提升年重点任务清单",
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


NOTICE_2021 = {
    "year": 2021, "title": "关于做好2021年应急管理工作的通知(示例)", "doc_number": "示例数据",
    "issued_on": "2021-02-09", "checklist_title": "专项整治集中攻坚年重点任务清单(示例)",
}


def lines_2022() -> tuple[Line, ...]:
    """The 2022 plan's lines as the scorecard reads them."""
    return tuple(make_line(code=code, name=name, measure=code, rule=rule, target=target, uom=uom,
                           section=section, order=i)
                 for i, (code, name, rule, target, uom, section) in enumerate(LINES_2022, 1))


def tables() -> dict[str, list[dict]]:
    """The 2021 and 2022 plans as rows of plan_notices, plan_sections and plan_lines."""
    notices, sections, lines = [], [], []
    for number, notice in enumerate((NOTICE_2021, NOTICE_2022), 1):
        year = notice["year"]
        notices.append({"id": number, **notice})
        first_section, first_line = len(sections), len(lines)
        sections += [{"id": first_section + i, "year": year, "code": code, "title": title,
                      "sort_order": i} for i, (code, title) in enumerate(SECTIONS_2022, 1)]
        lines += [{"id": first_line + i, "year": year, "code": code, "name": name,
                   "measure": code, "rule": rule, "target": target, "uom": uom,
                   "section": section, "sort_order": i}
                  for i, (code, name, rule, target, uom, section) in enumerate(LINES_2022, 1)]
    return {"plan_notices": notices, "plan_sections": sections, "plan_lines": lines}
