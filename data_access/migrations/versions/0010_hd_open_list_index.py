"""Hidden dangers: an index of the open items in deadline order

Revision ID: 0010_hd_open_list_index
Revises: 0009_item_category_index
Create Date: 2026-12-05 04:00:00

The lists of open and overdue items (`rectification.list_hidden_dangers`) walked
`ix_hd_deadline_list` from the year's first deadline past every item signed off since, a number
that grows with the ledger. This index holds the items without a sign-off date in deadline
order, which at the latest day are the open items; on PostgreSQL and SQLite it is partial
(those rows alone), MariaDB has no partial indexes and keeps every row, NULL sign-off dates
first (docs/performance.md).

On PostgreSQL also extended statistics on (level, closed_on): the planner took the open major
items for 2 % of their true number (level and a missing sign-off date are not independent:
major items stay open longer), read them all through a bitmap and sorted them instead of
walking the index to the list's length (0.56 → 0.03 s at 20M hidden dangers).

Idempotent: a database created with `create_all` by this release already has it.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_hd_open_list_index"
down_revision = "0009_item_category_index"
branch_labels = None
depends_on = None

TABLE = "hidden_dangers"
NAME = "ix_hd_open_list"
COLUMNS = ["closed_on", "deadline", "id", "found_on", "level", "unit_code", "sector_code",
           "regulator_reported_on", "congress_reported_on"]
OPEN = sa.text("closed_on IS NULL")
STATISTICS = "st_hd_level_closed"


def _present() -> bool:
    return NAME in {index["name"] for index in sa.inspect(op.get_bind()).get_indexes(TABLE)}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _present():
        op.create_index(NAME, TABLE, COLUMNS, postgresql_where=OPEN, sqlite_where=OPEN)
    if _postgresql():
        op.execute(f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) "
                   f"ON level, closed_on FROM {TABLE}")


def downgrade() -> None:
    if _postgresql():
        op.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")
    if _present():
        op.drop_index(NAME, table_name=TABLE)
