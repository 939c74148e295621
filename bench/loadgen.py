"""Many dashboard users without browsers: sessions that speak Streamlit's own WebSocket protocol.

    python bench/loadgen.py --start-cluster 2 --sessions 100 --minutes 5 --kill-after 150
    python bench/loadgen.py --cluster var/cluster/state.json …   # a running `make serve-cluster`
    python bench/loadgen.py --url http://host:8501 --pid 1234 …   # any server; --think, --ramp

Each session is a deploy/session.py session (Streamlit's WebSocket protocol, spoken as its
frontend speaks it): it opens a page, then, after a think time, switches to another page or
changes a sidebar filter (单位 or 统计年度), until the time is up. When the WebSocket closes — a
replica killed — it reconnects as the frontend does and requests the run that was under way
again. That counts as a reconnect, not an error.

Reported: per page the renders and their latency p50/p95/max (rerun sent → script finished;
"open" also includes the HTTP requests and the WebSocket handshake), errors by kind (a traceback
or an error message on the page, a run that does not finish, a session that cannot reconnect),
reconnects, and each server process's resident memory and CPU, read from /proc. `--cluster`
takes the process ids from `python -m deploy.cluster`'s state.json, `--start-cluster N` starts
such a cluster first; `--kill-after` SIGKILLs its first replica that many seconds into the run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.cluster import ClusterError, serve_cluster  # noqa: E402
from deploy.session import HTTP_TIMEOUT_S, OPENER, PAGES, Render, Session, SessionLost  # noqa: E402

ACTIONS = (("switch", 6), ("unit", 3), ("year", 1))  # (action, weight)


# ---- timing rules (pure) -----------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The nearest-rank q-th percentile (q in 0..100) of `values`; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


# ---- server processes ------------------------------------------------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def read_proc(pid: int) -> tuple[float, float] | None:
    """(resident MiB, CPU seconds used) of process `pid`; None once it is gone (or a zombie,
    which has no memory left)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    rss_kib = next((int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("VmRSS:")), None)
    if rss_kib is None:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return rss_kib / 1024, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class ProcessStats:
    """Samples of one process: (seconds, resident MiB, CPU seconds, sessions connected)."""

    name: str
    pid: int
    port: int | None = None  # a Streamlit process's port: its sessions are counted too
    samples: list[tuple[float, float, float, int]] = field(default_factory=list)

    def sample(self, now: float) -> None:
        reading = read_proc(self.pid)
        if reading is not None:
            sessions = active_sessions(self.port) if self.port else None
            self.samples.append((now, *reading, sessions or 0))

    def summary(self) -> dict[str, float]:
        if len(self.samples) < 2:
            return {}
        (t0, rss0, cpu0, _), (t1, rss1, cpu1, _) = self.samples[0], self.samples[-1]
        return {"rss_start": rss0, "rss_peak": max(s[1] for s in self.samples), "rss_end": rss1,
                "cpu_pct": 100 * (cpu1 - cpu0) / (t1 - t0) if t1 > t0 else 0.0,
                "sessions_peak": max(s[3] for s in self.samples)}


def sample_all(processes: list[ProcessStats]) -> None:
    now = time.monotonic()
    for process in processes:
        process.sample(now)


def read_machine_cpu() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, in clock ticks (/proc/stat)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)  # idle and iowait are not busy


def busy_percent(start: tuple[int, int], end: tuple[int, int]) -> float:
    """How busy all the machine's cores were between two read_machine_cpu() readings."""
    total = end[1] - start[1]
    return 100 * (end[0] - start[0]) / total if total else 0.0


def active_sessions(port: int) -> int | None:
    """Sessions connected to the Streamlit process on `port` (its /_stcore/metrics)."""
    url = f"http://127.0.0.1:{port}/_stcore/metrics?families=active_sessions"
    try:
        with OPENER.open(url, timeout=HTTP_TIMEOUT_S) as response:
            text = response.read().decode()
    except OSError:
        return None
    return next((int(float(line.split()[-1])) for line in text.splitlines()
                 if line.startswith("active_sessions")), None)


# ---- the run ---------------------------------------------------------------------------------
@dataclass
class Config:
    url: str
    sessions: int = 100
    seconds: float = 300.0
    think: tuple[float, float] = (20.0, 40.0)
    ramp: float = 60.0
    seed: int = 42
    replicas: list[dict] = field(default_factory=list)  # [{"port", "pid"}] from state.json
    processes: dict[str, int] = field(default_factory=dict)  # name → pid, besides replicas
    kill_after: float | None = None
    sample_every: float = 5.0


