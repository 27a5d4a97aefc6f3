"""The optional LLM writer against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_brief_fixtures import build_store

from storyline.brief.llm import (
    COMPOSE_PROMPT,
    SYSTEM_PROMPT,
    LLMConfig,
    LLMError,
    LLMWriter,
    cited_sentences,
)
from storyline.brief.render import iter_sentences
from storyline.brief.writer import BriefStage, BriefWriter

INVENTED = "Officials said 9999 joint patrols were agreed"


class FakeServer:
    """Answers /v1/chat/completions with one invented and (unless ``only_invented``) one
    faithful sentence: the first sentence of the prompt, markers kept."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.only_invented = False
        self.echo = False  # answer with the prompt itself, word for word
        self.fault: tuple[int, bytes] | None = None  # (status, body) to answer instead
        self.trickle = 0.0  # seconds between the bytes of the answer
        self.compose_answer = ""  # the answer to the compose request, when set
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
                content = prompt if server.echo else "\n".join(lines)
                if server.compose_answer and payload["messages"][0]["content"] == COMPOSE_PROMPT:
                    content = server.compose_answer
                reply = {"model": "served-model.gguf",
                         "choices": [{"message": {"role": "assistant", "content": content}}]}
                status, data = server.fault or (200, json.dumps(reply).encode())
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if not server.trickle:
                    self.wfile.write(data)
                    return
                for byte in data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(server.trickle)

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
    assert body["grounding"]["writer"] == "llm:served-model.gguf"  # as the server reports it
    # the faithful line of every section's answer (the compose request keeps nothing here)
    assert llm.kept >= len(fake_llm.requests) - 1 >= 4
    assert body["grounding"]["dropped"] >= len(fake_llm.requests) - 1 >= 4
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


def test_echoed_prompt_keeps_every_sentence(tmp_path, fake_llm):
    """A model that repeats its input ("Sentence. [1]", the marker after the full stop) loses
    nothing: citations are parsed wherever the model puts them."""
    fake_llm.echo = True
    store = build_store(tmp_path / "s.db")
    llm = LLMWriter(LLMConfig(fake_llm.url, "fake"))
    body = BriefWriter(store, llm=llm).write(store.storyline("S-northland-eastmark"))[0]
    sent = sum(len(r["messages"][-1]["content"].splitlines()) for r in fake_llm.requests
               if r["messages"][0]["content"] == SYSTEM_PROMPT)  # not the compose request
    assert llm.kept == sent and body["grounding"]["dropped"] == 0
    store.close()


@pytest.mark.parametrize(("line", "expected"), [
    ("Putin met Lukashenko in Minsk. [1]", [("Putin met Lukashenko in Minsk.", [1])]),
    ("A rose [1]. B fell [2][3].", [("A rose.", [1]), ("B fell.", [2, 3])]),
    ("Text [1, 2]. More [3].", [("Text.", [1, 2]), ("More.", [3])]),
    ("No citation.", [("No citation.", [])]),
])
def test_citations_parsed_wherever_the_model_puts_them(line, expected):
    assert cited_sentences(line) == expected


@pytest.mark.parametrize(("fault", "message"), [
    ((404, b'{"error": {"message": "model \'nope\' not found"}}'), "model 'nope' not found"),
    ((200, b"this is not json"), "not an OpenAI-style chat answer"),
    ((200, b'{"id": "x", "object": "chat.completion"}'), "no choices[0].message.content"),
    ((500, b'{"error": "out of memory"}'), "HTTP 500: out of memory"),
])
def test_server_faults_give_the_servers_own_message(fake_llm, fault, message):
    fake_llm.fault = fault
    llm = LLMWriter(LLMConfig(fake_llm.url, "nope", timeout=2, retries=1))
    with pytest.raises(LLMError, match=re.escape(message)):
        llm.complete("hello [1]")
    assert len(fake_llm.requests) == (2 if fault[0] >= 500 else 1)  # 5xx retried once


def test_trickling_server_hits_the_overall_deadline(fake_llm):
    fake_llm.trickle = 0.05  # a byte every 50 ms: each read is quick, the answer never ends
    llm = LLMWriter(LLMConfig(fake_llm.url, "m", timeout=2, deadline=1.0, retries=0))
    started = time.monotonic()
    with pytest.raises(LLMError, match="within 1 s"):
        llm.complete("hello [1]")
    assert time.monotonic() - started < 5


def test_a_failing_storyline_is_reported_and_the_stage_goes_on(tmp_path, fake_llm):
    fake_llm.fault = (500, b'{"error": "busy"}')
    store = build_store(tmp_path / "s.db")
    stage = BriefStage(store, BriefWriter(store, llm=LLMWriter(
        LLMConfig(fake_llm.url, "m", timeout=2, retries=0))))
    assert stage.run() == []
    assert "busy" in stage.failures["S-northland-eastmark"]
    assert store.brief_version("S-northland-eastmark") is None  # nothing half-written
    fake_llm.fault = None
    assert len(stage.run(force=True)) == 1 and stage.failures == {}
    store.close()


def test_compose_keeps_only_supported_parts(tmp_path, fake_llm):
    """The compose step gets the dated state with its cited sentences; a model title whose words
    the reports carry is kept, a lead citing a source for a number it does not hold is not."""
    store = build_store(tmp_path / "s.db")
    extractive = BriefWriter(store).write(store.storyline("S-northland-eastmark"))[0]
    harbor = next(src["n"] for src in extractive["sources"] if src["source"] == "Harbor Times")
    fake_llm.compose_answer = (
        "TITLE: Northland and Eastmark sign customs protocol\n"
        "LABEL: Customs protocol\n"
        "LEAD: Officials said 9999 joint patrols were agreed [1].\n"
        "SUMMARY: The presidents of Northland and Eastmark signed a customs protocol in Vella "
        f"[{harbor}].")
    llm = LLMWriter(LLMConfig(fake_llm.url, "fake"))
    body = BriefWriter(store, llm=llm).write(store.storyline("S-northland-eastmark"))[0]
    compose = [r for r in fake_llm.requests if r["messages"][0]["content"] == COMPOSE_PROMPT]
    assert len(compose) == 1 and "[1]" in compose[0]["messages"][-1]["content"]
    assert body["title"] == "Northland and Eastmark sign customs protocol"
    assert body["label"] == "Customs protocol"
    assert [s["text"] for s in body["lead"]] == [s["text"] for s in extractive["lead"]]
    assert not any("9999" in s["text"] for s in iter_sentences(body))
    assert body["summary"][0]["text"].startswith("The presidents of Northland and Eastmark")
    store.close()
