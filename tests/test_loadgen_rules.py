"""The load driver's rules without a server: percentiles, the frontend's reconnect timing, what
a run showed and what counts as an error (deploy/session.py, which the warm-up shares), and the
report's latency rows."""

from __future__ import annotations

import math
import os

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from deploy import session as client
from tests.deploy_tools import loadgen

lg = loadgen()


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]  # 1 … 20
    assert lg.percentile(values, 50) == 10.0
    assert lg.percentile(values, 95) == 19.0
    assert lg.percentile(values, 100) == 20.0
    assert lg.percentile([3.0, 1.0, 2.0], 0) == 1.0
    assert lg.percentile([7.0], 95) == 7.0
    assert math.isnan(lg.percentile([], 50))


@pytest.mark.parametrize(("attempt", "low", "high"), [
    (1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (4, 2.0, 4.0), (5, 2.0, 4.0), (12, 2.0, 4.0)])
def test_reconnect_delay_follows_the_frontend(attempt, low, high):
    assert client.reconnect_delay(attempt, 0.0) == low
    assert low < client.reconnect_delay(attempt, 0.999) < high


def test_health_ping_retries_double_up_to_four_seconds():
    assert client.ping_retry_delay(1, 0.5) == pytest.approx(0.1)
    assert client.ping_retry_delay(2, 1.0) == pytest.approx(0.2)
    assert client.ping_retry_delay(2, 0.0) == pytest.approx(0.14)
    assert client.ping_retry_delay(10, 1.0) == pytest.approx(4.0)


def _delta(path: list[int], **element) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    for kind, fields in element.items():
        getattr(msg.delta.new_element, kind).SetInParent()
        for name, value in fields.items():
            setattr(getattr(msg.delta.new_element, kind), name, value)
    return msg


def test_page_view_keeps_the_latest_element_at_each_path_and_finds_errors():
    view = client.PageView()
    view.add(_delta([0, 0], heading={"tag": "h1", "body": "事故控制"}))
    view.add(_delta([0, 1], metric={"label": "死亡人数", "body": "…"}))
    view.add(_delta([0, 1], metric={"label": "死亡人数", "body": "133人"}))
    view.add(_delta([0, 2], alert={"body": "本周无新增", "format": Alert.INFO}))
    assert view.headings() == ["事故控制"] and view.metrics() == {"死亡人数": "133人"}
    assert view.errors() == []
    view.add(_delta([0, 5], alert={"body": "正在加载", "format": Alert.INFO}))
    block = ForwardMsg()
    block.metadata.delta_path.extend([0, 5])
    block.delta.add_block.SetInParent()
    view.add(block)
    assert len(view.of_kind("alert")) == 1  # the container took the placeholder's place
    view.add(_delta([0, 3], alert={"body": "无法连接业务数据库", "format": Alert.ERROR}))
    view.add(_delta([0, 4], exception={"message": "KeyError: 'x'"}))
    view.problems.append("page not found: overview")
    assert view.errors() == ["page not found: overview", "exception: KeyError: 'x'",
                             "error message: 无法连接业务数据库"]


def test_page_view_finds_a_filter_by_its_key():
    view = client.PageView()
    view.add(_delta([1, 0], selectbox={"id": "$$ID-abc-global.unit", "label": "单位"}))
    view.add(_delta([1, 1], selectbox={"id": "$$ID-def-accidents.sector", "label": "行业"}))
    assert view.widget("global.unit").label == "单位"
    assert view.widget("global.year") is None


def test_latency_rows_leave_out_failed_and_reconnected_runs():
    report = lg.Report(lg.Config(url="http://x"))
    report.renders = [
        client.Render("overview", "open", 2.0, [], started=10.0),
        client.Render("accidents", "switch", 0.4, [], started=20.0),
        client.Render("accidents", "unit", 0.2, [], started=30.0),
        client.Render("accidents", "switch", 9.0, [], reconnected=True, started=40.0),
        client.Render("mining", "switch", 30.0, ["no script_finished within 120 s"], started=50.0),
    ]
    rows = {name: (runs, p50, top) for name, runs, p50, _, top in report.latency_rows()}
    assert rows == {"open (page + WebSocket + run)": (1, 2.0, 2.0),
                    "accidents": (2, 0.2, 0.4), "all runs after open": (2, 0.2, 0.4)}
    report.killed_at = report.renders[2].started
    rows = {name: runs for name, runs, *_ in report.latency_rows()}
    assert rows["  begun before the kill"] == 1 and rows["  begun after the kill"] == 1


def test_the_default_page_is_opened_at_the_root():
    assert client.url_path("overview") == "" and client.url_path("mining") == "mining"


def test_machine_busy_share_and_this_process_readings():
    assert lg.busy_percent((100, 400), (250, 600)) == 75.0
    assert lg.busy_percent((100, 400), (100, 400)) == 0.0
    rss_mib, cpu_seconds = lg.read_proc(os.getpid())
    assert rss_mib > 10 and cpu_seconds > 0
    assert lg.read_proc(2 ** 22 + 1) is None  # above the kernel's highest process id
