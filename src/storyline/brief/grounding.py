"""Claim-level grounding: does one sentence of the cited text say what a brief sentence says?

:class:`~storyline.brief.cite.GroundingChecker` is the face every writer uses; this module holds
the machinery behind it. A claim is checked against *units* of the evidence — each sentence and
each pair of adjacent sentences — never against the article's bag of words, so a number or name
that occurs only elsewhere in the article supports nothing. A unit supports a claim when:

- **numbers** agree as values: digits, thousands separators, decimals, "twenty-eight",
  "двадцать восемь", "2.5 million", percentages and ranges; vague quantities ("thousands",
  "dozens", "several", "тысячи") support no exact figure;
- **actors** agree through the gazetteer's resolver: aliases, metonyms ("the Kremlin",
  "Moscow and Minsk" for the two governments), other scripts ("Лукашенко"); a person needs that
  person, a country or government any actor of that country; "the two governments/presidents"
  in the unit stands for actors the article names; a nationality-of-person claim ("a Russian
  businessman") needs the nationality word itself ("Russia-based" is not enough);
- **attribution**: the speaker of "X said/warned/announced …" is a speaker in the unit;
- **polarity**: a word negated (not, never, no, n't, не, ни, без, "refused to" …) in one is
  negated in the other;
- **causes and evaluations** ("because", "led to", "sparked"; "landmark", "historic",
  "controversial" …) only where the unit makes them;
- **dates** resolve to the same day ("on Friday" in a report of 2022-04-08 is 8 April 2022; a
  writer's anchor " (8 April 2022)" after a relative day counts as that day);
- **wording**: the share of the claim's content words (5-letter prefixes) found in the unit is
  its ``support``. When the unit is in another script than the claim, the multilingual
  encoder's cosine takes that role (loaded lazily, only for such pairs) and every
  language-independent check above still applies.

A verbatim quote of the evidence passes at once (the extractive writer's common case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline import mentioned_days as _days
from storyline.text_units import split_sentences

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*", re.UNICODE)

#: Connectives that assert a cause. Templates must never use them; writers only when a source does.
CAUSAL = re.compile(
    r"\b(because|caused|causing|causes|due to|owing to|as a result|result(?:ed|s)? in|led to|"
    r"leads? to|leading to|in response to|in retaliation|prompt(?:ed|s|ing)|trigger(?:ed|s|ing)|"
    r"therefore|thus|hence|consequently|driven by|fuell?ed by|so that|thanks to|"
    r"из-за|поэтому|вследствие|в ответ на|в результате|привел\w*|вызва\w*)\b",
    re.I,
)
#: Further causal wording a claim may not add (not part of CAUSAL, which the renderer's own
#: phrases are tested against).
CAUSAL_MORE = re.compile(
    r"\b(spark(?:ed|s|ing)|spurr?(?:ed|s|ing)?|provok(?:ed|es|ing)|forc(?:ed|ing) (?:\w+ )?to|"
    r"brought about|stemm(?:ed|ing) from|stems from|blamed (?:\w+ )?on|attributed to|"
    r"on account of|for this reason|which is why|that is why|as a consequence|in reaction to|"
    r"in protest (?:at|against|over)|so as to|in order to|"
    r"благодаря|по причине|из-за того|спровоцирова\w*|поскольку|так как)\b",
    re.I,
)

#: Evaluative wording: a claim may only carry it where its source does (prefixes).
EVALUATIVE = (
    "landmark", "historic", "unprecedent", "controversi", "contentious", "milestone",
    "breakthrough", "dramatic", "sweeping", "radical", "stunning", "shocking", "astonish",
    "remarkabl", "massive", "huge", "crucial", "pivotal", "momentous", "significant",
    "important", "notorious", "infamous", "bold", "disastrous", "catastroph", "devastating",
    "unexpected", "surprising", "symbolic", "long-awaited", "fierce", "harsh", "brutal",
    "extraordinar", "alarming", "troubling", "sensational", "scandalous", "game-chang",
    "историческ", "беспрецедент", "знаков", "скандальн", "спорн", "противоречив", "прорыв",
    "важн", "ключев", "масштабн", "значим", "драматич", "сенсацион", "неожиданн",
)
_EVALUATIVE = re.compile(r"\b(" + "|".join(EVALUATIVE) + r")[\w-]*", re.I)

#: Number words a writer may use for a figure its source gives in digits (and vice versa).
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000", "dozen": "12",
    "один": "1", "два": "2", "три": "3", "четыре": "4", "пять": "5", "десять": "10",
}

#: Function words of English and Russian: not evidence of anything.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    """
    said says say told according also would could should may might will shall new one
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него
    до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для
    мы тебя их чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того
    потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем
    всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего
    них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между также это этих заявил заявила сообщил сообщила
    """.split()
)

# ------------------------------------------------------------------------------- numbers
_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
           "сто": 100, "тысяч": 1_000, "тыс": 1_000, "миллион": 1_000_000, "млн": 1_000_000,
           "миллиард": 1_000_000_000, "млрд": 1_000_000_000}
# Russian number words by stem (case endings vary: "двадцать восемь", "двадцати восьми").
_RU_NUMBERS = [
    ("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14),
    ("пятнадцат", 15), ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18),
    ("девятнадцат", 19), ("двадцат", 20), ("тридцат", 30), ("сорок", 40), ("пятьдесят", 50),
    ("пятидесят", 50), ("шестьдесят", 60), ("шестидесят", 60), ("семьдесят", 70),
    ("семидесят", 70), ("восемьдесят", 80), ("восьмидесят", 80), ("девяност", 90),
    ("двести", 200), ("двухсот", 200), ("триста", 300), ("трехсот", 300), ("трёхсот", 300),
    ("четыреста", 400), ("пятьсот", 500), ("пятисот", 500), ("шестьсот", 600),
    ("семьсот", 700), ("восемьсот", 800), ("девятьсот", 900), ("ста", 100), ("сто", 100),
    ("одн", 1), ("один", 1), ("два", 2), ("две", 2), ("двух", 2), ("двум", 2), ("три", 3),
    ("трех", 3), ("трёх", 3), ("четыр", 4), ("пят", 5), ("шест", 6), ("сем", 7), ("восем", 8),
    ("восьм", 8), ("девят", 9), ("десят", 10),
]
_RU_EXACT = {"два": 2, "две": 2, "двух": 2, "двум": 2, "три": 3, "трех": 3, "трёх": 3,
             "трем": 3, "тремя": 3, "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5,
             "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8,
             "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "сто": 100, "ста": 100,
             "один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "одну": 1}
#: Quantities that are not figures: they never support an exact number.
VAGUE = re.compile(
    r"\b(thousands|hundreds|dozens|millions|billions|tens of|scores of|several|a few|few|many|"
    r"numerous|a number of|some|multiple|countless|"
    r"тысячи|тысяч|сотни|сотен|десятки|десятков|несколько|многие|много|миллионы)\b", re.I)
_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
                     r"(?:\s*(%|per ?cent|процент\w*))?")
_SCALE_AFTER = re.compile(r"\s*(hundred|thousand|million|billion|trillion|mln|bn|тыс\.?|"
                          r"тысяч\w*|млн\.?|миллион\w*|млрд\.?|миллиард\w*)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def _canon(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def _scale_of(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for key, value in _SCALES.items():
        if key in ("сто",):
            continue
        if w == key or (len(key) > 3 and w.startswith(key)):
            return value
    return None


def _word_value(word: str) -> int | None:
    """Value of one number word (English or Russian), None if not one."""
    w = word.lower()
    if w in _EN_UNITS:
        return _EN_UNITS[w]
    if w in _EN_TENS:
        return _EN_TENS[w]
    if w in _RU_EXACT:
        return _RU_EXACT[w]
    if re.fullmatch(r"[а-яё]+", w) and len(w) >= 4:
        for stem, value in _RU_NUMBERS:
            if w.startswith(stem) and len(w) - len(stem) <= 3 and stem not in (
                    "одн", "пят", "шест", "сем", "девят", "десят", "четыр", "восем", "восьм"):
                return value
        for stem, value in _RU_NUMBERS:  # short stems: only with a numeral ending
            if w.startswith(stem) and w[len(stem):] in ("ь", "и", "ью", "ью", "ери", "ем",
                                                        "ех", "ёх", "ым", "ой", "ьмя", "ми"):
                return value
    return None


def parse_numbers(text: str) -> list[tuple[str, int, int]]:
    """Exact figures ``text`` states, as canonical values with their character spans.

    "1,200" / "1 200" → 1200, "3.5" / "3,5" → 3.5, "2.5 million" → 2500000, "28%" → 28,
    "twenty-eight" / "двадцать восемь" → 28, "10-15" → 10 and 15. "one" and vague quantities
    ("thousands") are not figures.
    """
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _DIGITS.finditer(text):
        raw = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?", raw):
            value = float(re.sub(r"[,\u00a0\u202f]", "", raw))
        else:
            value = float(raw.replace(",", "."))
        end = m.end()
        scale = _SCALE_AFTER.match(text, m.end())
        if scale and not m.group(2):
            factor = _scale_of(scale.group(1))
            if factor:
                value *= factor
                end = scale.end()
        found.append((_canon(value), m.start(), end))
        taken.append((m.start(), end))
    words = [(w.group(0), w.start(), w.end()) for w in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        parts = []
        j = i
        while j < len(words):
            token, s, e = words[j]
            pieces = token.split("-")
            values = [_word_value(p) for p in pieces]
            scale = _scale_of(token) if len(pieces) == 1 else None
            if all(v is not None for v in values):
                parts.extend(("n", v) for v in values)
            elif scale:
                parts.append(("s", scale))
            elif token.lower() == "and" and parts and j + 1 < len(words) and (
                    _word_value(words[j + 1][0].split("-")[0]) is not None):
                pass
            else:
                break
            j += 1
        if parts:
            start, end = words[i][1], words[j - 1][2]
            if any(s <= start < e for s, e in taken):
                i = j
                continue
            total, current = 0, 0
            for kind, v in parts:
                if kind == "n":
                    current += v
                elif v == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * v
                    current = 0
            total += current
            first = words[i][0].lower()
            lone_scale = all(k == "s" for k, _ in parts)
            vague_scale = lone_scale and re.search(r"s$|и$|ч$|ов$", words[j - 1][0].lower())
            skip = (len(parts) == 1 and first in ("one", "один", "одна", "одно", "одного", "одной",
                                                  "одну")) or vague_scale
            if lone_scale and not vague_scale:
                prev = text[max(0, start - 3):start].lower()
                skip = skip or not re.search(r"\ba\s$", prev)  # "a thousand", not "thousands"
            if not skip:
                found.append((_canon(total), start, end))
            i = j
        else:
            i += 1
    return sorted(found, key=lambda item: item[1])


def vague_quantities(text: str) -> list[str]:
    return [m.group(0).lower() for m in VAGUE.finditer(text)]


# --------------------------------------------------------------------------------- dates
@dataclass(frozen=True)
class DayMention:
    """A day a text names: resolved (``day``) or only partly known (month-day, weekday, word)."""

    day: date | None
    month_day: tuple[int, int] | None
    weekday: int | None
    word: str | None
    start: int
    end: int

    def matches(self, other: DayMention) -> bool:
        if self.day and other.day:
            return self.day == other.day
        if self.month_day and other.month_day:
            return self.month_day == other.month_day
        if self.weekday is not None and other.weekday is not None:
            return self.weekday == other.weekday
        if self.word and other.word:
            return self.word == other.word
        return False


#: A writer's anchor after a relative day, in English or Russian: " (8 April 2022)",
#: " (8 апреля 2022 г.)".
_ANCHOR = re.compile(
    r"\s*\((\d{1,2}) (" + "|".join([*(n for n in _days._EN_MONTHS if len(n) > 3),
                                     *_days.RU_MONTHS_GENITIVE]) + r") (\d{4})(?: г\.)?\)")
_ANCHOR_MONTHS = {**_days._EN_MONTHS,
                  **{name: n for n, name in enumerate(_days.RU_MONTHS_GENITIVE, start=1)}}


def day_mentions(text: str, published: date | None) -> list[DayMention]:
    """Days ``text`` names (see :mod:`storyline.mentioned_days`), with what is known of each."""
    out = []
    for m in _days._DATE_PATTERN.finditer(text):
        g = m.groupdict()
        resolved = _days.find_mentions(m.group(0), published)
        day = resolved[0][0] if resolved else None
        month_day = weekday = word = None
        if g["m1"] or g["m2"]:
            month_day = (_days._EN_MONTHS[g["m1"] or g["m2"]], int(g["d1"] or g["d2"]))
        elif g["m3"]:
            month_day = (_days._CYRILLIC_MONTHS[g["m3"]], int(g["d3"]))
        elif g["wd"]:
            weekday = _days._WEEKDAYS[g["wd"]]
            if g["next"]:
                word = "next"
        elif g["cwd"] or g["gwd"]:
            weekday = _days.cyrillic_weekday(g)
            if published is not None:
                day = published - timedelta(days=(published.weekday() - weekday) % 7)
        elif g["rel"]:
            word = {-1: "yesterday", 0: "today", 1: "tomorrow"}[
                _days._RELATIVE[g["rel"].lower()]]
        elif g["iso"] and day is None:
            continue
        if day is not None:
            month_day = month_day or (day.month, day.day)
            weekday = day.weekday() if weekday is None else weekday
        out.append(DayMention(day, month_day, weekday, word, m.start(), m.end()))
    return out


def strip_anchors(text: str, published: date | None) -> tuple[str, list[DayMention]]:
    """``text`` without the writer's date anchors (" (8 April 2022)"), and the anchored days."""
    days = []
    for m in _ANCHOR.finditer(text):
        try:
            day = date(int(m.group(3)), _ANCHOR_MONTHS[m.group(2)], int(m.group(1)))
        except ValueError:
            continue
        days.append(DayMention(day, (day.month, day.day), day.weekday(), None, m.start(), m.end()))
    clean = _ANCHOR.sub("", text)
    return clean, days


