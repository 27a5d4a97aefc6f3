"""The clustering benchmark and the CLI go through the same code path: same input, same events.

Also checks, on the packaged demo corpus, that a Russian and an English report of one happening
(demo-001 Reuters / demo-002 БелТА, the 28 union programmes of 9 September 2021) join one event.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from cli import run

from storyline.demo import corpus_path

REPO = Path(__file__).resolve().parents[2]


def _partition(pairs):
    groups = defaultdict(set)
    for article, event in pairs:
        groups[event].add(article)
    return sorted(sorted(g) for g in groups.values())


def test_bench_and_cli_give_the_same_events(tmp_path):
    pred = tmp_path / "pred.tsv"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "cluster.py"), str(corpus_path()),
         "--out", str(pred)],
        check=True, capture_output=True, text=True,
    )
    bench = [line.split("\t") for line in pred.read_text().splitlines()]

    db = tmp_path / "cli.db"
    run(db, "ingest", str(corpus_path()))
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT a.external_key, coalesce(a.event_id, o.event_id) FROM articles a "
        "LEFT JOIN articles o ON o.id = a.duplicate_of"
    ).fetchall()
    con.close()
    cli = [(key.split(":", 1)[1], str(event)) for key, event in rows]

    assert len(bench) == len(cli) == sum(1 for _ in corpus_path().open(encoding="utf-8"))
    assert all(event not in ("", "None") for _, event in cli)
    assert _partition(bench) == _partition(cli)

    event_of = dict(cli)
    assert event_of["demo-001"] == event_of["demo-002"]  # Reuters (en) and БелТА (ru)
    langs = {json.loads(line)["id"]: json.loads(line)["lang"]
             for line in corpus_path().open(encoding="utf-8")}
    assert (langs["demo-001"], langs["demo-002"]) == ("en", "ru")
