"""Event → storyline linking: related events together, unrelated apart, stable ids across a
reload, lifecycle and momentum over synthetic dates, merges and split-offs, and the stage's
persistence. Model-free (``HashingEmbedder``) and fast."""

from __future__ import annotations

import base64
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from storyline.cluster.storyline_stage import StorylineStage, summarise
from storyline.cluster.storylines import (
    EventFeatures,
    EventFeaturiser,
    LinkConfig,
    LinkResult,
    StorylineLinker,
    actor_key,
    lifecycle,
    momentum,
    rarity,
    specific_evidence,
    storyline_id,
)
from storyline.enrich.embed import HashingEmbedder, embed_text
from storyline.model import Article, Event, Storyline
from storyline.store.sqlite import SQLiteStore

T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)

STORIES = {
    "war": (
        "Libya Libyan rebels Gaddafi Tripoli Benghazi NATO airstrikes Misrata opposition "
        "Transitional Council ceasefire loyalist brigades artillery frontline"
    ).split(),
    "spill": (
        "BP oil spill Gulf Mexico Deepwater Horizon wellhead cap leak Louisiana coast cleanup "
        "dispersant barrels Hayward containment"
    ).split(),
}
GENERIC = "officials said on the day that it would report a statement with people".split()


def story_text(story: str, rng: random.Random, words: int = 40) -> tuple[str, str]:
    """A (title, text) pair: mostly the story's own vocabulary, some generic news words."""
    vocab = STORIES[story]
    title = " ".join(rng.sample(vocab, 5))
    body = ". ".join(
        " ".join(rng.choice(vocab) if rng.random() < 0.7 else rng.choice(GENERIC)
                 for _ in range(10))
        for _ in range(words // 10)
    )
    return title, body + "."


def add_event(store: SQLiteStore, title: str, text: str, when: datetime, source: str = "Wire"
              ) -> int:
    """One article and its own event, with a hashing-embedder centroid, as the clusterer would
    store them."""
    art = Article(title=title, text=text, published=when, source=source, lang="en",
                  content_hash=f"{title}|{when.isoformat()}|{source}")
    art_id = store.add_article(art, external_key=f"t:{title}:{when.isoformat()}:{source}")
    vec = HashingEmbedder().encode([embed_text(art)])[0]
    event_id = store.new_event_id()
    store.save_events([Event(
        id=event_id, label=title, first_seen=when, last_seen=when, article_count=1,
        sources=[source], languages=["en"], representative_id=art_id,
        state={"centroid": base64.b64encode(vec.astype("<f2").tobytes()).decode("ascii")},
    )])
    store.assign_events([(art_id, event_id)])
    return event_id


def fill(store: SQLiteStore, days: range, seed: int = 3) -> dict[int, str]:
    """Two interleaved stories, one event each per day; returns event id → story."""
    rng = random.Random(seed)
    truth = {}
    for day in days:
        for story in STORIES:
            title, text = story_text(story, rng)
            when = T0 + timedelta(days=day, hours=3 if story == "war" else 5)
            truth[add_event(store, title, text, when, source=f"{story}-{day % 3}")] = story
    return truth


def storyline_of(store: SQLiteStore) -> dict[int, str]:
    return {e.id: e.storyline_id for e in store.events()}


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    yield s
    s.close()


# --------------------------------------------------------------------------- linking


def test_related_events_link_together_and_unrelated_stay_apart(store):
    truth = fill(store, range(6))
    counts = StorylineStage(store).run()
    assert counts["linked"] == 12
    got = storyline_of(store)
    for story in STORIES:
        assert len({got[e] for e, s in truth.items() if s == story}) == 1, story
    assert len(set(got.values())) == 2
    assert counts["storylines_created"] == 2


def test_links_record_score_and_reasons(store):
    fill(store, range(4))
    StorylineStage(store).run()
    s = store.storylines()[0]
    links = store.storyline_links(s.id)
    assert links[0]["reasons"]["new_storyline"] is True
    later = links[1]["reasons"]
    assert {"score", "terms", "entities", "embedding", "shared_entities", "shared_terms",
            "gap_days", "threshold"} <= set(later)
    assert later["score"] >= later["threshold"]
    assert later["shared_entities"] or later["shared_terms"]


def test_storyline_fields_are_summarised(store):
    fill(store, range(5))
    StorylineStage(store).run()
    for s in store.storylines():
        assert s.event_count == 5 and s.article_count == 5
        assert s.first_seen < s.last_seen
        assert s.title and 1 <= len(s.label.split(", ")) <= 5
        assert s.lifecycle in {"breaking", "developing", "sustained", "fading"}
        assert s.momentum > 0


# --------------------------------------------------------------------------- stable ids


def test_ids_are_stable_across_a_reload(store):
    truth = fill(store, range(4))
    StorylineStage(store).run()
    before = storyline_of(store)
    ids_before = {s.id: (s.title, s.event_count) for s in store.storylines()}
    fill(store, range(4, 8), seed=11)  # a later run: a fresh stage reloads from the store
    counts = StorylineStage(store).run()
    after = storyline_of(store)
    assert counts["storylines_created"] == 0
    assert all(after[e] == before[e] for e in before)
    assert set(after.values()) == set(ids_before)
    for e, story in truth.items():
        twins = [x for x, s in truth.items() if s == story]
        assert after[e] == after[twins[0]]


def test_running_again_with_nothing_new_changes_nothing(store):
    fill(store, range(3))
    StorylineStage(store).run()
    first = [(s.id, s.event_count, s.momentum) for s in store.storylines()]
    assert StorylineStage(store).run()["linked"] == 0
    assert [(s.id, s.event_count, s.momentum) for s in store.storylines()] == first


def test_linker_state_round_trip_gives_identical_decisions():
    cfg = LinkConfig(weights=(1.0, 1.0, 1.0))
    one = StorylineLinker(cfg)
    events = [_feat(i, {1: 1.0, 2: 0.2 * i}, {"tripoli": 1.0}, day=i) for i in range(1, 4)]
    for f in events:
        one.link(f)
    saved = one.changed()
    two = StorylineLinker(cfg)
    two.load(saved)
    probe = _feat(9, {1: 0.8, 3: 0.6}, {"tripoli": 0.5, "nato": 0.5}, day=5)
    a, b = one.link(probe), two.link(_feat(9, {1: 0.8, 3: 0.6},
                                           {"tripoli": 0.5, "nato": 0.5}, day=5))
    assert a.storyline_id == b.storyline_id and not a.is_new
    assert a.score == pytest.approx(b.score, abs=1e-4)
    assert a.reasons["shared_entities"] == b.reasons["shared_entities"] == ["tripoli"]
    new = two.link(_feat(10, {50: 1.0}, {"haiti": 1.0}, day=6))
    assert new.is_new and new.storyline_id == storyline_id(2)  # never reuses an issued id


# --------------------------------------------------------------------------- merge and split


def _feat(eid: int, terms: dict[int, float], ents: dict[str, float] | None = None, day: float = 0
          ) -> EventFeatures:
    norm = float(np.sqrt(sum(v * v for v in terms.values())))
    terms = {k: v / norm for k, v in terms.items()}
    if ents:
        en = float(np.sqrt(sum(v * v for v in ents.values())))
        ents = {k: v / en for k, v in ents.items()}
    # Hand-made features: every term and key is one found nowhere else (specific_evidence sees
    # the full cosines), so same-day links here are not refused by the young-storyline rule.
    return EventFeatures(event_id=eid, t=19800.0 + day, t_last=19800.0 + day, label=f"event {eid}",
                         terms=terms, entities=ents or {}, **_rare(terms, ents or {}))


def _rare(terms: dict[int, float], ents: dict[str, float], common: frozenset = frozenset()
          ) -> dict:
    """Document counts for hand-made features: the ``common`` terms are in 500 of 1,000
    documents, every other term and key in none but the event's own one."""
    return {"doc_freq": {k: 500 if k in common else 0 for k in terms},
            "key_freq": dict.fromkeys(ents, 0), "n_docs": 1000, "key_docs": 1000,
            "own_freq": dict.fromkeys(terms, 1), "own_key_freq": dict.fromkeys(ents, 1)}


def test_converging_storylines_merge_into_the_older_one():
    linker = StorylineLinker(LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.25,
                                        merge_threshold=0.3))
    a = linker.link(_feat(1, {1: 1.0}))
    b = linker.link(_feat(2, {2: 1.0}, day=1))
    assert a.is_new and b.is_new and a.storyline_id != b.storyline_id
    both = linker.link(_feat(3, {1: 0.7, 2: 0.7}, day=2))
    assert both.storyline_id == a.storyline_id
    assert linker.merged_away() == [(b.storyline_id, a.storyline_id)]
    assert [s.id for s in linker.changed()] == [a.storyline_id]


