"""Days a text names: "on Jan. 25", "25 января 2011 г.", "on Monday", "yesterday", ISO dates.

Shared by the timeline builder (which places sentences on the days they name) and the event
clusterer (a follow-up usually names the day its happening took place). Relative forms are
resolved against the day the text was published.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_EN_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number], calendar.month_abbr[number]}
} | {"Sept": 9}
# Month names in the genitive ("25 января"), Russian, Ukrainian and Belarusian ("мая" is shared).
_CYRILLIC_MONTHS = {
    name: number
    for names in (
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
        "студзеня лютага сакавіка красавіка мая чэрвеня ліпеня жніўня верасня кастрычніка "
        "лістапада снежня",
    )
    for number, name in enumerate(names.split(), start=1)
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_CYRILLIC_MONTH = "|".join(sorted(_CYRILLIC_MONTHS, key=len, reverse=True))
_WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}


def _weekdays(*weeks: str) -> dict[str, int]:
    """Weekday names, Monday first in each of ``weeks`` → their number (Monday = 0)."""
    return {name: number for week in weeks for number, name in enumerate(week.split())}


# Weekdays as they follow "в"/"во"/"у" ("в четверг", "во вторник", "у середу") or a night
# "на" them ("в ночь на пятницу", "в ніч на п'ятницю", "у ноч на пятніцу": the night before,
# named by the day it ends on): Monday = 0.
_CYRILLIC_WEEKDAYS = _weekdays(
    "понедельник вторник среду четверг пятницу субботу воскресенье",
    "понеділок вівторок середу четвер п'ятницю суботу неділю",
    "панядзелак аўторак сераду чацвер пятніцу суботу нядзелю",
) | {"ўторак": 1}  # Belarusian "ва ўторак"
# Weekdays in the genitive after a time of day ("вечером пятницы", "до позднего вечера
# пятницы", "увечары пятніцы"): the same days, named by a part of them.
_CYRILLIC_WEEKDAYS_OF = _weekdays(
    "понедельника вторника среды четверга пятницы субботы воскресенья",
    "понеділка вівторка середи четверга п'ятниці суботи неділі",
    "панядзелка аўторка серады чацвярга пятніцы суботы нядзелі",
)
_TIMES_OF_DAY = (
    "утром утра днём днем дня вечером вечера ночью ночи "  # Russian
    "вранці ранку вдень ввечері увечері вечора вночі уночі ночі "  # Ukrainian
    "раніцай раніцы увечары ўвечары вечара ноччу ночы")  # Belarusian
_RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1,
             "вчера": -1, "сегодня": 0, "завтра": 1,
             "вчора": -1, "учора": -1, "сьогодні": 0,
             "сёння": 0, "заўтра": 1}
_CYRILLIC_WEEKDAY = "|".join(sorted(_CYRILLIC_WEEKDAYS, key=len, reverse=True))
_CYRILLIC_WEEKDAY_OF = "|".join(sorted(_CYRILLIC_WEEKDAYS_OF, key=len, reverse=True))
# Matched as part of the mention, in both cases listed (a sentence may open with it): one
# look-behind per word, or one case-blind alternation, tried at every word of every text, made
# find_dates up to twice as slow.
_TIME_OF_DAY = "|".join(sorted({w for word in _TIMES_OF_DAY.split()
                                for w in (word, word.capitalize())}, key=len, reverse=True))
_RELATIVE_WORD = "|".join(sorted(_RELATIVE, key=len, reverse=True))

# The letters a mention can start with (a digit, or the first letter of a listed word, in both
# cases where the word is matched case-blind): checked first, this lets the matcher skip most
# words at once instead of trying every branch at each — find_dates ran four times faster over
# gva_dev and our sets, with the same matches.
_FIRST_LETTERS = "".join(sorted(
    {w[0] for w in (*_EN_MONTHS, *_WEEKDAYS, "next", *_CYRILLIC_WEEKDAYS, *_CYRILLIC_WEEKDAYS_OF,
                    *_TIME_OF_DAY.split("|"))}
    | {c for w in _RELATIVE for c in (w[0].lower(), w[0].upper())}))

_DATE_PATTERN = re.compile(
    rf"(?=[\d{re.escape(_FIRST_LETTERS)}])"
    rf"\b(?:(?P<m1>{_EN_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*(?P<y1>\d{{4}})\b)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_EN_MONTH})\b\.?(?:\s*,?\s*(?P<y2>\d{{4}})\b)?"
    rf"|(?P<d3>\d{{1,2}})\s+(?P<m3>{_CYRILLIC_MONTH})(?:\s+(?P<y3>\d{{4}}))?"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<next>next\s+)?(?P<wd>{'|'.join(_WEEKDAYS)})\b"
    rf"|(?:(?<=[вуўВУЎ]\s)|(?<=[вВ][оа]\s)|(?<=ночь\sна\s)|(?<=ніч\sна\s)|(?<=ноч\sна\s))"
    rf"(?P<cwd>{_CYRILLIC_WEEKDAY})\b"
    rf"|(?:{_TIME_OF_DAY})\s+(?P<gwd>{_CYRILLIC_WEEKDAY_OF})(?![\w'])"
    rf"|(?P<rel>(?i:{_RELATIVE_WORD}))\b)"
)


#: How far ahead of its report a date without a year may lie: "March 4" in a January report is
#: the coming one, "December 28" is last year's. Chosen on the tuning storylines (7 and 30 days,
#: and "the nearest year", ranked days and sentences worse there).
FORWARD_DAYS = 90


def _resolve_day_month(
    day: int, month: int, year: str | None, published: date | None
) -> date | None:
    """A calendar day from its parts; a missing year is the one putting it at most
    ``FORWARD_DAYS`` after ``published`` and otherwise as close before it as possible."""
    if year:
        try:
            return date(int(year), month, day)
        except ValueError:  # no such day, e.g. 31 April
            return None
    if published is None:
        return None
    latest = published + timedelta(days=FORWARD_DAYS)
    for candidate_year in range(published.year + 1, published.year - 4, -1):  # a leap cycle
        try:
            guess = date(candidate_year, month, day)
        except ValueError:  # 29 February outside a leap year, or no such day at all
            continue
        if guess <= latest:
            return guess
    return None


def _relative(groups: dict[str, str | None]) -> bool:
    """Whether a match of :data:`_DATE_PATTERN` names its day relative to publication (a
    weekday in any of its forms, "yesterday") rather than by the calendar."""
    return bool(groups["wd"] or groups["cwd"] or groups["gwd"] or groups["rel"])


def cyrillic_weekday(groups: dict[str, str | None]) -> int:
    """The weekday (Monday = 0) a match of a Cyrillic weekday names, in either of its forms
    ("в пятницу", "вечером пятницы")."""
    if groups["cwd"]:
        return _CYRILLIC_WEEKDAYS[groups["cwd"]]
    return _CYRILLIC_WEEKDAYS_OF[str(groups["gwd"])]


def find_mentions(text: str, published: date | None = None) -> list[tuple[date, bool]]:
    """Days that ``text`` names, in order of appearance, each with whether it is a calendar date.

    See ``find_dates``; the flag is true for "Jan. 25"-style and ISO dates, false for weekdays and
    "yesterday/today/tomorrow".
    """
    found: list[tuple[date, bool]] = []
    for match in _DATE_PATTERN.finditer(text):
        groups = match.groupdict()
        day: date | None = None
        if groups["iso"]:
            try:
                day = date.fromisoformat(groups["iso"])
            except ValueError:
                day = None
        elif groups["m1"] or groups["m2"]:
            month = _EN_MONTHS[groups["m1"] or groups["m2"]]
            day = _resolve_day_month(int(groups["d1"] or groups["d2"]), month,
                                     groups["y1"] or groups["y2"], published)
        elif groups["m3"]:
            day = _resolve_day_month(int(groups["d3"]), _CYRILLIC_MONTHS[groups["m3"]],
                                     groups["y3"], published)
        elif published is not None and (groups["cwd"] or groups["gwd"]):
            back = (published.weekday() - cyrillic_weekday(groups)) % 7
            day = published - timedelta(days=back)
        elif published is not None and groups["wd"]:
            back = (published.weekday() - _WEEKDAYS[groups["wd"]]) % 7
            day = published + timedelta(days=(7 - back) % 7 or 7) if groups["next"] else (
                published - timedelta(days=back))
        elif published is not None and groups["rel"]:
            day = published + timedelta(days=_RELATIVE[groups["rel"].lower()])
        if day is not None:
            found.append((day, not _relative(groups)))
    return found


def find_dates(text: str, published: date | None = None) -> list[date]:
    """Days that ``text`` names, in order of appearance, resolved against ``published``.

    Understands English "Jan. 25, 2011", "25 January", "on Monday" (the last such day up to
    ``published``; "next Monday" looks forward), "yesterday/today/tomorrow", Russian, Ukrainian
    and Belarusian day-month dates ("25 января 2011 г.", "26 лютого", "26 лютага"), weekdays
    after "в"/"у" ("в четверг", "у середу": the last such day) or a night's "на" ("в ночь на
    пятницу": the day the night ends on) and "вчера/вчора/учора",
    "сегодня/сьогодні/сёння", "завтра/заўтра", and ISO dates. Relative forms need ``published``.
    Month- and year-level mentions ("in March", "2010") are ignored: a timeline needs days.
    """
    return [day for day, _ in find_mentions(text, published)]


def mention_kind(text: str) -> str | None:
    """How ``text`` names a day without knowing when it was written: "calendar", "relative", None.

    For pools of sentences that come already dated (the day they refer to is known, their
    publication day is not): a sentence naming its day by date is usually a later look back.
    """
    kinds = {"relative" if _relative(m.groupdict()) else "calendar"
             for m in _DATE_PATTERN.finditer(text)}
    return "calendar" if "calendar" in kinds else next(iter(kinds), None)


_MONTH_PATTERN = re.compile(
    rf"\b(?P<m>{_EN_MONTH})\b\.?(?:\s*,?\s*(?P<y>(?:19|20)\d{{2}})\b|(?!\s*\.?\s*\d))"
)


def find_months(text: str, published: date) -> list[tuple[int, int]]:
    """Months that ``text`` names without a day ("the May 2016 shooting", "in March"), as
    ``(year, month)``; a month without a year is its latest occurrence up to ``published``.

    English only. Follow-ups weeks or months after a happening often name its month even when
    they no longer name its day.
    """
    found = []
    for match in _MONTH_PATTERN.finditer(text):
        month = _EN_MONTHS[match["m"]]
        if match["y"]:
            year = int(match["y"])
        else:
            year = published.year if month <= published.month else published.year - 1
        found.append((year, month))
    return found


_ANCHORED = re.compile(r"\s*\((?:[^()]*\d{4}[^()]*)\)")
#: A calendar date right after a weekday ("Friday, July 19", "Friday 19 July 2024").
_DATED = re.compile(rf",?\s+(?:(?:{_EN_MONTH})\.?\s+\d{{1,2}}\b|\d{{1,2}}(?:st|nd|rd|th)?\s+"
                    rf"(?:of\s+)?(?:{_EN_MONTH})\b)")


#: Month names of a written date in Russian: genitive after the day, nominative alone.
RU_MONTHS_GENITIVE = ("января февраля марта апреля мая июня июля августа сентября октября "
                      "ноября декабря").split()
RU_MONTHS = ("январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь "
             "декабрь").split()
#: The languages a date can be written in (:func:`day_words`); others get English.
DATE_LANGS = ("en", "ru")


def day_words(day: date, lang: str = "en") -> str:
    """A day as a brief writes it: "8 April 2022"; in Russian "8 апреля 2022 г."."""
    if lang == "ru":
        return f"{day.day} {RU_MONTHS_GENITIVE[day.month - 1]} {day.year} г."
    return f"{day.day} {day:%B %Y}"


def month_words(year: int, month: int, lang: str = "en") -> str:
    """"October 2024"; in Russian "октябрь 2024 г."."""
    if lang == "ru":
        return f"{RU_MONTHS[month - 1]} {year} г."
    return f"{calendar.month_name[month]} {year}"


def _span_words(first: date, last: date, lang: str) -> str:
    """Two days of one stretch: "28–29 March 2009", "31 May – 1 June 2009" (Russian alike)."""
    if lang == "ru":
        if first.month == last.month:
            return f"{first.day}–{day_words(last, lang)}"
        return f"{first.day} {RU_MONTHS_GENITIVE[first.month - 1]} – {day_words(last, lang)}"
    if first.month == last.month:
        return f"{first.day}–{last.day} {last:%B %Y}"
    return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"


def anchor_relative_days(text: str, published: date | None, lang: str = "en") -> str:
    """``text`` with each relative day it names followed by the date it means, resolved against
    ``published``: "on Friday" → "on Friday (8 April 2022)", "вчера" → "вчера (7 April 2022)".
    A quote read years later must not leave the reader guessing which Friday. Calendar dates
    and mentions already followed by a dated parenthesis are left as they are; a weekday with
    its calendar date but no year ("Friday, July 19") is anchored after the date, by the date.
    ``lang`` is the language the anchors are written in (the brief's: "(8 апреля 2022 г.)")."""
    if published is None:
        return text
    text = _anchor_periods(text, published, lang)
    out, last = [], 0
    for match in _DATE_PATTERN.finditer(text):
        groups = match.groupdict()
        if not _relative(groups):
            continue
        # a weekday is the last one up to publication, or the next one when the sentence
        # tells something still to come; "next Monday" and "yesterday" say which themselves
        # (a Cyrillic weekday needs its "в"/"вечером" to be found alone)
        weekday = (_WEEKDAYS[groups["wd"]] if groups["wd"] and not groups["next"]
                   else cyrillic_weekday(groups) if groups["cwd"] or groups["gwd"] else None)
        if weekday is None:
            day = next((d for d, calendar_date in find_mentions(match.group(0), published)
                        if not calendar_date), None)
        elif told_ahead(text[:match.start()]):
            day = published + timedelta(days=(weekday - published.weekday()) % 7)
        else:
            day = published - timedelta(days=(published.weekday() - weekday) % 7)
        end = match.end()
        possessive = re.match(r"['’]s\b", text[end:])
        end += possessive.end() if possessive else 0  # "Sunday's (26 January 2025) vote"
        if day is None or _ANCHORED.match(text, end):
            continue
        dated = _DATED.match(text, end) if groups["wd"] else None
        if dated:  # "Friday, July 19": the day is given, anchored when its year is not
            if not re.match(r",?\s*(?:19|20)\d\d\b", text[dated.end():]):
                given = next((d for d, calendar_date in find_mentions(
                    dated.group(0).lstrip(", "), published) if calendar_date), None)
                if given is not None and not _ANCHORED.match(text, dated.end()):
                    out += [text[last:dated.end()], f" ({day_words(given, lang)})"]
                    last = dated.end()
            continue
        out += [text[last:end], f" ({day_words(day, lang)})"]
        last = end
    return "".join(out) + text[last:]


#: Words that put what a sentence tells after its writing ("is due to face … on Sunday", "will
#: meet on Friday", "a vote could come as early as Friday", "состоится в понедельник"), up to
#: the weekday they date (at most 80 characters before it, in one clause). "may" only in lower
#: case: "May" is the month.
_AHEAD = re.compile(
    r"(?:\b(?:will|shall|(?:due|expected|scheduled|set|slated|poised|planned|plans?|going)"
    r"\s+to|to\s+be|as\s+(?:early|soon)\s+as)\b|'ll\b"
    r"|\b(?:could|might|(?-i:may))\s+(?=[a-z])"  # "a vote could come on Friday"
    r"|(?<![\w])(?:будет|будут|состоится|состоятся|пройд[её]т|пройдут|начн[её]тся|планирует"
    r"|планируется|намерен[аы]?|должн[аыо]?|відбудеться|відбудуться|буде|будуть|планує"
    r"|адбудзецца|адбудуцца|будзе|будуць|плануе)(?![\w]))"
    r"[^.!?;]{0,80}$", re.I | re.S)
#: Between such words and the weekday, a verb that dates something already done: a reporting
#: verb ("Shoigu will become secretary, the Kremlin said on Sunday") or a past participle not
#: after a form of "be" ("will be affected by a decree signed by Putin on Saturday", "указом,
#: подписанным в субботу"; "to be discussed … on Wednesday" is still to come).
_DONE = re.compile(
    r"\b(?:said|says|told|announced|added|reported|сказал|заявил|сообщил|говорится|заявив"
    r"|повідомив|заявіў|паведаміў)\b"
    r"|(?<!\bbe )(?<!\bbeen )(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )"
    r"\b(?:[a-z]+ed|held|made|taken|given|sent|won|struck|brought|sold|built|seen|found)\b"
    r"|[а-яёіїєўґ]+(?:нн|вш|ённ|ен)(?:ый|ий|ій|ого|ому|ым|ім|ом|ая|ой|ую|ое|ае|ые|ыя|ых"
    r"|ыми|ымі)\b", re.I)


#: A measure's start given by "from" after its verb in the infinitive: "decided on Thursday to
#: close the border from 8pm on Friday", "to shut four crossing points … from midnight on
#: Friday", "Finland to close four crossings from Saturday" — the day it takes effect, still to
#: come when the report was written ("the shooting from Tuesday night" is no measure).
_FROM_AHEAD = re.compile(
    r"\bto\s+(?:close|shut|open|reopen|ban|suspend|resume|introduce|impose|lift|halt|stop"
    r"|start|begin|restrict|raise|cut|extend|end|allow|require|expel|withdraw|recall)\b"
    r"[^.!?;]{0,140}\bfrom\s+(?:(?:midnight|noon|\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?)"
    r"\s+(?:on\s+)?)?$", re.I | re.S)


def told_ahead(before: str) -> bool:
    """Whether the sentence up to a weekday (``before``: the text before it) tells something
    still to come, so the weekday is the next one, not the last ("is due to face Lasconi in a
    run-off on Sunday" in a Thursday report is three days on): a future word (:data:`_AHEAD`)
    with nothing done between it and the weekday (:data:`_DONE`), or a measure's start
    (:data:`_FROM_AHEAD`: "decided to close the border from midnight on Friday")."""
    text = before[-160:]
    start = _FROM_AHEAD.search(text)
    if start and not _DONE.search(start.group(0)):
        return True
    ahead = _AHEAD.search(text)
    # from the "is"/"were" before it: "is expected to" and "were scheduled to" are ahead
    return bool(ahead) and not _DONE.search(text[max(0, ahead.start() - 6):])


_PERIOD = re.compile(r"\b(?P<which>this|last|next)\s+(?P<unit>month|year)\b(?!\s*\()", re.I)
_PERIOD_RU = re.compile(r"\b(?P<which>в этом|в прошлом|в следующем)\s+(?P<unit>месяце|году)\b"
                        r"(?!\s*\()", re.I)


_WEEK = re.compile(r"\b(?P<which>this|last|next)\s+(?P<unit>week|weekend)\b(?!\s*\()", re.I)
_WEEK_RU = re.compile(r"(?<![\w])(?P<which>на прошлой|на этой|на следующей|минулого|цього"
                      r"|наступного)\s+(?P<unit>неделе|тижня)(?![\w])(?!\s*\()", re.I)


def _anchor_weeks(text: str, published: date, lang: str = "en") -> str:
    """"last week" → "last week (week of 16 March 2009)", "this weekend" → "this weekend
    (28–29 March 2009)": weeks run Monday to Sunday around ``published``."""
    def sub(match: re.Match[str]) -> str:
        which = match.group("which").lower()
        step = (-1 if which in ("last", "на прошлой", "минулого")
                else 1 if which in ("next", "на следующей", "наступного") else 0)
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        if match.group("unit").lower() == "weekend":
            saturday, sunday = monday + timedelta(days=5), monday + timedelta(days=6)
            return f"{match.group(0)} ({_span_words(saturday, sunday, lang)})"
        week = "неделя с" if lang == "ru" else "week of"
        return f"{match.group(0)} ({week} {day_words(monday, lang)})"

    return _WEEK_RU.sub(sub, _WEEK.sub(sub, text))


def _anchor_periods(text: str, published: date, lang: str = "en") -> str:
    """"this month" → "this month (October 2024)", "last year" → "last year (2023)"; weeks and
    weekends as :func:`_anchor_weeks` says."""
    text = _anchor_weeks(text, published, lang)

    def when(which: str, unit: str) -> str:
        step = {"this": 0, "last": -1, "next": 1, "в этом": 0, "в прошлом": -1,
                "в следующем": 1}[which.lower()]
        if unit.lower() in ("year", "году"):
            return str(published.year + step)
        month = published.month - 1 + step
        return month_words(published.year + month // 12, month % 12 + 1, lang)

    def sub(match: re.Match[str]) -> str:
        return f"{match.group(0)} ({when(match.group('which'), match.group('unit'))})"

    return _PERIOD_RU.sub(sub, _PERIOD.sub(sub, text))