# ------------------------------------------------------------------------- words, polarity
NEGATORS = frozenset(
    "not never no cannot nor neither without none nobody nothing nowhere "
    "не ни нет без никогда ничего никто нигде отнюдь".split())
#: Verbs that negate what follows ("refused to sign" is "did not sign").
REFUSALS = re.compile(r"^(refus|declin|reject|denied|deny|denie|fail|отказ|отверг|отклон)", re.I)
SPEECH = re.compile(
    r"\b(said|says|say|told|tells|warned|warns|announced|announces|stated|added|adds|"
    r"insisted|insists|stressed|stresses|declared|declares|argued|argues|wrote|writes|tweeted|"
    r"explained|explains|confirmed|confirms|according to|"
    r"заяви\w*|сообщи\w*|сказа\w*|отмети\w*|подчеркну\w*|добави\w*|предупреди\w*|объяви\w*|"
    r"по словам|по данным|пишет|переда[её]т)\b", re.I)
#: Generic references to actors the article names elsewhere.
REFERENT = re.compile(
    r"\b(?:the two|both|two|the)\s+(?:\w+\s+)?(presidents|leaders|governments|sides|countries|"
    r"nations|capitals|states|allies|parties|neighbou?rs)\b|\bстороны\b|\bобе стороны\b|"
    r"\bпрезиденты\b|\bлидеры\b|\bдве страны\b|\bобе страны\b", re.I)
