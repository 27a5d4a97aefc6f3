"""Stream time as float days since the Unix epoch (UTC), the clock both clusterers run on.

Event and storyline state store times as days (JSON-friendly, cheap to subtract); a naive
datetime is taken to be UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_days(dt: datetime) -> float:
    """Days since the epoch of ``dt`` (naive: UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return (dt - EPOCH).total_seconds() / 86400.0


def to_days_or_none(dt: datetime | None) -> float | None:
    """:func:`to_days` of ``dt``; None for None."""
    return None if dt is None else to_days(dt)


def from_days(days: float) -> datetime:
    """The UTC datetime ``days`` days after the epoch."""
    return datetime.fromtimestamp(days * 86400.0, UTC)
