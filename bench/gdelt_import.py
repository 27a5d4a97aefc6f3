"""GDELT import throughput: ``python bench/gdelt_import.py [--rows 100000] [--seed 1]``.

GDELT's own files cannot be downloaded here (no network), so this writes a synthetic GDELT 2.0
export of ``--rows`` lines — the real 61-column layout, actors drawn from CAMEO country and type
codes and a few names (known leaders, unknown people, blocs by group code, regions), event codes
drawn from the CAMEO table, one source URL per 3 events — into a temporary directory, imports it
into a fresh SQLite store with :func:`storyline.ingest.gdelt.import_exports` (what ``storyline
gdelt FILE`` runs, without page fetching), then imports it again (every row already stored).

Prints one JSON line: rows, added, skipped (by reason), seconds and rows/s for the first and the
repeated import, and peak RSS. A GDELT 2.0 15-minute file holds ~1-3 thousand events, a 1.0 daily
file ~100-200 thousand.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from storyline.events import plover
from storyline.ingest.gdelt import LAYOUTS, import_exports
from storyline.store import open_store

COUNTRIES = ("RUS", "BLR", "UKR", "POL", "LTU", "LVA", "EST", "USA", "GBR", "DEU", "FRA", "CHN",
             "TUR", "IRN", "ISR", "IND", "JPN", "KAZ", "ARM", "GEO")
TYPES = ("GOV", "GOV", "GOV", "MIL", "BUS", "MED", "CVL", "OPP", "")
NAMES = ("VLADIMIR PUTIN", "ALEXANDER LUKASHENKO", "VOLODYMYR ZELENSKY", "JOHN SMITH",
         "EMMANUEL MACRON", "OLAF SCHOLZ", "A LOCAL OFFICIAL")
GROUPS = (("IGOEUREEC", "EEC"), ("IGOWSTNAT", "NAT"), ("IGOUNO", "UNO"))
REGIONS = ("EUR", "AFR", "MEA")


def _actor(rng: random.Random, prefix: str) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.7:
        c, t = rng.choice(COUNTRIES), rng.choice(TYPES)
        return {f"{prefix}Code": c + t, f"{prefix}CountryCode": c, f"{prefix}Type1Code": t,
                f"{prefix}Name": c}
    if roll < 0.85:
        return {f"{prefix}Name": rng.choice(NAMES), f"{prefix}CountryCode": rng.choice(COUNTRIES)}
    if roll < 0.95:
        code, group = rng.choice(GROUPS)
        return {f"{prefix}Code": code, f"{prefix}KnownGroupCode": group}
    region = rng.choice(REGIONS)
    return {f"{prefix}Code": region, f"{prefix}CountryCode": region}


def write_export(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    codes = sorted(plover.tables()["cameo"])
    cols = LAYOUTS[61]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            values = {"GLOBALEVENTID": str(1_000_000_000 + i),
                      "SQLDATE": f"2022{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
                      "EventCode": rng.choice(codes), "IsRootEvent": str(rng.randint(0, 1)),
                      "GoldsteinScale": f"{rng.uniform(-10, 10):.1f}",
                      "NumMentions": str(rng.randint(1, 40)), "AvgTone": f"{rng.gauss(-2, 3):.2f}",
                      "SOURCEURL": f"https://news{i % 50}.example/story/{i // 3}",
                      **_actor(rng, "Actor1")}
            if rng.random() < 0.8:
                values.update(_actor(rng, "Actor2"))
            fh.write("\t".join(values.get(c, "") for c in cols) + "\n")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "20220101000000.export.CSV"
        write_export(export, args.rows, args.seed)
        store = open_store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        first = import_exports(store, [export])
        t1 = time.perf_counter()
        again = import_exports(store, [export])
        t2 = time.perf_counter()
        store.close()
    out = {
        "rows": first.rows, "added": first.added, "skipped": dict(first.skipped),
        "seconds": round(t1 - t0, 2), "rows_per_s": round(first.rows / (t1 - t0)),
        "repeat_added": again.added, "repeat_seconds": round(t2 - t1, 2),
        "repeat_rows_per_s": round(again.rows / (t2 - t1)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
