"""``storyline actors``, ``actor``, ``relations`` and ``coordination``: who does what to whom.

Thin faces over :mod:`storyline.actors` (gazetteer, resolver, official lists) and
:mod:`storyline.events.relations` (dyad series, coordination, alignment), reading the coded
event records the ``code events`` stage stored. Actors may be named in any form the gazetteer
knows (``RUS``, ``russia``, ``Россия``, ``the Kremlin``, ``LIST:RU-430-r``); relations compare
actors by country, so ``RUS.GOV`` and ``PERSON:putin`` both count as ``RUS``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Annotated, Any

import typer

from ..model import EventRecord
from .common import console, emit_json, fail, newest_report, opened, parse_since

#: Offices shown on a country's card, in this order.
CARD_ROLES = ("hos", "hog", "foreign_minister", "defence_minister")


def _actor_id(query: str, on: date | None = None) -> str:
    """The gazetteer id for a user's spelling, or a clear error listing close matches."""
    from ..actors.resolve import UnknownActor, lookup_actor

    try:
        return lookup_actor(query, on=on)
    except UnknownActor as exc:
        fail(str(exc) + " — ids look like RUS, RUS.GOV, EU, PERSON:putin, LIST:RU-430-r")
    raise AssertionError("unreachable")


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        fail(f"--on {value!r}: give an ISO date such as 2022-04-01")
    raise AssertionError("unreachable")


def _name(actor_id: str) -> str:
    from ..actors.gazetteer import Gazetteer

    actor = Gazetteer.load().get(actor_id)
    return actor.name if actor else actor_id


def _text(line: str) -> None:
    console.print(line, highlight=False, markup=False)


