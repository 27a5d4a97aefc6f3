"""Event coder: one hand-written sentence per PLOVER family, dyads, dates, other languages."""

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from storyline.events import plover
from storyline.events.coder import Coder, FamilyPrior, default_coder
from storyline.events.type_model import default_type_model, training_rows
from storyline.model import Article

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "events"


@pytest.fixture(scope="module")
def coder() -> Coder:
    return default_coder()


def first(coder, text, date="2023-05-01"):
    recs = coder.code(text, date)
    assert recs, f"no event coded in {text!r}"
    return recs[0]


@pytest.mark.parametrize("text,etype,src,tgt", [
    ("Kazakhstan and Uzbekistan agreed to build a new railway.", "AGREE", "KAZ", None),
    ("Finland's president met the Swedish prime minister in Helsinki.", "CONSULT",
     "PERSON:stubb", "PERSON:kristersson_or_none"),
    ("Poland sent artillery shells to Ukraine.", "AID", "POL", "UKR"),
    ("Moldova accused Russia of plotting a coup.", "ACCUSE", "MDA", "RUS"),
    ("Latvia rejected Moscow's proposal.", "REJECT", "LVA", "RUS.GOV"),
    ("Russia imposed sanctions on Lithuania.", "SANCTION", "RUS", "LTU"),
    ("Belarusian police detained dozens of protesters.", "COERCE", "BLR", None),
])
def test_one_sentence_per_family(coder, text, etype, src, tgt):
    rec = first(coder, text, "2024-06-01")
    assert rec.event_type == etype
    assert rec.source_actor == src
    if tgt and not tgt.endswith("_or_none"):
        assert rec.target_actor == tgt
    assert -10 <= rec.intensity <= 10
    assert rec.meta["family"] == plover.family(etype)


def test_arriving_in_a_place_is_a_visit_and_arriving_aid_is_aid(coder):
    """The derived CAMEO lexicon coded "arrive in" as humanitarian aid, so a state visit was
    told as "gave aid to Belarus" (coder.AMENDED_PATTERNS)."""
    visit = first(coder, "Putin arrived in Minsk on a state visit on Thursday.", "2024-01-27")
    assert (visit.source_actor, visit.event_type, visit.target_actor) == (
        "PERSON:putin", "CONSULT", "BLR")
    assert first(coder, "A convoy of humanitarian aid arrived in Gaza.").event_type == "AID"


def test_families_have_signed_intensity(coder):
    coop = first(coder, "Poland sent artillery shells to Ukraine.")
    conflict = first(coder, "Russian troops attacked Ukrainian positions.")
    assert coop.intensity > 0 > conflict.intensity
    assert conflict.event_type in ("FIGHT", "ASSAULT")


def test_reporting_verb_hands_over_and_modal_threat(coder):
    rec = first(coder, "The Kremlin said Russia would attack Ukrainian energy sites.")
    assert rec.event_type == "THREATEN" and rec.source_actor in ("RUS", "RUS.GOV")


def test_request_and_retreat(coder):
    rec = first(coder, "The EU urged Belarus to release political prisoners.")
    assert (rec.event_type, rec.source_actor, rec.target_actor) == ("REQUEST", "EU", "BLR")
    rec = first(coder, "Armenia withdrew its troops from the border.")
    assert rec.event_type == "RETREAT" and rec.source_actor == "ARM"


def test_dated_leader_as_source(coder):
    rec = first(coder, "The British prime minister condemned Iran.", "2022-11-15")
    assert rec.source_actor == "PERSON:sunak" and rec.target_actor == "IRN"
    assert rec.date == datetime(2022, 11, 15)


def test_no_actor_no_event(coder):
    assert coder.code("It rained all day in the hills.", "2023-01-01") == []


def test_russian_and_belarusian(coder):
    rec = first(coder, "Белоруссия ввела ответные санкции против Литвы.")
    assert (rec.source_actor, rec.event_type, rec.target_actor) == ("BLR", "SANCTION", "LTU")
    rec = first(coder, "Лукашэнка абвінаваціў Польшчу.")
    assert (rec.source_actor, rec.event_type, rec.target_actor) == (
        "PERSON:lukashenko", "ACCUSE", "POL")


