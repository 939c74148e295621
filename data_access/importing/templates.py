"""The import template: one workbook, one sheet per importable table, ready for the clerks.

Each sheet has the Chinese headers of its `SheetSpec` (required ones marked *), a comment on
every header with the column's meaning, format and allowed values, drop-down lists for coded
columns and for units, sectors and departments, and one example row, which the import skips
as long as it is left unchanged. `导入说明` lets a file declare tables it holds completely.

    python -m data_access.importing.templates [--out out/templates/数据导入模板.xlsx]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from data_access import schema
from data_access.db import open_target
from data_access.importing.spec import (
    CODE,
    DECLARATION_SHEETS,
    EXAMPLE_MARK,
    GUIDE_SHEET,
    LISTS_SHEET,
    REF,
    SPECS,
    Field,
    SheetSpec,
)

TEMPLATE_NAME = "数据导入模板.xlsx"
EXAMPLE_FONT = Font(italic=True, color="808080")
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")
DATA_ROWS = 5000  # rows that carry the drop-down lists

GUIDE = (
    ("长治市应急管理局安全生产态势感知平台 数据导入模板", True),
    ("", False),
    ("一、每张工作表对应一张数据表,表头不要改动;带 * 的列必须填写。鼠标停在表头上可看该列的含义和格式。", False),
    ("二、第2行(灰色斜体,以“【示例】”开头)是填写示例,导入时自动跳过;可以保留,也可以删除。", False),
    ("三、可以只填需要的工作表,其余工作表留空即可;每周报送时通常只需“事故快报”“隐患台账”“重点任务进展”"
     "“工作面进度”“物资清点”等。", False),
    ("四、县区、行业领域、事故等级等列可从下拉列表选择,也可填写名称或代码(如“襄垣县”或 140423)。", False),
    ("五、日期可写 2022-03-05、2022/3/5、2022年3月5日,或使用 Excel 日期格式;数字可带千位分隔符。", False),
    ("六、导入按编号等关键字“新增或更新”:已有的记录会被更新,文件中没有的记录保持不变。", False),
    ("七、如果某张表是某个县区(或全市)的完整数据,可在“导入说明”表中声明;导入时会列出数据库中有、"
     "文件中没有的记录,确认后删除。", False),
    ("八、导入前会先检查全部数据并预览变化,有任何问题都不会写入;导入后可以撤销最近一次导入。", False),
    ("九、请勿在表中填写个人电话等与统计无关的个人信息。", False),
)


def _header_comment(spec: SheetSpec, f: Field) -> str:
    column = spec.sa_table.c[f.column] if not f.check_only else None
    lines = [f"{f.header}{'(必填)' if f.required else '(选填)'}", f.help]
    if f.kind == CODE:
        lines.append("可选:" + "、".join(map(str, f.codes.values())))
    if column is not None and isinstance(column.type, sa.String) and column.type.length:
        lines.append(f"最多{column.type.length}个字")
    if spec.key == (f.column,) or f.column in spec.key:
        lines.append("用于识别同一条记录的关键字段之一")
    return "\n".join(lines)


def _list_values(f: Field, names: dict[str, list[str]]) -> list[str] | None:
    if f.kind == CODE:
        return [str(v) for v in f.codes.values()]
    if f.kind == REF and f.ref.also_by:
        values = names.get(f.ref.table, [])
        return ["全市", *values] if f.city_is_blank else values
    return None


def reference_names(conn: sa.Connection) -> dict[str, list[str]]:
    """Names of the database's units, sectors and departments, for the drop-down lists."""
    return {name: list(conn.execute(sa.select(table.c.name)
                                    .order_by(table.c.sort_order)).scalars())
            for name, table in (("units", schema.units), ("sectors", schema.sectors),
                                ("departments", schema.departments))}


