"""End-to-end: tracked storylines on the demo, through the real CLI (subprocesses) and the real
HTTP server: the demo's tracked storyline t1 and its brief (the summit pledge, both official
lists and their additions, the finding that both governments listed the same states),
``track`` / ``tracked`` / ``untrack``, the storyline page, the API and its Atom feed, and
re-running the analysis adding nothing."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from cli import copy_store, run, run_json
from test_web_support import running_server

from storyline.store.sqlite import SQLiteStore
from storyline.web.security import hash_token, new_token

TITLE = "Russia–Belarus coordinated push against 'unfriendly' states"
#: corpus ids of the reports of each government's list and of its additions, and the summit
RU_LIST = {"demo-006", "demo-007", "demo-008"}
BY_LIST = {"demo-014", "demo-015"}
RU_ADDITIONS = {"demo-018", "demo-019", "demo-020", "demo-021", "demo-024", "demo-025"}
SUMMIT = {"demo-115", "demo-116", "demo-117", "demo-118"}


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Path:
    """The demo's database (built once per session by ``storyline demo``; read only here)."""
    return demo_db


def corpus_ids(db: Path, article_ids: list[int]) -> set[str]:
    con = sqlite3.connect(db)
    try:
        marks = ",".join("?" * len(article_ids))
        return {row[0].removeprefix("corpus:") for row in con.execute(
            f"SELECT external_key FROM articles WHERE id IN ({marks})", article_ids)}
    finally:
        con.close()


def link_rows(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT tracked_id, event_id, score, reasons, linked "
                           "FROM tracked_links ORDER BY tracked_id, event_id").fetchall()
    finally:
        con.close()


