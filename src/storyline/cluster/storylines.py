"""Online event → storyline linking, with stable ids, lifecycle and momentum.

A *storyline* is weeks or months of one story ("the war in Libya"); its members are events
(:mod:`storyline.cluster.events`). Events are linked one at a time, in the order they were first
seen; a storyline, once created, keeps its id for ever (a merged-away id stays resolvable through
``merged_into``).

How an event is linked
----------------------
The code follows these steps: :mod:`.event_features` represents an event, :mod:`.relatedness`
scores it against a storyline, this module keeps the storylines' profiles and decides, and
:mod:`.lifecycle` reads a storyline's state; :mod:`.link_config` holds every parameter.

1. **Represent** the event three ways (:class:`EventFeaturiser`): the sum of its articles' TF-IDF
   vectors (hashed terms, IDF learned online), its keys — name/place keys
   (:class:`~storyline.enrich.entities.EntityExtractor`) and the actors resolved in each
   article's title and lead (:mod:`storyline.actors.resolve`; ``@PERSON:lukashenko``,
   ``@country:BLR``: the same id in every language) — weighted by how many of its articles
   name them × their online IDF, and its embedding centroid (``Event.state["centroid"]``). Each is
   L2-normalised. Nothing here reads the outlet name: storylines are found from content only.
2. **Score every candidate storyline** — each one last seen within ``window_days`` of the event —
   against the storyline's *profile*: the running, time-decayed sum of its events' vectors
   (strongest ``max_terms`` terms and ``max_entities`` keys kept). Relatedness is a weighted mean
   of the three cosines (:func:`relatedness`; the term weight is scaled by how far the event's
   and the storyline's languages overlap, since words do not match across languages) times a
   time factor ``(1 / (1 + gap / gap_scale_days)) ** (1 - actor_relief × A)`` (gap: days since
   the storyline's last event; ``A``: cosine of their specific, non-country actors), so a story
   that went quiet needs stronger evidence to continue — unless the same people and
   organisations are back (the relief counts in full only when at least ``relief_min_actors``
   specific actors are shared: one omnipresent leader, "Obama", must not carry a story across a
   year of silence) — and times a country factor (:func:`.relatedness.country_factor`): an
   event about other countries than the storyline's (cosine of their resolved country keys under
   ``country_full``) is discounted down to ``country_floor``, because neighbouring stories share
   words, outlets and embeddings but not the country they are about; the discount fades with
   the storyline's country focus (a pandemic told country by country is not one country's
   story). The parts are kept as the link's ``reasons``, together with the shared terms and keys
   that weigh most.

   A *young* storyline — its first event less than ``young_days`` before this one: one day's
   reporting so far — is a candidate only when the event shares *specific* evidence with it
   (:func:`specific_evidence`): the part of the term and key cosines carried by terms and names
   that are rare outside the two (:func:`rarity` ≥ ``rare``) must reach ``young_evidence``. On
   one day, reports of one kind — two crime stories, two congressional stories, two lottery
   wins — share topic words ("police", "Senate", "jackpot"), outlets and a close embedding;
   reports of one story share its names ("Kercher", "Kiruna"), which the stream has not yet
   made common. Later the story's own words are common, so older storylines are scored as
   above (the reasons of a young link carry ``specific`` and ``rare_shared``; an event that
   started a storyline because of this rule names the refused one under ``young_refused``).
3. **Decide**: link to the best storyline when relatedness ≥ ``threshold``. Otherwise, when the
   best storyline still reaches ``related_threshold`` — or only ``related_floor``, but at least
   ``related_margin`` times the runner-up's score, so the weak evidence points at one story
   only, and that story is still running (an event within ``fade_idle_days``) — (and the event
   has at most ``related_max_articles`` articles), the event is filed
   with it as *related coverage*
   (``reasons["relation"] = "related"``; briefs show it as such, with its score, and never as a
   development): it does not change the storyline's profile, so weak links cannot drift a story
   or bridge two. The event is also kept as a hidden *seed*, scored like a storyline: when a
   later event links to the seed, the seed becomes a storyline with a public id and the event
   moves there (:meth:`StorylineLinker.promoted`) — so the first report of a new story that
   happens to resemble an old one still founds its own storyline. A seed waits ``seed_days``
   for such an event and is kept between runs in the stage state (at most ``max_seeds``, the
   newest). Below ``related_threshold`` the event starts a new storyline (its reasons name the
   best storyline it did not reach).
4. **Merge** (bounded): when the event also reaches ``merge_threshold`` with a second storyline
   active within ``merge_window_days``, and the two profiles themselves (the first one now
   including the event) are related at ``merge_threshold`` or more, the two storylines
   converged: the younger is merged into the older (the older id survives; the store records
   ``merged_into`` on the other). Both tests use the stricter ``merge_threshold``: one shared
   event must not fuse two neighbouring stories (Libya and Syria in 2011).
5. **Split** (bounded): at the end of each batch, every event linked in that batch is scored
   once more against its storyline's profile *without itself*. An event whose relatedness has
   fallen below ``split_threshold`` (well under ``threshold``: the storyline drifted away from
   it while the batch was linked) is split off into a new storyline of its own. Only the
   current batch's events are re-checked, so a link shown to users in an earlier run never moves.

Profiles decay: before an event is added, the profile is multiplied by
``0.5 ** (gap_days / profile_half_life_days)``, so a long story is matched on what it is about
now, not on what it was about months ago.

Lifecycle and momentum (:mod:`.lifecycle`) are computed from the storyline's
events as stored (they keep growing after they are linked), against *stream time* — the newest
publication time in the store — so replays give the same answer as a live run.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from storyline.enrich.embed import decode_f16, encode_f16
from storyline.model import Storyline
from storyline.text_units import split_sentences

from .event_features import (
    ACTOR_PREFIX,
    CONCEPT_PREFIX,
    COUNTRY_PREFIX,
    KEY_PARTS,
    WORD,
    EventFeatures,
    EventFeaturiser,
    actor_key,
    cosine,
    is_concept,
    is_country,
    key_part,
    normalised,
    rarity,
)
from .lifecycle import lifecycle, momentum
from .link_config import LinkConfig
from .relatedness import (
    actor_overlap,
    combine,
    country_factor,
    language_overlap,
    relatedness,
    relief_overlap,
    term_weights,
    time_factor,
)
from .stream_time import from_days

__all__ = [
    "EventFeatures",
    "EventFeaturiser",
    "LinkConfig",
    "LinkResult",
    "StorylineLinker",
    "lifecycle",
    "momentum",
    "actor_key",
    "actor_overlap",
    "language_overlap",
    "rarity",
    "relatedness",
    "specific_evidence",
    "storyline_id",
]

#: Version of a storyline's saved profile (``Storyline.state``) and of the seeds' state.
STATE_VERSION = 1


def storyline_id(n: int) -> str:
    """The user-facing id of the ``n``-th storyline ever created: ``sl1``, ``sl2``, ..."""
    return f"sl{n}"


def _id_number(sid: str) -> int:
    m = re.fullmatch(r"sl(\d+)", sid)
    return int(m.group(1)) if m else 0



# --------------------------------------------------------------------------- storyline profiles


@dataclass
class _Profile:
    """A storyline's running content profile and bookkeeping (what ``Storyline.state`` holds)."""

    id: str
    first: float
    last: float
    events: int = 0
    terms: dict[int, float] = field(default_factory=dict)  # unnormalised, decayed sums
    entities: dict[str, float] = field(default_factory=dict)
    emb_sum: np.ndarray | None = None
    names: dict[int, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    rep_event: int | None = None
    rep_label: str = ""
    rep_titles: dict[str, str] = field(default_factory=dict)  # the rep event's, by language
    rep_score: float = -1.0
    created: float = 0.0
    langs: dict[str, int] = field(default_factory=dict)  # articles per language
    related_to: str | None = None  # set on a seed: the storyline its event is coverage of
    # While the storyline is young: how many of its articles contain each term / key (so that
    # its own names do not count as common, :func:`specific_evidence`); emptied after.
    day_terms: dict[int, int] = field(default_factory=dict)
    day_keys: dict[str, int] = field(default_factory=dict)
    _unit: tuple[dict[int, float], dict[str, float], np.ndarray | None] | None = None
    _parts: dict[str, dict[str, float]] = field(default_factory=dict)  # cached key parts

    def unit(self, cfg: LinkConfig
             ) -> tuple[dict[int, float], dict[str, float], np.ndarray | None]:
        """The profile as unit vectors (cached until the next change)."""
        if self._unit is None:
            emb = None
            if self.emb_sum is not None:
                n = float(np.linalg.norm(self.emb_sum))
                emb = self.emb_sum / n if n > 0 else None
            self._unit = (normalised(self.terms, cfg.max_terms),
                          normalised(self.entities, cfg.max_entities), emb)
            self._parts = {}
        return self._unit

    def key_part(self, part: str, cfg: LinkConfig) -> dict[str, float]:
        """The unit ``part`` (:data:`KEY_PARTS`) of the profile's entity vector (cached)."""
        ents = self.unit(cfg)[1]
        if part not in self._parts:
            self._parts[part] = key_part(ents, part)
        return self._parts[part]

    @property
    def is_seed(self) -> bool:
        """A seed of related coverage (one event, hidden), not a storyline."""
        return self.related_to is not None

    def represent(self, f: EventFeatures | None, fit: float = -1.0) -> None:
        """Make ``f`` the representative event (its label titles the storyline); ``None``:
        none."""
        self.rep_event = f.event_id if f is not None else None
        self.rep_label = f.label if f is not None else ""
        self.rep_titles = dict(f.titles) if f is not None else {}
        self.rep_score = fit

    def adopt_representative(self, other: _Profile) -> None:
        """Take ``other``'s representative event (a merge keeps the better-fitting one)."""
        self.rep_event, self.rep_label, self.rep_score = (
            other.rep_event, other.rep_label, other.rep_score)
        self.rep_titles = dict(other.rep_titles)

    def title(self) -> str:
        """The representative event's title in the storyline's display language (an
        English-majority storyline is not titled by its first report's Russian headline, nor a
        Belarusian-majority one with English reports by a Belarusian headline), else in its
        majority language, else its label."""
        return _title(self.rep_titles.get(self.display_language())
                      or self.rep_titles.get(self.language()) or self.rep_label)

    def language(self) -> str:
        """The storyline's majority language (``en`` when unknown or not en/ru/be/uk)."""
        if not self.langs:
            return "en"
        lang = max(sorted(self.langs), key=self.langs.__getitem__)
        return lang if lang in ("en", "ru", "be", "uk") else "en"

    def display_language(self) -> str:
        """The language its title, label and link reasons are written in: English when any of
        its reports is in English (storyline lists, pages and briefs are read in English; a
        Belarusian-majority storyline of Prigozhin's death was labelled "Prigozhin, Wagner
        Group, Лукашенка", each name in the first language the gazetteer had, and titled in
        Belarusian beside the BBC's headline), else its majority language (a storyline told
        only in Russian is labelled in Russian)."""
        return "en" if self.langs.get("en", 0) > 0 else self.language()

    def add(self, f: EventFeatures, cfg: LinkConfig, sign: float = 1.0) -> None:
        """Decay the profile to the event's time and add ``sign`` × the event (a negative
        ``sign``: remove that much of it, without decaying)."""
        if sign > 0 and f.t > self.last:
            decay = 0.5 ** ((f.t - self.last) / cfg.profile_half_life_days)
            self.terms = {k: v * decay for k, v in self.terms.items()}
            self.entities = {k: v * decay for k, v in self.entities.items()}
            if self.emb_sum is not None:
                self.emb_sum = self.emb_sum * decay
        self.terms = _prune(_add(self.terms, f.terms, sign), cfg.max_terms * 2)
        self.entities = _prune(_add(self.entities, f.entities, sign), cfg.max_entities * 2)
        if f.t - self.first < cfg.young_days and cfg.young_evidence > 0:
            step = 1 if sign > 0 else -1
            self.day_terms = _count(self.day_terms, _rare_only(
                f.own_freq, f.doc_freq, self.day_terms, f.n_docs, cfg.rare), step)
            self.day_keys = _count(self.day_keys, _rare_only(
                f.own_key_freq, f.key_freq, self.day_keys, f.key_docs, cfg.rare), step)
        elif sign > 0:
            self.day_terms, self.day_keys = {}, {}
        if f.embedding is not None:
            self.emb_sum = (sign * f.embedding if self.emb_sum is None
                            else self.emb_sum + sign * f.embedding)
        self.events += 1 if sign > 0 else -1
        langs = dict(self.langs)  # a copy: split_misfits works on a shallow copy of a profile
        for lang, n in f.langs.items():
            langs[lang] = langs.get(lang, 0) + (n if sign > 0 else -n)
        self.langs = {k: v for k, v in langs.items() if v > 0}
        if sign > 0:
            self.first, self.last = min(self.first, f.t), max(self.last, f.t)
            self.names.update({k: v for k, v in f.names.items() if k in self.terms})
            for k, v in f.display.items():
                self.display.setdefault(k, v)
            self.names = {k: v for k, v in self.names.items() if k in self.terms}
            self.display = {k: v for k, v in self.display.items() if k in self.entities}
        self._unit = None

    def to_state(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION, "first": self.first, "last": self.last, "events": self.events,
            "created": self.created,
            "terms": [[k, round(v, 5)] for k, v in self.terms.items()],
            "entities": {k: round(v, 5) for k, v in self.entities.items()},
            "emb": encode_f16(self.emb_sum) if self.emb_sum is not None else None,
            "names": {str(k): v for k, v in self.names.items()}, "display": self.display,
            "rep_event": self.rep_event, "rep_label": self.rep_label, "rep_score": self.rep_score,
            "rep_titles": self.rep_titles, "langs": self.langs,
        } | ({"day_terms": [[k, n] for k, n in self.day_terms.items()],
              "day_keys": self.day_keys} if self.day_terms or self.day_keys else {})

    @classmethod
    def from_state(cls, sid: str, st: dict[str, Any]) -> _Profile:
        return cls(
            id=sid, first=st["first"], last=st["last"], events=st.get("events", 0),
            created=st.get("created", st["first"]),
            terms={int(k): float(v) for k, v in st.get("terms", [])},
            entities={k: float(v) for k, v in st.get("entities", {}).items()},
            emb_sum=decode_f16(st["emb"]) if st.get("emb") else None,
            names={int(k): v for k, v in st.get("names", {}).items()},
            display=dict(st.get("display", {})), rep_event=st.get("rep_event"),
            rep_label=st.get("rep_label", ""), rep_score=st.get("rep_score", -1.0),
            rep_titles=dict(st.get("rep_titles", {})),
            langs={k: int(v) for k, v in st.get("langs", {}).items()},
            day_terms={int(k): int(n) for k, n in st.get("day_terms", [])},
            day_keys={k: int(n) for k, n in st.get("day_keys", {}).items()},
        )


def _rare_only(own: dict[Any, int], others: dict[Any, int], day: dict[Any, int], n: int,
               rare: float) -> dict[Any, int]:
    """The event's own document counts of the terms (or keys) that are rare outside the event
    and the storyline: the only ones a young storyline must count (a term common elsewhere
    stays common, whatever the storyline holds)."""
    return {k: c for k, c in own.items()
            if k in others and rarity(others[k] - day.get(k, 0), n) >= rare}


def _count(a: dict[Any, int], b: dict[Any, int], step: int) -> dict[Any, int]:
    """``a`` plus ``step`` × ``b`` (document counts), zeros dropped."""
    out = dict(a)
    for k, n in b.items():
        out[k] = out.get(k, 0) + step * n
    return {k: n for k, n in out.items() if n > 0}


def _add(a: dict[Any, float], b: dict[Any, float], sign: float) -> dict[Any, float]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0.0) + sign * v
    return out


