"""Charts built once per distinct input and shared by the runs of this process.

Building a plotly figure costs a page more than reading its cached data (plotly validates
every property as it is set): about 0.1 s for a bar chart with a few dozen labelled bars. A
page's warm render would build the same figure from the same figures again, so `figure(build,
...)` keeps what `build` returned, keyed by its name and arguments (hashed as Streamlit hashes
cache arguments), for QUERY_TTL_SECONDS. The figure is shared, never copied: callers hand it to
`st.plotly_chart` and do not change it (the screen and the brief, which restyle figures, build
their own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from ui.data import QUERY_TTL_SECONDS

T = TypeVar("T")


@st.cache_resource(ttl=QUERY_TTL_SECONDS, max_entries=500, show_spinner=False)
def _built(module: str, name: str, args: tuple, kwargs: tuple, _build: Callable[..., T]) -> T:
    return _build(*args, **dict(kwargs))


def figure(build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`build(*args, **kwargs)`, built once per distinct arguments in this process."""
    return _built(build.__module__, build.__qualname__, args, tuple(sorted(kwargs.items())),
                  build)
