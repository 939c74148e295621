"""Importing the bureau's own files: every problem found before anything is written, upsert by
natural key with a preview, all-or-nothing commits, an exact undo, and the same figures as the
sample when the sample itself comes in through the template."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa
from openpyxl.utils.cell import coordinate_from_string

from data_access import schema
from data_access.importing import commit, parse
from data_access.importing.spec import EXAMPLE_MARK, SPECS, SPECS_BY_TABLE
from data_access.importing.templates import build_template
from tests.checksums import table_checksums
from tests.conftest import ROOT
from tests.importfill import HD_HEADER, enterprise_of, fill_template, plan_for, weekly_changes
from tests.sqlcheck import rows, scalar


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


# ---- reading values as clerks type them -----------------------------------------------------
@pytest.mark.parametrize("typed", ["2022-3-5", "2022-03-05", "2022/3/5", "2022/03/05",
                                   "2022.3.5", "2022年3月5日", "20220305", " 2022年03月05日 ",
                                   "２０２２－０３－０５", dt.date(2022, 3, 5),
                                   dt.datetime(2022, 3, 5), 44625.0])
def test_every_supported_date_form_reads_as_the_same_day(typed):
    assert parse.parse_date(typed) == dt.date(2022, 3, 5)


def test_times_and_bad_dates():
    assert parse.parse_datetime("2022年3月5日8时30分") == dt.datetime(2022, 3, 5, 8, 30)
    assert parse.parse_datetime("2022/3/5 8:30:15") == dt.datetime(2022, 3, 5, 8, 30, 15)
    assert parse.parse_datetime("2022-03-05T08:30") == dt.datetime(2022, 3, 5, 8, 30)
    for bad, reason in (("2022-02-30", "日期不存在"), ("2022-13-01", "日期不存在"),
                        ("三月五日", "不是日期"), ("2022-03-05 25:00", "时间不存在")):
        with pytest.raises(parse.BadValue, match=reason):
            parse.parse_datetime(bad)
    with pytest.raises(parse.BadValue, match="不含时间"):
        parse.parse_date("2022-03-05 08:30")


def test_numbers_booleans_and_text():
    assert parse.parse_integer("1,234") == 1234
    assert parse.parse_integer("１２") == 12
    assert parse.parse_integer(3.0) == 3
    assert parse.parse_decimal("1,234.56") == Decimal("1234.56")
    with pytest.raises(parse.BadValue, match="不是整数"):
        parse.parse_integer("2.5")
    with pytest.raises(parse.BadValue, match="不是数字"):
        parse.parse_decimal("十二")
    assert [parse.parse_bool(v) for v in ("是", "否", "Y", "false", "√")] == \
        [True, False, True, False, True]
    assert parse.parse_text("\u3000 襄垣县 ") == "襄垣县"
    assert parse.parse_text("   ") is None
    with pytest.raises(parse.BadValue, match="超过4个字符"):
        parse.parse_text("一二三四五", max_length=4)


# ---- bad files: every problem, nothing written -----------------------------------------------
def _bad_workbook(conn) -> bytes:
    firm, sector = enterprise_of(conn)
    book = openpyxl.Workbook()
    hd = book.active
    hd.title = "隐患台账"
    hd.append(HD_HEADER.split(","))
    good = ["YH2099-0001", firm, "襄垣县", sector, "2022-03-01", "企业自查", "一般", "设备设施",
            "描述", "措施", "王某某", "2022-03-20", None, None, None, "待整改"]
    hd.append(good)                                                      # row 2: fine
    hd.append(["YH2099-0002", good[1], "阿凡达县", *good[3:]])            # 3: unknown county
    hd.append(["YH2099-0003", *good[1:4], "2022-02-30", *good[5:]])      # 4: impossible date
    hd.append(["YH2099-0004", *good[1:14], "2022-02-01", "已销号"])      # 5: closed before found
    hd.append(good)                                                      # 6: duplicate key
    hd.append(["YH2099-0006", "示例不存在企业有限公司", *good[2:]])       # 7: no such enterprise
    hd.append(["YH2099-0007", *good[1:6], "特大", *good[7:]])            # 8: unknown code
    hd.append(["YH2099-0008", *good[1:4], "2031-01-01", *good[5:]])      # 9: in the future
    hd.append(["YH2099-0009", *good[1:10], None, *good[11:]])            # 10: required missing
    hd.append(["YH2099-0010", *good[1:14], None, "已销号"])              # 11: state vs dates
    accidents = book.create_sheet("事故快报")
    accidents.append(["事故编号", "发生时间", "县区", "行业领域", "事故等级", "死亡人数", "重伤人数",
                      "直接经济损失(万元)", "事故简况"])
    accidents.append(["SG2099-01", "2022-05-01 08:00", "沁县", "道路运输", "一般", 1.5, 0, 10,
                      "x"])                                              # 2: deaths not whole
    accidents.append(["SG2099-02", "2022-05-01 09:00", "沁县", "道路运输", "一般", -1, 0, 10,
                      "x"])                                              # 3: negative deaths
    sites = book.create_sheet("应急资源点位")
    sites.append(["点位编号", "名称", "类别", "细类", "级别", "县区", "纬度", "经度", "联系人岗位"])
    sites.append(["ZY-X-1", "x" * 81, "物资储备库", "实物储备", "县级", "沁县", 36.7, 112.6,
                  "管理员"])                                              # 2: name too long
    sites.append(["ZY-X-2", "点位", "物资储备库", "实物储备", "县级", "沁县", 39.9, 116.4,
                  "管理员"])                                              # 3: outside Changzhi
    progress = book.create_sheet("重点任务进展")
    progress.append(["任务编号", "报送日期", "完成进度(%)", "进展情况"])
    code = rows(conn, "SELECT code FROM key_tasks ORDER BY id LIMIT 1")[0][0]
    progress.append([code, "2022-05-01", 120, "x"])                     # 2: percent > 100
    faces = book.create_sheet("工作面进度")
    faces.append(["工作面编号", "煤矿名称"])                              # 1: required columns missing
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EXPECTED_PROBLEMS = {
    ("隐患台账", 3, "县区"): "不存在",
    ("隐患台账", 4, "发现日期"): "日期不存在",
    ("隐患台账", 5, "销号日期"): "早于发现日期",
    ("隐患台账", 6, "隐患编号"): "重复",
    ("隐患台账", 7, "企业名称"): "不存在",
    ("隐患台账", 8, "隐患等级"): "不是可选的值",
    ("隐患台账", 9, "发现日期"): "晚于今天",
    ("隐患台账", 9, "整改期限"): "早于发现日期",  # the same typo makes the deadline precede it
    ("隐患台账", 10, "整改责任人"): "必填项为空",
    ("隐患台账", 11, "状态"): "没有销号日期",
    ("事故快报", 2, "死亡人数"): "不是整数",
    ("事故快报", 3, "死亡人数"): "不能为负数",
    ("应急资源点位", 2, "名称"): "超过80个字符",
    ("应急资源点位", 3, "纬度"): "不在长治市范围内",
    ("重点任务进展", 2, "完成进度(%)"): "0到100",
    ("工作面进度", 1, ""): "缺少必填列",
}


def test_every_problem_of_a_bad_file_is_listed_and_nothing_is_written(scratch_engine):
    with scratch_engine.connect() as conn:
        before = table_checksums(conn)
        bad = _bad_workbook(conn)
    plan = plan_for(scratch_engine, ("周报.xlsx", bad))
    assert not plan.ok
    found = {}
    for p in plan.problems:
        found[(p.sheet, p.row, "" if p.reason == "缺少必填列" else p.column)] = p.reason
    assert set(found) == set(EXPECTED_PROBLEMS)
    for where, words in EXPECTED_PROBLEMS.items():
        assert words in found[where], (where, found[where])
    text = [str(p) for p in plan.problems]
    assert "周报.xlsx「隐患台账」第3行 [县区]:“阿凡达县”不存在" in " ".join(text)
    with pytest.raises(commit.ImportRefused, match="未导入任何数据"):
        commit.commit_plan(scratch_engine, plan)
    with scratch_engine.connect() as conn:
        assert table_checksums(conn) == before


def test_unreadable_files_get_a_chinese_reason(scratch_engine):
    plan = plan_for(scratch_engine, ("台账.xlsx", b"PK\x03\x04 not really a workbook"),
                 ("台账.csv", b"\xff\xfe\x00\x00\xff"), ("台账.pdf", b"%PDF-1.4"),
                 ("空.csv", b""))
    reasons = {p.file: p.reason for p in plan.problems}
    assert "不是有效的 Excel 文件" in reasons["台账.xlsx"]
    assert "编码" in reasons["台账.csv"] or "CSV" in reasons["台账.csv"]
    assert "只能导入" in reasons["台账.pdf"]
    assert "空" in reasons["空.csv"]


# ---- a weekly file: GBK, every date form, upsert ----------------------------------------------
DATE_FORMS = ("2022-3-5", "2022/03/06", "2022年3月7日", "2022.3.8", "20220309")


def test_gbk_csv_with_every_date_form_upserts_by_code(scratch_engine):
    with scratch_engine.connect() as conn:
        firm, sector = enterprise_of(conn)
        existing = rows(conn, "SELECT code FROM hidden_dangers WHERE found_on < :d ORDER BY id "
                              "LIMIT 1", d=dt.date(2022, 3, 5))[0][0]
        found_before = scalar(conn, "SELECT COUNT(*) FROM hidden_dangers")
    lines = [HD_HEADER]
    for n, typed in enumerate(DATE_FORMS, start=1):
        lines.append(f"YH2099-{n:04d},{firm},襄垣,{sector},{typed},执法检查,重大,作业环境,描述{n},"
                     f"措施,李某某,2022年4月30日,,,,整改中" if n == 1 else
                     f"YH2099-{n:04d},{firm},140423,{sector},{typed},企业自查,一般,设备设施,"
                     f"描述{n},措施,李某某,2022/4/30,{typed},,,整改中")
    lines[1] = lines[1].replace(",,,,整改中", f",{DATE_FORMS[0]},,,整改中")
    lines.append(f"{existing},{firm},襄垣县,{sector},2022-01-02,企业自查,一般,设备设施,改过的描述,"
                 "措施,李某某,2022-01-20,2022-01-02,2022-01-10,2022-01-12,已销号")
    data = _csv(*lines, encoding="gbk")
    plan = plan_for(scratch_engine, ("襄垣县隐患台账.csv", data))
    assert plan.ok, [str(p) for p in plan.problems]
    assert plan.files[0].encoding == "GB18030"
    changes = plan.tables["hidden_dangers"]
    assert (len(changes.new), len(changes.changed), changes.unchanged) == (5, 1, 0)
    assert "description" in changes.changed[0].after
    commit.commit_plan(scratch_engine, plan)
    with scratch_engine.connect() as conn:
        days = rows(conn, "SELECT code, found_on FROM hidden_dangers WHERE code LIKE 'YH2099-%' "
                          "ORDER BY code")
        assert [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10])
                for _, d in days] == [dt.date(2022, 3, n) for n in range(5, 10)]
        assert scalar(conn, "SELECT COUNT(*) FROM hidden_dangers") == found_before + 5
        assert rows(conn, "SELECT description FROM hidden_dangers WHERE code = :c",
                    c=existing) == [("改过的描述",)]
        assert scalar(conn, "SELECT COUNT(*) FROM hidden_dangers WHERE code = 'YH2099-0001' "
                            "AND level = 'major' AND unit_code = '140423'") == 1


def test_import_then_undo_restores_the_exact_previous_state(scratch_engine):
    with scratch_engine.connect() as conn:
        before = table_checksums(conn)
        county_rows = scalar(conn, "SELECT COUNT(*) FROM hidden_dangers WHERE unit_code = '140430'")
        other_rows = scalar(conn, "SELECT COUNT(*) FROM hidden_dangers WHERE unit_code <> '140430'")
        weekly = weekly_changes(conn)
    plan = plan_for(scratch_engine, ("沁县周报.xlsx", weekly))
    assert plan.ok, [str(p) for p in plan.problems]
    ledger = plan.tables["hidden_dangers"]
    assert (len(ledger.new), len(ledger.removed)) == (1, 2)
    assert ledger.unchanged + len(ledger.changed) == county_rows - 2
    assert plan.tables["accidents"].counts["new"] == 1
    batch = commit.commit_plan(scratch_engine, plan, user="clerk")
    with scratch_engine.connect() as conn:
        assert scalar(conn, "SELECT COUNT(*) FROM hidden_dangers WHERE unit_code = '140430'") == \
            county_rows - 1
        assert scalar(conn, "SELECT COUNT(*) FROM hidden_dangers WHERE unit_code <> '140430'") == \
            other_rows
        assert rows(conn, "SELECT code FROM accidents WHERE occurred_at = :t",
                    t=dt.datetime(2022, 11, 24, 7, 30)) == [("140430-202211240730",)]
        assert table_checksums(conn) != before
        assert commit.latest_undoable(conn).id == batch
    undone = commit.undo_latest(scratch_engine, user="clerk")
    assert undone.id == batch
    with scratch_engine.connect() as conn:
        assert table_checksums(conn) == before
        assert commit.latest_undoable(conn) is None
    with pytest.raises(commit.ImportRefused, match="没有可以撤销的导入"):
        commit.undo_latest(scratch_engine)


def test_the_same_file_twice_changes_nothing_the_second_time(scratch_engine):
    with scratch_engine.connect() as conn:
        weekly = weekly_changes(conn)
    commit.commit_plan(scratch_engine, plan_for(scratch_engine, ("周报.xlsx", weekly)))
    with scratch_engine.connect() as conn:
        after_first = table_checksums(conn)
        batches = scalar(conn, "SELECT COUNT(*) FROM import_batches")
    again = plan_for(scratch_engine, ("周报.xlsx", weekly))
    assert again.ok and not again.has_changes
    assert all(t.counts["new"] == t.counts["changed"] == t.counts["removed"] == 0
               for t in again.tables.values())
    with pytest.raises(commit.ImportRefused, match="没有需要导入的变化"):
        commit.commit_plan(scratch_engine, again)
    with scratch_engine.connect() as conn:
        assert table_checksums(conn) == after_first
        assert scalar(conn, "SELECT COUNT(*) FROM import_batches") == batches


def test_a_plan_made_before_another_import_is_refused(scratch_engine):
    with scratch_engine.connect() as conn:
        weekly = weekly_changes(conn)
    first = plan_for(scratch_engine, ("a.xlsx", weekly))
    second = plan_for(scratch_engine, ("b.xlsx", weekly))
    commit.commit_plan(scratch_engine, first)
    with pytest.raises(commit.ImportRefused, match="重新上传分析"):
        commit.commit_plan(scratch_engine, second)


def test_removing_a_row_that_others_still_refer_to_is_refused(scratch_engine):
    with scratch_engine.connect() as conn:
        site = rows(conn, "SELECT code, name FROM resource_sites WHERE unit_code = '140430' "
                          "AND id IN (SELECT site_id FROM resource_items) ORDER BY id")[0]
        keep = rows(conn, "SELECT code, name, kind, subkind, level, lat, lon, contact_role "
                          "FROM resource_sites WHERE unit_code = '140430' AND code <> :c",
                    c=site[0])
    spec = SPECS_BY_TABLE["resource_sites"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.sheet
    sheet.append(["点位编号", "名称", "类别", "细类", "级别", "县区", "纬度", "经度", "联系人岗位"])
    for code, name, kind, subkind, level, lat, lon, role in keep:
        sheet.append([code, name, kind, subkind, level, "沁县", lat, lon, role])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_for(scratch_engine, ("点位.xlsx", buffer.getvalue()),
                 complete={"resource_sites": "140430"})
    assert not plan.ok
    assert any("仍有" in p.reason and "物资装备" in p.reason for p in plan.problems)


# ---- a killed import leaves the data as it was -----------------------------------------------
def test_an_import_killed_while_writing_leaves_the_previous_data(scratch_engine, tmp_path):
    with scratch_engine.connect() as conn:
        before = table_checksums(conn, (*schema.TABLES_IN_LOAD_ORDER, *schema.LOG_TABLES))
        firm, sector = enterprise_of(conn)
    big = tmp_path / "大台账.csv"
    with big.open("w", encoding="utf-8") as handle:
        handle.write(HD_HEADER.rsplit(",", 4)[0] + "\n")
        for n in range(40_000):
            handle.write(f"YH2098-{n:06d},{firm},襄垣县,{sector},2022-06-01,企业自查,一般,"
                         "设备设施,描述,措施,王某某,2022-06-30\n")
    url = scratch_engine.url.render_as_string(hide_password=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "data_access.importing", str(big), "--url", url, "--yes",
         "--progress"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:  # wait for the event, however slow the machine
            if "正在写入 hidden_dangers" in line:
                os.kill(process.pid, signal.SIGSTOP)  # frozen at once, mid-transaction
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    scratch_engine.dispose()
    with scratch_engine.connect() as conn:
        assert table_checksums(conn, (*schema.TABLES_IN_LOAD_ORDER, *schema.LOG_TABLES)) == before


# ---- the sample through the template: the same database, the same pages ---------------------
def test_template_has_a_sheet_per_table_with_comments_lists_and_an_example(sample_conn):
    book = openpyxl.load_workbook(io.BytesIO(build_template(sample_conn)))
    assert book.sheetnames[:2] == ["填写说明", "导入说明"]
    assert book["代码表"].sheet_state == "hidden"
    for spec in SPECS:
        sheet = book[spec.sheet]
        headers = [c.value for c in sheet[1]]
        assert headers == [f.header + ("*" if f.required else "") for f in spec.fields]
        assert all(c.comment is not None and f.help in c.comment.text
                   for c, f in zip(sheet[1], spec.fields))
        assert str(sheet.cell(2, 1).value).startswith(EXAMPLE_MARK)
        coded = {f.header for f in spec.fields if f.kind == "code" or
                 (f.kind == "ref" and f.ref.also_by)}
        validated = set()
        for rule in sheet.data_validations.dataValidation:
            letter = coordinate_from_string(str(rule.sqref).split(":")[0])[0]
            validated.add(sheet[f"{letter}1"].value.rstrip("*"))
        assert validated == coded, spec.sheet


def test_the_sample_imported_through_the_template_is_the_same_database(sample_conn, tmp_path):
    filled = fill_template(build_template(sample_conn), sample_conn)
    target = sa.create_engine(f"sqlite:///{tmp_path / 'imported.sqlite'}")
    schema.metadata.create_all(target)
    plan = plan_for(target, ("数据导入模板.xlsx", filled), today=dt.date(2022, 11, 25))
    assert plan.ok, [str(p) for p in plan.problems[:10]]
    commit.commit_plan(target, plan)
    tables = tuple(t for t in schema.TABLES_IN_LOAD_ORDER if t.name != "dataset_info")
    with target.connect() as conn:
        assert table_checksums(conn, tables) == table_checksums(sample_conn, tables)


PAGES = (("overview", {}), ("accidents", {}), ("rectification", {}),
         ("rectification", {"rectification.tab": "隐患排查治理"}), ("mining", {}),
         ("resources", {}))


def _page_figures(url: str, monkeypatch) -> list:
    """Every metric and table every page shows, on the database at `url`."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import open_page

    monkeypatch.setenv("DATABASE_URL", url)
    figures = []
    for page, params in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), page,
                       as_of="2022-11-25", **params)
        figures.append((page, [(m.label, m.value) for m in at.metric],
                        [d.value.to_csv() for d in at.dataframe]))
    return figures


