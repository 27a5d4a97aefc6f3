"""Grounding check: is every sentence of a brief supported by the articles it cites?

A brief may only say what its sources say. :class:`GroundingChecker` is the one check every
writer uses (the extractive writer for each chosen sentence against each article it would cite,
the LLM writer for every model sentence, ``storyline ground`` for probe files). It is
claim-level (:mod:`storyline.brief.grounding`): a sentence is compared with the best-supporting
sentence, or two adjacent sentences, of the cited texts — not with the article's bag of words —
and that unit must agree with it on

- **numbers** as values ("28" = "twenty-eight" = "двадцать восемь"; "thousands" is no figure);
- **names and actors**, resolved through the gazetteer (aliases, metonyms, other scripts);
- **who said it** ("X said …" needs X as the unit's speaker);
- **polarity** (a negation or refusal in one and not the other);
- **causes and evaluations** ("because", "led to"; "landmark", "historic") the unit makes;
- **dates**, resolved against the report's day ("on Friday (8 April 2022)");
- **wording**: the share of content words found in the unit is the sentence's ``support``; in
  another script, the multilingual encoder's cosine.

A failed agreement, a missing/unknown citation, or support below ``min_support`` drops the
sentence; support below ``flag_support`` keeps it flagged ``"weak-support"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from .grounding import (
    _DEMONYM,
    _EVALUATIVE,
    _TOKEN,
    CAUSAL,
    NUMBER_WORDS,
    SPEECH,
    STOP_WORDS,
    DayMention,
    Facts,
    Units,
    _key,
    analyse,
    as_day,
    embed,
    script,
    strip_anchors,
    tokens,
)
from .grounding import _norm_space as _norm

__all__ = ["CAUSAL", "NUMBER_WORDS", "STOP_WORDS", "WEAK", "Evidence", "GroundingChecker",
           "GroundingReport", "SentenceCheck", "strip_citations", "tokens"]

WEAK = "weak-support"

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CITE_MARK = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_DIGIT_WORDS = {v: k for k, v in NUMBER_WORDS.items()}
_COUNTED = re.compile(r"\b(two|three|four|both|двое|оба|обе|два|две|три)\s+(?:\w+\s+)?"
                      r"(presidents|leaders|governments|sides|countries|nations|capitals|"
                      r"ministers|heads|allies|neighbou?rs|президент\w*|лидер\w*|стран\w*|"
                      r"сторон\w*)\b", re.I)
_REFERENT_KEYS = ("presi", "leade", "gover", "sides", "side", "count", "natio", "capit",
                  "minis", "heads", "allie", "neigh", "через", "лидер", "стран", "сторо")


def _norm_number(token: str) -> str:
    """'1,200' → '1200', '3.5' → '3.5', '2,5' (decimal comma) → '2.5'."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
        return token.replace(",", "")
    return token.replace(",", ".")


def strip_citations(text: str) -> tuple[str, list[int]]:
    """Remove ``[1]``, ``[2, 3]`` markers from ``text``; return the clean text and the numbers."""
    cites: list[int] = []
    for match in _CITE_MARK.finditer(text):
        for part in match.group(1).split(","):
            number = int(part)
            if number not in cites:
                cites.append(number)
    return _CITE_MARK.sub("", text).strip(), cites


