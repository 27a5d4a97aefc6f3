"""Dated key developments of a storyline: which days mattered, and what happened on each.

This is what ``storyline timeline ID`` prints. It is extractive and unsupervised (a "datewise"
timeline summariser in the sense of Gholipour Ghalandari & Ifrim, ACL 2020, with the supervised
date ranker replaced by counts), so every line can cite the article it came from:

1. **Place sentences on days.** A sentence that names a day ("on Jan. 25", "yesterday",
   "on Monday", "25 января") is placed on the first day it names. The first ``lead_sentences``
   sentences of an article that name no day are placed on its publication day and the
   ``pub_window - 1`` days before it (news reports what happened the day before).
2. **Rank days** by how many articles were published on them and how many articles published on
   *other* days refer to them: a day that later reports keep naming is a key day.
3. **Pick sentences per day**: those closest to the day's TF-IDF centroid and to the storyline's
   query terms, skipping near-repeats of anything already picked for any day.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.model import Article
from storyline.text_units import split_sentences, word_count

#: Article identifiers as the store (int) or an input file (str) gives them.
ArticleId = int | str | None


@dataclass(frozen=True)
class Sentence:
    """One timeline sentence and the article it was taken from (what the product cites)."""

    text: str
    article_id: ArticleId


@dataclass
class TimelineEntry:
    """One key day of a storyline and the sentences that say what happened on it."""

    date: date
    sentences: list[Sentence]


@dataclass(frozen=True)
class DatedSentence:
    """A candidate timeline sentence placed on a day.

    ``mentioned`` is true when the sentence names ``date`` itself, false when it was placed there
    by its article's publication day. ``published`` is that publication day, when known.
    """

    date: date
    text: str
    article_id: ArticleId
    published: date | None = None
    mentioned: bool = True


# --------------------------------------------------------------------------- date mentions

_EN_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number], calendar.month_abbr[number]}
} | {"Sept": 9}
_RU_MONTHS = {
    name: number
    for number, name in enumerate(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
        start=1,
    )
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_RU_MONTH = "|".join(_RU_MONTHS)
_WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}
_RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1,
             "вчера": -1, "сегодня": 0, "завтра": 1}

_DATE_PATTERN = re.compile(
    rf"\b(?:(?P<m1>{_EN_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*(?P<y1>\d{{4}})\b)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_EN_MONTH})\b\.?(?:\s*,?\s*(?P<y2>\d{{4}})\b)?"
    rf"|(?P<d3>\d{{1,2}})\s+(?P<m3>{_RU_MONTH})(?:\s+(?P<y3>\d{{4}}))?"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<next>next\s+)?(?P<wd>{'|'.join(_WEEKDAYS)})\b"
    rf"|(?P<rel>(?i:yesterday|today|tonight|tomorrow|вчера|сегодня|завтра)))"
)


def _resolve_day_month(
    day: int, month: int, year: str | None, published: date | None
) -> date | None:
    """A calendar day from its parts; a missing year is the one that puts it near ``published``."""
    try:
        if year:
            return date(int(year), month, day)
        if published is None:
            return None
        guess = date(published.year, month, day)
        # "December 28" in a January article is last year's; allow a week of forward references.
        if guess > published + timedelta(days=7):
            guess = date(published.year - 1, month, day)
        return guess
    except ValueError:
        return None


def find_dates(text: str, published: date | None = None) -> list[date]:
    """Days that ``text`` names, in order of appearance, resolved against ``published``.

    Understands English "Jan. 25, 2011", "25 January", "on Monday" (the last such day up to
    ``published``; "next Monday" looks forward), "yesterday/today/tomorrow", Russian
    "25 января 2011 г.", "вчера/сегодня/завтра" and ISO dates. Relative forms need ``published``.
    Month- and year-level mentions ("in March", "2010") are ignored: a timeline needs days.
    """
    found: list[date] = []
    for match in _DATE_PATTERN.finditer(text):
        groups = match.groupdict()
        day: date | None = None
        if groups["iso"]:
            try:
                day = date.fromisoformat(groups["iso"])
            except ValueError:
                day = None
        elif groups["m1"] or groups["m2"]:
            month = _EN_MONTHS[groups["m1"] or groups["m2"]]
            day = _resolve_day_month(int(groups["d1"] or groups["d2"]), month,
                                     groups["y1"] or groups["y2"], published)
        elif groups["m3"]:
            day = _resolve_day_month(int(groups["d3"]), _RU_MONTHS[groups["m3"]], groups["y3"],
                                     published)
        elif published is not None and groups["wd"]:
            back = (published.weekday() - _WEEKDAYS[groups["wd"]]) % 7
            day = published + timedelta(days=(7 - back) % 7 or 7) if groups["next"] else (
                published - timedelta(days=back))
        elif published is not None and groups["rel"]:
            day = published + timedelta(days=_RELATIVE[groups["rel"].lower()])
        if day is not None:
            found.append(day)
    return found


# --------------------------------------------------------------------------- the builder


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def _article_id(article: Article) -> ArticleId:
    return article.id if article.id is not None else article.external_id


class TimelineBuilder:
    """Builds a storyline's timeline of key days from its articles (see the module docstring).

    Parameters are fixed at construction; ``build`` has no hidden state, so the same articles
    always give the same timeline.

    Args:
        lead_sentences: leading sentences of an article placed on its publication day(s).
        pub_window: days a lead sentence covers, counting back from publication (2: that day and
            the day before).
        published_weight: weight of "articles published that day" in a day's score.
        mentioned_weight: weight of "articles from other days that name it" in a day's score.
        query_weight: weight of similarity to the query terms against the day's centroid.
        query_terms: how many terms make the query when none is given.
        min_words, max_words: length range of usable sentences.
        max_similarity: TF-IDF cosine above which a sentence repeats one already picked.
        default_dates: number of days when ``build`` is not told.
    """

    def __init__(
        self,
        lead_sentences: int = 5,
        pub_window: int = 2,
        published_weight: float = 1.0,
        mentioned_weight: float = 1.0,
        query_weight: float = 0.5,
        query_terms: int = 10,
        min_words: int = 6,
        max_words: int = 50,
        max_similarity: float = 0.5,
        default_dates: int = 10,
    ) -> None:
        self.lead_sentences = lead_sentences
        self.pub_window = pub_window
        self.published_weight = published_weight
        self.mentioned_weight = mentioned_weight
        self.query_weight = query_weight
        self.query_terms = query_terms
        self.min_words = min_words
        self.max_words = max_words
        self.max_similarity = max_similarity
        self.default_dates = default_dates

    def place(self, articles: Iterable[Article]) -> list[DatedSentence]:
        """Every candidate sentence of ``articles`` on the day it belongs to (step 1).

        Articles without a publication time contribute only sentences that name a full date.
        """
        placed: list[DatedSentence] = []
        for article in articles:
            published = _day(article.published)
            article_id = _article_id(article)
            for position, text in enumerate(split_sentences(article.text)):
                days = find_dates(text, published)
                if days:
                    placed.append(DatedSentence(days[0], text, article_id, published, True))
                elif published is not None and position < self.lead_sentences:
                    placed.extend(
                        DatedSentence(published - timedelta(days=back), text, article_id,
                                      published, False)
                        for back in range(self.pub_window)
                    )
        return placed

    def build(
        self,
        articles: Sequence[Article],
        n_dates: int | None = None,
        sentences_per_date: int = 1,
        query: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[TimelineEntry]:
        """The ``n_dates`` key days of ``articles`` in date order, ``sentences_per_date`` each.

        ``query`` (e.g. the storyline's title) steers sentence choice towards the topic; without
        it the most widespread terms of the articles stand in. ``start``/``end`` bound the days.
        Fewer entries come back when fewer days have usable sentences.
        """
        return self.build_from_sentences(self.place(articles), n_dates, sentences_per_date,
                                         query, start, end)

    def build_from_sentences(
        self,
        candidates: Sequence[DatedSentence],
        n_dates: int | None = None,
        sentences_per_date: int = 1,
        query: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[TimelineEntry]:
        """Steps 2 and 3 over already placed sentences (for pools that come dated, not as text)."""
        n_dates = self.default_dates if n_dates is None else n_dates
        in_span = [c for c in candidates
                   if (start is None or c.date >= start) and (end is None or c.date <= end)]
        if not in_span or n_dates <= 0 or sentences_per_date <= 0:
            return []
        # ignoring terms in over half the sentences only makes sense for a real pool
        max_df = 0.5 if len(in_span) >= 20 else 1.0
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, max_df=max_df)
        try:
            vectors = vectorizer.fit_transform([c.text for c in in_span]).tocsr()
        except ValueError:  # nothing but stop words
            return []
        query_vector = self._query_vector(vectorizer, vectors, query)
        # one row per distinct usable text and day, weighted by how many reports carry it
        rows: dict[date, dict[str, int]] = defaultdict(dict)
        weight: Counter[int] = Counter()
        for index, c in enumerate(in_span):
            if self._usable(c.text):
                row = rows[c.date].setdefault(c.text, index)
                weight[row] += 1

        timeline: list[TimelineEntry] = []
        picked: list[int] = []
        for day in self.rank_days(in_span):
            day_rows = list(rows[day].values())
            if not day_rows:
                continue
            chosen = self._pick(day_rows, [weight[r] for r in day_rows], vectors, query_vector,
                                picked, sentences_per_date)
            if chosen:
                timeline.append(TimelineEntry(
                    day, [Sentence(in_span[r].text, in_span[r].article_id) for r in chosen]))
                picked.extend(chosen)
                if len(timeline) == n_dates:
                    break
        timeline.sort(key=lambda entry: entry.date)
        return timeline

    def rank_days(self, candidates: Sequence[DatedSentence]) -> list[date]:
        """Days of ``candidates``, most important first (step 2); ties go to the earlier day."""
        published: dict[date, set[ArticleId]] = defaultdict(set)
        mentioned: dict[date, set[ArticleId]] = defaultdict(set)
        for c in candidates:
            if c.published is not None:
                published[c.published].add(c.article_id)
            if c.mentioned and c.published != c.date:
                # pooled sentences without an article id each count as their own report
                mentioned[c.date].add(c.article_id if c.article_id is not None else c.text)
        days = {c.date for c in candidates}
        top_published = max((len(v) for v in published.values()), default=0) or 1
        top_mentioned = max((len(v) for v in mentioned.values()), default=0) or 1

        def score(day: date) -> float:
            return (self.published_weight * len(published.get(day, ())) / top_published
                    + self.mentioned_weight * len(mentioned.get(day, ())) / top_mentioned)

        return sorted(days, key=lambda day: (-score(day), day))

    def _usable(self, text: str) -> bool:
        """Whether a sentence can stand alone in a timeline: declarative, not boilerplate."""
        if not self.min_words <= word_count(text) <= self.max_words:
            return False
        if text.rstrip().endswith("?") or "http" in text or "www." in text:
            return False
        tokens = [t for t in text.split() if t.isalpha() and len(t) > 1]
        shouting = sum(t.isupper() for t in tokens)
        return shouting <= 0.3 * max(len(tokens), 1)

    def _query_vector(self, vectorizer: TfidfVectorizer, vectors: csr_matrix,
                      query: str | None) -> np.ndarray:
        """Unit TF-IDF vector of the query, or of the pool's most widespread terms."""
        if query is None:
            document_frequency = np.asarray((vectors > 0).sum(axis=0)).ravel()
            terms = vectorizer.get_feature_names_out()
            top = np.argsort(-document_frequency, kind="stable")[: self.query_terms]
            query = " ".join(terms[top])
        vector = vectorizer.transform([query]).toarray()[0]
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def _pick(
        self,
        rows: list[int],
        weights: list[int],
        vectors: csr_matrix,
        query_vector: np.ndarray,
        picked: list[int],
        k: int,
    ) -> list[int]:
        """Up to ``k`` of one day's ``rows`` (step 3), none repeating a ``picked`` row."""
        day = vectors[rows]  # rows are unit length (or zero)
        centroid = np.asarray(day.T @ np.asarray(weights, dtype=float)).ravel()
        norm = np.linalg.norm(centroid)
        if norm:
            centroid /= norm
        relevance = day @ centroid + self.query_weight * (day @ query_vector)
        if picked:
            overlap = (day @ vectors[picked].T).max(axis=1).toarray().ravel()
        else:
            overlap = np.zeros(len(rows))
        chosen: list[int] = []
        for position in np.argsort(-relevance, kind="stable"):
            if overlap[position] > self.max_similarity:
                continue
            if chosen:
                repeat = (day[position] @ vectors[chosen].T).max()
                if repeat > self.max_similarity:
                    continue
            chosen.append(rows[position])
            if len(chosen) == k:
                break
        return chosen
