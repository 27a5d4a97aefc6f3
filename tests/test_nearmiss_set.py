"""Our near-miss evaluation set (bench/data/ru_by_nearmiss.jsonl) keeps the layout the demo
bench reads and the properties RU_BY_NEARMISS.md states."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

SET = Path(__file__).resolve().parents[1] / "bench" / "data" / "ru_by_nearmiss.jsonl"
KEYS = {"id", "date", "lang", "source", "title", "text", "storyline", "happening"}


def test_the_near_miss_set_is_well_formed_and_holds_near_misses() -> None:
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert all(set(r) == KEYS for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    reports = Counter(r["happening"] for r in rows)
    assert min(reports.values()) >= 2
    langs: dict[str, set[str]] = defaultdict(set)
    days: dict[str, dict[str, datetime]] = defaultdict(dict)
    for r in rows:
        published = datetime.fromisoformat(r["date"])
        assert published.tzinfo is not None
        happened = datetime.fromisoformat(r["happening"][:10]).date()
        assert happened <= published.date() <= happened + timedelta(days=2), r["id"]
        langs[r["happening"]].add(r["lang"])
        days[r["storyline"]][r["happening"]] = datetime.fromisoformat(r["happening"][:10])
    assert all(len(x) >= 2 for x in langs.values())  # every happening in two languages
    near = sum(1 for hs in days.values() for a in hs for b in hs
               if a < b and abs((hs[a] - hs[b]).days) <= 45)
    assert near >= 8
