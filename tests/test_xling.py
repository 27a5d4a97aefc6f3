"""Cross-language event linking: the language-independent keys, the day gate, the pair model,
and the clusterer using them (storyline.cluster.xling)."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from storyline.cluster.events import ClusterConfig, EventClusterer
from storyline.cluster.xling import (
    CrossLingualKeys,
    CrossLingualModel,
    cognate_stems,
    days_agree,
    extract_keys,
    numbers_in,
    pair_features,
)
from storyline.enrich.embed import HashingEmbedder, USEEmbedder
from storyline.model import Article, Event

DAY = date(2024, 7, 17)
T0 = datetime(2024, 7, 17, 9, 0, tzinfo=UTC)

VISA_RU = Article(
    id=1, published=T0, lang="ru", source="ТАСС",
    title="Белоруссия отменила визы для граждан 35 европейских стран",
    text="Александр Лукашенко подписал указ о безвизовом въезде в Белоруссию для граждан 35 "
         "европейских стран. Указ действует с 19 июля.")
VISA_BE = Article(
    id=2, published=T0 + timedelta(hours=2), lang="be", source="Наша Ніва",
    title="Лукашэнка адмяніў візы для грамадзянаў 35 краінаў Еўропы",
    text="Аляксандр Лукашэнка падпісаў указ аб бязвізавым уездзе для грамадзянаў 35 краінаў "
         "Еўропы з 19 ліпеня.")
VISA_EN = Article(
    id=3, published=T0 + timedelta(hours=20), lang="en", source="Reuters",
    title="Belarus opens visa-free entry to citizens of 35 European countries",
    text="Belarusian President Alexander Lukashenko signed a decree letting citizens of 35 "
         "European countries enter Belarus without a visa from July 19.")
FLOOD_IT = Article(
    id=4, published=T0 + timedelta(hours=3), lang="it", source="ANSA",
    title="Alluvione in Emilia-Romagna, evacuate mille persone",
    text="Forti piogge hanno causato esondazioni a Faenza e Cesena; la protezione civile ha "
         "evacuato mille persone.")
# The same two leaders a month later: another happening, whatever the words share.
SUMMIT_LATER_RU = Article(
    id=5, published=T0 + timedelta(days=33), lang="ru", source="БелТА",
    title="Лукашенко и Путин провели переговоры в Минске",
    text="Александр Лукашенко и Владимир Путин провели переговоры в Минске 19 августа.")


def test_numbers_leave_out_years_and_small_counts() -> None:
    assert numbers_in("35 European countries in 2024, 1,200 troops, 2 sides") == {"35", "1200"}


def test_keys_resolve_every_spelling_of_an_actor_to_one_id() -> None:
    en = extract_keys("Lukashenko signed the decree", DAY, "en")
    be = extract_keys("Лукашэнка падпісаў указ", DAY, "be")
    ru = extract_keys("Лукашенко подписал указ", DAY, "ru")
    assert en.actors and en.actors == be.actors == ru.actors


def test_day_gate_joins_a_preview_with_its_day_and_parts_a_month_apart() -> None:
    preview = extract_keys("Leaders to meet in Moscow on February 26", date(2026, 2, 24), "en")
    report = extract_keys("Лидеры встретились в Москве", date(2026, 2, 26), "ru")
    month_later = extract_keys("Лидеры встретились в Москве", date(2026, 3, 26), "ru")
    assert days_agree(preview, report)
    assert not days_agree(preview, month_later)
    # a report ten days later naming the first one's day tells a new happening (the drills
    # that began on 10 February are extended on the 20th)
    began = extract_keys("Russia and Belarus began joint drills", date(2022, 2, 10), "en")
    extended = extract_keys("Учения, начавшиеся 10 февраля, продлены", date(2022, 2, 20), "ru")
    assert date(2022, 2, 10).toordinal() in extended.days  # it names the first day ...
    assert not days_agree(began, extended)  # ... but was published ten days later


def test_pair_model_needs_content_evidence_not_only_the_same_day() -> None:
    model = CrossLingualModel()
    a = CrossLingualKeys(frozenset({"BLR", "PERSON:lukashenko"}), frozenset({"35"}),
                         frozenset(), 1)
    unrelated = CrossLingualKeys(frozenset({"ITA"}), frozenset(), frozenset(), 1)
    same = CrossLingualKeys(frozenset({"BLR", "PERSON:lukashenko"}), frozenset({"35"}),
                            frozenset(), 1)
    assert model.proba([pair_features(a, unrelated, 0.1)])[0] < 0.1
    assert model.proba([pair_features(a, same, 0.6)])[0] > 0.9


def test_cognates_are_one_stem_in_russian_ukrainian_and_belarusian() -> None:
    """"санкции", "санкції" and "санкцыі", "Пригожин" and "Прыгожын" share their spelling
    skeleton's stem; an English report has no Cyrillic stems at all."""
    ru = cognate_stems("Евросоюз утвердил пакет санкций, Пригожин погиб")
    uk = cognate_stems("Євросоюз затвердив пакет санкцій проти Росії")
    be = cognate_stems("Еўрасаюз зацвердзіў пакет санкцый, Прыгожын загінуў")
    assert {"санк", "паке", "евра"} <= ru & uk & be
    assert "приг" in ru & be
    assert cognate_stems("The EU adopted a sanctions package against Russia") == frozenset()
    assert cognate_stems("Санкции ЕС") == frozenset()  # too few words to call it Cyrillic


