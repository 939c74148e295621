"""Reads that cannot hang a page, and the last good figures to show while the database is away.

- `run_with_deadline(work, seconds)` runs a read in a worker thread and gives up waiting after
  `seconds` (a frozen server still accepts TCP connections and never answers, so neither the
  driver nor a server-side timeout ends the wait). A read that finishes after its run gave up
  discards its connection instead of returning it to the pool.
- `DatabaseGuard` does every read of one engine that way. Once the database stopped answering
  (a deadline passed, or it is unreachable), later reads fail at once
  with `DatabaseUnavailable` instead of each waiting out its deadline; before each of them, one
  short probe (`SELECT 1`) is tried, at most one at a time, and the first that gets through
  ends the outage. So a run during an outage waits at most one deadline or one probe, and the
  first run after the database is back reads it again.
- `LastGood` keeps, per process, the last value each read returned and when: bounded, copied on
  the way in and out.

No Streamlit here; `ui/data.py` wires these into the cached entry point.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa

from data_access.failures import UNREACHABLE, DatabaseUnavailable, Failure, QueryTimeout, classify

log = logging.getLogger("dashboard")
T = TypeVar("T")
PROBE_DEADLINE_S = 1.0


def run_with_deadline(work: Callable[[threading.Event], T], seconds: float) -> T:
    """`work(abandoned)`'s result or exception, from a worker thread; QueryTimeout when it has
    not finished within `seconds`. `abandoned` is set when the caller stops waiting, so the
    work can clean up when it does finish."""
    done, abandoned = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(abandoned)
        except BaseException as error:  # handed to the caller, who decides
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=target, name="dashboard-read", daemon=True).start()
    if not done.wait(seconds):
        abandoned.set()
        if not done.is_set():
            raise QueryTimeout(f"no answer within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def on_connection(engine: sa.Engine, read: Callable[[sa.Connection], T]
                  ) -> Callable[[threading.Event], T]:
    """`read(conn)` on a pooled connection; a connection whose caller gave up is invalidated
    (closed, not returned to the pool)."""
    def work(abandoned: threading.Event) -> T:
        with engine.connect() as conn:
            try:
                return read(conn)
            finally:
                if abandoned.is_set():
                    conn.invalidate()
    return work


def stops_the_database(error: BaseException, failure: Failure) -> bool:
    """Whether `error` means the database is not answering at all, rather than one statement
    failing, being stopped by the server's own timeout, or waiting for a busy pool."""
    return isinstance(error, QueryTimeout) or failure.kind == UNREACHABLE


def _probe(conn: sa.Connection) -> None:
    conn.execute(sa.select(sa.literal(1))).scalar()


class DatabaseGuard:
    """Every read of one engine, with a deadline, failing fast while the database is down."""

    def __init__(self, engine: sa.Engine, *, deadline_s: float,
                 probe_deadline_s: float = PROBE_DEADLINE_S):
        self.engine = engine
        self.deadline_s = deadline_s
        self.probe_deadline_s = probe_deadline_s
        self._lock = threading.Lock()
        self._outage: Failure | None = None
        self._probing = False

    @property
    def outage(self) -> Failure | None:
        """Why the database is taken to be down, or None."""
        return self._outage

    def read(self, read: Callable[[sa.Connection], T]) -> T:
        if self._outage is not None and not self._recovered():
            raise DatabaseUnavailable(self._outage)
        try:
            return run_with_deadline(on_connection(self.engine, read), self.deadline_s)
        except Exception as error:
            failure = classify(error)
            if stops_the_database(error, failure):
                self._trip(failure)
            raise

    def _trip(self, failure: Failure) -> None:
        with self._lock:
            first = self._outage is None
            self._outage = failure
        if first:
            log.error("database not answering (%s): reads fail fast until a probe gets through",
                      failure.kind)
            # Idle connections may be stuck too: later probes connect afresh.
            self.engine.dispose()

    def _recovered(self) -> bool:
        """One probe, unless one is already under way; True once the outage is over."""
        with self._lock:
            if self._probing:
                return False
            self._probing = True
        try:
            run_with_deadline(self._probe, self.probe_deadline_s)
        except Exception:
            return False
        return self._outage is None

    def _probe(self, abandoned: threading.Event) -> None:
        """Runs to its end even when its caller stopped waiting: a late success still ends the
        outage, and only then may another probe start."""
        try:
            on_connection(self.engine, _probe)(abandoned)
        except Exception as error:
            failure = classify(error)
            if stops_the_database(error, failure):
                with self._lock:
                    self._outage = failure
            raise
        else:
            with self._lock:
                self._outage = None
            log.warning("database answering again")
        finally:
            with self._lock:
                self._probing = False


class LastGood:
    """The last value stored under each key, with the time it was read from the database.
    Values are pickled, so callers get their own copy; the least recently stored go first
    once `max_entries` or `max_bytes` is exceeded."""

    def __init__(self, max_entries: int = 2000, max_bytes: int = 256 * 2**20):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[bytes, dt.datetime]] = OrderedDict()
        self._bytes = 0

    def put(self, key: Hashable, value: Any, read_at: dt.datetime) -> None:
        with self._lock:
            held = self._items.get(key)
            if held is not None and held[1] == read_at:  # the same read, served from cache
                self._items.move_to_end(key)
                return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if key in self._items:
                self._bytes -= len(self._items.pop(key)[0])
            self._items[key] = (data, read_at)
            self._bytes += len(data)
            while self._items and (len(self._items) > self.max_entries
                                   or self._bytes > self.max_bytes):
                self._bytes -= len(self._items.popitem(last=False)[1][0])

    def get(self, key: Hashable) -> tuple[Any, dt.datetime] | None:
        with self._lock:
            held = self._items.get(key)
        if held is None:
            return None
        return pickle.loads(held[0]), held[1]

    def __len__(self) -> int:
        return len(self._items)
