"""Plain TF-IDF single-pass baseline: ``python bench/tfidf_baseline.py INPUT.jsonl --out PRED.tsv``.

Articles in date order; each is compared (cosine) with the TF-IDF centroid of every event active
in the last ``window_days``; it joins the best one at or above ``threshold`` (defaults 7 days,
0.2 — the shared README's baseline), else opens a new event. IDF is learned online. Printed
beside ``bench/cluster.py`` so both figures come from one run of one input.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storyline.enrich.lexical import OnlineTfidf, lexical_text
from storyline.model import Article


def single_pass_tfidf(
    articles: list[Article], window_days: float = 7.0, threshold: float = 0.2
) -> dict[int, int]:
    """Article id → event id by single-pass centroid clustering (articles in date order)."""
    tfidf = OnlineTfidf()
    counts = tfidf.term_counts([lexical_text(a.title, a.text) for a in articles])
    centroids: list[dict[int, float]] = []
    last: list[float] = []
    out: dict[int, int] = {}
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    now = 0.0
    for i, a in enumerate(articles):
        if a.published is not None:
            now = (a.published - epoch).total_seconds() / 86400
        tfidf.partial_fit_row(counts, i)
        cols, w = tfidf.weigh(counts, i)
        best, best_s = -1, threshold
        for e in range(len(centroids) - 1, -1, -1):
            if now - last[e] > window_days:
                continue
            c = centroids[e]
            norm = np.sqrt(sum(v * v for v in c.values())) or 1.0
            s = sum(c.get(k, 0.0) * v for k, v in zip(cols.tolist(), w.tolist(), strict=True))
            s /= norm
            if s >= best_s:
                best, best_s = e, s
        if best < 0:
            centroids.append({})
            last.append(now)
            best = len(centroids) - 1
        c = centroids[best]
        for k, v in zip(cols.tolist(), w.tolist(), strict=True):
            c[k] = c.get(k, 0.0) + v
        last[best] = now
        out[int(a.id)] = best + 1
    return out


def main(argv: list[str] | None = None) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cluster import read_rows, split_rows, to_articles, write_and_report

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--split", choices=("all", "tune", "report"), default="all")
    ap.add_argument("--window-days", type=float, default=7.0)
    ap.add_argument("--threshold", type=float, default=0.2)
    args = ap.parse_args(argv)
    arts = to_articles(split_rows(read_rows(args.input), args.split))
    start = time.perf_counter()
    pred = single_pass_tfidf(arts, args.window_days, args.threshold)
    return write_and_report(arts, pred, time.perf_counter() - start, args.out)


if __name__ == "__main__":
    main()
