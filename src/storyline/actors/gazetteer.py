"""The actor gazetteer: every actor storyline can name, with stable ids and dated offices.

Ids are short and stable:

* countries and territories: ISO 3166-1 alpha-3 (``RUS``, ``BLR``), from pycountry, with
  Wikidata ids and multilingual names from rigour;
* governments: ``<ISO3>.GOV`` (``RUS.GOV`` is what "the Kremlin" or a political "Moscow" means);
* blocs and organisations: ``EU``, ``NATO``, ``CSTO``, ``UN``, ``UNION_STATE`` ...;
* people: ``PERSON:lukashenko``; companies: ``COMPANY:gazprom``; armed and political groups:
  ``GROUP:hamas``; official lists: ``LIST:RU-430-r`` (see :mod:`storyline.actors.lists`).

Offices are dated (start inclusive, end exclusive), so "the president of Belarus" can be resolved
to whoever held the office on an article's date with :meth:`Gazetteer.holder`.

Hand-written data (demonyms, Cyrillic spellings, capitals and government metonyms, blocs,
leaders, companies, sector words) lives in ``actors/data/*.json``; country names in many languages
come from pycountry and rigour at load time.
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

from storyline.model import Actor

LANGS = ("en", "ru", "be", "uk")

# Alias priority: when one spelling names several actors, the highest priority wins.
PRIORITY = {
    "person": 90,
    "metonym": 85,
    "organisation": 80,
    "company": 75,
    "group": 75,
    "name": 70,
    "capital": 60,
    "weak_name": 40,
    "place": 20,
}

# English words that are also some country's weak name or place in rigour; never aliases.
_STOP = {
    "man", "mali", "chad", "guinea", "jersey", "georgia", "niger", "turkey", "china", "israel",
    "jordan", "chile", "congo", "cuba", "peru", "nice", "split", "bath", "reading", "mobile",
    "sale", "deal", "gaza", "union", "republic", "state", "island", "islands", "saint", "san",
    "santa", "victoria", "alexandria", "hamilton", "kingston", "lincoln", "bristol", "march",
    "may", "june", "july", "august", "president", "home", "north", "south", "east", "west",
    "central", "amazon", "colombo", "male", "praia", "moron", "marathon", "delta", "orange",
}
# rigour weak names that are too ambiguous in news text, per alpha3
_SKIP_NAMES = {"IS", "PA", "AS", "IT", "NO", "DE", "ME", "AT", "BE", "TO", "IN", "OR", "AM"}


def is_cyrillic(text: str) -> bool:
    """Whether the first letter of ``text`` is Cyrillic."""
    for ch in text:
        if ch.isalpha():
            return "CYRILLIC" in unicodedata.name(ch, "")
    return False


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is Latin script."""
    return all("LATIN" in unicodedata.name(ch, "") for ch in text if ch.isalpha())


def fold(text: str) -> str:
    """Lower-case and strip diacritics from Latin text (Cyrillic is only lower-cased); every
    apostrophe inside a word — ’, or the modifier letter ʼ some Ukrainian outlets write — is
    "'"."""
    text = text.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")
    if is_cyrillic(text):
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@dataclass(frozen=True)
class Alias:
    """One spelling of one actor."""

    text: str
    actor_id: str
    lang: str
    kind: str  # name | weak_name | place | capital | metonym | person | organisation | ...
    priority: int
    case_sensitive: bool


@dataclass(frozen=True)
class Term:
    """One person's time in one office: ``role`` of ``org`` from ``start`` (incl.) to ``end``."""

    person: str
    role: str
    org: str
    start: date
    end: date | None

    def active(self, on: date) -> bool:
        """Whether the term covers day ``on``."""
        return self.start <= on and (self.end is None or on < self.end)


