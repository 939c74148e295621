"""Entry point: page config, database check, global filters and navigation."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import sqlalchemy.exc
import streamlit as st

from data_access import versioning
from data_access.db import ConfigError
from data_access.loader import LoadError
from ui import data, screen
from ui.filters import render_global_filters
from ui.guard import run_guarded
from ui.kiosk import KioskSettings, parse_kiosk, refresh_epoch
from ui.labels import APP_TITLE, MESSAGES, SCREEN_LINK, TABLE_NAMES
from ui.settings import data_admin_enabled
from ui.shell import remember, remember_kiosk, sample_badge

log = logging.getLogger("dashboard")

# A local file: a Material-icon favicon would be fetched from a font CDN, which an intranet lacks.
FAVICON = str(Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png")
SCREEN_PAGE = st.Page("pages/screen.py", title="大屏", icon=":material/tv:", url_path="screen")
PAGES = {
    "态势总览": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:",
                url_path="overview", default=True),
    ],
    "专项工作": [
        st.Page("pages/accidents.py", title="事故控制", icon=":material/warning:",
                url_path="accidents"),
        st.Page("pages/rectification.py", title="专项整治", icon=":material/checklist:",
                url_path="rectification"),
        st.Page("pages/mining.py", title="智能化建设", icon=":material/precision_manufacturing:",
                url_path="mining"),
        st.Page("pages/resources.py", title="应急资源", icon=":material/map:",
                url_path="resources"),
    ],
}
ADMIN_PAGES = {
    "系统管理": [
        st.Page("pages/data_admin.py", title="数据管理", icon=":material/upload_file:",
                url_path="data"),
    ],
}


def stop_with(message: str) -> None:
    st.title(APP_TITLE)
    st.error(message, icon="🛑")
    st.stop()


def load_context_or_stop() -> data.DataContext:
    try:
        ctx = data.load_context()
    except ConfigError:
        log.exception("invalid database configuration")
        stop_with(MESSAGES["config_invalid"])
    except LoadError as error:
        log.error("sample data not loaded: %s", "; ".join(map(str, error.problems[:20])))
        stop_with(MESSAGES["sample_invalid"].format(count=len(error.problems),
                                                    first=error.problems[0]))
    except sqlalchemy.exc.SQLAlchemyError:
        log.exception("database unreachable")
        stop_with(MESSAGES["db_unreachable"])
    if ctx.schema_state.status in (versioning.BEHIND, versioning.AHEAD):
        log.error("database schema at %s, the code expects %s", ctx.schema_state.revision,
                  ctx.schema_state.head)
        stop_with(schema_version_message(ctx.schema_state))
    if ctx.health.missing_tables:
        stop_with(MESSAGES["db_not_initialised"].format(
            tables="、".join(TABLE_NAMES.get(t, t) for t in ctx.health.missing_tables)))
    if ctx.schema_state.missing_columns:
        log.error("database lacks columns: %s", ctx.schema_state.missing_columns)
        stop_with(MESSAGES["schema_missing_columns"].format(
            columns=missing_columns_text(ctx.schema_state.missing_columns)))
    return ctx


def schema_version_message(state: versioning.SchemaState) -> str:
    """Behind: the administrator upgrades the database; ahead: someone upgrades the program.
    The real URL is never shown (it may hold a password)."""
    key = "schema_behind" if state.status == versioning.BEHIND else "schema_ahead"
    return MESSAGES[key].format(revision=state.revision or MESSAGES["no_revision"],
                                head=state.head)


def missing_columns_text(missing: dict[str, tuple[str, ...]]) -> str:
    """"隐患台账 hidden_dangers:closed_on、deadline;…" (code names: the administrator's SQL)."""
    return ";".join(f"{TABLE_NAMES[table] + ' ' if table in TABLE_NAMES else ''}{table}:"
                    f"{'、'.join(columns)}" for table, columns in missing.items())


def run_kiosk(kiosk: KioskSettings) -> None:
    """The meeting-room screen: no sidebar or widgets, latest data, views rotating."""
    data.set_cache_epoch(refresh_epoch(time.time(), kiosk.refresh_min))
    ctx = load_context_or_stop()
    remember(ctx, screen.screen_filters(ctx))
    remember_kiosk(kiosk)
    page = st.navigation([SCREEN_PAGE], position="hidden")
    run_guarded(page.run)


def main() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=FAVICON, layout="wide")
    kiosk = parse_kiosk(st.query_params, tuple(view.code for view in screen.VIEWS))
    if kiosk is not None:
        run_kiosk(kiosk)
        return
    data.set_cache_epoch(None)
    ctx = load_context_or_stop()
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        sample_badge(ctx)
    filters = render_global_filters(ctx)
    with st.sidebar:
        st.markdown(SCREEN_LINK)
    remember(ctx, filters)
    page = st.navigation({**PAGES, **ADMIN_PAGES} if data_admin_enabled() else PAGES)
    run_guarded(page.run)


main()
