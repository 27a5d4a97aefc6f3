"""Web latency under load: ``python bench/serve.py [--articles 200000] [--seconds 20]``.

Fills a temporary store with at least ``--articles`` articles (the GVA dev file replicated under
new ids and URLs; nothing is written to the repository), groups them into events and storylines
with two brief versions each and coded actor records, starts ``storyline serve``'s app with
uvicorn in a subprocess on 127.0.0.1, and runs ``--clients`` concurrent keep-alive clients (a
minimal asyncio HTTP/1.1 client, so the load generator costs little CPU) for ``--seconds``.
Each client cycles through the home page, a storyline page, ``/api/v1/storylines`` and a
search. Prints one JSON line: p50/p95 latency per kind, requests/s, and the load average.

``--keep PATH`` stores the filled database there and reuses it on the next run.

``--mixed``: while the readers run, a writer thread runs ``storyline ingest --ingest-only`` in a
subprocess on ``--write-batches`` small files of ``--write-size`` fresh synthetic articles each
(bounded) into the same store. The JSON line then also carries ``p50_ms``/``p95_ms``/``p99_ms``
over all requests, p99 per kind, ``errors`` (status >= 500 or a failed request), ``writes``
(batches committed) and ``write_errors``; ``errors`` then counts only answers >= 500 and
failed requests (other non-200 answers go to ``other_non_200``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clustering" / "gva_dev.jsonl"
ACTORS = ["RUS", "BLR", "USA", "UKR", "CHN", "EU", "FRA", "DEU", "GBR", "TUR", "IRN", "NATO"]
TYPES = [("CONSULT", 1.0), ("AGREE", 4.0), ("COOPERATE", 6.0), ("AID", 7.0),
         ("DISAPPROVE", -2.0), ("THREATEN", -6.0), ("SANCTION", -5.0), ("FIGHT", -9.0)]
WORDS = ["police", "shooting", "school", "court", "victim", "officer", "county", "suspect"]


def load_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def fill(db: Path, n_articles: int, per_event: int = 10, events_per_story: int = 10) -> dict:
    """Write articles, events, storylines, links, brief versions and records straight in SQL."""
    from storyline.store.sqlite import SQLiteStore

    rows = load_rows(DATA)
    store = SQLiteStore(db)
    con = store.db
    t0 = time.perf_counter()
    base = datetime(2013, 1, 1, tzinfo=UTC)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    batch = []
    n_events = (n_articles + per_event - 1) // per_event
    for i in range(n_articles):
        r = rows[i % len(rows)]
        day = base + timedelta(hours=i // 20)
        batch.append((
            f"https://bench{i % 97}.example/{i}", f"https://bench{i % 97}.example/{i}",
            f"bench-{i}", r.get("title") or "", r.get("text") or "", day.strftime(fmt),
            r.get("lang") or "en", f"Outlet {i % 97}", f"h{i}", day.strftime(fmt),
            i // per_event + 1,
        ))
        if len(batch) == 10_000:
            _insert_articles(con, batch)
            batch = []
    if batch:
        _insert_articles(con, batch)
    t_articles = time.perf_counter() - t0
    n_stories = (n_events + events_per_story - 1) // events_per_story
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO events(id, label, first_seen, last_seen, article_count, sources, languages,"
        " representative_id, storyline_id) VALUES (?,?,?,?,?,?,?,?,?)",
        [(e, rows[(e * per_event) % len(rows)].get("title") or f"event {e}",
          (base + timedelta(hours=(e - 1) * per_event // 20)).strftime(fmt),
          (base + timedelta(hours=e * per_event // 20 + 6)).strftime(fmt), per_event,
          json.dumps([f"Outlet {(e + k) % 97}" for k in range(4)]), '["en"]',
          (e - 1) * per_event + 1, f"S{(e - 1) // events_per_story + 1:05d}")
         for e in range(1, n_events + 1)])
    rng = random.Random(7)
    stories = []
    for s in range(1, n_stories + 1):
        first_event = (s - 1) * events_per_story + 1
        first = base + timedelta(hours=(first_event - 1) * per_event // 20)
        stories.append((f"S{s:05d}", rows[(first_event * per_event) % len(rows)].get("title"),
                        f"story {s}", rng.choice(["breaking", "developing", "sustained", "fading"]),
                        rng.random() * 10, first.strftime(fmt),
                        (first + timedelta(days=5)).strftime(fmt), events_per_story,
                        events_per_story * per_event))
    con.executemany(
        "INSERT INTO storylines(id, title, label, lifecycle, momentum, first_seen, last_seen, "
        "event_count, article_count) VALUES (?,?,?,?,?,?,?,?,?)", stories)
    con.executemany(
        "INSERT INTO storyline_links(event_id, storyline_id, score, reasons, linked) "
        "VALUES (?,?,?,?,?)",
        [(e, f"S{(e - 1) // events_per_story + 1:05d}", 0.5, "{}", base.strftime(fmt))
         for e in range(1, n_events + 1)])
    briefs = []
    for sid, title, label, *_ in stories:
        number = int(sid[1:])
        first_event = (number - 1) * events_per_story + 1
        for version in (1, 2):
            briefs.append((sid, version, (base + timedelta(days=version)).strftime(fmt),
                           json.dumps(_brief(sid, version, title, label, first_event, per_event,
                                             rows)), "[]"))
    con.executemany("INSERT INTO brief_versions(storyline_id, version, created, body, event_ids) "
                    "VALUES (?,?,?,?,?)", briefs)
    records = []
    for _ in range(60_000):
        a, b = rng.sample(ACTORS, 2)
        kind, intensity = rng.choice(TYPES)
        e = rng.randrange(1, n_events + 1)
        records.append(((e - 1) * per_event + 1, e, a, kind, b, intensity,
                        (base + timedelta(hours=rng.randrange(n_articles // 20))).strftime(fmt),
                        f"{a} {kind.lower()} {b}"))
    con.executemany("INSERT INTO event_records(article_id, event_id, source_actor, event_type, "
                    "target_actor, intensity, date, sentence) VALUES (?,?,?,?,?,?,?,?)", records)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    store.close()
    return {"articles": n_articles, "events": n_events, "storylines": n_stories,
            "fill_s": round(time.perf_counter() - t0, 1), "articles_s": round(t_articles, 1)}


def _insert_articles(con, batch: list[tuple]) -> None:
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO articles(url, canonical_url, external_key, title, text, published, lang, "
        "source, content_hash, fetched, event_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)
    con.execute("COMMIT")


def _brief(sid: str, version: int, title: str, label: str, first_event: int, per_event: int,
           rows: list[dict]) -> dict:
    """A BRIEF_SCHEMA body citing real stored articles of the storyline's events."""
    sources, sentences = [], []
    for n in range(1, 9):
        article_id = first_event * per_event - per_event + n * 3
        row = rows[(article_id - 1) % len(rows)]
        sources.append({"n": n, "article_id": article_id, "title": row.get("title"),
                        "source": f"Outlet {(article_id - 1) % 97}",
                        "published": "2013-01-02T00:00:00Z", "url": row.get("url")})
        text = (row.get("text") or "").split(". ")[0][:300]
        sentences.append({"text": text + ".", "cites": [n], "flag": None})
    return {
        "storyline_id": sid, "version": version, "created": "2013-01-03T00:00:00Z",
        "title": title, "label": label, "headline": title,
        "lead": sentences[:2],
        "main_event": {"event_id": first_event, "subtitle": label, "sentences": sentences[2:4],
                       "key_points": [{"label": "Key point", "sentences": sentences[4:5]}]},
        "developments": [{"event_id": first_event + k, "label": f"development {k}",
                          "date": "2013-01-02", "relation": "development", "relatedness": 0.5,
                          "reasons": {}, "new": version == 2 and k == 3,
                          "sentences": sentences[5 + k % 3:6 + k % 3]} for k in range(1, 4)],
        "significance": sentences[6:7], "outlook": sentences[7:8], "summary": [],
        "key_actors": [], "sources": sources,
        "new_since": ({"previous_version": 1, "event_ids": [first_event + 3]}
                      if version == 2 else None),
        "grounding": {"checked": 8, "dropped": 0, "flagged": 0},
    }