def test_the_demo_tracks_the_russia_belarus_storyline_and_briefs_it(demo: Path) -> None:
    tracked = run_json(demo, "tracked")
    assert [t["id"] for t in tracked] == ["t1"]
    t1 = tracked[0]
    assert t1["title"] == TITLE and t1["actors"] == ["RUS", "BLR"]
    assert t1["terms"][:2] == ["unfriendly", "недружеств"] and t1["brief_version"] == 1
    listed = {s["id"]: s for s in run_json(demo, "storylines")}
    assert listed["t1"]["label"].startswith("tracked: RUS, BLR")  # marked in the listing
    one = run_json(demo, "storyline", "t1")
    assert one["events"] and all(e["reasons"]["tracked"] == "t1" for e in one["events"])

    body = run_json(demo, "brief", "t1")
    cited = {s["n"]: s["article_id"] for s in body["sources"]}
    sources = corpus_ids(demo, list(cited.values()))
    assert sources & RU_LIST and sources & BY_LIST  # reports of both governments' lists
    assert sources & RU_ADDITIONS and sources & SUMMIT  # the additions and the summit pledge
    assert "unfriendly" in body["headline"].lower() and "2026" in body["headline"]
    assert body["title"].startswith("Russia and Belarus")  # the actors it is tracked by
    finding = body["significance"][0]
    assert finding["text"].startswith("Both governments listed the same states")
    both = corpus_ids(demo, [cited[n] for n in finding["cites"]])
    assert both & RU_LIST and both & BY_LIST
    assert {"POL", "LTU", "LVA", "USA"} <= set(body["findings"][0]["states"])
    # each development with an English headline among its cited reports is labelled by the
    # main clause of one of them (README: "each development is labelled by its own headline")
    titles = {s["n"]: s["title"] for s in body["sources"]}
    for dev in body["developments"]:
        heads = [titles[n] for x in dev["sentences"] for n in x["cites"]
                 if titles[n].isascii()]
        if heads:
            assert any(h.startswith(dev["label"]) for h in heads), (dev["label"], heads)
    # "In summary" states the arc: since when and with what, how many, the newest
    first, newest = body["summary"]
    assert first["text"].startswith("Since 7 March 2022 (first: “") and first["composed"]
    assert "developments reported by" in first["text"] and "among them “" in first["text"]
    assert newest["text"].startswith("The newest, on 26 February 2026: ")
    # the agenda previewed two days before the council session is history, not its status
    assert all(x.get("note") or "is to review" not in x["text"] for x in body["outlook"])
    # related coverage: the sentence where a report ties itself to the story is quoted, an
    # earlier decree a gathered report refers back to and a step toward many listed states
    # are gathered, each saying why
    devs = {d["label"]: d for d in body["developments"]}
    tracks = next(d for label, d in devs.items() if label.startswith("Russia names 47"))
    assert any("unfriendly-countries list" in x["text"] for x in tracks["sentences"])
    assert tracks["reasons"]["terms_in_report"] == ["unfriendly"]
    decree = next(d for label, d in devs.items() if label.startswith("Putin eases residency"))
    assert decree["relation"] == "related"
    assert decree["reasons"]["reference"] == "Putin's August decree"
    visas = next(d for label, d in devs.items() if label.startswith("Belarus opens visa-free"))
    assert visas["reasons"]["list_states"]["BY-CoM-2022"]["of"] == 39
    # Russia's additions, reported only in Russian, are told in English by the territories
    # the reports name (README: "put Bermuda, the Cayman Islands, … on its list")
    additions = next(d for label, d in devs.items() if "added to Russia's official" in label)
    assert additions["label"].startswith("Bermuda, Cayman Islands and others")
    assert additions["sentences"][0]["text"].startswith(
        "The government of Russia put Bermuda, the Cayman Islands, the Falkland Islands, "
        "Montserrat and others on its list")
    told = additions["sentences"][0]["cites"]
    assert told and corpus_ids(demo, [cited[n] for n in told]) <= RU_ADDITIONS
    # a development's bullet opens with its report's news, not a reaction to it
    gas = next(d for label, d in devs.items() if label.startswith("Putin orders buyers"))
    assert gas["sentences"][0]["text"].startswith("President Vladimir Putin signed a decree")
    quoted = {x["text"] for d in body["developments"] for x in d["sentences"]}
    assert not quoted & {x["text"] for x in body["significance"]}  # said once
    # the brief as a user reads it
    text = run(demo, "brief", "t1").stdout
    assert "refers back to it as “Putin's August decree”" in text
    assert "its reports name 12 of the 39 states on Belarus's list of foreign states" in text
    # `coordination RUS BLR` tells both lists as one line per pair of records, not per state
    coordinated = run(demo, "coordination", "RUS", "BLR").stdout.splitlines()
    assert coordinated[0].startswith("SANCTION toward 39 states (ALB, AUS")
    assert coordinated[1].startswith("  39 states (") and "days apart" in coordinated[1]
    # and `storyline storyline t1` says why each was gathered
    why = run(demo, "storyline", "t1").stdout
    assert "as “Putin's August decree”" in why and "names 12 of the 39 states on BY-CoM-2022" in why
    assert "Both governments listed the same states" in text and "## Sources" in text
    assert "## In summary" in text and "(first: “" in text
    # the demo's automatic storylines are unchanged: the summit stays in the Union State one
    con = sqlite3.connect(demo)
    (automatic,) = con.execute(
        "SELECT e.storyline_id FROM articles a JOIN events e ON e.id = a.event_id "
        "WHERE a.external_key = 'corpus:demo-117'").fetchone()
    con.close()
    assert automatic.startswith("sl")


def test_rerunning_the_analysis_adds_no_links_and_no_brief(demo: Path, tmp_path: Path) -> None:
    demo = copy_store(demo, tmp_path / "rerun.db")
    before = link_rows(demo)
    versions = run_json(demo, "tracked")[0]["brief_version"]
    run(demo, "process")
    run(demo, "process")
    assert link_rows(demo) == before
    assert run_json(demo, "tracked")[0]["brief_version"] == versions


