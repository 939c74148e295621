"""Resource items: a covering index by category

Revision ID: 0009_item_category_index
Revises: 0008_annual_plans
Create Date: 2026-12-04 22:45:00

应急资源's key-equipment table sums the items of a few categories per unit
(`resources.summarize_equipment_by_unit`); with this index it reads those categories' entries
(category, site, item, unit of measure, quantity) instead of every item row: 0.147 → 0.08 s at
112,008 items (SQLite).

Idempotent: a database created with `create_all` by this release already has it.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_item_category_index"
down_revision = "0008_annual_plans"
branch_labels = None
depends_on = None

TABLE = "resource_items"
NAME = "ix_items_category_cover"
COLUMNS = ["category", "site_id", "item", "uom", "quantity"]


def _present() -> bool:
    return NAME in {index["name"] for index in sa.inspect(op.get_bind()).get_indexes(TABLE)}


def upgrade() -> None:
    if not _present():
        op.create_index(NAME, TABLE, COLUMNS)


def downgrade() -> None:
    if _present():
        op.drop_index(NAME, table_name=TABLE)
