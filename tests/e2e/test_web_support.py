"""Shared by the web tests: a filled test store and a real uvicorn server on 127.0.0.1.

The store is built here, directly through the store API (articles, duplicates, events, a
storyline with links, coded records, two brief versions following BRIEF_SCHEMA, a failing feed),
so the web tests do not depend on the clustering, storyline or brief stages. Some of the
article-derived text carries script/HTML payloads: every page must render them inert.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn

from storyline.model import Article, BriefVersion, Event, EventRecord, Source, Storyline
from storyline.store.sqlite import SQLiteStore
from storyline.web.app import create_app
from storyline.web.security import WebSettings, hash_token, new_token

#: Payloads that would run script or inject elements if any rendering path failed to escape.
XSS_TITLE = ('<script>window.__pwned=1;alert("title")</script>'
             '<img src=x onerror="alert(1)" data-injected="1">')
XSS_TEXT = ('Minister said "fine" & more. </script><script>alert(3)</script>\n'
            '"><svg onload=alert(2)><b data-injected="1">bold</b></svg> {{7*7}} ${7*7}\n'
            "Talks on grain exports continued in Minsk.")
XSS_SOURCE = "<img src=x onerror=alert('src') data-injected=1>Evil Outlet"
XSS_URL = "javascript:alert(document.domain)"
XSS_URL_QUOTES = 'https://evil.example/"><script>alert(4)</script>'

T0 = datetime(2024, 4, 20, 9, 0, tzinfo=UTC)


@dataclass
class Filled:
    """Ids of what :func:`fill_store` wrote."""

    path: Path
    storyline: str
    events: list[int]
    articles: list[int]
    payload_article: int
    original: int
    exact_copy: int
    near_copy: int
    token: str


def _article(i: int, title: str, text: str, *, source: str = "Reuters", url: str | None = None,
             lang: str = "en", day: int = 0) -> Article:
    return Article(
        title=title, text=text, url=url or f"https://news{i % 3}.example/a/{i}",
        canonical_url=url or f"https://news{i % 3}.example/a/{i}",
        published=T0 + timedelta(days=day, hours=i), lang=lang, source=source,
        content_hash=f"hash-{i}",
    )


def fill_store(path: Path) -> Filled:
    """Write a small, complete storyline into a new SQLite store at ``path``."""
    store = SQLiteStore(path)
    with store.transaction():
        store.upsert_source(Source(name="Broken feed", url="https://broken.example/rss"))
        texts = [
            ("Russia and Belarus sign security pact",
             "Russia and Belarus signed a security pact in Minsk on Saturday.\n"
             "The pact deepens military cooperation between the two states.", "Reuters", 0),
            ("Minsk hosts joint drills", "Joint drills began near Minsk on Sunday.", "BelTA", 1),
            ("Moscow widens unfriendly list",
             "Moscow added two states to its list of unfriendly countries.", "TASS", 3),
            ("EU responds to Moscow list", "The EU said the list was a political step.",
             "Euronews", 4),
            ("Grain exports talks resume", "Grain exports talks resumed in Minsk.", "Reuters", 5),
        ]
        ids = [store.add_article(_article(i, t, x, source=s, day=d))
               for i, (t, x, s, d) in enumerate(texts)]
        payload = store.add_article(_article(10, XSS_TITLE, XSS_TEXT, source=XSS_SOURCE,
                                             url=XSS_URL, day=5))
        quoted = store.add_article(_article(11, "Quoted URL report", "Talks on grain in Minsk.",
                                            source="Wire", url=XSS_URL_QUOTES, day=5))
        exact = store.add_article(Article(
            title=texts[0][0], text=texts[0][1], url="https://copy.example/1", source="Copycat",
            canonical_url="https://copy.example/1", published=T0 + timedelta(hours=3),
            lang="en", content_hash="hash-0", duplicate_of=ids[0], duplicate_kind="exact"))
        near = store.add_article(Article(
            title=texts[0][0] + " (update)", text=texts[0][1] + " More.",
            url="https://near.example/1", canonical_url="https://near.example/1",
            source="Near News", published=T0 + timedelta(hours=5), lang="en",
            content_hash="hash-near", duplicate_of=ids[0], duplicate_kind="near"))
        ru = store.add_article(_article(12, "Россия и Белоруссия подписали пакт",
                                        "Стороны подписали пакт в Минске.", source="ТАСС",
                                        lang="ru", day=0))
    groups = [[ids[0], ids[1], ru], [ids[2], ids[3]], [ids[4], payload, quoted]]
    labels = ["Russia–Belarus security pact", "Moscow widens 'unfriendly' list",
              XSS_TITLE + " grain talks"]
    events = []
    for n, (members, label) in enumerate(zip(groups, labels, strict=True)):
        ev = Event(label=label, first_seen=T0 + timedelta(days=[0, 3, 5][n]),
                   last_seen=T0 + timedelta(days=[1, 4, 5][n], hours=12),
                   article_count=len(members),
                   sources=[["Reuters", "BelTA", "ТАСС"], ["TASS", "Euronews"],
                            ["Reuters", XSS_SOURCE, "Wire"]][n],
                   languages=["en", "ru"] if n == 0 else ["en"], representative_id=members[0])
        store.save_events([ev])
        store.assign_events([(a, ev.id) for a in members])
        events.append(ev.id)
    sid = "S1"
    store.save_storylines([Storyline(
        id=sid, title="Russia–Belarus coordinated push " + XSS_TITLE, label="Moscow-Minsk moves",
        lifecycle="developing", momentum=2.5, first_seen=T0, last_seen=T0 + timedelta(days=5),
        event_count=3, article_count=9)])
    store.save_storylines([Storyline(id="S2", title="Quiet second story", lifecycle="fading",
                                     momentum=0.1, first_seen=T0, last_seen=T0, event_count=1,
                                     article_count=1)])
    for n, eid in enumerate(events):
        store.link_event(eid, sid, [1.0, 0.62, 0.41][n], {"actors": 0.5, "terms": 0.3},
                         when=T0 + timedelta(days=n))
    store.add_event_records([
        EventRecord("RUS", "AGREE", "BLR", 6.0, T0, ids[0], events[0], "Russia and Belarus signed"),
        EventRecord("BLR", "COOPERATE", "RUS", 5.0, T0 + timedelta(days=1), ids[1], events[0],
                    "Joint drills began"),
        EventRecord("RUS", "SANCTION", "USA", -5.0, T0 + timedelta(days=3), ids[2], events[1],
                    "Moscow added two states " + XSS_TITLE),
        EventRecord("BLR", "SANCTION", "USA", -5.0, T0 + timedelta(days=4), ids[2], events[1],
                    "Minsk joined the measures"),
        EventRecord("EU", "DISAPPROVE", "RUS", -2.0, T0 + timedelta(days=4), ids[3], events[1],
                    "The EU said"),
        EventRecord("RUS", "CONSULT", "BLR", 1.0, T0 + timedelta(days=9), ids[4], events[2],
                    "Grain exports talks resumed"),
    ])
    cites_v1 = [
        {"n": 1, "article_id": ids[0], "title": texts[0][0], "source": "Reuters",
         "published": "2024-04-20T09:00:00Z", "url": "https://news0.example/a/0"},
        {"n": 2, "article_id": ids[2], "title": texts[2][0], "source": "TASS",
         "published": "2024-04-23T11:00:00Z", "url": "https://news2.example/a/2"},
    ]
    body_v1 = _body(sid, 1, events[:2], cites_v1, new_since=None, extra=[])
    cites_v2 = cites_v1 + [
        {"n": 3, "article_id": payload, "title": XSS_TITLE, "source": XSS_SOURCE,
         "published": "2024-04-25T19:00:00Z", "url": XSS_URL},
        {"n": 4, "article_id": quoted, "title": "Quoted URL report", "source": "Wire",
         "published": "2024-04-25T20:00:00Z", "url": XSS_URL_QUOTES},
    ]
    body_v2 = _body(sid, 2, events, cites_v2,
                    new_since={"previous_version": 1, "event_ids": [events[2]]},
                    extra=[{"event_id": events[2], "label": XSS_TITLE, "date": "2024-04-25",
                            "relation": "development", "relatedness": 0.41, "reasons": {},
                            "new": True,
                            "sentences": [{"text": "Grain talks resumed. " + XSS_TEXT,
                                           "cites": [3, 4], "flag": "weak-support"}]}])
    store.add_brief_version(BriefVersion(sid, 0, T0 + timedelta(days=4), body_v1, events[:2]))
    store.add_brief_version(BriefVersion(sid, 0, T0 + timedelta(days=6), body_v2, events))
    token = new_token()
    store.add_token("tests", hash_token(token))
    store.close()
    return Filled(path=path, storyline=sid, events=events, articles=[*ids, payload, quoted, ru],
                  payload_article=payload, original=ids[0], exact_copy=exact, near_copy=near,
                  token=token)


def _body(sid: str, version: int, event_ids: list[int], sources: list[dict],
          new_since: dict | None, extra: list[dict]) -> dict:
    """A brief body shaped like BRIEF_SCHEMA."""
    return {
        "storyline_id": sid, "version": version, "created": "2024-04-26T10:00:00Z",
        "title": "Russia–Belarus coordinated push", "label": "Moscow-Minsk moves",
        "headline": "Moscow-Minsk alliance moves" + (" gain momentum" if version > 1 else ""),
        "lead": [{"text": "Russia and Belarus signed a security pact in Minsk.", "cites": [1],
                  "flag": None}],
        "main_event": {
            "event_id": event_ids[0], "subtitle": "Security pact signed",
            "sentences": [{"text": "The pact deepens military cooperation.", "cites": [1],
                           "flag": None}],
            "key_points": [{"label": "Enhanced security cooperation",
                            "sentences": [{"text": "Joint drills began near Minsk.",
                                           "cites": [1], "flag": None}]}],
        },
        "developments": [
            {"event_id": event_ids[1], "label": "Moscow widens 'unfriendly' list",
             "date": "2024-04-23", "relation": "related", "relatedness": 0.62, "reasons": {},
             "new": False, "sentences": [{"text": "Moscow added two states to its list.",
                                          "cites": [2], "flag": None}]},
            *extra,
        ],
        "significance": [{"text": "The moves signal closer coordination.", "cites": [1, 2],
                          "flag": None}],
        "outlook": [], "summary": [],
        "key_actors": [{"id": "RUS", "name": "Russia", "mentions": 4},
                       {"id": "BLR", "name": "Belarus " + XSS_SOURCE, "mentions": 3}],
        "sources": sources, "new_since": new_since,
        "grounding": {"checked": 6, "dropped": 0, "flagged": 1 if extra else 0},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db: Path, settings: WebSettings | None = None, app=None) -> Iterator[str]:
    """Serve the app with uvicorn in a thread on a free 127.0.0.1 port; yield its base URL."""
    app = app or create_app(db, settings or WebSettings(allow_private_urls=True))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_fill_store_is_complete(tmp_path: Path) -> None:
    """The fixture data holds what the pages need (guards the other web tests' assumptions)."""
    filled = fill_store(tmp_path / "web.db")
    store = SQLiteStore(filled.path)
    try:
        assert store.storyline(filled.storyline).event_count == 3
        assert [v.version for v in store.brief_versions(filled.storyline)] == [1, 2]
        assert {a.id for a in store.duplicates_of(filled.original)} == {filled.exact_copy,
                                                                        filled.near_copy}
        assert len(store.storyline_links(filled.storyline)) == 3
    finally:
        store.close()
