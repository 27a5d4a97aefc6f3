"""Labels and the composed summary: a development is named by its own headline's main clause,
"In summary" names the arc by those headlines, and a preview written before the newest
happening is not current."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_brief_fixtures import add_event, build_store, save_storyline

from storyline.brief.labels import headline_label, key_phrase
from storyline.brief.state import DEVELOPMENT, Development, StorylineState
from storyline.brief.writer import BriefStage
from storyline.model import Article


@pytest.mark.parametrize(("title", "label"), [
    ("Europe insists on paying for Russian gas in euros as rouble rule takes effect",
     "Europe insists on paying for Russian gas in euros"),
    ("Russia publishes list of 'unfriendly' countries, lets debts to them be paid in roubles",
     "Russia publishes list of 'unfriendly' countries"),
    ("Guernsey and Isle of Man added to Russia's 'unfriendly' list",
     "Guernsey and Isle of Man added to Russia's 'unfriendly' list"),
    ("Putin, Lukashenka sign off on Union State integration road map",  # "Putin" is no clause
     "Putin, Lukashenka sign off on Union State integration road map"),
    ("Obama wins second term - BBC News", "Obama wins second term"),  # outlet suffix
    ("Kremlin says Putin to meet Lukashenko on Friday", ""),  # a relative day it cannot anchor
    ("Газ за рубли: Путин подписал указ", ""),  # not in the brief's language
    ("PUTIN SIGNS DECREE", ""),  # shouting
    ("Click image above to view graphic", ""),  # page furniture
    ("Report", ""),  # too short to say what happened
    ("Ministers from the member states of the union agree on a long list of measures to "
     "strengthen the common market for gas and oil", ""),  # too long even when cut
    # one long clause: its last phrase cut, where what is left ends in a noun (it was "", and
    # the bullet was labelled "EU States")
    ("U.S., EU states expel over 100 Russian diplomats in show of solidarity with Britain",
     "U.S., EU states expel over 100 Russian diplomats in show of solidarity"),
])
def test_a_headline_gives_a_label_by_its_main_clause(title, label):
    assert headline_label(title, "en") == label


def test_a_noun_phrase_label_keeps_its_possessive_whole():
    label = key_phrase(["Fines under the law can reach 6% of a company's global turnover."],
                       {}, lang="en")
    assert "'s" in label and " 's" not in label


def test_developments_and_the_summary_are_named_by_their_headlines(tmp_path):
    store = build_store(tmp_path / "s.db", keys=("summit", "list", "ratify"))
    body = BriefStage(store).run()[0].body
    store.close()
    labels = [d["label"] for d in body["developments"]]
    assert "Northland and Eastmark sign customs protocol in Vella" in labels
    first, newest = body["summary"]
    assert first["text"].startswith(
        "Since 1 March 2024 (first: “Northland and Eastmark sign customs protocol in Vella”), "
        "this storyline has followed 3 developments reported by 3 outlets, among them "
        "“Joint list names 14 restricted partners” (10 March 2024).")
    sources = {s["n"]: s["title"] for s in body["sources"]}
    assert "Joint list names 14 restricted partners" in {sources[n] for n in first["cites"]}
    assert newest["text"].startswith("The newest, on 3 April 2024: ")
    assert newest["text"].endswith(".") and first.get("composed") and newest.get("composed")


def test_a_preview_written_before_the_newest_happening_is_not_current():
    """The agenda published two days before a summit is history once the summit is reported:
    statements count as current from the day before the newest development's latest report."""
    def report(n: int, day: int) -> Article:
        return Article(title="t", text="x", id=n, lang="en",
                       published=datetime(2026, 2, day, 9, tzinfo=UTC))

    summit = Development(event_id=1, day=date(2026, 2, 24), relation=DEVELOPMENT, score=1.0,
                         reports=[report(1, 24), report(2, 26)])
    assert StorylineState([summit]).current_from() == date(2026, 2, 25)
    one_day = Development(event_id=2, day=date(2026, 2, 24), relation=DEVELOPMENT, score=1.0,
                          reports=[report(3, 24)])
    assert StorylineState([one_day]).current_from() == date(2026, 2, 24)


def test_a_plan_voiced_before_the_newest_development_is_not_lead_material():
    from storyline.brief.classify import FACT
    from storyline.brief.pool import Unit, dated_forward

    said = datetime(2012, 7, 10, 9, tzinfo=UTC)
    plan = Unit("The envoy plans to visit Tehran next week.", 1, 1, 0, "Wire", "en", said, FACT)
    done = Unit("The envoy met officials in Tehran.", 2, 1, 1, "Wire", "en", said, FACT)
    assert dated_forward(plan, date(2012, 8, 11))
    assert not dated_forward(plan, date(2012, 7, 10))  # said on the current day: current
    assert not dated_forward(done, date(2012, 8, 11))  # a fact, not a plan


