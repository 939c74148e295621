"""Run a page so that a user never sees a traceback or Streamlit's English error screen: database
trouble and unexpected errors become a clear Chinese message — for the whole page, or for one
section of it while the rest of the page renders — and the details go to the server log.

- `run_guarded(render)`: a whole page (or a fragment run).
- `admitted(render)`: `render` once this process gives the run its turn (ui/admission.py); while
  it waits, a notice says its place in line, and after `WAIT_LIMIT_S` it gives up with
  "访问人数较多…请稍后刷新" instead of starting reads that would time out.
- `with section():` one part of a page; an error inside it replaces that part with its message.
- `guarded_callback(fn)`: a widget callback, which Streamlit runs before the script.
- `stale_notice(slot)`: "数据更新于 HH:MM,数据库暂不可用" when the run showed last good figures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import logging
from collections.abc import Callable, Iterator

import streamlit as st

from data_access import access, failures
from data_access.failures import Failure
from ui.admission import Admission, Busy
from ui.data import DATABASE_ERRORS, stale_since
from ui.format import read_time
from ui.labels import AUTH_TEXT, MESSAGES, SCORECARD_TABLE_NAMES, TABLE_NAMES
from ui.settings import page_runs_at_once, query_timeout_s
from ui.theme import NOTICE_BACKGROUND, NOTICE_EDGE, NOTICE_TEXT

log = logging.getLogger("dashboard")
ADMISSION = Admission(page_runs_at_once())
WAIT_LIMIT_S = 60.0  # a run waits this long for its turn
NOTICE_AFTER_S = 0.5  # a wait shorter than this shows nothing
SIMPLE_MESSAGES = {failures.UNREACHABLE: "db_unreachable", failures.AUTH_FAILED: "db_auth_failed",
                   failures.DATABASE_MISSING: "db_missing", failures.OTHER: "query_failed"}


def table_label(name: str | None) -> str:
    """“隐患台账”(hidden_dangers); an unknown table by its own name; nothing for no name."""
    if not name:
        return ""
    chinese = TABLE_NAMES.get(name) or SCORECARD_TABLE_NAMES.get(name)
    return f"“{chinese}”({name})" if chinese else f" {name} "


def failure_message(failure: Failure) -> str:
    """The Chinese message for a database failure, naming the table, column or driver."""
    if failure.kind == failures.TABLE_MISSING:
        return MESSAGES["table_missing"].format(table=table_label(failure.table))
    if failure.kind == failures.COLUMN_MISSING:
        return MESSAGES["column_missing"].format(table=table_label(failure.table),
                                                 column=failure.column or "")
    if failure.kind == failures.DRIVER_MISSING:
        return MESSAGES["driver_missing"].format(driver=failure.name or "")
    if failure.kind == failures.TIMEOUT:
        return MESSAGES["query_timeout"].format(seconds=f"{query_timeout_s():g}")
    return MESSAGES[SIMPLE_MESSAGES[failure.kind]]


def describe(error: BaseException, fallback: str) -> str:
    """The message for any error: a database failure's own, a refused read's (无权查看该单位,
    大屏授权已失效), else `fallback` (logged in full)."""
    if isinstance(error, access.AccessError):
        log.warning("access refused: %s", error)
        return AUTH_TEXT[error.kind]
    if isinstance(error, Busy):
        log.warning("page run refused: %s (%d running, %d waiting)", error, ADMISSION.running,
                    ADMISSION.waiting)
        return MESSAGES["busy"].format(seconds=f"{WAIT_LIMIT_S:g}")
    if isinstance(error, DATABASE_ERRORS):
        failure = failures.classify(error)
        if isinstance(error, failures.DatabaseUnavailable):
            log.warning("database unavailable (%s): shown without asking it", failure.kind)
        else:
            log.error("database error (%s)", failure.kind, exc_info=error)
        return failure_message(failure)
    log.error("unexpected error while rendering", exc_info=error)
    return MESSAGES[fallback]


def show_error(message: str) -> None:
    st.error(message, icon=":material/error:")


def run_guarded(render: Callable[[], None], show: Callable[[str], None] = show_error) -> None:
    try:
        render()
    except Exception as error:  # the last line of defence: log it, tell the user plainly
        show(describe(error, "page_failed"))


class QueueNotice:
    """"访问人数较多,正在排队…" while a run waits for its turn; drawn (at the run's current place)
    only once the wait lasts, and each redraw is also where Streamlit ends the wait when the
    user has asked for a newer run or left."""

    def __init__(self) -> None:
        self.slot = None

    def __call__(self, ahead: int) -> None:
        if self.slot is None:
            self.slot = st.empty()
        self.slot.info(MESSAGES["queued"].format(place=ahead + 1), icon=":material/hourglass_top:")

    def clear(self) -> None:
        if self.slot is not None:
            self.slot.empty()


def admitted(render: Callable[[], None], *, quiet: bool = False) -> Callable[[], None]:
    """`render`, run once this process gives it a turn; `Busy` when none comes in time.
    `quiet`: wait without the notice (the meeting-room screen keeps its view)."""
    @functools.wraps(render)
    def run() -> None:
        notice = QueueNotice()
        on_wait = (lambda _ahead: None) if quiet else notice
        try:
            with ADMISSION.turn(limit_s=WAIT_LIMIT_S, tick_s=NOTICE_AFTER_S, on_wait=on_wait):
                notice.clear()
                render()
        except Busy:
            notice.clear()  # the message that follows replaces it
            raise
    return run


@contextlib.contextmanager
def section(show: Callable[[str], None] = show_error) -> Iterator[None]:
    """One part of a page. If it fails, what it drew is replaced by `show(message)` — the
    failure's own Chinese message — and the page goes on with its next part."""
    slot = st.empty()
    try:
        with slot.container():
            yield
    except Exception as error:
        message = describe(error, "section_failed")
        with slot.container():
            show(message)


def guarded_callback(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback that cannot end in Streamlit's error screen: an error is logged and
    the user told in Chinese at the top of the page."""
    @functools.wraps(callback)
    def run(*args, **kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as error:
            st.warning(describe(error, "action_failed"), icon=":material/warning:")
    return run


def stale_text() -> str | None:
    """"数据更新于 14:05,数据库暂不可用" when this run showed last good figures, else None."""
    since = stale_since()
    if since is None:
        return None
    return MESSAGES["stale"].format(time=read_time(since, dt.datetime.now()))


def stale_notice(slot) -> None:
    """Fill `slot` (an `st.empty()` above the page) with the stale bar when needed: dark text
    on a light amber bar."""
    text = stale_text()
    if text:
        slot.html(f'<div class="stale-bar" style="background:{NOTICE_BACKGROUND};'
                  f"color:{NOTICE_TEXT};border-left:0.4rem solid {NOTICE_EDGE};"
                  'border-radius:0.5rem;padding:0.6rem 1rem;font-weight:600">'
                  f"{html.escape(text)}</div>")
