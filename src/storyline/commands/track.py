"""Tracked storylines: ``track TITLE`` (define one, gather its events, write its brief),
``tracked`` (list them) and ``untrack ID``.

A tracked storyline is an analyst's own storyline (:mod:`storyline.cluster.tracked`): events
of the automatic storylines whose coded records involve its actors and whose reports use its
terms, or that belong to the storylines it takes events from. Its id (``t1``, ``t2``, ...)
works wherever a storyline id does: ``storyline t1``, ``brief t1``, ``/storylines/t1``, the
API and its Atom feed. Every analysis (``ingest``, ``fetch``, ``process``) gathers new events
into it and writes a new brief version when its events changed.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import EXIT_USAGE, console, emit_json, fail, fmt, opened, styled


def track_cmd(
    title: Annotated[str, typer.Argument(help="The storyline's title, in your words.")],
    actors: Annotated[list[str] | None, typer.Option(
        "--actors", "-a", help="Actors, comma-separated: ids or names (RUS,BLR; "
        "PERSON:putin). Compared by country; a government's official list counts for it.")
    ] = None,
    terms: Annotated[list[str] | None, typer.Option(
        "--terms", "-t", help="Word beginnings, comma-separated, any language "
        "(\"unfriendly,недружеств\"); matched case-insensitively in titles and texts.")] = None,
    from_storylines: Annotated[list[str] | None, typer.Option(
        "--from", help="Automatic storylines whose events all belong to it (sl3,sl4).")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Define a tracked storyline: gather the matching events of the automatic storylines into
    it now and at every analysis, each with its score and reasons, and write its brief."""
    from ..cluster.tracked import MATCH, TrackedError, create_tracked

    with opened(create=False) as store:
        try:
            made = create_tracked(store, title, actors=actors or [], terms=terms or [],
                                  from_storylines=from_storylines or [])
        except TrackedError as exc:
            fail(str(exc), code=EXIT_USAGE)
        links = store.storyline_links(made["id"])
    developments = sum(1 for link in links if link["score"] >= MATCH
                       and link["reasons"].get("relation") != "related")
    if as_json:
        emit_json({**made, "developments": developments, "related": len(links) - developments,
                   "url": f"/storylines/{made['id']}"})
        return
    console.print(styled(made["id"], "bold", f" {made['title']}"), highlight=False)
    console.print(f"gathered {len(links)} events ({developments} developments, "
                  f"{len(links) - developments} related coverage)"
                  + (f"; brief version {made['brief_version']}" if made["brief_version"]
                     else "; no brief yet (no events)"), highlight=False)
    console.print(f"next: storyline storyline {made['id']} · storyline brief {made['id']}",
                  highlight=False)


def _row(t: dict[str, Any], store: Any) -> dict[str, Any]:
    s = store.storyline(t["id"])
    brief = store.brief_version(t["id"])
    return {**t, "lifecycle": s.lifecycle if s else None,
            "articles": s.article_count if s else 0,
            "last_seen": s.last_seen if s else None,
            "brief_version": brief.version if brief else None}


def tracked_cmd(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Tracked storylines: their definitions, events gathered and latest brief version."""
    with opened(create=False) as store:
        rows = [_row(t, store) for t in store.tracked_storylines()]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print("no tracked storylines — define one with `storyline track TITLE "
                      "--actors … --terms …`", highlight=False)
        return
    for r in rows:
        console.print(styled(r["id"], "bold", f" {r['title']}"), highlight=False)
        parts = [f"actors {', '.join(r['actors'])}" if r["actors"] else "",
                 f"terms {', '.join(r['terms'])}" if r["terms"] else "",
                 f"from {', '.join(r['from_storylines'])}" if r["from_storylines"] else ""]
        console.print("    " + " · ".join(p for p in parts if p), highlight=False)
        console.print(f"    {r['events']} events, {r['articles']} articles · {r['lifecycle']} · "
                      f"last seen {fmt(r['last_seen'])} · brief "
                      f"{'v' + str(r['brief_version']) if r['brief_version'] else '—'}",
                      highlight=False)


def untrack_cmd(
    tracked_id: Annotated[str, typer.Argument(help="Tracked storyline id, e.g. t1.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stop tracking a storyline: its definition, links and briefs go; its events stay in
    their automatic storylines."""
    from ..store.sqlite import is_tracked_id

    if not is_tracked_id(tracked_id):
        fail(f"{tracked_id!r} is not a tracked storyline id (t1, t2, …); automatic storylines "
             "cannot be untracked", code=EXIT_USAGE)
    with opened(create=False) as store:
        if not store.remove_tracked(tracked_id):
            fail(f"no tracked storyline {tracked_id!r} — see `storyline tracked`")
    if as_json:
        emit_json({"id": tracked_id, "removed": True})
        return
    console.print(f"untracked {tracked_id}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``track``, ``tracked`` and ``untrack`` to the ``storyline`` command."""
    app.command("track")(track_cmd)
    app.command("tracked")(tracked_cmd)
    app.command("untrack")(untrack_cmd)


__all__ = ["register"]
