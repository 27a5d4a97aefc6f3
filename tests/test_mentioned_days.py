"""Days named in Russian, Ukrainian and Belarusian text (English forms: tests/test_timeline.py)."""

from datetime import date

from storyline.mentioned_days import find_dates, find_mentions, mention_kind

FRIDAY = date(2026, 2, 27)


def test_cyrillic_day_month_dates_in_three_languages():
    assert find_dates("Заседание прошло 26 февраля в Москве.", FRIDAY) == [date(2026, 2, 26)]
    assert find_dates("Сесія відбулася 26 лютого у Москві.", FRIDAY) == [date(2026, 2, 26)]
    assert find_dates("Пасяджэнне адбылося 26 лютага 2026 года.", FRIDAY) == [date(2026, 2, 26)]
    assert mention_kind("Сесія відбулася 26 лютого.") == "calendar"


def test_cyrillic_weekdays_after_a_preposition_and_relative_words():
    assert find_mentions("В четверг президенты открыли заседание.", FRIDAY) == [
        (date(2026, 2, 26), False)]
    assert find_dates("Переговоры прошли у середу.", FRIDAY) == [date(2026, 2, 25)]
    assert find_dates("Учора прэзідэнты сустрэліся, сёння — не.", FRIDAY) == [
        date(2026, 2, 26), date(2026, 2, 27)]
    assert find_dates("Вчора президенти зустрілися.", FRIDAY) == [date(2026, 2, 26)]
    # a weekday name not after "в"/"у" is not a date ("Четверг" as a newspaper's name)
    assert find_dates("Газета «Четверг» вышла с опозданием.", FRIDAY) == []


def test_months_named_without_a_day():
    from storyline.mentioned_days import find_months

    march = date(2017, 3, 10)
    assert find_months("He faced a judge for the May 2016 shooting.", march) == [(2016, 5)]
    assert find_months("Since December nothing has changed.", march) == [(2016, 12)]
    assert find_months("In March the police said so.", march) == [(2017, 3)]
    assert find_months("On March 3, police said so; the Sept. 4 hearing.", march) == []