@dataclass
class Report:
    config: Config
    renders: list[Render] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    examples: Counter = field(default_factory=Counter)  # the errors' own texts
    reconnects: list[float] = field(default_factory=list)
    sessions_before_kill: dict[int, int | None] = field(default_factory=dict)
    killed: int | None = None  # the port of the replica killed
    killed_at: float | None = None  # when (time.monotonic())
    processes: list[ProcessStats] = field(default_factory=list)
    machine: list[tuple[int, int]] = field(default_factory=list)  # CPU at the start and end
    started: float = field(default_factory=time.monotonic)
    wall_seconds: float = 0.0

    def latency_rows(self) -> list[tuple[str, int, float, float, float]]:
        """(page, renders, p50, p95, max): "open" first, then each page's switches and filter
        changes, then all of them, and with a replica killed, those begun before and after;
        renders interrupted by a reconnect are left out."""
        timed = [r for r in self.renders if not r.errors and not r.reconnected]
        groups: dict[str, list[float]] = defaultdict(list)
        for r in timed:
            groups["open (page + WebSocket + run)" if r.action == "open" else r.page].append(
                r.seconds)
            if r.action != "open":
                groups["all runs after open"].append(r.seconds)
                if self.killed_at is not None:
                    when = "before" if r.started < self.killed_at else "after"
                    groups[f"  begun {when} the kill"].append(r.seconds)
        order = ["open (page + WebSocket + run)", *PAGES, "all runs after open",
                 "  begun before the kill", "  begun after the kill"]
        return [(name, len(groups[name]), percentile(groups[name], 50),
                 percentile(groups[name], 95), max(groups[name]))
                for name in order if groups[name]]


