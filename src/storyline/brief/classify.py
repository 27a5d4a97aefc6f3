"""Sorts a brief's sentences into reported fact, assessment and forward-looking (outlook).

The "Significance and Implications" section takes *assessment* sentences (someone judges what a
development means: analysts say, it signals, it marks, critics warn) and "Current Status and
Future Outlook" takes *outlook* sentences (what is planned, expected, scheduled or due). Both are
picked from the sources, never written, so the sorter only decides where a source's sentence goes.

It is a transparent cue lexicon rather than a trained model: the project has no labelled data
large enough to train on, the cues are inspectable and cheap, and the same rules serve English
and (with a shorter list) Russian. ``bench/brief_sections.py`` measures it on a small, own-written
labelled set. A sentence whose best score is below ``threshold`` is a plain ``fact``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FACT, ASSESSMENT, OUTLOOK = "fact", "assessment", "outlook"
LABELS = (FACT, ASSESSMENT, OUTLOOK)

# (pattern, weight). Patterns are matched case-insensitively on word boundaries.
_ASSESSMENT_CUES: tuple[tuple[str, float], ...] = (
    (r"analysts?|experts?|observers?|commentators?|critics?|diplomats say", 1.0),
    (r"signal(s|led|ling)?|marks? (a|an|the)|underscores?|underlines?|highlights?", 1.0),
    (r"significan(t|ce)|implications?|consequences?|precedent|turning point|milestone", 1.0),
    (r"(is|are|was|were) (widely )?(seen|viewed|regarded|interpreted) as", 1.2),
    (r"suggests?|indicates?|reflects?|illustrates?|shows? that|demonstrates?", 0.8),
    (r"raises? (concerns?|questions?|fears?)|warn(s|ed)? that|concern(s|ed)? (that|about)", 1.0),
    (r"means? that|amounts? to|in effect|effectively", 0.8),
    (r"(could|may|might|would) (complicate|undermine|weaken|strengthen|deepen|reshape|"
     r"escalate|isolate|hurt|help|limit|erode|boost)", 1.0),
    # "strategic" judges ("a strategic shift"), unless it names a kind of weapon, force or
    # partnership ("non-strategic nuclear weapons", "strategic bombers")
    (r"(?<!non-)(?<!non)strategic(?! (?:nuclear|forces?|bombers?|missiles?|weapons?|arms|"
     r"deterrent|aviation|partners?(?:hip)?|reserves?|petroleum))"
     r"|symbolic|unprecedented|escalation|blow to|setback|victory for", 0.7),
    (r"according to (analysts|experts|observers)", 1.0),
    (r"аналитик\w*|эксперт\w*|наблюдател\w*|означает|свидетельствует|сигнал\w*", 1.0),
)
_OUTLOOK_CUES: tuple[tuple[str, float], ...] = (
    (r"will|shall|won't", 0.9),
    (r"(is|are) (expected|due|scheduled|set|planned|likely|unlikely|poised) to", 1.3),
    (r"plans? to|planning to|intends? to|aims? to|is to|are to|is preparing to", 1.1),
    (r"next (week|month|year|meeting|round|session|summit|step)|upcoming|forthcoming", 1.2),
    (r"later this (week|month|year)|in the coming (days|weeks|months|years)|by the end of", 1.2),
    (r"(from|starting|beginning|as of) (next|january|february|march|april|may|june|july|"
     r"august|september|october|november|december|\d{4})", 0.8),
    (r"deadline|timetable|roadmap|schedule[ds]?|pending|awaits?|awaiting", 0.8),
    (r"remains? to be seen|it is unclear whether|yet to|not yet", 1.0),
    (r"будет|будут|планиру\w+|ожида\w+|намерен\w*|в ближайш\w+|в следующ\w+|предстоит", 1.1),
)
# Past reported speech ("said it would") is weak evidence of a forward-looking sentence.
_REPORTED_PAST = re.compile(r"\b(said|announced|agreed|added|told)\b[^.]{0,60}\bwould\b", re.I)


def _compile(cues: tuple[tuple[str, float], ...]) -> list[tuple[re.Pattern[str], float]]:
    return [(re.compile(rf"\b(?:{pattern})\b", re.I), weight) for pattern, weight in cues]


_ASSESSMENT = _compile(_ASSESSMENT_CUES)
_OUTLOOK = _compile(_OUTLOOK_CUES)


@dataclass(frozen=True)
class SentenceClass:
    """A sentence's label and the cue scores that decided it (for debugging and the bench)."""

    label: str
    assessment: float
    outlook: float


def _score(text: str, cues: list[tuple[re.Pattern[str], float]]) -> float:
    return sum(weight for pattern, weight in cues if pattern.search(text))


class SentenceClassifier:
    """Labels sentences ``fact``, ``assessment`` or ``outlook`` from cue words.

    Args:
        threshold: minimum cue score for a non-fact label; below it a sentence is a fact.
            0.7 lets one strong cue decide; it was picked on the bench set (see
            ``bench/brief_sections.py``, which also reports a cross-validated choice).
    """

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold

    def classify(self, text: str) -> SentenceClass:
        """The label of one sentence. Ties go to assessment: judging outranks scheduling."""
        assessment = _score(text, _ASSESSMENT)
        outlook = _score(text, _OUTLOOK)
        if _REPORTED_PAST.search(text):
            outlook += 0.4
        best = max(assessment, outlook)
        if best < self.threshold:
            label = FACT
        else:
            label = ASSESSMENT if assessment >= outlook else OUTLOOK
        return SentenceClass(label, assessment, outlook)

    def predict(self, texts: list[str]) -> list[str]:
        """Labels for many sentences (scikit-learn style, for the benchmark)."""
        return [self.classify(t).label for t in texts]
