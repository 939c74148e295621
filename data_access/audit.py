"""The audit log: who logged in (or failed to), viewed which page with which filters, downloaded
what, imported or undid, changed whose role — with time and client address.

A page does not wait for the log: `AuditWriter.record` puts the event on a queue (microseconds)
and one background thread writes what has queued in one multi-row INSERT. Events that cannot be
written (a read-only database, an outage) are logged to the server log and dropped, never
shown to the user and never blocking a page. `purge` deletes events older than the retention.

Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from data_access import schema

log = logging.getLogger("dashboard")
KINDS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出", "denied": "拒绝访问",
    "view": "浏览", "download": "下载", "brief": "简报", "import": "导入", "undo": "撤销导入",
    "role": "角色变更", "token": "大屏授权",
}
DEFAULT_RETENTION_DAYS = 180  # 网络安全法: network logs kept at least six months
DETAIL_LIMIT = 1000
BATCH_LIMIT = 500


@dataclass(frozen=True)
class Event:
    kind: str
    user: str | None
    role: str | None = None
    client: str | None = None
    page: str | None = None
    scope: str | None = None
    detail: dict = field(default_factory=dict)
    rows: int | None = None
    at: dt.datetime = field(default_factory=dt.datetime.now)

    def row(self) -> dict:
        detail = json.dumps(self.detail, ensure_ascii=False, default=str, sort_keys=True)
        return {"at": self.at, "kind": self.kind, "user_name": _cut(self.user, 120),
                "role": self.role, "client": _cut(self.client, 80), "page": _cut(self.page, 40),
                "scope": self.scope, "detail": _cut(detail, DETAIL_LIMIT), "row_count": self.rows}


def _cut(text: str | None, limit: int) -> str | None:
    return None if text is None else text[:limit]


PURGE_NOTE = "audit log: %d event(s) older than %d days deleted"


def write(conn: sa.Connection, events: list[Event]) -> None:
    if events:
        conn.execute(schema.audit_log.insert(), [e.row() for e in events])


def purge(conn: sa.Connection, *, now: dt.datetime, retention_days: int) -> int:
    """Delete events older than `retention_days`; returns how many."""
    cutoff = now - dt.timedelta(days=retention_days)
    return conn.execute(schema.audit_log.delete().where(schema.audit_log.c.at < cutoff)).rowcount


def list_events(conn: sa.Connection, *, since: dt.datetime, until: dt.datetime,
                kinds: tuple[str, ...] = (), user: str | None = None,
                limit: int = 1000) -> pd.DataFrame:
    """Events from `since` to before `until`, newest first, of `kinds` (all when empty) and of
    users whose login name contains `user`."""
    a = schema.audit_log
    stmt = sa.select(a.c.at, a.c.kind, a.c.user_name, a.c.role, a.c.client, a.c.page, a.c.scope,
                     a.c.detail, a.c.row_count).where(a.c.at >= since, a.c.at < until)
    if kinds:
        stmt = stmt.where(a.c.kind.in_(kinds))
    if user:
        stmt = stmt.where(a.c.user_name.contains(user, autoescape=True))
    stmt = stmt.order_by(a.c.at.desc(), a.c.id.desc()).limit(limit)
    return pd.DataFrame(conn.execute(stmt).mappings().all(),
                        columns=["at", "kind", "user_name", "role", "client", "page", "scope",
                                 "detail", "row_count"])


class AuditWriter:
    """Queues events and writes them from one daemon thread, in batches."""

    def __init__(self, engine: Callable[[], sa.Engine],
                 retention_days: int = DEFAULT_RETENTION_DAYS):
        self._engine = engine
        self.retention_days = retention_days
        self._purged_on: dt.date | None = None
        self._queue: queue.Queue[Event] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._pending = 0
        self._thread: threading.Thread | None = None

    def record(self, event: Event) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
            self._queue.put(event)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-writer",
                                                daemon=True)
                self._thread.start()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything queued so far is written (or dropped); False on timeout."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=5.0)
            except queue.Empty:
                with self._lock:  # an event put meanwhile is taken on the next turn
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < BATCH_LIMIT:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with self._engine().begin() as conn:
                    write(conn, batch)
                    self._purge_daily(conn)
            except Exception:
                log.exception("audit log: %d event(s) not written", len(batch))
            with self._lock:
                self._pending -= len(batch)
                if self._pending == 0:
                    self._idle.set()

    def _purge_daily(self, conn: sa.Connection) -> None:
        """Once a day (with the first batch written that day), the events past retention go."""
        now = dt.datetime.now()
        if self._purged_on == now.date():
            return
        self._purged_on = now.date()
        gone = purge(conn, now=now, retention_days=self.retention_days)
        if gone:
            log.info(PURGE_NOTE, gone, self.retention_days)
