"""End-to-end: ingest a small invented corpus (clustering + event coding), then query actors,
an actor card, a dyad's weekly series and the coordination of two actors through the CLI."""

from __future__ import annotations

import pytest
from cli import run, run_json, write_jsonl

# Invented for this test: plausible wire-style sentences, not taken from any source.
ARTICLES = [
    ("Counter-sanctions announced",
     "Russia imposed counter-sanctions on Poland and Lithuania on Monday. The measures cover "
     "food imports and the transit of goods.", "2024-03-04"),
    ("Minsk follows Moscow",
     "Belarus imposed counter-sanctions on Poland and Lithuania on Thursday. The government "
     "said the step answered new border restrictions.", "2024-03-07"),
    ("Union State talks",
     "Russia and Belarus held talks on energy prices in Sochi. Officials of both sides "
     "described the meeting as constructive.", "2024-03-05"),
    ("Warsaw protests",
     "Poland condemned Belarus over the closure of a border crossing. The foreign ministry "
     "summoned the chargé d'affaires.", "2024-03-12"),
    ("Grain shipment",
     "Russia sent grain to Belarus after a poor harvest. The cargo arrived by rail.",
     "2024-03-13"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("actors")
    rows = [{"id": f"a{i}", "title": t, "text": x, "date": d, "lang": "en",
             "source": f"Wire {i}", "url": f"https://wire{i}.example/story/{i}"}
            for i, (t, x, d) in enumerate(ARTICLES)]
    path = write_jsonl(tmp / "in.jsonl", rows)
    database = tmp / "s.db"
    run(database, "init", "--no-feeds")
    run(database, "ingest", str(path))
    return database


def test_actors_lists_coded_actors_by_kind(db):
    out = run_json(db, "actors")
    countries = {r["id"]: r for r in out["kinds"]["country"]}
    assert {"RUS", "BLR", "POL", "LTU"} <= set(countries)
    assert countries["RUS"]["as_source"] >= 2 and countries["POL"]["as_target"] >= 2
    assert out["records"] >= 6


def test_actor_card_in_friendly_forms(db):
    card = run_json(db, "actor", "Россия", "--on", "2024-03-10")
    assert card["id"] == "RUS" and card["kind"] == "country"
    assert "Россия" in card["names"]["ru"]
    assert {"role": "hos", "holder": "PERSON:putin", "name": "Vladimir Putin"} in card["offices"]
    partners = {p["id"]: p for p in card["partners"]}
    assert partners["BLR"]["cooperation"] >= 2 and partners["POL"]["conflict"] >= 1
    lst = run_json(db, "actor", "list:ru-430-r", "--on", "2022-04-01")
    assert lst["id"] == "LIST:RU-430-r" and "POL" in lst["members"]
    pol = run_json(db, "actor", "poland", "--on", "2022-04-01")
    assert "LIST:RU-430-r" in {x["id"] for x in pol["lists"]}


def test_unknown_actor_is_a_clear_error_with_close_matches(db):
    proc = run(db, "actor", "Belarusia", check=False)
    assert proc.returncode == 1
    assert "unknown actor 'Belarusia'" in proc.stderr and "BLR" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_relations_weekly_series_links_records_events_articles(db):
    out = run_json(db, "relations", "RUS", "belarus")
    assert (out["a"], out["b"]) == ("RUS", "BLR")
    points = out["points"]
    assert points and all(p["record_ids"] and p["article_ids"] and p["event_ids"]
                          for p in points)
    rus_blr = [p for p in points if (p["source"], p["target"]) == ("RUS", "BLR")]
    assert sum(p["cooperation"] for p in rus_blr) >= 2
    assert all(p["cooperation_intensity"] > 0 for p in rus_blr if p["cooperation"])
    assert run_json(db, "relations", "RUS", "BLR", "--since", "2024-03-11")["points"] != points


def test_coordination_of_counter_sanctions(db):
    out = run_json(db, "coordination", "Russia", "Belarus", "--window", "7")
    top = out["coordination"][0]
    assert top["type"] == "SANCTION" and top["targets"] == ["LTU", "POL"]
    assert 0 < top["score"] <= 1
    ev = top["evidence"][0]
    assert ev["gap_days"] == 3 and ev["a"]["article_id"] != ev["b"]["article_id"]
    assert "counter-sanctions" in ev["a"]["sentence"] and ev["a"]["source"] == "RUS"
    assert out["alignment"]["common_targets"] >= 2 and out["alignment"]["score"] == 1.0
    text = run(db, "coordination", "RUS", "BLR", "--window", "7").stdout
    assert "SANCTION toward LTU, POL" in text
    assert run_json(db, "coordination", "RUS", "BLR", "--window", "1")["coordination"] == []


def test_coordination_evidence_sides_follow_the_arguments(db):
    out = run_json(db, "coordination", "BLR", "RUS", "--window", "7")
    ev = out["coordination"][0]["evidence"][0]
    assert (out["a"], ev["a"]["source"], ev["b"]["source"]) == ("BLR", "BLR", "RUS")
