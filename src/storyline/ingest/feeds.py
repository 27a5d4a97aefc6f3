"""RSS 0.9x/1.0/2.0 and Atom feeds → :class:`~storyline.model.Article` objects.

The feed is fetched with :class:`~storyline.ingest.http.PoliteClient` (conditional GET, size cap,
politeness) and parsed with feedparser, which is never allowed to fetch anything itself. We
decode the bytes ourselves first because feedparser trusts a declared encoding even when the
body is plainly in another one (a UTF-8 feed declared windows-1251 comes out as mojibake).

Nothing here raises on bad input. :func:`fetch_feed` always returns a :class:`FeedResult` whose
``status`` is ``"ok"``, ``"not_modified"`` or ``"error"``; ``error`` is a one-line message naming
the URL, and ``warnings`` lists everything that was skipped or repaired (malformed XML with the
entries recovered, a body cut at the size cap, wrong encodings, bad dates, ...).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin

import feedparser

from storyline.ingest.http import FetchResponse, PoliteClient, decode_body
from storyline.ingest.pages import fill_teasers
from storyline.model import Article, Source
from storyline.normalize import clean_text, detect_language, parse_date

FeedStatus = Literal["ok", "not_modified", "error"]

#: What we ask servers for; ``*/*`` last because many feeds are served as text/html or plain.
ACCEPT_FEEDS = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)

_XML_DECL = re.compile(rb"^(\s*<\?xml[^>]*?\bencoding\s*=\s*)([\"'])([^\"']*)\2", re.I)
_XML_DECL_TEXT = re.compile(_XML_DECL.pattern.decode(), re.I)
_FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)
_LANG = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")
#: Numeric character references: one to a surrogate (``&#xD800;``) or past U+10FFFF
#: (``&#2000000;``) makes feedparser's fallback parser raise, losing the whole feed.
_CHAR_REF = re.compile(r"&#(?:x0*([0-9a-f]+)|0*([0-9]+));", re.I)


@dataclass
class FeedResult:
    """What one fetch of one feed produced, including what the source's health fields need.

    ``etag`` and ``last_modified`` are always the values to store for the next conditional GET:
    fresh ones after a full 200, the server's (or the previous) ones after a 304, and the
    previous ones after an error or a truncated body (so a partial read is fetched again).
    ``http_status`` is 0 when no HTTP answer arrived.
    """

    source: str
    url: str
    status: FeedStatus
    articles: list[Article] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    http_status: int = 0
    fetched_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """True for ``"ok"`` and ``"not_modified"``: the source is healthy."""
        return self.status != "error"


@dataclass
class _Parsed:
    articles: list[Article]
    warnings: list[str]
    error: str | None = None


def fetch_feed(
    source: Source,
    client: PoliteClient,
    *,
    fetch_pages: bool | None = None,
    min_chars: int = 400,
    now: datetime | None = None,
) -> FeedResult:
    """Fetch and parse one feed source; never raises.

    ``fetch_pages`` overrides ``source.fetch_pages`` (pass ``False`` to fill teasers later,
    for example only for articles not yet in the store, with
    :func:`storyline.ingest.pages.fill_teasers`). ``min_chars`` is the teaser threshold.
    """
    now = now or datetime.now(UTC)
    url = source.url or ""
    result = FeedResult(
        source=source.name,
        url=url,
        status="error",
        etag=source.etag,
        last_modified=source.last_modified,
        fetched_at=now,
    )
    if not url:
        result.error = f"source {source.name!r} has no feed URL"
        return result
    try:
        resp = client.get(
            url, etag=source.etag, last_modified=source.last_modified, accept=ACCEPT_FEEDS
        )
        _fill_from_response(result, resp, source, now)
        if result.status == "ok" and result.articles:
            pages = source.fetch_pages if fetch_pages is None else fetch_pages
            if pages:
                result.warnings.extend(fill_teasers(result.articles, client, min_chars=min_chars))
    except Exception as exc:  # last line of defence: one bad source must not stop a run
        result.status = "error"
        result.error = f"internal error ingesting {url}: {type(exc).__name__}: {exc}"
    return result


def _fill_from_response(
    result: FeedResult, resp: FetchResponse, source: Source, now: datetime
) -> None:
    result.http_status = resp.status
    result.url = resp.url
    result.warnings.extend(resp.warnings)
    if resp.redirects and resp.status in range(200, 400):
        result.warnings.append(f"{resp.redirects[0]} redirected to {resp.url}")
    if resp.error:
        result.error = resp.error
        return
    if resp.not_modified:
        result.status = "not_modified"
        result.etag = resp.headers.get("etag") or source.etag
        result.last_modified = resp.headers.get("last-modified") or source.last_modified
        return
    parsed = _parse(resp.body, resp.url, source, charset=resp.charset, now=now)
    result.warnings.extend(parsed.warnings)
    if parsed.error:
        result.error = parsed.error
        if resp.truncated:
            result.error += " (the body was truncated)"
        return
    result.status = "ok"
    result.articles = parsed.articles
    for article in result.articles:
        article.fetched = now
    if not resp.truncated:
        result.etag = resp.headers.get("etag")
        result.last_modified = resp.headers.get("last-modified")


def parse_feed(
    body: bytes,
    base_url: str,
    source: Source,
    *,
    charset: str | None = None,
    now: datetime | None = None,
) -> tuple[list[Article], list[str]]:
    """Parse a feed document into articles plus warnings; never raises.

    ``base_url`` resolves relative links; ``charset`` is the HTTP-declared charset, if any.
    A document that is not a feed at all gives no articles and says so in the warnings.
    """
    try:
        parsed = _parse(body, base_url, source, charset=charset, now=now)
    except Exception as exc:  # feedparser is tolerant, but be total anyway
        return [], [f"could not parse {base_url}: {type(exc).__name__}: {exc}"]
    warnings = list(parsed.warnings)
    if parsed.error:
        warnings.append(parsed.error)
    return parsed.articles, warnings


def _parse(
    body: bytes, base_url: str, source: Source, *, charset: str | None, now: datetime | None
) -> _Parsed:
    if not body or not body.strip():
        return _Parsed([], [], f"empty response body from {base_url}")
    match = _XML_DECL.match(body[:512])
    declared_xml = match.group(3).decode("ascii", "replace") if match else None
    text, _, enc_warnings = decode_body(body, [charset, declared_xml])
    warnings = [f"{base_url}: {w}" for w in enc_warnings]
    # The bytes handed on are UTF-8, so the declaration (if any) must say so.
    text = _XML_DECL_TEXT.sub(lambda m: f"{m.group(1)}{m.group(2)}utf-8{m.group(2)}", text, 1)
    data = _CHAR_REF.sub(_replace_bad_char_ref, text).encode("utf-8")
    # A stream, never str/bytes: feedparser treats a string as a URL or file name to open.
    doc = feedparser.parse(
        io.BytesIO(data),
        # No base URL on purpose: feedparser would also "resolve" non-URL guids such as
        # "12345" into made-up URLs. Links are resolved in _entry_link instead.
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    entries = doc.get("entries") or []
    if doc.get("bozo"):
        exc = doc.get("bozo_exception")
        reason = f"{type(exc).__name__}: {exc}" if exc else "unknown error"
        if entries:
            warnings.append(
                f"malformed feed {base_url} ({reason}); kept {len(entries)} recovered entries"
            )
        else:
            return _Parsed(
                [], warnings, f"malformed feed {base_url}: {reason}; no entries recovered"
            )
    if not entries and not doc.get("version"):
        head = clean_text(text[:200].replace("\n", " "))[:80]
        return _Parsed([], warnings, f"not a feed: {base_url} (starts with {head!r})")
    feed_lang = _lang_code(doc.get("feed", {}).get("language"))
    articles: list[Article] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        article = _entry_to_article(entry, index, base_url, source, feed_lang, now)
        if article is None:
            warnings.append(f"{base_url}: skipped entry #{index + 1}: no title, text or link")
            continue
        item_id = article.meta["feed_item_id"]
        if item_id in seen:
            warnings.append(f"{base_url}: skipped repeated item {item_id}")
            continue
        seen.add(item_id)
        for w in article.meta.get("warnings", []):
            warnings.append(f"{base_url}: item {item_id}: {w}")
        articles.append(article)
    return _Parsed(articles, warnings)


def _replace_bad_char_ref(match: re.Match[str]) -> str:
    """U+FFFD for a reference to a surrogate or to no code point; any other as it was."""
    digits, base = (match.group(1), 16) if match.group(1) else (match.group(2), 10)
    code = int(digits, base) if len(digits) <= 8 else 0x110000
    return "\ufffd" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group(0)


def _entry_to_article(
    entry: Any,
    index: int,
    base_url: str,
    source: Source,
    feed_lang: str | None,
    now: datetime | None,
) -> Article | None:
    """Map one feedparser entry to an Article; ``None`` for an entry with nothing in it."""
    item_warnings: list[str] = []
    title = clean_text(entry.get("title"))
    text, text_from = _best_text(entry)
    url = _entry_link(entry, base_url)
    if not (title or text or url):
        return None
    guid = str(entry.get("id") or "").strip()
    if not guid:
        guid = url or "sha1:" + hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()
    published = _entry_date(entry, now, item_warnings)
    lang, lang_from = _entry_lang(entry, feed_lang, title, text, source)
    meta: dict[str, Any] = {
        "feed_item_id": guid,
        "feed_url": base_url,
        "text_from": text_from,
        "lang_from": lang_from,
    }
    author = clean_text(entry.get("author"))
    if author:
        meta["author"] = author
    tags = [clean_text(t.get("term")) for t in entry.get("tags") or [] if t.get("term")]
    if tags:
        meta["tags"] = tags
    if item_warnings:
        meta["warnings"] = item_warnings
    return Article(
        title=title,
        text=text,
        url=url,
        published=published,
        lang=lang,
        source=source.name,
        source_id=source.id,
        meta=meta,
    )


def _best_text(entry: Any) -> tuple[str, str]:
    """The longest of the entry's full content and its summary, and which one it was."""
    best, where = "", "none"
    for item in entry.get("content") or []:
        value = clean_text(item.get("value"))
        if len(value) > len(best):
            best, where = value, "content"
    summary = clean_text(entry.get("summary"))
    if len(summary) > len(best):
        best, where = summary, "summary"
    return best, where


