"""大屏: the meeting-room screen (`/?kiosk=1&rotate=30&refresh=5`). Dark, no widgets, one view
at a time, rotating by wall-clock time; the database is re-read every `refresh` minutes."""

import time

import streamlit as st

from ui import screen
from ui.data import set_cache_epoch
from ui.guard import run_guarded
from ui.kiosk import refresh_epoch, view_index
from ui.shell import kiosk_settings, page_context

page_context()
settings = kiosk_settings()
views = screen.select_views(settings.views)
screen.apply_screen_style()


def show_current_view() -> None:
    now = time.time()
    set_cache_epoch(refresh_epoch(now, settings.refresh_min))
    ctx, filters = screen.load_screen_context()
    view = views[view_index(now, settings.rotate_s, len(views))]
    screen.header(view.title, ctx, filters)
    view.render(ctx, filters)


@st.fragment(run_every=settings.rotate_s)
def rotating_view() -> None:
    # Reruns of a fragment bypass the page's guard: guard each one, so that a database outage
    # shows the Chinese message and the next turn tries again.
    run_guarded(show_current_view)


rotating_view()