@pytest.mark.parametrize(("sentence", "ok"), [
    ("Swine flu is officially a pandemic", True),
    ("GRAPHIC: Karen Yourish and Laura Stanton - The Washington Post, September 30, 2008", False),
    ("An ultra-low latency infrastructure for electronic trading and data distribution", False),
    ("Правительство утвердило перечень", True),  # no English parser for it: accepted
])
def test_a_headline_or_lead_must_state_something(sentence, ok):
    from storyline.brief.labels import states_something

    assert states_something(sentence, "en") is ok


def test_related_coverage_says_which_names_and_words_of_the_story_its_report_uses():
    from storyline.brief.related import reader_name as _reader_name
    from storyline.brief.render import relation_text

    dev = {"relation": "related", "relatedness": 0.5,
           "reasons": {"named_in_report": ["Russia", "Vladimir Putin", "Gazprom"],
                       "terms_in_report": ["unfriendly"]}}
    assert relation_text(dev) == (
        "related coverage, relatedness 0.50; the report names Russia, Vladimir Putin and "
        "Gazprom and speaks of “unfriendly” but states no causal link to this story")
    # a demonym by its country, a surname by the full name, a capital as written
    assert [_reader_name(n) for n in ("Russian", "Putin", "Paris")] == [
        "Russia", "Vladimir Putin", "Paris"]


def test_related_coverage_says_what_refers_to_it_and_which_listed_states_it_names():
    from storyline.brief.render import relation_text

    referred = {"relation": "related", "relatedness": 0.4,
                "reasons": {"reference": "Putin's August decree", "referred_by": 34}}
    assert relation_text(referred) == (
        "related coverage, relatedness 0.40; a later report of this story refers back to it as "
        "“Putin's August decree”")
    listed = {"relation": "related", "relatedness": 0.5, "reasons": {
        "named_in_report": ["Belarus"], "list_states": {"BY-CoM-2022": {
            "name": "Belarus: foreign states committing unfriendly actions (2022)",
            "named": ["DEU", "POL"], "of": 39}}}}
    assert relation_text(listed) == (
        "related coverage, relatedness 0.50; the report names Belarus but states no causal link "
        "to this story; its reports name 2 of the 39 states on Belarus's list of foreign states "
        "committing unfriendly actions (2022)")


def test_an_office_is_not_named_as_a_name_of_the_story():
    from storyline.brief.related import named_in

    text = ["Bucharest mayor Nicusor Dan won, and the Union State and the Bank of England noted."]
    assert named_in(["Bucharest mayor", "Union State", "Bank of England"], text) == [
        "Bank of England", "Union State"]


def test_a_name_is_given_whole_and_a_title_word_inside_another_name_is_not_the_story():
    from storyline.brief.related import in_other_name, named_in

    texts = ["The men's Olympic triathlon was postponed.",
             "Paris opened the Olympic Games; the mayor, Abdulmonem al-Ghaithi, was sacked."]
    assert named_in(["Olympic", "Games", "Abdulmonem", "Ghaithi"], texts) == [
        "Abdulmonem al-Ghaithi", "Olympic Games"]
    title = "Union State leaders sign integration guidelines"
    assert in_other_name("Union", ["Citizens of most European Union members."], title)
    assert not in_other_name("Union", ["The Union State council met."], title)
    assert not in_other_name("Union", ["Union leaders met."], title)  # opens the sentence


def test_a_caption_date_is_not_part_of_a_name_and_a_weekday_is_no_name():
    from storyline.brief.related import named_in

    texts = ["People punt on the Cam in Eastern England October 23, 2010.",
             "Osborne walks into Downing Street in London March 23, 2011, on Tuesday."]
    assert named_in(["England", "London", "Downing Street", "Tuesday"], texts) == [
        "Downing Street", "England", "London"]


@pytest.mark.parametrize(("sentence", "dangles"), [
    ("Other items include commuter rail services across the border.", True),
    ("Another blast hit the port.", True),
    ("Such measures are rare.", True),
    ("Othello opened in London.", False),
    ("The two presidents met informally.", False),
])
def test_a_sentence_pointing_back_at_its_article_does_not_stand_alone(sentence, dangles):
    from storyline.brief.pool import dangles as points_back

    assert points_back(sentence) is dangles


def test_the_summarys_newest_development_anchors_a_headlines_relative_day(tmp_path):
    """"The newest, on 2 April 2024: …" quotes the newest development's headline; a weekday it
    names is anchored like any quoted sentence's (the tenth set's summary read "Navalny jailed
    for 15 days after Sunday's mass protests", no date)."""
    store = build_store(tmp_path / "s.db", keys=("summit", "list"))
    add_event(store, "ratify", rows=[
        {"source": "Northland Wire", "date": "2024-04-02T10:00:00Z",
         "title": "Eastmark ratifies customs protocol after Monday's walkout",
         "text": "The parliament of Eastmark ratified the customs protocol with Northland by 112 "
                 "votes to 31, a day after opposition deputies walked out of the debate."}])
    save_storyline(store)
    body = BriefStage(store).run()[0].body
    store.close()
    newest = body["summary"][-1]["text"]
    assert newest.startswith("The newest, on 2 April 2024: "), newest
    assert "Monday's (1 April 2024) walkout" in newest, newest
