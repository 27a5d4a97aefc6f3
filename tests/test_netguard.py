"""The URL guard refuses loopback, private, link-local and reserved targets, after DNS and on
every redirect hop, unless private targets are explicitly allowed."""

from __future__ import annotations

import httpx
import pytest

from storyline.ingest.http import PoliteClient
from storyline.netguard import ALLOW_PRIVATE_ENV, BlockedURL, UrlGuard, default_guard


def fake_dns(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]
    return resolve


PUBLIC = fake_dns({"news.example": ["93.184.216.34"], "v6.example": ["2606:4700::1111"],
                   "inside.example": ["10.0.0.5"], "mixed.example": ["93.184.216.34", "127.0.0.1"],
                   "meta.example": ["169.254.169.254"], "mapped.example": ["::ffff:127.0.0.1"]})


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.1.2.3:8080/x", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/",
    "http://100.64.0.1/", "http://[::1]/", "http://[fe80::1]/", "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/", "http://2130706433/", "http://0x7f.1/",
    "http://017700000001/", "http://inside.example/feed", "http://mixed.example/",
    "http://meta.example/", "http://mapped.example/",
])
def test_private_targets_are_refused(url: str) -> None:
    with pytest.raises(BlockedURL):
        UrlGuard(resolver=PUBLIC)(url)


@pytest.mark.parametrize("url", ["https://news.example/rss", "http://v6.example:8080/a",
                                 "http://93.184.216.34/"])
def test_public_targets_pass(url: str) -> None:
    UrlGuard(resolver=PUBLIC)(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://news.example/", "gopher://x/",
                                 "http://user:pw@news.example/", "http:///nohost", "not a url"])
def test_bad_schemes_and_forms_are_refused(url: str) -> None:
    with pytest.raises(BlockedURL):
        UrlGuard(resolver=PUBLIC)(url)


def test_unresolvable_host_is_refused() -> None:
    with pytest.raises(BlockedURL, match="cannot resolve"):
        UrlGuard(resolver=PUBLIC)("http://nowhere.example/")


def test_private_allowed_only_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    UrlGuard(allow_private=True, resolver=PUBLIC)("http://127.0.0.1:8000/feed")
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    with pytest.raises(BlockedURL):
        default_guard()("http://127.0.0.1/")
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    default_guard()("http://127.0.0.1/")
    with pytest.raises(BlockedURL):
        default_guard(False)("http://127.0.0.1/")


def test_polite_client_checks_every_redirect_hop() -> None:
    """A public feed that redirects into the LAN is refused at the redirect, before any request
    reaches the private address."""
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"Location": "http://inside.example/admin"})
        return httpx.Response(200, text="secret")

    guard = UrlGuard(resolver=PUBLIC)
    with PoliteClient(delay_s=0, url_guard=guard, transport=httpx.MockTransport(handler)) as c:
        result = c.get("https://news.example/rss")
    assert not result.ok and "refused" in (result.error or "")
    assert "10.0.0.5" in (result.error or "")
    assert requested == ["https://news.example/rss"]


def test_polite_client_refuses_private_first_hop() -> None:
    calls: list[str] = []
    transport = httpx.MockTransport(lambda r: calls.append(str(r.url)) or httpx.Response(200))
    with PoliteClient(delay_s=0, url_guard=UrlGuard(resolver=PUBLIC), transport=transport) as c:
        assert not c.get("http://169.254.169.254/latest").ok
    assert calls == []


def test_system_resolver_refuses_localhost() -> None:
    with pytest.raises(BlockedURL):
        UrlGuard()("http://localhost:9/")
