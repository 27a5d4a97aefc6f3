"""Russian grammar for briefs written in Russian (``storyline brief ID --lang ru``).

A Russian brief composes a few sentences of its own — a development reported only in English
or Ukrainian told from its coded action, the storyline's title and summary — and Russian
inflects: the subject's gender decides the verb ("Россия ввела", "Правительство России ввело",
"США ввели"), a preposition decides the case of what follows ("против Беларуси", "с
Евросоюзом"), a number decides its noun ("1 событие", "3 события", "5 событий"). This module
does exactly that with pymorphy3 (its Russian dictionary ships as a PyPI package): it inflects
the names the gazetteer gives in Russian, never a quoted source sentence.

* :func:`actor_name` — an actor's Russian name ("Россия", "Владимир Путин", "правительство
  России", the official list's own name);
* :func:`inflect` — a name in a case: the leading nominative words change ("Европейский союз"
  → "Европейского союза"; "правительство России" → "правительства России"); indeclinables
  ("США", "Лукашенко") and words in Latin script stay as they are;
* :func:`agree` — a past-tense phrase agreeing with its subject ("ввёл меры" → "ввела меры");
* :func:`plural` — the noun form a number takes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
#: Parts of speech of the words a name's head may hold (adjectives, participles, nouns).
_NAME_POS = {"NOUN", "ADJF", "PRTF"}
#: Grammatical cases by the names used in templates.
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def is_cyrillic_name(name: str) -> bool:
    """Whether a name is written in Cyrillic (its first letter)."""
    letter = next((c for c in name if c.isalpha()), "")
    return bool(letter) and bool(_CYRILLIC_WORD.match(letter))


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form a count takes: 1 событие, 2 события, 5 событий, 21 событие, 11 событий."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """"3 события"."""
    return f"{n} {plural(n, one, few, many)}"


def _nominative(word: str) -> Any | None:
    """The likeliest nominative reading of a Cyrillic word of a name, or None."""
    if not _CYRILLIC_WORD.fullmatch(word):
        return None
    for parse in _morph().parse(word):
        if "nomn" in parse.tag and parse.tag.POS in _NAME_POS:
            return parse
    return None


def _cased_like(source: str, word: str) -> str:
    """``word`` written with ``source``'s capitals ("европейского" after "Европейский")."""
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _head(name: str) -> list[tuple[str, Any]]:
    """The leading words of a name that change with its case, with their readings: adjectives
    and participles up to the first noun, and a person's surname after a first name
    ("Владимир Путин"); "правительство России" stops at "правительство"."""
    words = name.split(" ")
    out: list[tuple[str, Any]] = []
    for n, word in enumerate(words):
        parse = _nominative(word)
        if parse is None:
            break
        out.append((word, parse))
        if parse.tag.POS == "NOUN":
            after = _nominative(words[n + 1]) if n + 1 < len(words) else None
            if not ({"Name"} <= parse.tag.grammemes and after is not None
                    and "Surn" in after.tag.grammemes):
                break
    return out


def inflect(name: str, case: str, *, person: bool = False,
            woman: bool | None = None) -> str:
    """``name`` (nominative) in ``case`` (``gent``, ``datv``, ``accs``, ``ablt``, ``loct``).
    A ``person``'s every name declines as a man's does ("Башар Асад" → "Башара Асада"), or,
    for a ``woman`` (when not given: a feminine first name says so), only the names ending in
    -а/-я ("Урсула фон дер Ляйен" → "Урсулы фон дер Ляйен")."""
    if case == "nomn" or not name:
        return name
    if person:
        if woman is None:
            woman = gender(name, person=True) == "femn"
        return _inflect_person(name, case, woman)
    head = _head(name)
    nouns = [parse for _, parse in head if parse.tag.POS == "NOUN"]
    if case == "accs" and nouns and "inan" in nouns[0].tag and (
            "masc" in nouns[0].tag or "plur" in nouns[0].tag):
        return name  # an inanimate masculine or plural: the accusative is the nominative
    words = name.split(" ")
    for n, (word, parse) in enumerate(head):
        wanted = {case} | ({"plur"} if "plur" in parse.tag else set())
        form = parse.inflect(wanted) or parse.inflect({case})
        if form is not None:
            words[n] = _cased_like(word, form.word)
    return " ".join(words)


