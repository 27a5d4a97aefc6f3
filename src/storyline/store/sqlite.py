"""The SQLite store: one file, WAL mode, versioned migrations, FTS5 full-text search.

Writes are idempotent: an article is keyed by its canonical URL, else by the id its input gave it,
else by its content hash, so re-running an ingest adds nothing. A batch is written inside one
transaction, so a killed process leaves the file as it was after the last whole batch.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from ..model import Article, BriefVersion, Event, EventRecord, Source, Storyline
from .base import SearchHit, StoreError
from .query import SearchQuery, parse
from .sqlite_web import WebTablesMixin

try:  # POSIX; elsewhere exclusive() does not lock across processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


def _ts(value: datetime | None) -> str | None:
    """UTC timestamps are stored as fixed-width ISO text, so they sort and compare as strings."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dt(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every packaged migration, in order."""
    out = []
    for entry in resources.files("storyline.store.migrations").iterdir():
        m = re.match(r"(\d{4})_(\w+)\.sql$", entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(out)


_ARTICLE_COLS = (
    "id, url, canonical_url, title, text, published, lang, source, source_id, content_hash, "
    "duplicate_of, duplicate_kind, fetched, event_id, meta"
)


class SearchSource(NamedTuple):
    """The articles a search matches, as SQL over the alias ``a``: ``FROM {source} WHERE
    {where...}`` with ``args``; ``key`` is their id as the index walks it, and ``rank`` the SQL
    that orders them (lower is better), or None when they are ranked afterwards, the picked ids
    only (:meth:`SQLiteStore._ranked`)."""

    source: str
    where: list[str]
    rank: str | None
    key: str
    args: list[Any]


#: How storylines are listed (``storylines``, the web home page, the API): momentum as shown
#: (two decimals, so that a storyline that stopped being refreshed at 0.004 does not outrank
#: one at 0.0), then the most recently active, then the id in natural order (sl2 before sl10).
STORYLINE_ORDER = ("CAST(momentum * 100 + 0.5 AS INTEGER) DESC, last_seen DESC, "
                   "length(id), id")

#: Lifecycles of storylines that are no longer active (merged ones have no events left).
INACTIVE_LIFECYCLES = ("fading", "dormant", "merged")


#: stage_state key of the highest event id issued (:meth:`SQLiteStore.new_event_id`).
_EVENT_IDS_KEY = "events.ids"
#: stage_state key of the highest tracked storyline number issued (:meth:`SQLiteStore.add_tracked`).
_TRACKED_IDS_KEY = "tracked.ids"

_TRACKED_ID = re.compile(r"t\d+")


def is_tracked_id(storyline_id: str | None) -> bool:
    """Whether an id names a tracked storyline (``t1``, ``t2``, ...; automatic ones are
    ``sl1``, ...): its events are those of ``tracked_links``, not ``events.storyline_id``."""
    return bool(storyline_id) and _TRACKED_ID.fullmatch(storyline_id) is not None


class SQLiteStore(WebTablesMixin):
    """The default store. Open with ``SQLiteStore(path)``; ``:memory:`` works for tests."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                uri = f"file:{Path(self.path).expanduser()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot open database: {exc}") from exc
        self.db.row_factory = sqlite3.Row
        self.db.isolation_level = None  # explicit transactions only
        try:
            if not readonly:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=10000")
            if not readonly:
                self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a storyline database ({exc})") from exc
        self._depth = 0
        self._held: set[str] = set()  # names of the exclusive() locks this store holds

    # -- lifecycle -------------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply packaged migrations newer than the file's ``user_version``; return the version."""
        current = self.db.execute("PRAGMA user_version").fetchone()[0]
        for version, _name, sql in migrations():
            if version <= current:
                continue
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(sql):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={version}")
                self.db.execute("COMMIT")
            except Exception:
                self.db.execute("ROLLBACK")
                raise
            current = version
        return current

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the store-wide lock ``name``: one holder at a time across processes, the others
        wait. The analysis stages keep state in memory between their reads and their writes
        (the clusterer's window of active events, the linker's storylines), so two analyses of
        one store must not interleave — :meth:`Pipeline.analyse` holds ``"analysis"``. On
        SQLite it is an ``flock`` on a file beside the database; re-entrant in one store."""
        if name in self._held or self.path == ":memory:" or fcntl is None:
            yield
            return
        path = Path(self.path).expanduser()
        with open(path.with_name(f"{path.name}.{name}.lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._held.add(name)
            try:
                yield
            finally:
                self._held.discard(name)
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

    # -- sources ---------------------------------------------------------------------------
    def upsert_source(self, source: Source) -> Source:
        """Insert a source or update the configuration fields of the one with the same name."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO sources(name, url, kind, lang, country, fetch_pages) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET url=excluded.url, "
                "kind=excluded.kind, lang=excluded.lang, country=excluded.country, "
                "fetch_pages=excluded.fetch_pages",
                (source.name, source.url, source.kind, source.lang, source.country,
                 int(source.fetch_pages)),
            )
        found = self.source(source.name)
        assert found is not None
        return found

    def source(self, name_or_url: str) -> Source | None:
        row = self.db.execute(
            "SELECT * FROM sources WHERE name=? OR url=?", (name_or_url, name_or_url)
        ).fetchone()
        return _source(row) if row else None

    def sources(self, kind: str | None = None) -> list[Source]:
        sql, args = "SELECT * FROM sources", ()
        if kind:
            sql, args = sql + " WHERE kind=?", (kind,)
        return [_source(r) for r in self.db.execute(sql + " ORDER BY name", args)]

    def remove_source(self, name_or_url: str) -> bool:
        """Forget a source; its articles stay (their ``source_id`` becomes NULL)."""
        with self.transaction():
            cur = self.db.execute(
                "DELETE FROM sources WHERE name=? OR url=?", (name_or_url, name_or_url)
            )
        return cur.rowcount > 0

    def record_fetch(self, source: Source) -> None:
        """Persist the conditional-GET state and health fields of a source after a fetch."""
        with self.transaction():
            self.db.execute(
                "UPDATE sources SET etag=?, last_modified=?, last_fetch=?, last_success=?, "
                "last_error=?, consecutive_failures=? WHERE id=?",
                (source.etag, source.last_modified, _ts(source.last_fetch),
                 _ts(source.last_success), source.last_error, source.consecutive_failures,
                 source.id),
            )

    # -- articles --------------------------------------------------------------------------
    def find_article(
        self, canonical_url: str | None, external_key: str | None, content_hash: str | None
    ) -> tuple[int, str] | None:
        """The stored article this one would repeat: (id, "url" | "key" | "hash")."""
        if canonical_url:
            row = self.db.execute(
                "SELECT id FROM articles WHERE canonical_url=?", (canonical_url,)
            ).fetchone()
            if row:
                return row[0], "url"
        if external_key:
            row = self.db.execute(
                "SELECT id FROM articles WHERE external_key=?", (external_key,)
            ).fetchone()
            if row:
                return row[0], "key"
        if content_hash:
            row = self.db.execute(
                "SELECT id, duplicate_of FROM articles WHERE content_hash=? ORDER BY id LIMIT 1",
                (content_hash,),
            ).fetchone()
            if row:
                return (row[1] or row[0]), "hash"
        return None

    def add_article(
        self, article: Article, *, external_key: str | None = None, minhash: bytes | None = None
    ) -> int:
        """Insert one article (its ``duplicate_of`` link included) and return its id. A copy joins
        the event of its original at once, if the original has one."""
        cur = self.db.execute(
            "INSERT INTO articles(url, canonical_url, external_key, title, text, published, lang, "
            "source, source_id, content_hash, duplicate_of, duplicate_kind, fetched, minhash, "
            "meta, event_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
            " (SELECT event_id FROM articles WHERE id = ?))",
            (article.url, article.canonical_url, external_key, article.title, article.text,
             _ts(article.published), article.lang, article.source, article.source_id,
             article.content_hash, article.duplicate_of, article.duplicate_kind,
             _ts(article.fetched or datetime.now(UTC)), minhash,
             json.dumps(article.meta, ensure_ascii=False, default=str), article.duplicate_of),
        )
        article.id = cur.lastrowid
        return int(cur.lastrowid)

    def article(self, article_id: int) -> Article | None:
        row = self.db.execute(
            f"SELECT {_ARTICLE_COLS} FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        return _article(row) if row else None

    def articles(
        self,
        *,
        ids: Iterable[int] | None = None,
        event_id: int | None = None,
        since_id: int = 0,
        limit: int | None = None,
        originals_only: bool = False,
    ) -> list[Article]:
        """Articles by id list, by event, or after a cursor (``since_id``), in id order."""
        where, args = ["id > ?"], [since_id]
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return []
            where.append(f"id IN ({','.join('?' * len(id_list))})")
            args.extend(id_list)
        if event_id is not None:
            where.append("event_id = ?")
            args.append(event_id)
        if originals_only:
            where.append("duplicate_of IS NULL")
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE {' AND '.join(where)} ORDER BY id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_article(r) for r in self.db.execute(sql, args)]

    def duplicates_of(self, article_id: int) -> list[Article]:
        return [
            _article(r)
            for r in self.db.execute(
                f"SELECT {_ARTICLE_COLS} FROM articles WHERE duplicate_of=? ORDER BY id",
                (article_id,),
            )
        ]

    def recent_minhashes(self, limit: int) -> list[tuple[int, bytes]]:
        """Signatures of the newest ``limit`` originals, oldest first (to seed the LSH index)."""
        rows = self.db.execute(
            "SELECT id, minhash FROM articles WHERE duplicate_of IS NULL AND minhash IS NOT NULL "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(r[0], r[1]) for r in reversed(rows)]

    def unclustered(self, limit: int) -> list[Article]:
        """Originals not yet assigned to an event, in publication order (undated last)."""
        rows = self.db.execute(
            f"SELECT {_ARTICLE_COLS} FROM articles WHERE event_id IS NULL AND duplicate_of IS NULL "
            "ORDER BY published IS NULL, published, id LIMIT ?",
            (limit,),
        )
        return [_article(r) for r in rows]

    def count_unclustered(self) -> int:
        return self.db.execute(
            "SELECT count(*) FROM articles WHERE event_id IS NULL AND duplicate_of IS NULL"
        ).fetchone()[0]

    def search(self, query: str, *, limit: int = 20, lang: str | None = None) -> list[SearchHit]:
        """Full-text search over title and text (FTS5, BM25 ranking); originals only.

        The query is read by :func:`storyline.store.query.parse`: plain words (each quoted, so
        user input can never be a syntax error), all of which must match unless ``OR`` stands
        between them; an actor's name also matches its other spellings and the reports coded
        with that actor, and a lexicon word its equivalents in the other languages.
        """
        sq = parse(query)
        if not sq:
            return []
        src = self._search_source(sq)
        where, args = [*src.where, "a.duplicate_of IS NULL"], list(src.args)
        if lang:
            where.append("a.lang = ?")
            args.append(lang)
        if src.rank is None:  # every match, ranked afterwards
            ids = [r[0] for r in self.db.execute(
                f"SELECT a.id FROM {src.source} WHERE {' AND '.join(where)}", args)]
            picked = self._ranked(sq, ids)[:limit]
        else:
            sql = (f"SELECT a.id, {src.rank} AS rank FROM {src.source} "
                   f"WHERE {' AND '.join(where)} ORDER BY rank, a.id DESC LIMIT ?")
            picked = self.db.execute(sql, [*args, limit]).fetchall()
        return self._search_hits(sq, [(r[0], -float(r[1])) for r in picked], ("[", "]", 12))

    # -- search helpers, shared with search_articles and the PostgreSQL store -----------------
    def _search_source(self, sq: SearchQuery) -> SearchSource:
        """Where the articles ``sq`` matches come from, as ``a`` (see :class:`SearchSource`).

        The plain FTS5 query, ranked by BM25, unless a group names an actor with coded
        records: then each group is its own FTS5 match or, for an actor, its records, combined
        with the query's ``AND``/``OR`` in SQL, and ranked afterwards."""
        if not self._records_for(sq.actors):
            return SearchSource("articles_fts JOIN articles a ON a.id = articles_fts.rowid",
                                ["articles_fts MATCH ?"], "bm25(articles_fts)",
                                "articles_fts.rowid", [sq.fts5()])
        parts, args = [], []
        for group in sq.groups:
            cond = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            args.append(group.fts5())
            if group.actors:
                cond = (f"({cond} OR a.id IN (SELECT article_id FROM event_records WHERE "
                        f"{actors_condition(list(group.actors), args)}))")
            parts.append(cond)
        return SearchSource("articles a", [f"({sq.combine(parts)})"], None, "a.id", args)

    def _ranked(self, sq: SearchQuery, ids: list[int]) -> list[tuple[int, float]]:
        """``ids`` with their BM25 rank for the whole query (0 for a report found only through
        its coded records), best first; one pass over the matches in the ids' range, scoring
        only the ids (unless they are many: then scoring all costs less than choosing)."""
        if not ids:
            return []
        sql = ("SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ? "
               "AND rowid BETWEEN ? AND ?")
        args: list[Any] = [sq.fts5(), min(ids), max(ids)]
        if len(ids) <= 2000:
            sql += " AND +rowid IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(ids))
        ranks = dict(self.db.execute(sql, args).fetchall())
        return sorted(((i, ranks.get(i, 0.0)) for i in ids), key=lambda r: (r[1], -r[0]))

    def _records_for(self, actors: list[str]) -> bool:
        """Whether any coded record names one of ``actors``."""
        if not actors:
            return False
        args: list[Any] = []
        cond = actors_condition(actors, args)
        return self.db.execute(f"SELECT 1 FROM event_records WHERE {cond} LIMIT 1",
                               args).fetchone() is not None

    def _search_hits(self, sq: SearchQuery, picked: list[tuple[int, float]],
                     marks: tuple[str, str, int]) -> list[SearchHit]:
        """Hits for the picked ``(id, score)`` rows, in their order: snippets with matched
        words between ``marks`` (start, stop, words), and what matched."""
        if not picked:
            return []
        ids = [i for i, _ in picked]
        snippets = self._snippets(sq, ids, marks)
        coded = self._coded(ids, sq.actors) if sq.actors else {}
        articles = {a.id: a for a in self.articles(ids=ids)}
        hits = []
        for i, score in picked:
            a = articles.get(i)
            if a is None:
                continue
            actors, sentence = coded.get(i, (set(), ""))
            snippet = snippets.get(i) or sentence or _lead(a.text)
            hits.append(SearchHit(a, snippet, score, sq.matched(a.title, a.text, actors)))
        return hits

    def _snippets(self, sq: SearchQuery, ids: list[int],
                  marks: tuple[str, str, int]) -> dict[int, str]:
        """Highlighted fragments of the picked reports' texts. One pass over the matches in
        the ids' range (``+rowid``: a lookup per id would rebuild a widened query's prefix
        terms once per id)."""
        start, stop, words = marks
        return dict(self.db.execute(
            f"SELECT rowid, snippet(articles_fts, 1, ?, ?, '…', {int(words)}) FROM articles_fts "
            "WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? "
            "AND +rowid IN (SELECT value FROM json_each(?))",
            [start, stop, sq.fts5(), min(ids), max(ids), json.dumps(ids)]).fetchall())

    def _coded(self, ids: list[int], actors: list[str]) -> dict[int, tuple[set[str], str]]:
        """Per article: which of ``actors`` its coded records name, and the first such
        record's sentence (the snippet of a report found only through its records)."""
        args: list[Any] = list(ids)
        cond = actors_condition(actors, args)
        out: dict[int, tuple[set[str], str]] = {}
        for art, src, tgt, sentence in self.db.execute(
                "SELECT article_id, source_actor, target_actor, sentence FROM event_records "
                f"WHERE article_id IN ({','.join('?' * len(ids))}) AND {cond} ORDER BY id",
                args).fetchall():
            names = out.setdefault(art, (set(), sentence or ""))[0]
            names.update(x for x in (src, tgt) if x in actors)
        return out

    # -- embeddings cache ------------------------------------------------------------------
    def get_embeddings(self, model: str, hashes: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            rows = self.db.execute(
                f"SELECT content_hash, vector FROM embeddings WHERE model=? AND content_hash IN "
                f"({','.join('?' * len(chunk))})",
                [model, *chunk],
            )
            out.update({r[0]: r[1] for r in rows})
        return out

    def put_embeddings(self, model: str, items: Iterable[tuple[str, bytes]]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO embeddings(content_hash, model, vector) VALUES (?,?,?)",
                [(h, model, v) for h, v in items],
            )

    # -- stage state -----------------------------------------------------------------------
    def get_state(self, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT value FROM stage_state WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_state(self, key: str, value: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO stage_state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, json.dumps(value, separators=(",", ":"))),
            )

    # -- events ----------------------------------------------------------------------------
    def new_event_id(self) -> int:
        """Reserve an id for an event the clusterer is creating.

        Ids are never reused, not even the newest one after a merge deleted its event
        (SQLite would hand out max(id) + 1 again): brief versions, related-coverage seeds and
        alerts may still name it. The highest id issued is kept in the stage state.
        """
        with self.transaction():
            last = (self.get_state(_EVENT_IDS_KEY) or {}).get("last", 0)
            top = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
            new = max(int(last), int(top)) + 1
            self.db.execute("INSERT INTO events(id, label) VALUES (?, '')", (new,))
            self.put_state(_EVENT_IDS_KEY, {"last": new})
        return new

    def save_events(self, events: Iterable[Event]) -> None:
        with self.transaction():
            for ev in events:
                row = (
                    ev.label, _ts(ev.first_seen), _ts(ev.last_seen), ev.article_count,
                    json.dumps(ev.sources, ensure_ascii=False), json.dumps(ev.languages),
                    ev.representative_id, ev.storyline_id,
                    json.dumps(ev.state, ensure_ascii=False, separators=(",", ":")),
                )
                if ev.id is None:
                    ev.id = int(self.db.execute(
                        "INSERT INTO events(label, first_seen, last_seen, article_count, sources, "
                        "languages, representative_id, storyline_id, state) "
                        "VALUES (?,?,?,?,?,?,?,?,?)",
                        row,
                    ).lastrowid)
                else:
                    self.db.execute(
                        "INSERT INTO events(id, label, first_seen, last_seen, article_count, "
                        "sources, languages, representative_id, storyline_id, state) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                        "label=excluded.label, first_seen=excluded.first_seen, "
                        "last_seen=excluded.last_seen, article_count=excluded.article_count, "
                        "sources=excluded.sources, languages=excluded.languages, "
                        "representative_id=excluded.representative_id, "
                        "storyline_id=excluded.storyline_id, state=excluded.state",
                        (ev.id, *row),
                    )

    def assign_events(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Set ``event_id`` of articles: (article_id, event_id) pairs. Copies follow originals."""
        with self.transaction():
            self.db.executemany(
                "UPDATE articles SET event_id=? WHERE id=? OR duplicate_of=?",
                [(e, a, a) for a, e in pairs],
            )

    def merge_events(self, from_id: int, into_id: int) -> None:
        """Move every article (and coded record) of ``from_id`` into ``into_id`` and delete
        ``from_id``."""
        with self.transaction():
            self.db.execute("UPDATE articles SET event_id=? WHERE event_id=?", (into_id, from_id))
            self.db.execute("UPDATE event_records SET event_id=? WHERE event_id=?",
                            (into_id, from_id))
            self.db.execute("DELETE FROM events WHERE id=?", (from_id,))

    def event(self, event_id: int) -> Event | None:
        row = self.db.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()
        return _event(row) if row else None

    def events(
        self,
        *,
        since: datetime | None = None,
        min_sources: int = 0,
        storyline_id: str | None = None,
        limit: int | None = None,
        with_state: bool = False,
    ) -> list[Event]:
        """Events, newest activity first; ``since`` filters on last activity."""
        where, args = ["article_count > 0"], []
        if since:
            where.append("last_seen >= ?")
            args.append(_ts(since))
        if min_sources:
            where.append("json_array_length(sources) >= ?")
            args.append(min_sources)
        if storyline_id and is_tracked_id(storyline_id):  # its events keep their own storyline
            where.append("id IN (SELECT event_id FROM tracked_links WHERE tracked_id = ?)")
            args.append(storyline_id)
        elif storyline_id:
            where.append("storyline_id = ?")
            args.append(storyline_id)
        sql = f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY last_seen DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_event(r, with_state=with_state) for r in self.db.execute(sql, args)]

    def active_events(self, since: datetime | None) -> list[Event]:
        """Events whose last activity is at or after ``since`` (all when None), with state."""
        return self.events(since=since, with_state=True)

    def latest_published(self) -> datetime | None:
        row = self.db.execute(
            "SELECT max(published) FROM articles WHERE event_id IS NOT NULL"
        ).fetchone()
        return _dt(row[0]) if row else None

    def article_events(self) -> list[tuple[int, str | None, int | None]]:
        """(article id, external key, event id) of every article, in id order."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute("SELECT id, external_key, event_id FROM articles ORDER BY id")
        ]

    def unlinked_events(self, limit: int = 1000) -> list[Event]:
        """Events not yet linked to a storyline, oldest first, with state."""
        rows = self.db.execute(
            "SELECT * FROM events WHERE storyline_id IS NULL AND article_count > 0 "
            "ORDER BY first_seen, id LIMIT ?",
            (limit,),
        )
        return [_event(r) for r in rows]

    # -- storylines ------------------------------------------------------------------------
    def save_storylines(self, storylines: Iterable[Storyline]) -> None:
        with self.transaction():
            for s in storylines:
                self.db.execute(
                    "INSERT INTO storylines(id, title, label, lifecycle, momentum, first_seen, "
                    "last_seen, event_count, article_count, state) VALUES (?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET title=excluded.title, label=excluded.label, "
                    "lifecycle=excluded.lifecycle, momentum=excluded.momentum, "
                    "first_seen=excluded.first_seen, last_seen=excluded.last_seen, "
                    "event_count=excluded.event_count, article_count=excluded.article_count, "
                    "state=excluded.state",
                    (s.id, s.title, s.label, s.lifecycle, s.momentum, _ts(s.first_seen),
                     _ts(s.last_seen), s.event_count, s.article_count,
                     json.dumps(s.state, ensure_ascii=False, separators=(",", ":"))),
                )

    def storyline(self, storyline_id: str) -> Storyline | None:
        row = self.db.execute("SELECT * FROM storylines WHERE id=?", (storyline_id,)).fetchone()
        return _storyline(row) if row else None

    def storylines(
        self, *, limit: int | None = None, min_events: int = 0, with_state: bool = False
    ) -> list[Storyline]:
        """Storylines by momentum, strongest first, then by last activity, then by id
        (:data:`STORYLINE_ORDER`)."""
        sql = f"SELECT * FROM storylines WHERE event_count >= ? ORDER BY {STORYLINE_ORDER}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_storyline(r, with_state) for r in self.db.execute(sql, (min_events,))]

    def link_event(
        self, event_id: int, storyline_id: str, score: float, reasons: dict[str, Any],
        when: datetime | None = None,
    ) -> None:
        """Put an event in a storyline (replacing any earlier link) and record why."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO storyline_links(event_id, storyline_id, score, reasons, linked) "
                "VALUES (?,?,?,?,?) ON CONFLICT(event_id) DO UPDATE SET "
                "storyline_id=excluded.storyline_id, score=excluded.score, "
                "reasons=excluded.reasons, linked=excluded.linked",
                (event_id, storyline_id, score, json.dumps(reasons, ensure_ascii=False),
                 _ts(when or datetime.now(UTC))),
            )
            self.db.execute("UPDATE events SET storyline_id=? WHERE id=?", (storyline_id, event_id))

    def storyline_links(self, storyline_id: str) -> list[dict[str, Any]]:
        """``{event_id, score, reasons, linked}`` for every event of the storyline, oldest first
        (of a tracked storyline: its ``tracked_links``)."""
        table, column = (("tracked_links", "tracked_id") if is_tracked_id(storyline_id)
                         else ("storyline_links", "storyline_id"))
        rows = self.db.execute(
            f"SELECT l.event_id, l.score, l.reasons, l.linked FROM {table} l "
            f"JOIN events e ON e.id = l.event_id WHERE l.{column}=? "
            "ORDER BY e.first_seen, e.id",
            (storyline_id,),
        )
        return [
            {"event_id": r[0], "score": r[1], "reasons": json.loads(r[2]), "linked": _dt(r[3])}
            for r in rows
        ]

    def merge_storylines(self, from_id: str, into_id: str) -> None:
        """Move every event of ``from_id`` into ``into_id``; ``from_id`` keeps its brief history
        but no events (ids stay resolvable: its state records ``merged_into``)."""
        with self.transaction():
            self.db.execute(
                "UPDATE storyline_links SET storyline_id=? WHERE storyline_id=?", (into_id, from_id)
            )
            self.db.execute("UPDATE events SET storyline_id=? WHERE storyline_id=?",
                            (into_id, from_id))
            self.db.execute(
                "UPDATE storylines SET event_count=0, article_count=0, momentum=0, "
                "lifecycle='merged', state=json_set(state, '$.merged_into', ?) WHERE id=?",
                (into_id, from_id),
            )

    # -- tracked storylines ----------------------------------------------------------------
    def add_tracked(
        self, title: str, *, actors: Iterable[str] = (), terms: Iterable[str] = (),
        from_storylines: Iterable[str] = (), label: str = "", when: datetime | None = None,
    ) -> str:
        """Create a tracked storyline (its ``storylines`` row and its definition); return its
        id, ``t1``, ``t2``, ... Ids are never reused, not even after :meth:`remove_tracked`."""
        created = _ts(when or datetime.now(UTC))
        with self.transaction():
            last = int((self.get_state(_TRACKED_IDS_KEY) or {}).get("last", 0))
            top = max((int(r[0][1:]) for r in self.db.execute(
                "SELECT id FROM tracked_storylines")), default=0)
            new = f"t{max(last, top) + 1}"
            self.db.execute(
                "INSERT INTO storylines(id, title, label, lifecycle, first_seen, last_seen, "
                "state) VALUES (?,?,?,'dormant',?,?,?)",
                (new, title, label, None, None, json.dumps({"tracked": True})))
            self.db.execute(
                "INSERT INTO tracked_storylines(id, title, actors, terms, from_storylines, "
                "created) VALUES (?,?,?,?,?,?)",
                (new, title, json.dumps(list(actors), ensure_ascii=False),
                 json.dumps(list(terms), ensure_ascii=False),
                 json.dumps(list(from_storylines)), created))
            self.put_state(_TRACKED_IDS_KEY, {"last": int(new[1:])})
        return new

    def tracked_storyline(self, tracked_id: str) -> dict[str, Any] | None:
        """A tracked storyline's definition: ``{id, title, actors, terms, from_storylines,
        created, events}``; None when there is none with that id."""
        rows = self._tracked("WHERE t.id = ?", (tracked_id,))
        return rows[0] if rows else None

    def tracked_storylines(self) -> list[dict[str, Any]]:
        """Every tracked storyline's definition, in id order (t2 before t10)."""
        return self._tracked("", ())

    def _tracked(self, where: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT t.id, t.title, t.actors, t.terms, t.from_storylines, t.created, "
            "(SELECT count(*) FROM tracked_links l WHERE l.tracked_id = t.id) AS n "
            f"FROM tracked_storylines t {where} ORDER BY length(t.id), t.id", args)
        return [{"id": r[0], "title": r[1], "actors": json.loads(r[2]),
                 "terms": json.loads(r[3]), "from_storylines": json.loads(r[4]),
                 "created": _dt(r[5]), "events": r[6]} for r in rows]

    def remove_tracked(self, tracked_id: str) -> bool:
        """Forget a tracked storyline: its definition, links and brief versions. The events stay
        in their automatic storylines."""
        if not is_tracked_id(tracked_id):
            return False
        with self.transaction():
            self.db.execute("DELETE FROM tracked_links WHERE tracked_id=?", (tracked_id,))
            self.db.execute("DELETE FROM brief_versions WHERE storyline_id=?", (tracked_id,))
            self.db.execute("DELETE FROM tracked_storylines WHERE id=?", (tracked_id,))
            cur = self.db.execute("DELETE FROM storylines WHERE id=?", (tracked_id,))
        return cur.rowcount > 0

    def link_tracked(
        self, tracked_id: str, links: Iterable[tuple[int, float, dict[str, Any]]],
        when: datetime | None = None,
    ) -> int:
        """Gather events into a tracked storyline: (event id, score, reasons). An event linked
        before keeps its first ``linked`` time and gets the new score and reasons; returns how
        many links are new."""
        added = 0
        stamp = _ts(when or datetime.now(UTC))
        with self.transaction():
            for event_id, score, reasons in links:
                known = self.db.execute(
                    "SELECT score, reasons FROM tracked_links WHERE tracked_id=? AND event_id=?",
                    (tracked_id, event_id)).fetchone()
                text = json.dumps(reasons, ensure_ascii=False)
                if known and (known[0], known[1]) == (score, text):
                    continue
                if known:
                    self.db.execute(
                        "UPDATE tracked_links SET score=?, reasons=? "
                        "WHERE tracked_id=? AND event_id=?", (score, text, tracked_id, event_id))
                else:
                    self.db.execute(
                        "INSERT INTO tracked_links(tracked_id, event_id, score, reasons, linked) "
                        "VALUES (?,?,?,?,?)", (tracked_id, event_id, score, text, stamp))
                    added += 1
        return added

    def article_cursor(self, since_id: int = 0) -> tuple[int, list[int]]:
        """The highest article id, and the events of the articles after ``since_id`` (copies
        included): what the tracking stage re-matches, without reading the articles."""
        top = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        rows = self.db.execute(
            "SELECT DISTINCT event_id FROM articles WHERE id > ? AND event_id IS NOT NULL "
            "ORDER BY event_id", (since_id,))
        return int(top), [int(r[0]) for r in rows]

    # Page queries of the web face (sqlite_web.py) select a storyline's events by
    # ``events.storyline_id``; for a tracked storyline they go through ``tracked_links``.
    def storyline_article_days(self, storyline_id: str) -> list[tuple[str, int]]:
        if not is_tracked_id(storyline_id):
            return super().storyline_article_days(storyline_id)
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT substr(a.published, 1, 10) AS day, count(*) FROM articles a "
            "JOIN tracked_links l ON a.event_id = l.event_id WHERE l.tracked_id = ? "
            "AND a.duplicate_of IS NULL AND a.published IS NOT NULL GROUP BY day ORDER BY day",
            (storyline_id,))]

    def storyline_actor_counts(self, storyline_id: str, *, limit: int = 12) -> dict[str, Any]:
        if not is_tracked_id(storyline_id):
            return super().storyline_actor_counts(storyline_id, limit=limit)
        actors: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for event in self.events(storyline_id=storyline_id):
            for r in self.event_records(event_id=event.id):
                actors.update(a for a in (r.source_actor, r.target_actor) if a)
                if r.target_actor and r.target_actor != r.source_actor:
                    a, b = sorted((r.source_actor, r.target_actor))
                    pairs[(a, b)] += 1
        return {
            "actors": [{"id": a, "mentions": n} for a, n in
                       sorted(actors.items(), key=lambda x: (-x[1], x[0]))[:limit]],
            "pairs": [{"a": a, "b": b, "records": n} for (a, b), n in
                      sorted(pairs.items(), key=lambda x: (-x[1], x[0]))[:limit]],
        }

    def pair_series(
        self, a: str, b: str | None = None, *, storyline_id: str | None = None,
        by: str = "country",
    ) -> list[dict[str, Any]]:
        if storyline_id is None or not is_tracked_id(storyline_id):
            return super().pair_series(a, b, storyline_id=storyline_id, by=by)
        from ..events.relations import actor_key, weekly_series

        key = actor_key(by)
        records = [r for e in self.events(storyline_id=storyline_id)
                   for r in self.event_records(event_id=e.id) if r.date is not None]
        records.sort(key=lambda r: (r.date, r.id or 0))
        return weekly_series(records, key(a), key(b) if b is not None else None, key=key)

    def storyline_activity(
        self, storyline_ids: Iterable[str], since: datetime | None
    ) -> dict[str, dict[str, int]]:
        ids = list(storyline_ids)
        out = super().storyline_activity([i for i in ids if not is_tracked_id(i)], since)
        for sid in filter(is_tracked_id, ids):
            events = self.events(storyline_id=sid)
            out[sid] = {
                "events": len(events),
                "new_events": sum(1 for e in events if since is None or (
                    e.first_seen is not None and e.first_seen >= since)),
                "sources": len({s for e in events for s in e.sources}),
            }
        return out

    def storyline_event_days(
        self, storyline_ids: Iterable[str]
    ) -> dict[str, list[tuple[str, int]]]:
        ids = list(storyline_ids)
        out = super().storyline_event_days([i for i in ids if not is_tracked_id(i)])
        for sid in filter(is_tracked_id, ids):
            days: Counter[str] = Counter()
            for e in self.events(storyline_id=sid):
                if e.first_seen is not None:
                    days[_ts(e.first_seen)[:10]] += e.article_count
            out[sid] = sorted(days.items())
        return out

    # -- briefs ----------------------------------------------------------------------------
    def add_brief_version(self, brief: BriefVersion) -> BriefVersion:
        """Store the next version of a storyline's brief; ``brief.version`` is set here."""
        with self.transaction():
            row = self.db.execute(
                "SELECT coalesce(max(version), 0) FROM brief_versions WHERE storyline_id=?",
                (brief.storyline_id,),
            ).fetchone()
            brief.version = row[0] + 1
            self.db.execute(
                "INSERT INTO brief_versions(storyline_id, version, created, body, event_ids) "
                "VALUES (?,?,?,?,?)",
                (brief.storyline_id, brief.version, _ts(brief.created),
                 json.dumps(brief.body, ensure_ascii=False), json.dumps(brief.event_ids)),
            )
        return brief

    def brief_version(self, storyline_id: str, version: int | None = None) -> BriefVersion | None:
        """One version (the latest when ``version`` is None)."""
        if version is None:
            row = self.db.execute(
                "SELECT * FROM brief_versions WHERE storyline_id=? ORDER BY version DESC LIMIT 1",
                (storyline_id,),
            ).fetchone()
        else:
            row = self.db.execute(
                "SELECT * FROM brief_versions WHERE storyline_id=? AND version=?",
                (storyline_id, version),
            ).fetchone()
        return _brief(row) if row else None

    def brief_versions(self, storyline_id: str) -> list[BriefVersion]:
        return [
            _brief(r)
            for r in self.db.execute(
                "SELECT * FROM brief_versions WHERE storyline_id=? ORDER BY version",
                (storyline_id,),
            )
        ]

    def recent_brief_versions(self, limit: int = 50) -> list[BriefVersion]:
        """The newest brief versions across storylines (for feeds of updates)."""
        return [
            _brief(r)
            for r in self.db.execute(
                "SELECT * FROM brief_versions ORDER BY created DESC, storyline_id LIMIT ?",
                (limit,),
            )
        ]

    # -- coded event records ---------------------------------------------------------------
    def add_event_records(self, records: Iterable[EventRecord]) -> int:
        """Store records (``id`` set on each); return how many were new. A record whose ``key``
        is already stored is skipped (its ``id`` stays None): re-importing a file adds nothing."""
        added = 0
        with self.transaction():
            for r in records:
                cur = self.db.execute(
                    "INSERT INTO event_records(article_id, event_id, source_actor, event_type, "
                    "target_actor, intensity, date, sentence, meta, external_key) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    (r.article_id, r.event_id, r.source_actor, r.event_type, r.target_actor,
                     r.intensity, _ts(r.date), r.sentence,
                     json.dumps(r.meta, ensure_ascii=False, default=str), r.key),
                )
                if cur.rowcount:
                    r.id = int(cur.lastrowid)
                    added += 1
        return added

    def link_records(self, links: Iterable[tuple[str, int, int | None]]) -> int:
        """Set the article and event of imported records that have none yet: (record key,
        article id, event id); returns how many records changed."""
        changed = 0
        with self.transaction():
            for key, article_id, event_id in links:
                changed += self.db.execute(
                    "UPDATE event_records SET article_id=?, event_id=? "
                    "WHERE external_key=? AND article_id IS NULL",
                    (article_id, event_id, key)).rowcount
        return changed

    def event_records(
        self,
        *,
        actors: Iterable[str] | None = None,
        event_id: int | None = None,
        article_ids: Iterable[int] | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[EventRecord]:
        """Records, oldest first; ``actors`` keeps those whose source or target is one of them."""
        where, args = ["1=1"], []
        if actors is not None:
            where.append(actors_condition(list(actors), args))
        if event_id is not None:
            where.append("event_id = ?")
            args.append(event_id)
        if article_ids is not None:
            ids = list(article_ids)
            where.append(f"article_id IN ({','.join('?' * len(ids))})")
            args += ids
        if since:
            where.append("date >= ?")
            args.append(_ts(since))
        sql = f"SELECT * FROM event_records WHERE {' AND '.join(where)} ORDER BY date, id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_record(r) for r in self.db.execute(sql, args)]

    def uncoded_articles(self, limit: int) -> list[Article]:
        """Clustered originals the event coder has not read yet, in publication order."""
        rows = self.db.execute(
            f"SELECT {_ARTICLE_COLS} FROM articles WHERE coded=0 AND event_id IS NOT NULL "
            "AND duplicate_of IS NULL ORDER BY published IS NULL, published, id LIMIT ?",
            (limit,),
        )
        return [_article(r) for r in rows]

    def mark_coded(self, article_ids: Iterable[int]) -> None:
        with self.transaction():
            self.db.executemany("UPDATE articles SET coded=1 WHERE id=?",
                                [(i,) for i in article_ids])

    # -- overview --------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        langs = {
            (r[0] or "unknown"): r[1]
            for r in self.db.execute(
                "SELECT lang, count(*) FROM articles WHERE duplicate_of IS NULL GROUP BY lang "
                "ORDER BY count(*) DESC"
            )
        }
        return {
            "articles": one("SELECT count(*) FROM articles WHERE duplicate_of IS NULL"),
            "duplicates": one("SELECT count(*) FROM articles WHERE duplicate_kind='exact'"),
            "near_duplicates": one("SELECT count(*) FROM articles WHERE duplicate_kind='near'"),
            "sources": one("SELECT count(*) FROM sources"),
            "outlets": one("SELECT count(DISTINCT source) FROM articles"),
            "events": one("SELECT count(*) FROM events WHERE article_count > 0"),
            "storylines": one("SELECT count(*) FROM storylines WHERE event_count > 0"),
            "brief_versions": one("SELECT count(*) FROM brief_versions"),
            "event_records": one("SELECT count(*) FROM event_records"),
            "unclustered": self.count_unclustered(),
            "languages": langs,
            "first_published": one("SELECT min(published) FROM articles"),
            "last_published": one("SELECT max(published) FROM articles"),
            "schema_version": self.schema_version,
            "path": self.path,
        }


