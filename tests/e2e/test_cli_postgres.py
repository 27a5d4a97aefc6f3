"""A team's install: every command and the web server on a PostgreSQL database (``--db
postgresql://...``), on a throwaway server on 127.0.0.1 (skipped where PostgreSQL is not
installed)."""

from __future__ import annotations

import re
from importlib import resources

import httpx
from cli import run
from test_web_support import running_server

from storyline.model import Storyline
from storyline.store import open_store

CORPUS = resources.files("storyline.demo").joinpath("corpus.jsonl")


def test_cli_and_web_server_on_postgresql(postgres_url, tmp_path):
    url = postgres_url.replace("storyline@", "storyline:not-shown@")  # trust auth ignores it

    def cli(url: str, *args: str, check: bool = True):
        return run(url, *args, check=check, home=tmp_path / "home")

    out = cli(url, "ingest", str(CORPUS)).stdout
    assert re.search(r"ingested 116 .* into 50 new events", " ".join(out.split()))
    assert "ingested 0 " in cli(url, "ingest", str(CORPUS)).stdout  # idempotent
    stats = cli(url, "stats", "--json").stdout
    assert '"storylines": 14' in stats and "not-shown" not in stats and "***" in stats
    assert "# Russia and Belarus: Union State" in cli(url, "brief", "sl1").stdout
    russian = cli(url, "brief", "sl1", "--lang", "ru").stdout  # written now from PostgreSQL
    assert russian.startswith("# Россия и Беларусь: ") and "## Главное событие: " in russian
    assert "BLR→RUS" in cli(url, "relations", "RUS", "BLR").stdout
    token = cli(url, "token", "create", "--name", "team").stdout.split()[-1]

    with running_server(url) as base, httpx.Client(base_url=base, timeout=20) as web:
        for path in ("/", "/storylines/sl1", "/actors", "/actors/RUS?with=BLR",
                     "/search?q=visa", "/events/1", "/articles/1", "/sources",
                     "/api/v1/storylines", "/api/v1/actors", "/api/v1/search?q=Lukashenko",
                     "/api/v1/articles?since=0"):
            resp = web.get(path)
            assert resp.status_code == 200, (path, resp.text[:300])
        assert "Union State" in web.get("/storylines/sl1").text
        # answers are cached, and a commit from another connection invalidates them at once
        assert "Renamed story" not in web.get("/").text
        store = open_store(url)
        story = store.storyline("sl1")
        store.save_storylines([Storyline(**{**story.__dict__, "title": "Renamed story"})])
        store.close()
        assert "Renamed story" in web.get("/").text
        made = web.post("/api/v1/watches", headers={"Authorization": f"Bearer {token}"},
                        json={"kind": "pair", "target": "RUS|BLR", "cooldown_s": 0})
        assert made.status_code == 201, made.text
    assert "BLR|RUS" in cli(url, "watches", "list").stdout  # pairs are stored sorted
