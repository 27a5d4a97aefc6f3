"""End-to-end: ``storyline search`` across languages (issue #14), as a user runs it.

An actor's name finds the reports that spell it in any of the four languages, and says what it
searched and which spelling found each report; a Russian word finds the English reports that
use its equivalent.
"""

from __future__ import annotations

from cli import run, run_json, write_jsonl

ROWS = [
    {"id": "en1", "lang": "en", "date": "2024-07-17", "source": "Reuters",
     "url": "https://en.example/1", "title": "Lukashenko scraps visas for 35 European countries",
     "text": "Belarus will let citizens of 35 European countries in without a visa."},
    {"id": "ru1", "lang": "ru", "date": "2024-07-17", "source": "БелТА",
     "url": "https://ru.example/1", "title": "Лукашенко отменил визы для граждан 35 стран",
     "text": "Президент подписал указ о безвизовом въезде."},
    {"id": "be1", "lang": "be", "date": "2024-07-18", "source": "Радыё Свабода",
     "url": "https://be.example/1", "title": "Лукашэнка адмяніў візы для грамадзянаў Еўропы",
     "text": "Урады суседніх краінаў раней раілі не ехаць у Беларусь, пакуль там правіць "
             "Лукашэнка."},
    {"id": "en2", "lang": "en", "date": "2022-03-07", "source": "Reuters",
     "url": "https://en.example/2", "title": "Russia publishes list of 'unfriendly' countries",
     "text": "The list includes the United States and all European Union members."},
    {"id": "en3", "lang": "en", "date": "2023-09-12", "source": "AP",
     "url": "https://en.example/3", "title": "Flood in Derna",
     "text": "Two dams burst after the storm."},
]


def store_with_reports(tmp_path):
    db = tmp_path / "s.db"
    run(db, "init", "--no-feeds")
    run(db, "ingest", str(write_jsonl(tmp_path / "r.jsonl", ROWS)), "--ingest-only")
    return db


def test_search_by_name_finds_every_language_and_shows_the_alias(tmp_path):
    db = store_with_reports(tmp_path)
    out = run(db, "search", "Lukashenko").stdout
    assert out.startswith("Lukashenko → Alexander Lukashenko (BLR leader): also searched")
    assert "Лукашенко" in out.split("\n")[0] and "Лукашэнка" in out and "Lukashenka" in out
    for row in ROWS[:3]:
        assert row["title"] in out
    assert "matched: Лукашэнка → Alexander Lukashenko (BLR leader)" in out
    assert "Flood in Derna" not in out and "unfriendly" not in out
    hits = run_json(db, "search", "Лукашэнку")
    assert sorted(h["lang"] for h in hits) == ["be", "en", "ru"]
    assert {m for h in hits for m in h["matched"]} == {
        "Lukashenko → Alexander Lukashenko (BLR leader)",
        "Лукашенко → Alexander Lukashenko (BLR leader)",
        "Лукашэнка → Alexander Lukashenko (BLR leader)"}


def test_a_russian_word_finds_the_english_report(tmp_path):
    db = store_with_reports(tmp_path)
    out = run(db, "search", "недружественных").stdout
    assert out.startswith("недружественных → unfriendly: also searched unfriendly")
    assert "Russia publishes list of 'unfriendly' countries" in out
    assert "matched: unfriendly → недружественных" in out
    hits = run_json(db, "search", "недружественных")
    assert [h["title"] for h in hits] == ["Russia publishes list of 'unfriendly' countries"]


def test_plain_words_are_searched_as_before(tmp_path):
    db = store_with_reports(tmp_path)
    out = run(db, "search", "zzzunknownzzz").stdout
    assert out.strip() == "no matches"  # nothing widened, nothing said
    hits = run_json(db, "search", "storm")
    assert [h["title"] for h in hits] == ["Flood in Derna"] and hits[0]["matched"] == []
    assert run(db, "search", 'NEAR("a" -b) OR *').returncode == 0


def test_the_demo_finds_every_report_that_names_lukashenko(demo_db):
    """The demo corpus names him in 26 original reports, as Lukashenko, Lukashenka, Лукашенко
    and Лукашэнка; the plain word found 11 of them."""
    hits = run_json(demo_db, "search", "Lukashenko", "--limit", "100")
    named = [h for h in hits if not h["matched"][0].startswith("coded record")]
    assert len(named) == 26
    assert {h["lang"] for h in hits} == {"en", "ru", "be", "uk"}
    spellings = {m.split(" → ")[0] for h in hits for m in h["matched"]}
    assert {"Lukashenko", "Lukashenka", "Лукашенко", "Лукашэнка"} <= spellings


def test_a_belarusian_spelling_of_a_name_is_found_through_its_coded_record(tmp_path):
    """The gazetteer lists Prigozhin's Russian and Ukrainian spellings, not the Belarusian
    "Прыгожын": the resolver reads it through the spelling skeleton, the report is coded with
    him, and searching his English name finds it and says how."""
    db = tmp_path / "p.db"
    run(db, "init", "--no-feeds")
    run(db, "ingest", str(write_jsonl(tmp_path / "p.jsonl", [
        {"id": "be2", "lang": "be", "date": "2023-06-24", "source": "БелТА",
         "url": "https://be.example/2", "title": "Лукашэнка правёў перамовы з Прыгожыным",
         "text": "Аляксандр Лукашэнка ў суботу правёў перамовы з Яўгенам Прыгожыным па "
                 "ўзгадненні з Уладзімірам Пуціным, паведаміла прэс-служба."}])))
    out = " ".join(run(db, "search", "Prigozhin").stdout.split())
    assert "перамовы з Прыгожыным" in out
    assert "matched: coded record → Yevgeny Prigozhin" in out
