"""Brief bodies (BRIEF_SCHEMA, see ``model.BriefVersion``) as the web shows and exports them.

The page template walks the body itself; this module adds what a template should not compute:
the citation table, the sentence-level difference between two versions, and the Markdown/HTML
exports. When ``storyline.brief.render`` offers renderers they are used for the exports, so the
CLI and the API give the same text; the fallbacks here follow the same schema.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from markupsafe import Markup

log = logging.getLogger(__name__)

SENTENCE_LISTS = ("lead", "significance", "outlook", "summary")


def sentences(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every sentence of a brief body, in reading order."""
    yield from body.get("lead") or []
    main = body.get("main_event") or {}
    yield from main.get("sentences") or []
    for point in main.get("key_points") or []:
        yield from point.get("sentences") or []
    for dev in body.get("developments") or []:
        yield from dev.get("sentences") or []
    for name in ("significance", "outlook", "summary"):
        yield from body.get(name) or []


def sources_by_number(body: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Citation number -> source entry (article id, title, outlet, date, URL)."""
    out: dict[int, dict[str, Any]] = {}
    for src in body.get("sources") or []:
        try:
            out[int(src.get("n"))] = src
        except (TypeError, ValueError):
            continue
    return out


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()


def diff(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, list[Any]]:
    """Sentences added in ``current`` (as sentence dicts, with their citations) and texts
    dropped from ``previous``, compared by normalised text."""
    if previous is None:
        return {"added": [], "removed": []}
    now = list(sentences(current))
    before = [s.get("text", "") for s in sentences(previous)]
    now_keys = {_norm(s.get("text", "")) for s in now}
    before_keys = {_norm(t) for t in before}
    return {
        "added": [s for s in now if _norm(s.get("text", "")) not in before_keys],
        "removed": [t for t in before if _norm(t) not in now_keys],
    }


def _plain_sentences(items: list[dict[str, Any]]) -> str:
    return " ".join(
        s.get("text", "") + "".join(f" [{n}]" for n in s.get("cites") or []) for s in items
    )


@lru_cache(maxsize=1)
def brief_renderer() -> Any:
    """``storyline.brief.render`` (the CLI's renderers) when importable, else None.

    Imported once (at app start-up: it pulls in the brief stage's dependencies) so that the
    API's Markdown and HTML exports are the same text the CLI prints.
    """
    try:
        from ..brief import render as module
    except Exception:  # a broken or absent brief package must not take the web face down
        log.warning("storyline.brief.render unavailable; using the web's fallback renderers",
                    exc_info=True)
        return None
    return module


def to_markdown(body: dict[str, Any]) -> str:
    """The brief as Markdown (citations as ``[n]``, sources listed at the end)."""
    module = brief_renderer()
    if module is not None and callable(getattr(module, "to_markdown", None)):
        return str(module.to_markdown(body))
    return fallback_markdown(body)


def html_fragment(body: dict[str, Any]) -> Markup | None:
    """The brief renderer's escaped HTML fragment, or None when it is unavailable."""
    module = brief_renderer()
    if module is not None and callable(getattr(module, "to_html", None)):
        return Markup(module.to_html(body, article_url="/articles/{id}"))
    return None


def fallback_markdown(body: dict[str, Any]) -> str:
    """Markdown following BRIEF_SCHEMA, used when the brief package is not installed."""
    lines = [f"# {body.get('headline') or body.get('title') or ''}", ""]
    if body.get("title"):
        lines += [f"*{body['title']}* — version {body.get('version', '?')}", ""]
    if body.get("lead"):
        lines += [_plain_sentences(body["lead"]), ""]
    main = body.get("main_event") or {}
    if main:
        lines += [f"## {main.get('subtitle') or 'Main event'}", "",
                  _plain_sentences(main.get("sentences") or []), ""]
        for point in main.get("key_points") or []:
            lines.append(f"- **{point.get('label', '')}**: "
                         f"{_plain_sentences(point.get('sentences') or [])}")
        lines.append("")
    devs = body.get("developments") or []
    if devs:
        lines += ["## Developments", ""]
        for dev in devs:
            tag = " (new)" if dev.get("new") else ""
            if dev.get("relation") == "related":
                tag += f" (related coverage, relatedness {dev.get('relatedness', 0):.2f})"
            lines.append(f"- {dev.get('date', '')} **{dev.get('label', '')}**{tag}: "
                         f"{_plain_sentences(dev.get('sentences') or [])}")
        lines.append("")
    for name, heading in (("significance", "Significance"), ("outlook", "Outlook"),
                          ("summary", "Summary")):
        if body.get(name):
            lines += [f"## {heading}", "", _plain_sentences(body[name]), ""]
    if body.get("sources"):
        lines += ["## Sources", ""]
        for src in body["sources"]:
            where = f" <{src['url']}>" if src.get("url") else ""
            lines.append(f"{src.get('n')}. {src.get('source') or ''}: {src.get('title') or ''} "
                         f"({(src.get('published') or '')[:10]}){where}")
    return "\n".join(lines).rstrip() + "\n"


def to_json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, indent=1)
