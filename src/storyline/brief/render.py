"""Brief bodies as Markdown, an HTML fragment or JSON, and the "new since last version" view.

The renderers only lay out the body: every sentence comes from the body with its citation
markers, and the few words they add are fixed templates. Those templates never state a cause
(``CONNECTIVES`` is checked against :data:`storyline.brief.cite.CAUSAL` by the tests): a
weakly related development is shown as *related coverage* with its relatedness score and the
plain statement that no link is stated.

HTML is a fragment for the web UI: every article-derived string is escaped, citations link to
the numbered source list (``#src-N``), sources link to the article page (``/articles/ID``) and
to the original URL only when it is http(s).
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any
from urllib.parse import quote

from . import phrases

FORMATS = ("md", "html", "json")
SENTENCE_LISTS = ("lead", "significance", "outlook", "summary")

#: Every fixed phrase the renderers add around source sentences in an English brief (none may
#: assert causation); a body's ``lang`` picks its language's (:mod:`storyline.brief.phrases`).
CONNECTIVES = phrases.CONNECTIVES["en"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str | None) -> str:
    """Article-derived text made inert in Markdown (no links, emphasis or HTML from sources)."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def _safe_url(url: str | None) -> str | None:
    """An http(s) URL with every character that could end a Markdown autolink or an HTML
    attribute (``<>"'`` backticks, spaces, controls) percent-encoded; None for other schemes."""
    if not url or not re.match(r"https?://", url.strip(), re.I):
        return None
    return quote(url.strip(), safe=_URL_SAFE)


#: Characters left as they are in a shown URL: the RFC 3986 reserved and unreserved ones, and %.
_URL_SAFE = ":/?#[]@!$&()*+,;=%~-._"


def _cites_md(cites: list[int]) -> str:
    return "".join(f" [{n}]" for n in cites)


def _sentences_md(sentences: list[dict[str, Any]], lang: str | None = "en") -> str:
    c = phrases.connectives(lang)
    parts = []
    for s in sentences:
        if s.get("note"):  # the sources hold nothing for this section: said, not claimed
            parts.append(f"*{md(s['text'])}*")
            continue
        flag = f" ({c['weak']})" if s.get("flag") else ""
        original = f" ({c['original']}: «{md(s['original'])}»)" if s.get("original") else ""
        parts.append(f"{md(s['text'])}{_cites_md(s['cites'])}{flag}{original}")
    return " ".join(parts)


def relation_text(dev: dict[str, Any], lang: str | None = "en") -> str:
    """How a development's bullet is tagged: "new", or for related coverage its relatedness and
    what its report says of the story ("the report names Russia … but states no causal link to
    this story", or that no link is stated). Markdown, HTML and the web pages use it; ``lang``
    is the brief's."""
    c = phrases.connectives(lang)
    if dev.get("relation") == "related":
        score = float(dev.get("relatedness") or 0.0)
        reasons = dev.get("reasons") or {}
        if reasons.get("reference"):  # gathered as what a later report refers back to
            return c["related_referred"].format(score=score, reference=reasons["reference"])
        what = phrases.relation_what(reasons.get("named_in_report") or [],
                                     reasons.get("terms_in_report") or [], lang or "en")
        listed = "".join(
            c["related_listed"].format(n=len(x.get("named") or []), of=x.get("of"),
                                       name=phrases.list_phrase(x.get("name") or lid, lid,
                                                                lang or "en"))
            for lid, x in sorted((reasons.get("list_states") or {}).items()))
        if what:
            return c["related_named"].format(score=score, what=what) + listed
        return c["related"].format(score=score) + listed
    return c["new"] if dev.get("new") else ""


def _translation_note(src: dict[str, Any], numbers: dict[int, int],
                      lang: str | None = "en") -> str:
    """" (translation of 3)" for the same outlet's report in another language (``writer``)."""
    original = src.get("translation_of")
    if original is None:
        return ""
    c = phrases.connectives(lang)
    n = numbers.get(int(original))
    return f" ({c['translation_of'].format(n=n)})" if n else f" ({c['translation_earlier']})"


def _source_numbers(body: dict[str, Any]) -> dict[int, int]:
    return {int(s["article_id"]): int(s["n"]) for s in body.get("sources", [])
            if s.get("article_id") is not None}