def test_merge_is_bounded_to_recent_storylines():
    linker = StorylineLinker(LinkConfig(weights=(1.0, 0.0, 0.0), merge_threshold=0.3,
                                        merge_window_days=14))
    linker.link(_feat(1, {1: 1.0}))
    linker.link(_feat(2, {2: 1.0}, day=1))
    linker.link(_feat(3, {1: 0.7, 2: 0.7}, day=30))  # both idle for a month: no merge
    assert linker.merged_away() == []


def test_merge_is_persisted_and_the_old_id_resolves(store):
    cfg = LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.25, merge_threshold=0.3)
    rng = random.Random(5)
    for day, story in ((0, "war"), (1, "spill")):
        add_event(store, *story_text(story, rng), T0 + timedelta(days=day))
    StorylineStage(store, cfg).run()
    ids = sorted(s.id for s in store.storylines(min_events=1))
    assert len(ids) == 2
    title_w, text_w = story_text("war", rng)
    title_s, text_s = story_text("spill", rng)
    add_event(store, f"{title_w} {title_s}", f"{text_w} {text_s}", T0 + timedelta(days=2))
    counts = StorylineStage(store, cfg).run()
    assert counts["merged"] == 1
    gone = store.storyline(ids[1])
    assert gone.state["merged_into"] == ids[0] and gone.event_count == 0
    assert store.storyline(ids[0]).event_count == 3
    assert {e.storyline_id for e in store.events()} == {ids[0]}


# --------------------------------------------------------------------------- related coverage

TERMS_ONLY = LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.5, related_threshold=0.2)


def test_a_weakly_related_event_is_filed_as_related_coverage_without_moving_the_profile():
    linker = StorylineLinker(TERMS_ONLY)
    first = linker.link(_feat(1, {1: 1.0}))
    linker.changed()
    weak = linker.link(_feat(2, {1: 0.3, 2: 0.95}, day=1))  # cosine ~0.3: under 0.5, over 0.2
    assert weak.storyline_id == first.storyline_id and not weak.is_new
    assert weak.reasons["relation"] == "related" and 0.2 <= weak.score < 0.5
    assert linker.changed() == [] and linker.active == 1  # no storyline changed or appeared
    # The storyline's profile is what it was: an event like the first still matches it fully.
    assert linker.link(_feat(3, {1: 1.0}, day=2)).reasons["terms"] == pytest.approx(1.0)
    unrelated = linker.link(_feat(4, {9: 1.0}, day=3))  # under related_threshold: its own story
    assert unrelated.is_new and "relation" not in unrelated.reasons


