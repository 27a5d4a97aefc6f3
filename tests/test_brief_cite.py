"""The grounding check: sentences must be supported by the articles they cite."""

from __future__ import annotations

from storyline.brief.cite import CAUSAL, GroundingChecker, strip_citations

SOURCE = ("The presidents of Northland and Eastmark signed a customs protocol in Vella on Friday. "
          "Banks must report payments to listed states within ten days. The list names 14 states.")


def check(text: str, sources: list[str] | None = None):
    return GroundingChecker().check(text, sources or [SOURCE])


def test_faithful_sentence_passes():
    result = check("Northland and Eastmark signed a customs protocol in Vella [1].")
    assert result.verdict == "ok", result.reason


def test_unsupported_number_is_rejected():
    result = check("The list names 41 states.")
    assert result.verdict == "drop"
    assert result.missing_numbers == ["41"]


def test_unsupported_name_is_rejected():
    result = check("The presidents of Northland and Westmark signed a customs protocol.")
    assert result.verdict == "drop"
    assert result.missing_names == ["Westmark"]


def test_number_words_match_digits_both_ways():
    assert check("Banks must report payments within 10 days.").verdict == "ok"
    assert check("Banks must report payments within eleven days.").verdict == "drop"


def test_unsupported_causal_claim_is_rejected():
    result = check("Banks must report payments because Northland signed a customs protocol.")
    assert result.verdict == "drop"
    assert "causal" in result.reason


def test_unsupported_content_is_dropped_or_flagged():
    assert check("Farmers harvested wheat near the river delta.").verdict == "drop"
    weak = check("Northland and Eastmark signed a customs protocol and celebrated.")
    assert weak.verdict in {"flag", "ok"}


def test_strip_citations():
    assert strip_citations("A fact [1] and more [2, 3].") == ("A fact and more.", [1, 2, 3])
    assert CAUSAL.search("The vote led to protests") and not CAUSAL.search("The vote passed")


def test_ground_body_drops_and_reports():
    body = {
        "lead": [{"text": "The list names 14 states.", "cites": [1], "flag": None},
                 {"text": "The list names 15 states.", "cites": [1], "flag": None},
                 {"text": "The list names 14 states.", "cites": [9], "flag": None}],
        "main_event": {"event_id": 1, "subtitle": "x", "sentences": [],
                       "key_points": [{"label": "Gone", "sentences": [
                           {"text": "Westmark objected.", "cites": [1], "flag": None}]}]},
        "developments": [], "significance": [], "outlook": [], "summary": [],
        "sources": [{"n": 1, "article_id": 7}],
    }
    report = GroundingChecker().ground_body(body, {7: SOURCE})
    assert [s["text"] for s in body["lead"]] == ["The list names 14 states."]
    assert body["main_event"]["key_points"] == []
    assert (report.checked, report.dropped) == (4, 3)
    reasons = " ".join(d.reason for d in report.details)
    assert "unsupported number 15" in reasons and "unknown citation" in reasons