def _entry_link(entry: Any, base_url: str) -> str | None:
    """The item's http(s) link, resolved against the feed URL; ``None`` if it has none.

    A guid stands in for the link only when it is itself an absolute URL (feedparser copies
    any permalink guid, even "12345", into ``link``).
    """
    candidates: list[str] = []
    if not entry.get("guidislink"):
        candidates.append(entry.get("link") or "")
    candidates += [
        link.get("href") or ""
        for link in entry.get("links") or []
        if link.get("rel", "alternate") == "alternate" and link.get("href") != entry.get("id")
    ]
    for value in candidates:
        try:
            value = urljoin(base_url, value.strip()) if value.strip() else ""
        except ValueError:  # e.g. "http://[::1" (a broken IPv6 host): not a usable link
            continue
        if value.lower().startswith(("http://", "https://")):
            return value
    guid = str(entry.get("id") or "").strip()
    return guid if guid.lower().startswith(("http://", "https://")) else None


def _entry_date(entry: Any, now: datetime | None, warnings: list[str]) -> datetime | None:
    """Published (else updated) date in UTC; a future or unparseable date is ``None`` + warning."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        parsed = entry.get(f"{key}_parsed")
        # A date without a digit ("n/a", "unknown") is junk; the free-text fallback in
        # parse_date would read some of those as today.
        text = raw if any(c.isdigit() for c in str(raw)) else None
        value = parse_date(parsed, now=now) or parse_date(text, now=now)
        if value is not None:
            return value
        someday = parse_date(parsed, now=_FAR_FUTURE) or parse_date(text, now=_FAR_FUTURE)
        if someday is not None:
            warnings.append(f"date {raw!r} is in the future; publication date left unknown")
        else:
            warnings.append(f"unparseable date {raw!r}; publication date left unknown")
        return None
    return None


def _lang_code(value: object) -> str | None:
    """``'en-US'`` → ``'en'``; ``None`` for anything that is not a language tag."""
    if not isinstance(value, str):
        return None
    match = _LANG.match(value.strip())
    return match.group(0).lower() if match else None


def _entry_lang(
    entry: Any, feed_lang: str | None, title: str, text: str, source: Source
) -> tuple[str | None, str]:
    """Entry's declared language, else the feed's, else detected, else the source's."""
    details: Sequence[Any] = [
        *(entry.get("content") or []),
        entry.get("summary_detail") or {},
        entry.get("title_detail") or {},
    ]
    for detail in details:
        code = _lang_code(detail.get("language"))
        if code:
            return code, "entry"
    if feed_lang:
        return feed_lang, "feed"
    detected = detect_language(f"{title}\n{text}")
    if detected:
        return detected, "detected"
    if source.lang:
        return _lang_code(source.lang) or source.lang, "source"
    return None, "unknown"


def update_source_health(source: Source, result: FeedResult) -> None:
    """Apply one fetch's outcome to the source's health and conditional-GET fields.

    A convenience for the pipeline, which then persists the source: success resets the failure
    count; an error increments it and keeps the message.
    """
    when = result.fetched_at or datetime.now(UTC)
    source.last_fetch = when
    source.etag = result.etag
    source.last_modified = result.last_modified
    if result.ok:
        source.last_success = when
        source.last_error = None
        source.consecutive_failures = 0
    else:
        source.last_error = result.error
        source.consecutive_failures += 1
