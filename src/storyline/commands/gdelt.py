"""``storyline gdelt``: import GDELT event exports as who-did-what-to-whom records.

A thin face over :mod:`storyline.ingest.gdelt`. With ``--fetch-pages`` the reports behind the
imported events (their ``SOURCEURL``s, most mentioned first) are then fetched and go through the
whole pipeline — de-duplication, events, storylines, briefs — and the records are linked to them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import (
    console,
    emit_json,
    err,
    fail,
    opened,
    print_rejected,
    progress_bar,
    styled,
)


def gdelt(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="GDELT event exports (.export.CSV or .zip; 1.0 or 2.0; or a BigQuery CSV with "
             "a header row).")] = None,
    latest: Annotated[bool, typer.Option(
        "--latest", help="Download GDELT 2.0's newest 15-minute event export (network) and "
                         "import it; run it every 15 minutes to follow GDELT.")] = False,
    update_url: Annotated[str, typer.Option(
        help="With --latest: the list of newest files.")] = "",
    root_only: Annotated[bool, typer.Option(
        "--root-only", help="Keep only GDELT's root events (main-clause events).")] = False,
    min_mentions: Annotated[int, typer.Option(
        min=0, help="Skip events mentioned fewer times than this.")] = 0,
    fetch_pages: Annotated[bool, typer.Option(
        "--fetch-pages", help="Fetch the reports behind the events first (network: the "
                              "exports' source URLs) and run them through the pipeline.")] = False,
    max_pages: Annotated[int, typer.Option(
        min=1, help="With --fetch-pages: at most this many pages, most mentioned first.")] = 200,
    delay: Annotated[float, typer.Option(help="Seconds between requests to one host.")] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import GDELT event exports: CAMEO events become PLOVER records between our actor ids
    (relations, coordination, actor pages and watches then include them); importing a file
    twice adds nothing."""
    from .. import config
    from ..ingest import gdelt as g

    paths = list(paths or [])
    if not paths and not latest:
        fail("give GDELT export files, or --latest to download the newest one")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    report: dict = {}
    if latest:
        from ..ingest.http import PoliteClient

        with PoliteClient(delay_s=delay, max_bytes=g.MAX_EXPORT_BYTES) as client:
            got, problem = g.fetch_latest(client, config.data_dir() / "gdelt",
                                          update_url or g.LATEST_URL)
        if got is None:
            fail(f"--latest: {problem}")
        report["latest"] = str(got)
        paths.append(got)
    with opened() as store, progress_bar() as progress:
        summary = g.import_exports(store, paths, root_only=root_only, min_mentions=min_mentions,
                                   progress=progress)
        if summary.added:  # watches on these actors and pairs hear of the new records now
            from ..alerts import check

            report["alerts"] = len(check(store))
        if fetch_pages:
            from ..ingest.http import PoliteClient
            from ..pipeline import Pipeline

            urls = summary.top_urls(max_pages)
            with PoliteClient(delay_s=delay) as client:
                articles, warnings = g.fetch_reports(store, urls, client, progress)
            ingested = Pipeline(store, progress=progress).ingest_articles(articles)
            summary.linked += g.attach_articles(store, summary.keys_by_url)
            report["pages"] = {"urls": len(urls), "fetched": len(articles),
                               "failed": len(warnings), "warnings": warnings[:100],
                               "ingested": ingested.ingested,
                               "duplicates": ingested.duplicates + ingested.near_duplicates}
    report.update(summary.as_dict())
    if as_json:
        emit_json(report)
        return
    print_rejected(summary.errors, "lines")
    if "latest" in report:
        console.print(f"newest GDELT export: {report['latest']}", highlight=False)
    if "pages" in report:
        pages = report["pages"]
        for line in pages["warnings"][:20]:
            err.print(styled(f"page not used: {line}", "dim"), highlight=False)
        console.print(f"pages: {pages['fetched']} of {pages['urls']} fetched, "
                      f"{pages['ingested']} new articles", highlight=False)
    skipped = ", ".join(f"{n} {why}" for why, n in summary.skipped.most_common())
    console.print(
        f"rows {summary.rows} / records added {summary.added} / already stored "
        f"{summary.already_stored} / rejected {len(summary.errors)}"
        + (f" / skipped: {skipped}" if skipped else "")
        + f" — {summary.linked} linked to stored articles", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("gdelt")(gdelt)