def _source_line(src: dict[str, Any], numbers: dict[int, int] | None = None,
                 lang: str | None = "en") -> str:
    when = (src.get("published") or "")[:10]
    meta = ", ".join(md(x) for x in (src.get("source"), when) if x)
    url = _safe_url(src.get("url"))
    return f"{src['n']}. {md(src.get('title'))}" + (f" — {meta}" if meta else "") + (
        _translation_note(src, numbers or {}, lang)) + (f" <{url}>" if url else "")


def to_markdown(body: dict[str, Any]) -> str:
    """The seed's shape: title, label, headline, lead, main event with labelled key points,
    developments, significance, outlook, summary and a numbered source list."""
    lang = body.get("lang") or "en"
    c = phrases.connectives(lang)

    def said(sentences: list[dict[str, Any]]) -> str:
        return _sentences_md(sentences, lang)

    out = [f"# {md(body.get('title'))}", "", f"*{md(body.get('label'))}*", "",
           f"**{md(body.get('headline'))}**", ""]
    if body.get("lead"):
        out += [said(body["lead"]), ""]
    main = body.get("main_event") or {}
    if main:
        out += [f"## {c['main_event']}: {md(main.get('subtitle'))}", ""]
        if main.get("sentences"):
            out += [said(main["sentences"]), ""]
        if main.get("key_points"):
            out.append(c["key_points"])
            out += [f"- **{md(p['label'])}:** {said(p['sentences'])}"
                    for p in main["key_points"]]
            out.append("")
    if body.get("developments_note") and not body.get("developments"):
        out += [f"## {c['developments']}", "", f"*{md(body['developments_note'])}*", ""]
    if body.get("developments"):
        out += [f"## {c['developments']}", ""]
        for dev in body["developments"]:
            tags = ", ".join(x for x in (dev.get("date"), relation_text(dev, lang)) if x)
            out.append(f"- **{md(dev['label'])}** ({tags}): {said(dev['sentences'])}")
        out.append("")
    for name in ("significance", "outlook", "summary"):
        if body.get(name):
            out += [f"## {c[name]}", ""]
            out += [f"- {said([s])}" for s in body[name]] if name != "summary" else [
                said(body[name])]
            out.append("")
    if body.get("key_actors"):
        out += [f"## {c['key_actors']}", "",
                ", ".join(f"{md(a['name'])} ({a['mentions']})" for a in body["key_actors"]), ""]
    if body.get("sources"):
        out += [f"## {c['sources']}", ""]
        numbers = _source_numbers(body)
        out += [_source_line(src, numbers, lang) for src in body["sources"]]
        out.append("")
    return "\n".join(out)


