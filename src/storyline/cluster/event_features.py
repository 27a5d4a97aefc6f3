"""What the storyline linker compares: an event's content vectors (:class:`EventFeatures`), made
by :class:`EventFeaturiser`, and the keys and sparse-vector helpers they are built from.

An event is represented three ways: the sum of its articles' TF-IDF vectors (hashed terms, IDF
learned online), its keys — name/place keys (:class:`~storyline.enrich.entities.EntityExtractor`),
the actors resolved in each article's title and lead (:func:`actor_key`: the same id in every
language) and the search lexicon's concepts (:func:`concept_key`) — weighted by how many of its
articles name them × their online IDF, and its embedding centroid (``Event.state["centroid"]``).
Each is L2-normalised. The linker (:mod:`storyline.cluster.storylines`) compares them with a
storyline's profile.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.enrich.embed import decode_f16
from storyline.enrich.entities import EntityExtractor
from storyline.enrich.lexical import OnlineKeyIdf, OnlineTfidf, lexical_text
from storyline.model import Article, Event

from .report_days import scheduled_days
from .stream_time import EPOCH, to_days_or_none

__all__ = [
    "ACTOR_PREFIX",
    "CONCEPT_PREFIX",
    "COUNTRY_PREFIX",
    "KEY_PARTS",
    "WORD",
    "EventFeatures",
    "EventFeaturiser",
    "actor_key",
    "concept_key",
    "cosine",
    "is_concept",
    "is_country",
    "is_specific_actor",
    "key_part",
    "normalised",
    "rarity",
]

#: Version of the saved IDF tables (:meth:`EventFeaturiser.get_state`).
STATE_VERSION = 1
#: A word as the hashed terms count it.
WORD = re.compile(r"(?u)\b\w\w+\b")
_CAPWORD = re.compile(r"\b[A-ZА-ЯЁ][\w'’\-]+")


@dataclass
class EventFeatures:
    """What the linker compares: one event's content vectors and its times.

    ``terms`` maps hashed TF-IDF columns and ``entities`` maps name/place keys and resolved actor
    keys (:func:`actor_key`) to L2-normalised weights; ``names`` spells the strongest term
    columns (for reasons and labels), ``display`` the usual surface form of the strongest keys
    ("gaddaf" → "Gaddafi") and ``langs`` counts the event's articles per language.
    ``doc_freq`` and ``key_freq`` count, for each kept term and key, the documents other
    than the event's own that contained it when the event was featurised, out of ``n_docs``
    (terms) and ``key_docs`` (keys): how rare it is (:func:`rarity`,
    :func:`.storylines.specific_evidence`); ``own_freq`` and ``own_key_freq`` count the
    event's own
    articles that contain it.
    """

    event_id: int
    t: float  # first seen, days since the epoch
    t_last: float
    label: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # language -> first report's title
    articles: int = 1
    terms: dict[int, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    embedding: np.ndarray | None = None
    names: dict[int, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    langs: dict[str, int] = field(default_factory=dict)
    doc_freq: dict[int, int] = field(default_factory=dict)
    key_freq: dict[str, int] = field(default_factory=dict)
    n_docs: int = 0
    key_docs: int = 0
    own_freq: dict[int, int] = field(default_factory=dict)
    own_key_freq: dict[str, int] = field(default_factory=dict)


ACTOR_PREFIX = "@"
COUNTRY_PREFIX = "@country:"
CONCEPT_PREFIX = "concept:"


def actor_key(actor_id: str, kind: str) -> str:
    """The entity key of a resolved actor: ``@PERSON:putin`` for a specific actor (person,
    organisation, company, government, bloc, group), ``@country:BLR`` for a country.

    Actor ids are the same whatever the language of the text ("Лукашенко", "Lukashenka",
    "Lukashenko" → ``PERSON:lukashenko``), so these keys link reports across languages, which
    surface-form keys cannot. Countries are kept apart because they are weak evidence: they
    take part in the entity cosine (where their online IDF keeps them light) but not in the
    named-actor overlap that relaxes the time discount (:func:`.relatedness.actor_overlap`).
    """
    return (COUNTRY_PREFIX if kind == "country" else ACTOR_PREFIX) + actor_id


def concept_key(concept: str) -> str:
    """The entity key of a domain concept of the search lexicon (``data/search_lexicon.json``):
    ``concept:unfriendly`` for "unfriendly", "недружественных", "недружні", "недружалюбных".

    Why: a story's own words ("unfriendly", "temporary management") are the thread between its
    developments, but hashed terms are words of one language, so across languages only names,
    actors and the embedding were left to carry them. Concept keys are those words mapped to one
    id in every language; they share the keys' online IDF, so a concept in every report
    ("government", "president") weighs little and a story's own one much.
    """
    return CONCEPT_PREFIX + concept


def is_specific_actor(key: str) -> bool:
    """Whether an entity key is a resolved specific (non-country) actor."""
    return key.startswith(ACTOR_PREFIX) and not key.startswith(COUNTRY_PREFIX)


def is_concept(key: str) -> bool:
    """Whether an entity key is a lexicon concept (:func:`concept_key`)."""
    return key.startswith(CONCEPT_PREFIX)


def is_country(key: str) -> bool:
    """Whether an entity key is a resolved country."""
    return key.startswith(COUNTRY_PREFIX)


#: Parts of an entity vector that are also compared on their own: the specific actors (their
#: overlap relaxes the time discount) and the countries (their mismatch is discounted).
KEY_PARTS: dict[str, Callable[[str], bool]] = {"actors": is_specific_actor,
                                                "countries": is_country}


def key_part(ents: dict[str, float], part: str) -> dict[str, float]:
    """The keys of a unit entity vector that belong to ``part`` (:data:`KEY_PARTS`), rescaled
    to unit length: which people and organisations, or which countries, a report or a storyline
    is about, in any language."""
    keep = KEY_PARTS[part]
    return normalised({k: v for k, v in ents.items() if keep(k)}, len(ents))


def normalised(vec: dict[Any, float], keep: int) -> dict[Any, float]:
    """The ``keep`` strongest entries of ``vec``, scaled to unit length."""
    if len(vec) > keep:
        vec = dict(sorted(vec.items(), key=lambda kv: -kv[1])[:keep])
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm > 0 else {}


def cosine(a: dict[Any, float], b: dict[Any, float]) -> float:
    """Dot product of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return float(sum(v * b.get(k, 0.0) for k, v in a.items()))


