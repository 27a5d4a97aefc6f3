"""Grounding check: is every sentence of a brief supported by the articles it cites?

A brief may only say what its sources say. For each sentence this module checks, against the
text of the cited articles only:

- **numbers** (digits, and number words such as "ten") — each must occur in a cited text;
- **names** (capitalised words, Latin or Cyrillic, except a sentence-initial common word) —
  each must occur in a cited text;
- **causal wording** ("because", "led to", "in response to", ...) — each causal connective must
  occur in a cited text, so a writer cannot join two reported facts with a cause no source gives;
- **content words** (not stop words) — the share found in the cited texts is the sentence's
  ``support``.

An unsupported number or name, a missing/unknown citation, or support below ``min_support``
drops the sentence; support below ``flag_support`` keeps it flagged ``"weak-support"``.
Matching is on lower-cased word *prefixes* (the first ``stem`` characters), which absorbs
English possessives and plurals and Russian case endings without a language model. The check is
shared by the extractive writer (where it guards the assembly) and the LLM writer (where it
catches invented facts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WEAK = "weak-support"

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CITE_MARK = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")

#: Connectives that assert a cause. Templates must never use them; writers only when a source does.
CAUSAL = re.compile(
    r"\b(because|caused|causing|causes|due to|owing to|as a result|result(?:ed|s)? in|led to|"
    r"leads? to|leading to|in response to|in retaliation|prompt(?:ed|s|ing)|trigger(?:ed|s|ing)|"
    r"therefore|thus|hence|consequently|driven by|fuell?ed by|so that|thanks to|"
    r"из-за|поэтому|вследствие|в ответ на|в результате|привел\w*|вызва\w*)\b",
    re.I,
)

#: Number words a writer may use for a figure its source gives in digits (and vice versa).
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000", "dozen": "12",
    "один": "1", "два": "2", "три": "3", "четыре": "4", "пять": "5", "десять": "10",
}
_DIGIT_WORDS = {v: k for k, v in NUMBER_WORDS.items()}

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


def tokens(text: str) -> list[str]:
    """Word and number tokens of ``text``, in order, case preserved."""
    return _TOKEN.findall(text)


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
    """The cited texts, indexed once for repeated lookups."""

    def __init__(self, texts: Iterable[str], stem: int = 5) -> None:
        self.stem = stem
        self.stems: set[str] = set()
        self.numbers: set[str] = set()
        texts = list(texts)
        self.causal = {m.lower() for text in texts for m in CAUSAL.findall(text)}
        for text in texts:
            for token in tokens(text):
                if token[0].isdigit():
                    self.numbers.add(_norm_number(token))
                else:
                    lowered = token.lower()
                    self.stems.add(self.key(lowered))
                    if lowered in NUMBER_WORDS:
                        self.numbers.add(NUMBER_WORDS[lowered])

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


class GroundingChecker:
    """Checks sentences against cited texts.

    Args:
        min_support: share of content words that must be found, else the sentence is dropped.
        flag_support: below this share a kept sentence is flagged ``weak-support``.
        stem: prefix length used to match words across inflections.
    """

    def __init__(self, min_support: float = 0.6, flag_support: float = 0.85, stem: int = 5):
        self.min_support = min_support
        self.flag_support = flag_support
        self.stem = stem

    def check(self, text: str, evidence: Evidence | Iterable[str]) -> SentenceCheck:
        """Verdict on ``text`` (citation markers are ignored) given the cited texts."""
        if not isinstance(evidence, Evidence):
            evidence = Evidence(evidence, self.stem)
        clean, _ = strip_citations(text)
        words = tokens(clean)
        if not evidence.stems and not evidence.numbers:
            return SentenceCheck(clean, "drop", 0.0, reason="no cited text")
        missing_numbers = [w for w in words if w[0].isdigit()
                           and not evidence.has_number(_norm_number(w))]
        missing_numbers += [w for w in words if w.lower() in NUMBER_WORDS
                            and not evidence.has_number(NUMBER_WORDS[w.lower()])
                            and not evidence.has_word(w)]
        missing_names = [w for w in words if self._is_name(w)
                         and not evidence.has_word(w)]
        missing_causal = [m for m in CAUSAL.findall(clean) if m.lower() not in evidence.causal]
        content = [w for w in words if not w[0].isdigit() and len(w) > 2
                   and w.lower() not in STOP_WORDS]
        found = sum(evidence.has_word(w) for w in content)
        support = found / len(content) if content else 1.0
        if missing_numbers or missing_names or missing_causal:
            parts = []
            if missing_numbers:
                parts.append("unsupported number " + ", ".join(missing_numbers))
            if missing_names:
                parts.append("unsupported name " + ", ".join(missing_names))
            if missing_causal:
                parts.append("unsupported causal claim " + ", ".join(missing_causal))
            return SentenceCheck(clean, "drop", support, missing_names, missing_numbers,
                                 "; ".join(parts))
        if support < self.min_support:
            return SentenceCheck(clean, "drop", support, reason=f"support {support:.2f}")
        if support < self.flag_support:
            return SentenceCheck(clean, "flag", support, reason=f"support {support:.2f}")
        return SentenceCheck(clean, "ok", support)

    @staticmethod
    def _is_name(word: str) -> bool:
        """Capitalised and not a function word. A sentence's first word counts too: without a
        tagger "Macron said" and "Officials said" look alike, and a capitalised word the sources
        lack is unsupported either way, so erring strict costs a paraphrase, not a fact."""
        return word[0].isupper() and word.lower() not in STOP_WORDS

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
        by_n = {s["n"]: s["article_id"] for s in body.get("sources", [])}
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
                cache[key] = Evidence((lookup(by_n[n]) or "" for n in key), self.stem)
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
