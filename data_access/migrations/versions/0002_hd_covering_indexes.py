"""Hidden dangers: three covering indexes replace the four narrow ones

Revision ID: 0002_hd_covering_indexes
Revises: 0001_baseline
Create Date: 2026-12-04 16:10:00

The year-to-date ledger counts read only these indexes (docs/performance.md). Idempotent: a
database created with `create_all` by the release that introduced them already has them, and
one created before it has the four narrow indexes they replace, which are dropped.

MariaDB/MySQL: InnoDB refuses to drop the only index a foreign key can use (error 1553), and
silently drops the index it made for a foreign key once another one can serve it. So before an
index whose leading column is a foreign key is dropped, that column gets a plain index named
after it, as InnoDB names its own; the upgrade drops that plain index again for unit_code,
which ix_hd_unit_cover serves. Both directions end with the indexes the other side expects.

Frozen history: never import data_access.schema here, write the operations out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_hd_covering_indexes"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

TABLE = "hidden_dangers"
COVERING = {
    "ix_hd_found_cover": ["found_on", "closed_on", "deadline", "level", "unit_code",
                          "sector_code", "regulator_reported_on", "congress_reported_on"],
    "ix_hd_unit_cover": ["unit_code", "found_on", "closed_on", "deadline", "level",
                         "sector_code", "regulator_reported_on", "congress_reported_on"],
    "ix_hd_closed_cover": ["closed_on", "found_on", "deadline", "level", "unit_code",
                           "sector_code"],
}
# Before the covering indexes: ix_hd_found_on (found_on), ix_hd_unit_found (unit_code,
# found_on), ix_hd_sector_found (sector_code, found_on), ix_hd_open (closed_on, deadline).
SUPERSEDED = ("ix_hd_found_on", "ix_hd_unit_found", "ix_hd_sector_found", "ix_hd_open")


def _indexes() -> dict[str, list[str]]:
    """The table's indexes now: name -> columns."""
    return {index["name"]: index["column_names"]
            for index in sa.inspect(op.get_bind()).get_indexes(TABLE)}


def _is_mysql() -> bool:
    return op.get_bind().dialect.name in ("mysql", "mariadb")


def _drop_index(name: str) -> None:
    """Drop `name`; on MariaDB/MySQL first give a foreign key that would be left without an
    index one of its own."""
    if _is_mysql():
        indexes = _indexes()
        lead = indexes[name][0]
        foreign = {fk["constrained_columns"][0]
                   for fk in sa.inspect(op.get_bind()).get_foreign_keys(TABLE)}
        served = any(columns[0] == lead for other, columns in indexes.items() if other != name)
        if lead in foreign and not served:
            op.create_index(lead, TABLE, [lead])
    op.drop_index(name, table_name=TABLE)


def upgrade() -> None:
    present = _indexes()
    for name, columns in COVERING.items():
        if name not in present:
            op.create_index(name, TABLE, columns)
    for name in SUPERSEDED:
        if name in present:
            _drop_index(name)
    if _is_mysql() and _indexes().get("unit_code") == ["unit_code"]:
        op.drop_index("unit_code", table_name=TABLE)


def downgrade() -> None:
    present = _indexes()
    for name in COVERING:
        if name in present:
            _drop_index(name)
