"""Tracked storylines: an analyst's own storyline, gathered from the automatic ones.

An analyst defines a storyline by a title and any of: **actors** (``RUS,BLR``), **terms** (word
prefixes in any language: ``unfriendly,недружеств``) and automatic storylines to take events
**from** (``sl3,sl4``). It is stored as a row of ``storylines`` with the id ``t1``, ``t2``, ...
(so the CLI, the web pages, the API, the Atom feeds and the brief writer all take it as they
take ``sl3``) plus its definition (``tracked_storylines``); the events it gathers are linked in
``tracked_links`` with a score and reasons like an automatic link, and keep their automatic
storyline (``events.storyline_id``).

Matching (:class:`Matcher`), per event, over its coded records and its original reports:

- **actors**: the share of the definition's actors the event's coded records involve, compared
  by country as ``storyline relations`` does (``RUS.GOV`` and ``PERSON:putin`` count as
  ``RUS``); an official list as a target (``LIST:RU-430-r``) counts for the government that
  keeps it. A list given as an actor matches that list only.
- **terms**: 1.0 when a report's title has a word starting with one of the terms
  (case-insensitive, any script), 0.5 when only a report's text has one — or when the reports
  name at least a quarter (and five) of the states on an official list whose name holds a term
  (``list_states`` in the reasons: Belarus opening visa-free entry to 35 European countries
  names 12 of the 39 states on its 'unfriendly' list).
- **from**: the event belongs to one of the named automatic storylines.

The score is the mean of the actors and terms parts the definition has. An event is gathered
when every part it has is above zero and the score is at least :data:`RELATED` (0.4), or when
it belongs to a ``from`` storyline. At :data:`MATCH` (0.6) or more it is a development of the
tracked storyline; below, it is filed as related coverage (``reasons["relation"] =
"related"``), as the automatic linker files weak links. An event taken from a ``from``
storyline keeps its automatic link's score and reasons (its relation included) unless its
actors and terms score higher. With actors RUS, BLR and terms 'unfriendly…', a report titled
about Russia's 'unfriendly' list scores 0.75 (one of the two countries, a title hit); one that
mentions the list only in its text, 0.5 (related coverage); the summit where both pledge a
response to 'unfriendly countries' in a title, 1.0.

:class:`TrackingStage` is the pipeline step after ``storylines`` (``STAGES``): it re-matches the
events that got new reports since its last run (an article cursor in the stage state) and the
events active since then, so a re-run adds nothing and new events join incrementally. A new
tracked storyline is matched against every stored event at once (:func:`create_tracked`).
Links are only added or re-scored, never dropped; a link goes when its event is merged away
(the event that absorbed it is re-matched, as it got the reports).

A gathered report that refers back to an earlier act by its month ("implements Putin's August
decree", :mod:`storyline.cluster.backrefs`) also gathers that development, when an earlier event
of the same automatic storyline was first reported in that month and its reports use the act's
word and name whose act it was: related coverage at :data:`RELATED`, with ``reference`` (the
phrase) and ``referred_by`` (the event) as its reasons.

:func:`add_findings` adds to a tracked storyline's brief what its coded records show across
events: where two of its actors keep official lists, the states both lists hold ("both
governments listed the same states"), citing the reports of both lists.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from ..actors.gazetteer import Gazetteer
from ..actors.lists import LIST_PREFIX, OfficialLists
from ..mentioned_days import day_words
from ..model import Article, Event, EventRecord
from ..store import Store
from ..store.sqlite import is_tracked_id
from .backrefs import references

#: Score at or above which a gathered event is a development of the tracked storyline.
MATCH = 0.6
#: Lowest score at which an event is gathered at all (as related coverage below MATCH).
RELATED = 0.4
#: Terms part for a term in a report's title, and in its text only.
TITLE_HIT, TEXT_HIT = 1.0, 0.5
#: Shortest term accepted: a one- or two-letter prefix would match nearly every report.
MIN_TERM = 3
#: An event whose reports name at least this share of the states on an official list whose
#: name holds a term (and at least :data:`MIN_LIST_STATES` of them) concerns that list's states
#: as a group: a text hit for the terms part ("visa-free entry for 35 European countries").
LIST_SHARE, MIN_LIST_STATES = 0.25, 5
#: stage_state key: the highest article id the tracking stage has seen, and the newest
#: publication time then.
CURSOR_KEY = "tracked.cursor"
#: Progress callback, as in :mod:`storyline.pipeline`.
Progress = Any


class TrackedError(ValueError):
    """A tracked storyline's definition cannot be used (the message says why)."""


