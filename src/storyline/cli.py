"""The ``storyline`` command: one group, every command a thin call into the modules.

Every listing command takes ``--json`` (machine output on stdout, nothing else); human output is
rich tables. Errors are one clear line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from . import config
from .commands import register_all
from .commands.common import (
    console,
    database_location,
    emit_json,
    err,
    fail,
    fmt,
    opened,
    outcome,
    parse_since,
    plain,
    print_rejected,
    progress_bar,
    state,
    styled,
)

app = typer.Typer(
    help="storyline: ingest news, cluster it into events and storylines, write cited briefs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
feeds_app = typer.Typer(help="Manage the feed list.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")

@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="STORYLINE_DB",
                     help="Database file (default: user data dir), or a postgresql:// URL."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    state.db_path = database_location(db) if db else config.default_db_path()
    state.db_given = db is not None
    state.quiet = quiet


# -- setup ---------------------------------------------------------------------------------
@app.command()
def init(
    no_feeds: Annotated[
        bool, typer.Option("--no-feeds", help="Do not load the default feed list.")
    ] = False,
) -> None:
    """Create the database and an editable feed list, and load the feeds into the database."""
    from .ingest.feedlist import FeedListError, default_feed_list_path, load_feed_list

    with opened() as store:
        added = 0
        if not no_feeds:
            path = config.user_feed_list()
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                default_list = default_feed_list_path().read_text(encoding="utf-8")
                path.write_text(default_list, encoding="utf-8")
            try:
                sources = load_feed_list(path)
            except FeedListError as exc:
                fail(str(exc))
            for source in sources:
                store.upsert_source(source)
                added += 1
            console.print(
                f"feed list: {path} ({added} feeds; edit it, then `storyline init` again)"
            )
        console.print(f"database: {store.path} (schema v{store.stats()['schema_version']})")


# -- ingest --------------------------------------------------------------------------------
@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="JSONL or CSV files.")],
    ingest_only: Annotated[
        bool, typer.Option("--ingest-only", help="Store only; `storyline process` later.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Ingest article files (JSONL/CSV with id, url, title, text, date, lang, source)."""
    from .pipeline import STAGES, Pipeline

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    with opened() as store, progress_bar() as progress:
        pipeline = Pipeline(store, stages=() if ingest_only else STAGES, progress=progress)
        summary = pipeline.ingest_paths(paths)
    _print_summary(summary, as_json)
    raise typer.Exit(outcome(summary.rows, summary.rejected))


def _print_summary(summary: Any, as_json: bool) -> None:
    if as_json:
        emit_json(summary.as_dict())
        return
    print_rejected(summary.errors)
    for line in summary.warnings[:20]:
        err.print(styled(f"warning {line}", "dim"), highlight=False)
    console.print(
        f"ingested {summary.ingested} / duplicates {summary.duplicates} / near-duplicates "
        f"{summary.near_duplicates} / rejected {summary.rejected}"
        + (f" (already stored: {summary.already_stored})" if summary.already_stored else "")
        + (f" — clustered {summary.clustered} into {summary.events_created} new events"
           if summary.clustered else "")
    )


