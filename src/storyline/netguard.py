"""Refuse URLs that point into the machine or the local network (SSRF protection).

Feed URLs, page URLs and webhook URLs come from users (CLI, web API, feeds' own links, GDELT
exports), so a request to them must never
reach ``127.0.0.1``, the LAN, a cloud metadata service (``169.254.169.254``) or anything else
that is not on the public internet. :class:`UrlGuard` resolves the host name and refuses the URL
when *any* address it resolves to is not globally routable. It is a plain callable;
:class:`~storyline.ingest.http.PoliteClient` — the one HTTP client every fetch goes through —
calls :func:`default_guard`'s on the first URL and on every redirect hop, and URLs are checked
again (:func:`check_saved_url`) when a feed or a webhook is saved, so a bad one is refused with a
message at once.

Tests that serve feeds on 127.0.0.1 allow private addresses explicitly
(``UrlGuard(allow_private=True)`` or ``STORYLINE_ALLOW_PRIVATE_URLS=1``); nothing else does.

DNS rebinding: a name checked once and resolved again when the client connects could point
somewhere else the second time. So the clients that fetch users' URLs connect through
:func:`guarded_transport`: its connections resolve the name through the guard, check every
address, and connect only to an address so checked — the check and the connection use one
answer. (TLS still verifies the certificate against the name in the URL.)
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpcore

if TYPE_CHECKING:
    import httpx

#: Environment switch that allows loopback/private targets (local development and tests only).
ALLOW_PRIVATE_ENV = "STORYLINE_ALLOW_PRIVATE_URLS"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]


class BlockedURL(ValueError):
    """The URL is not allowed: wrong scheme, no host, or a non-public address."""


def allow_private_from_env() -> bool:
    """True when ``STORYLINE_ALLOW_PRIVATE_URLS`` is set to 1/true/yes."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), as the OS resolver answers."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def is_public(address: IPAddress) -> bool:
    """Whether an address is globally routable (not loopback, private, link-local, ...).

    IPv4-mapped and 6to4/Teredo-embedded IPv6 addresses are judged by the IPv4 address inside
    them, so ``::ffff:127.0.0.1`` counts as loopback.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if address.teredo:
            inner = address.teredo[1]
        if inner is not None:
            return is_public(inner)
    return bool(
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
    )


class UrlGuard:
    """A callable that raises :class:`BlockedURL` for a URL the server must not request.

    Parameters:
        allow_private: allow loopback/private/link-local targets (tests, local development).
        resolver: ``(host, port) -> addresses``; the system resolver by default (injectable for
            tests).
        schemes: allowed URL schemes.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
        schemes: tuple[str, ...] = ("http", "https"),
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.schemes = schemes

    def __call__(self, url: str) -> None:
        self.check(url)

    def check(self, url: str, *, unresolved_ok: bool = False) -> list[str]:
        """Validate ``url``; return the addresses it resolves to, or raise :class:`BlockedURL`.

        ``unresolved_ok`` is for URLs being *saved* (a feed, a webhook), not fetched: a host name
        that cannot be resolved now (offline, a name that exists later) passes with no
        addresses, since every request is checked again when it is made.
        """
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as exc:
            raise BlockedURL(f"invalid URL {url!r}: {exc}") from exc
        if parts.scheme.lower() not in self.schemes:
            raise BlockedURL(f"{url!r}: only {'/'.join(self.schemes)} URLs are allowed")
        host = parts.hostname
        if not host:
            raise BlockedURL(f"{url!r}: no host name")
        if parts.username or parts.password:
            raise BlockedURL(f"{url!r}: credentials in URLs are not allowed")
        port = port or (443 if parts.scheme.lower() == "https" else 80)
        return self.addresses(host, port, what=repr(url), unresolved_ok=unresolved_ok)

    def addresses(self, host: str, port: int, *, what: str | None = None,
                  unresolved_ok: bool = False) -> list[str]:
        """The addresses ``host`` resolves to, every one of them checked; raises
        :class:`BlockedURL` (naming ``what``, the URL, in its message) when one is not public or
        the name does not resolve (unless ``unresolved_ok``: then ``[]``)."""
        what = what or repr(host)
        literal = _literal_address(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = list(self.resolver(host, port))
            except (OSError, UnicodeError) as exc:
                if unresolved_ok:
                    return []
                raise BlockedURL(f"{what}: cannot resolve {host!r} ({exc})") from exc
            if not addresses and not unresolved_ok:
                raise BlockedURL(f"{what}: {host!r} resolves to no address")
        if self.allow_private:
            return addresses
        for text in addresses:
            try:
                address = ipaddress.ip_address(text.split("%", 1)[0])
            except ValueError as exc:
                raise BlockedURL(f"{what}: resolver gave a bad address {text!r}") from exc
            if not is_public(address):
                raise BlockedURL(
                    f"{what}: {host} resolves to {address}, a loopback, private, link-local or "
                    f"reserved address (set {ALLOW_PRIVATE_ENV}=1 to allow, for local use only)"
                )
        return addresses


def _literal_address(host: str) -> IPAddress | None:
    """The address when ``host`` is an IP literal (including odd IPv4 spellings), else None.

    ``http://2130706433/`` and ``http://0x7f.1/`` are 127.0.0.1 to most resolvers; they are
    parsed the way ``inet_aton`` does so that such spellings cannot sneak past the check.
    """
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:  # read as resolvers do: IDNA maps full-width "１２７.０.０.１" to "127.0.0.1"
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    if all(c in "0123456789abcdefxABCDEFX." for c in host) and any(c.isdigit() for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def guarded_transport(guard: UrlGuard) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes to an address ``guard`` has just
    resolved and checked (:meth:`UrlGuard.addresses`), so a name cannot be checked on one
    answer and connected on another. A refused address raises :class:`BlockedURL` from the
    request."""
    import httpx

    transport = httpx.HTTPTransport(trust_env=False)
    # the transport's connection pool, rebuilt around a network backend that connects only to
    # checked addresses (httpx takes no backend of its own)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=_GuardedBackend(guard))
    return transport


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's blocking network backend, connecting to the guard's checked addresses of a
    host (the first that answers) instead of letting the OS resolve the name again."""

    def __init__(self, guard: UrlGuard) -> None:
        self.guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        error: Exception | None = None
        for address in self.guard.addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout=timeout,
                                           local_address=local_address,
                                           socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"{host} resolves to no address")


def default_guard(allow_private: bool | None = None) -> UrlGuard:
    """The guard used by the web server and alerts; private targets only when allowed."""
    allow = allow_private_from_env() if allow_private is None else allow_private
    return UrlGuard(allow_private=allow)


def check_saved_url(url: str, allow_private: bool | None = None, *,
                    resolver: Resolver = system_resolver) -> None:
    """Refuse a feed or webhook URL as it is saved (raises :class:`BlockedURL`): a scheme other
    than http(s), credentials, a literal private address, or a name that resolves to one. A name
    that does not resolve now is accepted; the request itself is checked again when it is made."""
    allow = allow_private_from_env() if allow_private is None else allow_private
    UrlGuard(allow_private=allow, resolver=resolver).check(url, unresolved_ok=True)
