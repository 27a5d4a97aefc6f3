"""A sentence-level PLOVER type classifier, trained on the project's own labelled sentences.

The rule coder (:mod:`storyline.events.coder`) finds *where* the event is (a predicate and the
actors around it) and proposes a type from the CAMEO verb dictionary. Verb dictionaries are
brittle on their own: "protest" is a demonstration or a diplomatic complaint, "released" a
concession or a statement, and many sentences carry the event in a noun ("the talks", "the
withdrawal"). This model reads the whole sentence and gives a probability per PLOVER type; the
coder weighs it against the rule's proposal (:meth:`Coder._choose_type`).

Training data: ``events/data/plover_train.jsonl``, about 50 news-style sentences per type written
for this project (``events/data/PLOVER_TRAIN.md``: original text, nothing from the PLOVER gold
set). Features: character 2-5-grams inside word boundaries (robust to inflection and to names the
model never saw), TF-IDF weighted; a class-balanced multinomial logistic regression. Fitting takes
about a second and happens once per process, on first use.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

TRAINING_FILE = "plover_train.jsonl"


def training_rows() -> list[dict[str, Any]]:
    """The packaged labelled sentences (``{"text", "type", "source", "target", ...}``)."""
    text = resources.files("storyline.events").joinpath("data", TRAINING_FILE).read_text(
        encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class TypeModel:
    """P(PLOVER type | sentence). ``types`` lists the classes in column order."""

    def __init__(self, vectorizer: Any, classifier: Any) -> None:
        self._vectorizer = vectorizer
        self._classifier = classifier
        self.types: list[str] = [str(t) for t in classifier.classes_]

    @classmethod
    def fit(cls, texts: list[str], labels: list[str], c: float = 3.0) -> TypeModel:
        """Fit on sentences and their PLOVER types (``c``: inverse regularisation, chosen by
        5-fold cross-validation on the training file; ``bench/events.py`` describes it)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            raise ValueError("a type model needs sentences of at least two types")
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                     sublinear_tf=True)
        x = vectorizer.fit_transform(texts)
        classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        classifier.fit(x, labels)
        return cls(vectorizer, classifier)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Type probabilities, shape ``(len(texts), len(self.types))``."""
        if not texts:
            return np.zeros((0, len(self.types)))
        return self._classifier.predict_proba(self._vectorizer.transform(texts))


@lru_cache(maxsize=1)
def default_type_model() -> TypeModel:
    """The model fitted on the packaged training sentences (once per process)."""
    rows = training_rows()
    return TypeModel.fit([r["text"] for r in rows], [r["type"] for r in rows])