def test_weak_evidence_is_related_coverage_only_when_it_points_at_one_storyline():
    cfg = replace(TERMS_ONLY, related_floor=0.1, related_margin=1.5)
    linker = StorylineLinker(cfg)
    spill = linker.link(_feat(1, {1: 1.0})).storyline_id
    war = linker.link(_feat(2, {2: 1.0}, day=1)).storyline_id
    # Cosine ~0.15 with the spill story, 0 with the war: under related_threshold, over the floor.
    one_way = linker.link(_feat(3, {1: 0.15, 9: 0.99}, day=2))
    assert one_way.storyline_id == spill and one_way.reasons["relation"] == "related"
    # The same weak score shared by both stories says nothing about either: a story of its own.
    both = linker.link(_feat(4, {1: 0.15, 2: 0.15, 8: 0.98}, day=3))
    assert both.is_new and both.storyline_id not in (spill, war)
    # Under the floor, or with related coverage off, a clear but weak lead is not followed.
    assert linker.link(_feat(5, {1: 0.05, 7: 1.0}, day=4)).is_new
    off = StorylineLinker(replace(cfg, related_threshold=cfg.threshold))
    off.link(_feat(1, {1: 1.0}))
    assert off.link(_feat(3, {1: 0.15, 9: 0.99}, day=2)).is_new


def test_weak_evidence_is_no_related_coverage_of_a_storyline_gone_quiet():
    """The floor's one-way lead is about the story of its kind running at the time: a storyline
    whose last event is older than ``fade_idle_days`` is not one (a Tallinn report of an
    abducted officer was filed as coverage of Belarus's potash row a year after its last
    report)."""
    cfg = replace(TERMS_ONLY, related_floor=0.1, related_margin=1.5)
    for day, related in ((cfg.fade_idle_days - 1, True), (cfg.fade_idle_days + 30, False)):
        linker = StorylineLinker(cfg)
        spill = linker.link(_feat(1, {1: 1.0})).storyline_id
        weak = linker.link(_feat(2, {1: 0.2, 9: 0.98}, day=day))
        assert (weak.storyline_id == spill and weak.reasons.get("relation") == "related") is related
        assert weak.is_new is not related


def test_related_coverage_becomes_a_storyline_when_a_later_event_links_to_it():
    linker = StorylineLinker(TERMS_ONLY)
    linker.link(_feat(1, {1: 1.0}))
    assert not linker.seeds_changed()
    linker.link(_feat(2, {1: 0.3, 2: 0.95}, day=1))
    assert linker.seeds_changed() and not linker.seeds_changed()  # saved once, then clean
    later = linker.link(_feat(3, {2: 1.0}, day=2))  # the related event's own story continues
    assert linker.seeds_changed() and linker.seeds_state()["seeds"] == []
    assert later.storyline_id == "sl2" and "relation" not in later.reasons  # ids stay dense
    moved = linker.promoted()
    assert [(r.event_id, r.storyline_id, r.is_new) for r in moved] == [(2, "sl2", True)]
    assert moved[0].reasons["promoted_from_related"] == "sl1"
    assert linker.promoted() == []


def test_a_promoted_storyline_is_titled_by_its_first_event_until_a_better_fit_joins():
    """The seed's event is measured as a representative like any other: a smaller, weaker
    follow-up does not take the title (it did, when a seed's event counted 0), a bigger one
    that fits the story as well does."""
    linker = StorylineLinker(TERMS_ONLY)
    linker.link(_feat(1, {1: 1.0}))
    seed = replace(_feat(2, {1: 0.3, 2: 0.95}, day=1), label="the list is published", articles=3)
    linker.link(seed)
    follow = replace(_feat(3, {2: 1.0, 3: 0.4}, day=2), label="a detail", articles=1)
    sid = linker.link(follow).storyline_id
    assert [s.title for s in linker.changed() if s.id == sid] == ["the list is published"]
    big = replace(_feat(4, {2: 1.0}, day=3), label="the list is widened", articles=9)
    assert linker.link(big).storyline_id == sid
    assert [s.title for s in linker.changed() if s.id == sid] == ["the list is widened"]


def test_an_event_with_a_headline_in_the_display_language_titles_the_storyline():
    """The best-fitting event was reported only in Belarusian; a later event of the storyline
    has an English report, so the storyline is read in English — and is titled by that event's
    English headline, not by the Belarusian one beside an English label."""
    linker = StorylineLinker(LinkConfig(weights=(0.0, 1.0, 0.0), threshold=0.5,
                                        related_threshold=0.2))
    keys = {"@PERSON:medvedchuk": 1.0, "azovstal": 0.8, "@country:UKR": 0.3}
    first = replace(_feat(1, {1: 1.0}, keys), articles=5, langs={"be": 5},
                    titles={"be": "Азоўцы вызваленыя ў абмен на Мядзведчука"})
    sid = linker.link(first).storyline_id
    later = replace(_feat(2, {2: 1.0}, {**keys, "erdogan": 0.4}, day=3), articles=1,
                    langs={"en": 1},
                    titles={"en": "Azovstal commanders freed in exchange for Medvedchuk"})
    assert linker.link(later).storyline_id == sid
    assert [s.title for s in linker.changed() if s.id == sid] == [
        "Azovstal commanders freed in exchange for Medvedchuk"]


def test_a_storyline_is_titled_in_the_language_most_of_its_reports_are_in():
    """The representative event's first report was Russian; two of its three reports are
    English, so the storyline's title is the first English headline, not the Russian one."""
    event = Event(id=1, label="В Японии произошло землетрясение", first_seen=T0, last_seen=T0,
                  article_count=3)
    reports = [Article(id=i, title=title, text="", published=T0 + timedelta(hours=i),
                       source="Wire", lang=lang)
               for i, (title, lang) in enumerate([
                   ("В Японии произошло землетрясение", "ru"),
                   ("Powerful quake hits Ishikawa; tsunami warning for Noto", "en"),
                   ("Japan quake: rescuers search collapsed houses", "en")])]
    linker = StorylineLinker()
    sid = linker.link(EventFeaturiser().featurise(event, reports)).storyline_id
    [story] = [s for s in linker.changed() if s.id == sid]
    assert story.title == "Powerful quake hits Ishikawa; tsunami warning for Noto"
    assert story.state["rep_titles"] == {  # saved with the storyline, for the next run
        "ru": "В Японии произошло землетрясение",
        "en": "Powerful quake hits Ishikawa; tsunami warning for Noto"}


