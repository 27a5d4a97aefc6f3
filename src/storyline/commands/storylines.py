"""Storyline commands: ``storylines`` (list), ``storyline ID`` (one, with its events and why
each belongs) and ``timeline ID`` (its dated key developments, each sentence citing its article).

A merged-away id still works: it resolves to the storyline it was merged into, and says so.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from ..cluster.tracked import gathered_why
from ..model import Storyline
from ..store import Store
from .common import console, emit_json, err, fail, fmt, opened, styled

#: Events listed by ``storyline ID`` unless ``--limit`` says otherwise.
EVENT_LIMIT = 200


def resolve(store: Store, storyline_id: str) -> tuple[Storyline, str | None]:
    """The storyline ``storyline_id`` names, following ``merged_into``; and the id it was
    reached from when that differs (so the faces can say "sl7 was merged into sl3")."""
    seen: list[str] = []
    current = storyline_id
    while current not in seen:
        seen.append(current)
        s = store.storyline(current)
        if s is None:
            break
        target = s.state.get("merged_into")
        if not target:
            return s, (storyline_id if current != storyline_id else None)
        current = target
    fail(f"no storyline {storyline_id}")
    raise AssertionError  # fail() exits; this keeps type checkers quiet


def summary_row(s: Storyline) -> dict[str, Any]:
    """What the listing shows of a storyline (and what ``--json`` prints)."""
    return {
        "id": s.id, "title": s.title, "label": s.label, "lifecycle": s.lifecycle,
        "momentum": round(s.momentum, 3), "events": s.event_count, "articles": s.article_count,
        "first_seen": s.first_seen, "last_seen": s.last_seen,
    }


def storylines_cmd(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
    min_events: Annotated[int, typer.Option(help="At least this many events.")] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Storylines, strongest momentum first, then the most recently active."""
    with opened(create=False) as store:
        rows = [summary_row(s) for s in store.storylines(limit=limit, min_events=min_events)]
    if as_json:
        emit_json(rows)
        return
    # A narrow terminal leaves the label out and shortens headers and dates, for the title;
    # ids, states, numbers and dates never wrap.
    wide = console.width >= 120
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    heads = (("id", "id"), ("lifecycle", "lifecycle"), ("momentum", "mom."), ("events", "ev."),
             ("articles", "art."), ("last seen", "last seen"))
    for name, short in heads:
        table.add_column(name if wide else short, no_wrap=True,
                         justify="right" if name in NUMBERS else "left")
    if wide:
        table.add_column("label")
    table.add_column("title")
    for r in rows:
        seen = fmt(r["last_seen"]) if wide else fmt(r["last_seen"])[:10]
        cells = [r["id"], r["lifecycle"], f"{r['momentum']:.2f}", str(r["events"]),
                 str(r["articles"]), seen]
        table.add_row(*cells, *([_clip(r["label"], 40)] if wide else []), _clip(r["title"], 90))
    console.print(table)


NUMBERS = ("momentum", "events", "articles")


def _clip(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= n:
        return text
    return text[: n - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def storyline_cmd(
    storyline_id: Annotated[str, typer.Argument(help="Storyline id, e.g. sl3.")],
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many events.")] = EVENT_LIMIT,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One storyline with its events, oldest first, and why each was linked."""
    with opened(create=False) as store:
        s, via = resolve(store, storyline_id)
        events = {e.id: e for e in store.events(storyline_id=s.id)}
        links = store.storyline_links(s.id)[:limit]
    rows = []
    for link in links:
        e = events.get(link["event_id"])
        if e is None:
            continue
        rows.append({"id": e.id, "label": e.label, "first_seen": e.first_seen,
                     "last_seen": e.last_seen, "articles": e.article_count,
                     "sources": len(e.sources), "score": round(link["score"], 4),
                     "reasons": link["reasons"]})
    if as_json:
        emit_json({**summary_row(s), "merged_from": via, "events": rows})
        return
    if via:
        err.print(f"{via} was merged into {s.id}", highlight=False)
    _print_header(s)
    for r in rows:
        console.print(f"  {r['id']:>6} {fmt(r['first_seen'])} {r['articles']:>3} art  "
                      f"{_why(r['reasons'])}", highlight=False, markup=False)
        console.print(f"         {r['label'][:100]}", highlight=False, markup=False)


def timeline_cmd(
    storyline_id: Annotated[str, typer.Argument(help="Storyline id, e.g. sl3.")],
    dates: Annotated[int, typer.Option(min=1, help="Key days to show.")] = 10,
    per_date: Annotated[int, typer.Option(min=1, help="Sentences per day.")] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Dated key developments of a storyline; each sentence with the article it comes from."""
    from ..timeline import TimelineBuilder

    with opened(create=False) as store:
        s, via = resolve(store, storyline_id)
        articles = [a for e in store.events(storyline_id=s.id)
                    for a in store.articles(event_id=e.id, originals_only=True)]
    entries = TimelineBuilder().build(articles, n_dates=dates, sentences_per_date=per_date,
                                      query=f"{s.title} {s.label.replace(',', ' ')}")
    out = [{"date": entry.date.isoformat(),
            "sentences": [{"text": x.text, "article_id": x.article_id} for x in entry.sentences]}
           for entry in entries]
    if as_json:
        emit_json({"id": s.id, "title": s.title, "label": s.label, "merged_from": via,
                   "timeline": out})
        return
    if via:
        err.print(f"{via} was merged into {s.id}", highlight=False)
    _print_header(s)
    if not out:
        console.print("no dated sentences yet")
    for entry in out:
        for x in entry["sentences"]:
            console.print(f"  {entry['date']}  {x['text']}  [article {x['article_id']}]",
                          highlight=False, markup=False)


def _print_header(s: Storyline) -> None:
    console.print(styled(s.title, "bold"), highlight=False)
    console.print(f"{s.id} · {s.label} · {s.lifecycle} · momentum {s.momentum:.2f} · "
                  f"{s.event_count} events, {s.article_count} articles · "
                  f"{fmt(s.first_seen)} → {fmt(s.last_seen)}", highlight=False, markup=False)


def _why(reasons: dict[str, Any]) -> str:
    """One line of link reasons: the score parts and the strongest shared names."""
    if reasons.get("promoted_from_related"):
        return f"started the storyline (first filed as related coverage of " \
               f"{reasons['promoted_from_related']})"
    if reasons.get("new_storyline"):
        return "started the storyline"
    if "split_from" in reasons:
        return f"split off from {reasons['split_from']}"
    parts = [f"{k} {reasons[k]:.2f}" for k in ("score", "terms", "entities", "embedding")
             if isinstance(reasons.get(k), (int, float))]
    if reasons.get("relation") == "related":
        parts.insert(0, "related coverage")
    parts += gathered_why(reasons)  # a tracked storyline's reference or listed states
    shared = reasons.get("shared_entities") or reasons.get("shared_terms") or []
    return " · ".join(parts) + (f" · shared: {', '.join(shared[:5])}" if shared else "")


def register(app: typer.Typer) -> None:
    """Add ``storylines``, ``storyline`` and ``timeline`` to the ``storyline`` command."""
    app.command("storylines")(storylines_cmd)
    app.command("storyline")(storyline_cmd)
    app.command("timeline")(timeline_cmd)


__all__ = ["register", "resolve", "summary_row"]
