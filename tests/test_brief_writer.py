"""Brief bodies from a real SQLite store: sections, citations, versions, related coverage."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from test_brief_fixtures import SID, add_event, build_store, save_storyline

from storyline.brief.cite import CAUSAL
from storyline.brief.render import CONNECTIVES, diff_view, iter_sentences, render, render_diff
from storyline.brief.writer import BriefStage
from storyline.model import Article

# The Derna flood's first report (fictional wording), for the tests of related coverage.
DERNA_DAY = datetime(2023, 9, 12, 9, tzinfo=UTC)
DERNA_FLOOD = Article(id=1, title="Thousands feared dead after floods burst dams in Derna",
                      text="Floods burst two dams above Derna on Monday. Thousands are feared "
                           "dead, officials said.", published=DERNA_DAY, source="Reuters",
                      lang="en")


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path / "s.db")
    yield s
    s.close()


def test_every_section_present_and_every_sentence_cited(store):
    [brief] = BriefStage(store).run()
    body = brief.body
    assert body["version"] == brief.version == 1 and body["storyline_id"] == SID
    for key in ("title", "label", "headline"):
        assert body[key], key
    assert body["lead"] and body["main_event"]["subtitle"] and body["main_event"]["key_points"]
    assert body["developments"] and body["significance"] and body["outlook"] and body["summary"]
    assert all(p["label"] and 1 <= len(p["label"].split()) <= 4
               for p in body["main_event"]["key_points"])
    numbers = [s["n"] for s in body["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    by_n = {s["n"]: s for s in body["sources"]}
    cited = set()
    quotes = 0
    for sentence in iter_sentences(body):
        if sentence.get("note"):  # "the sources hold nothing for this section": no claim
            assert not sentence["cites"]
            continue
        assert sentence["cites"], sentence
        for n in sentence["cites"]:
            article = store.article(by_n[n]["article_id"])
            assert article is not None
            cited.add(n)
        if sentence.get("composed"):  # built from the state of the reports it cites
            continue
        # extractive: the quote is verbatim in the first article it cites (relative days
        # anchored in the shown text only)
        quote = sentence.get("quote", sentence["text"])
        assert quote in store.article(by_n[sentence["cites"][0]]["article_id"]).text
        assert re.sub(r" \((?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4}\)", "", sentence["text"]) == quote
        quotes += 1
    assert cited == set(by_n)  # no uncited source entries
    assert body["grounding"]["checked"] >= quotes
    assert body["grounding"]["dropped"] == 0
    assert body["new_since"] is None
    json.dumps(body)  # storable as-is


def test_sections_hold_their_kind(store):
    body = BriefStage(store).run()[0].body
    assert any("signals" in s["text"] or "warned" in s["text"] for s in body["significance"])
    assert all(re.search(r"\b(will|plans|expected|due|next)\b", s["text"])
               for s in body["outlook"])


def test_related_coverage_is_labelled_and_never_causal(store):
    body = BriefStage(store).run()[0].body
    [related] = [d for d in body["developments"] if d["relation"] == "related"]
    assert related["relatedness"] == pytest.approx(0.22)
    md = render(body, "md")
    line = next(ln for ln in md.splitlines() if "Grain Exports" in ln or "related" in ln)
    # its report names one of the story's countries: said so, and still no cause
    assert "related coverage, relatedness 0.22; the report names Northland" in line
    assert "but states no causal link to this story" in line
    for phrase in CONNECTIVES.values():
        assert not CAUSAL.search(phrase), phrase
    for fmt in ("md", "html"):
        assert not CAUSAL.search(render(body, fmt))  # sources here state no causes either
    # nor is related coverage used for the story's significance or outlook
    assert all(related["event_id"] != s.get("event_id") for s in body["significance"])
    grain_ids = {s["article_id"] for s in body["sources"] if s["source"] == "Farm Report"}
    by_n = {s["n"]: s["article_id"] for s in body["sources"]}
    for name in ("lead", "significance", "outlook", "summary"):
        assert not {by_n[n] for s in body[name] for n in s["cites"]} & grain_ids


def test_the_storys_own_developments_come_before_newer_related_coverage(store):
    developments = BriefStage(store).run()[0].body["developments"]
    relations = [d["relation"] for d in developments]
    assert relations == sorted(relations, key=lambda r: r == "related") and "related" in relations
    # the related report is the newest one: order by date alone would have put it first
    assert max(d["date"] for d in developments) == developments[-1]["date"]


def test_low_link_score_alone_makes_related(tmp_path):
    s = build_store(tmp_path / "s.db", keys=("summit",))
    rows = [{"source": "Coast Post", "date": "2024-03-12T09:00:00Z", "title": "Ferry timetable",
             "text": "The ferry between Kessa and Vella will run twice a day from April. "
                     "Tickets for the ferry are sold at the harbour office in Kessa."}]
    add_event(s, "ferry", rows=rows, link=(0.1, {}))
    save_storyline(s)
    body = BriefStage(s).run()[0].body
    [dev] = [d for d in body["developments"] if d["relatedness"] == pytest.approx(0.1)]
    assert dev["relation"] == "related"
    s.close()


def test_the_lead_opens_with_the_main_events_news_whatever_its_tense(tmp_path):
    """A report's lede tells its news even in the future tense: "Northland will withdraw its
    guards within a month, Venn said on Monday" is what happened that Monday (a brief of
    Russia's 2008 pull-out from Georgia led with a lesser sentence and filed the news under
    Current Status)."""
    rows = [{"source": "Harbor Times", "date": "2024-03-18T16:00:00Z",
             "title": "Northland to pull border guards back within a month",
             "text": "Northland will withdraw its border guards from the Vella crossing within "
                     "a month, President Tobias Venn said on Monday after talks with President "
                     "Ilse Marrow of Eastmark. Venn said the customs protocol signed in Vella "
                     "was irreversible. International talks on the crossing are to open in "
                     "April."}]
    assert _lead(tmp_path, rows).startswith("Northland will withdraw its border guards")


def _lead(tmp_path, rows: list[dict]) -> str:
    """The first lead sentence of the brief of the fixture's storyline with one more event of
    ``rows``, strongly linked."""
    s = build_store(tmp_path / "s.db", keys=("summit",))
    try:
        add_event(s, "news", rows=rows, link=(0.8, {}))
        save_storyline(s)
        return BriefStage(s).run()[0].body["lead"][0]["text"]
    finally:
        s.close()


def test_the_lead_opens_with_a_reports_lede_not_a_detail_that_leans_on_it(tmp_path):
    """A detail from further down a report leans on its lede: "The seven no votes came from
    Northland, …" opened a brief of a UN vote whose lede ("The assembly approved a resolution
    …") the Main Event quoted below it. Where a lede qualifies, it opens the brief."""
    rows = [{"source": "Harbor Times", "date": "2024-03-21T16:00:00Z",
             "title": "Assembly backs 141-7 call for Northland to withdraw from Vella",
             "text": "The regional assembly approved a resolution on Thursday calling for "
                     "Northland to withdraw its border guards from the Vella crossing. "
                     "The seven no votes came from Northland, Eastmark, Kessa and four other "
                     "members of the assembly, while Kessa's neighbours abstained. "
                     "Northland's envoy said the assembly's votes on Vella had no force."},
            {"source": "Vella Post", "date": "2024-03-21T18:00:00Z",
             "title": "Northland loses assembly vote on Vella crossing",
             "text": "Members of the regional assembly voted by 141 to 7 on Thursday to demand "
                     "Northland's withdrawal from the Vella crossing. The no votes came from "
                     "Northland, Eastmark, Kessa and four other members."}]
    assert _lead(tmp_path, rows).startswith(("The regional assembly approved a resolution",
                                             "Members of the regional assembly voted"))


