from datetime import UTC, datetime

from storyline.actors.lists import OfficialLists
from storyline.actors.resolve import default_resolver
from storyline.events.official_lists import code_list_sentences, replace_list_sentences
from storyline.events.relations import coordination
from storyline.model import Article, EventRecord


def _code(title, text, lang, day, month=3, year=2022):
    article = Article(title=title, text=text, lang=lang, id=1,
                      published=datetime(year, month, day, 12, tzinfo=UTC))
    return code_list_sentences(article, default_resolver(), OfficialLists.load())


def test_list_sentences_in_three_languages_become_sanctions_against_the_list():
    en = _code("Moscow names its unfriendly states",
               "The Russian government approved a list of unfriendly countries on Monday. "
               "Trade figures were published too.", "en", 7)
    assert [(r.source_actor, r.event_type, r.target_actor) for r in en] == [
        ("RUS.GOV", "SANCTION", "LIST:RU-430-r")]
    ru = _code("Минск утвердил перечень", "Правительство Беларуси утвердило перечень "
               "недружественных государств.", "ru", 8, month=4)
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


def test_a_list_record_keeps_the_states_its_sentence_names_as_put_on_the_list_then():
    """A report of Russia's additions of 30 October 2022 names the territories added: the
    record keeps those the list's dated entries confirm, in the sentence's order, and how many
    entries took effect then. "британских" (Britain) and "Индийском" (the Indian Ocean: India)
    are named too but were not added then; a sentence naming the list two years on, as
    background, names none as added."""
    ru = _code("Кабмин расширил список недружественных стран",
               "Правительство России включило в перечень недружественных государств и "
               "территорий ряд британских заморских территорий: Бермудские острова, "
               "Каймановы острова, Фолклендские острова, Британскую территорию в Индийском "
               "океане.", "ru", 30, month=10)
    added = [r for r in ru if r.meta.get("named")]
    assert len(added) == 1
    # the Indian Ocean territory goes unresolved in this wording; India, found in it, and
    # Britain were not added then
    assert added[0].meta["named"] == ["BMU", "CYM", "FLK"]
    assert added[0].meta["added"] == 11
    en = _code("Guernsey and Isle of Man added to Russia's 'unfriendly' list",
               "Guernsey and the Isle of Man have been placed on Russia's list of unfriendly "
               "countries and territories, together with the Bahamas.", "en", 25, month=7)
    assert [r.meta.get("named") for r in en] == [["GGY", "IMN"], ["GGY", "IMN", "BHS"]]
    background = code_list_sentences(
        Article(title="Moscow offers visas to 'traditional values' migrants",
                text="It follows Russia's unfriendly-countries list of 2022, covering the "
                     "United States, Britain and Canada.", lang="en", id=2,
                published=datetime(2024, 8, 20, 12, tzinfo=UTC)),
        default_resolver(), OfficialLists.load())
    assert background and all("named" not in r.meta for r in background)


def test_added_around_is_the_entries_that_took_effect_in_the_days_about_a_report():
    lists = OfficialLists.load()
    # the order of 5 March 2022, published and reported on 7 March
    assert len(lists.added_around("RU-430-r", "2022-03-07")) == 52
    assert {e.actor for e in lists.added_around("LIST:RU-430-r", "2022-07-25")} == {
        "BHS", "GGY", "IMN"}
    assert lists.added_around("RU-430-r", "2022-09-01") == []
    assert lists.added_around("RU-430-r", None) == []
    assert lists.added_around("no-such-list", "2022-03-07") == []


def test_a_list_sentence_is_about_a_list_in_force_on_its_day():
    """14 May 2021: Russia's list of 'unfriendly' states was the diplomatic one of the day
    before (the United States and the Czech Republic); the general order came in March 2022.
    Before any list of its issuer, a sentence is not coded as one."""
    ru = _code("Россия утвердила список недружественных стран",
               "Правительство России утвердило перечень недружественных государств, в него "
               "вошли США и Чехия.", "ru", 14, month=5, year=2021)
    assert {r.target_actor for r in ru} == {"LIST:RU-dipl-1230-r"}
    assert [r.meta.get("named") for r in ru] == [None, ["USA", "CZE"]]
    early = code_list_sentences(
        Article(title="Россия утвердила список недружественных стран", text="", lang="ru",
                id=3, published=datetime(2020, 1, 10, 12, tzinfo=UTC)),
        default_resolver(), OfficialLists.load())
    assert early == []
