"""Watches and alerts: matching, de-duplication, cool-down, webhook delivery and retry."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline import alerts
from storyline.model import Article, BriefVersion, EventRecord, Storyline
from storyline.store.sqlite import SQLiteStore
from storyline.store.sqlite_web import WebTablesMixin

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


#: SQLiteStore with the web tables (composed here until SQLiteStore inherits the mixin).
Store = (SQLiteStore if issubclass(SQLiteStore, WebTablesMixin)
         else type("Store", (WebTablesMixin, SQLiteStore), {}))


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    s = Store(tmp_path / "alerts.db")
    s.save_storylines([Storyline(id="S1", title="Pact", event_count=1)])
    yield s
    s.close()


def brief(store: Store, n_events: int) -> None:
    body = {"storyline_id": "S1", "title": "Pact", "label": "Pact", "headline": f"h{n_events}",
            "lead": [{"text": f"Lead {n_events}.", "cites": [1], "flag": None}],
            "new_since": {"previous_version": None, "event_ids": [n_events]}}
    store.add_brief_version(BriefVersion("S1", 0, T0, body, list(range(n_events))))


def record(store: Store, src: str, tgt: str | None, intensity: float = 1.0) -> None:
    store.add_event_records([EventRecord(src, "CONSULT", tgt, intensity, T0, None, None, "s")])


class Hook:
    """A webhook receiver on 127.0.0.1 that records POSTed JSON and answers ``status``."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("content-length", 0))
                hook.received.append(json.loads(self.rfile.read(length)))
                self.send_response(hook.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.close()


def test_storyline_watch_alerts_once_per_new_version(store: Store) -> None:
    brief(store, 1)
    watch = alerts.new_watch(store, "storyline", "S1", cooldown_s=0)
    assert alerts.check(store, T0) == []  # the backlog (version 1) is not news
    brief(store, 2)
    new = alerts.check(store, T0 + timedelta(minutes=1))
    assert [a.key for a in new] == ["brief:S1:2"] and new[0].watch_id == watch.id
    assert new[0].payload["new_event_ids"] == [2]
    assert alerts.check(store, T0 + timedelta(minutes=2)) == []  # de-duplicated
    assert [a.key for a in store.alerts(watch.id)] == ["brief:S1:2"]


def test_cool_down_holds_matches_and_reports_them_together(store: Store) -> None:
    alerts.new_watch(store, "actor", "RUS", cooldown_s=3600)
    record(store, "RUS", "BLR")
    assert len(alerts.check(store, T0)) == 1
    record(store, "BLR", "RUS", 2.0)
    assert alerts.check(store, T0 + timedelta(minutes=10)) == []  # cooling down
    record(store, "RUS", "USA", -4.0)
    later = alerts.check(store, T0 + timedelta(hours=2))
    assert len(later) == 1 and later[0].payload["records"] == 2
    assert later[0].payload["conflict"] == -4.0 and later[0].payload["cooperation"] == 2.0


def test_pair_watch_matches_either_direction_only(store: Store) -> None:
    watch = alerts.new_watch(store, "pair", "BLR,RUS", cooldown_s=0)
    assert watch.target == "BLR|RUS"
    record(store, "RUS", "USA")
    assert alerts.check(store, T0) == []
    record(store, "BLR", "RUS")
    record(store, "RUS", "BLR")
    new = alerts.check(store, T0 + timedelta(minutes=1))
    assert len(new) == 1 and new[0].payload["records"] == 2


def test_query_watch_matches_new_articles(store: Store) -> None:
    store.add_article(Article(title="Old grain story", text="grain", content_hash="a"))
    alerts.new_watch(store, "query", "grain exports", cooldown_s=0)
    store.add_article(Article(title="Football", text="match report", content_hash="b"))
    assert alerts.check(store, T0) == []
    store.add_article(Article(title="Grain exports resume", text="Grain exports resume.",
                              content_hash="c"))
    new = alerts.check(store, T0 + timedelta(minutes=1))
    assert len(new) == 1 and new[0].payload["items"][0]["title"] == "Grain exports resume"
    assert new[0].link == "/search?q=grain+exports"


def test_webhook_delivery_failure_is_recorded_and_retried(store: Store, hook: Hook) -> None:
    brief(store, 1)
    alerts.new_watch(store, "storyline", "S1", webhook_url=hook.url, cooldown_s=0,
                     allow_private=True)
    brief(store, 2)
    hook.status = 500
    new = alerts.check(store, T0, allow_private=True)
    assert len(new) == 1
    failed = store.alerts()[0]
    assert failed.delivered is None and failed.attempts == 1 and "500" in failed.last_error
    hook.status = 204
    assert alerts.check(store, T0 + timedelta(minutes=1), allow_private=True) == []
    done = store.alerts()[0]
    assert done.delivered is not None and done.attempts == 2 and done.last_error is None
    assert len(hook.received) == 2
    sent = hook.received[-1]
    assert sent["key"] == "brief:S1:2" and sent["watch"]["kind"] == "storyline"
    alerts.check(store, T0 + timedelta(minutes=2), allow_private=True)
    assert len(hook.received) == 2  # delivered alerts are not sent again


def test_unreachable_webhook_times_out_and_gives_up(store: Store) -> None:
    brief(store, 1)
    alerts.new_watch(store, "storyline", "S1", webhook_url="http://127.0.0.1:9/hook",
                     cooldown_s=0, allow_private=True)
    brief(store, 2)
    for i in range(alerts.MAX_ATTEMPTS + 2):
        alerts.check(store, T0 + timedelta(minutes=i), allow_private=True)
    alert = store.alerts()[0]
    assert alert.delivered is None and alert.attempts == alerts.MAX_ATTEMPTS
    assert "Connect" in alert.last_error


def test_private_webhooks_refused_unless_allowed(store: Store, monkeypatch) -> None:
    monkeypatch.delenv("STORYLINE_ALLOW_PRIVATE_URLS", raising=False)
    with pytest.raises(alerts.WatchError, match="webhook refused"):
        alerts.new_watch(store, "query", "grain", webhook_url="http://10.0.0.8/hook")
    # allowed when created, refused at delivery time when the check does not allow it
    brief(store, 1)
    alerts.new_watch(store, "storyline", "S1", webhook_url="http://127.0.0.1:9/h",
                     cooldown_s=0, allow_private=True)
    brief(store, 2)
    alerts.check(store, T0, allow_private=False)
    assert store.alerts()[0].last_error.startswith("refused")


def test_bad_watch_definitions(store: Store) -> None:
    for kind, target in (("planet", "x"), ("pair", "RUS"), ("pair", "RUS|RUS"), ("actor", " ")):
        with pytest.raises(alerts.WatchError):
            alerts.new_watch(store, kind, target)