def test_pages_show_the_same_figures_on_the_imported_sample(sample_conn, sample_sqlite_url,
                                                           tmp_path, monkeypatch):
    filled = fill_template(build_template(sample_conn), sample_conn)
    path = tmp_path / "imported.sqlite"
    target = sa.create_engine(f"sqlite:///{path}")
    schema.metadata.create_all(target)
    with target.begin() as conn:
        conn.execute(schema.dataset_info.insert(), [{"key": "is_sample", "value": "false"}])
    commit.commit_plan(target, plan_for(target, ("模板.xlsx", filled), today=dt.date(2022, 11, 25)))
    target.dispose()
    imported = _page_figures(f"sqlite:///{path}", monkeypatch)
    sample = _page_figures(sample_sqlite_url, monkeypatch)
    assert [page for page, _, _ in imported] == [page for page, _, _ in sample]
    for (page, metrics, tables), (_, sample_metrics, sample_tables) in zip(imported, sample):
        assert metrics and metrics == sample_metrics, page
        assert tables == sample_tables, page


# ---- the 数据管理 page and the command line --------------------------------------------------
def _admin_app(monkeypatch, url: str):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_DATA_ADMIN", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def sample_copy(sample_sqlite_path, tmp_path) -> tuple[str, sa.Engine, dict, int]:
    """A copy of the sample to change: its URL, an engine, every table's checksum, and the
    year's deaths as the overview shows them."""
    path = tmp_path / "copy.sqlite"
    path.write_bytes(sample_sqlite_path.read_bytes())
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        deaths = scalar(conn, "SELECT SUM(deaths) FROM accidents WHERE occurred_at >= :s",
                        s=dt.datetime(2022, 1, 1))
        return url, engine, table_checksums(conn), deaths