_PERSON_NOUNS = re.compile(
    r"^(businessm[ae]n|businesswom[ae]n|citizens?|nationals?|m[ae]n|wom[ae]n|journalists?|"
    r"activists?|bloggers?|oligarchs?|tycoons?|soldiers?|students?|tourists?|pilots?|"
    r"opposition|dissidents?|entrepreneurs?|investors?|billionaires?|millionaires?|bankers?|"
    r"diplomats?|athletes?|players?|nurses?|doctors?|priests?|writers?|artists?|lawyers?|"
    r"бизнесмен\w*|гражданин\w*|граждан\w*|журналист\w*|активист\w*|предпринимател\w*|"
    r"олигарх\w*|блогер\w*)$", re.I)
_DEMONYM = re.compile(r"(ian|ean|ese|ish|an|ic|i|ch|ск\w{1,3}|цк\w{1,3})$", re.I)
_STRONG = frozenset("not never no cannot nor neither none не ни нет никогда".split())
_PRONOUNS = frozenset("he she it they we i you он она они мы оно".split())
_SPEECH_SKIP = frozenset("also has had have was were is are then later further again once "
                         "previously earlier".split())


def tokens(text: str) -> list[str]:
    """Word and number tokens of ``text``, in order, case preserved."""
    return _TOKEN.findall(text)


