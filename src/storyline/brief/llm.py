"""Optional LLM rewriting of a brief's sections through any OpenAI-compatible server.

Off by default. When ``STORYLINE_LLM_URL`` (e.g. ``http://127.0.0.1:8080`` for llama.cpp,
``http://127.0.0.1:11434`` for Ollama, a vLLM server...) and ``STORYLINE_LLM_MODEL`` are set,
``storyline briefs write --llm`` sends each prose section of the extractive draft to
``POST {url}/v1/chat/completions`` and asks for a tighter rewrite that keeps the ``[n]``
citation markers. The model is not trusted: every sentence it returns must cite a number the
section already cited and pass :class:`~storyline.brief.cite.GroundingChecker` against those
sources (numbers, names, causal wording, content words). Failing sentences are dropped; a section
left empty keeps its extractive sentences. Developments (and so related coverage) are never
rewritten: quoting them verbatim is what keeps a model from inventing a link between reports.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from storyline.text_units import split_sentences

from .cite import Evidence, GroundingChecker, GroundingReport, SentenceCheck, strip_citations
from .writer import RewriterError

SYSTEM_PROMPT = (
    "You edit sections of a news brief. Rewrite the numbered-citation sentences you are given "
    "into clear, concise English prose. Rules: use only facts stated in the given sentences; "
    "do not add names, numbers, dates, causes, motives or opinions; end every sentence with the "
    "citation markers, such as [2], of the sentences it uses; write one sentence per line; "
    "output only the rewritten sentences."
)


class LLMError(RewriterError):
    """The server could not be reached or answered something unusable (message says which)."""


@dataclass
class LLMConfig:
    """Where the OpenAI-compatible server is and how to call it."""

    url: str
    model: str
    api_key: str | None = None
    timeout: float = 120.0  # longest silence while connecting or reading (a CPU model
    # answering without streaming is silent until it has written the whole answer)
    deadline: float = 300.0  # the whole call, however the server trickles its answer
    retries: int = 1  # further tries after a connection failure, a timeout or an HTTP 5xx
    temperature: float = 0.2
    max_tokens: int = 512

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LLMConfig | None:
        """From ``STORYLINE_LLM_URL``, ``STORYLINE_LLM_MODEL`` (default ``local``),
        ``STORYLINE_LLM_API_KEY``, ``STORYLINE_LLM_TIMEOUT``, ``STORYLINE_LLM_DEADLINE``,
        ``STORYLINE_LLM_RETRIES`` and ``STORYLINE_LLM_MAX_TOKENS``; ``None`` when no URL is set
        (the LLM writer is off)."""
        env = os.environ if env is None else env
        url = env.get("STORYLINE_LLM_URL", "").strip()
        if not url:
            return None

        def number(name: str, default: float) -> float:
            raw = env.get(name, "").strip()
            try:
                value = float(raw) if raw else default
            except ValueError:
                raise LLMError(f"{name}={raw!r}: give a number of seconds") from None
            if value < 0:
                raise LLMError(f"{name}={raw!r}: must not be negative")
            return value

        return cls(url=url, model=env.get("STORYLINE_LLM_MODEL", "").strip() or "local",
                   api_key=env.get("STORYLINE_LLM_API_KEY") or None,
                   timeout=number("STORYLINE_LLM_TIMEOUT", cls.timeout),
                   deadline=number("STORYLINE_LLM_DEADLINE", cls.deadline),
                   retries=int(number("STORYLINE_LLM_RETRIES", cls.retries)),
                   max_tokens=max(16, int(number("STORYLINE_LLM_MAX_TOKENS", cls.max_tokens))))

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        return base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")


class LLMWriter:
    """Rewrites the prose sections of a brief body in place, under the grounding check.

    Args:
        config: server, model and sampling settings.
        checker: the grounding check shared with the extractive writer.
        client: an ``httpx.Client`` to reuse (tests pass one); created when omitted.
    """

    def __init__(self, config: LLMConfig, checker: GroundingChecker | None = None,
                 client: httpx.Client | None = None) -> None:
        self.config = config
        self.checker = checker or GroundingChecker()
        self.client = client or httpx.Client(timeout=config.timeout, trust_env=False)
        self.name = f"llm:{config.model}"  # the model the server reports, once it has answered
        self.kept = 0  # model sentences kept by the last :meth:`rewrite`
        #: over the writer's life: sentences returned, kept, and dropped by reason
        self.stats: Counter[str] = Counter()

    def complete(self, prompt: str, system: str = SYSTEM_PROMPT) -> str:
        """The assistant message for one user prompt (raises :class:`LLMError`), retried after
        a connection failure, a timeout or a server error."""
        payload = {"model": self.config.model, "temperature": self.config.temperature,
                   "max_tokens": self.config.max_tokens,
                   "messages": [{"role": "system", "content": system},
                                {"role": "user", "content": prompt}]}
        for attempt in range(self.config.retries + 1):
            try:
                return self._call(payload)
            except _Retryable as exc:
                if attempt == self.config.retries:
                    raise LLMError(str(exc)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _call(self, payload: dict[str, Any]) -> str:
        """One request, read within the overall deadline; the message content."""
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        where = self.config.endpoint
        deadline = time.monotonic() + self.config.deadline
        body = bytearray()
        try:
            with self.client.stream("POST", where, json=payload, headers=headers) as response:
                for chunk in response.iter_bytes():
                    body += chunk
                    if time.monotonic() > deadline:
                        raise _Retryable(f"{where}: no complete answer within "
                                         f"{self.config.deadline:g} s (the server is too slow)")
                status = response.status_code
        except httpx.TimeoutException as exc:
            raise _Retryable(f"{where}: timed out ({type(exc).__name__}, "
                             f"{self.config.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise _Retryable(f"{where}: {type(exc).__name__}: {exc or 'no detail'}") from None
        text = body.decode("utf-8", errors="replace")
        if status >= 400:
            message = f"{where}: HTTP {status}: {_server_message(text)}"
            if status >= 500:
                raise _Retryable(message)
            raise LLMError(message)
        try:
            answer = json.loads(text)
            content = answer["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMError(f"{where}: not an OpenAI-style chat answer (no "
                           f"choices[0].message.content): {text[:200]!r}") from None
        reported = answer.get("model") if isinstance(answer, dict) else None
        if isinstance(reported, str) and reported.strip():  # llama.cpp may report a file path
            self.name = f"llm:{reported.strip().replace(chr(92), '/').rsplit('/', 1)[-1]}"
        return str(content or "")

    def rewrite_sentences(
        self, sentences: list[dict[str, Any]], sources: Mapping[int, str], report: GroundingReport
    ) -> list[dict[str, Any]]:
        """Grounded rewrite of one section's quoted sentences; the originals when nothing
        survives. Composed sentences (built from the storyline's state) and notes are kept as
        they are, after the rewrite: there is no source sentence for a model to reword."""
        fixed = [s for s in sentences if s.get("composed") or s.get("note")]
        if fixed:
            quoted = [s for s in sentences if not (s.get("composed") or s.get("note"))]
            return self.rewrite_sentences(quoted, sources, report) + fixed
        if not sentences:
            return sentences
        allowed = {n for s in sentences for n in s["cites"]}
        prompt = "\n".join(s.get("quote", s["text"]) + "".join(f" [{n}]" for n in s["cites"])
                           for s in sentences)  # the verbatim quotes, as the sources have them
        answer = self.complete(prompt)
        kept = [sentence for line in answer.splitlines()
                for sentence in self._checked(line.strip().lstrip("-*• "), allowed, sources,
                                              report)]
        return kept or sentences

    def rewrite(self, body: dict[str, Any], article_text: Callable[[int], str | None]
                ) -> GroundingReport:
        """Compose title, label, lead and summary from the storyline's dated state
        (:meth:`compose`), then rewrite the main-event paragraph, key points, significance and
        outlook sentence by sentence; every model sentence passes the grounding check or the
        extractive text stays in its slot."""
        by_n = {s["n"]: article_text(s["article_id"]) or "" for s in body.get("sources", [])}
        report = GroundingReport()
        self.kept = 0
        self.compose(body, by_n, report)
        for name in ("significance", "outlook"):
            body[name] = self.rewrite_sentences(body.get(name, []), by_n, report)
        main = body.get("main_event") or {}
        if main:
            main["sentences"] = self.rewrite_sentences(main.get("sentences", []), by_n, report)
            for point in main.get("key_points", []):
                point["sentences"] = self.rewrite_sentences(point["sentences"], by_n, report)
        return report


    def compose(self, body: dict[str, Any], sources: Mapping[int, str],
                report: GroundingReport) -> None:
        """Ask the model for the parts quoting cannot give, from the dated developments and
        their cited sentences: TITLE, LABEL, LEAD and SUMMARY lines. A lead or summary sentence
        is kept only with citations of its own that pass the check; a title or label only when
        every content word of it is supported by the cited reports; else the writer's own."""
        prompt = state_prompt(body)
        if not prompt:
            return
        answer = self.complete(prompt, system=COMPOSE_PROMPT)
        parts = _labelled_lines(answer)
        every = Evidence(sources.values())
        for key in ("title", "label"):
            text = parts.get(key, "").strip().strip('"*').strip()
            if not text or len(text.split()) > 12:
                continue
            self.stats["returned"] += 1
            check = self.checker.check(text, every)
            report.add(check)
            if check.verdict == "drop":
                self.stats[f"dropped: {check.reason or 'unsupported'}"] += 1
            else:
                self.stats["kept"] += 1
                self.kept += 1
                body[key] = text
        cited = {n for n in sources}
        for key in ("lead", "summary"):
            kept = self._checked(parts.get(key, ""), cited, sources, report)
            if kept:
                body[key] = kept

    def _checked(self, text: str, allowed: set[int], sources: Mapping[int, str],
                 report: GroundingReport) -> list[dict[str, Any]]:
        """The model's sentences of ``text`` that carry citations of ``allowed`` sources and
        pass the check against them."""
        kept = []
        for sentence, cites in cited_sentences(text.strip()):
            self.stats["returned"] += 1
            if not cites or not set(cites) <= allowed:
                report.add(SentenceCheck(sentence, "drop", 0.0,
                                         reason="missing or foreign citation"))
                self.stats["dropped: missing or foreign citation"] += 1
                continue
            check = self.checker.check(sentence, Evidence(sources[n] for n in cites))
            report.add(check)
            if check.verdict == "drop":
                self.stats[f"dropped: {check.reason or 'unsupported'}"] += 1
                continue
            self.stats["kept"] += 1
            self.kept += 1
            kept.append({"text": sentence, "cites": cites,
                         "flag": "weak-support" if check.verdict == "flag" else None})
        return kept


COMPOSE_PROMPT = (
    "You write the opening of a news brief from dated developments, each with numbered source "
    "sentences. Use only facts in those sentences; add no names, numbers, dates, causes or "
    "opinions. Answer in English with exactly four lines:\n"
    "TITLE: who and what the story is about, at most 10 words\n"
    "LABEL: 2 to 4 words\n"
    "LEAD: one or two sentences on the newest development, each ending with its [n]\n"
    "SUMMARY: two sentences on how the story developed, each ending with its [n]"
)


def state_prompt(body: dict[str, Any]) -> str:
    """The storyline's dated state as the model reads it: each development with its day,
    relation and the brief's cited sentences of it, newest last."""
    state = body.get("state") or {}
    by_article = {s["article_id"]: s["n"] for s in body.get("sources", [])}
    quoted: dict[int, list[str]] = {}
    main = body.get("main_event") or {}
    sections = [(main.get("event_id"), main.get("sentences", []))]
    sections += [(p_event, p["sentences"]) for p_event in [main.get("event_id")]
                 for p in main.get("key_points", [])]
    sections += [(d["event_id"], d["sentences"]) for d in body.get("developments", [])]
    for event_id, sentences in sections:
        for s in sentences:
            if s.get("note"):
                continue
            text = s.get("quote", s["text"])
            quoted.setdefault(event_id, []).append(
                text + "".join(f" [{n}]" for n in s["cites"]))
    lines = []
    for dev in state.get("developments", []):
        said = quoted.get(dev["event_id"])
        if not said:
            continue
        numbers = sorted({by_article[a] for a in dev.get("article_ids", []) if a in by_article})
        kind = "related coverage" if dev.get("relation") == "related" else "development"
        lines.append(f"{dev.get('date') or 'undated'} ({kind}, sources "
                     f"{', '.join(f'[{n}]' for n in numbers)}):")
        lines += [f"  {text}" for text in said[:3]]
    return "\n".join(lines)


def _labelled_lines(answer: str) -> dict[str, str]:
    """``TITLE: …`` / ``LABEL: …`` / ``LEAD: …`` / ``SUMMARY: …`` lines of an answer (a label
    may be bold or in any case; a part may run on over the following unlabelled lines)."""
    parts: dict[str, str] = {}
    current = None
    for raw in answer.splitlines():
        line = raw.strip().strip("*").strip()
        match = re.match(r"(?i)^(title|label|lead|summary)\s*\**\s*:\s*(.*)$", line)
        if match:
            current = match.group(1).lower()
            parts[current] = match.group(2).strip()
        elif current and line:
            parts[current] += " " + line
    return parts


class _Retryable(Exception):
    """A failure worth another try: no connection, a timeout, a server error."""


def _server_message(text: str) -> str:
    """The server's own error message from its body (OpenAI, llama.cpp and Ollama put it in
    ``error.message`` or ``error``), else the body's start."""
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:300] or "(empty body)"
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])[:300]
    if isinstance(error, str):
        return error[:300]
    return text.strip()[:300]


_ONLY_MARKERS = re.compile(r"^(\s*\[\d+(?:\s*,\s*\d+)*\]\s*[.;,]?)+$")


def cited_sentences(line: str) -> list[tuple[str, list[int]]]:
    """A model's line as (sentence, citations) pairs, wherever it put its ``[n]`` markers:
    "Text [1].", "Text. [1]", "Text [1][2].", "Text [1, 2]. More [3]." A piece that is only
    markers (the sentence splitter cuts "Text. [1]" after the full stop) belongs to the
    sentence before it."""
    out: list[tuple[str, list[int]]] = []
    for piece in split_sentences(line):
        text, cites = strip_citations(piece)
        if _ONLY_MARKERS.match(piece) or not text.strip(" .;,"):
            if out:
                out[-1][1].extend(n for n in cites if n not in out[-1][1])
            continue
        out.append((text, cites))
    return out
