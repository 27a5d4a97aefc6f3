"""SSRF through every entry point: no URL a user, a feed list, a feed, a GDELT export or an API
client hands storyline makes it request an address on this machine or its network.

Each test points an entry point at a real listener on 127.0.0.1 (``feed_server`` from
``tests/feedserver.py``) — by a literal address in every spelling, or by a host name that a
resolver stub maps to it — and checks two things: the user gets a clear refusal, and the
listener received **no request**. Without the guard these tests fail, because the listener is
real and would be reached (the name stubs patch ``socket.getaddrinfo``, which the HTTP client
uses too). Private targets are allowed only by ``STORYLINE_ALLOW_PRIVATE_URLS=1``, which these
tests remove.
"""

from __future__ import annotations

import json
import socket

import httpx
import pytest
from cli import run

from storyline import alerts
from storyline.fetching import fetch_all
from storyline.ingest.http import PoliteClient
from storyline.ingest.pages import fetch_article
from storyline.model import Source
from storyline.netguard import ALLOW_PRIVATE_ENV
from storyline.store.sqlite import SQLiteStore
from storyline.store.sqlite_web import Alert, Watch


@pytest.fixture(autouse=True)
def _no_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)


def spellings(port: int, path: str) -> list[str]:
    """127.0.0.1 and the metadata/LAN addresses as URL hosts, in the spellings resolvers accept."""
    return [
        f"http://127.0.0.1:{port}{path}",
        f"http://localhost:{port}{path}",
        f"http://[::1]:{port}{path}",
        f"http://[::ffff:127.0.0.1]:{port}{path}",
        f"http://2130706433:{port}{path}",  # decimal
        f"http://0177.0.0.1:{port}{path}",  # octal
        f"http://0x7f.0.0.1:{port}{path}",  # hex
        f"http://127.1:{port}{path}",  # short form
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.0.0.1/", "http://192.168.1.1/", "http://[fd00::1]/",
    ]


@pytest.fixture
def resolve_to_loopback(monkeypatch: pytest.MonkeyPatch):
    """A resolver stub: names under ``.evil.test`` resolve to 127.0.0.1, for the guard and the
    HTTP client alike (both call ``socket.getaddrinfo``)."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if isinstance(host, str) and host.endswith(".evil.test"):
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_cli_feeds_add_refuses_every_spelling_of_a_private_address(tmp_path, feed_server):
    db = tmp_path / "s.db"
    for url in spellings(feed_server.port, "/ssrf-add"):
        proc = run(db, "feeds", "add", url, "--name", "x", check=False)
        assert proc.returncode == 1, (url, proc.stdout)
        assert "feed refused" in proc.stderr and "Traceback" not in proc.stderr, url
    assert json.loads(run(db, "feeds", "list", "--json").stdout) == []
    assert feed_server.hits("/ssrf-add") == []


def test_cli_fetch_and_watch_never_request_a_stored_private_feed(tmp_path, feed_server):
    """A feed stored before the guard existed (or written into the database by hand) is refused
    when fetched: the listener gets nothing and the feed's health says why."""
    db = tmp_path / "s.db"
    path = "/ssrf-fetch.xml"
    with SQLiteStore(db) as store:
        store.upsert_source(Source(name="inside", url=feed_server.url(path), kind="feed"))
    fetched = run(db, "fetch", "--delay", "0", "--json", check=False)
    assert fetched.returncode == 1  # every feed failed
    report = json.loads(fetched.stdout)
    assert "refused" in report["sources"][0]["error"]
    watched = run(db, "watch", "--times", "1", check=False)
    assert "1 failing feeds" in watched.stdout
    listed = json.loads(run(db, "feeds", "list", "--json").stdout)
    assert "refused" in listed[0]["last_error"] and "loopback" in listed[0]["last_error"]
    assert feed_server.hits(path) == []


def test_feed_list_file_refuses_private_feeds(tmp_path, feed_server):
    home = tmp_path / "home"
    home.mkdir()
    (home / "feeds.toml").write_text(
        f'[[feed]]\nname = "inside"\nurl = "{feed_server.url("/rss20.xml")}"\n')
    proc = run(tmp_path / "s.db", "init", check=False, home=home)
    assert proc.returncode == 1 and "loopback" in proc.stderr and "feeds.toml" in proc.stderr


