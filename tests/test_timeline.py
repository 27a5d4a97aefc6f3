"""Timelines from small synthetic storylines, date-mention parsing and sentence splitting."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from storyline.mentioned_days import find_dates, find_mentions, mention_kind
from storyline.model import Article
from storyline.text_units import split_sentences, word_count
from storyline.timeline import DatedSentence, TimelineBuilder, day_features

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _article(article_id: int, day: date, *sentences: str) -> Article:
    return Article(title="", text="\n".join(sentences), id=article_id,
                   published=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))


def _storyline() -> list[Article]:
    """A dam failure: the breach day is reported on and referred back to; two quiet days."""
    breach = date(2024, 3, 4)
    return [
        _article(1, breach, "The Kessel dam burst on Monday, flooding the valley below it.",
                 "Rescue teams evacuated three villages near the broken dam overnight."),
        _article(2, breach, "Floodwater from the Kessel dam covered farms and roads in the valley.",
                 "Officials said the reservoir had been rising for days before the dam failed."),
        _article(3, date(2024, 3, 6), "Engineers began inspecting the remains of the Kessel dam.",
                 "The dam failed on March 4 after weeks of heavy rain, investigators said."),
        _article(4, date(2024, 3, 9), "An inquiry into the Kessel dam collapse opened.",
                 "The dam burst on March 4, 2024 and forced thousands from their homes."),
        _article(5, date(2024, 3, 9), "The dam inquiry heard that spillway warnings were ignored.",
                 "Why did nobody act?"),
    ]


def test_find_dates_resolves_absolute_relative_and_russian_forms() -> None:
    published = date(2011, 1, 26)  # a Wednesday
    assert find_dates("Protests began on Jan. 25 , 2011 in Cairo .", published) == [
        date(2011, 1, 25)]
    assert find_dates("Police fired tear gas yesterday and on Monday .", published) == [
        date(2011, 1, 25), date(2011, 1, 24)]
    assert find_dates("Talks resume next Monday.", published) == [date(2011, 1, 31)]
    assert find_dates("It started on 28 December.", published) == [date(2010, 12, 28)]
    assert find_dates("Встреча прошла 25 января 2011 г., а вчера продолжилась.", published) == [
        date(2011, 1, 25), date(2011, 1, 25)]
    assert find_dates("Report dated 2011-02-11.") == [date(2011, 2, 11)]


def test_day_month_without_year_looks_a_season_ahead_at_most() -> None:
    january = date(2011, 1, 20)
    assert find_dates("The vote is set for March 4.", january) == [date(2011, 3, 4)]
    assert find_dates("The vote was held on 5 July.", january) == [date(2010, 7, 5)]
    assert find_dates("Talks open on Jan. 5.", date(2011, 12, 20)) == [date(2012, 1, 5)]
    assert find_dates("It began on Feb. 29.", date(2013, 3, 10)) == [date(2012, 2, 29)]
    assert find_dates("Due on April 31.", january) == []


def test_mentions_tell_calendar_dates_from_relative_ones() -> None:
    published = date(2011, 1, 26)
    assert find_mentions("On Jan. 25 and yesterday.", published) == [
        (date(2011, 1, 25), True), (date(2011, 1, 25), False)]
    assert mention_kind("Police fired on Friday , a week after Jan. 21 .") == "calendar"
    assert mention_kind("Police fired on Friday .") == "relative"
    assert mention_kind("Police fired tear gas .") is None


def test_day_features_count_reports_not_sentences() -> None:
    vote, later = date(2024, 1, 2), date(2024, 1, 5)
    pool = [DatedSentence(vote, "The vote was held on January 2.", 7, later, True, True),
            DatedSentence(vote, "Turnout on January 2 was high.", 7, later, True, True),
            DatedSentence(vote, "Voting went on yesterday.", 8, date(2024, 1, 3), True),
            DatedSentence(vote, "Polls opened early.", 9, vote, False)]
    assert day_features(pool)[vote] == {"published": 1, "named": 2, "named_later": 2,
                                        "calendar": 1, "placed": 4}


def test_find_dates_ignores_month_level_and_unanchored_relative_mentions() -> None:
    assert find_dates("In March 2011 the protests spread .", date(2011, 4, 1)) == []
    assert find_dates("He said on Monday that it may rain.") == []


def test_split_sentences_keeps_abbreviations_and_quotes() -> None:
    text = ("Mr. Smith met U.S. officials. “We agree.” Talks end on Jan. 5.\n"
            "Путин прибыл в г. Минск. Всё.")
    assert split_sentences(text) == [
        "Mr. Smith met U.S. officials.", "“We agree.”", "Talks end on Jan. 5.",
        "Путин прибыл в г. Минск.", "Всё.",
    ]
    assert word_count("The dam , built in 1960 , failed .") == 6


def test_no_ends_a_sentence_unless_a_number_follows() -> None:
    """"No." abbreviates a number only before one: a vote's "no." ends its sentence."""
    text = ("China and Belarus were among those voting no. Russia becomes only the second "
            "country to be suspended. It follows order No. 430-r. See Fig. 2 below.")
    assert split_sentences(text) == [
        "China and Belarus were among those voting no.",
        "Russia becomes only the second country to be suspended.",
        "It follows order No. 430-r.", "See Fig. 2 below.",
    ]


