"""Admission (ui/admission.py, ui/guard.py): a bounded number of page runs per process, the
others in line. Turns are held and handed on with events, so nothing here depends on how fast
the machine is: short limits only ever meet a turn that is never handed on, and everything that
must happen gets 60 s."""

from __future__ import annotations

import threading

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import metric_values
from tests.test_degraded_pages import app_on, messages
from ui import guard, settings
from ui.admission import Admission, Busy
from ui.labels import MESSAGES

SHORT, LONG = 0.3, 60.0


def wait_until(condition, seconds: float = LONG) -> None:
    """Until `condition()` holds (polled on an event's timeout, not a sleep budget)."""
    pause = threading.Event()
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        pause.wait(0.01)
    raise AssertionError("condition not met within 60 s")


class Holder:
    """A thread holding one turn until `release()`."""

    def __init__(self, admission: Admission, name: str, order: list[str] | None = None):
        self.admitted, self.released = threading.Event(), threading.Event()
        self.error: BaseException | None = None

        def hold() -> None:
            try:
                with admission.turn(limit_s=LONG, tick_s=LONG, on_wait=lambda ahead: None):
                    if order is not None:
                        order.append(name)
                    self.admitted.set()
                    self.released.wait(LONG)
            except BaseException as error:  # seen by the test
                self.error = error

        self.thread = threading.Thread(target=hold, daemon=True)
        self.thread.start()

    def release(self) -> None:
        self.released.set()
        self.thread.join(LONG)
        assert not self.thread.is_alive()


def test_turns_go_to_the_waiting_runs_in_the_order_they_asked():
    admission = Admission(2)
    order: list[str] = []
    first, second = Holder(admission, "a", order), Holder(admission, "b", order)
    assert first.admitted.wait(LONG) and second.admitted.wait(LONG)
    waiting = []
    for name in ("c", "d", "e"):
        waiting.append(Holder(admission, name, order))
        wait_until(lambda: admission.waiting == len(waiting))
    assert admission.running == 2 and not any(h.admitted.is_set() for h in waiting)

    for leaving, (next_in, after) in zip((first, second, waiting[0]),
                                         zip(waiting, [*waiting[1:], None])):
        leaving.release()
        assert next_in.admitted.wait(LONG)
        assert after is None or not after.admitted.is_set()
        assert admission.running == 2
    for holder in waiting[1:]:
        holder.release()
    assert order == ["a", "b", "c", "d", "e"]
    assert (admission.running, admission.waiting) == (0, 0)


class NewerRun(Exception):
    """What Streamlit raises at its yield point (the notice's redraw) when a rerun was asked for."""


def test_a_waiting_run_is_told_its_place_leaves_the_line_when_it_stops_or_after_the_limit():
    admission = Admission(1)
    holder = Holder(admission, "a")
    assert holder.admitted.wait(LONG)
    queued = Holder(admission, "b")
    wait_until(lambda: admission.waiting == 1)
    places: list[int] = []

    def tell(ahead: int) -> None:
        places.append(ahead)
        raise NewerRun  # after the first notice (the wait limit is long: no race with it)

    with pytest.raises(NewerRun), admission.turn(limit_s=LONG, tick_s=SHORT / 3, on_wait=tell):
        pytest.fail("no turn while the only one is held")
    assert places == [1], "one run ahead in line"
    with (pytest.raises(Busy),
          admission.turn(limit_s=SHORT, tick_s=SHORT / 3, on_wait=lambda ahead: None)):
        pytest.fail("no turn while the only one is held")
    assert (admission.running, admission.waiting) == (1, 1), "both gave up their places"
    holder.release()
    assert queued.admitted.wait(LONG), "the next in line moves up"
    queued.release()
    assert (admission.running, admission.waiting) == (0, 0)


