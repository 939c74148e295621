"""大屏: the meeting-room screen (`/?kiosk=1&rotate=30&refresh=5`). Dark, no widgets, one view
at a time, rotating by wall-clock time; the database is re-read every `refresh` minutes.

Whatever the database does, the header, clock and rotation stay: while it is unavailable the
view shows its last good figures under a "数据更新于 HH:MM,数据库暂不可用" bar, or, without
them, says why; the next turn tries the database again. Once a day, at the quiet hour
(`reload`, default 03:00), the browser reloads the page, which frees what it has gathered."""

import datetime as dt
import time

import streamlit as st

from ui import screen
from ui.data import begin_run, set_cache_epoch
from ui.guard import admitted, run_guarded, section, stale_text
from ui.kiosk import refresh_epoch, reload_due, view_index
from ui.settings import screen_reload_after_s
from ui.shell import kiosk_settings, page_context

page_context()
settings = kiosk_settings()
views = screen.select_views(settings.views)
screen.apply_screen_style()
LOADED_KEY = "screen.loaded_at"  # when this browser session began: a reload begins a new one
st.session_state.setdefault(LOADED_KEY, dt.datetime.now())


def show_current_view() -> None:
    begin_run()
    now = time.time()
    set_cache_epoch(refresh_epoch(now, settings.refresh_min))
    view = views[view_index(now, settings.rotate_s, len(views))]
    # The context first: while a frozen database is waited for, the previous view stays whole.
    ctx, filters, problem = screen.load_screen_context()
    screen.header(view.title, ctx, filters)
    if problem:
        screen.failure_panel(problem)
    else:
        with section(show=screen.failure_panel):
            screen.render_view(view, views, ctx, filters)
    screen.stale_bar(stale_text())


@st.fragment(run_every=settings.rotate_s)
def rotating_view() -> None:
    # Reruns of a fragment bypass the page's guard: guard each one, so that nothing ends in
    # Streamlit's error screen and the next turn tries again.
    # Each takes its turn in this process too, waiting quietly: the view on the screen stays whole.
    run_guarded(admitted(show_current_view, quiet=True), show=screen.failure_panel)
    if reload_due(st.session_state[LOADED_KEY], dt.datetime.now(), settings.reload_at,
                  screen_reload_after_s()):
        screen.reload_page()


rotating_view()
