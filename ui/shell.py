"""What every page shares: the data context and filters computed by `app.py` for this run,
the page header (title, as-of line, 示例数据 badge) and the empty-table notice."""

from __future__ import annotations

import contextlib
import runpy
import threading
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from ui.data import DataContext
from ui.filters import Filters
from ui.format import cn_date
from ui.kiosk import KioskSettings
from ui.labels import MESSAGES, SAMPLE_BADGE, SAMPLE_BADGE_HELP, TABLE_NAMES
from ui.safe import md

CONTEXT_KEY = "dashboard.context"
FILTERS_KEY = "dashboard.filters"
KIOSK_KEY = "dashboard.kiosk"
ENTRYPOINT = Path(__file__).resolve().parent.parent / "app.py"
# Set while app.py runs the page st.navigation chose; each session's script runs in its own
# thread, so this is per run.
_ROUTED = threading.local()


def remember(ctx: DataContext | None, filters: Filters | None) -> None:
    """This run's context and filters for the page (None on the screen without a database)."""
    st.session_state[CONTEXT_KEY] = ctx
    st.session_state[FILTERS_KEY] = filters


def remember_kiosk(settings: KioskSettings) -> None:
    st.session_state[KIOSK_KEY] = settings


def kiosk_settings() -> KioskSettings:
    """The meeting-room screen's settings for this run."""
    return st.session_state[KIOSK_KEY]


@contextlib.contextmanager
def routed() -> Iterator[None]:
    """Marks the page run by app.py (its context and filters are this run's)."""
    _ROUTED.active = True
    try:
        yield
    finally:
        _ROUTED.active = False


def is_routed() -> bool:
    """Whether this run is inside the page app.py chose (st.navigation has been called)."""
    return getattr(_ROUTED, "active", False)


def page_context() -> tuple[DataContext, Filters]:
    """The context `app.py` prepared for this run.

    Streamlit's legacy `pages/` handling runs a page file by itself until some session has
    called `st.navigation`: in the first session after a server start that opens a sub-page
    address directly, and in every `AppTest.run()`. Such a run executes the entrypoint here, as
    Streamlit does for every other request: it builds the sidebar and calls `st.navigation`,
    which ends the legacy handling for good and runs this page again, routed. The unrouted run
    then stops (docs/navigation.md).
    """
    if not is_routed():
        runpy.run_path(str(ENTRYPOINT), run_name="__main__")
        st.stop()
    return st.session_state[CONTEXT_KEY], st.session_state[FILTERS_KEY]


def sample_badge(ctx: DataContext) -> None:
    if ctx.is_sample:
        st.badge(SAMPLE_BADGE, icon=":material/science:", color="orange", help=SAMPLE_BADGE_HELP)


def page_header(title: str, ctx: DataContext, filters: Filters) -> None:
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    with left:
        st.title(title)
    with right:
        sample_badge(ctx)
    scope = "全市" if filters.unit_or_none is None else ctx.unit_name(filters.unit)
    title = ctx.plan_title(filters.year)
    plan = (f"对照《{md(title)}》" if title is not None
            else f"{filters.year}年尚未录入年度工作通知")
    st.caption(f"{md(scope)} · 统计期 {filters.year}年1月1日至{cn_date(filters.as_of)} · {plan}")


def has_data(ctx: DataContext, *tables: str) -> bool:
    """False (with a notice) when any of the page's tables is empty."""
    empty = [t for t in tables if t in ctx.health.empty_tables]
    if empty:
        st.info(MESSAGES["db_empty_tables"].format(
            tables="、".join(TABLE_NAMES.get(t, t) for t in empty)))
        return False
    return True