def as_date(value: date | datetime | str | None) -> date | None:
    """Coerce a date, datetime or ISO string to a ``date`` (None stays None)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _read_json(name: str) -> dict[str, Any]:
    text = resources.files("storyline.actors").joinpath(f"data/{name}").read_text("utf-8")
    return json.loads(text)


def _translations(lang: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:  # pragma: no cover - locale missing in a slim pycountry
        return gettext.NullTranslations()


class Gazetteer:
    """Actors, their aliases and dated offices.

    Use :meth:`load` to get the packaged gazetteer (built once per process, about a second).
    """

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.aliases: list[Alias] = []
        self.terms: list[Term] = []
        self.exec_role: dict[str, str] = {}  # ISO3 -> "hos" | "hog": whose office "leader" means
        self.sector_words: dict[str, str] = {}
        self._terms_by_office: dict[tuple[str, str], list[Term]] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def load(cls) -> Gazetteer:
        """The packaged gazetteer (cached: every call returns the same object)."""
        return _load_packaged()

    def add(self, actor: Actor) -> Actor:
        """Add (or replace) an actor."""
        self.actors[actor.id] = actor
        return actor

    def add_alias(self, text: str, actor_id: str, lang: str, kind: str) -> None:
        """Register a spelling; short all-capital acronyms are matched case-sensitively."""
        text = text.strip()
        if not text or len(text) < 2:
            return
        letters = [c for c in text if c.isalpha()]
        cs = bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5
        self.aliases.append(Alias(text, actor_id, lang, kind, PRIORITY.get(kind, 50), cs))
        actor = self.actors.get(actor_id)
        if actor is not None and kind not in ("place", "weak_name"):
            spellings = actor.aliases.setdefault(lang, [])
            if text not in spellings:
                spellings.append(text)

    def add_term(self, term: Term) -> None:
        """Register that ``term.person`` held ``term.role`` of ``term.org``."""
        self.terms.append(term)
        self._terms_by_office.setdefault((term.role, term.org), []).append(term)

    # ------------------------------------------------------------------ queries
    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, or None."""
        return self.actors.get(actor_id)

    def country_of(self, actor_id: str | None) -> str | None:
        """The ISO3 country an actor belongs to (``RUS.GOV`` -> ``RUS``; blocs -> None)."""
        if not actor_id:
            return None
        actor = self.actors.get(actor_id)
        if actor is not None:
            return actor.country
        head = actor_id.split(".")[0]
        return head if len(head) == 3 and head.isupper() else None

    def holder(self, role: str, org: str, on: date | datetime | str | None) -> str | None:
        """Who held ``role`` ("hos", "hog", "foreign_minister", "nato_sg" ...) of ``org`` on a day.

        ``role="leader"`` means the country's chief executive (the president in Belarus, the
        prime minister in the UK). Without a date the current holder is returned.
        """
        if role == "leader":
            role = self.exec_role.get(org, "hos")
        terms = self._terms_by_office.get((role, org), [])
        day = as_date(on) or date.today()
        active = [t for t in terms if t.active(day)]
        if not active:
            return None
        return max(active, key=lambda t: t.start).person

    def offices(self, person: str, on: date | datetime | str | None = None) -> list[Term]:
        """The terms a person held (on a given day, or ever)."""
        day = as_date(on)
        return [t for t in self.terms if t.person == person and (day is None or t.active(day))]

    def is_active(self, person: str, on: date | datetime | str | None) -> bool:
        """Whether a person held any office on a day."""
        return bool(self.offices(person, on))

    def sector_of(self, word: str) -> str | None:
        """The sector ("military", "government" ...) a head word points to, if any."""
        return self.sector_words.get(fold(word))


# ---------------------------------------------------------------------- packaged data
def country_display_name(*names: str | None) -> str:
    """The first of ``names`` (rigour's common English name, pycountry's common name, its ISO
    name) that reads as a name: not an inverted ISO form ("Korea, Republic of"). A reader knows
    "Russia", "South Korea" and "Iran" — briefs listed "Russian Federation" and "Government of
    Korea, Republic of"."""
    given = [n for n in names if n]
    return next((n for n in given if "," not in n), given[0] if given else "")


