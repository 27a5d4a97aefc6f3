"""The storyline state under the brief, and what the writer composes from it: dated relative
days, label rules, renderings of other-language developments, the storyline's topic, and which
development is the newest or superseded."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from storyline.brief.labels import good_label, shared_topic
from storyline.brief.state import (
    DEVELOPMENT,
    Development,
    StorylineState,
    action_label,
    build_state,
    country_words,
    name_for,
    render_action,
)
from storyline.mentioned_days import anchor_relative_days
from storyline.model import Article, Event, EventRecord


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Belarus approved the list on Friday.", date(2022, 4, 8),
     "Belarus approved the list on Friday (8 April 2022)."),
    ("The council met on Thursday and will meet again tomorrow.", date(2026, 2, 27),
     "The council met on Thursday (26 February 2026) and will meet again tomorrow "
     "(28 February 2026)."),
    ("Sunday's presidential election", date(2025, 1, 27),
     "Sunday's (26 January 2025) presidential election"),
    ("Путин в четверг подписал указ.", date(2022, 3, 5),
     "Путин в четверг (3 March 2022) подписал указ."),
    ("Police said earlier this month that a network paid voters; last year too.",
     date(2024, 10, 21), "Police said earlier this month (October 2024) that a network paid "
     "voters; last year (2023) too."),
    ("The secretariat will review it next month.", date(2024, 12, 3),
     "The secretariat will review it next month (January 2025)."),
    ("on Friday (8 April 2022) it said, on March 5", date(2022, 4, 8),
     "on Friday (8 April 2022) it said, on March 5"),  # anchored already; a calendar date
    # a Thursday report: what "could" or "may" happen is still to come; the month is no modal
    ("A vote could come as early as Friday.", date(1998, 9, 10),
     "A vote could come as early as Friday (11 September 1998)."),
    ("The Duma may vote on Friday.", date(1998, 9, 10),
     "The Duma may vote on Friday (11 September 1998)."),
    ("The May Day parade on Friday drew crowds.", date(1998, 9, 10),
     "The May Day parade on Friday (4 September 1998) drew crowds."),
])
def test_relative_days_are_anchored_to_the_date_they_mean(text, published, expected):
    assert anchor_relative_days(text, published) == expected
    assert anchor_relative_days(text, None) == text


@pytest.mark.parametrize(("label", "ok"), [
    ("Legal Route", True), ("Security Guarantees Treaty", True),
    ("Friday", False), ("March Decree", False), ("Presidents", False),  # one word
    ("2024 Figures", False), ("Share Tweet", False), ("GMT Help", False),
    ("North Macedonia", False),  # a bare place: capitalised wherever the texts use it
    ("Союзного Государства", False),  # not in the brief's language
    ("Recent Months", False), ("Past Few Days", False), ("Early Afternoon", False),  # time
])
def test_labels_say_what_happened_in_the_briefs_language(label, ok):
    texts = ["The 39 states include Albania, North Macedonia and Montenegro.",
             "The mechanism gives debtors a legal route to keep paying.",
             "They signed a security guarantees treaty."]
    assert good_label(label, texts, "en") is ok


def test_topic_is_what_several_headlines_share():
    heads = ["Putin, Lukashenka sign off on Union State integration road map",
             "Union State leaders sign integration guidelines for 2024–2026",
             "Seven integration items on the agenda of Union State summit in Moscow",
             "Putin and Lukashenko pledge joint response"]
    assert shared_topic(heads, {}, "en", {"Russia", "Belarus"}) == "Union State"
    assert shared_topic(heads[:1], {}, "en", set()) == ""
    # "U.S." is no topic: its letters are not words ("Russia and United States: U S")
    heads = ["Russian parliament votes to ban U.S. adoptions in Magnitsky retaliation",
             "U.S. names 18 in first Magnitsky Act blacklist"]
    assert shared_topic(heads, {}, "en", {"Russia", "United States"}) == ""
    # nor does the topic repeat the title's country by its demonym, as the gazetteer reads it
    # ("Russia: Russian School", the twelfth set's Beslan storyline)
    heads = ["Hostage-takers in Russian school demand talks",
             "Russian school siege ends in bloodshed", "Gunmen hold Russian school"]
    assert shared_topic(heads, {}, "en", {"Russia"}) == "Russian School"
    named = country_words(heads, ["Russia"])
    assert named == {"Russian"}
    assert shared_topic(heads, {}, "en", {"Russia"} | named) == ""
    assert country_words(["Polish farmers block Ukrainian grain"], ["Poland"]) == {"Polish"}


def _article(i: int, lang: str, day: int, title: str = "", source: str = "Wire") -> Article:
    return Article(title=title, text="x", id=i, lang=lang, source=source,
                   published=datetime(2022, 4, day, 9, tzinfo=UTC))


def _item(event_id: int, day: int, articles: list[Article], related: bool = False):
    event = Event(id=event_id, label="e", first_seen=datetime(2022, 4, day, tzinfo=UTC))
    return SimpleNamespace(event=event, articles=articles, score=0.2 if related else 0.9,
                           new=True, related=related)


def _record(event_id: int, source: str, kind: str, target: str | None) -> EventRecord:
    return EventRecord(article_id=1, event_id=event_id, source_actor=source, event_type=kind,
                       target_actor=target, intensity=-5.0, date=None, sentence="")


def test_state_orders_developments_finds_the_newest_and_what_superseded_what():
    items = [_item(1, 1, [_article(1, "en", 1, "Russia lists states")]),
             _item(2, 8, [_article(2, "uk", 8, "Білорусь затвердила перелік",
                                   "Європейська правда")]),
             _item(3, 20, [_article(3, "en", 20, "Unrelated")], related=True),
             _item(4, 25, [_article(4, "en", 25, "Russia adds states to its list")])]
    records = {1: [_record(1, "RUS.GOV", "SANCTION", "LIST:RU-430-r")],
               2: [_record(2, "BLR.GOV", "SANCTION", "LIST:BY-CoM-2022"),
                   _record(2, "BLR.GOV", "SANCTION", "LIST:BY-CoM-2022"),
                   _record(2, "BLR.GOV", "SANCTION", "RUS.GOV")],
               3: [],
               4: [_record(4, "RUS.GOV", "SANCTION", "LIST:RU-430-r")]}
    state = build_state(items, records, related=lambda item: item.related)
    assert [d.event_id for d in state.developments] == [1, 2, 3, 4]
    assert state.newest().event_id == 4
    state.developments[3].relation = "related"
    assert state.newest().event_id == 2  # related coverage never leads
    assert state.first_day() == date(2022, 4, 1)
    # Russia's list is superseded by Russia's additions, not by Belarus's own list
    assert [d.superseded_by for d in state.developments] == [4, None, None, None]
    rendered = render_action(state.developments[1], name_for)
    assert rendered.startswith("The government of Belarus put states on its list of")
    assert "(8 April 2022)" in rendered
    assert "Ukrainian-language reporting by Європейська правда" in rendered
    # one coded sentence is not enough to tell what happened: the report is only attributed
    single = build_state(items[1:2], {2: records[2][:1]}, related=lambda item: False)
    assert render_action(single.developments[0], name_for).startswith(
        "Ukrainian-language reports by Європейська правда")


def _listed(event_id: int, named: list[str], added: int) -> EventRecord:
    record = _record(event_id, "RUS.GOV", "SANCTION", "LIST:RU-430-r")
    record.meta = {"rule": "official-list", "named": named, "added": added}
    return record


def test_additions_to_an_official_list_are_told_by_the_states_the_reports_name():
    """Russian-only reports of Russia's additions of 30 October 2022: an English reader is told
    which territories were put on the list (those the reports name, the most often named first,
    "and others" when the list took more that day), not "put states on its list"; in the label,
    the first two; in a Russian brief, after a colon in the nominative."""
    from storyline.brief.phrases import action_ru

    items = [_item(1, 30, [_article(1, "ru", 30, "Кабмин расширил список", "РИА Новости"),
                           _article(2, "ru", 30, "Бермуды стали недружественными", "Life.ru")])]
    records = {1: [_listed(1, ["BMU", "CYM", "FLK"], 11), _listed(1, ["CYM", "BMU"], 11),
                   _listed(1, ["CYM"], 11)]}
    dev = build_state(items, records, related=lambda item: False).developments[0]
    assert dev.listed == ["CYM", "BMU", "FLK"] and dev.listed_more
    assert render_action(dev, name_for).startswith(
        "The government of Russia put the Cayman Islands, Bermuda, the Falkland Islands and "
        "others on its list of foreign states and territories committing unfriendly actions "
        "(order 430-r) (30 April 2022), according to Russian-language reporting by")
    assert action_label(dev) == "Cayman Islands, Bermuda and others added to Russia's official list"
    assert ": Каймановы острова, Бермуды, Фолклендские острова и другие (30 апреля" in (
        action_ru(dev))
    # all that were added named: no "and others"; reports that name none: "states", as before
    dev.listed, dev.listed_more = ["GGY", "IMN", "BHS"], False
    assert "put Guernsey, the Isle of Man and the Bahamas on its list" in render_action(
        dev, name_for)
    assert action_label(dev) == "Guernsey, Isle of Man and others added to Russia's official list"
    dev.listed = []
    assert "put states on its list" in render_action(dev, name_for)
    assert action_label(dev) == "States added to Russia's official list"


def test_a_concession_the_reports_tell_as_an_apology_is_told_as_an_apology():
    """«Алиев извинился перед Путиным за гибель российских миротворцев» is coded CONCEDE,
    which the brief told as "Ilham Aliyev eased measures toward Vladimir Putin"."""
    from storyline.brief.phrases import action_ru

    items = [_item(1, 21, [_article(1, "ru", 21, "Алиев извинился перед Путиным", "ТАСС"),
                           _article(2, "uk", 21, "Алієв вибачився перед Путіним", "УНІАН")])]
    records = {1: [_triggered(_record(1, "PERSON:aliyev", "CONCEDE", "PERSON:putin"), t)
                   for t in ("извинился", "вибачився")]}
    dev = build_state(items, records, related=lambda item: False).developments[0]
    assert dev.action == ("PERSON:aliyev", "APOLOGY", "PERSON:putin")
    assert render_action(dev, name_for).startswith(
        "Ilham Aliyev apologised to Vladimir Putin (21 April 2022)")
    assert action_label(dev) == "Apology by Ilham Aliyev"
    assert action_ru(dev).startswith("Ильхам Алиев извинился перед Владимиром Путиным")
    # a concession most of whose records tell something else stays a concession
    records[1][1].meta = {"trigger": "пом'якшив"}
    records[1].append(_triggered(_record(1, "PERSON:aliyev", "CONCEDE", "PERSON:putin"),
                                 "смягчил"))
    dev = build_state(items, records, related=lambda item: False).developments[0]
    assert dev.action[1] == "CONCEDE"


def _triggered(record: EventRecord, trigger: str) -> EventRecord:
    record.meta = {"trigger": trigger}
    return record


def test_talks_the_reports_tell_as_a_visit_to_a_country_are_told_as_a_visit():
    """Lukashenko set off for Russia, "де зустрінеться з Путіним", two days before the summit:
    the coder reads talks with Russia from "з робочим візитом" and from "на зустріч". Told as
    "held talks with Russia" on the day of his departure, the brief said what had not happened
    yet; half its records tell a visit, so it says "visited Russia" — in Russian "посетил
    Россию". Talks with a person stay talks (a host "received" a visitor: the visitor is the
    target), and so do talks most of whose records tell no visit."""
    from storyline.brief.phrases import action_ru

    items = [_item(5, 27, [_article(5, "uk", 27, "Лукашенко поїхав до Росії на зустріч із "
                                                "Путіним", "Українська правда")])]
    records = {5: [_triggered(_record(5, "PERSON:lukashenko", "CONSULT", "RUS"), "візитом"),
                   _triggered(_record(5, "PERSON:lukashenko", "CONSULT", "RUS"), "зустріч")]}
    dev = build_state(items, records, related=lambda item: False).developments[0]
    assert dev.action == ("PERSON:lukashenko", "VISIT", "RUS") and dev.action_support == 2
    assert render_action(dev, name_for).startswith(
        "Alexander Lukashenko visited Russia (27 April 2022), according to Ukrainian-language")
    assert action_ru(dev).startswith("Александр Лукашенко посетил Россию (27 апреля 2022 г.)")
    to_government = {5: [_triggered(_record(5, "PERSON:medvedev", "CONSULT", "AZE.GOV"),
                                    "visited")] * 2}
    assert render_action(build_state(items, to_government, lambda item: False)
                         .developments[0], name_for).startswith("Dmitry Medvedev visited "
                                                                "Azerbaijan (27 April 2022)")
    to_us = {5: [_triggered(_record(5, "PERSON:lukashenko", "CONSULT", "USA"), "visit")] * 2}
    assert "visited the United States" in render_action(
        build_state(items, to_us, lambda item: False).developments[0], name_for)
    host = {5: [_triggered(_record(5, "PERSON:putin", "CONSULT", "PERSON:lukashenko"),
                           "визитом")] * 2}
    assert build_state(items, host, lambda item: False).developments[0].action[1] == "CONSULT"
    talks = {5: [_triggered(_record(5, "PERSON:lukashenko", "CONSULT", "RUS"), "візитом")]
             + [_triggered(_record(5, "PERSON:lukashenko", "CONSULT", "RUS"), "переговори")]
             * 2}
    assert build_state(items, talks, lambda item: False).developments[0].action[1] == "CONSULT"


def test_an_action_of_no_use_is_not_rendered_as_news():
    """A coded action whose two sides are one country ("Peskov held talks with Russia") says
    nothing: the rendering only says who reported the development, in which language, when."""
    dev = Development(event_id=7, day=date(2026, 2, 26), relation=DEVELOPMENT, score=1.0,
                      reports=[_article(9, "ru", 26, "Заседание", "Ведомости")],
                      actors=["PERSON:peskov", "RUS"],
                      action=("PERSON:peskov", "CONSULT", "RUS"))
    state = StorylineState([dev])
    text = render_action(state.developments[0], name_for)
    assert text == ("Russian-language reports by Ведомости of 26 February 2026 cover this "
                    "development (original quoted).")
    assert render_action(dev, name_for, attributed=False) is None


def test_a_related_report_using_the_titles_distinctive_words_mentions_the_subject():
    from storyline.brief.related import title_terms_named as _title_terms_named

    idf = {"insurance": 3.0, "deposit": 2.8, "banks": 1.2, "said": 1.0, "funds": 2.0,
           "officials": 0.5}
    texts = ["The FDIC's funds come from insurance payments by banks, officials said."]
    assert _title_terms_named("Deposit Insurance Reform", texts, idf) == ["insurance"]
    assert _title_terms_named("Whether Reform", texts, idf) == []  # not used by the report


def test_a_name_already_said_in_another_form_is_not_repeated():
    from storyline.brief.related import said as _said

    assert _said("Russian", ["Russia"]) and _said("Russia's government", ["Russia"])
    assert not _said("Belarus", ["Russia", "Vladimir Putin"])


def test_a_story_is_about_the_states_its_headlines_name_not_its_companies_countries():
    """Romania's annulled election: the coder found TikTok's owner in every development, Russia
    in three, Romania in one; the headlines name Romania each time. A company counts for its
    country only half, and a state its headlines name counts once more per development: the
    story is Romania's and Russia's, not China's (it was "Russia and China" before)."""
    from storyline.brief.state import Development, StorylineState, story_countries

    heads = ["Romania declassifies intelligence on TikTok campaign",
             "Romania's top court annuls presidential election",
             "EU opens TikTok probe over Romanian vote",
             "Romania elects Nicusor Dan in rerun"]
    devs = [Development(event_id=k, day=date(2024, 12, 4 + k), relation="development",
                        score=1.0,
                        reports=[Article(id=k, title=h, lang="en", text="",
                                         published=datetime(2024, 12, 4 + k, tzinfo=UTC))],
                        actors=["COMPANY:bytedance"] + (["RUS"] if k < 3 else [])
                        + (["ROU"] if k == 0 else []))
            for k, h in enumerate(heads)]
    assert story_countries(StorylineState(devs)) == ["Romania", "Russia"]


