"""Shared fixtures: a local HTTP server for ingest tests and a fast, impolite client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feedserver import FeedServer, start_server

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
    with PoliteClient(delay_s=0, timeout=(1.0, 0.5), total_timeout=3.0) as c:
        yield c