def test_promotion_across_batches_moves_the_stored_event(store):
    rng = random.Random(11)
    cfg = LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.5, related_threshold=0.01)
    add_event(store, *story_text("war", rng), T0)
    spill_1 = add_event(store, *story_text("spill", rng), T0 + timedelta(days=1))
    stage = StorylineStage(store, cfg, batch=1)
    stage.run()
    (sid,) = {e.storyline_id for e in store.events()}
    links = {link["event_id"]: link for link in store.storyline_links(sid)}
    assert links[spill_1]["reasons"]["relation"] == "related"
    spill_2 = add_event(store, *story_text("spill", rng), T0 + timedelta(days=2))
    # A later run (a new stage and linker, as the next `storyline fetch` would make) still
    # holds the seed, restored from the store, and promotes it: event 2 moves.
    counts = StorylineStage(store, cfg, batch=1).run()
    assert counts["promoted"] == 1
    got = storyline_of(store)
    assert got[spill_1] == got[spill_2] != sid
    assert store.storyline(sid).event_count == 1
    assert store.storyline(got[spill_2]).event_count == 2


def test_a_story_told_country_by_country_is_spared_the_country_discount():
    """A pandemic storyline reported from many countries takes a report from one more; a
    storyline about one country discounts it fully."""
    words = {1: 0.6, 2: 0.6, 3: 0.5}
    config = LinkConfig(weights=(1.0, 1.0, 0.0), threshold=0.3, related_threshold=1.0)
    many = {f"@country:{iso}": 1.0 for iso in ("MEX", "USA", "GBR", "JPN")}
    spread = StorylineLinker(config)
    for day in range(4):
        spread.link(_feat(day + 1, words, {**many, "flu": 0.5}, day=day))
    focused = StorylineLinker(config)
    for day in range(4):
        focused.link(_feat(day + 1, words, {"@country:EGY": 1.0, "flu": 0.5}, day=day))
    new = _feat(9, words, {"@country:ESP": 1.0, "flu": 0.5}, day=5)
    to_spread, to_focused = spread.link(new), focused.link(replace(new))
    assert to_focused.is_new
    assert to_focused.reasons["best_other"]["country_factor"] == pytest.approx(0.4)
    assert not to_spread.is_new and to_spread.reasons["country_factor"] > 0.7
    flat = StorylineLinker(replace(config, country_focus_power=0.0))
    for day in range(4):
        flat.link(_feat(day + 1, words, {**many, "flu": 0.5}, day=day))
    assert flat.link(replace(new)).reasons["best_other"]["country_factor"] == pytest.approx(0.4)


def test_related_coverage_does_not_keep_a_storyline_alive():
    own = _events([0, 1, 2])
    weak = Event(id=99, label="coverage", first_seen=T0 + timedelta(days=60),
                 last_seen=T0 + timedelta(days=60), article_count=4, sources=["Other"])
    now = T0 + timedelta(days=61)
    story = Storyline(id="sl1", title="t", label="l")
    got = summarise(story, [*own, weak], now, related={99})
    alone = summarise(story, own, now)
    assert got.event_count == 4 and got.article_count == alone.article_count + 4
    assert (got.last_seen, got.lifecycle, got.momentum) == (
        alone.last_seen, alone.lifecycle, alone.momentum)
    assert got.lifecycle == "fading"
    assert summarise(story, [*own, weak], now).last_seen == weak.last_seen


def test_a_widely_reported_event_is_never_mere_related_coverage():
    linker = StorylineLinker(replace(TERMS_ONLY, related_max_articles=10))
    linker.link(_feat(1, {1: 1.0}))
    big = replace(_feat(2, {1: 0.3, 2: 0.95}, day=1), articles=34)
    assert linker.link(big).is_new


def test_a_seed_waits_seed_days_and_no_longer():
    cfg = replace(TERMS_ONLY, seed_days=10.0)
    for gap, promoted in ((5, True), (20, False)):
        linker = StorylineLinker(cfg)
        linker.link(_feat(1, {1: 1.0}))
        linker.link(_feat(2, {1: 0.3, 2: 0.95}, day=1))
        state = linker.seeds_state()
        again = StorylineLinker(cfg)  # the next run, restored from the saved seeds
        again.link(_feat(1, {1: 1.0}))
        again.load_seeds(state)
        later = again.link(_feat(3, {2: 1.0}, day=1 + gap))
        assert bool(again.promoted()) is promoted, gap
        assert later.is_new is not promoted


def test_one_shared_leader_does_not_relieve_the_time_discount():
    def feats(eid: int, actors: list[str], day: float) -> EventFeatures:
        ents = {actor_key(a, "person"): 1.0 for a in actors}
        return _feat(eid, {1: 0.6, eid + 100: 0.8}, ents, day=day)

    cfg = LinkConfig(weights=(0.5, 0.5, 0.0), threshold=0.3, related_threshold=1.0,
                     gap_scale_days=30.0, relief_min_actors=3)
    cast = ["PERSON:a", "PERSON:b", "PERSON:c"]
    for shared, expect_link in ((cast, True), (cast[:1], False)):
        linker = StorylineLinker(cfg)
        first = linker.link(feats(1, cast, 0))
        later = linker.link(feats(2, shared, 300))
        assert (later.storyline_id == first.storyline_id) is expect_link, shared
    # relief_min_actors=1 restores the old rule: one shared actor is enough.
    linker = StorylineLinker(replace(cfg, relief_min_actors=1))
    first = linker.link(feats(1, cast[:1], 0))
    assert linker.link(feats(2, cast[:1], 300)).storyline_id == first.storyline_id


