"""The SQLite store: one file, WAL mode, versioned migrations, FTS5 full-text search.

Writes are idempotent: an article is keyed by its canonical URL, else by the id its input gave it,
else by its content hash, so re-running an ingest adds nothing. A batch is written inside one
transaction, so a killed process leaves the file as it was after the last whole batch.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import Article, Event, Source
from .base import SearchHit, StoreError


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


class SQLiteStore:
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
        """Insert one article (its ``duplicate_of`` link included) and return its id."""
        cur = self.db.execute(
            "INSERT INTO articles(url, canonical_url, external_key, title, text, published, lang, "
            "source, source_id, content_hash, duplicate_of, duplicate_kind, fetched, minhash, meta)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (article.url, article.canonical_url, external_key, article.title, article.text,
             _ts(article.published), article.lang, article.source, article.source_id,
             article.content_hash, article.duplicate_of, article.duplicate_kind,
             _ts(article.fetched or datetime.now(UTC)), minhash,
             json.dumps(article.meta, ensure_ascii=False, default=str)),
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

        The query is treated as plain words (each quoted), so user input can never be a
        syntax error; all words must match unless ``OR`` stands between them.
        """
        match = _fts_query(query)
        if not match:
            return []
        sql = (
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLS.split(','))}, "
            "snippet(articles_fts, 1, '[', ']', '…', 12) AS snip, bm25(articles_fts) AS rank "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND a.duplicate_of IS NULL"
        )
        args: list[Any] = [match]
        if lang:
            sql += " AND a.lang = ?"
            args.append(lang)
        sql += " ORDER BY rank LIMIT ?"
        args.append(limit)
        return [
            SearchHit(_article(r), r["snip"], -float(r["rank"])) for r in self.db.execute(sql, args)
        ]

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
        """Reserve an id for an event the clusterer is creating."""
        cur = self.db.execute("INSERT INTO events(label) VALUES ('')")
        return int(cur.lastrowid)

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
                        "languages, representative_id, storyline_id, state) VALUES (?,?,?,?,?,?,?,?,?)",
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
        """Move every article of ``from_id`` into ``into_id`` and delete ``from_id``."""
        with self.transaction():
            self.db.execute("UPDATE articles SET event_id=? WHERE event_id=?", (into_id, from_id))
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
        if storyline_id:
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
            "unclustered": self.count_unclustered(),
            "languages": langs,
            "first_published": one("SELECT min(published) FROM articles"),
            "last_published": one("SELECT max(published) FROM articles"),
            "schema_version": self.schema_version,
            "path": self.path,
        }


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


def _fts_query(query: str) -> str:
    terms = []
    for token in re.findall(r"\w+", query, re.U):
        if token == "AND":  # implicit between words
            continue
        terms.append("OR" if token == "OR" else f'"{token}"')
    while terms and terms[0] == "OR":
        terms.pop(0)
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms)


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
