"""A response cache for anonymous GETs, exact with respect to the database.

Pages and API answers change only when the database does. SQLite's ``PRAGMA data_version``
changes on a connection whenever *another* connection (another thread of this server, the
pipeline in another process) commits — on PostgreSQL every write transaction of the store
counts itself — so one watcher connection tells exactly when every cached answer went stale;
writes through the API bump the generation too. Entries also expire after
``ttl`` seconds as a safety net. Requests carrying credentials, non-GET requests, token-only
endpoints and non-200 answers are never cached.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Paths never served from cache (token-protected reads, login).
UNCACHED_PREFIXES = ("/api/v1/watches", "/api/v1/fetch", "/api/v1/alerts", "/login", "/static")
MAX_BODY = 2_000_000


class Generation:
    """A counter that moves whenever the database changed since it was last asked.

    SQLite: ``PRAGMA data_version`` on a watcher connection. PostgreSQL: the store's count of
    write transactions (:func:`storyline.store.postgres.change_count`), read on its own
    autocommit connection.
    """

    def __init__(self, db_path: str) -> None:
        from ..store.postgres import is_postgres_url

        self._postgres = is_postgres_url(db_path)
        if self._postgres:
            import psycopg

            self._con: Any = psycopg.connect(db_path, autocommit=True)
        else:
            self._con = sqlite3.connect(db_path, check_same_thread=False)
        self._lock = threading.Lock()
        self._seen = self._data_version()
        self.value = 0

    def _data_version(self) -> int:
        if self._postgres:
            from ..store.postgres import change_count

            return change_count(self._con)
        return self._con.execute("PRAGMA data_version").fetchone()[0]

    def current(self) -> int:
        with self._lock:
            version = self._data_version()
            if version != self._seen:
                self._seen = version
                self.value += 1
            return self.value

    def bump(self) -> None:
        with self._lock:
            self.value += 1

    def close(self) -> None:
        self._con.close()


class ResponseCache:
    """ASGI middleware caching complete 200 responses of anonymous GETs."""

    def __init__(self, app: ASGIApp, db_path: str, ttl: float, max_entries: int = 2000) -> None:
        self.app = app
        self.ttl = ttl
        self.max_entries = max_entries
        self.generation = Generation(db_path)
        self._entries: OrderedDict[bytes, tuple[int, float, Message, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def _cacheable(self, scope: Scope) -> bool:
        if scope["method"] != "GET" or scope["path"].startswith(UNCACHED_PREFIXES):
            return False
        for name, value in scope.get("headers", []):
            if name == b"authorization" or (name == b"cookie" and b"storyline_token" in value):
                return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
                self.generation.bump()  # a write may have changed what pages show
            return
        host = next((v for k, v in scope.get("headers", []) if k == b"host"), b"")
        key = host + b" " + scope.get("raw_path", scope["path"].encode()) + b"?" + scope.get(
            "query_string", b"")
        generation = self.generation.current()
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit and hit[0] == generation and now - hit[1] < self.ttl:
            await send(hit[2])
            await send({"type": "http.response.body", "body": hit[3]})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        if start.get("status") == 200 and len(body) <= MAX_BODY:
            with self._lock:
                self._entries[key] = (generation, now, start, body)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
