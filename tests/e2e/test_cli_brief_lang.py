"""End-to-end: the demo's tracked brief in Russian, through the real CLI (``storyline brief t1
--lang ru``) and the real HTTP server (``?lang=ru``, the page's link): Russian headings and
composed parts, quotes only from Russian reports, other-language reports told in Russian with
their originals kept, the stored English version untouched, and clear refusals."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from cli import run, run_json
from test_web_support import running_server

from storyline.brief.labels import is_foreign
from storyline.brief.render import iter_sentences

HEADINGS = ("## Главное событие: ", "## Более широкий контекст и новые события",
            "## Значение и последствия", "## Текущее положение и перспективы", "## Итог",
            "## Основные участники", "## Источники")
_ENGLISH_DATE = re.compile(r"\(\d{1,2} (?:January|February|March|April|May|June|July|August|"
                           r"September|October|November|December) \d{4}\)")


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Path:
    return demo_db


def _languages(db: Path, ids: list[int]) -> dict[int, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(f"SELECT id, lang FROM articles WHERE id IN "
                            f"({','.join('?' * len(ids))})", ids).fetchall()
    return dict(rows)


def test_the_tracked_brief_in_russian(demo: Path) -> None:
    md = run(demo, "brief", "t1", "--lang", "ru").stdout
    assert md.startswith("# Россия и Беларусь: ")
    for heading in HEADINGS:
        assert heading in md
    assert "Main Event" not in md and not _ENGLISH_DATE.search(md)
    # the finding both lists share, composed in Russian
    assert "Оба правительства внесли в перечни одни и те же государства: все 39 государств" in md
    # Belarus's list, reported in Ukrainian and English: told in Russian, the original kept
    assert "Правительство Беларуси включило государства в белорусский перечень" in md
    assert "(оригинал: «Уряд Білорусі" in md

    body = run_json(demo, "brief", "t1", "--lang", "ru")
    stored = run_json(demo, "brief", "t1")
    assert body["lang"] == "ru" and body["composed_on_request"] is True
    assert stored["lang"] == "en" and stored["title"].startswith("Russia and Belarus")
    assert body["version"] == stored["version"]
    langs = _languages(demo, [s["article_id"] for s in body["sources"]])
    by_number = {s["n"]: langs[s["article_id"]] for s in body["sources"]}
    sentences = iter_sentences(body)
    assert len(sentences) >= 15
    for sentence in sentences:
        assert not is_foreign(sentence["text"], "ru"), sentence["text"]
        if not (sentence.get("composed") or sentence.get("note")):  # a quote: Russian report
            assert by_number[sentence["cites"][0]] == "ru", sentence["text"]
        if sentence.get("original"):
            assert by_number[sentence["cites"][0]] != "ru"


def test_other_languages_and_stored_views_are_refused_clearly(demo: Path) -> None:
    other = run(demo, "brief", "t1", "--lang", "uk", check=False)
    assert other.returncode == 2 and "briefs are written in en, ru" in other.stderr
    diff = run(demo, "brief", "t1", "--lang", "ru", "--diff", check=False)
    assert diff.returncode == 2 and "--diff show stored versions" in diff.stderr
    missing = run(demo, "brief", "nope", "--lang", "ru", check=False)
    assert missing.returncode == 1 and "no storyline 'nope'" in missing.stderr
    assert "Traceback" not in other.stderr + diff.stderr + missing.stderr


def test_the_api_and_the_page_give_the_russian_brief(demo: Path) -> None:
    with running_server(demo) as base, httpx.Client(base_url=base, timeout=120) as client:
        md = client.get("/api/v1/storylines/t1/briefs/latest.md", params={"lang": "ru"})
        assert md.status_code == 200 and md.text.startswith("# Россия и Беларусь: ")
        body = client.get("/api/v1/storylines/t1/briefs/latest.json",
                          params={"lang": "ru"}).json()["body"]
        assert body["lang"] == "ru"
        html = client.get("/api/v1/storylines/t1/briefs/latest.html", params={"lang": "ru"})
        assert html.status_code == 200 and "<h3>Значение и последствия</h3>" in html.text
        old = client.get("/api/v1/storylines/t1/briefs/1.md", params={"lang": "ru"})
        assert old.status_code == 422 and "latest" in old.json()["error"]
        bad = client.get("/api/v1/storylines/t1/briefs/latest.md", params={"lang": "xx"})
        assert bad.status_code == 422
        english = client.get("/api/v1/storylines/t1/briefs/latest.md")
        assert english.text.startswith("# Russia and Belarus")
        page = client.get("/storylines/t1").text
        assert 'href="/api/v1/storylines/t1/briefs/latest.html?lang=ru"' in page


def test_the_demo_writes_the_tracked_brief_in_russian_too(demo: Path) -> None:
    """The README: the demo writes ``briefs/t1.ru.md``, what ``brief t1 --lang ru`` prints."""
    written = (demo.parent / "briefs" / "t1.ru.md").read_text(encoding="utf-8")
    assert written.startswith("# Россия и Беларусь: ")
    assert "ТАСС" in written and "БелТА" in written
    assert "по сообщениям СМИ на украинском языке" in written
    assert written.strip() == run(demo, "brief", "t1", "--lang", "ru").stdout.strip()
    assert not (demo.parent / "briefs" / "sl1.ru.md").exists()  # tracked storylines only