def _inflect_person(name: str, case: str, woman: bool) -> str:
    words = name.split(" ")
    for n, word in enumerate(words):
        if not _CYRILLIC_WORD.fullmatch(word) or not word[:1].isupper():
            continue  # "фон", "дер", "аль-": particles stay
        in_a = word.lower().endswith(("а", "я"))
        if woman and not in_a:
            continue  # "Меркель", "Ляйен": a woman's consonant-final name does not decline
        readings = [p for p in _morph().parse(word) if p.tag.POS == "NOUN" and "nomn" in p.tag
                    and "Fixd" not in p.tag.grammemes and "plur" not in p.tag
                    and (in_a or "masc" in p.tag.grammemes or "ms-f" in p.tag.grammemes)]
        form = readings[0].inflect({case, "sing"}) if readings else None
        if form is not None:
            words[n] = _cased_like(word, form.word)
    return " ".join(words)


def gender(name: str, *, person: bool = False, woman: bool | None = None) -> str:
    """What a past-tense verb agrees with: ``masc``, ``femn``, ``neut`` or ``plur``. A
    ``person`` is a ``woman`` when the gazetteer says so; when it does not know, masculine
    unless a first name in the name is feminine (a surname alone says nothing: "Кисида" is a
    man)."""
    if person and woman is not None:
        return "femn" if woman else "masc"
    if person:
        words = name.split(" ")
        first = next((p for p in _morph().parse(words[0])
                      if "Name" in p.tag.grammemes and "nomn" in p.tag), None)
        if len(words) > 1 and first is not None and "femn" in first.tag.grammemes:
            return "femn"
        return "masc"
    head = _head(name)
    if not head:
        return "masc"  # a name in Latin script ("Ariston"): a company, said as "it"
    _, parse = head[0]
    if "plur" in parse.tag or "Pltm" in parse.tag.grammemes:
        return "plur"
    for grammeme in ("femn", "neut", "masc"):
        if grammeme in parse.tag.grammemes:
            return grammeme
    return "masc"  # "ms-f" surnames read as the masculine


def agree(phrase: str, subject: str, *, person: bool = False,
          woman: bool | None = None) -> str:
    """A past-tense phrase written for a masculine subject ("ввёл меры"), its verb made to
    agree with ``subject`` ("Россия" → "ввела меры", "США" → "ввели меры")."""
    verb, _, rest = phrase.partition(" ")
    wanted = gender(subject, person=person, woman=woman)
    if wanted == "masc":
        return phrase
    for parse in _morph().parse(verb):
        if parse.tag.POS == "VERB" and "past" in parse.tag:
            form = parse.inflect({wanted} if wanted != "plur" else {"plur"})
            if form is not None:
                return " ".join(x for x in (form.word, rest) if x)
    return phrase


# -- names ---------------------------------------------------------------------------------
def is_woman(actor_id: str | None) -> bool | None:
    """For a person: whether the gazetteer marks them as a woman (``"gender": "f"`` in
    people.json); None for others."""
    if not actor_id or not actor_id.startswith("PERSON:"):
        return None
    from storyline.actors.gazetteer import Gazetteer

    actor = Gazetteer.load().get(actor_id)
    return bool(actor) and actor.meta.get("gender") == "f"


def actor_name(actor_id: str | None) -> str:
    """An actor as a Russian sentence names it: "Россия", "правительство Беларуси",
    "Владимир Путин", "перечень иностранных государств …"; '' for an unknown id. A country
    without a hand-written name takes pycountry's Russian one; an actor without any Russian
    name keeps its own ("Ariston")."""
    if not actor_id:
        return ""
    from storyline.actors.gazetteer import Gazetteer

    if actor_id.endswith(".GOV"):
        country = actor_name(actor_id[:-4])
        return f"правительство {inflect(country, 'gent')}" if country else ""
    actor = Gazetteer.load().get(actor_id)
    if actor is None:
        return ""
    if actor.meta.get("name_ru"):  # hand-written: actors.json, people.json, the lists
        return str(actor.meta["name_ru"])
    if actor.kind == "country" and len(actor_id) == 3:
        return _country_name(actor_id) or actor.name
    spellings = actor.aliases.get("ru") or []
    return spellings[0] if spellings else actor.name


def _country_name(a3: str) -> str:
    """pycountry's Russian name of a country ("Албания", "Исландия")."""
    import pycountry

    from storyline.actors.gazetteer import _translations

    country = pycountry.countries.get(alpha_3=a3)
    if country is None:
        return ""
    tr = _translations("ru")
    for name in (getattr(country, "common_name", None), country.name):
        if name and (text := tr.gettext(name)) != name:
            return text
    return ""


# -- labels --------------------------------------------------------------------------------
#: Where a phrase cannot run on: punctuation, quotes, dashes.
_BREAK = re.compile(r"[,.;:!?()\[\]\"«»“”„—–/]|\s-\s")
#: Nouns that say when or how much, not what: never a label's head.
_VAGUE_NOUNS = frozenset(
    "год неделя месяц день время раз час минута сутки число часть ряд сторона тысяча "
    "миллион миллиард процент человек слово вопрос случай образ мера итог конец начало "
    "середина утро вечер ночь январь февраль март апрель май июнь июль август сентябрь "
    "октябрь ноябрь декабрь понедельник вторник среда четверг пятница суббота воскресенье"
    .split())
