"""A small storyline store for the brief tests (and a check that it is what they assume).

The reports are invented for these tests (fictional states Northland and Eastmark), written for
the project; no outlet's text is used. ``build_store`` fills a real SQLite file the way the
storyline stage will: events, a storyline, links with scores and reasons, articles per event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storyline.dedupe import content_hash
from storyline.model import Article, Event, Storyline
from storyline.store.sqlite import SQLiteStore

SID = "S-northland-eastmark"

ARTICLES: dict[str, list[dict]] = {
    # event key -> reports
    "summit": [
        {"source": "Harbor Times", "date": "2024-03-01T09:00:00Z",
         "title": "Northland and Eastmark sign customs protocol in Vella",
         "text": "The presidents of Northland and Eastmark signed a customs protocol in Vella on "
                 "Friday, creating a joint list of restricted trading partners. The protocol "
                 "obliges both customs services to share data on goods crossing their 640 km "
                 "border. Officials said banks must report payments to listed states within ten "
                 "days. Analysts said the agreement signals a closer alignment of the two "
                 "economies. The joint council is expected to review the list again in June."},
        {"source": "Eastmark Daily", "date": "2024-03-01T11:00:00Z",
         "title": "Vella summit ends with protocol and security pledge",
         "text": "President Ilse Marrow of Eastmark and President Tobias Venn of Northland "
                 "agreed to hold joint border patrols from May. The two leaders also pledged to "
                 "exchange intelligence on smuggling networks along the border. The customs "
                 "protocol creates a joint list of restricted trading partners, officials said. "
                 "Critics warned that the joint list could complicate trade with neighbouring "
                 "states."},
        {"source": "Northland Wire", "date": "2024-03-01T15:30:00Z",
         "title": "Venn: protocol protects our markets",
         "text": "Tobias Venn told reporters in Vella that the protocol would protect domestic "
                 "markets from dumping. Exporters in Northland asked for a transition period of "
                 "six months before the reporting rules apply. A working group of diplomats "
                 "will prepare proposals for the next council meeting."},
    ],
    "list": [
        {"source": "Harbor Times", "date": "2024-03-10T08:00:00Z",
         "title": "Joint list names 14 restricted partners",
         "text": "Northland and Eastmark published their joint list of restricted trading "
                 "partners on Sunday, naming 14 states. Companies trading with listed states "
                 "must file quarterly reports with customs. The list will be updated every "
                 "quarter, the council secretariat said."},
        {"source": "Eastmark Daily", "date": "2024-03-10T12:00:00Z",
         "title": "Restricted partners list published",
         "text": "The council secretariat released the joint list of restricted trading "
                 "partners, which names 14 states. Importers in Eastmark said the rules "
                 "raise costs for small firms. The secretariat plans to publish guidance for "
                 "banks next month."},
    ],
    "grain": [
        {"source": "Farm Report", "date": "2024-03-15T07:00:00Z",
         "title": "Northland grain exports rise",
         "text": "Grain exports from Northland rose by 12 percent in February, the farm "
                 "ministry said. Most of the shipments left through the port of Kessa. Farmers "
                 "reported a strong winter wheat harvest in the southern provinces."},
    ],
    "ratify": [
        {"source": "Northland Wire", "date": "2024-04-02T10:00:00Z",
         "title": "Eastmark parliament ratifies customs protocol",
         "text": "The parliament of Eastmark ratified the customs protocol with Northland on "
                 "Tuesday by 112 votes to 31. The protocol enters into force on May 1. Opposition "
                 "deputies said the vote marks a turning point for the country's trade policy."},
        {"source": "Harbor Times", "date": "2024-04-02T13:00:00Z",
         "title": "Eastmark lawmakers back protocol",
         "text": "Lawmakers in Eastmark backed the customs protocol with Northland by 112 votes "
                 "to 31 on Tuesday. Joint border patrols are due to start in May."},
        {"source": "Eastmark Daily", "date": "2024-04-03T08:00:00Z",
         "title": "What the ratified protocol changes for traders",
         "text": "Under the ratified protocol, customs officers in both states will use a "
                 "single electronic declaration form. Banks in Eastmark opened a hotline for "
                 "firms that trade with listed partners. The finance ministry of Eastmark set "
                 "aside 40 million marks to modernise border crossings. Hauliers welcomed "
                 "shorter checks at the Vella crossing during a trial week."},
    ],
}
LINKS = {  # event key -> (score, reasons)
    "summit": (1.0, {"relation": "development", "founding": True}),
    "list": (0.71, {"relation": "development", "shared_terms": ["joint list", "protocol"]}),
    "grain": (0.22, {"relation": "related", "shared_actors": ["Northland"]}),
    "ratify": (0.66, {"relation": "development", "shared_terms": ["customs protocol"]}),
}
FIRST = ("summit", "list", "grain")


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def add_event(store: SQLiteStore, key: str, rows: list[dict] | None = None,
              link: tuple[float, dict] | None = None) -> int:
    """Store one event (``ARTICLES[key]`` unless ``rows`` are given) with its reports and link
    it to the storyline with ``LINKS[key]`` (or ``link``)."""
    rows = rows if rows is not None else ARTICLES[key]
    dates = [_when(r["date"]) for r in rows]
    event = Event(label=rows[0]["title"], first_seen=min(dates), last_seen=max(dates),
                  article_count=len(rows), sources=[r["source"] for r in rows], languages=["en"])
    store.save_events([event])
    ids = []
    for n, row in enumerate(rows):
        article = Article(title=row["title"], text=row["text"], source=row["source"],
                          published=_when(row["date"]), lang=row.get("lang", "en"),
                          url=row.get("url",
                                      f"https://{row['source'].split()[0].lower()}.example/{key}/{n}"),
                          content_hash=content_hash(row["title"], row["text"]))
        ids.append(store.add_article(article))
    store.assign_events((aid, event.id) for aid in ids)
    event.representative_id = ids[0]
    store.save_events([event])
    score, reasons = link if link is not None else LINKS[key]
    store.link_event(event.id, SID, score, reasons, when=max(dates))
    return int(event.id)


def add_reprint(store: SQLiteStore, translation: bool) -> int:
    """An event reported by ТАСС in Russian and, with ``translation``, by TASS in English three
    hours later with the same text: the same outlet's translated reprint."""
    summit = ARTICLES["summit"][0]
    rows = [{**summit, "source": "ТАСС", "lang": "ru", "date": "2024-03-09T09:00:00Z",
             "title": "Протокол подписан"}]
    if translation:
        rows.append({**summit, "source": "TASS", "date": "2024-03-09T12:00:00Z"})
    return add_event(store, "reprint", rows, link=(0.6, {"score": 0.6}))


def save_storyline(store: SQLiteStore) -> None:
    events = store.events(storyline_id=SID)
    store.save_storylines([Storyline(
        id=SID, title="Northland–Eastmark customs alignment", label="",
        lifecycle="developing", momentum=1.0, event_count=len(events),
        article_count=sum(e.article_count for e in events),
        first_seen=min(e.first_seen for e in events), last_seen=max(e.last_seen for e in events),
    )])


def build_store(path: Path, keys: tuple[str, ...] = FIRST) -> SQLiteStore:
    """A real SQLite store at ``path`` holding the storyline with the events named in ``keys``."""
    store = SQLiteStore(path)
    store.save_storylines([Storyline(id=SID, title="Northland–Eastmark customs alignment")])
    for key in keys:
        add_event(store, key)
    save_storyline(store)
    return store


def test_fixture_store_has_linked_events(tmp_path):
    store = build_store(tmp_path / "s.db")
    links = store.storyline_links(SID)
    assert [round(link["score"], 2) for link in links] == [1.0, 0.71, 0.22]
    assert sum(len(store.articles(event_id=link["event_id"])) for link in links) == 6
    store.close()
