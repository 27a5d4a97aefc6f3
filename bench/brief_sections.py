"""How well the brief's sentence sorter puts sentences into fact / assessment / outlook.

Usage: ``python bench/brief_sections.py [DATA.jsonl] [--errors]``

Data: ``bench/data/brief_sentences.jsonl`` — 120 English sentences (40 per class) written for
this project (not taken from any outlet or dataset), one ``{"text", "label"}`` per line. It is a
small, own set: it shows whether the cue rules of ``storyline.brief.classify`` work at all and
where they fail, not how they do on real news at large. Prints one JSON line: accuracy,
per-class precision/recall/F1, macro F1, the confusion matrix and the majority-class baseline.

The cue lexicon was written before this set; the default threshold was then chosen on it, so the
headline figure is optimistic. ``cv5`` is the fairer figure: in 5 folds the threshold is chosen
on four folds and scored on the fifth.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from storyline.brief.classify import LABELS, SentenceClassifier

DEFAULT = Path(__file__).parent / "data" / "brief_sentences.jsonl"


def scores(gold: list[str], pred: list[str]) -> dict:
    """Accuracy, per-class P/R/F1, macro F1 and confusion (gold → predicted counts)."""
    per_class = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        predicted = sum(p == label for p in pred)
        actual = sum(g == label for g in gold)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": round(precision, 3), "recall": round(recall, 3),
                            "f1": round(f1, 3), "n": actual}
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p)
                     for p in LABELS} for g in LABELS}
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    majority = max(LABELS, key=gold.count)
    return {
        "accuracy": round(accuracy, 3),
        "macro_f1": round(sum(c["f1"] for c in per_class.values()) / len(LABELS), 3),
        "per_class": per_class, "confusion": confusion,
        "majority_baseline_accuracy": round(gold.count(majority) / len(gold), 3),
    }


GRID = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2)


def cross_validated(texts: list[str], gold: list[str], folds: int = 5) -> dict:
    """Threshold picked on ``folds - 1`` folds (by accuracy), scored on the held-out fold."""
    pred = [""] * len(texts)
    chosen = []
    for fold in range(folds):
        train = [i for i in range(len(texts)) if i % folds != fold]

        def train_accuracy(threshold: float, train: list[int] = train) -> float:
            labels = SentenceClassifier(threshold).predict([texts[i] for i in train])
            return sum(label == gold[i] for label, i in zip(labels, train, strict=True))

        best = max(GRID, key=lambda t: (train_accuracy(t), -abs(t - 0.7)))
        chosen.append(best)
        test = [i for i in range(len(texts)) if i % folds == fold]
        for i, label in zip(test, SentenceClassifier(best).predict([texts[i] for i in test]),
                            strict=True):
            pred[i] = label
    result = scores(gold, pred)
    return {"accuracy": result["accuracy"], "macro_f1": result["macro_f1"],
            "per_class_f1": {k: v["f1"] for k, v in result["per_class"].items()},
            "thresholds": chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", action="store_true", help="list misclassified sentences")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    texts, gold = [r["text"] for r in rows], [r["label"] for r in rows]
    started = time.perf_counter()
    classifier = SentenceClassifier()
    pred = classifier.predict(texts)
    elapsed = time.perf_counter() - started
    result = {"bench": "brief_sections", "data": args.data.name, "n": len(rows),
              "classifier": "cue rules (storyline.brief.classify)",
              "threshold": classifier.threshold, **scores(gold, pred),
              "cv5": cross_validated(texts, gold),
              "sentences_per_s": round(len(rows) / elapsed) if elapsed else None}
    if args.errors:
        for text, g, p in zip(texts, gold, pred, strict=True):
            if g != p:
                print(f"{g:>10} → {p:<10} {text}", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
