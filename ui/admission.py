"""Admission: at most a set number of page runs of one process at a time; the others wait their
turn, first come, first served.

Why: a page run's reads are timed from when they start — the pool's checkout wait and the
client's deadline (ui/reads.py), SQLite's statement clock, whose progress handler needs the
interpreter. With a hundred runs at once in one process (a replica's sessions moved to the last
one standing), each short read waited for the interpreter and for one of the pool's ten
connections inside those clocks, and some passed the 8 s query timeout: the page said 查询超时
although the database was idle (docs/performance.md). Runs that wait *before* their reads start
finish their reads in their usual time; the process serves its runs one batch after another
instead of all of them slowly, and a user waiting for a turn is told so.

No Streamlit here; `ui/guard.py` wires this into the page runs.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator


class Busy(Exception):
    """No turn came within the wait limit."""


class Admission:
    """Turns for at most `slots` runs at a time, handed out in the order they were asked for."""

    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError("at least one run at a time")
        self.slots = slots
        self._lock = threading.Lock()
        self._running = 0
        self._queue: deque[threading.Event] = deque()
        self._held = threading.local()

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._queue)

    @contextlib.contextmanager
    def turn(self, *, limit_s: float, tick_s: float,
             on_wait: Callable[[int], None]) -> Iterator[None]:
        """Hold one turn for the block. While waiting, `on_wait(ahead)` is called every `tick_s`
        with the number of runs ahead in line; it may raise (a newer run was asked for), which
        gives up the place. `Busy` once `limit_s` has passed without a turn. A thread already
        holding a turn (a fragment inside its page's run) goes on without a second one."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._enter(limit_s, tick_s, on_wait)
        self._held.depth = 1
        try:
            yield
        finally:
            self._held.depth = 0
            self._leave()

    def _enter(self, limit_s: float, tick_s: float, on_wait: Callable[[int], None]) -> None:
        ticket = threading.Event()
        with self._lock:
            if self._running < self.slots and not self._queue:
                self._running += 1
                return
            self._queue.append(ticket)
        deadline = time.monotonic() + limit_s
        try:
            while not ticket.wait(min(tick_s, max(0.0, deadline - time.monotonic()))):
                if time.monotonic() >= deadline:
                    raise Busy(f"no turn within {limit_s:g} s")
                on_wait(self._ahead(ticket))
        except BaseException:
            with self._lock:
                if ticket.is_set():  # the turn came just now: hand it on
                    self._hand_on()
                else:
                    self._queue.remove(ticket)
            raise

    def _ahead(self, ticket: threading.Event) -> int:
        with self._lock:
            return self._queue.index(ticket) if ticket in self._queue else 0

    def _leave(self) -> None:
        with self._lock:
            self._hand_on()

    def _hand_on(self) -> None:
        """The caller's turn goes to the first in line, or back to the pool (lock held)."""
        if self._queue:
            self._queue.popleft().set()
        else:
            self._running -= 1