def test_track_tracked_and_untrack_through_the_cli(demo: Path, tmp_path: Path) -> None:
    db = copy_store(demo, tmp_path / "copy.db")
    made = run_json(db, "track", "Gas for roubles", "--terms", "rouble,рубл",
                    "--actors", "Russia")
    assert made["id"] == "t2" and made["actors"] == ["RUS"] and made["links"] >= 1
    assert made["brief_version"] == 1 and made["url"] == "/storylines/t2"
    assert run(db, "brief", "t2").stdout.startswith("# ")
    shown = run(db, "storyline", "t2").stdout
    assert "t2 · tracked: RUS · rouble, рубл" in shown
    for args, message in (
        (("track", "Nothing"), "give actors, terms or storylines"),
        (("track", "Who", "--actors", "Narnia"), "unknown actor 'Narnia'"),
        (("track", "Where", "--from", "sl999"), "no automatic storyline 'sl999'"),
        (("untrack", "sl1"), "not a tracked storyline id"),
    ):
        proc = run(db, *args, check=False)
        assert proc.returncode == 2 and message in proc.stderr, (args, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert run(db, "untrack", "t2").returncode == 0
    gone = run(db, "untrack", "t2", check=False)
    assert gone.returncode == 1 and "no tracked storyline 't2'" in gone.stderr
    assert [t["id"] for t in run_json(db, "tracked")] == ["t1"]
    assert "t2" not in {s["id"] for s in run_json(db, "storylines")}


def test_page_api_feed_and_post_of_a_tracked_storyline(demo: Path, tmp_path: Path) -> None:
    db = copy_store(demo, tmp_path / "web.db")
    token = new_token()
    store = SQLiteStore(db)
    store.add_token("tests", hash_token(token))
    store.close()
    with running_server(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        one = client.get("/api/v1/storylines/t1")
        assert one.status_code == 200
        data = one.json()
        assert data["id"] == "t1" and data["title"] == TITLE
        assert data["links"] and data["briefs"][0]["version"] == 1
        assert all(link["reasons"]["tracked"] == "t1" for link in data["links"])
        events = client.get("/api/v1/storylines/t1/events").json()["items"]
        assert {e["id"] for e in events} == {link["event_id"] for link in data["links"]}
        export = client.get("/api/v1/storylines/t1/briefs/1.md")
        assert export.status_code == 200 and "Both governments listed" in export.text
        feed = client.get("/api/v1/storylines/t1/briefs.atom")
        assert feed.status_code == 200
        entries = ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
        assert len(entries) == 1 and "urn:storyline:brief:t1:1" in feed.text
        assert "urn:storyline:brief:t1:1" in client.get("/api/v1/briefs.atom").text
        page = client.get("/storylines/t1")
        assert page.status_code == 200 and 'id="tracked"' in page.text
        assert "Both governments listed the same states" in page.text
        # the event list says why the tracked storyline took what no term matched
        assert "as “Putin&#39;s August decree”" in page.text
        assert "names 12 of the 39 states on BY-CoM-2022" in page.text
        assert "t1" in client.get("/").text
        listed = client.get("/api/v1/tracked").json()["items"]
        assert [t["id"] for t in listed] == ["t1"] and listed[0]["feed"].endswith(".atom")

        body = {"title": "Belarus's own list", "actors": ["BLR"], "terms": ["недружн"]}
        assert client.post("/api/v1/tracked", json=body).status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        made = client.post("/api/v1/tracked", json=body, headers=auth)
        assert made.status_code == 201, made.text
        assert made.json()["id"] == "t2" and made.json()["links"] >= 1
        assert client.get("/api/v1/storylines/t2").status_code == 200
        bad = client.post("/api/v1/tracked", json={"title": "x", "actors": ["Narnia"]},
                          headers=auth)
        assert bad.status_code == 422 and "unknown actor" in bad.json()["error"]
        empty = client.post("/api/v1/tracked", json={"title": "x"}, headers=auth)
        assert empty.status_code == 422
    assert json.loads(link_rows(db)[0][3])["tracked"] == "t1"


def readme_example(brief: str) -> str:
    """The demo's brief as the README shows it: headings two levels down."""
    return "\n".join(("##" + line) if line.startswith("#") else line
                     for line in brief.strip().splitlines())


def test_the_readme_example_is_the_tracked_brief_the_demo_writes_unedited(demo: Path) -> None:
    """The README says its example is ``storyline-demo/briefs/t1.md``, unedited. To refresh it
    after a change to the writer, replace the block with ``readme_example`` of the new file."""
    brief = (demo.parent / "briefs" / "t1.md").read_text(encoding="utf-8")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<details><summary>Show the brief</summary>")[1].split("</details>")[0]
    assert block.strip() == readme_example(brief)