def reader_name(actor: Actor) -> str:
    """An actor as English readers know it: a bloc or an organisation of three or more words by
    the acronym its English spellings lead with ("NATO", "CSTO", "OSCE"; briefs listed "North
    Atlantic Treaty Organization" and labelled "Collective Security Treaty Organization:
    troops"), anyone else by its name ("European Union", whose spellings lead with the name)."""
    if actor.kind in ("bloc", "organisation") and len(actor.name.split()) >= 3:
        first = (actor.aliases.get("en") or [""])[0]
        if re.fullmatch(r"[A-Z]{3,5}", first):
            return first
    return actor.name


#: Country names that take "the" after "Government of" ("the United States").
_WITH_THE = re.compile(r"^(?:United |Czech |Dominican |Central African |DR |Isle of |"
                       r"Netherlands$|Philippines$|Bahamas$|Gambia$|Maldives$|Comoros$|"
                       r"Seychelles$|Holy See$)|(?:Islands|Republic|Kingdom|Emirates|States|"
                       r"Territory)$")


def with_article(country: str) -> str:
    """``country`` as it follows "Government of": "the United States", "the Netherlands",
    "the Isle of Man", "Russia". A name that carries its own article inside ("South Georgia
    and the South Sandwich Islands") takes none."""
    if " the " in country:
        return country
    return f"the {country}" if _WITH_THE.search(country) else country


def _add_countries(gaz: Gazetteer, extra: dict[str, Any]) -> None:
    from rigour._core import territories_jsonl
    from rigour.data import iter_jsonl_text

    rigour_by_a3: dict[str, dict[str, Any]] = {}
    for data in iter_jsonl_text(territories_jsonl()):
        a3 = (data.get("alpha3") or "").upper()
        if a3 and not data.get("parent"):
            rigour_by_a3.setdefault(a3, data)
    tr = {lang: _translations(lang) for lang in ("ru", "be", "uk")}
    for c in pycountry.countries:
        a3 = c.alpha_3
        rig = rigour_by_a3.get(a3, {})
        name = country_display_name(rig.get("name"), getattr(c, "common_name", None), c.name)
        gaz.add(Actor(id=a3, name=name, kind="country",
                      country=a3, wikidata=rig.get("qid"), meta={"iso2": c.alpha_2}))
        gaz.add(Actor(id=f"{a3}.GOV", name=f"Government of {with_article(name)}",
                      kind="government", country=a3, meta={"sector": "government"}))
        names = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None),
                 rig.get("name"), rig.get("full_name")}
        for name in filter(None, names):
            if "," not in name:
                gaz.add_alias(name, a3, "en", "name")
        for lang, t in tr.items():
            for name in {t.gettext(c.name), t.gettext(getattr(c, "common_name", c.name))}:
                if name and is_cyrillic(name):
                    gaz.add_alias(name, a3, lang, "name")
        for name in rig.get("names_strong", []):
            if is_latin(name) or is_cyrillic(name):
                gaz.add_alias(name, a3, "ru" if is_cyrillic(name) else "en", "name")
        for name in rig.get("names_weak", []):
            if _usable_weak(name):
                gaz.add_alias(name, a3, "ru" if is_cyrillic(name) else "en", "weak_name")
                if name.endswith(("an", "i")) and " " not in name and is_latin(name):
                    gaz.add_alias(name + "s", a3, "en", "weak_name")  # Iraqis, Palestinians
        for place in rig.get("places", []):
            if _usable_weak(place) and place[:1].isupper():
                gaz.add_alias(place, a3, "en", "place")
    for a3, info in extra.items():
        if a3 not in gaz.actors:
            continue
        gaz.exec_role[a3] = info.get("exec", "hos")
        _name_in_russian(gaz.actors[a3], info.get("ru"))
        for lang in LANGS:
            for name in info.get(lang, []):
                gaz.add_alias(name, a3, lang, "name")
        for cap in info.get("capital", []):
            gaz.add_alias(cap, a3, "ru" if is_cyrillic(cap) else "en", "capital")
            gaz.actors[a3].meta.setdefault("capitals", []).append(cap)
        for met in info.get("gov", []):
            gaz.add_alias(met, f"{a3}.GOV", "ru" if is_cyrillic(met) else "en", "metonym")


