"""Tracked storylines (storyline.cluster.tracked): matching by actors, terms and automatic
storylines; scores and reasons; idempotent, incremental re-runs; the store's view of a tracked
id; the list finding of its brief."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storyline.brief.writer import BriefStage
from storyline.cluster.tracked import (
    MATCH,
    RELATED,
    Definition,
    EventData,
    Matcher,
    TrackedError,
    TrackingStage,
    create_tracked,
    list_findings,
    term_pattern,
)
from storyline.model import Article, Event, EventRecord, Storyline
from storyline.pipeline import STAGES
from storyline.store.sqlite import SQLiteStore, is_tracked_id

T0 = datetime(2022, 3, 7, 12, tzinfo=UTC)
TERMS = ["unfriendly", "недружеств", "недружн"]


def _record(source: str, target: str | None, etype: str = "SANCTION", day: int = 0
            ) -> EventRecord:
    return EventRecord(source, etype, target, -5.0, date=T0 + timedelta(days=day))


def _data(titles: list[str], texts: list[str], records: list[EventRecord],
          storyline: str = "sl1", link: dict | None = None) -> EventData:
    event = Event(id=1, label=titles[0], first_seen=T0, storyline_id=storyline)
    arts = [Article(title=t, text=x, id=i + 1) for i, (t, x) in enumerate(zip(titles, texts,
                                                                            strict=True))]
    return EventData(event, arts, records, link or {})


def matcher(**kw: list[str]) -> Matcher:
    return Matcher(Definition("t1", "Russia–Belarus push", kw.get("actors", []),
                              kw.get("terms", []), kw.get("from_storylines", [])))


# -- matching ------------------------------------------------------------------------------------
def test_term_pattern_matches_word_beginnings_in_any_script_case_insensitively() -> None:
    pattern = term_pattern(TERMS)
    assert pattern is not None
    text = "Russia's UNFRIENDLY list; перечень недружественных стран; «недружніх» країн"
    assert [m.group(0) for m in pattern.finditer(text)] == [
        "UNFRIENDLY", "недружественных", "недружніх"]
    assert not pattern.search("the friendly talks")  # inside a word is not a beginning
    assert term_pattern(["  ", ""]) is None


def test_actors_compare_by_country_and_a_list_counts_for_its_government() -> None:
    m = matcher(actors=["RUS", "BLR"], terms=TERMS)
    both = _data(["Putin and Lukashenko pledge response to 'unfriendly countries'"], [""],
                 [_record("PERSON:putin", "BLR.GOV", "AGREE")])
    score, reasons = m.match(both)  # type: ignore[misc]
    assert score == 1.0 and reasons["actors"] == 1.0 and reasons["terms"] == 1.0
    assert reasons["actor_ids"] == ["RUS", "BLR"]
    assert reasons["shared_entities"] == ["Russia", "Belarus"]
    assert reasons["shared_actors"] == 2.0 and "relation" not in reasons
    # Belarus's own list as a target counts for Belarus (not its members)
    listed = _data(["Belarus publishes list of 'unfriendly' countries"], [""],
                   [_record("BLR.GOV", "LIST:BY-CoM-2022")])
    score, reasons = m.match(listed)  # type: ignore[misc]
    assert score == 0.75 and reasons["actor_ids"] == ["BLR"]


def test_a_term_only_in_the_text_is_related_coverage() -> None:
    m = matcher(actors=["RUS", "BLR"], terms=TERMS)
    passing = _data(["Russia takes control of Danone unit"],
                    ["The decree covers assets of companies from unfriendly states."],
                    [_record("RUS.GOV", "FRA", "SEIZE")])
    score, reasons = m.match(passing)  # type: ignore[misc]
    assert RELATED <= score < MATCH and reasons["relation"] == "related"
    assert reasons["terms"] == 0.5 and reasons["shared_terms"] == ["unfriendly"]


def test_both_parts_are_needed_when_both_are_defined() -> None:
    m = matcher(actors=["RUS", "BLR"], terms=TERMS)
    no_terms = _data(["Putin meets Lukashenko"], ["Talks in Minsk."],
                     [_record("RUS", "BLR", "CONSULT")])
    no_actors = _data(["Japan lists 'unfriendly' acts"], [""], [_record("JPN", "CHN")])
    uncoded = _data(["'Unfriendly' states named"], [""], [])
    assert m.match(no_terms) is None and m.match(no_actors) is None
    assert m.match(uncoded) is None


def test_an_event_of_a_from_storyline_keeps_its_automatic_link() -> None:
    m = matcher(from_storylines=["sl3"])
    link = {"score": 0.44, "reasons": {"score": 0.44, "shared_entities": ["Gazprom"],
                                       "relation": "related"}}
    data = _data(["Gas for roubles"], [""], [], storyline="sl3", link=link)
    score, reasons = m.match(data)  # type: ignore[misc]
    assert score == 0.44 and reasons["relation"] == "related"
    assert reasons["shared_entities"] == ["Gazprom"] and reasons["from_storyline"] is True
    assert reasons["storyline"] == "sl3" and reasons["storyline_score"] == 0.44
    assert m.match(_data(["Gas"], [""], [], storyline="sl4")) is None


def test_an_event_naming_many_states_of_a_list_the_terms_name_is_related_coverage() -> None:
    m = matcher(actors=["RUS", "BLR"], terms=TERMS)
    assert m.term_lists == ["BY-CoM-2022", "RU-430-r", "RU-dipl-1230-r"]  # "unfriendly" lists
    many = ("Citizens of Germany, France, Italy, Spain, Poland, Lithuania, Latvia, Estonia, "
            "Sweden, Finland, Denmark and the Netherlands may enter without a visa.")
    visa = _data(["Belarus opens visa-free entry to citizens of 35 European countries"],
                 [many], [_record("BLR.GOV", "EU", "EASE")])
    visa.event.first_seen = datetime(2024, 7, 18, tzinfo=UTC)  # Belarus's list holds 39 then
    score, reasons = m.match(visa)  # type: ignore[misc]
    assert score == 0.5 and reasons["relation"] == "related" and reasons["terms"] == 0.5
    listed = reasons["list_states"]["BY-CoM-2022"]
    assert listed["of"] == 39 and {"DEU", "POL", "LTU"} <= set(listed["named"])
    assert len(listed["named"]) == 12 and listed["name"].startswith("Belarus: ")
    # a few of the listed states are not the listed states as a group
    few = _data(["Belarus and Poland discuss border crossings"],
                ["Poland, Lithuania and Latvia closed crossings."], [_record("BLR", "POL")])
    few.event.first_seen = visa.event.first_seen
    assert m.match(few) is None
    # nor are many states without one of the tracked actors
    assert m.match(_data(["Visa-free entry"], [many], [_record("TUR", "EU")])) is None


# -- the stage over a store ----------------------------------------------------------------------
def _event(store: SQLiteStore, storyline: str, day: int, title: str, text: str,
           records: list[tuple[str, str | None]], lang: str = "en") -> int:
    when = T0 + timedelta(days=day)
    with store.transaction():
        aid = store.add_article(Article(title=title, text=text, published=when, lang=lang,
                                        source=f"Outlet {day}", content_hash=f"h{day}-{title}"))
        eid = store.new_event_id()
        store.assign_events([(aid, eid)])
        store.save_events([Event(id=eid, label=title, first_seen=when, last_seen=when,
                                 article_count=1, sources=[f"Outlet {day}"], languages=[lang],
                                 representative_id=aid)])
        if store.storyline(storyline) is None:
            store.save_storylines([Storyline(storyline, title=title, first_seen=when,
                                             last_seen=when, event_count=1, article_count=1)])
        store.link_event(eid, storyline, 0.5, {"score": 0.5, "shared_terms": ["list"]})
        store.add_event_records([EventRecord(s, "SANCTION", t, -5.0, date=when, article_id=aid,
                                             event_id=eid, sentence=title)
                                 for s, t in records])
    return eid


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "tracked.db")
    _event(s, "sl1", 0, "Russia publishes list of 'unfriendly' countries",
           "Moscow named 48 states and territories.", [("RUS.GOV", "LIST:RU-430-r")])
    _event(s, "sl1", 32, "Belarus publishes list of 'unfriendly' countries",
           "Minsk named 39 states.", [("BLR.GOV", "LIST:BY-CoM-2022")])
    _event(s, "sl2", 40, "Grain talks resume in Istanbul", "Talks on grain exports.",
           [("TUR", "UKR")])
    yield s
    s.close()


def test_tracked_id_is_a_storyline_whose_events_come_from_tracked_links(store: SQLiteStore
                                                                       ) -> None:
    made = create_tracked(store, "  Russia–Belarus push  ", actors=["RUS", "Belarus"],
                          terms=TERMS)
    assert made["id"] == "t1" and is_tracked_id("t1") and not is_tracked_id("sl1")
    assert made["title"] == "Russia–Belarus push" and made["actors"] == ["RUS", "BLR"]
    assert made["links"] == 2 and made["brief_version"] == 1
    events = store.events(storyline_id="t1")
    assert sorted(e.id for e in events) == [1, 2]
    assert {e.storyline_id for e in events} == {"sl1"}  # events keep their automatic storyline
    links = store.storyline_links("t1")
    assert [link["event_id"] for link in links] == [1, 2]
    assert all(link["reasons"]["tracked"] == "t1" for link in links)
    assert len(store.storyline_links("sl1")) == 2  # the automatic links are untouched
    s = store.storyline("t1")
    assert s is not None and s.event_count == 2 and s.label.startswith("tracked: RUS, BLR")
    assert s.first_seen == T0 and s.state == {"tracked": True}
    assert store.tracked_storyline("t1")["events"] == 2  # type: ignore[index]
    # web page queries follow the tracked links too
    assert sum(n for _, n in store.storyline_article_days("t1")) == 2
    counts = store.storyline_actor_counts("t1")
    assert {a["id"] for a in counts["actors"]} == {"RUS.GOV", "BLR.GOV", "LIST:RU-430-r",
                                                   "LIST:BY-CoM-2022"}
    assert store.storyline_activity(["t1", "sl2"], None)["t1"]["events"] == 2
    assert len(store.storyline_event_days(["t1"])["t1"]) == 2


def test_rerunning_adds_nothing_and_new_events_join_incrementally(store: SQLiteStore) -> None:
    create_tracked(store, "Russia–Belarus push", actors=["RUS", "BLR"], terms=TERMS)
    stage = TrackingStage(store)
    first = stage.run()
    before = store.storyline_links("t1")
    assert first["tracked_links"] == 0  # creation gathered them already
    assert TrackingStage(store).run()["tracked_links"] == 0
    assert store.storyline_links("t1") == before  # same links, scores, reasons and times
    _event(store, "sl3", 200, "Кабмин расширил список недружественных стран",
           "Бермуды внесены в перечень.", [("RUS.GOV", "LIST:RU-430-r")], lang="ru")
    _event(store, "sl2", 201, "Grain deal extended", "Grain exports go on.", [("TUR", "UKR")])
    assert TrackingStage(store).run()["tracked_links"] == 1
    assert [link["event_id"] for link in store.storyline_links("t1")] == [1, 2, 4]
    assert TrackingStage(store).run()["tracked_links"] == 0
    assert store.storyline("t1").event_count == 3  # type: ignore[union-attr]


def test_the_pipeline_runs_tracking_between_storylines_and_briefs() -> None:
    assert STAGES.index("storylines") < STAGES.index("tracked") < STAGES.index("briefs")


def test_brief_of_a_tracked_storyline_states_that_both_lists_hold_the_same_states(
        store: SQLiteStore) -> None:
    create_tracked(store, "Russia–Belarus push", actors=["RUS", "BLR"], terms=TERMS)
    findings = list_findings(store, Definition("t1", "", ["RUS", "BLR"]), [1, 2])
    assert len(findings) == 1
    f = findings[0]
    assert f.actors == ("RUS", "BLR") and f.lists == ("RU-430-r", "BY-CoM-2022")
    assert {"POL", "LTU", "LVA", "USA"} <= set(f.common) and len(f.common) == f.sizes[1]
    body = store.brief_version("t1").body  # type: ignore[union-attr]
    first = body["significance"][0]
    assert first["text"].startswith("Both governments listed the same states: all ")
    assert first["composed"] and len(first["cites"]) == 2
    cited = {s["n"]: s["article_id"] for s in body["sources"]}
    assert {cited[n] for n in first["cites"]} == {1, 2}  # the reports of both lists
    assert body["findings"][0]["lists"] == ["LIST:RU-430-r", "LIST:BY-CoM-2022"]
    # an automatic storyline's brief is left as the writer made it
    BriefStage(store).run(storyline_ids=["sl1"], force=True)
    assert "findings" not in store.brief_version("sl1").body  # type: ignore[union-attr]


def test_definitions_that_cannot_be_used_are_refused(store: SQLiteStore) -> None:
    for kwargs, message in (
        ({}, "give actors, terms or storylines"),
        ({"actors": ["Narnia"]}, "unknown actor 'Narnia'"),
        ({"terms": ["un"]}, "at least 3 characters"),
        ({"from_storylines": ["sl9"]}, "no automatic storyline 'sl9'"),
    ):
        with pytest.raises(TrackedError, match=message):
            create_tracked(store, "A title", **kwargs)
    with pytest.raises(TrackedError, match="needs a title"):
        create_tracked(store, "  ", terms=TERMS)
    assert store.tracked_storylines() == []


def test_untracking_removes_it_and_ids_are_not_reused(store: SQLiteStore) -> None:
    create_tracked(store, "One", terms=TERMS)
    made = create_tracked(store, "Two", from_storylines=["sl2"])
    assert made["id"] == "t2" and store.storyline_links("t2")[0]["reasons"]["from_storyline"]
    with pytest.raises(TrackedError, match="no automatic storyline 't1'"):
        create_tracked(store, "Three", from_storylines=["t1"])
    assert store.remove_tracked("t1") and not store.remove_tracked("t1")
    assert store.storyline("t1") is None and store.brief_versions("t1") == []
    assert store.events(storyline_id="t1") == [] and store.storyline_links("t1") == []
    assert len(store.storyline_links("sl1")) == 2
    assert create_tracked(store, "Four", terms=TERMS)["id"] == "t3"
    assert [t["id"] for t in store.tracked_storylines()] == ["t2", "t3"]


def test_an_event_merged_away_leaves_the_tracked_storyline(store: SQLiteStore) -> None:
    create_tracked(store, "Lists", terms=TERMS)
    store.merge_events(2, 1)
    assert [link["event_id"] for link in store.storyline_links("t1")] == [1]


# -- PostgreSQL ----------------------------------------------------------------------------------
def test_tracked_storylines_on_postgresql(postgres_url: str) -> None:
    """The same statements through the PostgreSQL store; a version-4 database gets the tables."""
    from storyline.store.postgres import PostgresStore

    store = PostgresStore(postgres_url)
    try:
        _event(store, "sl1", 0, "Russia publishes list of 'unfriendly' countries", "",
               [("RUS.GOV", "LIST:RU-430-r")])
        _event(store, "sl1", 32, "Belarus publishes list of 'unfriendly' countries", "",
               [("BLR.GOV", "LIST:BY-CoM-2022")])
        made = create_tracked(store, "Lists", actors=["RUS", "BLR"], terms=TERMS)
        assert made["id"] == "t1" and made["links"] == 2 and made["brief_version"] == 1
        assert [link["event_id"] for link in store.storyline_links("t1")] == [1, 2]
        assert len(store.events(storyline_id="t1")) == 2
        assert TrackingStage(store).run()["tracked_links"] == 0
        assert store.storyline_article_days("t1") and store.storyline_actor_counts("t1")["pairs"]
        assert store.pair_series("RUS", None, storyline_id="t1")
        assert store.brief_version("t1").body["findings"]  # type: ignore[union-attr]
        assert store.tracked_storylines()[0]["events"] == 2
        assert store.remove_tracked("t1") and store.storyline("t1") is None
        # a database made before tracked storylines (schema version 4) is brought up to date
        store.db.conn.execute("DROP TABLE tracked_links; DROP TABLE tracked_storylines; "
                              "UPDATE storyline_schema SET version = 4")
    finally:
        store.close()
    again = PostgresStore(postgres_url)
    try:
        assert again.schema_version == 5 and again.tracked_storylines() == []
    finally:
        again.close()


def _decree(s: SQLiteStore) -> int:
    """A March decree no tracked term matches (storyline sl5, day 0)."""
    return _event(s, "sl5", 0, "Putin eases residency for foreigners who reject Western values",
                  "Vladimir Putin has signed a decree easing residency rules.",
                  [("PERSON:putin", None)])


def _listing(s: SQLiteStore) -> int:
    """The list a month later, which names the unfriendly list and the March decree."""
    return _event(s, "sl5", 30, "Russia names 47 countries",
                  "The list implements Putin's March decree and tracks the unfriendly list.",
                  [("RUS.GOV", "USA")])


def test_a_development_a_gathered_report_refers_back_to_is_gathered_with_the_phrase(
        tmp_path: Path) -> None:
    s = SQLiteStore(tmp_path / "refs.db")
    decree = _decree(s)
    _event(s, "sl5", 3, "Putin meets governors", "Vladimir Putin met governors in March.",
           [("PERSON:putin", None)])  # the same month, but no decree: not what is referred to
    # the same month and the act's word, but the storyline's related coverage, not one of its
    # developments: "the list Moscow published in March" gathered McDonald's closure beside it
    coverage = _event(s, "sl5", 4, "Carmaker leaves Russia",
                      "Putin's decree on exits worries the carmaker.", [("PERSON:putin", None)])
    s.link_event(coverage, "sl5", 0.15, {"score": 0.15, "relation": "related"})
    listing = _listing(s)
    made = create_tracked(s, "Russia–Belarus push", actors=["RUS", "BLR"], terms=TERMS)
    links = {link["event_id"]: link for link in s.storyline_links("t1")}
    assert set(links) == {decree, listing} and made["links"] == 2
    reasons = links[decree]["reasons"]
    assert links[decree]["score"] == RELATED and reasons["relation"] == "related"
    assert reasons["referred_by"] == listing and reasons["reference"] == "Putin's March decree"
    assert TrackingStage(s).run()["tracked_links"] == 0  # idempotent
    s.close()


def test_a_later_report_referring_back_gathers_the_earlier_development_incrementally(
        tmp_path: Path) -> None:
    s = SQLiteStore(tmp_path / "later.db")
    decree = _decree(s)
    create_tracked(s, "Russia–Belarus push", actors=["RUS", "BLR"], terms=TERMS)
    assert s.storyline_links("t1") == []  # alone, the decree is not the tracked story
    listing = _listing(s)
    assert TrackingStage(s).run()["tracked_links"] == 2
    assert [link["event_id"] for link in s.storyline_links("t1")] == [decree, listing]
    s.close()
