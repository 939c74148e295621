"""A throwaway PostgreSQL primary and its streaming replica on free local ports.

`streaming_pair()` creates a primary of its own with `initdb` (the machine's server on 5432 is
left alone), takes a `pg_basebackup -R` of it into a second data directory, starts that as a
hot standby streaming from the primary through a replication slot, and yields both URLs; at the
end both servers are stopped and their directories removed. As root, the PostgreSQL programs
run as the `postgres` user, since they refuse to run as root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa

from tests.browser import free_port

DATABASE = "dashboard"
STARTUP_TIMEOUT_S = 180
SERVER_SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
max_connections = 40
shared_buffers = 32MB
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
fsync = off
"""


def pg_bindir() -> Path:
    """The newest PostgreSQL server installed from Debian's packages."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL server programs not found: run .ci/install-deploy-tools")
    return found[-1].parent


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], log: Path | None = None) -> None:
    result = subprocess.run(_as_postgres(command), capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}\n{tail}")


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll `condition` until it holds; raise after `timeout` seconds (generous: busy CI)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.5)


def url_for(port: int, database: str = DATABASE) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"


def _accepts_connections(url: str) -> bool:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


class Server:
    """One PostgreSQL server: a data directory and a port."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir, self.port = data_dir, port
        self.log = data_dir.parent / f"{data_dir.name}.log"

    def start(self) -> None:
        _run([str(pg_bindir() / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log),
              "-w", "-t", str(STARTUP_TIMEOUT_S), "-o", f"-p {self.port}", "start"], self.log)
        wait_until(lambda: _accepts_connections(url_for(self.port, "postgres")),
                   timeout=STARTUP_TIMEOUT_S, what=f"PostgreSQL on port {self.port}")

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            _run([str(pg_bindir() / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                  "-w", "-t", str(STARTUP_TIMEOUT_S), "stop"])


def _initdb(data_dir: Path, socket_dir: Path) -> None:
    _run([str(pg_bindir() / "initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--no-locale", "--no-sync"])
    with (data_dir / "postgresql.conf").open("a") as conf:
        conf.write(SERVER_SETTINGS.format(socket_dir=socket_dir))


def _create_database(port: int) -> None:
    engine = sa.create_engine(url_for(port, "postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
    engine.dispose()


@contextlib.contextmanager
def streaming_pair() -> Iterator[tuple[str, str]]:
    """(primary URL, replica URL): a fresh primary with an empty database `dashboard`, and a
    hot standby of it streaming through the slot `dashboard_replica`."""
    base = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    primary_port = free_port()
    replica_port = free_port()
    while replica_port == primary_port:
        replica_port = free_port()
    primary = Server(base / "primary", primary_port)
    replica = Server(base / "replica", replica_port)
    try:
        _initdb(primary.data_dir, base)
        primary.start()
        _create_database(primary.port)
        _run([str(pg_bindir() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
              "-U", "postgres", "-D", str(replica.data_dir), "-R", "-X", "stream", "-C",
              "-S", "dashboard_replica", "-c", "fast"])
        replica.start()
        yield url_for(primary.port), url_for(replica.port)
    finally:
        for server in (replica, primary):
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                server.stop()
        shutil.rmtree(base, ignore_errors=True)
