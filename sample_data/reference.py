"""Reference data that is real, not invented: county-level units and their codes
(domain brief §1), the bureau's sectors and departments.

Representative points are approximate seats of government (WGS-84). 高新区 and 经开区 lie
within 潞州区; their points are approximate and marked as such in the docs.
"""

from __future__ import annotations

CITY = ("140400", "长治市", "city", None, 36.195, 113.117)

# code, name, kind, parent, lat, lon
COUNTIES = (
    ("140403", "潞州区", "district", None, 36.195, 113.117),
    ("140404", "上党区", "district", None, 36.018, 113.074),
    ("140405", "屯留区", "district", None, 36.316, 112.885),
    ("140406", "潞城区", "district", None, 36.334, 113.229),
    ("140423", "襄垣县", "county", None, 36.536, 112.967),
    ("140425", "平顺县", "county", None, 36.200, 113.436),
    ("140426", "黎城县", "county", None, 36.507, 113.382),
    ("140427", "壶关县", "county", None, 36.112, 113.199),
    ("140428", "长子县", "county", None, 36.119, 112.879),
    ("140429", "武乡县", "county", None, 36.833, 112.860),
    ("140430", "沁县", "county", None, 36.757, 112.694),
    ("140431", "沁源县", "county", None, 36.497, 112.334),
)

ZONES = (
    ("140471", "高新区", "zone", "140403", 36.170, 113.080),
    ("JKQ", "经开区", "zone", "140403", 36.230, 113.150),
)

REPORTING_UNITS = COUNTIES + ZONES

# code, name — the bureau's sectors in the accident-statistics sense.
SECTORS = (
    ("coal", "煤矿"),
    ("noncoal_mine", "金属非金属矿山"),
    ("hazchem", "危险化学品"),
    ("fireworks", "烟花爆竹"),
    ("industry_trade", "冶金工贸"),
    ("construction", "建筑施工"),
    ("road_transport", "道路运输"),
    ("fire", "火灾"),
    ("other", "其他"),
    ("general", "综合"),
)

# code, name — the bureau's own departments (市局机关科室).
DEPARTMENTS = (
    ("office", "办公室"),
    ("coordination", "安全生产综合协调科"),
    ("coal_safety", "煤矿安全监督管理科"),
    ("noncoal_safety", "非煤矿山安全监督管理科"),
    ("hazchem_safety", "危险化学品安全监督管理科"),
    ("basic_safety", "安全生产基础科"),
    ("law", "政策法规科"),
    ("enforcement", "综合行政执法支队"),
    ("command", "应急指挥中心"),
    ("risk_monitoring", "风险监测和综合减灾科"),
    ("fire_prevention", "火灾防治管理科"),
    ("flood_control", "防汛抗旱科"),
    ("relief", "救灾和物资保障科"),
    ("rescue", "救援协调和预案管理科"),
    ("statistics", "调查评估和统计科"),
    ("publicity", "宣传教育科"),
    ("it", "科技和信息化科"),
)