def test_code_article(coder):
    art = Article(title="Russia expels Estonian diplomats",
                  text="Russia expelled two Estonian diplomats on Monday. Tallinn protested.",
                  published=datetime(2023, 2, 6), lang="en", id=7)
    recs = coder.code_article(art)
    assert recs and all(r.article_id == 7 for r in recs)
    assert any(r.source_actor == "RUS" and r.target_actor == "EST.GOV"
               and plover.is_conflict(r.event_type) for r in recs)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared data not available")
def test_cameo_table_matches_packaged():
    derived = plover.derive_tables(SHARED / "cameo_goldstein.tsv")
    assert derived["intensity"] == plover.tables()["intensity"]


def test_intent_is_agree_and_refusal_is_reject(coder):
    rec = first(coder, "Georgia said it would support the Armenian proposal.", "2024-06-01")
    assert rec.event_type == "AGREE" and rec.source_actor == "GEO"
    rec = first(coder, "Norway is ready to send medicine to Sudan.", "2024-06-01")
    assert rec.event_type == "AGREE"
    rec = first(coder, "Serbia did not recognize Kosovo.", "2024-06-01")
    assert rec.event_type == "REJECT"


def test_coordinated_targets_and_reciprocal_actors(coder):
    recs = coder.code("Russia imposed counter-sanctions on Poland and Lithuania.", "2024-03-04")
    assert {(r.source_actor, r.event_type, r.target_actor) for r in recs} == {
        ("RUS", "SANCTION", "POL"), ("RUS", "SANCTION", "LTU")}
    recs = coder.code("Russia and Belarus held talks on energy prices.", "2024-03-04")
    assert {(r.source_actor, r.target_actor) for r in recs} == {("RUS", "BLR"), ("BLR", "RUS")}
    assert all(r.meta["reciprocal"] and r.event_type == "CONSULT" for r in recs)


def test_goods_given_are_aid_but_weapons_launched_are_not(coder):
    assert first(coder, "Russia sent grain to Belarus.").event_type == "AID"
    assert first(coder, "Iran launched missiles at Israel.").event_type != "AID"


def test_sentence_without_known_actor_still_gets_a_type():
    untyped = Coder(require_source=False)
    recs = untyped.code("Unidentified gunmen killed two villagers near the river.")
    assert recs and recs[0].event_type == "ASSAULT" and recs[0].source_actor == ""
    assert default_coder().code("Unidentified gunmen killed two villagers near the river.") == []


def test_code_many_with_dates_and_code_articles(coder):
    texts = ["Moldova accused Russia of plotting a coup.", "The British prime minister "
             "condemned Iran."]
    out = coder.code_many(texts, ["2024-01-01", "2022-11-15"])
    assert out[0][0].date == datetime(2024, 1, 1)
    assert out[1][0].source_actor == "PERSON:sunak"
    with pytest.raises(ValueError):
        coder.code_many(texts, ["2024-01-01"])
    arts = [Article(title="Latvia rejected Moscow's proposal", text="", lang="en", id=1,
                    published=datetime(2024, 1, 1)),
            Article(title="Лукашэнка абвінаваціў Польшчу.", text="", lang="be", id=2)]
    batch = coder.code_articles(arts)
    assert batch[0][0].event_type == "REJECT" and batch[0][0].article_id == 1
    assert batch[1][0].target_actor == "POL" and batch[1][0].article_id == 2


