"""Find actor mentions in text: spans, actor ids and sectors, resolved for a date.

``Resolver.resolve(text, date, lang)`` returns non-overlapping :class:`Mention` objects, longest
match first. What it handles:

* spellings in English, Russian, Belarusian and Ukrainian, Russian-style case endings included
  ("Белоруссии", "Москвой", "Лукашэнкам"), by matching Cyrillic words on their stems;
* metonyms: "the Kremlin" is ``RUS.GOV``; a capital is its government when it acts ("Minsk
  responded") and the country when it is a place ("talks in Minsk");
* dated offices: "the president of Belarus", "Belarusian leader", "премьер Польши" resolve to
  whoever held the office on ``date``; a role followed by a name keeps the named person;
* sectors from the head word next to a country ("Israeli troops" -> military, "Russian
  government" -> ``RUS.GOV``, government);
* an optional fallback for spaCy ``ORG`` entities that the gazetteer does not know (``ORG:slug``).

Matching is a token trie over the gazetteer's aliases, so resolving a sentence costs
microseconds per token; the trie is built once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from storyline.actors.gazetteer import Alias, Gazetteer, as_date, fold, is_cyrillic, is_latin

TOKEN_RE = re.compile(r"\w+(?:(?:[.\-]|['’](?!s\b))\w+)*\.?", re.UNICODE)

# Inflectional endings of Russian, Belarusian and Ukrainian nouns and adjectives, longest first.
ENDINGS = sorted(
    {
        "", "а", "я", "у", "ю", "е", "и", "ы", "і", "ї", "о", "й", "ь", "ой", "ей", "ом", "ем",
        "ым", "им", "ам", "ям", "ах", "ях", "ами", "ями", "амі", "ямі", "ого", "его", "ому",
        "ему", "ых", "их", "ий", "ый", "ій", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю",
        "ою", "ею", "ої", "ів", "ов", "ев", "ага", "яга", "аму", "яму", "ай", "ае", "ыя", "ія",
        "ії", "ію", "ією", "ией", "ии", "ию", "ия", "иям", "иях", "ської", "ського", "ському",
        "ском", "ского", "скому", "ской", "ским", "скую", "ская", "ские", "ских", "скі", "скага",
        "скай", "скія", "ськ",
    },
    key=len,
    reverse=True,
)
_STRIP = set("аеёиоуыэюяйьіїєў")
LOCATIVE = {
    "in", "at", "near", "from", "to", "into", "outside", "around", "across", "inside", "via",
    "в", "во", "у", "из", "на", "под", "около", "возле", "із", "з", "ў", "да", "до",
}
ROLES: dict[str, str] = {
    # English
    "president": "hos", "prime minister": "hog", "premier": "hog", "pm": "hog",
    "chancellor": "hog", "leader": "leader", "head of state": "hos", "head of government": "hog",
    "king": "hos", "queen": "hos", "foreign minister": "foreign_minister",
    "foreign secretary": "foreign_minister", "secretary of state": "foreign_minister",
    "defence minister": "defence_minister", "defense minister": "defence_minister",
    "secretary general": "sg", "secretary-general": "sg", "chief": "sg",
    "commission president": "eu_commission_president",
    "foreign policy chief": "eu_hrvp", "high representative": "eu_hrvp",
    # Russian
    "президент": "hos", "премьер": "hog", "премьер-министр": "hog", "канцлер": "hog",
    "лидер": "leader", "глава государства": "hos", "глава правительства": "hog",
    "глава": "leader", "министр иностранных дел": "foreign_minister",
    "глава мид": "foreign_minister",
    "генсек": "sg", "генеральный секретарь": "sg",
    # Belarusian
    "прэзідэнт": "hos", "прэм'ер": "hog", "прэм'ер-міністр": "hog", "лідар": "leader",
    "кіраўнік": "leader", "кіраўнік дзяржавы": "hos",
    # Ukrainian
    "прем'єр": "hog", "прем'єр-міністр": "hog", "лідер": "leader", "очільник": "leader",
    "глава держави": "hos", "генсекретар": "sg",
}
ORG_ROLE = {"NATO": "nato_sg", "UN": "un_sg", "EU": "eu_commission_president",
            "EU.COMMISSION": "eu_commission_president", "EU.COUNCIL": "eu_council_president"}
KIND_SECTOR = {"company": "business", "government": "government", "person": "government"}


@dataclass
class Mention:
    """One actor mention: ``text[start:end]`` refers to ``actor_id`` acting as ``sector``."""

    actor_id: str
    start: int
    end: int
    sector: str
    text: str
    kind: str = ""
    country: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    keys: frozenset[str]
    lower: str


def stem(word: str) -> str:
    """Stem of a Cyrillic alias word: drop up to two final vowels/soft signs, keep >= 3 letters."""
    w = fold(word)
    for _ in range(2):
        if len(w) > 3 and w[-1] in _STRIP:
            w = w[:-1]
    return w


#: Letters Russian, Belarusian and Ukrainian spell one name with differently, each mapped to one
#: (:func:`skeleton`): и/ы/і/ї, е/э/є, о/а (Belarusian writes an unstressed о as а), в/ў, г/ґ;
#: apostrophes and hard/soft signs dropped.
_SKELETON = str.maketrans({"ы": "и", "і": "и", "ї": "и", "э": "е", "є": "е", "о": "а",
                           "ў": "в", "ґ": "г", "'": None, "ъ": None, "ь": None})
#: Person-name skeletons shorter than this are not matched (too many words share them).
MIN_SKELETON = 5
#: Marks a skeleton key, so that skeletons match person names' skeletons only.
_SK = "~"


#: Marks a Latin spelling key (:func:`latin_key`), matched against person names' keys only.
_LK = "^"
#: Latin person-name keys shorter than this are not matched.
MIN_LATIN_KEY = 6
_VOWELS = "aeiou"


def latin_key(word: str) -> str:
    """The transliteration key of a folded Latin word: ``Berdymukhammedov``, ``Berdimuhamedow``
    and ``Berdymukhamedov`` are all ``berdimuhamedov``; ``Nazarbayev`` and ``Nazarbaev``
    ``nazarbaev``; ``Zelenskyy`` and ``Zelensky`` ``zelenski``.

    Why: a name from Russian, Turkmen or Kazakh comes into English in several spellings (kh or h,
    y or i, w or v, a letter doubled or not), and the gazetteer lists some; an unlisted one
    made a second actor of one person ("Gurbanguly Berdimuhamedow (1), Gurbanguly
    Berdymukhammedov (1)" among a brief's key actors)."""
    w = word.replace("kh", "h").replace("w", "v").replace("y", "i")
    w = "".join(c for n, c in enumerate(w) if n == 0 or c != w[n - 1])  # doubled letters
    return "".join(c for n, c in enumerate(w)  # an i between two vowels ("baiev")
                   if not (c == "i" and 0 < n < len(w) - 1 and w[n - 1] in _VOWELS
                           and w[n + 1] in _VOWELS))


def skeleton(word: str) -> str:
    """The East Slavic spelling skeleton of a folded Cyrillic word: ``Токаев`` (ru) and
    ``Такаеў`` (be) are both ``такаев``, ``Пригожин`` and ``Прыгожын`` ``пригажин``, ``Эрдоган``
    (ru), ``Ердоган`` (uk) and ``Эрдаган`` (be) ``ердаган``.

    Why: the gazetteer lists a leader's Russian and Ukrainian spellings, seldom the Belarusian
    one; a Belarusian report of Prigozhin's death named no actor the Russian report named."""
    return word.replace("щ", "шч").translate(_SKELETON)


@lru_cache(maxsize=1 << 16)
def _token_keys(surface: str) -> frozenset[str]:
    low = fold(surface.rstrip("."))
    keys = {low}
    if is_cyrillic(low):
        for end in ENDINGS:
            if end and low.endswith(end) and len(low) - len(end) >= 3:
                keys.add(low[: -len(end)])
        keys.add(stem(low))  # as aliases are keyed: "Помпео", "Гарбачоў" lose both vowels
        keys.update({_SK + skeleton(k) for k in keys})  # as person names are also keyed
    elif len(low) >= MIN_LATIN_KEY and low.isalpha():
        keys.add(_LK + latin_key(low))  # as Latin person names are also keyed
    return frozenset(keys)


def tokenize(text: str) -> list[_Tok]:
    """Word tokens with character offsets (a trailing full stop is kept only in abbreviations)."""
    toks = []
    for m in TOKEN_RE.finditer(text):
        s, e = m.start(), m.end()
        surface = m.group()
        if surface in ("s", "S") and s > 0 and text[s - 1] in "'’":
            continue  # English possessive
        if surface.endswith(".") and surface.count(".") == 1:
            surface, e = surface[:-1], e - 1
        toks.append(_Tok(surface, s, e, _token_keys(surface), _fold_token(surface)))
    return toks


@lru_cache(maxsize=1 << 16)
def _fold_token(surface: str) -> str:
    """:func:`fold` of one token, remembered: a stream repeats its words."""
    return fold(surface)


class _Trie:
    """Token trie over alias keys; leaves hold the aliases that end there."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}

    def add(self, words: list[str], payload: Any) -> None:
        node = self.root
        for w in words:
            node = node.setdefault(w, {})
        node.setdefault("\0", []).append(payload)

    def match(self, toks: list[_Tok], i: int, max_len: int = 8) -> list[tuple[int, Any]]:
        """All (end_index, payload) for aliases starting at token ``i``."""
        out: list[tuple[int, Any]] = []
        frontier = [self.root]
        for j in range(i, min(len(toks), i + max_len)):
            nxt = []
            for node in frontier:
                for k in toks[j].keys:
                    child = node.get(k)
                    if child is not None:
                        nxt.append(child)
                        for payload in child.get("\0", []):
                            out.append((j + 1, payload))
            if not nxt:
                break
            frontier = nxt
        return out


def _alias_words(text: str) -> list[str]:
    words = []
    for t in tokenize(text):
        w = fold(t.text.rstrip("."))  # as a text's token is keyed ("U.S." → "u.s")
        words.append(stem(w) if is_cyrillic(w) and w.upper() != t.text else w)
    return words


class Resolver:
    """Resolve actor mentions in text for a date. Build once (``Resolver()``), call many times."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gaz = gazetteer or Gazetteer.load()
        self._trie = _Trie()
        for alias in self.gaz.aliases:
            words = _alias_words(alias.text)
            if words:
                self._trie.add(words, alias)
            if alias.kind == "person" and is_cyrillic(alias.text):
                other = [skeleton(w) for w in words]
                if len(other[-1]) >= MIN_SKELETON:  # its Belarusian / Ukrainian spellings
                    self._trie.add([_SK + w for w in other], alias)
            elif (alias.kind == "person" and words and is_latin(alias.text)
                  and all(len(w) >= MIN_LATIN_KEY and w.isalpha() for w in words)):
                # its other Latin transliterations
                self._trie.add([_LK + latin_key(w) for w in words], alias)
        self._roles = _Trie()
        for phrase, role in ROLES.items():
            self._roles.add(_alias_words(phrase), role)

    # ------------------------------------------------------------------ public
    def resolve(
        self,
        text: str,
        date: date | datetime | str | None = None,
        lang: str | None = None,
        ents: list[tuple[int, int, str]] | None = None,
    ) -> list[Mention]:
        """Mentions in ``text``, sorted by position.

        ``date`` picks office holders (today when None); ``lang`` is a hint only (all four
        languages are always matched); ``ents`` are optional ``(start, end, label)`` entity
        spans, e.g. from spaCy, used as a fallback for unknown organisations.
        """
        day = as_date(date)
        toks = tokenize(text)
        raw = self._match(toks, day, text)
        mentions = self._roles_and_sectors(text, toks, raw, day)
        if ents:
            mentions = self._fallback(text, mentions, ents)
        return sorted(mentions, key=lambda m: m.start)

    # ------------------------------------------------------------------ matching
    def _accept(self, alias: Alias, toks: list[_Tok], i: int, j: int, text: str) -> bool:
        surface = toks[i].text
        if alias.case_sensitive:
            return " ".join(t.text.rstrip(".") for t in toks[i:j]) == alias.text.rstrip(".")
        if alias.text[:1].isupper() and not surface[:1].isupper():
            return False
        if alias.kind in ("place", "weak_name", "capital") and not surface[:1].isupper():
            return False
        # a Cyrillic stem match must not be much shorter than the alias word ("кит" != "Китай")
        alias_words = alias.text.split()
        if j - i == len(alias_words):
            for t, w in zip(toks[i:j], alias_words, strict=False):
                if is_cyrillic(w) and len(t.text) < len(w) - 1:
                    return False
        if j - i == 1 and len(alias_words) == 1 and _bare_stem(surface, alias.text):
            return False
        if j - i == 1 and is_cyrillic(surface) and _starts_sentence(text, toks, i):
            return not _common_word_at_start(surface, alias)
        return True

    def _pick(self, aliases: list[Alias], day: date | None) -> Alias:
        best = max(a.priority for a in aliases)
        top = [a for a in aliases if a.priority == best]
        if len(top) > 1 and top[0].kind == "person":
            active = [a for a in top if self.gaz.is_active(a.actor_id, day or _today())]
            if active:
                top = active
            else:  # nobody active: the latest office holder
                top.sort(key=lambda a: max((t.start for t in self.gaz.offices(a.actor_id)),
                                           default=_today()))
                top = top[-1:]
        return top[0]

    def _match(self, toks: list[_Tok], day: date | None, text: str
               ) -> list[tuple[int, int, Alias]]:
        out = []
        i = 0
        while i < len(toks):
            cands: dict[int, list[Alias]] = {}
            for j, alias in self._trie.match(toks, i):
                if self._accept(alias, toks, i, j, text):
                    cands.setdefault(j, []).append(alias)
            if cands:
                j = max(cands)
                out.append((i, j, self._pick(cands[j], day)))
                i = j
            else:
                i += 1
        return out

    # ------------------------------------------------------------------ roles, sectors
    def _mention(self, text: str, toks: list[_Tok], i: int, j: int, alias: Alias) -> Mention:
        actor = self.gaz.get(alias.actor_id)
        kind = actor.kind if actor else ""
        sector = (actor.meta.get("sector") if actor else None) or KIND_SECTOR.get(kind, "")
        actor_id = alias.actor_id
        if alias.kind == "capital":
            prev = toks[i - 1].lower if i > 0 else ""
            if prev not in LOCATIVE:
                actor_id, sector, kind = f"{alias.actor_id}.GOV", "government", "government"
        if alias.kind == "metonym":
            sector = "government"
        s, e = toks[i].start, toks[j - 1].end
        return Mention(actor_id, s, e, sector, text[s:e], kind,
                       self.gaz.country_of(actor_id),
                       {"alias": alias.text, "tokens": (i, j), "alias_kind": alias.kind})

    def _role_at(self, toks: list[_Tok], i: int) -> tuple[int, str] | None:
        found = self._roles.match(toks, i, max_len=4)
        if not found:
            return None
        return max(found, key=lambda x: x[0])

    def _roles_and_sectors(self, text: str, toks: list[_Tok],
                           raw: list[tuple[int, int, Alias]], day: date | None) -> list[Mention]:
        by_start = {i: (i, j, a) for i, j, a in raw}
        mentions: list[Mention] = []
        consumed: set[int] = set()
        for i, j, alias in raw:
            if i in consumed:
                continue
            m = self._mention(text, toks, i, j, alias)
            org = alias.actor_id.split(".")[0] if m.kind in ("country", "government") else (
                alias.actor_id if m.kind in ("bloc", "organisation") else None)
            if alias.kind == "place":  # "the leaders of Crimea" are not Ukraine's leaders
                org = None
            # pattern A: "<Belarusian|Belarus's|NATO> <role> [<Name>]"
            role = self._role_at(toks, j) if org and self._adjacent(text, toks, i, j) else None
            if role is not None:
                rj, rname = role
                m = self._office(text, toks, m, org, rname, i, rj, day, by_start, consumed)
                mentions.append(m)
                continue
            # pattern B: "<role> of (the) <Belarus>" / "президент Белоруссии"
            if org and i > 0:
                back = self._role_before(toks, i)
                if back is not None:
                    ri, rname = back
                    m = self._office(text, toks, m, org, rname, ri, j, day, by_start, consumed)
                    if mentions and mentions[-1].end > m.start:
                        mentions.pop()
                    mentions.append(m)
                    continue
            if m.kind in ("country", "government") and self._adjacent(text, toks, i, j):
                self._attach_sector(text, toks, m, j)
            mentions.append(m)
        return mentions

    @staticmethod
    def _adjacent(text: str, toks: list[_Tok], i: int, j: int) -> bool:
        """Whether a role word may follow the mention toks[i:j] ("Belarusian president")."""
        if j >= len(toks):
            return False
        gap = text[toks[j - 1].end:toks[j].start].strip()
        if gap not in ("", "'s", "’s", "'", "’"):
            return False
        first = toks[i].text
        return not is_cyrillic(first) or first[:1].islower() or first.isupper()

    def _role_before(self, toks: list[_Tok], i: int) -> tuple[int, str] | None:
        k = i - 1
        if k >= 0 and toks[k].lower == "the":
            k -= 1
        has_of = k >= 0 and toks[k].lower == "of"
        if has_of:
            k -= 1
        for span in range(4, 0, -1):
            start = k - span + 1
            if start < 0:
                continue
            found = self._role_at(toks, start)
            if found and found[0] == k + 1:
                if has_of or is_cyrillic(toks[start].text):
                    return start, found[1]
        return None

    def _office(self, text: str, toks: list[_Tok], m: Mention, org: str, rname: str,
                i: int, j: int, day: date | None, by_start: dict[int, Any],
                consumed: set[int]) -> Mention:
        """Merge a role phrase with its country/org into one mention of the office holder."""
        role = ORG_ROLE.get(org, "sg") if rname == "sg" else rname
        if role == "hos" and org not in self.gaz.exec_role and org in ORG_ROLE:
            role = ORG_ROLE[org]
        if rname == "leader" and org in ORG_ROLE:
            role = ORG_ROLE[org]
        person = self.gaz.holder(role, org, day)
        end = j
        named = by_start.get(j)
        if named is not None and named[2].kind == "person":
            person = named[2].actor_id  # "Belarusian President Alexander Lukashenko"
            end = named[1]
            consumed.add(j)
        elif named is None and _unknown_name_follows(text, toks, j):
            person = None  # "Президент Туркменістану Ніязов": not the office holder listed
        s, e = toks[i].start, toks[end - 1].end
        country = self.gaz.country_of(org) if len(org) == 3 else None
        if person is None:
            return Mention(f"{org}.GOV" if country else org, s, e, "government", text[s:e],
                           "government", country, {"role": role, "org": org})
        actor = self.gaz.get(person)
        return Mention(person, s, e, "government", text[s:e], "person",
                       actor.country if actor else country, {"role": role, "org": org})

    def _attach_sector(self, text: str, toks: list[_Tok], m: Mention, j: int) -> None:
        """'Israeli troops' -> military; 'Russian government' -> RUS.GOV."""
        for span in (3, 2, 1):
            if j + span > len(toks):
                continue
            phrase = " ".join(t.lower for t in toks[j:j + span])
            sector = self.gaz.sector_of(phrase)
            if sector:
                m.sector = sector
                m.end = toks[j + span - 1].end
                m.text = text[m.start:m.end]
                if sector == "government" and m.kind == "country":
                    m.actor_id, m.kind = f"{m.actor_id}.GOV", "government"
                return

    # ------------------------------------------------------------------ fallback
    def _fallback(self, text: str, mentions: list[Mention],
                  ents: list[tuple[int, int, str]]) -> list[Mention]:
        out = list(mentions)
        for s, e, label in ents:
            if label not in ("ORG", "PERSON", "NORP") or any(
                    m.start < e and s < m.end for m in mentions):
                continue
            name = text[s:e]
            head = name.split("-")[0]
            inner = self._match(tokenize(head), None, head) if label == "NORP" else []
            if inner:  # "Russian-style": a demonym glued to another word
                alias = inner[0][2]
                actor = self.gaz.get(alias.actor_id)
                out.append(Mention(alias.actor_id, s, s + len(name.split("-")[0]), "",
                                   name.split("-")[0], actor.kind if actor else "",
                                   self.gaz.country_of(alias.actor_id), {"alias": alias.text}))
                continue
            slug = re.sub(r"\W+", "_", fold(name)).strip("_")
            if not slug:
                continue
            low = fold(name)
            sector = "business" if re.search(
                r"\b(inc|ltd|llc|corp|corporation|company|group|plc|ag|gmbh|bank|oao|pao|oao)\b",
                low) else ""
            for word in reversed(low.split()):
                sector = sector or (self.gaz.sector_of(word) or "")
            prefix = {"ORG": "ORG", "PERSON": "PERSON", "NORP": "GROUP", "GPE": "PLACE"}[label]
            kind = {"ORG": "organisation", "PERSON": "person", "NORP": "group",
                    "GPE": "place"}[label]
            if label != "ORG":
                sector = ""
            out.append(Mention(f"{prefix}:{slug}", s, e, sector, name, kind, None,
                               {"fallback": True, "label": label}))
        return out


@lru_cache(maxsize=1)
def cyrillic_stop_words() -> frozenset[str]:
    """Russian and Ukrainian function words ("того", "тогда", "мали"), from spaCy's lists."""
    from spacy.lang.ru.stop_words import STOP_WORDS as RU
    from spacy.lang.uk.stop_words import STOP_WORDS as UK

    return frozenset(RU | UK)


def _unknown_name_follows(text: str, toks: list[_Tok], j: int) -> bool:
    """Whether token ``j``, right after a role phrase in the same sentence, is a capitalised
    Cyrillic word — the name of whoever held the office, whom the gazetteer does not list
    ("Президент Туркменістану Ніязов помер": on the day he died his successor's term begins,
    and the office's holder that day is not the man the report names). Russian, Ukrainian and
    Belarusian capitalise no other word within a sentence; English headlines in title case
    do ("Russian President Signs Law"), so an English role keeps its holder."""
    if j >= len(toks) or _starts_sentence(text, toks, j):
        return False
    word = toks[j].text
    return is_cyrillic(word) and word[:1].isupper() and not word.isupper()


def _starts_sentence(text: str, toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` begins the text or a sentence (a full stop, question or exclamation
    mark or a line break before it)."""
    if i == 0:
        return True
    gap = text[toks[i - 1].end : toks[i].start]
    return any(c in gap for c in ".!?\n")


def _bare_stem(surface: str, alias_word: str) -> bool:
    """Whether ``surface`` is the Cyrillic ``alias_word`` with its final vowel or soft sign
    dropped and no ending in its place: no case of a singular name that ends in a vowel has a
    bare stem, while a common noun or another name may ("Газ за рубли" is gas, not Gaza, and
    "Никушор Дан" is not Denmark; "Газу", "Газе" stay Gaza). A plural name keeps its bare
    genitive ("из Афин" is from Athens)."""
    low, word = fold(surface.rstrip(".")), fold(alias_word)
    return (is_cyrillic(word) and word[-1:] in _STRIP - set("ыиії") and low != word
            and word.startswith(low) and stem(word) == low)


def _common_word_at_start(surface: str, alias: Alias) -> bool:
    """Whether a capitalised Cyrillic word opening a sentence is more likely a common word
    than the one-word alias it matches: a function word ("Того ж дня" is "that same day", not
    Togo), or a short place or capital name matched only through an ending ("Бакі называюць…",
    Belarusian "the parties", is not Baku; "Москву посетил…" is still Moscow): the capital
    letter says nothing at a sentence's start."""
    low = fold(surface)
    if low in cyrillic_stop_words():
        return True
    return (alias.kind in ("place", "weak_name", "capital") and low != fold(alias.text)
            and len(stem(alias.text)) <= 4)


def _today() -> date:
    return date.today()


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    """The process-wide resolver over the packaged gazetteer."""
    return Resolver()


def resolve(text: str, date: date | datetime | str | None = None,
            lang: str | None = None) -> list[Mention]:
    """Module-level shortcut for ``default_resolver().resolve(...)``."""
    return default_resolver().resolve(text, date, lang)


class UnknownActor(LookupError):
    """A name or id the gazetteer cannot place; ``suggestions`` holds close known ids."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; close matches: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown actor {query!r}{hint}")


def lookup_actor(query: str, resolver: Resolver | None = None,
                 on: date | datetime | str | None = None) -> str:
    """The actor id a user means by ``query``: an id in any case (``rus``, ``LIST:RU-430-r``,
    ``PERSON:putin``) or any spelling the gazetteer knows (``Russia``, ``Россия``, ``the
    Kremlin``, ``Belarusian president``, resolved on ``on``). Raises :class:`UnknownActor`
    with close matches when nothing fits, so a command can say what the user may have meant.
    """
    res = resolver or default_resolver()
    gaz = res.gaz
    q = query.strip()
    if q in gaz.actors:
        return q
    by_upper = {a.upper(): a for a in gaz.actors}
    if q.upper() in by_upper:
        return by_upper[q.upper()]
    for form in dict.fromkeys((q, q[:1].upper() + q[1:], q.title())):  # "russia" -> "Russia"
        mentions = res.resolve(form, on)
        if len(mentions) == 1 and not mentions[0].meta.get("fallback"):
            m = mentions[0]
            rest = re.sub(r"(?i)^the\s+", "", form[:m.start]).strip() + form[m.end:].strip()
            if not rest.strip(" .,'’s"):
                return m.actor_id
    raise UnknownActor(query, suggest_actors(q, gaz))


def suggest_actors(query: str, gazetteer: Gazetteer | None = None, n: int = 5) -> list[str]:
    """Up to ``n`` actor ids whose id or spelling is closest to ``query`` (difflib ratio)."""
    import difflib

    gaz = gazetteer or Gazetteer.load()
    key = fold(query)
    spellings: dict[str, str] = {}
    for alias in gaz.aliases:
        if alias.kind not in ("place", "weak_name"):
            spellings.setdefault(fold(alias.text), alias.actor_id)
    for actor_id in gaz.actors:
        spellings.setdefault(fold(actor_id), actor_id)
    out: list[str] = []
    for hit in difflib.get_close_matches(key, list(spellings), n=n * 4, cutoff=0.6):
        if spellings[hit] not in out:
            out.append(spellings[hit])
    return out[:n]