# -- load generator ------------------------------------------------------------------------------
async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _client(port: int, paths: dict[str, list[str]], deadline: float, max_requests: int,
                  out: dict[str, list[float]], errors: list[str], seed: int) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    kinds = list(paths)
    n = seed
    try:
        while time.perf_counter() < deadline and sum(len(v) for v in out.values()) < max_requests:
            kind = kinds[n % len(kinds)]
            n += 1
            path = rng.choice(paths[kind])
            t = time.perf_counter()
            try:
                status = await _request(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(f"{type(exc).__name__} {path}")
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            out[kind].append((time.perf_counter() - t) * 1000)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        writer.close()


async def _load(port: int, paths: dict[str, list[str]], clients: int, seconds: float,
                max_requests: int) -> tuple[dict[str, list[float]], list[str], float]:
    out: dict[str, list[float]] = {k: [] for k in paths}
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(_client(port, paths, start + seconds, max_requests, out, errors, i)
                           for i in range(clients)))
    return out, errors, time.perf_counter() - start


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _writer(db: Path, batches: int, size: int, done: list[int], failed: list[str],
            stop: threading.Event) -> None:
    """Ingest ``batches`` files of ``size`` fresh synthetic articles, one subprocess each."""
    rng = random.Random(99)
    with tempfile.TemporaryDirectory(prefix="storyline-bench-writes-") as tmp:
        for b in range(batches):
            if stop.is_set():
                return
            path = Path(tmp) / f"batch{b}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for i in range(size):
                    text = " ".join(rng.choice(WORDS) + str(rng.randrange(100_000))
                                    for _ in range(60))
                    fh.write(json.dumps({
                        "id": f"mixed-{b}-{i}", "title": f"Mixed report {b}-{i}", "text": text,
                        "date": "2013-03-01", "lang": "en", "source": f"Writer {i % 5}",
                        "url": f"https://mixed.example/{b}/{i}"}) + "\n")
            env = {**os.environ, "STORYLINE_HOME": str(Path(tmp) / "home")}
            env.pop("STORYLINE_DB", None)
            proc = subprocess.run(
                [sys.executable, "-m", "storyline", "--db", str(db), "ingest", "--ingest-only",
                 str(path)], capture_output=True, text=True, env=env, timeout=120)
            if proc.returncode == 0:
                done.append(size)
            else:
                failed.append((proc.stderr or proc.stdout).strip()[-300:])


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="Reuse/keep the filled database at this path.")
    parser.add_argument("--no-cache", action="store_true",
                        help="Turn the server's response cache off (measure raw rendering).")
    parser.add_argument("--mixed", action="store_true",
                        help="Mixed read/write load: a writer ingests --write-batches batches "
                             "of --write-size synthetic articles (storyline ingest "
                             "--ingest-only) into the same store while the readers run; adds "
                             "p50_ms/p95_ms/p99_ms, errors and writes to the JSON line.")
    parser.add_argument("--write-batches", type=int, default=20,
                        help="--mixed: number of ingest batches (the writer stops early when "
                             "the readers finish).")
    parser.add_argument("--write-size", type=int, default=20,
                        help="--mixed: articles per ingest batch.")
    args = parser.parse_args(argv)
    if not DATA.exists():
        raise SystemExit(f"missing {DATA}")
    tmp = tempfile.TemporaryDirectory(prefix="storyline-bench-")
    db = args.keep or Path(tmp.name) / "bench.db"
    filled: dict = {"reused": True}
    if not (args.keep and args.keep.exists()):
        filled = fill(db, args.articles)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import sys; from storyline.web.app import serve; "
            "from storyline.web.security import WebSettings; "
            "serve(sys.argv[1], port=int(sys.argv[2]), log_level='warning', "
            "settings=WebSettings(cache_seconds=float(sys.argv[3])))")
    cache_s = 0.0 if args.no_cache else 30.0
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port), str(cache_s)])
    try:
        _wait_port(port, proc)
        import sqlite3

        con = sqlite3.connect(db)
        top = [r[0] for r in con.execute(
            "SELECT id FROM storylines ORDER BY momentum DESC LIMIT 200")]
        con.close()
        paths = {
            "home": ["/"],
            "storyline": [f"/storylines/{sid}" for sid in top],
            "api_storylines": ["/api/v1/storylines", "/api/v1/storylines?limit=50&offset=50"],
            "search": [f"/search?q={w}" for w in WORDS],
        }
        # warm-up: templates compiled, connections opened, page cache warm
        asyncio.run(_load(port, paths, 4, 3.0, 400))
        load_before = os.getloadavg()
        stop = threading.Event()
        writes: list[int] = []
        write_errors: list[str] = []
        writer = None
        if args.mixed:
            writer = threading.Thread(target=_writer, args=(
                db, args.write_batches, args.write_size, writes, write_errors, stop), daemon=True)
            writer.start()
        try:
            lat, errors, wall = asyncio.run(
                _load(port, paths, args.clients, args.seconds, args.max_requests))
        finally:
            stop.set()
            if writer is not None:
                writer.join(timeout=150)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        tmp.cleanup()
    total = sum(len(v) for v in lat.values())
    result = {
        "bench": "serve", "cache": not args.no_cache, "clients": args.clients,
        "seconds": round(wall, 1),
        "requests": total, "requests_per_s": round(total / wall, 1), "errors": len(errors),
        **{f"{kind}_p50_ms": _pct(v, 0.5) for kind, v in lat.items()},
        **{f"{kind}_p95_ms": _pct(v, 0.95) for kind, v in lat.items()},
        **{f"{kind}_mean_ms": round(statistics.fmean(v), 1) for kind, v in lat.items() if v},
        "store": filled, "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.mixed:
        every = [x for v in lat.values() for x in v]
        result.update({
            "mode": "mixed", "p50_ms": _pct(every, 0.5), "p95_ms": _pct(every, 0.95),
            "p99_ms": _pct(every, 0.99),
            **{f"{kind}_p99_ms": _pct(v, 0.99) for kind, v in lat.items()},
            # mixed mode: errors are answers >= 500 and failed requests; other statuses apart
            "errors": sum(1 for e in errors if e[:1] == "5" or not e[:1].isdigit()),
            "other_non_200": sum(1 for e in errors if e[:1].isdigit() and e[:1] != "5"),
            "writes": len(writes), "articles_written": sum(writes),
            "write_errors": len(write_errors), "write_error_samples": write_errors[:3],
            "error_samples": errors[:5],
        })
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
