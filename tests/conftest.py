"""Shared fixtures: a local HTTP server for ingest tests, a fast, impolite client for it, and a
throwaway PostgreSQL server for the tests whose subject is PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feedserver import FeedServer, start_server
from pgserver import new_database, start_postgres

from storyline.ingest.http import PoliteClient


@pytest.fixture(scope="session")
def feed_server() -> Iterator[FeedServer]:
    """The fake-outlet server from ``feedserver.py`` on a random 127.0.0.1 port."""
    server, shutdown = start_server()
    yield server
    shutdown()


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    """A client with no politeness delay and short timeouts, so the suite stays fast."""
    with PoliteClient(delay_s=0, timeout=(1.0, 0.5), total_timeout=3.0,
                      allow_private=True) as c:
        yield c


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 for this test session (its ``postgres`` database URL);
    the tests that use it skip where PostgreSQL is not installed."""
    try:
        url, stop = start_postgres()
    except (FileNotFoundError, KeyError) as exc:
        pytest.skip(f"no PostgreSQL here: {exc}")
    yield url
    stop()


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """The URL of a fresh, empty database on the session's PostgreSQL server."""
    return new_database(postgres_server)
