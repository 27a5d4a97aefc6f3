"""The storyline stage: events not yet linked → storylines, persisted batch by batch.

Glue between the store and :class:`~storyline.cluster.storylines.StorylineLinker`. It rehydrates
the linker from the storylines active within its window, featurises each unlinked event from its
stored articles (IDF tables restored from the store), links events in first-seen order, and
writes each batch's storylines, links (with reasons), merges and splits in one transaction, so a
killed run resumes where it stopped. Counts, first/last seen, lifecycle and momentum are then
recomputed from the stored events, which keep growing after they were linked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from ..model import Event, Storyline
from ..store import Store
from .storylines import (
    EventFeaturiser,
    LinkConfig,
    LinkResult,
    StorylineLinker,
    lifecycle,
    momentum,
)

MODEL_STATE_KEY = "storylines.model"
SEEDS_STATE_KEY = "storylines.seeds"

#: progress(stage, done, total), as in :mod:`storyline.pipeline`.
Progress = Any


class StorylineStage:
    """Links every unlinked event of ``store`` into storylines; ``run`` returns counts.

    Parameters
    ----------
    store:
        The store to read events from and write storylines to.
    config:
        :class:`LinkConfig` (defaults: the values tuned in ``bench/storylines.py``).
    batch:
        Events linked per transaction.
    """

    def __init__(self, store: Store, config: LinkConfig | None = None, batch: int = 200):
        self.store = store
        self.config = config or LinkConfig()
        self.batch = batch
        self.featuriser = EventFeaturiser()
        self.featuriser.set_state(store.get_state(MODEL_STATE_KEY))
        self.linker = StorylineLinker(self.config)
        every = store.storylines()  # without state: cheap, however many there are
        latest = store.latest_published()
        horizon = latest - timedelta(days=self.config.window_days) if latest else None
        active = [store.storyline(s.id) for s in every if s.lifecycle != "merged" and (
            horizon is None or (s.last_seen is not None and s.last_seen >= horizon))]
        self.linker.load([s for s in active if s is not None], known_ids=[s.id for s in every])
        self.linker.load_seeds(store.get_state(SEEDS_STATE_KEY))

    def run(self, progress: Progress | None = None) -> dict[str, int]:
        """Link everything pending; returns ``linked``, ``storylines_created``, ``merged``,
        ``split`` and ``promoted`` (related coverage that became a storyline) counts."""
        counts = {"linked": 0, "storylines_created": 0, "merged": 0, "split": 0, "promoted": 0}
        total = None
        while True:
            events = self.store.unlinked_events(self.batch)
            if not events:
                break
            self._link_batch(events, counts)
            if progress:
                progress("storylines", counts["linked"], total)
        if counts["linked"]:
            with self.store.transaction():
                self.refresh(self._live_ids())
        return counts

    # ------------------------------------------------------------------ per batch
    def _link_batch(self, events: list[Event], counts: dict[str, int]) -> None:
        results = []
        for event in events:
            articles = self.store.articles(event_id=event.id, originals_only=True)
            features = self.featuriser.featurise(event, articles, self.config.event_terms)
            results.append(self.linker.link(features))
        splits = self.linker.split_misfits()
        # A seed's event may have been merged into another event by the clusterer since it
        # was filed as related coverage: only events still stored move.
        promotions = self.linker.promoted()
        stored = {r.event_id: self.store.event(r.event_id) for r in promotions}
        promoted = [r for r in promotions if stored[r.event_id] is not None]
        merges = self.linker.merged_away()
        final = _final_links([*results, *promoted, *splits], merges)
        changed = self.linker.changed()
        with self.store.transaction():
            self.store.save_storylines(changed)
            known = {s.id for s in changed}
            # A promoted event may have been filed as related coverage in an earlier batch:
            # the storyline it leaves is refreshed too.
            left = {e.storyline_id for e in stored.values() if e is not None and e.storyline_id}
            for r in final.values():
                self.store.link_event(r.event_id, r.storyline_id, r.score, r.reasons)
            for src, dst in merges:
                if self.store.storyline(src) is not None:
                    self.store.merge_storylines(src, _resolve(dst, merges))
            self.refresh(known | left | {r.storyline_id for r in final.values()})
            self.store.put_state(MODEL_STATE_KEY, self.featuriser.get_state())
            if self.linker.seeds_changed():
                self.store.put_state(SEEDS_STATE_KEY, self.linker.seeds_state())
        counts["linked"] += len(events)
        counts["storylines_created"] += len({r.storyline_id for r in final.values() if r.is_new}
                                            | {r.storyline_id for r in promotions})
        counts["merged"] += len(merges)
        counts["split"] += len(splits)
        counts["promoted"] += len(promoted)

    # ------------------------------------------------------------------ summaries
    def refresh(self, ids: Iterable[str]) -> None:
        """Recompute counts, first/last seen, lifecycle and momentum of storylines ``ids`` from
        their stored events, against stream time (the newest publication in the store)."""
        now = self.store.latest_published() or datetime.now(UTC)
        updated = []
        for sid in sorted(set(ids)):
            s = self.store.storyline(sid)
            if s is None or s.state.get("merged_into"):
                continue
            related = {link["event_id"] for link in self.store.storyline_links(sid)
                       if link["reasons"].get("relation") == "related"}
            updated.append(summarise(s, self.store.events(storyline_id=sid), now, self.config,
                                     related=related))
        self.store.save_storylines(updated)

    def _live_ids(self) -> list[str]:
        """Storylines whose lifecycle can still change (not merged, not yet faded out)."""
        return [s.id for s in self.store.storylines()
                if s.lifecycle != "merged" and (s.lifecycle != "fading" or s.momentum > 0.01)]


def summarise(s: Storyline, events: list[Event], now: datetime,
              config: LinkConfig | None = None, related: set[int] | None = None) -> Storyline:
    """``s`` with counts, first/last seen, lifecycle and momentum recomputed from ``events``.

    Events in ``related`` (filed as related coverage) count in the event and article counts
    but not in first/last seen, lifecycle or momentum: weakly related reports must not keep a
    story alive or make it look new.
    """
    if not events:
        return s
    own = [e for e in events if e.id not in (related or ())] or events
    firsts = [e.first_seen for e in own if e.first_seen]
    lasts = [e.last_seen or e.first_seen for e in own if e.first_seen]
    return replace(
        s, event_count=len(events), article_count=sum(e.article_count for e in events),
        first_seen=min(firsts) if firsts else s.first_seen,
        last_seen=max(lasts) if lasts else s.last_seen,
        lifecycle=lifecycle(own, now, config), momentum=momentum(own, now, config),
    )


def _resolve(sid: str, merges: list[tuple[str, str]]) -> str:
    """Follow merges in order: where ``sid`` ended up."""
    for src, dst in merges:
        if src == sid:
            sid = dst
    return sid


def _final_links(results: list[LinkResult], merges: list[tuple[str, str]]
                 ) -> dict[int, LinkResult]:
    """The last link of each event (splits replace links), pointed past merges."""
    out: dict[int, LinkResult] = {}
    for r in results:
        out[r.event_id] = replace(r, storyline_id=_resolve(r.storyline_id, merges))
    return out
