"""The server's own settings: the environment first, then `.streamlit/secrets.toml`.

    [data_admin]
    enabled = true          # the 数据管理 page (import, undo, templates); env DASHBOARD_DATA_ADMIN=1
    map_style_url = "…"     # top level: a self-hosted MapLibre style; env MAP_STYLE_URL

    [database]
    query_timeout = 8       # seconds a page's query may take; env DASHBOARD_QUERY_TIMEOUT

    [server]
    page_runs_at_once = 4   # page runs one process serves at a time (1–8); env DASHBOARD_PAGE_RUNS

For tests only: DASHBOARD_SCREEN_RELOAD_AFTER_S makes the meeting-room screen reload once its
page is that many seconds old, instead of at the nightly quiet hour; DASHBOARD_IDP_PROBE_TTL_S
shortens how long the answer of the identity provider's probe is kept (default 30 s).
"""

from __future__ import annotations

import os

from data_access import db

TRUE_WORDS = {"1", "true", "yes", "on"}
DEFAULT_QUERY_TIMEOUT_S = 8.0
QUERY_TIMEOUT_RANGE_S = (0.5, 600.0)


def _secret(*path: str) -> object:
    node: object = db.read_secrets()
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def data_admin_enabled() -> bool:
    """Whether this server offers the 数据管理 page: off unless switched on."""
    env = os.environ.get("DASHBOARD_DATA_ADMIN")
    if env is not None:
        return env.strip().lower() in TRUE_WORDS
    return _secret("data_admin", "enabled") is True


def map_style_url() -> str | None:
    """Optional basemap style URL; off by default (the map needs no internet)."""
    url = os.environ.get("MAP_STYLE_URL") or _secret("map_style_url")
    return str(url) if url else None


def query_timeout_s() -> float:
    """Seconds any one query of a page may take before the database stops it (and the page shows
    its last good figures). Malformed: the default; out of range: clamped."""
    value = os.environ.get("DASHBOARD_QUERY_TIMEOUT") or _secret("database", "query_timeout")
    return parse_timeout(value)


def parse_timeout(value: object) -> float:
    try:
        seconds = float(str(value))
    except ValueError:
        return DEFAULT_QUERY_TIMEOUT_S
    if seconds != seconds:  # NaN
        return DEFAULT_QUERY_TIMEOUT_S
    return min(max(seconds, QUERY_TIMEOUT_RANGE_S[0]), QUERY_TIMEOUT_RANGE_S[1])


DEFAULT_PAGE_RUNS = 4
# The pages' engine pools ten connections (data_access/db.py): every admitted run keeps one for
# its reads, with room left for a read whose run gave up on it and for the replica's probe.
PAGE_RUNS_RANGE = (1, 8)


def page_runs_at_once() -> int:
    """How many page runs one process serves at a time (ui/admission.py); the others wait their
    turn. Malformed: the default; out of range: clamped."""
    value = os.environ.get("DASHBOARD_PAGE_RUNS") or _secret("server", "page_runs_at_once")
    try:
        runs = int(str(value))
    except ValueError:
        return DEFAULT_PAGE_RUNS
    return min(max(runs, PAGE_RUNS_RANGE[0]), PAGE_RUNS_RANGE[1])


def screen_reload_after_s() -> float | None:
    """Tests only (env DASHBOARD_SCREEN_RELOAD_AFTER_S): seconds after which the screen reloads
    itself instead of at its quiet hour; None (the default, and when malformed) for the hour."""
    try:
        seconds = float(os.environ.get("DASHBOARD_SCREEN_RELOAD_AFTER_S", ""))
    except ValueError:
        return None
    return seconds if seconds > 0 else None


DEFAULT_IDP_PROBE_TTL_S = 30.0


def idp_probe_ttl_s() -> float:
    """Seconds the identity provider's probe answer is kept (`ui.auth.idp_reachable`): 30, or
    for tests env DASHBOARD_IDP_PROBE_TTL_S (1–30; the default when malformed)."""
    try:
        seconds = float(os.environ.get("DASHBOARD_IDP_PROBE_TTL_S", ""))
    except ValueError:
        return DEFAULT_IDP_PROBE_TTL_S
    if seconds != seconds:  # NaN
        return DEFAULT_IDP_PROBE_TTL_S
    return min(max(seconds, 1.0), DEFAULT_IDP_PROBE_TTL_S)
