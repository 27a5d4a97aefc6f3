"""The API reference at /docs and HEAD requests, against a real server on 127.0.0.1.

/docs is rendered on the server from the app's own OpenAPI document (no Swagger UI or ReDoc,
nothing loaded from a CDN, no script); HEAD is answered wherever GET is, with GET's headers
(security headers included) and no body.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from markupsafe import escape
from test_web_support import Filled, fill_store, running_server

from storyline.web.app import create_app
from storyline.web.security import WebSettings

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy", "cross-origin-opener-policy", "permissions-policy")
EVIL = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return fill_store(tmp_path_factory.mktemp("webdocs") / "web.db")


@pytest.fixture(scope="module")
def web(filled: Filled) -> Iterator[httpx.Client]:
    with running_server(filled.path) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


class Tags(HTMLParser):
    """Start tags with their attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def operations(doc: dict) -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, item in doc["paths"].items()
            for method, op in item.items() if method in ("get", "post", "put", "patch", "delete")]


# -- /docs -----------------------------------------------------------------------------------------
def test_docs_page_lists_every_operation(web: httpx.Client) -> None:
    doc = web.get("/api/v1/openapi.json").json()
    resp = web.get("/docs")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    page = resp.text
    assert "<h1>API reference</h1>" in page
    assert 'href="/api/v1/openapi.json"' in page
    ids = {attrs.get("id") for _, attrs in tags_of(page)}
    toc = {attrs.get("href") for tag, attrs in tags_of(page) if tag == "a"}
    ops = operations(doc)
    assert len(ops) >= 20 and f"{len(ops)} operations" in page
    for path, method, op in ops:
        assert html.escape(path) in page, path
        anchor = "op-" + re.sub(r"[^a-z0-9]+", "-", op["operationId"].lower()).strip("-")
        assert anchor in ids and f"#{anchor}" in toc, (method, path)  # section + contents link
    for tag in {op["tags"][0] for _, _, op in ops}:
        assert f'id="tag-{tag}"' in page and f'href="#tag-{tag}"' in page


def test_docs_page_shows_parameters_bodies_responses_and_tokens(web: httpx.Client) -> None:
    page = web.get("/docs").text

    def section(anchor: str) -> str:
        start = page.index(f'id="{anchor}"')
        return page[start:page.index("</article>", start)]

    events = section("op-list-events-api-v1-events-get")
    assert "Events, most recently active first." in events
    assert "<code>limit</code>" in events and "1 to 200" in events and "<code>50</code>" in events
    assert "<code>min_sources</code>" in events and "ISO date: last activity at or after" in events
    assert "token" not in events and 'href="/api/v1/events"' in events
    article = section("op-get-article-api-v1-articles-article-id-get")
    assert "<code>article_id</code></td><td>path</td>" in article
    assert "<strong>yes</strong>" in article
    watch = section("op-add-watch-api-v1-watches-post")
    assert "Request body (required)" in watch and "WatchIn" in watch
    for field in ("kind", "target", "webhook_url", "cooldown_s"):
        assert f"<code>{field}</code>" in watch
    assert "one of: storyline, actor, pair, query" in watch
    assert 'class="badge token"' in watch and "Authorization: Bearer" in watch
    assert ">401<" in watch and "No valid API token" in watch and ">422<" in watch
    export = section("op-brief-export-api-v1-storylines-storyline-id-briefs-version-fmt-get")
    assert "one of: json, md, html" in export and "text/markdown" in export
    assert "application/atom+xml" in section("op-briefs-feed-api-v1-briefs-atom-get")


def test_docs_page_loads_nothing_from_elsewhere(web: httpx.Client) -> None:
    resp = web.get("/docs")
    page = resp.text.lower()
    assert "cdn" not in page and "swagger" not in page and "redoc" not in page
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page)
    for tag, attrs in tags_of(resp.text):
        for attr in ("src", "href"):
            value = attrs.get(attr)
            if value and tag in ("script", "link", "img", "iframe"):
                assert value.startswith("/") and not value.startswith("//"), (tag, value)
        assert tag != "script" or attrs.get("src"), "no inline script"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "unsafe-inline" not in resp.headers["content-security-policy"]
    assert web.get("/static/style.css").text.count(".api-op") > 0


def test_fastapi_default_doc_pages_are_off(web: httpx.Client) -> None:
    assert web.get("/redoc").status_code == 404
    assert web.get("/docs/oauth2-redirect").status_code == 404
    assert web.get("/openapi.json").status_code == 404  # only the /api/v1 one