def script(text: str) -> str:
    """"cyr" when most letters are Cyrillic, else "lat"."""
    cyr = len(re.findall(r"[а-яёіїєўґ]", text, re.I))
    lat = len(re.findall(r"[a-z]", text, re.I))
    return "cyr" if cyr > lat else "lat"


def _key(word: str, stem: int = 5) -> str:
    return re.sub(r"['’]s$", "", word.lower())[:stem]


def _is_negator(word: str) -> bool:
    w = word.lower()
    return w in NEGATORS or w.endswith(("n't", "n’t"))


def _negated_targets(words: list[str]) -> tuple[set[str], set[str], bool, bool]:
    """Content-word keys that a negator (or refusal verb) governs, and whether a strong
    negator is there. A negator governs the next two content words within six tokens."""
    targets: set[str] = set()
    first: set[str] = set()
    any_neg = loose = False
    for i, word in enumerate(words):
        refusal = bool(REFUSALS.match(word)) and not (
            i + 1 < len(words) and words[i + 1].lower() in ("by", "of"))
        if not (_is_negator(word) or refusal):
            continue
        any_neg = any_neg or word.lower() in _STRONG or word.lower().endswith(("n't", "n’t"))
        got = 0
        for nxt in words[i + 1:i + 7]:
            low = nxt.lower()
            if _is_negator(nxt) or low in STOP_WORDS or nxt[0].isdigit() or len(low) < 3:
                continue
            targets.add(_key(low))
            if not got:
                first.add(_key(low))
            got += 1
            if got == 2:
                break
        loose = loose or (not got and not refusal)
    return first, targets, any_neg, loose


