"""Relations between actors, computed from coded events (pure functions over ``EventRecord``s).

* :func:`dyad_series` - weekly counts and mean intensity of cooperation and conflict between two
  actors, both directions, each point listing the record ids behind it;
* :func:`weekly_series` - the same records summed per week over both directions (or one actor
  with anyone): the series the web charts and the API show;
* :func:`coordination` - two actors taking the same kind of action toward common targets within
  a window (Russia and Belarus both announcing counter-measures against the same states), with
  the evidence pairs and a score;
* :func:`alignment` - how often two actors act alike (same sign of intensity) toward third
  parties.

Actors are compared by *key*: by default the country an actor belongs to (``RUS.GOV`` and
``PERSON:putin`` both count as ``RUS``); pass ``by="actor"`` to compare raw ids. A target that
is an official list (``LIST:RU-430-r``) is expanded to its members on the record's date.
Records without an ``id`` are referred to by their index in the input list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from storyline.actors.gazetteer import Gazetteer
from storyline.actors.lists import LIST_PREFIX, OfficialLists
from storyline.events import plover
from storyline.model import EventRecord

KeyFn = Callable[[str], str]


def actor_key(by: str = "country", gazetteer: Gazetteer | None = None) -> KeyFn:
    """A function mapping an actor id to the key relations compare on."""
    if by == "actor":
        return lambda a: a
    gaz = gazetteer or Gazetteer.load()

    def key(actor_id: str) -> str:
        if actor_id.startswith(LIST_PREFIX):
            return actor_id
        return gaz.country_of(actor_id) or actor_id

    return key


def _rid(rec: EventRecord, index: int) -> int:
    return rec.id if rec.id is not None else index


def _day(rec: EventRecord) -> date | None:
    if rec.date is None:
        return None
    return rec.date.date() if isinstance(rec.date, datetime) else rec.date


def expand_targets(rec: EventRecord, lists: OfficialLists | None = None) -> list[str]:
    """The record's target(s): list groups expanded to their members on the record's date."""
    if not rec.target_actor:
        return []
    if rec.target_actor.startswith(LIST_PREFIX):
        return (lists or OfficialLists.load()).expand(rec.target_actor, _day(rec))
    return [rec.target_actor]


def _family(rec: EventRecord) -> str | None:
    try:
        return plover.family(rec.event_type)
    except KeyError:
        return None


# ---------------------------------------------------------------------- dyad series
@dataclass
class SeriesPoint:
    """One week of one direction of a dyad."""

    week: date  # Monday of the week
    source: str
    target: str
    cooperation: int = 0
    conflict: int = 0
    cooperation_intensity: float = 0.0  # mean
    conflict_intensity: float = 0.0  # mean
    record_ids: list[int] = field(default_factory=list)


#: One record of a dyad: (week, source key, other key, PLOVER family, record, record id).
Hit = tuple[date, str, str, str, EventRecord, int]


def _dyad_hits(records: Sequence[EventRecord], a: str, b: str | None, key: KeyFn,
               lists: OfficialLists | None) -> Iterator[Hit]:
    """The records of a dyad (or of ``a`` with anyone when ``b`` is None), as
    ``(week, source key, other key, family, record, record id)``; ``week`` is the Monday of
    the record's date. Records without a date or with an unknown event type are skipped.

    This is the one selection both the ``relations`` command and the web's weekly pair series
    (:func:`weekly_series`) use, so the two always agree.
    """
    for i, rec in enumerate(records):
        day = _day(rec)
        fam = _family(rec)
        if day is None or fam is None or not rec.source_actor:
            continue
        src = key(rec.source_actor)
        if b is not None and src not in (a, b):
            continue
        targets = [key(t) for t in expand_targets(rec, lists)]
        if rec.target_actor and rec.target_actor.startswith(LIST_PREFIX):
            targets.append(rec.target_actor)  # the list itself is an actor too
        if b is not None:
            other = b if src == a else a
            if other not in targets:
                continue
        elif src == a:
            other = next((t for t in targets if t != a), targets[0] if targets else "")
        elif a in targets:
            other = src
        else:
            continue
        yield day - timedelta(days=day.weekday()), src, other, fam, rec, _rid(rec, i)


def dyad_series(records: Sequence[EventRecord], a: str, b: str, by: str = "country",
                lists: OfficialLists | None = None,
                key: KeyFn | None = None) -> list[SeriesPoint]:
    """Weekly cooperation/conflict between ``a`` and ``b`` in both directions, sorted by week.

    Only weeks with at least one event appear. Records without a date are skipped.
    """
    key = key or actor_key(by)
    acc: dict[tuple[date, str, str], dict[str, list]] = defaultdict(
        lambda: {"coop": [], "conf": [], "ids": []})
    for week, src, other, fam, rec, rid in _dyad_hits(records, a, b, key, lists):
        cell = acc[(week, src, other)]
        cell["coop" if fam in plover.COOPERATION else "conf"].append(rec.intensity)
        cell["ids"].append(rid)
    out = []
    for (week, src, tgt), cell in sorted(acc.items()):
        coop, conf = cell["coop"], cell["conf"]
        out.append(SeriesPoint(
            week, src, tgt, len(coop), len(conf),
            round(sum(coop) / len(coop), 3) if coop else 0.0,
            round(sum(conf) / len(conf), 3) if conf else 0.0,
            cell["ids"]))
    return out


def weekly_series(records: Sequence[EventRecord], a: str, b: str | None = None,
                  by: str = "country", lists: OfficialLists | None = None,
                  key: KeyFn | None = None) -> list[dict[str, Any]]:
    """Per week, both directions together: what the web charts and ``/api/v1/relations`` show.

    Same records as :func:`dyad_series` (so the same weeks as ``storyline relations A B``);
    with ``b`` None, every record of ``a`` with anyone. Each item: ``week`` (Monday,
    ``YYYY-MM-DD``), ``records``, ``cooperation_records`` and ``conflict_records`` (counts by
    PLOVER family), ``cooperation`` (sum of the cooperative records' intensities, ≥ 0) and
    ``conflict`` (minus the sum of the hostile records' intensities, ≤ 0), oldest week first.
    """
    key = key or actor_key(by)
    acc: dict[date, dict[str, float]] = defaultdict(lambda: {
        "records": 0, "cooperation_records": 0, "conflict_records": 0,
        "cooperation": 0.0, "conflict": 0.0})
    for week, _, _, fam, rec, _ in _dyad_hits(records, a, b, key, lists):
        cell = acc[week]
        cell["records"] += 1
        if fam in plover.COOPERATION:
            cell["cooperation_records"] += 1
            cell["cooperation"] += abs(rec.intensity or 0.0)
        else:
            cell["conflict_records"] += 1
            cell["conflict"] -= abs(rec.intensity or 0.0)
    return [{"week": week.isoformat(), "records": int(c["records"]),
             "cooperation_records": int(c["cooperation_records"]),
             "conflict_records": int(c["conflict_records"]),
             "cooperation": round(c["cooperation"], 2), "conflict": round(c["conflict"], 2) + 0.0}
            for week, c in sorted(acc.items())]


# ---------------------------------------------------------------------- coordination
@dataclass
class Coordination:
    """Two actors doing the same kind of thing to the same targets close in time."""

    actor_a: str
    actor_b: str
    event_type: str
    targets: list[str]
    start: date
    end: date
    score: float  # 0..1
    evidence: list[tuple[int, int, str, int]]  # (record id of a, of b, common target, gap days)


def coordination(records: Sequence[EventRecord], window_days: int = 14,
                 match: str = "type", min_targets: int = 1, by: str = "country",
                 lists: OfficialLists | None = None,
                 key: KeyFn | None = None) -> list[Coordination]:
    """Flag pairs of actors acting alike toward common targets within ``window_days``.

    ``match="type"`` requires the same PLOVER type, ``"family"`` the same family (e.g. any
    material conflict). The score grows with the number of common targets relative to all
    targets either actor hit with that action, and with closeness in time:
    ``score = overlap * (1 - mean_gap / (window_days + 1))``. Sorted by score, highest first.
    """
    key = key or actor_key(by)
    # (action, source) -> list of (day, target, record id)
    acts: dict[tuple[str, str], list[tuple[date, str, int]]] = defaultdict(list)
    for i, rec in enumerate(records):
        day = _day(rec)
        fam = _family(rec)
        if day is None or fam is None or not rec.source_actor:
            continue
        action = rec.event_type if match == "type" else fam
        src = key(rec.source_actor)
        for t in expand_targets(rec, lists):
            tk = key(t)
            if tk != src:
                acts[(action, src)].append((day, tk, _rid(rec, i)))
    by_action: dict[str, list[str]] = defaultdict(list)
    for action, src in acts:
        by_action[action].append(src)
    out: list[Coordination] = []
    for action, sources in by_action.items():
        sources.sort()
        for ia, sa in enumerate(sources):
            for sb in sources[ia + 1:]:
                found = _pair_evidence(acts[(action, sa)], acts[(action, sb)], window_days)
                common = sorted({t for _, _, t, _ in found})
                if len(common) < min_targets or not found:
                    continue
                all_targets = {t for _, t, _ in acts[(action, sa)]} | {
                    t for _, t, _ in acts[(action, sb)]}
                overlap = len(common) / len(all_targets)
                mean_gap = sum(g for *_, g in found) / len(found)
                score = overlap * (1 - mean_gap / (window_days + 1))
                days = [d for d, _, r in acts[(action, sa)] + acts[(action, sb)]
                        if r in {x for e in found for x in e[:2]}]
                out.append(Coordination(sa, sb, action, common, min(days), max(days),
                                        round(score, 4), found))
    return sorted(out, key=lambda c: -c.score)


def _pair_evidence(xs: list[tuple[date, str, int]], ys: list[tuple[date, str, int]],
                   window: int) -> list[tuple[int, int, str, int]]:
    """For each common target, the closest-in-time pair of records within the window."""
    best: dict[str, tuple[int, int, str, int]] = {}
    by_target: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for d, t, r in ys:
        by_target[t].append((d, r))
    for d, t, r in xs:
        for d2, r2 in by_target.get(t, []):
            gap = abs((d - d2).days)
            if gap <= window and (t not in best or gap < best[t][3]):
                best[t] = (r, r2, t, gap)
    return sorted(best.values(), key=lambda e: (e[2], e[3]))


# ---------------------------------------------------------------------- alignment
@dataclass
class Alignment:
    """How alike two actors act toward the third parties both acted upon."""

    actor_a: str
    actor_b: str
    score: float  # share of common third parties where both lean the same way; 0..1
    common_targets: int
    agree: list[str]
    disagree: list[str]
    per_target: dict[str, tuple[float, float]]  # target -> (mean intensity a, b)


def alignment(records: Iterable[EventRecord], a: str, b: str, by: str = "country",
              lists: OfficialLists | None = None, key: KeyFn | None = None,
              start: date | None = None, end: date | None = None) -> Alignment:
    """Compare the mean intensity ``a`` and ``b`` directed at each common third party.

    Both cooperative (>0) or both hostile (<0) toward a target counts as agreement. Events
    outside ``[start, end]`` are ignored when those are given.
    """
    key = key or actor_key(by)
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for rec in records:
        day = _day(rec)
        if not rec.source_actor or (start and (day is None or day < start)) or (
                end and (day is None or day > end)):
            continue
        src = key(rec.source_actor)
        if src not in (a, b):
            continue
        for t in expand_targets(rec, lists):
            tk = key(t)
            if tk not in (a, b):
                sums[(src, tk)].append(rec.intensity)
    ta = {t for s, t in sums if s == a}
    tb = {t for s, t in sums if s == b}
    per_target = {}
    agree, disagree = [], []
    for t in sorted(ta & tb):
        ma = sum(sums[(a, t)]) / len(sums[(a, t)])
        mb = sum(sums[(b, t)]) / len(sums[(b, t)])
        per_target[t] = (round(ma, 3), round(mb, 3))
        (agree if (ma > 0) == (mb > 0) and ma != 0 and mb != 0 else disagree).append(t)
    n = len(per_target)
    return Alignment(a, b, round(len(agree) / n, 4) if n else 0.0, n, agree, disagree,
                     per_target)
