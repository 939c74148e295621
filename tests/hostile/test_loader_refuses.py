"""`make load` (python -m data_access.load) refuses every bad folder with the file, line and
a Chinese reason, never a traceback, and changes nothing — on each backend."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from data_access import db
from tests.checksums import table_checksums
from tests.conftest import ROOT


def _edit(path, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")


def _set(column: str, value: str, row: int = 1):
    """A change to one field of data line `row` (fields without commas in the sample)."""
    def change(lines):
        header = lines[0].split(",")
        fields = lines[row].split(",")
        fields[header.index(column)] = value
        lines[row] = ",".join(fields)
        return lines
    return change


CASES = {  # name: (file, change, what the message must say)
    "duplicate id": ("accidents.csv", lambda lines: [*lines, lines[1]], "与第2行重复"),
    "orphan reference": ("hidden_dangers.csv", _set("enterprise_id", "99999"),
                         "在enterprises.csv中不存在"),
    "10,000-character name": ("departments.csv", _set("name", "长" * 10_000), "超过40个字符"),
    "negative deaths": ("accidents.csv", _set("deaths", "-3"), "不能为负数"),
    "unknown grade": ("accidents.csv", _set("grade", "超级"), "不是可选的代码"),
    "future date": ("hidden_dangers.csv", _set("found_on", "2031-01-01"), "晚于今天"),
}


@pytest.fixture
def bad_csv(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(db.SAMPLE_CSV_DIR, folder)
    return folder


def _load(engine, folder) -> subprocess.CompletedProcess:
    url = engine.url.render_as_string(hide_password=False)
    return subprocess.run([sys.executable, "-m", "data_access.load", "--url", url,
                           "--csv-dir", str(folder), "--replace"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_with_its_line_and_nothing_changes(scratch_engine, bad_csv, case):
    file, change, reason = CASES[case]
    _edit(bad_csv / file, change)
    with scratch_engine.connect() as conn:
        before = table_checksums(conn)
    result = _load(scratch_engine, bad_csv)
    assert result.returncode == 1
    assert "未导入任何数据" in result.stderr and file in result.stderr and reason in result.stderr
    assert "第" in result.stderr and "Traceback" not in result.stderr
    with scratch_engine.connect() as conn:
        assert table_checksums(conn) == before


def test_gbk_units_file_missing_file_and_empty_folder_are_refused(scratch_engine, bad_csv,
                                                                  tmp_path):
    with scratch_engine.connect() as conn:
        before = table_checksums(conn)
    units = bad_csv / "units.csv"
    units.write_bytes(units.read_text(encoding="utf-8").encode("gbk"))
    (bad_csv / "drills.csv").unlink()
    result = _load(scratch_engine, bad_csv)
    assert result.returncode == 1
    assert "units.csv" in result.stderr and "UTF-8" in result.stderr
    assert "drills.csv" in result.stderr and "缺少该表的文件" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _load(scratch_engine, empty)
    assert result.returncode == 1 and "没有可导入的 CSV 文件" in result.stderr
    assert "Traceback" not in result.stderr
    with scratch_engine.connect() as conn:
        assert table_checksums(conn) == before
