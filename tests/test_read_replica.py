"""A PostgreSQL streaming replica behind the pages: they read it, the import writes the
primary, an import shows on the pages once the replica has replayed it, and the 数据管理 page
says how far behind the replica is (tests/pg_replica.py starts the two servers)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa

from data_access import db, replication
from tests.conftest import ROOT, metric_values
from tests.deploy_tools import install_deploy_tools
from tests.pg_replica import streaming_pair, wait_until
from ui import replica

REPLAY_TIMEOUT_S = 180


@pytest.fixture(scope="module")
def pair():
    """(primary engine, replica engine), the sample loaded on the primary and replayed."""
    install_deploy_tools()
    with streaming_pair() as (primary_url, replica_url):
        primary = db.create_bureau_engine(primary_url)
        standby = db.create_bureau_engine(replica_url)
        db.load_into(primary)
        wait_until(lambda: status(primary, standby).caught_up, timeout=REPLAY_TIMEOUT_S,
                   what="the replica replaying the sample")
        yield primary, standby
        primary.dispose()
        standby.dispose()


def status(primary: sa.Engine, standby: sa.Engine) -> replication.ReplicaStatus:
    with primary.connect() as p, standby.connect() as r:
        return replication.get_replica_status(p, r)


def set_replay(standby: sa.Engine, *, paused: bool) -> None:
    with standby.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("SELECT pg_wal_replay_pause()" if paused
                             else "SELECT pg_wal_replay_resume()")
        if paused:
            wait_until(lambda: conn.exec_driver_sql(
                "SELECT pg_get_wal_replay_pause_state()").scalar() == "paused",
                timeout=REPLAY_TIMEOUT_S, what="the replica pausing its replay")


def deaths_on(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT SUM(deaths) FROM accidents WHERE occurred_at >= "
                                         ":start"), {"start": dt.datetime(2022, 1, 1)}).scalar())


def accident_workbook() -> bytes:
    """One new accident with 3 deaths, as a county bureau reports it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "事故快报"
    sheet.append(["事故编号", "发生时间", "县区", "行业领域", "事故等级", "死亡人数", "重伤人数",
                  "直接经济损失(万元)", "事故简况"])
    sheet.append(["SG2022-9161", dt.datetime(2022, 11, 24, 9, 30), "武乡县", "建筑施工", "一般",
                  3, 0, 120.0, "一处在建厂房脚手架坍塌,造成3人死亡。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def admin_messages(at) -> str:
    return " ".join(m.value for kind in ("success", "info", "warning") for m in getattr(at, kind))


def test_pages_read_the_replica_and_show_an_import_once_it_is_replayed(pair, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    primary, standby = pair
    monkeypatch.setenv("DATABASE_URL", primary.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATABASE_READ_URL", standby.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_DATA_ADMIN", "1")
    st.cache_data.clear()
    st.cache_resource.clear()
    deaths = deaths_on(primary)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/overview.py").run()
    assert metric_values(at)["死亡人数"] == f"{deaths}人"
    at.switch_page("pages/data.py").run()
    assert "只读副本已与主库同步" in admin_messages(at)

    set_replay(standby, paused=True)
    try:
        at.file_uploader(key="admin.files").set_value(
            ("武乡县快报.xlsx", accident_workbook(), "application/xlsx"))
        at.run()
        at.button(key="admin.analyse").click().run()
        at.button(key="admin.confirm").click().run()
        assert not at.exception
        assert any("已导入" in s.value for s in at.success)
        assert any("将在副本同步后显示" in i.value for i in at.info)
        assert deaths_on(primary) == deaths + 3 and deaths_on(standby) == deaths
        # The replica has not replayed the import: the pages read it, so they show the old data.
        at.switch_page("pages/overview.py").run()
        assert metric_values(at)["死亡人数"] == f"{deaths}人"
        at.switch_page("pages/data.py").run()
        waiting = admin_messages(at)
        assert "只读副本尚未同步最近的导入" in waiting and "当前落后主库" in waiting
        assert "回放已暂停" in waiting
        history = next(d.value for d in at.dataframe if "操作人" in d.value.columns)
        assert history.loc[0, "文件"] == "武乡县快报.xlsx"  # the history is the primary's
    finally:
        set_replay(standby, paused=False)
    wait_until(lambda: status(primary, standby).has_latest_import, timeout=REPLAY_TIMEOUT_S,
               what="the replica replaying the import")
    at.switch_page("pages/overview.py").run()
    assert metric_values(at)["死亡人数"] == f"{deaths + 3}人"
    at.switch_page("pages/data.py").run()
    assert "各页面显示的是最新数据" in admin_messages(at)


def test_replica_status_measures_the_write_ahead_log(pair):
    primary, standby = pair
    wait_until(lambda: status(primary, standby).caught_up, timeout=REPLAY_TIMEOUT_S,
               what="the replica catching up")
    set_replay(standby, paused=True)
    try:
        with primary.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE lag_probe AS SELECT g AS n FROM "
                                 "generate_series(1, 20000) g")
        behind = status(primary, standby)
        assert behind.has_latest_import  # no import: the pages' data are the same
        assert behind.lag_bytes > 100_000 and behind.replay_paused
        assert replica.status_message(behind)[0] == "info"
    finally:
        set_replay(standby, paused=False)
        with primary.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS lag_probe")
    wait_until(lambda: status(primary, standby).caught_up, timeout=REPLAY_TIMEOUT_S,
               what="the replica catching up")
    with primary.connect() as p:
        assert not replication.is_standby(p)


def test_the_read_url_comes_from_where_the_primary_url_comes_from(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.bureau]\nurl = "postgresql+psycopg://u@primary/db"\n'
                       '[connections.bureau_read]\nurl = "postgresql+psycopg://u@replica/db"\n',
                       encoding="utf-8")
    env = {"DATABASE_URL": "postgresql+psycopg://u@p/db",
           "DATABASE_READ_URL": "postgresql+psycopg://u@r/db"}
    assert db.resolve_read_database(env, secrets).url == "postgresql+psycopg://u@r/db"
    assert db.resolve_read_database(env, secrets).origin == "env_read"
    # An environment primary never pairs with a replica from secrets.toml, nor the reverse.
    assert db.resolve_read_database({"DATABASE_URL": "sqlite:///x"}, secrets).url == "sqlite:///x"
    from_secrets = db.resolve_read_database({"DATABASE_READ_URL": "sqlite:///y"}, secrets)
    assert from_secrets.url == "postgresql+psycopg://u@replica/db"
    assert from_secrets.origin == "secrets_read"
    assert db.resolve_read_database({"DATABASE_URL": "sqlite:///x",
                                     "DATABASE_READ_URL": "sqlite:///x"}, secrets).origin == "env"
    assert db.resolve_read_database({}, tmp_path / "absent.toml").is_embedded_sample


@pytest.mark.parametrize(("status", "kind", "words"), [
    (replication.ReplicaStatus((3, 0), (3, 0), 0, 0.0), "success", "已与主库同步"),
    (replication.ReplicaStatus((3, 0), (3, 0), 2048, 1.4), "info", "落后主库 2.0 KB,约 1 秒"),
    (replication.ReplicaStatus((4, 0), (3, 0), 5 * 1024 ** 2, 130.0, True), "warning",
     "落后主库 5.0 MB,约 2 分钟。副本的日志回放已暂停"),
    (replication.ReplicaStatus((4, 1), (4, 0), None, None), "warning", "尚未同步"),
    (replication.ReplicaStatus((4, 0), (4, 0), None, None), "success", "已与主库同步"),
])
def test_replica_status_messages(status, kind, words):
    shown_kind, message = replica.status_message(status)
    assert shown_kind == kind and words in message


def test_wal_positions_and_lag_seconds():
    assert replication.parse_lsn("0/3000060") == 0x3000060
    assert replication.parse_lsn("16/B374D848") == (0x16 << 32) + 0xB374D848
    now = dt.datetime(2022, 11, 25, 10, 0, 30, tzinfo=dt.UTC)
    replayed = dt.datetime(2022, 11, 25, 10, 0, 0, tzinfo=dt.UTC)
    assert replication.replay_lag_seconds(0, now, replayed) == 0.0
    assert replication.replay_lag_seconds(512, now, replayed) == 30.0
    assert replication.replay_lag_seconds(512, now, None) == 0.0
    assert replication.replay_lag_seconds(512, replayed, now) == 0.0  # clocks a little apart