def _prune(vec: dict[Any, float], keep: int) -> dict[Any, float]:
    vec = {k: v for k, v in vec.items() if v > 1e-6}
    if len(vec) > keep:
        vec = dict(sorted(vec.items(), key=lambda kv: -kv[1])[:keep])
    return vec


class _SparseIndex:
    """Unit sparse rows keyed by storyline id, with one fast dot product against a query.

    Rows changed since the last rebuild are scored from their dicts; the rest through one CSR
    mat-vec. The matrix is rebuilt once ``rebuild_after`` rows are dirty.
    """

    def __init__(self, rebuild_after: int = 64):
        self.rebuild_after = rebuild_after
        self.rows: dict[str, dict[Hashable, float]] = {}
        self._vocab: dict[Hashable, int] = {}
        self._ids: list[str] = []
        self._mat = sp.csr_matrix((0, 0), dtype=np.float32)
        self._dirty: set[str] = set()

    def set(self, sid: str, vec: dict[Hashable, float]) -> None:
        self.rows[sid] = vec
        self._dirty.add(sid)

    def remove(self, sid: str) -> None:
        self.rows.pop(sid, None)
        self._dirty.add(sid)

    def _rebuild(self) -> None:
        self._ids = list(self.rows)
        ind, dat, ptr = [], [], [0]
        for sid in self._ids:
            for k, v in self.rows[sid].items():
                ind.append(self._vocab.setdefault(k, len(self._vocab)))
                dat.append(v)
            ptr.append(len(ind))
        self._mat = sp.csr_matrix(
            (np.asarray(dat, np.float32), np.asarray(ind, np.int64), np.asarray(ptr, np.int64)),
            shape=(len(self._ids), max(1, len(self._vocab))))
        self._dirty.clear()

    def dot(self, query: dict[Hashable, float], among: Iterable[str]) -> dict[str, float]:
        """Dot products of the query with the rows ``among`` (ids without a row: absent)."""
        if len(self._dirty) > self.rebuild_after:
            self._rebuild()
        want = set(among)
        out: dict[str, float] = {}
        cols = [(self._vocab[k], v) for k, v in query.items() if k in self._vocab]
        if cols and self._ids:
            q = np.zeros(self._mat.shape[1], np.float32)
            for c, v in cols:
                q[c] = v
            scores = self._mat @ q
            for i, sid in enumerate(self._ids):
                if sid in want and sid not in self._dirty:
                    out[sid] = float(scores[i])
        for sid in want:
            if sid not in out and sid in self.rows:
                out[sid] = cosine(query, self.rows[sid])
        return out