# ---------------------------------------------------------------------------- analysis
@dataclass
class Facts:
    """What one sentence (or claim) states, as the checks compare it."""

    text: str
    script: str
    words: list[str]
    keys: set[str]
    numbers: list[tuple[str, int, int]]
    vague: list[str]
    mentions: list[Any]
    days: list[DayMention]
    speakers: list[tuple[Any, int]]
    negated: set[str]  # the first content word each negator governs
    governed: set[str]  # every content word a negator governs (up to two each)
    negation: bool
    causal: list[tuple[str, int]]
    evaluative: list[str]
    referent: bool
    loose: bool = False  # a negator governing no content word ("we are not one")
    demonyms: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def number_values(self) -> set[str]:
        return {n for n, _, _ in self.numbers}

    @property
    def actors(self) -> set[str]:
        return {m.actor_id for m in self.mentions}

    @property
    def countries(self) -> set[str]:
        return {m.country or m.actor_id.split(".")[0] for m in self.mentions
                if m.kind in ("country", "government", "person") or m.country}


@lru_cache(maxsize=1)
def _resolver() -> Any:
    from storyline.actors.resolve import default_resolver

    return default_resolver()


def _speaker_key(text: str, start: int, end: int, mentions: list[Any], before: bool) -> Any:
    """The actor (or noun key) speaking at a speech verb spanning ``start:end``."""
    if before:
        window = text[max(0, start - 120):start]
        cut = max(window.rfind(c) for c in ".;:!?\"“”«»")
        base = start - len(window)
        candidates = [m for m in mentions if m.end <= start and m.start >= base + cut + 1]
        if candidates:
            m = candidates[-1]
            gap = text[m.end:start]
            if len(gap.strip(" ,")) == 0 or re.fullmatch(r"\s*,[^,]{0,60},\s*", gap) or (
                    re.fullmatch(r"(?:['’]s)?\s+\w+(?:\s+\w+)?\s*", gap)
                    and m.kind != "country"):
                return m.actor_id
        words = _WORD.findall(text[max(0, start - 60):start])
        while words and words[-1].lower() in _SPEECH_SKIP:
            words.pop()
        if not words:
            return None
        last = words[-1].lower()
        if last in _PRONOUNS or last in STOP_WORDS:
            return None
        return "w:" + _key(last)
    after = [m for m in mentions if start >= 0 and end <= m.start <= end + 40]
    if after and not text[end:after[0].start].strip(" ,").count(" ") > 3:
        return after[0].actor_id
    words = _WORD.findall(text[end:end + 40])
    while words and words[0].lower() in ("the", "a", "an", "its", "his", "her", "their", "that"):
        words.pop(0)
    if not words or words[0].lower() in _PRONOUNS or words[0].lower() in STOP_WORDS:
        return None
    return "w:" + _key(words[0])


