"""Watchlists and alerts: tell a user when something they watch has a new development.

A :class:`~storyline.store.sqlite_web.Watch` names a storyline, an actor, an actor pair or a
saved full-text query. :func:`check` (run by the pipeline after briefs are written, and by
``storyline watches check``) looks at what arrived since the watch's cursor:

- ``storyline``: a new brief version of the storyline;
- ``actor``: new coded records (who did what to whom) naming the actor;
- ``pair``: new coded records between the two actors, either direction;
- ``query``: new original articles matching the query.

Matches become **one** alert per pass (deduplicated by a key derived from what matched, so a
re-run never repeats it). A watch that alerted less than ``cooldown_s`` ago stays quiet: its
cursor does not move, so what matched meanwhile is reported together once the cool-down ends.
Alerts of watches with a webhook are POSTed as JSON (short timeouts, no redirects, the URL is
checked by :mod:`storyline.netguard` first); failures are recorded and retried on the next pass,
up to :data:`MAX_ATTEMPTS`. Each watch's alerts are also listed in an Atom feed (web face).

A new watch starts from "now": it alerts on what arrives after it was created, never on the
backlog (see :func:`baseline`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from .netguard import BlockedURL, check_saved_url, default_guard, guarded_transport
from .store.sqlite_web import Alert, Watch

log = logging.getLogger(__name__)

KINDS = ("storyline", "actor", "pair", "query")
#: Give up delivering an alert after this many failed webhook attempts.
MAX_ATTEMPTS = 8
#: Webhook timeouts in seconds: connect, and read/write/pool.
WEBHOOK_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
#: At most this many matches are listed in one alert's payload.
MAX_ITEMS = 20


class WatchError(ValueError):
    """A watch definition is invalid (unknown kind, empty target, refused webhook URL)."""


def parse_target(kind: str, target: str) -> str:
    """Normalise a watch target: pairs become ``A|B`` in sorted order; raise on bad input."""
    if kind not in KINDS:
        raise WatchError(f"unknown watch kind {kind!r}; use one of {', '.join(KINDS)}")
    target = target.strip()
    if not target or len(target) > 500:
        raise WatchError("a watch needs a target of 1 to 500 characters")
    if kind == "pair":
        parts = [p.strip() for p in target.replace(",", "|").split("|") if p.strip()]
        if len(parts) != 2 or parts[0] == parts[1]:
            raise WatchError(
                f"a pair watch needs two different actor ids, e.g. RUS|BLR; got {target!r}")
        target = "|".join(sorted(parts))
    return target


def new_watch(
    store: Any,
    kind: str,
    target: str,
    *,
    name: str = "",
    webhook_url: str | None = None,
    cooldown_s: int = 3600,
    allow_private: bool | None = None,
) -> Watch:
    """Validate, baseline and store a watch; the webhook URL must pass the network guard."""
    target = parse_target(kind, target)
    if webhook_url:
        try:
            check_saved_url(webhook_url, allow_private)
        except BlockedURL as exc:
            raise WatchError(f"webhook refused: {exc}") from exc
    if cooldown_s < 0 or cooldown_s > 30 * 86400:
        raise WatchError("cool-down must be between 0 s and 30 days")
    watch = Watch(kind=kind, target=target, name=name or f"{kind} {target}",
                  webhook_url=webhook_url or None, cooldown_s=int(cooldown_s))
    watch.state = baseline(store, watch)
    return store.add_watch(watch)


def baseline(store: Any, watch: Watch) -> dict[str, Any]:
    """The cursors for "everything up to now has been seen"."""
    if watch.kind == "storyline":
        latest = store.brief_version(watch.target)
        return {"version": latest.version if latest else 0}
    if watch.kind in ("actor", "pair"):
        return {"record_id": store.max_record_id()}
    return {"article_id": store.max_article_id()}


@dataclass
class _Match:
    """What a watch found since its cursor: the alert to make and the cursor to move to."""

    key: str
    title: str
    summary: str
    link: str | None
    payload: dict[str, Any]
    state: dict[str, Any]


def check(
    store: Any,
    now: datetime | None = None,
    *,
    deliver: bool = True,
    client: httpx.Client | None = None,
    allow_private: bool | None = None,
) -> list[Alert]:
    """Check every watch once; store and return the new alerts, then deliver pending webhooks.

    ``now`` is injectable for tests (cool-downs are measured against it). Delivery failures are
    recorded on the alert and retried on the next call.
    """
    now = now or datetime.now(UTC)
    created: list[Alert] = []
    if not hasattr(store, "watches"):  # a store without the web tables has no watches
        log.warning("store %s has no watch tables (WebTablesMixin); alerts skipped",
                    getattr(store, "path", "?"))
        return created
    for watch in store.watches():
        if not watch.state:
            watch.state = baseline(store, watch)
            watch.last_checked = now
            store.save_watch_state(watch)
            continue
        cooling = watch.last_alert is not None and now - watch.last_alert < timedelta(
            seconds=watch.cooldown_s
        )
        match = None if cooling else _FINDERS[watch.kind](store, watch)
        watch.last_checked = now
        if match is not None:
            alert = Alert(watch_id=watch.id or 0, key=match.key, title=match.title,
                          summary=match.summary, link=match.link, payload=match.payload,
                          created=now)
            if store.add_alert(alert):
                created.append(alert)
                watch.last_alert = now
            watch.state = match.state
        store.save_watch_state(watch)
    if deliver:
        deliver_pending(store, now=now, client=client, allow_private=allow_private)
    return created


def deliver_pending(
    store: Any,
    *,
    now: datetime | None = None,
    client: httpx.Client | None = None,
    allow_private: bool | None = None,
) -> dict[str, int]:
    """POST every undelivered alert to its watch's webhook; return delivered/failed counts."""
    now = now or datetime.now(UTC)
    pending = store.pending_alerts(MAX_ATTEMPTS)
    if not pending:
        return {"delivered": 0, "failed": 0}
    guard = default_guard(allow_private)
    watches = {w.id: w for w in store.watches()}
    own = client is None
    client = client or httpx.Client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False,
                                    trust_env=False, transport=guarded_transport(guard))
    counts = {"delivered": 0, "failed": 0}
    try:
        for alert in pending:
            watch = watches.get(alert.watch_id)
            if watch is None or not watch.webhook_url:
                continue
            error = _post(client, guard, watch, alert)
            store.record_delivery(alert.id or 0, error, now)
            counts["failed" if error else "delivered"] += 1
            if error:
                log.warning("alert %s to watch %s not delivered: %s", alert.id, watch.id, error)
    finally:
        if own:
            client.close()
    return counts


