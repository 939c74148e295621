"""Server memory and CPU while the meeting-room screen runs unattended.

    python bench/kiosk_memory.py [--minutes 80] [--rotate 5] [--refresh 1] [--every 240]

Starts `streamlit run`, opens `/?kiosk=1&rotate=R&refresh=F` in Chromium and leaves it running,
printing at each sample the server's resident memory (VmRSS), its CPU use since the previous
sample (share of one core), the page's live JavaScript heap (Chromium's `performance.memory`
right after a garbage collection, so that garbage not yet collected does not count) and the
view on screen. Short
periods compress a working day: at rotate=5 s, 80 minutes make 960 view changes, as many as
8 hours at the default rotate=30 s; at refresh=1 min, 80 database re-reads (a day at the
default refresh=5 makes 96).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium, open_and_wait, serve_app  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat, clock ticks)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=80)
    parser.add_argument("--rotate", type=int, default=5)
    parser.add_argument("--refresh", type=int, default=1)
    parser.add_argument("--every", type=float, default=240, help="seconds between samples")
    args = parser.parse_args()
    with serve_app() as base, chromium() as page:
        pid = base.pid
        open_and_wait(page, f"{base}/?kiosk=1&rotate={args.rotate}&refresh={args.refresh}")
        devtools = page.context.new_cdp_session(page)
        started = last_time = time.monotonic()
        last_cpu = cpu_seconds(pid)
        print(f"{'minute':>7}{'RSS MiB':>10}{'CPU %':>8}{'JS heap MiB':>13}  view")
        while True:
            now = time.monotonic()
            elapsed, cpu = now - started, cpu_seconds(pid)
            busy = 100 * (cpu - last_cpu) / max(now - last_time, 1e-9)
            last_time, last_cpu = now, cpu
            view = page.locator(".screen-head .view").first.inner_text(timeout=60_000)
            devtools.send("HeapProfiler.collectGarbage")
            heap = page.evaluate("performance.memory.usedJSHeapSize") / 2**20
            print(f"{elapsed / 60:>7.1f}{rss_mib(pid):>10.1f}{busy:>8.1f}{heap:>13.1f}  {view}",
                  flush=True)
            if elapsed >= args.minutes * 60:
                break
            time.sleep(args.every)


if __name__ == "__main__":
    main()
