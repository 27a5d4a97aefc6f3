"""End-to-end: the CLI over real SQLite files — ingest, idempotency, errors, crash recovery."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from cli import run, run_json, synthetic_articles, write_jsonl


def test_ingest_summary_rejects_bad_rows_and_is_idempotent(tmp_path):
    db = tmp_path / "s.db"
    base = "The ministers of both states signed a protocol on customs and transit rules today."
    rows = [
        {"id": "1", "url": "https://a.example/x?utm_source=rss", "title": "Protocol signed",
         "text": base, "date": "2024-03-01T10:00:00+01:00", "source": "A"},
        "{broken",
        {"id": "2", "url": "https://b.example/copy", "title": "Protocol signed", "text": base,
         "source": "B"},  # same content, other URL: an exact duplicate
        {"id": "3", "url": "https://c.example/other", "title": "Customs talks",
         "text": "Customs officers on both sides began applying the new transit rules at dawn, "
                 "and lorry drivers reported queues of several hours.", "source": "C"},
        {"id": "4", "title": "Flood", "text": "A river burst its banks and flooded three towns.",
         "date": "2999-01-01"},
        {"id": "5", "title": "no text"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    run(db, "init", "--no-feeds")
    first = run(db, "ingest", str(path), "--ingest-only", check=False)
    assert first.returncode == 3  # partial: some rows rejected
    assert "ingested 3 / duplicates 1 / near-duplicates 0 / rejected 2" in first.stdout
    assert f"{path}:2: invalid JSON" in first.stderr
    assert f"{path}:6: missing or empty 'text'" in first.stderr
    assert "unparseable or in the future" in first.stderr
    stats = run_json(db, "stats")
    assert (stats["articles"], stats["duplicates"]) == (3, 1)
    again_run = run(db, "ingest", str(path), "--ingest-only", "--json", check=False)
    assert again_run.returncode == 3
    again = json.loads(again_run.stdout)
    assert again["ingested"] == 0 and again["already_stored"] == 4
    assert run_json(db, "stats")["articles"] == 3


def test_near_duplicate_is_linked_not_counted(tmp_path):
    db = tmp_path / "s.db"
    text = (
        "Officials in both capitals said on Tuesday that the joint list of restricted states "
        "would be reviewed every quarter, and that banks must report payments to listed "
        "countries within ten days. The customs services will share data on goods that cross "
        "the common border, and a working group of diplomats from the two foreign ministries "
        "will prepare proposals for the next meeting of the supreme council. Exporters asked "
        "for a transition period, saying that contracts signed before the decree could not be "
        "changed overnight, while analysts in the region expected further additions to the list "
        "before the end of the year."
    )
    rows = [
        {"id": "1", "url": "https://a.example/1", "title": "Joint list", "text": text},
        {"id": "2", "url": "https://b.example/2", "title": "Joint list",
         "text": text.replace("every quarter", "each quarter")},
    ]
    run(db, "init", "--no-feeds")
    out = run_json(db, "ingest", str(write_jsonl(tmp_path / "n.jsonl", rows)), "--ingest-only")
    assert (out["ingested"], out["near_duplicates"]) == (1, 1)
    hits = run_json(db, "search", "restricted states")
    assert len(hits) == 1  # the copy is stored but search shows the report once


def test_search_and_stats_json(tmp_path):
    db = tmp_path / "s.db"
    path = write_jsonl(tmp_path / "a.jsonl", synthetic_articles(30))
    run(db, "ingest", str(path), "--ingest-only")
    stats = run_json(db, "stats")
    assert {"articles", "duplicates", "sources", "events"} <= stats.keys()
    assert stats["articles"] == 30 and stats["outlets"] == 7
    hits = run_json(db, "search", "Report 17")
    assert hits and hits[0]["title"] == "Report 17"


def test_clear_errors_never_tracebacks(tmp_path):
    db = tmp_path / "s.db"
    missing = run(db, "ingest", str(tmp_path / "nope.jsonl"), check=False)
    assert missing.returncode != 0 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr
    nodb = run(tmp_path / "absent.db", "stats", check=False)
    assert nodb.returncode != 0 and "storyline init" in nodb.stderr
    notdb = tmp_path / "notes.db"
    notdb.write_text("hello " * 1000)
    bad = run(notdb, "stats", check=False)
    assert bad.returncode != 0 and "not a storyline database" in bad.stderr
    assert "Traceback" not in bad.stderr


def _count(db) -> int:
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_during_ingest_then_rerun_equals_clean_run(tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl", synthetic_articles(6000))
    clean = tmp_path / "clean.db"
    run(clean, "ingest", str(path), "--ingest-only")
    expected = _count(clean)

    crashed = tmp_path / "crashed.db"
    env = {**os.environ, "STORYLINE_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline", "-q", "--db", str(crashed), "ingest", str(path),
         "--ingest-only"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _count(crashed) == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(crashed)
    assert 0 < partial < expected, "the kill should land mid-ingest"
    run(crashed, "ingest", str(path), "--ingest-only")
    assert _count(crashed) == expected


def test_serve_refuses_a_database_that_does_not_exist(tmp_path):
    missing = tmp_path / "typo.db"
    proc = run(missing, "serve", "--port", "8799", check=False, timeout=60)
    assert proc.returncode != 0 and "no database at" in proc.stderr
    assert not missing.exists()


def test_ingest_exit_codes_say_when_nothing_could_be_read(tmp_path):
    """0 all stored, 3 partial, 1 nothing usable (binary file, directory, empty file, every
    row rejected); the store keeps what it had."""
    db = tmp_path / "s.db"
    good = write_lines(tmp_path / "good.jsonl", ['{"text": "A river burst its banks and '
                                                'flooded three towns overnight."}'])
    assert run(db, "ingest", str(good), "--ingest-only", check=False).returncode == 0
    binary = tmp_path / "photo.jsonl"
    binary.write_bytes(bytes(range(256)) * 40)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    folder = tmp_path / "folder"
    folder.mkdir()
    rejected = write_lines(tmp_path / "bad.jsonl", ['{"title": "no text"}', "{broken"])
    for path, why in ((binary, "binary file"), (empty, "is empty"), (folder, "is a directory"),
                      (rejected, "missing or empty 'text'")):
        proc = run(db, "ingest", str(path), "--ingest-only", check=False)
        assert proc.returncode == 1, (path, proc.stdout, proc.stderr)
        assert why in proc.stderr and "Traceback" not in proc.stderr
    assert run_json(db, "stats")["articles"] == 1


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
