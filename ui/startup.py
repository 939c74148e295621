"""Before any page: this run's data context, or the Chinese message that says why there is none.

Used by `app.py` for the pages (which then stop with the message) and by the meeting-room
screen (which keeps its header, clock and rotation and shows the message in place of a view).
"""

from __future__ import annotations

import logging

from data_access import versioning
from data_access.db import ConfigError
from data_access.loader import LoadError
from ui import data
from ui.data import DataContext
from ui.guard import describe
from ui.labels import MESSAGES, TABLE_NAMES

log = logging.getLogger("dashboard")


def context_or_problem() -> tuple[DataContext | None, str | None]:
    """(context, None), or (None, message) when the app cannot start a page."""
    try:
        ctx = data.load_context()
    except ConfigError:
        log.exception("invalid database configuration")
        return None, MESSAGES["config_invalid"]
    except LoadError as error:
        log.error("sample data not loaded: %s", "; ".join(map(str, error.problems[:20])))
        return None, MESSAGES["sample_invalid"].format(count=len(error.problems),
                                                       first=error.problems[0])
    except data.DATABASE_ERRORS as error:
        return None, describe(error, "query_failed")
    problem = schema_problem(ctx)
    return (None, problem) if problem else (ctx, None)


def schema_problem(ctx: DataContext) -> str | None:
    """Why no page can run on this database's structure, or None."""
    state = ctx.schema_state
    if state.status in (versioning.BEHIND, versioning.AHEAD):
        log.error("database schema at %s, the code expects %s", state.revision, state.head)
        return schema_version_message(state)
    if set(ctx.health.missing_tables) & set(data.CONTEXT_TABLES):
        return MESSAGES["db_not_initialised"].format(tables=table_names(ctx.health.missing_tables))
    if state.missing_columns:
        log.error("database lacks columns: %s", state.missing_columns)
        return MESSAGES["schema_missing_columns"].format(
            columns=missing_columns_text(state.missing_columns))
    return None


def missing_tables_notice(ctx: DataContext) -> str | None:
    """Required tables the pages can do without, one section at a time (said in the sidebar)."""
    if not ctx.health.missing_tables:
        return None
    return MESSAGES["tables_missing"].format(tables=table_names(ctx.health.missing_tables))


def table_names(tables: tuple[str, ...]) -> str:
    return "、".join(TABLE_NAMES.get(t, t) for t in tables)


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
