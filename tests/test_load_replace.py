"""`make load` / `--replace` never loses data, on SQLite, PostgreSQL and MariaDB: a bad file,
loading into filled tables, and a load killed half-way all leave every table's rows exactly as
they were (row counts and a SHA-256 over the rows in primary-key order)."""

from __future__ import annotations

import csv
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import db, loader
from tests.checksums import table_checksums
from tests.conftest import BACKENDS, ROOT, load_sample, server_url

GENERATED_HIDDEN_DANGERS = 300_000
KILL_WAIT_SECONDS = 600  # generous: the kill is triggered by a progress line, not by time


@pytest.fixture(scope="module", params=list(BACKENDS))
def loaded(request, tmp_path_factory):
    """(engine, url) of each backend's database holding the sample; the servers' are left
    holding it, as the other modules expect."""
    variable = BACKENDS[request.param]
    if variable is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('load') / 'load.sqlite'}"
        engine = sa.create_engine(url)
        db.load_into(engine)
    else:
        url = server_url(variable)
        engine = db.create_bureau_engine(url)
        load_sample(engine)
    yield engine, url
    if variable is not None:
        load_sample(engine)
    engine.dispose()


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per dashboard table: its row count and checksum (`tests.checksums`). Opened afresh, so
    SQLite rolls back a killed writer's hot journal."""
    engine = db.create_bureau_engine(url)
    try:
        with engine.connect() as conn:
            return table_checksums(conn)
    finally:
        engine.dispose()


def _load_cli(url: str, csv_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "data_access.load", "--url", url, "--csv-dir", str(csv_dir),
            *extra]


@pytest.fixture(scope="module")
def large_csv_dir(tmp_path_factory) -> Path:
    """The sample CSVs with GENERATED_HIDDEN_DANGERS more hidden dangers (the sample's rows
    again under new ids and codes), so a load spends long enough on that table to be killed
    inside it."""
    target = tmp_path_factory.mktemp("large") / "csv"
    shutil.copytree(db.SAMPLE_CSV_DIR, target)
    path = target / "hidden_dangers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sample = list(reader)
    first_id = max(int(row[0]) for row in sample) + 1
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for i in range(GENERATED_HIDDEN_DANGERS):
            row = list(sample[i % len(sample)])
            row[header.index("id")] = str(first_id + i)
            row[header.index("code")] = f"GEN{i:09d}"
            writer.writerow(row)
    return target


def test_replace_with_a_bad_file_changes_nothing(loaded, tmp_path):
    engine, url = loaded
    before = fingerprint(url)
    bad = tmp_path / "csv"
    shutil.copytree(db.SAMPLE_CSV_DIR, bad)
    with (bad / "hidden_dangers.csv").open("a", encoding="utf-8") as handle:
        handle.write("999999,BAD-1,1,140423,coal,2022-02-30,self_check,general,management,"
                     "日期不存在,整改,某某,2022-03-31,,,,,,\n")
    result = subprocess.run(_load_cli(url, bad, "--replace"), cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1
    assert "未导入任何数据" in result.stderr and "hidden_dangers.csv 第5452行" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(url) == before


def test_loading_into_filled_tables_without_replace_is_refused(loaded):
    engine, url = loaded
    before = fingerprint(url)
    result = subprocess.run(_load_cli(url, db.SAMPLE_CSV_DIR), cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1
    assert "以下数据表中已有数据" in result.stderr and "--replace" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(url) == before


def test_replace_swaps_in_the_files_rows(loaded, tmp_path):
    engine, url = loaded
    before = fingerprint(url)
    fewer = tmp_path / "csv"
    shutil.copytree(db.SAMPLE_CSV_DIR, fewer)
    lines = (fewer / "accidents.csv").read_text(encoding="utf-8").splitlines()
    (fewer / "accidents.csv").write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    counts = db.load_into(engine, fewer, replace=True)
    after = fingerprint(url)
    assert counts["accidents"] == after["accidents"][0] == 10
    assert {t: v for t, v in after.items() if t != "accidents"} == \
        {t: v for t, v in before.items() if t != "accidents"}
    db.load_into(engine, replace=True)
    assert fingerprint(url) == before


def test_an_empty_folder_is_refused(loaded, tmp_path):
    engine, url = loaded
    before = fingerprint(url)
    with pytest.raises(loader.LoadError) as caught:
        db.load_into(engine, tmp_path, replace=True)
    assert "没有可导入的 CSV 文件" in str(caught.value.problems[0])
    assert fingerprint(url) == before


def test_a_load_killed_while_inserting_leaves_the_previous_data(loaded, large_csv_dir):
    engine, url = loaded
    before = fingerprint(url)
    process = subprocess.Popen(_load_cli(url, large_csv_dir, "--replace", "--progress"),
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    watchdog = threading.Timer(KILL_WAIT_SECONDS, process.kill)
    watchdog.start()
    seen = []
    try:
        for line in process.stderr:
            seen.append(line.rstrip())
            if line.startswith("正在写入 hidden_dangers"):
                process.send_signal(signal.SIGKILL)
                break
    finally:
        watchdog.cancel()
        process.stderr.close()
        process.wait(timeout=60)
    assert seen and seen[-1].startswith("正在写入 hidden_dangers"), seen[-5:]
    assert process.returncode == -signal.SIGKILL
    # The rows written before the kill were the whole of the earlier tables.
    assert any(line.startswith("正在写入 accidents") for line in seen)
    assert fingerprint(url) == before
