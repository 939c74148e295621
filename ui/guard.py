"""Run a page so that a user never sees a traceback: database trouble and unexpected errors
become a clear Chinese message, and the details go to the server log."""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy.exc
import streamlit as st

from ui.labels import MESSAGES

log = logging.getLogger("dashboard")


def run_guarded(render: Callable[[], None]) -> None:
    try:
        render()
    except sqlalchemy.exc.SQLAlchemyError:
        log.exception("database error while rendering a page")
        st.error(MESSAGES["query_failed"], icon="🛑")
    except Exception:  # the last line of defence: log it, tell the user plainly
        log.exception("unexpected error while rendering a page")
        st.error(MESSAGES["page_failed"], icon="⚠️")
