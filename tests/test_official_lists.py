from datetime import UTC, datetime

from storyline.actors.lists import OfficialLists
from storyline.actors.resolve import default_resolver
from storyline.events.official_lists import code_list_sentences, replace_list_sentences
from storyline.events.relations import coordination
from storyline.model import Article, EventRecord


def _code(title, text, lang, day, month=3):
    article = Article(title=title, text=text, lang=lang, id=1,
                      published=datetime(2022, month, day, 12, tzinfo=UTC))
    return code_list_sentences(article, default_resolver(), OfficialLists.load())


def test_list_sentences_in_three_languages_become_sanctions_against_the_list():
    en = _code("Moscow names its unfriendly states",
               "The Russian government approved a list of unfriendly countries on Monday. "
               "Trade figures were published too.", "en", 7)
    assert [(r.source_actor, r.event_type, r.target_actor) for r in en] == [
        ("RUS.GOV", "SANCTION", "LIST:RU-430-r")]
    ru = _code("Минск утвердил перечень", "Правительство Беларуси утвердило перечень "
               "недружественных государств.", "ru", 9)
    assert {r.target_actor for r in ru} == {"LIST:BY-CoM-2022"}
    uk = _code("Росія розширила перелік недружніх країн для дипломатів",
               "Посольства цих країн обмежать у наймі персоналу.", "uk", 9)
    assert {r.target_actor for r in uk} == {"LIST:RU-dipl-1230-r"}
    assert _code("Weather", "Rain is expected in Minsk.", "en", 9) == []


def test_rule_replaces_the_general_coders_records_of_the_same_sentence():
    sentence = "The Russian government approved a list of unfriendly countries on Monday."
    general = [EventRecord("RUS", "COOPERATE", None, 3.0, sentence=sentence),
               EventRecord("DEU", "PROTEST", "RUS", -4.0, sentence="Germany protested.")]
    listed = [EventRecord("RUS.GOV", "SANCTION", "LIST:RU-430-r", -5.0, sentence=sentence)]
    kept = replace_list_sentences(general, listed)
    assert [r.event_type for r in kept] == ["PROTEST", "SANCTION"]


def test_two_lists_make_coordination_against_common_members():
    lists = OfficialLists.load()
    russia = _code("", "The Russian government approved a list of unfriendly countries.", "en", 31)
    belarus = _code("", "Belarus approved its own list of unfriendly countries.", "en", 8, month=4)
    records = russia + belarus
    for i, r in enumerate(records):
        r.id = i + 1
    found = coordination(records, window_days=14, lists=lists)
    assert len(found) == 1
    pair = found[0]
    assert {pair.actor_a, pair.actor_b} == {"RUS", "BLR"} and pair.event_type == "SANCTION"
    assert {"POL", "LTU", "USA"} <= set(pair.targets)
    # a list expands to its members on the record's date: Belarus had no list in March
    early = _code("", "Belarus approved its own list of unfriendly countries.", "en", 20)
    for i, r in enumerate(early):
        r.id = 100 + i
    assert coordination(russia + early, window_days=14, lists=lists) == []
