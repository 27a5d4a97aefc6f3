"""The JSON API, exports, feeds and write protection, against a real server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from test_web_support import XSS_TITLE, Filled, fill_store, running_server

from storyline.model import BriefVersion
from storyline.store.sqlite import SQLiteStore
from storyline.web.app import create_app
from storyline.web.security import WebSettings

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return fill_store(tmp_path_factory.mktemp("webapi") / "web.db")


@pytest.fixture(scope="module")
def api(filled: Filled) -> Iterator[httpx.Client]:
    with running_server(filled.path) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def auth(filled: Filled) -> dict[str, str]:
    return {"Authorization": f"Bearer {filled.token}"}


def test_storylines_list_is_ranked_and_capped(api: httpx.Client) -> None:
    body = api.get("/api/v1/storylines").json()
    assert [s["id"] for s in body["items"]] == ["S1", "S2"]
    assert body["items"][0]["lifecycle"] == "developing"
    page = api.get("/api/v1/storylines", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and "offset=1" in page["next"]
    assert api.get(page["next"]).json()["items"][0]["id"] == "S2"
    too_big = api.get("/api/v1/storylines", params={"limit": 5000})
    assert too_big.status_code == 422 and "200" in too_big.json()["error"]


def test_storyline_events_and_brief_versions(api: httpx.Client, filled: Filled) -> None:
    one = api.get("/api/v1/storylines/S1").json()
    assert [link["event_id"] for link in one["links"]] == filled.events
    assert [b["version"] for b in one["briefs"]] == [2, 1]
    assert one["briefs"][0]["new_since"]["event_ids"] == [filled.events[2]]
    events = api.get("/api/v1/storylines/S1/events").json()["items"]
    assert {e["id"] for e in events} == set(filled.events)
    assert api.get("/api/v1/storylines/NOPE").status_code == 404


def test_brief_exports_by_version(api: httpx.Client) -> None:
    v1 = api.get("/api/v1/storylines/S1/briefs/1.json").json()
    assert v1["version"] == 1 and v1["body"]["new_since"] is None
    latest = api.get("/api/v1/storylines/S1/briefs/latest.json").json()
    assert latest["version"] == 2 and len(latest["body"]["sources"]) == 4
    md = api.get("/api/v1/storylines/S1/briefs/2.md")
    assert md.headers["content-type"].startswith("text/markdown")
    assert "security pact" in md.text and "[1]" in md.text
    html = api.get("/api/v1/storylines/S1/briefs/2.html")
    assert html.headers["content-type"].startswith("text/html")
    assert "<script>window.__pwned" not in html.text and "&lt;script&gt;" in html.text
    assert 'href="javascript:' not in html.text
    assert api.get("/api/v1/storylines/S1/briefs/9.md").status_code == 404
    assert api.get("/api/v1/storylines/S1/briefs/x.md").status_code == 422
    assert api.get("/api/v1/storylines/S1/briefs/1.pdf").status_code == 422


def test_articles_cursor_pagination(api: httpx.Client, filled: Filled) -> None:
    seen, url, pages = [], "/api/v1/articles?limit=4", 0
    while url:
        body = api.get(url).json()
        seen += [a["id"] for a in body["items"]]
        url, pages = body["next"], pages + 1
        assert pages < 10
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 10
    after = api.get("/api/v1/articles", params={"since": seen[5]}).json()
    assert [a["id"] for a in after["items"]] == seen[6:]
    assert "text" not in after["items"][0]
    assert "text" in api.get("/api/v1/articles", params={"text": True}).json()["items"][0]
    originals = api.get("/api/v1/articles", params={"originals": True}).json()["items"]
    assert filled.exact_copy not in {a["id"] for a in originals}


def test_article_with_duplicates_and_event(api: httpx.Client, filled: Filled) -> None:
    art = api.get(f"/api/v1/articles/{filled.original}").json()
    assert {d["id"]: d["duplicate_kind"] for d in art["duplicates"]} == {
        filled.exact_copy: "exact", filled.near_copy: "near"}
    ev = api.get(f"/api/v1/events/{filled.events[0]}").json()
    assert filled.original in {a["id"] for a in ev["articles"]}
    assert api.get("/api/v1/articles/999999").status_code == 404


def test_search_with_filters(api: httpx.Client) -> None:
    hits = api.get("/api/v1/search", params={"q": "grain Minsk"}).json()["items"]
    assert hits and all("[" in h["snippet"] for h in hits)
    ru = api.get("/api/v1/search", params={"q": "пакт", "lang": "ru"}).json()["items"]
    assert [h["lang"] for h in ru] == ["ru"]
    by_source = api.get("/api/v1/search", params={"q": "grain", "source": "Wire"}).json()
    assert {h["source"] for h in by_source["items"]} == {"Wire"}
    dated = api.get("/api/v1/search", params={"q": "pact", "from": "2024-04-21"}).json()
    assert all(h["published"] >= "2024-04-21" for h in dated["items"])
    assert api.get("/api/v1/search", params={"q": ""}).status_code == 422


def test_search_crosses_languages_and_says_what_matched(api: httpx.Client) -> None:
    """A Russian word finds the English report using its equivalent; an inflected Russian
    name finds the English reports, and the reports coded with the actor (issue #14)."""
    body = api.get("/api/v1/search", params={"q": "недружественных"}).json()
    assert [h["title"] for h in body["items"]] == ["Moscow widens unfriendly list"]
    assert body["items"][0]["matched"] == ["unfriendly → недружественных"]
    [widened] = body["expanded"]
    assert widened["kind"] == "lexicon" and "unfriendly" in widened["also"]
    belarus = api.get("/api/v1/search", params={"q": "Белоруссии"}).json()
    assert belarus["expanded"][0]["actors"] == ["BLR"]
    assert "Belarus" in belarus["expanded"][0]["also"]
    matched = {h["title"]: h["matched"] for h in belarus["items"]}
    assert matched["Russia and Belarus sign security pact"] == ["Belarus → Belarus (BLR)"]
    assert matched["Россия и Белоруссия подписали пакт"] == ["Белоруссия → Belarus (BLR)"]
    assert matched["Minsk hosts joint drills"] == ["coded record → Belarus (BLR)"]
    plain = api.get("/api/v1/search", params={"q": "drills"}).json()
    assert plain["expanded"] and plain["items"][0]["matched"] == []  # the typed word matched


def test_actors_and_relations(api: httpx.Client) -> None:
    actors = {a["id"]: a for a in api.get("/api/v1/actors").json()["items"]}
    assert actors["RUS"]["records"] == 5
    rus = api.get("/api/v1/actors/RUS", params={"on": "2022-06-01"}).json()
    assert rus["partners"][0]["id"] == "BLR" and rus["partners"][0]["cooperation"] == 3
    series = api.get("/api/v1/relations", params={"a": "RUS", "b": "BLR"}).json()["series"]
    assert sum(w["records"] for w in series) == 3 and series[0]["cooperation"] == 11.0
    records = api.get("/api/v1/relations/records", params={"a": "RUS", "b": "USA"}).json()
    assert [r["event_type"] for r in records["items"]] == ["SANCTION"]


def test_atom_feeds_escape_payloads(api: httpx.Client) -> None:
    for path in ("/api/v1/briefs.atom", "/api/v1/storylines/S1/briefs.atom"):
        resp = api.get(path)
        assert resp.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(resp.content)  # well-formed XML despite the payloads
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) >= 2
        links = [e.find(f"{ATOM}link").get("href") for e in entries]
        assert all(link.startswith("http://127.0.0.1:") for link in links)
        assert b"<script>" not in resp.content


