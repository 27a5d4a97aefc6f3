"""A storyline's lifecycle (breaking, developing, sustained, fading) and momentum.

Both are computed from the storyline's events as stored (they keep growing after they are
linked), against *stream time* — the newest publication time in the store — so replays give the
same answer as a live run. Their thresholds are
:class:`~storyline.cluster.link_config.LinkConfig`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from storyline.model import Event

from .link_config import LinkConfig
from .stream_time import to_days_or_none

__all__ = ["lifecycle", "momentum"]


def lifecycle(events: Sequence[Event], now: datetime, config: LinkConfig | None = None) -> str:
    """``breaking`` | ``developing`` | ``sustained`` | ``fading`` for a storyline's events.

    With *age* = now − first event, *idle* = now − last activity, *recent* = events first seen
    in the last 7 days and *weekly* = events per week over the storyline's life:

    - **fading**: idle ≥ ``fade_idle_days``, or age > ``developing_days`` and
      recent < ``fade_rate_ratio`` × weekly (the story's rate collapsed);
    - **breaking**: age ≤ ``breaking_days`` (its first hours);
    - **developing**: age ≤ ``developing_days``;
    - **sustained**: older, and still getting events at its usual rate.
    """
    cfg = config or LinkConfig()
    firsts = [to_days_or_none(e.first_seen) for e in events if e.first_seen]
    lasts = [to_days_or_none(e.last_seen or e.first_seen) for e in events if e.first_seen]
    if not firsts:
        return "breaking"
    t = to_days_or_none(now) or max(lasts)
    age, idle = t - min(firsts), t - max(lasts)
    recent = sum(1 for x in firsts if t - x <= 7.0)
    weekly = len(firsts) / max(1.0, age / 7.0)
    if idle >= cfg.fade_idle_days or (
        age > cfg.developing_days and recent < cfg.fade_rate_ratio * weekly
    ):
        return "fading"
    if age <= cfg.breaking_days:
        return "breaking"
    if age <= cfg.developing_days:
        return "developing"
    return "sustained"


def momentum(events: Sequence[Event], now: datetime, config: LinkConfig | None = None) -> float:
    """Recent activity: Σ over events of 2^(−days since first seen / half-life) plus Σ over
    distinct sources of 2^(−days since the source last reported it / half-life).

    A storyline with three new events today from five outlets scores ≈ 8; one quiet for a
    month ≈ 0. Events and sources from the future (clock skew) count as now.
    """
    cfg = config or LinkConfig()
    t = to_days_or_none(now) or 0.0
    hl = cfg.momentum_half_life_days
    total = 0.0
    latest: dict[str, float] = {}
    for e in events:
        first = to_days_or_none(e.first_seen)
        if first is None:
            continue
        total += 0.5 ** (max(0.0, t - first) / hl)
        last = to_days_or_none(e.last_seen) or first
        for s in e.sources:
            latest[s] = max(latest.get(s, -math.inf), last)
    total += sum(0.5 ** (max(0.0, t - x) / hl) for x in latest.values())
    return round(total, 4)
