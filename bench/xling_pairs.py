"""The cross-language pair model (:mod:`storyline.cluster.xling`): fit and report.

``python bench/xling_pairs.py [CORPUS.jsonl ...] [--fit]``

CORPUS is a JSONL file in the demo corpus's format (``id``, ``date``, ``lang``, ``title``,
``text``, gold ``happening`` and ``storyline``); the default is the packaged demo corpus. Every
pair of articles in *different languages* whose days agree (``xling.days_agree``, the gate the
clusterer applies before asking the model) is a sample (label: same gold happening); so is
every cross-language pair of two different storylines of one half, as if both were published on
the same day (label 0: a real day's stream holds unrelated stories of that day, and the day
alone must not join them). The gold storylines are split into two halves by a hash of their
name (``md5(name) % 2``): **the model is fitted on half 0 and reported on half 1** — the pairs
of one storyline never sit on both sides. Several corpora pool their samples (a pair never
crosses two corpora). ``--fit`` fits both of the model's regressions — pairs with a report in
another script, and pairs of two Cyrillic reports (with their ``cognates``) — and prints the
coefficients to paste into ``storyline/cluster/xling.py``; ``--keep-other`` refits the
Cyrillic-pair one only. Without ``--fit`` the shipped coefficients are scored.

The shipped model, both regressions: ``python bench/xling_pairs.py
src/storyline/demo/corpus.jsonl bench/data/ru_by_nearmiss.jsonl bench/data/ru_by_heldout.jsonl
bench/data/ru_by_heldout{3,4,5,6,7,8,9,10}.jsonl --fit`` (December 2026, when the ``gap``
feature came in; the eleventh to thirteenth sets are left out, to check it). Each kind of pair
weighs its :data:`KIND_SHARES` of the fit: one happening's pairs half, the near misses (two
happenings of one storyline) and the unrelated pairs a quarter each. Whether a feature carries
to data it was not fitted on is checked by leaving one corpus out at a time
(``bench/xling_leave_one_out.py``, with and without it): the README's benchmark notes give the
figures.

``separation`` in the last line: mean embedding cosine, cognates and concepts of one happening's
pairs against two happenings of one storyline, their mean gap and how many of each lie more
than half a day apart (the figures ``cluster/xling.py`` quotes).

Prints per half the pair precision/recall at the clusterer's ``xling_threshold``, and a last
JSON line with ``{"fit": {...}, "report": {...}, "threshold": t}``. Pair figures are not event
figures: ``bench/demo_quality.py`` scores the clusters the online clusterer makes with it.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "storyline" / "demo" / "corpus.jsonl"


def half_of(storyline: str) -> int:
    """0 or 1: the fixed half of the gold storylines a storyline belongs to."""
    return int(hashlib.md5(storyline.encode("utf-8")).hexdigest(), 16) % 2


def _hour(t: datetime) -> float:
    """Hour of the day of ``t`` in UTC (a naive time is read as UTC)."""
    t = t.astimezone(UTC) if t.tzinfo else t
    return t.hour + t.minute / 60


def samples(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels, halves and kinds of every cross-language pair within the gap.

    A kind is ``same`` (one happening), ``near`` (two happenings of one storyline whose days
    agree: the hard negatives) or ``other``; ``+slav`` is added when one of the two reports is
    Belarusian or Ukrainian, the languages the encoder does not list."""
    from storyline.cluster.events import XLING_CHARS
    from storyline.cluster.xling import days_agree, extract_keys, pair_features
    from storyline.enrich.embed import USEEmbedder, embed_text, l2_normalise
    from storyline.enrich.titles import strip_site_name
    from storyline.model import Article

    arts = [Article(title=r["title"], text=r["text"], lang=r["lang"],
                    published=datetime.fromisoformat(r["date"])) for r in rows]
    emb = l2_normalise(USEEmbedder().encode([embed_text(a) for a in arts]))
    keys = [extract_keys(f"{strip_site_name(a.title)}\n{a.text[:XLING_CHARS]}",
                         a.published.date(), a.lang) for a in arts]
    x, y, h, kind = [], [], [], []
    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = rows[i], rows[j]
        if a["lang"] == b["lang"]:
            continue
        cos = float(emb[i] @ emb[j])
        if a["storyline"] != b["storyline"] and half_of(a["storyline"]) == half_of(b["storyline"]):
            # A real day's stream holds unrelated stories of the same day: every pair of two
            # storylines of one half is also a sample as if both were published on one day.
            # … published as many hours apart as their times of day are
            hours = abs(_hour(arts[i].published) - _hour(arts[j].published))
            x.append(pair_features(keys[i], keys[j], cos, hours / 24))
            y.append(0)
            h.append(half_of(a["storyline"]))
            kind.append("other")
        if not days_agree(keys[i], keys[j]):
            continue  # the clusterer never asks the model about these
        gap = abs((arts[i].published - arts[j].published).total_seconds()) / 86400
        x.append(pair_features(keys[i], keys[j], cos, gap))
        y.append(int(a["happening"] == b["happening"]))
        # a pair across two storylines goes with the first one's half (it is a negative)
        h.append(half_of(a["storyline"]))
        k = ("same" if y[-1] else "near" if a["storyline"] == b["storyline"] else "other")
        kind.append(k + ("+slav" if {a["lang"], b["lang"]} & {"be", "uk"} else ""))
    return np.asarray(x), np.asarray(y), np.asarray(h), np.asarray(kind)


