"""Candidate sentences of a storyline and their selection: what the brief writer quotes from.

:func:`article_units` cuts each report (page furniture and tokenisation undone first,
:mod:`storyline.text_clean`) into :class:`Unit` sentences, classified as fact, assessment or
outlook; a :class:`SentencePool` holds their TF-IDF vectors and picks by maximal marginal
relevance (:meth:`SentencePool.select`), never quoting one sentence twice. The small rules here
say what a sentence can stand for on its own: one opening with a pronoun or a word pointing back
at its article does not (:func:`dangles`), nor, after another report's sentence, one opening
with a definite description (:func:`points_back`); a plan voiced before the current day is history
(:func:`dated_forward`); a forward look at a day the newest report has reached is overtaken
(:func:`overtaken`); a development is dated by what the brief quotes of it (:func:`shown_day`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.mentioned_days import find_dates
from storyline.model import Article
from storyline.text_clean import clean_article_text, detokenize
from storyline.text_units import split_sentences, word_count

from .cite import STOP_WORDS
from .classify import SentenceClassifier

#: A development whose quoted reports all came this many days after its event's first report is
#: dated by them (an event the clusterer grew by a later happening must not date it earlier).
LATE_REPORT_DAYS = 7

_DANGLING = re.compile(r"(He|She|It|Its|They|Their|This|These|That|Those|Он|Она|Они|Это)\b"
                       # words that point back to what the article said before: "Other items
                       # include ...", "Another ...", "Also ...", "Such measures ..."
                       r"|(?:Other|Another|Also|Such|Besides|In addition|The other|Другие|Также)\b")


def dangles(text: str) -> bool:
    """Whether a sentence opens (after any opening quote mark) with a pronoun whose antecedent
    stays behind in its article."""
    return bool(_DANGLING.match(text.lstrip(" \"'«“„‘")))


#: "The list …", "Most of the deaths …": a definite description, or a part of one, opening a
#: sentence
_DEFINITE = re.compile(r"(?:(?:Most|Many|Some|All|Both|Each|Several|None|Half|Much|Part|One)"
                       r"\s+of\s+)?[Tt]he\s+(?P<rest>[^,;:]*)")


def points_back(text: str) -> bool:
    """Whether a sentence leans on what its article said before: it :func:`dangles`, or it
    opens with a definite description that names nothing in its first words ("The list, set
    out in a government order dated March 5, …", "The 39 states on the list are …", "Most of
    the deaths …"; not "The presidents of Northland and Eastmark signed …"). Placed after
    another report's sentence, it would read as about that report's subject."""
    bare = text.lstrip(" \"'«“„‘")
    if dangles(bare):
        return True
    m = _DEFINITE.match(bare)
    return bool(m) and not any(w[:1].isupper() for w in m.group("rest").split()[:8])


@dataclass
class Unit:
    """A candidate sentence with where it came from."""

    text: str
    article_id: int
    event_id: int
    position: int
    source: str
    lang: str
    published: datetime | None
    label: str
    #: the opening sentence of a report with a headline: its news (the inverted pyramid); a
    #: page without one starts wherever its scraper did (datelines, link lists, chat headers)
    lede: bool = False


def ts(moment: datetime | None) -> float:
    """Sortable time: POSIX seconds, or -inf when unknown (never compares naive with aware)."""
    return moment.timestamp() if moment else float("-inf")


class SentencePool:
    """All candidate sentences of a storyline, their TF-IDF vectors and the selection state."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.used: list[int] = []
        self.vectorizer = TfidfVectorizer(
            stop_words=sorted(STOP_WORDS), sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b"
        )
        try:
            self.vectors = self.vectorizer.fit_transform([u.text for u in units]).toarray()
            self.idf = dict(zip(self.vectorizer.get_feature_names_out(),
                                self.vectorizer.idf_, strict=True))
        except ValueError:  # nothing but stop words, or no units at all
            self.vectors = np.zeros((len(units), 1))
            self.idf = {}

    def centroid(self, indices: Sequence[int]) -> np.ndarray:
        if not indices:
            return np.zeros(self.vectors.shape[1])
        center = self.vectors[list(indices)].sum(axis=0)
        return center / (np.linalg.norm(center) or 1.0)

    def similarity(self, i: int, others: Sequence[int]) -> float:
        if not others:
            return 0.0
        return float(np.max(self.vectors[list(others)] @ self.vectors[i]))

    def select(
        self, candidates: Sequence[int], relevance: dict[int, float], k: int,
        lam: float, max_similarity: float,
    ) -> list[int]:
        """Up to ``k`` candidates by maximal marginal relevance; marks them used."""
        chosen: list[int] = []
        sources: set[str] = set()
        pool = [i for i in candidates if i not in self.used]
        while pool and len(chosen) < k:
            def gain(i: int) -> float:
                redundancy = self.similarity(i, self.used)
                bonus = 0.05 if self.units[i].source not in sources else 0.0
                return lam * relevance[i] - (1 - lam) * redundancy + bonus

            best = max(pool, key=lambda i: (gain(i), -i))
            pool.remove(best)
            if self.similarity(best, self.used) > max_similarity:
                continue
            chosen.append(best)
            self.used.append(best)
            sources.add(self.units[best].source)
        return chosen

    def supporters(self, i: int, limit: int, threshold: float) -> list[int]:
        """Article ids that carry sentence ``i`` (its own first, then near-identical ones of
        the same event: a line repeated in a report of another development, weeks apart,
        would date the sentence by that one)."""
        ids = [self.units[i].article_id]
        sims = self.vectors @ self.vectors[i]
        event = self.units[i].event_id
        for j in np.argsort(-sims, kind="stable"):
            if len(ids) >= limit or sims[j] < threshold:
                break
            if self.units[j].event_id == event and self.units[j].article_id not in ids:
                ids.append(self.units[j].article_id)
        return ids


def overtaken(unit: Unit, newest_ts: float) -> bool:
    """Whether a sentence looks forward to a day that the storyline's newest report has
    already reached: "will hold talks on February 26", once reports of February 26 are in;
    "is expected to unveil the plan today", once a report of a later day is in."""
    if unit.published is None or newest_ts == float("-inf"):
        return False
    newest_day = datetime.fromtimestamp(newest_ts, UTC).date()
    said = unit.published.date()
    named = find_dates(unit.text, said)
    return newest_day > said and any(said <= day <= newest_day for day in named)


def article_units(
    article: Article, event_id: int, classifier: SentenceClassifier, config: Any
) -> list[Unit]:
    """Candidate sentences of one article: whole sentences of a sensible length, in order."""
    units = []
    for position, text in enumerate(split_sentences(clean_article_text(article.text))):
        text = detokenize(text)  # a tokenised line in an untokenised page (" , risk and")
        if not config.min_words <= word_count(text) <= config.max_words:
            continue
        if text.endswith((":", ",")) or text.startswith(("http", "©", "Photo")):
            continue
        units.append(Unit(text, int(article.id or 0), event_id, position,
                          article.source or "", article.lang or "",
                          article.published, classifier.classify(text).label,
                          lede=position == 0 and bool((article.title or "").strip())))
    return units


#: Words of a statement about what is to come ("will", "plans", "expected to", "будет").
FORWARD = re.compile(
    r"\b(?i:will|won't|is to|are to|plans?|planned|planning|not yet|expected to|due to be|"
    r"is due|are due|set to|scheduled|intends?|next week|next month|upcoming)\b"
    r"|(?<!\w)(?i:будет|будут|намерен\w*|планиру\w+|собира\w+ся|ожидается)(?!\w)")


def shown_day(first: date | None, pool: SentencePool, quoted: Sequence[int]) -> date | None:
    """The day a development is shown with: its first report's, unless everything the brief
    quotes of it came more than :data:`LATE_REPORT_DAYS` later (an event the clusterer grew by
    a later happening must not date it earlier): then the day of the earliest quote."""
    days = [u.published.date() for i in quoted if (u := pool.units[i]).published]
    if first and days and min(days) > first + timedelta(days=LATE_REPORT_DAYS):
        return min(days)
    return first


def dated_forward(unit: Unit, current: date | None) -> bool:
    """Whether a sentence looks forward ("the envoy plans to ...") and was published before
    ``current`` (the day statements count as current from): history, not lead material."""
    return bool(current and unit.published and unit.published.date() < current
                and FORWARD.search(unit.text))