def test_name_resolving_to_loopback_is_refused_in_feeds_and_pages(
        tmp_path, feed_server, resolve_to_loopback):
    url = f"http://feeds.evil.test:{feed_server.port}/ssrf-name.xml"
    with SQLiteStore(tmp_path / "s.db") as store:
        store.upsert_source(Source(name="evil", url=url, kind="feed"))
        report = fetch_all(store, delay_s=0, analyse=False)
    assert report["errors"] == 1 and "127.0.0.1" in report["sources"][0]["error"]
    with PoliteClient(delay_s=0) as client:
        article, why = fetch_article(f"http://pages.evil.test:{feed_server.port}/ssrf-page",
                                     client)
    assert article is None and "refused" in (why or "")
    assert feed_server.hits("/ssrf-name.xml") == [] and feed_server.hits("/ssrf-page") == []


def test_redirect_into_the_machine_is_refused_at_the_hop(feed_server):
    """A (stubbed) public server redirecting to 127.0.0.1, [::1] or the metadata address: the
    hop is refused before any request leaves."""
    targets = [feed_server.url("/ssrf-redirect"), f"http://[::1]:{feed_server.port}/x",
               "http://169.254.169.254/latest", f"http://2130706433:{feed_server.port}/y"]
    sent: list[str] = []

    def outside(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(302, headers={"Location": targets[len(sent) - 1]})

    from storyline.netguard import UrlGuard

    guard = UrlGuard(resolver=lambda host, port: ["93.184.216.34"])
    with PoliteClient(delay_s=0, url_guard=guard, transport=httpx.MockTransport(outside)) as c:
        for n, _ in enumerate(targets):
            result = c.get(f"https://outlet{n}.example/feed")
            assert not result.ok and "refused" in (result.error or "")
    assert len(sent) == len(targets)  # only the public first hops were requested
    assert feed_server.hits("/ssrf-redirect") == []


def test_gdelt_fetch_pages_never_requests_private_report_urls(tmp_path, feed_server):
    from test_cli_gdelt import RUS_GOV, event

    export = tmp_path / "20220307.export.CSV"
    export.write_text(event(1, "20220307", RUS_GOV, "POL", 40, feed_server.url("/ssrf-gdelt"))
                      + "\n", encoding="utf-8")
    proc = run(tmp_path / "s.db", "gdelt", str(export), "--fetch-pages", "--delay", "0",
               "--json", check=False)
    report = json.loads(proc.stdout)
    assert report["pages"]["fetched"] == 0 and report["pages"]["failed"] == 1
    assert "refused" in report["pages"]["warnings"][0]
    assert feed_server.hits("/ssrf-gdelt") == []


def test_webhooks_refused_when_added_and_when_delivered(tmp_path, feed_server,
                                                        resolve_to_loopback):
    db = tmp_path / "s.db"
    refused = run(db, "watches", "add", "--actor", "RUS", "--webhook",
                  feed_server.url("/ssrf-hook"), check=False)
    assert refused.returncode == 1 and "webhook refused" in refused.stderr
    # The README's example: a public name that cannot be resolved offline is accepted when the
    # watch is added (it is checked when an alert is delivered).
    added = run(db, "watches", "add", "--pair", "RUS,BLR", "--webhook",
                "https://hooks.invalid/hook", check=False)
    assert added.returncode == 0, added.stderr
    # A watch whose name resolves to the machine only at delivery time (DNS changed since).
    with SQLiteStore(db) as store:
        watch = store.add_watch(Watch(kind="query", target="sanctions", name="q",
                                      webhook_url=f"http://hook.evil.test:{feed_server.port}"
                                                  "/ssrf-hook"))
        store.add_alert(Alert(watch_id=watch.id or 0, key="k1", title="t", summary="s"))
        counts = alerts.deliver_pending(store)
        assert counts == {"delivered": 0, "failed": 1}
        (pending,) = store.pending_alerts(10)
        assert "refused" in (pending.last_error or "")
    assert feed_server.hits("/ssrf-hook") == []


def test_api_refuses_private_feeds_and_webhooks(tmp_path, feed_server):
    from test_web_support import fill_store, running_server

    from storyline.web.security import WebSettings

    filled = fill_store(tmp_path / "web.db")
    auth = {"Authorization": f"Bearer {filled.token}"}
    settings = WebSettings(allow_private_urls=False)
    with running_server(filled.path, settings) as base, httpx.Client(base_url=base) as api:
        for url in spellings(feed_server.port, "/ssrf-api"):
            resp = api.post("/api/v1/feeds", json={"url": url, "name": "x"}, headers=auth)
            assert resp.status_code == 422 and "refused" in resp.text, url
            resp = api.post("/api/v1/watches", headers=auth,
                            json={"kind": "actor", "target": "RUS", "webhook_url": url})
            assert resp.status_code == 422 and "refused" in resp.text, url
    assert feed_server.hits("/ssrf-api") == []


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch):
    """A resolver stub for DNS rebinding: a name under ``.rebind.test`` resolves to a public
    address the first time it is asked, and to 127.0.0.1 every time after."""
    real = socket.getaddrinfo
    asked: dict[str, int] = {}

    def fake(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if isinstance(host, str) and host.endswith(".rebind.test"):
            asked[host] = asked.get(host, 0) + 1
            return real("93.184.216.34" if asked[host] == 1 else "127.0.0.1", port,
                        *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


def test_dns_rebinding_between_the_check_and_the_connection_is_refused(
        tmp_path, feed_server, rebinding):
    """The guard's check sees a public address; the connection's own lookup would see
    127.0.0.1. Stored feeds (what `storyline fetch` runs), feeds, pages and webhooks connect
    only to an address checked as they connect, so the listener gets nothing (before, the HTTP
    client looked the name up again and reached it)."""
    port = feed_server.port
    with SQLiteStore(tmp_path / "f.db") as store:  # what `storyline fetch` runs
        store.upsert_source(Source(name="rebind", kind="feed",
                                   url=f"http://stored.rebind.test:{port}/rss20.xml?stored"))
        report = fetch_all(store, delay_s=0, analyse=False)
    assert report["errors"] == 1 and "127.0.0.1" in report["sources"][0]["error"]
    with PoliteClient(delay_s=0) as client:
        result = client.get(f"http://feeds.rebind.test:{port}/rss20.xml?rebind")
        assert not result.ok and "refused" in (result.error or "")
        assert "127.0.0.1" in (result.error or "")
        article, why = fetch_article(f"http://pages.rebind.test:{port}/ssrf-rebind-page",
                                     client)
        assert article is None and "refused" in (why or "")
    with SQLiteStore(tmp_path / "s.db") as store:
        watch = store.add_watch(Watch(kind="query", target="sanctions", name="q",
                                      webhook_url=f"http://hook.rebind.test:{port}/ssrf-rebind"))
        store.add_alert(Alert(watch_id=watch.id or 0, key="k1", title="t", summary="s"))
        assert alerts.deliver_pending(store) == {"delivered": 0, "failed": 1}
        assert "refused" in (store.pending_alerts(10)[0].last_error or "")
    assert feed_server.hits("/rss20.xml?rebind") == [] and feed_server.hits("/ssrf-rebind") == []
    assert feed_server.hits("/ssrf-rebind-page") == []
    assert feed_server.hits("/rss20.xml?stored") == []
    assert set(rebinding) == {"stored.rebind.test", "feeds.rebind.test", "pages.rebind.test",
                              "hook.rebind.test"}


def test_the_connection_goes_to_the_address_the_guard_checked(feed_server):
    """A name only the guard's resolver knows: the fetch reaches the listener at the address
    that resolver gave, so no second lookup decides where the request goes."""
    from storyline.netguard import UrlGuard

    guard = UrlGuard(allow_private=True, resolver=lambda host, port: ["127.0.0.1"])
    with PoliteClient(delay_s=0, url_guard=guard) as client:
        result = client.get(f"http://only-the-guard-knows.invalid:{feed_server.port}"
                            "/rss20.xml?pinned")
    assert result.ok, result.error
    assert len(feed_server.hits("/rss20.xml?pinned")) == 1
