"""What a search query means, in every language, rendered for SQLite FTS5 and PostgreSQL.

storyline's reports are in English, Russian, Ukrainian and Belarusian, so a word typed in one of
them should find the reports written in the others. :func:`parse` reads the search box the way
the stores always did (words; all must match unless ``OR`` stands between two of them; never
query syntax) and then widens some of the words:

* **actors** — words the gazetteer's resolver reads as an actor (any alias, any language, case
  endings included: "Lukashenko", "Лукашэнку", "Белоруссии", "the Kremlin", "Belarusian
  president") also match every other spelling of that actor: "Lukashenko" finds "Лукашенко",
  "Лукашэнка" and "Lukashenka". A capital matches its own spellings only (a search for "Minsk"
  is not a search for all of Belarus); place and weak names are not widened;
* **domain words** — words of the hand-written lexicon (``data/search_lexicon.json``: sanctions,
  'unfriendly', decree, embassy, gas, troops, ...) also match their equivalents:
  "недружественных" finds "unfriendly" and "недружні".

Russian, Ukrainian and Belarusian words inflect, so their alternatives are matched on stems: an
alias word loses its final vowel (or its adjective ending), and a stem of five letters or more is
searched as a prefix ("лукашенк*"; "Россия" as "росси*", not "росс*", which would find
"россыпь"); a shorter word is searched as its case forms ("Иран": иран, ирана, ирану ...), one
that does not decline as itself, and an alias that is, or would find, a function word ("Того",
Togo: "того", "тогда") only as itself. An alias of one word that the lexicon knows as a common
word ("Газа", Gaza, is also "газа", of gas) is left out.
Short Latin acronyms that are also English words ("US", "WHO") are left out: full-text search
ignores case, so "US" would find every "us".

The typed words always stay part of the query, so a widened query finds everything the plain
one found. A query with no actor and no lexicon word is exactly the plain query of before.

The same :class:`SearchQuery` renders as an FTS5 ``MATCH`` expression (:meth:`SearchQuery.fts5`)
and as a PostgreSQL ``to_tsquery('simple', ...)`` string (:meth:`SearchQuery.tsquery`); only the
syntax differs. Every rendered word comes from ``\\w+`` runs of the input or the data, and is
quoted, so no input can inject operators (``NEAR``, ``*``, ``-``, ``^``, parentheses, quotes).
For actor groups the stores also match the actor ids of coded event records
(:attr:`Group.actors`), and :meth:`SearchQuery.matched` tells which spelling found a report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..actors.gazetteer import Alias, Gazetteer
    from ..actors.resolve import Resolver

__all__ = ["Group", "SearchQuery", "Term", "lexicon", "parse", "stem_term"]

WORD_RE = re.compile(r"\w+", re.U)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
#: Final letters dropped from a Cyrillic word to get its stem (vowels, soft and hard signs).
_STRIP = set("аеёиоуыэюяйьъіїєў")
#: Adjective endings, dropped whole from an alias word of six letters or more when one of the
#: consonants adjective stems end in comes before them ("российская", "союзное"; "Францыя" is a
#: noun).
_ADJECTIVE_ENDINGS = frozenset({"ий", "ый", "ой", "ій", "ая", "яя", "ое", "ее", "ие", "ые", "ыя",
                                "ую", "юю", "ае"})
#: The case forms of a short Cyrillic noun by its last letter ("" — a consonant): Russian,
#: Ukrainian and Belarusian endings together.
_CASE_FORMS = {
    "": ("", "а", "у", "е", "ом", "і", "ам"),
    "а": ("а", "ы", "и", "і", "у", "е", "ой", "ою", "ай"),
    "я": ("я", "и", "і", "ї", "ю", "ей", "ею", "єю", "яй"),
    "ь": ("ь", "я", "ю", "е", "ем", "і", "и"),
    "й": ("й", "я", "ю", "е", "ем", "ї", "і"),
}
#: Alias kinds that name the actor itself (places, weak names and capitals do not).
_NAMING_KINDS = frozenset({"name", "person", "organisation", "company", "group", "metonym"})
#: Words whose lexicon concept :meth:`Lexicon._word` remembers at most.
_WORD_MEMO = 200_000
#: How many other spellings an explanation line lists before "and N more".
_SHOWN = 16
#: How a person's latest office is described in labels ("Alexander Lukashenko (BLR leader)").
_ROLE_WORDS = {
    "hos": "leader", "hog": "leader", "leader": "leader", "foreign_minister": "foreign minister",
    "defence_minister": "defence minister", "sg": "secretary-general",
    "un_sg": "secretary-general", "nato_sg": "secretary-general",
    "eu_commission_president": "Commission president", "eu_council_president": "Council president",
    "eu_hrvp": "foreign policy chief",
}


# ------------------------------------------------------------------------------ terms
@dataclass(frozen=True)
class Term:
    """One word to find: lower-case, matched whole or (``prefix``) as the start of a word."""

    word: str
    prefix: bool = False

    def covers(self, other: Term) -> bool:
        """Whether every word ``other`` matches is matched by this term too."""
        if self.prefix:
            return other.word.startswith(self.word)
        return not other.prefix and other.word == self.word


Phrase = tuple[Term, ...]


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC_RE.search(word))


def stem_term(word: str) -> list[Term]:
    """The terms that find ``word`` under any case ending. A Latin word is itself. A Cyrillic
    word loses its final vowel or soft sign (both letters of an adjective ending: "-ский" →
    "-ск"); a stem of five letters or more is a prefix ("Лукашенко" → ``лукашенк*``, "Россия" →
    ``росси*``); a shorter one gives the word's case forms, as whole words ("Иран" → иран,
    ирана, ирану ...; "Куба" → куба, кубы, кубе ...: a prefix ``куба*`` would find Кубань), and
    a short word that does not decline ("Перу", "Того") is itself."""
    low = word.lower()
    if not is_cyrillic(low):
        return [Term(low)]
    stem = low
    if len(low) >= 6 and low[-2:] in _ADJECTIVE_ENDINGS and low[-3] in "кнштжчщвл":
        stem = low[:-2]
    elif len(low) > 2 and low[-1] in _STRIP:
        stem = low[:-1]
    if len(stem) >= 5:
        return [Term(stem, prefix=True)]
    last = low[-1] if low[-1] in _CASE_FORMS else ""
    if stem != low and not last:
        return [Term(low)]  # "перу", "того": indeclinable
    return [Term(low[:len(low) - len(last)] + e) for e in _CASE_FORMS[last]]


def _form_phrase(form: str) -> Phrase:
    """A lexicon form ("недружествен*", "prime minister*", "временн* управлени*") as a phrase
    of terms; a ``*`` makes the word it ends a prefix."""
    terms: list[Term] = []
    for piece in form.lower().split():
        words = WORD_RE.findall(piece)
        prefix = piece.endswith("*")
        terms += [Term(w, prefix and i == len(words) - 1) for i, w in enumerate(words)]
    return tuple(terms)


# ------------------------------------------------------------------------------ groups
@dataclass(frozen=True)
class Alternative:
    """Another way to write what a group stands for: ``display`` as shown, ``phrase`` as
    searched (consecutive words)."""

    display: str
    phrase: Phrase


@dataclass
class Group:
    """One unit of a query: the typed words (all must match), and, when the words name an
    actor or a lexicon concept, the other spellings any of which may match instead."""

    typed: str
    words: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()
    kind: str = "word"  # word | actor | capital | lexicon
    label: str = ""  # what the words were read as: "Alexander Lukashenko (BLR leader)"
    actors: tuple[str, ...] = ()  # actor ids whose coded records also match
    names: tuple[str, ...] = ()  # every spelling the alternatives stand for, as written
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    @property
    def expanded(self) -> bool:
        return bool(self.alternatives or self.actors)

    def typed_needed(self) -> bool:
        """Whether the typed words must be searched as well (no alternative covers them)."""
        singles = [a.phrase[0] for a in self.alternatives if len(a.phrase) == 1]
        return not any(s.covers(Term(w.lower())) for s in singles for w in self.words)

    # -- rendering --------------------------------------------------------------------
    def fts5(self) -> str:
        parts = []
        if self.typed_needed():
            typed = [_fts5_string(w) for w in self.words]
            parts.append(typed[0] if len(typed) == 1 else "(" + " AND ".join(typed) + ")")
        for alt in self.alternatives:
            parts.append(" + ".join(_fts5_string(t.word) + ("*" if t.prefix else "")
                                    for t in alt.phrase))
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def tsquery(self) -> str:
        parts = []
        if self.typed_needed():
            typed = [_ts_lexeme(w) for w in self.words]
            parts.append(typed[0] if len(typed) == 1 else "(" + " & ".join(typed) + ")")
        for alt in self.alternatives:
            terms = [_ts_lexeme(t.word) + (":*" if t.prefix else "") for t in alt.phrase]
            parts.append(terms[0] if len(terms) == 1 else "(" + " <-> ".join(terms) + ")")
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    # -- what matched -----------------------------------------------------------------
    def pattern(self) -> re.Pattern[str]:
        """A regular expression finding, in a report's text, what this group matches there."""
        if self._pattern is None:
            options = [_phrase_regex(a.phrase) for a in self.alternatives]
            if len(self.words) == 1:  # several typed words match apart: none names the group
                options.append(_phrase_regex((Term(self.words[0].lower()),)))
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(options) + r")(?!\w)", re.I)
        return self._pattern

    def explain(self) -> str:
        """"Lukashenko → Alexander Lukashenko (BLR leader): also searched Lukashenka, …"."""
        typed = self.typed.casefold()
        shown = list(dict.fromkeys(n for n in self.names if n.casefold() != typed))
        also = ", ".join(shown[:_SHOWN])
        if len(shown) > _SHOWN:
            also += f" and {len(shown) - _SHOWN} more"
        same = self.label.casefold() in ("", typed)
        line = self.typed if same else f"{self.typed} → {self.label}"
        if also:
            line += f": also searched {also}"
        if self.actors:
            line += f"; and reports coded with {', '.join(self.actors)}"
        return line


