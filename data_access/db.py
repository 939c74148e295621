"""Which database, how to connect, and the embedded sample database.

Resolution order for the database URL:
1. the `DATABASE_URL` environment variable;
2. `[connections.bureau] url` in `.streamlit/secrets.toml`;
3. the embedded SQLite sample database `var/bureau-sample.sqlite`, built from the CSV files in
   `sample_data/` on first use.

That database is the primary: imports, undo and the app's own records are written there. The
pages may read from a read replica of it instead (`resolve_read_database`).

Nothing here imports Streamlit; the app caches the engine itself.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from data_access import loader, timeouts, versioning
from data_access.failures import DriverMissing

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SAMPLE_CSV_DIR = PROJECT_ROOT / "sample_data" / "csv"
SAMPLE_DB_PATH = PROJECT_ROOT / "var" / "bureau-sample.sqlite"


@dataclass(frozen=True)
class DatabaseTarget:
    url: str
    origin: str  # "env", "secrets" or "embedded_sample"; "env_read"/"secrets_read": a replica

    @property
    def is_embedded_sample(self) -> bool:
        return self.origin == "embedded_sample"


class ConfigError(Exception):
    """The configuration names no usable database (message is for the log, not the user)."""


def read_secrets(secrets_path: Path | None = None) -> dict:
    """`.streamlit/secrets.toml` as a dict ({} when absent). Raises ConfigError when it is
    not valid TOML."""
    secrets_path = secrets_path or SECRETS_PATH
    if not secrets_path.exists():
        return {}
    try:
        return tomllib.loads(secrets_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{secrets_path} is not valid TOML: {exc}") from exc


def resolve_database(
    environ: dict[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> DatabaseTarget:
    environ = os.environ if environ is None else environ
    url = environ.get("DATABASE_URL", "").strip()
    if url:
        return DatabaseTarget(url, "env")
    secrets = read_secrets(secrets_path)
    url = str(secrets.get("connections", {}).get("bureau", {}).get("url", "")).strip()
    if url:
        return DatabaseTarget(url, "secrets")
    return DatabaseTarget(f"sqlite:///{SAMPLE_DB_PATH}", "embedded_sample")


def _beside_primary(environ: dict[str, str] | None, secrets_path: Path | None,
                    role: str) -> DatabaseTarget:
    """A second URL named beside the primary's, where the primary's came from —
    `DATABASE_<ROLE>_URL` beside `DATABASE_URL`, or `[connections.bureau_<role>] url` beside
    `[connections.bureau] url` — else the primary itself."""
    environ = os.environ if environ is None else environ
    primary = (resolve_database(environ) if secrets_path is None
               else resolve_database(environ, secrets_path))
    url = ""
    if primary.origin == "env":
        url = environ.get(f"DATABASE_{role.upper()}_URL", "").strip()
    elif primary.origin == "secrets":
        named = read_secrets(secrets_path).get("connections", {}).get(f"bureau_{role}", {})
        url = str(named.get("url", "")).strip()
    if not url or url == primary.url:
        return primary
    return DatabaseTarget(url, f"{primary.origin}_{role}")


def resolve_read_database(
    environ: dict[str, str] | None = None, secrets_path: Path | None = None
) -> DatabaseTarget:
    """Where the pages read: a read replica of the primary when one is named beside it, else
    the primary itself (`resolve_database`).

    The replica's URL comes from the same place as the primary's, so that the two always name
    copies of one database: `DATABASE_READ_URL` beside `DATABASE_URL`, or
    `[connections.bureau_read] url` beside `[connections.bureau] url` in secrets.toml.
    """
    return _beside_primary(environ, secrets_path, "read")


def resolve_write_database(
    environ: dict[str, str] | None = None, secrets_path: Path | None = None
) -> DatabaseTarget:
    """Where the app writes (imports, undo, the user list, the audit log): the same database
    through a second, writing account when one is named beside the primary —
    `DATABASE_WRITE_URL` beside `DATABASE_URL`, or `[connections.bureau_write] url` beside
    `[connections.bureau] url` — else the primary's own account (docs/security.md)."""
    return _beside_primary(environ, secrets_path, "write")


