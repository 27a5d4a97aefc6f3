"""Day-ranking weights for ``storyline.timeline``: a grid over date F1 on the tuning storylines.

For every weight vector in ``GRID`` (each ``day_features`` feature weighted 0, .25, .5, 1 or 2,
the largest weight at least 1), ranks each gold timeline's candidate days as
``TimelineBuilder.rank_days`` does, keeps as many as the gold timeline has, and scores date F1
(news-tls averaging) on the tuning storylines of Timeline17 and Crisis (``TUNING_EVENTS``).
Prints the best vectors by the sum of both datasets' tuning F1 (how ``RANK_WEIGHTS`` was chosen)
and by Crisis's alone (how Crisis's ``SETTINGS`` weights were chosen), each with its held-out F1
for information only. Ranking skips nothing here, while the builder passes over days without a
usable sentence, so its date F1 differs a little.

Usage: ``python bench/timeline_rank_grid.py [--top N]``; prints JSON lines.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import timeline as bench  # noqa: E402  (bench/timeline.py, beside this file)
from timeline_tune import candidates  # noqa: E402

from storyline.timeline import DAY_FEATURES, TimelineBuilder, day_features  # noqa: E402

STEPS = (0.0, 0.25, 0.5, 1.0, 2.0)
GRID = [w for w in itertools.product(STEPS, repeat=len(DAY_FEATURES)) if max(w) >= 1]


def feature_tables(dataset: str) -> list[tuple[str, list[date], np.ndarray, set[date]]]:
    """Per gold timeline: its event, candidate days, their features scaled as ``rank_days``
    scales them (divided by the largest value over the days), and the gold days."""
    collections = bench.load_collections(bench.DATA / bench.FILES[dataset], dataset)
    tables = []
    for name, pool, gold in candidates(collections, set(collections), TimelineBuilder()):
        start, end = min(gold), max(gold)
        features = day_features(c for c in pool if start <= c.date <= end)
        days = sorted(features)
        table = np.array([[features[d][f] for f in DAY_FEATURES] for d in days], dtype=float)
        tables.append((name, days, table / np.maximum(table.max(axis=0), 1), set(gold)))
    return tables


def date_f1(weights: tuple[float, ...], tables: list, events: set[str]) -> float:
    """news-tls date F1 over the timelines of ``events`` when days are ranked by ``weights``."""
    precision, recall = [], []
    for name, days, table, gold in tables:
        if name not in events:
            continue
        scores = table @ np.asarray(weights)
        top = sorted(range(len(days)), key=lambda i: (-scores[i], days[i]))[: len(gold)]
        shared = sum(days[i] in gold for i in top)
        precision.append(shared / len(top) if top else 0.0)
        recall.append(shared / len(gold))
    p, r = np.mean(precision), np.mean(recall)
    return float(2 * p * r / (p + r)) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    tables = {dataset: feature_tables(dataset) for dataset in ("t17", "crisis")}
    names = {dataset: {name for name, *_ in tables[dataset]} for dataset in tables}
    rows = []
    for weights in GRID:
        row = {"weights": dict(zip(DAY_FEATURES, weights, strict=True))}
        for dataset, tuning in bench.TUNING_EVENTS.items():
            row[f"{dataset}_tuning"] = round(date_f1(weights, tables[dataset], tuning), 4)
            row[f"{dataset}_held_out"] = round(
                date_f1(weights, tables[dataset], names[dataset] - tuning), 4)
        rows.append(row)
    for criterion, key in (("both", lambda r: r["t17_tuning"] + r["crisis_tuning"]),
                           ("crisis", lambda r: r["crisis_tuning"])):
        for row in sorted(rows, key=key, reverse=True)[: args.top]:  # stable: grid order on ties
            print(json.dumps({"best_on": criterion, **row}))


if __name__ == "__main__":
    main()
