"""End-to-end: `storyline feeds` and `storyline fetch` against the fake outlets on 127.0.0.1.

The size-cap, encoding and timeout faults are covered feed by feed in tests/test_feeds.py and
tests/test_http.py; here the whole command runs over a mix of healthy and failing feeds."""

from __future__ import annotations

import json

import pytest
from cli import run, run_json


@pytest.fixture(autouse=True)
def _feeds_on_loopback(monkeypatch):
    """The fake outlets listen on 127.0.0.1, which the CLI refuses unless told otherwise
    (tests/security checks the refusal)."""
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE_URLS", "1")


def test_fetch_records_health_dedupes_shared_item_and_uses_conditional_get(tmp_path, feed_server):
    db = tmp_path / "s.db"
    run(db, "init", "--no-feeds")
    feeds = {
        "tribune": "/rss20.xml", "times": "/atom.xml", "outlet-a": "/feed-a.xml",
        "outlet-b": "/feed-b.xml", "gone": "/missing.xml", "broken": "/malformed.xml",
        "loop": "/loop-a", "etag": "/etag.xml",
    }
    for name, path in feeds.items():
        run(db, "feeds", "add", feed_server.url(path), "--name", name, "--no-pages")
    assert len(run_json(db, "feeds", "list")) == len(feeds)

    fetched = run(db, "fetch", "--delay", "0", "--json", check=False)
    assert fetched.returncode == 3, fetched.stderr  # partial: two of the feeds fail
    report = json.loads(fetched.stdout)
    by_name = {r["source"]: r for r in report["sources"]}
    assert by_name["gone"]["status"] == "error" and "404" in by_name["gone"]["error"]
    assert by_name["loop"]["status"] == "error" and "loop" in by_name["loop"]["error"].lower()
    assert by_name["broken"]["status"] == "ok" and by_name["broken"]["warnings"]
    assert by_name["tribune"]["items"] == 2 and by_name["tribune"]["status"] == "ok"
    # the summit item is in both A and B (twice in B): stored once
    shared = run_json(db, "search", "ceasefire monitoring")
    assert len(shared) == 1

    health = {s["name"]: s for s in run_json(db, "feeds", "list")}
    assert health["gone"]["consecutive_failures"] == 1 and "404" in health["gone"]["last_error"]
    assert health["tribune"]["last_success"] and health["tribune"]["consecutive_failures"] == 0
    assert health["etag"]["etag"]

    stored = run_json(db, "stats")["articles"]
    again = json.loads(run(db, "fetch", "--delay", "0", "--json", check=False).stdout)
    assert again["ingested"] == 0
    assert {r["source"]: r for r in again["sources"]}["etag"]["status"] == "not_modified"
    assert run_json(db, "stats")["articles"] == stored
    health = {s["name"]: s for s in run_json(db, "feeds", "list")}
    assert health["gone"]["consecutive_failures"] == 2


def test_feeds_add_rejects_non_http_and_remove_unknown(tmp_path):
    db = tmp_path / "s.db"
    bad = run(db, "feeds", "add", "file:///etc/passwd", check=False)
    assert bad.returncode == 1 and "only http/https URLs" in bad.stderr
    run(db, "init", "--no-feeds")
    missing = run(db, "feeds", "remove", "nothing-here", check=False)
    assert missing.returncode != 0 and "no feed named" in missing.stderr
