"""Timeline summarisation benchmark: ``storyline.timeline`` against Timeline17 or Crisis.

Protocol (news-tls, Gholipour Ghalandari & Ifrim 2020, ``experiments/evaluate.py``): one run per
gold timeline; the input is restricted to the gold timeline's first..last date (articles by
publication day, candidate days likewise); the system is asked for as many dates as the gold
timeline has and ``round(mean sentences per gold date)`` sentences per date (news-tls
``get_average_summary_length``: Python ``round``); scores are tilse's alignment-based ROUGE
(``align_date_content_costs_many_to_one``: AR1-F, AR2-F; ROUGE-1.5.5 with stemming and stop-word
removal), ``concat`` ROUGE (``agreement`` too with ``--all-metrics``), and date F1. Per-timeline
precision and recall are averaged over timelines and F is computed from the averages, as news-tls
does.

Timeline17 articles are pooled per storyline (``event``: 9 collections, 19 gold timelines), as in
news-tls. Crisis has no articles here: its ``date_sentences`` pool (sentences already grouped by
the day they refer to) replaces step 1 of the method, so the figures are not strictly comparable
with news-tls's Crisis numbers, which start from raw articles. A pool sentence's publication day
is unknown; whether it names its day, and by calendar date or relatively, is read from its text
(``pooled``), which feeds the day ranking.

Tuning protocol: every choice in ``storyline.timeline`` (the horizon for dates without a year,
the day-ranking weights, sentence length, lead sentences, the whole-sentence and boilerplate
filters) and the per-dataset ``SETTINGS`` were made on the storylines in ``TUNING_EVENTS`` only:
Timeline17 egypt, h1n1, haiti, libya, mj (8 timelines) and Crisis egypt, libya (11). Sentence
settings were compared with ``bench/timeline_tune.py`` (tilse's Python ROUGE on those
storylines). The default day-ranking weights came from a grid over date F1 on the tuning
storylines of both datasets together (``bench/timeline_rank_grid.py``); Crisis's pooled
sentences, which lack publication days, get the grid's best weights on Crisis's tuning storylines
alone (``SETTINGS``). The other storylines
(Timeline17 bpoil, finan, iraq, syria: 11 timelines; Crisis syria, yemen: 11) were not used for
any choice; their figures are reported as ``ours_held_out``, the tuning part's as
``ours_tuning``.

Beside ours runs a simple baseline: days ranked by the number of articles published on them
(Crisis: pool sentences per day), each given the first sentences of its first article (Crisis:
the day's first pool sentences).

Usage: ``python bench/timeline.py --dataset t17|crisis [--events a,b] [--data DIR] [--jobs N]
[--all-metrics] [--approx]``; prints one JSON line; per-timeline lines go to stderr. ``--approx``
scores with tilse's Python ROUGE (seconds, not minutes; AR-F a little lower): not for reports.
Needs the ``bench`` extra (tilse) and Debian's ``libxml-parser-perl`` for tilse's bundled
ROUGE-1.5.5.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

from tilse.data.timelines import GroundTruth
from tilse.data.timelines import Timeline as TilseTimeline
from tilse.evaluation import rouge

from storyline.mentioned_days import mention_kind
from storyline.model import Article
from storyline.text_units import split_sentences
from storyline.timeline import DatedSentence, TimelineBuilder, TimelineEntry

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "storylines"
FILES = {"t17": "timeline17.jsonl", "crisis": "crisis_gold.jsonl"}
PUBLISHED = {  # Datewise, news-tls paper (ACL 2020), Table 3
    "t17": {"AR1-F": 0.120, "AR2-F": 0.035, "date-F1": 0.544},
    "crisis": {"AR1-F": 0.089, "AR2-F": 0.026, "date-F1": 0.295},
}
#: Storylines the builder's settings were chosen on (see the protocol above); the rest are held out.
TUNING_EVENTS = {"t17": {"egypt", "h1n1", "haiti", "libya", "mj"}, "crisis": {"egypt", "libya"}}
#: Builder settings per dataset beside the defaults, chosen on Crisis's tuning storylines. Its
#: pools carry headlines and fragments that no timeline should quote but that tell what a day was
#: about, so day centroids count every pooled sentence (worse on Timeline17's tuning storylines).
#: Pooled sentences have no publication day, so "published" and "named_later" are always zero
#: and the day ranking has its own weights (the best on Crisis's tuning part of the same grid).
SETTINGS: dict[str, dict[str, object]] = {
    "t17": {},
    "crisis": {"centroid_pool": "all", "query_weight": 0.25,
               "rank_weights": {"named": 1.0, "calendar": 2.0, "placed": 0.25}},
}
METRICS = {"AR": "align_date_content_costs_many_to_one", "concat": "concat"}
#: ``--all-metrics`` adds it: one ROUGE-1.5.5 run per shared date, slow and not in news-tls's table.
SLOW_METRICS = {"agreement": "agreement"}
_local = threading.local()


def load_collections(path: Path, dataset: str) -> dict[str, dict]:
    """Per storyline: its articles (or dated pool) and its gold timelines."""
    collections: dict[str, dict] = defaultdict(lambda: {"articles": [], "pool": [], "gold": []})
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            name = row.get("event") or row["topic"]
            collection = collections[name]
            for a in row["articles"]:
                day = date.fromisoformat(a["date"][:10])
                collection["articles"].append(Article(
                    title=a.get("title") or "",
                    text=a["text"],
                    published=datetime(day.year, day.month, day.day, tzinfo=UTC),
                    external_id=f"{row['topic']}/{a['id']}",
                ))
            for group in row.get("date_sentences", []):
                day = date.fromisoformat(group["date"][:10])
                collection["pool"].extend(pooled(day, text, f"{row['topic']}/{day}/{i}")
                                          for i, text in enumerate(group["sentences"]))
            for tl in row["timelines"]:
                gold: dict[date, list[str]] = {}
                for item in tl["timeline"]:
                    try:
                        gold[date.fromisoformat(item["date"])] = list(item["sentences"])
                    except ValueError:  # one Timeline17 entry is dated "2011-04-0"
                        print(f"skipped gold date {item['date']!r} ({row['topic']})",
                              file=sys.stderr)
                collection["gold"].append((tl.get("name", ""), gold))
    return collections


def pooled(day: date, text: str, sentence_id: str) -> DatedSentence:
    """A Crisis pool sentence on the day it refers to, flagged by how (if at all) it names it.

    The pool says which day a sentence is about but not when it was written, so the sentence is
    its own report; whether it names a day, and by calendar date or relatively, is read from it.
    """
    kind = mention_kind(text)
    return DatedSentence(day, text, sentence_id, mentioned=kind is not None,
                         calendar=kind == "calendar")


def baseline(collection: dict, start: date, end: date, n_dates: int, k: int) -> dict[date, list]:
    """Most-reported days, each with the first ``k`` sentences of its first report."""
    if collection["articles"]:
        first: dict[date, Article] = {}
        counts: Counter[date] = Counter()
        for article in collection["articles"]:
            day = article.published.date()
            if start <= day <= end:
                counts[day] += 1
                first.setdefault(day, article)
        days = sorted(counts, key=lambda d: (-counts[d], d))[:n_dates]
        return {d: split_sentences(first[d].text)[:k] for d in days}
    by_day: dict[date, list[str]] = defaultdict(list)
    for c in collection["pool"]:
        if start <= c.date <= end:
            by_day[c.date].append(c.text)
    days = sorted(by_day, key=lambda d: (-len(by_day[d]), d))[:n_dates]
    return {d: by_day[d][:k] for d in days}


def ours(builder: TimelineBuilder, collection: dict, start: date, end: date, n_dates: int,
         k: int) -> dict[date, list]:
    """The product's timeline for the same input and budget."""
    if collection["articles"]:
        articles = [a for a in collection["articles"] if start <= a.published.date() <= end]
        entries: list[TimelineEntry] = builder.build(articles, n_dates, k, start=start, end=end)
    else:
        entries = builder.build_from_sentences(collection["pool"], n_dates, k, start=start,
                                               end=end)
    return {e.date: [s.text for s in e.sentences] for e in entries}


