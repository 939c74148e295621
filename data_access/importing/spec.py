"""What the bureau's files look like: one sheet per table, Chinese headers, Chinese values.

Each `SheetSpec` names the sheet (and the other names clerks give it), the table it fills and,
per column, the Chinese header, the kind of value and what it means. References to other
tables are written the way people know them — an enterprise by its name, a task by its
number, a unit by its name or code — and resolved to the database's keys on import. The same
specs drive the import, its templates (`templates.py`) and the import documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from data_access import access, schema, vocab

# Sheets of the template that hold no data: the guide, the drop-down lists, and the sheet on
# which a file declares the tables it holds completely (read by the import).
GUIDE_SHEET, LISTS_SHEET = "填写说明", "代码表"
DECLARATION_SHEETS = ("导入说明", "完整性声明")
# The template's example row starts with this mark; the import skips such rows.
EXAMPLE_MARK = "【示例】"

# Kinds of value a field holds.
TEXT, INTEGER, DECIMAL, FLOAT, DATE, DATETIME, BOOL, CODE, REF = (
    "text", "integer", "decimal", "float", "date", "datetime", "bool", "code", "ref")


@dataclass(frozen=True)
class Ref:
    """A reference written as the referenced row's natural key (`by`, one column of `table`),
    stored as the referenced table's key column `stores` (its id or code)."""

    table: str
    by: str
    stores: str = "id"
    also_by: str | None = None  # a second way to write it, e.g. a unit's name besides its code


@dataclass(frozen=True)
class Field:
    column: str  # the table's column; for a check-only field, a name of its own
    header: str  # the Chinese header in the files
    kind: str
    help: str  # meaning and format, for the template's header comments
    example: object = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    codes: dict | None = None  # CODE fields: code → Chinese label
    ref: Ref | None = None
    city_is_blank: bool = False  # units: "全市" (or empty) is stored as NULL, the whole city
    check_only: bool = False  # read and checked against other fields, never stored


@dataclass(frozen=True)
class SheetSpec:
    table: str
    sheet: str
    fields: tuple[Field, ...]
    aliases: tuple[str, ...] = ()
    scope_column: str | None = "unit_code"  # how a complete file may be limited to one unit
    note: str = ""
    # (time column, user column) set on every row the import adds or changes: who and when
    stamp: tuple[str, str] | None = None

    @property
    def sa_table(self) -> sa.Table:
        return schema.metadata.tables[self.table]

    @property
    def key(self) -> tuple[str, ...]:
        return schema.NATURAL_KEYS[self.table]

    def field(self, column: str) -> Field:
        return next(f for f in self.fields if f.column == column)

    @property
    def stored(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.check_only)


def _unit(required: bool = True, header: str = "县区", help_text: str = "",
          city_is_blank: bool = False, example: str = "襄垣县") -> Field:
    return Field("unit_code", header, REF,
                 help_text or "县区、高新区或经开区的名称或行政区划代码,如“襄垣县”或 140423",
                 example, required, aliases=("单位", "所属县区", "县(区)", "unit_code", "单位代码"),
                 ref=Ref("units", "code", "code", also_by="name"), city_is_blank=city_is_blank)


def _sector(required: bool = True, example: str = "煤矿", help_text: str = "") -> Field:
    return Field("sector_code", "行业领域", REF,
                 help_text or "行业领域名称或代码,如“煤矿”“危险化学品”“道路运输”", example, required,
                 aliases=("行业", "行业类别", "sector_code"),
                 ref=Ref("sectors", "code", "code", also_by="name"))


def _enterprise(header: str = "企业名称", required: bool = True,
                help_text: str = "企业全称,须与“企业”表中的名称一致",
                example: str = "示例沐岚煤业有限公司") -> Field:
    return Field("enterprise_id", header, REF, help_text, example, required,
                 aliases=("企业", "单位名称", "生产经营单位"), ref=Ref("enterprises", "name"))


def _mine(example: str = "示例曦岚煤矿") -> Field:
    return Field("mine_id", "煤矿名称", REF, "煤矿名称,须与“煤矿”表中的名称一致", example, True,
                 aliases=("煤矿", "矿井名称", "矿井"), ref=Ref("coal_mines", "name"))


def _site() -> Field:
    return Field("site_id", "点位编号", REF, "须与“应急资源点位”中的编号一致", "ZY-140423-001", True,
                 aliases=("编号",), ref=Ref("resource_sites", "code"))


