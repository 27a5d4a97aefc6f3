"""Teaser items get their page's main text; failures keep the teaser and say why."""

from __future__ import annotations

from feedserver import ARTICLE_HTML, ARTICLE_PARAGRAPHS, RU_ITEMS, FeedServer

from storyline.ingest.feeds import fetch_feed
from storyline.ingest.http import PoliteClient
from storyline.ingest.pages import extract_page, fill_teasers, is_teaser
from storyline.model import Article, Source


def article_html() -> str:
    return ARTICLE_HTML.format(paragraphs="\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS))


def test_extract_page_keeps_the_article_and_drops_the_chrome() -> None:
    text = extract_page(article_html().encode(), "http://127.0.0.1/article/border-talks.html")
    assert text is not None
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in text
    assert "COMMENT-MARKER" not in text
    assert "Subscribe to our newsletter" not in text and "Sport" not in text


def test_extract_page_reads_meta_charset_and_fixes_wrong_header() -> None:
    html = (
        '<html><head><meta charset="windows-1251"></head><body><article>'
        + f"<p>{RU_ITEMS[1]} {RU_ITEMS[0]}.</p>" * 4
        + "</article></body></html>"
    )
    text = extract_page(html.encode("cp1251"), "http://127.0.0.1/ru")
    assert text and RU_ITEMS[0] in text
    # a UTF-8 page whose server claims windows-1251
    text = extract_page(
        html.replace("windows-1251", "utf-8").encode(),
        "http://127.0.0.1/ru",
        charset="windows-1251",
    )
    assert text and RU_ITEMS[0] in text


def test_extract_page_on_junk_is_none() -> None:
    for junk in (b"", b"   ", "<html><body></body></html>", b"\x00\xff\x00<<<>>>", "%PDF-1.4"):
        assert extract_page(junk, "http://127.0.0.1/x") is None


def test_is_teaser() -> None:
    assert is_teaser(Article(text="Short."))
    assert is_teaser(Article(text="x" * 1000 + " Read more"))
    assert is_teaser(Article(text="Долгий текст " * 50 + "Читать далее…"))
    assert not is_teaser(Article(text="A full story. " * 40))


def test_fetch_feed_fills_teasers_and_records_failures(
    feed_server: FeedServer, client: PoliteClient
) -> None:
    source = Source(name="Teaser Post", url=feed_server.url("/teasers.xml"))
    result = fetch_feed(source, client)
    assert result.status == "ok"
    arts = {a.meta["feed_item_id"]: a for a in result.articles}

    full = arts["teaser-1"]
    assert full.meta["text_from"] == "page" and "page_error" not in full.meta
    assert full.text.startswith(ARTICLE_PARAGRAPHS[0][:40])
    assert ARTICLE_PARAGRAPHS[-1] in full.text and "COMMENT-MARKER" not in full.text
    assert full.meta["summary"].startswith("Talks between Freedonia and Sylvania collapsed")
    assert full.meta["page_url"] == feed_server.url("/article/border-talks.html")

    gone = arts["teaser-2"]
    assert gone.text == "This page will return 404."
    assert "HTTP 404" in gone.meta["page_error"]
    assert feed_server.url("/article/gone.html") in gone.meta["page_error"]
    assert "redirect loop" in arts["teaser-3"].meta["page_error"]
    assert "no main text" in arts["teaser-4"].meta["page_error"]
    assert arts["teaser-4"].text == "The page is blank."
    assert sum(w.startswith("kept the teaser") for w in result.warnings) == 3


def test_fetch_pages_switch(feed_server: FeedServer, client: PoliteClient) -> None:
    path = "/article/border-talks.html"
    before = len(feed_server.hits(path))
    off = Source(name="no pages", url=feed_server.url("/teasers.xml"), fetch_pages=False)
    result = fetch_feed(off, client)
    assert all(a.meta["text_from"] == "summary" for a in result.articles)
    assert len(feed_server.hits(path)) == before
    on = Source(name="pages", url=feed_server.url("/teasers.xml"), fetch_pages=True)
    fetch_feed(on, client, fetch_pages=False)  # the call's switch overrides the source's
    assert len(feed_server.hits(path)) == before


def test_fill_teasers_directly(feed_server: FeedServer, client: PoliteClient) -> None:
    long_text = "A complete article that needs no page. " * 20
    articles = [
        Article(
            title="t",
            text="Short teaser",
            url=feed_server.url("/article/ru.html"),
            meta={"lang_from": "source"},
        ),
        Article(title="p", text="pdf", url=feed_server.url("/article/doc.pdf")),
        Article(title="n", text="no url"),
        Article(title="l", text=long_text, url=feed_server.url("/article/border-talks.html")),
    ]
    before = len(feed_server.hits("/article/border-talks.html"))
    warnings = fill_teasers(articles, client)
    ru, pdf, no_url, full = articles
    assert RU_ITEMS[0] in ru.text and ru.lang == "ru"  # windows-1251 page read via <meta>
    assert "not an HTML page (application/pdf)" in pdf.meta["page_error"]
    assert no_url.text == "no url" and "page_error" not in no_url.meta
    assert full.text == long_text  # not a teaser, not fetched
    assert len(feed_server.hits("/article/border-talks.html")) == before
    assert len(warnings) == 1 and feed_server.url("/article/doc.pdf") in warnings[0]
