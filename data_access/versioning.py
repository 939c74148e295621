"""The bureau database's schema, versioned with Alembic, and where a database stands.

The revisions live in `data_access/migrations/versions/`; Alembic is configured here in code
(there is no alembic.ini). `upgrade_database` brings a database to the code's head revision,
adopting one made by an earlier release; `get_schema_state` is the cheap, read-only check the
app runs at start-up. The command line is `python -m data_access.migrate`; how to add a
revision is in docs/migrations.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine.reflection import ObjectKind

from data_access import catalog, schema

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
VERSION_TABLE = "alembic_version"
MAX_REVISION_ID = 32  # alembic_version.version_num is VARCHAR(32)

# SchemaState.status values.
CURRENT, BEHIND, AHEAD, UNVERSIONED = "current", "behind", "ahead", "unversioned"


class MigrationError(Exception):
    """The database cannot be migrated as it is; the message is Chinese, for the administrator.
    Nothing was changed."""


def alembic_config(conn: sa.Connection | None = None) -> Config:
    """Alembic's configuration in code: the revisions' folder and the connection to run on."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s")
    config.attributes["connection"] = conn
    return config


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision the code expects (the newest file in migrations/versions)."""
    return _script().get_current_head()


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision in migrations/versions: a database at one of them is behind, not ahead."""
    return frozenset(script.revision for script in _script().walk_revisions())


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against the code.

    status: CURRENT (at the code's head), BEHIND (an older revision, or a version table with no
    revision: run `make migrate`), AHEAD (a revision this code does not know: a newer program
    migrated it), UNVERSIONED (no version table: made by an older release, or views over the
    bureau's own system; then `missing_tables` lists the required tables that are absent and
    `missing_columns` the columns the code reads that the present tables or views lack).
    """

    status: str
    revision: str | None
    head: str
    missing_tables: tuple[str, ...] = ()
    missing_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """The app can read this database."""
        return self.status == CURRENT or (
            self.status == UNVERSIONED and not self.missing_tables and not self.missing_columns)


def get_schema_state(conn: sa.Connection) -> SchemaState:
    """Compare the database with the code. Read-only (fit for a read-only account): the table
    and view names, then either the version row or, without a version table, the columns of
    the dashboard's tables present. Raises SQLAlchemy errors when unreachable."""
    head = head_revision()
    names = catalog.relation_names(conn)
    if VERSION_TABLE not in names:
        expected = {t.name: [c.name for c in t.columns] for t in schema.metadata.sorted_tables}
        columns = _missing_columns(conn, expected, names)
        tables = tuple(t for t in catalog.REQUIRED_TABLES if t not in names)
        return SchemaState(UNVERSIONED, None, head, tables, columns)
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision == head:
        return SchemaState(CURRENT, revision, head)
    if revision is None or revision in known_revisions():
        return SchemaState(BEHIND, revision, head)
    return SchemaState(AHEAD, revision, head)


def _missing_columns(conn: sa.Connection, expected: Mapping[str, Iterable[str]],
                     names: set[str]) -> dict[str, tuple[str, ...]]:
    """Per table or view present in `names`, the expected columns it lacks."""
    present = [table for table in expected if table in names]
    if not present:
        return {}
    reflected = sa.inspect(conn).get_multi_columns(filter_names=present, kind=ObjectKind.ANY)
    have = {name: {c["name"] for c in columns} for (_, name), columns in reflected.items()}
    missing = {table: tuple(c for c in expected[table] if c not in have.get(table, set()))
               for table in present}
    return {table: columns for table, columns in missing.items() if columns}


@functools.cache
def baseline_columns() -> dict[str, tuple[str, ...]]:
    """Tables and columns as revision 0001_baseline creates them (read from a scratch SQLite
    database in memory, so the revision stays the one description of the baseline)."""
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), BASELINE)
            inspector = sa.inspect(conn)
            return {table: tuple(c["name"] for c in inspector.get_columns(table))
                    for table in inspector.get_table_names() if table != VERSION_TABLE}
    finally:
        engine.dispose()


def upgrade_database(engine: sa.Engine) -> str:
    """Bring the database to the code's head revision; returns it. Never drops data.

    A database without a version table is adopted: if it holds the baseline's tables (made by an
    earlier release with `create_all`), it is stamped 0001_baseline and upgraded (the later
    revisions are written to run on what those releases created); if it holds none of them, it
    is built from scratch. One that holds only some of them, or lacks baseline columns, raises
    MigrationError and is left as it is.
    """
    with engine.begin() as conn:
        if VERSION_TABLE not in catalog.relation_names(conn):
            _adopt(conn)
        command.upgrade(alembic_config(conn), "head")
    return head_revision()


def _adopt(conn: sa.Connection) -> None:
    expected = baseline_columns()
    names = catalog.relation_names(conn)
    if not names & expected.keys():
        return
    views = sorted(set(sa.inspect(conn).get_view_names()) & expected.keys())
    if views:
        raise MigrationError(
            f"数据库中的 {'、'.join(views)} 是视图,由其所在的系统维护,本程序不迁移这样的数据库"
            "(未做任何改动)。请由视图的维护者按 docs/migrations.md 补齐所缺的列。")
    tables = [t for t in expected if t not in names]
    columns = _missing_columns(conn, expected, names)
    if tables or columns:
        raise MigrationError(
            "数据库中已有部分仪表盘数据表,但与初始版本的结构不一致,无法自动纳入版本管理"
            f"(未做任何改动)。{describe_missing(tables, columns)}处理办法见 docs/migrations.md。")
    command.stamp(alembic_config(conn), BASELINE)


def describe_missing(tables: Iterable[str], columns: Mapping[str, Iterable[str]]) -> str:
    """Missing tables and columns, in Chinese, with their code names (for the administrator)."""
    parts = []
    if tables:
        parts.append(f"缺少数据表:{'、'.join(tables)}。")
    if columns:
        listed = ";".join(f"{t}({'、'.join(c)})" for t, c in columns.items())
        parts.append(f"缺少列:{listed}。")
    return "".join(parts)


def list_differences(conn: sa.Connection) -> list:
    """Alembic's differences between the database and `schema.metadata` (tables, columns,
    types, nullability, comments, indexes, unique constraints, foreign keys); empty when they
    agree. The version table is not counted."""
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return compare_metadata(context, schema.metadata)


def describe_state(state: SchemaState) -> str:
    """One Chinese sentence for `current` and `check`."""
    if state.status == CURRENT:
        return f"数据库结构为最新版本 {state.head}。"
    if state.status == BEHIND:
        return (f"数据库结构版本 {state.revision or '(无)'} 旧于程序要求的 {state.head},"
                "请运行 make migrate DATABASE_URL=<数据库地址> 升级。")
    if state.status == AHEAD:
        return (f"数据库结构版本 {state.revision} 新于本程序({state.head}),"
                "请升级本程序。")
    missing = describe_missing(state.missing_tables, state.missing_columns)
    return ("数据库没有版本记录(由早期版本建立,或为只读视图)。"
            + (missing or "本程序需要的数据表和列齐全。"))


