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


def test_relative_words_are_found_in_any_case_at_the_start_of_a_text():
    # the pattern first checks a mention's first letter; case-blind words pass in both cases
    assert find_dates("YESTERDAY the council met", FRIDAY) == [date(2026, 2, 26)]
    assert find_dates("СЁННЯ", FRIDAY) == [FRIDAY]
    assert find_dates("Завтра", FRIDAY) == [date(2026, 2, 28)]
    assert find_dates("Tonight", FRIDAY) == [FRIDAY]


def test_belarusian_prepositions_and_weekdays_named_by_a_time_of_day():
    # Belarusian writes "ў" after a vowel and "ва" before "ўторак"
    assert find_dates("Перамовы ў суботу прайшлі ў Сочы.", FRIDAY) == [date(2026, 2, 21)]
    assert find_dates("Сустрэча адбылася ва ўторак.", FRIDAY) == [date(2026, 2, 24)]
    # the genitive after a part of the day: "late on Friday evening", in three languages
    assert find_mentions("Сустрэча зацягнулася да позняга вечара пятніцы.", FRIDAY) == [
        (date(2026, 2, 27), False)]
    assert find_dates("Переговоры завершились поздно вечером четверга.", FRIDAY) == [
        date(2026, 2, 26)]
    assert find_dates("Зустріч тривала до ночі середи.", FRIDAY) == [date(2026, 2, 25)]
    assert mention_kind("Вечером среды лидеры встретились.") == "relative"
    # the genitive alone is not a day ("до пятницы": until Friday; "с понедельника")
    assert find_dates("Срок продлён до пятницы, ограничения — с понедельника.", FRIDAY) == []


def test_a_night_is_named_by_the_day_it_ends_on():
    # "в ночь на пятницу": the night from Thursday to Friday, dated Friday in all three
    assert find_mentions("Памятник демонтирован в ночь на пятницу.", FRIDAY) == [
        (FRIDAY, False)]
    assert find_dates("Удар завдано в ніч на четвер.", FRIDAY) == [date(2026, 2, 26)]
    assert find_dates("Сутычкі пачаліся ў ноч на нядзелю.", FRIDAY) == [date(2026, 2, 22)]
    # "на" alone schedules ("заседание назначено на пятницу") and is not read as a day
    assert find_dates("Заседание назначено на пятницу.", FRIDAY) == []


def test_a_weekday_named_by_a_time_of_day_is_anchored_to_its_date():
    from storyline.mentioned_days import anchor_relative_days

    assert anchor_relative_days("Переговоры завершились поздно вечером четверга.", FRIDAY,
                                "ru") == ("Переговоры завершились поздно вечером четверга "
                                          "(26 февраля 2026 г.).")


def test_a_weekday_still_to_come_is_anchored_to_the_next_one():
    """"Discussed at a donors' conference on Wednesday" in a Monday report is two days on, not
    five days back (a brief of the EU's 2011 sanctions dated it 26 January); a weekday a
    reporting verb governs stays past, whatever the sentence says is coming."""
    from storyline.mentioned_days import anchor_relative_days

    monday = date(2011, 1, 31)
    assert anchor_relative_days(
        "Governments pledged support, to be discussed at a donors' conference on Wednesday.",
        monday) == ("Governments pledged support, to be discussed at a donors' conference on "
                    "Wednesday (2 February 2011).")
    assert anchor_relative_days("Georgescu is due to face Lasconi in a run-off on Sunday.",
                                monday).endswith("on Sunday (6 February 2011).")
    assert anchor_relative_days("Shoigu will lead the council, the Kremlin said on Sunday.",
                                monday).endswith("said on Sunday (30 January 2011).")
    assert anchor_relative_days("He flew to Sochi to meet Putin on Friday.",
                                monday).endswith("on Friday (28 January 2011).")
    # a participle dates what was done, whatever the sentence says is coming
    assert anchor_relative_days("Creditors will be hit by a decree signed by Putin on Saturday.",
                                monday).endswith("on Saturday (29 January 2011).")
    assert anchor_relative_days("Instagram is expected to go dark on Monday.", date(
        2022, 3, 11)).endswith("on Monday (14 March 2022).")  # "is expected to": ahead
    assert anchor_relative_days("Продукты будут уничтожаться, говорится в указе, "
                                "опубликованном в среду.", monday, "ru").endswith(
        "в среду (26 января 2011 г.).")
    assert anchor_relative_days("Встреча состоится в среду в Минске.", monday, "ru") == (
        "Встреча состоится в среду (2 февраля 2011 г.) в Минске.")
    assert anchor_relative_days("Лукашенко заявил в пятницу, что встреча будет.", monday,
                                "ru").startswith("Лукашенко заявил в пятницу (28 января 2011 г.)")
    # a measure's start, "from" after its verb in the infinitive, is still to come
    thursday = date(2023, 12, 14)
    assert anchor_relative_days(
        "The government decided on Thursday evening to close the land border again from 8pm "
        "on Friday until 14 January.", thursday) == (
        "The government decided on Thursday (14 December 2023) evening to close the land border "
        "again from 8pm on Friday (15 December 2023) until 14 January.")
    assert anchor_relative_days("Finland to shut crossings from Saturday", thursday).endswith(
        "from Saturday (16 December 2023)")
    # ... and "from" an incident is not a measure's start
    assert anchor_relative_days("Police continue to search for the shooter in a shooting from "
                                "Tuesday night.", thursday).endswith(
        "from Tuesday (12 December 2023) night.")


def test_months_named_without_a_day():
    from storyline.mentioned_days import find_months

    march = date(2017, 3, 10)
    assert find_months("He faced a judge for the May 2016 shooting.", march) == [(2016, 5)]
    assert find_months("Since December nothing has changed.", march) == [(2016, 12)]
    assert find_months("In March the police said so.", march) == [(2017, 3)]
    assert find_months("On March 3, police said so; the Sept. 4 hearing.", march) == []


def test_weeks_and_weekends_are_anchored() -> None:
    from datetime import date

    from storyline.mentioned_days import anchor_relative_days

    text = anchor_relative_days("Officials last week said so; talks this weekend; a vote next "
                                "week.", date(2009, 6, 30))  # a Tuesday
    assert "last week (week of 22 June 2009)" in text
    assert "this weekend (4–5 July 2009)" in text
    assert "next week (week of 6 July 2009)" in text
    ru = anchor_relative_days("На прошлой неделе правительство решило.", date(2009, 6, 30))
    assert "На прошлой неделе (week of 22 June 2009)" in ru
    already = "this week (the week of 29 June 2009) already"
    assert anchor_relative_days(already, date(2009, 6, 30)) == already


def test_a_weekday_followed_by_its_calendar_date_is_anchored_by_that_date() -> None:
    from storyline.mentioned_days import anchor_relative_days

    published = date(2024, 7, 18)  # a Thursday: "Friday" alone would be the 12th
    assert anchor_relative_days("enter without a visa from Friday, July 19, until the end",
                                published) == (
        "enter without a visa from Friday, July 19 (19 July 2024), until the end")
    assert anchor_relative_days("from Friday 19 July", published) == (
        "from Friday 19 July (19 July 2024)")
    with_year = "Wednesday, October 15, 2008; writers"
    assert anchor_relative_days(with_year, date(2008, 10, 15)) == with_year
    assert anchor_relative_days("said on Friday that", published) == (
        "said on Friday (12 July 2024) that")