def test_nav_links_to_the_reference(web: httpx.Client) -> None:
    home = web.get("/").text
    nav = home[home.index("<nav>"):home.index("</nav>")]
    assert '<a href="/docs">API</a>' in nav and "openapi.json" not in nav


def test_openapi_document_marks_token_operations_and_errors(web: httpx.Client) -> None:
    doc = web.get("/api/v1/openapi.json").json()
    assert doc["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    secured = {(path, method) for path, method, op in operations(doc) if op.get("security")}
    assert ("/api/v1/watches", "post") in secured and ("/api/v1/alerts/check", "post") in secured
    assert ("/api/v1/fetch", "get") in secured  # a read of server state, behind the token too
    assert not any(path == "/api/v1/storylines" for path, _ in secured)
    err = doc["components"]["schemas"]["Error"]
    assert set(err["required"]) == {"error", "status"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    # what the document promises is what the server sends
    bad = web.get("/api/v1/storylines", params={"limit": 0})
    assert bad.status_code == 422 and set(bad.json()) == {"error", "status"}


def test_reads_marked_when_reads_need_a_token(filled: Filled) -> None:
    settings = WebSettings(allow_private_urls=True, read_token_required=True)
    with running_server(filled.path, settings) as base, httpx.Client(base_url=base) as client:
        doc = client.get("/api/v1/openapi.json").json()
        assert all(op.get("security") for _, _, op in operations(doc))
        page = client.get("/docs")
        assert page.status_code == 200  # the reference itself stays readable
        assert 'href="/api/v1/storylines"' not in page.text  # no "open" links that would 401


def test_schema_text_is_escaped(tmp_path: Path, filled: Filled) -> None:
    """Strings from the document (summaries, descriptions, parameter names) reach the page as
    text, never as markup."""
    app = create_app(filled.path, WebSettings(allow_private_urls=True))

    @app.get("/api/v1/evil/{thing}", summary=EVIL, description=f"Says ``{EVIL}`` and {EVIL}",
             tags=[EVIL])
    def evil(thing: str, q: str = EVIL) -> dict:
        return {}

    with running_server(filled.path, app=app) as base, httpx.Client(base_url=base) as client:
        page = client.get("/docs").text
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert str(escape(EVIL)) in page and page.count(str(escape(EVIL))) >= 4
    assert not [t for t, a in tags_of(page) if t == "img" or "onerror" in a]
    assert all(t != "script" or a.get("src") == "/static/app.js" for t, a in tags_of(page))


# -- HEAD ------------------------------------------------------------------------------------------
HEAD_PATHS = ("/", "/docs", "/storylines/S1", "/actors", "/sources", "/search?q=grain",
              "/api/v1/storylines", "/api/v1/storylines/S1", "/api/v1/openapi.json",
              "/api/v1/briefs.atom", "/api/v1/export/events.csv", "/static/style.css")


@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_like_get(web: httpx.Client, path: str) -> None:
    get = web.get(path)
    head = web.head(path)
    assert get.status_code == 200
    assert head.status_code == 200 and head.content == b""
    for name in (*SECURITY_HEADERS, "content-type"):
        assert head.headers.get(name) == get.headers.get(name), name
    if "content-length" in head.headers:
        assert int(head.headers["content-length"]) == len(get.content)


def test_head_on_every_open_get_route(web: httpx.Client) -> None:
    doc = web.get("/api/v1/openapi.json").json()
    checked = 0
    for path, method, op in operations(doc):
        required = [p for p in op.get("parameters", []) if p.get("required")]
        if method != "get" or "{" in path or required or op.get("security"):
            continue
        resp = web.head(path)
        assert resp.status_code == 200 and resp.content == b"", path
        checked += 1
    assert checked >= 6


def test_head_errors_keep_their_status(web: httpx.Client, filled: Filled) -> None:
    for path in ("/nope", "/api/v1/nope", "/storylines/NOPE", "/api/v1/articles/424242"):
        resp = web.head(path)
        assert resp.status_code == 404 and resp.content == b"", path
        assert resp.headers["x-frame-options"] == "DENY"
    assert web.head("/api/v1/watches").status_code == 401  # access rules apply as for GET
    token = {"Authorization": f"Bearer {filled.token}"}
    assert web.head("/api/v1/watches", headers=token).status_code == 200
    assert web.head("/api/v1/alerts/check").status_code == 405  # POST-only stays POST-only
    assert web.head("/api/v1/storylines", params={"limit": 0}).status_code == 422
