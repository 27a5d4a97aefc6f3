"""``storyline demo``: a fresh workspace built from the packaged demo corpus, every stage run.

The corpus (``corpus.jsonl``, described in ``CORPUS.md``) is short reports written for this
project, each summarising dated public reporting and naming its outlet and date. The demo
ingests it through the same ``Pipeline`` as ``storyline ingest`` (de-duplication, events, event
coding, storylines, briefs), writes every storyline's brief as Markdown into the workspace and
prints the brief of the storyline with the most reports.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from ..pipeline import Pipeline
from ..store import Store, StoreError, open_store


def corpus_path() -> Path:
    return Path(str(resources.files("storyline.demo").joinpath("corpus.jsonl")))


def build_workspace(
    workspace: Path, *, database: Path | str | None = None, progress=None,  # noqa: ANN001
) -> tuple[Store, dict[str, Any]]:
    """Load the corpus into a fresh database, running every stage; return the open store and
    the ingest summary.

    Without ``database`` the demo's own ``workspace/storyline.db`` is made afresh (an earlier
    demo's file is replaced). A ``database`` the user named (``--db``: a file or a PostgreSQL
    URL) is used as it is and must hold no articles yet: the demo never deletes a user's data.
    """
    workspace.mkdir(parents=True, exist_ok=True)
    if database is None:
        db = workspace / "storyline.db"
        for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            leftover.unlink(missing_ok=True)
        database = db
    store = open_store(database)
    held = store.stats()["articles"]
    if held:
        store.close()
        raise StoreError(f"{store.path} already holds {held} articles; the demo needs an empty "
                         "database (name a new file with --db, or leave --db out)")
    summary = Pipeline(store, progress=progress).ingest_paths([corpus_path()])
    # An analyst's tracked storyline, as `storyline track TITLE --actors RUS,BLR --terms …`
    # defines it: events gathered from the automatic storylines, with its own brief (t1).
    from ..cluster.tracked import create_tracked

    tracked = create_tracked(
        store, "Russia–Belarus coordinated push against 'unfriendly' states",
        actors=["RUS", "BLR"], terms=["unfriendly", "недружеств", "недружн", "недружалюб"])
    out = summary.as_dict()
    out["tracked"] = {"id": tracked["id"], "events": tracked["events"]}
    if tracked["brief_version"]:
        out["stages"]["brief_versions"] = out["stages"].get("brief_versions", 0) + 1
    return store, out


def write_briefs(store: Store, folder: Path) -> list[Path]:
    """Every storyline's latest brief as ``folder/<storyline id>.md``, and a tracked
    storyline's also in Russian as ``folder/<id>.ru.md`` (``storyline brief ID --lang ru``)."""
    from ..brief.render import to_markdown
    from ..brief.writer import compose_in
    from ..store.sqlite import is_tracked_id

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for storyline in store.storylines():
        brief = store.brief_version(storyline.id)
        if brief is None:
            continue
        path = folder / f"{storyline.id}.md"
        path.write_text(to_markdown(brief.body), encoding="utf-8")
        paths.append(path)
        if is_tracked_id(storyline.id):
            russian = folder / f"{storyline.id}.ru.md"
            russian.write_text(to_markdown(compose_in(store, storyline, "ru")), encoding="utf-8")
            paths.append(russian)
    return paths


def report(store: Store, summary: dict[str, Any], workspace: Path, console: Console) -> None:
    """Print what the demo made and where, then close the store."""
    try:
        stages = summary["stages"]
        console.print(
            f"ingested {summary['ingested']} reports ({summary['near_duplicates']} near-duplicates "
            f"linked to their originals, {summary['rejected']} rejected) → "
            f"{summary['events_created']} events, {stages.get('event_records', 0)} coded actions, "
            f"{stages.get('storylines_created', 0)} storylines, "
            f"{stages.get('brief_versions', 0)} briefs"
        )
        storylines = store.storylines(min_events=1)
        table = Table("storyline", "lifecycle", "events", "reports", "title", title="Storylines")
        for s in storylines:
            table.add_row(s.id, s.lifecycle, str(s.event_count), str(s.article_count),
                          s.title[:70])
        console.print(table)
        briefs = write_briefs(store, workspace / "briefs")
        if storylines:
            top = max(storylines, key=lambda s: (s.article_count, s.event_count))
            brief = store.brief_version(top.id)
            if brief is not None:
                from ..brief.render import to_markdown

                console.rule(f"brief of {top.id}")
                console.print(Markdown(to_markdown(brief.body)))
                console.rule()
        console.print(f"database: {store.path}")
        console.print(f"briefs:   {workspace / 'briefs'}/ ({len(briefs)} Markdown files)")
        db = store.path
        console.print(
            "next:     "
            f"storyline --db {db} storylines · storyline --db {db} brief ID · "
            f"storyline --db {db} relations RUS BLR · storyline --db {db} serve"
        )
    finally:
        store.close()