def test_family_prior_fits_saves_loads_and_ranks(tmp_path):
    texts = ["troops shelled the town", "artillery shelled the village", "rockets hit the city",
             "ministers praised the deal", "leaders praised the accord", "envoys praised talks",
             "the army attacked positions", "the leaders welcomed the pact"] * 2
    labels = [4, 4, 4, 1, 1, 1, 4, 1] * 2
    extra = ["a statement was issued", "officials issued a statement", "aid was delivered",
             "food aid was delivered", "they accused the envoy", "they accused the ministers"]
    prior = FamilyPrior.fit(texts + extra * 2, labels + [0, 0, 2, 2, 3, 3] * 2)
    proba = prior.predict_proba(["troops shelled the city"])
    assert proba.shape == (1, 5) and proba[0].argmax() == 4
    prior.save(tmp_path / "prior.json")
    again = FamilyPrior.load(tmp_path / "prior.json")
    assert abs(again.predict_proba(["troops shelled the city"])[0][4] - proba[0][4]) < 1e-4
    ranked = Coder(prior=again).code("Poland praised Ukraine and attacked Russia.", "2024-01-01")
    assert ranked and ranked[0].event_type in ("FIGHT", "ASSAULT", "SUPPORT")


def test_joint_non_exchange_actions_are_not_coded_against_each_other():
    coder = default_coder()
    joint = coder.code("Russia and Belarus rejected the new sanctions.", "2024-01-10", "en")
    assert joint and all(r.target_actor is None for r in joint)
    assert {r.source_actor for r in joint} <= {"RUS", "BLR", "RUS.GOV", "BLR.GOV"}
    talks = coder.code("Russia and Belarus held talks.", "2024-01-10", "en")
    assert {(r.source_actor, r.target_actor) for r in talks} >= {("RUS", "BLR"), ("BLR", "RUS")}


def test_packaged_type_training_file_is_well_formed():
    rows = training_rows()
    counts = Counter(r["type"] for r in rows)
    assert len(counts) == 18 and min(counts.values()) >= 30
    assert all(r[k] in r["text"] for r in rows for k in ("source", "target") if r.get(k))
    assert len({r["text"] for r in rows}) == len(rows)


def test_type_model_reads_the_event_off_the_whole_sentence():
    model = default_type_model()
    proba = model.predict_proba([
        "Tens of thousands of demonstrators marched through the capital on Sunday, chanting "
        "slogans against the government.",
        "The two foreign ministers held talks in Geneva on Tuesday.",
    ])
    assert [model.types[i] for i in proba.argmax(axis=1)] == ["PROTEST", "CONSULT"]


def test_type_model_can_overrule_the_verb_dictionary():
    """Expelling diplomats is SANCTION in PLOVER; the CAMEO verb entry for "expel" says COERCE.
    The model, reading the whole sentence, overrules it (and says so in ``rule``); a sentence
    the rules code plainly stays as it is."""
    rules, both = Coder(), Coder(type_model=default_type_model())
    plain = "Russia and Belarus held talks in Minsk."
    assert [r.event_type for r in both.code(plain)] == [r.event_type for r in rules.code(plain)]
    expel = "Russia expelled two Polish diplomats."
    assert [r.event_type for r in rules.code(expel)] == ["COERCE"]
    coded = both.code(expel, datetime(2024, 1, 1))
    assert [r.event_type for r in coded] == ["SANCTION"]
    assert coded[0].meta["rule"].startswith("model:") and coded[0].source_actor


def test_a_target_named_by_its_role_takes_the_country_of_a_domestic_event(coder):
    """"Opposition supporters", "an army checkpoint": no country is named, so, as CAMEO and
    PLOVER coders do, the agent takes the source's country, with its own sector."""
    [rec] = coder.code("Kenyan police arrested 12 opposition supporters in Nairobi.", "2010-05-01")
    assert (rec.source_actor, rec.event_type, rec.target_actor) == ("KEN", "COERCE", "KEN")
    assert rec.meta["target_sector"] == "opposition" and rec.meta["source_sector"] != "opposition"
    [rec] = coder.code("Syrian rebels attacked an army checkpoint near Aleppo.", "2012-05-01")
    assert rec.target_actor == "SYR" and rec.meta["target_sector"] == "military"


