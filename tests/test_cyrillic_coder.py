"""Russian, Ukrainian and Belarusian event coding (events/cyrillic.py) and the English rules
for election results, decrees and joint actors. Sentences written for these tests."""

import json
from importlib import resources

import pytest

from storyline.events import plover
from storyline.events.coder import default_coder
from storyline.events.cyrillic import guess_lang

EVAL = "slavic_eval.jsonl"


@pytest.fixture(scope="module")
def coder():
    return default_coder()


def dyads(coder, text, date="2024-06-01", lang=None):
    return {(r.source_actor, r.event_type, r.target_actor)
            for r in coder.code(text, date, lang)}


def test_guess_lang():
    assert guess_lang("Россия ввела санкции.") == "ru"
    assert guess_lang("Україна запровадила санкції.") == "uk"
    assert guess_lang("Беларусь увяла санкцыі.") == "be"
    assert guess_lang("Лукашэнка абвінаваціў Польшчу.") == "be"


@pytest.mark.parametrize("text,lang,expected", [
    ("Польша выслала двух российских дипломатов.", "ru", ("POL", "SANCTION", "RUS")),
    ("Кремль пригрозил Эстонии ответными мерами.", "ru", ("RUS.GOV", "THREATEN", "EST")),
    ("Литва закликала Євросоюз посилити санкції.", "uk", ("LTU", "REQUEST", "EU")),
    ("Зеленський провів переговори з канцлером Німеччини.", "uk",
     ("PERSON:zelensky", "CONSULT", "PERSON:scholz")),
    ("Мінск адхіліў прапанову Варшавы.", "be", ("BLR.GOV", "REJECT", "POL.GOV")),
    ("Літва выслала беларускага дыпламата.", "be", ("LTU", "SANCTION", "BLR")),
])
def test_word_order_and_case(coder, text, lang, expected):
    assert expected in dyads(coder, text, lang=lang)


def test_russian_parse_finds_the_subject_after_the_verb(coder):
    # object first, subject last: Putin congratulates Lukashenko, not the other way round
    got = dyads(coder, "Президента Беларуси с победой поздравил Владимир Путин.", "2025-01-27")
    assert got == {("PERSON:putin", "SUPPORT", "PERSON:lukashenko")}


def test_impersonal_sentence_the_place_acts(coder):
    recs = coder.code("В Кремле эти обвинения отвергли.", "2025-09-29")
    assert [(r.source_actor, r.event_type) for r in recs] == [("RUS.GOV", "REJECT")]


def test_unfriendly_to_whom(coder):
    got = dyads(coder, "Исландия стала недружественной для России страной.", "2022-10-30")
    assert got == {("RUS", "SANCTION", "ISL")}


@pytest.mark.parametrize("text,lang", [
    ("Расія размясціла ў Беларусі тактычную ядзерную зброю.", "be"),
    ("Россия разместит тактическое ядерное оружие на территории Белоруссии.", "ru"),
    ("Росія розмістила в Білорусі тактичну ядерну зброю.", "uk"),
])
def test_forces_in_an_allys_territory_are_cooperation(coder, text, lang):
    assert dyads(coder, text, "2023-06-01", lang) == {("RUS", "COOPERATE", "BLR")}


def test_forces_at_a_rivals_border_are_mobilisation(coder):
    got = dyads(coder, "Польша перебросила к границе с Белоруссией дополнительные войска.")
    assert got == {("POL", "MOBILIZE", "BLR")}


def test_each_other_and_joint_subjects(coder):
    recs = coder.code("Россия и Белоруссия оказывают друг другу поддержку.", "2024-01-29")
    assert {(r.source_actor, r.event_type, r.target_actor) for r in recs} == {
        ("RUS", "SUPPORT", "BLR"), ("BLR", "SUPPORT", "RUS")}
    assert all(r.meta["reciprocal"] for r in recs)


def test_decree_passive_and_participle_are_no_act(coder):
    assert coder.code("Путин подписал указ о поддержке соотечественников.", "2024-08-19") == []
    # no agent named: Belarus is the recipient, not the giver
    recs = coder.code("Белорусской армии переданы комплексы «Искандер».", "2023-05-25")
    assert not any(r.source_actor == "BLR" for r in recs)
    assert coder.code("Договор касается ядерного оружия, размещенного в Белоруссии.",
                      "2024-12-06") == []


def test_negation_and_intent(coder):
    assert ("EU", "REJECT", "BLR") in dyads(
        coder, "Евросоюз не признал итоги выборов в Белоруссии.", "2025-01-27")
    assert ("DEU", "AGREE", "UKR") in dyads(
        coder, "Німеччина надасть Україні ще два мільярди євро допомоги.", lang="uk")


def test_code_many_without_language_codes_cyrillic_as_such(coder):
    out = coder.code_many(["Лукашэнка абвінаваціў Польшчу.", "Moldova accused Russia."],
                          "2024-01-01")
    assert out[0][0].target_actor == "POL" and out[0][0].meta["lang"] == "be"
    assert out[1][0].source_actor == "MDA"


