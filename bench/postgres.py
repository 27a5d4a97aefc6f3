"""SQLite vs PostgreSQL on the same work: ``python bench/postgres.py --url postgresql://...``.

Runs the whole pipeline (ingest, de-duplication, events, coding, storylines, briefs) over
INPUT (default: the packaged demo corpus) into a fresh SQLite file and into the (empty)
PostgreSQL database at ``--url``, then a batch of reads on each (storyline pages, searches,
actor tables, pair series). Prints one JSON line: articles, and per store the pipeline seconds,
the read batch's seconds and what was built (events, storylines, brief versions), so the two can
be compared. Without ``--url`` it starts a throwaway server from the machine's PostgreSQL
binaries (``tests/pgserver.py``). The models are loaded on a five-article warm-up first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from storyline.pipeline import Pipeline
from storyline.store import open_store

READS = 20


def run(location: str | Path, source: Path) -> dict:
    store = open_store(location)
    t0 = time.perf_counter()
    Pipeline(store).ingest_paths([str(source)])
    t1 = time.perf_counter()
    for _ in range(READS):
        page = store.storyline_page(limit=20)
        store.storyline_activity([r["id"] for r in page], None)
        store.search_articles("Lukashenko", limit=20)
        store.actor_table(limit=50)
        store.pair_series("RUS", "BLR")
        for row in page[:5]:
            store.brief_version(row["id"])
            store.storyline_links(row["id"])
    t2 = time.perf_counter()
    stats = store.stats()
    store.close()
    return {"pipeline_s": round(t1 - t0, 2), "reads_s": round(t2 - t1, 2),
            "events": stats["events"], "storylines": stats["storylines"],
            "brief_versions": stats["brief_versions"], "articles": stats["articles"]}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", nargs="?", type=Path,
                    default=Path(str(resources.files("storyline.demo").joinpath("corpus.jsonl"))))
    ap.add_argument("--url", help="an empty PostgreSQL database")
    args = ap.parse_args(argv)
    stop = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from pgserver import new_database, start_postgres

        server, stop = start_postgres()
        url = new_database(server)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # load the models first, so that neither store's figure includes it
            sample = Path(tmp) / "warm.jsonl"
            sample.write_text("".join(args.input.read_text(encoding="utf-8").splitlines(True)[:5]),
                              encoding="utf-8")
            Pipeline(open_store(Path(tmp) / "warm.db")).ingest_paths([str(sample)])
            sqlite = run(Path(tmp) / "bench.db", args.input)
        postgres = run(url, args.input)
    finally:
        if stop:
            stop()
    out = {"articles": sqlite["articles"], "read_batches": READS,
           "sqlite": sqlite, "postgres": postgres}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
