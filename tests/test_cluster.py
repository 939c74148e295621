"""Several Streamlit processes behind nginx (`deploy/`, `python -m deploy.cluster`): the site's
headers and caching, sessions staying on their process, the load driver seeing what Chromium
sees, and a process killed under its sessions, which reconnect to another one without a reload.
"""

from __future__ import annotations

import asyncio
import configparser
import contextlib
import random
import re
import shlex
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy import cluster as deploy_cluster
from deploy import session as client
from deploy import warmup
from tests.browser import FINISHED, chromium, open_and_wait
from tests.conftest import ROOT
from tests.deploy_tools import install_deploy_tools, loadgen
from tests.pg_replica import wait_until

lg = loadgen()
RECONNECT_TIMEOUT_S = 180
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_ports(count: int) -> int:
    """The first of `count` consecutive free local ports."""
    rng = random.Random()
    while True:
        first = rng.randrange(20000, 60000 - count)
        try:
            deploy_cluster.check_ports_free(list(range(first, first + count)))
            return first
        except deploy_cluster.ClusterError:
            continue


@contextlib.contextmanager
def start_cluster(sample_sqlite_url: str, replicas: int = 2):
    """`replicas` processes on the sample behind nginx, on free ports, in a run directory that
    is removed afterwards."""
    install_deploy_tools()
    run_dir = Path(tempfile.mkdtemp(prefix="dashboard-cluster-"))
    run_dir.chmod(0o755)  # nginx's workers (www-data) write their cache and buffers below it
    first = free_ports(replicas + 1)
    try:
        with deploy_cluster.serve_cluster(replicas, port=first, first_port=first + 1,
                                          run_dir=run_dir,
                                          env={"DATABASE_URL": sample_sqlite_url}) as running:
            yield running
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(sample_sqlite_url):
    """Two processes behind nginx that the tests leave running."""
    with start_cluster(sample_sqlite_url) as running:
        yield running


@pytest.fixture
def doomed_cluster(sample_sqlite_url):
    """Two processes behind nginx for a test that kills them."""
    with start_cluster(sample_sqlite_url) as running:
        yield running


def fetch(url: str, cookies: str = "", gzip: bool = False) -> tuple[int, dict, bytes]:
    headers = {"Cookie": cookies} if cookies else {}
    if gzip:
        headers["Accept-Encoding"] = "gzip"
    try:
        with NO_PROXY.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def session_events(port: int) -> dict[str, int]:
    _, _, body = fetch(f"http://127.0.0.1:{port}/_stcore/metrics?families=session_events")
    return {kind: int(float(count)) for kind, count in re.findall(
        r'session_events_total\{type="(\w+)"\} ([\d.]+)', body.decode())}


def run(coroutine):
    return asyncio.run(coroutine)


# ---- the files in deploy/ ------------------------------------------------------------------
def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "deploy" / "systemd" / name, encoding="utf-8")
    return parser


def test_the_systemd_unit_runs_what_the_local_cluster_runs():
    service = _unit("streamlit@.service")["Service"]
    assert shlex.split(service["ExecStart"]) == [
        "/opt/dashboard/.venv/bin/python", "-m", "streamlit",
        *deploy_cluster.streamlit_args("%i")]
    assert service["Restart"] == "always" and service["WorkingDirectory"] == "/opt/dashboard"
    site = deploy_cluster.SITE.read_text(encoding="utf-8")
    upstream_ports = re.findall(r"server 127\.0\.0\.1:(\d+)", site)
    wants = (ROOT / "deploy" / "systemd" / "dashboard.target").read_text(encoding="utf-8")
    assert re.findall(r"streamlit@(\d+)\.service", wants) == upstream_ports
    assert re.findall(r"dashboard-health@(\d+)\.timer", wants) == upstream_ports
    assert service["ExecStartPost"].startswith("-")  # a failed warm-up does not fail the unit
    assert shlex.split(service["ExecStartPost"][1:]) == [
        "/opt/dashboard/.venv/bin/python", "-m", *deploy_cluster.warmup_args("%i", "$MAINPID")]
    assert int(service["TimeoutStartSec"]) > warmup.DEFAULT_TIMEOUT_S
    check = _unit("dashboard-health@.service")["Service"]["ExecStart"]
    assert "http://127.0.0.1:%i/_stcore/health" in check and "streamlit@%i" in check


