"""Feed fetching and parsing against the local fake-outlet server, and the feed list."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedserver import ATOM, ETAG, LAST_MODIFIED, MALFORMED, RSS10, RSS20, RU_ITEMS, FeedServer

from storyline.ingest.feedlist import FeedListError, load_feed_list, source_from_mapping
from storyline.ingest.feeds import FeedResult, fetch_feed, parse_feed, update_source_health
from storyline.ingest.http import PoliteClient
from storyline.model import Source

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def fetch(server: FeedServer, client: PoliteClient, path: str, **kw: object) -> FeedResult:
    source = Source(name=f"test {path}", url=server.url(path), fetch_pages=False, **kw)  # type: ignore[arg-type]
    return fetch_feed(source, client, now=NOW)


# -- formats ---------------------------------------------------------------------------------


def test_rss20(feed_server: FeedServer, client: PoliteClient) -> None:
    result = fetch(feed_server, client, "/rss20.xml")
    assert result.status == "ok" and result.error is None and result.http_status == 200
    first, second = result.articles
    assert first.title == "Ministers of Freedonia and Sylvania meet in Lakeside"
    assert first.text.startswith("The foreign ministers of Freedonia and Sylvania met on\nMonday")
    assert "<b>" not in first.text and "\n\n" in first.text  # paragraphs survive, tags do not
    assert first.meta["text_from"] == "content"
    assert first.published == datetime(2024, 5, 6, 6, 30, tzinfo=UTC)
    assert first.lang == "en" and first.source == "test /rss20.xml" and first.fetched == NOW
    assert first.url == feed_server.url("/story/freedonia-sylvania")
    assert first.meta["feed_item_id"] == "tribune-0001"
    assert first.meta["tags"] == ["Diplomacy"]
    assert second.meta["feed_item_id"] == feed_server.url("/story/grain")
    assert second.meta["text_from"] == "summary"


def test_rss091_latin1_relative_links(feed_server: FeedServer, client: PoliteClient) -> None:
    result = fetch(feed_server, client, "/rss091.xml")
    assert result.status == "ok"
    (item,) = result.articles
    assert item.text == "Le conseil a adopté le budget après un long débat."
    assert item.url == feed_server.url("/herald/budget")  # resolved against the feed URL
    assert item.lang == "fr" and item.published is None


def test_rss10_rdf(feed_server: FeedServer, client: PoliteClient) -> None:
    (item,) = fetch(feed_server, client, "/rss10.rdf").articles
    assert item.title == "Parlament von Sylvanien tagt" and item.lang == "de"
    assert item.published == datetime(2024, 5, 8, 8, 0, tzinfo=UTC)


def test_atom(feed_server: FeedServer, client: PoliteClient) -> None:
    first, second = fetch(feed_server, client, "/atom.xml").articles
    assert first.title == "Summit in Lakeside ends"
    assert first.text == "The summit in Lakeside ended a day early."
    assert first.published == datetime(2024, 5, 9, 11, 0, tzinfo=UTC)
    assert first.meta["feed_item_id"] == "urn:example:imaginary-times:42"
    assert first.lang == "en" and second.lang == "ru"  # entry-level xml:lang wins
    assert second.published == datetime(2024, 5, 9, 8, 0, tzinfo=UTC)  # falls back to updated


def test_language_detected_when_undeclared(feed_server: FeedServer, client: PoliteClient) -> None:
    (item,) = fetch(feed_server, client, "/cp1251-declared-utf8.xml").articles
    assert item.lang == "ru" and item.meta["lang_from"] == "detected"


# -- faults ----------------------------------------------------------------------------------


def test_malformed_xml_keeps_recovered_entries(
    feed_server: FeedServer, client: PoliteClient
) -> None:
    result = fetch(feed_server, client, "/malformed.xml")
    assert result.status == "ok"
    assert result.articles and result.articles[0].title == "First story survives"
    assert any(
        "malformed feed" in w and feed_server.url("/malformed.xml") in w for w in result.warnings
    )


@pytest.mark.parametrize(
    "path", ["/cp1251-declared-utf8.xml", "/utf8-declared-cp1251.xml", "/no-encoding.xml"]
)
def test_wrong_or_missing_encoding(
    feed_server: FeedServer, client: PoliteClient, path: str
) -> None:
    result = fetch(feed_server, client, path)
    assert result.status == "ok", result.error
    (item,) = result.articles
    assert item.title == RU_ITEMS[0] and item.text == RU_ITEMS[1]
    assert result.warnings  # the repair is reported


def test_utf16_with_bom() -> None:
    doc = RSS20.replace("{base}", "http://127.0.0.1:1").replace(
        'encoding="utf-8"', 'encoding="utf-16"'
    )
    articles, warnings = parse_feed(doc.encode("utf-16"), "http://127.0.0.1:1/f", Source(name="u"))
    assert len(articles) == 2 and not warnings
    assert articles[0].title.startswith("Ministers of Freedonia")


def test_truncated_transfer(feed_server: FeedServer, client: PoliteClient) -> None:
    result = fetch(feed_server, client, "/truncated-transfer.xml")
    assert result.status == "ok" and len(result.articles) >= 1
    assert any("connection broke" in w for w in result.warnings)


def test_truncated_document(feed_server: FeedServer, client: PoliteClient) -> None:
    result = fetch(feed_server, client, "/truncated-document.xml")
    assert result.status == "ok" and result.articles[0].meta["feed_item_id"] == "tribune-0001"
    assert any("malformed feed" in w for w in result.warnings)


def test_huge_response_cut_at_cap(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, timeout=(1, 2), max_bytes=200_000) as c:
        result = fetch(feed_server, c, "/huge.xml")
    assert result.status == "ok" and 100 < len(result.articles) < 250
    assert any("200000-byte cap" in w for w in result.warnings)
    assert result.etag is None  # a partial read is never marked as seen


def test_not_modified_and_health(feed_server: FeedServer, client: PoliteClient) -> None:
    source = Source(name="etag test", url=feed_server.url("/etag.xml"), fetch_pages=False)
    first = fetch_feed(source, client, now=NOW)
    assert first.status == "ok" and first.etag == ETAG and first.last_modified == LAST_MODIFIED
    update_source_health(source, first)
    assert source.etag == ETAG and source.last_success == NOW
    second = fetch_feed(source, client, now=NOW)
    assert second.status == "not_modified" and second.ok and second.articles == []
    assert second.http_status == 304 and second.etag == ETAG and second.error is None
    only_date = Source(name="d", url=source.url, last_modified=LAST_MODIFIED, fetch_pages=False)
    assert fetch_feed(only_date, client).status == "not_modified"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/missing.xml", "HTTP 404"),
        ("/broken.xml", "HTTP 500"),
        ("/loop-a", "redirect loop"),
        ("/not-a-feed.html", "not a feed"),
        ("/empty.xml", "empty response body"),
    ],
)
def test_errors_are_reported_not_raised(
    feed_server: FeedServer, client: PoliteClient, path: str, expected: str
) -> None:
    source = Source(
        name="failing",
        url=feed_server.url(path),
        etag='"keep"',
        fetch_pages=False,
        consecutive_failures=2,
    )
    result = fetch_feed(source, client, now=NOW)
    assert result.status == "error" and not result.ok and result.articles == []
    assert expected in (result.error or "") and feed_server.url(path) in (result.error or "")
    assert result.etag == '"keep"'  # old validators survive an error
    update_source_health(source, result)
    assert source.consecutive_failures == 3 and source.last_error == result.error
    assert source.last_fetch == NOW and source.last_success is None


def test_timeout_is_an_error(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, timeout=(1, 0.2)) as c:
        result = fetch(feed_server, c, "/slow.xml")
    assert result.status == "error" and "timeout" in (result.error or "")


def test_source_without_url_or_with_bad_scheme(client: PoliteClient) -> None:
    assert "no feed URL" in (fetch_feed(Source(name="x"), client).error or "")
    result = fetch_feed(Source(name="y", url="file:///etc/passwd"), client)
    assert result.status == "error" and "file:///etc/passwd" in (result.error or "")


def test_dates(feed_server: FeedServer, client: PoliteClient) -> None:
    result = fetch(feed_server, client, "/dates.xml")
    by_title = {a.title: a for a in result.articles}
    future = by_title["From the future"]
    assert future.published is None and "in the future" in future.meta["warnings"][0]
    junk = by_title["No idea when"]
    assert junk.published is None and "unparseable date" in junk.meta["warnings"][0]
    placeholder = by_title["Not applicable"]  # not "today", as free-text date parsers say
    assert placeholder.published is None and "unparseable date" in placeholder.meta["warnings"][0]
    assert by_title["With a zone"].published == datetime(2024, 5, 6, 6, 30, tzinfo=UTC)
    undated = by_title["No date at all"]
    assert undated.published is None and "warnings" not in undated.meta
    assert sum("date" in w for w in result.warnings) == 3


def test_same_item_in_two_feeds(feed_server: FeedServer, client: PoliteClient) -> None:
    a = fetch(feed_server, client, "/feed-a.xml")
    b = fetch(feed_server, client, "/feed-b.xml")
    shared_a = [x for x in a.articles if x.title.startswith("Lakeside summit")]
    shared_b = [x for x in b.articles if x.title.startswith("Lakeside summit")]
    assert len(shared_a) == len(shared_b) == 1  # B's repeat within itself is dropped
    assert shared_a[0].url == shared_b[0].url == feed_server.url("/shared/summit")
    assert shared_a[0].meta["feed_item_id"] == shared_b[0].meta["feed_item_id"]
    assert shared_a[0].source != shared_b[0].source  # cross-feed duplicates are for dedupe
    assert any("repeated item" in w for w in b.warnings)


def test_parse_feed_never_raises_on_garbage() -> None:
    source = Source(name="fuzz")
    rng = random.Random(7)
    docs = [d.replace("{base}", "http://127.0.0.1:1") for d in (RSS20, RSS10, ATOM, MALFORMED)]
    samples: list[bytes] = [b"", b"\x00\xff\xfe", bytes(rng.randrange(256) for _ in range(3000))]
    for doc in docs:
        data = doc.encode()
        samples += [data[: rng.randrange(len(data))] for _ in range(15)]
        samples.append(bytes(b ^ 0x20 if rng.random() < 0.02 else b for b in data))
    for sample in samples:
        articles, warnings = parse_feed(sample, "http://127.0.0.1:1/feed", source)
        assert isinstance(articles, list) and isinstance(warnings, list)


# -- feed list -------------------------------------------------------------------------------


def test_default_feed_list() -> None:
    sources = load_feed_list()
    assert len(sources) >= 25
    assert len({s.name for s in sources}) == len(sources)
    assert {s.lang for s in sources} >= {"en", "ru", "uk", "be"}
    assert all(s.url and s.url.startswith(("http://", "https://")) for s in sources)
    assert all(s.kind == "feed" for s in sources)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = '[[feed]]\nname = "A"\nurl = "https://a.example/rss"\nlang = "EN"\ncountry = "gbr"\n'


def test_feed_list_values(tmp_path: Path) -> None:
    (source,) = load_feed_list(write(tmp_path, GOOD))
    assert (source.name, source.lang, source.country, source.fetch_pages) == (
        "A",
        "en",
        "GBR",
        True,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + '[[feed]]\nname = "B"\nurl = "https://b.example/rss\n', ":8: TOML syntax error"),
        (GOOD + '\n[[feed]]\nname = "B"\n', ":7: feed 'B': 'url' is required"),
        (GOOD + '[[feed]]\nname = "B"\nurl = "https://b"\nfetch_page = true\n', ":6: unknown key"),
        (GOOD + '[[feed]]\nname = "B"\nurl = "https://b"\nfetch_pages = "yes"\n', ":6: feed 'B'"),
        (GOOD + '[[feed]]\nname = "a"\nurl = "https://b"\n', ":6: duplicate feed name"),
        (GOOD + '[[feed]]\nname = "B"\nurl = "ftp://b/x"\n', "must be an http(s) URL"),
        (GOOD + '[[feed]]\nname = "B"\nurl = "https://b"\ncountry = "UK"\n', "alpha-3"),
        ('[feeds]\nname = "x"\n', "unknown top-level key"),
    ],
)
def test_feed_list_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FeedListError) as info:
        load_feed_list(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_feed_list_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FeedListError, match="cannot read"):
        load_feed_list(tmp_path / "nope.toml")


def test_source_from_mapping_for_cli_use() -> None:
    src = source_from_mapping({"name": "X", "url": "https://x.example/feed", "fetch_pages": False})
    assert src.fetch_pages is False and src.lang is None
    with pytest.raises(ValueError, match="'name' is required"):
        source_from_mapping({"url": "https://x"})