def _fts5_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _ts_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "").replace("'", "''") + "'"


def _phrase_regex(phrase: Phrase) -> str:
    return r"\W+".join(re.escape(t.word) + (r"\w*" if t.prefix else "") for t in phrase)


def _dedupe(alternatives: list[Alternative],
            typed: tuple[str, ...] = ()) -> tuple[Alternative, ...]:
    """Drop alternatives another one already finds: a phrase containing a word that a
    single-word alternative matches, a word a shorter prefix matches, or a phrase holding all
    the typed words (the typed words are searched anyway, in any order)."""
    unique: dict[Phrase, Alternative] = {}
    typed_terms = {Term(w.lower()) for w in typed}
    for alt in alternatives:
        if len(alt.phrase) > 1 and typed_terms and typed_terms <= set(alt.phrase):
            continue
        if alt.phrase and alt.phrase not in unique:
            unique[alt.phrase] = alt
    kept = list(unique.values())
    return tuple(a for a in kept if not any(b is not a and _within(b.phrase, a.phrase)
                                             for b in kept))


def _within(short: Phrase, long: Phrase) -> bool:
    """Whether every text ``long`` matches also matches ``short``: ``short``'s terms cover
    consecutive words of ``long`` (and ``short`` is the shorter, or a strictly wider, one)."""
    if len(short) > len(long) or (len(short) == len(long) and short == long):
        return False
    for k in range(len(long) - len(short) + 1):
        if all(s.covers(t) for s, t in zip(short, long[k:k + len(short)], strict=True)):
            return True
    return False