def test_misfit_is_split_off_at_the_end_of_its_batch():
    """The storyline drifts away from its first event while the batch is linked."""
    linker = StorylineLinker(LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.25,
                                        split_threshold=0.2, merge_threshold=2.0))
    chain = [{1: 1.0}, {1: 0.5, 2: 0.866}, {2: 1.0}, {2: 0.6, 3: 0.8}, {3: 1.0}]
    results = [linker.link(_feat(i, t)) for i, t in enumerate(chain, 1)]
    assert len({r.storyline_id for r in results}) == 1
    splits = linker.split_misfits()
    assert [r.event_id for r in splits] == [1]
    assert splits[0].reasons["split_from"] == results[0].storyline_id
    assert splits[0].reasons["score_without_it"] < 0.2
    assert linker.split_misfits() == []  # only the batch just linked is re-checked


# --------------------------------------------------------------------------- young storylines

SAME_DAY = LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.3, related_threshold=0.1)


def _day_feat(eid: int, terms: dict[int, float], day: float) -> EventFeatures:
    """Term 1 is a topic word ("police": in half of the documents), the others are names."""
    f = _feat(eid, terms, day=day)
    return replace(f, **_rare(f.terms, {}, common=frozenset({1})))


def test_a_same_day_event_joins_a_young_storyline_only_on_rare_words():
    linker = StorylineLinker(SAME_DAY)
    first = linker.link(_day_feat(1, {1: 0.8, 2: 0.6}, 0.0))
    topical = linker.link(_day_feat(2, {1: 0.8, 3: 0.6}, 0.2))  # shares "police" only
    assert topical.is_new and "relation" not in topical.reasons
    assert topical.reasons["young_refused"]["storyline"] == first.storyline_id
    assert topical.reasons["young_refused"]["specific"] == 0.0
    named = linker.link(_day_feat(3, {1: 0.6, 2: 0.8}, 0.3))  # shares the story's name
    assert named.storyline_id == first.storyline_id and "relation" not in named.reasons
    assert named.reasons["specific"] >= SAME_DAY.young_evidence
    assert named.reasons["young_days"] == 0.3 and "rare_shared" in named.reasons
    # A day on, the storyline is no longer young: its name, common by now, is enough.
    later = replace(_day_feat(4, {2: 0.8, 4: 0.6}, 1.5), doc_freq={2: 500, 4: 0})
    linked = linker.link(later)
    assert linked.storyline_id == first.storyline_id and "specific" not in linked.reasons
    # With the rule off, the topic word alone had joined the two stories on the first day.
    off = StorylineLinker(replace(SAME_DAY, young_evidence=0.0))
    one = off.link(_day_feat(1, {1: 0.8, 2: 0.6}, 0.0))
    assert off.link(_day_feat(2, {1: 0.8, 3: 0.6}, 0.2)).storyline_id == one.storyline_id


def test_across_languages_a_young_storyline_asks_no_shared_rare_words():
    """A story's rare words are words of one language: a Russian report of the next act of a
    story opened the same day in Belarusian shares its actors and embedding, not its words. The
    young-storyline bar falls with the languages' overlap (none here: no bar); in one language
    the same evidence is refused (the Kerch seizure and the next day's martial-law vote were two
    storylines, our third set)."""
    config = LinkConfig(weights=(0.0, 1.0, 0.0), threshold=0.3, related_threshold=0.1)
    keys = {"@PERSON:poroshenko": 0.7, "@country:UKR": 0.7}

    def told(eid: int, lang: str, day: float) -> EventFeatures:
        f = _feat(eid, {eid: 1.0}, keys, day=day)
        return replace(f, langs={lang: 2}, key_freq=dict.fromkeys(keys, 500))

    linker = StorylineLinker(config)
    first = linker.link(told(1, "be", 0.0))
    assert linker.link(told(2, "ru", 0.4)).storyline_id == first.storyline_id
    same = StorylineLinker(config)
    same.link(told(1, "ru", 0.0))
    assert same.link(told(2, "ru", 0.4)).reasons["young_refused"]["specific"] == 0.0


def test_a_widely_reported_first_day_does_not_make_the_storys_own_name_common():
    """The name is in five documents: the first event's five articles. Outside the storyline
    it is in none, so it still counts as rare — also after a reload of the linker."""
    first = replace(_day_feat(1, {1: 0.8, 2: 0.6}, 0.0), own_freq={1: 5, 2: 5}, articles=5)
    second = replace(_day_feat(2, {2: 0.8, 3: 0.6}, 0.2), doc_freq={2: 5, 3: 0})
    linker = StorylineLinker(SAME_DAY)
    sid = linker.link(first).storyline_id
    reloaded = StorylineLinker(SAME_DAY)
    reloaded.load(linker.changed())
    assert reloaded.link(second).storyline_id == sid
    # Had the first event been one article, four other documents would hold the name.
    lone = StorylineLinker(SAME_DAY)
    lone.link(replace(first, own_freq={1: 1, 2: 1}, articles=1))
    assert lone.link(second).reasons["young_refused"]["storyline"] == sid


def test_the_featuriser_counts_the_other_documents_that_hold_each_term():
    featuriser = EventFeaturiser(actor_chars=0)

    def featurise(eid: int, titles: list[str]) -> EventFeatures:
        arts = [Article(title=t, text=f"{t}.", published=T0, source="Wire", lang="en")
                for t in titles]
        return featuriser.featurise(Event(id=eid, label=titles[0], first_seen=T0,
                                          last_seen=T0, article_count=len(arts)), arts)

    featurise(1, ["Police arrested a man downtown", "Police charged the man"])
    f = featurise(2, ["Police name Kercher suspect", "Kercher family thanks police"])
    col = {word: c for c, word in f.names.items()}
    assert f.n_docs == 4
    assert (f.doc_freq[col["kercher"]], f.own_freq[col["kercher"]]) == (0, 2)
    assert (f.doc_freq[col["police"]], f.own_freq[col["police"]]) == (2, 2)
    assert rarity(0, 4) == 1.0 > rarity(2, 4)


# --------------------------------------------------------------------------- lifecycle, momentum


def _events(days: list[float], sources: int = 1) -> list[Event]:
    return [Event(id=i, first_seen=T0 + timedelta(days=d), last_seen=T0 + timedelta(days=d),
                  article_count=1, sources=[f"s{j}" for j in range(sources)])
            for i, d in enumerate(days)]


