"""Several Streamlit processes behind nginx on this machine: the production layout of
docs/deploy.md on local ports, for trying it out, the tests and the load benchmark.

    python -m deploy.cluster [--replicas 2] [--port 8080] [--first-port 8501] [--dir var/cluster]

Starts `--replicas` processes with the command line of deploy/systemd/streamlit@.service on
ports first-port, first-port+1, … (one cookie secret for all), opens each one's first session
as the unit's ExecStartPost does (deploy/warmup.py), then Debian's nginx in the
foreground with deploy/nginx/dashboard.conf, of which only the listen, upstream server, cache
and include lines are rewritten for local ports and paths. Writes `state.json` (URL, ports and
process ids) into the run directory, for `bench/loadgen.py --cluster`. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from deploy.warmup import DEFAULT_TIMEOUT_S as WARMUP_TIMEOUT_S

ROOT = Path(__file__).resolve().parent.parent
NGINX_DIR = ROOT / "deploy" / "nginx"
SITE = NGINX_DIR / "dashboard.conf"
LOCATIONS = NGINX_DIR / "dashboard-locations.conf"
UNIT = ROOT / "deploy" / "systemd" / "streamlit@.service"
NGINX = "/usr/sbin/nginx"
HEADERS_MORE = "/usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so"
NGINX_USER = "www-data"  # the worker processes' user when started as root, as Debian's nginx
STARTUP_TIMEOUT_S = 120
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no http_proxy for localhost
MAIN_CONFIG = """load_module {headers_more};
{user}worker_processes auto;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
daemon off;

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {run_dir}/nginx-access.log;
    client_body_temp_path {run_dir}/tmp/body;
    proxy_temp_path {run_dir}/tmp/proxy;
    fastcgi_temp_path {run_dir}/tmp/fastcgi;
    uwsgi_temp_path {run_dir}/tmp/uwsgi;
    scgi_temp_path {run_dir}/tmp/scgi;
    include {run_dir}/dashboard.conf;
}}
"""


class ClusterError(Exception):
    """The cluster could not start; the message is Chinese."""


def streamlit_args(port: int | str) -> list[str]:
    """What follows `python -m streamlit` for one process: ExecStart of streamlit@.service
    with the port as the instance (the other settings are in .streamlit/config.toml)."""
    return ["run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"]


def warmup_args(port: int | str, pid: int | str) -> list[str]:
    """What follows `python -m` for the warm-up of the process on `port`: ExecStartPost of
    streamlit@.service (`$MAINPID` there)."""
    return ["deploy.warmup", "--port", str(port), "--pid", str(pid)]


def site_config(replica_ports: list[int], port: int, run_dir: Path) -> str:
    """deploy/nginx/dashboard.conf for this machine: listening on 127.0.0.1:`port`, one
    upstream server per replica port (with the file's parameters), the static cache in the
    run directory and the locations snippet from the repository."""
    text = SITE.read_text(encoding="utf-8")
    servers = re.findall(r"^(\s*)server 127\.0\.0\.1:\d+(.*);$", text, flags=re.M)
    if not servers:
        raise ClusterError(f"{SITE} 中没有 upstream server 行")
    indent, params = servers[0]
    lines = "\n".join(f"{indent}server 127.0.0.1:{p}{params};" for p in replica_ports)
    text = re.sub(r"(^\s*server 127\.0\.0\.1:\d+.*;\n)+", lines + "\n", text, count=1,
                  flags=re.M)
    text = re.sub(r"^(\s*)listen 80;$", rf"\g<1>listen 127.0.0.1:{port};", text, flags=re.M)
    text = text.replace("/var/cache/nginx/dashboard", str(run_dir / "cache"))
    return text.replace("/etc/nginx/snippets/dashboard-locations.conf", str(LOCATIONS))


def main_config(run_dir: Path) -> str:
    user = f"user {NGINX_USER};\n" if os.geteuid() == 0 else ""
    return MAIN_CONFIG.format(headers_more=HEADERS_MORE, user=user, run_dir=run_dir)


def check_ports_free(ports: list[int]) -> None:
    for port in ports:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                raise ClusterError(f"端口 {port} 已被占用:请先停止占用它的程序,"
                                   "或用 --port / --first-port 换一个端口") from None


def wait_healthy(url: str, process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), LOCAL.open(f"{url}/_stcore/health",
                                                      timeout=5) as response:
            if response.status == 200:
                return
        if process.poll() is not None:
            raise ClusterError(f"{what}启动失败:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)
    raise ClusterError(f"{what}在 {STARTUP_TIMEOUT_S} 秒内没有就绪(日志:{log})")


@dataclass
class Replica:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def warm(replica: Replica) -> None:
    """The replica's first session, as the unit's ExecStartPost opens it."""
    process = subprocess.run([sys.executable, "-m", *warmup_args(replica.port,
                                                                 replica.process.pid)],
                             cwd=ROOT, capture_output=True, text=True,
                             timeout=WARMUP_TIMEOUT_S + 30)
    if process.returncode != 0:
        raise ClusterError(f"端口 {replica.port} 的进程预热失败:{process.stderr.strip()}")


@dataclass
class Cluster:
    url: str
    run_dir: Path
    replicas: list[Replica]
    nginx: subprocess.Popen | None = None
    cookie_secret: str = field(default="", repr=False)

    def state(self) -> dict:
        return {"url": self.url, "nginx_pid": self.nginx.pid if self.nginx else None,
                "replicas": [{"port": r.port, "pid": r.process.pid} for r in self.replicas]}

    def kill_replica(self, index: int) -> None:
        """SIGKILL one Streamlit process, as a crash would end it."""
        process = self.replicas[index].process
        process.kill()
        process.wait(timeout=30)

    def stop(self) -> None:
        processes = [r.process for r in self.replicas] + ([self.nginx] if self.nginx else [])
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            if process.poll() is None:
                process.kill()
                process.wait(timeout=20)


def _prepare_run_dir(run_dir: Path) -> None:
    for sub in ("tmp", "cache"):
        shutil.rmtree(run_dir / sub, ignore_errors=True)
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam(NGINX_USER)
        for path in [run_dir / "tmp", run_dir / "cache", *(run_dir / "tmp").iterdir()]:
            os.chown(path, user.pw_uid, user.pw_gid)


def _start_replica(port: int, run_dir: Path, env: dict[str, str]) -> Replica:
    log = run_dir / f"replica-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "streamlit", *streamlit_args(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Replica(port, process, log)


def write_nginx_config(run_dir: Path, replica_ports: list[int], port: int) -> Path:
    """nginx.conf and the local dashboard.conf in `run_dir`, with the directories nginx
    writes; returns the path of nginx.conf."""
    _prepare_run_dir(run_dir)
    (run_dir / "dashboard.conf").write_text(site_config(replica_ports, port, run_dir),
                                            encoding="utf-8")
    (run_dir / "nginx.conf").write_text(main_config(run_dir), encoding="utf-8")
    return run_dir / "nginx.conf"


def _start_nginx(cluster: Cluster, port: int) -> subprocess.Popen:
    if not Path(NGINX).exists() or not Path(HEADERS_MORE).exists():
        raise ClusterError("没有安装 nginx 或其 headers-more 模块:请运行 .ci/install-deploy-tools"
                           "(apt-get install nginx libnginx-mod-http-headers-more-filter)")
    run_dir = cluster.run_dir
    config = write_nginx_config(run_dir, [r.port for r in cluster.replicas], port)
    log = run_dir / "nginx-error.log"
    log.unlink(missing_ok=True)
    (run_dir / "nginx-access.log").unlink(missing_ok=True)
    with log.open("ab") as err:
        return subprocess.Popen([NGINX, "-c", str(config), "-p", str(run_dir)],
                                stdout=subprocess.DEVNULL, stderr=err)


@contextlib.contextmanager
def serve_cluster(replicas: int = 2, *, port: int = 8080, first_port: int = 8501,
                  run_dir: Path | None = None, env: dict[str, str] | None = None
                  ) -> Iterator[Cluster]:
    """Start the replicas and nginx, wait until each answers its health check, yield the
    cluster, stop it afterwards. `env` is added to this process's environment."""
    run_dir = (run_dir or ROOT / "var" / "cluster").resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    secret = (env or {}).get("STREAMLIT_SERVER_COOKIE_SECRET") \
        or os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
    process_env = {**os.environ, **(env or {}), "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    cluster = Cluster(f"http://127.0.0.1:{port}", run_dir, [], cookie_secret=secret)
    check_ports_free([port, *range(first_port, first_port + replicas)])
    try:
        for index in range(replicas):
            cluster.replicas.append(_start_replica(first_port + index, run_dir, process_env))
        for replica in cluster.replicas:
            wait_healthy(replica.url, replica.process, replica.log, f"端口 {replica.port} 的进程")
            warm(replica)
        cluster.nginx = _start_nginx(cluster, port)
        wait_healthy(cluster.url, cluster.nginx, run_dir / "nginx-error.log", "nginx")
        (run_dir / "state.json").write_text(json.dumps(cluster.state(), indent=2),
                                            encoding="utf-8")
        yield cluster
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="nginx 监听端口")
    parser.add_argument("--first-port", type=int, default=8501, help="第一个 Streamlit 进程的端口")
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "cluster", help="运行目录")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in background
    try:
        with serve_cluster(args.replicas, port=args.port, first_port=args.first_port,
                           run_dir=args.dir) as cluster:
            ports = "、".join(str(r.port) for r in cluster.replicas)
            print(f"已启动:{cluster.url}(nginx)→ {len(cluster.replicas)} 个进程,端口 {ports};"
                  f"运行目录 {cluster.run_dir}。按 Ctrl-C 停止。", flush=True)
            while cluster.nginx.poll() is None:
                time.sleep(1)
            print("nginx 已退出,正在停止全部进程。", file=sys.stderr)
    except ClusterError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("已停止。")


if __name__ == "__main__":
    main()