def test_new_version_only_when_events_change_and_diff(store):
    first = BriefStage(store).run()
    assert BriefStage(store).run() == []  # unchanged events: no new version
    new_event = add_event(store, "ratify")
    save_storyline(store)
    [second] = BriefStage(store).run()
    assert second.version == 2 and second.body["version"] == 2
    assert second.body["new_since"] == {"previous_version": 1, "event_ids": [new_event]}
    assert [b.version for b in store.brief_versions(SID)] == [1, 2]
    assert store.brief_version(SID, 1).body == first[0].body  # old versions are kept as written
    assert new_event in second.event_ids and set(first[0].event_ids) < set(second.event_ids)

    diff = diff_view(second.body, first[0].body)
    assert diff["previous_version"] == 1 and [e["event_id"] for e in diff["events"]] == [new_event]
    old_texts = {s["text"] for s in iter_sentences(first[0].body)}
    assert diff["sentences"] and all(s["text"] not in old_texts for s in diff["sentences"])
    assert any("112 votes" in s["text"] for s in diff["sentences"])
    cited = {n for s in diff["sentences"] for n in s["cites"]}
    assert {s["n"] for s in diff["sources"]} == cited
    md = render_diff(diff, "md")
    assert "New since version 1" in md and "112 votes" in md
    assert '<section class="brief-diff"' in render_diff(diff, "html")
    assert json.loads(render_diff(diff, "json"))["events"][0]["event_id"] == new_event
    # the newest development is the main event, and its newest report's title, with that
    # report's day, is the headline
    assert second.body["main_event"]["event_id"] == new_event
    newest = max(store.articles(event_id=new_event), key=lambda a: a.published)
    day = newest.published
    assert second.body["headline"] == f"{day.day} {day:%B %Y}: {newest.title}"


