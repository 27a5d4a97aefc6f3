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


# ------------------------------------------------------------------ trigger in context
def trigger_features(span: Any, v: Any, coded: Any | None) -> dict[str, float]:
    """Features of a predicate in its sentence: the trigger word, what the rules made of it
    (type, family, CAMEO root, which rule), its object, particle, prepositional complements,
    complement clause, subject, negation and future, and the words around it."""
    from storyline.events import plover

    lem = v.lemma_.lower()
    f: dict[str, float] = {f"lemma={lem}": 1.0}
    if coded is not None:
        t = coded.event_type
        f[f"rule={t}"] = f[f"fam={plover.family(t)}"] = f[f"lemma_rule={lem}|{t}"] = 1.0
        f[f"how={coded.how.split(':')[0]}"] = 1.0
        if coded.cameo:
            f[f"cameo={coded.cameo[:2]}"] = 1.0
    else:
        f["rule=NONE"] = 1.0
    for c in v.children:
        cl = c.lemma_.lower()
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            f[f"obj={cl}"] = f[f"lemma_obj={lem}|{cl}"] = 1.0
        elif c.dep_ == "prep":
            f[f"prep={c.lower_}"] = 1.0
            for g in c.children:
                if g.dep_ == "pobj":
                    gl = g.lemma_.lower()
                    f[f"pobj={gl}"] = f[f"prep_pobj={c.lower_}|{gl}"] = 1.0
        elif c.dep_ in ("xcomp", "ccomp"):
            f[f"comp={cl}"] = 1.0
        elif c.dep_ == "prt":
            f[f"lemma_prt={lem}|{c.lower_}"] = 1.0
        elif c.dep_ == "neg":
            f["neg"] = 1.0
        elif c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall"):
            f["future"] = 1.0
        elif c.dep_ in ("nsubj", "agent"):
            f[f"subj={cl}"] = 1.0
    if v.head is not v:
        f[f"head={v.head.lemma_.lower()}"] = 1.0
    doc = v.doc
    for k in (-2, -1, 1, 2, 3):
        if 0 <= v.i + k < len(doc):
            f[f"w{k}={doc[v.i + k].lemma_.lower()}"] = 1.0
    return f


class TriggerTypeModel:
    """P(PLOVER type | main predicate in context) (:func:`trigger_features`), optionally times
    a five-class family model's P(family | sentence) ** ``family_weight`` - the five-class
    label constraining the type. ``predict_context`` is what :meth:`Coder._choose_type` asks
    for when the model has it.

    Not on by default. Settings by 5-fold cross-validation on plover_train.jsonl
    (``bench/events_trigger_types.py``): rules alone macro-F1 .626 / accuracy .616; this model
    (C=3, rule weight 0) .669 / .659; with a family model fitted on the ConfliBERT pentaclass
    sentences (GPL-3, local only; family weight 1, rule weight .5) .682 / .672. On the PLOVER
    dev set (``bench/events.py --trigger-model 3,0`` and ``3,0.5,1 --family-train ...``) both
    lost to the rules alone (macro-F1 .585, accuracy .646, dyad F1 .382): .553 / .620 / .346
    and .577 / .646 / .364 - the gain on our own sentences does not carry over to the gold
    set's wire text, as with the sentence model above."""

    def __init__(self, vectorizer: Any, classifier: Any, family: Any | None = None,
                 family_weight: float = 0.0) -> None:
        self._vectorizer = vectorizer
        self._classifier = classifier
        self.types: list[str] = [str(t) for t in classifier.classes_]
        self.family = family
        self.family_weight = family_weight

    @classmethod
    def fit(cls, features: list[dict[str, float]], labels: list[str], c: float = 1.0,
            family: Any | None = None, family_weight: float = 0.0) -> TriggerTypeModel:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform(features)
        classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        classifier.fit(x, labels)
        return cls(vectorizer, classifier, family, family_weight)

    def proba_features(self, features: list[dict[str, float]], texts: list[str]) -> np.ndarray:
        from storyline.events import plover

        p = self._classifier.predict_proba(self._vectorizer.transform(features))
        if self.family is not None and self.family_weight:
            fam = self.family.predict_proba(texts)  # (n, 5), plover.pentaclass numbering
            cols = [plover.pentaclass(t) for t in self.types]
            p = p * np.power(np.maximum(fam[:, cols], 1e-6), self.family_weight)
            p = p / p.sum(axis=1, keepdims=True)
        return p

    def predict_context(self, span: Any, v: Any, coded: Any | None) -> np.ndarray:
        """Type probabilities for predicate ``v`` (the rule's reading ``coded``) of ``span``."""
        return self.proba_features([trigger_features(span, v, coded)], [span.text])[0]


def trigger_training(rows: list[dict[str, Any]] | None = None
                     ) -> tuple[list[dict[str, float]], list[str], list[str]]:
    """Features of each training sentence's main predicate (as the rule coder finds it), the
    sentences' types and texts (the packaged sentences by default)."""
    from storyline.events.coder import Coder, nlp

    rows = rows if rows is not None else training_rows()
    coder = Coder(require_source=False, roles=None)
    feats = []
    for doc in nlp().pipe([r["text"] for r in rows], batch_size=64):
        cands = coder._predicates(doc[:])  # noqa: SLF001
        v, coded = cands[0] if cands else (doc[:].root, None)
        feats.append(trigger_features(doc[:], v, coded))
    return feats, [r["type"] for r in rows], [r["text"] for r in rows]


def trigger_type_model(c: float = 1.0, family: Any | None = None,
                       family_weight: float = 0.0) -> TriggerTypeModel:
    """A :class:`TriggerTypeModel` fitted on the packaged training sentences."""
    feats, labels, _ = trigger_training()
    return TriggerTypeModel.fit(feats, labels, c=c, family=family, family_weight=family_weight)
