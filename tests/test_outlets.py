"""Outlets across scripts and translated reprints (storyline.outlets), and how a brief shows
them: marked as the translation of the first report, never counted as another outlet."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from test_brief_fixtures import ARTICLES, add_event, build_store

from storyline.brief.render import render
from storyline.brief.writer import BriefStage
from storyline.model import Article
from storyline.outlets import outlet_key, translations

T0 = datetime(2024, 1, 29, 10, tzinfo=UTC)


def test_one_key_per_outlet_whatever_the_script() -> None:
    assert outlet_key("TASS") == outlet_key("ТАСС") == "tass"
    assert outlet_key("BelTA") == outlet_key("БелТА")
    assert outlet_key("RIA Novosti") == outlet_key("РИА Новости")
    assert outlet_key("Interfax") == outlet_key("Интерфакс")
    assert outlet_key("Le Monde (English)") == outlet_key("Le Monde")
    assert outlet_key("Reuters") != outlet_key("TASS")
    assert outlet_key(None) == outlet_key("") == ""


def _a(i: int, source: str, lang: str, hours: float) -> Article:
    return Article(id=i, title=f"t{i}", text="x", source=source, lang=lang,
                   published=T0 + timedelta(hours=hours))


def test_the_same_outlet_in_another_language_soon_after_is_a_translation() -> None:
    reports = [_a(1, "ТАСС", "ru", 0), _a(2, "TASS", "en", 3), _a(3, "Reuters", "en", 1),
               _a(4, "TASS", "en", 24 * 5),  # days later: its own report, not a translation
               _a(5, "ТАСС", "ru", 2)]  # same language: a second report, not a translation
    assert translations(reports) == {2: 1}


def _brief(tmp_path, name: str, reprint: bool) -> dict:
    store = build_store(tmp_path / name)
    try:
        summit = ARTICLES["summit"][0]
        rows = [{**summit, "source": "ТАСС", "lang": "ru", "date": "2024-03-09T09:00:00Z",
                 "title": "Протокол подписан"}]
        if reprint:
            rows.append({**summit, "source": "TASS", "date": "2024-03-09T12:00:00Z"})
        add_event(store, "reprint", rows, link=(0.6, {"score": 0.6}))
        return BriefStage(store).run()[0].body
    finally:
        store.close()


def test_a_brief_marks_the_translation_and_counts_the_outlet_once(tmp_path) -> None:
    body = _brief(tmp_path, "both.db", reprint=True)
    [tass] = [s for s in body["sources"] if s["source"] == "TASS"]
    [original] = [s for s in body["sources"] if s["source"] == "ТАСС"]
    assert tass["translation_of"] == original["article_id"]
    line = next(ln for ln in render(body, "md").splitlines() if ln.startswith(f"{tass['n']}."))
    assert line.endswith(f"(translation of {original['n']})") or (
        f"(translation of {original['n']}) <" in line)
    assert f"(translation of {original['n']})" in render(body, "html")
    alone = _brief(tmp_path, "alone.db", reprint=False)
    outlets = re.compile(r"reported by (\d+) outlets")
    summary, summary_alone = (" ".join(s["text"] for s in b["summary"]) for b in (body, alone))
    assert outlets.search(summary).group(1) == outlets.search(summary_alone).group(1)


def test_the_outlets_preview_and_its_later_report_are_not_one() -> None:
    preview = Article(id=1, title="Seven items on the agenda of the Union State summit",
                      text="Putin and Lukashenko will discuss 7 integration items in Moscow.",
                      source="BelTA", lang="en", published=T0)
    outcome = Article(id=2, title="Лукашенко и Путин подписали пакет документов",
                      text="По итогам заседания Высшего госсовета подписаны 12 документов; "
                           "стороны договорились о совместном ответе на санкции и обсудили "
                           "поставки газа, общий рынок электроэнергии и строительство АЭС.",
                      source="БелТА", lang="ru", published=T0 + timedelta(hours=8))
    assert translations([preview, outcome]) == {}