def test_actors_in_as_many_developments_go_by_how_many_records_name_them():
    """The 'unfriendly' story's label: Belarus's government, named in four coded records of its
    one development, comes before Germany, named once in another (the label was "Russia,
    Vladimir Putin, Germany")."""
    from storyline.brief.state import Development, StorylineState, top_actor_names

    def dev(k: int, actors: dict[str, int]) -> Development:
        return Development(event_id=k, day=date(2022, 3, 7 + k), relation="development",
                           score=1.0, reports=[], actors=list(actors), mentions=actors)

    state = StorylineState([dev(0, {"RUS.GOV": 5}), dev(1, {"PERSON:putin": 3, "RUS.GOV": 2}),
                            dev(2, {"DEU": 1, "RUS.GOV": 1}), dev(3, {"BLR.GOV": 4})])
    assert top_actor_names(state) == ["Russia", "Belarus", "Vladimir Putin"]


def test_a_development_reported_in_several_languages_names_them_all():
    """A development told only in Ukrainian, Russian and Belarusian reports names all three
    languages and an outlet of each — it was "Ukrainian-language reports by Meduza and Белсат",
    naming a Russian and a Belarusian outlet as Ukrainian."""
    from storyline.brief import phrases

    dev = Development(event_id=8, day=date(2022, 9, 20), relation=DEVELOPMENT, score=1.0,
                      reports=[_article(11, "uk", 20, "Окупанти оголосили «референдуми»",
                                        "Суспільне"),
                               _article(12, "uk", 20, "«Референдуми» на окупованих територіях",
                                        "Укрінформ"),
                               _article(13, "ru", 20, "Объявили о «референдумах»", "Meduza"),
                               _article(14, "be", 20, "Прызначылі «рэферэндумы»", "Белсат")],
                      actors=["RUS"])
    text = render_action(StorylineState([dev]).developments[0], name_for)
    assert text == ("Ukrainian-, Russian- and Belarusian-language reports by Суспільне, Meduza "
                    "and Белсат of 20 September 2022 cover this development (original quoted).")
    assert phrases.language_reports(["uk", "ru"]) == "Ukrainian- and Russian-language reports"
    assert phrases.language_reports("be") == "Belarusian-language reports"
    assert phrases.language_reports(["uk", "ru"], "ru") == (
        "Сообщения на украинском и русском языках")


