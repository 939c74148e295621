"""The one place that touches Streamlit's caches.

`get_engine()` holds one pooled engine per database URL for the whole process, with the pages'
query timeout (`ui.settings.query_timeout_s`): the pages read through it, from the read replica
when one is configured (`DATABASE_READ_URL`). `get_write_engine()` is the primary, without the
timeout: the import, its analysis and its undo write (and check) there. Every read of a page
goes through the engine's `DatabaseGuard` (ui/reads.py): a client-side deadline, and no waiting
while the database is known to be down.

`query(fn, **kw)` runs any data_access function through a single cached entry point, keyed by
the database URL, the function and its keyword arguments (dates, codes, tuples: small hashable
values), the data version and the screen's refresh epoch, with one named TTL. The data version
is read once per run (one tiny query): every import, undo or full reload changes it, so every
page in every process shows new data on its next run — with a read replica, on the first run
after the replica has replayed the change (the version is read where the data are read).
Exceptions are never cached, so a database that comes back is used at once.

Access: every query runs through `data_access.access.call` with the scope `set_access` gave this
session (a county user's reads narrowed to the unit, personal data masked where not needed);
the scope is part of the cache key, so no cached result crosses scopes. Without a scope set
(the gate in `app.py` did not run) a query is refused. A screen's token is checked again once
per refresh period: revoked, the next read raises `ScreenRevoked`.

Last good figures: the last result of each read is kept per process (`LAST_GOOD`, keyed
without epoch and data version). When a read fails — the database is unreachable, frozen, too
slow or refuses the login — that result is returned instead and the run is marked stale
(`stale_since()`), so the page or screen says "数据更新于 HH:MM,数据库暂不可用" over the
figures. Without one, the error goes up to the section that asked (`ui.guard.section`), which
shows the failure's own message. A missing table or column is never hidden behind old figures.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access import access, catalog, db, failures, plans, timeouts, versioning
from ui import reads
from ui.safe import plain
from ui.settings import query_timeout_s

log = logging.getLogger("dashboard")
T = TypeVar("T")
QUERY_TTL_SECONDS = 300
NAME_LIMIT = 40  # characters of a unit or sector name shown
CONTEXT_TTL_SECONDS = 60
# What a read raises when the database, not the page, is at fault.
DATABASE_ERRORS = (sa.exc.SQLAlchemyError, failures.QueryTimeout, failures.DatabaseUnavailable)
# Failures that old figures must not hide: the administrator has to see them.
STRUCTURE_KINDS = (failures.TABLE_MISSING, failures.COLUMN_MISSING)
# Tables the data context reads: without one of them no page can start.
CONTEXT_TABLES = ("units", "sectors", "accidents", "hidden_dangers", "working_faces")
LAST_GOOD = reads.LastGood()


@st.cache_resource(show_spinner=False)
def _engine_for(url: str, origin: str, statement_timeout_s: float | None):
    return db.open_engine(db.DatabaseTarget(url, origin), statement_timeout_s=statement_timeout_s)


@st.cache_resource(show_spinner=False)
def _guard_for(url: str, origin: str, statement_timeout_s: float) -> reads.DatabaseGuard:
    return reads.DatabaseGuard(_engine_for(url, origin, statement_timeout_s),
                               deadline_s=timeouts.client_deadline(statement_timeout_s))


def database_target() -> db.DatabaseTarget:
    """Where the pages read: the read replica when one is configured, else the primary."""
    return db.resolve_read_database()


def get_engine():
    """The pages' engine: every statement limited to the query timeout."""
    target = database_target()
    return _engine_for(target.url, target.origin, query_timeout_s())


def read(work: Callable[[sa.Connection], T]) -> T:
    """`work(conn)` on the pages' engine with a deadline; raises DatabaseUnavailable at once
    while the database is known to be down."""
    target = database_target()
    return _guard_for(target.url, target.origin, query_timeout_s()).read(work)


def get_write_engine():
    """The primary, without the pages' timeout, through the writing account when one is
    configured (`db.resolve_write_database`): the import, its analysis and its undo (long work
    that must not be cut short), the user list and the audit log are written here."""
    target = db.resolve_write_database()
    return _engine_for(target.url, target.origin, None)


def read_replica_configured() -> bool:
    return database_target().url != db.resolve_database().url


