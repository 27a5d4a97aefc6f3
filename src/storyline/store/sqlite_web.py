"""Store methods for the web face: API tokens, watches, alerts, and the read queries pages need.

``WebTablesMixin`` is mixed into ``SQLiteStore`` (``class SQLiteStore(WebTablesMixin, ...)``);
its methods use ``self.db`` and ``self.transaction()`` exactly as ``SQLiteStore`` does. The
tables come from migration ``0003_web.sql``.

The read queries here exist so that a page is a handful of indexed queries, never one query per
row: activity of many storylines at once, daily volume, brief version headers without their
bodies, filtered full-text search, actor and actor-pair aggregates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..model import EventRecord
from .base import SearchHit
from .query import parse

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable
    from contextlib import AbstractContextManager


def _record_filters(
    where: list[str], args: list[Any], actors: Iterable[str] | None,
    pair: tuple[str, str] | None,
) -> None:
    """Add the actor-set and actor-pair conditions on ``event_records`` to a query."""
    if actors is not None:
        where.append(_sq().actors_condition(list(actors), args))
    if pair is not None:
        a, b = pair
        where.append(_PAIR)
        args += [a, b, b, a]


def _sq():  # noqa: ANN202 - the sqlite module
    """``store.sqlite``, imported on use: sqlite.py imports this module (for the mixin) and
    this module imports sqlite.py, so neither may need the other at import time."""
    from . import sqlite

    return sqlite


def _ts(value: datetime | None) -> str | None:
    return _sq()._ts(value)


def _dt(value: str | None) -> datetime | None:
    return _sq()._dt(value)


# -- records of the web tables (candidates for model.py) --------------------------------------
@dataclass
class ApiToken:
    """An API token as stored: only the SHA-256 of the secret is kept."""

    id: int
    name: str
    hash: str
    created: datetime
    last_used: datetime | None = None
    revoked: datetime | None = None


@dataclass
class Watch:
    """A standing question: tell me when this storyline/actor/pair/query has something new.

    ``kind`` is ``storyline`` (target: storyline id), ``actor`` (actor id), ``pair`` (two actor
    ids joined by ``|``, order ignored) or ``query`` (full-text query). ``state`` holds the
    cursors of what was already seen.
    """

    kind: str
    target: str
    name: str = ""
    webhook_url: str | None = None
    cooldown_s: int = 3600
    created: datetime | None = None
    last_checked: datetime | None = None
    last_alert: datetime | None = None
    state: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass
class Alert:
    """One new development that matched a watch. ``key`` makes it unique per watch."""

    watch_id: int
    key: str
    title: str
    summary: str = ""
    link: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    created: datetime | None = None
    delivered: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    id: int | None = None


class WebTablesMixin:
    """Tokens, watches, alerts and page queries over ``self.db`` (an ``sqlite3.Connection``)."""

    db: sqlite3.Connection
    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...  # from SQLiteStore

    # -- tokens ----------------------------------------------------------------------------
    def add_token(self, name: str, token_hash: str, created: datetime | None = None) -> ApiToken:
        """Store a token's hash under a display name."""
        when = created or datetime.now(UTC)
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO tokens(name, hash, created) VALUES (?,?,?)",
                (name, token_hash, _ts(when)),
            )
        return ApiToken(int(cur.lastrowid), name, token_hash, when.replace(microsecond=0))

    def tokens(self) -> list[ApiToken]:
        return [_token(r) for r in self.db.execute("SELECT * FROM tokens ORDER BY id")]

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The live (not revoked) token with this hash."""
        row = self.db.execute(
            "SELECT * FROM tokens WHERE hash=? AND revoked IS NULL", (token_hash,)
        ).fetchone()
        return _token(row) if row else None

    def has_tokens(self) -> bool:
        return self.db.execute(
            "SELECT 1 FROM tokens WHERE revoked IS NULL LIMIT 1"
        ).fetchone() is not None

    def revoke_token(self, id_or_name: str) -> int:
        """Revoke by id or by name; return how many tokens were revoked."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE tokens SET revoked=? WHERE revoked IS NULL "
                "AND (CAST(id AS TEXT)=? OR name=?)",
                (_ts(datetime.now(UTC)), str(id_or_name), str(id_or_name)),
            )
        return cur.rowcount

    def touch_token(self, token_id: int, when: datetime | None = None) -> None:
        with self.transaction():
            self.db.execute("UPDATE tokens SET last_used=? WHERE id=?",
                            (_ts(when or datetime.now(UTC)), token_id))

    # -- watches ---------------------------------------------------------------------------
    def add_watch(self, watch: Watch) -> Watch:
        watch.created = watch.created or datetime.now(UTC)
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO watches(kind, target, name, webhook_url, cooldown_s, created, state) "
                "VALUES (?,?,?,?,?,?,?)",
                (watch.kind, watch.target, watch.name, watch.webhook_url, int(watch.cooldown_s),
                 _ts(watch.created), json.dumps(watch.state, ensure_ascii=False)),
            )
        watch.id = int(cur.lastrowid)
        return watch

    def watches(self) -> list[Watch]:
        return [_watch(r) for r in self.db.execute("SELECT * FROM watches ORDER BY id")]

    def watch(self, watch_id: int) -> Watch | None:
        row = self.db.execute("SELECT * FROM watches WHERE id=?", (watch_id,)).fetchone()
        return _watch(row) if row else None

    def remove_watch(self, watch_id: int) -> bool:
        with self.transaction():
            cur = self.db.execute("DELETE FROM watches WHERE id=?", (watch_id,))
        return cur.rowcount > 0

    def save_watch_state(self, watch: Watch) -> None:
        """Persist the cursors and timestamps of a watch after a check."""
        with self.transaction():
            self.db.execute(
                "UPDATE watches SET last_checked=?, last_alert=?, state=? WHERE id=?",
                (_ts(watch.last_checked), _ts(watch.last_alert),
                 json.dumps(watch.state, ensure_ascii=False), watch.id),
            )

    # -- alerts ----------------------------------------------------------------------------
    def add_alert(self, alert: Alert) -> bool:
        """Insert an alert unless the watch already has one with the same key (dedup)."""
        alert.created = alert.created or datetime.now(UTC)
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO alerts(watch_id, key, created, title, summary, link, "
                "payload) VALUES (?,?,?,?,?,?,?)",
                (alert.watch_id, alert.key, _ts(alert.created), alert.title, alert.summary,
                 alert.link, json.dumps(alert.payload, ensure_ascii=False, default=str)),
            )
        if cur.rowcount:
            alert.id = int(cur.lastrowid)
        return bool(cur.rowcount)

    def alerts(self, watch_id: int | None = None, limit: int = 50) -> list[Alert]:
        """Newest alerts first, of one watch or of all."""
        sql, args = "SELECT * FROM alerts", []
        if watch_id is not None:
            sql += " WHERE watch_id=?"
            args.append(watch_id)
        sql += " ORDER BY created DESC, id DESC LIMIT ?"
        args.append(int(limit))
        return [_alert(r) for r in self.db.execute(sql, args)]

    def pending_alerts(self, max_attempts: int) -> list[Alert]:
        """Undelivered alerts of watches with a webhook, oldest first, not yet given up on."""
        rows = self.db.execute(
            "SELECT a.* FROM alerts a JOIN watches w ON w.id = a.watch_id "
            "WHERE a.delivered IS NULL AND a.attempts < ? AND w.webhook_url IS NOT NULL "
            "ORDER BY a.id",
            (max_attempts,),
        )
        return [_alert(r) for r in rows]

    def record_delivery(self, alert_id: int, error: str | None, when: datetime) -> None:
        """Count one delivery attempt; ``error`` None marks the alert delivered."""
        with self.transaction():
            if error is None:
                self.db.execute(
                    "UPDATE alerts SET delivered=?, attempts=attempts+1, last_error=NULL "
                    "WHERE id=?", (_ts(when), alert_id))
            else:
                self.db.execute(
                    "UPDATE alerts SET attempts=attempts+1, last_error=? WHERE id=?",
                    (error[:500], alert_id))

    # -- page queries: storylines ------------------------------------------------------------
    def storyline_page(
        self, *, limit: int, offset: int = 0, min_events: int = 1, active: bool | None = None,
    ) -> list[dict[str, Any]]:
        """Storylines by momentum, then last activity, then id, with their headline numbers
        (one query for a whole page). ``active=True`` keeps those not fading (nor dormant),
        ``active=False`` only those."""
        where, args = ["event_count >= ?"], [min_events]
        if active is not None:
            marks = ",".join("?" * len(_sq().INACTIVE_LIFECYCLES))
            where.append(f"lifecycle {'NOT IN' if active else 'IN'} ({marks})")
            args += list(_sq().INACTIVE_LIFECYCLES)
        rows = self.db.execute(
            "SELECT id, title, label, lifecycle, momentum, first_seen, last_seen, event_count, "
            f"article_count FROM storylines WHERE {' AND '.join(where)} "
            f"ORDER BY {_sq().STORYLINE_ORDER} LIMIT ? OFFSET ?",
            [*args, int(limit), int(offset)],
        ).fetchall()
        return [
            {**dict(r), "first_seen": _dt(r["first_seen"]), "last_seen": _dt(r["last_seen"])}
            for r in rows
        ]

    def storyline_activity(
        self, storyline_ids: Iterable[str], since: datetime | None
    ) -> dict[str, dict[str, int]]:
        """Per storyline: events, events first seen at/after ``since``, distinct sources."""
        ids = list(storyline_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        out = {sid: {"events": 0, "new_events": 0, "sources": 0} for sid in ids}
        for r in self.db.execute(
            f"SELECT storyline_id, count(*), sum(first_seen >= ?) FROM events "
            f"WHERE storyline_id IN ({marks}) AND article_count > 0 GROUP BY storyline_id",
            [_ts(since) or "", *ids],
        ):
            out[r[0]].update(events=r[1], new_events=r[2] or 0)
        for r in self.db.execute(
            f"SELECT e.storyline_id, count(DISTINCT j.value) FROM events e, json_each(e.sources) j "
            f"WHERE e.storyline_id IN ({marks}) GROUP BY e.storyline_id",
            ids,
        ):
            out[r[0]]["sources"] = r[1]
        return out

    def storyline_event_days(
        self, storyline_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, int]]]:
        """Per storyline: (day, articles of events first seen that day), oldest first."""
        ids = list(storyline_ids)
        if not ids:
            return {}
        out: dict[str, list[tuple[str, int]]] = {sid: [] for sid in ids}
        for r in self.db.execute(
            f"SELECT storyline_id, substr(first_seen, 1, 10) AS day, sum(article_count) "
            f"FROM events WHERE storyline_id IN ({','.join('?' * len(ids))}) "
            f"AND first_seen IS NOT NULL GROUP BY storyline_id, day ORDER BY day",
            ids,
        ):
            out[r[0]].append((r[1], r[2]))
        return out

    def storyline_article_days(self, storyline_id: str) -> list[tuple[str, int]]:
        """(day, original articles published that day) over the storyline's events."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT substr(a.published, 1, 10) AS day, count(*) FROM articles a "
                "JOIN events e ON a.event_id = e.id WHERE e.storyline_id = ? "
                "AND a.duplicate_of IS NULL AND a.published IS NOT NULL GROUP BY day ORDER BY day",
                (storyline_id,),
            )
        ]

    def brief_headers(self, storyline_id: str) -> list[dict[str, Any]]:
        """Every version of a storyline's brief without its body: version, created, headline,
        and what was new since the previous version (event ids)."""
        rows = self.db.execute(
            "SELECT version, created, json_extract(body, '$.headline'), "
            "json_extract(body, '$.new_since') FROM brief_versions WHERE storyline_id=? "
            "ORDER BY version DESC",
            (storyline_id,),
        )
        return [
            {"version": r[0], "created": _dt(r[1]), "headline": r[2] or "",
             "new_since": json.loads(r[3]) if r[3] else None}
            for r in rows
        ]

    def event_labels(self, event_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """id -> {label, first_seen, article_count} for a set of events (one query)."""
        ids = list({int(i) for i in event_ids})
        if not ids:
            return {}
        return {
            r[0]: {"label": r[1], "first_seen": _dt(r[2]), "article_count": r[3]}
            for r in self.db.execute(
                f"SELECT id, label, first_seen, article_count FROM events "
                f"WHERE id IN ({','.join('?' * len(ids))})", ids)
        }

    def duplicate_counts(self, article_ids: Iterable[int]) -> dict[int, int]:
        """How many copies each article has."""
        ids = list(article_ids)
        if not ids:
            return {}
        return {
            r[0]: r[1]
            for r in self.db.execute(
                f"SELECT duplicate_of, count(*) FROM articles WHERE duplicate_of IN "
                f"({','.join('?' * len(ids))}) GROUP BY duplicate_of", ids)
        }

    # -- page queries: search ----------------------------------------------------------------
    def search_articles(
        self,
        query: str,
        *,
        lang: str | None = None,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after_id: int = 0,
        limit: int = 20,
        offset: int = 0,
        order: str = "rank",
        window: int = 1000,
    ) -> list[SearchHit]:
        """Full-text search with filters over originals.

        ``order="rank"`` returns the best BM25 matches among the ``window`` newest matching
        articles: ranking every match of a common word in a large archive costs time in
        proportion to the archive, while news readers want recent reports first, so the cost
        is bounded by the window instead. ``order="id"`` lists matches after ``after_id``,
        oldest first (alerts on saved queries). Snippets mark matched words with the control
        characters ``\x02`` … ``\x03`` (never present in stored text, unlike brackets).
        """
        sq = parse(query)
        if not sq:
            return []
        src = self._search_source(sq)  # type: ignore[attr-defined]
        where, args = [*src.where, "a.duplicate_of IS NULL"], list(src.args)
        if after_id:
            where.append(f"{src.key} > ?")
            args.append(after_id)
        for clause, value in (("a.lang = ?", lang), ("a.source = ?", source),
                              ("a.published >= ?", _ts(since)), ("a.published < ?", _ts(until))):
            if value:
                where.append(clause)
                args.append(value)
        inner = (f"SELECT {src.key} AS id, {src.rank or 0} AS rank FROM {src.source} "
                 f"WHERE {' AND '.join(where)}")
        if order == "id":
            sql = f"{inner} ORDER BY {src.key} LIMIT ? OFFSET ?"
            picked = self.db.execute(sql, [*args, int(limit), int(offset)]).fetchall()
            if src.rank is None:  # the scores of the page only
                ranks = dict(self._ranked(sq, [r[0] for r in picked]))  # type: ignore[attr-defined]
                picked = [(i, ranks[i]) for i, _ in picked]
        elif src.rank is None:  # the window's ids first, then the ranks of those only
            recent = self.db.execute(f"{inner} ORDER BY {src.key} DESC LIMIT ?",
                                     [*args, int(window)]).fetchall()
            ranked = self._ranked(sq, [r[0] for r in recent])  # type: ignore[attr-defined]
            picked = ranked[int(offset):int(offset) + int(limit)]
        else:
            sql = (f"SELECT id, rank FROM ({inner} ORDER BY {src.key} DESC LIMIT ?) "
                   "ORDER BY rank, id DESC LIMIT ? OFFSET ?")
            picked = self.db.execute(sql, [*args, int(window), int(limit), int(offset)]).fetchall()
        return self._search_hits(  # type: ignore[attr-defined]
            sq, [(r[0], -float(r[1])) for r in picked], ("\x02", "\x03", 14))

    def max_article_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]

    # -- page queries: actors and relations --------------------------------------------------
    def event_records_after(
        self, after_id: int, *, actors: Iterable[str] | None = None,
        pair: tuple[str, str] | None = None, limit: int = 1000,
    ) -> list[EventRecord]:
        """Coded records with id > ``after_id`` (oldest first), for one actor set or one pair."""
        where, args = ["id > ?"], [after_id]
        _record_filters(where, args, actors, pair)
        return [
            _sq()._record(r)
            for r in self.db.execute(
                f"SELECT * FROM event_records WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
                [*args, int(limit)],
            )
        ]

    def latest_records(
        self, *, actors: Iterable[str] | None = None, pair: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> list[EventRecord]:
        """The newest coded records (newest first) of an actor set or one pair."""
        where, args = ["1=1"], []
        _record_filters(where, args, actors, pair)
        return [
            _sq()._record(r)
            for r in self.db.execute(
                f"SELECT * FROM event_records WHERE {' AND '.join(where)} "
                "ORDER BY date DESC, id DESC LIMIT ?",
                [*args, int(limit)],
            )
        ]

    def max_record_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM event_records").fetchone()[0]

    def actor_table(self, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Actors seen in coded records: how often as source and target, first and last date."""
        rows = self.db.execute(
            "SELECT actor, sum(src) AS as_source, sum(tgt) AS as_target, min(date) AS first, "
            "max(date) AS last FROM ("
            " SELECT source_actor AS actor, 1 AS src, 0 AS tgt, date FROM event_records"
            " UNION ALL SELECT target_actor, 0, 1, date FROM event_records"
            "  WHERE target_actor IS NOT NULL)"
            " GROUP BY actor ORDER BY as_source + as_target DESC, actor LIMIT ? OFFSET ?",
            (int(limit), int(offset)),
        )
        return [
            {"id": r[0], "as_source": r[1], "as_target": r[2], "records": r[1] + r[2],
             "first": _dt(r[3]), "last": _dt(r[4])}
            for r in rows
        ]

    def actor_partners(self, actor: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Who ``actor`` acts with (either direction): records, cooperation and conflict counts,
        mean intensity."""
        rows = self.db.execute(
            "SELECT partner, count(*), sum(intensity > 0), sum(intensity < 0), avg(intensity) "
            "FROM (SELECT target_actor AS partner, intensity FROM event_records "
            "      WHERE source_actor=? AND target_actor IS NOT NULL"
            "      UNION ALL SELECT source_actor, intensity FROM event_records"
            "      WHERE target_actor=?)"
            " WHERE partner != ? GROUP BY partner ORDER BY count(*) DESC, partner LIMIT ?",
            (actor, actor, actor, int(limit)),
        )
        return [
            {"id": r[0], "records": r[1], "cooperation": r[2] or 0, "conflict": r[3] or 0,
             "mean_intensity": round(r[4] or 0.0, 2)}
            for r in rows
        ]

    def pair_series(
        self, a: str, b: str | None = None, *, storyline_id: str | None = None,
        by: str = "country",
    ) -> list[dict[str, Any]]:
        """Weekly cooperation and conflict of an actor pair (either direction) — or of one actor
        with anyone when ``b`` is None: :func:`storyline.events.relations.weekly_series` over
        the stored records, so the web and ``storyline relations A B`` show the same weeks.

        Actors compare by country (``RUS.GOV`` and ``PERSON:putin`` count as ``RUS``) unless
        ``by="actor"``; list targets (``LIST:…``) count for their members on the record's date.
        Weeks start on Monday; ``storyline_id`` keeps records of that storyline's events only.
        """
        from ..actors.lists import LIST_PREFIX
        from ..events.relations import actor_key, weekly_series

        key = actor_key(by)
        ka, kb = key(a), key(b) if b is not None else None
        keys = {ka} if kb is None else {ka, kb}
        # Narrow in SQL to the stored ids that map to these keys (and list targets, which
        # may contain them); weekly_series makes the exact selection.
        stored = [r[0] for r in self.db.execute(
            "SELECT source_actor FROM event_records UNION "
            "SELECT target_actor FROM event_records WHERE target_actor IS NOT NULL")]
        ids = [x for x in stored if x and key(x) in keys]
        targets = ids + [x for x in stored if x and x.startswith(LIST_PREFIX) and x not in ids]
        if not ids:
            return []
        args: list[Any] = []
        src_in = f"source_actor IN ({','.join('?' * len(ids))})"
        tgt_in = f"target_actor IN ({','.join('?' * len(targets))})"
        if kb is None:
            where = [f"({src_in} OR {tgt_in})"]
        else:
            where = [src_in, tgt_in]
        args += [*ids, *targets]
        where.append("date IS NOT NULL")
        if storyline_id is not None:
            where.append("event_id IN (SELECT id FROM events WHERE storyline_id=?)")
            args.append(storyline_id)
        records = [_sq()._record(r) for r in self.db.execute(
            f"SELECT * FROM event_records WHERE {' AND '.join(where)} ORDER BY date, id", args)]
        return weekly_series(records, ka, kb, key=key)

    def storyline_actor_counts(self, storyline_id: str, *, limit: int = 12) -> dict[str, Any]:
        """Actors and actor pairs most coded in a storyline's events."""
        sub = "SELECT id FROM events WHERE storyline_id=?"
        actors = self.db.execute(
            f"SELECT actor, count(*) FROM (SELECT source_actor AS actor FROM event_records "
            f"WHERE event_id IN ({sub}) UNION ALL SELECT target_actor FROM event_records "
            f"WHERE event_id IN ({sub}) AND target_actor IS NOT NULL) "
            "GROUP BY actor ORDER BY count(*) DESC, actor LIMIT ?",
            (storyline_id, storyline_id, int(limit)),
        ).fetchall()
        pairs = self.db.execute(
            "SELECT min(source_actor, target_actor), max(source_actor, target_actor), count(*) "
            f"FROM event_records WHERE event_id IN ({sub}) AND target_actor IS NOT NULL "
            "AND target_actor != source_actor GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT ?",
            (storyline_id, int(limit)),
        ).fetchall()
        return {
            "actors": [{"id": r[0], "mentions": r[1]} for r in actors],
            "pairs": [{"a": r[0], "b": r[1], "records": r[2]} for r in pairs],
        }


_PAIR = "((source_actor=? AND target_actor=?) OR (source_actor=? AND target_actor=?))"


def _token(row: sqlite3.Row) -> ApiToken:
    return ApiToken(row["id"], row["name"], row["hash"], _dt(row["created"]),
                    _dt(row["last_used"]), _dt(row["revoked"]))


def _watch(row: sqlite3.Row) -> Watch:
    return Watch(
        id=row["id"], kind=row["kind"], target=row["target"], name=row["name"],
        webhook_url=row["webhook_url"], cooldown_s=row["cooldown_s"], created=_dt(row["created"]),
        last_checked=_dt(row["last_checked"]), last_alert=_dt(row["last_alert"]),
        state=json.loads(row["state"]),
    )


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        id=row["id"], watch_id=row["watch_id"], key=row["key"], created=_dt(row["created"]),
        title=row["title"], summary=row["summary"], link=row["link"],
        payload=json.loads(row["payload"]), delivered=_dt(row["delivered"]),
        attempts=row["attempts"], last_error=row["last_error"],
    )