# --------------------------------------------------------------------------- the linker


@dataclass
class LinkResult:
    """Where one event went: its storyline, the relatedness score and why."""

    event_id: int
    storyline_id: str
    score: float
    reasons: dict[str, Any]
    is_new: bool


class StorylineLinker:
    """Online linker of events into storylines (see the module docstring for the method).

    Parameters
    ----------
    config:
        :class:`LinkConfig`.
    id_factory:
        Callable returning the next new storyline id. Defaults to ``sl<n>`` numbered above the
        largest id passed to :meth:`load`.

    Use: :meth:`load` the active storylines, :meth:`link` events in first-seen order, then
    :meth:`split_misfits` at the end of a batch; :meth:`changed` (storylines with their state)
    and :meth:`merged_away` say what to persist.
    """

    def __init__(self, config: LinkConfig | None = None,
                 id_factory: Callable[[], str] | None = None):
        self.config = config or LinkConfig()
        self._id_factory = id_factory
        self._counter = itertools.count(1)
        self._profiles: dict[str, _Profile] = {}
        self._terms = _SparseIndex()
        self._ents = _SparseIndex()
        self._parts = {part: _SparseIndex() for part in KEY_PARTS}
        self._changed: set[str] = set()
        self._snapshots: dict[str, Storyline] = {}
        self._merged: list[tuple[str, str]] = []
        self._batch: dict[int, tuple[EventFeatures, str]] = {}
        self._promoted: list[LinkResult] = []
        self._seeds = itertools.count(1)
        self._seeds_dirty = False
        self._now: float | None = None

    # ------------------------------------------------------------------ public API
    def load(self, storylines: Iterable[Storyline], known_ids: Iterable[str] = ()) -> None:
        """Rehydrate active storylines from their ``state``; ``known_ids`` (every id ever
        issued, merged ones included) keeps new ids from reusing an old one."""
        top = 0
        for s in storylines:
            top = max(top, _id_number(s.id))
            st = s.state or {}
            if st.get("v") != STATE_VERSION or st.get("merged_into") or not s.event_count:
                continue
            p = _Profile.from_state(s.id, st)
            self._profiles[s.id] = p
            self._index(p)
            self._now = p.last if self._now is None else max(self._now, p.last)
        top = max([top, *(_id_number(i) for i in known_ids)])
        self._counter = itertools.count(top + 1)

    def link(self, f: EventFeatures) -> LinkResult:
        """Link one event (call in first-seen order); returns where it went and why."""
        self._now = f.t if self._now is None else max(self._now, f.t)
        self._evict(self._now)
        cfg = self.config
        scored, refused = _young_gate(self._score(f), cfg)
        if scored and scored[0][1] >= cfg.threshold and has_evidence(scored[0][2], cfg,
                                                                  cfg.link_evidence):
            sid, score, parts = scored[0]
            if self._profiles[sid].is_seed:
                sid = self._promote(sid)
            reasons = self._reasons(f, self._profiles[sid], score, parts)
            self._join(sid, f, score)
            others = [x for x in scored[1:] if not self._profiles[x[0]].is_seed]
            survivor = self._maybe_merge(sid, f, others)
            if survivor != sid:
                reasons["merged"] = {"from": sid, "into": survivor}
            result = LinkResult(f.event_id, survivor, score, reasons, False)
            self._batch[f.event_id] = (f, result.storyline_id)
            return result
        real = [x for x in scored if not self._profiles[x[0]].is_seed]
        if real and f.articles <= cfg.related_max_articles and _is_related(
                real, cfg, f.t - self._profiles[real[0][0]].last):
            sid, score, parts = real[0]
            reasons = self._reasons(f, self._profiles[sid], score, parts)
            reasons["relation"] = "related"
            self._seed(f, sid)
            return LinkResult(f.event_id, sid, score, reasons, False)
        reasons = _new_reasons(real, cfg)
        if refused and (not real or refused[0][1] > real[0][1]):
            sid, score, parts = refused[0]
            reasons["young_refused"] = {"storyline": sid, "score": round(score, 4),
                                        "specific": round(parts["specific"], 4),
                                        "young_evidence": cfg.young_evidence}
        result = LinkResult(f.event_id, self._new(f), 1.0, reasons, True)
        self._batch[f.event_id] = (f, result.storyline_id)
        return result

    def seeds_state(self) -> dict[str, Any]:
        """The waiting seeds of related coverage (JSON-serialisable), so that the next run of
        the stage can still promote them; bounded by ``seed_days``."""
        return {"v": STATE_VERSION, "seeds": [
            {"id": p.id, "related_to": p.related_to, "profile": p.to_state()}
            for p in self._seed_profiles()]}

    def seeds_changed(self) -> bool:
        """Whether a seed was added, promoted or forgotten since the last call (the stage then
        saves :meth:`seeds_state`; most batches change none)."""
        out, self._seeds_dirty = self._seeds_dirty, False
        return out

    def load_seeds(self, state: dict[str, Any] | None) -> None:
        """Restore :meth:`seeds_state` output (``None`` or another version: no seeds)."""
        if not state or state.get("v") != STATE_VERSION:
            return
        top = 0
        for seed in state.get("seeds", []):
            p = _Profile.from_state(seed["id"], seed["profile"])
            p.related_to = seed["related_to"]
            self._profiles[p.id] = p
            self._index(p)
            top = max(top, int(p.id.removeprefix("seed")))
        self._seeds = itertools.count(top + 1)

    def promoted(self) -> list[LinkResult]:
        """Events filed as related coverage that became the first event of a storyline of
        their own since the last call (a later event linked to them): their new links."""
        out, self._promoted = self._promoted, []
        return out

    def split_misfits(self) -> list[LinkResult]:
        """Re-check this batch's links against their storylines without them (module docstring,
        step 5); returns the events split off into new storylines. Ends the batch."""
        out: list[LinkResult] = []
        for f, sid in self._batch.values():
            sid = self._resolve(sid)
            p = self._profiles.get(sid)
            if p is None or p.events < 3:
                continue
            rest = replace(p, _unit=None, _parts={})
            # The event's share has decayed with every later event: remove what is left of it,
            # not its full weight (which would leave a profile pointing away from it).
            left = 0.5 ** (max(0.0, p.last - f.t) / self.config.profile_half_life_days)
            rest.add(f, self.config, sign=-left)
            score, parts = self._relate(f, rest)
            if score >= self.config.split_threshold:
                continue
            if rest.rep_event == f.event_id:
                rest.represent(None)
            self._profiles[sid] = rest
            self._index(rest)
            self._changed.add(sid)
            new = self._new(f)
            out.append(LinkResult(f.event_id, new, 1.0, {
                "split_from": sid, "score_without_it": round(score, 4),
                **{k: round(v, 4) for k, v in parts.items()},
                "split_threshold": self.config.split_threshold}, True))
        self._batch.clear()
        return out

    def changed(self) -> list[Storyline]:
        """Storylines created or changed since the last call (state, title, label set)."""
        out = dict(self._snapshots)
        out.update({sid: self._snapshot(self._profiles[sid]) for sid in self._changed
                    if sid in self._profiles})
        self._changed.clear()
        self._snapshots.clear()
        return [out[sid] for sid in sorted(out, key=_id_number)]

    def merged_away(self) -> list[tuple[str, str]]:
        """``(from_id, into_id)`` for every merge since the last call; the store re-points."""
        out, self._merged = self._merged, []
        return out

    def label(self, sid: str, words: int = 3) -> str:
        """Short label: the storyline's strongest resolved actors — specific ones (people,
        governments, blocs, companies) before countries — named in its display language
        (:meth:`_Profile.display_language`; dictionary forms from the gazetteer: "Лукашенко",
        not "Лукашенко's" or an inflected "Минске"), then its strongest other names in that
        language's script (an English label names nothing in Cyrillic), then its strongest
        terms."""
        from storyline.enrich.entities import normalise_token

        p = self._profiles[sid]
        terms, ents, _ = p.unit(self.config)
        lang = p.display_language()
        # specific actors (people, governments, blocs, companies) before bare countries: a
        # story about a list of states is about who lists them, not the states it names
        ranked = sorted(ents, key=lambda k: (is_country(k), -ents[k], k))
        picked: list[str] = []
        covered: set[str] = set()

        def pick(name: str) -> bool:
            toks = {normalise_token(w) for w in WORD.findall(name)}
            if name in picked or (toks and toks <= covered):
                return False
            picked.append(name)
            covered.update(toks)
            return len(picked) == words

        for key in ranked:
            name = _actor_name(key, lang) if key.startswith(ACTOR_PREFIX) else None
            if name and len(name) <= 30 and pick(name):
                return ", ".join(picked)
        cyrillic = lang != "en"
        # an English label names nothing in Cyrillic ("United States, Russia, Агентства" was a
        # genitive of USAID's Ukrainian name); a Russian one may name "Gazprom"
        for strict in (True,) if lang == "en" else (True, False):
            for key in ranked:
                if "_" in key or key.startswith(ACTOR_PREFIX) or key not in p.display:
                    continue
                name = p.display[key]
                if strict and _is_cyrillic(name) != cyrillic:
                    continue
                if pick(name):
                    return ", ".join(picked)
        for col in sorted(terms, key=terms.__getitem__, reverse=True):
            name = p.names.get(col)
            if not name or (lang == "en" and _is_cyrillic(name)):
                continue
            if name not in (w.lower() for w in picked) and pick(name):
                break
        return ", ".join(picked)

    def _snapshot(self, p: _Profile) -> Storyline:
        return Storyline(
            id=p.id, title=p.title(), label=self.label(p.id),
            first_seen=from_days(p.first), last_seen=from_days(p.last), event_count=p.events,
            state=p.to_state())

    @property
    def active(self) -> int:
        """Storylines currently held in memory (seeds of related coverage not counted)."""
        return len(self._profiles) - len(self._seed_profiles())

    # ------------------------------------------------------------------ internals
    def _evict(self, now: float) -> None:
        """Forget storylines idle past every window (their state was handed out already or is
        kept as a snapshot for :meth:`changed`); memory stays bounded by the active ones."""
        horizon = now - max(self.config.window_days, self.config.merge_window_days)
        seed_horizon = now - self.config.seed_days
        batch = {sid for _, sid in self._batch.values()}
        for sid in [s for s, p in self._profiles.items() if s not in batch and (
                p.last < horizon or (p.is_seed and p.last < seed_horizon))]:
            if sid in self._changed:
                self._snapshots[sid] = self._snapshot(self._profiles[sid])
                self._changed.discard(sid)
            self._forget(sid)

    def _candidates(self, t: float) -> list[str]:
        horizon = t - self.config.window_days
        return [sid for sid, p in self._profiles.items() if p.last >= horizon]

    def _score(self, f: EventFeatures) -> list[tuple[str, float, dict[str, float]]]:
        """Candidate storylines with relatedness and its parts, best first."""
        cands = self._candidates(f.t)
        if not cands:
            return []
        cfg = self.config
        tdot = self._terms.dot(f.terms, cands) if f.terms else {}
        edot = self._ents.dot(f.entities, cands) if f.entities else {}
        f_actors = key_part(f.entities, "actors")
        adot = self._parts["actors"].dot(f_actors, cands) if f_actors else {}
        f_countries = key_part(f.entities, "countries")
        cdot = self._parts["countries"].dot(f_countries, cands) if f_countries else {}
        out = []
        for sid in cands:
            p = self._profiles[sid]
            parts: dict[str, float] = {}
            if f.terms and p.terms:
                parts["terms"] = tdot.get(sid, 0.0)
            if f.entities and p.entities:
                parts["entities"] = edot.get(sid, 0.0)
            emb = p.unit(cfg)[2]
            if f.embedding is not None and emb is not None and len(emb) == len(f.embedding):
                parts["embedding"] = float(emb @ f.embedding)
            if sid in adot:
                parts["actors"] = adot[sid]
                parts["shared_actors"] = float(len(
                    f_actors.keys() & p.key_part("actors", cfg).keys()))
            p_countries = p.key_part("countries", cfg) if f_countries else {}
            if p_countries:
                parts["countries"] = cdot.get(sid, 0.0)
                parts["country_focus"] = max(v * v for v in p_countries.values())
            same = language_overlap(f.langs, p.langs)
            if same < 1.0:
                parts["same_language"] = same
            if cfg.young_evidence > 0 and f.t - p.first < cfg.young_days:
                parts["specific"] = specific_evidence(f, p, cfg)[0]
            gap = max(0.0, f.t - p.last)
            tf = time_factor(gap, cfg, relief_overlap(parts, cfg))
            cf = country_factor(parts, cfg)
            out.append((sid, combine(parts, term_weights(cfg.weights, same)) * tf * cf, parts))
        out.sort(key=lambda x: (-x[1], _id_number(x[0])))
        return out

    def _relate(self, f: EventFeatures, p: _Profile) -> tuple[float, dict[str, float]]:
        terms, ents, emb = p.unit(self.config)
        return relatedness(f.terms, f.entities, f.embedding, terms, ents, emb,
                           self.config.weights, language_overlap(f.langs, p.langs),
                           self.config.embedding_floor)

    def _reasons(self, f: EventFeatures, p: _Profile, score: float, parts: dict[str, float]
                 ) -> dict[str, Any]:
        """Why ``f`` belongs to ``p``: the score, its parts, and the strongest shared words."""
        terms, ents, _ = p.unit(self.config)
        shared_t = sorted((k for k in f.terms if k in terms), key=lambda k: -f.terms[k] * terms[k])
        shared_e = sorted((k for k in f.entities if k in ents),
                          key=lambda k: -f.entities[k] * ents[k])
        names = {**p.names, **f.names}
        display = {**p.display, **f.display}
        lang = p.display_language()
        gap = max(0.0, f.t - p.last)
        relief = relief_overlap(parts, self.config)
        return {
            "score": round(score, 4), **{k: round(v, 4) for k, v in parts.items()},
            # each name once: a person is an actor key and a name key ("Prigozhin, Prigozhin")
            "shared_entities": list(dict.fromkeys(
                self._key_name(k, display, lang) for k in shared_e[:8])),
            "shared_terms": [names[k] for k in shared_t if k in names][:8],
            "gap_days": round(gap, 2),
            "time_factor": round(time_factor(gap, self.config, relief), 4),
            "country_factor": round(country_factor(parts, self.config), 4),
            "threshold": self.config.threshold,
        } | self._specific_reasons(f, p, parts, names, display, lang)

    def _specific_reasons(self, f: EventFeatures, p: _Profile, parts: dict[str, float],
                          names: dict[int, str], display: dict[str, str], lang: str
                          ) -> dict[str, Any]:
        """For a young storyline (:func:`specific_evidence` was required): its age and the
        rare terms and keys the event shares with it."""
        if "specific" not in parts:
            return {}
        rare_t, rare_e = specific_evidence(f, p, self.config)[1:]
        return {"young_days": round(max(0.0, f.t - p.first), 2),
                "young_evidence": self.config.young_evidence,
                "rare_shared": [*(self._key_name(k, display, lang) for k in rare_e[:5]),
                                *(names[k] for k in rare_t[:8] if k in names)]}

    def _key_name(self, key: str, display: dict[str, str], lang: str) -> str:
        """How a key reads to people: an actor's name, a concept as its word in quotes
        ('"unfriendly"', found in any language), else the key's usual spelling."""
        if is_concept(key):
            return f'"{key.removeprefix(CONCEPT_PREFIX)}"'
        if key.startswith(ACTOR_PREFIX):
            return _actor_name(key, lang) or key.removeprefix(COUNTRY_PREFIX).lstrip("@")
        return display.get(key, key.replace("_", " "))

    def _index(self, p: _Profile) -> None:
        terms, ents, _ = p.unit(self.config)
        self._terms.set(p.id, terms)
        self._ents.set(p.id, ents)
        for part, index in self._parts.items():
            index.set(p.id, p.key_part(part, self.config))

    def _new_id(self) -> str:
        return self._id_factory() if self._id_factory else storyline_id(next(self._counter))

    def _new(self, f: EventFeatures) -> str:
        sid = self._new_id()
        p = _Profile(id=sid, first=f.t, last=f.t, created=f.t)
        self._profiles[sid] = p
        self._join(sid, f, 1.0)
        return sid

    def _seed(self, f: EventFeatures, related_to: str) -> None:
        """Keep a related-coverage event as a hidden candidate storyline (a *seed*): scored
        like any storyline, never listed, promoted when a later event links to it within
        ``seed_days`` (:meth:`seeds_state` carries the waiting ones to the next run)."""
        sid = f"seed{next(self._seeds)}"
        p = _Profile(id=sid, first=f.t, last=f.t, created=f.t, related_to=related_to)
        p.add(f, self.config)
        p.represent(f, self._fit(f, p))
        self._profiles[sid] = p
        self._index(p)
        self._seeds_dirty = True
        seeds = self._seed_profiles()
        for old in sorted(seeds, key=lambda x: (x.last, int(x.id.removeprefix("seed"))))[
                : max(0, len(seeds) - self.config.max_seeds)]:
            self._forget(old.id)

    def _promote(self, seed: str) -> str:
        """Turn a seed into a storyline with a public id; its event moves there."""
        p = self._forget(seed)
        related_to, p.related_to = p.related_to, None
        p.id = self._new_id()
        self._profiles[p.id] = p
        self._index(p)
        self._changed.add(p.id)
        if p.rep_event is not None:  # the seed's one event
            self._promoted.append(LinkResult(p.rep_event, p.id, 1.0, {
                "new_storyline": True, "promoted_from_related": related_to,
                "threshold": self.config.threshold}, True))
        return p.id

    def _seed_profiles(self) -> list[_Profile]:
        return [p for p in self._profiles.values() if p.is_seed]

    def _forget(self, sid: str) -> _Profile:
        """Drop a profile (storyline or seed) from memory and the indexes; returns it."""
        self._terms.remove(sid)
        self._ents.remove(sid)
        for index in self._parts.values():
            index.remove(sid)
        p = self._profiles.pop(sid)
        self._seeds_dirty |= p.is_seed
        return p

    def _join(self, sid: str, f: EventFeatures, score: float) -> None:
        p = self._profiles[sid]
        p.add(f, self.config)
        self._index(p)
        fit = self._fit(f, p)
        # The best-fitting event titles the storyline, one with a headline in the storyline's
        # display language before any without (:meth:`_Profile.title`).
        lang = p.display_language()
        if p.rep_event is None or (lang in f.titles, fit) > (lang in p.rep_titles, p.rep_score):
            p.represent(f, fit)
        self._changed.add(sid)

    def _fit(self, f: EventFeatures, p: _Profile) -> float:
        """How well ``f`` represents ``p`` (the storyline's title is its representative event's
        label): its relatedness to the profile, weighted by its size. A seed's one event is
        measured the same way, so a storyline promoted from a seed keeps its first event as
        representative until a better-fitting one joins (not the first event to join)."""
        return self._relate(f, p)[0] * math.log1p(f.articles)

    def _maybe_merge(self, sid: str, f: EventFeatures,
                     others: list[tuple[str, float, dict[str, float]]]) -> str:
        """Merge storylines the event joins strongly at once, if they converged (step 4)."""
        cfg = self.config
        keep = sid
        for other, score, _ in others:
            if score < cfg.merge_threshold:
                break
            a, b = self._profiles.get(keep), self._profiles.get(other)
            if a is None or b is None or min(a.last, b.last) < f.t - cfg.merge_window_days:
                continue
            ua, ub = a.unit(cfg), b.unit(cfg)
            same = language_overlap(a.langs, b.langs)
            if relatedness(*ua, *ub, cfg.weights, same,
                           cfg.embedding_floor)[0] < cfg.merge_threshold:
                continue
            keep = self._merge(a, b).id
        return keep

    def _merge(self, a: _Profile, b: _Profile) -> _Profile:
        """Merge the younger storyline into the older (lower number); returns the survivor."""
        keep, gone = (a, b) if _id_number(a.id) <= _id_number(b.id) else (b, a)
        keep.terms = _prune(_add(keep.terms, gone.terms, 1.0), self.config.max_terms * 2)
        keep.entities = _prune(_add(keep.entities, gone.entities, 1.0),
                               self.config.max_entities * 2)
        if gone.emb_sum is not None:
            keep.emb_sum = gone.emb_sum if keep.emb_sum is None else keep.emb_sum + gone.emb_sum
        keep.events += gone.events
        keep.first, keep.last = min(keep.first, gone.first), max(keep.last, gone.last)
        keep.names = {**gone.names, **keep.names}
        keep.display = {**gone.display, **keep.display}
        keep.langs = dict(Counter(keep.langs) + Counter(gone.langs))
        keep.day_terms = _count(keep.day_terms, gone.day_terms, 1)
        keep.day_keys = _count(keep.day_keys, gone.day_keys, 1)
        if gone.rep_score > keep.rep_score:
            keep.adopt_representative(gone)
        keep._unit = None
        self._forget(gone.id)
        self._index(keep)
        self._changed.discard(gone.id)
        self._changed.add(keep.id)
        self._merged.append((gone.id, keep.id))
        return keep

    def _resolve(self, sid: str) -> str:
        for src, dst in self._merged:
            if src == sid:
                sid = dst
        return sid


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _actor_name(key: str, lang: str) -> str | None:
    """A short, readable name of the actor behind an actor key, in ``lang`` when the gazetteer
    spells it in that language, else in English: a government reads as its country, a person
    by surname in English, a country or short-named actor by its gazetteer name in English,
    else by its shortest capitalised spelling ("Union State", "NATO", "Лукашенко", "Россия")."""
    from storyline.actors.resolve import default_resolver

    gaz = default_resolver().gaz
    actor_id = key.removeprefix(COUNTRY_PREFIX).removeprefix(ACTOR_PREFIX)
    actor = gaz.get(actor_id)
    if actor is not None and actor.kind == "government" and gaz.get(actor_id.split(".")[0]):
        actor = gaz.get(actor_id.split(".")[0])
    if actor is None:
        return None
    for want in dict.fromkeys((lang, "en")):
        spellings = [x for x in actor.aliases.get(want, []) if len(x) >= 3 and x[:1].isupper()]
        if want == "en":
            if actor.kind == "person" and actor.name.split()[-1] in spellings:
                return actor.name.split()[-1]
            if len(actor.name) <= 20 and "," not in actor.name:
                return actor.name
        if spellings:
            return min(spellings, key=len)
    return actor.name