def test_markdown_has_the_seed_shape(store):
    md = render(BriefStage(store).run()[0].body, "md")
    order = ["# Northland–Eastmark customs alignment", "## Main Event: ", "Key points:",
             "- **", "## Broader Context and New Developments",
             "## Significance and Implications", "## Current Status and Future Outlook",
             "## In summary", "## Sources", "1. "]
    positions = [md.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert re.search(r"^- \*\*[^*]+:\*\* .+ \[\d+\]", md, re.M)


def test_html_escapes_article_strings(tmp_path):
    s = build_store(tmp_path / "s.db", keys=("summit",))
    rows = [{"source": "<b>Evil</b>", "date": "2024-03-05T09:00:00Z",
             "url": "javascript:alert(1)", "title": "<script>alert('t')</script> protocol",
             "text": "Northland and Eastmark customs officers met <img src=x onerror=alert(1)> "
                     "at the Vella crossing on Tuesday. The customs protocol was discussed "
                     "by officers from Northland and Eastmark for three hours."}]
    add_event(s, "evil", rows=rows, link=(0.8, {"relation": "development"}))
    save_storyline(s)
    body = BriefStage(s).run()[0].body
    html = render(body, "html")
    assert "<script>" not in html and "<img" not in html and "<b>Evil" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html
    assert re.search(r'<a href="#src-\d+">\[\d+\]</a>', html)
    assert re.search(r'<li id="src-1"><a href="/articles/\d+">', html)
    md = render(body, "md")
    assert "\\<img" in md and "<img" not in md.replace("\\<img", "")
    s.close()


def test_an_outlook_the_newest_reports_have_overtaken_is_not_current():
    """"Will meet on February 26", once reports of February 26 are in, is no longer an outlook;
    the same sentence before that day is."""
    from storyline.brief.classify import OUTLOOK
    from storyline.brief.pool import Unit, overtaken

    said = datetime(2026, 2, 24, 9, tzinfo=UTC)
    unit = Unit("The two presidents will meet in Moscow on February 26.", 1, 1, 0, "TASS", "en",
                said, OUTLOOK)
    assert overtaken(unit, datetime(2026, 2, 26, 18, tzinfo=UTC).timestamp())
    assert not overtaken(unit, datetime(2026, 2, 25, 18, tzinfo=UTC).timestamp())
    undated = Unit("The two presidents will meet again next year.", 1, 1, 1, "TASS", "en",
                   said, OUTLOOK)
    assert not overtaken(undated, datetime(2026, 6, 1, tzinfo=UTC).timestamp())


def test_a_title_in_another_language_gives_way_to_a_report_in_the_brief_language():
    from storyline.brief.sections import Drafter, EventInput
    from storyline.model import Article, Event

    when = datetime(2022, 4, 8, 9, tzinfo=UTC)
    uk = Article(id=1, title="Білорусь затвердила власний перелік «недружніх» країн",
                 text="Уряд Білорусі затвердив перелік іноземних держав. Постанову оприлюднено.",
                 published=when, source="Європейська правда", lang="uk")
    en = Article(id=2, title="Belarus publishes list of 'unfriendly' countries",
                 text="Belarus has approved a list of countries whose actions it regards as "
                      "unfriendly. The list follows a similar step by Moscow in March.",
                 published=when, source="Xinhua", lang="en")
    event = Event(id=7, label=uk.title, first_seen=when, last_seen=when, article_count=2)
    draft = Drafter().draft(uk.title, "", [EventInput(event, [uk, en])])
    assert draft.title == en.title
    english = Drafter().draft(en.title, "", [EventInput(event, [uk, en])])
    assert english.title == en.title  # a title already in the brief language stays
    only_uk = Drafter().draft(uk.title, "", [EventInput(event, [uk])])
    # nothing in the brief language: the headline there is, quoted and marked with its language
    assert only_uk.title == f"“{uk.title}” (in Ukrainian)"


def test_a_newest_development_told_only_in_another_language_is_headlined_with_its_gist():
    """An English brief whose newest development was reported only in Ukrainian says what its
    headline names before quoting it (it gave the Ukrainian headline alone, which tells an
    English reader nothing but the date)."""
    from storyline.brief.sections import Drafter, EventInput
    from storyline.model import Article, Event

    first = datetime(2024, 5, 6, 9, tzinfo=UTC)
    en = Article(id=1, title="Russia to hold drills with tactical nuclear weapons",
                 text="Russia will hold military drills involving tactical nuclear weapons, the "
                      "defence ministry said on Monday. The drills follow statements by Western "
                      "officials.", published=first, source="Reuters", lang="en")
    later = datetime(2024, 5, 21, 9, tzinfo=UTC)
    uk = Article(id=2, title="Росія розпочала перший етап навчань із тактичною ядерною зброєю",
                 text="Міністерство оборони Росії оголосило про початок першого етапу навчань. "
                      "У навчаннях беруть участь ракетні підрозділи.", published=later,
                 source="Радіо Свобода", lang="uk")
    events = [EventInput(Event(id=1, label=en.title, first_seen=first, last_seen=first,
                               article_count=1), [en]),
              EventInput(Event(id=2, label=uk.title, first_seen=later, last_seen=later,
                               article_count=1), [uk])]
    from storyline.brief.state import build_state

    state = build_state(events, {}, related=lambda item: False)
    draft = Drafter().draft(en.title, "", events, state)
    assert draft.headline.endswith(
        f"Russia: drills, nuclear weapons — “{uk.title}” (in Ukrainian)"), draft.headline


def test_a_storyline_with_one_short_report_says_so_in_every_section(tmp_path):
    """Every section is present: where the sources hold nothing for it, one honest line."""
    from storyline.model import Storyline
    from storyline.store.sqlite import SQLiteStore

    s = SQLiteStore(tmp_path / "one.db")
    s.save_storylines([Storyline(id=SID, title="Northland customs")])
    add_event(s, "lone", [{"source": "Harbor Times", "date": "2024-03-01T09:00:00Z",
                           "title": "Northland opens a customs post in Vella",
                           "text": "Northland opened a customs post in Vella on Friday."}],
              link=(1.0, {"new_storyline": True}))
    save_storyline(s)
    body = BriefStage(s).run()[0].body
    s.close()
    assert body["lead"] and not body["lead"][0].get("note")
    [main] = body["main_event"]["sentences"]
    assert main.get("note") and not main["cites"] and "main event" in main["text"]
    for name in ("significance", "outlook"):
        assert body[name] and body[name][0].get("note")


def test_no_link_is_said_only_when_the_report_names_nothing_of_the_story():
    from storyline.brief.render import relation_text

    bare = {"relation": "related", "relatedness": 0.2, "reasons": {"named_in_report": []}}
    named = {"relation": "related", "relatedness": 0.2,
             "reasons": {"named_in_report": ["Northland"]}}
    assert "no link between them is stated" in relation_text(bare)
    assert "no link" not in relation_text(named) and "names Northland" in relation_text(named)


def test_a_development_quoted_from_weeks_later_is_dated_as_reported(store):
    """An event the clusterer grew by a later happening: what the bullet quotes was reported
    weeks after the event's first report, so the bullet carries that later date."""
    add_event(store, "late", [
        {"source": "Harbor Times", "date": "2024-01-20T09:00:00Z", "title": "Share this",
         "text": "Share this article."},
        {"source": "Eastmark Daily", "date": "2024-02-22T09:00:00Z",
         "title": "Eastmark adds two ports to the restricted list",
         "text": "Eastmark added the ports of Salt and Varra to the joint list of restricted "
                 "trading partners on Thursday. Customs officers in Vella began checking "
                 "cargo from both ports the same day."}],
        link=(0.6, {"score": 0.6}))
    save_storyline(store)
    body = BriefStage(store).run()[0].body
    [late] = [d for d in body["developments"] if "Salt" in " ".join(
        s["text"] for s in d["sentences"])]
    assert late["date"] == "2024-02-22"
    dates = [d["date"] for d in body["developments"] if d["relation"] != "related"]
    assert dates == sorted(dates, reverse=True)  # newest first, by the dates shown


def test_a_title_from_related_coverage_gives_way_to_the_main_event():
    """The linker may make a weakly linked event the storyline's representative; the brief files
    it as related coverage, so its headline does not title the brief: the main event's does."""

    from storyline.brief.sections import Drafter, EventInput
    from storyline.model import Article, Event

    day, flood = DERNA_DAY, DERNA_FLOOD
    wmo = Article(id=2, title="UN weather agency says most Derna deaths could have been avoided",
                  text="Most deaths could have been avoided with working warnings, the WMO said. "
                       "The agency spoke in Geneva.", published=day.replace(day=14),
                  source="AP", lang="en")
    main = EventInput(Event(id=1, label=flood.title, first_seen=day, last_seen=day,
                            article_count=1), [flood], score=1.0)
    weak = EventInput(Event(id=2, label=wmo.title, first_seen=wmo.published,
                            last_seen=wmo.published, article_count=1), [wmo], score=0.15)
    assert Drafter().draft(wmo.title, "", [main, weak]).title == flood.title
    strong = EventInput(weak.event, [wmo], score=0.6)  # a development may title it
    assert Drafter().draft(wmo.title, "", [main, strong]).title == wmo.title


def test_the_storylines_label_is_not_a_key_points_label():
    """Key points are labelled one by one; the brief's short label stays the storyline's."""
    from storyline.brief.sections import Drafter, EventInput
    from storyline.model import Article, Event

    day = datetime(2022, 3, 8, 9, tzinfo=UTC)
    text = ("McDonald's said on Tuesday it would temporarily close its 850 restaurants in Russia. "
            "The company will keep paying its 62,000 employees in Russia. "
            "Chief executive Chris Kempczinski said the company could not ignore the needless "
            "human suffering in Ukraine. A list kept by researchers at the Yale School of "
            "Management counts several hundred firms that have curtailed business in Russia. "
            "Coca-Cola, PepsiCo and Starbucks announced similar steps on the same day.")
    report = Article(id=1, title="McDonald's to temporarily close its restaurants in Russia",
                     text=text, published=day, source="Reuters", lang="en")
    event = EventInput(Event(id=1, label=report.title, first_seen=day, last_seen=day,
                             article_count=1), [report])
    draft = Drafter().draft(report.title, "Russia, United States", [event])
    assert draft.key_points  # labelled points, none of which may become the brief's label
    assert draft.label == "Russia, United States"


def test_the_main_event_is_named_by_a_headline_not_a_detail(tmp_path):
    """One development, so the brief's headline is its newest report's: the main event is named
    by its other report's headline, not by a phrase its sentences repeat ("Needless Human
    Suffering", which tells a detail of the closure, not the closure)."""
    from storyline.model import Storyline
    from storyline.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "one.db")
    store.save_storylines([Storyline(id=SID, title="Kessa Foods closes its Eastmark stores")])
    add_event(store, "close", [
        {"source": "Harbor Times", "date": "2024-03-08T09:00:00Z",
         "title": "Kessa Foods to close its 300 stores in Eastmark",
         "text": "Kessa Foods said on Friday it would temporarily close all of its 300 stores in "
                 "Eastmark because of the border war, while continuing to pay its 9,000 "
                 "employees there. Chief executive Ada Lorne told staff the company could not "
                 "ignore the needless human suffering caused by the war. The needless human "
                 "suffering had to end, she said. A list kept by researchers at the Vella School "
                 "of Management already counted several hundred firms that had curtailed "
                 "business in Eastmark."},
        {"source": "Eastmark Daily", "date": "2024-03-08T15:00:00Z",
         "title": "Kessa Foods shuts Eastmark stores over border war",
         "text": "Northland retailer Kessa Foods will shut its Eastmark stores, its chief "
                 "executive said on Friday, citing the needless human suffering of the border "
                 "war. Other Northland chains announced suspensions of their own on the same "
                 "day."}],
        link=(1.0, {"relation": "development", "founding": True}))
    save_storyline(store)
    body = BriefStage(store).run()[0].body
    store.close()
    assert body["headline"].endswith("Kessa Foods shuts Eastmark stores over border war")
    assert body["main_event"]["subtitle"] == "Kessa Foods to close its 300 stores in Eastmark"