@pytest.mark.parametrize(("days", "now", "expected"), [
    ([0, 0.5], 1, "breaking"),                         # first two days
    ([0, 2, 4, 5], 6, "developing"),                   # under two weeks, active
    ([d * 2.0 for d in range(16)], 31, "sustained"),   # a month, steady rate
    ([0, 1, 2], 12, "fading"),                         # idle 10 days
    ([*range(0, 20), 27], 30, "fading"),               # rate collapsed: 1 event in the last week
])
def test_lifecycle(days, now, expected):
    assert lifecycle(_events(days), T0 + timedelta(days=now)) == expected


def test_lifecycle_goes_through_every_stage_as_time_passes():
    days = [0, 0.3, 1, 3, 5, 8, 10, 13, 16, 19, 22, 25]
    seen = []
    for now in (0.5, 6, 26, 40):
        happened = [d for d in days if d <= now]
        seen.append(lifecycle(_events(happened), T0 + timedelta(days=now)))
    assert seen == ["breaking", "developing", "sustained", "fading"]


def test_momentum_rewards_recent_events_and_distinct_sources():
    now = T0 + timedelta(days=10)
    fresh = momentum(_events([10, 10, 9.5]), now)
    stale = momentum(_events([0, 0.5, 1]), now)
    wide = momentum(_events([10, 10, 9.5], sources=4), now)
    assert fresh > 4 * stale
    assert wide > fresh
    assert momentum(_events([10]), now + timedelta(days=3)) == pytest.approx(
        momentum(_events([10]), now) / 2, rel=1e-3)


def test_one_bridging_event_does_not_fuse_distinct_storylines():
    """Both profiles must themselves reach ``merge_threshold``, not just the shared event."""
    linker = StorylineLinker(LinkConfig(weights=(1.0, 0.0, 0.0), merge_threshold=0.4))
    linker.link(_feat(1, {1: 1.0}))
    linker.link(_feat(2, {2: 1.0}, day=1))
    bridge = linker.link(_feat(3, {1: 0.7, 2: 0.7}, day=2))
    assert not bridge.is_new and linker.merged_away() == []


def _report(aid: int, title: str, text: str, lang: str, when: datetime) -> tuple[Event, Article]:
    """One report as its own event (no embedding: names and actors must carry the link)."""
    art = Article(id=aid, title=title, text=text, published=when, source="Wire", lang=lang)
    return Event(id=aid, label=title, first_seen=when, last_seen=when, article_count=1), art


def test_english_and_russian_reports_on_the_same_actors_months_apart_link():
    """Cross-lingual, long-gap continuation: resolved actor ids are the same in both languages
    and their overlap relaxes the time discount; an unrelated report stays apart."""
    en = _report(1, "Putin and Lukashenko agree Union State integration programmes",
                 "Vladimir Putin and Alexander Lukashenko agreed in the Kremlin on new "
                 "programmes of the Union State, the integration of Russia and Belarus.",
                 "en", T0)
    ru = _report(2, "Путин и Лукашенко утвердили новые программы Союзного государства",
                 "Владимир Путин и Александр Лукашенко на заседании Высшего госсовета "
                 "Союзного государства утвердили основные направления интеграции.",
                 "ru", T0 + timedelta(days=200))
    other = _report(3, "Floods hit Derna after dams burst in eastern Libya",
                    "Thousands died in Derna when two dams burst during storm Daniel, the "
                    "Red Crescent said.", "en", T0 + timedelta(days=210))

    def run(config: LinkConfig) -> list[LinkResult]:
        feat, linker = EventFeaturiser(), StorylineLinker(config)
        return [linker.link(feat.featurise(e, [a])) for e, a in (en, ru, other)]

    links = run(LinkConfig())
    assert links[0].storyline_id == links[1].storyline_id != links[2].storyline_id
    assert "relation" not in links[1].reasons  # a development of the story, not coverage
    # The plain discount would not link it as a development: at most as related coverage.
    plain = run(LinkConfig(actor_relief=0.0))[1]
    assert plain.reasons.get("relation") == "related" or plain.is_new
    assert run(LinkConfig(actor_relief=0.0, related_threshold=1.0))[1].is_new


def test_a_measure_named_in_another_language_continues_its_story(monkeypatch):
    """Cross-lingual continuity on the story's own words: "unfriendly" and "недружественных"
    are one concept key (the search lexicon's), so the Russian report of additions to the list
    is a development of the English story, which hashed terms (words of one language) and the
    one shared country could not make it; a Russian report of drills stays out of the story."""
    en = _report(1, "Russia publishes list of unfriendly countries",
                 "The Russian government approved a list of countries and territories that it "
                 "deems unfriendly for taking hostile actions: the United States, the European "
                 "Union states, Britain, Japan and others.", "en", T0)
    ru = _report(2, "Правительство расширило перечень недружественных стран",
                 "Кабинет министров дополнил перечень иностранных государств и территорий, "
                 "совершающих недружественные действия в отношении России: в него вошли "
                 "Багамы, Гернси и остров Мэн.", "ru", T0 + timedelta(days=10))
    drills = _report(3, "Россия и Белоруссия провели совместные учения",
                     "Вооружённые силы России и Белоруссии провели совместные учения у границы.",
                     "ru", T0 + timedelta(days=11))

    def run() -> list[LinkResult]:
        feat, linker = EventFeaturiser(), StorylineLinker()
        return [linker.link(feat.featurise(e, [a])) for e, a in (en, ru, drills)]

    first, added, other = run()
    assert added.storyline_id == first.storyline_id and "relation" not in added.reasons
    assert '"unfriendly"' in added.reasons["shared_entities"]  # the reason says so
    assert other.is_new or other.reasons.get("relation") == "related"
    monkeypatch.setattr(EventFeaturiser, "_concept_keys", lambda self, a: [])
    added = run()[1]
    assert added.is_new or added.reasons.get("relation") == "related"


