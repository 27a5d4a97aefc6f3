"""The clustering stage: stored, not yet clustered articles → events, persisted batch by batch.

Glue between the store and :class:`~storyline.cluster.events.EventClusterer`: it rehydrates the
clusterer's active window from stored events, serves embeddings from the store's cache (keyed by
content hash and model name), and writes each batch's assignments, events and merges in one
transaction, so a killed run resumes where it stopped.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from ..enrich.embed import EMBED_TEXT_VERSION, Embedder
from ..model import Article
from ..store import Store
from .events import ClusterConfig, EventClusterer

MODEL_STATE_KEY = "cluster.model"


class ClusterStage:
    def __init__(
        self,
        store: Store,
        *,
        config: ClusterConfig | None = None,
        embedder: Embedder | None = None,
        batch: int = 256,
    ):
        self.store = store
        self.batch = batch
        self.clusterer = EventClusterer(config, embedder, id_factory=store.new_event_id)
        self.embedder = self.clusterer.embedder
        latest = store.latest_published()
        since = latest - timedelta(days=self.clusterer.config.window_days) if latest else None
        self.clusterer.load(store.active_events(since), store.get_state(MODEL_STATE_KEY))

    def embeddings(self, articles: list[Article]) -> np.ndarray:
        """Embeddings of what the clusterer embeds, from the cache where present."""
        model = f"{self.embedder.name}/text{EMBED_TEXT_VERSION}"
        keys = [a.content_hash or str(a.id) for a in articles]
        cached = self.store.get_embeddings(model, keys)
        missing = [i for i, k in enumerate(keys) if k not in cached]
        vectors: dict[str, np.ndarray] = {
            k: np.frombuffer(v, dtype="<f4") for k, v in cached.items()
        }
        if missing:
            fresh = self.embedder.encode([self.clusterer.embed_text(articles[i]) for i in missing])
            new_items = []
            for row, i in enumerate(missing):
                vec = np.asarray(fresh[row], dtype="<f4")
                vectors[keys[i]] = vec
                new_items.append((keys[i], vec.tobytes()))
            self.store.put_embeddings(model, new_items)
        return np.vstack([vectors[k] for k in keys])

    def run(self, progress=None) -> dict[str, int]:  # noqa: ANN001 - pipeline.Progress
        """Cluster everything pending; returns counts of articles clustered and events created."""
        total = self.store.count_unclustered()
        done = created = 0
        while True:
            articles = self.store.unclustered(self.batch)
            if not articles:
                break
            if done >= total + self.batch:  # every pass must shrink the backlog
                raise RuntimeError("clustering made no progress; the store may be inconsistent")
            with self.store.transaction():
                vectors = self.embeddings(articles)
                results = self.clusterer.assign(articles, vectors)
                created += sum(1 for r in results if r.is_new)
                self.store.save_events(self.clusterer.changed_events())
                # assign before merging: an assignment may name an event merged away later in
                # the same batch, and the merge then moves it with the event's other articles
                self.store.assign_events((r.article_id, r.event_id) for r in results)
                for from_id, into_id in self.clusterer.merged_away():
                    self.store.merge_events(from_id, into_id)
            done += len(articles)
            if progress:
                progress("cluster", done, total)
        if done:
            self.store.put_state(MODEL_STATE_KEY, self.clusterer.model_state())
        return {"clustered": done, "events_created": created}