def test_a_sentence_that_points_back_does_not_follow_another_reports():
    """The lead's second sentence comes from another development: one opening with a pronoun or
    a definite description that names nothing would read as about the first one's subject."""
    from storyline.brief.pool import points_back

    for leans in ("The list, set out in a government order dated March 5, names the US.",
                  "The 39 states on the list are the 27 members of the European Union.",
                  "Most of the deaths were in the two towns.", "It gives effect to a decree."):
        assert points_back(leans), leans
    for stands in ("Moscow on Monday published a list of countries.",
                   "The presidents of Northland and Eastmark signed a customs protocol.",
                   "The Russian government said the list would grow."):
        assert not points_back(stands), stands


def test_an_event_the_linker_linked_is_a_development_not_related_coverage():
    """The linker links an event to a storyline at 0.2 and files weaker ones as related
    coverage; the brief keeps to that line. An event linked at 0.3 (the Derna detentions, the
    Olympics opening ceremony) is a development of the story, not a report that "states no
    causal link" to it; one under 0.2 is related coverage."""

    from storyline.brief.sections import Drafter, EventInput
    from storyline.model import Article, Event

    day, flood = DERNA_DAY, DERNA_FLOOD
    held = Article(id=2, title="Libya detains eight officials over Derna dam collapse",
                   text="Libya's chief prosecutor ordered the detention of eight officials over "
                        "the collapse of the dams above Derna on Monday. Prosecutors questioned "
                        "officials of the water authority over suspected negligence. Derna's "
                        "mayor was among those questioned.",
                   published=day.replace(day=25), source="AP", lang="en")
    main = EventInput(Event(id=1, label=flood.title, first_seen=day, last_seen=day,
                            article_count=5), [flood], score=1.0)  # the main event
    for score, relation in ((0.3, "development"), (0.15, "related")):
        later = EventInput(Event(id=2, label=held.title, first_seen=held.published,
                                 last_seen=held.published, article_count=1), [held],
                           score=score)
        draft = Drafter().draft(flood.title, "", [main, later])
        [dev] = [d for d in draft.developments if d.event_id == 2]
        assert dev.relation == relation, score


