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

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from storyline.text_units import split_sentences

from .cite import Evidence, GroundingChecker, GroundingReport, SentenceCheck, strip_citations

SYSTEM_PROMPT = (
    "You edit sections of a news brief. Rewrite the numbered-citation sentences you are given "
    "into clear, concise English prose. Rules: use only facts stated in the given sentences; "
    "do not add names, numbers, dates, causes, motives or opinions; end every sentence with the "
    "citation markers, such as [2], of the sentences it uses; write one sentence per line; "
    "output only the rewritten sentences."
)


class LLMError(Exception):
    """The server could not be reached or answered something unusable (message says which)."""


@dataclass
class LLMConfig:
    """Where the OpenAI-compatible server is and how to call it."""

    url: str
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    temperature: float = 0.2
    max_tokens: int = 512

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LLMConfig | None:
        """From ``STORYLINE_LLM_URL``, ``STORYLINE_LLM_MODEL`` (default ``local``) and
        ``STORYLINE_LLM_API_KEY``; ``None`` when no URL is set (the LLM writer is off)."""
        env = os.environ if env is None else env
        url = env.get("STORYLINE_LLM_URL", "").strip()
        if not url:
            return None
        return cls(url=url, model=env.get("STORYLINE_LLM_MODEL", "").strip() or "local",
                   api_key=env.get("STORYLINE_LLM_API_KEY") or None)

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
        self.client = client or httpx.Client(timeout=config.timeout)
        self.name = f"llm:{config.model}"

    def complete(self, prompt: str) -> str:
        """The assistant message for one user prompt (raises :class:`LLMError`)."""
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        payload = {"model": self.config.model, "temperature": self.config.temperature,
                   "max_tokens": self.config.max_tokens,
                   "messages": [{"role": "system", "content": SYSTEM_PROMPT},
                                {"role": "user", "content": prompt}]}
        try:
            response = self.client.post(self.config.endpoint, json=payload, headers=headers)
            response.raise_for_status()
            return str(response.json()["choices"][0]["message"]["content"] or "")
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"{self.config.endpoint}: {exc}") from exc

    def rewrite_sentences(
        self, sentences: list[dict[str, Any]], sources: Mapping[int, str], report: GroundingReport
    ) -> list[dict[str, Any]]:
        """Grounded rewrite of one section's sentences; the originals when nothing survives."""
        if not sentences:
            return sentences
        allowed = {n for s in sentences for n in s["cites"]}
        prompt = "\n".join(s["text"] + "".join(f" [{n}]" for n in s["cites"]) for s in sentences)
        answer = self.complete(prompt)
        kept = []
        for line in answer.splitlines():
            for piece in split_sentences(line.strip().lstrip("-*• ").strip()):
                text, cites = strip_citations(piece)
                if not text:
                    continue
                if not cites or not set(cites) <= allowed:
                    report.add(SentenceCheck(text, "drop", 0.0,
                                             reason="missing or foreign citation"))
                    continue
                check = self.checker.check(text, Evidence(sources[n] for n in cites))
                report.add(check)
                if check.verdict != "drop":
                    kept.append({"text": text, "cites": cites,
                                 "flag": "weak-support" if check.verdict == "flag" else None})
        return kept or sentences

    def rewrite(self, body: dict[str, Any], article_text: Callable[[int], str | None]
                ) -> GroundingReport:
        """Rewrite lead, main-event paragraph, key points, significance, outlook and summary."""
        by_n = {s["n"]: article_text(s["article_id"]) or "" for s in body.get("sources", [])}
        report = GroundingReport()
        for name in ("lead", "significance", "outlook", "summary"):
            body[name] = self.rewrite_sentences(body.get(name, []), by_n, report)
        main = body.get("main_event") or {}
        if main:
            main["sentences"] = self.rewrite_sentences(main.get("sentences", []), by_n, report)
            for point in main.get("key_points", []):
                point["sentences"] = self.rewrite_sentences(point["sentences"], by_n, report)
        return report
