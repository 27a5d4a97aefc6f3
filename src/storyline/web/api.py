"""The JSON API under ``/api/v1`` (documented at ``/api/v1/openapi.json``), exports and feeds.

Reads: storylines, events, articles (cursor pagination: ``?since=<last id>``), briefs by version
as JSON/Markdown/HTML, actors, relations, search, sources; CSV/JSON exports; Atom feeds of brief
updates (overall and per storyline) and of alerts (per watch). Writes need a token: add a feed,
trigger a fetch, add/remove watches, run an alert check. Lists are capped (``limit`` ≤ 200,
exports ≤ 10,000 rows per request).
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import asdict, is_dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from .. import alerts as alerts_mod
from ..netguard import BlockedURL, check_saved_url
from ..store.query import parse
from . import atom, briefs
from .app import event_with_articles, render, settings_of, store_of
from .security import token_from_headers, verify_token


# -- access --------------------------------------------------------------------------------------
def read_access(request: Request) -> None:
    """Reads are open unless the server requires a token for them."""
    if settings_of(request).read_token_required:
        write_access(request)


def write_access(request: Request) -> None:
    """Writes always need a live API token (``Authorization: Bearer sl_…``)."""
    token = token_from_headers(request.headers)
    if not verify_token(store_of(request), token):
        raise HTTPException(401, "a valid API token is required (Authorization: Bearer …); "
                                 "create one with `storyline token create`")


router = APIRouter()
reads = APIRouter(dependencies=[Depends(read_access)])
writes = APIRouter(dependencies=[Depends(write_access)])

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (at most 200).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
#: The largest id the stores hold (a 64-bit integer): a larger one is a 422, not a database error.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=0, le=MAX_ID)]


# -- serialisation -------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """Dataclasses, dates and containers as JSON-ready values (UTC times end in ``Z``)."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


class JSON(JSONResponse):
    """JSON with UTF-8 text kept readable and dataclasses/datetimes converted."""

    def render(self, content: Any) -> bytes:
        return json.dumps(plain(content), ensure_ascii=False, separators=(",", ":")).encode()