@dataclass
class Definition:
    """What an analyst asked for (a ``tracked_storylines`` row)."""

    id: str
    title: str
    actors: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    from_storylines: list[str] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Definition:
        return cls(row["id"], row["title"], list(row["actors"]), list(row["terms"]),
                   list(row["from_storylines"]))


@dataclass
class EventData:
    """One event as matching reads it: its original reports, coded records and its automatic
    link (``{score, reasons}``; empty when it has none)."""

    event: Event
    articles: list[Article]
    records: list[EventRecord]
    link: dict[str, Any] = field(default_factory=dict)


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Words starting with one of ``terms`` (case-insensitive, any script); None for none."""
    alternatives = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")\w*",
                      re.IGNORECASE)


class Matcher:
    """Scores events against one :class:`Definition` (see the module's docstring)."""

    def __init__(self, definition: Definition, gazetteer: Gazetteer | None = None,
                 lists: OfficialLists | None = None) -> None:
        self.definition = definition
        self.gaz = gazetteer or Gazetteer.load()
        self.lists = lists or OfficialLists.load()
        #: comparison key -> the actor id the analyst gave
        self.keys = {self._key(a): a for a in definition.actors}
        self.pattern = term_pattern(definition.terms)
        self.sources = set(definition.from_storylines)
        #: the official lists the terms name ("unfriendly": Russia's and Belarus's lists)
        self.term_lists = sorted(lid for lid, kept in self.lists.lists.items()
                                 if self.pattern is not None and self.pattern.search(kept.name))

    def _key(self, actor: str) -> str:
        if actor.startswith(LIST_PREFIX):
            return actor
        return self.gaz.country_of(actor) or actor

    def _keys_of(self, actor: str) -> set[str]:
        """The keys an actor of a record counts for: its country (or itself); a list also for
        the government that keeps it."""
        if actor.startswith(LIST_PREFIX):
            kept = self.lists.lists.get(actor.removeprefix(LIST_PREFIX))
            return {actor, kept.issuer} if kept else {actor}
        return {self._key(actor)}

    def name(self, key: str) -> str:
        actor = self.gaz.get(key)
        return actor.name if actor else key

    def match(self, data: EventData) -> tuple[float, dict[str, Any]] | None:
        """(score, reasons) when the event belongs to the tracked storyline, else None."""
        parts: dict[str, float] = {}
        found: set[str] = set()
        words: list[str] = []
        if self.keys:
            for r in data.records:
                for actor in (r.source_actor, r.target_actor):
                    if actor:
                        found |= self._keys_of(actor) & self.keys.keys()
            parts["actors"] = len(found) / len(self.keys)
        if self.pattern is not None:
            in_title = in_text = False
            for a in data.articles:
                title_words = [m.group(0) for m in self.pattern.finditer(a.title or "")]
                text_words = [m.group(0) for m in self.pattern.finditer(a.text or "")]
                in_title |= bool(title_words)
                in_text |= bool(text_words)
                words += title_words + text_words
            parts["terms"] = TITLE_HIT if in_title else TEXT_HIT if in_text else 0.0
        listed: dict[str, dict[str, Any]] = {}
        if parts.get("terms") == 0.0 and self.term_lists and parts.get("actors", 1.0) > 0:
            listed = self._listed_states(data)
            if listed:
                parts["terms"] = TEXT_HIT
        content = sum(parts.values()) / len(parts) if parts else 0.0
        matched = bool(parts) and all(v > 0 for v in parts.values()) and content >= RELATED
        via_from = data.event.storyline_id in self.sources
        if not matched and not via_from:
            return None
        auto_score = data.link.get("score")
        auto = float(auto_score) if auto_score is not None else 1.0
        reasons: dict[str, Any] = {}
        if matched and (not via_from or content >= auto):
            score = content
            if content < MATCH:
                reasons["relation"] = "related"
        else:  # taken from a `from` storyline: its automatic link, as it is
            reasons.update(data.link.get("reasons") or {})
            score = auto
        ordered = [k for k in self.keys if k in found]
        words = list(dict.fromkeys(w.lower() for w in words))
        reasons.update({
            "score": round(score, 4),
            **{k: round(v, 4) for k, v in parts.items()},
            "actor_ids": [self.keys[k] for k in ordered],
            "shared_entities": [self.name(k) for k in ordered] or reasons.get(
                "shared_entities", []),
            "shared_terms": words[:8] or reasons.get("shared_terms", []),
            "tracked": self.definition.id,
            "storyline": data.event.storyline_id,
            "storyline_score": round(float(auto_score), 4) if auto_score is not None else None,
            "from_storyline": via_from,
            "threshold": MATCH,
            "related_threshold": RELATED,
        })
        if self.keys:
            reasons["shared_actors"] = float(len(found))
        if listed:
            reasons["list_states"] = listed
        return score, reasons

    def _listed_states(self, data: EventData) -> dict[str, dict[str, Any]]:
        """The term lists (:attr:`term_lists`) of whose states the event's reports name at
        least :data:`LIST_SHARE` (and :data:`MIN_LIST_STATES`): list id -> ``{"name", "named"
        (the states, ISO3), "of" (the list's size on the event's day)}``."""
        from ..actors.resolve import default_resolver

        day = data.event.first_seen
        named: set[str] = set()
        for a in data.articles:
            for m in default_resolver().resolve(f"{a.title or ''}\n{a.text or ''}",
                                                a.published, a.lang):
                country = self.gaz.country_of(m.actor_id)
                if country:
                    named.add(country)
        out: dict[str, dict[str, Any]] = {}
        for lid in self.term_lists:
            members = self.lists.members(lid, day)
            hit = named & members
            if members and len(hit) >= max(MIN_LIST_STATES, LIST_SHARE * len(members)):
                out[lid] = {"name": self.lists.lists[lid].name, "named": sorted(hit),
                            "of": len(members)}
        return out


class TrackingStage:
    """Gathers events into every tracked storyline; ``run`` returns counts.

    Parameters
    ----------
    store:
        The store to read events from and write tracked links to.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._links: dict[str, dict[int, dict[str, Any]]] = {}

    def run(self, progress: Progress | None = None, *, tracked_ids: Sequence[str] | None = None,
            full: bool = False) -> dict[str, int]:
        """Match the events that are new or changed since the last run (every event with
        ``full``) against the tracked storylines (``tracked_ids``, default all); returns
        ``tracked_links`` (links added) and ``tracked_storylines`` (storylines matched)."""
        store = self.store
        rows = store.tracked_storylines()
        if tracked_ids is not None:
            rows = [r for r in rows if r["id"] in set(tracked_ids)]
        cursor = store.get_state(CURSOR_KEY) or {}
        moves = tracked_ids is None  # only a run over every tracked storyline moves the cursor
        top, fresh = store.article_cursor(int(cursor.get("article", 0)))
        counts = {"tracked_links": 0, "tracked_storylines": len(rows)}
        if rows:
            events = self._candidates(cursor, fresh, full)
            matchers = [Matcher(Definition.from_row(r)) for r in rows]
            gathered: list[tuple[Matcher, EventData]] = []
            for done, event in enumerate(events, 1):
                data = self._data(event)
                for m in matchers:
                    hit = m.match(data)
                    if hit is not None:
                        counts["tracked_links"] += store.link_tracked(
                            m.definition.id, [(int(event.id or 0), hit[0], hit[1])])
                        gathered.append((m, data))
                if progress:
                    progress("tracked", done, len(events))
            linked: dict[str, set[int]] = {}
            for m, data in gathered:  # what the gathered reports refer back to
                known = linked.setdefault(m.definition.id, {
                    link["event_id"] for link in store.storyline_links(m.definition.id)})
                found = [(eid, RELATED, why) for eid, why in self._referred(m, data)
                         if eid not in known]
                known.update(eid for eid, _, _ in found)
                counts["tracked_links"] += store.link_tracked(m.definition.id, found)
            if events:  # counts, lifecycle and momentum against the new stream time
                with store.transaction():
                    for r in rows:
                        refresh(store, r["id"])
        if moves:
            latest = store.latest_published()
            state = {"article": max(top, int(cursor.get("article", 0))),
                     "latest": latest.isoformat() if latest else None}
            if state != cursor:
                store.put_state(CURSOR_KEY, state)
        return counts

    def _candidates(self, cursor: dict[str, Any], fresh: list[int], full: bool
                    ) -> list[Event]:
        """Every event (``full``, or on the first run), else the events of the reports after
        the cursor (``fresh``) and those active since the newest publication of the last run
        (where the clusterer merges), oldest first."""
        store = self.store
        if full or not cursor:
            events = store.events()
        else:
            ids = set(fresh)
            since = datetime.fromisoformat(cursor["latest"]) if cursor.get("latest") else None
            events = [e for e in (store.event(i) for i in sorted(ids))
                      if e is not None and e.article_count > 0]
            seen = {e.id for e in events}
            events += [e for e in (store.events(since=since) if since else [])
                       if e.id not in seen]
        return sorted(events, key=lambda e: (e.first_seen or datetime.min.replace(tzinfo=UTC),
                                             e.id or 0))

    def _referred(self, matcher: Matcher, data: EventData
                  ) -> Iterable[tuple[int, dict[str, Any]]]:
        """Earlier developments (not related coverage) of the same automatic storyline that a
        gathered event's reports refer back to (:func:`~storyline.cluster.backrefs.references`:
        "implements Putin's August decree"): first reported in the month named, before the
        referring event, with a report using the act's word (and naming whose act it was, when
        the phrase says) — gathered as related coverage at :data:`RELATED`, the phrase as the
        reason."""
        sid, first = data.event.storyline_id, data.event.first_seen
        refs = [(ref, ref.month(a.published.date())) for a in data.articles if a.published
                for ref in references(f"{a.title or ''}\n{a.text or ''}")]
        if not sid or first is None or not refs:
            return
        # a development of the storyline, not its related coverage: "the list Moscow published
        # in March" is the list, not McDonald's closure filed beside it that month
        coverage = {link["event_id"] for link in self.store.storyline_links(sid)
                    if link["reasons"].get("relation") == "related"}
        others = [e for e in self.store.events(storyline_id=sid)
                  if e.id != data.event.id and e.id not in coverage and e.first_seen is not None
                  and e.first_seen < first]
        seen: set[int] = set()
        for ref, month in refs:
            act = re.compile(rf"\b{re.escape(ref.act.rstrip('s'))}", re.IGNORECASE)
            for other in others:
                assert other.first_seen is not None
                eid = int(other.id or 0)
                if eid in seen or (other.first_seen.year, other.first_seen.month) != month:
                    continue
                texts = [f"{a.title or ''}\n{a.text or ''}" for a in
                         self.store.articles(event_id=other.id, originals_only=True)]
                if not any(act.search(t) for t in texts) or (
                        ref.who and not any(ref.who.lower() in t.lower() for t in texts)):
                    continue
                seen.add(eid)
                yield eid, {
                    "relation": "related", "score": RELATED,
                    "referred_by": int(data.event.id or 0), "reference": ref.text,
                    "actor_ids": [], "shared_entities": [ref.who] if ref.who else [],
                    "shared_terms": [], "tracked": matcher.definition.id,
                    "storyline": other.storyline_id, "from_storyline": False,
                    "threshold": MATCH, "related_threshold": RELATED}

    def _data(self, event: Event) -> EventData:
        store = self.store
        sid = event.storyline_id
        if sid and sid not in self._links:
            self._links[sid] = {link["event_id"]: link for link in store.storyline_links(sid)}
        return EventData(event, store.articles(event_id=event.id, originals_only=True),
                         store.event_records(event_id=event.id),
                         self._links.get(sid or "", {}).get(event.id, {}))


def gathered_why(reasons: dict[str, Any]) -> list[str]:
    """What, beyond scores and shared names, gathered an event into a tracked storyline:
    a later report's reference to it, or the listed states its reports name (CLI and web)."""
    out = []
    if reasons.get("reference"):
        out.append(f"referred to by event {reasons.get('referred_by')} as "
                   f"“{reasons['reference']}”")
    for lid, listed in sorted((reasons.get("list_states") or {}).items()):
        out.append(f"names {len(listed.get('named') or [])} of the {listed.get('of')} states "
                   f"on {lid}")
    return out