@pytest.mark.parametrize("text,when,src,tgt", [
    ("Russia will station nuclear weapons in Belarus.", "2023-03-25", "RUS", "BLR"),
    ("Russia deployed tactical nuclear weapons to Belarus.", "2023-06-16", "RUS", "BLR"),
    ("The United States will station more troops in Poland.", "2022-06-29", "USA", "POL"),
])
def test_forces_hosted_by_an_ally_are_cooperation_not_a_threat(coder, text, when, src, tgt):
    """Deploying or stationing forces in an ally's territory (members of one military alliance
    on the day: NATO, CSTO, the Union State) is done with the host: material cooperation."""
    rec = first(coder, text, when)
    assert (rec.source_actor, rec.target_actor) == (src, tgt)
    assert rec.event_type == "COOPERATE"
    assert rec.meta["family"] == plover.MATERIAL_COOPERATION


def test_forces_sent_toward_a_non_ally_stay_conflict(coder):
    rec = first(coder, "Russia will deploy troops to Ukraine's border.", "2021-11-10")
    assert rec.source_actor == "RUS" and rec.target_actor == "UKR"
    assert plover.is_conflict(rec.event_type)
    rec = first(coder, "Russia deployed troops in Ukraine.", "2022-03-01")
    assert rec.event_type == "MOBILIZE" and rec.target_actor == "UKR"


def test_a_cited_reason_is_neither_an_event_nor_a_target(coder):
    recs = coder.code("Belarus agreed to deploy troops, citing threats from Ukraine.",
                      "2022-10-10")
    assert recs and all(r.target_actor != "UKR" for r in recs)
    assert all(r.event_type != "THREATEN" for r in recs)
    assert recs[0].source_actor == "BLR" and recs[0].event_type == "AGREE"
    recs = coder.code("Poland closed a border crossing, citing threats from Belarus.",
                      "2023-08-10")
    assert recs and recs[0].source_actor == "POL"
    assert all(r.target_actor != "BLR" and r.event_type != "THREATEN" for r in recs)


@pytest.mark.parametrize("text", [
    "Lukashenko won the presidential election in Belarus.",
    "Lukashenko won the presidential election in Belarus with Russia's backing.",
    "Lukashenko, a close ally of Russia, won the presidential election in Belarus.",
    "Lukashenko won the election in Belarus, defeating Tsikhanouskaya.",
])
def test_a_domestic_election_result_is_no_act_toward_another_state(text):
    for coder in (default_coder(), Coder(require_source=False)):
        for rec in coder.code(text, "2020-08-10"):
            assert rec.target_actor in (None, "BLR", "BLR.GOV"), rec
            assert not (rec.event_type == "SUPPORT" and rec.target_actor in ("RUS", "RUS.GOV"))
            assert rec.event_type not in ("FIGHT", "SUPPORT")


def test_a_place_in_the_source_country_is_not_its_target(coder):
    """"in Russia" names where a Russian actor acted, not whom it acted on."""
    rec = first(coder, "Putin met business leaders in Russia.", "2023-06-01")
    assert rec.event_type == "CONSULT" and rec.target_actor is None
    rec = first(coder, "Lukashenko pardoned 30 prisoners in Belarus.", "2023-06-01")
    assert rec.target_actor == "BLR" and rec.meta["target_text"] == "prisoners"
    # a place abroad still is
    rec = first(coder, "Russia stationed troops in Belarus.", "2023-01-01")
    assert rec.target_actor == "BLR"


def test_a_city_named_after_in_says_where_not_to_whom(coder):
    """"held talks … in Sochi": Sochi (a place, resolved as Russia) is where the talks were,
    not a party to them; a city that is acted on ("struck Kharkiv") still stands for its
    country."""
    talks = coder.code("Russia and Belarus held talks on energy prices in Sochi.")
    assert {(r.source_actor, r.target_actor) for r in talks} == {("RUS", "BLR"), ("BLR", "RUS")}
    [strike] = coder.code("Russian missiles struck Kharkiv.")
    assert (strike.source_actor, strike.target_actor) == ("RUS", "UKR")