def test_a_pair_of_cyrillic_reports_is_judged_by_its_cognates() -> None:
    """Two Cyrillic reports go to the Cyrillic-pair model, which reads the shared stems; the
    same embedding and actors with no shared stems make a weaker pair. A pair with an English
    report has no cognates and is judged by the other model."""
    model = CrossLingualModel()
    ru = CrossLingualKeys(frozenset({"EU", "RUS"}), frozenset(), frozenset(), 1,
                          cognate_stems("Евросоюз утвердил одиннадцатый пакет санкций против "
                                        "России, направленный против обхода ограничений"))
    actors = frozenset({"EU", "RUS", "BLR", "LTU"})  # half of them shared
    be = CrossLingualKeys(actors, frozenset(), frozenset(), 1,
                          cognate_stems("Еўрасаюз зацвердзіў адзінаццаты пакет санкцый супраць "
                                        "Расіі, накіраваны супраць абыходу абмежаванняў"))
    other = CrossLingualKeys(actors, frozenset(), frozenset(), 1,
                             cognate_stems("Літва зачыніла два пункты пропуску на мяжы з "
                                           "Беларуссю праз мігрантаў"))
    en = CrossLingualKeys(actors, frozenset(), frozenset(), 1)
    cognate, unrelated = pair_features(ru, be, 0.3), pair_features(ru, other, 0.3)
    assert cognate[3] == unrelated[3] == 1.0 and cognate[4] > 0.25 > unrelated[4]
    assert model.proba([cognate])[0] > 0.5 > model.proba([unrelated])[0]
    assert pair_features(ru, en, 0.3)[3:5] == [0.0, 0.0]


def test_what_two_reports_tell_is_read_across_languages_by_concept() -> None:
    """Russia and the US, the same day: Putin's suspension of the plutonium agreement and the
    US suspension of the Syria talks share their actors and their day. What each is about — an
    agreement, or talks over a ceasefire — is named in every language by the search lexicon's
    concepts: the pair that shares them is one happening, the other would be only if it
    told the same concept."""
    day = date(2016, 10, 3)
    ru = extract_keys("Путин приостановил соглашение с США об утилизации плутония", day, "ru")
    en = extract_keys("Putin suspends plutonium agreement with the United States", day, "en")
    talks = extract_keys("US suspends talks with Russia on a Syria ceasefire", day, "en")
    assert ru.concepts == en.concepts == {"agreement"}
    assert {"talks", "ceasefire"} <= talks.concepts
    same, other = pair_features(ru, en, 0.4), pair_features(ru, talks, 0.4)
    assert same[5] == 1.0 and other[5] == 0.0
    model = CrossLingualModel()
    assert model.proba([same])[0] > 0.5 > model.proba([other])[0]
    assert model.proba([[*other[:5], 1.0, *other[6:]]])[0] > 0.5  # the same concept: joins


def test_keys_round_trip_through_json() -> None:
    keys = extract_keys("Евросоюз утвердил одиннадцатый пакет санкций против России 23 июня",
                        DAY, "ru")
    assert keys.stems and keys.actors
    assert CrossLingualKeys.from_json(json.loads(json.dumps(keys.to_json()))) == keys


def _clusterer(**kw: object) -> EventClusterer:
    return EventClusterer(ClusterConfig(**kw), HashingEmbedder())


def test_reports_in_three_languages_are_one_event_and_others_stay_apart() -> None:
    res = _clusterer().assign([VISA_RU, VISA_BE, VISA_EN, FLOOD_IT, SUMMIT_LATER_RU])
    ids = [r.event_id for r in res]
    assert ids[0] == ids[1] == ids[2]
    assert len({ids[0], ids[3], ids[4]}) == 3