def has_evidence(parts: dict[str, float], cfg: LinkConfig, scale: float) -> bool:
    """Whether a link rests on more than the sentence encoder: the storyline and the event
    share an actor, or names (key cosine) or words (term cosine) at ``scale`` times
    ``min_entities`` / ``min_terms``. Two unrelated reports of one kind (two crime stories of
    a day) reach a high embedding cosine on topic alone; what makes them one story is a shared
    name, place or specific wording."""
    if scale <= 0 or (cfg.min_entities <= 0 and cfg.min_terms <= 0):
        return True
    return bool(parts.get("shared_actors", 0.0) >= 1
                or parts.get("entities", 0.0) >= scale * cfg.min_entities
                or parts.get("terms", 0.0) >= scale * cfg.min_terms)


def specific_evidence(f: EventFeatures, p: _Profile, cfg: LinkConfig
                      ) -> tuple[float, list[int], list[str]]:
    """How much of the term and key cosines between an event and a young storyline's profile
    is carried by *rare* terms and keys, and those terms and keys, strongest first.

    A shared term or key is rare when its :func:`rarity` reaches ``cfg.rare`` among the
    documents outside the event and outside the storyline (``p.day_terms`` / ``p.day_keys``
    count the storyline's articles that contain it: a widely reported first day must not make
    the story's own names common). Countries never count: a country is shared by every story
    about it; nor do concept keys (:func:`concept_key`): "earthquake" or "court" is shared by
    every story of its kind (the concept's own words still count as terms, in their language).

    Why: "said", "police", "Senate" or "Obama" tie together any two reports of one kind; the
    name of the defendant, the bakery or the ship ties together two reports of one story.
    """
    terms, ents, _ = p.unit(cfg)
    t = sorted((k for k in f.terms if k in terms and k in f.doc_freq and rarity(
        f.doc_freq[k] - p.day_terms.get(k, 0), f.n_docs) >= cfg.rare),
        key=lambda k: -f.terms[k] * terms[k])
    e = sorted((k for k in f.entities if k in ents and k in f.key_freq and not is_country(k)
                and not is_concept(k)
                and rarity(f.key_freq[k] - p.day_keys.get(k, 0), f.key_docs) >= cfg.rare),
               key=lambda k: -f.entities[k] * ents[k])
    score = sum(f.terms[k] * terms[k] for k in t) + sum(f.entities[k] * ents[k] for k in e)
    return score, t, e


