"""A polite, bounded HTTP client for feeds and article pages.

Every fetch in storyline goes through :class:`PoliteClient` so that all of them share the same
manners and limits: a User-Agent that names storyline, a minimum delay between two requests to
one host, connect/read timeouts plus an overall deadline, a cap on the body size (the body is
streamed and cut at the cap, never loaded whole), a bounded number of redirects with loop
detection, conditional GET, and a URL guard checked on every hop (private addresses refused by
default).

:meth:`PoliteClient.get` never raises for network or HTTP faults: it returns a
:class:`FetchResponse` whose ``error`` says what went wrong and for which URL. That keeps one bad
source from stopping an ingest run and gives the pipeline a message to store as source health.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from storyline import __version__, netguard
from storyline.netguard import BlockedURL, default_guard, guarded_transport

#: Default User-Agent: names the program so site operators know who is calling.
USER_AGENT = f"storyline/{__version__} (offline news reader; feed and article fetcher)"

#: A URL guard is called with every URL before it is requested (the first one and each redirect
#: target). It refuses a URL by raising (any exception; ``ValueError`` is customary) with a
#: message saying why; returning normally allows the request.
UrlGuard = Callable[[str], None]

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


@dataclass
class FetchResponse:
    """The outcome of one :meth:`PoliteClient.get`, successful or not.

    ``status`` is the final HTTP status, or 0 when no HTTP response arrived (DNS failure,
    refused connection, timeout, redirect loop, refused by the URL guard). ``url`` is the URL
    after redirects. ``error`` is ``None`` on success (2xx or 304) and otherwise a one-line
    message naming the URL. ``truncated`` means ``body`` is not the whole response: it hit the
    size cap or the connection broke mid-body (``warnings`` says which).
    """

    url: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    error: str | None = None
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)  # the URLs redirected from, in order

    @property
    def ok(self) -> bool:
        """True for a usable answer: a 2xx with a body or a 304 Not Modified."""
        return self.error is None

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, if the server declared one."""
        match = re.search(
            r"charset\s*=\s*[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.I
        )
        return match.group(1) if match else None


