"""Command line for the schema's versions (`make migrate`).

    python -m data_access.migrate [--url URL] {upgrade,current,check,revision}

- `upgrade` brings the database to the code's head revision; it never drops data. A database
  without a version table is adopted first (`versioning.upgrade_database`).
- `current` prints the database's revision, the code's head and what that means.
- `check` exits 1 unless the database is at head and matches `data_access/schema.py` (a
  difference at head means schema.py changed without a new revision).
- `revision --rev-id 0003_short_name -m "what changes"` autogenerates a revision file in
  `data_access/migrations/versions/` from the difference between the database (at head) and
  schema.py, for a developer to review (docs/migrations.md).

The URL defaults to DATABASE_URL, then to the app's own resolution (`db.resolve_database`:
secrets.toml, else the embedded sample, built if absent). Messages are Chinese; the URL is
printed with its password hidden.
"""

from __future__ import annotations

import argparse
import os
import sys

import sqlalchemy as sa
from alembic import command

from data_access import db, loader
from data_access.versioning import (
    CURRENT,
    MAX_REVISION_ID,
    MigrationError,
    alembic_config,
    describe_state,
    get_schema_state,
    list_differences,
    upgrade_database,
)


def _engine_for(url: str | None) -> tuple[sa.Engine, str]:
    """The engine and a printable name (password hidden) for --url, DATABASE_URL or the app's
    own resolution; the embedded sample is built first if absent."""
    target = db.DatabaseTarget(url, "env") if url else db.resolve_database()
    shown = sa.make_url(target.url).render_as_string(hide_password=True)
    return db.open_engine(target), shown


def _upgrade(engine: sa.Engine, shown: str) -> int:
    print(f"{shown}:数据库结构已是最新版本 {upgrade_database(engine)}。")
    return 0


def _current(conn: sa.Connection, shown: str) -> int:
    print(f"{shown}:{describe_state(get_schema_state(conn))}")
    return 0


def _check(conn: sa.Connection, shown: str) -> int:
    """0 when the database is at head and matches schema.py, else 1."""
    state = get_schema_state(conn)
    print(f"{shown}:{describe_state(state)}")
    if state.status != CURRENT:
        return 1
    differences = list_differences(conn)
    for difference in differences:
        print(f"  与 data_access/schema.py 不一致(需要新的迁移):{difference}")
    return 1 if differences else 0


def _revision(conn: sa.Connection, shown: str, rev_id: str, message: str) -> int:
    """Autogenerate a revision from the difference between the database (at head) and
    schema.py."""
    state = get_schema_state(conn)
    if state.status != CURRENT:
        print(f"{shown}:{describe_state(state)}请先在最新版本的数据库上生成迁移。",
              file=sys.stderr)
        return 1
    command.revision(alembic_config(conn), message=message, rev_id=rev_id, autogenerate=True)
    return 0


def _run(args: argparse.Namespace) -> int:
    engine, shown = _engine_for(args.url)
    try:
        if args.command == "upgrade":
            return _upgrade(engine, shown)
        with engine.connect() as conn:
            if args.command == "current":
                return _current(conn, shown)
            if args.command == "check":
                return _check(conn, shown)
            return _revision(conn, shown, args.rev_id, args.message)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="Versioned schema of the bureau database.")
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"),
                        help="database URL (default: DATABASE_URL, then secrets.toml, "
                             "then the embedded sample)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("upgrade", help="upgrade the database to the code's head revision")
    commands.add_parser("current", help="show the database's revision and the code's head")
    commands.add_parser("check", help="exit 1 unless at head and matching schema.py")
    revision = commands.add_parser("revision", help="autogenerate a new revision (developers)")
    revision.add_argument("--rev-id", required=True,
                          help=f"e.g. 0003_short_name (at most {MAX_REVISION_ID} characters)")
    revision.add_argument("-m", "--message", required=True)
    args = parser.parse_args()
    if args.command == "revision" and len(args.rev_id) > MAX_REVISION_ID:
        parser.error(f"--rev-id: at most {MAX_REVISION_ID} characters (alembic_version)")
    try:
        sys.exit(_run(args))
    except MigrationError as error:
        print(str(error), file=sys.stderr)
    except db.ConfigError:
        print("数据库配置文件 .streamlit/secrets.toml 格式有误,无法读取。", file=sys.stderr)
    except loader.LoadError as error:
        print(f"示例数据文件有 {len(error.problems)} 处问题,未建立示例数据库。第一处:"
              f"{error.problems[0]}。", file=sys.stderr)
    except sa.exc.SQLAlchemyError as error:
        print(f"数据库操作失败,未完成。数据库报告:{db.describe_error(error)}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
