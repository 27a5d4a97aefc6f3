"""How related an event is to a storyline: the cosines of their terms, keys and embeddings
(:func:`relatedness`), and the factors the linker scales them by — the time since the storyline
was last seen (:func:`time_factor`, relieved by shared actors) and a mismatch of the countries
they are about (:func:`country_factor`). The linker (:mod:`storyline.cluster.storylines`) keeps
each part as the link's ``reasons``.
"""

from __future__ import annotations

import numpy as np

from .event_features import cosine, key_part
from .link_config import LinkConfig

__all__ = [
    "actor_overlap",
    "combine",
    "country_factor",
    "language_overlap",
    "relatedness",
    "relief_overlap",
    "term_weights",
    "time_factor",
]


def relatedness(
    a_terms: dict[int, float], a_ents: dict[str, float], a_emb: np.ndarray | None,
    b_terms: dict[int, float], b_ents: dict[str, float], b_emb: np.ndarray | None,
    weights: tuple[float, float, float], same_language: float = 1.0,
    embedding_floor: float = 0.0,
) -> tuple[float, dict[str, float]]:
    """Weighted mean of term, key and embedding cosines, and the parts (for ``reasons``).

    A part that one side lacks (no keys, no embedding) is left out and the weights of the rest
    renormalised, so a model-free run still links on words and names. ``same_language``
    (:func:`language_overlap`) scales the term weight: see :func:`term_weights`. The
    embedding cosine counts only above ``embedding_floor`` (rescaled to 0..1): two unrelated
    reports of one kind — two crime stories, two school stories — reach 0.4–0.6 on a sentence
    encoder, which alone would carry them over the threshold. ``parts`` keeps the raw cosine.
    """
    parts: dict[str, float] = {}
    if a_terms and b_terms:
        parts["terms"] = cosine(a_terms, b_terms)
    if a_ents and b_ents:
        parts["entities"] = cosine(a_ents, b_ents)
    if a_emb is not None and b_emb is not None and len(a_emb) == len(b_emb):
        parts["embedding"] = float(a_emb @ b_emb)
    scored = dict(parts)
    if "embedding" in scored and embedding_floor > 0:
        scored["embedding"] = max(0.0, (scored["embedding"] - embedding_floor)
                                  / (1.0 - embedding_floor))
    return combine(scored, term_weights(weights, same_language)), parts


def language_overlap(a: dict[str, int], b: dict[str, int]) -> float:
    """How far two article-language histograms overlap (histogram intersection of the two
    distributions, 0..1); 1 when either side is unknown."""
    na, nb = sum(a.values()), sum(b.values())
    if not na or not nb:
        return 1.0
    return sum(min(n / na, b.get(lang, 0) / nb) for lang, n in a.items())


def term_weights(weights: tuple[float, float, float], same_language: float
                  ) -> tuple[float, float, float]:
    """``weights`` with the term weight scaled by the language overlap.

    Why: hashed TF-IDF terms are words of one language, so between a Russian report and an
    English storyline their cosine is ~0 whatever the content: it measures the language, not the
    story. Counting terms only as far as the languages overlap leaves names, actors and the
    multilingual embedding to decide across languages, and changes nothing within one language
    (Timeline17 is English only: overlap 1).
    """
    return (weights[0] * max(0.0, min(1.0, same_language)), weights[1], weights[2])


def time_factor(gap_days: float, cfg: LinkConfig, actors: float = 0.0) -> float:
    """Discount for a storyline quiet for ``gap_days``: 1 when fresh, ½ after
    ``gap_scale_days``, ⅓ after twice that — a long-quiet story needs stronger evidence —
    raised to ``1 - actor_relief × actors``, where ``actors`` is the named-actor overlap.

    Why: a gap is evidence against continuing a story only when nothing else ties the event to
    it. The same specific people and organisations (not merely the same countries) months
    apart are exactly how a long-running, sparse story ("Union State integration") shows up,
    so the discount fades as that overlap grows; with no shared actor it is the plain
    discount. The factor only ever scales relatedness down, so the relief cannot make an
    unrelated event link: the weighted cosines must still reach ``threshold``.
    """
    base = 1.0 / (1.0 + gap_days / cfg.gap_scale_days)
    return base ** max(0.0, 1.0 - cfg.actor_relief * min(1.0, max(0.0, actors)))


def relief_overlap(parts: dict[str, float], cfg: LinkConfig) -> float:
    """The actor overlap that relieves the time discount: the specific-actor cosine, scaled
    by ``shared / relief_min_actors`` when fewer actors than that are shared."""
    shared = parts.get("shared_actors", 0.0)
    need = max(1, cfg.relief_min_actors)
    return parts.get("actors", 0.0) * min(1.0, shared / need)


def country_factor(parts: dict[str, float], cfg: LinkConfig) -> float:
    """Discount for an event about other countries than the storyline: ``country_floor`` when
    their country keys do not overlap at all, rising linearly to 1 at a country cosine of
    ``country_full``; 1 when either side names no country. The discount is scaled by the
    storyline's *country focus* (the share of its country vector held by its main country,
    ``parts["country_focus"]``) raised to ``country_focus_power``.

    Why: neighbouring stories share vocabulary, outlets and even embeddings ("protesters",
    "regime", "security forces": Egypt, Libya and Syria in 2011) but not the country they are
    about, and countries are resolved to the same ids in every language. A story about one
    country is told apart that way; a story that is not about one country (a pandemic, a
    financial crisis reported country by country) is not, so its discount fades with its focus.
    """
    countries = parts.get("countries")
    if countries is None or cfg.country_full <= 0:
        return 1.0
    mismatch = 1.0 - min(1.0, countries / cfg.country_full)
    mismatch *= parts.get("country_focus", 1.0) ** cfg.country_focus_power
    return 1.0 - (1.0 - cfg.country_floor) * mismatch


def actor_overlap(a_ents: dict[str, float], b_ents: dict[str, float]) -> float:
    """Cosine of the specific-actor keys of two entity vectors (0 when either has none)."""
    return cosine(key_part(a_ents, "actors"), key_part(b_ents, "actors"))


def combine(parts: dict[str, float], weights: tuple[float, float, float]) -> float:
    """Weighted mean of the cosine parts present (other entries, e.g. ``actors``, ignored)."""
    w = dict(zip(("terms", "entities", "embedding"), weights, strict=True))
    total = sum(w[k] for k in parts if k in w)
    return sum(w[k] * v for k, v in parts.items() if k in w) / total if total else 0.0