def test_of_two_developments_of_the_newest_day_the_one_in_the_briefs_language_leads():
    """Two developments of one day, one reported by the BBC, one only in Belarusian: an English
    brief leads with the BBC's (it led with the Belarusian headline, quoted in Belarusian); an
    earlier day never leads for being in English."""
    english = Development(event_id=31, day=date(2022, 9, 30), relation=DEVELOPMENT, score=1.0,
                          reports=[_article(21, "en", 30, "Putin annexes four regions", "BBC")])
    belarusian = Development(
        event_id=32, day=date(2022, 9, 30), relation=DEVELOPMENT, score=1.0,
        reports=[_article(22, "be", 30, "Пуцін абвясціў анексію", "Наша Ніва")])
    state = StorylineState([english, belarusian])
    assert state.newest().event_id == 32
    assert state.newest("en").event_id == 31
    assert state.newest("be").event_id == 32
    later = Development(event_id=33, day=date(2022, 10, 1), relation=DEVELOPMENT, score=1.0,
                        reports=[_article(23, "be", 30, "Наступны дзень", "Наша Ніва")])
    assert StorylineState([english, belarusian, later]).newest("en").event_id == 33


def test_a_development_told_only_in_other_languages_is_labelled_by_its_headlines_words():
    """Its label gives who its headline names first and the domain words the headline uses,
    named in English ("навчань" → drills, "ядерною зброєю" → nuclear weapons) — it was
    "Ukrainian- and Belarusian-language reports", which says nothing of what happened."""
    from storyline.brief.state import topic_label

    dev = Development(event_id=9, day=date(2024, 5, 21), relation=DEVELOPMENT, score=1.0,
                      reports=[_article(21, "uk", 21, "Росія розпочала перший етап навчань із "
                                        "тактичною ядерною зброєю", "Радіо Свобода"),
                               _article(22, "be", 21, "Расія пачала вучэнні", "Еўрарадыё")],
                      actors=["BLR"])
    assert topic_label(dev) == "Russia: drills, nuclear weapons"
    assert topic_label(dev, "ru") == ""  # the lexicon names its concepts in English only
    # one domain word is enough with who did it, too little without
    one = Development(event_id=10, day=date(2024, 5, 21), relation=DEVELOPMENT, score=1.0,
                      reports=[_article(23, "be", 21, "Расія пачала вучэнні", "Еўрарадыё")])
    assert topic_label(one) == "Russia: drills"
    one.reports = [_article(24, "be", 21, "Пачаліся вучэнні", "Еўрарадыё")]
    assert topic_label(one) == ""
    # neighbouring nouns are a list, not a phrase ("высылке дипломатов")
    expel = Development(event_id=11, day=date(2018, 3, 30), relation=DEVELOPMENT, score=1.0,
                        reports=[_article(25, "ru", 30, "МИД России объявил о высылке "
                                          "дипломатов 23 стран", "РИА Новости")])
    assert topic_label(expel) == "Russia: expulsion, diplomats"
    # no verbs, and two parts at most (it read "Vladimir Putin: sign, law, treaty, ban, nuclear")
    law = Development(event_id=13, day=date(2023, 11, 2), relation=DEVELOPMENT, score=1.0,
                      reports=[_article(27, "ru", 2, "Путин подписал закон об отзыве ратификации "
                                        "договора о запрещении ядерных испытаний", "Интерфакс")])
    assert topic_label(law) == "Vladimir Putin: law, treaty"
    # no domain word: the two actors its headline names
    left = Development(event_id=12, day=date(2022, 1, 13), relation=DEVELOPMENT, score=1.0,
                       reports=[_article(26, "ru", 13, "Миротворцы ОДКБ начали покидать "
                                         "Казахстан", "РИА Новости")])
    assert topic_label(left) == "CSTO and Kazakhstan"  # a bloc by the acronym readers use