def _page(request: Request, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """A list page with a link to the next one when this one is full."""
    nxt = None
    if len(items) > limit:
        items = items[:limit]
        params = dict(request.query_params)
        params.update(limit=str(limit), offset=str(offset + limit))
        nxt = f"{request.url.path}?{urlencode(params)}"
    return {"items": items, "next": nxt}


def _storyline_json(s: Any) -> dict[str, Any]:
    d = {k: v for k, v in (asdict(s) if is_dataclass(s) else s).items() if k != "state"}
    d["url"] = f"/storylines/{s.id if is_dataclass(s) else s['id']}"
    return d


def _article_json(a: Any, *, text: bool = False) -> dict[str, Any]:
    d = asdict(a)
    d.pop("meta", None)
    if not text:
        d.pop("text", None)
    return d


def _event_json(e: Any) -> dict[str, Any]:
    d = asdict(e)
    d.pop("state", None)
    return d


# -- storylines and briefs -----------------------------------------------------------------------
@reads.get("/storylines", tags=["storylines"])
def list_storylines(request: Request, limit: Limit = 50, offset: Offset = 0) -> JSON:
    """Storylines by momentum, strongest first, with lifecycle and counts."""
    rows = store_of(request).storyline_page(limit=limit + 1, offset=offset)
    for r in rows:
        r["url"] = f"/storylines/{r['id']}"
    return JSON(_page(request, rows, limit, offset))


def _story_or_404(store: Any, storyline_id: str) -> Any:
    story = store.storyline(storyline_id)
    if story is None:
        raise HTTPException(404, f"no storyline {storyline_id!r}")
    return story


@reads.get("/storylines/{storyline_id}", tags=["storylines"])
def get_storyline(request: Request, storyline_id: str) -> JSON:
    """One storyline, its linked events (with relatedness), and its brief versions."""
    store = store_of(request)
    story = _story_or_404(store, storyline_id)
    return JSON({**_storyline_json(story), "links": store.storyline_links(storyline_id),
                 "briefs": store.brief_headers(storyline_id)})


@reads.get("/storylines/{storyline_id}/events", tags=["storylines"])
def storyline_events(request: Request, storyline_id: str, limit: Limit = 200) -> JSON:
    store = store_of(request)
    _story_or_404(store, storyline_id)
    return JSON({"items": [_event_json(e) for e in
                           store.events(storyline_id=storyline_id, limit=limit)]})


@reads.get("/storylines/{storyline_id}/briefs", tags=["briefs"])
def brief_list(request: Request, storyline_id: str) -> JSON:
    """Every version: number, time, headline, what was new since the previous version."""
    store = store_of(request)
    _story_or_404(store, storyline_id)
    return JSON({"items": store.brief_headers(storyline_id)})


@reads.get("/storylines/{storyline_id}/briefs/{version}.{fmt}", tags=["briefs"])
def brief_export(
    request: Request, storyline_id: str, version: str, fmt: Literal["json", "md", "html"],
    lang: str | None = None,
) -> Response:
    """One version of the brief (``latest`` or a number) as JSON (BRIEF_SCHEMA), Markdown or
    a standalone HTML page. ``?lang=ru`` writes the latest brief now in that language from the
    storyline's current events (not stored; only with ``latest``)."""
    store = store_of(request)
    number = None if version == "latest" else _int(version)
    brief = store.brief_version(storyline_id, number)
    if brief is None:
        raise HTTPException(404, f"no brief version {version} for {storyline_id!r}")
    if lang is not None:
        brief = _brief_in(store, storyline_id, brief, version, lang)
    if fmt == "json":
        return JSON({"storyline_id": brief.storyline_id, "version": brief.version,
                     "created": brief.created, "event_ids": brief.event_ids, "body": brief.body})
    if fmt == "md":
        return Response(briefs.to_markdown(brief.body), media_type="text/markdown; charset=utf-8")
    story = _story_or_404(store, storyline_id)
    return render(request, "brief_export.html", story=story, brief=brief, body=brief.body,
                  cites=briefs.sources_by_number(brief.body),
                  fragment=briefs.html_fragment(brief.body))


def _brief_in(store: Any, storyline_id: str, brief: Any, version: str, lang: str) -> Any:
    """The latest brief written now in ``lang`` (422 for another version or language)."""
    from ..brief.phrases import BRIEF_LANGS
    from ..brief.writer import compose_in

    if lang not in BRIEF_LANGS:
        raise HTTPException(422, f"lang must be one of {', '.join(BRIEF_LANGS)}")
    if version != "latest":
        raise HTTPException(422, "a brief in another language is written from the storyline's "
                                 "current events: ask for version 'latest'")
    body = compose_in(store, _story_or_404(store, storyline_id), lang)
    return replace(brief, body=body)


def _int(value: str) -> int:
    if not value.isdigit() or len(value) > 9:
        raise HTTPException(422, "version must be a number or 'latest'")
    return int(value)


# -- Atom feeds ----------------------------------------------------------------------------------
def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _brief_entries(request: Request, versions: list[Any]) -> list[atom.Entry]:
    base = _base(request)
    out = []
    for v in versions:
        body = v.body or {}
        lead = " ".join(s.get("text", "") for s in (body.get("lead") or [])[:3])
        new = (body.get("new_since") or {}).get("event_ids") or []
        summary = lead + (f" ({len(new)} new events since version {v.version - 1})" if new else "")
        out.append(atom.Entry(
            id=f"urn:storyline:brief:{v.storyline_id}:{v.version}",
            title=f"{body.get('label') or v.storyline_id} v{v.version}: "
                  f"{body.get('headline') or body.get('title') or ''}",
            updated=v.created, link=f"{base}/storylines/{v.storyline_id}?version={v.version}",
            summary=summary,
        ))
    return out


ATOM = "application/atom+xml; charset=utf-8"


@reads.get("/briefs.atom", tags=["feeds"], response_class=Response)
def briefs_feed(request: Request) -> Response:
    """Atom feed of the newest brief versions across all storylines."""
    versions = store_of(request).recent_brief_versions(limit=50)
    base = _base(request)
    return Response(atom.feed("urn:storyline:briefs", "storyline: brief updates",
                              f"{base}{request.url.path}", f"{base}/",
                              _brief_entries(request, versions)), media_type=ATOM)


@reads.get("/storylines/{storyline_id}/briefs.atom", tags=["feeds"], response_class=Response)
def storyline_feed(request: Request, storyline_id: str) -> Response:
    """Atom feed of one storyline's brief versions, newest first."""
    store = store_of(request)
    story = _story_or_404(store, storyline_id)
    versions = sorted(store.brief_versions(storyline_id), key=lambda v: -v.version)[:50]
    base = _base(request)
    return Response(atom.feed(f"urn:storyline:briefs:{storyline_id}",
                              f"storyline: {story.title or storyline_id}",
                              f"{base}{request.url.path}", f"{base}/storylines/{storyline_id}",
                              _brief_entries(request, versions)), media_type=ATOM)


# -- events and articles -------------------------------------------------------------------------
def _since(value: str | None, name: str = "since") -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise HTTPException(422, f"{name} must be an ISO date or time") from None
    if not 1 < parsed.year < 9999:  # in UTC and a day later it must still be a date
        raise HTTPException(422, f"{name} must lie between the years 2 and 9998")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@reads.get("/events", tags=["events"])
def list_events(
    request: Request, limit: Limit = 50,
    since: Annotated[str | None, Query(description="ISO date: last activity at or after")] = None,
    min_sources: Annotated[int, Query(ge=0, le=1000)] = 0,
    storyline: Annotated[str | None, Query(max_length=100)] = None,
) -> JSON:
    """Events, most recently active first."""
    rows = store_of(request).events(since=_since(since), min_sources=min_sources,
                                    storyline_id=storyline, limit=limit)
    return JSON({"items": [_event_json(e) for e in rows]})


@reads.get("/events/{event_id}", tags=["events"])
def get_event(request: Request, event_id: Id) -> JSON:
    """One event with its articles (copies included, marked by ``duplicate_of``)."""
    event, members = event_with_articles(request, event_id)
    return JSON({**_event_json(event), "articles": [_article_json(a) for a in members]})


@reads.get("/articles", tags=["articles"])
def list_articles(
    request: Request, limit: Limit = 100,
    since: Annotated[int, Query(ge=0, le=MAX_ID, description="Cursor: ids greater than this")] = 0,
    originals: Annotated[bool, Query(description="Skip exact and near copies")] = False,
    text: Annotated[bool, Query(description="Include the article text")] = False,
) -> JSON:
    """Articles in id order after a cursor; follow ``next`` until it is null."""
    rows = store_of(request).articles(since_id=since, limit=limit, originals_only=originals)
    nxt = None
    if len(rows) == limit:
        params = dict(request.query_params)
        params.update(since=str(rows[-1].id), limit=str(limit))
        nxt = f"{request.url.path}?{urlencode(params)}"
    return JSON({"items": [_article_json(a, text=text) for a in rows],
                 "next_since": rows[-1].id if rows else since, "next": nxt})


@reads.get("/articles/{article_id}", tags=["articles"])
def get_article(request: Request, article_id: Id) -> JSON:
    """One article with its text and its exact/near duplicates."""
    store = store_of(request)
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return JSON({**_article_json(article, text=True),
                 "duplicates": [_article_json(a) for a in store.duplicates_of(article_id)]})


# -- actors, relations, search, sources ----------------------------------------------------------
@reads.get("/actors", tags=["actors"])
def list_actors(request: Request, limit: Limit = 50, offset: Offset = 0) -> JSON:
    """Actors seen in coded records, most active first."""
    rows = store_of(request).actor_table(limit=limit + 1, offset=offset)
    return JSON(_page(request, rows, limit, offset))


@reads.get("/actors/{actor_id}", tags=["actors"])
def get_actor(
    request: Request, actor_id: str, on: Annotated[date | None, Query()] = None
) -> JSON:
    """An actor's partners (cooperation/conflict counts) and official lists holding it on a date."""
    from .pages import actor_names, list_memberships

    store = store_of(request)
    day = on or date.today()
    return JSON({"id": actor_id, "name": actor_names([actor_id]).get(actor_id),
                 "partners": store.actor_partners(actor_id, limit=50),
                 "lists": {"on": day, "items": list_memberships(actor_id, day)}})


@reads.get("/relations", tags=["relations"])
def relations(
    request: Request,
    a: Annotated[str, Query(max_length=100, description="Actor id")],
    b: Annotated[str | None, Query(max_length=100, description="Second actor (optional)")] = None,
    storyline: Annotated[str | None, Query(max_length=100)] = None,
) -> JSON:
    """Weekly cooperation and conflict between two actors (either direction), or of one."""
    return JSON({"a": a, "b": b, "interval": "week",
                 "series": store_of(request).pair_series(a, b, storyline_id=storyline)})


@reads.get("/relations/records", tags=["relations"])
def relation_records(
    request: Request,
    a: Annotated[str, Query(max_length=100)],
    b: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 50,
) -> JSON:
    """The newest coded actions of an actor or between two actors."""
    store = store_of(request)
    rows = (store.latest_records(pair=(a, b), limit=limit) if b
            else store.latest_records(actors=[a], limit=limit))
    return JSON({"items": rows})


@reads.get("/search", tags=["search"])
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    lang: Annotated[str | None, Query(max_length=12)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    from_: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    limit: Limit = 20, offset: Offset = 0,
) -> JSON:
    """Full-text search over titles and texts (originals only), best matches first.

    An actor's name also finds its other spellings in English, Russian, Ukrainian and
    Belarusian and the reports coded with that actor; a common domain word also finds its
    equivalents in the other languages. ``expanded`` lists what the query was widened to, and
    each item's ``matched`` what found it ("Лукашенко → Alexander Lukashenko (BLR leader)")."""
    until = _since(to, "to")
    hits = store_of(request).search_articles(
        q, lang=lang, source=source, since=_since(from_, "from"),
        until=until + timedelta(days=1) if until else None, limit=limit + 1, offset=offset)
    items = [{**_article_json(h.article), "snippet": h.snippet.replace("\x02", "[")
              .replace("\x03", "]"), "score": round(h.score, 3), "matched": h.matched}
             for h in hits]
    return JSON({**_page(request, items, limit, offset), "expanded": parse(q).as_json()})


@reads.get("/sources", tags=["sources"])
def sources(request: Request) -> JSON:
    """Sources with their feed health (last success, last error, consecutive failures)."""
    rows = []
    for s in store_of(request).sources():
        d = asdict(s)
        d.pop("etag", None)
        d.pop("last_modified", None)
        rows.append(d)
    return JSON({"items": rows})


# -- exports -------------------------------------------------------------------------------------
EXPORT_COLUMNS = {
    "storylines": ["id", "title", "label", "lifecycle", "momentum", "first_seen", "last_seen",
                   "event_count", "article_count"],
    "events": ["id", "label", "first_seen", "last_seen", "article_count", "sources",
               "languages", "storyline_id", "representative_id"],
    "articles": ["id", "published", "lang", "source", "title", "url", "duplicate_of",
                 "duplicate_kind", "event_id"],
    "sources": ["name", "url", "kind", "lang", "last_success", "last_error",
                "consecutive_failures"],
}


def _cell(value: Any) -> str:
    """A CSV cell; text starting like a formula is quoted so spreadsheets do not run it."""
    value = plain(value)
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


@reads.get("/export/{table}.{fmt}", tags=["exports"])
def export(
    request: Request,
    table: Literal["storylines", "events", "articles", "sources"],
    fmt: Literal["csv", "json"],
    since: Annotated[int, Query(ge=0, le=MAX_ID, description="articles: id cursor")] = 0,
) -> Response:
    """A table as CSV or JSON, at most 10,000 rows per request (articles: page with ``since``)."""
    store = store_of(request)
    cap = settings_of(request).export_max_rows
    if table == "storylines":
        rows = [asdict(s) for s in store.storylines(limit=cap)]
    elif table == "events":
        rows = [asdict(e) for e in store.events(limit=cap)]
    elif table == "articles":
        rows = [asdict(a) for a in store.articles(since_id=since, limit=cap)]
    else:
        rows = [asdict(s) for s in store.sources()][:cap]
    cols = EXPORT_COLUMNS[table]
    rows = [{c: r.get(c) for c in cols} for r in rows]
    headers = {"Content-Disposition": f'attachment; filename="storyline-{table}.{fmt}"'}
    if table == "articles" and len(rows) == cap:
        headers["Link"] = f'<{request.url.path}?since={rows[-1]["id"]}>; rel="next"'
    if fmt == "json":
        return JSON(rows, headers=headers)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(cols)
    for r in rows:
        writer.writerow([_cell(r[c]) for c in cols])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


# -- tracked storylines --------------------------------------------------------------------------
def _tracked_json(t: dict[str, Any]) -> dict[str, Any]:
    return {**t, "url": f"/storylines/{t['id']}",
            "api": f"/api/v1/storylines/{t['id']}",
            "feed": f"/api/v1/storylines/{t['id']}/briefs.atom"}


@reads.get("/tracked", tags=["storylines"])
def list_tracked(request: Request) -> JSON:
    """Tracked storylines (an analyst's own, ids ``t1``, ``t2``, …): their definitions and how
    many events each gathered. Each is a storyline too: ``/storylines/{id}``, its briefs and
    Atom feed."""
    return JSON({"items": [_tracked_json(t) for t in store_of(request).tracked_storylines()]})


class TrackedIn(BaseModel):
    title: str = Field(min_length=1, max_length=300, description="the storyline's title")
    actors: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20,
        description="actor ids or names (RUS, BLR.GOV, PERSON:putin); compared by country")
    terms: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20,
        description="word beginnings in any language (unfriendly, недружеств), 3+ characters")
    from_storylines: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20,
        description="automatic storylines whose events all belong to it (sl3)")