def separation(x: np.ndarray, kind: np.ndarray) -> dict[str, dict[str, float]]:
    """Mean embedding cosine of the pairs with a Belarusian or Ukrainian report, mean cognates
    of the pairs of two Cyrillic reports and mean concepts of every pair: one happening
    (``same``) against two of one storyline whose days agree (``near``)."""
    slav = np.char.endswith(kind.astype(str), "+slav")
    base = np.char.replace(kind.astype(str), "+slav", "")
    cyr = x[:, 3] > 0
    out: dict[str, dict[str, float]] = {}
    every = np.ones(len(x), dtype=bool)
    for name, col, rows in (("embedding, a be/uk report", 0, slav),
                            ("cognates, two Cyrillic reports", 4, cyr),
                            ("concepts, every pair", 5, every)):
        out[name] = {k: round(float(x[rows & (base == k), col].mean()), 3)
                     for k in ("same", "near") if (rows & (base == k)).any()}
    out["gap in days, every pair"] = {k: round(float(x[base == k, 6].mean()), 3)
                                      for k in ("same", "near") if (base == k).any()}
    out["gap over half a day, every pair"] = {
        k: f"{int((x[base == k, 6] > 0.5).sum())} of {int((base == k).sum())}"
        for k in ("same", "near") if (base == k).any()}
    return out


#: Each kind's share of the fit's total weight: the pairs of one happening against the near
#: misses (two happenings of one storyline) and the unrelated pairs, which outnumber the near
#: misses nine to one.
KIND_SHARES = {"same": 0.5, "near": 0.25, "other": 0.25}


def kind_weights(kind: np.ndarray) -> np.ndarray:
    """Sample weights that give each kind of pair (``samples``' kinds, ``+slav`` ignored) its
    :data:`KIND_SHARES` of the total: fitted with every negative weighing the same, the model
    learnt to reject unrelated stories and hardly saw the near misses."""
    base = np.char.replace(kind.astype(str), "+slav", "")
    weights = np.zeros(len(base))
    for k, share in KIND_SHARES.items():
        rows = base == k
        if rows.any():
            weights[rows] = share * len(base) / rows.sum()
    return weights


def fit_regression(x: np.ndarray, y: np.ndarray, kind: np.ndarray, cols: list[int],
                   rows: np.ndarray, without: frozenset[int] = frozenset()
                   ) -> tuple[tuple[float, ...], float]:
    """One of the pair model's logistic regressions: over the columns ``cols`` of the samples
    ``rows`` (labels ``y``, each kind weighed by :func:`kind_weights`), those in ``without``
    held at weight 0; (coefficients in ``cols`` order, intercept)."""
    from sklearn.linear_model import LogisticRegression

    used = [c for c in cols if c not in without]
    lr = LogisticRegression(C=1.0, max_iter=1000)
    lr.fit(x[rows][:, used], y[rows], sample_weight=kind_weights(kind[rows]))
    weights = dict(zip(used, lr.coef_[0].tolist(), strict=True))
    return tuple(weights.get(c, 0.0) for c in cols), float(lr.intercept_[0])


def figures(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    pred = p >= threshold
    tp = int((pred & (y == 1)).sum())
    return {"pairs": int(len(y)), "positives": int(y.sum()),
            "precision": round(tp / max(1, int(pred.sum())), 4),
            "recall": round(tp / max(1, int(y.sum())), 4)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", type=Path, default=[DEMO],
                    help="one or more corpora (default: the demo's); pairs never cross two")
    ap.add_argument("--fit", action="store_true", help="fit on half 0 and print coefficients")
    ap.add_argument("--keep-other", action="store_true",
                    help="with --fit: refit the Cyrillic-pair model only")
    args = ap.parse_args(argv)
    from storyline.cluster.events import ClusterConfig
    from storyline.cluster.xling import CYRILLIC_COLUMNS, OTHER_COLUMNS, CrossLingualModel

    start = time.perf_counter()
    parts = [samples([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                      if line.strip()]) for path in args.corpus]
    x, y, h, kind = (np.concatenate([part[k] for part in parts]) for k in range(4))
    model = CrossLingualModel()
    # every sample passed the day gate, so the model's probability is the clusterer's
    if args.fit:
        def fit(cols: list[int], rows: np.ndarray) -> tuple[tuple[float, ...], float]:
            coef, intercept = fit_regression(x, y, kind, cols, rows)
            return tuple(round(c, 4) for c in coef), round(intercept, 4)  # as pasted

        cyr = x[:, 3] > 0
        coef, intercept = ((model.coef, model.intercept) if args.keep_other
                           else fit(OTHER_COLUMNS, (h == 0) & ~cyr))
        cyr_coef, cyr_intercept = fit(CYRILLIC_COLUMNS, (h == 0) & cyr)
        model = CrossLingualModel(coef, intercept, cyr_coef, cyr_intercept)
        print(f"DEFAULT_COEF = {model.coef}\nDEFAULT_INTERCEPT = {model.intercept}\n"
              f"CYRILLIC_COEF = {model.cyrillic_coef}\n"
              f"CYRILLIC_INTERCEPT = {model.cyrillic_intercept}", file=sys.stderr)
    threshold = ClusterConfig().xling_threshold
    p = model.proba(x)
    result = {"fit": figures(p[h == 0], y[h == 0], threshold),
              "report": figures(p[h == 1], y[h == 1], threshold),
              "threshold": threshold, "separation": separation(x, kind),
              "seconds": round(time.perf_counter() - start, 1)}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