class EventFeaturiser:
    """Turns an event and its articles into :class:`EventFeatures`, learning IDF online.

    Each article counts as one document of the term and key document frequencies, once, when its
    event is featurised (so IDF reflects only what came before, as in a live run). The tables are
    fixed-size hashed counters (:mod:`storyline.enrich.lexical`); :meth:`get_state` /
    :meth:`set_state` save and restore them.

    Parameters
    ----------
    lex_chars, ent_chars:
        Characters of each article body read for terms and for keys.
    max_articles:
        Articles read per event (the first ones): a storyline needs the gist, not every copy.
    actor_chars:
        Characters of each body (after the title) read by the actor resolver
        (:mod:`storyline.actors.resolve`): the title and lead name who a report is about.
        ``0`` turns actor keys off.
    resolver:
        The actor resolver (default: the process-wide one over the packaged gazetteer).
    """

    def __init__(self, lex_chars: int = 2000, ent_chars: int = 2000, max_articles: int = 20,
                 actor_chars: int = 600, resolver: Any | None = None):
        self.lex_chars = lex_chars
        self.max_articles = max_articles
        self.actor_chars = actor_chars
        self.tfidf = OnlineTfidf(n_features=2**18)
        self.key_idf = OnlineKeyIdf(n_features=2**18)
        self.extractor = EntityExtractor(max_chars=ent_chars, numbers=False)
        self._resolver = resolver

    @property
    def resolver(self) -> Any:
        """The actor resolver, loaded on first use (building it reads the gazetteer once)."""
        if self._resolver is None:
            from storyline.actors.resolve import default_resolver

            self._resolver = default_resolver()
        return self._resolver

    def featurise(self, event: Event, articles: Sequence[Article], event_terms: int = 150
                  ) -> EventFeatures:
        """Features of ``event`` from its ``articles`` (originals, any order); updates IDF."""
        arts = sorted(articles, key=lambda a: (a.published or EPOCH, a.id or 0))
        arts = arts[: self.max_articles]
        first = (to_days_or_none(event.first_seen)
                 or to_days_or_none(arts[0].published if arts else None) or 0.0)
        last = to_days_or_none(event.last_seen) or first
        terms, own_df = self._terms(arts)
        entities, display, own_kdf = self._entities(arts)
        terms, entities = normalised(terms, event_terms), normalised(entities, 200)
        t_df = {k: max(0, int(self.tfidf.df[k]) - own_df[k]) for k in terms}
        k_df = {k: max(0, int(self.key_idf.df[self.key_idf.columns([k])[0]]) - own_kdf[k])
                for k in entities}
        return EventFeatures(
            event_id=int(event.id or 0), t=first, t_last=last, label=event.label,
            titles=_titles(arts),
            articles=max(1, event.article_count), terms=terms, entities=entities,
            embedding=_centroid(event), names=self._names(arts, terms, event_terms),
            display=display, langs=dict(Counter(a.lang or "und" for a in arts)),
            doc_freq=t_df, key_freq=k_df, n_docs=self.tfidf.n_docs,
            key_docs=self.key_idf.n_docs, own_freq={k: own_df[k] for k in terms},
            own_key_freq={k: own_kdf[k] for k in entities},
        )

    def _terms(self, arts: Sequence[Article]) -> tuple[dict[int, float], Counter[int]]:
        """Summed TF-IDF of the articles' terms, and in how many of them each term occurs."""
        out: Counter[int] = Counter()
        own: Counter[int] = Counter()
        if not arts:
            return {}, own
        counts = self.tfidf.term_counts(
            [lexical_text(a.title, a.text, self.lex_chars) for a in arts])
        for i in range(counts.shape[0]):
            self.tfidf.partial_fit_row(counts, i)
            cols, w = self.tfidf.weigh(counts, i)
            own.update(cols.tolist())
            for c, v in zip(cols.tolist(), w.tolist(), strict=True):
                out[c] += v
        return dict(out), own

    def _names(self, arts: Sequence[Article], terms: dict[int, float], keep: int
               ) -> dict[int, str]:
        """Spell the strongest hashed term columns by hashing the words of the first articles."""
        top = set(sorted(terms, key=terms.__getitem__, reverse=True)[:keep])
        words = sorted({w for a in arts[:3]
                        for w in WORD.findall(lexical_text(a.title, a.text, self.lex_chars)
                                               .lower())})
        if not words or not top:
            return {}
        counts = self.tfidf.term_counts(words)
        out: dict[int, str] = {}
        for i, word in enumerate(words):
            row = counts.indices[counts.indptr[i] : counts.indptr[i + 1]]
            if len(row) == 1 and int(row[0]) in top and not word.isdigit():
                out[int(row[0])] = word
        return out

    def _entities(self, arts: Sequence[Article]
                  ) -> tuple[dict[str, float], dict[str, str], Counter[str]]:
        """Keys weighted by (articles naming them) × IDF, their usual spellings, and in how
        many of the articles each key occurs.

        Keys are the extractor's name/place keys plus the resolved actors (:func:`actor_key`)
        and the lexicon's concepts (:func:`concept_key`) of the title and lead; all share one
        online IDF table, so a country, leader or word named in every report weighs little and
        a rarely named company, minister or measure much.
        """
        df: Counter[str] = Counter()
        for a in arts:
            keys = [k for k in self.extractor.extract(a.title, a.text, a.lang) if ":" not in k]
            keys += self._actor_keys(a)
            keys += self._concept_keys(a)
            self.key_idf.partial_fit_columns(self.key_idf.columns(keys))
            df.update(keys)
        weights = {k: n * float(self.key_idf.idf(self.key_idf.columns([k]))[0])
                   for k, n in df.items()}
        return weights, _display_forms(arts, weights), df

    def _actor_keys(self, a: Article) -> list[str]:
        """Distinct actor keys of one article's title and lead (gazetteer matches only: the
        resolver's fallback for unknown organisations is not used)."""
        if self.actor_chars <= 0:
            return []
        text = f"{a.title}\n{a.text[: self.actor_chars]}"
        mentions = self.resolver.resolve(text, a.published, a.lang)
        return sorted({actor_key(m.actor_id, m.kind) for m in mentions
                       if not m.meta.get("fallback")})

    def _concept_keys(self, a: Article) -> list[str]:
        """Concept keys (:func:`concept_key`) of one article's title and lead: the domain
        words of the search lexicon it uses, whatever its language."""
        if self.actor_chars <= 0:
            return []
        from storyline.store.query import lexicon

        text = f"{a.title}\n{a.text[: self.actor_chars]}"
        return sorted(concept_key(c) for c in lexicon().concepts_in(text))

    def get_state(self) -> dict[str, Any]:
        """The learned IDF tables, JSON-serialisable."""
        return {"v": STATE_VERSION, "tfidf": self.tfidf.get_state(),
                "keys": self.key_idf.get_state()}

    def set_state(self, state: dict[str, Any] | None) -> None:
        """Restore :meth:`get_state` output (``None`` or another version: start empty)."""
        if state and state.get("v") == STATE_VERSION:
            self.tfidf.set_state(state["tfidf"])
            self.key_idf.set_state(state["keys"])


