"""Loading CSV files: a bad file is reported row by row in Chinese and nothing is loaded."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import db, loader
from tests.conftest import ROOT

ACCIDENTS_HEADER = ("id,code,occurred_at,unit_code,sector_code,enterprise_id,grade,deaths,"
                    "serious_injuries,direct_loss_wan,summary")


@pytest.fixture
def csv_dir(tmp_path):
    """A copy of the sample CSV files, to break on purpose."""
    target = tmp_path / "csv"
    shutil.copytree(db.SAMPLE_CSV_DIR, target)
    return target


def _check(table, path):
    return loader.check_csv(table, path, loader._Keys(None), {table.name}, dt.date(2022, 11, 25))


def _write(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_bad_row_is_reported_with_line_and_nothing_is_loaded(csv_dir, tmp_path):
    _write(csv_dir / "accidents.csv", ACCIDENTS_HEADER,
           "1,SG-1,2022-03-01 08:00,140423,coal,,general,1,0,12.50,正常记录",
           "2,SG-2,2022-13-45 08:00,140423,coal,,general,1,0,12.50,日期不对",
           "3,SG-3,2022-03-02 08:00,999999,coal,,general,1,0,12.50,县区代码不存在",
           "4,SG-4,2022-03-03 08:00,140423,coal,,general,一人,0,12.50,死亡人数不是数字",
           "5,SG-5,2022-03-04 08:00,140423,coal,,,1,0,12.50,")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'target.sqlite'}")
    with pytest.raises(loader.LoadError) as caught:
        db.load_into(engine, csv_dir)
    found = {(p.file, p.line, p.column) for p in caught.value.problems}
    assert found == {("accidents.csv", 3, "occurred_at"), ("accidents.csv", 4, "unit_code"),
                     ("accidents.csv", 5, "deaths"), ("accidents.csv", 6, "grade"),
                     ("accidents.csv", 6, "summary")}
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "第3行" in messages and "不是长治市的县区" in messages and "必填项为空" in messages
    with engine.connect() as conn:
        for table in ("units", "enterprises", "accidents", "hidden_dangers"):
            assert conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0


def test_impossible_coordinates_and_unknown_columns_are_refused(csv_dir):
    sites = (csv_dir / "resource_sites.csv").read_text(encoding="utf-8").splitlines()
    fields = sites[1].split(",")
    fields[6], fields[7] = "91.5", "200.1"  # lat, lon
    sites[1] = ",".join(fields)
    (csv_dir / "resource_sites.csv").write_text("\n".join(sites) + "\n", encoding="utf-8")
    _write(csv_dir / "sectors.csv", "code,name,sort_order,colour", "coal,煤矿,0,black")
    with pytest.raises(loader.LoadError) as caught:
        db.load_into(sa.create_engine("sqlite://"), csv_dir)
    problems = [str(p) for p in caught.value.problems]
    assert any("resource_sites.csv 第2行" in p and "不在长治市范围内" in p for p in problems)
    problems = _check(loader.schema.sectors, csv_dir / "sectors.csv")
    assert [p.message for p in problems] == ["表头中有数据库没有的列"]
    assert problems[0].column == "colour"


def test_a_file_that_is_not_utf8_gets_a_clear_message(csv_dir):
    (csv_dir / "sectors.csv").write_bytes("code,name,sort_order\ncoal,煤矿,0\n".encode("gbk"))
    problems = _check(loader.schema.sectors, csv_dir / "sectors.csv")
    assert len(problems) == 1 and "UTF-8" in problems[0].message


def test_load_command_prints_the_problems_in_chinese_and_fails(csv_dir, tmp_path):
    _write(csv_dir / "accidents.csv", ACCIDENTS_HEADER,
           "1,SG-1,2022-03-01 08:00,140499,coal,,general,1,0,12.50,县区代码不存在")
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = subprocess.run([sys.executable, "-m", "data_access.load", "--url", url,
                             "--csv-dir", str(csv_dir)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert "未导入任何数据" in result.stderr and "accidents.csv 第2行" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_sample_files_give_a_chinese_page_not_a_traceback(csv_dir, tmp_path,
                                                                 monkeypatch):
    _write(csv_dir / "accidents.csv", ACCIDENTS_HEADER,
           "1,SG-1,not-a-date,140423,coal,,general,1,0,12.50,日期不对")
    import streamlit as st

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "SECRETS_PATH", tmp_path / "absent.toml")
    monkeypatch.setattr(db.resolve_database, "__defaults__", (None, tmp_path / "absent.toml"))
    monkeypatch.setattr(db, "SAMPLE_DB_PATH", tmp_path / "sample.sqlite")
    monkeypatch.setattr(db.ensure_sample_database, "__defaults__",
                        (tmp_path / "sample.sqlite", csv_dir))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "示例数据文件" in at.error[0].value
    assert "accidents.csv 第2行" in at.error[0].value
    assert not (tmp_path / "sample.sqlite").exists()