def _point() -> tuple[Field, Field]:
    return (
        Field("lat", "纬度", FLOAT, "WGS-84/CGCS2000 纬度,十进制度,长治约 35.8–37.2", 36.536, True,
              aliases=("lat",)),
        Field("lon", "经度", FLOAT, "WGS-84/CGCS2000 经度,十进制度,长治约 111.9–113.8", 112.967,
              True, aliases=("lon",)),
    )


def _date(column: str, header: str, help_text: str, example=None, required: bool = False,
          aliases: tuple[str, ...] = ()) -> Field:
    return Field(column, header, DATE, help_text + ";可写 2022-03-05、2022/3/5 或 2022年3月5日",
                 example, required, aliases=(*aliases, column))


def _code(column: str, header: str, codes: dict, help_text: str, example: str,
          required: bool = True, aliases: tuple[str, ...] = ()) -> Field:
    return Field(column, header, CODE, help_text, example, required, aliases=(*aliases, column),
                 codes=codes)


def _text(column: str, header: str, help_text: str, example: str, required: bool = True,
          aliases: tuple[str, ...] = ()) -> Field:
    return Field(column, header, TEXT, help_text, example, required, aliases=(*aliases, column))


def _count(column: str, header: str, help_text: str, example: int, required: bool = True,
           aliases: tuple[str, ...] = ()) -> Field:
    return Field(column, header, INTEGER, help_text, example, required, aliases=(*aliases, column))


def _order() -> Field:
    return _count("sort_order", "排序", "显示顺序,整数,小的在前", 1)


def _year(example: int = 2022) -> Field:
    return _count("year", "年度", "四位数年份", example, aliases=("年份",))


