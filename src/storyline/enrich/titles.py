"""Headlines without the outlet's name tacked on.

Scraped and syndicated headlines often end in the publisher's name: "2 dead in overnight
shooting - KSLA News 12 Shreveport, Louisiana News Weather & Sports", "… | WBTV Charlotte",
"… — РИА Новости". Two reports of *different* happenings from one station then share a run of
rare words, and the clusterer reads that as evidence that they report one happening; an event
label carries the station's slogan. :func:`strip_site_name` cuts such a tail.

The rule is stateless and conservative: the headline is split at spaced dashes and bars; the
first segment after the first one that *looks like an outlet* (a domain name, a broadcaster's call
sign such as KSLA or WSMV5, or an outlet word such as News, Weather, Channel, Tribune, Новости)
is cut together with everything after it, and only when at least three words remain. A segment
that does not look like an outlet ("… - Memphis, Tennessee" alone) is kept: it may be the
place of the happening.
"""

from __future__ import annotations

import re

__all__ = ["strip_site_name", "text_label"]

_SEPARATOR = re.compile(r"\s+[-–—|]\s+|\s*\|\s*")
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|net|org|tv|us|ru|by|ua|co\.uk|uk|info)\b", re.IGNORECASE)
# US broadcasters' call signs (KSLA, WSMV, KCTV5, WAFB 9) and similar all-capital station names.
_CALL_SIGN = re.compile(r"\b[KW][A-Z]{2,3}\d{0,2}(?:-(?:TV|DT|FM|AM))?\b")
_OUTLET_WORDS = frozenset(
    """news newsroom weather sports channel tv radio online headlines breaking times post herald
    tribune journal gazette daily chronicle courier examiner observer dispatch telegraph
    newspaper broadcasting network новости газета радио тв телеканал телеграф""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)


def _looks_like_outlet(segment: str) -> bool:
    if _DOMAIN.search(segment) or _CALL_SIGN.search(segment):
        return True
    return any(w.casefold() in _OUTLET_WORDS for w in _WORD.findall(segment))


def strip_site_name(title: str, min_words: int = 3) -> str:
    """``title`` without a trailing outlet name (see the module's rule); unchanged otherwise."""
    if not title:
        return title
    parts = _SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title
    for k in range(1, len(parts)):
        if _looks_like_outlet(parts[k]):
            head = " - ".join(p for p in parts[:k] if p).strip()
            if len(_WORD.findall(head)) >= min_words:
                return head
            return title
    return title


def text_label(text: str | None, limit: int = 160) -> str:
    """A label for a report without a headline: its first sentence once page furniture and
    tokenisation are undone (:func:`~storyline.text_clean.clean_article_text`), cut at a word
    within ``limit`` characters with "…" (not the first 120 characters of the raw page, which
    end mid-word and begin with whatever the scraper met first)."""
    from storyline.text_clean import clean_article_text
    from storyline.text_units import split_sentences

    clean = clean_article_text((text or "")[:4000])
    first = next((s for line in clean.splitlines() for s in split_sentences(line)
                  if len(s.split()) >= 4), "") or clean[:limit]
    first = " ".join(first.split())
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