# ---------------------------------------------------------------------- actors
def actors(
    kind: Annotated[str | None, typer.Option(help="Only this kind (country, person, ...).")] = None,
    limit: Annotated[int, typer.Option(help="Rows per kind.")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Actors seen in the coded events, with counts of records, grouped by kind."""
    from ..actors.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    with opened(create=False) as store:
        records = store.event_records()
    as_source: Counter[str] = Counter(r.source_actor for r in records if r.source_actor)
    as_target: Counter[str] = Counter(r.target_actor for r in records if r.target_actor)
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for actor_id in set(as_source) | set(as_target):
        actor = gaz.get(actor_id)
        k = actor.kind if actor else actor_id.split(":")[0].lower() if ":" in actor_id else "other"
        if kind and k != kind:
            continue
        by_kind[k].append({"id": actor_id, "name": actor.name if actor else actor_id,
                           "records": as_source[actor_id] + as_target[actor_id],
                           "as_source": as_source[actor_id], "as_target": as_target[actor_id]})
    out = {k: sorted(rows, key=lambda r: (-r["records"], r["id"]))[:limit]
           for k, rows in sorted(by_kind.items())}
    if as_json:
        emit_json({"records": len(records), "kinds": out})
        return
    if not out:
        _text("no coded actors yet — run `storyline ingest` (it codes events) first")
        return
    for k, rows in out.items():
        _text(f"{k} ({len(by_kind[k])})")
        for r in rows:
            _text(f"  {r['id']:<24} {r['name'][:40]:<40} {r['records']:>5} records "
                  f"({r['as_source']} as source, {r['as_target']} as target)")


# ---------------------------------------------------------------------- actor card
def actor(
    query: Annotated[str, typer.Argument(help="Actor id or name: RUS, russia, Россия, ...")],
    on: Annotated[str | None, typer.Option("--on", help="Date for offices and lists.")] = None,
    top: Annotated[int, typer.Option(help="How many partners.")] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """An actor's card: names, kind, offices and their holders, list memberships, partners."""
    from ..actors.gazetteer import LANGS, Gazetteer
    from ..actors.lists import LIST_PREFIX, OfficialLists
    from ..events.relations import actor_key

    day = _day(on) or date.today()
    actor_id = _actor_id(query, day)
    gaz, lists = Gazetteer.load(), OfficialLists.load()
    a = gaz.get(actor_id)
    card: dict[str, Any] = {
        "id": actor_id, "name": a.name if a else actor_id, "kind": a.kind if a else None,
        "country": gaz.country_of(actor_id), "wikidata": a.wikidata if a else None,
        "on": day.isoformat(),
        "names": {lang: (a.aliases.get(lang, [])[:6] if a else []) for lang in LANGS},
    }
    org = actor_id.removesuffix(".GOV")
    if a and a.kind in ("country", "government"):
        card["offices"] = [{"role": role, "holder": h, "name": _name(h)}
                           for role in CARD_ROLES if (h := gaz.holder(role, org, day))]
    elif a and a.kind in ("bloc", "organisation"):
        card["offices"] = [{"role": t.role, "holder": t.person, "name": _name(t.person)}
                           for t in gaz.terms if t.org == actor_id and t.active(day)]
    if a and a.kind == "person":
        card["offices"] = [{"role": t.role, "org": t.org, "start": t.start.isoformat(),
                            "end": t.end.isoformat() if t.end else None}
                           for t in gaz.offices(actor_id)]
    if actor_id.startswith(LIST_PREFIX):
        card["members"] = sorted(lists.members(actor_id, day))
    elif card["country"]:
        card["lists"] = [{"id": f"{LIST_PREFIX}{lid}", "name": lists.lists[lid].name}
                         for lid in lists.lists_of(card["country"], day)]
    key = actor_key("country")
    me = key(actor_id)
    with opened(create=False) as store:
        records = store.event_records()
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in records:
        if not rec.source_actor or not rec.target_actor:
            continue
        src, tgt = key(rec.source_actor), key(rec.target_actor)
        if me not in (src, tgt) or src == tgt:
            continue
        other = tgt if src == me else src
        fam = rec.meta.get("family", "")
        partners[other]["cooperation" if "cooperation" in fam else "conflict"] += 1
    card["partners"] = sorted(
        ({"id": p, "name": _name(p), "cooperation": c["cooperation"], "conflict": c["conflict"]}
         for p, c in partners.items()),
        key=lambda r: (-(r["cooperation"] + r["conflict"]), r["id"]))[:top]
    if as_json:
        emit_json(card)
        return
    _text(f"{card['id']} — {card['name']} ({card['kind']}, country {card['country'] or '—'})")
    for lang in LANGS:
        if card["names"][lang]:
            _text(f"  {lang}: {', '.join(card['names'][lang])}")
    for o in card.get("offices", []):
        _text(f"  {o['role']}: " + (f"{o['name']} ({o['holder']})" if "holder" in o else
                                    f"{o['org']} {o['start']} → {o['end'] or 'now'}"))
    if "members" in card:
        _text(f"  members on {card['on']}: {len(card['members'])}: "
              f"{', '.join(card['members'])}")
    for lst in card.get("lists", []):
        _text(f"  on {lst['id']} ({lst['name']}) on {card['on']}")
    for p in card["partners"]:
        _text(f"  partner {p['id']:<12} cooperation {p['cooperation']:>3}  "
              f"conflict {p['conflict']:>3}")


# ---------------------------------------------------------------------- relations
ORIGINS = ("all", "coder", "gdelt")


def _records_for(since: str | None, origin: str = "all") -> list[EventRecord]:
    """Stored records since a date, from one origin: ``coder`` (what storyline coded from the
    articles), ``gdelt`` (imported with ``storyline gdelt``) or ``all``."""
    if origin not in ORIGINS:
        fail(f"--origin {origin!r}: use one of {', '.join(ORIGINS)}")
    with opened(create=False) as store:
        start = parse_since(since, newest_report(store, records=True)) if since else None
        records = store.event_records(since=start)
    if origin == "all":
        return records
    return [r for r in records if r.meta.get("origin", "coder") == origin]


ORIGIN_HELP = ("Records of one origin: coder (coded from the stored articles), gdelt "
               "(imported exports) or all. A report both coded here and imported from GDELT "
               "counts once per origin.")


def relations(
    a: Annotated[str, typer.Argument(help="First actor.")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    since: Annotated[str | None, typer.Option(help="Only events since (ISO date or 30d).")] = None,
    origin: Annotated[str, typer.Option(help=ORIGIN_HELP)] = "all",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Weekly cooperation and conflict between two actors, both directions, with evidence."""
    from ..events.relations import actor_key, dyad_series

    key = actor_key("country")
    ka, kb = key(_actor_id(a)), key(_actor_id(b))
    records = _records_for(since, origin)
    by_id = {r.id: r for r in records}
    points = []
    for p in dyad_series(records, ka, kb, key=key):
        recs = [by_id[i] for i in p.record_ids]
        points.append({
            "week": p.week.isoformat(), "source": p.source, "target": p.target,
            "cooperation": p.cooperation, "conflict": p.conflict,
            "cooperation_intensity": p.cooperation_intensity,
            "conflict_intensity": p.conflict_intensity,
            "record_ids": p.record_ids,
            "event_ids": sorted({r.event_id for r in recs if r.event_id is not None}),
            "article_ids": sorted({r.article_id for r in recs if r.article_id is not None}),
            # imported records (GDELT) whose report is not stored: the report's address
            "urls": sorted({r.meta["url"] for r in recs
                            if r.article_id is None and r.meta.get("url")}),
            "types": dict(Counter(r.event_type for r in recs)),
        })
    if as_json:
        emit_json({"a": ka, "b": kb, "points": points})
        return
    if not points:
        _text(f"no coded events between {ka} and {kb}")
        return
    for p in points:
        _text(f"{p['week']}  {p['source']}→{p['target']}  cooperation {p['cooperation']} "
              f"({p['cooperation_intensity']:+.1f})  conflict {p['conflict']} "
              f"({p['conflict_intensity']:+.1f})  {', '.join(p['types'])}  "
              f"articles {p['article_ids']}"
              + (f" + {len(p['urls'])} report(s) by URL" if p["urls"] else ""))


# ---------------------------------------------------------------------- coordination
def coordination(
    a: Annotated[str, typer.Argument(help="First actor.")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    window: Annotated[int, typer.Option(help="Days between the two actions.")] = 14,
    match: Annotated[str, typer.Option(help="type (same PLOVER type) or family.")] = "type",
    since: Annotated[str | None, typer.Option(help="Only events since (ISO date or 30d).")] = None,
    origin: Annotated[str, typer.Option(help=ORIGIN_HELP)] = "all",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """When two actors take the same kind of action toward the same targets, and how alike
    they act toward third parties overall."""
    from ..events import relations as rel

    if match not in ("type", "family"):
        fail(f"--match {match!r}: use type or family")
    key = rel.actor_key("country")
    ka, kb = key(_actor_id(a)), key(_actor_id(b))
    records = _records_for(since, origin)
    by_id = {r.id: r for r in records}

    def evidence(rid: int) -> dict[str, Any]:
        r = by_id[rid]
        return {"record_id": rid, "source": r.source_actor, "type": r.event_type,
                "target": r.target_actor, "date": r.date, "event_id": r.event_id,
                "article_id": r.article_id, "sentence": r.sentence,
                "origin": r.meta.get("origin", "coder"), "url": r.meta.get("url")}

    def where(ev: dict[str, Any]) -> str:
        if ev["article_id"] is not None or not ev["url"]:
            return f"article {ev['article_id']}"
        return ev["url"]

    found = [c for c in rel.coordination(records, window_days=window, match=match, key=key)
             if {c.actor_a, c.actor_b} == {ka, kb}]
    episodes = [{"type": c.event_type, "targets": c.targets, "start": c.start.isoformat(),
                 "end": c.end.isoformat(), "score": c.score,
                 "evidence": [{"target": t, "gap_days": gap,
                               **dict(zip(("a", "b") if c.actor_a == ka else ("b", "a"),
                                          (evidence(ra), evidence(rb)), strict=True))}
                              for ra, rb, t, gap in c.evidence]}
                for c in found]
    al = rel.alignment(records, ka, kb, key=key)
    alignment = {"score": al.score, "common_targets": al.common_targets, "agree": al.agree,
                 "disagree": al.disagree,
                 "per_target": {t: {ka: x, kb: y} for t, (x, y) in al.per_target.items()}}
    if as_json:
        emit_json({"a": ka, "b": kb, "window_days": window, "coordination": episodes,
                   "alignment": alignment})
        return
    if not episodes:
        _text(f"no coordinated actions of {ka} and {kb} within {window} days")
    for e in episodes:
        targets = e["targets"]
        shown = ", ".join(targets) if len(targets) <= 8 else (
            f"{len(targets)} states ({', '.join(targets[:6])} … {targets[-1]})")
        _text(f"{e['type']} toward {shown}  {e['start']} → {e['end']}  score {e['score']:.2f}")
        # one line per pair of records: an official list is one record naming many states
        same: dict[str, list[str]] = {}
        for ev in e["evidence"]:
            line = (f"{ka} record {ev['a']['record_id']} ({where(ev['a'])}), "
                    f"{kb} record {ev['b']['record_id']} ({where(ev['b'])}), "
                    f"{ev['gap_days']} days apart")
            same.setdefault(line, []).append(ev["target"])
        for line, named in same.items():
            who = ", ".join(named) if len(named) <= 8 else (
                f"{len(named)} states ({', '.join(named[:6])} … {named[-1]})")
            _text(f"  {who}: {line}")
    _text(f"alignment toward third parties: {al.score:.2f} over {al.common_targets} common "
          f"target(s); alike: {', '.join(al.agree) or '—'}; "
          f"opposed: {', '.join(al.disagree) or '—'}")


def register(app: typer.Typer) -> None:
    """Add ``actors``, ``actor``, ``relations`` and ``coordination`` to the ``storyline`` app."""
    app.command("actors")(actors)
    app.command("actor")(actor)
    app.command("relations")(relations)
    app.command("coordination")(coordination)
