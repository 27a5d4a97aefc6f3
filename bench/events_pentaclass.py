"""Five-class event classification on the ConfliBERT (Multi-CoPED) sentences, 5-fold CV.

Usage: python bench/events_pentaclass.py [../shared/data/events/conflibert_pentaclass_train.jsonl]
       [--save PRIOR.json]

``--save`` also fits a :class:`~storyline.events.coder.FamilyPrior` on all the sentences and
writes it; point ``$STORYLINE_EVENT_PRIOR`` at the file to have the coder use it. (The prior
is not shipped with the package: the training sentences are GPL-3 research data.)

Classes: 0 statement/appeal, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
4 material conflict. Three systems are scored with the same stratified folds:

* ``rules``: the event coder alone (first coded event's PLOVER family; no event = statement),
  no training at all;
* ``tfidf``: word 1-2-gram TF-IDF + logistic regression;
* ``hybrid``: the TF-IDF features plus the coder's output (type, family, trigger lemma) as
  extra features - the configuration storyline would use for a learned family classifier.

Prints one JSON line with macro-F1 and accuracy of each (``pentaclass_macro_f1`` is hybrid's).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from storyline.events.coder import Coder, FamilyPrior
from storyline.events.plover import pentaclass

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "events" / (
    "conflibert_pentaclass_train.jsonl")


def coder_features(coder: Coder, texts: list[str]) -> tuple[list[dict], list[int]]:
    """Per sentence: a feature dict from the coder's events and its rule-only pentaclass."""
    feats, rule = [], []
    for recs in coder.code_many(texts):
        f: dict[str, float] = {}
        for k, r in enumerate(recs[:3]):
            w = 1.0 if k == 0 else 0.5
            f[f"type={r.event_type}"] = f.get(f"type={r.event_type}", 0) + w
            f[f"family={r.meta['family']}"] = f.get(f"family={r.meta['family']}", 0) + w
            f[f"trigger={r.meta['trigger'].lower()}"] = w
            if r.meta.get("cameo"):
                f[f"cameo_root={r.meta['cameo'][:2]}"] = w
        if not recs:
            f["no_event"] = 1.0
        feats.append(f)
        rule.append(pentaclass(recs[0].event_type, recs[0].meta.get("cameo")) if recs else 0)
    return feats, rule


def main(argv: list[str] | None = None) -> dict:
    argv = list(sys.argv[1:] if argv is None else argv)
    save = None
    if "--save" in argv:
        k = argv.index("--save")
        save = Path(argv[k + 1])
        del argv[k:k + 2]
    path = Path(argv[0]) if argv else DEFAULT
    rows = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    if save is not None:
        FamilyPrior.fit([r["text"] for r in rows], [int(r["pentaclass"]) for r in rows]).save(save)
    texts = [r["text"] for r in rows]
    y = np.array([int(r["pentaclass"]) for r in rows])
    t0 = time.time()
    coder = Coder(require_source=False)
    feats, rule = coder_features(coder, texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    pred_tfidf = np.zeros_like(y)
    pred_hybrid = np.zeros_like(y)
    for train, test in folds.split(texts, y):
        tf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        xtr = tf.fit_transform([texts[i] for i in train])
        xte = tf.transform([texts[i] for i in test])
        clf = LogisticRegression(max_iter=2000, C=5.0, class_weight="balanced")
        pred_tfidf[test] = clf.fit(xtr, y[train]).predict(xte)
        dv = DictVectorizer()
        ftr = dv.fit_transform([feats[i] for i in train])
        fte = dv.transform([feats[i] for i in test])
        clf2 = LogisticRegression(max_iter=2000, C=5.0, class_weight="balanced")
        pred_hybrid[test] = clf2.fit(hstack([xtr, ftr * 2.0]), y[train]).predict(
            hstack([xte, fte * 2.0]))
    rule_arr = np.array(rule)

    def score(p: np.ndarray) -> tuple[float, float]:
        return (round(f1_score(y, p, average="macro"), 4), round(accuracy_score(y, p), 4))

    out = {"sentences": len(rows), "folds": 5}
    for name, p in (("rules", rule_arr), ("tfidf", pred_tfidf), ("hybrid", pred_hybrid)):
        f1, acc = score(p)
        out[f"{name}_macro_f1"], out[f"{name}_accuracy"] = f1, acc
    out["pentaclass_macro_f1"] = out["hybrid_macro_f1"]
    out["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