def test_a_turn_is_handed_on_when_the_run_fails_and_nesting_needs_no_second_turn():
    admission = Admission(1)
    with (pytest.raises(ValueError),
          admission.turn(limit_s=LONG, tick_s=LONG, on_wait=lambda ahead: None),
          admission.turn(limit_s=SHORT, tick_s=SHORT, on_wait=lambda ahead: None)):
        assert admission.running == 1
        raise ValueError("the page failed")
    assert (admission.running, admission.waiting) == (0, 0)
    holder = Holder(admission, "a")
    assert holder.admitted.wait(LONG), "the turn came back"
    holder.release()
    assert holder.error is None


@pytest.mark.parametrize(("value", "runs"), [(None, 4), ("2", 2), ("0", 1), ("99", 8),
                                             ("four", 4), ("", 4)])
def test_page_runs_at_once_is_read_clamped_and_defaulted(monkeypatch, value, runs):
    if value is None:
        monkeypatch.delenv("DASHBOARD_PAGE_RUNS", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_PAGE_RUNS", value)
    monkeypatch.setattr("data_access.db.read_secrets", lambda: {})
    assert settings.page_runs_at_once() == runs


# ---- the pages -------------------------------------------------------------------------------
@pytest.fixture
def one_turn(monkeypatch) -> Admission:
    """The app's admission with one turn, held by the test until it says."""
    admission = Admission(1)
    monkeypatch.setattr(guard, "ADMISSION", admission)
    return admission


def test_a_page_that_gets_no_turn_says_so_in_chinese(monkeypatch, sample_sqlite_url, one_turn):
    monkeypatch.setattr(guard, "WAIT_LIMIT_S", 1.0)
    holder = Holder(one_turn, "another run")
    assert holder.admitted.wait(LONG)
    at = app_on(monkeypatch, sample_sqlite_url)
    try:
        at.run()
    finally:
        holder.release()
    assert not at.exception
    assert messages(at) == [MESSAGES["busy"].format(seconds="1")]
    assert not at.metric, "no reads were started"
    assert (one_turn.running, one_turn.waiting) == (0, 0)


def test_a_page_that_waited_for_its_turn_shows_what_it_shows_unqueued(monkeypatch,
                                                                      sample_sqlite_url,
                                                                      one_turn):
    unqueued = metric_values(app_on(monkeypatch, sample_sqlite_url).run())
    holder = Holder(one_turn, "another run")
    assert holder.admitted.wait(LONG)
    at = app_on(monkeypatch, sample_sqlite_url)
    releaser = threading.Thread(target=lambda: (wait_until(lambda: one_turn.waiting == 1),
                                                holder.release()), daemon=True)
    releaser.start()
    at.run()
    releaser.join(LONG)
    assert not at.exception
    assert MESSAGES["queued"].format(place=1) not in messages(at), "the notice is gone"
    assert metric_values(at) == unqueued and unqueued
    assert (one_turn.running, one_turn.waiting) == (0, 0)


def test_a_quiet_wait_the_screens_draws_no_notice(monkeypatch, sample_sqlite_url,
                                                               one_turn):
    monkeypatch.setattr(guard, "WAIT_LIMIT_S", 1.0)
    drawn: list[int] = []
    monkeypatch.setattr(guard.QueueNotice, "__call__", lambda self, ahead: drawn.append(ahead))
    holder = Holder(one_turn, "another run")
    assert holder.admitted.wait(LONG)
    try:
        guard.run_guarded(guard.admitted(lambda: pytest.fail("ran without a turn"), quiet=True),
                          show=drawn.append)
    finally:
        holder.release()
    assert drawn == [MESSAGES["busy"].format(seconds="1")], "no queue notice, then the message"


def test_the_queue_notice_tells_the_place_and_is_cleared_once_admitted():
    def waiting(cleared: bool) -> None:
        from ui.guard import QueueNotice

        notice = QueueNotice()
        notice(2)
        notice(1)  # redrawn in the same place
        if cleared:
            notice.clear()

    shown = AppTest.from_function(waiting, args=(False,), default_timeout=60).run()
    assert [e.value for e in shown.info] == [MESSAGES["queued"].format(place=2)]
    gone = AppTest.from_function(waiting, args=(True,), default_timeout=60).run()
    assert not gone.exception and not gone.info
