"""The defect detectors of ``bench/brief_quality.py`` on tiny hand-written brief bodies."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import brief_quality as bq  # noqa: E402

NO_NAMES = lambda: frozenset({"romania", "putin"})  # noqa: E731 - a stand-in gazetteer
NO_ALIASES = lambda actor_id: ()  # noqa: E731


def s(text: str, *cites: int) -> dict[str, Any]:
    return {"text": text, "cites": list(cites), "flag": None}


def clean_body() -> dict[str, Any]:
    """A brief with no defect: the headline and summary name the newest development."""
    return {
        "storyline_id": "sl1", "version": 1,
        "title": "Harbour bridge collapse and the channel reopening",
        "label": "Harbour Bridge Collapse",
        "headline": "Harbour Bridge Collapse: Main channel reopens after wreckage cleared",
        "lead": [s("The harbour's main channel reopened on 10 June 2024 after crews cleared "
                   "the wreckage of the bridge.", 1)],
        "main_event": {
            "event_id": 2, "subtitle": "Channel Reopening",
            "sentences": [s("Crews removed the last steel girders from the channel.", 1)],
            "key_points": [{"label": "Ship Traffic",
                            "sentences": [s("Container ships resumed normal traffic.", 1)]}],
        },
        "developments": [
            {"event_id": 1, "label": "Bridge Collapse", "date": "2024-03-26",
             "relation": "development", "relatedness": 0.6, "new": False,
             "sentences": [s("A cargo ship struck the bridge on Tuesday and it collapsed.", 2)]},
            {"event_id": 3, "label": "Insurance Market Losses", "date": "2024-04-02",
             "relation": "related", "relatedness": 0.15, "new": False,
             "sentences": [s("Insurers reported higher quarterly losses from shipping.", 3)]},
        ],
        "significance": [s("Officials called the reopening a relief for regional trade.", 1)],
        "outlook": [s("Engineers are to publish an inspection report in July.", 1)],
        "summary": [s("The main channel reopened to ships in June after the wreckage was "
                      "cleared.", 1)],
        "key_actors": [{"id": "PORT", "name": "Port Authority", "mentions": 3}],
        "sources": [
            {"n": 1, "article_id": 11, "title": "Main channel reopens after wreckage cleared",
             "source": "Wire", "published": "2024-06-10T12:00:00Z", "url": None},
            {"n": 2, "article_id": 12, "title": "Cargo ship brings down harbour bridge",
             "source": "Wire", "published": "2024-03-26T08:00:00Z", "url": None},
            {"n": 3, "article_id": 13, "title": "Insurers count the cost of a bad quarter",
             "source": "Wire", "published": "2024-04-02T08:00:00Z", "url": None},
        ],
        "new_since": None, "grounding": {"checked": 7, "dropped": 0, "flagged": 0},
    }


def defects(body: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "headline_not_newest": bq.detect_headline_not_newest(body),
        "relative_date_unanchored": bq.detect_relative_date_unanchored(body),
        "stale_outlook": bq.detect_stale_outlook(body),
        "bad_label": bq.detect_bad_label(body, names=NO_NAMES),
        "foreign_sentence_unrendered": bq.detect_foreign_sentence_unrendered(body),
        "false_no_link": bq.detect_false_no_link(body, aliases=NO_ALIASES),
        "furniture_or_tokenisation": bq.detect_furniture_or_tokenisation(body),
        "dangling_pronoun": bq.detect_dangling_pronoun(body),
        "missing_section": bq.detect_missing_section(body),
        "summary_misses_newest": bq.detect_summary_misses_newest(body),
    }


def test_clean_body_has_no_defect() -> None:
    found = defects(clean_body())
    assert set(found) == set(bq.CLASSES)
    assert {k: v for k, v in found.items() if v} == {}


def test_newest_development_is_the_main_event_dated_by_its_sources() -> None:
    newest = bq.newest_events(clean_body())
    assert [e["label"] for e in newest] == ["Channel Reopening"]
    assert str(newest[0]["date"]) == "2024-06-10"


def test_headline_from_an_older_development() -> None:
    body = clean_body()
    body["headline"] = "Harbour Bridge Collapse: Cargo ship brings down harbour bridge"
    found = bq.detect_headline_not_newest(body)
    assert len(found) == 1 and "Bridge Collapse" in found[0]


def test_headline_from_related_coverage_is_not_newest() -> None:
    body = clean_body()
    body["developments"][1]["date"] = "2024-07-01"  # newer, but only related coverage
    body["headline"] = "Insurers count the cost of a bad quarter"
    assert len(bq.detect_headline_not_newest(body)) == 1
    body["headline"] = "Main channel reopens after wreckage cleared"  # no label prefix
    assert bq.detect_headline_not_newest(body) == []


@pytest.mark.parametrize("text", [
    "Officials said on Friday that the port would stay shut.",
    "The minister resigned yesterday.",
    "Talks continued last week in Geneva.",
    "Президент подписал указ в пятницу.",
    "Об этом сегодня сообщил министр.",
])
def test_relative_day_without_date(text: str) -> None:
    body = clean_body()
    body["lead"] = [s(text, 1)]
    found = bq.detect_relative_date_unanchored(body)
    assert len(found) == 1 and found[0].startswith("[lead]")


@pytest.mark.parametrize("text", [
    "Officials said on Friday (8 April 2022) that the port would stay shut.",
    "Officials said on Friday, April 8, 2022, that the port would stay shut.",
    "Voters backed her in Sunday's (3 November 2024) run-off.",
    "They were online Wednesday, Oct. 15 (15 October 2008) to answer questions.",
    "Президент подписал указ в пятницу (8 апреля 2022).",
    "The port stayed shut on Friday.",  # in a dated development bullet: anchored
])
def test_relative_day_anchored(text: str) -> None:
    body = clean_body()
    if "port stayed" in text:
        body["developments"][0]["sentences"] = [s(text, 2)]
    else:
        body["lead"] = [s(text, 1)]
    assert bq.detect_relative_date_unanchored(body) == []


def test_relative_day_in_a_key_point_counts() -> None:
    body = clean_body()
    body["main_event"]["key_points"][0]["sentences"] = [s("Ships returned on Monday.", 1)]
    assert len(bq.detect_relative_date_unanchored(body)) == 1


def test_stale_outlook() -> None:
    body = clean_body()
    body["outlook"] = [s("The channel is expected to reopen by the end of May.", 2)]
    found = bq.detect_stale_outlook(body)
    assert len(found) == 1 and "expected to" in found[0]
    # the same forward-looking sentence from the newest report is current
    body["outlook"] = [s("The channel is expected to reach full depth next month.", 1)]
    assert bq.detect_stale_outlook(body) == []
    # an old sentence that does not look forward is not an outlook problem
    body["outlook"] = [s("The channel was closed for eleven weeks.", 2)]
    assert bq.detect_stale_outlook(body) == []


def test_stale_outlook_russian() -> None:
    body = clean_body()
    body["lead"] = [s("Министр намерен открыть канал в мае.", 2)]
    assert len(bq.detect_stale_outlook(body)) == 1


@pytest.mark.parametrize("label, why", [
    ("Friday", "weekday"), ("March", "month"), ("March 2011", "month"), ("28", "number"),
    ("Coming Months", "time phrase"), ("Romania", "bare name"), ("Share", "furniture"),
    ("Page last updated", "furniture"), ("Getty Images", "furniture"), ("Reuters", "agency"),
    ("Союзного Государства", "language"),
])
def test_bad_label(label: str, why: str) -> None:
    body = clean_body()
    body["main_event"]["key_points"][0]["label"] = label
    found = bq.detect_bad_label(body, names=NO_NAMES)
    assert len(found) == 1 and why in found[0]


def test_bare_key_actor_name_label() -> None:
    body = clean_body()
    body["key_actors"] = [{"id": "PERSON:sandu", "name": "Maia Sandu", "mentions": 4}]
    body["label"] = "Sandu"
    assert len(bq.detect_bad_label(body, names=NO_NAMES)) == 1


def test_good_labels() -> None:
    for label in ("Gas Price Freeze", "Medal Table", "Security Guarantees Treaty"):
        assert bq.label_problem(label, "en", names=NO_NAMES) is None
    assert bq.label_problem("Заседание госсовета", "ru", names=NO_NAMES) is None
    assert bq.label_problem("Gas Price Freeze", "ru", names=NO_NAMES) is not None


def test_foreign_sentence() -> None:
    body = clean_body()
    body["developments"][0]["sentences"].append(
        s("По итогам заседания президенты подписали пакет документов.", 2))
    assert len(bq.detect_foreign_sentence_unrendered(body)) == 1
    rendered = copy.deepcopy(body)
    rendered["developments"][0]["sentences"][-1]["translation"] = (
        "After the session the presidents signed a package of documents.")
    assert bq.detect_foreign_sentence_unrendered(rendered) == []
    # in a Russian brief the Russian sentence is at home and an English one is foreign
    assert len(bq.detect_foreign_sentence_unrendered(body, "ru")) > 1
    assert not any("По итогам" in x for x in bq.detect_foreign_sentence_unrendered(body, "ru"))


def test_false_no_link_by_key_actor() -> None:
    body = clean_body()
    body["developments"][1]["sentences"] = [
        s("The Port Authority said insurers were slow to pay.", 3)]
    found = bq.detect_false_no_link(body, aliases=NO_ALIASES)
    assert len(found) == 1 and "Port Authority" in found[0]


def test_false_no_link_by_cyrillic_inflection_and_title_term() -> None:
    body = clean_body()
    body["key_actors"] = [{"id": "X", "name": "Лукашенко", "mentions": 3}]
    body["developments"][1]["sentences"] = [s("Визит Лукашенка в Москву завершился.", 3)]
    assert len(bq.detect_false_no_link(body, aliases=NO_ALIASES)) == 1
    body["developments"][1]["sentences"] = [s("Insurers paid for the harbour repairs.", 3)]
    found = bq.detect_false_no_link(body, aliases=NO_ALIASES)
    assert len(found) == 1 and "harbour" in found[0]
    # a term common in the corpus is not rare
    assert bq.detect_false_no_link(body, {"harbour": 0.3}, aliases=NO_ALIASES) == []


def test_development_relation_is_not_a_false_no_link() -> None:
    body = clean_body()
    body["developments"][0]["sentences"] = [s("The Port Authority closed the harbour.", 2)]
    assert bq.detect_false_no_link(body, aliases=NO_ALIASES) == []


@pytest.mark.parametrize("text", [
    "Page last updated at 14:02 GMT, the ministry said.",
    "Image copyright Getty Images The minister spoke.",
    "The minister -LRB- left -RRB- spoke.",
    "The company 's shares fell .",
    "He did n't comment.",
    "`` We are ready , '' he said.",
    "Warsaw (AFP) - Poland on Wednesday requested consultations.",
    "МОСКВА, 6 дек — РИА Новости. Путин заявил об этом.",
    "Минск, 12 сентября (БЕЛТА) – Учение началось.",
])
def test_furniture_or_tokenisation(text: str) -> None:
    body = clean_body()
    body["significance"] = [s(text, 1)]
    assert len(bq.detect_furniture_or_tokenisation(body)) == 1


def test_furniture_words_inside_a_sentence_are_content() -> None:
    body = clean_body()
    body["significance"] = [s("The USO is struggling to get celebrities to sign up for even a "
                              "short tour of duty.", 1)]
    assert bq.detect_furniture_or_tokenisation(body) == []
    body["significance"] = [s("Sign up for our daily newsletter.", 1)]
    assert len(bq.detect_furniture_or_tokenisation(body)) == 1


def test_tokenised_headline_counts() -> None:
    body = clean_body()
    body["headline"] = "Channel reopens , officials say"
    assert len(bq.detect_furniture_or_tokenisation(body)) == 1


@pytest.mark.parametrize("where", ["lead", "summary", "key_point", "development", "outlook"])
def test_dangling_pronoun(where: str) -> None:
    body = clean_body()
    bad = s("It was the first such closure in decades.", 1)
    if where == "key_point":
        body["main_event"]["key_points"][0]["sentences"] = [bad]
    elif where == "development":
        body["developments"][0]["sentences"] = [bad]
    else:
        body[where] = [bad]
    assert len(bq.detect_dangling_pronoun(body)) == 1


def test_pronoun_not_first_or_a_time_phrase() -> None:
    body = clean_body()
    body["lead"] = [s("Crews cleared the wreckage.", 1), s("It took eleven weeks.", 1)]
    body["main_event"]["sentences"] = [s("This week the last girders were lifted.", 1)]
    assert bq.detect_dangling_pronoun(body) == []
    body["main_event"]["sentences"] = [s("Это стало первым закрытием канала.", 1)]
    assert len(bq.detect_dangling_pronoun(body)) == 1


def test_missing_sections() -> None:
    body = clean_body()
    body["outlook"] = []
    body["label"] = ""
    body["main_event"] = {"event_id": 2, "subtitle": "x", "sentences": [], "key_points": []}
    found = bq.detect_missing_section(body)
    assert sorted(x.split()[0] for x in found) == ["label", "main_event", "outlook"]


def test_summary_misses_newest() -> None:
    body = clean_body()
    body["summary"] = [s("A cargo vessel struck the bridge and it collapsed.", 2)]
    assert len(bq.detect_summary_misses_newest(body)) == 1
    body["summary"] = [s("The collapse was followed by a clean-up, completed 2024-06-10.", 2)]
    assert bq.detect_summary_misses_newest(body) == []  # carries the newest date
    body["summary"] = [s("Girders were lifted and the port was busy again.", 2)]
    assert bq.detect_summary_misses_newest(body) == []  # shares "girders"


def test_measure_counts_every_class() -> None:
    body = clean_body()
    body["outlook"] = []
    counts, examples = bq.measure([clean_body(), body])
    assert set(counts) == set(bq.CLASSES)
    assert counts["missing_section"] == 1
    assert examples["missing_section"][0].startswith("sl1:")


def test_headline_from_the_newest_events_dated_label() -> None:
    body = clean_body()
    body["headline"] = "10 June 2024: Port Authority reopened channel."
    assert bq.detect_headline_not_newest(body) == []
    body["headline"] = "26 March 2024: Ship struck bridge."
    assert len(bq.detect_headline_not_newest(body)) == 1


def test_summary_word_shared_by_most_events_does_not_count() -> None:
    body = clean_body()
    body["developments"][1]["sentences"] = [s("Insurers said the bridge losses were large.", 3)]
    body["main_event"]["sentences"].append(s("The bridge site was cleared.", 1))
    body["summary"] = [s("The bridge fell in March.", 2)]
    assert len(bq.detect_summary_misses_newest(body)) == 1


def test_headline_quoting_a_developments_sentence_comes_from_that_development() -> None:
    """Wire text without headlines: the writer heads the brief with the first sentence it
    quotes of the newest development; an older event sharing its words does not take it."""
    body = clean_body()
    for src in body["sources"]:
        src["title"] = ""
    # the main event (older) uses every word of the headline, not its sentence
    body["main_event"]["sentences"] = [s("Wreckage cleared, the main channel reopens.", 2)]
    body["main_event"]["key_points"] = []
    body["developments"][0] = {
        "event_id": 1, "label": "Channel Works", "date": "2024-06-10",
        "relation": "development", "relatedness": 0.6, "new": False,
        "sentences": [s("The main channel reopens after wreckage cleared.", 1)]}
    body["headline"] = "10 June 2024: The main channel reopens after wreckage cleared"
    assert bq.headline_event(body)["event_id"] == 1
    assert bq.detect_headline_not_newest(body) == []


def test_headline_telling_the_main_event_as_the_lead_renders_it_comes_from_it() -> None:
    """A main event reported only in another language: the lead tells it in a rendering
    (citing only its report) and its own section quotes the original; the headline is that
    rendering, whose words an older development's English sentences happen to share."""
    body = clean_body()
    rendering = ("The government of Russia put states on its list of foreign states and "
                 "territories committing unfriendly actions")
    body["headline"] = f"10 June 2024: {rendering}."
    body["lead"] = [s(f"{rendering} (10 June 2024).", 1)]
    body["main_event"]["sentences"] = [s("Wire's report in Russian is quoted in the original.",
                                         1)]
    body["main_event"]["key_points"] = []
    body["developments"][0]["sentences"] = [s(
        "Russia put the states on its list of foreign states and territories committing "
        "unfriendly actions.", 2)]
    assert bq.detect_headline_not_newest(body) == []
    body["lead"][0]["cites"] = [1, 2]  # told of both: the lead no longer says whose it is
    assert bq.detect_headline_not_newest(body) != []