@writes.post("/tracked", tags=["storylines"], status_code=201)
def add_tracked(request: Request, tracked: TrackedIn) -> JSON:
    """Define a tracked storyline: the matching events of the automatic storylines are
    gathered into it now (and at every analysis) and its brief is written. 422 when the
    definition cannot be used (unknown actor, no actors, terms or storylines)."""
    from ..cluster.tracked import TrackedError, create_tracked

    try:
        made = create_tracked(store_of(request), tracked.title, actors=tracked.actors,
                              terms=tracked.terms, from_storylines=tracked.from_storylines)
    except TrackedError as exc:
        raise HTTPException(422, str(exc)) from None
    return JSON(_tracked_json(made), status_code=201)


# -- writes: feeds, fetch ------------------------------------------------------------------------
class FeedIn(BaseModel):
    url: str = Field(max_length=2000, description="RSS or Atom URL (public addresses only)")
    name: str | None = Field(default=None, max_length=200)
    lang: str | None = Field(default=None, max_length=12)
    fetch_pages: bool = True


@writes.post("/feeds", tags=["feeds"], status_code=201)
def add_feed(request: Request, feed: FeedIn) -> JSON:
    """Add a feed; its URL must resolve to a public address (unless the server allows private)."""
    from ..model import Source

    try:
        check_saved_url(feed.url, settings_of(request).allow_private_urls)
    except BlockedURL as exc:
        raise HTTPException(422, f"feed URL refused: {exc}") from None
    name = feed.name or urlsplit(feed.url).hostname or feed.url
    src = store_of(request).upsert_source(
        Source(name=name, url=feed.url, lang=feed.lang, fetch_pages=feed.fetch_pages))
    return JSON({"name": src.name, "url": src.url, "id": src.id}, status_code=201)


