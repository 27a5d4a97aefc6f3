"""Score the actor-role CRF (events/roles.py) against annotated source/target spans.

Usage: python bench/actor_spans.py ../shared/data/events/conflibert_spans_train.jsonl --folds 5
       python bench/actor_spans.py TRAIN.jsonl --test TEST.jsonl

FILE is JSONL with ``tokens`` and BIO ``tags`` (B-S/I-S source, B-T/I-T target, B-R/I-R
reciprocal) or with ``text`` and ``source``/``target`` strings (plover_train.jsonl's layout).

Systems, all scored on the same sentences and tokens:

* ``crf``: ``--folds K``: K-fold cross-validation by sentence (shuffled, ``--seed``); in each
  fold c1/c2 are chosen on a fixed dev split (``DEV_SHARE`` of the training part, seeded) from
  ``GRID``, then the CRF is retrained on the whole training part and tags the held-out fold.
  ``--test FILE``: the same tuning on the whole train file, then FILE is tagged.
* ``rules``: today's rule coder (``Coder(require_source=False)``, no roles model) on the
  sentence text (``text`` or the tokens joined by spaces). Its spans are the resolver
  mentions it used as actors (``meta["source_span"]``/``["target_span"]``, character offsets)
  of every record of its first coded predicate (same trigger as the first record; a
  reciprocal record's target is not counted), mapped to the tokens they overlap. An agent
  target ("opposition supporters") is the role word alone, as the coder records it.
* ``shipped``: the packaged model (trained on plover_train.jsonl only) on the whole file, an
  out-of-domain figure for any other corpus (in-sample on plover_train itself:
  ``shipped_in_sample``).
* ``rules_crf`` / ``rules_shipped``: the coder consulting a role model (``Coder(roles=...)``:
  the fold's CRF, or the shipped one), its spans taken as for ``rules``.

Metrics per role (source, target): exact-span precision/recall/F1 (a predicted span counts
when its token start and end equal a gold span's), token-overlap F1 (micro over tokens: a
token counts when both gold and prediction give it the role) and span-overlap F1 (a predicted
span counts when it overlaps a gold span of its role, a gold span when some prediction overlaps
it: the fair measure for the coder, whose spans are the actor names inside the phrases).
The last line is one JSON object; ``source_f1``/``target_f1`` are the CRF's exact-span F1 (CV,
or on --test). ``--no-tune`` skips the c1/c2 search (``roles.PARAMS``; quick checks only);
``--select`` only scores each GRID point by plain K-fold CV, which is how ``roles.PARAMS`` (the
shipped model's) was chosen on plover_train.jsonl.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.events import roles
from storyline.events.coder import Coder

GRID = [{"c1": c1, "c2": c2} for c1 in (0.0, 0.05, 0.2) for c2 in (0.01, 0.1, 1.0)]
DEV_SHARE = 0.2
SCORED = ("source", "target")


def load(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """BIO examples and each sentence's text (as the rule coder reads it)."""
    examples = roles.read_examples(path)
    return examples, [" ".join(e["tokens"]) for e in examples]