# ------------------------------------------------------------------------------ the query
@dataclass
class SearchQuery:
    """Groups joined by ``AND`` (adjacent) or ``OR`` (where the user typed it)."""

    text: str
    groups: list[Group]
    ops: list[str]  # between groups: "AND" | "OR"; len(ops) == len(groups) - 1

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def expanded(self) -> list[Group]:
        """The groups that were widened (actors, capitals, lexicon words)."""
        return [g for g in self.groups if g.expanded]

    @property
    def actors(self) -> list[str]:
        """Every actor id whose coded records may stand in for a group's words."""
        return list(dict.fromkeys(a for g in self.groups for a in g.actors))

    def fts5(self) -> str:
        """The FTS5 ``MATCH`` expression (empty when the query has no words)."""
        return self.combine([g.fts5() for g in self.groups])

    def tsquery(self) -> str:
        """The ``to_tsquery('simple', ...)`` expression (empty when there are no words)."""
        return self.combine([g.tsquery() for g in self.groups], and_="&", or_="|")

    def combine(self, parts: list[str], and_: str = "AND", or_: str = "OR") -> str:
        """``parts`` (one per group, any rendering: SQL conditions too) joined by the query's
        operators; ``AND`` binds tighter than ``OR`` in FTS5, tsquery and SQL alike."""
        if not parts:
            return ""
        out = [parts[0]]
        for op, part in zip(self.ops, parts[1:], strict=True):
            out += [and_ if op == "AND" else or_, part]
        return " ".join(out)

    def explain(self) -> list[str]:
        """One line per widened group, for the CLI and the search page."""
        return [g.explain() for g in self.expanded]

    def matched(self, title: str, text: str, coded: Iterable[str] = ()) -> list[str]:
        """What found this report, per widened group: "Лукашэнку → Alexander Lukashenko (BLR
        leader)" for an actor, "unfriendly → недружественных" for a lexicon word (nothing when
        the typed word itself matched); a group found only through the report's coded records
        (``coded``: the actor ids they name) says "coded record → ..."."""
        coded = set(coded)
        out = []
        for g in self.expanded:
            hit = g.pattern().search(title or "") or g.pattern().search(text or "")
            if hit and g.kind != "lexicon":
                out.append(f"{hit.group(0)} → {g.label}")
            elif hit and hit.group(0).casefold() != g.typed.casefold():
                out.append(f"{hit.group(0)} → {g.typed}")  # "unfriendly → недружественных"
            elif not hit and coded.intersection(g.actors):
                out.append(f"coded record → {g.label}")
        return list(dict.fromkeys(out))

    def as_json(self) -> list[dict[str, Any]]:
        """The widened groups as data (the API's ``expanded``)."""
        return [{"query": g.typed, "kind": g.kind, "label": g.label, "actors": list(g.actors),
                 "also": [n for n in g.names if n.casefold() != g.typed.casefold()]}
                for g in self.expanded]