SPECS: tuple[SheetSpec, ...] = (
    SheetSpec("units", "单位", (
        _text("code", "单位代码", "行政区划代码(经开区无官方代码,用 JKQ)", "140423",
              aliases=("代码", "行政区划代码")),
        _text("name", "单位名称", "县区或功能区名称", "襄垣县", aliases=("名称",)),
        _code("kind", "类别", vocab.UNIT_KINDS, "市、区、县或功能区", "县"),
        Field("parent_code", "所在县区", REF, "功能区所在的区(名称或代码),其余留空", None,
              aliases=("parent_code",), ref=Ref("units", "code", "code", also_by="name")),
        *_point(), _order(),
    ), scope_column=None),
    SheetSpec("departments", "科室", (
        _text("code", "科室代码", "英文代码,如 coordination", "coordination", aliases=("代码",)),
        _text("name", "科室名称", "市局机关科室名称", "安全生产综合协调科", aliases=("名称",)),
        _order(),
    ), scope_column=None),
    SheetSpec("sectors", "行业领域", (
        _text("code", "行业代码", "英文代码,如 coal", "coal", aliases=("代码",)),
        _text("name", "行业名称", "行业领域名称", "煤矿", aliases=("名称",)),
        _order(),
    ), scope_column=None),
    SheetSpec("enterprises", "企业", (
        _text("name", "企业名称", "企业全称(各表按此名称引用企业)", "示例沐岚煤业有限公司",
              aliases=("单位名称", "生产经营单位")),
        _unit(), _sector(), *_point(),
        _code("std_grade", "标准化等级", vocab.STANDARD_GRADES, "当前安全生产标准化等级;未达标留空",
              "二级", required=False, aliases=("安全生产标准化等级",)),
        _code("required_std_grade", "应达等级", vocab.REQUIRED_STANDARD_GRADES,
              "应达到的标准化等级:规定企业二级,其他三级", "二级"),
        Field("has_major_hazard", "涉及重大危险源", BOOL, "是/否", "否", True,
              aliases=("has_major_hazard",)),
        Field("is_hazchem", "危险化学品企业", BOOL, "是/否", "否", True, aliases=("is_hazchem",)),
    ), aliases=("企业台账", "生产经营单位")),
    SheetSpec("accidents", "事故快报", (
        _text("code", "事故编号", "事故快报编号;不填时按发生时间和县区自动编号", "SG2022-0001",
              required=False, aliases=("编号",)),
        Field("occurred_at", "发生时间", DATETIME,
              "年月日和时分,如 2022-03-05 08:30 或 2022年3月5日8时30分", "2022-03-05 08:30",
              True, aliases=("事故发生时间", "时间", "occurred_at")),
        _unit(help_text="事故发生地县区的名称或代码"),
        _sector(help_text="事故类别口径的行业领域名称或代码", example="道路运输"),
        _enterprise("发生单位", required=False,
                    help_text="发生事故的企业全称(须与“企业”表一致);道路交通、火灾等可留空", example=None),
        _code("grade", "事故等级", vocab.GRADES, "填报等级:特别重大、重大、较大或一般", "一般",
              aliases=("等级",)),
        _count("deaths", "死亡人数", "人,整数", 1, aliases=("死亡",)),
        _count("serious_injuries", "重伤人数", "人,整数,含急性工业中毒", 0, aliases=("重伤",)),
        Field("direct_loss_wan", "直接经济损失(万元)", DECIMAL, "万元,可含两位小数", 12.5, True,
              aliases=("直接经济损失", "经济损失(万元)", "direct_loss_wan")),
        _text("summary", "事故简况", "发生经过和伤亡情况", "一辆货车在县道弯道处侧翻,造成1人死亡。",
              aliases=("简要经过", "事故经过")),
    ), aliases=("事故", "生产安全事故", "事故统计")),
    SheetSpec("targets", "目标指标", (
        _year(),
        _unit(required=False, header="单位", city_is_blank=True,
              help_text="单位名称或代码;全市指标留空或填“全市”", example=None),
        _sector(required=False, example=None, help_text="行业领域名称或代码;全部行业留空"),
        _code("metric", "指标", vocab.TARGET_METRICS, "指标名称或代码", "死亡人数控制指标(人)",
              aliases=("指标名称",)),
        _code("direction", "方向", vocab.TARGET_DIRECTIONS,
              "控制指标填“不超过”,建设目标填“不少于”", "不超过(控制指标)"),
        Field("value", "指标值", DECIMAL, "数值", 150, True, aliases=("目标值", "value")),
        _text("source", "来源", "文件名称或说明", "长安委〔2022〕1号", aliases=("依据",)),
    ), aliases=("控制指标", "年度目标"), scope_column=None),
    SheetSpec("key_tasks", "重点任务清单", (
        _text("code", "任务编号", "如 MK-01(进展表按此编号引用任务)", "MK-01", aliases=("编号",)),
        _year(), _sector(help_text="行业领域名称或代码;综合类填“综合”"),
        _code("notice_section", "通知条目", vocab.NOTICE_SECTIONS, "对应通知的第几条:二、三…", "二",
              aliases=("条目",)),
        _text("title", "任务名称", "简短名称", "瓦斯“零超限”专项治理"),
        _text("description", "任务内容", "任务要求", "开展瓦斯超限专项治理", aliases=("内容",)),
        Field("lead_department_code", "牵头科室", REF, "牵头科室名称或代码", "安全生产基础科", True,
              aliases=("牵头单位", "lead_department_code"),
              ref=Ref("departments", "code", "code", also_by="name")),
        _text("responsible_units", "责任单位", "责任单位,多个用顿号分隔", "各县区应急管理局"),
        _date("start_on", "计划开始日期", "任务计划开始日期", "2022-02-01", True, ("开始日期",)),
        _date("deadline", "完成时限", "任务完成时限", "2022-06-30", True, ("时限",)),
    ), aliases=("重点任务",), scope_column=None),
    SheetSpec("task_progress_reports", "重点任务进展", (
        Field("task_id", "任务编号", REF, "须与“重点任务清单”中的编号一致", "MK-01", True,
              aliases=("编号",), ref=Ref("key_tasks", "code")),
        _date("reported_on", "报送日期", "进展报送日期", "2022-03-15", True, ("日期",)),
        _count("progress_pct", "完成进度(%)", "0–100 的整数,100 表示已完成", 40,
               aliases=("进度", "完成进度")),
        _text("note", "进展情况", "本期进展", "已完成排查,正在整改", aliases=("进展",)),
    ), aliases=("任务进展",), scope_column=None),
    SheetSpec("hidden_dangers", "隐患台账", (
        _text("code", "隐患编号", "台账编号,每项隐患唯一", "YH2022-00001", aliases=("编号",)),
        _enterprise(), _unit(), _sector(),
        _date("found_on", "发现日期", "隐患发现日期", "2022-03-05", True, ("排查日期",)),
        _code("source", "来源", vocab.HAZARD_SOURCES, "企业自查、执法检查、专家服务、举报或上级交办",
              "企业自查", aliases=("隐患来源",)),
        _code("level", "隐患等级", vocab.HAZARD_LEVELS, "一般或重大", "一般", aliases=("等级",)),
        _code("category", "隐患类型", vocab.HAZARD_CATEGORIES, "设备设施、作业环境、安全管理或人员行为",
              "设备设施", aliases=("类型",)),
        _text("description", "隐患描述", "隐患情况", "配电柜接地线松动", aliases=("隐患内容",)),
        _text("measure", "整改措施", "整改措施", "紧固接地线并检测", aliases=("措施",)),
        _text("responsible_person", "整改责任人", "姓名", "王某某", aliases=("责任人",)),
        _date("deadline", "整改期限", "应完成整改的日期", "2022-03-20", True, ("整改时限",)),
        _date("rectify_started_on", "开始整改日期", "开始整改的日期;未开始留空"),
        _date("submitted_on", "申请验收日期", "整改完成、申请验收的日期;未申请留空",
              aliases=("整改完成日期",)),
        _date("closed_on", "销号日期", "验收销号日期;未销号留空", aliases=("验收销号日期",)),
        _text("accepted_by", "验收人", "验收人姓名;未销号留空", None, required=False),
        _date("regulator_reported_on", "报告监管部门日期", "重大隐患向监管部门报告的日期(双报告之一)",
              aliases=("报监管部门",)),
        _date("congress_reported_on", "报告职代会日期",
              "重大隐患向职工(代表)大会报告的日期(双报告之二)", aliases=("报职代会",)),
        Field("state", "状态", CODE, "可不填;填写时须与销号日期一致(已销号须有销号日期)", None,
              aliases=("整改状态", "隐患状态"), codes=vocab.HAZARD_STATES, check_only=True),
    ), aliases=("隐患排查治理台账", "隐患")),
    SheetSpec("coal_mines", "煤矿", (
        _text("name", "煤矿名称", "煤矿名称(各表按此名称引用煤矿)", "示例曦岚煤矿", aliases=("矿井名称",)),
        _enterprise("所属企业", required=False, help_text="所属企业全称;可留空"),
        _unit(), *_point(),
        _count("capacity_wt", "核定生产能力(万吨/年)", "万吨/年,整数", 240, aliases=("核定能力",)),
        Field("is_green_pilot", "绿色开采试点", BOOL, "是/否:省级绿色开采试点煤矿", "否", True,
              aliases=("is_green_pilot",)),
        Field("is_intelligent_demo", "智能化示范矿井", BOOL, "是/否", "否", True,
              aliases=("is_intelligent_demo",)),
    ), aliases=("煤矿名单",)),
    SheetSpec("mine_milestones", "试点示范节点", (
        _mine(),
        _code("programme", "所属工作", vocab.PROGRAMMES, "绿色开采试点或智能化示范矿井", "绿色开采试点"),
        _text("name", "节点名称", "建设节点", "绿色开采方案编制批复"),
        _date("planned_on", "计划完成日期", "节点计划完成日期", "2022-03-31", True),
        _date("achieved_on", "实际完成日期", "节点实际完成日期;未完成留空"),
    ), aliases=("建设节点",), scope_column=None),
    SheetSpec("working_faces", "工作面进度", (
        _text("code", "工作面编号", "每个工作面唯一", "GZM-2022-001", aliases=("编号",)),
        _mine(),
        _text("name", "工作面名称", "工作面名称", "15101综采工作面"),
        _code("face_type", "类型", vocab.FACE_TYPES, "综采或掘进", "综采", aliases=("工作面类型",)),
        _count("plan_year", "计划年度", "列入计划的年度", 2022, aliases=("年度",)),
        _date("planned_completion_on", "计划建成日期", "计划建成日期", "2022-09-30", True),
        _date("planned_on", "列入计划日期", "列入年度计划的日期", "2022-01-15", True),
        _date("construction_started_on", "开工建设日期", "未开工留空"),
        _date("self_assessed_on", "自评达标日期", "未自评留空"),
        _date("applied_on", "申报日期", "未申报留空"),
        _date("evaluated_on", "评定日期", "未评定留空"),
        _date("accepted_on", "通过日期", "公示通过(建成)日期;未通过留空", aliases=("建成日期",)),
    ), aliases=("智能化工作面", "智能化采掘工作面"), scope_column=None),
    SheetSpec("resource_sites", "应急资源点位", (
        _text("code", "点位编号", "每个点位唯一(物资、清点表按此编号引用)", "ZY-140423-001",
              aliases=("编号",)),
        _text("name", "名称", "储备库、队伍、避难场所或装备库名称", "襄垣县应急物资储备库",
              aliases=("点位名称",)),
        _code("kind", "类别", vocab.SITE_KINDS, "物资储备库、救援队伍、避难场所或装备库", "物资储备库"),
        _code("subkind", "细类", vocab.SITE_SUBKINDS, "如实物储备、矿山专业队、应急避难场所", "实物储备"),
        _code("level", "级别", vocab.SITE_LEVELS, "省级、市级、县级、乡镇级、村级或企业", "县级"),
        _unit(), *_point(),
        _count("capacity", "容纳人数", "避难场所可容纳人数;其他类别留空", None, required=False),
        _count("headcount", "队伍人数", "救援队伍人数;其他类别留空", None, required=False),
        _count("area_m2", "面积(平方米)", "平方米", 3200, required=False, aliases=("面积",)),
        _text("contact_role", "联系人岗位", "值班或管理岗位(不填个人姓名)", "储备库管理员",
              aliases=("联系人",)),
    ), aliases=("应急资源", "资源点位")),
    SheetSpec("resource_items", "物资装备", (
        _site(),
        _text("item", "物资装备名称", "名称", "大流量排水泵", aliases=("名称", "物资名称")),
        _code("category", "类别", vocab.ITEM_CATEGORIES, "如排水抢险、倒灌堵漏、灭火", "排水抢险"),
        _count("quantity", "数量", "整数", 6),
        _text("uom", "计量单位", "台、套、米…", "台", aliases=("单位",)),
    ), aliases=("物资清单", "物资装备清单"), scope_column=None),
    SheetSpec("resource_checks", "物资清点", (
        _site(),
        _date("checked_on", "清点检查日期", "本次清点检查的日期", "2022-11-20", True, ("检查日期",)),
        _text("note", "情况说明", "可不填", None, required=False, aliases=("说明", "备注")),
    ), aliases=("物资清点检查",), scope_column=None),
    SheetSpec("leadership_activities", "会议与深入基层", (
        _unit(header="单位", help_text="单位名称或代码(市局填“长治市”)"),
        _date("held_on", "日期", "会议或检查日期", "2022-03-08", True),
        _code("kind", "类别", vocab.LEADERSHIP_KINDS, "研究安全生产工作会议或主要负责人深入基层",
              "研究安全生产工作会议"),
        _text("note", "内容摘要", "简要内容", "研究部署春季安全生产工作", aliases=("内容",)),
    ), aliases=("会议和深入基层",)),
    SheetSpec("coal_gas_events", "瓦斯事件", (
        _mine(),
        _date("occurred_on", "发生日期", "发生日期", "2022-03-12", True),
        _code("kind", "类别", vocab.GAS_EVENT_KINDS, "瓦斯超限或煤与瓦斯突出", "瓦斯超限"),
        _text("location", "发生地点", "工作面或巷道", "15101回风巷"),
        Field("peak_ch4_pct", "甲烷浓度峰值(%)", DECIMAL, "百分比数值,可留空", 1.2,
              aliases=("peak_ch4_pct",)),
        _text("summary", "简要经过与处置", "经过与处置", "断电撤人,排放后恢复", aliases=("经过",)),
    ), aliases=("瓦斯超限",), scope_column=None),
    SheetSpec("oil_gas_storage_assessments", "油气储存企业风险评估", (
        _enterprise(help_text="油气储存企业全称(须与“企业”表一致)", example="示例烁炜化工有限公司"),
        _date("assessed_on", "评估日期", "评估或复核日期", "2022-04-10", True),
        _code("risk_level", "风险等级", vocab.OIL_GAS_RISK_LEVELS, "高风险、较高风险、一般风险或低风险",
              "一般风险"),
    ), aliases=("油气储存企业",), scope_column=None),
    SheetSpec("major_hazard_sources", "重大危险源", (
        _text("code", "重大危险源编号", "备案编号(培训检查表按此编号引用)", "WX-140406-001",
              aliases=("编号",)),
        _text("name", "重大危险源名称", "名称", "示例烁炜化工有限公司罐区"),
        _enterprise(example="示例烁炜化工有限公司"), _unit(example="潞城区"),
        _sector(example="危险化学品"),
        _code("hazard_grade", "等级", vocab.HAZARD_SOURCE_GRADES, "一级至四级(一级最高)", "四级",
              aliases=("危险源等级",)),
        _text("responsible_role", "包保责任人岗位", "岗位(不填个人姓名)", "主要负责人"),
        _date("registered_on", "备案日期", "辨识备案日期", "2020-09-28", True),
    )),
    SheetSpec("major_hazard_source_events", "危险源培训检查", (
        Field("source_id", "重大危险源编号", REF, "须与“重大危险源”中的编号一致", "WX-140406-001", True,
              aliases=("编号",), ref=Ref("major_hazard_sources", "code")),
        _code("kind", "类别", vocab.HAZARD_SOURCE_EVENT_KINDS, "包保责任人培训或执法检查", "执法检查"),
        _date("held_on", "日期", "培训或检查日期", "2022-05-18", True),
    ), aliases=("重大危险源培训检查",), scope_column=None),
    SheetSpec("inspection_plans", "监督检查计划", (
        _year(), _unit(header="单位", help_text="执法单位名称或代码(市局填“长治市”)"),
        _count("planned_inspections", "计划检查(次)", "年度计划检查企业次数", 255,
               aliases=("计划检查次数",)),
    ), aliases=("年度监督检查计划",)),
    SheetSpec("inspection_progress", "监督检查进度", (
        _unit(header="单位", help_text="执法单位名称或代码(市局填“长治市”)"),
        _date("reported_on", "报送日期", "报送日期", "2022-05-31", True),
        _count("done_to_date", "年内累计完成(次)", "年内累计完成检查次数", 120,
               aliases=("累计完成检查次数",)),
    )),
    SheetSpec("risk_census_progress", "风险普查进度", (
        _unit(),
        _date("reported_on", "报送日期", "报送日期", "2022-05-20", True),
        _count("completion_pct", "完成进度(%)", "0–100 的整数", 65, aliases=("完成进度",)),
    )),
    SheetSpec("drills", "应急演练", (
        _unit(header="单位", help_text="组织单位名称或代码(市级填“长治市”)"),
        _date("held_on", "演练日期", "演练日期", "2022-06-16", True, ("日期",)),
        _code("kind", "类别", vocab.DRILL_KINDS, "综合性演练、专项演练或桌面推演", "综合性演练"),
        _text("title", "演练名称", "名称", "襄垣县2022年防汛综合应急演练"),
        _count("participants", "参演人数", "人", 320),
    )),
    SheetSpec("townships", "乡镇(街道)", (
        _text("name", "乡镇(街道)名称", "名称(人员配备表按此名称引用)", "古韩镇", aliases=("名称",)),
        _unit(),
    ), aliases=("乡镇街道", "乡镇")),
    SheetSpec("township_staffing", "乡镇人员配备", (
        Field("township_id", "乡镇(街道)名称", REF, "须与“乡镇(街道)”中的名称一致", "古韩镇", True,
              aliases=("乡镇(街道)", "乡镇"), ref=Ref("townships", "name")),
        _date("reported_on", "报送日期", "报送或人员变动日期", "2022-04-01", True),
        _count("staff", "工作人员(人)", "安全生产和应急管理工作人员数", 4, aliases=("人数",)),
    ), scope_column=None),
    SheetSpec("hazchem_monitoring_weekly", "危化监测周报", (
        _unit(),
        _date("week_ending", "统计周截止日期", "统计周的最后一天(周五)", "2022-11-25", True),
        _count("commit_required", "应发布承诺(企业·日)", "应发布安全承诺公告的企业·日", 14),
        _count("commit_on_time", "按时发布承诺(企业·日)", "按时发布的企业·日", 14),
        _count("sources_required", "应接入危险源(个)", "应接入的重大危险源", 6),
        _count("sources_connected", "已接入危险源(个)", "已接入的重大危险源", 6),
        _count("points_connected", "已接入点位(个)", "已接入的监测点位", 60),
        _count("points_online", "在线点位(个)", "在线监测点位(周平均)", 60),
        _count("alarms", "本周报警(条)", "本周报警条数", 7),
        _count("alarms_cleared", "已消警(条)", "本周报警中已消警条数", 7),
        _count("alarms_over_24h", "超24小时未消警(条)", "超过24小时未消警的条数", 0),
    ), aliases=("危化品监测预警周统计",)),
    SheetSpec("cyber_incidents", "网络安全事件", (
        _unit(header="单位", help_text="发生单位名称或代码(市局填“长治市”)"),
        _date("occurred_on", "发生日期", "发生日期", "2022-06-17", True),
        _code("severity", "事件级别", vocab.CYBER_SEVERITIES, "一般、较大、重大或特别重大", "一般",
              aliases=("级别",)),
        _text("system", "涉及系统", "系统名称", "门户网站"),
        _text("summary", "事件简况与处置", "经过与处置", "网页被篡改,已恢复并通报", aliases=("简况",)),
    )),
)

