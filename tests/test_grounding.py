"""Claim-level grounding (issue #13): each probe the lexical check got wrong, both directions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storyline.brief.cite import Evidence, GroundingChecker
from storyline.brief.grounding import parse_numbers

# Invented reports, written for these tests.
REPORT = (
    "Northland's parliament met in Vella on Tuesday. "
    "Russia and Belarus agreed on Friday on 28 programmes to merge their energy markets, "
    "Vladimir Putin said after talks with Alexander Lukashenko in Sochi. "
    "Putin said the price Minsk pays for Russian oil would stay at the current level in 2023. "
    "Thousands of people marched through Grodno in the evening. "
    "The two governments will sign the final documents in December. "
    "Police in Warsaw questioned a Russia-based businessman about the deal. "
    "The customs union has 14 members."
)
DAY = "2022-04-08"  # a Friday
checker = GroundingChecker()


def verdict(sentence: str, sources: list[str] | None = None, published: str | None = DAY) -> str:
    return checker.check(sentence, Evidence(sources or [REPORT], published=published)).verdict


def supported(sentence: str, **kwargs) -> bool:
    return verdict(sentence, **kwargs) != "drop"


def reason(sentence: str, sources: list[str] | None = None) -> str:
    return checker.check(sentence, Evidence(sources or [REPORT], published=DAY)).reason


FAITHFUL_PRICE = ("Putin said the price Minsk pays for Russian oil would stay at the current level "
                  "in 2023.")


def test_negation_flip_is_dropped_both_ways():
    assert supported(FAITHFUL_PRICE)
    flipped = FAITHFUL_PRICE.replace("would stay", "would not stay")
    assert not supported(flipped)
    assert "negation" in reason(flipped)
    source = ["The committee refused to approve the budget for the new bridge."]
    assert not supported("The committee agreed to approve the budget for the new bridge.",
                         sources=source)
    assert supported("The committee refused to approve the new bridge budget.", sources=source)
    assert not supported("The mayor will resign.", sources=["The mayor won't resign."])


def test_number_from_elsewhere_in_the_article_supports_nothing():
    # 14 is in the article, but not in the sentence about the programmes
    assert not supported("Russia and Belarus agreed on 14 programmes to merge their energy "
                         "markets.")
    assert supported("Russia and Belarus agreed on 28 programmes to merge their energy markets.")
    # a name elsewhere in the article: Warsaw is not where the talks were
    assert not supported("Russia and Belarus agreed on 28 programmes after talks in Warsaw.")


def test_vague_quantity_never_supports_an_exact_number():
    claim = "1,000 people marched through Grodno in the evening."
    assert not supported(claim)
    assert "thousands" in reason(claim)
    assert supported("Thousands of people marched through Grodno in the evening.")
    assert not supported("300 buses left.", sources=["Hundreds of buses left."])


def test_numbers_normalised():
    assert supported("Russia and Belarus agreed on twenty-eight programmes to merge their "
                     "energy markets.")
    assert not supported("Russia and Belarus agreed on twenty-nine programmes to merge their "
                         "energy markets.")
    assert supported("The fund grew to 1,250,000 dollars.",
                     sources=["The fund grew to 1.25 million dollars."])
    assert supported("Turnout was 43 percent.", sources=["Turnout was 43%."])
    assert [v for v, _, _ in parse_numbers("двадцать восемь программ")] == ["28"]
    assert [v for v, _, _ in parse_numbers("between 10-15 people, a thousand more")] == \
        ["10", "15", "1000"]
    assert parse_numbers("thousands of people, dozens of cars, one of them") == []


def test_swapped_speaker_is_dropped_and_a_reordered_said_clause_passes():
    swapped = FAITHFUL_PRICE.replace("Putin said", "Lukashenko said")
    assert not supported(swapped)
    assert "speaker" in reason(swapped)
    assert supported("The price Minsk pays for Russian oil would stay at the current level "
                     "in 2023, Putin said.")


def test_causal_claim_only_where_the_source_makes_it():
    assert not supported("Thousands of people marched through Grodno in the evening, sparking "
                         "the talks.")
    assert not supported("Thousands of people marched through Grodno because of the oil price.")
    source = ["The strike sparked a week of protests in the capital."]
    assert supported("The strike sparked a week of protests in the capital city.", sources=source)


def test_evaluative_words_only_where_the_source_uses_them():
    assert not supported("Russia and Belarus agreed on 28 landmark programmes to merge their "
                         "energy markets.")
    assert supported("The historic treaty was signed.", sources=["The historic treaty was "
                                                                 "signed on the border."])


def test_nationality_of_a_person_needs_an_explicit_nationality():
    assert not supported("Police in Warsaw questioned a Russian businessman about the deal.")
    assert supported("Police in Warsaw questioned a Russia-based businessman about the deal.")
    assert supported("Police questioned a Russian businessman.",
                     sources=["Police questioned a Russian businessman on Monday."])


def test_actors_through_the_gazetteer():
    assert supported("Moscow and Minsk will sign the final documents in December.")
    assert not supported("Moscow and Warsaw will sign the final documents in December.")
    assert supported("The two presidents agreed on 28 programmes to merge their energy markets.")
    assert not supported("The three presidents agreed on 28 programmes to merge their energy "
                         "markets.")
    assert supported("The Kremlin and Minsk agreed on 28 programmes to merge their energy "
                     "markets.")
    assert not supported("Moscow and Minsk agreed on 28 programmes to merge their energy "
                         "markets, Lukashenko said.")


def test_dates_resolved_and_anchors_checked():
    base = "Russia and Belarus agreed on {} on 28 programmes to merge their energy markets."
    assert supported(base.format("Friday"))
    assert supported(base.format("Friday (8 April 2022)"))
    assert not supported(base.format("Friday (9 April 2022)"))
    assert not supported(base.format("Wednesday"))
    assert supported(base.format("8 April"))
    assert not supported(base.format("9 April"))
    # without a report day the weekday of the anchor must still agree
    assert supported(base.format("Friday (8 April 2022)"), published=None)
    assert not supported(base.format("Friday (7 April 2022)"), published=None)


def test_verbatim_quote_passes_but_not_a_cut_number():
    source = ["The plant could reopen in the second half of 2025, officials said."]
    assert verdict("The plant could reopen in the second half of 2025.", sources=source) == "ok"
    assert not supported("The plant could reopen in the second half of 2.", sources=source)


RUSSIAN = ["Лукашенко заявил, что цена российской нефти для Беларуси в 2023 году не изменится. "
           "Стороны согласовали 28 программ."]


def test_cross_lingual_rendering_passes_and_a_changed_fact_fails():
    assert supported("Lukashenko said the price of Russian oil for Belarus would not change "
                     "in 2023.", sources=RUSSIAN)
    assert not supported("Lukashenko said the price of Russian oil for Belarus would not change "
                         "in 2024.", sources=RUSSIAN)
    assert not supported("Putin said the price of Russian oil for Belarus would not change "
                         "in 2023.", sources=RUSSIAN)
    assert not supported("Lukashenko said the price of Russian oil for Belarus would change "
                         "in 2023.", sources=RUSSIAN)
    assert supported("The sides agreed on twenty-eight programmes.", sources=RUSSIAN)


def test_old_cases_still_hold():
    assert verdict("Banks report within ten days.",
                   sources=["Banks must report payments within 10 days."]) != "drop"
    assert verdict("Farmers harvested wheat.", sources=[REPORT]) == "drop"
    assert verdict("Anything at all.", sources=[""]) == "drop"


@pytest.fixture()
def probe_file(tmp_path):
    def write(lines: list[str]):
        path = tmp_path / "probes.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    return write


def _run(path):
    return subprocess.run([sys.executable, "-m", "storyline", "ground", str(path)],
                          capture_output=True, text=True, timeout=300)


def test_ground_command(probe_file):
    good = json.dumps({"sentence": "Russia and Belarus agreed on twenty-eight programmes.",
                       "sources": ["Russia and Belarus agreed on 28 programmes on Friday."]})
    wrong = json.dumps({"sentence": "Russia and Belarus agreed on 1,000 programmes.",
                        "sources": ["Russia and Belarus agreed on thousands of programmes."]})
    done = _run(probe_file([good, wrong]))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["supported"] for r in rows] == [True, False]
    assert rows[1]["verdict"] == "drop" and "number" in " ".join(rows[1]["reasons"])

    path = probe_file([good, "not json", json.dumps({"sentence": "x", "sources": "nope"})])
    done = _run(path)
    assert done.returncode == 3
    assert f"{path}:2:" in done.stderr and f"{path}:3:" in done.stderr
    assert len(done.stdout.splitlines()) == 1

    done = _run(probe_file(["[]", "{}"]))
    assert done.returncode == 1
