"""Dated key developments of a storyline: which days mattered, and what happened on each.

This is what ``storyline timeline ID`` prints. It is extractive and unsupervised (a "datewise"
timeline summariser in the sense of Gholipour Ghalandari & Ifrim, ACL 2020, with the supervised
date ranker replaced by counts), so every line can cite the article it came from:

1. **Place sentences on days.** A sentence that names a day ("on Jan. 25", "yesterday",
   "on Monday", "25 января") is placed on the first day it names. The first ``lead_sentences``
   sentences of an article that name no day are placed on its publication day and the
   ``pub_window - 1`` days before it (news reports what happened the day before).
2. **Rank days** by a weighted sum of counts (``day_features``): above all how many reports
   published *after* a day name it (a day that later reports keep looking back at is a key day),
   then how many name it at all, by calendar date, and how many were published on it.
3. **Pick sentences per day**: whole sentences of at most ``max_words`` words closest to the
   day's TF-IDF centroid and to the storyline's query terms, skipping near-repeats of anything
   already picked for any day.

The weights and lengths were chosen on part of Timeline17 and Crisis and checked on the rest
(``bench/timeline.py`` describes the protocol).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.mentioned_days import find_mentions
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
    ``calendar`` is true when the naming is a calendar date ("Jan. 25"), not a relative one
    ("yesterday", "on Monday"): reports name a day by its date mostly when looking back at it.
    """

    date: date
    text: str
    article_id: ArticleId
    published: date | None = None
    mentioned: bool = True
    calendar: bool = False


# --------------------------------------------------------------------------- day ranking

#: What ``day_features`` counts for each day (see there).
DAY_FEATURES = ("published", "named", "named_later", "calendar", "placed")
#: Default weights of the day features: the best of a grid over date F1 on the tuning storylines
#: of ``bench/timeline.py`` (``bench/timeline_rank_grid.py``).
RANK_WEIGHTS = {"published": 0.25, "named": 0.5, "named_later": 2.0, "calendar": 0.5}


def day_features(candidates: Iterable[DatedSentence]) -> dict[date, dict[str, int]]:
    """Evidence that a day mattered, per day of ``candidates``.

    - ``published``: articles published that day;
    - ``named``: reports naming the day (a pooled sentence without an article is its own report);
    - ``named_later``: reports published after the day that name it (looking back at it);
    - ``calendar``: reports naming it by a calendar date;
    - ``placed``: candidate sentences placed on it.

    These are the unsupervised counterparts of the Datewise ranker's features (news-tls
    ``SupervisedDateRanker``), whose regression is replaced by ``TimelineBuilder.rank_weights``.
    """
    reports: dict[str, dict[date, set[object]]] = {name: defaultdict(set) for name in DAY_FEATURES}
    placed: Counter[date] = Counter()
    for c in candidates:
        placed[c.date] += 1
        if c.published is not None:
            reports["published"][c.published].add(c.article_id)
        if not c.mentioned:
            continue
        report = c.article_id if c.article_id is not None else c.text
        reports["named"][c.date].add(report)
        if c.published is not None and c.published > c.date:
            reports["named_later"][c.date].add(report)
        if c.calendar:
            reports["calendar"][c.date].add(report)
    return {day: {name: placed[day] if name == "placed" else len(reports[name].get(day, ()))
                  for name in DAY_FEATURES}
            for day in placed}


# --------------------------------------------------------------------------- the builder

