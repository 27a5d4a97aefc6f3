"""Background selection for a new update, on a small synthetic storyline."""

from __future__ import annotations

from datetime import date

from storyline.brief.context import ContextSelector, Update
from storyline.text_units import word_count

UPDATES = [
    Update("u1", date(2024, 3, 4),
           "The Kessel dam burst after weeks of heavy rain. Floodwater covered three villages."),
    Update("u2", date(2024, 3, 5),
           "The football league postponed its weekend fixtures. Ticket refunds start on Monday."),
    Update("u3", date(2024, 3, 6),
           "Engineers found cracks in the dam spillway. Officials had been warned about it."),
    Update("u4", date(2024, 3, 7),
           "Rescue teams reached the last flooded village. "
           "Engineers found cracks in the dam spillway."),
]
NEW = Update("u5", date(2024, 3, 9),
             "An inquiry into the spillway warnings and the dam collapse opened.")


def test_select_cites_earlier_updates_oldest_first_within_cap() -> None:
    background = ContextSelector(max_words=30).select(UPDATES, NEW)
    assert background
    assert sum(word_count(s.text) for s in background) <= 30
    assert [s.date for s in background] == sorted(s.date for s in background)
    ids = {u.id: u for u in UPDATES}
    for sentence in background:
        assert sentence.text in ids[sentence.update_id].text


def test_select_prefers_relevant_sentences_and_skips_repeats() -> None:
    texts = [s.text for s in ContextSelector(max_words=30).select(UPDATES, NEW)]
    assert any("spillway" in t for t in texts)
    assert not any("football" in t or "refunds" in t for t in texts)
    assert texts.count("Engineers found cracks in the dam spillway.") == 1


def test_select_ignores_later_updates_and_handles_no_history() -> None:
    selector = ContextSelector()
    assert selector.select([], NEW) == []
    first = UPDATES[0]
    assert selector.select(UPDATES[1:], first) == []  # all later than the new update