# ------------------------------------------------------------------------------ lexicon
#: A soft sign between two consonants: the classical Belarusian orthography (taraškievica)
#: marks a consonant softened by the next one ("пагадненьне", "расьсьледаваньне",
#: "бясьпека"); the official one does not ("пагадненне", "расследаванне", "бяспека").
_CLASSICAL_SOFT = re.compile(r"(?<=[бвгджзклмнпрстфхцчшў])ь(?=[бвгджзклмнпрстфхцчшў])")


def official_belarusian(word: str) -> str:
    """A lower-case Cyrillic ``word`` as the official Belarusian orthography would write the
    letters where the classical one (taraškievica, written by Наша Ніва and Радыё Свабода)
    differs by rule — no soft sign between consonants ("пагадненьне" → "пагадненне") — and with
    "у" for a word-initial "ў", which both write after a vowel ("і ўмяшаньне") where the
    lexicon lists "умяшанне". Other words are returned unchanged.

    Why: the lexicon lists the official forms, and a classical-spelling report of the same
    agreement or investigation named no concept, so the cross-language model saw none in
    common with its other-language reports."""
    if "ь" in word:
        word = _CLASSICAL_SOFT.sub("", word)
    if word.startswith("ў"):
        word = "у" + word[1:]
    return word


@dataclass(frozen=True)
class Lexicon:
    """The hand-written word equivalents: concept → its forms in four languages."""

    concepts: dict[str, list[str]]
    exact: dict[str, str]  # single word -> concept
    prefixes: list[tuple[str, str]]  # (stem, concept), longest stem first
    phrases: list[tuple[Phrase, str]]  # multi-word forms, longest first
    cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    #: ``phrases`` by the first letter of their first word, in the same order (a word is tried
    #: only against the phrases that can start with it).
    by_letter: dict[str, list[tuple[Phrase, str]]] = field(
        init=False, compare=False, repr=False)
    #: ``prefixes`` as stem → concept, the first listed of equal stems kept.
    stems: dict[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_letter: dict[str, list[tuple[Phrase, str]]] = {}
        for phrase, concept in self.phrases:
            by_letter.setdefault(phrase[0].word[:1], []).append((phrase, concept))
        stems: dict[str, str] = {}
        for stem, concept in self.prefixes:
            stems.setdefault(stem, concept)
        object.__setattr__(self, "by_letter", by_letter)
        object.__setattr__(self, "stems", stems)

    def lookup(self, words: list[str], i: int) -> tuple[int, str] | None:
        """The concept the words from ``words[i]`` on start with: (words used, concept)."""
        low = [w.lower().replace("ё", "е") for w in words]
        n, concept = self._phrase(low, i)
        if concept is None:
            concept = self._word(low[i])
        return (n, concept) if concept is not None else None

    def concepts_in(self, text: str) -> set[str]:
        """The concepts ``text`` names, in any of the four languages ("недружественных",
        "unfriendly" and "недружні" are all ``unfriendly``). Words are looked up once each
        (:meth:`_word`), so a long stream of reports costs a dictionary hit per word."""
        words = [w.lower().replace("ё", "е") for w in WORD_RE.findall(text)]
        found: set[str] = set()
        i = 0
        while i < len(words):
            n, concept = self._phrase(words, i)
            if concept is None:
                concept = self._word(words[i])
            if concept is not None:
                found.add(concept)
            i += n
        return found

    def _phrase(self, low: list[str], i: int) -> tuple[int, str | None]:
        """(words used, concept) of the multi-word form starting at ``low[i]``, if any."""
        for phrase, concept in self.by_letter.get(low[i][:1], ()):
            n = len(phrase)
            if low[i].startswith(phrase[0].word) and i + n <= len(low) and all(
                    t.covers(Term(w)) for t, w in zip(phrase, low[i:i + n], strict=True)):
                return n, concept
        return 1, None

    def _word(self, word: str) -> str | None:
        """The concept of one lower-case word (memoised; the memo is emptied when it holds
        :data:`_WORD_MEMO` words, which bounds it on an endless stream)."""
        cache = self.cache
        if word not in cache:
            if len(cache) >= _WORD_MEMO:
                cache.clear()
            hit = self._listed(word)
            if hit is None:
                official = official_belarusian(word)
                if official != word:
                    hit = self._listed(official)
            cache[word] = hit
        return cache[word]

    def _listed(self, word: str) -> str | None:
        """The concept of a word the lexicon lists, or whose prefix it lists."""
        hit = self.exact.get(word)
        if hit is None:  # the longest listed stem the word starts with
            stems = self.stems
            hit = next((stems[word[:n]] for n in range(len(word), 0, -1) if word[:n] in stems),
                       None)
        return hit

    def words(self, term: Term) -> bool:
        """Whether ``term`` is a lexicon word: a word it lists or its prefixes cover, or a
        prefix it has itself."""
        if term.prefix:
            return any(term.word == stem for stem, _ in self.prefixes)
        return term.word in self.exact or any(term.word.startswith(stem)
                                              for stem, _ in self.prefixes)

    def alternatives(self, concept: str) -> list[Alternative]:
        return [Alternative(form, _form_phrase(form)) for form in self.concepts[concept]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon (``storyline/data/search_lexicon.json``), read once."""
    path = resources.files("storyline.data").joinpath("search_lexicon.json")
    data = json.loads(path.read_text(encoding="utf-8"))["concepts"]
    concepts: dict[str, list[str]] = {}
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    phrases: list[tuple[Phrase, str]] = []
    for concept, langs in data.items():
        forms = [f for lang in ("en", "ru", "uk", "be") for f in langs.get(lang, [])]
        concepts[concept] = list(dict.fromkeys(forms))
        for form in forms:
            phrase = _form_phrase(form)
            if len(phrase) > 1:
                phrases.append((phrase, concept))
            elif phrase[0].prefix:
                prefixes.append((phrase[0].word, concept))
            else:
                exact.setdefault(phrase[0].word, concept)
    prefixes.sort(key=lambda p: -len(p[0]))
    phrases.sort(key=lambda p: -len(p[0]))
    return Lexicon(concepts, exact, prefixes, phrases)


# ------------------------------------------------------------------------------ actors
@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key
class _ActorIndex:
    """The gazetteer seen from the search box."""

    gaz: Gazetteer
    by_actor: dict[str, list[Alias]]  # naming aliases of each actor
    by_text: dict[str, list[Alias]]  # alias text -> its aliases
    by_name: dict[str, str]  # folded canonical name -> actor id


@lru_cache(maxsize=2)
def _actor_index(gaz: Gazetteer) -> _ActorIndex:
    from spacy.lang.en.stop_words import STOP_WORDS

    by_actor: dict[str, list[Alias]] = {}
    by_text: dict[str, list[Alias]] = {}
    for alias in gaz.aliases:
        by_text.setdefault(alias.text, []).append(alias)
        if alias.kind not in _NAMING_KINDS:
            continue
        if alias.case_sensitive and not is_cyrillic(alias.text) and (
                alias.text.lower() in STOP_WORDS or len(alias.text) < 2):
            continue  # "US", "WHO": case-blind search would find "us", "who"
        by_actor.setdefault(alias.actor_id, []).append(alias)
    by_name = {_name_key(a.name): a.id for a in gaz.actors.values()}
    return _ActorIndex(gaz, by_actor, by_text, by_name)


def _name_key(name: str) -> str:
    """A name as its folded words: "Palestine, State of" → "palestine state of"."""
    from ..actors.gazetteer import fold

    return " ".join(WORD_RE.findall(fold(name)))


def describe(gaz: Gazetteer, actor_id: str) -> str:
    """A short label: "Alexander Lukashenko (BLR leader)", "Belarus (BLR)"."""
    actor = gaz.get(actor_id)
    if actor is None:
        return actor_id
    if actor.kind == "person":
        terms = gaz.offices(actor_id)
        if terms:
            t = max(terms, key=lambda term: term.start)
            role = _ROLE_WORDS.get(t.role, t.role.replace("_", " "))
            former = "former " if t.end is not None and t.end <= date.today() else ""
            return f"{actor.name} ({former}{t.org} {role})"
        return f"{actor.name} ({actor.country})" if actor.country else actor.name
    return f"{actor.name} ({actor_id})"


def _cyrillic_terms(word: str) -> list[Term]:
    """The terms of one Cyrillic alias word: :func:`stem_term`, unless that would find
    function words ("Того", Togo, must not find "того" and "тогда")."""
    from ..actors.resolve import cyrillic_stop_words

    # an alias that is a function word, or a stem that would find one, is searched whole
    stop = cyrillic_stop_words()
    low = word.lower()
    if low in stop:
        return []
    terms = stem_term(word)
    if any(any(w.startswith(t.word) if t.prefix else w == t.word for w in stop) for t in terms):
        return [Term(low)]
    return terms


def _alias_alternatives(aliases: list[Alias]) -> list[Alternative]:
    """How each alias is searched: Latin words as they are, Cyrillic ones by their stems
    (:func:`_cyrillic_terms`); an alias of one word that the lexicon knows as a common word
    ("Газа", Gaza, is also "газа", of gas) is left out, so an actor does not find the word."""
    out = []
    common = lexicon().words
    for alias in aliases:
        words = WORD_RE.findall(alias.text)
        if not words:
            continue
        if is_cyrillic(alias.text) and not (alias.case_sensitive or alias.text.isupper()):
            per_word = [_cyrillic_terms(w) if is_cyrillic(w) else [Term(w.lower())]
                        for w in words]
            if len(words) == 1:  # a short word comes with its endings, as whole words
                out += [Alternative(alias.text, (t,)) for t in per_word[0]
                        if not common(t)]
                continue
            out.append(Alternative(alias.text, tuple(
                _in_phrase(terms, w) for terms, w in zip(per_word, words, strict=True))))
        else:
            phrase = tuple(Term(w.lower()) for w in words)
            if len(phrase) > 1 or not common(phrase[0]):
                out.append(Alternative(alias.text, phrase))
    return out


def _in_phrase(terms: list[Term], word: str) -> Term:
    """One word of a several-word alias: its stem, or, for a short word searched with a list
    of endings on its own, the common start of those forms as a prefix (a phrase narrows it)."""
    if len(terms) == 1:
        return terms[0]
    if not terms:  # a function word inside a name
        return Term(word.lower())
    base = min((t.word for t in terms), key=len)
    return Term(base, prefix=True) if len(base) >= 3 else Term(word.lower())


@lru_cache(maxsize=1024)
def _actor_alternatives(index: _ActorIndex, actor_id: str) -> tuple[Alternative, ...]:
    return tuple(_alias_alternatives(index.by_actor.get(actor_id, [])))


def _actor_group(index: _ActorIndex, typed: str, words: tuple[str, ...], actor_id: str) -> Group:
    alternatives = _dedupe(list(_actor_alternatives(index, actor_id)), words)
    return Group(typed, words, alternatives, "actor", describe(index.gaz, actor_id),
                 (actor_id,), _names(index.by_actor.get(actor_id, [])))


def _names(aliases: list[Alias]) -> tuple[str, ...]:
    """Alias texts once each, ignoring case ("Лукашенко" is a Russian and a Ukrainian one)."""
    seen: dict[str, str] = {}
    for alias in aliases:
        seen.setdefault(alias.text.casefold(), alias.text)
    return tuple(seen.values())


def _capital_group(index: _ActorIndex, typed: str, words: tuple[str, ...], country: str) -> Group:
    actor = index.gaz.get(country)
    capitals = list((actor.meta.get("capitals") if actor else None) or [])
    aliases = [a for c in capitals for a in index.by_text.get(c, []) if a.kind == "capital"]
    latin = next((c for c in capitals if not is_cyrillic(c)), typed)
    alts = _dedupe(_alias_alternatives(aliases), words)
    return Group(typed, words, alts, "capital", f"{latin} ({country} capital)",
                 names=_names(aliases))


# ------------------------------------------------------------------------------ parsing
def parse(query: str, *, expand: bool = True) -> SearchQuery:
    """Read the search box: words, ``OR`` between two of them, everything else plain text.
    With ``expand`` (the default) actor names and lexicon words are widened (module doc). A
    modifier-letter apostrophe ("премʼєр") is read as ’, as stored texts have it
    (:func:`storyline.normalize.clean_text`)."""
    return _parse(query.replace("\u02bc", "\u2019"), expand)


@lru_cache(maxsize=512)
def _parse(query: str, expand: bool) -> SearchQuery:
    tokens = [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(query)]
    # the plain reading: "AND" is implicit; "OR" only between two words
    words: list[tuple[str, int, int]] = []
    ops: list[str] = []
    pending_or = False
    for tok in tokens:
        if tok[0] == "AND":
            continue
        if tok[0] == "OR":
            pending_or = bool(words)
            continue
        if words:
            ops.append("OR" if pending_or else "AND")
        pending_or = False
        words.append(tok)
    if not expand or not words:
        return SearchQuery(query, [Group(w, (w,)) for w, _, _ in words], ops)
    spans = _actor_spans(query, words, ops)
    groups: list[Group] = []
    group_ops: list[str] = []
    lex = lexicon()
    i = 0
    while i < len(words):
        if i:
            group_ops.append(ops[i - 1])
        if i in spans:
            j, make = spans[i]
            typed = query[words[i][1]:words[j - 1][2]]
            groups.append(make(typed, tuple(w for w, _, _ in words[i:j])))
            i = j
            continue
        # a lexicon phrase must not run across an OR or into an actor's name
        run_end = next((k + 1 for k in range(i, len(words) - 1) if ops[k] == "OR"), len(words))
        run_end = min([run_end, *(k for k in spans if k > i)])
        found = lex.lookup([w for w, _, _ in words[i:run_end]], 0)
        if found:
            n, concept = found
            typed = query[words[i][1]:words[i + n - 1][2]]
            group_words = tuple(w for w, _, _ in words[i:i + n])
            alts = _dedupe(lex.alternatives(concept), group_words)
            groups.append(Group(typed, group_words, alts, "lexicon", concept,
                                names=tuple(lex.concepts[concept])))
            i += n
            continue
        groups.append(Group(words[i][0], (words[i][0],)))
        i += 1
    return SearchQuery(query, groups, group_ops)


def _resolver() -> Resolver:
    from ..actors.resolve import default_resolver

    return default_resolver()


def _actor_spans(query: str, words: list[tuple[str, int, int]],
                 ops: list[str]) -> dict[int, tuple[int, Any]]:
    """Word index → (end index, group maker) for each run of words that names an actor."""
    from ..actors.resolve import tokenize

    res = _resolver()
    index = _actor_index(res.gaz)
    # the whole query is an actor's canonical name ("Government of Belarus") or, typed in
    # lower case, one name ("lukashenko")
    if "OR" not in ops:
        actor_id = index.by_name.get(_name_key(" ".join(w for w, _, _ in words)))
        if actor_id:
            return {0: (len(words), lambda t, ws: _actor_group(index, t, ws, actor_id))}
    text = query
    mentions = res.resolve(text)
    if not mentions and len(words) <= 4 and "OR" not in ops:
        for form in dict.fromkeys((query[:1].upper() + query[1:], query.title())):
            found = res.resolve(form) if len(form) == len(query) else []
            if len(found) == 1 and _covers_all(found[0], words):
                text, mentions = form, found
                break
    toks = tokenize(text) if mentions else []
    spans: dict[int, tuple[int, Any]] = {}
    taken: set[int] = set()
    for m in mentions:
        start, end, maker = _mention_group(index, m, toks)
        if maker is None:
            continue
        inside = [k for k, (_, s, e) in enumerate(words) if s < end and start < e]
        if not inside or taken.intersection(inside) or any(
                ops[k] == "OR" for k in inside[:-1]):
            continue  # an alias across "OR" is no alias
        taken.update(inside)
        spans[inside[0]] = (inside[-1] + 1, maker)
    return spans


def _covers_all(mention: Any, words: list[tuple[str, int, int]]) -> bool:
    return mention.start <= words[0][1] and mention.end >= words[-1][2]


def _mention_group(index: _ActorIndex, m: Any, toks: list[Any]) -> tuple[int, int, Any]:
    """The characters a mention's group covers and how to make the group (None: keep the words
    plain)."""
    meta = m.meta
    if meta.get("fallback"):
        return m.start, m.end, None
    if "role" in meta:  # "the Belarusian president": the office holder (or the government)
        return m.start, m.end, lambda t, ws: _actor_group(index, t, ws, m.actor_id)
    candidates = index.by_text.get(meta.get("alias", ""), [])
    base = m.actor_id.removesuffix(".GOV")
    fitting = [a for a in candidates if a.actor_id in (m.actor_id, base)]
    if not fitting:
        return m.start, m.end, None
    alias = max(fitting, key=lambda a: a.priority)  # "Minsk" is a place and a capital
    i, j = meta.get("tokens", (None, None))
    start, end = (toks[i].start, toks[j - 1].end) if i is not None and j <= len(toks) else (
        m.start, m.end)
    if alias.kind == "capital":
        return start, end, lambda t, ws: _capital_group(index, t, ws, alias.actor_id)
    if alias.kind in ("place", "weak_name"):
        return start, end, None
    if m.actor_id != alias.actor_id and m.actor_id == f"{alias.actor_id}.GOV":
        # "Russian government": the sector word made it the government; the group is all of it
        return m.start, m.end, lambda t, ws: _actor_group(index, t, ws, m.actor_id)
    return start, end, lambda t, ws: _actor_group(index, t, ws, alias.actor_id)