@writes.post("/fetch", tags=["feeds"], status_code=202)
def trigger_fetch(request: Request) -> JSON:
    """Start one fetch pass over every feed in the background (409 if one is running)."""
    lock: threading.Lock = request.app.state.fetch_lock
    if not lock.acquire(blocking=False):
        raise HTTPException(409, "a fetch is already running")
    path = request.app.state.stores.path
    allow_private = settings_of(request).allow_private_urls
    status: dict[str, Any] = request.app.state.fetch_status
    status["running"] = True

    def run() -> None:
        from ..fetching import fetch_all
        from ..ingest.http import PoliteClient
        from ..store import open_store

        try:
            with open_store(path) as store, PoliteClient(allow_private=allow_private) as client:
                report = fetch_all(store, client=client)
            status["last"] = {k: report[k] for k in ("ingested", "errors", "clustered")}
        except Exception as exc:  # reported through GET /fetch, never raised into the server
            status["last"] = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            status["finished"] = datetime.now(UTC)
            status["running"] = False
            lock.release()

    threading.Thread(target=run, name="storyline-fetch", daemon=True).start()
    return JSON({"started": True}, status_code=202)


@writes.get("/fetch", tags=["feeds"])
def fetch_status(request: Request) -> JSON:
    """Whether a fetch runs now and what the last one did."""
    return JSON(request.app.state.fetch_status)


