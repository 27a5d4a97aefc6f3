"""The parameters of storyline linking, lifecycle and momentum (:class:`LinkConfig`).

The linker (:mod:`storyline.cluster.storylines`), its scores (:mod:`storyline.cluster.relatedness`)
and the lifecycle rules (:mod:`storyline.cluster.lifecycle`) all read one :class:`LinkConfig`;
its defaults are the values tuned in ``bench/storylines.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LinkConfig"]


@dataclass
class LinkConfig:
    """Parameters of :class:`StorylineLinker` and of the lifecycle / momentum rules.

    Linking
        threshold: relatedness at or above which an event joins its best storyline.
        weights: ``(terms, entities, embedding)`` weights of the three cosines.
        embedding_floor: the embedding cosine counts only above this (see
            :func:`.relatedness.relatedness`).
        min_entities, min_terms: a link needs a shared actor, a key cosine of ``min_entities``
            or a term cosine of ``min_terms`` (:func:`.storylines.has_evidence`; 0 and 0:
            off), times ``link_evidence`` for a link (0: no requirement) and
            ``related_evidence`` for related coverage.
        young_days, young_evidence, rare: a storyline whose first event is less than
            ``young_days`` older than the event is *young* (one day's reporting so far) and a
            candidate for that event — to link or to file related coverage with — only when
            their *specific evidence* (:func:`.storylines.specific_evidence`: the part of the
            term and key cosines carried by terms and non-country keys of
            :func:`.event_features.rarity` ``rare`` or more,
            i.e. found in a handful of documents at most outside the event and the storyline)
            reaches ``young_evidence`` (0: off). Same-day reports of one kind (two crime
            stories, two congressional stories) share topic words, outlets and embeddings;
            reports of one new story share its rare names and words, which the stream has not
            yet made common. Older storylines are not asked for it: by then their own words
            are common in the stream.
        window_days: a storyline stays a candidate this many days after its last event.
        gap_scale_days: relatedness is divided by ``1 + days since the storyline's last event /
            gap_scale_days``, so a storyline quiet for ``gap_scale_days`` needs twice the
            evidence.
        actor_relief: how far named-actor overlap ``A`` (cosine of the specific-actor keys,
            0..1) softens that discount: the time factor is raised to ``1 - actor_relief * A``,
            so the same people and organisations months apart still continue a story
            (0: no relief, the plain discount).
        relief_min_actors: the relief counts in full only when the event and the storyline
            share at least this many specific actors; with fewer it is scaled down in
            proportion (one omnipresent leader is weak evidence that a quiet story is back).
        country_floor, country_full: the country factor: relatedness is multiplied by
            ``country_floor`` when the event's and the storyline's country keys do not overlap,
            rising linearly to 1 at a country cosine of ``country_full`` (1 when either side
            names no country; ``country_floor = 1`` turns it off).
        country_focus_power: the country discount is scaled by the storyline's country focus
            (the share of its country vector held by its main country) to this power: 0 keeps
            the full discount for every storyline; larger values spare stories told country
            by country (a pandemic, a financial crisis).
        profile_half_life_days: half-life of a profile's older events when a new one is added.
        max_terms, max_entities: profile size (strongest terms / keys kept).
        event_terms: strongest terms kept per event vector.
    Repair
        merge_threshold: relatedness with a *second* storyline that triggers a merge check.
        merge_window_days: both storylines must have had an event within this many days.
        split_threshold: leave-one-out relatedness under which a just-linked event is split off.
    Related coverage
        related_threshold: an event under ``threshold`` whose best storyline still reaches this
            is filed with that storyline as *related coverage* (``reasons["relation"] =
            "related"``) without changing its profile, and becomes the seed of a storyline of
            its own should a later event link to it (``related_threshold >= threshold``: off,
            the ``related_floor`` rule too).
        related_max_articles: an event with more articles than this is never filed as related
            coverage: widely reported on its own, it starts a storyline instead.
        related_floor, related_margin: under ``related_threshold`` an event is still filed as
            related coverage when its best storyline reaches ``related_floor`` and scores at
            least ``related_margin`` times the runner-up: weak evidence that points one way
            only (``related_floor >= related_threshold``: off), and the storyline is not fading
            for want of events (its last within ``fade_idle_days``: the one story of its kind
            running at the time).
        max_seeds: at most this many seeds are kept (the oldest go first), which bounds the
            linker's memory and the state saved after every batch on a busy feed.
        seed_days: how long such a seed waits for a later event before it is forgotten (the
            second report of a new story comes within days or weeks, not years).
    Lifecycle and momentum
        breaking_days: a storyline is *breaking* for this long after its first event.
        developing_days: then *developing* until this age, *sustained* after.
        fade_idle_days: *fading* once no event arrived for this long ...
        fade_rate_ratio: ... or, past ``developing_days``, once the last week brought fewer
            events than this fraction of its average weekly rate.
        momentum_half_life_days: half-life of an event's / a source's contribution to momentum.
    """

    threshold: float = 0.2
    weights: tuple[float, float, float] = (0.4, 0.3, 0.3)
    embedding_floor: float = 0.0
    min_entities: float = 0.0
    min_terms: float = 0.0
    related_evidence: float = 1.0
    link_evidence: float = 1.0
    young_days: float = 1.0
    young_evidence: float = 0.2
    rare: float = 0.825
    window_days: float = 730.0
    gap_scale_days: float = 180.0
    actor_relief: float = 1.5
    relief_min_actors: int = 4
    country_floor: float = 0.4
    country_full: float = 0.25
    country_focus_power: float = 1.0
    profile_half_life_days: float = 30.0
    max_terms: int = 300
    max_entities: int = 200
    event_terms: int = 150
    merge_threshold: float = 0.4
    merge_window_days: float = 14.0
    split_threshold: float = 0.1
    related_threshold: float = 0.12
    related_max_articles: int = 10
    related_floor: float = 0.06
    related_margin: float = 1.5
    seed_days: float = 90.0
    max_seeds: int = 500
    breaking_days: float = 2.0
    developing_days: float = 14.0
    fade_idle_days: float = 7.0
    fade_rate_ratio: float = 0.25
    momentum_half_life_days: float = 3.0