def test_key_actors_are_the_storys_not_its_related_coverage(tmp_path):
    """A report filed as related coverage is not the story: the actors its records name are
    not the story's key actors (a media storyline's key actors listed Lukashenko twelve times,
    from a related report of his talks with Putin)."""
    from storyline.model import EventRecord

    s = build_store(tmp_path / "s.db", keys=("summit",))
    rows = [{"source": "Coast Post", "date": "2024-03-12T09:00:00Z", "title": "Ferry timetable",
             "text": "The ferry between Kessa and Vella will run twice a day from April. "
                     "Tickets for the ferry are sold at the harbour office in Kessa."}]
    ferry = add_event(s, "ferry", rows=rows, link=(0.1, {}))
    [article] = s.articles(event_id=ferry)
    s.add_event_records([EventRecord(
        article_id=article.id, event_id=ferry, source_actor="PERSON:ferry_master",
        event_type="CONSULT", target_actor="PERSON:harbour_chief", intensity=1.0,
        date=datetime(2024, 3, 12, tzinfo=UTC), sentence="s",
        meta={"source_text": "Ferry Master Olin", "target_text": "Harbour Chief Brann"})])
    save_storyline(s)
    body = BriefStage(s).run()[0].body
    assert any(d["relation"] == "related" for d in body["developments"])
    names = {a["name"] for a in body.get("key_actors") or []}
    assert not names & {"Ferry Master Olin", "Harbour Chief Brann"}
    s.close()