def _frame(at, column: str):
    """The table on the page that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _weekly_accident(when: dt.datetime) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "事故快报"
    sheet.append(["事故编号", "发生时间", "县区", "行业领域", "事故等级", "死亡人数", "重伤人数",
                  "直接经济损失(万元)", "事故简况"])
    sheet.append(["SG2022-9001", when, "沁县", "道路运输", "一般", 2, 1, 48.5,
                  "一辆货车在县道侧翻,造成2人死亡、1人重伤。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_admin_page_imports_after_a_preview_and_undoes(monkeypatch, tmp_path,
                                                           sample_sqlite_path):
    from tests.conftest import metric_values

    url, engine, before, deaths = sample_copy(sample_sqlite_path, tmp_path)
    upload = _weekly_accident(dt.datetime(2022, 11, 24, 16, 0))
    at = _admin_app(monkeypatch, url)
    at.run()
    at.switch_page("pages/overview.py").run()
    assert metric_values(at)["死亡人数"] == f"{deaths}人"
    at.switch_page("pages/data.py").run()
    assert not at.exception
    at.file_uploader(key="admin.files").set_value(("沁县快报.xlsx", upload, "application/xlsx"))
    at.run()
    assert not at.get("button") or not any(b.key == "admin.confirm" for b in at.button)
    at.button(key="admin.analyse").click().run()
    summary = _frame(at, "数据表")
    assert summary.loc[0, "数据表"] == "事故快报" and summary.loc[0, "新增"] == 1
    with engine.connect() as conn:
        assert table_checksums(conn) == before  # nothing written by the preview
    at.button(key="admin.confirm").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)
    at.switch_page("pages/overview.py").run()
    assert metric_values(at)["死亡人数"] == f"{deaths + 2}人"
    at.switch_page("pages/data.py").run()
    history = _frame(at, "操作人")
    assert history.loc[0, "文件"] == "沁县快报.xlsx" and history.loc[0, "类别"] == "导入"
    at.checkbox(key="admin.undo_sure").check().run()
    at.button(key="admin.undo").click().run()
    assert any("已撤销" in s.value for s in at.success)
    with engine.connect() as conn:
        assert table_checksums(conn) == before
    at.switch_page("pages/overview.py").run()
    assert metric_values(at)["死亡人数"] == f"{deaths}人"
    engine.dispose()


def test_the_admin_page_lists_problems_and_offers_no_confirm(monkeypatch, tmp_path,
                                                             sample_sqlite_path):
    url, _, _, _ = sample_copy(sample_sqlite_path, tmp_path)
    at = _admin_app(monkeypatch, url)
    at.run()
    at.switch_page("pages/data.py").run()
    bad = _csv("发生时间,县区,行业领域,事故等级,死亡人数,重伤人数,直接经济损失(万元),事故简况",
               "2022-02-30 08:00,火星县,道路运输,一般,1,0,5,x", encoding="gbk")
    at.file_uploader(key="admin.files").set_value(("坏文件.csv", bad, "text/csv"))
    at.run()
    at.button(key="admin.analyse").click().run()
    assert "发现 2 处问题" in at.error[0].value
    problems = _frame(at, "问题")
    assert sorted(problems["问题"].str.slice(0, 4)) == ["不存在:", "日期不存"]
    assert not any(b.key == "admin.confirm" for b in at.button)


def test_the_admin_page_is_absent_unless_enabled(monkeypatch, sample_sqlite_url):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", sample_sqlite_url)
    monkeypatch.delenv("DASHBOARD_DATA_ADMIN", raising=False)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data.py")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "data_access.importing", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_command_line_previews_imports_and_undoes(tmp_path, sample_sqlite_path):
    url, engine, before, _ = sample_copy(sample_sqlite_path, tmp_path)
    upload = tmp_path / "快报.xlsx"
    upload.write_bytes(_weekly_accident(dt.datetime(2022, 11, 24, 16, 0)))
    dry = _cli(str(upload), "--url", url, "--dry-run")
    assert dry.returncode == 0 and "事故快报:新增 1" in dry.stdout
    unconfirmed = _cli(str(upload), "--url", url)  # no terminal to answer: nothing is written
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    with engine.connect() as conn:
        assert table_checksums(conn) == before
    done = _cli(str(upload), "--url", url, "--yes")
    assert done.returncode == 0 and "已导入" in done.stdout
    again = _cli(str(upload), "--url", url, "--yes")
    assert again.returncode == 0 and "没有需要导入的变化" in again.stdout
    undone = _cli("--undo", "--url", url, "--yes")
    assert undone.returncode == 0 and "已撤销" in undone.stdout
    with engine.connect() as conn:
        assert table_checksums(conn) == before
    missing = _cli(str(tmp_path / "没有这个文件.xlsx"), "--url", url)
    assert missing.returncode == 1 and "无法读取文件" in missing.stderr
    for result in (dry, unconfirmed, done, again, undone, missing):
        assert "Traceback" not in result.stderr
    engine.dispose()


def test_the_admin_page_says_when_the_ledger_counts_are_stale_and_recounts(
        monkeypatch, tmp_path, sample_sqlite_path):
    from data_access import rollups

    url, engine, _, _ = sample_copy(sample_sqlite_path, tmp_path)
    at = _admin_app(monkeypatch, url)
    at.run()
    at.switch_page("pages/data.py").run()
    assert any("统计表与台账明细一致" in c.value for c in at.caption)
    assert not any(b.key == "admin.recount" for b in at.button)
    with engine.begin() as conn:  # a change that bypasses the import
        conn.execute(sa.text("UPDATE hidden_dangers SET closed_on = NULL "
                             "WHERE id = (SELECT MIN(id) FROM hidden_dangers)"))
        assert not rollups.fresh(conn)
    at.run()
    assert any("统计表已过期" in w.value for w in at.warning)
    at.button(key="admin.recount").click().run()
    assert any("已重新统计" in s.value for s in at.success)
    with engine.connect() as conn:
        assert rollups.fresh(conn)
    engine.dispose()
