"""Briefs in Russian: names in the case a phrase needs, verbs agreeing with their subject,
counts with the right noun form, Russian dates and anchors, labels in the nominative, and a
development reported in another language told in Russian from its coded action."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storyline.brief import phrases, russian
from storyline.brief.cite import CAUSAL
from storyline.brief.grounding import strip_anchors
from storyline.brief.labels import headline_label, is_foreign, key_phrase, shared_topic
from storyline.brief.related import reader_name
from storyline.brief.render import relation_text, render
from storyline.brief.sections import BriefConfig, Drafter, EventInput
from storyline.brief.state import Development, action_label, build_state, render_action
from storyline.mentioned_days import anchor_relative_days, day_words
from storyline.model import Article, Event, EventRecord


@pytest.mark.parametrize(("n", "form"), [(1, "событие"), (2, "события"), (4, "события"),
                                         (5, "событий"), (11, "событий"), (12, "событий"),
                                         (21, "событие"), (22, "события"), (111, "событий")])
def test_a_count_takes_its_noun_form(n, form):
    assert russian.plural(n, "событие", "события", "событий") == form


@pytest.mark.parametrize(("name", "case", "expected"), [
    ("Беларусь", "gent", "Беларуси"),
    ("Евросоюз", "ablt", "Евросоюзом"),
    ("правительство России", "ablt", "правительством России"),  # the genitive stays
    ("Владимир Путин", "datv", "Владимиру Путину"),
    ("Александр Лукашенко", "gent", "Александра Лукашенко"),     # the surname does not decline
    ("США", "gent", "США"),
    ("Южная Корея", "gent", "Южной Кореи"),
    ("Россия", "accs", "Россию"),
    ("белорусский перечень государств", "accs", "белорусский перечень государств"),
    ("Ariston", "gent", "Ariston"),                             # Latin script: as written
])
def test_names_are_inflected_at_their_head(name, case, expected):
    assert russian.inflect(name, case) == expected


@pytest.mark.parametrize(("subject", "person", "verb"), [
    ("Россия", False, "ввела меры"), ("правительство Беларуси", False, "ввело меры"),
    ("США", False, "ввели меры"), ("Евросоюз", False, "ввёл меры"),
    ("Владимир Путин", True, "ввёл меры"), ("Кисида", True, "ввёл меры"),
    ("Урсула фон дер Ляйен", True, "ввела меры")])
def test_the_verb_agrees_with_its_subject(subject, person, verb):
    assert russian.agree("ввёл меры", subject, person=person) == verb


def test_actors_have_russian_names():
    assert russian.actor_name("RUS") == "Россия"
    assert russian.actor_name("BLR.GOV") == "правительство Беларуси"
    assert russian.actor_name("PERSON:lukashenko") == "Александр Лукашенко"
    assert russian.actor_name("ALB") == "Албания"  # pycountry's Russian name
    assert russian.actor_name("LIST:BY-CoM-2022").startswith("белорусский перечень")
    assert russian.actor_name("NOPE:x") == ""
    assert reader_name("Vladimir Putin", "ru") == "Владимир Путин"
    assert reader_name("the Kremlin", "ru") == "правительство России"
    assert reader_name("Northland", "ru") == "Northland"


def test_labels_are_noun_phrases_in_the_nominative():
    found = [p for p, _, _ in russian.noun_phrases(
        "заседание Высшего государственного совета; европейские компании согласятся")]
    assert "Высший государственный совет" in found  # not another degree of "высокий"
    assert "европейские компании" in found          # plural by the adjective's agreement
    texts = ["Лидер отметил, что главным должно стать обеспечение технологического "
             "суверенитета.", "Обеспечение технологического суверенитета обсудили в Минске."]
    assert key_phrase(texts, {}, lang="ru") == "Технологический суверенитет"
    heads = ["Кабмин опубликовал список недружественных стран",
             "Белоруссия утвердила перечень недружественных стран"]
    assert shared_topic(heads, {}, "ru", {"Россия"}) == "недружественные страны"


def test_a_russian_headline_label_is_its_main_clause():
    assert headline_label("Газ за рубли: Путин подписал указ о новом порядке оплаты",
                          "ru") == "Путин подписал указ о новом порядке оплаты"
    # a list of countries opening a headline is not cut at its commas
    assert headline_label("Греции, Дании, Словении, Хорватии и Словакии ограничили наём "
                          "местного персонала", "ru").startswith("Греции, Дании, Словении")


def test_dates_and_anchors_are_written_in_russian():
    friday = date(2022, 4, 8)
    assert day_words(friday, "ru") == "8 апреля 2022 г."
    anchored = anchor_relative_days("Решение приняли в пятницу, а вчера его опубликовали",
                                    friday, "ru")
    assert anchored == ("Решение приняли в пятницу (8 апреля 2022 г.), а вчера "
                        "(7 апреля 2022 г.) его опубликовали")
    assert anchor_relative_days("on Friday", friday) == "on Friday (8 April 2022)"
    clean, days = strip_anchors(anchored, friday)
    assert "г.)" not in clean and [d.day for d in days] == [friday, date(2022, 4, 7)]


def test_a_ukrainian_sentence_is_foreign_to_a_russian_brief():
    text = "Уряд Білорусі затвердив перелік іноземних держав."
    assert not is_foreign(text, "ru")          # by script alone it is not
    assert is_foreign(text, "ru", "uk")        # by its report's language it is
    assert not is_foreign("Правительство утвердило перечень.", "ru", "ru")


def test_no_phrase_of_any_language_states_a_cause():
    for lang in phrases.BRIEF_LANGS:
        for text in [*phrases.CONNECTIVES[lang].values(), *phrases.NOTES[lang].values()]:
            assert not CAUSAL.search(text), (lang, text)


def _report(i: int, lang: str, day: int, title: str, text: str, source: str) -> Article:
    return Article(title=title, text=text, id=i, lang=lang, source=source,
                   published=datetime(2022, 4, day, 9, tzinfo=UTC), event_id=i)


def _coded(event_id: int, source: str, kind: str, target: str | None, n: int = 2):
    return [EventRecord(article_id=event_id, event_id=event_id, source_actor=source,
                        event_type=kind, target_actor=target, intensity=-5.0)
            for _ in range(n)]


def test_a_development_reported_in_another_language_is_told_in_russian():
    items = [EventInput(Event(id=1, label="e", first_seen=datetime(2022, 4, 8, tzinfo=UTC)),
                        [_report(1, "uk", 8, "Білорусь затвердила перелік",
                                 "Уряд Білорусі затвердив перелік недружніх держав.",
                                 "Європейська правда")])]
    state = build_state(items, {1: _coded(1, "BLR.GOV", "SANCTION", "LIST:BY-CoM-2022")},
                        related=lambda item: False)
    told = render_action(state.developments[0], None, "ru")
    assert told.startswith("Правительство Беларуси включило государства в белорусский перечень")
    assert "(8 апреля 2022 г.), по сообщениям СМИ на украинском языке (Європейська правда)" in told
    assert action_label(state.developments[0], "ru") == "Новые государства в перечне Беларуси"
    dev = Development(event_id=2, day=date(2022, 4, 9), relation="development", score=1.0,
                      reports=[_report(2, "en", 9, "t", "x", "Reuters")],
                      action=("RUS", "SANCTION", "EU"), action_support=3)
    assert render_action(dev, None, "ru", attributed=False) == (
        "Россия ввела ограничительные меры против Евросоюза (9 апреля 2022 г.).")
    dev.action_support = 1  # one coded sentence: only who reported it, in which language
    assert render_action(dev, None, "ru") == (
        "Об этом событии сообщили СМИ на английском языке (Reuters), 9 апреля 2022 г.; "
        "оригинал приведён.")


def test_a_russian_brief_quotes_russian_reports_and_frames_them_in_russian():
    ru = _report(1, "ru", 8, "Белоруссия утвердила перечень недружественных стран",
                 "Правительство Белоруссии в пятницу утвердило перечень недружественных "
                 "стран. В перечень вошли 39 государств, включая членов Евросоюза.", "ТАСС")
    en = _report(2, "en", 25, "Russia adds states to its 'unfriendly' list",
                 "Russia on Monday added five states to its list of unfriendly countries. "
                 "The additions follow new sanctions.", "Reuters")
    items = [EventInput(Event(id=1, label=ru.title, first_seen=ru.published), [ru]),
             EventInput(Event(id=2, label=en.title, first_seen=en.published), [en])]
    records = {1: _coded(1, "BLR.GOV", "SANCTION", "LIST:BY-CoM-2022"),
               2: _coded(2, "RUS.GOV", "SANCTION", "LIST:RU-430-r")}
    state = build_state(items, records, related=lambda item: False)
    draft = Drafter(BriefConfig(lang="ru")).draft(ru.title, "", items, state)
    assert draft.headline.startswith("25 апреля 2022 г.: Правительство России включило")
    quoted = [s for s in [*draft.lead, *draft.main_sentences,
                          *(x for d in draft.developments for x in d.sentences)]
              if not s.composed and not s.note]
    assert quoted and all(s.article_ids[0] == 1 for s in quoted)  # only the Russian report
    composed = [s for d in draft.developments for s in d.sentences if s.composed]
    assert any(s.original and s.original.startswith("Russia on Monday") for s in
               [*composed, *draft.lead, *draft.main_sentences])
    body = {"lang": "ru", "title": draft.title, "label": draft.label,
            "headline": draft.headline, "lead": [], "main_event": {"subtitle": "x"},
            "developments": [], "summary": [{"text": draft.summary[0].text, "cites": [1]}]}
    md = render(body, "md")
    assert "## Главное событие: x" in md and "## Итог" in md and "Main Event" not in md
    assert draft.summary[0].text.startswith("С 8 апреля 2022 г.")
    assert "сюжет прослеживает 2 события" in draft.summary[0].text


def test_related_coverage_is_tagged_in_the_brief_language():
    dev = {"relation": "related", "relatedness": 0.5,
           "reasons": {"named_in_report": ["Россия"], "terms_in_report": ["недружественных"]}}
    assert relation_text(dev, "ru") == (
        "смежное сообщение, связанность 0.50; в сообщении упоминается Россия и встречается "
        "слово «недружественных», но причинная связь с этим сюжетом не указана")
    assert relation_text({"relation": "development", "new": True}, "ru") == "новое"


def test_time_phrases_are_no_labels_and_weekdays_after_vo_are_anchored():
    found = [p for p, _, _ in russian.noun_phrases("в конце мая и в начале августа")]
    assert not any(p.startswith(("конец", "начало")) for p in found)
    assert anchor_relative_days("Указ подписан во вторник", date(2023, 7, 20), "ru") == (
        "Указ подписан во вторник (18 июля 2023 г.)")


def test_the_main_event_gives_further_originals_once_per_report():
    en = [_report(i, "en", 9, "Baltimore channel reopens", text, "AP") for i, text in (
        (1, "The channel reopened on Monday after crews cleared the wreckage."),)]
    en[0].text += (" Salvage crews had worked for eleven weeks to lift the steel spans. "
                   "Container ships and car carriers are moving through the port again.")
    items = [EventInput(Event(id=1, label=en[0].title, first_seen=en[0].published), en)]
    state = build_state(items, {1: []}, related=lambda item: False)
    draft = Drafter(BriefConfig(lang="ru", lead_sentences=1)).draft(en[0].title, "", items,
                                                                     state)
    told = [*draft.lead, *draft.main_sentences]
    assert told[0].text.startswith("Об этом событии сообщили СМИ на английском языке (AP)")
    intros = [s for s in draft.main_sentences if s.composed]
    assert [s.text for s in intros] == ["Сообщение AP на английском языке приводится в "
                                        "оригинале."]
    assert intros[0].original.count(".") >= 2  # the report's further sentences, together


def test_people_decline_by_what_the_gazetteer_knows_of_them():
    assert russian.inflect("Башар Асад", "gent", person=True) == "Башара Асада"
    assert russian.inflect("Фумио Кисида", "ablt", person=True, woman=False) == "Фумио Кисидой"
    # a woman's consonant-final surname does not decline, her -а/-я names do
    assert russian.inflect("Ангела Меркель", "gent", person=True, woman=True) == "Ангелы Меркель"
    assert russian.is_woman("PERSON:kallas") is True and russian.is_woman("PERSON:putin") is False
    assert russian.is_woman("RUS") is None
    assert russian.agree("ввёл меры", "Кая Каллас", person=True, woman=True) == "ввела меры"


def test_a_storyline_label_from_its_actors_in_the_brief_language():
    assert phrases.actors_label(["Сирия", "Башар Асад"], "en", "ru") == "Сирия, Башар Асад"
    assert phrases.actors_label(["США"], "en", "ru") == "США: сообщения на английском языке"
    assert phrases.actors_label([], "en", "ru") == "Сообщения на английском языке"
    # a name known only in Latin script heads no Russian label
    assert phrases.action_label_ru("AGREE", "King Abdullah of Saudi Arabia", False,
                                   "PERSON:king_abdullah_sa") == ""
    assert phrases.action_label_ru("CONSULT", "Башар Асад", False,
                                   "PERSON:assad") == "Переговоры Башара Асада"


def test_a_development_told_in_several_other_languages_names_them_all_in_russian():
    """The Russian brief's rendering names every language and an outlet of each, as the
    English one does: it named the Belarusian outlet only, then quoted Reuters' English."""
    dev = Development(event_id=3, day=date(2024, 6, 11), relation="development", score=1.0,
                      reports=[_report(3, "be", 11, "t", "x", "Радыё Свабода"),
                               _report(4, "be", 11, "t", "x", "Белсат"),
                               _report(5, "en", 11, "t", "x", "Reuters")])
    assert render_action(dev, None, "ru") == (
        "Об этом событии сообщили СМИ на белорусском и английском языках (Белсат, Reuters и "
        "Радыё Свабода), 11 июня 2024 г.; оригинал приведён.")


def test_a_russian_label_is_not_read_from_belarusian_or_ukrainian_text():
    """Belarusian "Міністэрства" read as Russian words gave the key-point label
    "Н стэрства"; a Russian label comes from Russian text only."""
    texts = ["Паводле Міністэрства абароны Беларусі, падраздзяленні адпрацоўваюць атрыманне "
             "спецыяльных боепрыпасаў."]
    assert key_phrase(texts, {}, lang="ru") == ""
    assert key_phrase(texts + ["Министерство обороны Белоруссии провело проверку "
                               "боеготовности войск."], {}, lang="ru")
