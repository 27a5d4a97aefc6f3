"""The PostgreSQL store: its SQL translation, and the same results as SQLite on a real server.

The server is a throwaway one on 127.0.0.1 (``pgserver.py``); the tests that need it skip where
PostgreSQL is not installed. The workload is the packaged demo corpus through the whole
pipeline, on both stores.
"""

from __future__ import annotations

from importlib import resources

import pytest

from storyline.ingest.gdelt import LAYOUTS, import_exports
from storyline.pipeline import Pipeline
from storyline.store import StoreError, open_store
from storyline.store.postgres import PostgresStore, translate

CORPUS = resources.files("storyline.demo").joinpath("corpus.jsonl")


# ------------------------------------------------------------------------------ translation
def test_placeholders_become_psycopg_ones_and_literals_keep_their_percent_signs():
    sql, returning = translate("SELECT id FROM event_records WHERE external_key LIKE 'gdelt:%' "
                               "AND source_actor = ? AND note = 'why?'")
    assert sql.startswith("SELECT id FROM event_records WHERE external_key LIKE 'gdelt:%%' "
                          "AND source_actor = %s AND note = 'why?'")
    assert not returning


@pytest.mark.parametrize("sqlite, postgres", [
    ("INSERT OR IGNORE INTO embeddings(content_hash, model, vector) VALUES (?,?,?)",
     "INSERT INTO embeddings(content_hash, model, vector) VALUES (%s,%s,%s) "
     "ON CONFLICT DO NOTHING"),
    ("SELECT json_extract(body, '$.headline') FROM brief_versions",
     "SELECT (body::json->>'headline') FROM brief_versions"),
    ("SELECT count(DISTINCT j.value) FROM events e, json_each(e.sources) j",
     "SELECT count(DISTINCT j.value) FROM events e, json_array_elements_text(e.sources::json) "
     "AS j(value)"),
    ("SELECT min(source_actor, target_actor), sum(intensity > 0) FROM event_records",
     "SELECT LEAST(source_actor, target_actor), sum(CASE WHEN intensity > 0 THEN 1 ELSE 0 END)"
     " FROM event_records"),
    ("SELECT actor FROM (SELECT source_actor AS actor FROM event_records) GROUP BY actor",
     "SELECT actor FROM (SELECT source_actor AS actor FROM event_records) AS _sub1 "
     "GROUP BY actor"),
    ("SELECT * FROM events ORDER BY last_seen DESC, id LIMIT 5",
     "SELECT * FROM events ORDER BY last_seen DESC NULLS LAST, id NULLS FIRST LIMIT 5"),
])
def test_sqlite_idioms_are_rewritten(sqlite, postgres):
    assert translate(sqlite)[0] == postgres


def test_inserts_into_tables_with_generated_ids_return_the_id():
    sql, returning = translate("INSERT INTO tokens(name, hash, created) VALUES (?,?,?)")
    assert returning and sql.endswith(" RETURNING id")
    assert not translate("INSERT INTO stage_state(key, value) VALUES (?, ?)")[1]


# ------------------------------------------------------------------------------ real server
def _snapshot(store) -> dict:
    briefs = {}
    for s in store.storylines():
        body = dict(store.brief_version(s.id).body)
        body.pop("created", None)  # when it was written: wall-clock time
        briefs[s.id] = body
    return {
        "articles": [(a.id, a.title, a.event_id, a.duplicate_of, a.lang) for a in store.articles()],
        "events": [(e.id, e.label, e.storyline_id, e.article_count, e.sources)
                   for e in store.events()],
        "storylines": [(s.id, s.title, s.label, s.lifecycle, round(s.momentum, 6),
                        s.event_count, s.article_count) for s in store.storylines()],
        "links": {s.id: [(x["event_id"], round(x["score"], 6)) for x in
                         store.storyline_links(s.id)] for s in store.storylines()},
        "records": [(r.source_actor, r.event_type, r.target_actor, r.intensity, r.article_id)
                    for r in store.event_records()],
        "briefs": briefs,
        # the same matches (ranked by BM25 in SQLite, by ts_rank in PostgreSQL), widened
        # queries included: actors in any spelling, lexicon words in four languages
        "search": [sorted(h.article.id for h in store.search(q, limit=100))
                   for q in ("Lukashenko", "visa OR gas", "Putin Lukashenko", "Лукашэнку",
                             "недружественных", "unfriendly list", "Belarus OR Minsk",
                             "the Kremlin", "temporary management", "sanctions -Russia")],
        "matched": [sorted(m for h in store.search(q, limit=100) for m in h.matched)
                    for q in ("Lukashenko", "недружественных")],
    }