def score(gold: list[dict[str, list]], pred: list[dict[str, list]]) -> dict[str, float]:
    """Exact-span P/R/F1 and token-overlap F1 for each scored role."""
    out: dict[str, float] = {}
    for role in SCORED:
        c: Counter[str] = Counter()
        for g, p in zip(gold, pred, strict=True):
            gs, ps = set(map(tuple, g[role])), set(map(tuple, p[role]))
            c["tp"] += len(gs & ps)
            c["np"] += len(ps)
            c["ng"] += len(gs)
            gt = {i for s, e in gs for i in range(s, e)}
            pt = {i for s, e in ps for i in range(s, e)}
            c["ttp"] += len(gt & pt)
            c["tnp"] += len(pt)
            c["tng"] += len(gt)
            c["hp"] += sum(any(a < e2 and s2 < b for s2, e2 in gs) for a, b in ps)
            c["hg"] += sum(any(a < e2 and s2 < b for s2, e2 in ps) for a, b in gs)
        p, r = _div(c["tp"], c["np"]), _div(c["tp"], c["ng"])
        tp, tr = _div(c["ttp"], c["tnp"]), _div(c["ttp"], c["tng"])
        hp, hr = _div(c["hp"], c["np"]), _div(c["hg"], c["ng"])
        out.update({f"{role}_p": round(p, 4), f"{role}_r": round(r, 4),
                    f"{role}_f1": round(_f1(p, r), 4), f"{role}_token_f1": round(_f1(tp, tr), 4),
                    f"{role}_overlap_f1": round(_f1(hp, hr), 4)})
    return out


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def coder_spans(texts: list[str], tokens: list[list[str]],
                tagger: roles.RoleTagger | None = None) -> list[dict[str, list]]:
    """The coder's source/target mentions (module docstring), as token spans; with ``tagger``
    the coder consults that role model (``Coder(roles=...)``)."""
    coder = Coder(require_source=False, roles=tagger)
    out = []
    for text, toks, recs in zip(texts, tokens, coder.code_many(texts), strict=True):
        starts, pos = [], 0
        for t in toks:
            pos = text.find(t, pos)
            starts.append(pos)
            pos += len(t)

        def to_tokens(char_span: list[int] | None,
                      starts: list[int] = starts, toks: list[str] = toks) -> tuple[int, int] | None:
            if not char_span:
                return None
            a, b = char_span
            hit = [i for i, s in enumerate(starts) if s < b and s + len(toks[i]) > a]
            return (hit[0], hit[-1] + 1) if hit else None

        found: dict[str, list] = {r: [] for r in SCORED}
        main = [r for r in recs if recs and r.meta.get("trigger_span") ==
                recs[0].meta.get("trigger_span")]
        for rec in main:
            for role, key in (("source", "source_span"), ("target", "target_span")):
                if role == "target" and rec.meta.get("reciprocal"):
                    continue
                span = to_tokens(rec.meta.get(key))
                if span and span not in found[role]:
                    found[role].append(span)
        out.append(found)
    return out


def tuned(examples: list[dict], feats: list[list[dict]], train: list[int], seed: int,
          fixed: bool = False) -> tuple[roles.RoleTagger, dict[str, float]]:
    """Choose c1/c2 on a fixed dev split of ``train``, then retrain on all of ``train``
    (``fixed``: no search, ``roles.PARAMS``)."""
    if fixed:
        params = {"c1": roles.PARAMS["c1"], "c2": roles.PARAMS["c2"]}
        return roles.RoleTagger.train([examples[i] for i in train], params,
                                      [feats[i] for i in train]), params
    order = sorted(train)
    random.Random(seed).shuffle(order)
    n_dev = max(1, int(len(order) * DEV_SHARE))
    dev, fit = order[:n_dev], order[n_dev:]
    best: tuple[float, dict[str, float]] | None = None
    for params in GRID:
        model = roles.RoleTagger.train([examples[i] for i in fit], params,
                                       [feats[i] for i in fit])
        pred = [roles.spans_of(model.tag_features(feats[i])) for i in dev]
        s = score([roles.spans_of(examples[i]["tags"]) for i in dev], pred)
        f = (s["source_f1"] + s["target_f1"]) / 2
        if best is None or f > best[0]:
            best = (f, params)
    assert best is not None
    model = roles.RoleTagger.train([examples[i] for i in train], best[1],
                                   [feats[i] for i in train])
    return model, best[1]


