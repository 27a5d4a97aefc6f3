"""Outlets across scripts, and translated reprints.

A wire service publishes in several languages under names in several scripts: "TASS" and
"ТАСС", "BelTA" and "БелТА", "RIA Novosti" and "РИА Новости". Its English report of a happening
is usually a translation of its Russian one, not a second witness. :func:`outlet_key` gives one
key per outlet whatever the script; :func:`translations` finds, among the reports of one event,
those that are the same outlet's report in another language within :data:`TRANSLATION_DAYS` of
an earlier one and tell the same thing (:func:`same_content`: length, resolved actors, numbers)
— a *translation*, shown as such in briefs and never counted as another outlet. The same
outlet's preview of a summit and its report of the outcome two days later are not one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime

from storyline.enrich.entities import transliterate
from storyline.model import Article

__all__ = ["TRANSLATION_DAYS", "outlet_key", "translations"]

T_UNKNOWN = datetime(1970, 1, 1, tzinfo=UTC)  # an undated report's day for the key extraction

#: A same-outlet report in another language this close to an earlier one may be its translation.
TRANSLATION_DAYS = 1.0

#: News agencies by :func:`outlet_key`: reporters named in reports ("Reuters reported"), never
#: the story's actors.
NEWS_AGENCIES = frozenset({
    "reuters", "ap", "associatedpress", "afp", "agencefrancepresse", "dpa", "efe", "ansa",
    "xinhua", "bloomberg", "tass", "itartass", "interfax", "rianovosti", "ria", "belta",
    "ukrinform", "unian", "pap", "kyodo", "yonhap", "anadolu", "upi"})

# Parenthesised additions that name an edition, not another outlet: "Le Monde (English)".
_EDITION = re.compile(r"\s*\((?:english|english edition|en|in english|на русском|russian)\)\s*$",
                      re.IGNORECASE)


def outlet_key(name: str | None) -> str:
    """One key per outlet across scripts and editions: lower-cased, Cyrillic transliterated,
    accents, punctuation and spaces dropped ("ТАСС" and "TASS" → "tass")."""
    if not name:
        return ""
    text = _EDITION.sub("", name).lower()
    text = transliterate(text).replace("ks", "x")  # "Интерфакс" → "interfax"
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def same_content(a: Article, b: Article) -> bool:
    """Whether two reports in different languages tell the same thing: lengths within a factor
    of 1.7, and at least half of their resolved actors and of their numbers shared."""
    from storyline.cluster.xling import extract_keys

    la, lb = len(a.text or "") + len(a.title or ""), len(b.text or "") + len(b.title or "")
    if min(la, lb) * 1.7 < max(la, lb):
        return False
    ka, kb = (extract_keys(f"{x.title}\n{(x.text or '')[:1000]}",
                           (x.published or T_UNKNOWN).date(), x.lang) for x in (a, b))
    return _jaccard(ka.actors, kb.actors) >= 0.5 and _jaccard(ka.numbers, kb.numbers) >= 0.5


def translations(articles: Iterable[Article]) -> dict[int, int]:
    """``{article id: id of the report it translates}`` among ``articles`` (one event's reports):
    a report is a translation when the same outlet (:func:`outlet_key`) published the event in
    another language earlier (or at the same time, with a smaller id) within
    :data:`TRANSLATION_DAYS`, telling the same thing (:func:`same_content`)."""
    arts = [a for a in articles if a.id is not None and outlet_key(a.source)]
    arts.sort(key=lambda a: (a.published.timestamp() if a.published else 0.0, a.id))
    out: dict[int, int] = {}
    for i, a in enumerate(arts):
        for b in arts[:i]:
            if (b.id in out or outlet_key(a.source) != outlet_key(b.source)
                    or (a.lang or "") == (b.lang or "")):
                continue
            if a.published and b.published and abs(
                    (a.published - b.published).total_seconds()) > TRANSLATION_DAYS * 86400:
                continue
            if not same_content(a, b):
                continue
            out[int(a.id)] = int(b.id)
            break
    return out