def test_the_pipeline_gives_the_same_results_on_postgresql_as_on_sqlite(tmp_path, postgres_url):
    results = []
    for location in (tmp_path / "s.db", postgres_url):
        store = open_store(location)
        summary = Pipeline(store).ingest_paths([str(CORPUS)])
        assert summary.ingested > 100 and not summary.errors
        again = Pipeline(store).ingest_paths([str(CORPUS)])  # idempotent on both
        assert again.ingested == 0
        results.append(_snapshot(store))
        store.close()
    sqlite, postgres = results
    for key in sqlite:
        assert postgres[key] == sqlite[key], key
    assert isinstance(open_store(postgres_url), PostgresStore)


def test_web_queries_and_imports_work_on_postgresql(postgres_url, tmp_path):
    store = open_store(postgres_url)
    Pipeline(store).ingest_paths([str(CORPUS)])
    page = store.storyline_page(limit=5)
    assert page[0]["id"] == "sl1" and page[0]["event_count"] > 5
    activity = store.storyline_activity(["sl1"], None)["sl1"]
    assert activity["events"] > 5 and activity["sources"] > 5
    assert store.actor_table(limit=3)[0]["records"] > 10
    assert any(p["id"] == "BLR" for p in store.actor_partners("RUS"))
    series = store.pair_series("RUS", "BLR")
    assert series and all(w["week"] <= x["week"] for w, x in zip(series, series[1:], strict=False))
    assert store.storyline_actor_counts("sl1")["actors"]
    assert store.brief_headers("sl1")[0]["version"] == 1
    hits = store.search_articles("Lukashenko", limit=5)
    assert hits and all("\x02" in h.snippet for h in hits)
    # widened search: every spelling of the actor, and a lexicon word across languages
    everyone = store.search_articles("Lukashenko", limit=100)
    assert {h.article.lang for h in everyone} == {"en", "ru", "be", "uk"}
    assert any(m.startswith("Лукашэнк") for h in everyone for m in h.matched)
    unfriendly = store.search("недружественных", limit=100)
    assert any(h.article.lang == "en" and h.matched == ["unfriendly → недружественных"]
               for h in unfriendly)
    assert store.search_articles("Lukashenko", order="id", after_id=hits[0].article.id)

    line = {c: "" for c in LAYOUTS[61]} | {
        "GLOBALEVENTID": "42", "SQLDATE": "20220307", "EventCode": "163", "GoldsteinScale": "-8",
        "Actor1Code": "RUSGOV", "Actor1CountryCode": "RUS", "Actor1Type1Code": "GOV",
        "Actor2Code": "POL", "Actor2CountryCode": "POL"}
    export = tmp_path / "x.export.CSV"
    export.write_text("\t".join(line[c] for c in LAYOUTS[61]) + "\n", encoding="utf-8")
    assert import_exports(store, [export]).added == 1
    assert import_exports(store, [export]).already_stored == 1
    store.close()


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://me:hunter2@127.0.0.1:1/nowhere")
    assert "cannot connect" in str(err.value) and "hunter2" not in str(err.value)


def test_writers_take_turns_so_concurrent_processes_get_distinct_event_ids(postgres_url):
    """Two connections issuing event ids at once (a read-then-write step) never collide: write
    transactions take one advisory lock, as SQLite's BEGIN IMMEDIATE serialises writers."""
    from concurrent.futures import ThreadPoolExecutor

    open_store(postgres_url).close()  # create the schema once

    def issue(_: int) -> list[int]:
        store = open_store(postgres_url)
        try:
            return [store.new_event_id() for _ in range(25)]
        finally:
            store.close()

    with ThreadPoolExecutor(4) as pool:
        ids = [i for chunk in pool.map(issue, range(4)) for i in chunk]
    assert len(ids) == len(set(ids)) == 100
