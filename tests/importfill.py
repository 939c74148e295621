"""Fill the import template the way a clerk would: Chinese values, names instead of ids.

Reads every importable table of a database with plain SQL and writes its rows into the template
through openpyxl: codes become their Chinese labels, references become the referenced row's
name or number, booleans 是/否, dates Excel date cells. Used by the tests to import the sample
through the bureau's path and compare the pages.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import sqlalchemy as sa

from data_access.importing import analyse
from data_access.importing.read import SourceFile
from data_access.importing.spec import BOOL, CODE, REF, SPECS, SheetSpec
from tests.sqlcheck import rows


def _reference_text(conn: sa.Connection, spec: SheetSpec) -> dict[str, dict]:
    """For each REF column: stored key → the text a file uses for it."""
    texts = {}
    for f in spec.fields:
        if f.kind != REF:
            continue
        by = f.ref.also_by or f.ref.by
        stores = f.ref.stores
        texts[f.column] = dict(conn.execute(sa.text(
            f"SELECT {stores}, {by} FROM {f.ref.table}")).all())
    return texts


def cell_value(f, value, texts: dict[str, dict]):
    if value is None:
        return None
    if f.kind == CODE:
        return f.codes[value]
    if f.kind == REF:
        return texts[f.column][value]
    if f.kind == BOOL:
        return "是" if value in (True, 1, "1", "true") else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and f.kind in ("date", "datetime"):
        return dt.datetime.fromisoformat(value) if f.kind == "datetime" else \
            dt.date.fromisoformat(value[:10])
    return value


def fill_template(template: bytes, conn: sa.Connection, *, tables: tuple[str, ...] | None = None
                  ) -> bytes:
    """The template with every row of the database's importable tables (or of `tables`)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    for spec in SPECS:
        if tables is not None and spec.table not in tables:
            continue
        sheet = book[spec.sheet]
        texts = _reference_text(conn, spec)
        stored = [f for f in spec.fields if not f.check_only]
        columns = ", ".join(f.column for f in stored)
        pk = "code" if spec.table in ("units", "departments", "sectors") else "id"
        for row in conn.execute(sa.text(f"SELECT {columns} FROM {spec.table} ORDER BY {pk}")):
            sheet.append([cell_value(f, v, texts) for f, v in zip(stored, row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- files of a clerk's week, for the import tests ---------------------------------------
HD_HEADER = ("隐患编号,企业名称,县区,行业领域,发现日期,来源,隐患等级,隐患类型,隐患描述,整改措施,"
             "整改责任人,整改期限,开始整改日期,申请验收日期,销号日期,状态")


def enterprise_of(conn, unit: str = "140423") -> tuple[str, str]:
    """A sample enterprise of `unit`: its name and sector's Chinese name."""
    return tuple(rows(conn, "SELECT e.name, s.name FROM enterprises e JOIN sectors s ON "
                            "s.code = e.sector_code WHERE e.unit_code = :u ORDER BY e.id LIMIT 1",
                      u=unit)[0])


def plan_for(engine, *files: tuple[str, bytes], **kwargs) -> analyse.Plan:
    with engine.connect() as conn:
        return analyse.analyse(conn, [SourceFile(name, data) for name, data in files], **kwargs)


def weekly_changes(conn) -> bytes:
    """A workbook that adds, changes and (as a complete county ledger) removes rows."""
    firm, sector = enterprise_of(conn, "140430")
    ledger = rows(conn, "SELECT code, found_on, deadline FROM hidden_dangers WHERE unit_code = "
                        "'140430' ORDER BY id")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "隐患台账"
    sheet.append(HD_HEADER.split(",")[:12])
    for code, found, deadline in ledger[2:]:  # the first two are no longer in the ledger
        sheet.append([code, firm, "沁县", sector, found, "企业自查", "一般", "设备设施", "描述",
                      "措施", "赵某某", deadline])
    sheet.append(["YH2099-9001", firm, "沁县", sector, dt.date(2022, 11, 20), "举报", "重大",
                  "安全管理", "新发现", "措施", "赵某某", dt.date(2022, 12, 20)])
    declaration = book.create_sheet("导入说明")
    declaration.append(["表", "完整范围"])
    declaration.append(["隐患台账", "沁县"])
    accidents = book.create_sheet("事故快报")
    accidents.append(["发生时间", "县区", "行业领域", "事故等级", "死亡人数", "重伤人数",
                      "直接经济损失(万元)", "事故简况"])
    accidents.append([dt.datetime(2022, 11, 24, 7, 30), "沁县", "道路运输", "一般", 1, 0, 35.5,
                      "一辆货车侧翻,造成1人死亡。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