# -- watches and alerts --------------------------------------------------------------------------
class WatchIn(BaseModel):
    kind: Literal["storyline", "actor", "pair", "query"]
    target: str = Field(min_length=1, max_length=500,
                        description="storyline id, actor id, 'A|B' pair, or a search query")
    name: str = Field(default="", max_length=200)
    webhook_url: str | None = Field(default=None, max_length=2000)
    cooldown_s: int = Field(default=3600, ge=0, le=30 * 86400)


def _watch_json(w: Any) -> dict[str, Any]:
    d = asdict(w)
    d.pop("state", None)
    d["feed"] = f"/api/v1/watches/{w.id}/alerts.atom"
    return d


@writes.get("/watches", tags=["watches"])
def list_watches(request: Request) -> JSON:
    return JSON({"items": [_watch_json(w) for w in store_of(request).watches()]})


@writes.post("/watches", tags=["watches"], status_code=201)
def add_watch(request: Request, watch: WatchIn) -> JSON:
    """Watch a storyline, an actor, an actor pair or a saved query; alerts go to the webhook
    (public addresses only) and to the watch's Atom feed."""
    try:
        created = alerts_mod.new_watch(
            store_of(request), watch.kind, watch.target, name=watch.name,
            webhook_url=watch.webhook_url, cooldown_s=watch.cooldown_s,
            allow_private=settings_of(request).allow_private_urls)
    except alerts_mod.WatchError as exc:
        raise HTTPException(422, str(exc)) from None
    return JSON(_watch_json(created), status_code=201)