#: Pronominal and ordinal words that may not open a label ("этот", "свой", "первый").
_NOT_IN_LABEL = frozenset("Apro Anum Subx".split())


def _reading(word: str) -> Any:
    return _morph().parse(word)[0]


def _to_nominative(word: str, parse: Any, head: Any) -> str:
    """A word of a noun phrase in the nominative, agreeing with the phrase's head noun."""
    number = "plur" if "plur" in head.tag else "sing"
    wanted = {"nomn", number}
    if parse is not head and number == "sing" and head.tag.gender:
        wanted.add(head.tag.gender)  # "железнодорожного сообщения" → "железнодорожное"
    lower = word.lower()

    def shared(form: str) -> int:  # "Высшего" is "высший", not "высочайший" (one lexeme)
        return next((n for n, (a, b) in enumerate(zip(form, lower, strict=False)) if a != b),
                    min(len(form), len(lower)))

    for grammemes in (wanted, {"nomn", number}, {"nomn"}):
        forms = [f.word for f in parse.lexeme if grammemes <= f.tag.grammemes]
        if forms:
            best = max(forms, key=lambda f: (shared(f), -abs(len(f) - len(lower))))
            if shared(best) >= 3:
                return _cased_like(word, best)
    return word


def _agreeing(modifiers: list[str], noun: str) -> tuple[Any, list[Any]]:
    """Readings of a noun and the adjectives before it that agree in number, case and gender
    ("европейские компании" is plural, though "компании" alone reads as a singular genitive)."""
    nouns = [p for p in _morph().parse(noun) if p.tag.POS == "NOUN"] or [_reading(noun)]
    options = [[p for p in _morph().parse(w) if p.tag.POS in ("ADJF", "PRTF")] or [_reading(w)]
               for w in modifiers]
    for head in nouns:
        chosen = []
        for parses in options:
            match = next((p for p in parses if p.tag.number == head.tag.number
                          and p.tag.case == head.tag.case
                          and (head.tag.number == "plur"
                               or p.tag.gender in (None, head.tag.gender))), None)
            if match is None:
                break
            chosen.append(match)
        else:
            return head, chosen
    return nouns[0], [parses[0] for parses in options]


def noun_phrases(text: str, max_words: int = 4) -> list[tuple[str, float, str]]:
    """Noun phrases of a Russian text as a label says them, in the nominative: adjectives and
    their head noun, with at most one noun in the genitive after it ("технологического
    суверенитета" → "технологический суверенитет", "пакет документов"). Each comes with a
    weight (a phrase headed by a name weighs half: a label says what happened, not only who)
    and the words as the text wrote them (for their IDF)."""
    out: list[tuple[str, float, str]] = []
    for chunk in _BREAK.split(text):
        words = _CYRILLIC_WORD.findall(chunk)
        readings = [_reading(w) for w in words]
        n = 0
        while n < len(words):
            start = n
            while (n < len(words) and readings[n].tag.POS in ("ADJF", "PRTF")
                   and not (_NOT_IN_LABEL & readings[n].tag.grammemes)):
                n += 1
            if n >= len(words) or readings[n].tag.POS != "NOUN":
                n = max(n, start + 1)
                continue
            if readings[n].normal_form in _VAGUE_NOUNS:
                n += 1
                continue
            head, modifiers = _agreeing(words[start:n], words[n])
            said = [_to_nominative(w, r, head) for w, r in
                    zip(words[start:n + 1], [*modifiers, head], strict=True)]
            written = words[start:n + 1]
            after = n + 1
            if (after < len(words) and readings[after].tag.POS == "NOUN"
                    and "gent" in readings[after].tag
                    and readings[after].normal_form not in _VAGUE_NOUNS):
                said.append(words[after])
                written.append(words[after])
                after += 1
            weight = 0.5 if {"Name", "Surn", "Patr", "Geox"} & head.tag.grammemes else 1.0
            for first in range(len(said)):  # the whole phrase and its shorter tails
                if len(said) - first <= max_words and (first == 0 or first < n + 1 - start):
                    out.append((" ".join(said[first:]), weight, " ".join(written[first:])))
            n = after
    return out


def sentence_case(phrase: str) -> str:
    """A Russian label's capitals: the first letter, and the names the source capitalised."""
    return phrase[:1].upper() + phrase[1:]


def has_verb(text: str) -> bool:
    """Whether a Russian text has a finite verb (its likeliest reading)."""
    return any(_reading(w).tag.POS == "VERB" for w in _CYRILLIC_WORD.findall(text))