def _speakers(text: str, mentions: list[Any]) -> list[tuple[Any, int]]:
    """(speaker, position of the speech verb) for each speech verb of ``text``; the speaker is
    an actor id, ``"w:<key>"`` for a plain noun ("officials"), or None (a pronoun, unknown)."""
    out = []
    for m in SPEECH.finditer(text):
        verb = m.group(0).lower()
        if verb.startswith(("according", "по словам", "по данным")):
            who = _speaker_key(text, m.start(), m.end(), mentions, before=False)
        elif re.match(r"[а-яё]", verb):  # Russian: "Путин заявил" or "заявил Путин"
            left = [x for x in mentions if x.end <= m.start() and
                    len(text[x.end:m.start()].strip(" ,")) == 0]
            who = left[-1].actor_id if left else _speaker_key(
                text, m.start(), m.end(), mentions, before=False)
        else:
            head = text[:m.start()].rstrip()
            inverted = not head or head[-1] in ",\"”’'»" or re.search(r"\b(?:as|so)$", head)
            who = _speaker_key(text, m.start(), m.end(), mentions, before=not inverted)
        out.append((who, m.start()))
    return out


@lru_cache(maxsize=20_000)
def analyse(text: str, published: date | None = None) -> Facts:
    """The facts of one sentence; ``published`` resolves relative days and office holders."""
    words = tokens(text)
    keys = {_key(w) for w in words if not w[0].isdigit()}
    mentions = _resolver().resolve(text, published) if re.search(r"[A-ZА-ЯЁІЎЇЄ]", text) or \
        re.search(r"\b(?:president|leader|prime|premier|kremlin|президент|премьер|лидер)", text,
                  re.I) else []
    days = day_mentions(text, published)
    negated, governed, negation, loose = _negated_targets(words)
    demonyms = []
    for m in mentions:
        if m.kind != "country" or " " in m.text.strip():
            continue
        nxt = _WORD.match(text[m.end:].lstrip())
        if _DEMONYM.search(m.text) and nxt and _PERSON_NOUNS.match(nxt.group(0)):
            demonyms.append((m, m.text.lower()))
    return Facts(
        text=text, script=script(text), words=words, keys=keys,
        numbers=parse_numbers(text), vague=vague_quantities(text), mentions=mentions,
        days=days, speakers=_speakers(text, mentions), negated=negated, governed=governed,
        negation=negation,
        causal=causal_claims(text),
        evaluative=[m.group(0).lower() for m in _EVALUATIVE.finditer(text)],
        referent=bool(REFERENT.search(text)), loose=loose, demonyms=demonyms,
    )


_SCHEDULE = re.compile(r"\s+(be|begin|start|take|hold|meet|sign|open|close|arrive|visit|return|"
                       r"end|expire|come|go|make|publish|vote|report|resume|launch|enter|present|"
                       r"announce|decide|travel|leave|finish|complete|run|stand|appear|give|"
                       r"deliver|receive|hand|host|attend|speak|address|discuss|review|rule)\b",
                       re.I)