def test_the_local_site_differs_from_the_production_file_only_in_ports_and_paths(tmp_path):
    install_deploy_tools()
    site = deploy_cluster.SITE.read_text(encoding="utf-8")
    local = deploy_cluster.site_config([9101, 9102, 9103], 9100, tmp_path)
    assert local.count("max_fails=3 fail_timeout=10s;") == 3
    assert "listen 127.0.0.1:9100;" in local and "listen 80;" not in local
    assert f"{tmp_path}/cache" in local and str(deploy_cluster.LOCATIONS) in local
    rewritten = re.compile(r"server 127\.0\.0\.1|listen |proxy_cache_path|include ")
    assert [line for line in local.splitlines() if not rewritten.search(line)] == \
        [line for line in site.splitlines() if not rewritten.search(line)]
    config = deploy_cluster.write_nginx_config(tmp_path, [9101, 9102, 9103], 9100)
    checked = subprocess.run([deploy_cluster.NGINX, "-t", "-c", str(config), "-p", str(tmp_path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


# ---- through nginx -----------------------------------------------------------------------
def test_responses_carry_the_audit_headers_and_no_server_banner(cluster):
    status, headers, body = fetch(f"{cluster.url}/accidents")
    assert status == 200 and b"<html" in body.lower()
    assert "Server" not in headers
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    route = re.match(r"dashboard_route=(\w+); Path=/; HttpOnly; SameSite=Lax$",
                     next(c for c in headers.get_all("Set-Cookie")
                          if c.startswith("dashboard_route")))
    assert route
    status, headers, body = fetch(f"{cluster.url}/_stcore/health",
                                  cookies=f"dashboard_route={route[1]}")
    assert (status, body) == (200, b"ok") and headers["Cache-Control"] == "no-store"
    assert not any(c.startswith("dashboard_route") for c in headers.get_all("Set-Cookie") or [])
    status, headers, body = fetch(f"{cluster.url}/_stcore/metrics")
    assert status == 404 and b"nginx" not in body and "Server" not in headers


def test_static_assets_are_cached_long_and_compressed(cluster):
    _, _, index = fetch(f"{cluster.url}/")
    script = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', index)[1].decode()
    status, headers, body = fetch(f"{cluster.url}/{script}", gzip=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Frame-Options"] == "SAMEORIGIN" and "Server" not in headers
    assert any(p.is_file() for p in (cluster.run_dir / "cache").rglob("*"))


def test_sessions_spread_over_the_processes_and_stay_on_theirs(cluster):
    """Users, each with its own cookies, six at a time until both processes have some; each
    user's WebSocket, dropped and opened again, returns to its own process and resumes its
    session there."""
    ports = [r.port for r in cluster.replicas]
    before = {p: session_events(p) for p in ports}

    async def users():
        sessions = []
        while len(sessions) < 60 and not all(lg.active_sessions(p) for p in ports):
            batch = [client.Session(cluster.url, random.Random(len(sessions) + i)) for i in range(6)]
            opened = await asyncio.gather(*(s.open(client.PAGES[i % 5]) for i, s in enumerate(batch)))
            assert all(not r.errors for r in opened), [r.errors for r in opened]
            sessions += batch
        spread = {p: lg.active_sessions(p) for p in ports}
        for session in sessions:
            await session.ws.close()
            await session.connect()
        switched = await asyncio.gather(*(s.switch("mining") for s in sessions))
        assert all(not r.errors and s.view.headings() == ["智能化建设"]
                   for r, s in zip(switched, sessions))
        for session in sessions:
            await session.close()
        return spread

    spread = run(users())
    assert all(spread.values()), spread
    after = {p: session_events(p) for p in ports}
    new = {p: after[p]["connect"] - before[p]["connect"] for p in ports}
    resumed = {p: after[p]["reconnect"] - before[p]["reconnect"] for p in ports}
    assert new == spread and resumed == spread


@pytest.mark.parametrize("page", ["overview", "accidents"])
def test_the_driver_sees_what_chromium_sees(cluster, page):
    async def driven():
        session = client.Session(cluster.url, random.Random(0))
        render = await session.open(page)
        await session.close()
        return render, session.view

    render, view = run(driven())
    assert not render.errors and len(view.metrics()) >= 4
    with chromium() as browser:
        open_and_wait(browser, f"{cluster.url}/{client.url_path(page)}")
        # Elements arrive while the run finishes; wait for as many metrics as the driver saw.
        browser.wait_for_function(
            f"document.querySelectorAll('[data-testid=\"stMetric\"]').length >= "
            f"{len(view.metrics())}", timeout=60_000)
        browser.wait_for_selector(FINISHED, timeout=60_000)
        title = browser.locator("h1").first.inner_text()
        labels = browser.locator('[data-testid="stMetricLabel"]').all_inner_texts()
        values = browser.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert view.headings() == [title.strip()]
    assert view.metrics() == {label.strip(): value.strip() for label, value in zip(labels, values)}


# ---- a process killed --------------------------------------------------------------------
def test_a_killed_process_s_sessions_reconnect_to_the_other_and_carry_on(doomed_cluster):
    cluster = doomed_cluster
    victim, survivor = cluster.replicas
    _, _, index = fetch(f"{cluster.url}/")
    script = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', index)[1].decode()
    assert fetch(f"{cluster.url}/{script}")[0] == 200

    async def users():
        sessions = [client.Session(cluster.url, random.Random(i)) for i in range(8)]
        opened = await asyncio.gather(*(s.open(client.PAGES[i % 5]) for i, s in enumerate(sessions)))
        assert all(not r.errors for r in opened)
        on_victim = lg.active_sessions(victim.port)
        cluster.kill_replica(0)
        renders = [await s.switch("rectification") for s in sessions]
        renders += [await s.choose("unit") for s in sessions]
        reconnects = sum(len(s.reconnects) for s in sessions)
        for session in sessions:
            await session.close()
        return on_victim, renders, reconnects, sessions

    on_victim, renders, reconnects, sessions = run(users())
    assert 0 < on_victim < 8  # the test is only worth it if some sessions were on it
    assert [r.errors for r in renders] == [[]] * 16
    assert reconnects == on_victim == sum(r.reconnected for r in renders)
    assert all(s.view.headings() == ["专项整治"] for s in sessions)
    assert survivor.process.poll() is None

    cluster.kill_replica(1)
    status, headers, body = fetch(f"{cluster.url}/accidents")
    assert status == 503 and "系统暂时无法访问" in body.decode() and b"nginx" not in body
    assert "Server" not in headers
    status, _, _ = fetch(f"{cluster.url}/{script}")
    assert status == 200  # from nginx's cache, with no process left


def test_chromium_reconnects_to_the_other_process_without_a_reload(doomed_cluster):
    cluster = doomed_cluster
    ports = [r.port for r in cluster.replicas]
    with chromium() as page:
        open_and_wait(page, f"{cluster.url}/accidents")
        wait_until(lambda: sum(lg.active_sessions(p) or 0 for p in ports) == 1,
                   timeout=RECONNECT_TIMEOUT_S, what="the browser's session")
        serving = next(i for i, p in enumerate(ports) if lg.active_sessions(p) == 1)
        page.evaluate("window.__sameDocument = true")
        cluster.kill_replica(serving)
        other = ports[1 - serving]
        wait_until(lambda: lg.active_sessions(other) == 1, timeout=RECONNECT_TIMEOUT_S,
                   what="the browser reconnecting to the other process")
        page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"] a', timeout=60_000)
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a', has_text="智能化建设").click()
        page.wait_for_function("document.querySelector('h1') && "
                               "document.querySelector('h1').innerText.startsWith('智能化建设')",
                               timeout=RECONNECT_TIMEOUT_S * 1000)
        page.wait_for_selector(FINISHED, timeout=60_000)
        assert page.evaluate("window.__sameDocument") is True  # no reload
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert lg.active_sessions(other) == 1