def refresh(store: Store, tracked_id: str) -> None:
    """Recompute a tracked storyline's counts, first/last seen, lifecycle and momentum from
    its events (related coverage counted but not keeping it alive), as the automatic ones."""
    from .storyline_stage import summarise

    s = store.storyline(tracked_id)
    if s is None:
        return
    events = store.events(storyline_id=tracked_id)
    related = {link["event_id"] for link in store.storyline_links(tracked_id)
               if link["reasons"].get("relation") == "related"}
    now = store.latest_published() or datetime.now(UTC)
    if events:
        store.save_storylines([summarise(s, events, now, related=related)])
    elif s.event_count:
        store.save_storylines([replace(s, event_count=0, article_count=0, momentum=0.0)])


# ------------------------------------------------------------------ defining one
def parse_list(values: Iterable[str] | str | None) -> list[str]:
    """``"RUS,BLR"`` or ``["RUS", "BLR,UKR"]`` as a list without blanks or repeats."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return list(dict.fromkeys(x.strip() for v in values for x in v.split(",") if x.strip()))


def validate(store: Store, title: str, actors: Iterable[str], terms: Iterable[str],
             from_storylines: Iterable[str]) -> tuple[str, list[str], list[str], list[str]]:
    """The definition cleaned (actor spellings resolved to ids), or :class:`TrackedError`."""
    from ..actors.resolve import UnknownActor, lookup_actor

    title = " ".join((title or "").split())
    if not title:
        raise TrackedError("a tracked storyline needs a title")
    if len(title) > 300:
        raise TrackedError("the title is longer than 300 characters")
    ids = []
    for actor in parse_list(list(actors)):
        try:
            ids.append(lookup_actor(actor))
        except UnknownActor as exc:
            hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            raise TrackedError(f"unknown actor {actor!r}{hint} — ids look like RUS, RUS.GOV, "
                               "EU, PERSON:putin, LIST:RU-430-r") from None
    words = parse_list(list(terms))
    short = [t for t in words if len(t) < MIN_TERM]
    if short:
        raise TrackedError(f"terms must be at least {MIN_TERM} characters: {', '.join(short)}")
    sources = []
    for sid in parse_list(list(from_storylines)):
        s = store.storyline(sid)
        if s is None or is_tracked_id(sid):
            raise TrackedError(f"--from {sid}: no automatic storyline {sid!r} — see "
                               "`storyline storylines`")
        sources.append(s.state.get("merged_into") or sid)  # where a merged one's events are
    sources = list(dict.fromkeys(sources))
    if not (ids or words or sources):
        raise TrackedError("give actors, terms or storylines to take events from")
    return title, list(dict.fromkeys(ids)), words, sources


def label_of(actors: Sequence[str], terms: Sequence[str], sources: Sequence[str]) -> str:
    """The label a tracked storyline shows in listings: ``tracked: RUS, BLR · unfriendly``."""
    parts = [", ".join(actors), ", ".join(terms), ", ".join(f"from {s}" for s in sources)]
    return "tracked: " + " · ".join(p for p in parts if p)


def create_tracked(store: Store, title: str, *, actors: Iterable[str] = (),
                   terms: Iterable[str] = (), from_storylines: Iterable[str] = (),
                   write_brief: bool = True) -> dict[str, Any]:
    """Define a tracked storyline, gather every matching stored event into it and write its
    brief; returns its definition with ``links`` (events gathered) and ``brief_version``."""
    title, ids, words, sources = validate(store, title, actors, terms, from_storylines)
    with store.exclusive("analysis"):
        tid = store.add_tracked(title, actors=ids, terms=words, from_storylines=sources,
                                label=label_of(ids, words, sources))
        counts = TrackingStage(store).run(tracked_ids=[tid], full=True)
        version = None
        if write_brief:
            from ..brief.writer import BriefStage

            written = BriefStage(store).run(storyline_ids=[tid])
            version = written[0].version if written else None
    definition = store.tracked_storyline(tid) or {"id": tid}
    return {**definition, "links": counts["tracked_links"], "brief_version": version}


# ------------------------------------------------------------------ findings for the brief
@dataclass
class ListFinding:
    """Two governments of a tracked storyline keep official lists holding the same states."""

    actors: tuple[str, str]  # issuers, in the definition's order
    lists: tuple[str, str]  # list ids
    days: tuple[date, date]  # the day each list was reported in the storyline
    common: list[str]  # ISO3 of the states on both lists (each on its day)
    sizes: tuple[int, int]  # members of each list on its day
    article_ids: tuple[int, int]  # the reports of each list


def list_findings(store: Store, definition: Definition, event_ids: Iterable[int],
                  lists: OfficialLists | None = None) -> list[ListFinding]:
    """For each pair of the definition's actors that keep official lists, the states both
    lists hold, from the first coded record of each government's list in these events."""
    lists = lists or OfficialLists.load()
    matcher = Matcher(definition, lists=lists)
    def rank(r: EventRecord) -> tuple[bool, datetime, int]:
        """A government's general list before its diplomatic one, then the earliest report."""
        kept = lists.lists[str(r.target_actor).removeprefix(LIST_PREFIX)]
        return "diplomatic" in kept.name.lower(), r.date or datetime.max, r.id or 0

    first: dict[str, EventRecord] = {}
    for eid in event_ids:
        for r in store.event_records(event_id=eid):
            target = r.target_actor or ""
            kept = (lists.lists.get(target.removeprefix(LIST_PREFIX))
                    if target.startswith(LIST_PREFIX) else None)
            if kept is None or r.date is None or r.article_id is None:
                continue
            if kept.issuer not in matcher.keys or matcher._key(r.source_actor) != kept.issuer:
                continue
            if kept.issuer not in first or rank(r) < rank(first[kept.issuer]):
                first[kept.issuer] = r
    order = [k for k in matcher.keys if k in first]
    out = []
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            ra, rb = first[a], first[b]
            la, lb = (str(x.target_actor).removeprefix(LIST_PREFIX) for x in (ra, rb))
            da, db = ra.date.date(), rb.date.date()  # type: ignore[union-attr]
            ma, mb = lists.members(la, da), lists.members(lb, db)  # each as first reported
            common = ma & mb
            if common:
                out.append(ListFinding((a, b), (la, lb), (da, db), sorted(common),
                                       (len(ma), len(mb)), (int(ra.article_id or 0),
                                                            int(rb.article_id or 0))))
    return out