def test_key_actors_the_gazetteer_does_not_know_are_named_as_written(store):
    """The coder keeps a name the gazetteer lacks under an id of its own
    ("PERSON:calin_georgescu"); the brief's key actors name it as the reports wrote it, once,
    and leave out what does not read as a name (a capitalised word opening a sentence, a role)
    and the news agency that reported it."""
    from storyline.model import EventRecord

    # the summit, a development of the story (its related coverage's actors are not the story's)
    event_id = next(e.id for e in store.events(storyline_id=SID)
                    if e.label.startswith("Northland and Eastmark sign"))
    articles = store.articles(event_id=event_id)
    store.add_event_records([
        EventRecord(article_id=articles[0].id, event_id=event_id, source_actor="NLD.GOV",
                    event_type="ACCUSE", target_actor=f"PERSON:{key}", intensity=-2.0,
                    date=datetime(2024, 3, 1, tzinfo=UTC), sentence="s", meta={"target_text": text})
        for key, text in (("ada_lorne", "Ada Lorne"), ("ada_lorne", "Ada Lorne"),
                          ("the_vella_bridge", "the Vella Bridge"), ("turnout", "Turnout"),
                          ("global_head", "Global Head"), ("reuters", "Reuters"))])
    body = BriefStage(store).run()[0].body
    names = [a["name"] for a in body["key_actors"]]
    assert "Ada Lorne" in names and "Vella Bridge" in names
    assert not {"Turnout", "Global Head", "Reuters"} & set(names)
    assert not any(n.startswith("PERSON:") for n in names) and len(set(names)) == len(names)


