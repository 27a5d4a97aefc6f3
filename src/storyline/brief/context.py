"""Background for a new development: what a reader must already know to follow it.

A brief's "Broader Context" for an update is taken, sentence by sentence, from the storyline's
earlier updates, so every line cites the update it came from and nothing is invented. A sentence
earns its place by being (a) about the same things as the new update, (b) central to the story so
far (the founding event keeps being relevant), and (c) recent; near-repeats of a sentence already
chosen are skipped, and the whole is capped in words. This is the extractive setting of
Pratapa et al. (EMNLP 2023, "Background Summarization of Event Timelines").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.text_units import split_sentences, word_count

UpdateId = int | str


@dataclass(frozen=True)
class Update:
    """One dated development of a storyline (an event summary, a brief version's lead...)."""

    id: UpdateId
    date: date
    text: str


@dataclass(frozen=True)
class ContextSentence:
    """A background sentence and the earlier update it was taken from."""

    text: str
    update_id: UpdateId
    date: date


class ContextSelector:
    """Chooses background sentences for a new update from the earlier ones.

    Args:
        max_words: cap on the background's length; a sentence that would overflow it is skipped.
        relevance_weight: weight of TF-IDF similarity to the new update.
        centrality_weight: weight of similarity to the centroid of all earlier updates.
        recency_weight: weight of recency, ``0.5 ** (steps back / recency_half_life)``.
        recency_half_life: in updates, not days: stories move at uneven speeds.
        max_similarity: TF-IDF cosine above which a sentence repeats one already chosen.

    The defaults were chosen on the ``train`` events of ``bench/background.py`` only.
    """

    def __init__(
        self,
        max_words: int = 140,
        relevance_weight: float = 1.0,
        centrality_weight: float = 0.5,
        recency_weight: float = 0.6,
        recency_half_life: float = 3.0,
        max_similarity: float = 0.5,
    ) -> None:
        self.max_words = max_words
        self.relevance_weight = relevance_weight
        self.centrality_weight = centrality_weight
        self.recency_weight = recency_weight
        self.recency_half_life = recency_half_life
        self.max_similarity = max_similarity

    def select(self, earlier: Sequence[Update], new: Update) -> list[ContextSentence]:
        """Background for ``new`` from ``earlier`` (any order), oldest first, within the cap.

        Only updates dated on or before ``new`` are used. Empty when there is nothing earlier.
        """
        history = sorted((u for u in earlier if u.date <= new.date), key=lambda u: u.date)
        units = [(text, step, update) for step, update in enumerate(history)
                 for text in split_sentences(update.text)]
        if not units:
            return []
        texts = [text for text, _, _ in units]
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        try:
            vectors = vectorizer.fit_transform([*texts, new.text]).toarray()
        except ValueError:  # only stop words
            return []
        sentences, target = vectors[:-1], vectors[-1]
        centroid = sentences.sum(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        steps_back = np.array([len(history) - 1 - step for _, step, _ in units], dtype=float)
        score = (self.relevance_weight * (sentences @ target)
                 + self.centrality_weight * (sentences @ centroid)
                 + self.recency_weight * 0.5 ** (steps_back / self.recency_half_life))

        chosen: list[int] = []
        words = 0
        for index in np.argsort(-score, kind="stable"):
            length = word_count(texts[index])
            if words + length > self.max_words:
                continue
            if any(float(sentences[index] @ sentences[other]) > self.max_similarity
                   for other in chosen):
                continue
            chosen.append(int(index))
            words += length
        chosen.sort()  # history order: oldest first, as a reader expects background
        return [ContextSentence(units[i][0], units[i][2].id, units[i][2].date) for i in chosen]
