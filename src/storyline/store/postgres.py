"""The PostgreSQL store, for teams: the same ``Store`` as the SQLite one, on a shared server.

``open_store("postgresql://user@host/db")`` (or ``--db`` / ``STORYLINE_DB`` set to such a URL)
gives a :class:`PostgresStore`. It *is* the SQLite store's code — every method, its
transactions, idempotent writes and cursors — running over a connection that speaks
PostgreSQL: :func:`translate` rewrites each statement once (``?`` placeholders, ``INSERT OR
IGNORE``, ``json_extract``/``json_each``, two-argument ``min``/``max``, ``sum`` of a
comparison, subqueries without an alias, SQLite's NULL ordering) and :class:`_Cursor` hands
back ``lastrowid`` from a ``RETURNING id``. What cannot be translated is written here for
PostgreSQL: the schema (``postgres_schema.sql``: full-text search is a generated ``tsvector``
with a GIN index instead of an FTS5 table), the two search methods and the weekly series.

One storyline database per PostgreSQL database (or schema, through the URL's ``options``).
The schema is created on first use; its version is kept in ``storyline_schema``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model import Event
from .base import SearchHit, StoreError
from .query import SearchQuery, parse
from .sqlite import SearchSource, SQLiteStore, _dt, _ts, migrations

#: Tables whose rows get their id from PostgreSQL (``RETURNING id`` gives ``lastrowid``).
_ID_TABLES = {"sources", "articles", "event_records", "tokens", "watches", "alerts", "events"}
SCHEMA_VERSION = 5  # the SQLite migrations postgres_schema.sql corresponds to
_WRITE_LOCK = 0x5709_11E  # the advisory lock key of storyline's writers


def is_postgres_url(location: str) -> bool:
    return str(location).startswith(("postgres://", "postgresql://"))


# ------------------------------------------------------------------------------ translation
def _split_literals(sql: str) -> list[tuple[bool, str]]:
    """``sql`` as (is_literal, text) pieces: single-quoted literals apart from the rest."""
    out, buf, i = [], [], 0
    while i < len(sql):
        ch = sql[i]
        if ch == "'":
            if buf:
                out.append((False, "".join(buf)))
                buf = []
            j = i + 1
            while j < len(sql):
                if sql[j] == "'" and j + 1 < len(sql) and sql[j + 1] == "'":
                    j += 2
                    continue
                if sql[j] == "'":
                    break
                j += 1
            out.append((True, sql[i : j + 1]))
            i = j + 1
            continue
        buf.append(ch)
        i += 1
    if buf:
        out.append((False, "".join(buf)))
    return out


def _close_paren(text: str, start: int) -> int:
    """Index of the parenthesis closing the one at ``start`` (``-1`` if unbalanced)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


_CLAUSES = {"WHERE", "GROUP", "ORDER", "LIMIT", "OFFSET", "UNION", "JOIN", "HAVING", "ON",
            "LEFT", "INNER", "CROSS", "EXCEPT", "INTERSECT"}


def _alias_subqueries(code: str) -> str:
    """``FROM (SELECT ...)`` with no alias gets one (PostgreSQL 15 requires it)."""
    out, pos, n = [], 0, 0
    for m in re.finditer(r"\bFROM\s*\(\s*SELECT\b", code, re.I):
        if m.start() < pos:
            continue
        open_at = code.index("(", m.start())
        close = _close_paren(code, open_at)
        if close < 0:
            break
        following = re.match(r"\s*([A-Za-z_]\w*)", code[close + 1 :])
        if following and following.group(1).upper() not in _CLAUSES:
            continue  # "AS name" or a bare alias already
        n += 1
        out.append(code[pos : close + 1] + f" AS _sub{n}")
        pos = close + 1
    out.append(code[pos:])
    return "".join(out)