def score(predicted: dict[date, list], gold: dict[date, list], metrics: dict[str, str],
          computation: str = "original") -> dict[str, dict[str, float]]:
    """Precision/recall per metric for one predicted timeline against one gold timeline.

    ``computation`` is tilse's: "original" (ROUGE-1.5.5, the reported figures) or "reimpl" (its
    Python re-implementation: close, not equal, for quick tuning runs only). Runs in a worker
    thread: ROUGE-1.5.5 is a Perl subprocess per call, so threads overlap well, but each needs its
    own evaluator (pyrouge keeps its temp folder on the instance).
    """
    if not hasattr(_local, "evaluators"):
        _local.evaluators = {}
    if computation not in _local.evaluators:
        _local.evaluators[computation] = rouge.TimelineRougeEvaluator(
            measures=["rouge_1", "rouge_2"], rouge_computation=computation)
    evaluator = _local.evaluators[computation]
    pred_tl = TilseTimeline({d: s for d, s in predicted.items() if s})
    truth = GroundTruth([TilseTimeline(gold)])
    result: dict[str, dict[str, float]] = {}
    for short, metric in metrics.items():
        scores = getattr(evaluator, f"evaluate_{metric}")(pred_tl, truth)
        for n in (1, 2):
            result[f"{short}{n}"] = {m: scores[f"rouge_{n}"][m] for m in ("precision", "recall")}
    shared = len(set(predicted) & set(gold))
    result["date"] = {"precision": shared / len(predicted) if predicted else 0.0,
                      "recall": shared / len(gold)}
    return result