def test_concept_keys_are_not_a_storys_own_names():
    """A concept ("earthquake") is shared by every story of its kind, so it is never the rare,
    specific evidence a same-day storyline asks for."""
    feat = EventFeaturiser()
    quake = _report(1, "Earthquake hits Japan's Noto peninsula",
                    "A strong earthquake struck the Noto peninsula.", "en", T0)
    other = _report(2, "Землетрясение в Турции", "Землетрясение магнитудой 7,8 произошло на "
                    "юге Турции.", "ru", T0 + timedelta(hours=3))
    f1, f2 = (feat.featurise(e, [a]) for e, a in (quake, other))
    assert "concept:earthquake" in f1.entities and "concept:earthquake" in f2.entities
    linker = StorylineLinker()
    sid = linker.link(f1).storyline_id
    # found in no other document, the concept would count as rare were it a name
    _, _, rare_keys = specific_evidence(f2, linker._profiles[sid], linker.config)
    assert "concept:earthquake" not in rare_keys
    assert linker.link(f2).is_new


def test_labels_name_actors_in_the_storyline_language():
    feat, linker = EventFeaturiser(), StorylineLinker()
    event, art = _report(1, "Путин и Лукашенко обсудили Союзное государство в Минске",
                         "Владимир Путин и Александр Лукашенко встретились в Минске.", "ru", T0)
    sid = linker.link(feat.featurise(event, [art])).storyline_id
    label = linker.label(sid)
    assert "Лукашенко" in label and "Путин" in label and "Минске" not in label


def test_a_storyline_with_english_reports_is_labelled_and_titled_in_english():
    """Two Belarusian reports and one English one of Prigozhin's talks with Lukashenko: the
    storyline is mostly Belarusian, but its English report gives it an English label and title
    (it was "Prigozhin, Wagner Group, Лукашенка": each name in the first language the gazetteer
    had, under a Belarusian headline)."""
    feat, linker = EventFeaturiser(), StorylineLinker()
    event = Event(id=1, label="Лукашэнка правёў перамовы з Прыгожыным", first_seen=T0,
                  last_seen=T0, article_count=3)
    arts = [Article(id=1, title="Лукашэнка правёў перамовы з Прыгожыным",
                    text="Аляксандр Лукашэнка правёў перамовы з Яўгенам Прыгожыным.",
                    published=T0, source="Белсат", lang="be"),
            Article(id=2, title="Лукашэнка: Прыгожын у Беларусі",
                    text="Аляксандр Лукашэнка заявіў, што Яўген Прыгожын знаходзіцца ў Беларусі.",
                    published=T0, source="Наша Ніва", lang="be"),
            Article(id=3, title="Lukashenko says Prigozhin is in Belarus",
                    text="Alexander Lukashenko said Yevgeny Prigozhin had arrived in Belarus.",
                    published=T0, source="Reuters", lang="en")]
    sid = linker.link(feat.featurise(event, arts)).storyline_id
    label = linker.label(sid)
    assert "Lukashenko" in label and "Prigozhin" in label, label
    assert not any("а" <= ch <= "я" for ch in label.lower()), label
    (story,) = [s for s in linker.changed() if s.id == sid]
    assert story.title == "Lukashenko says Prigozhin is in Belarus"


def test_an_english_label_names_nothing_in_cyrillic_even_when_short_of_names():
    """An English report and two Cyrillic ones of Poland's demand to free a journalist: the
    label was "Poland, Belarus, Андрэя" (an inflected first name the gazetteer does not know);
    an English label takes its third part from the storyline's words instead."""
    feat, linker = EventFeaturiser(), StorylineLinker()
    event = Event(id=1, label="x", first_seen=T0, last_seen=T0, article_count=3)
    arts = [Article(id=1, title="Poland demands release of journalist in Belarus",
                    text="Poland demanded that Belarus free the journalist.", published=T0,
                    source="Reuters", lang="en"),
            Article(id=2, title="Польшча патрабуе вызваліць журналіста",
                    text="Варшава патрабуе ад Менску вызваліць журналіста Андрэя Пачобута. "
                    "Барыс Пачобут і Анжаліка Борыс затрыманыя.", published=T0,
                    source="Белсат", lang="be"),
            Article(id=3, title="Польша требует освободить журналиста",
                    text="Варшава требует освободить Андрея Почобута и Анжелику Борис.",
                    published=T0, source="ТАСС", lang="ru")]
    sid = linker.link(feat.featurise(event, arts)).storyline_id
    label = linker.label(sid)
    assert label.startswith("Poland, Belarus"), label
    assert not any("а" <= ch <= "я" for ch in label.lower()), label


def test_labels_name_who_acts_before_the_countries_a_list_names():
    linker = StorylineLinker()
    ents = {"@country:CHE": 0.6, "@country:NOR": 0.55, "@country:GBR": 0.5,
            "@RUS.GOV": 0.3, "@BLR.GOV": 0.25}
    sid = linker.link(_feat(1, {1: 1.0}, ents)).storyline_id
    # the listed states weigh most, but the label names the governments that list them
    assert linker.label(sid).split(", ")[:2] == ["Russia", "Belarus"]