class Evidence:
    """The cited texts, cut into sentences and analysed lazily, once per object.

    Args:
        texts: the cited articles' texts.
        stem: prefix length used to match words across inflections.
        published: the report day(s) relative days are resolved against — one for all texts,
            or one per text (None: unknown; weekdays then match by name).
    """

    def __init__(self, texts: Iterable[str], stem: int = 5,
                 published: date | datetime | str | Sequence[Any] | None = None) -> None:
        self.stem = stem
        self.texts = [t or "" for t in texts]
        if isinstance(published, (list, tuple)):
            days = [as_day(p) for p in published]
            days += [None] * (len(self.texts) - len(days))
        else:
            days = [as_day(published)] * len(self.texts)
        self.published = days
        self._units: Units | None = None
        self._stems: set[str] | None = None
        self._numbers: set[str] | None = None
        self.normalised = _norm(" \n ".join(self.texts))

    @property
    def empty(self) -> bool:
        return not any(t.strip() for t in self.texts)

    @property
    def units(self) -> Units:
        if self._units is None:
            self._units = Units(self.texts, self.published)
        return self._units

    @property
    def day(self) -> date | None:
        return next((d for d in self.published if d), None)

    # -- the old whole-text lookups, kept for callers that want them ----------------------
    @property
    def stems(self) -> set[str]:
        if self._stems is None:
            self._stems = {self.key(t) for text in self.texts for t in tokens(text)
                           if not t[0].isdigit()}
        return self._stems

    @property
    def numbers(self) -> set[str]:
        if self._numbers is None:
            self._numbers = {_norm_number(t) for text in self.texts for t in tokens(text)
                             if t[0].isdigit()}
            self._numbers |= {NUMBER_WORDS[t.lower()] for text in self.texts
                              for t in tokens(text) if t.lower() in NUMBER_WORDS}
        return self._numbers

    def key(self, word: str) -> str:
        word = re.sub(r"['’]s$", "", word.lower())
        return word[: self.stem]

    def has_word(self, word: str) -> bool:
        return self.key(word) in self.stems

    def has_number(self, number: str) -> bool:
        if number in self.numbers:
            return True
        word = _DIGIT_WORDS.get(number)
        return word is not None and self.has_word(word)


@dataclass
class SentenceCheck:
    """Verdict on one sentence: ``ok``, ``flag`` (weak support) or ``drop``, and why."""

    text: str
    verdict: str
    support: float
    missing_names: list[str] = field(default_factory=list)
    missing_numbers: list[str] = field(default_factory=list)
    reason: str = ""
    evidence: str = ""  # the supporting (or best-matching) unit of the cited text

    @property
    def reasons(self) -> list[str]:
        return [r for r in self.reason.split("; ") if r]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "verdict": self.verdict, "support": round(self.support, 3),
                "missing_names": self.missing_names, "missing_numbers": self.missing_numbers,
                "reason": self.reason}


@dataclass
class GroundingReport:
    """Counts for the brief body (``grounding``) and the per-sentence details behind them."""

    checked: int = 0
    dropped: int = 0
    flagged: int = 0
    details: list[SentenceCheck] = field(default_factory=list)

    def add(self, check: SentenceCheck) -> None:
        self.checked += 1
        self.dropped += check.verdict == "drop"
        self.flagged += check.verdict == "flag"
        if check.verdict != "ok":
            self.details.append(check)

    def merge(self, other: GroundingReport) -> None:
        self.checked += other.checked
        self.dropped += other.dropped
        self.flagged += other.flagged
        self.details.extend(other.details)

    def as_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "dropped": self.dropped, "flagged": self.flagged}


@dataclass
class _Claim:
    """A sentence to check, analysed once: its facts, days (anchors applied) and the spans its
    content words, numbers, names and actors occupy."""

    text: str
    facts: Facts
    days: list[DayMention]
    numbers: list[tuple[str, int, int]]
    content: list[tuple[str, int]]  # (key, token index) of content words
    names: list[str]
    anchor_conflict: str = ""


def _spans(items: Iterable[Any]) -> list[tuple[int, int]]:
    return [(s, e) for s, e in items]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


