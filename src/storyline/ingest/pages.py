"""Full text for feed items that carry only a teaser: fetch the page, extract the main text.

Many feeds give a sentence or two and a link. :func:`fill_teasers` fetches those pages with the
same polite, capped client used for feeds and extracts the article body with trafilatura. A page
that cannot be fetched or yields no text leaves the teaser in place and records why in
``article.meta["page_error"]``, so nothing is lost and the reason is visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storyline.ingest.http import PoliteClient, decode_body
from storyline.model import Article
from storyline.normalize import clean_text, detect_language, parse_date

#: Teaser length threshold: shorter texts are treated as teasers.
MIN_CHARS = 400

ACCEPT_PAGES = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_TEASER_END = re.compile(
    r"(\u2026|\.\.\.|\[\s*(\u2026|\.\.\.)\s*\]|read more|continue reading|"
    r"читать далее|читать полностью|подробнее|читати далі|докладніше|чытаць далей)\W*$",
    re.I,
)
_HTMLISH = ("", "text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def is_teaser(article: Article, min_chars: int = MIN_CHARS) -> bool:
    """True when the article's text looks like a teaser: short, or ending in "…"/"read more"."""
    text = article.text.strip()
    return len(text) < min_chars or bool(_TEASER_END.search(text[-40:]))


def extract_page(html: bytes | str, url: str, *, charset: str | None = None) -> str | None:
    """The main text of an HTML page (boilerplate, navigation and comments removed), or None.

    ``charset`` is the HTTP-declared charset for ``bytes`` input; the page's own ``<meta
    charset>`` is the second opinion and a wrong declaration is detected (see
    :func:`~storyline.ingest.http.decode_body`). Never raises.
    """
    try:
        import trafilatura

        if isinstance(html, bytes):
            html = _decode(html, charset)
        if not html.strip():
            return None
        text = trafilatura.extract(html, url=url, include_comments=False)
    except Exception:  # lxml/trafilatura can choke on pathological markup: "no text" then
        return None
    text = clean_text(text)
    return text or None


def _decode(body: bytes, charset: str | None) -> str:
    """An HTML body as text: the HTTP-declared charset, the page's own ``<meta charset>`` as
    the second opinion (:func:`~storyline.ingest.http.decode_body` detects a wrong one)."""
    meta = _META_CHARSET.search(body[:4096])
    declared = meta.group(1).decode("ascii", "replace") if meta else None
    return decode_body(body, [charset, declared])[0]


@dataclass
class _Page:
    """A fetched page: its final URL, its HTML as text, its main text, whether it was cut."""

    url: str
    html: str
    text: str
    truncated: bool


def _fetch_page(url: str, client: PoliteClient) -> _Page | str:
    """Fetch one HTML page and extract its main text; the page, or why there is none."""
    resp = client.get(url, accept=ACCEPT_PAGES)
    if resp.error:
        return resp.error
    if resp.content_type not in _HTMLISH:
        return f"not an HTML page ({resp.content_type}) at {resp.url}"
    html = _decode(resp.body, resp.charset)
    text = extract_page(html, resp.url)
    if not text:
        cut = " (body truncated)" if resp.truncated else ""
        return f"no main text found in {resp.url}{cut}"
    return _Page(resp.url, html, text, resp.truncated)


def _truncation_warning(page: _Page) -> str:
    return f"page {page.url} was truncated; text may be incomplete"


def fill_teasers(
    articles: Iterable[Article], client: PoliteClient, min_chars: int = MIN_CHARS
) -> list[str]:
    """Replace teaser texts with the full page text where possible; return warnings.

    Changes articles in place. On success the teaser moves to ``meta["summary"]``,
    ``meta["text_from"]`` becomes ``"page"`` and ``meta["page_url"]`` records the final URL.
    On failure the teaser stays and ``meta["page_error"]`` says why (and a warning names the URL).
    """
    warnings: list[str] = []
    for article in articles:
        if not article.url or not is_teaser(article, min_chars):
            continue
        problem = _fill_one(article, client)
        if problem:
            article.meta["page_error"] = problem
            warnings.append(f"kept the teaser for {article.url}: {problem}")
    return warnings


def fetch_article(url: str, client: PoliteClient) -> tuple[Article | None, str | None]:
    """A report from its page alone (no feed item around it): title, main text and date as the
    page gives them. Returns ``(article, None)``, or ``(None, why not)``; never raises.

    The article keeps ``url`` as asked (so it can be found under that URL), and the page's final
    URL in ``meta["page_url"]``.
    """
    page = _fetch_page(url, client)
    if isinstance(page, str):
        return None, page
    title, published = _page_metadata(page.html, page.url)
    article = Article(title=title, text=_drop_title_line(page.text, title), url=url,
                      published=published, meta={"text_from": "page", "page_url": page.url})
    if page.truncated:
        article.meta["warnings"] = [_truncation_warning(page)]
    return article, None


def _page_metadata(html: str, url: str) -> tuple[str, datetime | None]:
    """The page's headline and publication date (trafilatura's reading of its metadata)."""
    try:
        import trafilatura

        doc = trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # metadata is a bonus: a page without it still gives its text
        return "", None
    if doc is None:
        return "", None
    return clean_text(doc.title or ""), parse_date(doc.date) if doc.date else None


def _drop_title_line(text: str, title: str) -> str:
    """Remove a first line that repeats the headline (``Article.lead`` adds the title itself)."""
    first, _, rest = text.partition("\n")
    if title and rest.strip() and first.strip().casefold() == title.strip().casefold():
        return rest.strip()
    return text


def _fill_one(article: Article, client: PoliteClient) -> str | None:
    """Fetch and extract one page; return why it failed, or None on success."""
    page = _fetch_page(article.url or "", client)
    if isinstance(page, str):
        return page
    text = _drop_title_line(page.text, article.title)
    if len(text) <= len(article.text):
        return f"page text at {page.url} is no longer than the teaser"
    article.meta["summary"] = article.text
    article.text = text
    article.meta["text_from"] = "page"
    article.meta["page_url"] = page.url
    if page.truncated:
        article.meta.setdefault("warnings", []).append(_truncation_warning(page))
    if article.meta.get("lang_from") in ("detected", "source", "unknown"):
        detected = detect_language(f"{article.title}\n{text}")
        if detected:
            article.lang = detected
            article.meta["lang_from"] = "detected"
    return None