def average(results: list[dict[str, dict[str, float]]]) -> dict[str, float]:
    """news-tls averaging: mean precision and recall over timelines, F from the means."""
    names = {"AR1": "AR1-F", "AR2": "AR2-F", "date": "date-F1", "concat1": "concat-R1-F",
             "concat2": "concat-R2-F", "agreement1": "agreement-R1-F",
             "agreement2": "agreement-R2-F"}
    out: dict[str, float] = {}
    for key, name in names.items():
        if key not in results[0]:
            continue
        p = sum(r[key]["precision"] for r in results) / len(results)
        r_ = sum(r[key]["recall"] for r in results) / len(results)
        out[name] = round(2 * p * r_ / (p + r_), 4) if p + r_ else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=sorted(FILES), required=True)
    parser.add_argument("--events", help="comma-separated storylines to run (default: all)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding the jsonl files")
    parser.add_argument("--all-metrics", action="store_true", help="add agreement ROUGE (slow)")
    parser.add_argument("--approx", action="store_true",
                        help="tilse's Python ROUGE instead of ROUGE-1.5.5 (fast, not for reports)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel ROUGE-1.5.5 runs")
    args = parser.parse_args()
    computation = "reimpl" if args.approx else "original"
    started = time.perf_counter()
    collections = load_collections(args.data / FILES[args.dataset], args.dataset)
    wanted = set(args.events.split(",")) if args.events else set(collections)
    metrics = METRICS | (SLOW_METRICS if args.all_metrics else {})
    builder = TimelineBuilder(**SETTINGS[args.dataset])
    runs: list[tuple[str, str, str, dict, dict]] = []  # event, gold name, method, predicted, gold
    for name in sorted(wanted & set(collections)):
        collection = collections[name]
        for tl_name, gold in collection["gold"]:
            start, end = min(gold), max(gold)
            n_dates = len(gold)
            k = round(sum(len(s) for s in gold.values()) / len(gold))
            runs.append((name, tl_name, "ours",
                         ours(builder, collection, start, end, n_dates, k), gold))
            runs.append((name, tl_name, "baseline",
                         baseline(collection, start, end, n_dates, k), gold))
    built = time.perf_counter() - started
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        scores = list(pool.map(lambda run: score(run[3], run[4], metrics, computation), runs))

    results: dict[str, list[tuple[str, dict]]] = {"ours": [], "baseline": []}
    for (name, tl_name, method, _, gold), scored in zip(runs, scores, strict=True):
        results[method].append((name, scored))
        print(json.dumps({"event": name, "timeline": tl_name, "method": method,
                          "dates": len(gold), **average([scored])}), file=sys.stderr)
    report: dict[str, object] = {
        "dataset": args.dataset,
        "rouge": computation,
        "timelines": len(results["ours"]),
        "ours": average([r for _, r in results["ours"]]),
        "baseline": average([r for _, r in results["baseline"]]),
        "published_datewise": PUBLISHED[args.dataset],
        "tuning_events": sorted(TUNING_EVENTS[args.dataset] & wanted),
    }
    parts = {"tuning": TUNING_EVENTS[args.dataset], "held_out": set(collections) - TUNING_EVENTS[
        args.dataset]}
    ran = {name for name, _ in results["ours"]}
    if all(ran & part for part in parts.values()):  # both parts ran: each has its own figures
        for part, events in parts.items():
            for method in ("ours", "baseline"):
                report[f"{method}_{part}"] = average(
                    [r for name, r in results[method] if name in events])
    report["seconds_building"] = round(built, 1)
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