def create_bureau_engine(url: str, *, statement_timeout_s: float | None = None) -> sa.Engine:
    """One engine per process; pooled, with liveness checks so a restarted server is survived.

    With `statement_timeout_s` (the app's pages), the database stops every statement after that
    many seconds and a pool checkout waits no longer (`timeouts.py`); command-line tools, loads
    and imports leave it None. A driver that is not installed raises `DriverMissing`.
    """
    try:
        if url.startswith("sqlite"):
            engine = sa.create_engine(url, connect_args={
                "check_same_thread": False, **timeouts.connect_args(url, statement_timeout_s)})
        else:
            engine = sa.create_engine(
                url, pool_pre_ping=True, pool_recycle=1800, pool_size=5, max_overflow=5,
                connect_args={**_connect_timeout_args(url),
                              **timeouts.connect_args(url, statement_timeout_s)},
                **timeouts.pool_args(url, statement_timeout_s),
            )
    except ImportError as exc:
        raise DriverMissing(exc.name or str(exc)) from exc
    timeouts.install(engine, statement_timeout_s)
    return engine


def _connect_timeout_args(url: str) -> dict:
    if url.startswith("postgresql"):
        return {"connect_timeout": 5}
    if url.startswith("mysql") or url.startswith("mariadb"):
        return {"connect_timeout": 5, "charset": "utf8mb4"}
    return {}


def ensure_sample_database(path: Path = SAMPLE_DB_PATH, csv_dir: Path = SAMPLE_CSV_DIR) -> Path:
    """Build the SQLite sample database from the CSV files unless it exists at the code's schema
    revision.

    The schema comes from the migrations (upgrade to head on an empty file), then the CSVs are
    loaded. Idempotent and safe with several app processes starting at once: the file is built
    under a temporary name and moved into place atomically. A file an older or newer program
    built (another revision, or none) is rebuilt the same way: it holds nothing but the CSVs.
    """
    if path.exists() and _is_current(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    engine = sa.create_engine(f"sqlite:///{tmp}")
    try:
        load_into(engine, csv_dir)
    except BaseException:
        engine.dispose()
        tmp.unlink(missing_ok=True)
        raise
    engine.dispose()
    os.replace(tmp, path)
    return path


def _is_current(path: Path) -> bool:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return versioning.get_schema_state(conn).status == versioning.CURRENT
    finally:
        engine.dispose()


def load_into(engine: sa.Engine, csv_dir: Path = SAMPLE_CSV_DIR, *, replace: bool = False,
              progress: loader.Progress | None = None,
              allow_partial: bool = False) -> dict[str, int]:
    """Bring the schema on `engine` to the code's revision (migrations, which never drop
    data), then load every CSV in `csv_dir` in one transaction; returns rows per table.

    Every file is checked before anything is written. With `replace`, the dashboard's rows are
    deleted and the files' inserted in that one transaction (DML only), so a bad file, a
    failure or a killed process leaves the previous data exactly as it was; without it, tables
    that already hold rows are refused (`loader.load_csv_dir`). `progress(table, rows)` is
    called after each batch written.
    """
    versioning.upgrade_database(engine)
    with engine.begin() as conn:
        return loader.load_csv_dir(conn, csv_dir, replace=replace, progress=progress,
                                   allow_partial=allow_partial)


def describe_error(error: sa.exc.SQLAlchemyError) -> str:
    """The driver's first line for a command-line message: no SQL, parameters or traceback."""
    detail = str(getattr(error, "orig", None) or error).strip()
    return detail.splitlines()[0] if detail else type(error).__name__


def open_engine(target: DatabaseTarget, *, statement_timeout_s: float | None = None) -> sa.Engine:
    if target.is_embedded_sample:
        ensure_sample_database()
    return create_bureau_engine(target.url, statement_timeout_s=statement_timeout_s)


def open_target(url: str | None = None) -> sa.Engine:
    """An engine for `url`, or for the app's own database (`resolve_database`): what the
    command-line tools work on."""
    return open_engine(DatabaseTarget(url, "argument") if url else resolve_database())