CACHE_EPOCH_KEY = "data.cache_epoch"
DATA_VERSION_KEY = "data.version"
OLDEST_READ_KEY = "data.oldest_read"  # the oldest read behind this run's figures
STALE_KEY = "data.stale"  # some figure of this run is a last good value
SCOPE_KEY = "data.scope"  # what this session may see (access.Scope)
SCREEN_TOKEN_KEY = "data.screen_token"  # the screen's token, checked once per refresh period


@st.cache_data(ttl=QUERY_TTL_SECONDS, max_entries=2000, show_spinner=False)
def _run_query(url: str, module: str, name: str, kwargs: tuple, epoch: int | None,
               version: tuple | None, scope: access.Scope) -> tuple[Any, dt.datetime]:
    fn = getattr(importlib.import_module(module), name)
    return read(lambda conn: access.call(fn, conn, scope, **dict(kwargs))), dt.datetime.now()


def set_access(scope: access.Scope, *, screen_token: str | None = None) -> None:
    """What this session's queries may return (set by the login gate before any page)."""
    st.session_state[SCOPE_KEY] = scope
    st.session_state[SCREEN_TOKEN_KEY] = screen_token


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def _screen_token_valid(url: str, digest: str, epoch: int | None) -> bool:
    return read(lambda conn: access.screen_token_valid(conn, digest))


def current_scope() -> access.Scope:
    """This session's scope; refuses when the gate has not set one."""
    scope = st.session_state.get(SCOPE_KEY)
    if scope is None:
        raise access.AccessError("no scope set for this session")
    token = st.session_state.get(SCREEN_TOKEN_KEY)
    if token and not _screen_token_valid(database_target().url, access.token_digest(token),
                                         st.session_state.get(CACHE_EPOCH_KEY)):
        raise access.ScreenRevoked("the screen's token was revoked")
    return scope


def set_cache_epoch(epoch: int | None) -> None:
    """Give this session's reads a refresh period: a new epoch re-reads the database (the
    meeting-room screen sets one per `refresh` minutes). None: the normal TTL alone."""
    st.session_state[CACHE_EPOCH_KEY] = epoch


def begin_run() -> None:
    """A new run (of the script, or of the screen's fragment): nothing stale yet."""
    st.session_state[OLDEST_READ_KEY] = None
    st.session_state[STALE_KEY] = False


def stale_since() -> dt.datetime | None:
    """When the oldest figure of this run was read, if the run had to show last good values
    because the database was not available; None when everything is current."""
    return st.session_state.get(OLDEST_READ_KEY) if st.session_state.get(STALE_KEY) else None


def _note_read(read_at: dt.datetime, *, stale: bool) -> None:
    oldest = st.session_state.get(OLDEST_READ_KEY)
    st.session_state[OLDEST_READ_KEY] = read_at if oldest is None else min(oldest, read_at)
    if stale:
        st.session_state[STALE_KEY] = True


def _fresh_or_last_good(key: Hashable, fetch: Callable[[], tuple[T, dt.datetime]]) -> T:
    """`fetch()`'s value, kept as the last good one; when the database fails, the last good
    value (the run is then stale), or the error when there is none."""
    try:
        value, read_at = fetch()
    except DATABASE_ERRORS as error:
        held = None
        if failures.classify(error).kind not in STRUCTURE_KINDS:
            held = LAST_GOOD.get(key)
        if held is None:
            raise
        value, read_at = held
        _note_read(read_at, stale=True)
        return value
    LAST_GOOD.put(key, value, read_at)
    _note_read(read_at, stale=False)
    return value


