"""The pair counts of ``bench/demo_quality.py``: cross-language and same-language pairs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from demo_quality import cross_language  # noqa: E402

# Happening h1 told by two English reports and a Russian one, h2 by one English report; the
# clusterer joined e1 and r1 but put e2 apart, and joined e3 (h2) to h1's event.
GOLD = {"e1": "h1", "e2": "h1", "r1": "h1", "e3": "h2"}
PRED = {"e1": "A", "e2": "B", "r1": "A", "e3": "A"}
LANG = {"e1": "en", "e2": "en", "r1": "ru", "e3": "en"}


def test_cross_language_pairs_are_those_whose_languages_differ() -> None:
    x = cross_language(GOLD, PRED, LANG)
    # gold cross-language pairs: e1~r1 (joined), e2~r1 (missed); joined: e1~r1, r1~e3 (wrong)
    assert (x["pairs_gold"], x["pairs_joined"]) == (2, 2)
    assert (x["recall"], x["precision"]) == (0.5, 0.5)
    assert x["missed"] == ["e2~r1"] and x["wrong"] == ["e3~r1"]


def test_same_language_pairs_are_those_in_one_language() -> None:
    x = cross_language(GOLD, PRED, LANG, same=True)
    # gold same-language pairs: e1~e2 (missed); joined: e1~e3 (wrong)
    assert (x["pairs_gold"], x["pairs_joined"]) == (1, 1)
    assert (x["recall"], x["precision"]) == (0.0, 0.0)
    assert x["missed"] == ["e1~e2"] and x["wrong"] == ["e1~e3"]