@writes.delete("/watches/{watch_id}", tags=["watches"])
def remove_watch(request: Request, watch_id: Id) -> JSON:
    if not store_of(request).remove_watch(watch_id):
        raise HTTPException(404, f"no watch {watch_id}")
    return JSON({"removed": watch_id})


@writes.post("/alerts/check", tags=["watches"])
def run_check(request: Request) -> JSON:
    """Check every watch now and deliver pending webhooks; returns the new alerts."""
    new = alerts_mod.check(store_of(request),
                           allow_private=settings_of(request).allow_private_urls)
    return JSON({"alerts": new})


def _alert_entries(request: Request, items: list[Any]) -> list[atom.Entry]:
    base = _base(request)
    return [atom.Entry(id=f"urn:storyline:alert:{a.watch_id}:{a.id}", title=a.title,
                       updated=a.created, link=f"{base}{a.link}" if a.link else None,
                       summary=a.summary) for a in items]


@reads.get("/watches/{watch_id}/alerts.atom", tags=["feeds"], response_class=Response)
def watch_feed(request: Request, watch_id: Id) -> Response:
    """Atom feed of one watch's alerts, newest first."""
    store = store_of(request)
    watch = store.watch(watch_id)
    if watch is None:
        raise HTTPException(404, f"no watch {watch_id}")
    base = _base(request)
    return Response(atom.feed(f"urn:storyline:watch:{watch_id}", f"storyline alerts: {watch.name}",
                              f"{base}{request.url.path}", f"{base}/",
                              _alert_entries(request, store.alerts(watch_id, limit=50))),
                    media_type=ATOM)


@reads.get("/alerts.atom", tags=["feeds"], response_class=Response)
def alerts_feed(request: Request) -> Response:
    """Atom feed of the newest alerts of every watch."""
    base = _base(request)
    return Response(atom.feed("urn:storyline:alerts", "storyline alerts",
                              f"{base}{request.url.path}", f"{base}/",
                              _alert_entries(request, store_of(request).alerts(limit=50))),
                    media_type=ATOM)


router.include_router(reads)
router.include_router(writes)
