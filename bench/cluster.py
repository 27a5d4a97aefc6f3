"""Event-clustering benchmark: ``python bench/cluster.py INPUT.jsonl --out PRED.tsv``.

Replays INPUT (one article a line: ``id``, ``date``, ``title``, ``text``, optional ``lang``,
``source``; Timeline17's nested topic lines are flattened) in date order, writes
``article_id<TAB>event_id`` for every input article and prints one JSON line
``{"articles", "events", "seconds", "articles_per_s", "peak_rss_mb", "headlines_cut"}`` (the
last: headlines whose outlet name the clusterer cuts). Score the output with
``python ../shared/bench/score_clustering.py INPUT.jsonl PRED.tsv``.

``--method ours`` (default) ingests INPUT into a fresh temporary store through
``storyline.pipeline.Pipeline`` — the code path of ``storyline ingest`` (normalise, de-duplicate,
embed, cluster) — so the bench and the CLI give the same events; the timing includes all of it.
``--direct`` calls :class:`EventClusterer` directly (what tuning uses; add ``--cached-embeddings``
to reuse embeddings between tuning runs — never for speed figures);
``--method tfidf`` runs the plain TF-IDF single-pass baseline (``bench/tfidf_baseline.py``).
``--split tune|report`` keeps only the earlier / later half by date (the tuning protocol, see
``bench/README.md``); ``--fit PARAMS.json`` fits the pairwise logistic regression and the
threshold on the input (use it on the tuning half only) and writes the parameters.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from ingest import flat_rows  # bench/ingest.py, beside this file

from storyline.cluster.events import ClusterConfig, EventClusterer
from storyline.enrich.embed import USEEmbedder, embed_text
from storyline.enrich.titles import strip_site_name
from storyline.model import Article

CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/cluster-cache"))


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file; Timeline17-style topic lines are flattened into articles."""
    return list(flat_rows(path))


