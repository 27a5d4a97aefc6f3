"""Composes the stages: ingest → normalise → dedupe → store, then cluster what is new.

The CLI, the demo and the benchmarks all go through ``Pipeline``, so they produce the same data.
Each batch is written in one transaction: a killed run leaves whole batches behind, and running
it again skips what is stored (articles are keyed by canonical URL, input id or content hash) and
clusters whatever was stored but not yet clustered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .dedupe import Deduplicator, outlet_from_url, signature_to_bytes
from .ingest.files import Row, RowError, read_file
from .model import Article
from .normalize import detect_language
from .store import Store

#: progress(stage, done, total) — total is None when unknown.
Progress = Callable[[str, int, int | None], None]

BATCH = 500


@dataclass
class IngestSummary:
    """What one ingest run did. ``already_stored`` rows were skipped: they were in the store."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    already_stored: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)
    clustered: int = 0
    events_created: int = 0

    def merge(self, other: IngestSummary) -> None:
        for name in ("ingested", "duplicates", "near_duplicates", "already_stored", "rejected",
                     "clustered", "events_created"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors
        self.warnings += other.warnings
        self.new_ids += other.new_ids

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "already_stored": self.already_stored,
            "rejected": self.rejected,
            "clustered": self.clustered,
            "events_created": self.events_created,
            "errors": self.errors,
            "warnings": self.warnings,
        }


class Pipeline:
    """Runs the stages over a store.

    ``cluster=False`` stops after de-duplication (``storyline ingest --no-cluster`` and the
    ingest benchmark); ``storyline cluster`` later assigns what was left unclustered.
    """

    def __init__(
        self,
        store: Store,
        *,
        cluster: bool = True,
        progress: Progress | None = None,
        now: datetime | None = None,
    ):
        self.store = store
        self.cluster_enabled = cluster
        self.progress = progress or (lambda stage, done, total: None)
        self.now = now
        self._dedupe: Deduplicator | None = None
        self._clusterer: Any = None

    @property
    def dedupe(self) -> Deduplicator:
        if self._dedupe is None:
            self._dedupe = Deduplicator(self.store)
        return self._dedupe

    # -- ingest ----------------------------------------------------------------------------
    def ingest_paths(self, paths: Iterable[str | Path]) -> IngestSummary:
        """Ingest JSONL/CSV files, then cluster the new articles."""
        summary = IngestSummary()
        for path in paths:
            summary.merge(self._ingest_rows(read_file(path), label=str(path)))
        if self.cluster_enabled:
            self._cluster_into(summary)
        return summary

    def ingest_articles(
        self, articles: Iterable[Article], *, source_id: int | None = None
    ) -> IngestSummary:
        """Ingest articles built elsewhere (feeds, pages); keyed by URL, else by content."""
        rows = (Row(a, a.url or a.source or "article", None) for a in articles)
        summary = self._ingest_rows(rows, label="articles", source_id=source_id)
        if self.cluster_enabled:
            self._cluster_into(summary)
        return summary

    def _ingest_rows(
        self, rows: Iterable[Row | RowError], *, label: str, source_id: int | None = None
    ) -> IngestSummary:
        summary = IngestSummary()
        batch: list[Row] = []
        done = 0
        for item in rows:
            done += 1
            if isinstance(item, RowError):
                summary.rejected += 1
                summary.errors.append(str(item))
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                self._write_batch(batch, summary, source_id)
                batch = []
                self.progress(f"ingest {label}", done, None)
        if batch:
            self._write_batch(batch, summary, source_id)
        self.progress(f"ingest {label}", done, done)
        return summary

    def _write_batch(self, batch: list[Row], summary: IngestSummary, source_id: int | None) -> None:
        fetched = self.now or datetime.now(UTC)
        with self.store.transaction():
            for row in batch:
                article = row.article
                article.fetched = article.fetched or fetched
                if source_id is not None:
                    article.source_id = source_id
                if not article.source and article.url:
                    article.source = outlet_from_url(article.url)
                if not article.lang:
                    article.lang = detect_language(f"{article.title}\n{article.text}")
                verdict, sig = self.dedupe.check(article, row.external_key)
                if verdict == "stored":
                    summary.already_stored += 1
                    continue
                summary.warnings.extend(row.warnings)
                blob = signature_to_bytes(sig) if sig is not None else None
                article_id = self.store.add_article(
                    article, external_key=row.external_key, minhash=blob
                )
                if verdict == "exact":
                    summary.duplicates += 1
                elif verdict == "near":
                    summary.near_duplicates += 1
                else:
                    summary.ingested += 1
                    summary.new_ids.append(article_id)
                    self.dedupe.remember(article_id, sig)

    # -- cluster ---------------------------------------------------------------------------
    def _cluster_into(self, summary: IngestSummary) -> None:
        report = self.cluster_pending()
        summary.clustered += report["clustered"]
        summary.events_created += report["events_created"]

    def cluster_pending(self) -> dict[str, int]:
        """Assign every stored, not yet clustered original to an event, in publication order."""
        from .cluster.stage import ClusterStage

        if self._clusterer is None:
            self._clusterer = ClusterStage(self.store)
        return self._clusterer.run(progress=self.progress)