class PoliteClient:
    """HTTP GET with politeness delay, timeouts, size cap, bounded redirects and an URL guard.

    Parameters:
        delay_s: minimum seconds between the starts of two requests to the same host
            (``host:port``). Requests to different hosts do not wait for each other.
        timeout: ``(connect, read)`` seconds; read is the longest silence between two chunks.
        total_timeout: an overall deadline in seconds for one request (each redirect hop)
            including its body, so that a server dripping one byte at a time cannot hold a
            fetch forever.
        max_bytes: the body is cut at this many (decoded) bytes; the response is marked
            ``truncated`` and a warning says so.
        max_redirects: more hops than this is an error; a URL seen twice is a loop.
        user_agent: sent on every request.
        url_guard: the :data:`UrlGuard` checked on every hop. By default
            :func:`storyline.netguard.default_guard`, which refuses loopback, private,
            link-local and reserved addresses (after DNS resolution) unless ``allow_private``
            (or ``STORYLINE_ALLOW_PRIVATE_URLS=1``) says otherwise. Every fetch in storyline —
            CLI, web, GDELT pages, webhooks — goes through this client, so none can reach the
            machine or its network by accident.
        allow_private: allow loopback/private targets with the default guard (tests against
            127.0.0.1, local development); ``None`` reads ``STORYLINE_ALLOW_PRIVATE_URLS``.
        clock, sleep: injectable for tests (monotonic seconds and a sleeping function).
        transport: optional httpx transport (for example to bind a source address).

    Usable as a context manager; call :meth:`close` otherwise. Safe to share between threads.
    """

    def __init__(
        self,
        delay_s: float = 1.0,
        timeout: tuple[float, float] = (5.0, 20.0),
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        user_agent: str = USER_AGENT,
        url_guard: UrlGuard | None = None,
        *,
        allow_private: bool | None = None,
        total_timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.delay_s = float(delay_s)
        self.timeout = timeout
        self.total_timeout = float(total_timeout)
        self.max_bytes = int(max_bytes)
        self.max_redirects = int(max_redirects)
        self.user_agent = user_agent
        self.url_guard = url_guard or default_guard(allow_private)
        if transport is None and isinstance(self.url_guard, netguard.UrlGuard):
            # connections go only to the addresses the guard checks as they are made
            transport = guarded_transport(self.url_guard)
        self._clock = clock
        self._sleep = sleep
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()
        connect, read = timeout
        self._client = httpx.Client(
            follow_redirects=False,  # followed by hand so that the guard sees every hop
            timeout=httpx.Timeout(connect=connect, read=read, write=read, pool=connect),
            headers={"User-Agent": user_agent},
            transport=transport,
            trust_env=False,  # no proxies or netrc picked up from the environment
        )

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ------------------------------------------------------------------------
    def _wait_turn(self, url: str) -> None:
        """Sleep until ``delay_s`` has passed since the last request to this URL's host.

        The slot is reserved under the lock and the sleep happens outside it, so threads
        fetching other hosts are never held up.
        """
        if self.delay_s <= 0:
            return
        parts = urlsplit(url)
        host = f"{(parts.hostname or '').lower()}:{parts.port or ''}"
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.delay_s
        if slot > now:
            self._sleep(slot - now)

    # -- fetching --------------------------------------------------------------------------
    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        *,
        accept: str | None = None,
    ) -> FetchResponse:
        """GET ``url``, following redirects; never raises for network or HTTP faults.

        ``etag`` and ``last_modified`` (as stored from an earlier response) make the request
        conditional; a 304 answer comes back with ``not_modified=True`` and no error.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        seen: list[str] = []
        current = url
        while True:
            refusal = self._check_url(current)
            if refusal:
                return FetchResponse(url=current, error=refusal, redirects=seen)
            if current in seen:
                chain = " -> ".join([*seen, current])
                return FetchResponse(
                    url=url, error=f"redirect loop for {url}: {chain}", redirects=seen
                )
            if len(seen) > self.max_redirects:
                return FetchResponse(
                    url=current,
                    error=f"too many redirects (more than {self.max_redirects}) for {url}",
                    redirects=seen,
                )
            self._wait_turn(current)
            deadline = self._clock() + self.total_timeout  # per hop, after the polite wait
            result = self._fetch_once(current, headers, deadline)
            result.redirects = seen
            if result.status in _REDIRECT_CODES and result.error is None:
                location = result.headers.get("location")
                if not location:
                    result.error = f"HTTP {result.status} without a Location header from {current}"
                    return result
                seen.append(current)
                current = urljoin(current, location.strip())
                continue
            return result

    def _check_url(self, url: str) -> str | None:
        """Return a refusal message for a URL we must not request, else ``None``."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (raises ValueError for a port out of range)
        except ValueError as exc:
            return f"invalid URL {url!r}: {exc}"
        if parts.scheme not in ("http", "https"):
            return f"refused {url!r}: only http and https URLs are fetched"
        if not parts.hostname:
            return f"invalid URL {url!r}: no host"
        try:
            self.url_guard(url)
        except Exception as exc:  # the guard's own message says why it refused
            return f"refused {url}: {exc}"
        return None

    def _fetch_once(self, url: str, headers: dict[str, str], deadline: float) -> FetchResponse:
        """One request without following redirects; streams the body up to the cap."""
        out = FetchResponse(url=url)
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                out.status = resp.status_code
                out.headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code in _REDIRECT_CODES:
                    return out
                if resp.status_code == 304:
                    out.not_modified = True
                    return out
                if resp.status_code >= 400 or resp.status_code < 200:
                    reason = resp.reason_phrase or ""
                    out.error = f"HTTP {resp.status_code} {reason}".rstrip() + f" for {url}"
                    return out
                out.body, out.truncated, problem = self._read_capped(resp, url, deadline)
                if problem:
                    out.warnings.append(problem)
                if problem and not out.body:
                    out.error = problem
        except BlockedURL as exc:  # the address the name resolved to as we connected
            out.error = f"refused {url}: {exc}"
        except httpx.TimeoutException as exc:
            kind = type(exc).__name__.replace("Timeout", " timeout").lower()
            out.error = f"{kind} after {self._timeout_for(exc)}s fetching {url}"
        except httpx.TooManyRedirects as exc:  # not expected (we follow by hand) but harmless
            out.error = f"too many redirects for {url}: {exc}"
        except httpx.InvalidURL as exc:
            out.error = f"invalid URL {url!r}: {exc}"
        except (httpx.HTTPError, httpx.StreamError, OSError, ValueError) as exc:
            out.error = f"{type(exc).__name__} fetching {url}: {exc or 'no detail'}"
        return out

    def _timeout_for(self, exc: httpx.TimeoutException) -> float:
        return (
            self.timeout[0]
            if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            else self.timeout[1]
        )

    def _read_capped(
        self, resp: httpx.Response, url: str, deadline: float
    ) -> tuple[bytes, bool, str | None]:
        """Read the body up to ``max_bytes`` and the deadline; say why it stopped early."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_bytes():  # as received, so the deadline is checked often
                if size + len(chunk) > self.max_bytes:
                    chunks.append(chunk[: self.max_bytes - size])
                    size = self.max_bytes
                    return (
                        b"".join(chunks),
                        True,
                        f"response from {url} cut at the {self.max_bytes}-byte cap",
                    )
                chunks.append(chunk)
                size += len(chunk)
                if self._clock() > deadline:
                    return (
                        b"".join(chunks),
                        True,
                        f"response from {url} cut after {size} bytes: "
                        f"exceeded the {self.total_timeout:g}s total timeout",
                    )
        except httpx.TimeoutException:
            return (
                b"".join(chunks),
                True,
                (
                    f"read timeout after {self.timeout[1]:g}s and {size} bytes from {url}; "
                    "body truncated"
                ),
            )
        except (httpx.HTTPError, httpx.StreamError, OSError) as exc:
            return (
                b"".join(chunks),
                True,
                (
                    f"connection broke after {size} bytes from {url} ({type(exc).__name__}: "
                    f"{exc or 'no detail'}); body truncated"
                ),
            )
        return b"".join(chunks), False, None


# -- text decoding shared by feeds and pages --------------------------------------------------

_FALLBACKS = ("cp1251", "cp1252")


def _norm_codec(name: str | None) -> str | None:
    """The Python codec name for a declared charset, or ``None`` if unknown or not a charset
    (a server may declare "base64", "undefined", "idna" or a name with a NUL in it)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