def sentence_sections(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(section, Sentence) for every sentence of a body, in reading order; the section is a
    top-level key: lead, main_event, developments, significance, outlook or summary."""
    main = body.get("main_event") or {}
    pairs = [("lead", s) for s in body.get("lead", [])]
    pairs += [("main_event", s) for s in main.get("sentences", [])]
    pairs += [("main_event", s) for p in main.get("key_points", []) for s in p["sentences"]]
    pairs += [("developments", s) for d in body.get("developments", []) for s in d["sentences"]]
    for name in SENTENCE_LISTS[1:]:
        pairs += [(name, s) for s in body.get(name, [])]
    return pairs


def iter_sentences(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Sentence of a body in reading order."""
    return [sentence for _, sentence in sentence_sections(body)]


# -- HTML ----------------------------------------------------------------------------------
def _cites_html(cites: list[int]) -> str:
    return "".join(f'<sup class="cite"><a href="#src-{int(n)}">[{int(n)}]</a></sup>'
                   for n in cites)


def _sentence_html(s: dict[str, Any], lang: str | None = "en") -> str:
    c = phrases.connectives(lang)
    if s.get("note"):
        return f'<span class="note"><em>{escape(s["text"])}</em></span>'
    flag = (f' data-flag="weak-support" title="{escape(c["weak"])}"' if s.get("flag") else "")
    original = (f'<details class="original"><summary>{escape(c["original"])}</summary>'
                f'<q>{escape(s["original"])}</q></details>' if s.get("original") else "")
    return (f'<span class="sentence"{flag}>{escape(s["text"])}</span>{_cites_html(s["cites"])}'
            f"{original}")


def _para(sentences: list[dict[str, Any]], cls: str, lang: str | None = "en") -> str:
    return f'<p class="{cls}">' + " ".join(_sentence_html(s, lang) for s in sentences) + "</p>"


def _source_html(src: dict[str, Any], article_url: str,
                 numbers: dict[int, int] | None = None, lang: str | None = "en") -> str:
    n = int(src["n"])
    title = escape(src.get("title") or "untitled")
    if src.get("article_id") is not None:
        title = f'<a href="{escape(article_url.format(id=int(src["article_id"])))}">{title}</a>'
    meta = ", ".join(escape(x) for x in (src.get("source"), (src.get("published") or "")[:10])
                     if x)
    url = _safe_url(src.get("url"))
    original = (f' <a class="original" href="{escape(url)}" rel="noopener noreferrer nofollow">'
                "original</a>" if url else "")
    note = escape(_translation_note(src, numbers or {}, lang))
    return f'<li id="src-{n}">{title}{" — " + meta if meta else ""}{note}{original}</li>'


def to_html(body: dict[str, Any], article_url: str = "/articles/{id}") -> str:
    """An HTML fragment (``<article class="brief">``) with every source string escaped."""
    lang = body.get("lang") or "en"
    c = phrases.connectives(lang)

    def said(sentences: list[dict[str, Any]]) -> str:
        return " ".join(_sentence_html(s, lang) for s in sentences)

    out = [f'<article class="brief" data-storyline="{escape(str(body.get("storyline_id", "")))}"'
           f' data-version="{int(body.get("version") or 0)}" lang="{escape(lang)}">',
           f'<h1 class="title">{escape(body.get("title") or "")}</h1>',
           f'<p class="label">{escape(body.get("label") or "")}</p>',
           f'<h2 class="headline">{escape(body.get("headline") or "")}</h2>']
    if body.get("lead"):
        out.append(_para(body["lead"], "lead", lang))
    main = body.get("main_event") or {}
    if main:
        out.append(f'<section class="main-event"><h3>{escape(c["main_event"])}: '
                   f'{escape(main.get("subtitle") or "")}</h3>')
        if main.get("sentences"):
            out.append(_para(main["sentences"], "main", lang))
        if main.get("key_points"):
            out.append(f'<p>{escape(c["key_points"])}</p><ul class="key-points">')
            out += [f'<li><strong>{escape(p["label"])}:</strong> ' + said(p["sentences"])
                    + "</li>" for p in main["key_points"]]
            out.append("</ul>")
        out.append("</section>")
    if body.get("developments_note") and not body.get("developments"):
        out.append(f'<section class="developments"><h3>{escape(c["developments"])}</h3>'
                   f'<p class="note"><em>{escape(body["developments_note"])}</em></p></section>')
    if body.get("developments"):
        out.append(f'<section class="developments"><h3>{escape(c["developments"])}</h3><ul>')
        for dev in body["developments"]:
            tags = ", ".join(escape(x) for x in (dev.get("date"), relation_text(dev, lang)) if x)
            cls = "related" if dev.get("relation") == "related" else "development"
            out.append(f'<li class="{cls}" data-event="{int(dev["event_id"])}"><strong>'
                       f'{escape(dev["label"])}</strong> <span class="tags">({tags})</span>: '
                       + said(dev["sentences"]) + "</li>")
        out.append("</ul></section>")
    for name in ("significance", "outlook", "summary"):
        if body.get(name):
            out.append(f'<section class="{name}"><h3>{escape(c[name])}</h3>'
                       + _para(body[name], name, lang) + "</section>")
    if body.get("key_actors"):
        out.append(f'<section class="key-actors"><h3>{escape(c["key_actors"])}</h3><p>'
                   + ", ".join(f'{escape(a["name"])} ({int(a["mentions"])})'
                               for a in body["key_actors"]) + "</p></section>")
    if body.get("sources"):
        out.append(f'<section class="sources"><h3>{escape(c["sources"])}</h3><ol>')
        numbers = _source_numbers(body)
        out += [_source_html(src, article_url, numbers, lang) for src in body["sources"]]
        out.append("</ol></section>")
    out.append("</article>")
    return "\n".join(out)


def to_json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, indent=2)