def causal_claims(text: str) -> list[tuple[str, int]]:
    """Causal connectives of ``text``, canonical (lower case, verb forms cut to five letters);
    "due to be signed" is a schedule, not a cause."""
    out = []
    for pattern in (CAUSAL, CAUSAL_MORE):
        for m in pattern.finditer(text):
            phrase = m.group(0).lower()
            if phrase == "due to" and _SCHEDULE.match(text, m.end()):
                continue
            first, *rest = phrase.split()
            out.append((" ".join([first[:5], *rest]), m.start()))
    return out


def merge(a: Facts, b: Facts) -> Facts:
    """Facts of two adjacent sentences read as one unit."""
    shift = len(a.text) + 1
    moved = [(n, s + shift, e + shift) for n, s, e in b.numbers]
    return Facts(
        text=a.text + " " + b.text, script=a.script if a.script == b.script else "mixed",
        words=a.words + b.words, keys=a.keys | b.keys, numbers=a.numbers + moved,
        vague=a.vague + b.vague, mentions=a.mentions + b.mentions, days=a.days + b.days,
        speakers=a.speakers + [(w, p + shift) for w, p in b.speakers],
        negated=a.negated | b.negated,
        governed=a.governed | b.governed,
        negation=a.negation or b.negation,
        causal=a.causal + [(c, p + shift) for c, p in b.causal], loose=a.loose or b.loose,
        evaluative=a.evaluative + b.evaluative, referent=a.referent or b.referent,
        demonyms=a.demonyms + b.demonyms,
    )


# --------------------------------------------------------------------------- embeddings
_VECTORS: dict[str, np.ndarray] = {}


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of the multilingual encoder (the clusterer's, loaded once), cached by text."""
    todo = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if todo:
        from storyline.enrich.embed import USEEmbedder

        if len(_VECTORS) > 50_000:
            _VECTORS.clear()
        for text, vector in zip(todo, USEEmbedder().encode(todo), strict=True):
            _VECTORS[text] = vector
    return np.vstack([_VECTORS[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)


# ------------------------------------------------------------------------------ evidence
def _norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def as_day(value: date | datetime | str | None) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class Units:
    """The evidence cut into sentences (and adjacent pairs), analysed lazily."""

    def __init__(self, texts: Iterable[str], published: Sequence[date | None]) -> None:
        self.sentences: list[tuple[str, date | None, int]] = []
        self.published = list(published)
        for k, (text, day) in enumerate(zip(texts, published, strict=True)):
            for sentence in split_sentences(text or ""):
                self.sentences.append((sentence, day, k))
        self._facts: list[Facts | None] = [None] * len(self.sentences)
        self._all: Facts | None = None

    def facts(self, i: int) -> Facts:
        got = self._facts[i]
        if got is None:
            text, day, _ = self.sentences[i]
            got = self._facts[i] = analyse(text, day)
        return got

    def windows(self) -> list[tuple[int, ...]]:
        out: list[tuple[int, ...]] = [(i,) for i in range(len(self.sentences))]
        out += [(i, i + 1) for i in range(len(self.sentences) - 1)
                if self.sentences[i][2] == self.sentences[i + 1][2]]
        return out

    def before(self, i: int, n: int) -> list[Facts]:
        """Sentence ``i`` and up to ``n`` sentences before it in the same text: where "the two
        governments" finds the actors it refers back to."""
        text = self.sentences[i][2]
        return [self.facts(j) for j in range(max(0, i - n), i + 1)
                if self.sentences[j][2] == text]

    def unit(self, window: tuple[int, ...]) -> Facts:
        facts = self.facts(window[0])
        for i in window[1:]:
            facts = merge(facts, self.facts(i))
        return facts

    def everything(self) -> Facts:
        if self._all is None:
            facts = [self.facts(i) for i in range(len(self.sentences))]
            combined = facts[0] if facts else analyse("")
            for f in facts[1:]:
                combined = merge(combined, f)
            self._all = combined
        return self._all