def test_csv_and_json_exports(api: httpx.Client) -> None:
    resp = api.get("/api/v1/export/articles.csv")
    assert resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 10 and {"id", "title", "url", "duplicate_of"} <= set(rows[0])
    js = api.get("/api/v1/export/storylines.json").json()
    assert js[0]["id"] == "S1"
    events = list(csv.reader(io.StringIO(api.get("/api/v1/export/events.csv").text)))
    assert events[0][0] == "id" and len(events) == 4


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    from storyline.web.api import _cell

    assert _cell("=HYPERLINK(\"http://x\")").startswith("'=")
    assert _cell("@SUM(A1)").startswith("'@") and _cell("plain") == "plain"


def test_openapi_document(api: httpx.Client) -> None:
    doc = api.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/storylines", "/api/v1/articles", "/api/v1/search", "/api/v1/relations",
                 "/api/v1/storylines/{storyline_id}/briefs/{version}.{fmt}", "/api/v1/watches"):
        assert path in doc["paths"], path
    assert not any(p == "/" or p.startswith("/storylines") for p in doc["paths"])
    # our own offline reference; FastAPI's CDN-loading pages are off
    assert api.get("/docs").status_code == 200 and api.get("/redoc").status_code == 404


def test_security_headers_everywhere(api: httpx.Client) -> None:
    for path in ("/", "/api/v1/storylines", "/nope", "/api/v1/nope", "/static/app.js"):
        resp = api.get(path)
        csp = resp.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["x-frame-options"] == "DENY"


