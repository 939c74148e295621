"""What went wrong with the database, in a few kinds the app can explain to people.

`classify(error)` maps an exception raised while connecting or querying — SQLAlchemy's wrapper,
the driver's own error, or this module's `QueryTimeout` / `DatabaseUnavailable` /
`DriverMissing` — to a `Failure`: unreachable, authentication failed, database missing, driver
not installed, a table missing, a column missing (with the names the error gives), query timed
out, or other. PostgreSQL is read by SQLSTATE (and, for errors while connecting, which psycopg
reports without one, by libpq's message), MariaDB/MySQL by error number, SQLite by message.
Pure: no Streamlit, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

UNREACHABLE = "unreachable"
AUTH_FAILED = "auth_failed"
DATABASE_MISSING = "database_missing"
DRIVER_MISSING = "driver_missing"
TABLE_MISSING = "table_missing"
COLUMN_MISSING = "column_missing"
TIMEOUT = "timeout"
OTHER = "other"


@dataclass(frozen=True)
class Failure:
    kind: str
    table: str | None = None  # the table (or view) named by the error
    column: str | None = None  # the column named by the error
    name: str | None = None  # the driver module that is not installed


class QueryTimeout(Exception):
    """The database did not answer within the client-side deadline (the server may be frozen
    or the network may drop packets: a server-side timeout cannot fire then)."""


class DatabaseUnavailable(Exception):
    """Raised at once, without asking the database, while it is known to be down."""

    def __init__(self, failure: Failure):
        super().__init__(failure.kind)
        self.failure = failure


class DriverMissing(sa.exc.SQLAlchemyError):
    """The database URL names a driver (DBAPI module) that is not installed."""

    def __init__(self, module: str):
        super().__init__(f"database driver not installed: {module}")
        self.module = module


# PostgreSQL SQLSTATE codes (appendix A of the PostgreSQL manual).
_PG_STATES = {
    "28000": AUTH_FAILED, "28P01": AUTH_FAILED, "3D000": DATABASE_MISSING,
    "42P01": TABLE_MISSING, "42703": COLUMN_MISSING, "57014": TIMEOUT,
    "57P01": UNREACHABLE, "57P02": UNREACHABLE, "57P03": UNREACHABLE,
}
# MariaDB/MySQL error numbers: server errors (1xxx, 3xxx) and client errors (2xxx).
_MYSQL_ERRNOS = {
    1044: AUTH_FAILED, 1045: AUTH_FAILED, 1698: AUTH_FAILED, 1049: DATABASE_MISSING,
    1146: TABLE_MISSING, 1054: COLUMN_MISSING,
    1317: TIMEOUT, 1969: TIMEOUT, 3024: TIMEOUT,  # interrupted; MariaDB/MySQL statement time
    2002: UNREACHABLE, 2003: UNREACHABLE, 2005: UNREACHABLE, 2006: UNREACHABLE,
    2013: UNREACHABLE, 2055: UNREACHABLE,
}
# Messages of libpq while connecting (no SQLSTATE), and of SQLite: (pattern, kind), first wins.
_MESSAGES = (
    (r"password authentication failed|role \".*\" does not exist|no pg_hba\.conf entry"
     r"|authentication failed|Access denied", AUTH_FAILED),
    (r"database \".*\" does not exist", DATABASE_MISSING),
    (r"no such table|relation \".*\" does not exist|Table '.*' doesn't exist", TABLE_MISSING),
    (r"no such column|has no column named|column .* does not exist|Unknown column",
     COLUMN_MISSING),
    (r"connection refused|could not connect|could not translate host name|connection failed"
     r"|timeout expired|server closed the connection|unable to open database file"
     r"|is the server running|no route to host|network is unreachable|connection reset"
     r"|broken pipe|SSL SYSCALL|consuming input failed|the connection is (lost|closed)",
     UNREACHABLE),
    (r"timed out|^interrupted$|database is locked", TIMEOUT),
)
_TABLE_NAME = (r'relation "([^"]+)" does not exist', r"Table '([^']+)' doesn't exist",
               r"no such table: (\S+)")
_COLUMN_NAME = (r'column "?([^" ]+?)"? does not exist', r"Unknown column '([^']+)'",
                r"no such column: (\S+)", r"has no column named (\S+)")


def classify(error: BaseException) -> Failure:
    """The kind of `error`, with the table or column it names where it names one."""
    if isinstance(error, DatabaseUnavailable):
        return error.failure
    if isinstance(error, QueryTimeout | sa.exc.TimeoutError):  # deadline; pool checkout
        return Failure(TIMEOUT)
    if isinstance(error, DriverMissing):
        return Failure(DRIVER_MISSING, name=error.module)
    if isinstance(error, sa.exc.NoSuchModuleError):
        return Failure(DRIVER_MISSING, name=str(error).rsplit(":", 1)[-1].strip())
    driver_error = getattr(error, "orig", None) or error
    message = _first_line(driver_error)
    kind = _kind_by_code(driver_error) or _kind_by_message(message)
    if kind == TABLE_MISSING:
        return Failure(kind, table=_unqualified(_search(_TABLE_NAME, message)))
    if kind == COLUMN_MISSING:
        return _column_failure(_search(_COLUMN_NAME, message))
    return Failure(kind)


def _first_line(error: BaseException) -> str:
    args = getattr(error, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL: (errno, message)
        return str(args[1])
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


def _kind_by_code(error: BaseException) -> str | None:
    if _is_mysql(error):
        errno = error.args[0]
        if errno == 2013 and "timed out" in _first_line(error):  # PyMySQL's read_timeout
            return TIMEOUT
        return _MYSQL_ERRNOS.get(errno)
    state = getattr(error, "sqlstate", None)
    if not isinstance(state, str):
        return None
    if state.startswith("08"):  # connection exception class
        return UNREACHABLE
    return _PG_STATES.get(state)


def _is_mysql(error: BaseException) -> bool:
    args = getattr(error, "args", ())
    return type(error).__module__.startswith(("pymysql", "MySQLdb", "mysql", "mariadb")) \
        and bool(args) and isinstance(args[0], int)


def _kind_by_message(message: str) -> str:
    for pattern, kind in _MESSAGES:
        if re.search(pattern, message, re.IGNORECASE):
            return kind
    return OTHER


def _search(patterns: tuple[str, ...], message: str) -> str | None:
    for pattern in patterns:
        found = re.search(pattern, message)
        if found:
            return found.group(1)
    return None


def _unqualified(name: str | None) -> str | None:
    """'bureau.units' → 'units' (MariaDB names the schema; SQLite may name `main`)."""
    return name.rsplit(".", 1)[-1] if name else None


def _column_failure(name: str | None) -> Failure:
    """'units.name' → table units, column name; a bare 'name' has no table."""
    if name and "." in name:
        table, column = name.rsplit(".", 1)
        return Failure(COLUMN_MISSING, table=_unqualified(table), column=column)
    return Failure(COLUMN_MISSING, column=name)
