"""The first session of a freshly started Streamlit process, opened by the launcher itself.

    python -m deploy.warmup --port 8501 [--pid PID] [--timeout 150]

Waits until http://127.0.0.1:PORT/_stcore/health answers, then opens `/` in one session over
Streamlit's WebSocket protocol (deploy/session.py) and waits for the run's `script_finished`.
That run calls `st.navigation`, which ends Streamlit's legacy `pages/` handling for the whole
process — until then an unknown address would get Streamlit's English "Page not found" dialog
(docs/navigation.md) — and, without a login, it fills the caches the overview reads, so a
first user within their lifetime gets a warm page. (With a login the session meets the login
page, which is shown through `st.navigation` too.)

Every launcher runs it: `make run`, deploy/systemd/streamlit@.service (ExecStartPost),
deploy/cluster.py and the browser tests' servers. With `--pid` it gives up quietly once that
process (the server) has gone. Exit status 0 once the run finished, whatever the page showed
(a database that is away still gets its Chinese message, and the legacy handling is still
ended); 1 when the server did not answer or the run did not finish in time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time

from deploy.session import HTTP_TIMEOUT_S, OPENER, PAGES, Render, Session, SessionLost

DEFAULT_TIMEOUT_S = 150.0  # the systemd unit's TimeoutStartSec leaves room above this


def alive(pid: int | None) -> bool:
    """Whether process `pid` still runs (no pid: assume it does)."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True


def healthy(url: str) -> bool:
    try:
        with OPENER.open(f"{url}/_stcore/health", timeout=HTTP_TIMEOUT_S) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_up(url: str, deadline: float, pid: int | None = None) -> bool:
    """Poll the health check until it answers; False when the deadline passed or the
    server process has gone."""
    while alive(pid):
        if healthy(url):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return False


async def first_session(url: str, timeout: float) -> Render:
    """Open the default page at `url` in one session and wait for the run to finish."""
    session = Session(url, random.Random(0))
    try:
        async with asyncio.timeout(timeout):
            return await session.open(PAGES[0])
    except TimeoutError:
        return Render(PAGES[0], "open", timeout, [f"no script_finished within {timeout:.0f} s"],
                      finished=False)
    except SessionLost as lost:
        return Render(PAGES[0], "open", timeout, [f"session lost: {lost}"], finished=False)
    finally:
        await session.close()


def warm_up(url: str, *, pid: int | None = None, timeout: float = DEFAULT_TIMEOUT_S
            ) -> Render | None:
    """Wait for the server at `url`, then run its first session; None when the server never
    answered (or its process `pid` ended first)."""
    deadline = time.monotonic() + timeout
    if not wait_until_up(url.rstrip("/"), deadline, pid):
        return None
    return asyncio.run(first_session(url.rstrip("/"), max(1.0, deadline - time.monotonic())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="Streamlit 进程的端口")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--pid", type=int, help="Streamlit 进程号:进程结束后不再等待")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="最长等待秒数")
    args = parser.parse_args()
    url = f"http://{args.address}:{args.port}"
    render = warm_up(url, pid=args.pid, timeout=args.timeout)
    if render is None:
        if alive(args.pid):
            print(f"预热:{url} 在 {args.timeout:.0f} 秒内没有响应。", file=sys.stderr)
            sys.exit(1)
        return  # the server stopped (Ctrl-C, a failed start): nothing to warm
    if not render.finished:
        print(f"预热:{url} 首次打开未完成({'; '.join(render.errors)})。", file=sys.stderr)
        sys.exit(1)
    shown = f";页面提示:{'; '.join(render.errors)}" if render.errors else ""
    print(f"预热完成:{url} 首次打开用时 {render.seconds:.1f} 秒{shown}。", flush=True)


if __name__ == "__main__":
    main()