def test_build_returns_dated_cited_entries_within_budget() -> None:
    timeline = TimelineBuilder().build(_storyline(), n_dates=2, sentences_per_date=1)
    assert len(timeline) == 2
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
    assert timeline[0].date == date(2024, 3, 4)  # most reported and most referred-back day
    for entry in timeline:
        assert len(entry.sentences) == 1
        assert entry.sentences[0].article_id in {1, 2, 3, 4, 5}
    assert "dam" in timeline[0].sentences[0].text


def test_build_is_deterministic_and_skips_questions() -> None:
    builder = TimelineBuilder()
    first = builder.build(_storyline(), n_dates=5, sentences_per_date=3)
    assert first == builder.build(_storyline(), n_dates=5, sentences_per_date=3)
    texts = [s.text for e in first for s in e.sentences]
    assert not any(t.endswith("?") for t in texts)
    assert len(texts) == len(set(texts))


def test_build_respects_span_and_empty_input() -> None:
    builder = TimelineBuilder()
    late = builder.build(_storyline(), n_dates=5, start=date(2024, 3, 8))
    assert late and all(e.date >= date(2024, 3, 8) for e in late)
    assert builder.build([], n_dates=3) == []
    single = builder.build(_storyline()[:1], n_dates=3)
    assert single and single[0].sentences[0].article_id == 1
    assert builder.build(_storyline(), n_dates=0) == []


def test_rank_days_prefers_days_referred_to_from_other_days() -> None:
    pool = [DatedSentence(date(2024, 1, 1), "Quiet day report.", 1, date(2024, 1, 1), False)]
    pool += [DatedSentence(date(2024, 1, 2), "The vote took place on January 2.", i,
                           date(2024, 1, 5), True) for i in range(2, 5)]
    assert TimelineBuilder().rank_days(pool)[0] == date(2024, 1, 2)


def test_usable_sentences_are_whole_and_short() -> None:
    builder = TimelineBuilder(max_words=12)
    assert builder._usable("Striking miners marched on the capital demanding higher pay.")
    assert not builder._usable("Miners March on Capital Demanding Higher Pay")  # a headline
    assert not builder._usable("Striking miners from the north and the south marched on the "
                               "capital on Friday demanding higher pay and safer pits.")


def test_centroid_pool_all_lets_headlines_say_what_a_day_was_about() -> None:
    day = date(2024, 5, 1)
    weather = "Heavy rain flooded several streets in the old town."
    pool = [DatedSentence(day, weather, "w1"), DatedSentence(day, weather, "w2"),
            DatedSentence(day, "Striking miners marched on the capital demanding pay.", "m")]
    pool += [DatedSentence(day, f"Striking miners march on capital demanding pay {n}", f"h{n}")
             for n in range(3)]
    picks = {pooled: TimelineBuilder(query_weight=0, centroid_pool=pooled)
             .build_from_sentences(pool, n_dates=1)[0].sentences[0].article_id
             for pooled in ("usable", "all")}
    assert picks == {"usable": "w1", "all": "m"}


def test_build_from_sentences_uses_pooled_dated_sentences() -> None:
    may1, may3 = date(2024, 5, 1), date(2024, 5, 3)
    pool = [
        DatedSentence(may1, "Striking miners marched on the capital demanding higher pay.", "a"),
        DatedSentence(may1, "Thousands of miners marched through the capital on Friday.", "b"),
        DatedSentence(may3, "The government offered the striking miners a pay rise.", "c"),
    ]
    timeline = TimelineBuilder().build_from_sentences(pool, n_dates=1, sentences_per_date=1)
    assert [e.date for e in timeline] == [date(2024, 5, 1)]
    assert timeline[0].sentences[0].article_id in {"a", "b"}


@pytest.mark.skipif(not (SHARED / "data").exists(), reason="needs ../shared/data")
def test_timeline17_collection_gives_a_full_timeline() -> None:
    path = SHARED / "data" / "storylines" / "timeline17.jsonl"
    with path.open(encoding="utf-8") as lines:
        row = json.loads(next(lines))
    articles = [
        _article(i, date.fromisoformat(a["date"]), a["text"])
        for i, a in enumerate(row["articles"])
    ]
    timeline = TimelineBuilder().build(articles, n_dates=10, sentences_per_date=2)
    assert len(timeline) == 10
    assert all(1 <= len(e.sentences) <= 2 for e in timeline)