def select(examples: list[dict], feats: list[list[dict]], folds: int, seed: int) -> dict:
    """Mean exact-span F1 (source and target) of each GRID point under K-fold CV."""
    idx = list(range(len(examples)))
    random.Random(seed).shuffle(idx)
    gold = [roles.spans_of(e["tags"]) for e in examples]
    results = []
    for params in GRID:
        pred: list[Any] = [None] * len(examples)
        for k in range(folds):
            held = set(idx[k::folds])
            train = [i for i in idx if i not in held]
            model = roles.RoleTagger.train([examples[i] for i in train], params,
                                           [feats[i] for i in train])
            for i in held:
                pred[i] = roles.spans_of(model.tag_features(feats[i]))
        s = score(gold, pred)
        results.append({**params, "source_f1": s["source_f1"], "target_f1": s["target_f1"],
                        "mean_f1": round((s["source_f1"] + s["target_f1"]) / 2, 4)})
        print(json.dumps(results[-1]), file=sys.stderr)
    best = max(results, key=lambda r: r["mean_f1"])
    out = {"sentences": len(examples), "folds": folds, "grid": results,
           "best": {"c1": best["c1"], "c2": best["c2"]}, "source_f1": best["source_f1"],
           "target_f1": best["target_f1"]}
    print(json.dumps(out))
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--test", type=Path, default=None,
                    help="train on PATH (tuned on its dev split), score this file")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-tune", action="store_true", help="use roles.PARAMS, no search")
    ap.add_argument("--select", action="store_true",
                    help="only score each GRID point by plain K-fold CV (how roles.PARAMS "
                         "was chosen on plover_train.jsonl)")
    args = ap.parse_args(argv)
    t0 = time.time()
    examples, texts = load(args.path)
    feats = [roles.token_features(d) for d in roles.parse_many(e["tokens"] for e in examples)]
    t_feats = time.time() - t0
    if args.select:
        return select(examples, feats, args.folds, args.seed)
    t1 = time.time()
    # (model, the sentences of the evaluated file it tags): one per fold, or one for --test
    runs: list[tuple[roles.RoleTagger, list[int]]] = []
    chosen: list[dict[str, float]] = []
    if args.test is None:
        eval_ex, eval_texts, eval_feats = examples, texts, feats
        idx = list(range(len(examples)))
        random.Random(args.seed).shuffle(idx)
        for k in range(args.folds):
            test = idx[k::args.folds]
            held = set(test)
            model, params = tuned(examples, feats, [i for i in idx if i not in held],
                                  args.seed + k, args.no_tune)
            runs.append((model, test))
            chosen.append(params)
    else:
        model, params = tuned(examples, feats, list(range(len(examples))), args.seed,
                              args.no_tune)
        chosen.append(params)
        eval_ex, eval_texts = load(args.test)
        eval_feats = [roles.token_features(d)
                      for d in roles.parse_many(e["tokens"] for e in eval_ex)]
        runs.append((model, list(range(len(eval_ex)))))
    n = len(eval_ex)
    pred: list[Any] = [None] * n
    for model, test in runs:
        for i in test:
            pred[i] = roles.spans_of(model.tag_features(eval_feats[i]))
    t_crf = time.time() - t1
    gold = [roles.spans_of(e["tags"]) for e in eval_ex]
    toks = [e["tokens"] for e in eval_ex]
    systems: dict[str, dict[str, float]] = {"crf": score(gold, pred)}
    t2 = time.time()
    shipped_model = roles.shipped_tagger()
    systems["shipped"] = score(
        gold, [roles.spans_of(shipped_model.tag_features(f)) for f in eval_feats])
    t_shipped = time.time() - t2
    t3 = time.time()
    systems["rules"] = score(gold, coder_spans(eval_texts, toks))
    t_rules = time.time() - t3
    coder_crf: list[Any] = [None] * n
    for model, test in runs:
        found = coder_spans([eval_texts[i] for i in test], [toks[i] for i in test], model)
        for i, f in zip(test, found, strict=True):
            coder_crf[i] = f
    systems["rules_crf"] = score(gold, coder_crf)
    systems["rules_shipped"] = score(gold, coder_spans(eval_texts, toks, shipped_model))
    mode = f"{args.folds}-fold CV" if args.test is None else f"train {args.path.name}"
    print(f"{n} sentences ({mode}); c1/c2 chosen per fold: "
          f"{[(p['c1'], p['c2']) for p in chosen]}", file=sys.stderr)
    names = {"crf": "crf", "shipped": "shipped (plover_train)", "rules": "rules (today's coder)",
             "rules_crf": "coder + crf roles", "rules_shipped": "coder + shipped roles"}
    for key, s in systems.items():
        print(f"{names[key]:24s} " + "  ".join(
            f"{r}: P {s[r + '_p']:.3f} R {s[r + '_r']:.3f} F1 {s[r + '_f1']:.3f} "
            f"tok {s[r + '_token_f1']:.3f} overlap {s[r + '_overlap_f1']:.3f}" for r in SCORED),
            file=sys.stderr)
    crf, rules, shipped = systems["crf"], systems["rules"], systems["shipped"]
    out: dict[str, Any] = {
        "file": args.path.name, "test": args.test.name if args.test else None,
        "sentences": n, "folds": args.folds if args.test is None else None,
        "seed": args.seed, "source_f1": crf["source_f1"], "target_f1": crf["target_f1"],
        "rules_source_f1": rules["source_f1"], "rules_target_f1": rules["target_f1"],
        "shipped_source_f1": shipped["source_f1"], "shipped_target_f1": shipped["target_f1"],
        "shipped_in_sample": args.path.name == roles.TRAINING_FILE and args.test is None,
        **systems, "chosen_params": chosen,
        "seconds": {"parse_features": round(t_feats, 1), "crf_tune_train_tag": round(t_crf, 1),
                    "shipped_tag": round(t_shipped, 2), "rules": round(t_rules, 1),
                    "total": round(time.time() - t0, 1)},
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