def _possessive(name: str) -> str:
    return name + "'s"


#: Country names read with an article ("the United States").
_WITH_THE = ("United ", "Netherlands", "Czech Republic", "Bahamas", "Philippines")


def _country(actor: str) -> str:
    from ..brief.state import short_name

    name = short_name(actor) or actor
    return f"the {name}" if name.startswith(_WITH_THE) else name


def finding_text(f: ListFinding, examples: Sequence[str], lang: str = "en") -> str:
    """One sentence stating a :class:`ListFinding` (composed from the lists, not quoted), in
    English or Russian."""
    if lang == "ru":
        return _finding_text_ru(f, examples)
    a, b = _country(f.actors[0]), _country(f.actors[1])
    shown = [_country(x) for x in examples]
    listed = (", ".join(shown[:-1]) + " and " + shown[-1]) if len(shown) > 1 else "".join(shown)
    among = f", among them {listed}" if listed else ""
    (da, db), (na, nb), n = f.days, f.sizes, len(f.common)
    if n == nb:
        return (f"Both governments listed the same states: all {n} states on {_possessive(b)} "
                f"'unfriendly' list of {day_words(db)} were also on {_possessive(a)} list of "
                f"{day_words(da)}{among}.")
    if n == na:
        return (f"Both governments listed the same states: all {n} states on {_possessive(a)} "
                f"'unfriendly' list of {day_words(da)} were also on {_possessive(b)} list of "
                f"{day_words(db)}{among}.")
    return (f"Both governments listed the same states: {n} states were on both "
            f"{_possessive(a)} 'unfriendly' list of {day_words(da)} ({na} states) and "
            f"{_possessive(b)} of {day_words(db)} ({nb}){among}.")