SPECS += (
    SheetSpec("plan_notices", "年度工作通知", (
        _year(2023),
        _text("title", "通知标题", "通知的标题(不含书名号)", "关于做好2023年应急管理工作的通知",
              aliases=("标题", "通知名称")),
        _text("doc_number", "文号", "发文字号;通知未载明时填“未载明”", "长应急发〔2023〕1号",
              aliases=("发文字号",)),
        _date("issued_on", "印发日期", "通知的印发日期", "2023-02-10", True, ("发文日期", "日期")),
        _text("checklist_title", "重点任务清单名称", "本年重点任务清单的名称",
              "专项整治巩固提升年重点任务清单", aliases=("任务清单名称",)),
    ), aliases=("工作通知", "年度通知"), scope_column=None,
        note="每年一行;记分卡、周报和大屏按统计日所在年度的通知显示。"),
    SheetSpec("plan_sections", "通知条目", (
        _year(2023),
        _text("code", "条目", "条目序号:一、二、三…(记分卡指标按此归入条目)", "一",
              aliases=("条目序号", "序号")),
        _text("title", "条目标题", "记分卡上显示的条目标题", "一、压实责任体系", aliases=("标题",)),
        _order(),
    ), aliases=("通知条目表",), scope_column=None),
    SheetSpec("plan_lines", "记分卡指标", (
        _year(2023),
        _text("code", "指标编号", "年内唯一的英文编号,沿用上年的指标请用上年的编号(便于同期对比)",
              "gas_over_limit", aliases=("编号",)),
        _text("name", "指标名称", "记分卡上显示的名称", "煤矿瓦斯超限", aliases=("名称",)),
        _code("measure", "计算口径", vocab.PLAN_MEASURES,
              "从口径目录中选择(名称或代码,见“代码表”和 docs/annual-plan.md)", "煤矿瓦斯超限",
              aliases=("口径",)),
        _code("rule", "判定规则", vocab.PLAN_RULES,
              "比率:达到目标为达标;按时间进度:年底前达到目标;每年一次按期限:12月31日前完成,"
              "9月30日前未完成为未到期;不超过:不超过目标(零控制填0)",
              "不超过", aliases=("规则",)),
        Field("target", "目标值", DECIMAL, "按计量单位:%填百分数(如100),其余填个数(零控制填0)", 0,
              True, aliases=("目标",)),
        _text("uom", "计量单位", "%、起、家、条、处…", "起", aliases=("单位",)),
        _text("section", "所属条目", "与“通知条目”中的条目序号一致", "二", aliases=("条目",)),
        _order(),
    ), aliases=("记分卡", "年度目标记分卡"), scope_column=None),
)

# The role table (docs/security.md): kept by the data administrator like any other table, but
# no part of the bureau's data (`make load` leaves it alone).
SPECS += (
    SheetSpec("app_users", "用户与角色", (
        _text("principal", "登录名", "统一身份认证的登录名;按身份提供方的组授权时写“group:组名”",
              "zhangsan", aliases=("用户名", "账号", "用户")),
        _code("role", "角色", access.ROLES, "局领导、市局科室、县区或数据管理员", "县区"),
        _unit(required=False, help_text="县区角色所属的县区(名称或代码);其他角色留空"),
        _text("name", "姓名或说明", "可不填", "张某某(襄垣县应急管理局)", required=False,
              aliases=("姓名", "说明")),
    ), aliases=("用户角色", "用户名单"), scope_column=None, stamp=("updated_at", "updated_by"),
        note="每个登录名(或 group:组名)一行;角色在用户下次点击时生效。"),
)

SPECS_BY_TABLE = {spec.table: spec for spec in SPECS}
# The order tables are written in (parents first) and undone in (children first).
TABLE_ORDER = {table.name: i for i, table in
               enumerate((*schema.TABLES_IN_LOAD_ORDER, schema.app_users))}