def render(body: dict[str, Any], fmt: str = "md") -> str:
    """``body`` in ``md``, ``html`` or ``json``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return {"md": to_markdown, "html": to_html, "json": to_json}[fmt](body)


# -- what is new since the previous version ------------------------------------------------
def diff_view(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """What ``current`` adds to ``previous``: new events (with labels and relation) and the
    sentences whose text the previous version did not have. Citation numbers are those of
    ``current``; ``sources`` lists the ones the new sentences cite."""
    new_ids = set((current.get("new_since") or {}).get("event_ids") or [])
    old_texts = {s["text"] for s in iter_sentences(previous)} if previous else set()
    developments = {d["event_id"]: d for d in current.get("developments", [])}
    events = []
    main_id = (current.get("main_event") or {}).get("event_id")
    if previous is None:  # first version: every event it covers is new
        new_ids = set(developments) | ({main_id} if main_id is not None else set())
    for eid in sorted(new_ids):
        dev = developments.get(eid)
        if dev is None and eid == main_id:
            dev = {"label": current["main_event"].get("subtitle"), "relation": "development",
                   "date": None, "relatedness": None}
        events.append({"event_id": eid, "label": (dev or {}).get("label"),
                       "date": (dev or {}).get("date"),
                       "relation": (dev or {}).get("relation", "development"),
                       "relatedness": (dev or {}).get("relatedness")})
    sentences = [{"section": name, **s} for name, s in sentence_sections(current)
                 if s["text"] not in old_texts]
    cited = {n for s in sentences for n in s["cites"]}
    return {
        "storyline_id": current.get("storyline_id"), "version": current.get("version"),
        "lang": current.get("lang") or "en",
        "previous_version": previous.get("version") if previous else None,
        "events": events, "sentences": sentences,
        "sources": [src for src in current.get("sources", []) if src["n"] in cited],
    }


def diff_markdown(diff: dict[str, Any]) -> str:
    lang = diff.get("lang") or "en"
    c = phrases.connectives(lang)
    prev = diff.get("previous_version")
    head = c["diff_title"].format(previous=prev) if prev else c["diff_first"]
    out = [f"# {head} ({c['diff_version'].format(version=diff.get('version'))})", ""]
    if diff["events"]:
        out += [f"## {c['diff_events']}", ""]
        for ev in diff["events"]:
            tag = relation_text({**ev, "new": False}, lang)
            tags = ", ".join(x for x in (ev.get("date"), tag) if x)
            out.append(f"- **{md(ev.get('label') or str(ev['event_id']))}**"
                       + (f" ({tags})" if tags else ""))
        out.append("")
    if diff["sentences"]:
        out += [f"## {c['diff_sentences']}", ""]
        out += [f"- {c[s['section']]}: {_sentences_md([s], lang)}"
                for s in diff["sentences"]]
        out.append("")
    if not diff["events"] and not diff["sentences"]:
        out += [c["none"], ""]
    if diff["sources"]:
        out += [f"## {c['sources']}", ""]
        out += [_source_line(src, _source_numbers(diff), lang) for src in diff["sources"]]
        out.append("")
    return "\n".join(out)


def diff_html(diff: dict[str, Any], article_url: str = "/articles/{id}") -> str:
    lang = diff.get("lang") or "en"
    c = phrases.connectives(lang)
    prev = diff.get("previous_version")
    head = c["diff_title"].format(previous=prev) if prev else c["diff_first"]
    out = [f'<section class="brief-diff" data-version="{int(diff.get("version") or 0)}">',
           f"<h2>{escape(head)}</h2>"]
    if diff["events"]:
        out.append(f'<h3>{c["diff_events"]}</h3><ul class="new-events">')
        for ev in diff["events"]:
            tags = ", ".join(escape(x) for x in
                             (ev.get("date"), relation_text({**ev, "new": False}, lang)) if x)
            out.append(f'<li data-event="{int(ev["event_id"])}"><strong>'
                       f'{escape(ev.get("label") or str(ev["event_id"]))}</strong>'
                       + (f" ({tags})" if tags else "") + "</li>")
        out.append("</ul>")
    if diff["sentences"]:
        out.append(f'<h3>{c["diff_sentences"]}</h3><ul class="new-sentences">')
        out += [f'<li data-section="{escape(s["section"])}">{_sentence_html(s, lang)}</li>'
                for s in diff["sentences"]]
        out.append("</ul>")
    if not diff["events"] and not diff["sentences"]:
        out.append(f"<p>{c['none']}</p>")
    if diff["sources"]:
        out.append('<ol class="sources">')
        out += [_source_html(src, article_url, _source_numbers(diff), lang)
                for src in diff["sources"]]
        out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def render_diff(diff: dict[str, Any], fmt: str = "md") -> str:
    """The diff view in ``md``, ``html`` or ``json``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "json":
        return to_json(diff)
    return diff_markdown(diff) if fmt == "md" else diff_html(diff)
