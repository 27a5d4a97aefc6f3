"""The evaluation files in ../shared load as they are (skipped in a user checkout without it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli import run_json

GVA = Path(__file__).resolve().parents[3] / "shared" / "data" / "clustering" / "gva_dev.jsonl"


@pytest.mark.skipif(not GVA.exists(), reason="../shared/data is not present (user checkout)")
def test_gva_dev_loads_as_is_and_second_ingest_adds_nothing(tmp_path):
    db = tmp_path / "gva.db"
    rows = sum(1 for line in GVA.open(encoding="utf-8") if line.strip())
    first = run_json(db, "ingest", str(GVA), "--ingest-only")
    assert first["rejected"] == 0
    assert first["ingested"] + first["duplicates"] + first["near_duplicates"] == rows
    second = run_json(db, "ingest", str(GVA), "--ingest-only")
    assert second["ingested"] == 0 and second["already_stored"] == rows
    assert run_json(db, "stats")["articles"] == first["ingested"]
