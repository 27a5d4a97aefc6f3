import sqlite3

import pytest

from storyline.model import Article, Event, Source
from storyline.store import StoreError, open_store
from storyline.store.sqlite import SQLiteStore, migrations


def make(store, **kw):
    a = Article(title=kw.pop("title", "T"), text=kw.pop("text", "text"), content_hash="h", **kw)
    return store.add_article(a)


def test_new_file_is_wal_and_fully_migrated(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == migrations()[-1][0]
    store.close()
    # reopening applies nothing twice
    assert SQLiteStore(tmp_path / "s.db").migrate() == migrations()[-1][0]


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("this is not sqlite " * 200)
    with pytest.raises(StoreError, match="not a storyline database"):
        open_store(bad)


def test_transaction_rolls_back_everything(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    with pytest.raises(RuntimeError):
        with store.transaction():
            make(store, url="https://a.example/1", canonical_url="https://a.example/1")
            raise RuntimeError("crash mid-batch")
    assert store.stats()["articles"] == 0


def test_find_article_by_url_key_and_hash(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    with store.transaction():
        first = store.add_article(
            Article(title="x", text="y", canonical_url="https://e.org/a", content_hash="H1"),
            external_key="f:1",
        )
    assert store.find_article("https://e.org/a", None, None) == (first, "url")
    assert store.find_article(None, "f:1", None) == (first, "key")
    assert store.find_article(None, None, "H1") == (first, "hash")
    assert store.find_article("https://e.org/b", "f:2", "H2") is None
    with store.transaction(), pytest.raises(sqlite3.IntegrityError):
        store.add_article(Article(canonical_url="https://e.org/a", content_hash="H3"))


def test_fts_search_treats_input_as_words(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    with store.transaction():
        make(store, title="Лукашенко встретился с Путиным", text="Встреча в Минске", lang="ru")
        make(store, title="Flood in Derna", text="Dams burst after the storm", lang="en")
    assert [h.article.lang for h in store.search("Минске")] == ["ru"]
    assert [h.article.title for h in store.search('derna AND "dams')] == ["Flood in Derna"]
    assert store.search('"') == [] and store.search("OR") == []


def test_sources_health_roundtrip(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    src = store.upsert_source(Source(name="Example", url="https://e.org/rss", lang="en"))
    src.last_error, src.consecutive_failures = "HTTP 500", 3
    store.record_fetch(src)
    again = store.source("https://e.org/rss")
    assert again.last_error == "HTTP 500" and again.consecutive_failures == 3
    assert store.remove_source("Example") and store.sources() == []


def test_events_save_assign_merge(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    with store.transaction():
        a1, a2 = make(store, url="u1"), make(store, url="u2")
        e1, e2 = store.new_event_id(), store.new_event_id()
        store.save_events([
            Event(id=e1, label="one", article_count=1, state={"k": 1}),
            Event(id=e2, label="two", article_count=1),
        ])
        store.assign_events([(a1, e1), (a2, e2)])
    assert store.event(e1).state == {"k": 1}
    store.merge_events(e2, e1)
    assert store.event(e2) is None
    assert [a.id for a in store.articles(event_id=e1)] == [a1, a2]


def test_event_ids_are_never_reused_and_a_merge_moves_coded_records(tmp_path):
    from storyline.model import EventRecord

    store = SQLiteStore(tmp_path / "s.db")
    first, second = store.new_event_id(), store.new_event_id()
    store.add_event_records([EventRecord(source_actor="RUS", event_type="CONSULT",
                                         target_actor="BLR", intensity=1.0, event_id=second,
                                         sentence="s")])
    store.merge_events(second, first)  # the newest event is deleted by the merge ...
    assert store.new_event_id() == second + 1  # ... and its id is not handed out again
    assert [r.event_id for r in store.event_records()] == [first]
    store.close()
    assert SQLiteStore(tmp_path / "s.db").new_event_id() == second + 2
