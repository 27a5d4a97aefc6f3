"""Does the cross-language pair model carry to a corpus it was not fitted on? Leave one out.

``python bench/xling_leave_one_out.py [CORPUS.jsonl ...] [--without concepts]``

For each corpus in turn (default: the demo corpus and the ten Russia/Belarus sets the shipped
model was fitted on), both
regressions of :class:`~storyline.cluster.xling.CrossLingualModel` are fitted on every
cross-language pair of the *other* corpora (the samples of ``bench/xling_pairs.py``, both
halves), and the corpus left out is ingested with ``storyline ingest`` into a fresh store whose
clusterer uses that model; its events are scored like ``bench/demo_quality.py --corpus`` scores
them (the shared scorer's pairwise F1, and the cross-language pairs). ``--without FEATURE``
fits the same models without one of :data:`~storyline.cluster.xling.PAIR_FEATURES` (its weight
held at 0), so a feature's share is the difference of two runs.

Prints a line per corpus and a last JSON line ``{"corpora": {name: {...}}, "mean_f1": x}``.
Every figure here comes from a model the scored corpus never touched; the shipped model
(fitted on half 0 of all eleven) is scored by ``bench/demo_quality.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_quality import SCORER, cross_language, read_store, score  # noqa: E402
from xling_pairs import fit_regression, samples  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
CORPORA = [ROOT / "src" / "storyline" / "demo" / "corpus.jsonl", DATA / "ru_by_nearmiss.jsonl",
           DATA / "ru_by_heldout.jsonl", *(DATA / f"ru_by_heldout{n}.jsonl" for n in range(3, 11))]


def fit(x: np.ndarray, y: np.ndarray, kind: np.ndarray, without: set[int]):
    """Both regressions over the pairs ``x`` (labels ``y``, kinds ``kind`` weighed as
    ``bench/xling_pairs.py`` weighs them), the columns in ``without`` held at weight 0."""
    from storyline.cluster.xling import CYRILLIC_COLUMNS, OTHER_COLUMNS, CrossLingualModel

    cyr = x[:, 3] > 0
    skip = frozenset(without)
    coef, intercept = fit_regression(x, y, kind, OTHER_COLUMNS, ~cyr, skip)
    cyr_coef, cyr_intercept = fit_regression(x, y, kind, CYRILLIC_COLUMNS, cyr, skip)
    return CrossLingualModel(coef, intercept, cyr_coef, cyr_intercept)


def cluster_with(model, corpus: Path, db: Path) -> None:
    """``storyline ingest corpus`` into ``db``, its clusterer using ``model``."""
    import storyline.cluster.stage as stage
    from storyline.cli import app
    from storyline.cluster.events import ClusterConfig
    from storyline.cluster.stage import ClusterStage

    class WithModel(ClusterStage):
        def __init__(self, store, **kw):
            super().__init__(store, config=ClusterConfig(xling_model=model), **kw)

    stage.ClusterStage = WithModel  # the pipeline imports it from there when it runs
    os.environ["STORYLINE_HOME"] = str(db.parent / "home")  # no user settings or feeds
    try:
        app(["--quiet", "--db", str(db), "ingest", str(corpus)], standalone_mode=False)
    finally:
        stage.ClusterStage = ClusterStage


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", type=Path, default=CORPORA)
    ap.add_argument("--without", action="append", default=[],
                    help="a pair feature to leave out of the fit (e.g. concepts)")
    args = ap.parse_args(argv)
    from storyline.cluster.xling import PAIR_FEATURES

    without = {PAIR_FEATURES.index(name) for name in args.without}
    start = time.perf_counter()
    parts = {path: samples([json.loads(line) for line in path.read_text("utf-8").splitlines()
                            if line.strip()]) for path in args.corpus}
    out: dict[str, dict] = {}
    for left in args.corpus:
        x = np.concatenate([p[0] for k, p in parts.items() if k != left])
        y = np.concatenate([p[1] for k, p in parts.items() if k != left])
        kind = np.concatenate([p[3] for k, p in parts.items() if k != left])
        model = fit(x, y, kind, without)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "corpus.db"
            cluster_with(model, left, db)
            gold, pred, _ = read_store(db)
        events = score(gold["events"], pred["events"], SCORER)
        xl = cross_language(gold["events"], pred["events"], gold["lang"])
        name = "demo" if left == CORPORA[0] else left.stem
        out[name] = {"f1": events["pairwise_f1"], "p": events["pairwise_p"],
                          "r": events["pairwise_r"], "xl_recall": xl["recall"],
                          "xl_precision": xl["precision"]}
        print(name, json.dumps(out[name]), flush=True)
    result = {"corpora": out, "without": args.without,
              "mean_f1": round(float(np.mean([v["f1"] for v in out.values()])), 4),
              "seconds": round(time.perf_counter() - start, 1)}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