#: Text codecs Python has that no web page is written in (they raise on ordinary bytes).
_NOT_CHARSETS = frozenset({"undefined", "idna", "punycode", "raw-unicode-escape",
                           "unicode-escape"})


def decode_body(body: bytes, declared: Iterable[str | None] = ()) -> tuple[str, str, list[str]]:
    """Decode bytes whose declared charsets may be missing or wrong.

    Returns ``(text, encoding used, warnings)``. Order of trust: a byte-order mark; valid UTF-8
    with non-ASCII bytes (legacy Cyrillic or Latin text is practically never valid UTF-8, so a
    UTF-8 body mislabelled as windows-1251 is caught here); the declared charsets in order
    (HTTP header, then the document's own declaration) if they decode cleanly; a statistical
    guess (charset_normalizer); finally windows-1251/1252 with replacement characters.
    """
    warnings: list[str] = []
    declared_codecs = [c for c in (_norm_codec(d) for d in declared) if c]
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            try:
                return body.decode("utf-8-sig" if enc == "utf-8" else enc), enc, warnings
            except UnicodeDecodeError:
                break
    if not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            wrong = [d for d in declared_codecs if d not in ("utf-8", "ascii")]
            if wrong:
                warnings.append(f"declared encoding {wrong[0]} is wrong: the body is UTF-8")
            return text, "utf-8", warnings
    for enc in declared_codecs:
        try:
            return body.decode(enc), enc, warnings
        except (UnicodeError, LookupError, ValueError):
            warnings.append(f"declared encoding {enc} does not decode the body")
    if body.isascii():
        return body.decode("ascii"), "ascii", warnings
    guess: str | None = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        guess = _norm_codec(best.encoding) if best else None
    except Exception:  # the guesser is optional help; fall through to fixed fallbacks
        guess = None
    for enc in ([guess] if guess else []) + list(_FALLBACKS):
        try:
            text = body.decode(enc)
        except (UnicodeError, LookupError, ValueError):
            continue
        what = "no usable encoding declared" if not declared_codecs else "declared encoding failed"
        warnings.append(f"{what}; decoded as {enc} (guessed)")
        return text, enc, warnings
    warnings.append("could not determine the encoding; decoded as windows-1252 with replacements")
    return body.decode("cp1252", errors="replace"), "cp1252", warnings
