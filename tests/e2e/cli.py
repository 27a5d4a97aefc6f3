"""Run the real ``storyline`` command in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path


def run(
    db: Path | str, *args: str, check: bool = True, timeout: float = 300,
    home: Path | None = None,
) -> subprocess.CompletedProcess:
    """``storyline --db DB ARGS`` in a subprocess; ``DB`` a file (its folder holds the user
    data directory) or a PostgreSQL URL (then pass ``home``)."""
    home = home or Path(db).parent / "home"
    env = {**os.environ, "STORYLINE_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("STORYLINE_DB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "--db", str(db), *args],
        capture_output=True, text=True, env=env, timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"storyline {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def run_json(db: Path | str, *args: str, home: Path | None = None):
    return json.loads(run(db, *args, "--json", home=home).stdout)


WORDS = (
    "minister council border grain pipeline visa tariff summit envoy treaty election court "
    "refinery harbour drone bridge flood river village factory bank rouble export import "
    "parliament decree embassy sanction list ally partner union army navy port railway"
).split()


def synthetic_articles(n: int, seed: int = 7) -> list[dict]:
    """Distinct, dissimilar articles (random word salads), so none is a near copy of another."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) + str(rng.randrange(10_000)) for _ in range(60))
        rows.append({"id": f"s{i}", "title": f"Report {i}", "text": text,
                     "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "lang": "en",
                     "source": f"Outlet {i % 7}", "url": f"https://news{i % 5}.example/a/{i}"})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    path.write_text(lines, encoding="utf-8")
    return path


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite store (the backup API, safe with WAL), for a test that
    writes to a database other tests read."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
