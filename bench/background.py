"""Background-summary benchmark: ``storyline.brief.context`` on Pratapa et al. (EMNLP 2023).

Data: ``background_train_dev.jsonl``, 6 events x 3 annotators; each annotator rewrote the
timeline's updates and wrote, for every step after the first, the background a reader needs.
For every annotator's timeline and every step i >= 1 the selector gets that annotator's updates
0..i-1 and update i, and its output is scored against all three annotators' backgrounds for step i
(the steps share dates across annotators) with Google's ``rouge-score`` (ROUGE-1/2/L F, Porter
stemming). We report the mean over the three references (``*_mean``) and the best one
(``*_max``), each averaged over all (timeline, step) pairs.

Baseline: the most recent earlier updates, newest first, concatenated and cut at the same word
cap ("previous k updates").

The selector's defaults were chosen on the ``train`` events (financial_crisis, iraq_war,
swine_flu); ``held_out`` reports the ``dev`` events alone.

Usage: ``python bench/background.py [--data FILE] [--max-words N]``; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from rouge_score import rouge_scorer

from storyline.brief.context import ContextSelector, Update

DATA = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "updates"
        / "background_train_dev.jsonl")
MEASURES = ("rouge1", "rouge2", "rougeL")


def previous_updates(earlier: list[Update], max_words: int) -> str:
    """Baseline: latest updates first, joined, cut at ``max_words`` words."""
    words: list[str] = []
    for update in reversed(earlier):
        words.extend(update.text.split())
        if len(words) >= max_words:
            break
    return " ".join(words[:max_words])


def mean_scores(rows: list[dict[str, float]]) -> dict[str, float]:
    """Column means, rounded for the report."""
    return {key: round(sum(r[key] for r in rows) / len(rows), 4) for key in rows[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--max-words", type=int, default=ContextSelector().max_words)
    args = parser.parse_args()
    started = time.perf_counter()
    timelines: dict[str, list[dict]] = defaultdict(list)
    split: dict[str, str] = {}
    with args.data.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            timelines[row["event"]].append(row)
            split[row["event"]] = row["split"]

    selector = ContextSelector(max_words=args.max_words)
    scorer = rouge_scorer.RougeScorer(list(MEASURES), use_stemmer=True)
    results: dict[str, list[tuple[str, dict[str, float]]]] = {"ours": [], "baseline": []}
    for event, rows in sorted(timelines.items()):
        for row in rows:
            updates = [Update(f"{row['annotator']}/{i}", date.fromisoformat(step["date"]),
                              step["update"]) for i, step in enumerate(row["timeline"])]
            for i in range(1, len(updates)):
                references = [r["timeline"][i]["background"] for r in rows]
                outputs = {
                    "ours": " ".join(s.text for s in selector.select(updates[:i], updates[i])),
                    "baseline": previous_updates(updates[:i], args.max_words),
                }
                for method, output in outputs.items():
                    per_ref = [scorer.score(ref, output) for ref in references]
                    scored: dict[str, float] = {}
                    for m in MEASURES:
                        f = [s[m].fmeasure for s in per_ref]
                        scored[f"{m}_mean"] = sum(f) / len(f)
                        scored[f"{m}_max"] = max(f)
                    scored["words"] = len(output.split())
                    results[method].append((event, scored))

    report: dict[str, object] = {"steps": len(results["ours"]), "max_words": args.max_words}
    for method, rows_ in results.items():
        report[method] = mean_scores([s for _, s in rows_])
        report[f"{method}_held_out"] = mean_scores(
            [s for event, s in rows_ if split[event] == "dev"])
    report["tuning_events"] = sorted(e for e, s in split.items() if s == "train")
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