def test_strategic_as_a_kind_of_weapon_is_not_an_assessment():
    """"Non-strategic nuclear weapons" names a weapon: the lede of the drills' report is the
    news, and belongs in the brief's lead, not under "Significance and Implications"."""
    from storyline.brief.classify import ASSESSMENT, FACT, SentenceClassifier

    c = SentenceClassifier()
    assert c.classify("Russia and Belarus began the second stage of exercises on Tuesday to "
                      "train their forces in the use of non-strategic nuclear weapons, the "
                      "Defence Ministry said.").label == FACT
    assert c.classify("Putin watched a drill of the strategic nuclear forces.").label == FACT
    assert c.classify("The deal marks a strategic shift for Moscow.").label == ASSESSMENT
    assert c.classify("It is a strategic gamble, critics say.").label == ASSESSMENT


def test_a_bullet_quotes_a_pronouns_antecedent_before_it_or_leaves_it_out():
    """"He said Putin had confirmed …" quoted alone named nobody (the report's lede, naming
    Fico, was quoted in the brief's lead): the sentence before it, which names him, is quoted
    first; when that one is quoted elsewhere already, the pronoun's sentence is left out."""
    from storyline.brief.classify import FACT, OUTLOOK
    from storyline.brief.pool import SentencePool, Unit
    from storyline.brief.sections import Drafter

    day = datetime(2024, 12, 22, 18, tzinfo=UTC)
    units = [Unit(text, 7, 2, n, "AP", "en", day, label) for n, (text, label) in enumerate([
        ("Slovak Prime Minister Robert Fico held talks with Vladimir Putin in the Kremlin.",
         FACT),
        ("Fico said the talks were mainly about gas, as Ukraine will not extend the transit "
         "contract.", OUTLOOK),
        ("He said Putin had confirmed Russia was still willing to supply gas to Slovakia.",
         FACT)])]
    pool = SentencePool(units)
    pool.used = [0, 2]  # the lede in the lead, the pronoun's sentence picked for the bullet
    assert Drafter._with_antecedents(pool, [2], [0, 1, 2]) == [1, 2]
    assert sorted(pool.used) == [0, 1, 2]
    pool.used = [0, 1, 2]  # its antecedent quoted elsewhere already
    assert Drafter._with_antecedents(pool, [2], [0, 1, 2]) == []
    assert 2 not in pool.used


