"""Outlets across scripts and translated reprints (storyline.outlets). How a brief shows them
(the translation of the first report, the outlet counted once) is driven through the CLI in
tests/e2e/test_cli_brief.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
