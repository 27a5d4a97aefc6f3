"""``storyline demo``: a fresh workspace built from the packaged demo corpus, every stage run.

The corpus (``corpus.jsonl``, described in ``CORPUS.md``) is short reports written for this
project, each summarising dated public reporting and naming its outlet and date.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..pipeline import Pipeline
from ..store.sqlite import SQLiteStore


def corpus_path() -> Path:
    return Path(str(resources.files("storyline.demo").joinpath("corpus.jsonl")))


def build_workspace(workspace: Path, *, progress=None) -> tuple[SQLiteStore, dict]:  # noqa: ANN001
    """Create ``workspace/storyline.db`` afresh from the corpus; return the open store and the
    ingest summary."""
    workspace.mkdir(parents=True, exist_ok=True)
    db = workspace / "storyline.db"
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    store = SQLiteStore(db)
    summary = Pipeline(store, progress=progress).ingest_paths([corpus_path()])
    return store, summary.as_dict()


def run_demo(workspace: Path, *, console: Console, quiet: bool = False) -> None:
    console.print(f"[bold]storyline demo[/bold] — building {workspace}/ from the demo corpus")
    store, summary = build_workspace(workspace)
    try:
        console.print(
            f"ingested {summary['ingested']} articles "
            f"({summary['duplicates']} duplicates, {summary['near_duplicates']} near-duplicates, "
            f"{summary['rejected']} rejected), clustered into {summary['events_created']} events"
        )
        events = [e for e in store.events(limit=500) if e.article_count >= 2]
        table = Table("event", "first seen", "articles", "langs", "label", title="Events with 2+ reports")
        for e in sorted(events, key=lambda e: e.first_seen or e.last_seen)[-25:]:
            table.add_row(str(e.id), e.first_seen.strftime("%Y-%m-%d") if e.first_seen else "",
                          str(e.article_count), ",".join(e.languages), e.label[:80])
        console.print(table)
        console.print(f"\ndatabase: {store.path}")
        console.print(
            "next: "
            f"`storyline --db {store.path} events`, "
            f"`storyline --db {store.path} search Lukashenko`"
        )
    finally:
        store.close()
