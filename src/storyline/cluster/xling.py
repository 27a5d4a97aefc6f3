"""Language-independent evidence that two reports in different languages tell one happening.

A Russian and an English report of the same summit share almost no words and few name keys, so
the clusterer's lexical features say little about them; the multilingual sentence embedding says
"same topic" but cannot tell one summit from the next. What does cross languages is:

* the **actors**, resolved through the gazetteer to ids (``Лукашенко``, ``Лукашэнка`` and
  ``Lukashenko`` are one id; "the Kremlin" is Russia's government);
* the **numbers** a report gives ("35 European countries", "47 states", "28 programmes"),
  years left out;
* the **day of the happening**: the days a report names within ten days of its publication
  ("on February 26", "в четверг", "26 лютого"), and its publication day;
* **what** they tell, as the search lexicon's concepts (``data/search_lexicon.json``:
  "sanctions", "санкции", "санкції" and "санкцыі" are one concept; so are "treaty", "talks",
  "expulsion"): on the seven corpora's cross-language pairs whose days agree, one happening's
  reports share .41 of their concepts (Jaccard), two happenings of one storyline .25, two
  stories .06. Putin's suspension of the plutonium agreement and the US suspension of the Syria
  talks, both of 3 October 2016, share actors and the day but not their concepts;
* the **time** between the reports (``gap``): two reports of one happening mostly come within
  hours of each other, while the next happening of a storyline is told a day or so after the
  first one's reports. A report that names the other's day ("on February 26", "накануне") is
  as close to it as that day, so a preview, or a next-morning report of the day before, keeps
  its gap small. On the corpora the model was fitted on (``bench/xling_pairs.py``,
  ``separation``), 127 of 1,265 cross-language pairs of one happening whose days agree lie
  more than half a day apart (mean .08 days), against 466 of 723 pairs of two happenings of one
  storyline (mean .77).

:class:`CrossLingualKeys` holds those for one article. Two reports can tell one happening only
if their days agree (:func:`days_agree`: they were published, and the closest of the days each
names or was published on lie, at most :data:`MAX_DAY_DISTANCE` apart); given that, a small
logistic regression (:class:`CrossLingualModel`) over the content evidence
(:func:`pair_features`: embedding cosine, shared actors, shared numbers, shared concepts)
gives the probability
that they are one happening. The day is a
gate, not a feature: on a real day's stream every unrelated story shares the day. The clusterer
(:mod:`storyline.cluster.events`) uses it for candidate members in another language only;
same-language pairs keep their own model.

A pair of two Cyrillic reports (Russian, Ukrainian, Belarusian) is judged by a model of its own
that also counts their **cognates** (:func:`cognate_stems`): the three languages share most
roots but spell them apart, and the embedding, which does not list Belarusian or Ukrainian,
separates such pairs poorly.

The weights were fitted by ``python bench/xling_pairs.py --fit``; the bench's docstring states
the protocol: both regressions on the cross-language pairs of one half of the gold storylines
(the half is fixed by a hash of the storyline name) of the demo corpus and ten Russia/Belarus
sets (``bench/data/``: the near-miss set and the held-out sets up to the tenth) together, with
every pair of two unrelated storylines of a corpus added as a same-day negative, reported on
the other half. The pairs of one happening weigh as much as all negatives, and the near misses
(two happenings of one storyline) as much as the unrelated pairs, which outnumber them nine
to one: fitted with every negative weighing the same, the model learnt to reject unrelated
stories and hardly saw the near misses it exists for. The eleventh to thirteenth sets were
left out of the fit, to check it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from storyline.actors.resolve import skeleton
from storyline.mentioned_days import find_dates

__all__ = [
    "CrossLingualKeys",
    "CrossLingualModel",
    "PAIR_FEATURES",
    "extract_keys",
    "days_agree",
    "pair_features",
]

#: Names of :func:`pair_features`' columns, in order.
PAIR_FEATURES: tuple[str, ...] = (
    "emb",  # multilingual embedding cosine
    "actors",  # Jaccard overlap of resolved actor ids
    "numbers",  # log(1 + numbers both name), years left out
    "cyrillic",  # 1 if both reports are written in Cyrillic (Russian, Ukrainian, Belarusian)
    "cognates",  # then: overlap of their words' spelling skeletons (see cognate_stems), else 0
    "concepts",  # Jaccard overlap of the search lexicon's concepts they name
    "gap",  # days between the reports: publication times, or a day one names and the other's
)

#: The ``gap`` feature's ceiling in days (the day gate lets no pair further apart through).
MAX_GAP_DAYS = 3.0

#: Days around publication within which a named day counts as the happening's day.
NAMED_DAY_WINDOW = 10
#: Two reports whose named/publication days are further apart than this are two happenings.
MAX_DAY_DISTANCE = 2

#: Letters of a word's spelling skeleton that :func:`cognate_stems` keeps; shorter words are
#: left out.
COGNATE_PREFIX = 4
#: Fewer Cyrillic words than this and a report is not read as written in Cyrillic.
MIN_CYRILLIC_WORDS = 5

_CYRILLIC_WORD = re.compile(r"[а-яёіїєґўА-ЯЁІЇЄҐЎ]+(?:['’][а-яёіїєґўА-ЯЁІЇЄҐЎ]+)*")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ ,.]\d{3})+(?![\w])|(?<![\w.,])\d+(?![\w])")


@dataclass(frozen=True)
class CrossLingualKeys:
    """One article's language-independent keys (see the module docstring)."""

    actors: frozenset[str]
    numbers: frozenset[str]
    days: frozenset[int]  # named days (proleptic ordinals) within the window of `published`
    published: int  # publication day, proleptic ordinal
    #: the report's Cyrillic word stems (:func:`cognate_stems`); empty unless it is written
    #: in Cyrillic
    stems: frozenset[str] = frozenset()
    #: the search lexicon's concepts it names ("sanctions", "expulsion", "treaty"); empty for
    #: a member stored by a version before them, which so joins less readily, never more
    concepts: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, list]:
        return {"a": sorted(self.actors), "n": sorted(self.numbers), "d": sorted(self.days),
                "p": self.published,
                **({"s": sorted(self.stems)} if self.stems else {}),
                **({"k": sorted(self.concepts)} if self.concepts else {})}

    @classmethod
    def from_json(cls, data: dict | None) -> CrossLingualKeys | None:
        if not data:
            return None
        return cls(frozenset(data.get("a", [])), frozenset(data.get("n", [])),
                   frozenset(int(d) for d in data.get("d", [])), int(data.get("p", 0)),
                   frozenset(data.get("s", ())), frozenset(data.get("k", ())))


