"""HTML pages served by a real server: content, degradation, and inert untrusted text."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from test_web_support import XSS_URL, Filled, fill_store, running_server

from storyline.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return fill_store(tmp_path_factory.mktemp("webpages") / "web.db")


@pytest.fixture(scope="module")
def web(filled: Filled) -> Iterator[httpx.Client]:
    with running_server(filled.path) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def test_home_ranks_storylines_with_lifecycle(web: httpx.Client) -> None:
    page = web.get("/").text
    assert page.index("/storylines/S1") < page.index("/storylines/S2")
    assert "lc-developing" in page and "lc-fading" in page
    assert '<svg class="chart spark"' in page


def test_storyline_page_shows_brief_history_and_charts(web: httpx.Client, filled: Filled) -> None:
    page = web.get("/storylines/S1").text
    assert "Moscow-Minsk alliance moves gain momentum" in page
    cites = re.findall(r'<a class="cite" href="/articles/(\d+)"', page)
    assert str(filled.original) in cites and str(filled.payload_article) in cites
    assert "New since version 1" in page and f'href="/events/{filled.events[2]}"' in page
    assert "1 sentence added" in page
    assert "Version history" in page and "?version=1" in page
    assert "related coverage" in page  # weakly related development, never stated as cause
    assert re.search(r'class="muted why">\((?:reported alongside this story, no link between '
                     r'them is stated|the report names [^)]* but states no causal link to this '
                     r'story)\)', page)  # and what its report says of the story
    assert '<svg class="chart volume"' in page and '<svg class="chart relation"' in page
    assert 'href="/actors/RUS"' in page
    older = web.get("/storylines/S1", params={"version": 1}).text
    assert "<h1>Moscow-Minsk alliance moves</h1>" in older and "New since" not in older
    assert web.get("/storylines/S1", params={"version": 7}).status_code == 404


def test_event_and_article_pages(web: httpx.Client, filled: Filled) -> None:
    event = web.get(f"/events/{filled.events[0]}").text
    assert "exact copy" in event and "near copy" in event
    art = web.get(f"/articles/{filled.original}").text
    assert "Duplicates and near-duplicates" in art
    assert f'/articles/{filled.exact_copy}"' in art and f'/articles/{filled.near_copy}"' in art
    copy = web.get(f"/articles/{filled.exact_copy}").text
    assert "exact</span>" not in copy and "an exact" in copy
    assert web.get("/articles/424242").status_code == 404


def test_actor_search_and_sources_pages(web: httpx.Client) -> None:
    actor = web.get("/actors/RUS").text
    assert "Partners" in actor and '<svg class="chart relation"' in actor
    assert "Acting in concert" in actor and "SANCTION → USA" in actor
    lists = web.get("/actors/USA", params={"on": "2022-06-01"}).text
    assert "Official lists on 2022-06-01" in lists
    found = web.get("/search", params={"q": "grain", "lang": "en"}).text
    assert "<mark>" in found.lower() or "<mark>grain" in found.lower()
    none = web.get("/search", params={"q": "zzzunknownzzz"}).text
    assert "No matches" in none and "also searched" not in none
    widened = web.get("/search", params={"q": "недружественных"}).text
    assert "недружественных → unfriendly: also searched unfriendly" in widened
    assert "Moscow widens unfriendly list" in widened
    assert "matched: unfriendly → недружественных" in widened
    sources = web.get("/sources").text
    assert "Broken feed" in sources


class Tags(HTMLParser):
    """Collects every start tag and its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


PAGES = ["/", "/storylines/S1", "/storylines/S1?version=2", "/events/3", "/articles/6",
         "/articles/7", "/actors", "/actors/RUS", "/search?q=grain", "/sources",
         "/api/v1/storylines/S1/briefs/2.html", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"]


@pytest.mark.parametrize("path", PAGES)
def test_untrusted_text_is_escaped(web: httpx.Client, path: str) -> None:
    page = web.get(path)
    assert page.status_code == 200
    text = page.text
    assert "<script>window.__pwned" not in text and "<script>alert" not in text
    assert "<img src=x" not in text and "<svg onload" not in text
    tags = Tags()
    tags.feed(text)
    assert not [a for _, attrs in tags.seen for a, _ in attrs if a.startswith("on")], \
        "inline event handler in markup"
    assert not any(a == "data-injected" for _, attrs in tags.seen for a, _ in attrs)
    assert not [v for _, attrs in tags.seen for a, v in attrs
                if a in ("href", "src", "action") and (v or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:"))]
    for tag, attrs in tags.seen:  # only the external app.js and JSON data islands
        if tag == "script":
            a = dict(attrs)
            assert a.get("src") == "/static/app.js" or a.get("type") == "application/json"
        assert tag not in ("iframe", "object", "embed", "img", "base")


def test_payload_article_shows_text_not_markup(web: httpx.Client, filled: Filled) -> None:
    page = web.get(f"/articles/{filled.payload_article}").text
    assert html.escape('<script>window.__pwned=1;alert("title")</script>', quote=True) in page \
        or "&lt;script&gt;window.__pwned" in page
    assert html.escape(XSS_URL) in page  # shown as text, not as a link
    assert "{{7*7}}" in page  # no template injection: braces come out verbatim


def test_page_data_json_is_escaped(web: httpx.Client) -> None:
    page = web.get("/storylines/S1").text
    island = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S)
    assert island and "\\u003cscript\\u003e" in island.group(1)


def test_empty_store_pages_degrade(tmp_path) -> None:
    db = tmp_path / "empty.db"
    SQLiteStore(db).close()
    with running_server(db) as base, httpx.Client(base_url=base) as client:
        home = client.get("/").text
        assert "No storylines yet" in home and "storyline demo" in home
        assert "No coded actors yet" in client.get("/actors").text
        assert "No sources yet" in client.get("/sources").text
        assert client.get("/api/v1/storylines").json() == {"items": [], "next": None}


def test_cached_pages_follow_database_changes(web: httpx.Client, filled: Filled) -> None:
    """Anonymous GETs are cached, but a commit from any connection invalidates them at once."""
    from storyline.model import Storyline

    assert "Quiet second story" in web.get("/").text
    assert "Quiet second story" in web.get("/").text  # served again (from the cache)
    store = SQLiteStore(filled.path)
    try:
        story = store.storyline("S2")
        store.save_storylines([Storyline(**{**story.__dict__, "title": "Renamed story"})])
    finally:
        store.close()
    assert "Renamed story" in web.get("/").text


def test_imported_records_link_their_report_only_when_it_is_a_web_address(tmp_path) -> None:
    """GDELT records have no stored article: the actor page links the source URL, and a
    hostile one (``javascript:``) is shown as text, never as a link."""
    from datetime import UTC, datetime

    from storyline.model import EventRecord

    path = tmp_path / "gdelt.db"
    store = SQLiteStore(str(path))
    day = datetime(2022, 3, 7, tzinfo=UTC)
    store.add_event_records([
        EventRecord("RUS.GOV", "SANCTION", "POL", -8.0, day, key="gdelt:1",
                    meta={"origin": "gdelt", "url": "https://wire.example/ru-pol"}),
        EventRecord("RUS.GOV", "SANCTION", "LTU", -8.0, day, key="gdelt:2",
                    meta={"origin": "gdelt", "url": "javascript:alert(1)"}),
    ])
    store.close()
    with running_server(path) as base, httpx.Client(base_url=base, timeout=10) as client:
        page = client.get("/actors/RUS.GOV").text
    assert 'href="https://wire.example/ru-pol"' in page and "gdelt ·" in page
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page
