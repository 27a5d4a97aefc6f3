"""What a related report says of the story it is filed under.

A weakly related development is shown as *related coverage*; the brief says which of the
story's names and words its quoted sentences use ("the report names Russia and Vladimir Putin
and speaks of “unfriendly” but states no causal link to this story"), and says that no link is
stated only when they use none. Names are given as the brief names them: a demonym by its
country, a surname by the full name, a capital or metonym as written.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .cite import STOP_WORDS
from .labels import WORD
from .state import StorylineState, short_name


def named_in(entities: Sequence[str], texts: Sequence[str]) -> list[str]:
    """Which of the storyline's shared entities (names, as the linker found them) the quoted
    sentences themselves name, as they spell them; the longest first, none inside another."""
    joined = " ".join(texts)
    found: list[str] = []
    for entity in sorted({e for e in entities if isinstance(e, str)},
                         key=lambda e: (-len(e), e.lower(), e)):  # not set order: runs differ
        match = re.search(rf"\b{re.escape(entity)}\b", joined, re.I)
        if (match is None or len(entity) < 3 or not match.group(0)[:1].isupper()
                or not _name_like(entity) or is_calendar_word(entity)
                or any(entity.lower() in f.lower() for f in found)):
            continue
        found.append(max((_whole_name(joined, m) for m in re.finditer(
            rf"\b{re.escape(match.group(0))}\b", joined)), key=len))  # the fullest use
    return found[:3]


#: The rest of a name after one of its words: " al-Ghaithi", " bin Salman", " Dan".
_NAME_TAIL = re.compile(r"(?:[ -](?:(?:al|el|bin|ibn|de|van|von)[ -])?[A-Z][\w'’]*)+")


#: Month and weekday names: capitalised, but no name of a story.
_CALENDAR = frozenset(calendar.month_name[1:]) | frozenset(calendar.day_name)
#: Capitalised words that never continue a name ("London March 23", "England October").
_NOT_NAME = _CALENDAR | {"The", "A", "An", "In", "On", "At"}


def _whole_name(text: str, match: re.Match[str]) -> str:
    """The name a matched word begins, whole: the linker may know "Abdulmonem" and "Ghaithi"
    apart, the report says "Abdulmonem al-Ghaithi"."""
    tail = _NAME_TAIL.match(text, match.end())
    words = re.split(r"(?=[ -])", tail.group(0)) if tail else []
    kept = ""
    for w in words:
        if w.strip(" -") in _NOT_NAME:
            break
        kept += w
    return match.group(0) + kept


def is_calendar_word(word: str) -> bool:
    """A month or weekday name: capitalised, but no name of a story ("Tuesday")."""
    return word in _CALENDAR


def in_other_name(word: str, texts: Sequence[str], title: str) -> bool:
    """Whether every use of a title's name-word in ``texts`` is part of a longer name the title
    does not have ("Union" of "Union State" inside "European Union")."""
    uses = 0
    for text in texts:
        for m in re.finditer(rf"\b{re.escape(word)}\b", text):
            uses += 1
            before = re.search(r"(?:^|[^.!?]\s)([A-Z][\w'’-]*)\s+$", text[:m.start()])
            after = re.match(r"\s+([A-Z][\w'’-]*)", text[m.end():])
            longer = [f"{before.group(1)} {word}"] if before else []
            longer += [f"{word} {after.group(1)}"] if after else []
            if not longer or any(x in title for x in longer):
                return False
    return uses > 0


#: Small words a name may hold in lower case ("Bank of England", "Court of Justice").
_NAME_JOINERS = frozenset("of and the de del la le von van da al bin for".split())


def _name_like(entity: str) -> bool:
    """Whether a linker's entity reads as a name: every word capitalised or a joiner
    ("Union State", "Bank of England"; not "Bucharest mayor")."""
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _NAME_JOINERS
               for w in entity.split())


#: Title words too general to tie a report to the story ("Unfriendly Countries": not "countries").
_GENERIC = frozenset(
    "countries country states state nations nation government governments people officials "
    "world years group groups leaders public report reports news latest".split())


def said(name: str, named: Sequence[str]) -> bool:
    """Whether ``name`` is already among ``named`` under another form ("Russian", "Russia's"
    after "Russia"): the same first five letters of some word."""
    stems = {w.lower()[:5] for n in named for w in WORD.findall(n)}
    return any(w.lower()[:5] in stems for w in WORD.findall(name))


#: An English plural or verb ending, cut before a title word is looked for in a report.
_PLURAL = re.compile(r"(?:es|s|ed|ing)$")


def title_terms_named(title: str, texts: Sequence[str], idf: dict[str, float]) -> list[str]:
    """The brief title's content words (five letters or more, not stop words, known to the
    storyline's vocabulary ``idf``) that ``texts`` use, as they spell them: a related report
    using them speaks of the story's subject (the title is made of the story's names and the
    words its headlines share)."""
    joined = " ".join(texts)
    found: list[str] = []
    for word in WORD.findall(title):
        low = word.lower()
        if len(low) < 5 or low in STOP_WORDS or low in _GENERIC or low not in idf:
            continue
        stem = _PLURAL.sub("", low) if len(low) > 6 else low  # "investments": "investment"
        match = re.search(rf"\b{re.escape(stem)}\w*", joined, re.I)
        if match and match.group(0) not in found:
            found.append(match.group(0))
    return found


def reader_name(name: str, lang: str = "en") -> str:
    """A name as the brief says it when the resolver knows it whole ("Russian" → "Russia",
    "Putin" → "Vladimir Putin"; in a Russian brief "Russia" → "Россия"); else as written."""
    from storyline.actors.resolve import default_resolver

    found = default_resolver().resolve(name)
    if len(found) == 1 and found[0].text == name:
        return as_reader_says(found[0], lang)
    return name


def as_reader_says(match: Any, lang: str = "en") -> str:
    """A resolved mention as the brief names it: a demonym by its country ("Russian" →
    "Russia"), a surname by the full name; a capital, a metonym or a bloc as written ("Paris"
    stays Paris, not "France"). A Russian brief names each by its Russian name where the
    gazetteer has one ("the Kremlin" → "правительство России")."""
    if match.kind in ("country", "person"):
        return short_name(match.actor_id, lang=lang) or match.text
    if lang == "ru":
        from .russian import actor_name

        return actor_name(match.actor_id) or match.text
    return match.text


def actors_named(state: StorylineState, texts: Sequence[str], top: int = 8) -> list[str]:
    """The storyline's most coded actors (by country: "U.S." names the United States and its
    government) that ``texts`` name, as the brief names them (:func:`as_reader_says`)."""
    from storyline.actors.resolve import default_resolver

    counts: Counter[str] = Counter()  # as the brief's key actors are counted: by records
    for d in state.developments:  # related ones too
        counts.update(d.mentions or dict.fromkeys(d.actors, 1))
    main = {short_name(a, as_country=True) for a, _ in counts.most_common(top)}
    main.discard("")
    found: list[str] = []
    for text in texts:
        for m in default_resolver().resolve(text):
            name = as_reader_says(m)
            if (short_name(m.actor_id, as_country=True) in main and name not in found
                    and any(w[:1].isupper() for w in m.text.split())  # "the Pentagon"
                    and _name_like(name)):  # not an office ("Bucharest mayor")
                found.append(name)
    return found
