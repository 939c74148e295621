"""The sample loaded into PostgreSQL and MariaDB shows the same figures as on SQLite."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import accidents, catalog, db, mining, rectification, resources
from tests.conftest import BACKENDS, _server_engine

AS_OF = dt.date(2022, 11, 25)
CALLS = [
    (catalog.get_latest_data_date, {}),
    (catalog.list_units, {}),
    (accidents.summarize_accidents, {"by": "grade", "as_of": AS_OF}),
    (accidents.summarize_accidents, {"by": "unit_code", "as_of": AS_OF}),
    (accidents.summarize_accidents, {"by": "month", "as_of": AS_OF, "sector": "coal"}),
    (accidents.count_accidents, {"as_of": dt.date(2021, 11, 25)}),
    (accidents.list_accidents, {"as_of": AS_OF, "unit": "140431"}),
    (rectification.list_key_tasks, {"as_of": dt.date(2022, 9, 30)}),
    (rectification.summarize_hidden_dangers, {"as_of": AS_OF, "by": "sector_code"}),
    (rectification.count_hidden_dangers_by_month, {"as_of": AS_OF}),
    (rectification.list_hidden_dangers, {"as_of": AS_OF, "scope": "overdue", "limit": 50}),
    (mining.count_faces_by_stage, {"as_of": AS_OF}),
    (mining.count_faces_by_month, {"as_of": AS_OF}),
    (mining.summarize_faces_by_mine, {"as_of": AS_OF}),
    (mining.list_programme_milestones, {"as_of": AS_OF}),
    (resources.summarize_sites_by_kind, {"as_of": AS_OF}),
    (resources.list_resource_sites, {"as_of": AS_OF, "kinds": ("team",)}),
]


def _normalise(value):
    """Frames compared as text, sorted, with numbers rounded to 2 places (DOUBLE vs REAL)."""
    if not isinstance(value, pd.DataFrame):
        return value
    df = value.copy()
    for column in df.columns:
        df[column] = df[column].map(
            lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
            else round(float(v), 2) if isinstance(v, int | float) and not isinstance(v, bool)
            else v)
    return df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)


@pytest.fixture(scope="module", params=[name for name in BACKENDS if BACKENDS[name]])
def server_engine(request):
    engine = _server_engine(BACKENDS[request.param])
    yield engine
    engine.dispose()


@pytest.mark.parametrize("fn,kwargs", CALLS, ids=[f"{f.__module__.split('.')[-1]}.{f.__name__}"
                                                  for f, _ in CALLS])
def test_server_database_shows_the_same_figures_as_sqlite(server_engine, sample_sqlite_url,
                                                          fn, kwargs):
    sqlite = db.create_bureau_engine(sample_sqlite_url)
    with sqlite.connect() as lite, server_engine.connect() as server:
        expected, actual = _normalise(fn(lite, **kwargs)), _normalise(fn(server, **kwargs))
    sqlite.dispose()
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(actual, expected)
    else:
        assert actual == expected
