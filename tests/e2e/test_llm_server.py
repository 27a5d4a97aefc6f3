"""The LLM writer against a real llama.cpp server (SmolLM2-135M, on 127.0.0.1).

A 135M model invents facts, so nothing here expects good prose: it checks that whatever the
model returns either passes the grounding check or is replaced by the extractive text, that the
brief stays complete and cited, that the version records the model the server reports, and that
the command says what it did for each storyline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_brief_fixtures import SID, build_store  # noqa: E402

from storyline.brief.local_llm import MODEL_ALIAS, running_llm_server  # noqa: E402
from storyline.brief.render import iter_sentences  # noqa: E402
from storyline.brief.writer import BriefStage  # noqa: E402


@pytest.fixture(scope="module")
def llm_url():
    try:
        with running_llm_server() as url:
            yield url
    except ImportError as exc:
        pytest.skip(f"no local LLM server here ({exc}); pip install -e '.[llm]'")


def cli(db: Path, *args: str, url: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "STORYLINE_LLM_URL": url, "STORYLINE_LLM_MODEL": "anything",
               "STORYLINE_HOME": str(db.parent / "home"), **env}
    return subprocess.run([sys.executable, "-m", "storyline", "--db", str(db), *args],
                          capture_output=True, text=True, env=environ, timeout=600)


def test_llm_rewrite_keeps_every_guarantee_of_the_extractive_brief(tmp_path, llm_url):
    db = tmp_path / "s.db"
    store = build_store(db)
    [first] = BriefStage(store).run()
    store.close()
    proc = cli(db, "briefs", "write", "--llm", "-s", SID, "--json", url=llm_url,
               STORYLINE_LLM_MAX_TOKENS="160", STORYLINE_LLM_TIMEOUT="240")
    assert proc.returncode == 0, proc.stderr
    [row] = json.loads(proc.stdout)["written"]
    assert row["storyline_id"] == SID and row["version"] == first.version + 1
    assert row["result"] in ("rewritten", "extractive")
    body = json.loads(cli(db, "brief", SID, "--json", url=llm_url).stdout)
    grounding = body["grounding"]
    # the model the server reports (its alias), not the one asked for
    assert grounding["writer"] in (f"llm:{MODEL_ALIAS}", "extractive")
    assert (grounding["writer"] != "extractive") == (row["result"] == "rewritten")
    for key in ("title", "label", "headline", "lead", "significance", "outlook", "summary"):
        assert body[key], key
    numbers = {s["n"] for s in body["sources"]}
    for sentence in iter_sentences(body):
        assert sentence.get("note") or (sentence["cites"] and set(sentence["cites"]) <= numbers)
    # every model sentence that was kept passed the check; the rest were dropped and counted
    assert grounding["checked"] >= grounding["dropped"] >= 0


def test_llm_server_down_fails_with_a_clear_message_and_keeps_the_brief(tmp_path, llm_url):
    db = tmp_path / "s.db"
    store = build_store(db)
    BriefStage(store).run()
    store.close()
    proc = cli(db, "briefs", "write", "--llm", url="http://127.0.0.1:9",
               STORYLINE_LLM_RETRIES="0", STORYLINE_LLM_TIMEOUT="2")
    assert proc.returncode == 1, proc.stdout
    assert f"{SID}: failed" in proc.stderr and "127.0.0.1:9" in proc.stderr
    assert "Traceback" not in proc.stderr
    versions = json.loads(cli(db, "briefs", "list", "--json", url=llm_url).stdout)
    assert [v["version"] for v in versions if v["storyline_id"] == SID] == [1]