def _finding_text_ru(f: ListFinding, examples: Sequence[str]) -> str:
    """:func:`finding_text` in Russian ("Оба правительства внесли в перечни одни и те же
    государства: все 39 государств перечня Беларуси от 8 апреля 2022 г. …")."""
    from ..brief import russian
    from ..brief.phrases import and_list, day
    from ..brief.state import short_name

    a, b = (russian.inflect(short_name(x, lang="ru") or x, "gent") for x in f.actors)
    shown = [short_name(x, lang="ru") or x for x in examples]
    among = f", в том числе {and_list(shown, 'ru')}" if shown else ""
    (da, db), (na, nb), n = f.days, f.sizes, len(f.common)
    states = russian.count(n, "государство", "государства", "государств")
    head = "Оба правительства внесли в перечни одни и те же государства: "
    if n in (na, nb):
        (whole, dw), (other, do) = ((b, db), (a, da)) if n == nb else ((a, da), (b, db))
        return (head + f"все {states} из «недружественного» перечня {whole} от "
                f"{day(dw, 'ru')} входят и в перечень {other} от {day(do, 'ru')}{among}.")
    return (head + f"{states} входят и в «недружественный» перечень {a} от {day(da, 'ru')} "
            f"({na}), и в перечень {b} от {day(db, 'ru')} ({nb}){among}.")


