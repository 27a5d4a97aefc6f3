"""Concurrency (issue #15): readers while a writer commits, two writers at once, and a response
cache that never serves a page older than the last commit.

* 20 HTTP clients read pages and API routes from the real server (uvicorn on 127.0.0.1) while
  ``storyline ingest`` runs in another process against the same SQLite file: no 5xx, no
  connection error, the ingest succeeds and every row is stored exactly once.
* Two ``storyline ingest`` processes write overlapping files into one store at the same time:
  writers wait for each other (``BEGIN IMMEDIATE`` + ``busy_timeout``) instead of failing with
  "database is locked", and every distinct row is stored once.
* With the response cache on, the answer right after another process committed shows the commit.

Every load loop is bounded in requests and seconds and talks only to 127.0.0.1.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from cli import run, run_json, synthetic_articles, write_jsonl
from test_web_support import fill_store, running_server

from storyline.web.security import WebSettings

CLIENTS = 20
#: Hard bounds of the read load in test (a): seconds and requests per client.
LOAD_SECONDS = 40.0
MAX_REQUESTS_PER_CLIENT = 400

ROUTES = [
    "/", "/api/v1/storylines", "/api/v1/search?q=minister", "/search?q=grain",
    "/api/v1/articles?limit=50", "/api/v1/events", "/storylines/S1", "/sources",
]


def _ingest_proc(db: Path, *args: str) -> subprocess.Popen:
    """``storyline --db DB ingest ARGS`` started in the background (same env as ``cli.run``)."""
    env = {**os.environ, "STORYLINE_HOME": str(db.parent / "home"), "NO_COLOR": "1",
           "COLUMNS": "200"}
    env.pop("STORYLINE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", "--db", str(db), "ingest", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _counts(db: Path) -> tuple[int, int, int, int]:
    """(articles, distinct canonical URLs, distinct input ids, duplicates)."""
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT canonical_url), COUNT(DISTINCT external_key),"
            " COUNT(duplicate_of) FROM articles").fetchone()
    finally:
        con.close()


def _renamed(rows: list[dict], tag: str) -> list[dict]:
    """The rows under new input ids and URLs (``synthetic_articles`` reuses ``s{i}`` ids)."""
    return [{**r, "id": f"{tag}{i}", "url": f"https://{tag}.example/a/{i}"}
            for i, r in enumerate(rows)]


# -- (a) ingest while 20 clients read ---------------------------------------------------------
def test_ingest_while_twenty_clients_read(tmp_path: Path) -> None:
    filled = fill_store(tmp_path / "web.db")
    before, *_ = _counts(filled.path)
    rows = _renamed(synthetic_articles(60, seed=11), "live")
    source = write_jsonl(tmp_path / "live.jsonl", rows)

    statuses: Counter[int] = Counter()
    failures: list[str] = []
    per_client: list[int] = [0] * CLIENTS
    lock = threading.Lock()
    stop = threading.Event()

    with running_server(filled.path) as base:
        deadline = time.monotonic() + LOAD_SECONDS

        def reader(n: int) -> None:
            with httpx.Client(base_url=base, timeout=20) as client:
                for k in range(MAX_REQUESTS_PER_CLIENT):
                    if stop.is_set() or time.monotonic() > deadline:
                        return
                    path = ROUTES[(n + k) % len(ROUTES)]
                    try:
                        status = client.get(path).status_code
                    except httpx.HTTPError as exc:
                        with lock:
                            failures.append(f"{path}: {exc!r}")
                        continue
                    with lock:
                        statuses[status] += 1
                        per_client[n] += 1
                        if status >= 500:
                            failures.append(f"{path}: HTTP {status}")

        threads = [threading.Thread(target=reader, args=(n,), daemon=True)
                   for n in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(0.3)  # the readers are going before the writer starts
        proc = _ingest_proc(filled.path, str(source), "--json")
        try:
            out, err = proc.communicate(timeout=LOAD_SECONDS)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            time.sleep(0.3)  # a few reads after the last commit too
            stop.set()
            for t in threads:
                t.join(timeout=30)
        assert not any(t.is_alive() for t in threads), "a reader hung"

    assert proc.returncode == 0, f"ingest failed while serving:\n{out}\n{err}"
    assert failures == [], failures[:10]
    assert sum(s for code, s in statuses.items() if code >= 500) == 0
    assert all(n > 0 for n in per_client), per_client
    assert set(statuses) <= {200, 404}, statuses  # 404: a storyline the pipeline renamed
    articles, urls, keys, _ = _counts(filled.path)
    assert articles == before + len(rows)
    assert urls == articles  # no row stored twice


# -- (b) two ingests at once ----------------------------------------------------------------
def test_two_overlapping_ingests_at_once(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    run(db, "init")  # create and migrate the store first; both writers then open it
    shared = _renamed(synthetic_articles(40, seed=21), "shared")
    only_a = _renamed(synthetic_articles(15, seed=22), "only-a")
    only_b = _renamed(synthetic_articles(15, seed=23), "only-b")
    # genuine exact copies (same title and text under another URL), one per file, of a shared
    # row: whichever process stores the pair second must mark its member as the copy
    copy_a = {**shared[0], "id": "copy-a", "url": "https://copies.example/a"}
    copy_b = {**shared[1], "id": "copy-b", "url": "https://copies.example/b"}
    file_a = write_jsonl(tmp_path / "a.jsonl", [*shared, copy_a, *only_a])
    file_b = write_jsonl(tmp_path / "b.jsonl", [*only_b, copy_b, *reversed(shared)])

    procs = [_ingest_proc(db, str(f), "--json") for f in (file_a, file_b)]
    outs = []
    try:
        for p in procs:
            outs.append(p.communicate(timeout=120))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, f"concurrent ingest failed:\n{out}\n{err}"
        assert "locked" not in err.lower() and "busy" not in err.lower(), err

    distinct = len(shared) + len(only_a) + len(only_b) + 2  # the two copies are rows too
    articles, urls, keys, duplicates = _counts(db)
    assert articles == distinct
    assert urls == articles and keys == articles
    stats = run_json(db, "stats")
    assert stats["articles"] == distinct - 2  # originals
    assert stats["duplicates"] + stats["near_duplicates"] == 2  # exactly the genuine copies
    assert duplicates == 2
    assert _orphan_events(db) == 0  # the two analyses took turns


def test_two_analyses_at_once_cluster_each_article_once(tmp_path: Path) -> None:
    """Two ``storyline process`` runs over the same pending articles at once (what two
    concurrent ingests do after storing): the analyses take turns, so every article is
    clustered once and no event is left without articles — before the analysis lock, the late
    process re-clustered what the first had committed (140 events for 70 articles, half of them
    claimed by no article). The same counts as one process alone."""
    rows = _renamed(synthetic_articles(30, seed=31), "race")
    alone, raced = tmp_path / "alone.db", tmp_path / "race.db"
    for db in (alone, raced):
        run(db, "ingest", "--ingest-only", str(write_jsonl(tmp_path / "race.jsonl", rows)))
    run(alone, "process")
    procs = [subprocess.Popen([sys.executable, "-m", "storyline", "--db", str(raced), "process",
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "NO_COLOR": "1"}) for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert _orphan_events(raced) == 0
    assert _event_counts(raced) == _event_counts(alone)


def _orphan_events(db: Path) -> int:
    """Events that say they hold articles but that no article points at."""
    con = sqlite3.connect(db)
    try:
        return con.execute(
            "SELECT count(*) FROM events e WHERE article_count > 0 AND NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.event_id = e.id)").fetchone()[0]
    finally:
        con.close()


def _event_counts(db: Path) -> tuple[int, int]:
    """(events, articles clustered)."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT (SELECT count(*) FROM events WHERE article_count > 0), "
                           "(SELECT count(*) FROM articles WHERE event_id IS NOT NULL)"
                           ).fetchone()
    finally:
        con.close()


