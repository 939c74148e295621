"""Hidden dangers: an index in the drill-down list's order

Revision ID: 0005_hd_deadline_list_index
Revises: 0004_ledger_rollups
Create Date: 2026-12-04 20:00:00

The list behind a ledger figure is ordered by deadline, then id; with this covering index the
database walks it from the scope's first deadline and stops at the list's length instead of
sorting the year's rows (docs/performance.md). Idempotent: a database created with
`create_all` by this release already has it.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_hd_deadline_list_index"
down_revision = "0004_ledger_rollups"
branch_labels = None
depends_on = None

TABLE = "hidden_dangers"
NAME = "ix_hd_deadline_list"
COLUMNS = ["deadline", "id", "found_on", "closed_on", "level", "unit_code", "sector_code",
           "regulator_reported_on", "congress_reported_on"]


def _present() -> bool:
    return any(index["name"] == NAME for index in sa.inspect(op.get_bind()).get_indexes(TABLE))


def upgrade() -> None:
    if not _present():
        op.create_index(NAME, TABLE, COLUMNS)


def downgrade() -> None:
    if _present():
        op.drop_index(NAME, table_name=TABLE)
