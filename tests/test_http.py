"""PoliteClient against a real local server: limits, faults and manners, never an exception."""

from __future__ import annotations

import socket
import time

from feedserver import ETAG, HUGE_SIZE, LAST_MODIFIED, FeedServer

from storyline.ingest.http import USER_AGENT, PoliteClient, decode_body


def test_plain_get_sends_user_agent(feed_server: FeedServer, client: PoliteClient) -> None:
    resp = client.get(feed_server.url("/rss20.xml"))
    assert resp.ok and resp.status == 200 and not resp.truncated
    assert resp.body.startswith(b"<?xml")
    assert resp.content_type == "application/rss+xml" and resp.charset == "utf-8"
    sent = feed_server.hits("/rss20.xml")[-1].headers
    assert sent["user-agent"] == USER_AGENT and "storyline" in USER_AGENT


def test_conditional_get(feed_server: FeedServer, client: PoliteClient) -> None:
    first = client.get(feed_server.url("/etag.xml"))
    assert first.status == 200 and first.headers["etag"] == ETAG
    assert first.headers["last-modified"] == LAST_MODIFIED
    by_etag = client.get(feed_server.url("/etag.xml"), etag=ETAG)
    assert by_etag.status == 304 and by_etag.not_modified and by_etag.ok and by_etag.body == b""
    assert feed_server.hits("/etag.xml")[-1].headers["if-none-match"] == ETAG
    by_date = client.get(feed_server.url("/etag.xml"), last_modified=LAST_MODIFIED)
    assert by_date.not_modified
    stale = client.get(feed_server.url("/etag.xml"), etag='"old"')
    assert stale.status == 200 and not stale.not_modified


def test_http_errors_name_status_and_url(feed_server: FeedServer, client: PoliteClient) -> None:
    for path, status in (("/missing.xml", 404), ("/broken.xml", 500)):
        url = feed_server.url(path)
        resp = client.get(url)
        assert resp.status == status and not resp.ok
        assert resp.error and str(status) in resp.error and url in resp.error


def test_redirect_followed(feed_server: FeedServer, client: PoliteClient) -> None:
    resp = client.get(feed_server.url("/moved.xml"))
    assert resp.ok and resp.url == feed_server.url("/rss20.xml")
    assert resp.redirects == [feed_server.url("/moved.xml")]


def test_redirect_loop_detected(feed_server: FeedServer, client: PoliteClient) -> None:
    before = len(feed_server.hits("/loop-a"))
    resp = client.get(feed_server.url("/loop-a"))
    assert not resp.ok and resp.status == 0
    assert "redirect loop" in (resp.error or "") and feed_server.url("/loop-a") in (
        resp.error or ""
    )
    assert len(feed_server.hits("/loop-a")) - before == 1


def test_redirects_bounded(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, max_redirects=3, timeout=(1, 1)) as c:
        assert c.get(feed_server.url("/hops/3")).ok
        resp = c.get(feed_server.url("/hops/10"))
    assert not resp.ok and "too many redirects" in (resp.error or "")
    assert feed_server.url("/hops/10") in (resp.error or "")


def test_redirect_without_location(feed_server: FeedServer, client: PoliteClient) -> None:
    resp = client.get(feed_server.url("/no-location"))
    assert not resp.ok and "Location" in (resp.error or "")


def test_read_timeout_is_an_error_not_an_exception(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, timeout=(1.0, 0.2)) as c:
        start = time.monotonic()
        resp = c.get(feed_server.url("/slow.xml"))
    assert time.monotonic() - start < 1.5
    assert not resp.ok and "timeout" in (resp.error or "")
    assert feed_server.url("/slow.xml") in (resp.error or "")


def test_total_timeout_cuts_a_dripping_response(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, timeout=(1.0, 0.5),
                      total_timeout=0.3) as c:
        start = time.monotonic()
        resp = c.get(feed_server.url("/drip.xml"))
    assert time.monotonic() - start < 1.5
    assert resp.truncated and any("total timeout" in w for w in resp.warnings)


def test_size_cap_cuts_a_20mb_body(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, timeout=(1, 2), max_bytes=100_000) as c:
        resp = c.get(feed_server.url("/huge.xml"))
    assert resp.ok and resp.truncated and len(resp.body) == 100_000
    assert any("100000-byte cap" in w for w in resp.warnings)
    time.sleep(0.1)
    assert feed_server.bytes_sent.get("/huge.xml", 0) < HUGE_SIZE // 2  # the server stopped early


def test_default_cap_is_5mb(feed_server: FeedServer) -> None:
    with PoliteClient(allow_private=True, delay_s=0, timeout=(1, 2)) as c:
        assert c.max_bytes == 5_000_000
        resp = c.get(feed_server.url("/huge.xml"))
    assert resp.truncated and len(resp.body) == 5_000_000


def test_truncated_transfer_keeps_the_partial_body(
    feed_server: FeedServer, client: PoliteClient
) -> None:
    resp = client.get(feed_server.url("/truncated-transfer.xml"))
    assert resp.ok and resp.truncated and resp.body.startswith(b"<?xml")
    assert any("connection broke" in w for w in resp.warnings)


def test_connection_refused(client: PoliteClient) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    resp = client.get(url)
    assert not resp.ok and resp.status == 0 and url in (resp.error or "")


def test_only_http_schemes(client: PoliteClient) -> None:
    for url in (
        "file:///etc/passwd",
        "ftp://example.invalid/x",
        "http://",
        "not a url",
        "http://127.0.0.1:99999/x",
        "http://[::1/x",
        "",
    ):
        resp = client.get(url)
        assert not resp.ok and resp.error, url


def test_url_guard_sees_every_hop(feed_server: FeedServer) -> None:
    seen: list[str] = []

    def guard(url: str) -> None:
        seen.append(url)
        if url.endswith("/rss20.xml"):
            raise ValueError("private address not allowed")

    with PoliteClient(delay_s=0, url_guard=guard) as c:
        resp = c.get(feed_server.url("/moved.xml"))
    assert seen == [feed_server.url("/moved.xml"), feed_server.url("/rss20.xml")]
    assert not resp.ok and "private address not allowed" in (resp.error or "")
    assert feed_server.url("/rss20.xml") in (resp.error or "")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_politeness_delay_per_host(feed_server: FeedServer) -> None:
    clock = FakeClock()
    with PoliteClient(allow_private=True, delay_s=2.0, clock=clock, sleep=clock.sleep) as c:
        c.get(feed_server.url("/rss20.xml"))
        c.get(feed_server.url("/rss20.xml"))
        clock.now += 0.5
        c.get(feed_server.url("/rss20.xml"))
        # another host name for the same server is another host: no wait
        c.get(f"http://localhost:{feed_server.port}/rss20.xml")
    assert clock.sleeps == [2.0, 1.5]


def test_decode_body_prefers_valid_utf8_over_a_wrong_label() -> None:
    text = "Привет, мир"
    decoded, enc, warnings = decode_body(text.encode("utf-8"), ["windows-1251"])
    assert decoded == text and enc == "utf-8" and "wrong" in warnings[0]
    decoded, enc, _ = decode_body(text.encode("cp1251"), ["windows-1251"])
    assert decoded == text and enc == "cp1251"
    long_ru = "Правительство объявило о переговорах с соседями в следующем месяце. " * 3
    decoded, _, warnings = decode_body(long_ru.encode("cp1251"), ["utf-8"])
    assert decoded == long_ru and warnings
    assert decode_body(b"plain", [None, "no-such-charset"])[0] == "plain"
    assert decode_body(b"\xef\xbb\xbfbom", [])[0] == "bom"
