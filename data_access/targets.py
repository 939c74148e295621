"""Annual targets and control indicators, stored as data (never written into page code).

Metric codes: deaths, accidents_total, accidents_general, accidents_larger, accidents_major,
accidents_extra_major (control limits, direction at_most); intelligent_faces,
green_pilot_mines, intelligent_demo_mines (targets to reach, direction at_least).
A missing row means the target is not set (未设定), which is never the same as 0.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import vocab
from data_access._sql import frame
from data_access.schema import targets
from data_access.validity import usable

# Metric codes in the `targets` table and what they mean.
METRICS = vocab.TARGET_METRICS


def list_targets(conn: sa.Connection, *, year: int, metrics: tuple[str, ...]) -> pd.DataFrame:
    """unit_code (None = whole city), sector_code (None = all sectors), metric, direction, value."""
    stmt = (
        sa.select(targets.c.unit_code, targets.c.sector_code, targets.c.metric,
                  targets.c.direction, targets.c.value)
        .where(targets.c.year == year, targets.c.metric.in_(metrics), *usable(conn, targets))
        .order_by(targets.c.id)
    )
    return frame(conn, stmt)


def pick_target(df: pd.DataFrame, metric: str, *, unit: str | None = None,
                sector: str | None = None) -> float | None:
    """The one target for (metric, unit, sector) from a `list_targets` frame, or None if not set."""
    def matches(value, wanted) -> bool:
        return pd.isna(value) if wanted is None else value == wanted

    for m, u, s, value in zip(df["metric"], df["unit_code"], df["sector_code"], df["value"]):
        if m == metric and matches(u, unit) and matches(s, sector):
            return float(value)
    return None