def _young_gate(scored: list[tuple[str, float, dict[str, float]]], cfg: LinkConfig
                ) -> tuple[list[tuple[str, float, dict[str, float]]],
                           list[tuple[str, float, dict[str, float]]]]:
    """Split scored candidates into those that may take the event and the young storylines
    refused for want of specific evidence (``parts["specific"]`` under ``young_evidence``;
    :func:`_score` sets it only on young candidates)."""
    ok, refused = [], []
    for x in scored:
        # the specific words of one language are not shared with another's reports: across
        # languages the bar for a link (not for related coverage: a Russian report of
        # Turkey's quake is no coverage of Japan's) falls with the languages' overlap
        bar = cfg.young_evidence * (x[2].get("same_language", 1.0) if x[1] >= cfg.threshold
                                    else 1.0)
        (refused if x[2].get("specific", math.inf) < bar else ok).append(x)
    return ok, refused


def _is_related(real: list[tuple[str, float, dict[str, float]]], cfg: LinkConfig,
                gap: float) -> bool:
    """Whether an event under ``threshold`` is related coverage of its best storyline
    (``real``: the storylines, not seeds, best first; ``gap``: days since its last event): it
    reaches ``related_threshold``, or it reaches ``related_floor``, the runner-up scores under
    ``1 / related_margin`` of it and the storyline was last reported at most
    ``fade_idle_days`` before.

    Why the margin: a weak score that points at one storyline only (the one story of its kind
    running at the time) is evidence about that story; the same score shared by two neighbouring
    stories (two Russia stories of one month) says only what they have in common.
    """
    if cfg.related_threshold >= cfg.threshold:  # related coverage is off
        return False
    if not has_evidence(real[0][2], cfg, cfg.related_evidence):
        return False
    best = real[0][1]
    if best >= cfg.related_threshold:
        return True
    if gap > cfg.fade_idle_days:
        # a storyline gone quiet is no story running at the time: on the demo and our eight
        # sets every such link (6 of 6, 14 to 287 days on) filed a report of another gold
        # storyline ("Tallinn demands return of abducted officer" as coverage of Belarus's
        # potash row, a year after its last report; `bench/demo_quality.py --relink DB
        # --params '{"fade_idle_days": 1e9}'`, related_coverage)
        return False
    runner_up = real[1][1] if len(real) > 1 else 0.0
    return best >= cfg.related_floor and best >= cfg.related_margin * runner_up


def _new_reasons(scored: list[tuple[str, float, dict[str, float]]], cfg: LinkConfig
                 ) -> dict[str, Any]:
    """Why an event started a storyline: the best one it did not reach, and the threshold."""
    reasons: dict[str, Any] = {"new_storyline": True, "threshold": cfg.threshold}
    if scored:
        best, score, parts = scored[0]
        reasons["best_other"] = {"storyline": best, "score": round(score, 4),
                                 **{k: round(v, 4) for k, v in parts.items()},
                                 "country_factor": round(
                                     country_factor(parts, cfg), 4)}
    return reasons


def _title(label: str, max_chars: int = 110) -> str:
    """A title from an event label: its first sentence (of at least 20 characters, split as
    briefs and timelines split them: "St. Gallen" does not end one), cut at a word boundary."""
    text = re.sub(r"\s+", " ", label).strip()
    first = ""
    for sentence in split_sentences(text):
        first = f"{first} {sentence}".strip()
        if len(first) >= 20:
            break
    text = first or text
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] + "…"
    return text