# -- (c) the cache never serves a stale answer after a commit ----------------------------------
def test_cache_reflects_each_commit_at_once(tmp_path: Path) -> None:
    filled = fill_store(tmp_path / "web.db")
    settings = WebSettings(allow_private_urls=True)
    assert settings.cache_seconds > 0  # the default: cache on
    with running_server(filled.path, settings) as base, httpx.Client(base_url=base,
                                                                     timeout=20) as client:
        for n in range(3):
            word = f"zyqvex{n}unique"
            api = f"/api/v1/search?q={word}"
            page = f"/search?q={word}"
            listing = "/api/v1/articles?limit=200"
            # twice each, so the second answer comes from the cache
            for _ in range(2):
                assert client.get(api).json()["items"] == []
                assert f"Fresh report {word}" not in client.get(page).text
                seen = len(client.get(listing).json()["items"])
            row = {"id": f"fresh{n}", "title": f"Fresh report {word}",
                   "text": f"The {word} delegation met in Minsk on day {n}. " * 3,
                   "date": "2024-05-01", "lang": "en", "source": "Wire",
                   "url": f"https://fresh.example/a/{n}"}
            run(filled.path, "ingest", "--ingest-only",
                str(write_jsonl(tmp_path / f"fresh{n}.jsonl", [row])))
            hits = client.get(api).json()["items"]
            assert [h["title"] for h in hits] == [row["title"]], f"stale search after commit {n}"
            assert row["title"] in client.get(page).text, f"stale search page after commit {n}"
            assert len(client.get(listing).json()["items"]) == seen + 1, \
                f"stale article list after commit {n}"