def query(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Run data_access function `fn(conn, **kwargs)` through the cache; its last good value
    while the database is not available."""
    url, arguments = database_target().url, tuple(sorted(kwargs.items()))
    scope = current_scope()
    return _fresh_or_last_good(
        (url, fn.__module__, fn.__name__, arguments, scope.key),
        lambda: _run_query(url, fn.__module__, fn.__name__, arguments,
                           st.session_state.get(CACHE_EPOCH_KEY),
                           st.session_state.get(DATA_VERSION_KEY), scope))


def _names(frame: pd.DataFrame) -> dict[str, str]:
    """code → name as plain text (`safe.plain`: one line, no invisible characters, at most
    NAME_LIMIT characters); a missing name reads as its code (one NULL must not break a page).
    Markdown and HTML still need `safe.md` / `safe.html_text`."""
    return {code: plain(name if isinstance(name, str) and name.strip() else str(code),
                        NAME_LIMIT) for code, name in zip(frame["code"], frame["name"])}


@dataclass(frozen=True)
class DataContext:
    is_sample: bool
    latest_date: dt.date | None
    years: tuple[int, ...]
    units: pd.DataFrame
    sectors: pd.DataFrame
    health: catalog.DatabaseHealth
    schema_state: versioning.SchemaState
    denied_units: frozenset[str] = frozenset()  # units that exist but this user may not see
    plan_titles: tuple[tuple[int, str], ...] = ()  # (year, notice title) (data_access.plans)

    @property
    def plan_years(self) -> tuple[int, ...]:
        return tuple(year for year, _ in self.plan_titles)

    def plan_title(self, year: int) -> str | None:
        """The title of `year`'s work-plan notice, or None when it has not been entered."""
        return dict(self.plan_titles).get(year)

    @functools.cached_property
    def unit_names(self) -> dict[str, str]:
        """Unit code → name as plain text (`safe.plain`; the code where the name is missing).
        Markdown and HTML still need `safe.md` / `safe.html_text`."""
        return _names(self.units)

    @functools.cached_property
    def sector_names(self) -> dict[str, str]:
        return _names(self.sectors)

    def unit_name(self, code: str | None) -> str:
        name = self.unit_names.get(code)
        return plain(code or "") if name is None else name

    def sector_name(self, code: str | None) -> str:
        name = self.sector_names.get(code)
        return plain(code or "") if name is None else name


def _read_context(conn: sa.Connection) -> DataContext:
    schema_state = versioning.get_schema_state(conn)
    health = catalog.check_database(conn)
    if (schema_state.status in (versioning.BEHIND, versioning.AHEAD)
            or schema_state.missing_columns or set(health.missing_tables) & set(CONTEXT_TABLES)):
        # Nothing more is read: the app stops with a message before any page runs.
        return DataContext(False, None, (), pd.DataFrame(columns=["code", "name"]),
                           pd.DataFrame(columns=["code", "name"]), health, schema_state)
    return DataContext(
        is_sample=_is_sample(conn),
        latest_date=catalog.get_latest_data_date(conn),
        years=tuple(catalog.get_data_years(conn)),
        units=catalog.list_units(conn),
        sectors=catalog.list_sectors(conn),
        health=health,
        schema_state=schema_state,
        plan_titles=tuple(plans.list_plan_titles(conn)),
    )


def _is_sample(conn: sa.Connection) -> bool:
    """Only the 示例数据 badge needs `dataset_info`: without the table, the data are taken
    for the bureau's own."""
    if not sa.inspect(conn).has_table("dataset_info"):  # views count too
        log.warning("table dataset_info missing: the data are not marked as the sample")
        return False
    return catalog.is_sample_dataset(conn)


@st.cache_data(ttl=CONTEXT_TTL_SECONDS, show_spinner=False)
def _load_context(url: str, epoch: int | None, version: tuple | None
                  ) -> tuple[DataContext, dt.datetime]:
    context = read(_read_context)
    # The name maps are built here, once per data load: they travel with the cached copy
    # instead of being rebuilt by every run that asks for a name.
    _ = context.unit_names, context.sector_names
    return context, dt.datetime.now()


def load_context() -> DataContext:
    """What the app needs before any page, starting with where the database's schema stands
    (read-only: nothing is created or changed), for the data as they are now (the data version
    is read afresh on every run). While the database is not available, the last good context;
    without one, raises the database's error (DATABASE_ERRORS)."""
    url = database_target().url
    version = _fresh_or_last_good(
        (url, "data_version"), lambda: (read(catalog.get_data_version), dt.datetime.now()))
    st.session_state[DATA_VERSION_KEY] = version
    return _fresh_or_last_good(
        (url, "context"),
        lambda: _load_context(url, st.session_state.get(CACHE_EPOCH_KEY), version))


def data_changed() -> None:
    """After this process changed the data (an import or undo): forget every cached result.
    Other processes notice the new data version on their next run."""
    st.cache_data.clear()