async def user(index: int, config: Config, report: Report) -> None:
    """One session: open a page after its share of the ramp, then act until the time is up."""
    rng = random.Random(config.seed * 1000 + index)
    deadline = time.monotonic() + config.seconds
    await asyncio.sleep(config.ramp * index / max(1, config.sessions))
    session = Session(config.url, rng)
    actions, weights = zip(*ACTIONS)
    try:
        render = await session.open(rng.choice(PAGES))
        while True:
            report.renders.append(render)
            report.errors.update(e.split(":")[0] for e in render.errors)
            report.examples.update(render.errors)
            if session.ws is None or time.monotonic() >= deadline:
                break
            await session.think(min(rng.uniform(*config.think),
                                    max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
            action = rng.choices(actions, weights)[0]
            if action == "switch":
                render = await session.switch(rng.choice([p for p in PAGES if p != session.page]))
            else:
                render = await session.choose(action)
    except SessionLost as lost:
        report.errors[f"session lost ({lost})"] += 1
    except Exception as error:  # anything else the server made the session meet is an error too
        report.errors[f"session failed ({type(error).__name__}: {error})"] += 1
    finally:
        report.reconnects.extend(session.reconnects)
        await session.close()


async def kill_replica(config: Config, report: Report) -> None:
    await asyncio.sleep(config.kill_after)
    victim = config.replicas[0]
    report.sessions_before_kill = {r["port"]: await asyncio.to_thread(active_sessions, r["port"])
                                   for r in config.replicas}
    os.kill(victim["pid"], signal.SIGKILL)
    report.killed, report.killed_at = victim["port"], time.monotonic()


async def sample_processes(report: Report, stop: asyncio.Event, every: float) -> None:
    while True:
        await asyncio.to_thread(sample_all, report.processes)
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            continue
        await asyncio.to_thread(sample_all, report.processes)
        return


async def run_load(config: Config) -> Report:
    report = Report(config)
    report.processes = [ProcessStats(f"replica {r['port']}", r["pid"], r["port"])
                        for r in config.replicas]
    report.processes += [ProcessStats(name, pid) for name, pid in config.processes.items()]
    report.processes.append(ProcessStats("load driver (this process)", os.getpid()))
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_processes(report, stop, config.sample_every))
    killer = asyncio.create_task(kill_replica(config, report)) \
        if config.kill_after is not None and config.replicas else None
    report.started = time.monotonic()
    report.machine.append(read_machine_cpu())
    await asyncio.gather(*(user(i, config, report) for i in range(config.sessions)))
    report.machine.append(read_machine_cpu())
    report.wall_seconds = time.monotonic() - report.started
    if killer is not None and not killer.done():
        killer.cancel()
    stop.set()
    await sampler
    return report


def format_report(report: Report) -> str:
    c = report.config
    lines = [f"{c.sessions} sessions for {c.seconds:.0f} s against {c.url} (think "
             f"{c.think[0]:g}–{c.think[1]:g} s, ramp {c.ramp:g} s, seed {c.seed}); "
             f"wall {report.wall_seconds:.0f} s", "",
             f"{'page':<32}{'runs':>7}{'p50 s':>9}{'p95 s':>9}{'max s':>9}"]
    for name, runs, p50, p95, top in report.latency_rows():
        lines.append(f"{name:<32}{runs:>7}{p50:>9.3f}{p95:>9.3f}{top:>9.3f}")
    errors = sum(report.errors.values())
    lines += ["", f"errors: {errors}" + ("" if not errors else " — " + ", ".join(
        f"{kind} ×{n}" for kind, n in report.errors.most_common()))]
    lines += [f"  {text} ×{n}" for text, n in report.examples.most_common(5)]
    moved = [r for r in report.renders if r.reconnected]
    if report.reconnects:
        lines.append(f"reconnects: {len(report.reconnects)} (WebSocket lost → back: p50 "
                     f"{statistics.median(report.reconnects):.2f} s, max "
                     f"{max(report.reconnects):.2f} s); runs repeated after a reconnect: "
                     f"{len(moved)}")
    else:
        lines.append("reconnects: 0")
    if report.killed is not None:
        lines.append(f"killed: replica {report.killed} (SIGKILL at {c.kill_after:.0f} s); "
                     "sessions per replica just before: " + ", ".join(
                         f"{port}: {n}" for port, n in report.sessions_before_kill.items()))
    lines += ["", f"{'process':<28}{'RSS start':>10}{'peak':>7}{'end':>7} MiB{'CPU %':>7}"
                  f"{'sessions (max)':>16}"]
    for process in report.processes:
        s = process.summary()
        if s:
            sessions = f"{s['sessions_peak']:>16}" if process.port else ""
            lines.append(f"{process.name:<28}{s['rss_start']:>10.0f}{s['rss_peak']:>7.0f}"
                         f"{s['rss_end']:>7.0f}    {s['cpu_pct']:>7.0f}{sessions}")
    if len(report.machine) == 2:
        lines.append(f"machine: {os.cpu_count()} cores, {busy_percent(*report.machine):.0f} % "
                     "busy over the run (every process, these and any others)")
    return "\n".join(lines)


def write_json(report: Report, path: Path) -> None:
    path.write_text(json.dumps({
        "latency": report.latency_rows(), "errors": dict(report.errors),
        "reconnects": report.reconnects, "killed": report.killed,
        "sessions_before_kill": report.sessions_before_kill,
        "processes": {p.name: {**p.summary(), "samples": [
            (t - report.started, *rest) for t, *rest in p.samples]} for p in report.processes},
        "machine_busy_pct": busy_percent(*report.machine) if len(report.machine) == 2 else None,
        "renders": [{**vars(r), "started": r.started - report.started} for r in report.renders],
    }, ensure_ascii=False, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="the app or its nginx front (default: the cluster's)")
    parser.add_argument("--cluster", type=Path, help="state.json of python -m deploy.cluster")
    parser.add_argument("--start-cluster", type=int, metavar="N",
                        help="start N processes behind nginx first (deploy/cluster.py)")
    parser.add_argument("--cluster-port", type=int, default=8080)
    parser.add_argument("--first-port", type=int, default=8501)
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="a server process to measure (repeatable)")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--think", type=float, nargs=2, default=(20.0, 40.0),
                        metavar=("MIN", "MAX"), help="seconds between a user's actions")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds to open all sessions")
    parser.add_argument("--kill-after", type=float, help="SIGKILL the first replica after S s")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, help="also write the renders and figures here")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.start_cluster:
            try:
                state = stack.enter_context(serve_cluster(
                    args.start_cluster, port=args.cluster_port, first_port=args.first_port)).state()
            except ClusterError as exc:
                sys.exit(str(exc))
        else:
            state = json.loads(args.cluster.read_text()) if args.cluster else {}
        url = args.url or state.get("url")
        if not url:
            parser.error("--url, --cluster or --start-cluster is required")
        config = Config(url=url, sessions=args.sessions, seconds=args.minutes * 60,
                        think=tuple(args.think), ramp=args.ramp, seed=args.seed,
                        replicas=state.get("replicas", []),
                        processes={f"server {pid}": pid for pid in args.pid},
                        kill_after=args.kill_after)
        report = asyncio.run(run_load(config))
    print(format_report(report))
    if args.json:
        write_json(report, args.json)
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
