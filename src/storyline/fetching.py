"""One pass over every feed: fetch, fill teasers for new items, ingest, record health.

Used by ``storyline fetch`` and ``storyline watch``. A failing feed is recorded in its source's
health fields and never stops the pass.
"""

from __future__ import annotations

from typing import Any

from .dedupe import canonical_url
from .ingest.feeds import fetch_feed, update_source_health
from .ingest.http import PoliteClient
from .ingest.pages import fill_teasers
from .pipeline import IngestSummary, Pipeline, Progress
from .store import Store


def fetch_all(
    store: Store,
    *,
    client: PoliteClient | None = None,
    delay_s: float = 1.0,
    progress: Progress | None = None,
    analyse: bool = True,
) -> dict[str, Any]:
    """Fetch every feed source once; return a per-source report and totals."""
    sources = store.sources(kind="feed")
    own_client = client is None
    client = client or PoliteClient(delay_s=delay_s)
    pipeline = Pipeline(store, stages=(), progress=progress)
    rows, total = [], IngestSummary()
    try:
        for n, source in enumerate(sources, 1):
            result = fetch_feed(source, client, fetch_pages=False)
            summary = IngestSummary()
            if result.articles:
                fresh = [
                    a for a in result.articles
                    if store.find_article(canonical_url(a.url), None, None) is None
                ]
                if source.fetch_pages:
                    result.warnings.extend(fill_teasers(fresh, client))
                summary = pipeline.ingest_articles(fresh, source_id=source.id)
                summary.already_stored += len(result.articles) - len(fresh)
            update_source_health(source, result)
            store.record_fetch(source)
            total.merge(summary)
            rows.append({
                "source": source.name, "url": source.url, "status": result.status,
                "http_status": result.http_status, "error": result.error,
                "warnings": result.warnings, "items": len(result.articles),
                "new": summary.ingested, "duplicates": summary.duplicates,
                "near_duplicates": summary.near_duplicates,
            })
            if progress:
                progress("fetch", n, len(sources))
    finally:
        if own_client:
            client.close()
    analysed = Pipeline(store, progress=progress).analyse() if analyse and total.ingested else {}
    return {
        "sources": rows,
        "ingested": total.ingested,
        "duplicates": total.duplicates,
        "near_duplicates": total.near_duplicates,
        "clustered": analysed.get("clustered", 0),
        "stages": analysed,
        "errors": sum(1 for r in rows if r["status"] == "error"),
    }
