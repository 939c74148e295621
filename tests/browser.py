"""Drive the real app in Debian's Chromium: start `streamlit run` on a free port, open pages,
wait until the script has finished, and take screenshots.

Also a command for people: `python -m tests.browser accidents --out out/accidents.png
[--query "as_of=2022-06-30"] [--width 1920 --height 1080]` writes a screenshot of one page.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from deploy.cluster import warmup_args

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGES = ("overview", "accidents", "rectification", "mining", "resources")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerURL(str):
    """The app's base URL, carrying the server's process id (for memory measurements)."""

    def __new__(cls, url: str, pid: int):
        obj = super().__new__(cls, url)
        obj.pid = pid
        return obj


@contextlib.contextmanager
def serve_app(env: dict[str, str] | None = None, port: int | None = None,
              options: tuple[str, ...] = (), warm_up: bool = False) -> Iterator[ServerURL]:
    """Run the app with `streamlit run` (and Streamlit `options` such as
    `--secrets.files PATH`); yields its base URL and stops it afterwards. With `warm_up`, as
    the launchers start it (`make run`, the systemd unit, deploy/cluster.py): its first session
    is opened by `python -m deploy.warmup` before the URL is yielded."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *options],
        cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = ServerURL(f"http://127.0.0.1:{port}", process.pid)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(
                    f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode(errors="replace"))
            time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not start within 60 s")
        if warm_up:
            warming = subprocess.run([sys.executable, "-m", *warmup_args(port, process.pid)],
                                     cwd=ROOT, capture_output=True, text=True, timeout=300)
            if warming.returncode != 0:
                raise RuntimeError(f"the warm-up failed: {warming.stderr}")
        yield base
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()


@contextlib.contextmanager
def chromium(width: int = 1920, height: int = 1080):
    """A Playwright page in Debian's Chromium, offline-safe flags, viewport width × height."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            yield page
        finally:
            browser.close()


def open_and_wait(page, url: str, timeout_ms: int = 60_000) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector(FINISHED, timeout=timeout_ms)
    # A rerun may start right after the first finishes (URL sync); wait for it to settle.
    page.wait_for_timeout(500)
    page.wait_for_selector(FINISHED, timeout=timeout_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=PAGES)
    parser.add_argument("--out", required=True)
    parser.add_argument("--query", default="")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with serve_app() as base, chromium(args.width, args.height) as page:
        open_and_wait(page, f"{base}/{args.page}?{args.query}")
        page.wait_for_timeout(1500)  # let charts and maps paint
        page.screenshot(path=args.out, full_page=args.full_page)
    print(args.out)


if __name__ == "__main__":
    main()


def audit_events(engine) -> list[tuple[str, str | None]]:
    """(kind, user name) of every audit-log row."""
    import sqlalchemy as sa

    from data_access import schema

    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.audit_log.c.kind, schema.audit_log.c.user_name))
        return [tuple(r) for r in rows]


def wait_for_audit_event(engine, wanted: tuple[str, str | None], seconds: float = 60) -> None:
    """Events are written by the app's background thread: poll for one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if wanted in audit_events(engine):
            return
        time.sleep(0.3)
    raise AssertionError(f"{wanted} not in {audit_events(engine)}")
