"""How far a read replica is behind its primary.

The pages read the replica (`DATABASE_READ_URL`); imports and undo write the primary. Every
cached result is keyed on the data version (`catalog.get_data_version`), read from the
replica on every run, and an import's rows and its `import_batches` entry are one transaction:
so the pages show an import exactly when the replica has replayed that transaction. Comparing
the data version on both sides says whether that has happened; on PostgreSQL the write-ahead
log positions say by how much the replica is behind. Both need no privilege beyond reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from data_access import catalog


@dataclass(frozen=True)
class ReplicaStatus:
    primary_version: tuple[int, int] | None
    replica_version: tuple[int, int] | None
    lag_bytes: int | None  # WAL not yet replayed (PostgreSQL); None elsewhere
    lag_seconds: float | None  # age of the last replayed transaction while behind; 0 caught up
    replay_paused: bool = False

    @property
    def has_latest_import(self) -> bool:
        """Whether the replica holds every import and undo the primary has: the pages show
        the data as the primary has it."""
        return self.primary_version == self.replica_version

    @property
    def caught_up(self) -> bool:
        return self.has_latest_import and not self.lag_bytes


def parse_lsn(text: str) -> int:
    """A PostgreSQL WAL position "16/B374D848" as a byte offset."""
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def replay_lag_seconds(lag_bytes: int, now: dt.datetime,
                       last_replayed_at: dt.datetime | None) -> float:
    """Seconds the replica is behind: 0 when it has replayed everything; otherwise the age of
    the last transaction it replayed (the changes after it are still to come)."""
    if lag_bytes <= 0 or last_replayed_at is None:
        return 0.0
    return max(0.0, (now - last_replayed_at).total_seconds())


def _postgres_lag(primary: sa.Connection, replica: sa.Connection
                  ) -> tuple[int, float, bool]:
    """Bytes and seconds behind, and whether replay is paused. The primary's position is read
    first, so a replica that moves on meanwhile reads as less behind, never more."""
    primary_lsn = parse_lsn(primary.exec_driver_sql("SELECT pg_current_wal_lsn()::text").scalar())
    row = replica.exec_driver_sql(
        "SELECT pg_last_wal_replay_lsn()::text, now(), pg_last_xact_replay_timestamp(), "
        "pg_is_wal_replay_paused()").one()
    lag_bytes = max(0, primary_lsn - parse_lsn(row[0]))
    return lag_bytes, replay_lag_seconds(lag_bytes, row[1], row[2]), bool(row[3])


def is_standby(conn: sa.Connection) -> bool:
    """Whether `conn` is a PostgreSQL server in recovery (a streaming or log-shipping replica)."""
    return (conn.dialect.name == "postgresql"
            and bool(conn.exec_driver_sql("SELECT pg_is_in_recovery()").scalar()))


def get_replica_status(primary: sa.Connection, replica: sa.Connection) -> ReplicaStatus:
    """Where `replica` stands against `primary`. The WAL figures are given for a PostgreSQL
    standby; for any other pair (say, MariaDB replication) only the data versions."""
    primary_version = catalog.get_data_version(primary)
    if is_standby(replica):
        lag_bytes, lag_seconds, paused = _postgres_lag(primary, replica)
    else:
        lag_bytes, lag_seconds, paused = None, None, False
    return ReplicaStatus(primary_version, catalog.get_data_version(replica), lag_bytes,
                         lag_seconds, paused)