def numbers_in(text: str) -> frozenset[str]:
    """Numbers written in digits, normalised ("1,200" → "1200"); years and 0–3 left out
    (a year dates the report rather than the happening; small counts are everywhere)."""
    out = set()
    for raw in _NUMBER.findall(text):
        value = re.sub(r"[ ,.]", "", raw)
        if len(value) == 4 and value[:2] in ("19", "20"):
            continue
        if value.lstrip("0") in ("", "1", "2", "3"):
            continue
        out.add(value.lstrip("0"))
    return frozenset(out)


def cognate_stems(text: str) -> frozenset[str]:
    """The first :data:`COGNATE_PREFIX` letters of the spelling skeleton
    (:func:`~storyline.actors.resolve.skeleton`) of every Cyrillic word that long in ``text``;
    empty when ``text`` has fewer than :data:`MIN_CYRILLIC_WORDS` Cyrillic words.

    Why: Russian, Ukrainian and Belarusian share most roots but spell them apart ("санкции",
    "санкції", "санкцыі"; "пакет"; "Пригожин", "Прыгожын"), so their reports share few words
    as written. Their skeletons' first letters are one key in all three: on our three sets
    (``bench/xling_pairs.py``, ``separation``), two Cyrillic reports in different languages of
    one happening share .25 of them (cosine), two of one storyline a few days apart .16 — while
    the embedding, which does not list Belarusian or Ukrainian, gives a Belarusian or Ukrainian
    report and another-language one .44 and .33 (.36 and .28 before their text was respelled
    toward Russian for it: :func:`storyline.enrich.embed.bridge_spelling`)."""
    words = _CYRILLIC_WORD.findall(text)
    if len(words) < MIN_CYRILLIC_WORDS:
        return frozenset()
    return frozenset(skeleton(w.lower().replace("ё", "е").replace("’", "'"))[:COGNATE_PREFIX]
                     for w in words if len(w) >= COGNATE_PREFIX)


def extract_keys(text: str, published: date, lang: str | None,
                 resolver=None) -> CrossLingualKeys:
    """The keys of one article's ``text`` (headline and lead are enough) published on
    ``published``; ``resolver`` defaults to the packaged gazetteer's."""
    resolver = resolver or _resolver()
    actors = frozenset(m.actor_id for m in resolver.resolve(text, published, lang))
    pub = published.toordinal()
    days = frozenset(d.toordinal() for d in find_dates(text, published)
                     if abs(d.toordinal() - pub) <= NAMED_DAY_WINDOW)
    from storyline.store.query import lexicon

    return CrossLingualKeys(actors, numbers_in(text), days, pub, cognate_stems(text),
                            frozenset(lexicon().concepts_in(text)))


