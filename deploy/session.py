"""A dashboard session without a browser: Streamlit's own WebSocket protocol, spoken as its
frontend speaks it (its WebsocketConnection and App, in the streamlit package's static/js).

A session GETs the page (the proxy's affinity cookie and Streamlit's XSRF cookie come back),
GETs /_stcore/health and /_stcore/host-config, opens the WebSocket /_stcore/stream with the
subprotocols ["streamlit", XSRF token, previous session id], sends a `rerun_script` BackMsg
(query string, page, widget states) and reads ForwardMsgs until the run's `script_finished`.
It can then switch to another page (its page_script_hash from the navigation message) or
change a sidebar filter (the widget state of 单位 or 统计年度). When the WebSocket closes — a
process killed — it reconnects as the frontend does: health pings with backoff, the WebSocket
again with its previous session id (nginx sends it to a live process, which starts a new
session), and the run that was under way is requested again.

Used by the warm-up every launcher runs (deploy/warmup.py) and by the load driver
(bench/loadgen.py).
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

# The first is the default page, served at / (its url_path is not a route of its own).
PAGES = ("overview", "accidents", "rectification", "mining", "resources")
FILTER_KEYS = {"unit": "global.unit", "year": "global.year"}
RENDER_TIMEOUT_S = 120.0
RECONNECT_TIMEOUT_S = 120.0
HTTP_TIMEOUT_S = 15.0
CONTEXT = {"timezone": "Asia/Shanghai", "timezone_offset": -480, "locale": "zh-CN",
           "color_scheme": "light"}
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# ---- timing rules (pure) -----------------------------------------------------------------------
def reconnect_delay(attempt: int, jitter: float) -> float:
    """Seconds before reconnect attempt `attempt` (1, 2, …) after the WebSocket closed, as the
    frontend waits (nextReconnectDelayMs): 0.25–0.5 s first, then a random share of an
    exponential step capped at 4 s. `jitter` in [0, 1)."""
    step = min(4.0, 0.5 * 2 ** (attempt - 1))
    low = 0.25 if attempt == 1 else step / 2
    return low + jitter * (step - low)


def ping_retry_delay(attempt: int, jitter: float) -> float:
    """Seconds before health ping `attempt` + 1 after ping `attempt` failed (the frontend's
    DoInitPings: 0.1 s doubling, capped at 4 s, 70–100 % of it after the first)."""
    delay = min(4.0, 0.1 * 2 ** (attempt - 1))
    return delay if attempt == 1 else delay * (0.7 + 0.3 * jitter)


def url_path(page: str) -> str:
    return "" if page == PAGES[0] else page


# ---- what one run showed ----------------------------------------------------------------------
@dataclass
class PageView:
    """The elements of one script run, by delta path (a later delta at a path replaces the
    earlier one, as in the browser), and what went wrong in it."""

    elements: dict[tuple[int, ...], object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        if msg.delta.WhichOneof("type") == "new_element":
            self.elements[path] = msg.delta.new_element
        else:  # a block (container, columns …) takes the place
            self.elements.pop(path, None)

    def of_kind(self, kind: str) -> list:
        return [getattr(e, kind) for _, e in sorted(self.elements.items())
                if e.WhichOneof("type") == kind]

    def headings(self, tag: str = "h1") -> list[str]:
        return [h.body for h in self.of_kind("heading") if h.tag == tag]

    def metrics(self) -> dict[str, str]:
        return {m.label: m.body for m in self.of_kind("metric")}

    def errors(self) -> list[str]:
        """Tracebacks and error messages on the page, and what the run itself reported."""
        shown = [f"exception: {e.message[:80]}" for e in self.of_kind("exception")]
        shown += [f"error message: {a.body[:80]}" for a in self.of_kind("alert")
                  if a.format == a.ERROR]
        return self.problems + shown

    def widget(self, key: str):
        """The selectbox with user key `key` (its id ends in "-key")."""
        return next((s for s in self.of_kind("selectbox") if s.id.endswith(f"-{key}")), None)


@dataclass
class Render:
    page: str
    action: str
    seconds: float
    errors: list[str]
    reconnected: bool = False
    started: float = field(default_factory=time.monotonic)
    finished: bool = True  # False: the page was not served or the run did not finish


# ---- HTTP ----------------------------------------------------------------------------------
def _get(url: str, cookies: dict[str, str]) -> tuple[int, list[str]]:
    request = urllib.request.Request(url, headers={
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Accept-Encoding": "gzip"})
    try:
        with OPENER.open(request, timeout=HTTP_TIMEOUT_S) as response:
            response.read()
            return response.status, response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:
        return error.code, []


async def http_get(url: str, cookies: dict[str, str]) -> int:
    """GET `url` with the session's cookies, keeping the ones set; the status (0: no answer)."""
    try:
        status, set_cookies = await asyncio.to_thread(_get, url, cookies)
    except OSError:
        return 0
    for header in set_cookies:
        cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
    return status


# ---- one simulated user --------------------------------------------------------------------
class SessionLost(Exception):
    """The session could not reach the server again within RECONNECT_TIMEOUT_S."""


