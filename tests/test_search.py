"""Multilingual search (issue #14): the query builder (``store/query.py``) and the SQLite store.

The query builder widens actor names to every spelling the gazetteer knows and lexicon words to
their equivalents in English, Russian, Ukrainian and Belarusian; whatever the input, it renders
only quoted words and its own operators. The store tests write a few reports in four languages
and search them as a user would.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime

import pytest

from storyline.model import Article, EventRecord
from storyline.store.query import Term, lexicon, parse, stem_term
from storyline.store.sqlite import SQLiteStore

HOSTILE = [
    '"', "'", "*", "-", "+", "^", ":", "(", ")", "()", "NEAR", "NEAR(a b, 3)", "a NEAR/2 b",
    "OR", "AND", "NOT", "a OR", "OR a", "a OR OR b", "a AND OR b", "-Lukashenko", "Lukashenko*",
    '"Lukashenko', "Lukashenko's", "(Lukashenko OR", "title:Lukashenko", "{title}: x",
    "Лукашенко OR", "^Путин", "a\\b", "x'); DROP TABLE articles; --", "'' OR 1=1", "\x00",
    "санкции -недружественных", "unfriendly* NEAR(список)", "ё Ё", "Ukraïna", "U.S.", "e.u.",
    "_", "__init__", "½ ²", "Lukashenko\nOR\tPutin", "a" * 300, "Minsk " * 40,
]


def fts5_table() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t VALUES ('Lukashenko', 'Лукашэнку недружественных санкции')")
    return db


# ------------------------------------------------------------------------------ rendering
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_renders_only_quoted_words_and_our_operators(query):
    sq = parse(query)
    fts = sq.fts5()
    # outside the quoted words: only our operators, parentheses, * and +
    assert re.fullmatch(r'(\s|AND|OR|\(|\)|\*|\+|"(?:[^"]|"")*")*', fts), fts
    if fts:  # never an FTS5 syntax error
        fts5_table().execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts,)).fetchone()
    ts = sq.tsquery()
    assert re.fullmatch(r"(\s|&|\||<->|\(|\)|:\*|'(?:[^'\\]|'')*')*", ts), ts
    assert fts.count("(") == fts.count(")") and ts.count("(") == ts.count(")")


def test_plain_words_keep_their_meaning():
    assert parse("zzzq qqqz OR rrrx").fts5() == '"zzzq" AND "qqqz" OR "rrrx"'
    assert parse("zzzq qqqz OR rrrx").tsquery() == "'zzzq' & 'qqqz' | 'rrrx'"
    for query in ("Report 17", "restricted states", "coordinated", "zzzunknownzzz"):
        assert parse(query).fts5() == parse(query, expand=False).fts5()
        assert not parse(query).expanded
    assert not parse('"') and not parse("OR") and not parse("AND OR")


# ------------------------------------------------------------------------------ actors
def terms(query: str) -> set[Term]:
    return {t for g in parse(query).groups for a in g.alternatives for t in a.phrase}


@pytest.mark.parametrize("query", ["Lukashenko", "Lukashenka", "lukashenko", "Лукашенко",
                                   "Лукашэнка", "Лукашенку", "Лукашэнкам", "Alexander Lukashenko",
                                   "Belarusian president"])
def test_any_spelling_of_an_actor_finds_every_spelling(query):
    sq = parse(query)
    [group] = sq.groups
    assert group.kind == "actor" and group.actors == ("PERSON:lukashenko",)
    assert group.label == "Alexander Lukashenko (BLR leader)"
    assert {Term("lukashenko"), Term("lukashenka"), Term("лукашенк", True),
            Term("лукашэнк", True)} <= terms(query)
    assert '"лукашенк"*' in sq.fts5() and "'лукашэнк':*" in sq.tsquery()


@pytest.mark.parametrize("query, actor", [("Белоруссии", "BLR"), ("России", "RUS"),
                                          ("Belarus", "BLR"), ("the Kremlin", "RUS.GOV"),
                                          ("Government of Belarus", "BLR.GOV"),
                                          ("Union State", "UNION_STATE"), ("ЕС", "EU")])
def test_inflected_and_canonical_names_resolve(query, actor):
    [group] = parse(query).groups
    assert group.actors == (actor,)


def test_stems_are_long_enough_not_to_over_match():
    assert stem_term("Россия") == [Term("росси", True)]  # not "росс*" (россыпь)
    assert stem_term("белорусский") == [Term("белорусск", True)]
    assert stem_term("Францыя") == [Term("францы", True)]  # a noun, not an adjective
    cuba = stem_term("Куба")
    assert all(not t.prefix for t in cuba) and Term("кубы") in cuba  # not "куба*" (Кубань)
    assert stem_term("Перу") == [Term("перу")]  # does not decline
    assert stem_term("Lukashenko") == [Term("lukashenko")]
    togo = terms("Togo")
    assert Term("togo") in togo and not {Term("того"), Term("тогда")} & togo  # function words
    gaza = terms("Gaza")  # "газа" is also "of gas": the lexicon knows it
    assert Term("gaza") in gaza and Term("газа") not in gaza


def test_a_capital_is_not_the_whole_country_and_us_is_not_the_usa():
    minsk = parse("Minsk").groups[0]
    assert minsk.kind == "capital" and Term("минск", True) in terms("Minsk")
    assert Term("belarus") not in terms("Minsk")
    usa = terms("United States")
    assert Term("usa") in usa and Term("us") not in usa and (Term("u"), Term("s")) in {
        a.phrase for g in parse("United States").groups for a in g.alternatives}


def test_an_alias_never_spans_or():
    assert parse("Union OR State").ops == ["OR"]
    assert not any(g.actors for g in parse("Union OR State").groups)


def test_places_and_unknown_words_stay_plain():
    sq = parse("zzzunknownzzz Derna")
    assert not sq.expanded


# ------------------------------------------------------------------------------ lexicon
def test_lexicon_words_cross_languages_both_ways():
    [ru] = parse("недружественных").groups
    assert ru.kind == "lexicon" and ru.label == "unfriendly" and Term("unfriendly") in terms(
        "недружественных")
    assert {Term("недружествен", True), Term("недружн", True),
            Term("недружалюбн", True)} <= terms("unfriendly")
    assert Term("санкци", True) in terms("sanctions") and Term("sanction", True) in terms(
        "санкциях")
    decree = terms("decree")  # short Russian words as whole forms: "указ*" would find "указал"
    assert Term("указ") in decree and Term("указ", True) not in decree
    assert "important" not in parse("import").fts5()


def test_lexicon_phrases_and_apostrophes():
    [group] = parse("temporary management").groups
    assert group.kind == "lexicon"
    assert (Term("временн", True), Term("управлени", True)) in {a.phrase for a in
                                                                group.alternatives}
    assert parse("прем'єр").groups[0].label == "prime minister"
    assert parse("премʼєр").groups[0].label == "prime minister"  # U+02BC, as some outlets write


def test_lexicon_reads_the_concepts_a_text_names_in_any_language():
    lex = lexicon()
    assert lex.concepts_in("Перечень недружественных государств") == {"list", "unfriendly"}
    assert lex.concepts_in("Білорусь затвердила перелік «недружніх» країн") == {
        "approve", "list", "unfriendly"}
    assert lex.concepts_in("UNFRIENDLY states listed") == {"list", "unfriendly"}
    # a phrase is read whole; its words are not read again on their own
    assert lex.concepts_in("Assets under temporary management") == {
        "assets", "temporary management"}
    assert lex.concepts_in("Prime Minister Mishustin") == {"prime minister"}
    assert lex.concepts_in("Указал на важность") == set()  # "указ" is listed as a whole word
    assert lex.concepts_in("") == set()


def test_lexicon_indexes_give_what_a_scan_of_its_lists_gives():
    """The stem and phrase indexes (built for speed) read every word and phrase as a scan of
    the lists, longest first, would: the longest listed stem wins, and a phrase is tried only
    from words that can start it."""
    lex = lexicon()

    def scanned(word: str) -> str | None:
        hit = lex.exact.get(word)
        return hit if hit is not None else next(
            (c for stem, c in lex.prefixes if word.startswith(stem)), None)

    words = {stem + tail for stem, _ in lex.prefixes for tail in ("", "ами", "s", "x")}
    words |= {stem[:-1] for stem, _ in lex.prefixes} | set(lex.exact)
    assert words and all(lex._listed(w) == scanned(w) for w in words)
    for phrase, concept in lex.phrases:
        text = " ".join(t.word + ("ых" if t.prefix else "") for t in phrase)
        assert concept in lex.concepts_in(f"Они сказали: {text}."), text


def test_lexicon_is_of_a_useful_size_and_well_formed():
    lex = lexicon()
    assert 40 <= len(lex.concepts) <= 100
    for concept, forms in lex.concepts.items():
        assert forms and all(re.fullmatch(r"[\w' *-]+", f) for f in forms), concept


# ------------------------------------------------------------------------------ explanations
def test_explain_and_matched():
    sq = parse("Lukashenko sanctions")
    lines = sq.explain()
    assert lines[0].startswith("Lukashenko → Alexander Lukashenko (BLR leader): also searched")
    assert "Лукашэнка" in lines[0] and "Лукашенко" in lines[0] and "PERSON:lukashenko" in lines[0]
    assert lines[1].startswith("sanctions: also searched") and "санкци*" in lines[1]
    assert sq.matched("ЦВК абвясціў Лукашэнку", "Санкцыі супраць рэжыму") == [
        "Лукашэнку → Alexander Lukashenko (BLR leader)", "Санкцыі → sanctions"]
    assert sq.matched("Minsk report", "sanctions", coded=["PERSON:lukashenko"]) == [
        "coded record → Alexander Lukashenko (BLR leader)"]
    assert parse("недружественных").matched("Moscow widens unfriendly list", "") == [
        "unfriendly → недружественных"]


# ------------------------------------------------------------------------------ the store
T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)
REPORTS = [
    ("en", "Lukashenko hosts Putin in Minsk", "The leaders discussed gas prices."),
    ("ru", "Лукашенко встретился с Путиным", "Переговоры прошли в Минске."),
    ("be", "Лукашэнка адмяніў візы", "Санкцыі супраць рэжыму Лукашэнкі."),
    ("uk", "Лукашенко поїхав до Росії", "Зустріч відбулася у Сочі."),
    ("en", "Belarus publishes list of 'unfriendly' countries", "Minsk named 22 states."),
    ("ru", "Кабмин расширил список недружественных стран", "Перечень пополнился."),
    ("en", "Belarusian leader sets visa-free entry", "The president signed a decree on Friday."),
    ("en", "Flood in Derna", "Dams burst after the storm."),
]


@pytest.fixture()
def store(tmp_path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "s.db")
    with s.transaction():
        ids = [s.add_article(Article(title=t, text=x, lang=lang, published=T0,
                                     content_hash=f"h{i}"))
               for i, (lang, t, x) in enumerate(REPORTS)]
    s.ids = ids  # type: ignore[attr-defined]
    return s


def test_store_search_finds_every_spelling_and_says_which(store):
    hits = store.search("Lukashenko", limit=50)
    assert sorted(h.article.lang for h in hits) == ["be", "en", "ru", "uk"]
    by_lang = {h.article.lang: h.matched for h in hits}
    assert by_lang["be"] == ["Лукашэнка → Alexander Lukashenko (BLR leader)"]
    assert by_lang["uk"] == ["Лукашенко → Alexander Lukashenko (BLR leader)"]
    assert [h.article.lang for h in store.search("Лукашэнку")] != []
    assert {h.article.lang for h in store.search("Lukashenko", lang="ru")} == {"ru"}
    web = store.search_articles("Lukashenko", limit=50)
    assert len(web) == 4 and "\x02Лукашэнкі\x03" in {h.article.lang: h.snippet for h in web}["be"]
    after = store.search_articles("Lukashenko", order="id", after_id=store.ids[1])
    assert [h.article.id for h in after] == [store.ids[2], store.ids[3]]


def test_store_search_crosses_languages_for_lexicon_words(store):
    hits = store.search("недружественных")
    assert {h.article.title for h in hits} == {
        "Belarus publishes list of 'unfriendly' countries",
        "Кабмин расширил список недружественных стран"}
    english = next(h for h in hits if h.article.lang == "en")
    assert english.matched == ["unfriendly → недружественных"]
    both = store.search("unfriendly list")  # each word widened, both required
    assert len(both) == 2


def test_words_still_must_all_match(store):
    assert [h.article.title for h in store.search("Lukashenko visa")] == [
        "Лукашэнка адмяніў візы"]
    assert [h.article.title for h in store.search('derna AND "dams')] == ["Flood in Derna"]
    assert store.search('"') == [] and store.search("OR") == []


def test_coded_records_stand_in_for_the_name(store):
    # "Belarusian leader" names nobody by name; the coder read it as Lukashenko
    leader = store.ids[6]
    with store.transaction():
        store.add_event_records([EventRecord("PERSON:lukashenko", "ACCEDE", "EU", 1.0, T0,
                                             leader, None, "The president signed a decree")])
    hits = {h.article.id: h for h in store.search("Lukashenko", limit=50)}
    assert leader in hits and len(hits) == 5
    assert hits[leader].matched == ["coded record → Alexander Lukashenko (BLR leader)"]
    assert hits[leader].snippet == "The president signed a decree"
    assert min(hits.values(), key=lambda h: h.score).article.id == leader  # ranked last
    with_visa = store.search("Lukashenko visa-free")
    assert [h.article.id for h in with_visa] == [leader]  # records answer for the name only
    web = store.search_articles("Lukashenko", limit=50)
    assert leader in {h.article.id for h in web}


def test_a_classical_belarusian_spelling_names_the_concept_of_its_official_form():
    """Наша Ніва and Радыё Свабода write taraškievica: a soft sign between consonants
    ("пагадненьне", "расьсьледаваньне"), "ў" opening a word ("ўмяшаньне"), and some loanwords
    apart ("прэзыдэнт", "апазыцыя"). The lexicon lists the official forms; these name the same
    concepts, so a classical-spelling report shares them with its other-language reports."""
    from storyline.store.query import lexicon, official_belarusian

    assert official_belarusian("расьсьледаваньне") == "расследаванне"
    assert official_belarusian("ўмяшаньне") == "умяшанне"
    assert official_belarusian("восем") == "восем"
    got = lexicon().concepts_in("Пагадненьне, расьсьледаваньне і ўмяшаньне: прэзыдэнт і "
                                "апазыцыя")
    assert got == {"agreement", "investigation", "interference", "president", "opposition"}