def test_election_results_and_decrees_are_not_acts_toward_anyone(coder):
    text = ("Belarus's election commission declared Alexander Lukashenko the winner of the "
            "presidential election, giving the Kremlin's closest ally a seventh term.")
    assert coder.code(text, "2025-01-27") == []
    assert coder.code("President Vladimir Putin signed a decree on residency rules.",
                      "2024-08-20") == []


def test_joint_actors_of_their_own_bloc_act_on_each_other(coder):
    got = dyads(coder, "Russia and Belarus agreed to deepen the integration of their Union "
                "State.", "2021-09-09")
    assert got == {("RUS", "AGREE", "BLR"), ("BLR", "AGREE", "RUS")}


def test_unknown_subject_is_not_replaced_by_an_earlier_actor(coder):
    recs = coder.code("Lukashenko extends rule as the West dismisses the Belarus vote.",
                      "2025-01-27")
    assert not any(r.source_actor == "PERSON:lukashenko" and r.event_type == "REJECT"
                   for r in recs)


def eval_rows():
    text = resources.files("storyline.events").joinpath(f"data/{EVAL}").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_eval_file_is_well_formed():
    rows = eval_rows()
    assert len(rows) >= 100 and len({r["id"] for r in rows}) == len(rows)
    assert {r["lang"] for r in rows} == {"ru", "uk", "be"}
    assert {r["split"] for r in rows} == {"tune", "test", "blind"}
    for r in rows:
        assert r["type"] in plover.TYPES, r["id"]
        for role in ("source", "target"):
            assert r[role] is None or r[role] in r["text"], (r["id"], role)
        assert r["source_country"], r["id"]


def test_eval_file_floor(coder):
    """A regression floor on the project's own set (figures in SLAVIC_EVAL.md)."""
    rows = eval_rows()
    type_ok = src_ok = 0
    for r in rows:
        recs = coder.code(r["text"], r["date"], r["lang"])
        first = recs[0] if recs else None
        type_ok += bool(first) and first.event_type == r["type"]
        country = (first.meta.get("source_country") or first.source_actor) if first else None
        src_ok += country == r["source_country"] or (
            r["source_country"] == "IGO" and first is not None
            and first.meta.get("source_kind") in ("bloc", "organisation"))
    assert type_ok / len(rows) >= 0.9
    assert src_ok / len(rows) >= 0.8


def test_trigger_type_model_plugs_into_the_coder():
    from storyline.events.coder import Coder
    from storyline.events.type_model import TriggerTypeModel, training_rows, trigger_training

    rows = [r for t in ("SANCTION", "CONSULT", "ACCUSE")
            for r in [r for r in training_rows() if r["type"] == t][:20]]
    feats, labels, _ = trigger_training(rows)
    model = TriggerTypeModel.fit(feats, labels)
    assert sorted(model.types) == ["ACCUSE", "CONSULT", "SANCTION"]
    recs = Coder(type_model=model, rule_weight=1.0).code(
        "Russia imposed sanctions on Lithuania.", "2024-03-04")
    assert recs and recs[0].event_type == "SANCTION"


def test_a_parse_with_a_head_cycle_is_cut_into_a_tree():
    """The Natasha parser sometimes makes two words each other's head ("коментує" and "подію"
    here); walking up the heads from a trigger then never ended, and one Russian sentence hung
    `storyline ingest`. The parse keeps a tree: every walk up reaches a root."""
    from storyline.events.cyrillic import RuParse, acyclic_heads, tokenize

    assert acyclic_heads({"a": "b", "b": "a", "c": "a", "d": "0"}) in (
        {"a": None, "b": "a", "c": "a", "d": "0"}, {"a": "b", "b": None, "c": "a", "d": "0"})
    for text in ("Кремль поки не коментує подію.",
                 "Білорусь затвердила власний перелік «недружніх» країн"):
        parse = RuParse(text, tokenize(text))
        for node in parse.nodes.values():
            cur, steps = node, 0
            while cur is not None and steps <= len(parse.nodes):
                cur, steps = parse.head(cur), steps + 1
            assert cur is None, f"{node.text!r} walks up a cycle in {text!r}"


@pytest.mark.parametrize("text,lang", [
    ("Путин назвал санкции США против нефтяных компаний недружественным шагом.", "ru"),
    ("Президент России прокомментировал введённые накануне санкции США против «Роснефти».",
     "ru"),
    ("У Кіеве вырак называюць палітычным і згадваюць яго ў адным шэрагу з прысудамі.", "be"),
])
def test_what_a_verb_of_calling_or_commenting_governs_is_spoken_of_not_done(coder, text, lang):
    """Putin called the US sanctions unfriendly: no sanction by Russia (a brief told it as
    "Vladimir Putin imposed restrictive measures on the United States")."""
    assert not {d for d in dyads(coder, text, "2025-10-23", lang)
                if d[0] in ("PERSON:putin", "RUS", "RUS.GOV", "UKR", "UKR.GOV")}


def test_a_second_predicate_after_a_verb_of_calling_is_coded(coder):
    got = dyads(coder, "МЗС України назвало вирок політично мотивованим і закликало партнерів "
                       "посилити тиск на Москву.", "2018-06-04", "uk")
    assert {d[1] for d in got} == {"REQUEST"}
