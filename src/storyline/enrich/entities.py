"""Cheap, language-aware name and place keys for telling look-alike events apart.

In same-topic news (many shootings, many sanctions rounds) the words are shared by every event;
what separates one happening from another are its names (victims, suspects, officials), places
(datelines, streets, towns) and numbers (ages, addresses). This module pulls those out as
normalised string *keys* that the clusterer weighs by rarity (IDF).

Why heuristics and not a statistical NER: spaCy's small English model runs at ~30 docs/s on two
cores, below the clusterer's 100 articles/s budget, and it would still need a Russian model
beside it. Capitalised-phrase extraction runs at thousands of docs/s, needs no model, works for
any language written with capitals, and the IDF weighting downstream discounts the junk it lets
through (sentence-initial words, "Police", "Monday"). Measured on ``gva_dev.jsonl`` it did as well
as spaCy entities inside the clusterer (see ``bench/README.md``).

Cross-lingual keys: Cyrillic names are transliterated to Latin and lightly de-inflected, so
"Лукашенко" / "Лукашенко", "Минске" and "Lukashenko", "Minsk" give the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS as _EN_STOP
from spacy.lang.ru.stop_words import STOP_WORDS as _RU_STOP

__all__ = ["EntityExtractor", "STRONG_PREFIXES", "transliterate", "normalise_token"]

#: Key prefixes of strong, rare evidence: a person's full name, a street address.
STRONG_PREFIXES: tuple[str, ...] = ("per:", "addr:")

# Capitalised words that start sentences or label things in news without naming a happening.
_EXTRA_STOP = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sgt",
    "lt",
    "capt",
    "officer",
    "officers",
    "police",
    "sheriff",
    "chief",
    "detective",
    "deputy",
    "deputies",
    "authorities",
    "according",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "read",
    "more",
    "click",
    "photo",
    "video",
    "related",
    "update",
    "updated",
    "copyright",
    "associated",
    "press",
    "ap",
    "reuters",
    "news",
    "said",
    "says",
    "after",
    "when",
    "while",
    "but",
    "and",
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "he",
    "she",
    "they",
    "it",
    "his",
    "her",
    "this",
    "that",
    "there",
    "we",
    "i",
    "you",
    "if",
    "as",
    "for",
    "of",
    "to",
    "by",
    "with",
    "department",
    "county",
    "city",
    "street",
    "avenue",
    "road",
    "st",
    "ave",
    "rd",
    "blvd",
    "north",
    "south",
    "east",
    "west",
    "new",
    "year",
    "years",
    "old",
    "man",
    "woman",
    "people",
    "javascript",
    "please",
    "enable",
    "share",
    "tweet",
    "email",
    "facebook",
    "twitter",
    "advertisement",
    "story",
    "continues",
    "below",
    "image",
    "caption",
    "getty",
    "images",
}
STOPWORDS: frozenset[str] = frozenset(
    {w.lower() for w in _EN_STOP} | {w.lower() for w in _RU_STOP} | _EXTRA_STOP
)

_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
    }
)
# Russian case endings, longest first; stripped only when a stem of >= 4 letters remains.
_RU_ENDINGS = (
    "ского",
    "скому",
    "ским",
    "ской",
    "ская",
    "ский",
    "ское",
    "ого",
    "ему",
    "ому",
    "ами",
    "ями",
    "ах",
    "ях",
    "ом",
    "ем",
    "ой",
    "ей",
    "ий",
    "ый",
    "ая",
    "ую",
    "ов",
    "ев",
    "ым",
    "им",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "ы",
    "и",
    "о",
)

# A run of capitalised (or ALL-CAPS) words, possibly joined by name particles.
_CAP_RUN = re.compile(
    r"(?<![\w'’])[A-ZА-ЯЁ][\w'’\-]*(?:\s+(?:(?:de|da|van|von|la|le|del|bin|al|ibn)\s+)?"
    r"[A-ZА-ЯЁ][\w'’\-]*){0,4}"
)
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .'\-]{2,40}?)(?:,\s*[A-Z][\w. ]{1,20})?\s*(?:\([^)]{1,20}\))?\s*[—–\-]{1,2}\s"
)
_AGE = re.compile(
    r"\b(\d{1,3})[- ](?:year|yr)s?[- ]old\b|\b(?:aged?|возраст\w*)\s+(\d{1,3})\b", re.I
)
_STREET = re.compile(
    r"\b(\d{2,5})\s+(?:block\s+of\s+)?(?:(?:North|South|East|West|[NSEW])\.?\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl)\b"
)
_BIGNUM = re.compile(r"(?<![\d.,])(\d{3,5})(?![\d.,%])")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SENT_START = re.compile(r"(?:^|[.!?]\s+|\n\s*|[\"“«]\s*)$")


def transliterate(token: str) -> str:
    """Latin spelling of a (lower-case) Cyrillic token; other scripts pass through unchanged."""
    return token.translate(_TRANSLIT)


def normalise_token(token: str) -> str:
    """Lower-case, strip accents and possessives, de-inflect Russian, transliterate Cyrillic."""
    t = token.lower().replace("’", "'")
    if t.endswith("'s"):
        t = t[:-2]
    t = t.strip("'-")
    if any("а" <= c <= "я" or c == "ё" for c in t):
        for end in _RU_ENDINGS:
            if t.endswith(end) and len(t) - len(end) >= 4:
                t = t[: -len(end)]
                break
        t = transliterate(t)
    else:
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
        # Match de-inflected Russian stems: "Lukashenko" ~ "Лукашенко" -> "lukashenk".
        if len(t) >= 6 and t[-1] in "aeiouy":
            t = t[:-1]
    return t


class EntityExtractor:
    """Extract name, place and number keys from an article.

    Parameters
    ----------
    max_chars:
        Only the first ``max_chars`` characters of the body are read: names and places are
        introduced early, and long texts (Timeline17) would otherwise dominate the run time.
    phrases:
        Also emit adjacent word pairs of capitalised runs ("bernard_gillis") besides single
        tokens; a full-name match is much stronger evidence than a shared surname.
    numbers:
        Emit ``age:N`` keys for ages and ``num:N`` keys for 3–5 digit numbers (street
        addresses, victim counts rarely; IDF sorts out which ones matter).

    Strong keys (see :data:`STRONG_PREFIXES`): ``per:first_last`` for a capitalised word pair
    whose second word also stands alone elsewhere in the body (news style: "John Smith ...
    Smith said" — a person's full name, rarely a place or an outlet's boilerplate), and
    ``addr:number_street`` for a street address ("1200 block of Main Street").
    """

    def __init__(self, max_chars: int = 3000, phrases: bool = True, numbers: bool = True):
        self.max_chars = max_chars
        self.phrases = phrases
        self.numbers = numbers

    def extract(self, title: str, text: str, lang: str | None = None) -> list[str]:
        """Return the sorted, de-duplicated keys of one article (title + start of the body)."""
        body = _URL.sub(" ", text[: self.max_chars])
        # Words capitalised mid-sentence somewhere in the text: evidence that a sentence-initial
        # capitalised word is a name and not just the first word of a sentence.
        runs = list(self._runs(body))
        mid = {w for words, at_start in runs if not at_start for w in words}
        keys: set[str] = set()
        if title and not _is_title_case(title):
            keys.update(self._keys(list(self._runs(title)), mid, title_mode=True))
        keys.update(self._keys(runs, mid))
        if self.phrases:
            keys.update(self._people(runs))
        m = _DATELINE.match(body)
        if m:
            for tok in re.findall(r"[A-Za-z]+", m.group(1)):
                t = normalise_token(tok)
                if len(t) > 2 and tok.lower() not in STOPWORDS:
                    keys.add(t)
                    keys.add("dl:" + t)
        if self.numbers:
            for part in (title, body):
                for a, b in _AGE.findall(part):
                    keys.add("age:" + (a or b))
                for num, street in _STREET.findall(part):
                    keys.add(f"addr:{num}_{normalise_token(street.split()[0])}")
                for n in _BIGNUM.findall(part):
                    if not (1900 <= int(n) <= 2100):
                        keys.add("num:" + n)
        return sorted(keys)

    @staticmethod
    def _runs(text: str) -> Iterable[tuple[list[str], bool]]:
        for m in _CAP_RUN.finditer(text):
            words = [
                w.lower().replace("’", "'").removesuffix("'s").strip("'-")
                for w in m.group(0).split()
            ]
            at_start = m.start() == 0 or bool(
                _SENT_START.search(text[max(0, m.start() - 3) : m.start()])
            )
            yield words, at_start

    @staticmethod
    def _people(runs: list[tuple[list[str], bool]]) -> Iterable[str]:
        """``per:first_last`` keys: a pair whose last word also occurs on its own elsewhere."""
        alone: dict[str, int] = {}
        pairs: list[tuple[str, str]] = []
        for words, _ in runs:
            ws = [w for w in words if w not in STOPWORDS]
            if len(ws) == 1:
                alone[ws[0]] = alone.get(ws[0], 0) + 1
            elif len(ws) in (2, 3) and all(w.isalpha() and len(w) > 1 for w in ws):
                pairs.append((ws[0], ws[-1]))
        for first, last in pairs:
            if alone.get(last):
                yield f"per:{normalise_token(first)}_{normalise_token(last)}"

    def _keys(
        self, runs: list[tuple[list[str], bool]], mid: set[str], title_mode: bool = False
    ) -> Iterable[str]:
        for words, at_start in runs:
            if at_start and not title_mode and words and words[0] not in mid:
                words = words[1:]  # sentence-initial word never seen capitalised mid-sentence
            content = [normalise_token(w) for w in words if len(w) > 1 and w not in STOPWORDS]
            content = [t for t in content if len(t) > 1]
            if not content:
                continue
            yield from content
            if self.phrases:  # adjacent pairs: "Russian President Vladimir Putin" -> vladimir_putin
                yield from (f"{a}_{b}" for a, b in zip(content, content[1:], strict=False))


def _is_title_case(title: str) -> bool:
    """Headline Style Capitalises Every Word: then capitals say nothing about names."""
    words = [w for w in re.findall(r"[^\W\d_]+", title) if len(w) > 3]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) / len(words) > 0.6
