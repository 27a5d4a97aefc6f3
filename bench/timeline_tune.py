"""Quick tuning runs for ``storyline.timeline``: the tuning storylines only, approximate ROUGE.

``bench/timeline.py`` reports figures with ROUGE-1.5.5 (minutes per run); this scores the same
timelines with tilse's Python re-implementation of ROUGE (seconds per run, AR-F a little lower
than ROUGE-1.5.5's) so that builder settings can be compared quickly. By default it runs only the
storylines in ``TUNING_EVENTS``: settings are chosen here, on those, and reported by
``bench/timeline.py`` on the rest (see its docstring).

Usage: ``python bench/timeline_tune.py --dataset t17|crisis [--part tune|held-out|all]
[--set NAME=VALUE ...]``, where each ``--set`` overrides a ``TimelineBuilder`` argument (a Python
literal, e.g. ``--set max_words=40 --set "rank_weights={'named': 1}"``) on top of the dataset's
``SETTINGS``; prints one JSON line.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import timeline as bench  # noqa: E402  (bench/timeline.py, beside this file)

from storyline.timeline import DatedSentence, TimelineBuilder  # noqa: E402


def overrides(pairs: list[str]) -> dict[str, object]:
    """``NAME=VALUE`` pairs as builder keyword arguments (values are Python literals)."""
    parsed: dict[str, object] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        parsed[name] = ast.literal_eval(value)
    return parsed


def candidates(collections: dict[str, dict], events: set[str], builder: TimelineBuilder):
    """(event, candidates, gold) per gold timeline, placing each collection's sentences once.

    Placement is per article, so placing everything once and keeping the candidates of articles
    published within the timeline's span equals ``bench.ours``'s placing of those articles.
    """
    for name in sorted(events & set(collections)):
        collection = collections[name]
        placed: list[DatedSentence] = (builder.place(collection["articles"])
                                       if collection["articles"] else collection["pool"])
        for _, gold in collection["gold"]:
            start, end = min(gold), max(gold)
            yield name, [c for c in placed
                         if c.published is None or start <= c.published <= end], gold


def timelines(collections: dict[str, dict], events: set[str], builder: TimelineBuilder):
    """(event, predicted, gold) per gold timeline, with the benchmark's budget."""
    for name, pool, gold in candidates(collections, events, builder):
        start, end = min(gold), max(gold)
        k = round(sum(len(s) for s in gold.values()) / len(gold))
        entries = builder.build_from_sentences(pool, len(gold), k, start=start, end=end)
        yield name, {e.date: [s.text for s in e.sentences] for e in entries}, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=sorted(bench.FILES), required=True)
    parser.add_argument("--part", choices=("tune", "held-out", "all"), default="tune")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    started = time.perf_counter()
    collections = bench.load_collections(bench.DATA / bench.FILES[args.dataset], args.dataset)
    tuning = bench.TUNING_EVENTS[args.dataset]
    events = {"tune": tuning, "held-out": set(collections) - tuning,
              "all": set(collections)}[args.part]
    builder = TimelineBuilder(**bench.SETTINGS[args.dataset] | overrides(args.set))
    scores = [bench.score(predicted, gold, bench.METRICS, "reimpl")
              for _, predicted, gold in timelines(collections, events, builder)]
    print(json.dumps({"dataset": args.dataset, "part": args.part, "set": args.set,
                      **bench.average(scores),
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
