"""The optional LLM writer against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_brief_fixtures import build_store

from storyline.brief.llm import LLMConfig, LLMError, LLMWriter
from storyline.brief.render import iter_sentences
from storyline.brief.writer import BriefStage, BriefWriter

INVENTED = "Officials said 9999 joint patrols were agreed"


class FakeServer:
    """Answers /v1/chat/completions with one invented and (unless ``only_invented``) one
    faithful sentence: the first sentence of the prompt, markers kept."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.only_invented = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, **payload})
                prompt = payload["messages"][-1]["content"]
                first = prompt.splitlines()[0]
                marker = re.search(r"\[\d+\]", first).group(0)
                lines = [f"{INVENTED} {marker}."]
                if not server.only_invented:
                    lines.append(f"- {first}")
                reply = {"choices": [{"message": {"role": "assistant",
                                                  "content": "\n".join(lines)}}]}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def fake_llm() -> Iterator[FakeServer]:
    server = FakeServer()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_config_from_env_and_endpoint():
    assert LLMConfig.from_env({}) is None
    config = LLMConfig.from_env({"STORYLINE_LLM_URL": "http://127.0.0.1:11434/",
                                 "STORYLINE_LLM_MODEL": "smollm2"})
    assert config.model == "smollm2"
    assert config.endpoint == "http://127.0.0.1:11434/v1/chat/completions"
    assert LLMConfig("http://h/v1", "m").endpoint == "http://h/v1/chat/completions"


def test_invented_number_rejected_faithful_sentence_kept(tmp_path, fake_llm):
    store = build_store(tmp_path / "s.db")
    extractive = BriefWriter(store).write(store.storyline("S-northland-eastmark"))[0]
    llm = LLMWriter(LLMConfig(fake_llm.url, "fake"))
    body = BriefWriter(store, llm=llm).write(store.storyline("S-northland-eastmark"))[0]
    texts = [s["text"] for s in iter_sentences(body)]
    assert not any("9999" in t for t in texts)
    assert body["lead"][0]["text"] == extractive["lead"][0]["text"]  # the faithful rewrite
    assert body["grounding"]["writer"] == "llm:fake"
    assert body["grounding"]["dropped"] >= len(fake_llm.requests) >= 5
    request = fake_llm.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["model"] == "fake"
    assert request["messages"][0]["role"] == "system"
    # developments (and so related coverage) are never sent to the model
    related = [d for d in body["developments"] if d["relation"] == "related"]
    assert related and related[0]["sentences"] == next(
        d for d in extractive["developments"] if d["relation"] == "related")["sentences"]
    numbers = {s["n"] for s in body["sources"]}
    assert all(set(s["cites"]) <= numbers for s in iter_sentences(body))
    store.close()


def test_section_keeps_extractive_text_when_nothing_survives(tmp_path, fake_llm):
    fake_llm.only_invented = True
    store = build_store(tmp_path / "s.db")
    llm = LLMWriter(LLMConfig(fake_llm.url, "fake"))
    [brief] = BriefStage(store, BriefWriter(store, llm=llm)).run()
    extractive = BriefWriter(store).write(store.storyline("S-northland-eastmark"))[0]
    assert [s["text"] for s in brief.body["lead"]] == [s["text"] for s in extractive["lead"]]
    assert not any("9999" in s["text"] for s in iter_sentences(brief.body))
    store.close()


def test_unreachable_server_raises_clear_error():
    llm = LLMWriter(LLMConfig("http://127.0.0.1:9", "m", timeout=2))
    with pytest.raises(LLMError, match="127.0.0.1:9"):
        llm.complete("hello")
