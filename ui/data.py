"""The one place that touches Streamlit's caches.

`get_engine()` holds one pooled engine per database URL for the whole process: the pages read
through it, from the read replica when one is configured (`DATABASE_READ_URL`);
`get_write_engine()` is the primary, where imports and undo write. `query(fn, **kw)`
runs any data_access function through a single cached entry point, keyed by the database URL,
the function and its keyword arguments (dates, codes, tuples: small hashable values), the data
version and the screen's refresh epoch, with one named TTL. The data version is read once per
run (one tiny query): every import, undo or full reload changes it, so every page in every
process shows new data on its next run — with a read replica, on the first run after the
replica has replayed the change (the version is read where the data are read). Exceptions are
never cached, so a database that comes back is used at once.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from data_access import catalog, db, versioning

QUERY_TTL_SECONDS = 300
CONTEXT_TTL_SECONDS = 60


@st.cache_resource(show_spinner=False)
def _engine_for(url: str, origin: str):
    return db.open_engine(db.DatabaseTarget(url, origin))


def database_target() -> db.DatabaseTarget:
    """Where the pages read: the read replica when one is configured, else the primary."""
    return db.resolve_read_database()


def get_engine():
    target = database_target()
    return _engine_for(target.url, target.origin)


def get_write_engine():
    """The primary: imports, undo and the app's own records are written (and checked) here."""
    target = db.resolve_database()
    return _engine_for(target.url, target.origin)


def read_replica_configured() -> bool:
    return database_target().url != db.resolve_database().url


CACHE_EPOCH_KEY = "data.cache_epoch"
DATA_VERSION_KEY = "data.version"


@st.cache_data(ttl=QUERY_TTL_SECONDS, max_entries=2000, show_spinner=False)
def _run_query(url: str, module: str, name: str, kwargs: tuple, epoch: int | None,
               version: tuple | None) -> Any:
    fn = getattr(importlib.import_module(module), name)
    with get_engine().connect() as conn:
        return fn(conn, **dict(kwargs))


def set_cache_epoch(epoch: int | None) -> None:
    """Give this session's reads a refresh period: a new epoch re-reads the database (the
    meeting-room screen sets one per `refresh` minutes). None: the normal TTL alone."""
    st.session_state[CACHE_EPOCH_KEY] = epoch


def query(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Run data_access function `fn(conn, **kwargs)` through the cache."""
    return _run_query(database_target().url, fn.__module__, fn.__name__,
                      tuple(sorted(kwargs.items())), st.session_state.get(CACHE_EPOCH_KEY),
                      st.session_state.get(DATA_VERSION_KEY))


@dataclass(frozen=True)
class DataContext:
    is_sample: bool
    latest_date: dt.date | None
    years: tuple[int, ...]
    units: pd.DataFrame
    sectors: pd.DataFrame
    health: catalog.DatabaseHealth
    schema_state: versioning.SchemaState

    def unit_name(self, code: str | None) -> str:
        names = dict(zip(self.units["code"], self.units["name"]))
        return names.get(code, code or "")

    def sector_name(self, code: str | None) -> str:
        names = dict(zip(self.sectors["code"], self.sectors["name"]))
        return names.get(code, code or "")

    @property
    def unit_names(self) -> dict[str, str]:
        return dict(zip(self.units["code"], self.units["name"]))

    @property
    def sector_names(self) -> dict[str, str]:
        return dict(zip(self.sectors["code"], self.sectors["name"]))


@st.cache_data(ttl=CONTEXT_TTL_SECONDS, show_spinner=False)
def _load_context(url: str, epoch: int | None, version: tuple | None) -> DataContext:
    with get_engine().connect() as conn:
        schema_state = versioning.get_schema_state(conn)
        health = catalog.check_database(conn)
        if not schema_state.ok or health.missing_tables:
            # Nothing more is read: the app stops with a message before any page runs.
            return DataContext(False, None, (), pd.DataFrame(columns=["code", "name"]),
                               pd.DataFrame(columns=["code", "name"]), health, schema_state)
        return DataContext(
            is_sample=catalog.is_sample_dataset(conn),
            latest_date=catalog.get_latest_data_date(conn),
            years=tuple(catalog.get_data_years(conn)),
            units=catalog.list_units(conn),
            sectors=catalog.list_sectors(conn),
            health=health,
            schema_state=schema_state,
        )


def _read_data_version() -> tuple | None:
    with get_engine().connect() as conn:
        return catalog.get_data_version(conn)


def load_context() -> DataContext:
    """What the app needs before any page, starting with where the database's schema stands
    (read-only: nothing is created or changed), for the data as they are now (the data version
    is read afresh on every run). Raises SQLAlchemy errors when unreachable."""
    version = _read_data_version()
    st.session_state[DATA_VERSION_KEY] = version
    return _load_context(database_target().url, st.session_state.get(CACHE_EPOCH_KEY), version)


def data_changed() -> None:
    """After this process changed the data (an import or undo): forget every cached result.
    Other processes notice the new data version on their next run."""
    st.cache_data.clear()

