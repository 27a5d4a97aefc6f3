"""Validate the hand-written PLOVER event-type training set.

Checks every line of ``src/storyline/events/data/plover_train.jsonl``:

* valid JSON object with ``text`` and ``type`` (``source``/``target``/``note`` optional);
* ``type`` is one of the 18 PLOVER types and every type is present;
* ``source``/``target`` are exact substrings of ``text`` when not null;
* no duplicate texts (case- and whitespace-insensitive);
* text length between 12 and 45 words.

Prints one JSON line with the total and per-type counts; exits 1 on any error.

Usage: python bench/plover_train_check.py [path]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "FIGHT", "INVESTIGATE",
)
ALLOWED_KEYS = {"text", "type", "source", "target", "note"}
MIN_WORDS, MAX_WORDS = 12, 45
MIN_PER_TYPE = 30
DEFAULT = (
    Path(__file__).resolve().parents[1] / "src/storyline/events/data/plover_train.jsonl"
)


def check(path: Path) -> tuple[dict, list[str]]:
    errors: list[str] = []
    counts: Counter[str] = Counter()
    seen: dict[str, int] = {}
    words: list[int] = []
    n_notes = 0
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            errors.append(f"{lineno}: blank line")
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{lineno}: bad JSON ({exc})")
            continue
        if not isinstance(rec, dict):
            errors.append(f"{lineno}: not an object")
            continue
        extra = set(rec) - ALLOWED_KEYS
        if extra:
            errors.append(f"{lineno}: unexpected keys {sorted(extra)}")
        text, typ = rec.get("text"), rec.get("type")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{lineno}: missing text")
            continue
        if typ not in TYPES:
            errors.append(f"{lineno}: unknown type {typ!r}")
            continue
        counts[typ] += 1
        for key in ("source", "target"):
            span = rec.get(key)
            if span is None:
                continue
            if not isinstance(span, str) or not span or span not in text:
                errors.append(f"{lineno}: {key} {span!r} is not a substring of text")
        if rec.get("note") is not None:
            n_notes += 1
        n_words = len(text.split())
        words.append(n_words)
        if not MIN_WORDS <= n_words <= MAX_WORDS:
            errors.append(f"{lineno}: {n_words} words (want {MIN_WORDS}-{MAX_WORDS})")
        key = " ".join(text.lower().split())
        if key in seen:
            errors.append(f"{lineno}: duplicate of line {seen[key]}")
        else:
            seen[key] = lineno
    for typ in TYPES:
        if counts[typ] < MIN_PER_TYPE:
            errors.append(f"type {typ}: only {counts[typ]} examples (want >= {MIN_PER_TYPE})")
    summary = {
        "total": sum(counts.values()),
        "types": len([t for t in TYPES if counts[t]]),
        "counts": {t: counts[t] for t in TYPES},
        "with_note": n_notes,
        "words_min": min(words, default=0),
        "words_max": max(words, default=0),
        "words_mean": round(sum(words) / len(words), 1) if words else 0,
        "errors": len(errors),
    }
    return summary, errors


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    summary, errors = check(path)
    for err in errors:
        print(f"ERROR {err}", file=sys.stderr)
    print(json.dumps(summary))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