def _sqlite_null_order(code: str) -> str:
    """SQLite sorts NULL first ascending and last descending; PostgreSQL the other way round.
    Every ORDER BY term without an explicit NULLS gets SQLite's order."""
    out, pos = [], 0
    for m in re.finditer(r"\bORDER\s+BY\b", code, re.I):
        start = m.end()
        depth, end = 0, len(code)
        for i in range(start, len(code)):
            ch = code[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
            elif depth == 0 and re.match(r"\s(LIMIT|OFFSET)\b", code[i:], re.I):
                end = i
                break
        terms, depth, cur = [], 0, []
        for ch in code[start:end]:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            if ch == "," and depth == 0:
                terms.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
        terms.append("".join(cur))
        fixed = []
        for t in terms:
            body = t.rstrip()
            if re.search(r"\bNULLS\s+(FIRST|LAST)\s*$", body, re.I):
                fixed.append(t)
            elif re.search(r"\bDESC\s*$", body, re.I):
                fixed.append(body + " NULLS LAST" + t[len(body):])
            else:
                fixed.append(body + " NULLS FIRST" + t[len(body):])
        out.append(code[pos:start] + ",".join(fixed))
        pos = end
    out.append(code[pos:])
    return "".join(out)


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, bool]:
    """A SQLite statement of the store in PostgreSQL (psycopg placeholders), and whether it
    ends in ``RETURNING id`` (an INSERT into a table with a generated id)."""
    pieces = []
    for literal, text in _split_literals(sql):
        if literal:
            pieces.append(text.replace("%", "%%"))
            continue
        text = text.replace("%", "%%").replace("?", "%s")
        text = re.sub(r"\bBEGIN\s+IMMEDIATE\b", "BEGIN", text, flags=re.I)
        text = re.sub(r"\bjson_each\(\s*([\w.]+)\s*\)\s+(\w+)",
                      r"json_array_elements_text(\1::json) AS \2(value)", text)
        text = re.sub(r"\bjson_array_length\(\s*([\w.]+)\s*\)",
                      r"json_array_length(\1::json)", text)
        text = re.sub(r"\bmin\(\s*([\w.]+)\s*,\s*([\w.]+)\s*\)", r"LEAST(\1, \2)", text)
        text = re.sub(r"\bmax\(\s*([\w.]+)\s*,\s*([\w.]+)\s*\)", r"GREATEST(\1, \2)", text)
        text = re.sub(r"\bsum\(\s*([\w.]+)\s*(>=|<=|!=|>|<|=)\s*([\w.%]+)\s*\)",
                      r"sum(CASE WHEN \1 \2 \3 THEN 1 ELSE 0 END)", text)
        pieces.append(text)
    out = "".join(pieces)
    # json_extract(col, '$.key') -> (col::json->>'key')
    out = re.sub(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", r"(\1::json->>'\2')", out)
    out, ignore = re.subn(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", "INSERT INTO", out, flags=re.I)
    if ignore:
        out += " ON CONFLICT DO NOTHING"
    out = _alias_subqueries(out)
    out = _sqlite_null_order(out)
    table = re.match(r"\s*INSERT\s+INTO\s+(\w+)", out, re.I)
    returning = bool(table and table.group(1).lower() in _ID_TABLES)
    if returning:
        out += " RETURNING id"
    return out, returning


# ------------------------------------------------------------------------------ connection
class _Row(tuple):
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    _names: tuple[str, ...]
    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: tuple[str, ...], index: dict[str, int]
                ) -> _Row:
        row = super().__new__(cls, tuple(_plain(v) for v in values))
        row._names, row._index = names, index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _plain(value: Any) -> Any:
    """PostgreSQL's sum/avg give Decimals where SQLite gives int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _row_factory(cursor: Any) -> Any:
    names = tuple(c.name for c in cursor.description or ())
    index = {n: i for i, n in enumerate(names)}
    return lambda values: _Row(values, names, index)


class _Cursor:
    """What the store's code reads from ``execute``: rows, ``rowcount`` and ``lastrowid``."""

    def __init__(self, cur: Any, returning: bool):
        self._cur = cur
        self.rowcount = cur.rowcount
        self.lastrowid = None
        if returning:
            row = cur.fetchone() if cur.description else None
            self.lastrowid = row[0] if row is not None else None

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class _Connection:
    """``execute``/``executemany`` with SQLite's SQL, run on a psycopg connection."""

    def __init__(self, conn: Any):
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _Cursor:
        text, returning = translate(sql)
        cur = self.conn.cursor()
        cur.execute(text, list(params or ()))
        return _Cursor(cur, returning)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> _Cursor:
        text, returning = translate(sql)
        if returning:
            text = text[: -len(" RETURNING id")]
        cur = self.conn.cursor()
        rows = [list(p) for p in seq]
        if rows:
            cur.executemany(text, rows)
        return _Cursor(cur, False)

    def close(self) -> None:
        self.conn.close()


# ------------------------------------------------------------------------------ the store
class PostgresStore(SQLiteStore):
    """The store on PostgreSQL. Open with ``PostgresStore("postgresql://user@host/db")``."""

    def __init__(self, url: str, *, readonly: bool = False):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - an install without the extra
            raise StoreError("PostgreSQL needs psycopg: pip install 'storyline[postgres]'"
                             ) from exc
        self.path = re.sub(r"//([^:@/]*):[^@/]*@", r"//\1:***@", url)  # no password in output
        try:
            conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory,
                                   connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect: {exc}".strip()) from exc
        self.db = _Connection(conn)  # type: ignore[assignment]
        self._depth = 0
        self._held: set[str] = set()
        try:
            if not readonly:
                self.migrate()
            elif self.schema_version == 0:
                raise StoreError(f"{self.path}: not a storyline database (no schema)")
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(f"{self.path}: cannot prepare the database: {exc}") from exc

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """As :meth:`SQLiteStore.transaction`, with SQLite's one-writer-at-a-time rule: every
        write transaction first takes one advisory lock (held to its end), so two processes
        writing the same database (a pipeline and the web server, two fetchers) take turns as
        they do on SQLite (``BEGIN IMMEDIATE``) — the store's read-then-write steps, such as
        issuing the next event id, stay correct. It also counts itself in
        ``storyline_changes``, which tells the web server's cache that answers went stale
        (:func:`change_count`)."""
        if self._depth:
            with super().transaction():
                yield
            return
        with super().transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (_WRITE_LOCK,))
            self.db.execute("UPDATE storyline_changes SET n = n + 1")
            yield

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """As :meth:`SQLiteStore.exclusive`: a session-level advisory lock keyed by ``name``."""
        if name in self._held:
            yield
            return
        key = zlib.crc32(f"storyline:{name}".encode())
        self.db.execute("SELECT pg_advisory_lock(?)", (key,))
        self._held.add(name)
        try:
            yield
        finally:
            self._held.discard(name)
            self.db.execute("SELECT pg_advisory_unlock(?)", (key,))

    # -- schema ------------------------------------------------------------------------------
    def migrate(self) -> int:
        """Create the schema in an empty database; refuse one from a newer storyline."""
        version = self.schema_version
        newest = max(v for v, _, _ in migrations())
        if version == 0:
            schema = resources.files("storyline.store").joinpath("postgres_schema.sql")
            with SQLiteStore.transaction(self):  # no change counter to bump yet
                self.db.conn.execute(schema.read_text(encoding="utf-8"))
                self.db.execute("INSERT INTO storyline_schema(version) VALUES (?)",
                                (SCHEMA_VERSION,))
            version = SCHEMA_VERSION
        if version == 4 and newest >= 5:  # 0005: tracked storylines
            with SQLiteStore.transaction(self):
                self.db.conn.execute(_tracked_tables())
                self.db.execute("INSERT INTO storyline_schema(version) VALUES (5)")
            version = 5
        if version > newest:
            raise StoreError(f"{self.path}: schema version {version} is newer than this "
                             f"storyline ({newest}); upgrade storyline")
        if version < newest:
            raise StoreError(f"{self.path}: schema version {version}; this storyline needs "
                             f"{newest} and has no PostgreSQL migration for it yet")
        return version

    @property
    def schema_version(self) -> int:
        exists = self.db.execute("SELECT to_regclass('storyline_schema')").fetchone()[0]
        if not exists:
            return 0
        row = self.db.execute("SELECT max(version) FROM storyline_schema").fetchone()
        return int(row[0] or 0)

    # -- what the translation cannot express -------------------------------------------------
    def save_events(self, events: Iterable[Event]) -> None:
        evs = list(events)
        for ev in evs:  # SQLite hands out a new id on insert; here ids come from new_event_id
            if ev.id is None:
                ev.id = self.new_event_id()
        super().save_events(evs)

    def search(self, query: str, *, limit: int = 20, lang: str | None = None) -> list[SearchHit]:
        """Full-text search over title and text (``tsvector``, ``ts_rank``); originals only.
        The query means what it means on SQLite (:func:`storyline.store.query.parse`)."""
        sq = parse(query)
        if not sq:
            return []
        src = self._search_source(sq)
        where, args = [*src.where, "a.duplicate_of IS NULL"], list(src.args)
        if lang:
            where.append("a.lang = %s")
            args.append(lang)
        sql = (f"SELECT a.id, {src.rank} AS rank FROM {src.source} WHERE {' AND '.join(where)} "
               "ORDER BY rank DESC, a.id DESC LIMIT %s")
        rows = self.db.conn.execute(sql, [*args, limit]).fetchall()
        return self._search_hits(sq, [(r[0], float(r[1])) for r in rows], ("[", "]", 14))

    def search_articles(
        self, query: str, *, lang: str | None = None, source: str | None = None,
        since: datetime | None = None, until: datetime | None = None, after_id: int = 0,
        limit: int = 20, offset: int = 0, order: str = "rank", window: int = 1000,
    ) -> list[SearchHit]:
        """As :meth:`SQLiteStore.search_articles` (the ``window`` newest matches ranked, or
        matches after ``after_id`` in id order), over the ``tsvector`` index."""
        sq = parse(query)
        if not sq:
            return []
        src = self._search_source(sq)
        where, args = [*src.where, "a.duplicate_of IS NULL"], list(src.args)
        if after_id:
            where.append("a.id > %s")
            args.append(after_id)
        for clause, value in (("a.lang = %s", lang), ("a.source = %s", source),
                              ("a.published >= %s", _ts(since)),
                              ("a.published < %s", _ts(until))):
            if value:
                where.append(clause)
                args.append(value)
        inner = (f"SELECT a.id, {src.rank} AS rank FROM {src.source} "
                 f"WHERE {' AND '.join(where)}")
        if order == "id":
            sql = f"{inner} ORDER BY a.id LIMIT %s OFFSET %s"
            picked = self.db.conn.execute(sql, [*args, int(limit), int(offset)]).fetchall()
        else:
            sql = (f"SELECT id, rank FROM ({inner} ORDER BY a.id DESC LIMIT %s) AS recent "
                   "ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s")
            picked = self.db.conn.execute(
                sql, [*args, int(window), int(limit), int(offset)]).fetchall()
        return self._search_hits(sq, [(r[0], float(r[1])) for r in picked],
                                 ("\x02", "\x03", 14))

    # -- the search helpers of SQLiteStore, over the tsvector ----------------------------------
    def _search_source(self, sq: SearchQuery) -> SearchSource:
        """As :meth:`SQLiteStore._search_source`; rank is ``ts_rank`` (higher is better, 0 for
        a report found only through its coded records)."""
        tsq = sq.tsquery()
        if not self._records_for(sq.actors):
            return SearchSource("articles a, to_tsquery('simple', %s) q", ["a.fts @@ q"],
                                "ts_rank(a.fts, q)", "a.id", [tsq])
        parts, args = [], [tsq]
        for group in sq.groups:
            cond = "a.fts @@ to_tsquery('simple', %s)"
            args.append(group.tsquery())
            if group.actors:
                cond = (f"({cond} OR a.id IN (SELECT article_id FROM event_records WHERE "
                        "source_actor = ANY(%s) OR target_actor = ANY(%s)))")
                args += [list(group.actors), list(group.actors)]
            parts.append(cond)
        return SearchSource("articles a, to_tsquery('simple', %s) q", [f"({sq.combine(parts)})"],
                            "ts_rank(a.fts, q)", "a.id", args)

    def _snippets(self, sq: SearchQuery, ids: list[int],
                  marks: tuple[str, str, int]) -> dict[int, str]:
        """Highlighted fragments of the reports the text query matches (not of those found
        only through their coded records)."""
        start, stop, words = marks
        options = (f"StartSel={start}, StopSel={stop}, MaxWords={int(words)}, MinWords=6, "
                   "MaxFragments=1")
        return dict(self.db.conn.execute(
            "SELECT a.id, ts_headline('simple', a.text, q, %s) FROM articles a, "
            "to_tsquery('simple', %s) q WHERE a.id = ANY(%s) AND a.fts @@ q",
            [options, sq.tsquery(), ids]).fetchall())

    def actor_table(self, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """As :meth:`SQLiteStore.actor_table` (PostgreSQL sorts on the sums, not their
        aliases)."""
        rows = self.db.conn.execute(
            "SELECT actor, sum(src), sum(tgt), min(date), max(date) FROM ("
            " SELECT source_actor AS actor, 1 AS src, 0 AS tgt, date FROM event_records"
            " UNION ALL SELECT target_actor, 0, 1, date FROM event_records"
            "  WHERE target_actor IS NOT NULL) AS acts"
            " GROUP BY actor ORDER BY sum(src) + sum(tgt) DESC, actor LIMIT %s OFFSET %s",
            (int(limit), int(offset))).fetchall()
        return [{"id": r[0], "as_source": r[1], "as_target": r[2], "records": r[1] + r[2],
                 "first": _dt(r[3]), "last": _dt(r[4])} for r in rows]


def _tracked_tables() -> str:
    """The DDL of migration 0005 for PostgreSQL: the tail of ``postgres_schema.sql`` from
    its tracked storylines' comment on."""
    schema = resources.files("storyline.store").joinpath("postgres_schema.sql")
    text = schema.read_text(encoding="utf-8")
    return text[text.index("-- Tracked storylines (migration 0005"):]


def change_count(conn: Any) -> int:
    """How many write transactions the database has seen (``storyline_changes``)."""
    row = conn.execute("SELECT n FROM storyline_changes").fetchone()
    return int(row[0]) if row else 0


__all__ = ["PostgresStore", "change_count", "is_postgres_url", "translate"]
