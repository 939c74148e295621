"""Reads that cannot hang a page (ui/reads.py): the deadline, failing fast while the database is
down and coming back after one probe, and the last good values. Frozen reads and probes are
simulated with events, so nothing here depends on how fast the machine is: short deadlines
only ever meet work that never finishes by itself, and work that must finish gets 60 s."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import db
from data_access.failures import DatabaseUnavailable, QueryTimeout, classify
from tests.test_failures import ENDLESS
from ui import reads

SHORT, LONG = 0.2, 60.0


def test_run_with_deadline_returns_raises_and_gives_up():
    assert reads.run_with_deadline(lambda abandoned: 42, LONG) == 42

    def broken(abandoned):
        raise ValueError("bad")

    with pytest.raises(ValueError):
        reads.run_with_deadline(broken, LONG)

    release, finished = threading.Event(), threading.Event()
    seen = {}

    def frozen(abandoned):
        release.wait(LONG)
        seen["abandoned"] = abandoned.is_set()
        finished.set()

    with pytest.raises(QueryTimeout):
        reads.run_with_deadline(frozen, SHORT)
    release.set()
    assert finished.wait(LONG)
    assert seen["abandoned"], "the late work learns that its caller gave up"


@pytest.fixture
def engine(tmp_path):
    eng = db.create_bureau_engine(f"sqlite:///{tmp_path / 'guard.sqlite'}")
    yield eng
    eng.dispose()


def test_a_connection_whose_caller_gave_up_is_not_reused(engine):
    invalidated, release = threading.Event(), threading.Event()
    sa.event.listen(engine, "invalidate", lambda *args: invalidated.set())

    def frozen(conn):
        conn.exec_driver_sql("SELECT 1")
        release.wait(LONG)

    with pytest.raises(QueryTimeout):
        reads.run_with_deadline(reads.on_connection(engine, frozen), SHORT)
    release.set()
    assert invalidated.wait(LONG)


def test_guard_fails_fast_while_down_and_recovers_after_a_probe(engine, monkeypatch):
    guard = reads.DatabaseGuard(engine, deadline_s=SHORT, probe_deadline_s=LONG)
    assert guard.read(lambda conn: conn.exec_driver_sql("SELECT 7").scalar()) == 7
    release = threading.Event()
    with pytest.raises(QueryTimeout):
        guard.read(lambda conn: release.wait(LONG))  # a frozen server
    assert guard.outage is not None
    guard.deadline_s = LONG
    refused = sa.exc.OperationalError("SELECT 1", {}, Exception("Connection refused"))
    probes = []

    def refusing(conn):
        probes.append(1)
        raise refused

    monkeypatch.setattr(reads, "_probe", refusing)
    with pytest.raises(DatabaseUnavailable):
        guard.read(lambda conn: pytest.fail("a read while down must not reach the database"))
    assert probes == [1]
    monkeypatch.undo()
    assert guard.read(lambda conn: conn.exec_driver_sql("SELECT 8").scalar()) == 8
    assert guard.outage is None
    release.set()


def test_a_hanging_probe_keeps_later_reads_from_waiting(engine, monkeypatch):
    guard = reads.DatabaseGuard(engine, deadline_s=SHORT, probe_deadline_s=SHORT)
    frozen = threading.Event()
    with pytest.raises(QueryTimeout):
        guard.read(lambda conn: frozen.wait(LONG))
    release, calls = threading.Event(), []

    def hanging(conn):
        calls.append(1)
        release.wait(LONG)

    monkeypatch.setattr(reads, "_probe", hanging)
    for _ in range(3):
        with pytest.raises(DatabaseUnavailable):
            guard.read(lambda conn: 1)
    assert calls == [1], "one probe at a time"
    release.set()  # the server answers: the late probe ends the outage
    frozen.set()
    guard.deadline_s = guard.probe_deadline_s = LONG
    pause = threading.Event()
    for _ in range(600):
        if guard.outage is None:
            break
        pause.wait(0.1)
    assert guard.outage is None
    assert guard.read(lambda conn: conn.exec_driver_sql("SELECT 9").scalar()) == 9


def test_a_statement_stopped_by_the_server_does_not_mean_the_database_is_down(tmp_path):
    engine = db.create_bureau_engine(f"sqlite:///{tmp_path / 'slow.sqlite'}",
                                     statement_timeout_s=SHORT)
    guard = reads.DatabaseGuard(engine, deadline_s=LONG)
    with pytest.raises(sa.exc.OperationalError):
        guard.read(lambda conn: conn.exec_driver_sql(ENDLESS).fetchall())
    assert guard.outage is None
    engine.dispose()


def test_an_unreachable_database_trips_the_guard(tmp_path):
    engine = db.create_bureau_engine(f"sqlite:///{tmp_path / 'no' / 'dir' / 'x.sqlite'}")
    guard = reads.DatabaseGuard(engine, deadline_s=LONG)
    with pytest.raises(sa.exc.OperationalError):
        guard.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())
    assert guard.outage.kind == "unreachable"
    engine.dispose()


class Counted:
    pickled = 0

    def __getstate__(self):
        Counted.pickled += 1
        return {}


def test_last_good_copies_bounds_and_does_not_repickle():
    store = reads.LastGood(max_entries=2)
    t1, t2 = dt.datetime(2022, 11, 25, 9), dt.datetime(2022, 11, 25, 10)
    store.put("a", pd.DataFrame({"x": [1]}), t1)
    value, read_at = store.get("a")
    value.loc[0, "x"] = 99  # the caller's copy
    assert store.get("a")[0].loc[0, "x"] == 1 and read_at == t1
    store.put("b", Counted(), t1)
    store.put("b", Counted(), t1)  # the same read, served again from the cache
    assert Counted.pickled == 1
    store.put("b", Counted(), t2)
    assert Counted.pickled == 2 and store.get("b")[1] == t2
    store.put("c", 3, t2)
    assert store.get("a") is None and len(store) == 2  # least recently stored goes first
    small = reads.LastGood(max_bytes=200)
    small.put("big", "x" * 1000, t1)
    assert small.get("big") is None


def test_what_counts_as_the_database_not_answering():
    def stops(error: BaseException) -> bool:
        return reads.stops_the_database(error, classify(error))

    refused = sa.exc.OperationalError("SELECT 1", {}, Exception("Connection refused"))
    stopped_by_server = sa.exc.OperationalError("SELECT 1", {}, Exception("interrupted"))
    assert stops(QueryTimeout("late")) and stops(refused)
    assert not stops(stopped_by_server)
    assert not stops(sa.exc.TimeoutError("pool busy")), "a busy pool is not a dead database"
