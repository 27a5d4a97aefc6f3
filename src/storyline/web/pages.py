"""HTML pages: home, storyline, event, article, actors, search, sources, login.

Each route gathers what its template shows with a few store queries (never one per row) and
renders it; all text from articles reaches the page through autoescaped templates. Pages for
stages that have not produced anything yet say so and name the command that fills them.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from ..store.query import parse
from . import briefs, charts
from .app import event_with_articles, render, settings_of, store_of
from .security import TOKEN_COOKIE, token_from_headers, verify_token

log = logging.getLogger(__name__)


def read_access(request: Request) -> None:
    """Pages are open unless the server was started with reads needing a token."""
    if not settings_of(request).read_token_required:
        return
    token = token_from_headers(request.headers, request.cookies)
    if not verify_token(store_of(request), token):
        raise HTTPException(401, "Token required: log in at /login")


router = APIRouter(include_in_schema=False)
pages = APIRouter(include_in_schema=False, dependencies=[Depends(read_access)])

PAGE = 50
#: Ids are 64-bit integers in the stores: a larger one is a 422, not a database error.
Id = Annotated[int, Path(ge=0, le=2**63 - 1)]


# -- home ----------------------------------------------------------------------------------------
@pages.get("/")
def home(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    """Active storylines (breaking, developing, sustained) by momentum, then the fading ones
    under their own heading; each with its lifecycle, new events and distinct sources. "New"
    is relative to the newest report in the store, which may be older than today."""
    store = store_of(request)
    offset = (page - 1) * PAGE
    active = store.storyline_page(limit=PAGE + 1, offset=offset, active=True)
    others = store.storyline_page(limit=PAGE + 1, offset=offset, active=False)
    more = len(active) > PAGE or len(others) > PAGE
    active, others = active[:PAGE], others[:PAGE]
    rows = active + others
    latest = store.latest_published() or max(
        (r["last_seen"] for r in rows if r["last_seen"]), default=None)
    since = latest - timedelta(days=7) if latest else None
    ids = [r["id"] for r in rows]
    activity = store.storyline_activity(ids, since)
    volume = store.storyline_event_days(ids)
    for r in rows:
        r.update(activity.get(r["id"], {}))
        r["spark"] = charts.sparkline(volume.get(r["id"], []))
    events = [] if rows else store.events(limit=20)
    return render(request, "home.html", storylines=active, others=others, page=page, more=more,
                  since=since, latest=latest, recent_events=events)


# -- storyline -----------------------------------------------------------------------------------
@pages.get("/storylines/{storyline_id}")
def storyline_page(
    request: Request, storyline_id: str,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    """Latest (or chosen) brief with citations, version history and diff, timeline, events,
    key actors and charts."""
    store = store_of(request)
    story = store.storyline(storyline_id)
    if story is None:
        raise HTTPException(404, f"No storyline {storyline_id!r}")
    return render(request, "storyline.html", **storyline_context(store, story, version))


def storyline_context(store: Any, story: Any, version: int | None) -> dict[str, Any]:
    """Everything the storyline template shows."""
    sid = story.id
    brief = store.brief_version(sid, version)
    if version is not None and brief is None:
        raise HTTPException(404, f"No version {version} of this brief")
    headers = store.brief_headers(sid)
    body = brief.body if brief else {}
    previous = None
    if brief and brief.version > 1:
        prev = store.brief_version(sid, brief.version - 1)
        previous = prev.body if prev else None
    new_since = body.get("new_since") or {}
    new_ids = [int(i) for i in new_since.get("event_ids") or [] if str(i).isdigit()]
    events = store.events(storyline_id=sid, limit=300)
    links = {link["event_id"]: link for link in store.storyline_links(sid)}
    known = {e.id for e in events}
    labels = store.event_labels([i for i in new_ids if i not in known])
    by_id = {e.id: e for e in events}
    new_events = [
        {"id": i, "label": by_id[i].label if i in by_id else labels.get(i, {}).get("label", "")}
        for i in new_ids
    ]
    counts = store.storyline_actor_counts(sid)
    key_actors = body.get("key_actors") or counts["actors"]
    pair = counts["pairs"][0] if counts["pairs"] else None
    relation: Any = ""
    if pair:  # compared by country, as ``storyline relations`` does
        key = _actor_key("country")
        relation = charts.relation_chart(
            store.pair_series(pair["a"], pair["b"], storyline_id=sid),
            title=f"{key(pair['a'])} and {key(pair['b'])}")
    timeline = sorted(events, key=lambda e: (e.first_seen or datetime.min.replace(tzinfo=UTC),
                                             e.id or 0))
    return {
        "story": story,
        "brief": brief,
        "body": body,
        "cites": briefs.sources_by_number(body),
        "headers": headers,
        "diff": briefs.diff(body, previous) if previous is not None else None,
        "new_events": new_events,
        "new_ids": set(new_ids),
        "events": events,
        "links": links,
        "timeline": timeline,
        "stored_timeline": (story.state or {}).get("timeline") or [],
        "key_actors": key_actors,
        "pairs": counts["pairs"],
        "pair": pair,
        "relation_chart": relation,
        "volume_chart": charts.volume_chart(store.storyline_article_days(sid)),
        "page_data": {"storyline_id": sid, "title": story.title,
                      "version": brief.version if brief else None},
        "tracked": store.tracked_storyline(sid) if _is_tracked(sid) else None,
    }


def _is_tracked(storyline_id: str) -> bool:
    from ..store.sqlite import is_tracked_id

    return is_tracked_id(storyline_id)


# -- event and article ---------------------------------------------------------------------------
@pages.get("/events/{event_id}")
def event_page(request: Request, event_id: Id) -> Response:
    """An event: its articles (copies grouped under their original) and coded actions."""
    store = store_of(request)
    event, members = event_with_articles(request, event_id)
    originals = [a for a in members if a.duplicate_of is None]
    copies: dict[int, list[Any]] = {}
    for a in members:
        if a.duplicate_of is not None:
            copies.setdefault(a.duplicate_of, []).append(a)
    story = store.storyline(event.storyline_id) if event.storyline_id else None
    records = store.event_records(event_id=event_id, limit=200)
    return render(request, "event.html", event=event, originals=originals, copies=copies,
                  story=story, records=records)


@pages.get("/articles/{article_id}")
def article_page(request: Request, article_id: Id) -> Response:
    """An article with its exact and near duplicates (or the original it copies)."""
    store = store_of(request)
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"No article {article_id}")
    original = store.article(article.duplicate_of) if article.duplicate_of else None
    copies = store.duplicates_of(article_id)
    event = store.event(article.event_id) if article.event_id else None
    records = store.event_records(article_ids=[article_id], limit=100)
    paragraphs = [p.strip() for p in (article.text or "").split("\n") if p.strip()]
    return render(request, "article.html", article=article, original=original, copies=copies,
                  event=event, records=records, paragraphs=paragraphs)


# -- actors --------------------------------------------------------------------------------------
@pages.get("/actors")
def actors_page(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    store = store_of(request)
    rows = store.actor_table(limit=PAGE + 1, offset=(page - 1) * PAGE)
    names = actor_names([r["id"] for r in rows])
    return render(request, "actors.html", actors=rows[:PAGE], names=names, page=page,
                  more=len(rows) > PAGE)


@pages.get("/actors/{actor_id}")
def actor_page(
    request: Request, actor_id: str,
    with_: Annotated[str | None, Query(alias="with", max_length=100)] = None,
    on: Annotated[date | None, Query()] = None,
) -> Response:
    """An actor: partners, cooperation/conflict over time, coordination, list memberships."""
    if on is not None and not 1 < on.year < 9999:  # the coordination window spans 60 days
        raise HTTPException(400, "dates must lie between the years 2 and 9998")
    store = store_of(request)
    partners = store.actor_partners(actor_id, limit=20)
    partner = with_ or (partners[0]["id"] if partners else None)
    # A country's page covers its government and people too (as `storyline relations` does);
    # any other actor's page covers that actor alone.
    by = "country" if _actor_key("country")(actor_id) == actor_id else "actor"
    key = _actor_key(by)
    overall = store.pair_series(actor_id, by=by)
    pair_rows = store.pair_series(actor_id, partner, by=by) if partner else []
    records = store.latest_records(actors=[actor_id], limit=30)
    day = on or (records[0].date.date() if records and records[0].date else date.today())
    names = actor_names([actor_id, *(p["id"] for p in partners)])
    return render(
        request, "actor.html", actor_id=actor_id, name=names.get(actor_id, actor_id),
        names=names, partners=partners, partner=partner, records=records,
        overall_chart=charts.relation_chart(overall, title=f"{actor_id} with anyone"),
        pair_chart=charts.relation_chart(
            pair_rows, title=f"{key(actor_id)} and {key(partner) if partner else ''}"),
        lists=list_memberships(actor_id, day), on=day,
        coordination=coordination(store, actor_id, day),
    )


def _actor_key(by: str) -> Any:
    """``events.relations.actor_key``; the raw id when the gazetteer cannot be loaded."""
    try:
        from ..events.relations import actor_key

        return actor_key(by)
    except Exception:  # a broken gazetteer must not take pages down
        log.warning("actor keys unavailable", exc_info=True)
        return lambda actor_id: actor_id


def actor_names(ids: list[str]) -> dict[str, str]:
    """Display names from the actors gazetteer when it is installed; ids otherwise."""
    try:
        from ..actors.gazetteer import Gazetteer
    except ImportError:
        return {}
    try:
        gaz = Gazetteer.load()
    except Exception:  # a broken gazetteer must not take pages down
        return {}
    out = {}
    for actor_id in ids:
        actor = gaz.get(actor_id)
        if actor is not None:
            out[actor_id] = actor.name
    return out


def list_memberships(actor_id: str, on: date) -> list[dict[str, Any]]:
    """Official lists holding the actor on a date (or, for a list id, its members)."""
    try:
        from ..actors.lists import LIST_PREFIX, OfficialLists
    except ImportError:
        return []
    try:
        lists = OfficialLists.load()
        if actor_id.startswith(LIST_PREFIX):
            entries = lists.entries(actor_id, on)
            return [{"id": e.actor, "name": e.name, "since": e.start, "member": True}
                    for e in entries]
        return [{"id": LIST_PREFIX + lid, "name": lists.lists[lid].name, "member": True}
                for lid in lists.lists_of(actor_id, on)]
    except (KeyError, ValueError):
        return []


def coordination(
    store: Any, actor_id: str, on: date, window_days: int = 60
) -> list[dict[str, Any]]:
    """Actors acting in concert with this one in the ``window_days`` before ``on``
    (``events.relations.coordination`` over the coded records of that window)."""
    try:
        from ..events import relations
    except Exception:  # the relations module is optional for the web face
        return []
    start = datetime.combine(on - timedelta(days=window_days), datetime.min.time(), UTC)
    end = datetime.combine(on + timedelta(days=1), datetime.min.time(), UTC)
    try:
        records = [r for r in store.event_records(since=start, limit=20_000)
                   if r.date is not None and r.date < end]
        found = relations.coordination(records, window_days=14, by="actor")
    except Exception:  # optional panel: never break the page
        log.warning("coordination panel failed for %s", actor_id, exc_info=True)
        return []
    return [{"actor": c.actor_b if c.actor_a == actor_id else c.actor_a,
             "event_type": c.event_type, "targets": c.targets, "start": c.start, "end": c.end,
             "score": c.score}
            for c in found if actor_id in (c.actor_a, c.actor_b)][:20]


# -- search and sources --------------------------------------------------------------------------
def _parse_day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        raise HTTPException(400, "dates must look like 2024-05-01") from None
    if not 1 < day.year < 9999:  # the day after ``to`` must still be a date
        raise HTTPException(400, "dates must lie between the years 2 and 9998")
    return day


def highlight(snippet: str) -> list[tuple[bool, str]]:
    """Split a search snippet into (matched?, text) runs; the template escapes each run."""
    out: list[tuple[bool, str]] = []
    for i, part in enumerate(snippet.split("\x02")):
        if i == 0:
            if part:
                out.append((False, part.replace("\x03", "")))
            continue
        hit, _, rest = part.partition("\x03")
        out.append((True, hit))
        if rest:
            out.append((False, rest))
    return out


@pages.get("/search")
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    lang: Annotated[str | None, Query(max_length=12)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    to: Annotated[str | None, Query(max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=100)] = 1,
) -> Response:
    """Full-text search with date, language and source filters; says what an actor's name or
    a domain word was widened to, and what found each report."""
    hits = []
    if q.strip():
        until = _parse_day(to)
        hits = store_of(request).search_articles(
            q, lang=lang or None, source=source or None, since=_parse_day(from_),
            until=until + timedelta(days=1) if until else None,
            limit=PAGE + 1, offset=(page - 1) * PAGE,
        )
    rows = [{"hit": h, "runs": highlight(h.snippet)} for h in hits[:PAGE]]
    expanded = parse(q).explain() if q.strip() else []
    return render(request, "search.html", q=q, lang=lang or "", source=source or "",
                  from_=from_ or "", to=to or "", rows=rows, page=page, more=len(hits) > PAGE,
                  expanded=expanded)


@pages.get("/sources")
def sources_page(request: Request) -> Response:
    """Feed health: last success, last error, consecutive failures."""
    return render(request, "sources.html", sources=store_of(request).sources())


# -- login (only needed when reads need a token) --------------------------------------------------
@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", failed=False)


@router.post("/login")
async def login(request: Request) -> Response:
    """Exchange a token typed into a form for an HttpOnly, SameSite=Strict cookie."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    store = store_of(request)
    if not verify_token(store, token):
        return render(request, "login.html", status=401, failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=30 * 86400)
    return response


router.include_router(pages)
