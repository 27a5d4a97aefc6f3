"""Ingest + de-duplication throughput: ``python bench/ingest.py FILE.jsonl…``.

Ingests the files into a fresh temporary store (no clustering) and prints one JSON line:
``{"articles", "seconds", "articles_per_s", "peak_rss_mb", ...}``. A Timeline17-style file
(one topic per line with an ``articles`` list) is flattened first, each article keyed
``topic/article id``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.pipeline import Pipeline
from storyline.store.sqlite import SQLiteStore


def flat_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The articles of a JSONL file, one dict each. A Timeline17-style line (one topic with an
    ``articles`` list) gives one dict per article: id ``topic/article id``, source the topic,
    ``cluster`` its storyline (the ``event`` field); other lines are yielded as they are."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if "articles" not in row:
                yield row
                continue
            topic = row.get("topic", "")
            for art in row["articles"]:
                yield dict(art, id=f"{topic}/{art['id']}", source=topic, cluster=row.get("event"))


def flatten_if_nested(path: Path, workdir: Path) -> Path:
    """Timeline17 lines hold many articles; write them out as one article a line (without the
    gold ``cluster``: what is ingested carries no labels)."""
    with path.open(encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    if "articles" not in first:
        return path
    out = workdir / f"{path.stem}.flat.jsonl"
    with out.open("w", encoding="utf-8") as dst:
        for row in flat_rows(path):
            row.pop("cluster", None)
            dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = [flatten_if_nested(f, work) for f in args.files]
        store = SQLiteStore(work / "bench.db")
        start = time.perf_counter()
        summary = Pipeline(store, stages=()).ingest_paths(files)
        seconds = time.perf_counter() - start
        rows = summary.ingested + summary.duplicates + summary.near_duplicates
        result = {
            "articles": rows,
            "originals": summary.ingested,
            "duplicates": summary.duplicates,
            "near_duplicates": summary.near_duplicates,
            "rejected": summary.rejected,
            "seconds": round(seconds, 2),
            "articles_per_s": round(rows / seconds, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        store.close()
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