#: A sentence's last characters when it is a whole sentence, not a headline or a cut-off fragment.
_ENDS_SENTENCE = re.compile(r"[.!…][\"'»”’)\]]*\s*$")
#: A clock time ("5:28"): in news text mostly update stamps and comment bylines, not events.
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def _unit(vector: np.ndarray | np.matrix) -> np.ndarray:
    """``vector`` as a flat array scaled to length 1 (left as is when it is zero)."""
    flat = np.asarray(vector, dtype=float).ravel()
    norm = np.linalg.norm(flat)
    return flat / norm if norm else flat


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
        rank_weights: weight of each of ``day_features`` in a day's score (missing: 0).
        query_weight: weight of similarity to the query terms against the day's centroid.
        centroid_pool: which of a day's sentences make its centroid: "usable" (those that may
            be picked, every copy counted) or "all" (headlines and fragments too).
        query_terms: how many terms make the query when none is given.
        min_words, max_words: length range of usable sentences.
        max_similarity: TF-IDF cosine above which a sentence repeats one already picked.
        default_dates: number of days when ``build`` is not told.
    """

    def __init__(
        self,
        lead_sentences: int = 10,
        pub_window: int = 2,
        rank_weights: Mapping[str, float] | None = None,
        query_weight: float = 0.5,
        centroid_pool: str = "usable",
        query_terms: int = 10,
        min_words: int = 6,
        max_words: int = 35,
        max_similarity: float = 0.5,
        default_dates: int = 10,
    ) -> None:
        self.lead_sentences = lead_sentences
        self.pub_window = pub_window
        self.rank_weights = dict(RANK_WEIGHTS if rank_weights is None else rank_weights)
        self.query_weight = query_weight
        self.centroid_pool = centroid_pool
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
                mentions = find_mentions(text, published)
                if mentions:
                    day, calendar_date = mentions[0]
                    placed.append(DatedSentence(day, text, article_id, published, True,
                                                calendar_date))
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
        # one row per distinct usable text and day; the day's centroid counts every copy
        rows: dict[date, dict[str, int]] = defaultdict(dict)
        centroid_rows: dict[date, list[int]] = defaultdict(list)
        for index, c in enumerate(in_span):
            usable = self._usable(c.text)
            if usable:
                rows[c.date].setdefault(c.text, index)
            if usable or self.centroid_pool == "all":
                centroid_rows[c.date].append(index)

        timeline: list[TimelineEntry] = []
        picked: list[int] = []
        for day in self.rank_days(in_span):
            day_rows = list(rows[day].values())
            if not day_rows:
                continue
            chosen = self._pick(day_rows, _unit(vectors[centroid_rows[day]].sum(axis=0)),
                                vectors, query_vector, picked, sentences_per_date)
            if chosen:
                timeline.append(TimelineEntry(
                    day, [Sentence(in_span[r].text, in_span[r].article_id) for r in chosen]))
                picked.extend(chosen)
                if len(timeline) == n_dates:
                    break
        timeline.sort(key=lambda entry: entry.date)
        return timeline

    def rank_days(self, candidates: Sequence[DatedSentence]) -> list[date]:
        """Days of ``candidates``, most important first (step 2); ties go to the earlier day.

        A day's score is the ``rank_weights``-weighted sum of its ``day_features``, each divided
        by its largest value over the days, so the weights do not depend on the pool's size.
        """
        features = day_features(candidates)
        top = {name: max((f[name] for f in features.values()), default=0) or 1
               for name in DAY_FEATURES}

        def score(day: date) -> float:
            return sum(weight * features[day][name] / top[name]
                       for name, weight in self.rank_weights.items())

        return sorted(features, key=lambda day: (-score(day), day))

    def _usable(self, text: str) -> bool:
        """Whether a sentence can stand alone in a timeline: a whole declarative sentence of
        moderate length (gold timeline sentences are ~20 words), not a headline or boilerplate."""
        if not self.min_words <= word_count(text) <= self.max_words:
            return False
        if text.rstrip().endswith("?") or "http" in text or "www." in text:
            return False
        if "|" in text or _CLOCK.search(text):  # page furniture, update and comment stamps
            return False
        if not _ENDS_SENTENCE.search(text):
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
        centroid: np.ndarray,
        vectors: csr_matrix,
        query_vector: np.ndarray,
        picked: list[int],
        k: int,
    ) -> list[int]:
        """Up to ``k`` of one day's ``rows`` (step 3), none repeating a ``picked`` row."""
        day = vectors[rows]  # rows are unit length (or zero)
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
