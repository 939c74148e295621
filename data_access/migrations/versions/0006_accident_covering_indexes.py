"""Accidents: two covering indexes replace the two narrow ones

Revision ID: 0006_accident_covering_indexes
Revises: 0005_hd_deadline_list_index
Create Date: 2026-12-04 19:40:00

The accident figures (by grade, unit, sector and month, the totals and the grade check) read
only these indexes, as the ledger's do (docs/performance.md): each holds the date, unit,
sector, grade, deaths, serious injuries and direct loss, which are also every column the
validity rules look at. One leads with the date (the city), one with the unit.

Idempotent: a database created with `create_all` by this release already has them. The new
indexes are made before the old ones go, so on MariaDB/MySQL the unit_code foreign key always
keeps an index leading with unit_code (InnoDB refuses to drop the last one, error 1553).

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_accident_covering_indexes"
down_revision = "0005_hd_deadline_list_index"
branch_labels = None
depends_on = None

TABLE = "accidents"
MEASURES = ["grade", "deaths", "serious_injuries", "direct_loss_wan"]
COVERING = {
    "ix_accidents_occurred_cover": ["occurred_at", "unit_code", "sector_code", *MEASURES],
    "ix_accidents_unit_cover": ["unit_code", "occurred_at", "sector_code", *MEASURES],
}
NARROW = {
    "ix_accidents_occurred_at": ["occurred_at"],
    "ix_accidents_unit_occurred": ["unit_code", "occurred_at"],
}


def _present() -> set[str]:
    return {index["name"] for index in sa.inspect(op.get_bind()).get_indexes(TABLE)}


def _swap(make: dict[str, list[str]], drop: dict[str, list[str]]) -> None:
    present = _present()
    for name, columns in make.items():
        if name not in present:
            op.create_index(name, TABLE, columns)
    for name in drop:
        if name in present:
            op.drop_index(name, table_name=TABLE)


def upgrade() -> None:
    _swap(COVERING, NARROW)


def downgrade() -> None:
    _swap(NARROW, COVERING)
