"""Security of the web face: tokens, access rules, headers, request limits, safe URLs.

The server shows text written by strangers (article titles, bodies, outlet names, URLs), so:

- every page is rendered by Jinja2 with autoescape on; URLs placed in ``href`` go through
  :func:`safe_href` (http/https only, so ``javascript:`` links never become links);
- :class:`SecurityHeaders` sends a Content-Security-Policy without ``'unsafe-inline'``
  (``script-src 'self'``: an injected ``<script>`` or ``onerror=`` does not run even if some
  escaping were missed), plus nosniff, no framing, no referrer;
- :class:`BodyLimit` refuses request bodies over a size limit (413) before they are read;
- write endpoints need an API token (``Authorization: Bearer …``); reads can be made to need
  one too. Only the SHA-256 of a token is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Tokens start with this prefix so that they are recognisable in logs and secret scanners.
TOKEN_PREFIX = "sl_"
#: Cookie holding a token for browsers when reads need a token (set by the /login form).
TOKEN_COOKIE = "storyline_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@dataclass
class WebSettings:
    """How the server behaves; built from ``storyline serve`` options.

    ``read_token_required``: pages and read endpoints need a token too (private deployments).
    ``allow_private_urls``: feed and webhook URLs may point at loopback/private addresses
    (local development and tests only). Limits bound what one request can ask for.
    ``cache_seconds``: how long anonymous GET answers may be reused (0 turns the cache off);
    any database change invalidates them at once (see ``cache.py``).
    """

    read_token_required: bool = False
    allow_private_urls: bool = False
    max_body_bytes: int = 64 * 1024
    page_size: int = 50
    max_page_size: int = 200
    export_max_rows: int = 10_000
    cache_seconds: float = 30.0  # anonymous GETs; exact invalidation on any database change


def new_token() -> str:
    """A fresh random API token (shown once; only its hash is stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 hex (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def token_from_headers(headers: Any, cookies: dict[str, str] | None = None) -> str | None:
    """The bearer token of a request (``Authorization: Bearer``), else the login cookie."""
    auth = headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if cookies and cookies.get(TOKEN_COOKIE):
        return cookies[TOKEN_COOKIE]
    return None


def verify_token(store: Any, token: str | None) -> bool:
    """Whether ``token`` is a live token of this store."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return False
    digest = hash_token(token)
    found = store.token_by_hash(digest)
    if found is None or not hmac.compare_digest(found.hash, digest):
        return False
    now = datetime.now(UTC)
    if found.last_used is None or now - found.last_used > timedelta(hours=1):
        store.touch_token(found.id, now)  # hourly, so reads do not turn into writes
    return True


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL that is safe to put in an ``href``, else None."""
    if not url or not isinstance(url, str) or len(url) > 4000:
        return None
    url = url.strip()
    if any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


class SecurityHeaders:
    """ASGI middleware adding CSP and the other protective headers to every response."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in self.HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413.

    A declared ``Content-Length`` over the limit is refused before anything is read; a chunked
    body is counted as it arrives and cut off at the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _plain(send, 400, b"bad Content-Length")
                    return
                if declared > self.max_bytes:
                    await _plain(send, 413, b"request body too large")
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await _plain(send, 413, b"request body too large")


class BodyTooLarge(Exception):
    """Raised inside a request when its streamed body passes the limit."""


async def _plain(send: Send, status: int, text: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(text)).encode())]})
    await send({"type": "http.response.body", "body": text})