def _example_row(spec: SheetSpec) -> list[object]:
    """The example row: the first cell carries EXAMPLE_MARK, so that the import skips it."""
    values = ["" if f.example is None else f.example for f in spec.fields]
    values[0] = f"{EXAMPLE_MARK}{values[0]}"
    return values


def build_template(conn: sa.Connection) -> bytes:
    """The template workbook as .xlsx bytes, with the database's units, sectors and
    departments in the drop-down lists."""
    names = reference_names(conn)
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    for text, bold in GUIDE:
        guide.append([text])
        guide.cell(guide.max_row, 1).font = Font(bold=bold, size=14 if bold else 11)
    guide.column_dimensions["A"].width = 120

    lists = book.create_sheet(LISTS_SHEET)
    list_ranges: dict[tuple[str, ...], str] = {}

    def list_range(values: list[str]) -> str:
        key = tuple(values)
        if key not in list_ranges:
            col = len(list_ranges) + 1
            letter = get_column_letter(col)
            for row, value in enumerate(values, start=1):
                lists.cell(row, col, value)
            list_ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"
        return list_ranges[key]

    declarations = book.create_sheet(DECLARATION_SHEETS[0])
    declarations.append(["表", "完整范围"])
    declarations.cell(1, 1).comment = Comment("完整提供的工作表名称,如“隐患台账”", "模板")
    declarations.cell(1, 2).comment = Comment(
        "“全市”表示整张表;或填一个县区,表示该县区的数据完整。数据库中有而文件中没有的记录将在确认后删除。",
        "模板")
    for cell in declarations[1]:
        cell.font, cell.fill = HEADER_FONT, OPTIONAL_FILL
    declarations.column_dimensions["A"].width = 24
    declarations.column_dimensions["B"].width = 24
    sheet_list = DataValidation(type="list", formula1=list_range([s.sheet for s in SPECS]),
                                allow_blank=True)
    scope_list = DataValidation(type="list", formula1=list_range(["全市", *names["units"]]),
                                allow_blank=True)
    declarations.add_data_validation(sheet_list)
    declarations.add_data_validation(scope_list)
    sheet_list.add("A2:A40")
    scope_list.add("B2:B40")

    for spec in SPECS:
        sheet = book.create_sheet(spec.sheet)
        for col, f in enumerate(spec.fields, start=1):
            cell = sheet.cell(1, col, f.header + ("*" if f.required else ""))
            cell.font = HEADER_FONT
            cell.fill = REQUIRED_FILL if f.required else OPTIONAL_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            comment = Comment(_header_comment(spec, f), "模板")
            comment.width, comment.height = 320, 160
            cell.comment = comment
            example = sheet.cell(2, col, _example_row(spec)[col - 1])
            example.font = EXAMPLE_FONT
            width = max(len(f.header) * 2 + 4, len(str(f.example or "")) * 2 + 2, 10)
            sheet.column_dimensions[get_column_letter(col)].width = min(width, 40)
            values = _list_values(f, names)
            if values:
                rule = DataValidation(type="list", formula1=list_range(values), allow_blank=True,
                                      showErrorMessage=True, errorStyle="warning",
                                      errorTitle="不在下拉列表中",
                                      error="建议从下拉列表中选择;填写代码或简称也可以,导入时会核对。")
                sheet.add_data_validation(rule)
                letter = get_column_letter(col)
                rule.add(f"{letter}2:{letter}{DATA_ROWS}")
        sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    book.move_sheet(lists, offset=len(book.sheetnames) - 1 - book.sheetnames.index(LISTS_SHEET))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the import template workbook.")
    parser.add_argument("--out", type=Path, default=Path("out") / "templates" / TEMPLATE_NAME)
    parser.add_argument("--url", help="the database whose units and sectors fill the lists "
                                      "(default: the app's own)")
    args = parser.parse_args()
    engine = open_target(args.url)
    with engine.connect() as conn:
        data = build_template(conn)
    engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(args.out)


if __name__ == "__main__":
    main()