@app.command()
def process(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Run the analysis stages over whatever is pending: cluster articles into events, code
    who-did-what-to-whom, link storylines, write briefs, raise alerts (after `ingest
    --ingest-only` or an interrupted run)."""
    from .pipeline import Pipeline

    with opened(create=False) as store, progress_bar() as progress:
        report = Pipeline(store, progress=progress).analyse()
    if as_json:
        emit_json(report)
        return
    console.print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in report.items()))


# -- feeds ---------------------------------------------------------------------------------
@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Annotated[str | None, typer.Option(help="Display name (default: the host).")] = None,
    lang: Annotated[str | None, typer.Option(help="Language code of the feed.")] = None,
    no_pages: Annotated[
        bool, typer.Option("--no-pages", help="Never fetch full pages for teaser items.")
    ] = False,
) -> None:
    """Add a feed (RSS or Atom URL)."""
    from urllib.parse import urlsplit

    from .model import Source
    from .netguard import BlockedURL, check_saved_url

    try:
        check_saved_url(url)
    except BlockedURL as exc:
        fail(f"feed refused: {exc}")
    parts = urlsplit(url)
    with opened() as store:
        src = store.upsert_source(
            Source(name=name or parts.hostname, url=url, lang=lang, fetch_pages=not no_pages)
        )
    console.print(f"added feed {src.name}: {src.url}")


@feeds_app.command("list")
def feeds_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List feeds with their health (last success, last error, consecutive failures)."""
    with opened() as store:
        sources = store.sources()
    if as_json:
        emit_json(sources)
        return
    table = Table("name", "lang", "url", "last success", "failures", "last error")
    for s in sources:
        table.add_row(
            s.name, s.lang or "", s.url or "", fmt(s.last_success),
            str(s.consecutive_failures), (s.last_error or "")[:60],
        )
    console.print(table)


@feeds_app.command("remove")
def feeds_remove(name_or_url: str) -> None:
    """Remove a feed (its articles stay)."""
    with opened(create=False) as store:
        if not store.remove_source(name_or_url):
            fail(f"no feed named {name_or_url!r}")
    console.print(f"removed {name_or_url}")


@app.command()
def fetch(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    delay: Annotated[float, typer.Option(help="Seconds between requests to one host.")] = 1.0,
) -> None:
    """Fetch every feed once: new items are ingested, de-duplicated and clustered."""
    from .fetching import fetch_all

    with opened() as store, progress_bar() as progress:
        if not store.sources(kind="feed"):
            fail("no feeds to fetch: add one with `storyline feeds add URL` or `storyline init`")
        report = fetch_all(store, delay_s=delay, progress=progress)
    code = outcome(len(report["sources"]), report["errors"])
    if as_json:
        emit_json(report)
        raise typer.Exit(code)
    for row in report["sources"]:
        status = (styled("error", "red", f" {row['error']}") if row["status"] == "error"
                  else styled(row["status"], ""))
        line = styled(f"{row['source']}: ", "") + status + styled(f" — {row['new']} new", "")
        console.print(line, highlight=False)
    console.print(
        f"{len(report['sources'])} feeds, {report['ingested']} new articles, "
        f"{report['errors']} failing feeds"
    )
    raise typer.Exit(code)


@app.command()
def watch(
    every: Annotated[str, typer.Option(help="Interval, e.g. 15m, 1h, 90s.")] = "15m",
    times: Annotated[int, typer.Option(help="Stop after this many passes (0 = forever).")] = 0,
) -> None:
    """Fetch all feeds every interval until interrupted (Ctrl-C)."""
    from .fetching import fetch_all

    seconds = _interval(every)
    passes = 0
    try:
        while True:
            with opened() as store:
                report = fetch_all(store)
            passes += 1
            console.print(
                f"{datetime.now().strftime('%H:%M:%S')} pass {passes}: "
                f"{report['ingested']} new articles, {report['errors']} failing feeds"
            )
            if times and passes >= times:
                return
            time.sleep(seconds)
    except KeyboardInterrupt:
        console.print("stopped")


def _interval(value: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        if value[-1] in units:
            seconds = float(value[:-1]) * units[value[-1]]
        else:
            seconds = float(value)
    except (ValueError, IndexError):
        fail(f"--every {value!r}: use a number with s, m or h (e.g. 15m)")
    if seconds < 10:
        fail("--every must be at least 10s (be polite to the feeds)")
    return seconds


# -- read ----------------------------------------------------------------------------------
@app.command()
def search(
    query: str,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    lang: Annotated[str | None, typer.Option(help="Only this language.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Full-text search over titles and texts, in every language: an actor's name also finds
    its other spellings (Lukashenko, Лукашенко, Лукашэнка) and the reports coded with it, and
    common domain words their equivalents (sanctions, санкции, санкції, санкцыі)."""
    from .store.query import parse

    with opened(create=False) as store:
        hits = store.search(query, limit=limit, lang=lang)
    if as_json:
        emit_json([
            {"id": h.article.id, "title": h.article.title, "source": h.article.source,
             "published": h.article.published, "lang": h.article.lang, "url": h.article.url,
             "event_id": h.article.event_id, "snippet": h.snippet, "score": round(h.score, 3),
             "matched": h.matched}
            for h in hits
        ])
        return
    for line in parse(query).explain():
        console.print(styled(line, "dim"), highlight=False)
    if not hits:
        console.print("no matches")
    for h in hits:
        a = h.article
        head = f" {fmt(a.published)} {a.source or ''} — {a.title}"
        console.print(styled(str(a.id), "bold", head), highlight=False)
        console.print(f"    {h.snippet}", highlight=False)
        if h.matched:
            console.print(f"    matched: {'; '.join(h.matched)}", highlight=False)


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts: articles, duplicates, sources, events, languages."""
    with opened(create=False) as store:
        numbers = store.stats()
    if as_json:
        emit_json(numbers)
        return
    for key, value in numbers.items():
        console.print(f"{key:>16}: {value}", highlight=False)


@app.command()
def events(
    since: Annotated[str | None, typer.Option(help="ISO date or age (7d).")] = None,
    min_sources: Annotated[int, typer.Option(help="At least this many distinct outlets.")] = 0,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Events, most recently active first. An age (--since 7d) counts back from the newest
    report when the store's data is older than now."""
    from .commands.common import newest_report

    with opened(create=False) as store:
        start = parse_since(since, newest_report(store)) if since else None
        rows = store.events(since=start, min_sources=min_sources, limit=limit)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "last seen", "articles", "sources", "langs", "label")
    for e in rows:
        table.add_row(str(e.id), fmt(e.last_seen), str(e.article_count), str(len(e.sources)),
                      ",".join(e.languages), e.label[:90])
    console.print(table)


@app.command()
def event(event_id: int, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One event with its articles."""
    with opened(create=False) as store:
        ev = store.event(event_id)
        if ev is None or ev.article_count == 0:
            fail(f"no event {event_id}")
        members = store.articles(event_id=event_id)
    ev.state = {}
    if as_json:
        emit_json({**plain(ev), "articles": [
            {"id": a.id, "title": a.title, "source": a.source, "published": a.published,
             "lang": a.lang, "url": a.url, "duplicate_of": a.duplicate_of} for a in members
        ]})
        return
    console.print(styled(ev.label, "bold"), highlight=False)
    console.print(f"event {ev.id}: {ev.article_count} articles, {len(ev.sources)} sources, "
                  f"{fmt(ev.first_seen)} → {fmt(ev.last_seen)}, languages {','.join(ev.languages)}")
    for a in members:
        dup = f" (copy of {a.duplicate_of})" if a.duplicate_of else ""
        console.print(f"  {a.id} {fmt(a.published)} [{a.lang}] {a.source or ''}: {a.title}{dup}",
                      highlight=False, markup=False)


@app.command()
def demo(
    workspace: Annotated[
        Path | None, typer.Option(help="Folder for the demo database (default: ./storyline-demo).")
    ] = None,
) -> None:
    """Build a fresh workspace from the packaged demo corpus and run every stage (the database
    is the workspace's storyline.db, or the empty database --db names)."""
    from .demo import build_workspace, report
    from .store import StoreError

    folder = workspace or Path("storyline-demo")
    database = state.db_path if state.db_given else None
    console.print(styled("storyline demo", "bold", f" — building {folder}/ from the demo corpus"))
    try:
        with progress_bar() as progress:
            store, summary = build_workspace(folder, database=database, progress=progress)
    except StoreError as exc:
        fail(str(exc))
    report(store, summary, folder, console)


register_all(app)

if __name__ == "__main__":  # pragma: no cover
    app()