def payload(watch: Watch, alert: Alert) -> dict[str, Any]:
    """The JSON body POSTed to a webhook."""
    return {
        "alert_id": alert.id, "key": alert.key,
        "created": alert.created.isoformat().replace("+00:00", "Z") if alert.created else None,
        "title": alert.title, "summary": alert.summary, "link": alert.link,
        "watch": {"id": watch.id, "kind": watch.kind, "target": watch.target, "name": watch.name},
        "details": alert.payload,
    }


def _post(
    client: httpx.Client, guard: Callable[[str], None], watch: Watch, alert: Alert
) -> str | None:
    """Deliver one alert; return None on success, else a one-line reason."""
    url = watch.webhook_url or ""
    try:
        guard(url)
        resp = client.post(url, json=payload(watch, alert),
                           headers={"User-Agent": "storyline-alerts"})
    except BlockedURL as exc:
        return f"refused: {exc}"
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc or 'no detail'}"
    if 200 <= resp.status_code < 300:
        return None
    return f"HTTP {resp.status_code} from webhook"


# -- finders: what is new for each kind of watch ----------------------------------------------
def _storyline(store: Any, watch: Watch) -> _Match | None:
    seen = int(watch.state.get("version", 0))
    latest = store.brief_version(watch.target)
    if latest is None or latest.version <= seen:
        return None
    body = latest.body or {}
    new_since = body.get("new_since") or {}
    headline = body.get("headline") or body.get("title") or watch.target
    return _Match(
        key=f"brief:{watch.target}:{latest.version}",
        title=f"{body.get('label') or watch.target}: {headline}",
        summary=" ".join(s.get("text", "") for s in body.get("lead", [])[:2]),
        link=f"/storylines/{watch.target}?version={latest.version}",
        payload={"storyline_id": watch.target, "version": latest.version,
                 "previous_version": seen or None, "new_event_ids": new_since.get("event_ids", [])},
        state={**watch.state, "version": latest.version},
    )


def _records(store: Any, watch: Watch) -> _Match | None:
    after = int(watch.state.get("record_id", 0))
    if watch.kind == "pair":
        a, b = watch.target.split("|", 1)
        records = store.event_records_after(after, pair=(a, b), limit=10_000)
    else:
        records = store.event_records_after(after, actors=[watch.target], limit=10_000)
    if not records:
        return None
    last = max(r.id or 0 for r in records)
    coop = sum(r.intensity for r in records if r.intensity > 0)
    conflict = sum(r.intensity for r in records if r.intensity < 0)
    types = sorted({r.event_type for r in records})
    link = (f"/actors/{watch.target.split('|')[0]}?with={watch.target.split('|')[1]}"
            if watch.kind == "pair" else f"/actors/{watch.target}")
    return _Match(
        key=f"records:{watch.kind}:{watch.target}:{last}",
        title=f"{watch.target.replace('|', ' – ')}: {len(records)} new coded actions "
              f"({', '.join(types[:4])})",
        summary="; ".join(r.sentence for r in records[:3] if r.sentence)[:600],
        link=link,
        payload={"records": len(records), "cooperation": round(coop, 2),
                 "conflict": round(conflict, 2), "event_types": types,
                 "items": [{"id": r.id, "source": r.source_actor, "type": r.event_type,
                            "target": r.target_actor, "intensity": r.intensity,
                            "article_id": r.article_id, "event_id": r.event_id}
                           for r in records[:MAX_ITEMS]]},
        state={**watch.state, "record_id": last},
    )


def _query(store: Any, watch: Watch) -> _Match | None:
    after = int(watch.state.get("article_id", 0))
    hits = store.search_articles(watch.target, after_id=after, limit=1000, order="id")
    if not hits:
        return None
    last = max(h.article.id or 0 for h in hits)
    first = hits[0].article
    return _Match(
        key=f"query:{last}",
        title=f"{len(hits)} new articles for “{watch.target}”",
        summary=first.title,
        link="/search?" + urlencode({"q": watch.target}),
        payload={"articles": len(hits),
                 "items": [{"id": h.article.id, "title": h.article.title,
                            "source": h.article.source, "event_id": h.article.event_id}
                           for h in hits[:MAX_ITEMS]]},
        state={**watch.state, "article_id": last},
    )


_FINDERS: dict[str, Callable[[Any, Watch], _Match | None]] = {
    "storyline": _storyline, "actor": _records, "pair": _records, "query": _query,
}
