"""A throwaway PostgreSQL cluster for tests that stop or freeze the database server: `initdb` in
a temporary directory, a free port, password login over TCP, the sample loaded with
`python -m data_access.load`. Never the machine's own server.

Run as root (as CI does), the cluster belongs to the `postgres` system user, since PostgreSQL
refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.browser import ROOT, free_port

PASSWORD = "dashboard-test"
DATABASE = "bureau"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian's layout, else the PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Cluster:
    directory: Path
    port: int
    bin: Path
    owner: str | None  # the system user it runs as, when the tests run as root

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, password: str = PASSWORD, database: str = DATABASE) -> str:
        return f"postgresql+psycopg://postgres:{password}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        subprocess.run([*prefix, str(self.bin / args[0]), *args[1:]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"),
                 "-w", "-t", "60", "-o",
                 f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                 "-c fsync=off -c full_page_writes=off", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def processes(self) -> list[int]:
        """The postmaster, then every process it started (backends and background workers)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The parent pid is the 2nd field after the parenthesised command name.
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP every process of the cluster: the kernel still accepts connections and
        acknowledges packets, but nothing answers."""
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def _owner() -> str | None:
    if os.geteuid() != 0:
        return None
    pwd.getpwnam("postgres")  # Debian's postgresql package creates this user
    return "postgres"


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A running cluster with the sample loaded into database `bureau`; removed afterwards."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    directory = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
    owner = _owner()
    if owner:
        shutil.chown(directory, owner)
    cluster = Cluster(directory, free_port(), binaries, owner)
    try:
        password_file = directory / "password"
        password_file.write_text(PASSWORD)
        if owner:
            shutil.chown(password_file, owner)
        cluster.run("initdb", "-D", str(cluster.data), "-U", "postgres", "-E", "UTF8",
                    "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256",
                    f"--pwfile={password_file}")
        cluster.start()
        _create_database(cluster)
        subprocess.run([sys.executable, "-m", "data_access.load", "--url", cluster.url(),
                        "--replace"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       timeout=300)
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.thaw()
        with contextlib.suppress(Exception):
            cluster.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(directory, ignore_errors=True)


def _create_database(cluster: Cluster) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres",
                         password=PASSWORD, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