class Session:
    def __init__(self, base: str, rng: random.Random) -> None:
        self.base, self.rng = base.rstrip("/"), rng
        self.cookies: dict[str, str] = {}
        self.ws: ClientConnection | None = None
        self.session_id: str | None = None
        self.page = ""
        self.page_hashes: dict[str, str] = {}
        self.query = ""
        self.view = PageView()
        self.widget_states: dict[str, WidgetState] = {}
        self.reconnects: list[float] = []  # seconds from losing the WebSocket to having it back

    # The frontend's connection: health pings until the server answers, then the WebSocket.
    async def _ping_until_up(self, deadline: float) -> None:
        attempt = 0
        while True:
            attempt += 1
            health = await http_get(f"{self.base}/_stcore/health", self.cookies)
            config = await http_get(f"{self.base}/_stcore/host-config", self.cookies)
            if health == config == 200:
                return
            if time.monotonic() > deadline:
                raise SessionLost(f"health {health}, host-config {config}")
            await asyncio.sleep(ping_retry_delay(attempt, self.rng.random()))

    async def _open_socket(self) -> None:
        tokens = [self.cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")]
        if self.session_id:
            tokens.append(self.session_id)
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await connect(
            ws_url, subprotocols=["streamlit", *tokens], origin=self.base, proxy=None,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            compression=None, max_size=None, max_queue=None, ping_interval=None,
            open_timeout=HTTP_TIMEOUT_S)

    async def connect(self) -> None:
        deadline = time.monotonic() + RECONNECT_TIMEOUT_S
        attempt = 0
        while True:
            await self._ping_until_up(deadline)
            try:
                await self._open_socket()
                return
            except (OSError, InvalidHandshake, TimeoutError) as error:
                attempt += 1
                if time.monotonic() > deadline:
                    raise SessionLost(f"WebSocket: {error}") from error
                await asyncio.sleep(reconnect_delay(attempt, self.rng.random()))

    async def reconnect(self, lost_at: float) -> None:
        await asyncio.sleep(reconnect_delay(1, self.rng.random()))
        await self.connect()
        self.reconnects.append(time.monotonic() - lost_at)

    # One script run.
    async def _read_run(self) -> PageView:
        view = PageView()
        async with asyncio.timeout(RENDER_TIMEOUT_S):
            while True:
                msg = ForwardMsg.FromString(await self.ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.session_id = msg.new_session.initialize.session_id
                    view = PageView()
                elif kind == "navigation":
                    # The default page (总览) has an empty path in the navigation.
                    self.page_hashes = {p.url_pathname or PAGES[0]: p.page_script_hash
                                        for p in msg.navigation.app_pages}
                elif kind == "page_info_changed":
                    self.query = msg.page_info_changed.query_string
                elif kind == "delta":
                    view.add(msg)
                elif kind == "page_not_found":
                    view.problems.append(f"page not found: {msg.page_not_found.page_name}")
                elif kind == "session_event" and msg.session_event.HasField(
                        "script_compilation_exception"):
                    view.problems.append("script compilation error")
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        view.problems.append("script finished with a compile error")
                        return view
                    if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        return view

    def _client_state(self, *, page_name: str = "", page_hash: str = "") -> ClientState:
        state = ClientState(query_string=self.query, page_name=page_name,
                            page_script_hash=page_hash)
        state.widget_states.widgets.extend(self.widget_states.values())
        state.context_info.url = f"{self.base}/{url_path(self.page)}"
        for name, value in CONTEXT.items():
            setattr(state.context_info, name, value)
        return state

    async def run(self, action: str, state: ClientState) -> Render:
        """Request a run and wait for it to finish; if the WebSocket closes meanwhile,
        reconnect and request it again, as the frontend does for a run under way."""
        started = time.monotonic()
        reconnected = False
        while True:
            try:
                await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
                view = await self._read_run()
                break
            except ConnectionClosed:
                reconnected = True
                await self.reconnect(time.monotonic())
            except TimeoutError:
                return Render(self.page, action, time.monotonic() - started,
                              [f"no script_finished within {RENDER_TIMEOUT_S:.0f} s"],
                              started=started, finished=False)
        self.view = view
        return Render(self.page, action, time.monotonic() - started, view.errors(), reconnected,
                      started)

    # What a user does.
    async def open(self, page: str, query: str = "") -> Render:
        started = time.monotonic()
        self.page, self.query = page, query
        status = await http_get(f"{self.base}/{url_path(page)}" + (f"?{query}" if query else ""),
                                self.cookies)
        if status != 200:
            return Render(page, "open", time.monotonic() - started, [f"HTTP {status} for page"],
                          finished=False)
        await self.connect()
        render = await self.run("open", self._client_state(page_name=url_path(page)))
        render.seconds, render.started = time.monotonic() - started, started
        return render

    async def switch(self, page: str) -> Render:
        self.page = page
        return await self.run("switch", self._client_state(page_hash=self.page_hashes[page]))

    async def choose(self, filter_name: str) -> Render:
        """Pick another option of the sidebar filter `filter_name` ("unit" or "year")."""
        box = self.view.widget(FILTER_KEYS[filter_name])
        if box is None:
            return Render(self.page, filter_name, 0.0, [f"no {filter_name} filter on the page"])
        current = box.raw_value if box.set_value else box.options[box.default]
        options = [o for o in box.options if o != current] or list(box.options)
        self.widget_states[box.id] = WidgetState(id=box.id, string_value=self.rng.choice(options))
        return await self.run(filter_name, self._client_state(
            page_hash=self.page_hashes.get(self.page, "")))

    async def think(self, seconds: float) -> None:
        """Wait like a user reading the page; a WebSocket lost meanwhile is re-established at
        once, as the frontend does (no rerun: no run was under way)."""
        closed = asyncio.ensure_future(self.ws.wait_closed())
        done, _ = await asyncio.wait({closed}, timeout=seconds)
        if done:
            lost_at = time.monotonic()
            await self.reconnect(lost_at)
            await asyncio.sleep(max(0.0, seconds - (time.monotonic() - lost_at)))
        else:
            closed.cancel()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
