"""Statement timeouts: on an engine made for the app's pages, every statement is stopped after a
set time by the database itself.

- PostgreSQL: `statement_timeout`, set and committed for the session when the connection is
  made (so a rolled-back transaction does not undo it; a SET, unlike a startup option, also
  passes a connection pooler such as PgBouncer).
- MariaDB: `max_statement_time` (seconds); MySQL: `max_execution_time` (milliseconds, SELECT
  only). Which server it is is asked on each new connection. PyMySQL also gets a `read_timeout`,
  so a connection to a server that stopped answering ends by itself.
- SQLite: a progress handler stops the statement once its time is up (SQLite's "interrupted"),
  and the busy timeout (waiting for another writer's lock) is the same time.

A server-side timeout cannot fire in a server that is frozen or cut off; the app therefore also
waits for each read with a client-side deadline, `client_deadline(seconds)`, a little longer
than the server's limit (ui/reads.py). The pool's checkout wait is bounded by the same time.

Command-line tools, loads and imports make their engines without a timeout.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import sqlalchemy as sa

# The client waits this much longer than the server's limit, so that a server that is alive
# stops the statement itself (and the connection stays usable).
CLIENT_GRACE_S = 2.0
# PyMySQL's per-read limit, beyond the client deadline: frees a connection stuck on a frozen
# server once the client has given up on it.
READ_TIMEOUT_MARGIN_S = 5
SQLITE_PROGRESS_STEPS = 10_000  # virtual-machine steps between two looks at the clock
CLOCK_KEY = "statement_clock"


def client_deadline(seconds: float) -> float:
    """How long the app waits for one read when statements are limited to `seconds`."""
    return seconds + CLIENT_GRACE_S


class StatementClock:
    """When the statement running on one SQLite connection must stop: started before each
    statement, cleared when the connection goes back to the pool (its rollback then runs
    unhurried). `expired()` is SQLite's progress handler: non-zero stops the statement."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.deadline: float | None = None

    def start(self) -> None:
        self.deadline = self.clock() + self.seconds

    def clear(self) -> None:
        self.deadline = None

    def expired(self) -> int:
        return int(self.deadline is not None and self.clock() > self.deadline)


def connect_args(url: str, seconds: float | None) -> dict:
    """Driver arguments that limit statements to `seconds` (none when `seconds` is None)."""
    if seconds is None:
        return {}
    backend = sa.engine.make_url(url)
    if backend.get_driver_name() == "pymysql":
        return {"read_timeout": math.ceil(client_deadline(seconds)) + READ_TIMEOUT_MARGIN_S}
    if backend.get_backend_name() == "sqlite":
        return {"timeout": seconds}
    return {}


def pool_args(url: str, seconds: float | None) -> dict:
    """A pool checkout waits at most `seconds` (connections held by reads stuck on a frozen
    server must not stall the next ones)."""
    if seconds is None or url.startswith("sqlite"):
        return {}
    return {"pool_timeout": max(1.0, seconds)}


def install(engine: sa.Engine, seconds: float | None) -> None:
    """The per-connection part: session settings, or SQLite's progress handler."""
    if seconds is None:
        return
    if engine.dialect.name == "postgresql":
        sa.event.listen(engine, "connect", _postgres_limit(seconds))
    elif engine.dialect.name in ("mysql", "mariadb"):
        sa.event.listen(engine, "connect", _mysql_limit(seconds))
    elif engine.dialect.name == "sqlite":
        _install_sqlite_clock(engine, seconds)


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _postgres_limit(seconds: float) -> Callable:
    """The pages' session: statements stopped after `seconds`, and no JIT compilation. The
    pages' statements are short reads over indexes, but on a large ledger their estimated cost
    passes `jit_above_cost`, and compiling then took longer than the read (0.46 s of a 1.4 s
    list at 20M hidden dangers, docs/performance.md)."""
    def limit(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET statement_timeout = {_milliseconds(seconds)}")
            cursor.execute("SET jit = off")
        finally:
            cursor.close()
        dbapi_connection.commit()
    return limit


def _mysql_limit(seconds: float) -> Callable:
    def limit(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT VERSION()")
            if "mariadb" in str(cursor.fetchone()[0]).lower():
                cursor.execute(f"SET SESSION max_statement_time = {seconds:.3f}")
            else:
                cursor.execute(f"SET SESSION max_execution_time = {_milliseconds(seconds)}")
        finally:
            cursor.close()
    return limit


def _install_sqlite_clock(engine: sa.Engine, seconds: float) -> None:
    def on_connect(dbapi_connection, record) -> None:
        clock = record.info[CLOCK_KEY] = StatementClock(seconds)
        dbapi_connection.set_progress_handler(clock.expired, SQLITE_PROGRESS_STEPS)

    def before_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info[CLOCK_KEY].start()

    def on_checkout(dbapi_connection, record, proxy) -> None:
        record.info[CLOCK_KEY].clear()

    def on_reset(dbapi_connection, record, reset_state) -> None:
        record.info[CLOCK_KEY].clear()

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "before_cursor_execute", before_execute)
    sa.event.listen(engine, "checkout", on_checkout)
    sa.event.listen(engine, "reset", on_reset)
