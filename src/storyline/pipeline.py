"""Composes the stages: ingest → normalise → dedupe → store, then the analysis stages
(cluster → code events → storylines → tracked storylines → briefs → alerts) over what is new.

The CLI, the demo and the benchmarks all go through ``Pipeline``, so they produce the same data.
Each batch is written in one transaction: a killed run leaves whole batches behind, and running
it again skips what is stored (articles are keyed by canonical URL, input id or content hash) and
runs the analysis stages over whatever was stored but not yet processed.
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

#: The analysis stages after ingest, in data-flow order.
#: ``tracked`` gathers events into the analysts' tracked storylines (after the automatic
#: storylines, which it reads; before the briefs, so that tracked storylines get theirs).
STAGES = ("cluster", "code", "storylines", "tracked", "briefs", "alerts")

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
    stages: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Every input row read: stored, recognised as a copy, already stored, or rejected."""
        return (self.ingested + self.duplicates + self.near_duplicates + self.already_stored
                + self.rejected)

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
            "stages": self.stages,
            "errors": self.errors,
            "warnings": self.warnings,
        }


class Pipeline:
    """Runs the stages over a store.

    ``stages`` names the analysis stages to run after ingest (default: all of ``STAGES``);
    ``stages=()`` stops after de-duplication (``storyline ingest --no-analyse`` and the ingest
    benchmark) and ``storyline analyse`` later runs what was left pending.
    """

    def __init__(
        self,
        store: Store,
        *,
        stages: Iterable[str] = STAGES,
        progress: Progress | None = None,
        now: datetime | None = None,
    ):
        self.store = store
        self.stages = tuple(stages)
        unknown = set(self.stages) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown stages {sorted(unknown)}; known: {', '.join(STAGES)}")
        self.progress = progress or (lambda stage, done, total: None)
        self.now = now
        self._dedupe: Deduplicator | None = None

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
        if self.stages:
            self._analyse_into(summary)
        return summary

    def ingest_articles(
        self, articles: Iterable[Article], *, source_id: int | None = None
    ) -> IngestSummary:
        """Ingest articles built elsewhere (feeds, pages); keyed by URL, else by content."""
        rows = (Row(a, a.url or a.source or "article", None) for a in articles)
        summary = self._ingest_rows(rows, label="articles", source_id=source_id)
        if self.stages:
            self._analyse_into(summary)
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

    # -- after ingest: the analysis stages ---------------------------------------------------
    def _analyse_into(self, summary: IngestSummary) -> None:
        report = self.analyse()
        summary.clustered += report.get("clustered", 0)
        summary.events_created += report.get("events_created", 0)
        summary.stages = report

    def analyse(self) -> dict[str, Any]:
        """Run every enabled stage over what is pending in the store, in data-flow order:
        cluster → code events → link storylines → gather tracked storylines → write briefs →
        alerts. Each stage only touches what it has not processed yet, so this is cheap when
        nothing is new.

        Two analyses of one store (two ingests, a fetch beside an ingest) take turns: the
        stages load their state inside the store's ``"analysis"`` lock, so the second sees what
        the first wrote instead of clustering the same articles again."""
        report: dict[str, Any] = {}
        with self.store.exclusive("analysis"):
            for stage in STAGES:
                if stage in self.stages:
                    report.update(getattr(self, f"_run_{stage}")())
        return report

    def _run_cluster(self) -> dict[str, Any]:
        from .cluster.stage import ClusterStage

        return ClusterStage(self.store).run(progress=self.progress)

    def _run_code(self) -> dict[str, Any]:
        from .events.stage import CodingStage

        return CodingStage(self.store).run(progress=self.progress)

    def _run_storylines(self) -> dict[str, Any]:
        from .cluster.storyline_stage import StorylineStage

        return StorylineStage(self.store).run(progress=self.progress)

    def _run_tracked(self) -> dict[str, Any]:
        from .cluster.tracked import TrackingStage

        return TrackingStage(self.store).run(progress=self.progress)

    def _run_briefs(self) -> dict[str, Any]:
        from .brief.writer import BriefStage

        written = BriefStage(self.store).run(progress=self.progress)
        return {"brief_versions": len(written)}

    def _run_alerts(self) -> dict[str, Any]:
        from .alerts import check

        return {"alerts": len(check(self.store))}
