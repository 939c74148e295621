"""Entry point: page config, database check, global filters and navigation."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from ui import auth, data, screen, startup
from ui.filters import Filters, default_filters, render_global_filters
from ui.guard import admitted, describe, run_guarded, stale_notice
from ui.kiosk import KioskSettings, parse_kiosk, refresh_epoch
from ui.labels import APP_TITLE, SCREEN_LINK
from ui.navigation import at_this_address, not_found_page, render_menu, stop_page
from ui.settings import data_admin_enabled
from ui.shell import remember, remember_kiosk, routed, sample_badge
from ui.theme import LAYOUT_CSS

# A local file: a Material-icon favicon would be fetched from a font CDN, which an intranet lacks.
FAVICON = str(Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png")
SCREEN_SCRIPT = "pages/screen.py"
SCREEN_PAGE = st.Page(SCREEN_SCRIPT, title="大屏", icon=":material/tv:", url_path="screen")
PAGES = {
    "态势总览": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:",
                url_path="", default=True),
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
# The overview is the default page, served at `/` (its url_path is empty: a name of its own
# would not be served, and an address typed with it would clash with the unknown-address
# notice); the README, tiles and shared links also name it `/overview`, which opens it too.
OVERVIEW_ALIAS = st.Page("pages/overview.py", title="总览", icon=":material/dashboard:",
                         url_path="overview", visibility="hidden")
ADMIN_PAGES = {
    "系统管理": [
        st.Page("pages/data.py", title="数据管理", icon=":material/upload_file:",
                url_path="data"),
    ],
}


def stop_with(message: str) -> None:
    def render() -> None:
        st.title(APP_TITLE)
        st.error(message, icon=":material/error:")
    stop_page(render)


def load_context_or_stop() -> data.DataContext:
    ctx, problem = startup.context_or_problem()
    if problem:
        stop_with(problem)
    return ctx


def render_sidebar(ctx: data.DataContext, sections: dict[str, list]) -> Filters:
    """Title, badge, the menu, global filters and the screen link. Should drawing the filters
    fail, the pages still run, for the whole city and the latest data."""
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        sample_badge(ctx)
        menu = st.container()
    try:
        filters = render_global_filters(ctx)
    except Exception as error:
        st.sidebar.warning(describe(error, "filters_failed"), icon=":material/warning:")
        filters = default_filters(ctx)
    with menu:
        render_menu(sections, filters.query_params())
    with st.sidebar:
        missing = startup.missing_tables_notice(ctx)
        if missing:
            st.warning(missing, icon=":material/table_chart:")
        st.markdown(SCREEN_LINK)
    return filters


def run_kiosk(kiosk: KioskSettings) -> None:
    """The meeting-room screen: no sidebar or widgets, latest data, views rotating. It starts
    even without a database: each view then says why, and the next turn tries again."""
    data.set_cache_epoch(refresh_epoch(time.time(), kiosk.refresh_min))
    ctx, filters, _ = screen.load_screen_context()
    remember(ctx, filters)
    remember_kiosk(kiosk)
    page = st.navigation(at_this_address(SCREEN_PAGE, SCREEN_SCRIPT), position="hidden")
    with routed():
        run_guarded(page.run)


def main() -> None:
    st.set_page_config(page_title=APP_TITLE, page_icon=FAVICON, layout="wide")
    admitted(serve)()  # a busy process serves runs in turn (ui/admission.py)


def serve() -> None:
    data.begin_run()
    kiosk = parse_kiosk(st.query_params, tuple(view.code for view in screen.VIEWS))
    viewer = auth.gate(kiosk is not None)  # stops here unless logged in with a role (ui/auth.py)
    if kiosk is not None:
        run_kiosk(kiosk)
        return
    data.set_cache_epoch(None)
    st.html(LAYOUT_CSS)
    stale_bar = st.empty()  # "数据更新于 HH:MM,数据库暂不可用" when figures are last good ones
    ctx = auth.admit(load_context_or_stop(), viewer)
    stale_notice(stale_bar)  # the database is already known to be away (a page may stop early)
    sections = auth.pages_for(viewer, PAGES, ADMIN_PAGES, data_admin_enabled())
    filters = render_sidebar(ctx, sections)
    auth.sidebar(viewer, ctx)
    remember(ctx, filters)
    # Streamlit's own menu is off (client.showSidebarNavigation): its page names are English
    # and it would show them in the first session after a start (docs/navigation.md).
    aliases = [OVERVIEW_ALIAS] if viewer.sees_pages else []
    home = next(iter(sections.values()))[0]
    hidden = [*aliases, *not_found_page({**sections, "": aliases}, home=home)]
    page = st.navigation({**sections, "": hidden}, position="hidden")
    auth.record_view(viewer, page.url_path or "overview", filters)
    with routed():
        run_guarded(page.run)
    stale_notice(stale_bar)  # or it went away while the page ran


# Even an error outside any page (page config, filters, navigation) ends in a Chinese message.
run_guarded(main)
