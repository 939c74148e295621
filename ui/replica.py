"""The read replica on the 数据管理 page: whether the pages already show the latest import or
undo, and how far the replica is behind the primary, refreshed every few seconds."""

from __future__ import annotations

import streamlit as st

from data_access import replication
from ui.data import get_engine, get_write_engine
from ui.guard import admitted, run_guarded
from ui.labels import ADMIN_TEXT as T

REFRESH_SECONDS = 5


def data_size(size: int) -> str:
    """812 字节 / 12.3 KB / 4.5 MB (binary units, as PostgreSQL reports WAL)."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 ** 2:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 ** 2:.1f} MB"


def age(seconds: float) -> str:
    """3 秒 / 2 分钟 / 1.5 小时."""
    if seconds < 90:
        return f"{round(seconds)} 秒"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} 分钟"
    return f"{seconds / 3600:.1f} 小时"


def status_message(status: replication.ReplicaStatus) -> tuple[str, str]:
    """("success" | "info" | "warning", the Chinese sentence) for `status`."""
    lag = "" if status.lag_bytes is None else T["replica_lag"].format(
        size=data_size(status.lag_bytes), age=age(status.lag_seconds or 0.0))
    paused = T["replica_paused"] if status.replay_paused else ""
    if not status.has_latest_import:
        return "warning", T["replica_missing_import"].format(lag=lag) + paused
    if status.lag_bytes:
        return "info", T["replica_has_import"].format(lag=lag) + paused
    return "success", T["replica_synced"] + paused


def read_status() -> replication.ReplicaStatus:
    with get_write_engine().connect() as primary, get_engine().connect() as replica:
        return replication.get_replica_status(primary, replica)


@st.fragment(run_every=REFRESH_SECONDS)
def render_replica_status() -> None:
    # A fragment's own reruns bypass the page's guard and its turn (ui/guard.py).
    run_guarded(admitted(show_replica_status))


def show_replica_status() -> None:
    st.markdown(T["replica_heading"])
    kind, message = status_message(read_status())
    getattr(st, kind)(message, icon=":material/sync:")