def test_an_event_about_another_country_needs_more_than_shared_vocabulary():
    """Neighbouring stories (Egypt's and Libya's uprisings) share words but not the country
    they are about: the country factor keeps them apart, and a same-country event still joins."""
    words = {1: 0.6, 2: 0.6, 3: 0.5}  # "protesters", "regime", "security forces"
    config = LinkConfig(weights=(1.0, 1.0, 0.0), threshold=0.3, related_threshold=1.0)
    linker = StorylineLinker(config)
    egypt = linker.link(_feat(1, words, {"@country:EGY": 1.0, "cairo": 0.5}))
    libya = linker.link(_feat(2, {**words, 4: 0.3}, {"@country:LBY": 1.0, "tripoli": 0.4},
                              day=1))
    again = linker.link(_feat(3, {**words, 5: 0.3}, {"@country:EGY": 1.0, "tahrir": 0.4},
                              day=2))
    assert libya.is_new
    assert libya.reasons["best_other"]["country_factor"] == pytest.approx(config.country_floor)
    assert again.storyline_id == egypt.storyline_id and not again.is_new
    off = StorylineLinker(replace(config, country_floor=1.0))
    off.link(_feat(1, words, {"@country:EGY": 1.0, "cairo": 0.5}))
    fused = off.link(_feat(2, {**words, 4: 0.3}, {"@country:LBY": 1.0, "tripoli": 0.4}, day=1))
    assert not fused.is_new  # without the factor, shared vocabulary alone links them
    # With related coverage on, the first Libya report is at most coverage of Egypt's story,
    # and the next one starts Libya's own storyline, taking the first along.
    linker = StorylineLinker(replace(config, related_threshold=0.15))
    linker.link(_feat(1, words, {"@country:EGY": 1.0, "cairo": 0.5}))
    first = linker.link(_feat(2, {**words, 4: 0.3}, {"@country:LBY": 1.0, "tripoli": 0.4}, day=1))
    assert first.reasons.get("relation") == "related" or first.is_new
    second = linker.link(_feat(4, {**words, 4: 0.4}, {"@country:LBY": 1.0, "tripoli": 0.5}, day=2))
    assert second.storyline_id != egypt.storyline_id
    assert all(r.storyline_id == second.storyline_id for r in linker.promoted())


def test_a_title_is_the_first_sentence_and_an_abbreviation_does_not_end_it():
    from storyline.cluster.storylines import _title

    assert _title("Only 8.5% of Western companies have left Russia, St. Gallen researchers say") \
        == "Only 8.5% of Western companies have left Russia, St. Gallen researchers say"
    assert _title("Putin met Lukashenko in Minsk. They agreed on gas.") == (
        "Putin met Lukashenko in Minsk.")
    assert _title("A " + "long " * 40).endswith("…")


def test_the_cli_says_which_links_are_related_coverage_and_which_were_promoted():
    from storyline.commands.storylines import _why

    assert _why({"score": 0.14, "terms": 0.1, "relation": "related"}).startswith(
        "related coverage · score 0.14")
    assert "related" not in _why({"score": 0.4, "terms": 0.3})
    assert _why({"new_storyline": True, "promoted_from_related": "sl3"}) == (
        "started the storyline (first filed as related coverage of sl3)")


def test_a_seed_whose_event_was_merged_away_promotes_nothing_stale(store):
    rng = random.Random(11)
    cfg = LinkConfig(weights=(1.0, 0.0, 0.0), threshold=0.5, related_threshold=0.01)
    war = add_event(store, *story_text("war", rng), T0)
    spill_1 = add_event(store, *story_text("spill", rng), T0 + timedelta(days=1))
    StorylineStage(store, cfg, batch=1).run()
    store.merge_events(spill_1, war)  # the clusterer's repair step folded it into another event
    spill_2 = add_event(store, *story_text("spill", rng), T0 + timedelta(days=2))
    counts = StorylineStage(store, cfg, batch=1).run()
    assert counts["promoted"] == 0 and store.event(spill_1) is None
    assert storyline_of(store)[spill_2] != storyline_of(store)[war]


def test_seeds_are_capped_oldest_first():
    linker = StorylineLinker(replace(TERMS_ONLY, max_seeds=2))
    linker.link(_feat(1, {1: 1.0}))
    for n in range(3):  # three weakly related reports of three different side stories
        linker.link(_feat(10 + n, {1: 0.3, 20 + n: 0.95}, day=1 + n))
    assert [s["profile"]["rep_event"] for s in linker.seeds_state()["seeds"]] == [11, 12]
    assert linker.active == 1


def test_a_storyline_is_not_titled_by_a_preview_of_its_happening():
    """The first English report of the Supreme State Council announced it ("… to hold … on
    February 26"); once the meeting is reported, its report titles the storyline."""
    feat, linker = EventFeaturiser(), StorylineLinker()
    day = datetime(2026, 2, 24, 11, 0, tzinfo=UTC)
    event = Event(id=1, label="Putin, Lukashenko to hold Supreme State Council meeting",
                  first_seen=day, last_seen=day + timedelta(days=2), article_count=2)
    arts = [Article(id=1, title="Putin, Lukashenko to hold Supreme State Council meeting in "
                    "Moscow on February 26", text="The leaders will meet on February 26.",
                    published=day, source="TASS", lang="en"),
            Article(id=2, title="Putin and Lukashenko pledge joint response at Supreme State "
                    "Council", text="Vladimir Putin and Alexander Lukashenko met on Thursday.",
                    published=day + timedelta(days=2), source="A News", lang="en")]
    sid = linker.link(feat.featurise(event, arts)).storyline_id
    (story,) = [s for s in linker.changed() if s.id == sid]
    assert story.title.startswith("Putin and Lukashenko pledge joint response")
    only_preview = feat.featurise(replace(event, id=2), arts[:1])
    assert only_preview.titles["en"].startswith("Putin, Lukashenko to hold")


def test_link_reasons_name_each_shared_name_once():
    """A person is both an actor key and a name key: the reasons listed "Prigozhin,
    Prigozhin"."""
    feat, linker = EventFeaturiser(), StorylineLinker()
    first = _report(1, "Wagner chief Prigozhin halts march on Moscow",
                    "Yevgeny Prigozhin halted the Wagner Group's march on Moscow.", "en", T0)
    second = _report(2, "Lukashenko says Prigozhin has arrived in Belarus",
                     "Alexander Lukashenko said Yevgeny Prigozhin of the Wagner Group had "
                     "arrived in Belarus.", "en", T0 + timedelta(days=3))
    linker.link(feat.featurise(first[0], [first[1]]))
    reasons = linker.link(feat.featurise(second[0], [second[1]])).reasons
    shared = reasons.get("shared_entities", [])
    assert "Prigozhin" in shared and len(shared) == len(set(shared)), reasons
