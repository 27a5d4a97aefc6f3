"""How often the next-day cues the event clusterer reads open a reaction, against a new act:
``python bench/next_day_cues.py [CORPUS.jsonl ...]``.

Across languages, a report that names only a day after an event's first is kept out of it (the
one-day rule, :class:`~storyline.cluster.events.ClusterConfig` ``xling_later_day``) unless
its first sentence names the day before as the day of what it follows up
(:func:`~storyline.cluster.report_days.back_days`: "a day after …", "накануне") or its
headline or first sentence tells a reaction (:func:`~storyline.cluster.report_days.reacts`:
"condemned", "назвали … ошибкой"); then the cross-language pair model judges it. This bench
counts, over the gold of each corpus (default: the demo corpus and our Russia/Belarus sets in
``bench/data``), the two kinds of report such a cue may open:

* ``follow_up`` — a report published a day or more after its own happening's day (a reaction
  or aftermath, which the gold keeps with the happening it answers);
* ``new_act_next_day`` — a report of a happening of the report's own day, published the day
  after another happening of its storyline (a new act that follows the earlier one).

and for each kind how many open with each cue. It prints a line per corpus and a last JSON line
``{"corpora": {...}, "total": {...}}``. A cue is useful when it opens follow-ups and no new
acts; whether the pair model then joins a follow-up is for ``bench/demo_quality.py`` to say.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "src" / "storyline" / "demo" / "corpus.jsonl",
           *sorted((ROOT / "bench" / "data").glob("ru_by_*.jsonl"))]


def count(rows: list[dict]) -> Counter:
    """Per kind of report (see the module docstring), how many there are and how many open
    with each cue."""
    from storyline.cluster.events import ClusterConfig
    from storyline.cluster.report_days import back_days, reacts
    from storyline.cluster.stream_time import EPOCH, to_days
    from storyline.model import Article

    chars = ClusterConfig().lead_chars
    epoch = EPOCH.date().toordinal()
    days_of: dict[str, set[str]] = {}
    for r in rows:
        days_of.setdefault(r["storyline"], set()).add(r["happening"][:10])
    out: Counter = Counter()
    for r in rows:
        when = datetime.fromisoformat(r["date"])
        published, happened = when.date(), date.fromisoformat(r["happening"][:10])
        if happened < published:
            kind = "follow_up"
        elif (published - timedelta(days=1)).isoformat() in days_of[r["storyline"]]:
            kind = "new_act_next_day"
        else:
            continue
        a = Article(title=r["title"], text=r["text"], published=when, lang=r["lang"])
        before = published.toordinal() - 1 - epoch
        out[kind] += 1
        out[f"{kind}:day_before"] += before in back_days(a, to_days(when), chars)
        out[f"{kind}:reaction"] += reacts(a, chars)
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", type=Path, default=DEFAULT)
    args = ap.parse_args(argv)
    corpora: dict[str, dict[str, int]] = {}
    total: Counter = Counter()
    for path in args.corpus:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
        counts = count(rows)
        corpora[path.stem] = dict(sorted(counts.items()))
        total.update(counts)
        print(path.stem, json.dumps(corpora[path.stem]), flush=True)
    result = {"corpora": corpora, "total": dict(sorted(total.items()))}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