def test_countries_that_take_the_article_have_it_in_a_sentence():
    assert name_for("CZE") == "the Czech Republic"
    assert name_for("USA.GOV") == "the government of the United States"
    assert name_for("RUS") == "Russia"


def test_a_place_is_not_told_as_the_counterpart_of_an_agreement():
    """Putin "signed with the leadership of Crimea" a treaty: the coder finds Crimea as a place
    (Ukraine), and "Vladimir Putin reached an agreement with Ukraine" would say the opposite of
    what happened. A strike on a place is one on its country, and is told."""
    signed = [EventRecord("PERSON:putin", "AGREE", "UKR", 5.0, event_id=1,
                          meta={"family": "verbal_cooperation", "target_place": True})] * 2
    struck = [EventRecord("RUS", "ASSAULT", "UKR", -9.0, event_id=2,
                          meta={"family": "material_conflict", "target_place": True})] * 2
    state = build_state([_item(1, 18, [_article(1, "ru", 18)]),
                         _item(2, 19, [_article(2, "ru", 19)])],
                        {1: signed, 2: struck}, lambda item: False)
    assert state.developments[0].action is None
    assert state.developments[1].action == ("RUS", "ASSAULT", "UKR")


def test_blocs_are_named_as_readers_know_them():
    from storyline.actors.gazetteer import Gazetteer, reader_name

    gazetteer = Gazetteer.load()
    assert [reader_name(gazetteer.get(i)) for i in ("NATO", "CSTO", "OSCE", "EU", "UN")] == [
        "NATO", "CSTO", "OSCE", "European Union", "United Nations"]