def _mentions(states: Iterable[str], texts: Sequence[str]) -> Counter[str]:
    """How often the reports name each state (its short name or an English spelling)."""
    from ..brief.state import short_name

    gaz = Gazetteer.load()
    out: Counter[str] = Counter()
    for state in states:
        actor = gaz.get(state)
        spellings = {short_name(state), *(actor.aliases.get("en", []) if actor else [])}
        spellings = {x for x in spellings if x and len(x) >= 2}
        if not spellings:
            continue
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(
            map(re.escape, sorted(spellings, key=len, reverse=True))) + r")(?!\w)")
        out[state] = sum(len(pattern.findall(text)) for text in texts)
    return out


def add_findings(store: Store, body: dict[str, Any], storyline_id: str,
                 event_ids: Iterable[int], lang: str = "en") -> None:
    """Put the tracked storyline's findings first under Significance (composed sentences
    citing the reports of both lists) and in ``body["findings"]``; nothing for other ids."""
    from ..brief.writer import BriefWriter, renumber

    row = store.tracked_storyline(storyline_id)
    if row is None:
        return
    ids = list(event_ids)
    findings = list_findings(store, Definition.from_row(row), ids)
    if not findings:
        return
    texts = [f"{a.title}\n{a.text}" for eid in ids
             for a in store.articles(event_id=eid, originals_only=True)]
    numbers = {s["article_id"]: s["n"] for s in body.get("sources", [])}
    sentences = []
    for f in findings:
        named = _mentions(f.common, texts)  # the states the reports name most, then by name
        examples = sorted(f.common, key=lambda x: (-named[x], _country(x)))[:5]
        cites = []
        for aid in f.article_ids:
            if aid not in numbers:
                article = store.article(aid)
                if article is None:
                    continue
                numbers[aid] = len(body.setdefault("sources", [])) + 1
                body["sources"].append(BriefWriter._source(numbers[aid], article))
            cites.append(numbers[aid])
        sentences.append({"text": finding_text(f, examples, lang), "cites": cites, "flag": None,
                          "composed": True})
    body["significance"] = sentences + [s for s in body.get("significance", [])
                                        if not s.get("note")]
    body["findings"] = [{"type": "same_listed_states", "actors": list(f.actors),
                         "lists": [LIST_PREFIX + x for x in f.lists],
                         "days": [d.isoformat() for d in f.days], "states": f.common,
                         "article_ids": list(f.article_ids)} for f in findings]
    renumber(body)


__all__ = ["MATCH", "RELATED", "Definition", "EventData", "ListFinding",
           "Matcher", "TrackedError", "TrackingStage", "add_findings", "create_tracked",
           "is_tracked_id", "list_findings", "parse_list", "refresh", "term_pattern",
           "validate"]
