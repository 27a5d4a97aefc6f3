"""End-to-end: ``storylines``, ``storyline ID`` and ``timeline ID`` over a real SQLite file.

Articles go in through the real CLI (``ingest``); events and storylines are then built in-process
with the model-free ``HashingEmbedder`` (the pipeline's default encoder is a real model), unless
the pipeline already linked them; every read goes through the CLI in a subprocess.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from cli import run, run_json, write_jsonl

from storyline.cluster.stage import ClusterStage
from storyline.cluster.storyline_stage import StorylineStage
from storyline.enrich.embed import HashingEmbedder
from storyline.model import Storyline
from storyline.store.sqlite import SQLiteStore

VOCAB = {
    "war": "rebels Gaddafi Tripoli Benghazi NATO airstrikes Misrata ceasefire brigades".split(),
    "spill": "BP Deepwater Horizon wellhead Louisiana cleanup dispersant barrels Hayward".split(),
}
FILLER = "officials said the forces near the coast would continue their work".split()


def corpus(days: int = 6, seed: int = 4) -> list[dict]:
    """Two stories, one article each per day, with dated sentences the timeline can place."""
    rng = random.Random(seed)
    rows = []
    start = date(2024, 4, 1)
    for d in range(days):
        day = start + timedelta(days=d)
        for story, words in VOCAB.items():
            sentences = [
                f"On {day:%B} {day.day}, " + " ".join(
                    rng.choice(words) if rng.random() < 0.6 else rng.choice(FILLER)
                    for _ in range(12)) + "."
                for _ in range(3)
            ]
            rows.append({"id": f"{story}{d}", "title": " ".join(rng.sample(words, 5)),
                         "text": " ".join(sentences), "date": day.isoformat(), "lang": "en",
                         "source": f"{story} wire {d % 2}",
                         "url": f"https://{story}.example/{d}"})
    return rows


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("storylines")
    path = tmp / "s.db"
    run(path, "ingest", str(write_jsonl(tmp / "in.jsonl", corpus())), "--ingest-only")
    store = SQLiteStore(path)
    ClusterStage(store, embedder=HashingEmbedder()).run()
    StorylineStage(store).run()
    first = store.storylines(min_events=1)[0]
    # an id merged away earlier must still resolve
    store.save_storylines([Storyline(id="sl999", state={"merged_into": first.id},
                                     lifecycle="merged")])
    store.close()
    return path


def test_storylines_lists_every_storyline_with_its_summary(db):
    rows = run_json(db, "storylines")
    assert rows, "no storylines"
    assert {"id", "title", "label", "lifecycle", "momentum", "events", "articles"} <= rows[0].keys()
    assert sum(r["articles"] for r in rows) == 12
    assert [r["momentum"] for r in rows] == sorted((r["momentum"] for r in rows), reverse=True)
    assert "sl999" not in {r["id"] for r in rows}
    human = run(db, "storylines").stdout
    assert rows[0]["id"] in human and rows[0]["lifecycle"] in human


def test_storyline_shows_events_and_why_they_belong(db):
    top = run_json(db, "storylines")[0]
    one = run_json(db, "storyline", top["id"])
    assert one["id"] == top["id"] and one["merged_from"] is None
    assert len(one["events"]) == top["events"]
    first, *rest = one["events"]
    assert first["reasons"].get("new_storyline") or "split_from" in first["reasons"]
    for e in rest:
        assert e["reasons"]["score"] >= e["reasons"]["threshold"] or "split_from" in e["reasons"]
    assert top["id"] in run(db, "storyline", top["id"]).stdout


def test_merged_id_resolves_to_the_survivor(db):
    top = run_json(db, "storylines")[0]
    via = run_json(db, "storyline", "sl999")
    assert via["merged_from"] == "sl999" and via["id"] != "sl999"
    assert "was merged into" in run(db, "storyline", "sl999").stderr
    assert top["id"]  # listing unaffected


def test_timeline_cites_articles_of_the_storyline(db):
    top = run_json(db, "storylines")[0]
    tl = run_json(db, "timeline", top["id"])
    assert tl["timeline"], "no timeline entries"
    members = {e["id"] for e in run_json(db, "storyline", top["id"])["events"]}
    store = SQLiteStore(db)
    try:
        allowed = {a.id for e in members for a in store.articles(event_id=e)}
    finally:
        store.close()
    dates = [entry["date"] for entry in tl["timeline"]]
    assert dates == sorted(dates)
    for entry in tl["timeline"]:
        for sentence in entry["sentences"]:
            assert sentence["article_id"] in allowed and sentence["text"]
    assert "[article" in run(db, "timeline", top["id"]).stdout


def test_unknown_storyline_is_a_clear_error(db):
    proc = run(db, "storyline", "nope", check=False)
    assert proc.returncode == 1 and "no storyline nope" in proc.stderr
    assert "Traceback" not in proc.stderr


def _report(rid: str, date: str, lang: str, source: str, title: str, text: str) -> dict:
    return {"id": rid, "date": date, "lang": lang, "source": source, "title": title,
            "text": text}


PRIGOZHIN_IN_BELARUS = [
    _report("pz-be-1", "2023-06-27T11:00:00+03:00", "be", "Белсат",
            "Лукашэнка: Прыгожын прыляцеў у Беларусь",
            "Аляксандр Лукашэнка заявіў у аўторак, што кіраўнік ПВК «Вагнер» Яўген Прыгожын "
            "прыляцеў у Беларусь. Па словах Лукашэнкі, 8000 байцоў «Вагнера» могуць "
            "размясціцца ў Беларусі."),
    _report("pz-be-2", "2023-06-27T12:30:00+03:00", "be", "Наша Ніва",
            "Прыгожын у Беларусі, пацвердзіў Лукашэнка",
            "Яўген Прыгожын знаходзіцца ў Беларусі, заявіў у аўторак Аляксандр Лукашэнка. Ён "
            "дадаў, што Беларусь можа прыняць 8000 байцоў «Вагнера»."),
    _report("pz-en", "2023-06-27T13:00:00+03:00", "en", "Reuters",
            "Lukashenko says Wagner chief Prigozhin has arrived in Belarus",
            "Belarusian President Alexander Lukashenko said on Tuesday that Wagner Group chief "
            "Yevgeny Prigozhin had arrived in Belarus, and that 8,000 Wagner fighters could be "
            "based there."),
    _report("gas-ru", "2023-07-10T10:00:00+03:00", "ru", "Интерфакс",
            "Газпром сократил экспорт газа в Китай из-за ремонта",
            "Газпром в понедельник временно сократил поставки газа в Китай по газопроводу "
            "«Сила Сибири» из-за плановых ремонтных работ, сообщили в компании."),
]


def test_storylines_with_an_english_report_are_listed_in_english(tmp_path):
    """The README: storylines are titled and labelled in English when any of their reports is,
    else in their reports' language. Two Belarusian reports and a Reuters one of Prigozhin's
    arrival in Belarus are listed under the English headline and English names (they were
    "Wagner Group, Лукашэнка, …" under a Belarusian headline); a report told only in Russian
    keeps its Russian headline and names."""
    db = tmp_path / "pz.db"
    run(db, "ingest", str(write_jsonl(tmp_path / "pz.jsonl", PRIGOZHIN_IN_BELARUS)))
    listed = {s["title"]: s["label"] for s in run_json(db, "storylines")}
    english = "Lukashenko says Wagner chief Prigozhin has arrived in Belarus"
    assert english in listed, listed
    assert "Lukashenko" in listed[english] and "Prigozhin" in listed[english]
    assert not any("а" <= ch <= "я" or ch in "ўі" for ch in listed[english].lower())
    russian = "Газпром сократил экспорт газа в Китай из-за ремонта"
    assert "Газпром" in listed[russian], listed


NUCLEAR_DRILLS = [
    _report("nd-en-1", "2024-05-06T12:00:00+01:00", "en", "Reuters",
            "Russia to hold tactical nuclear weapons drills near Ukraine",
            "Russia said on Monday it would hold military drills with tactical nuclear weapons "
            "in its Southern Military District, on the orders of President Vladimir Putin, in "
            "response to what it called threats from Western officials."),
    _report("nd-en-2", "2024-05-06T15:00:00+01:00", "en", "AP",
            "Putin orders drills with tactical nuclear weapons",
            "President Vladimir Putin ordered Russia's military to hold drills with tactical "
            "nuclear weapons near Ukraine, the Defence Ministry said on Monday, citing "
            "provocative statements by Western officials."),
    _report("nd-uk", "2024-05-21T12:00:00+03:00", "uk", "Радіо Свобода",
            "Росія розпочала перший етап навчань із тактичною ядерною зброєю",
            "Російські військові у вівторок почали перший етап навчань із нестратегічною "
            "ядерною зброєю в Південному військовому окрузі, повідомило Міноборони Росії. "
            "Володимир Путін наказав провести навчання на початку травня."),
    _report("nd-ru", "2024-05-21T13:00:00+03:00", "ru", "РИА Новости",
            "В ЮВО начался первый этап учений с нестратегическим ядерным оружием",
            "В Южном военном округе во вторник начался первый этап учений по применению "
            "нестратегического ядерного оружия, сообщило Минобороны России. Учения проводятся "
            "по решению Владимира Путина."),
]


def test_a_development_told_only_in_other_languages_is_labelled_by_what_its_headlines_name(
        tmp_path):
    """The README: a development reported only in Russian, Belarusian or Ukrainian, with no
    coded action to render, is labelled by who its headline names first and the domain words
    it uses, named in English — not "Ukrainian- and Russian-language reports"."""
    db = tmp_path / "nd.db"
    run(db, "ingest", str(write_jsonl(tmp_path / "nd.jsonl", NUCLEAR_DRILLS)))
    stories = run_json(db, "storylines")
    top = max(stories, key=lambda s: s["articles"])
    brief = run(db, "brief", top["id"]).stdout
    # the newest development, told only in Ukrainian and Russian, is the main event here
    assert "## Main Event: Russia: drills, nuclear weapons" in brief, brief
    # ... and the headline says so before quoting the original
    headline = next(line for line in brief.splitlines() if line.startswith("**"))
    assert "Russia: drills, nuclear weapons — “" in headline, headline
    assert "## Main Event: Ukrainian- and Russian-language reports" not in brief


BORDER_CLOSURE = [
    _report("fi-en-1", "2023-11-16T14:00:00+02:00", "en", "Yle News",
            "Finland to close four eastern border crossings",
            "The government decided on Thursday to shut four crossing points on the border with "
            "Russia from midnight on Friday, citing a surge of asylum seekers."),
    _report("fi-en-2", "2023-11-16T16:00:00+02:00", "en", "Reuters",
            "Finland shuts four Russia border crossings over asylum seekers",
            "Finland said on Thursday it would close four crossing points on its border with "
            "Russia, saying Moscow was helping asylum seekers without documents reach it."),
]


def test_a_brief_dates_a_measures_start_still_to_come(tmp_path):
    """The README's brief-defects row: "decided on Thursday to shut … from midnight on Friday"
    in a Thursday report is the next day, and the brief anchors it so (it was anchored to the
    Friday before)."""
    db = tmp_path / "fi.db"
    run(db, "ingest", str(write_jsonl(tmp_path / "fi.jsonl", BORDER_CLOSURE)))
    (story,) = run_json(db, "storylines")
    brief = run(db, "brief", story["id"]).stdout
    assert "from midnight on Friday (17 November 2023)" in brief, brief
    assert "(10 November 2023)" not in brief
