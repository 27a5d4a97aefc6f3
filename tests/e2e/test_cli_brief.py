"""End-to-end: `storyline briefs write` and `storyline brief` over a real SQLite file."""

from __future__ import annotations

import re

from cli import run, run_json
from test_brief_fixtures import (
    ARTICLES,
    SID,
    add_event,
    add_reprint,
    build_store,
    save_storyline,
)

from storyline.store.sqlite import SQLiteStore


def test_write_show_and_diff_briefs(tmp_path):
    db = tmp_path / "s.db"
    build_store(db).close()

    written = run_json(db, "briefs", "write")["written"]
    assert [(w["storyline_id"], w["version"]) for w in written] == [(SID, 1)]
    assert run_json(db, "briefs", "write")["written"] == []  # nothing changed

    md = run(db, "brief", SID).stdout
    assert md.startswith("# Northland–Eastmark customs alignment")
    for heading in ("## Main Event: ", "## Broader Context and New Developments",
                    "## Significance and Implications", "## Current Status and Future Outlook",
                    "## In summary", "## Sources"):
        assert heading in md
    html = run(db, "brief", SID, "--format", "html").stdout
    assert html.startswith('<article class="brief"') and 'href="#src-1"' in html
    body = run_json(db, "brief", SID)
    assert body["version"] == 1 and body["sources"][0]["n"] == 1

    store = SQLiteStore(db)
    add_event(store, "ratify")
    save_storyline(store)
    store.close()
    assert run_json(db, "briefs", "write")["written"][0]["version"] == 2
    diff = run_json(db, "brief", SID, "--diff")
    assert diff["previous_version"] == 1 and len(diff["events"]) == 1
    assert "New since version 1" in run(db, "brief", SID, "--diff").stdout
    assert run_json(db, "brief", SID, "--version", "1")["version"] == 1
    listed = run_json(db, "briefs", "list")
    assert [(row["storyline_id"], row["version"]) for row in listed][:2] in (
        [(SID, 2), (SID, 1)], [(SID, 1), (SID, 2)])


def test_brief_errors_are_one_line(tmp_path):
    db = tmp_path / "s.db"
    build_store(db).close()
    missing = run(db, "brief", "nope", check=False)
    assert missing.returncode == 1 and "no storyline 'nope'" in missing.stderr
    none_yet = run(db, "brief", SID, check=False)
    assert none_yet.returncode == 1 and "briefs write" in none_yet.stderr
    bad = run(db, "brief", SID, "--format", "pdf", check=False)
    assert bad.returncode == 2 and "--format" in bad.stderr  # a usage error
    no_llm = run(db, "briefs", "write", "--llm", check=False)
    assert no_llm.returncode == 2 and "STORYLINE_LLM_URL" in no_llm.stderr
    assert "Traceback" not in missing.stderr + bad.stderr + no_llm.stderr


def _reprint_brief(db, with_translation: bool):
    store = build_store(db)
    add_reprint(store, with_translation)
    save_storyline(store)
    store.close()
    run(db, "briefs", "write")
    return run_json(db, "brief", SID), run(db, "brief", SID).stdout


def test_a_translated_reprint_is_shown_as_one_and_the_outlet_counted_once(tmp_path):
    """README: the same outlet's report in another language is a translation of its first
    one, not another outlet."""
    body, md = _reprint_brief(tmp_path / "both.db", True)
    by_source = {s["source"]: s for s in body["sources"]}
    assert by_source["TASS"]["translation_of"] == by_source["ТАСС"]["article_id"]
    assert f"(translation of {by_source['ТАСС']['n']})" in md
    html = run(tmp_path / "both.db", "brief", SID, "--format", "html").stdout
    assert f"(translation of {by_source['ТАСС']['n']})" in html
    _, alone = _reprint_brief(tmp_path / "alone.db", False)
    outlets = re.compile(r"reported by (\d+) outlets")
    assert outlets.search(md).group(1) == outlets.search(alone).group(1)


def test_a_brief_quotes_no_agency_dateline(tmp_path):
    """README (brief defects row): a wire agency's dateline with its credit is not carried into a
    quoted sentence — "Vella (AFP) - " on an agency's site, "VELLA/KESSA, April 2 (Reuters) - " on
    the wire. Through the CLI, over a real store, with the texts as a feed would give them."""
    db = tmp_path / "s.db"
    store = build_store(db)
    afp, reuters = ARTICLES["ratify"][:2]  # the fixture's reports, as two agencies send them
    add_event(store, "ratify", rows=[
        {**afp, "source": "AFP", "text": "Vella (AFP) - " + afp["text"]},
        {**reuters, "source": "Reuters",
         "text": "VELLA/KESSA, April 2 (Reuters) - " + reuters["text"]},
    ])
    save_storyline(store)
    store.close()
    run(db, "briefs", "write")
    md = run(db, "brief", SID).stdout
    assert "ratified the customs protocol" in md or "backed the customs protocol" in md
    assert "(AFP)" not in md and "(Reuters)" not in md