def actors_condition(names: list[str], args: list[Any]) -> str:
    """SQL condition: an ``event_records`` row whose source or target is one of ``names``;
    appends the parameters to ``args``."""
    marks = ",".join("?" * len(names))
    args += names + names
    return f"(source_actor IN ({marks}) OR target_actor IN ({marks}))"


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements; triggers keep their inner semicolons."""
    out, buf = [], []
    for line in sql.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


def _lead(text: str, words: int = 24) -> str:
    """The first words of a text, for a hit without a highlighted snippet."""
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _source(row: sqlite3.Row) -> Source:
    return Source(
        id=row["id"], name=row["name"], url=row["url"], kind=row["kind"], lang=row["lang"],
        country=row["country"], fetch_pages=bool(row["fetch_pages"]), etag=row["etag"],
        last_modified=row["last_modified"], last_fetch=_dt(row["last_fetch"]),
        last_success=_dt(row["last_success"]), last_error=row["last_error"],
        consecutive_failures=row["consecutive_failures"],
    )


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], url=row["url"], canonical_url=row["canonical_url"], title=row["title"],
        text=row["text"], published=_dt(row["published"]), lang=row["lang"], source=row["source"],
        source_id=row["source_id"], content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"], duplicate_kind=row["duplicate_kind"],
        fetched=_dt(row["fetched"]), event_id=row["event_id"], meta=json.loads(row["meta"]),
    )


def _event(row: sqlite3.Row, *, with_state: bool = True) -> Event:
    return Event(
        id=row["id"], label=row["label"], first_seen=_dt(row["first_seen"]),
        last_seen=_dt(row["last_seen"]), article_count=row["article_count"],
        sources=json.loads(row["sources"]), languages=json.loads(row["languages"]),
        representative_id=row["representative_id"], storyline_id=row["storyline_id"],
        state=json.loads(row["state"]) if with_state else {},
    )


def _storyline(row: sqlite3.Row, with_state: bool = True) -> Storyline:
    return Storyline(
        id=row["id"], title=row["title"], label=row["label"], lifecycle=row["lifecycle"],
        momentum=row["momentum"], first_seen=_dt(row["first_seen"]),
        last_seen=_dt(row["last_seen"]), event_count=row["event_count"],
        article_count=row["article_count"], state=json.loads(row["state"]) if with_state else {},
    )


def _brief(row: sqlite3.Row) -> BriefVersion:
    return BriefVersion(
        storyline_id=row["storyline_id"], version=row["version"], created=_dt(row["created"]),
        body=json.loads(row["body"]), event_ids=json.loads(row["event_ids"]),
    )


def _record(row: sqlite3.Row) -> EventRecord:
    return EventRecord(
        id=row["id"], article_id=row["article_id"], event_id=row["event_id"],
        source_actor=row["source_actor"], event_type=row["event_type"],
        target_actor=row["target_actor"], intensity=row["intensity"], date=_dt(row["date"]),
        sentence=row["sentence"], meta=json.loads(row["meta"]), key=row["external_key"],
    )
