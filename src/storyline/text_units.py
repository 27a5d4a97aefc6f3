"""Sentence splitting and word counting shared by the timeline and brief stages (English, Russian).

Timelines and briefs cite whole sentences, so every stage must cut text the same way. This is a
rule-based splitter, not a parser: line breaks always end a sentence (ingest keeps paragraphs as
lines), and ``. ! ? …`` end one when the next word starts with a capital letter, a digit or an
opening quote, unless the word before the stop is a known abbreviation or a single initial. It
never raises and never drops text other than surrounding whitespace.
"""

from __future__ import annotations

import re

# A stop, optional closing quotes/brackets, whitespace, then something that can start a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?…])([\"'»”’)\]]*)\s+(?=[\"'«“‘(\[]?[A-ZА-ЯЁ0-9])")
_LAST_WORD = re.compile(r"(\w+)\.[\"'»”’)\]]*$")
_WORD = re.compile(r"\w+")

#: Lower-cased words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr gov sen rep rev hon pres adm maj cpl
    jan feb mar apr jun jul aug sep sept oct nov dec
    inc ltd co corp dept univ vs etc approx est
    г гг т тт др ул им проф акад ген см стр рис янв фев апр авг сен сент окт ноя дек
    """.split()
)
#: Abbreviations only before a number ("No. 430-r", "Fig. 3"): "China and Belarus were among
#: those voting no. Russia becomes …" is two sentences.
NUMBER_ABBREVIATIONS = frozenset({"no", "fig"})


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, in order, stripped of surrounding whitespace.

    >>> split_sentences("Mr. Smith arrived on Jan. 5. He left.\\nНовая строка. Вторая.")
    ['Mr. Smith arrived on Jan. 5.', 'He left.', 'Новая строка.', 'Вторая.']
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for match in _BOUNDARY.finditer(line):
            piece = line[start : match.start() + len(match.group(1))]
            last = _LAST_WORD.search(piece)
            word = last.group(1) if last else ""
            # a letter after a hyphen is no initial: "order No. 430-r. It …" is a boundary
            before = piece[last.start() - 1:last.start()] if last else ""
            initial = len(word) == 1 and word.isalpha() and before not in ("-", "/")
            if word.lower() in ABBREVIATIONS or initial:
                continue  # "Mr. Smith", "J. Smith", "U.S. officials": not a boundary
            if word.lower() in NUMBER_ABBREVIATIONS and line[match.end():match.end() + 1].isdigit():
                continue  # "order No. 430-r"
            sentences.append(piece.strip())
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def word_count(text: str) -> int:
    """Number of word tokens (letters or digits, any script) in ``text``; punctuation is ignored."""
    return len(_WORD.findall(text))