def _name_in_russian(actor: Actor, spellings: list[str] | None) -> None:
    """Record the hand-written Russian name a Russian brief gives an actor (the first of its
    Russian spellings) as ``meta["name_ru"]``."""
    if spellings:
        actor.meta["name_ru"] = spellings[0]


def _usable_weak(name: str) -> bool:
    if not (is_latin(name) or is_cyrillic(name)) or len(name) < 4:
        return False
    if any(ch in name for ch in "(),:") or name.startswith(("i -", "the ")):
        return False
    return fold(name) not in _STOP and name.upper() != name


def _add_lists(gaz: Gazetteer) -> None:
    from storyline.actors.lists import OfficialLists

    lists = OfficialLists.load()
    for lid, ol in lists.lists.items():
        _name_in_russian(gaz.add(Actor(
            id=f"LIST:{lid}", name=ol.name, kind="group", country=None,
            meta={"issuer": ol.issuer, "legal_basis": ol.legal_basis, "list": lid})),
            [ol.name_ru] if ol.name_ru else None)
        for e in ol.entries:
            if e.actor not in gaz.actors:
                gaz.add(Actor(id=e.actor, name=e.name, kind="country", country=e.actor,
                              meta={"parent": e.parent, "territory": True}))
                gaz.add_alias(e.name, e.actor, "en", "name")


def _load_into(gaz: Gazetteer) -> Gazetteer:
    data = _read_json("actors.json")
    _add_countries(gaz, data["countries"])
    for a3, names in data.get("places", {}).items():  # cities and regions: their country
        if not a3.startswith("_") and a3 in gaz.actors:  # "_about" describes the table
            for name in names:
                gaz.add_alias(name, a3, "ru" if is_cyrillic(name) else "en", "place")
    for org in data["organisations"]:
        _name_in_russian(gaz.add(Actor(
            id=org["id"], name=org["name"], kind=org["kind"], country=None,
            wikidata=org.get("wikidata"),
            meta={"members": org.get("members", []), "parent": org.get("parent")})), org.get("ru"))
        for lang in LANGS:
            for name in org.get(lang, []):
                kind = "metonym" if name in ("Brussels", "Брюссель", "Брусель") else "organisation"
                gaz.add_alias(name, org["id"], lang, kind)
    for grp in data["groups"]:
        _name_in_russian(gaz.add(Actor(id=grp["id"], name=grp["name"], kind="group",
                                       country=grp["country"], meta={"sector": grp["sector"]})),
                         grp.get("ru"))
        for lang in ("en", "ru"):
            for name in grp.get(lang, []):
                if name != "IS":
                    gaz.add_alias(name, grp["id"], lang, "group")
    for co in data["companies"]:
        _name_in_russian(gaz.add(Actor(id=co["id"], name=co["name"], kind="company",
                                       country=co["country"], meta={"sector": "business"})),
                         co.get("ru"))
        for lang in LANGS:
            for name in co.get(lang, []):
                gaz.add_alias(name, co["id"], lang, "company")
    for sector, words in data["sectors"].items():
        for w in words:
            gaz.sector_words[fold(w)] = sector
    for person in _read_json("people.json")["people"]:
        actor = gaz.add(Actor(id=person["id"], name=person["name"], kind="person",
                              country=person.get("country"),
                              meta={"sector": person.get("sector", "government"),
                                    **({"gender": person["gender"]} if person.get("gender")
                                       else {}),
                                    **person.get("meta", {})}))
        spellings = person["aliases"].get("ru") or []  # the full name first ("Владимир Путин")
        _name_in_russian(actor, [s for s in spellings if " " in s] + spellings)
        for lang, names in person["aliases"].items():
            for name in names:
                gaz.add_alias(name, person["id"], lang, "person")
        for role, org, start, end in person["terms"]:
            gaz.add_term(Term(person["id"], role, org, date.fromisoformat(start),
                              date.fromisoformat(end) if end else None))
    _add_lists(gaz)
    return gaz


@lru_cache(maxsize=1)
def _load_packaged() -> Gazetteer:
    return _load_into(Gazetteer())
