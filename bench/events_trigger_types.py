"""Choose the settings of the trigger-in-context type model by cross-validation on our own
training sentences, optionally with a five-class family model as extra supervision.

Usage: python bench/events_trigger_types.py [--family-train PENTACLASS.jsonl] [--folds 5]

The model (:class:`storyline.events.type_model.TriggerTypeModel`) reads the rule coder's main
predicate in context (:func:`~storyline.events.type_model.trigger_features`) and gives
P(type); the coder combines it with the rule's type (``rule_weight`` added to the rule type's
log probability, :meth:`Coder._choose_type`). With ``--family-train`` (the ConfliBERT
pentaclass sentences: GPL-3 data, local experiments only, nothing from it is shipped) a
:class:`~storyline.events.coder.FamilyPrior` gives P(family | sentence) and each type's
probability is multiplied by its family's to the power ``family_weight``: the five-class label
constrains the type.

K-fold cross-validation on ``events/data/plover_train.jsonl`` (stratified, seed 0) over
``GRID``; the type of a sentence with no rule predicate is the model's when its probability
is at least 0.5, else none (as in the coder). Prints one JSON line per setting and, last, the
best by macro-F1 with the rules alone for comparison. Measure the chosen setting on the PLOVER
dev set with ``bench/events.py --trigger-model C,RULE_WEIGHT[,FAMILY_WEIGHT]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from storyline.events.coder import FamilyPrior
from storyline.events.type_model import TriggerTypeModel, trigger_training

GRID = {"c": (0.3, 1.0, 3.0), "rule_weight": (0.0, 0.5, 1.0, 2.0),
        "family_weight": (0.0, 0.5, 1.0)}


def choose(proba: np.ndarray, types: list[str], rule: str, rule_weight: float) -> str:
    score = np.log(np.maximum(proba, 1e-9))
    if rule in types:
        score[types.index(rule)] += rule_weight
    best = int(np.argmax(score))
    if rule == "NONE" and proba[best] < 0.5:
        return "NONE"
    return types[best]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family-train", type=Path, default=None)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    feats, labels, texts = trigger_training()
    rules = [next((k.split("=", 1)[1] for k in f if k.startswith("rule=")), "NONE")
             for f in feats]
    family = None
    if args.family_train is not None:
        rows = [json.loads(x) for x in args.family_train.read_text().splitlines() if x.strip()]
        family = FamilyPrior.fit([r["text"] for r in rows], [int(r["pentaclass"]) for r in rows])
    fam_grid = GRID["family_weight"] if family is not None else (0.0,)
    labels_arr = np.array(labels)
    folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=0).split(feats, labels))
    out_rules = {"setting": "rules alone",
                 "macro_f1": round(f1_score(labels, rules, labels=sorted(set(labels)),
                                            average="macro", zero_division=0), 4),
                 "accuracy": round(float(np.mean(labels_arr == np.array(rules))), 4)}
    print(json.dumps(out_rules))
    results = []
    for c in GRID["c"]:
        probas: dict[float, dict[int, np.ndarray]] = {fw: {} for fw in fam_grid}
        types: list[str] = []
        for train, test in folds:
            for fw in fam_grid:
                model = TriggerTypeModel.fit([feats[i] for i in train], [labels[i] for i in train],
                                             c=c, family=family, family_weight=fw)
                types = model.types
                p = model.proba_features([feats[i] for i in test], [texts[i] for i in test])
                for row, i in enumerate(test):
                    probas[fw][i] = p[row]
        for rw, fw in itertools.product(GRID["rule_weight"], fam_grid):
            pred = [choose(probas[fw][i], types, rules[i], rw) for i in range(len(labels))]
            res = {"c": c, "rule_weight": rw, "family_weight": fw,
                   "macro_f1": round(f1_score(labels, pred, labels=sorted(set(labels)),
                                              average="macro", zero_division=0), 4),
                   "accuracy": round(float(np.mean(labels_arr == np.array(pred))), 4)}
            results.append(res)
            print(json.dumps(res))
    best = max(results, key=lambda r: (r["macro_f1"], r["accuracy"]))
    summary = {"best": best, "rules": out_rules}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