def test_without_the_model_the_embedding_proxy_alone_decides() -> None:
    """The switch is real: with ``xling_model=None`` (the earlier behaviour) the hashing
    embedder, which knows no translations, cannot carry the Belarusian report over."""
    res = _clusterer(xling_model=None).assign([VISA_RU, VISA_BE, VISA_EN])
    assert len({r.event_id for r in res}) > 1


def test_cross_language_keys_survive_the_stored_state() -> None:
    c = _clusterer()
    first = c.assign([VISA_RU])[0]
    stored = [Event(**{**e.__dict__, "state": json.loads(json.dumps(e.state))})
              for e in c.changed_events()]
    assert "x" in stored[0].state["members"][0]
    fresh = _clusterer()
    fresh.load(stored, json.loads(json.dumps(c.model_state())))
    assert fresh.assign([VISA_EN])[0].event_id == first.event_id


@pytest.mark.slow
def test_with_the_multilingual_encoder() -> None:
    c = EventClusterer(ClusterConfig(), USEEmbedder())
    ids = [r.event_id for r in c.assign([VISA_RU, VISA_BE, VISA_EN, FLOOD_IT, SUMMIT_LATER_RU])]
    assert ids[0] == ids[1] == ids[2]
    assert len({ids[0], ids[3], ids[4]}) == 3


RESUMES_RU = Article(
    id=20, published=datetime(2022, 11, 2, 9, 0, tzinfo=UTC), lang="ru", source="ТАСС",
    title="Россия возобновляет участие в зерновой сделке",
    text="Министерство обороны России в среду объявило, что Россия возобновляет участие в "
         "зерновой сделке после гарантий Украины не использовать коридор для военных целей. "
         "Посредником выступила Турция.")
RESUMES_UK = Article(
    id=21, published=datetime(2022, 11, 2, 13, 0, tzinfo=UTC), lang="uk", source="Укрінформ",
    title="Росія повертається до зернової угоди",
    text="Росія в середу заявила, що повертається до участі в зерновій угоді після гарантій "
         "України щодо коридору. Посередником виступила Туреччина.")


class _UnrelatedEmbedder:
    """Every text its own random direction: an encoder that knows neither language."""

    name = "unrelated"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.stack([np.random.default_rng(zlib.crc32(t.encode("utf-8"))).normal(size=64)
                        for t in texts]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_cyrillic_report_meets_the_other_languages_reports_of_its_days() -> None:
    """Candidates are pre-selected on words, name keys and the embedding; the Ukrainian report
    shares none of its written names with the Russian one ("Росія", "Россия"), and this
    encoder knows neither language. The Russian reports of its days are candidates all the same,
    and the Cyrillic-pair model joins the two on their actors and cognates."""
    res = EventClusterer(ClusterConfig(), _UnrelatedEmbedder()).assign([RESUMES_RU, RESUMES_UK])
    assert res[0].event_id == res[1].event_id


def test_the_time_between_two_reports_weighs_against_one_happening() -> None:
    """Russia's expulsion of US diplomats the day after the US expelled Russia's: the same
    actors, the same concept, the same embedding — only the time between the reports tells
    them apart. A report published a day later scores lower than one of the same afternoon;
    one that names the other's day ("on Thursday") is as close as that day."""
    day = date(2021, 4, 15)
    us = extract_keys("US expels ten Russian diplomats and imposes sanctions", day, "en")
    ru_next = extract_keys("Россия высылает десять американских дипломатов", day + timedelta(1),
                           "ru")
    ru_named = extract_keys("В четверг США выслали десять российских дипломатов",
                            day + timedelta(1), "ru")
    assert days_agree(us, ru_next) and days_agree(us, ru_named)
    same_day = pair_features(us, ru_next, 0.5, gap_days=0.2)
    next_day = pair_features(us, ru_next, 0.5, gap_days=1.1)
    assert same_day[6] == pytest.approx(0.2) and next_day[6] == 1.0  # days named: none
    assert pair_features(us, ru_named, 0.5, gap_days=1.1)[6] == 0.0  # it names Thursday
    later = extract_keys("Россия высылает десять американских дипломатов", day + timedelta(9),
                         "ru")
    assert pair_features(us, later, 0.5, gap_days=9.0)[6] == 3.0  # at most MAX_GAP_DAYS
    model = CrossLingualModel()
    p_same, p_next = model.proba([same_day, next_day])
    assert p_same > ClusterConfig().xling_threshold > p_next