def test_writes_need_a_token(api: httpx.Client, filled: Filled) -> None:
    feed = {"url": "http://127.0.0.1:9/feed.xml", "name": "local"}
    assert api.post("/api/v1/feeds", json=feed).status_code == 401
    bad = api.post("/api/v1/feeds", json=feed, headers={"Authorization": "Bearer sl_wrong"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    assert api.get("/api/v1/watches").status_code == 401
    assert api.post("/api/v1/fetch").status_code == 401
    ok = api.post("/api/v1/feeds", json=feed, headers=auth(filled))  # private allowed here
    assert ok.status_code == 201 and ok.json()["name"] == "local"


def test_request_size_limit(api: httpx.Client, filled: Filled) -> None:
    big = {"kind": "query", "target": "x", "name": "y" * 200_000}
    resp = api.post("/api/v1/watches", json=big, headers=auth(filled))
    assert resp.status_code == 413


def test_watch_alert_and_feed_over_api(api: httpx.Client, filled: Filled) -> None:
    made = api.post("/api/v1/watches", headers=auth(filled),
                    json={"kind": "storyline", "target": "S1", "cooldown_s": 0})
    assert made.status_code == 201
    watch = made.json()
    assert api.post("/api/v1/alerts/check", headers=auth(filled)).json()["alerts"] == []
    store = SQLiteStore(filled.path)
    body = {**store.brief_version("S1").body, "headline": "New turn " + XSS_TITLE,
            "new_since": {"previous_version": 2, "event_ids": []}}
    store.add_brief_version(BriefVersion("S1", 0, datetime.now(UTC), body, filled.events))
    store.close()
    first = api.post("/api/v1/alerts/check", headers=auth(filled)).json()["alerts"]
    assert len(first) == 1 and first[0]["key"] == "brief:S1:3"
    assert api.post("/api/v1/alerts/check", headers=auth(filled)).json()["alerts"] == []
    feed = api.get(watch["feed"])
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert len(entries) == 1 and "New turn <script>" in entries[0].find(f"{ATOM}title").text
    assert b"<script>" not in feed.content
    listed = api.get("/api/v1/watches", headers=auth(filled)).json()["items"]
    assert watch["id"] in {w["id"] for w in listed}
    assert api.delete(f"/api/v1/watches/{watch['id']}", headers=auth(filled)).status_code == 200
    assert api.delete(f"/api/v1/watches/{watch['id']}", headers=auth(filled)).status_code == 404
    bad = api.post("/api/v1/watches", headers=auth(filled), json={"kind": "pair", "target": "RUS"})
    assert bad.status_code == 422


def test_trigger_fetch_runs_in_background(api: httpx.Client, filled: Filled) -> None:
    resp = api.post("/api/v1/fetch", headers=auth(filled))
    assert resp.status_code == 202
    deadline = time.monotonic() + 20
    while api.get("/api/v1/fetch", headers=auth(filled)).json()["running"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert api.get("/api/v1/fetch", headers=auth(filled)).json()["last"] is not None


@pytest.fixture(scope="module")
def strict(filled: Filled) -> Iterator[httpx.Client]:
    """A server that refuses private URLs and needs a token for reads too."""
    settings = WebSettings(read_token_required=True, allow_private_urls=False)
    app = create_app(filled.path, settings)

    @app.get("/api/v1/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @app.get("/boom", include_in_schema=False)
    def boom_page() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    with running_server(filled.path, app=app) as base, httpx.Client(base_url=base) as client:
        yield client


def test_private_feed_and_webhook_urls_refused(strict: httpx.Client, filled: Filled) -> None:
    for url in ("http://127.0.0.1/feed", "http://10.1.2.3/rss", "http://169.254.169.254/latest",
                "http://[::1]/x", "http://localhost/x", "file:///etc/passwd"):
        resp = strict.post("/api/v1/feeds", json={"url": url}, headers=auth(filled))
        assert resp.status_code == 422, url
        assert "refused" in resp.json()["error"]
    hook = strict.post("/api/v1/watches", headers=auth(filled),
                       json={"kind": "query", "target": "grain",
                             "webhook_url": "http://192.168.1.10/hook"})
    assert hook.status_code == 422 and "webhook refused" in hook.json()["error"]


def test_reads_can_require_a_token(strict: httpx.Client, filled: Filled) -> None:
    assert strict.get("/api/v1/storylines").status_code == 401
    assert strict.get("/api/v1/storylines", headers=auth(filled)).status_code == 200
    page = strict.get("/")
    assert page.status_code == 401 and "/login" in page.text
    assert strict.post("/login", data={"token": "sl_nope"}).status_code == 401
    login = strict.post("/login", data={"token": filled.token})
    assert login.status_code == 303
    cookie = login.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert strict.get("/").status_code == 200  # the cookie jar now carries the token
    strict.cookies.clear()


def test_errors_never_show_internals(strict: httpx.Client, filled: Filled) -> None:
    api_err = strict.get("/api/v1/boom", headers=auth(filled))
    assert api_err.status_code == 500
    assert api_err.json() == {"error": "Internal error", "status": 500}
    page = strict.get("/boom", headers=auth(filled))
    assert page.status_code == 500
    assert "Traceback" not in page.text and "passwd" not in page.text
    assert strict.get("/api/v1/storylines", headers=auth(filled)).status_code == 200  # still up