class GroundingChecker:
    """Checks sentences against cited texts.

    Args:
        min_support: share of content words that must be found, else the sentence is dropped.
        flag_support: below this share a kept sentence is flagged ``weak-support``.
        stem: prefix length used to match words across inflections.
        cross_min: multilingual-encoder cosine a claim must reach against a unit in another
            script (else dropped); ``cross_flag``: below it, flagged.
        candidates: best-scoring units examined per claim.
    """

    def __init__(self, min_support: float = 0.6, flag_support: float = 0.85, stem: int = 5,
                 cross_min: float = 0.5, cross_flag: float = 0.6, candidates: int = 4):
        self.min_support = min_support
        self.flag_support = flag_support
        self.stem = stem
        self.cross_min = cross_min
        self.cross_flag = cross_flag
        self.candidates = candidates

    # -- the check ------------------------------------------------------------------------
    def check(self, text: str, evidence: Evidence | Iterable[str]) -> SentenceCheck:
        """Verdict on ``text`` (citation markers are ignored) given the cited texts."""
        if not isinstance(evidence, Evidence):
            evidence = Evidence(evidence, self.stem)
        clean, _ = strip_citations(text)
        if evidence.empty:
            return SentenceCheck(clean, "drop", 0.0, reason="no cited text")
        claim = self._claim(clean, evidence.day)
        if claim.anchor_conflict:
            return SentenceCheck(clean, "drop", 0.0, reason=claim.anchor_conflict)
        if self._verbatim(claim.text, evidence.normalised):
            return SentenceCheck(clean, "ok", 1.0, evidence=claim.text)
        units = evidence.units
        if not units.sentences:
            return SentenceCheck(clean, "drop", 0.0, reason="no cited text")
        windows = units.windows()
        same = [w for w in windows if self._script(units, w) == claim.facts.script]
        taken = set(same)
        other = [w for w in windows if w not in taken]
        best: list[Any] = []

        def consider(ranked: list[tuple[float, tuple[int, ...]]], cross: bool,
                     cosine: dict[int, float]) -> SentenceCheck | None:
            low, high = ((self.cross_min, self.cross_flag) if cross
                         else (self.min_support, self.flag_support))
            for rank, (score, window) in enumerate(ranked[: self.candidates]):
                unit = units.unit(window)
                problems, numbers, names = self._problems(claim, unit, window, units, cosine)
                # a lower-ranked unit may rescue a claim only with full support, as good as
                # the best unit's
                if not problems and score >= (low if rank == 0 else max(high, ranked[0][0])):
                    verdict = "ok" if score >= high else "flag"
                    reason = "" if verdict == "ok" else f"support {score:.2f}"
                    return SentenceCheck(clean, verdict, score, reason=reason,
                                         evidence=unit.text)
                if not problems:
                    problems = [f"support {score:.2f}"]
                key = (score >= low, score)
                if not best or key > best[0]:
                    best[:] = [key, score, problems, numbers, names, unit.text]
            return None

        if same:
            ranked = sorted(((self._support(claim, units.unit(w)), w) for w in same),
                            key=lambda item: (-item[0], len(item[1])))
            found = consider(ranked, False, {})
            if found:
                return found
        if other:
            vectors = embed([claim.text] + [units.unit(w).text for w in other])
            cosines = vectors[1:] @ vectors[0]
            single = {w[0]: float(c) for w, c in zip(other, cosines, strict=True) if len(w) == 1}
            order = np.argsort(-cosines)
            found = consider([(float(cosines[i]), other[i]) for i in order], True, single)
            if found:
                return found
        _, score, problems, numbers, names, unit_text = best
        return SentenceCheck(clean, "drop", score, names, numbers, "; ".join(problems),
                             evidence=unit_text)

    @staticmethod
    def _verbatim(text: str, normalised: str) -> bool:
        """Whether ``text`` is a quote of the evidence (whole words, at least 12 characters)."""
        quoted = _norm(text).rstrip(".!?\"”' ")
        if len(quoted) < 12:
            return False
        start = normalised.find(quoted)
        while start >= 0:
            end = start + len(quoted)
            if (start == 0 or not normalised[start - 1].isalnum()) and (
                    end == len(normalised) or not normalised[end].isalnum()):
                return True
            start = normalised.find(quoted, start + 1)
        return False

    # -- the claim ------------------------------------------------------------------------
    def _claim(self, clean: str, published: date | None) -> _Claim:
        body, anchors = strip_anchors(clean, published)
        facts = analyse(body, published)
        days = list(facts.days)
        conflict = ""
        shift = 0
        for anchor in anchors:  # an anchor follows the relative day it dates
            at = anchor.start - shift
            shift += anchor.end - anchor.start
            before = [i for i, d in enumerate(days) if at - 2 <= d.end <= at]
            if not before:
                days.append(anchor)
                continue
            mention = days[before[-1]]
            if mention.day and mention.day != anchor.day or (
                    mention.weekday is not None and mention.weekday != anchor.weekday):
                conflict = (f"wrong date: {body[mention.start:mention.end]} is not "
                            f"{anchor.day:%-d %B %Y}")
            days[before[-1]] = DayMention(anchor.day, anchor.month_day, anchor.weekday, None,
                                          mention.start, mention.end)
        day_spans = [(d.start, d.end) for d in facts.days]
        numbers = [n for n in facts.numbers if not _inside(n[1], day_spans)]
        skip = day_spans + [(m.start, m.end) for m in facts.mentions] + \
            [(s, e) for _, s, e in facts.numbers] + \
            [(m.start(), m.end()) for m in SPEECH.finditer(body)] + \
            [(m.start(), m.end()) for m in _EVALUATIVE.finditer(body)]
        content, names = [], []
        for m in _TOKEN.finditer(body):
            word = m.group(0)
            if word[0].isdigit() or _inside(m.start(), skip):
                continue
            low = word.lower()
            if low in STOP_WORDS or low in ("not", "never", "не", "ни", "без") or \
                    low.endswith(("n't", "n’t")):
                continue
            if word[0].isupper():
                names.append(word)
            if len(low) > 2:
                content.append((_key(low, self.stem), m.start()))
        return _Claim(body, facts, days, numbers, content, names, conflict)

    @staticmethod
    def _script(units: Units, window: tuple[int, ...]) -> str:
        scripts = {script(units.sentences[i][0]) for i in window}
        return scripts.pop() if len(scripts) == 1 else "mixed"

    def _support(self, claim: _Claim, unit: Facts) -> float:
        """Share of the claim's content words, actors and figures the unit has."""
        total = len(claim.content) + len(claim.facts.mentions) + len(claim.numbers)
        if not total:
            return 1.0
        actors = bool(unit.mentions) or unit.referent
        found = sum(key in unit.keys or (actors and key.startswith(_REFERENT_KEYS))
                    for key, _ in claim.content)
        joined = unit.referent and self._joined(claim)
        found += sum(joined or self._actor_ok(m, unit) for m in claim.facts.mentions)
        values = unit.number_values
        found += sum(value in values for value, _, _ in claim.numbers)
        return found / total

    def _home(self, claim: _Claim, pos: int, window: tuple[int, ...], units: Units,
              cosine: dict[int, float]) -> list[Facts]:
        """The sentence(s) of a two-sentence unit that the claim's words around ``pos`` come
        from (in another script: the sentence closer by the encoder)."""
        if len(window) == 1:
            return [units.facts(window[0])]
        if cosine:
            return [units.facts(max(window, key=lambda i: cosine.get(i, 0.0)))]
        near = [k for k, _ in sorted(claim.content, key=lambda c: abs(c[1] - pos))[:6]]
        fits = [(sum(k in units.facts(i).keys for k in near), i) for i in window]
        top = max(score for score, _ in fits)
        return [units.facts(i) for score, i in fits if score == top]

    def _problems(self, claim: _Claim, unit: Facts, window: tuple[int, ...], units: Units,
                  cosine: dict[int, float]) -> tuple[list[str], list[str], list[str]]:
        cross = bool(cosine)
        facts = claim.facts
        problems: list[str] = []

        def home(pos: int) -> list[Facts]:
            return self._home(claim, pos, window, units, cosine)

        # numbers: in the sentence the claim's context comes from
        missing_numbers = []
        counted = {str(_COUNT.get(m.group(1).lower(), 0)) for m in _COUNTED.finditer(claim.text)}
        persons = {m.actor_id for m in unit.mentions if m.kind == "person"}
        for value, start, end in claim.numbers:
            if any(value in f.number_values for f in home(start)):
                continue
            if value in counted and (unit.referent or int(value) in (
                    len(persons), len(unit.countries))):
                continue
            missing_numbers.append(claim.text[start:end])
        if missing_numbers:
            vague = " (the source gives only " + ", ".join(unit.vague) + ")" if unit.vague else ""
            problems.append("unsupported number " + ", ".join(missing_numbers) + vague)
        # names the gazetteer does not know (same script only)
        missing_names = []
        if not cross:
            spans = [(m.start, m.end) for m in facts.mentions] + \
                [(d.start, d.end) for d in facts.days]
            for m in _TOKEN.finditer(claim.text):
                word = m.group(0)
                if word[0].isupper() and word.lower() not in STOP_WORDS and \
                        not _inside(m.start(), spans) and _key(word, self.stem) not in unit.keys:
                    missing_names.append(word)
            if missing_names:
                problems.append("unsupported name " + ", ".join(missing_names))
        # actors
        missing = [m for m in facts.mentions
                   if not any(self._actor_ok(m, f) for f in home(m.start))]
        if missing and unit.referent:  # "Moscow and Minsk" for "the two governments"
            pair = self._coordinated(claim)
            before = units.before(window[0], 3)
            missing = [m for m in missing
                       if id(m) not in pair or not any(self._actor_ok(m, f) for f in before)]
        wrong = [m.text for m in missing]
        for m, surface in facts.demonyms:
            if m.text in wrong:
                continue
            same = [u for u in unit.mentions
                    if (u.country or u.actor_id) == (m.country or m.actor_id)
                    and u.kind == "country" and _DEMONYM.search(u.text)]
            if not same if cross else not any(u.text.lower() == surface for u in same):
                wrong.append(m.text + " (nationality)")
        if wrong:
            problems.append("unsupported actor " + ", ".join(wrong))
        # who said it: the speaker of the sentence the reported words come from
        for speaker, pos in facts.speakers:
            if not speaker or cross and speaker.startswith("w:"):
                continue
            heard = [s for f in home(pos + 12) for s, _ in f.speakers
                     if s and not (cross and s.startswith("w:"))]
            if heard and not any(self._same_speaker(speaker, h) for h in heard):
                problems.append(f"wrong speaker {speaker} (the source: {', '.join(heard)})")
                break
        # polarity
        if cross:
            if facts.negation != any(f.negation for f in home(0)):
                problems.append("negation differs")
        else:
            keys = {k for k, _ in claim.content}
            flipped = {t for t in facts.negated if t in unit.keys and t not in unit.governed}
            flipped |= {t for t in unit.negated if t in keys and t not in facts.governed}
            if flipped:
                problems.append("negation differs (" + ", ".join(sorted(flipped)) + ")")
            elif facts.loose and not unit.negation or not facts.negation and any(
                    f.loose for f in home(0)):
                problems.append("negation differs")
        # causes: each connective the claim uses, made by the unit (in another script: as many)
        if facts.causal:
            lacking = []
            for phrase, pos in facts.causal:
                have = [c for f in home(pos) for c, _ in f.causal]
                needed = [c for c, _ in facts.causal if cross or c == phrase]
                if len(have if cross else [c for c in have if c == phrase]) < len(needed):
                    lacking.append(phrase)
            if lacking:
                problems.append("unsupported causal claim " + ", ".join(lacking))
        # evaluations: each one in the sentence the claim's context comes from
        for m in _EVALUATIVE.finditer(claim.text):
            stem = m.group(1).lower()
            pool = [e for f in home(m.start()) for e in f.evaluative]
            needed = sum(1 for e in facts.evaluative if _EVALUATIVE.match(e).group(1) == stem)  # type: ignore[union-attr]
            had = len(pool) if cross else sum(
                1 for e in pool if _EVALUATIVE.match(e).group(1) == stem)  # type: ignore[union-attr]
            if had < needed:
                problems.append("unsupported evaluation " + m.group(0))
                break
        # dates
        for day in claim.days:
            near = [d for f in home(day.start) for d in f.days]
            if any(day.matches(d) for d in near):
                continue
            if near or unit.days and not any(day.matches(d) for d in unit.days):
                problems.append("wrong date " + claim.text[day.start:day.end])
                continue
            if any(day.matches(d) for d in unit.days):
                continue
            published = {d for d in units.published if d}
            if any(day.matches(d) for d in units.everything().days) or (
                    day.day and day.day in published):
                continue
            problems.append("unsupported date " + claim.text[day.start:day.end])
        return problems, missing_numbers, missing_names

    @staticmethod
    def _joined(claim: _Claim) -> bool:
        """Whether the claim names two or more actors together ("Moscow and Minsk"), as a
        unit's "the two governments" or "both sides" may stand for them."""
        return bool(GroundingChecker._coordinated(claim))

    @staticmethod
    def _coordinated(claim: _Claim) -> set[int]:
        """Ids of actors the claim names in an "A and B" pair."""
        mentions = claim.facts.mentions
        out: set[int] = set()
        for a, b in zip(mentions, mentions[1:], strict=False):
            if re.fullmatch(r"\s*,?\s*(?:and|и)\s+", claim.text[a.end:b.start]):
                out |= {id(a), id(b)}
        return out

    @staticmethod
    def _actor_ok(mention: Any, facts: Facts) -> bool:
        if mention.actor_id in facts.actors:
            return True
        if mention.kind == "person" or mention.actor_id.startswith("PERSON:"):
            return False
        country = mention.country or mention.actor_id.split(".")[0]
        if mention.kind not in ("country", "government") and "." not in mention.actor_id and \
                mention.actor_id != country:
            return False
        return country in facts.countries

    @staticmethod
    def _same_speaker(a: str, b: str) -> bool:
        if a == b:
            return True
        if a.startswith("w:") or b.startswith("w:") or "PERSON:" in a or "PERSON:" in b:
            return False
        return a.split(".")[0] == b.split(".")[0]

    # -- brief bodies ---------------------------------------------------------------------
    def ground_body(
        self, body: dict[str, Any], article_text: Callable[[int], str | None] | Mapping[int, str]
    ) -> GroundingReport:
        """Check every Sentence of a brief body in place: drop failures, flag weak support.

        Citations are resolved through ``body["sources"]`` (``n`` → ``article_id``); a sentence
        with no citation, or one citing a number missing from the sources, is dropped. Key
        points and developments left without sentences are removed. The caller records the
        report's counts in ``body["grounding"]`` (it may add them to earlier checks).
        """
        lookup = article_text.get if isinstance(article_text, Mapping) else article_text
        by_n = {s["n"]: s for s in body.get("sources", [])}
        cache: dict[tuple[int, ...], Evidence] = {}
        report = GroundingReport()

        def keep(sentence: dict[str, Any]) -> bool:
            cites = sentence.get("cites") or []
            if not cites or any(n not in by_n for n in cites):
                report.add(SentenceCheck(sentence.get("text", ""), "drop", 0.0,
                                         reason="missing or unknown citation"))
                return False
            key = tuple(sorted(cites))
            if key not in cache:
                cache[key] = Evidence((lookup(by_n[n]["article_id"]) or "" for n in key),
                                      self.stem, [by_n[n].get("published") for n in key])
            check = self.check(sentence["text"], cache[key])
            report.add(check)
            if check.verdict == "flag":
                sentence["flag"] = WEAK
            return check.verdict != "drop"

        def filtered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [s for s in items if keep(s)]

        for name in ("lead", "significance", "outlook", "summary"):
            body[name] = filtered(body.get(name, []))
        main = body.get("main_event") or {}
        if main:
            main["sentences"] = filtered(main.get("sentences", []))
            points = []
            for point in main.get("key_points", []):
                point["sentences"] = filtered(point["sentences"])
                if point["sentences"]:
                    points.append(point)
            main["key_points"] = points
        developments = []
        for dev in body.get("developments", []):
            dev["sentences"] = filtered(dev["sentences"])
            if dev["sentences"]:
                developments.append(dev)
        body["developments"] = developments
        return report


_COUNT = {"two": 2, "three": 3, "four": 4, "both": 2, "двое": 2, "оба": 2, "обе": 2, "два": 2,
          "две": 2, "три": 3}