def split_rows(rows: list[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """Earlier (``tune``) or later (``report``) half by date; the median date goes to ``tune``."""
    if split == "all":
        return rows
    dates = sorted(str(r.get("date", "")) for r in rows)
    median = dates[(len(dates) - 1) // 2]
    if split == "tune":
        return [r for r in rows if str(r.get("date", "")) <= median]
    return [r for r in rows if str(r.get("date", "")) > median]


def to_articles(rows: list[dict[str, Any]]) -> list[Article]:
    """Articles in date order (stable), with integer ids = position in that order + 1."""
    order = sorted(range(len(rows)), key=lambda i: (str(rows[i].get("date", "")), i))
    arts = []
    for n, i in enumerate(order, 1):
        r = rows[i]
        d = str(r.get("date", ""))
        published = None
        if d:
            published = datetime.fromisoformat(d.replace("Z", "+00:00"))
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
        arts.append(
            Article(
                id=n,
                title=r.get("title") or "",
                text=r.get("text") or "",
                published=published,
                lang=r.get("lang") or "en",
                source=r.get("source"),
                external_id=str(r["id"]),
                meta={"gold": str(r.get("cluster"))},
            )
        )
    return arts


def embeddings_for(arts: list[Article], cached: bool) -> np.ndarray:
    """USE embeddings of the articles; ``cached`` reuses /tmp/cluster-cache (tuning runs only)."""
    texts = [embed_text(a) for a in arts]
    key = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"use-{key}.npy"
    if cached and path.exists():
        return np.load(path)
    emb = USEEmbedder().encode(texts)
    if cached:
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, emb)
    return emb


def run_ours(
    arts: list[Article], config: ClusterConfig, emb: np.ndarray | None, batch: int = 256
) -> dict[int, int]:
    """Replay through the clusterer in batches, as the pipeline does; article id → event id."""
    clusterer = EventClusterer(config)
    out: dict[int, int] = {}
    for i in range(0, len(arts), batch):
        chunk = arts[i : i + batch]
        e = emb[i : i + batch] if emb is not None else None
        for a in clusterer.assign(chunk, e):
            out[a.article_id] = a.event_id
        clusterer.changed_events()
        for src, dst in clusterer.merged_away():
            for k, v in out.items():
                if v == src:
                    out[k] = dst
    return out


def run_pipeline(rows: list[dict[str, Any]], config: ClusterConfig) -> dict[str, str]:
    """Ingest ``rows`` into a fresh temporary store through ``storyline.pipeline.Pipeline`` (the
    code path of ``storyline ingest``: normalise, dedupe, embed with the store's cache, cluster)
    and return input id → event id. Duplicates get the event of the article they duplicate."""
    import tempfile

    from storyline.cluster.stage import ClusterStage
    from storyline.pipeline import Pipeline
    from storyline.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for r in rows:
                keep = {
                    k: r[k]
                    for k in ("id", "date", "title", "text", "lang", "source", "url")
                    if r.get(k) is not None
                }
                fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
        store = SQLiteStore(Path(tmp) / "bench.db")
        if config == ClusterConfig():
            Pipeline(store, stages=("cluster",)).ingest_paths([src])
        else:
            Pipeline(store, stages=()).ingest_paths([src])
            ClusterStage(store, config=config).run()
        triples = store.article_events()
        event_of = {art: ev for art, _, ev in triples}
        pred: dict[str, str] = {}
        for art, key, ev in triples:
            if ev is None:
                a = store.article(art)
                if a is not None and a.duplicate_of is not None:
                    ev = event_of.get(a.duplicate_of)
            if key:
                pred[key.split(":", 1)[1]] = str(ev) if ev is not None else f"a{art}"
        store.close()
    return pred


def pairwise_f1(gold: list[str], pred: list[int]) -> tuple[float, float, float]:
    """Pairwise P/R/F1 (same definition as the shared scorer; used only inside ``--fit``)."""
    from collections import Counter

    def pairs(c: Counter) -> int:
        return sum(v * (v - 1) // 2 for v in c.values())

    tp = pairs(Counter(zip(gold, pred, strict=True)))
    sp, sg = pairs(Counter(pred)), pairs(Counter(gold))
    p = tp / sp if sp else 1.0
    r = tp / sg if sg else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_language_knots(
    emb: np.ndarray, lex: np.ndarray, y: np.ndarray
) -> tuple[tuple[float, float], ...]:
    """Knots of a cross-language proxy: the embedding cosine of true (same-event, same-language)
    candidate pairs mapped quantile by quantile onto their TF-IDF cosine (``lex``; or, for the
    key proxy, onto their key-overlap fraction).

    A cross-language pair has no shared words, so its TF-IDF cosine is replaced by what a
    same-language true pair with the same embedding cosine typically shows. Matching quantiles
    of the positives (10th…90th) keeps the map monotone and avoids the shrinkage of a least-
    squares line fitted over mostly negative candidates; (0, 0) and (1, 1) anchor the ends.
    """
    pos = (y == 1) & (lex > 0)
    qs = (10, 25, 50, 75, 90)
    e_q = np.percentile(emb[pos], qs)
    l_q = np.percentile(lex[pos], qs)
    inner = tuple((round(float(e), 4), round(float(v), 4)) for e, v in zip(e_q, l_q, strict=True))
    return ((0.0, 0.0), *inner, (1.0, 1.0))


def fit(
    arts: list[Article],
    emb: np.ndarray,
    base: ClusterConfig,
    c: float = 1.0,
    target_precision: float | None = None,
) -> dict[str, Any]:
    """Fit the logistic regression on gold-replayed candidates, then sweep the threshold.

    ``c`` is the inverse regularisation strength; ``target_precision`` picks the lowest swept
    threshold whose pairwise precision reaches it (instead of the best F1).
    """
    from sklearn.linear_model import LogisticRegression

    gold = [a.meta["gold"] for a in arts]
    nf = len(base.features)
    zeros = (0.0,) * nf
    base = replace(base, coef=zeros, mean=zeros, scale=(1.0,) * nf)
    x, y = EventClusterer(base).replay_features(arts, gold, emb)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    feats = list(base.features)
    xling = cross_language_knots(x[:, feats.index("emb_max")], x[:, feats.index("lex_max")], y)
    xling_keys = cross_language_knots(x[:, feats.index("emb_max")], x[:, feats.index("ent_frac")],
                                      y)
    cfg = replace(
        base,
        coef=tuple(float(c) for c in lr.coef_[0]),
        intercept=float(lr.intercept_[0]),
        mean=tuple(float(m) for m in mean),
        scale=tuple(float(s) for s in scale),
        xling=xling,
        xling_keys=xling_keys,
    )
    sweep = []
    for th in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        pred = run_ours(arts, replace(cfg, threshold=th), emb)
        p, r, f = pairwise_f1(gold, [pred[a.id] for a in arts])
        sweep.append({"threshold": th, "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)})
        print(json.dumps(sweep[-1]), file=sys.stderr)
    best = max(sweep, key=lambda s: s["f1"])
    if target_precision is not None:
        ok = [s for s in sweep if s["p"] >= target_precision]
        best = min(ok, key=lambda s: s["threshold"]) if ok else sweep[-1]
    return {
        "coef": cfg.coef,
        "intercept": cfg.intercept,
        "mean": cfg.mean,
        "scale": cfg.scale,
        "xling": cfg.xling,
        "xling_keys": cfg.xling_keys,
        "threshold": best["threshold"],
        "pairs": int(len(y)),
        "positives": int(y.sum()),
        "features": feats,
        "C": c,
        "sweep": sweep,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--out", type=Path, required=False)
    ap.add_argument("--method", choices=("ours", "tfidf"), default="ours")
    ap.add_argument("--split", choices=("all", "tune", "report"), default="all")
    ap.add_argument("--gold-out", type=Path, help="write the split's gold rows here (scoring)")
    ap.add_argument("--params", type=Path, help="JSON of ClusterConfig overrides")
    ap.add_argument("--fit", type=Path, help="fit on INPUT and write parameters to this file")
    ap.add_argument("--C", type=float, default=1.0, help="--fit: inverse regularisation")
    ap.add_argument(
        "--target-precision",
        type=float,
        help="--fit: lowest threshold reaching this pairwise precision (default: best F1)",
    )
    ap.add_argument(
        "--cached-embeddings",
        action="store_true",
        help="reuse embeddings from /tmp/cluster-cache (not for speed figures)",
    )
    ap.add_argument(
        "--direct",
        action="store_true",
        help="call the clusterer directly instead of the ingest pipeline (tuning)",
    )
    args = ap.parse_args(argv)

    rows = split_rows(read_rows(args.input), args.split)
    if args.gold_out:
        with args.gold_out.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"id": r["id"], "cluster": r.get("cluster")}) + "\n")
    arts = to_articles(rows)
    config = ClusterConfig()
    if args.params:
        over = json.loads(args.params.read_text())
        fields = ClusterConfig.__dataclass_fields__
        config = replace(
            config,
            **{k: (tuple(v) if isinstance(v, list) else v) for k, v in over.items() if k in fields},
        )
    if args.fit:
        emb = embeddings_for(arts, cached=True)
        params = fit(arts, emb, config, c=args.C, target_precision=args.target_precision)
        args.fit.write_text(json.dumps(params, indent=1))
        print(json.dumps({k: params[k] for k in ("threshold", "pairs", "positives")}))
        return params

    start = time.perf_counter()
    if args.method == "tfidf":
        from tfidf_baseline import single_pass_tfidf

        pred = single_pass_tfidf(arts)
    elif args.direct or args.cached_embeddings:
        emb = embeddings_for(arts, cached=True) if args.cached_embeddings else None
        pred = run_ours(arts, config, emb)
    else:
        by_key = run_pipeline(rows, config)
        pred = {a.id: by_key.get(str(a.external_id), f"missing-{a.id}") for a in arts}
    return write_and_report(arts, pred, time.perf_counter() - start, args.out)


def write_and_report(
    arts: list[Article], pred: dict[Any, Any], seconds: float, out: Path | None
) -> dict[str, Any]:
    """Write ``input_id<TAB>event_id`` for every article and print the figures' JSON line."""
    if out:
        with out.open("w", encoding="utf-8") as fh:
            for a in arts:
                fh.write(f"{a.external_id}\t{pred[a.id]}\n")
    result = {
        "articles": len(arts),
        "events": len(set(pred.values())),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(arts) / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # headlines whose outlet name the clusterer cuts (storyline.enrich.titles)
        "headlines_cut": sum(strip_site_name(a.title) != a.title for a in arts),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