_RESOLVER = None


def _resolver():
    """The packaged gazetteer's resolver, built once per process."""
    global _RESOLVER
    if _RESOLVER is None:
        from storyline.actors.resolve import default_resolver

        _RESOLVER = default_resolver()
    return _RESOLVER


def days_agree(a: CrossLingualKeys, b: CrossLingualKeys) -> bool:
    """Whether the two reports were published within :data:`MAX_DAY_DISTANCE` days of each
    other and the days they name or were published on come that close too (a preview on the
    24th naming the 26th and a report of the 26th agree; the same list a month later does not,
    nor does a report weeks later that names the first one's day: "78 more officials listed
    over the May 23 diversion" is a new happening, told in another language)."""
    if abs(a.published - b.published) > MAX_DAY_DISTANCE:
        return False
    days_a = a.days | {a.published}
    days_b = b.days | {b.published}
    return min(abs(x - y) for x in days_a for y in days_b) <= MAX_DAY_DISTANCE


def pair_features(a: CrossLingualKeys, b: CrossLingualKeys, emb: float,
                  gap_days: float = 0.0) -> list[float]:
    """:data:`PAIR_FEATURES` of the pair ``a``, ``b`` whose embedding cosine is ``emb`` and
    whose publication times lie ``gap_days`` apart. Their ``gap`` is the smaller of that and
    the distance in days between the days they name or were published on (a preview of the
    26th and a report of the 26th are 0 apart), at most :data:`MAX_GAP_DAYS`."""
    union = a.actors | b.actors
    actors = len(a.actors & b.actors) / len(union) if union else 0.0
    cyrillic = bool(a.stems and b.stems)
    cognates = (len(a.stems & b.stems) / math.sqrt(len(a.stems) * len(b.stems))
                if cyrillic else 0.0)
    either = a.concepts | b.concepts
    concepts = len(a.concepts & b.concepts) / len(either) if either else 0.0
    named = min(abs(x - y) for x in a.days | {a.published} for y in b.days | {b.published})
    gap = min(abs(float(gap_days)), float(named), MAX_GAP_DAYS)
    return [float(emb), actors, math.log1p(len(a.numbers & b.numbers)), float(cyrillic),
            cognates, concepts, gap]


# Fitted by `python bench/xling_pairs.py --fit` over the eleven corpora (see the module docstring),
# refitted after the resolver's Latin transliteration keys and role rule (the same events on every
# corpus as the first fit's):
# over emb, actors, numbers, concepts and gap for a pair with a report in another script (English),
# and over those and cognates for a pair of two Cyrillic reports.
DEFAULT_COEF: tuple[float, ...] = (5.7441, 4.7925, 3.0934, 3.3942, -2.9944)
DEFAULT_INTERCEPT: float = -4.8044
CYRILLIC_COEF: tuple[float, ...] = (4.4316, 3.5315, 2.3846, 7.2947, 1.6821, -2.0836)
CYRILLIC_INTERCEPT: float = -4.34


#: :data:`PAIR_FEATURES` columns of each regression.
OTHER_COLUMNS: list[int] = [0, 1, 2, 5, 6]
CYRILLIC_COLUMNS: list[int] = [0, 1, 2, 4, 5, 6]


@dataclass(frozen=True)
class CrossLingualModel:
    """Two logistic regressions over :data:`PAIR_FEATURES` (raw values; all lie in 0..~2): one
    for pairs of two Cyrillic reports (Russian, Ukrainian, Belarusian: their ``cognates``
    count), one for the rest (``coef`` over ``emb``, ``actors``, ``numbers``, ``concepts``,
    ``gap``: :data:`OTHER_COLUMNS`)."""

    coef: tuple[float, ...] = DEFAULT_COEF
    intercept: float = DEFAULT_INTERCEPT
    cyrillic_coef: tuple[float, ...] = CYRILLIC_COEF
    cyrillic_intercept: float = CYRILLIC_INTERCEPT

    def proba(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """Probability that each feature row (pairs whose days agree) is one happening."""
        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(PAIR_FEATURES))
        other = x[:, OTHER_COLUMNS] @ np.asarray(self.coef) + self.intercept
        cyr = x[:, CYRILLIC_COLUMNS] @ np.asarray(self.cyrillic_coef) + self.cyrillic_intercept
        z = np.where(x[:, 3] > 0, cyr, other)
        return 1.0 / (1.0 + np.exp(-z))