def rarity(df_other: int, n_docs: int) -> float:
    """How rare a term or key is, 0..1: its smoothed IDF when ``df_other`` of ``n_docs``
    documents (other than the ones being compared) contain it, divided by the IDF of a word
    seen nowhere else, ``log(1 + n) + 1``.

    The ratio adapts to the size of the stream: ``LinkConfig.rare``'s 0.825 and over means found
    in at most a handful of other documents — 1 of 50, 2 of 600, 4 of 4,600, 6 of 50,000, 12 of
    a million.
    """
    n = max(0, n_docs)
    top = math.log(1.0 + n) + 1.0
    return (math.log((1.0 + n) / (1.0 + max(0, df_other))) + 1.0) / top


def _centroid(event: Event) -> np.ndarray | None:
    """The event's unit embedding centroid from its clusterer state, if it has one."""
    raw = event.state.get("centroid") if event.state else None
    if not raw:
        return None
    vec = decode_f16(raw)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else None


def _display_forms(arts: Sequence[Article], weights: dict[str, float], keep: int = 12
                   ) -> dict[str, str]:
    """Most frequent capitalised spelling of the strongest single-word keys."""
    from storyline.enrich.entities import normalise_token

    top = set(sorted(weights, key=weights.__getitem__, reverse=True)[:keep])
    seen: dict[str, Counter[str]] = {}
    for a in arts[:5]:
        for word in _CAPWORD.findall(f"{a.title}\n{a.text[:2000]}"):
            word = word.replace("’", "'").removesuffix("'s").strip("'-")
            key = normalise_token(word)
            if key in top:
                seen.setdefault(key, Counter())[word] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items()}


def _titles(arts: Sequence[Article]) -> dict[str, str]:
    """The first report's title in each language of an event's reports (in publication order),
    passing over previews — reports whose headline or first sentence names a day ahead
    (:func:`~storyline.cluster.report_days.scheduled_days`) — when a report of the happening
    itself has one: the Union State storyline was titled "Putin, Lukashenko to hold Supreme
    State Council meeting in Moscow on February 26" after the meeting had been reported."""
    out: dict[str, str] = {}
    previews: dict[str, str] = {}
    for a in arts:
        if not a.lang or not a.title or a.lang in out:
            continue
        t = to_days_or_none(a.published)
        if t is not None and scheduled_days(a, t):
            previews.setdefault(a.lang, a.title)
        else:
            out[a.lang] = a.title
    return previews | out