def test_the_summary_dates_the_newest_development_by_the_report_it_names():
    """The newest development was reported only in other languages, by РИА Новости on the 13th
    and Суспільне on the 14th: the summary names РИА's report, so it says the 13th, as the
    brief's headline does (it said the 14th, the later report's day)."""
    from storyline.brief.sections import Drafter, EventInput
    from storyline.brief.state import build_state
    from storyline.model import Article, Event

    day = datetime(2022, 1, 6, 9, tzinfo=UTC)
    en = Article(id=1, title="Russia-led bloc to send troops to Kazakhstan",
                 text="A Russian-led military alliance agreed on Thursday to send troops to "
                      "Kazakhstan. Protests began over a rise in fuel prices.",
                 published=day, source="Reuters", lang="en")
    ru = Article(id=2, title="Миротворцы ОДКБ начали покидать Казахстан",
                 text="В Алма-Ате в четверг завершилась миротворческая операция ОДКБ.",
                 published=datetime(2022, 1, 13, 12, tzinfo=UTC), source="РИА Новости",
                 lang="ru")
    uk = Article(id=3, title="Війська ОДКБ почали виходити з Казахстану",
                 text="У четвер в Алмати завершили миротворчу операцію ОДКБ.",
                 published=datetime(2022, 1, 14, 8, tzinfo=UTC), source="Суспільне", lang="uk")
    items = [EventInput(Event(id=1, label=en.title, first_seen=day, last_seen=day,
                              article_count=1), [en]),
             EventInput(Event(id=2, label=ru.title, first_seen=ru.published,
                              last_seen=uk.published, article_count=2), [ru, uk])]
    state = build_state(items, {}, lambda item: False)
    draft = Drafter().draft(en.title, "", items, state)
    summary = " ".join(s.text for s in draft.summary)
    assert "The newest, on 13 January 2022" in summary, summary
    assert "14 January" not in summary
