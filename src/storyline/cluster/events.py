"""Online article → event clustering.

An *event* is one real-world happening; all its reports, in any language and from any outlet,
belong together. Articles are assigned one at a time in publication order; the store is never
re-clustered, and only a window of recently active events is held in memory.

How an article is assigned
--------------------------
1. **Represent** it three ways: a hashed TF-IDF vector of title + body (IDF learned online; the
   outlet name a headline may end in is cut first, :mod:`storyline.enrich.titles`),
   a set of name/place/number keys (:mod:`storyline.enrich.entities`) weighted by their online
   IDF, and a multilingual sentence embedding of title + lead (:mod:`storyline.enrich.embed`).
2. **Score every active event** through its *member sketches* (up to ``max_members`` articles per
   event: the first ones and the latest). Linking to the best member, not only to a centroid,
   lets a follow-up (arrest, funeral, trial) join through the one earlier report it resembles.
   Cross-language member pairs, which share no words and few name keys, use the embedding
   similarity mapped onto the TF-IDF scale instead of the TF-IDF cosine, and at least the key
   overlap a same-language pair that similar typically shows.
3. **Combine** the pairwise features (lexical, entity overlap with the best member and with the
   event's accumulated keys, embedding, time gap, event size, and whether the article names the
   day or the month of the event's first report: :mod:`storyline.mentioned_days`) with a
   logistic regression into the probability that the article reports this event. The weights
   were fitted on the earlier half of ``gva_dev.jsonl`` (see ``bench/README.md``);
   ``ClusterConfig.coef`` carries them.
4. **Decide**: join the most probable event when its probability ≥ ``threshold``; else open a
   new event. The *later-day rule* comes first: an article whose headline and lead name a day
   two or more days after an event's first day, and none of the days around that first day —
   or whose first sentence does so, whatever the rest names — reports a later happening (the
   annulment two days after the declassification, the next sanctions package) and cannot join
   that event, unless its headline continues an incident (an arrest, a trial, a funeral;
   :mod:`storyline.cluster.followups`), which by convention belongs to it
   (``ClusterConfig.later_day``; which days a report names and tells:
   :mod:`storyline.cluster.report_days`). So does the *continuation rule*: more than a month
   after an event was last reported, an article joins it only as such a continuation, or under a
   headline naming the crime (``ClusterConfig.stale_days``) — a report that names the first day
   as background while telling a new act (additions to a list, a decree revoked) is a new one.
   Across languages the rule reads one day (``ClusterConfig.xling_later_day``): the
   cross-language pair model, which sees actors, numbers, the embedding and the day gate but no
   words, does not judge a report that names only a day after the event's first — unless its
   lead names the event's day as what it follows up ("in Wednesday's phone call"). An event is
   matched across languages on the word of its two best-matching reports in other languages,
   not one (``ClusterConfig.xling_votes``), and not at all where it holds a report in the
   article's own language that the same-language regression reads as another happening
   (``ClusterConfig.own_language_veto``).
5. **Repair** (bounded): when the article also matches a *second* active event with probability
   ≥ ``merge_threshold``, the two events are one happening that arrived as two; the younger is
   merged into the older (across languages only when the two began the same day and share no
   language: ``merge_threshold``). Repair only ever merges events that are in the active
   window and were candidates for the current article; it never splits, never touches evicted
   events and never moves single articles between events. ``merged_away()`` reports each
   merge so the store can re-point the articles.

State and memory
----------------
Each event's sketch lives in ``Event.state`` (JSON: member term columns and weights, entity
columns, float16 embeddings in base64), so :meth:`EventClusterer.load` can rehydrate the window
from stored events. Memory is bounded by ``max_active_events × max_members`` sketches plus two
fixed-size IDF tables (:meth:`EventClusterer.model_state`), independent of the store's size.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storyline.enrich.embed import (
    Embedder,
    USEEmbedder,
    decode_f16,
    embed_text,
    encode_f16,
    l2_normalise,
)
from storyline.enrich.entities import STRONG_PREFIXES, EntityExtractor
from storyline.enrich.lexical import OnlineKeyIdf, OnlineTfidf, lexical_text
from storyline.enrich.titles import strip_site_name, text_label
from storyline.model import Article, Event

from .event_config import (  # re-exported: the clusterer's public API
    ALL_FEATURES,
    FEATURES,
    XLING_CHARS,
    ClusterConfig,
)
from .followups import continues_incident, names_crime
from .report_days import (
    back_days,
    lede_named_days,
    named_dates,
    names_first_day,
    reacts,
    scheduled_days,
    tells_later_day,
)
from .stream_time import from_days, to_days
from .xling import (
    MAX_DAY_DISTANCE,
    CrossLingualKeys,
    days_agree,
    extract_keys,
    pair_features,
)

__all__ = [
    "Assignment",
    "ClusterConfig",
    "EventClusterer",
    "ALL_FEATURES",
    "FEATURES",
    "embed_text",
]

STATE_VERSION = 1



@dataclass
class Assignment:
    """Where one article went: its event, the join probability (1.0 for a new event), new or not."""

    article_id: int
    event_id: int
    score: float
    is_new: bool


@dataclass
class _Features:
    """The per-article representation the clusterer compares (also what a member sketch keeps)."""

    article_id: int
    t: float  # days since the epoch
    lang: str
    lex_cols: np.ndarray
    lex_w: np.ndarray
    ent_cols: np.ndarray
    emb: np.ndarray
    strong_cols: frozenset[int] = frozenset()  # person-name / street-address key columns
    days: frozenset[int] = frozenset()  # days (since the epoch) the text names, up to its own
    months: frozenset[int] = frozenset()  # months it names without a day (year * 12 + month)
    xkeys: CrossLingualKeys | None = None  # actors, numbers, days: for cross-language pairs
    continues: bool = False  # its headline continues an incident (arrest, trial, funeral)
    crime: bool = False  # its headline names a violent crime (a shooting, a murder)
    newest_lead_day: int | None = None  # the latest day its headline and lead name
    lede_days: frozenset[int] = frozenset()  # days its headline and first sentence name
    scheduled: frozenset[int] = frozenset()  # days ahead that they name (scheduled_days)
    # (left empty when the headline names a crime: see ClusterConfig.later_day)
    back_days: frozenset[int] = frozenset()  # days the lead follows up (back_days)
    reacts: bool = False  # its headline or first sentence tells a reaction (reacts)


def _told_apart(told_in: set[str], other: _EventState, first: float, lang: str) -> bool:
    """Whether ``other`` and an event first reported at ``first`` in the languages ``told_in``
    read as one day's happening told apart by language: the same first day, no language in
    common, neither in ``lang`` (the report that matched both)."""
    return (math.floor(other.first) == math.floor(first) and told_in.isdisjoint(other.languages)
            and lang not in told_in and lang not in other.languages)


@dataclass
class _EventState:
    id: int
    first: float
    last: float
    count: int = 0
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # member rows in the window, oldest first
    first_rows: int = 0  # how many of `rows` are pinned first members
    ent_counts: dict[int, int] = field(default_factory=dict)
    emb_sum: np.ndarray | None = None
    rep_id: int | None = None
    rep_sim: float = -1.0
    label: str = ""
    scheduled: set[int] = field(default_factory=set)  # days its members announce ahead


class _Rows:
    """Append-only sparse rows with fast dot products against one query (CSR + pending tail)."""

    def __init__(self, n_features: int):
        import scipy.sparse as sp

        self._sp = sp
        self.n_features = n_features
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self._frozen = sp.csr_matrix((0, n_features), dtype=np.float32)
        self._n_frozen = 0
        self._q = np.zeros(n_features, dtype=np.float32)

    def append(self, cols: np.ndarray, vals: np.ndarray) -> int:
        self.cols.append(cols)
        self.vals.append(vals)
        return len(self.cols) - 1

    def clear(self, row: int) -> None:
        self.cols[row] = np.zeros(0, np.int32)
        self.vals[row] = np.zeros(0, np.float32)
        if row < self._n_frozen:  # zero the row in place; compaction drops it later
            ptr = self._frozen.indptr
            self._frozen.data[ptr[row] : ptr[row + 1]] = 0.0

    def _freeze(self) -> None:
        n = len(self.cols)
        lens = np.fromiter((len(c) for c in self.cols), dtype=np.int64, count=n)
        indptr = np.concatenate([[0], np.cumsum(lens)])
        ind = np.concatenate(self.cols) if n else np.zeros(0, np.int32)
        dat = np.concatenate(self.vals) if n else np.zeros(0, np.float32)
        self._frozen = self._sp.csr_matrix((dat, ind, indptr), shape=(n, self.n_features))
        self._n_frozen = n

    def dot(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """Dot product of every row with the sparse query (cols, vals)."""
        n = len(self.cols)
        if n - self._n_frozen > 48:  # a Python loop over the tail costs more than a refreeze
            self._freeze()
        out = np.zeros(n, dtype=np.float32)
        if not len(cols) or not n:
            return out
        q = self._q
        q[cols] = vals
        if self._n_frozen:
            out[: self._n_frozen] = self._frozen @ q
        for i in range(self._n_frozen, n):
            c = self.cols[i]
            if len(c):
                out[i] = float(q[c] @ self.vals[i])
        q[cols] = 0.0
        return out

    def compact(self, keep: np.ndarray) -> None:
        """Keep only rows ``keep`` (in order); row numbers change to their positions in ``keep``."""
        self.cols = [self.cols[i] for i in keep]
        self.vals = [self.vals[i] for i in keep]
        self._n_frozen = 0
        self._frozen = self._sp.csr_matrix((0, self.n_features), dtype=np.float32)


def _month_number(t: float) -> int:
    """``year * 12 + month`` of a time in days since the epoch."""
    d = from_days(t)
    return d.year * 12 + d.month


class EventClusterer:
    """Online clusterer of articles into events (see the module docstring for the method).

    Parameters
    ----------
    config:
        :class:`ClusterConfig`; defaults are the values tuned on ``gva_dev.jsonl``.
    embedder:
        Any :class:`~storyline.enrich.embed.Embedder`; defaults to multilingual USE. Used only
        when :meth:`assign` is called without precomputed embeddings.
    id_factory:
        Callable returning a fresh integer id for each new event (e.g. ``store.new_event_id``).
        Defaults to a counter starting above the largest id passed to :meth:`load`.
    """

    def __init__(
        self,
        config: ClusterConfig | None = None,
        embedder: Embedder | None = None,
        id_factory: Callable[[], int] | None = None,
    ):
        self.config = config or ClusterConfig()
        self.embedder: Embedder = embedder if embedder is not None else USEEmbedder()
        self._counter = itertools.count(1)
        self._id_factory = id_factory
        self.tfidf = OnlineTfidf()
        self.key_idf = OnlineKeyIdf()
        self.entities = EntityExtractor(max_chars=self.config.ent_chars)
        c = self.config
        self._coef = np.asarray(c.coef, dtype=np.float64)
        self._mean = np.asarray(c.mean, dtype=np.float64)
        self._scale = np.asarray(c.scale, dtype=np.float64)
        self._sel = np.array([ALL_FEATURES.index(n) for n in c.features], dtype=np.int64)
        if not len(self._coef) == len(self._mean) == len(self._scale) == len(self._sel):
            raise ValueError("coef, mean, scale and features must have the same length")
        self._reset_window()
        self._changed: set[int] = set()
        self._snapshots: dict[int, Event] = {}
        self._merged: list[tuple[int, int]] = []
        self._now: float | None = None

    # ------------------------------------------------------------------ public API
    def embed_text(self, article: Article) -> str:
        """Exactly the text this clusterer embeds for ``article`` (for the pipeline's cache)."""
        return embed_text(article)

    def assign(
        self, articles: Sequence[Article], embeddings: np.ndarray | None = None
    ) -> list[Assignment]:
        """Assign ``articles`` to events, in publication order; returns one result per article.

        ``embeddings`` (rows aligned with ``articles``) skips the encoder. Articles without a
        publication date take the previous article's time. Results come back in input order.
        """
        arts = list(articles)
        if not arts:
            return []
        if embeddings is None:
            embeddings = self.embedder.encode([embed_text(a) for a in arts])
        embeddings = l2_normalise(np.asarray(embeddings))
        order = sorted(
            range(len(arts)),
            key=lambda i: (to_days(arts[i].published) if arts[i].published else math.inf, i),
        )
        heads = [strip_site_name(a.title) for a in arts]
        counts = self.tfidf.term_counts(self._lexical_texts(arts, heads))
        out: list[Assignment | None] = [None] * len(arts)
        for i in order:
            a = arts[i]
            if a.published is not None:
                t = to_days(a.published)
            else:
                t = self._now if self._now is not None else to_days(datetime.now(UTC))
            self._now = t if self._now is None else max(self._now, t)
            feats = self._featurise(a, heads[i], counts, i, embeddings[i], t)
            out[i] = self._assign_one(a, feats)
        # Re-point results whose event was merged away later in this batch.
        final = {src: dst for src, dst in self._merged}
        res = []
        for o in out:
            if o is None:
                continue
            while o.event_id in final:
                o.event_id = final[o.event_id]
            res.append(o)
        return res

    def changed_events(self) -> list[Event]:
        """Events created or updated since the last call, ready to persist."""
        events = dict(self._snapshots)
        for eid in self._changed:
            if eid in self._events:
                events[eid] = self._to_event(self._events[eid])
        self._changed.clear()
        self._snapshots.clear()
        return sorted(events.values(), key=lambda e: e.id or 0)

    def merged_away(self) -> list[tuple[int, int]]:
        """``(from_id, into_id)`` for every merge since the last call; the store re-points."""
        out, self._merged = self._merged, []
        return out

    def load(self, events: Iterable[Event], model_state: dict[str, Any] | None = None) -> None:
        """Rehydrate the active window from stored events (their ``state``).

        Pass the events seen within ``window_days`` of the newest one; older ones are dropped.
        ``model_state`` (from :meth:`model_state`) restores the IDF tables exactly; without it
        they are re-estimated from the loaded member sketches.
        """
        self._reset_window()
        evs = [e for e in events if e.state.get("v") == STATE_VERSION and e.id is not None]
        if model_state:
            self.tfidf.set_state(model_state["tfidf"])
            self.key_idf.set_state(model_state["keys"])
        for e in sorted(evs, key=lambda e: e.state.get("last", 0.0)):
            st = e.state
            ev = _EventState(
                id=int(e.id),
                first=float(st["first"]),
                last=float(st["last"]),
                count=int(e.article_count or st.get("n", 0)),
                sources=list(e.sources),
                languages=list(e.languages),
                rep_id=e.representative_id,
                label=e.label,
                rep_sim=float(st.get("rep_sim", -1.0)),
                scheduled={int(d) for d in st.get("sched", ())},
            )
            self._register(ev)
            for m in st.get("members", []):
                f = _Features(
                    article_id=int(m["id"]),
                    t=float(m["t"]),
                    lang=m.get("lang", ""),
                    lex_cols=np.asarray(m["lex"], dtype=np.int32),
                    lex_w=decode_f16(m["lw"]),
                    ent_cols=np.asarray(m["ent"], dtype=np.int32),
                    emb=decode_f16(m["emb"]),
                    xkeys=CrossLingualKeys.from_json(m.get("x")),
                )
                if not model_state:
                    self.tfidf.df[f.lex_cols] += 1
                    self.tfidf.n_docs += 1
                    self.key_idf.partial_fit_columns(f.ent_cols)
                self._add_row(ev, f)
            ev.first_rows = min(len(ev.rows), max(1, self.config.max_members // 3))
            ev.ent_counts = dict(zip(st.get("ent_cols", []), st.get("ent_n", []), strict=False))
            if "centroid" in st:
                ev.emb_sum = decode_f16(st["centroid"]) * float(st.get("n", 1))
            self._now = ev.last if self._now is None else max(self._now, ev.last)
        if self._id_factory is None:
            top = max((int(e.id) for e in evs), default=0)
            self._counter = itertools.count(top + 1)
        self._evict(self._now or 0.0)

    def model_state(self) -> dict[str, Any]:
        """The clusterer's global learned state (online IDF tables), JSON-serialisable."""
        return {"tfidf": self.tfidf.get_state(), "keys": self.key_idf.get_state()}

    @property
    def active_events(self) -> int:
        """Number of events currently held in memory."""
        return len(self._events)

    # ------------------------------------------------------------------ training support
    def replay_features(
        self, articles: Sequence[Article], labels: Sequence[str], embeddings: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Replay ``articles`` (in order) with gold ``labels`` and return candidate features.

        For every article, the ``top_k`` candidate events (built from gold clusters) are
        featurised; ``y`` is 1 where the candidate is the article's gold event. Used by
        ``bench/cluster.py --fit`` to fit the logistic regression on the tuning half.
        """
        gold_to_event: dict[str, int] = {}
        heads = [strip_site_name(a.title) for a in articles]
        counts = self.tfidf.term_counts(self._lexical_texts(articles, heads))
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        embeddings = l2_normalise(embeddings)
        for i, a in enumerate(articles):
            t = to_days(a.published) if a.published else (self._now or 0.0)
            self._now = t
            f = self._featurise(a, heads[i], counts, i, embeddings[i], t)
            self._evict(t)
            ids, x, _, _, _ = self._candidates(f)
            gid = gold_to_event.get(labels[i])
            if len(ids):
                xs.append(x)
                ys.append(np.array([int(e == gid) for e in ids]))
            if gid is not None and gid in self._events:
                self._join(self._events[gid], f, a)
            else:
                ev = self._new_event(f, a)
                gold_to_event[labels[i]] = ev.id
        if not xs:
            return np.zeros((0, len(self._sel))), np.zeros(0)
        return np.vstack(xs), np.concatenate(ys)

    # ------------------------------------------------------------------ internals
    def _reset_window(self) -> None:
        self._events: dict[int, _EventState] = {}
        self._lex = _Rows(self.tfidf.n_features)
        self._ent = _Rows(self.key_idf.n_features)
        self._emb = np.zeros((256, 0), dtype=np.float32)
        self._row_event: list[int] = []  # event id per row, -1 when dead
        self._rev = np.full(256, -1, dtype=np.int64)  # the same as an array (fast masks)
        self._rlang = np.zeros(256, dtype=np.int32)  # language code per row (0: unknown)
        self._rt = np.zeros(256, dtype=np.float64)  # publication time per row (days)
        self._lang_codes: dict[str, int] = {"": 0}
        self._row_feat: list[_Features | None] = []
        self._dead = 0

    def _lexical_texts(self, articles: Sequence[Article], heads: Sequence[str]) -> list[str]:
        """Headline (``heads``: outlet name cut) and lead of each article, for TF-IDF."""
        return [lexical_text(head, a.text, self.config.lex_chars)
                for a, head in zip(articles, heads, strict=True)]

    def _new_id(self) -> int:
        return int(self._id_factory()) if self._id_factory else next(self._counter)

    def _featurise(self, a: Article, head: str, counts: Any, i: int, emb: np.ndarray, t: float
                   ) -> _Features:
        """Features of article ``a`` (``head``: its headline without the outlet name)."""
        self.tfidf.partial_fit_row(counts, i)
        cols, w = self.tfidf.weigh(counts, i)
        if len(cols) > self.config.lex_terms:
            top = np.argpartition(-w, self.config.lex_terms)[: self.config.lex_terms]
            top.sort()
            cols, w = cols[top], w[top]
            w = w / max(float(np.linalg.norm(w)), 1e-9)
        keys = self.entities.extract(head, a.text, a.lang)
        ecols = self.key_idf.columns(keys)
        strong = [k for k in keys if k.startswith(STRONG_PREFIXES)]
        self.key_idf.partial_fit_columns(ecols)
        days, months = named_dates(a, t, self.config.ent_chars)
        crime = names_crime(head)
        lead_days = lede_days = frozenset()
        if days and self.config.later_day is not None:
            lead_days = named_dates(a, t, self.config.lead_chars)[0]
            if not crime:
                lede_days = lede_named_days(a, t, self.config.lead_chars)
        xkeys = None
        if self.config.xling_model is not None:
            xkeys = extract_keys(f"{head}\n{(a.text or '')[:XLING_CHARS]}", from_days(t).date(),
                                 a.lang)
        return _Features(
            article_id=int(a.id) if a.id is not None else -1,
            t=t,
            lang=(a.lang or "")[:2],
            lex_cols=cols.astype(np.int32),
            lex_w=w.astype(np.float32),
            ent_cols=ecols,
            emb=np.asarray(emb, dtype=np.float32),
            strong_cols=frozenset(self.key_idf.columns(strong).tolist()) if strong else frozenset(),
            days=days,
            months=months,
            xkeys=xkeys,
            continues=continues_incident(head),
            crime=crime,
            newest_lead_day=max(lead_days) if lead_days else None,
            lede_days=lede_days,
            scheduled=scheduled_days(a, t) if self.config.later_day is not None else frozenset(),
            back_days=back_days(a, t, self.config.lead_chars) if lead_days else frozenset(),
            reacts=reacts(a, self.config.lead_chars) if lead_days else False,
        )

    def _candidates(self, f: _Features
                    ) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Top-k candidate event ids, their feature rows (``config.features`` columns), each
        one's cross-language probability (the mean of its best ``config.xling_votes`` pair
        probabilities; 0 without a modelled pair), whether the later-day or the continuation
        rule keeps the article out of it and whether it holds a report in the article's own
        language (see :class:`ClusterConfig`)."""
        n = len(self._row_event)
        nf = len(self._sel)
        none = ([], np.zeros((0, nf)), np.zeros(0), np.zeros(0, dtype=bool),
                np.zeros(0, dtype=bool))
        if not self._events or n == 0:
            return none
        lex = self._lex.dot(f.lex_cols, f.lex_w)
        idf_q = self.key_idf.idf(f.ent_cols)
        ceiling = self.key_idf.max_idf
        ent = self._ent.dot(f.ent_cols, idf_q) / ceiling
        q_mass = float(idf_q.sum()) / ceiling if len(idf_q) else 0.0
        emb = self._emb[:n] @ f.emb if self._emb.shape[1] else np.zeros(n, np.float32)
        row_event = self._rev[:n]
        alive = row_event >= 0
        # Cross-language member pairs: the (structurally ~0) lexical cosine is replaced by a
        # proxy from the embedding, for pre-selection always and in the regression's features
        # unless the cross-language model judges the pair (decided per candidate row below).
        qlang = self._lang_code(f.lang)
        rl = self._rlang[:n]
        xl = alive & (rl != qlang) & (rl != 0) if qlang else np.zeros(n, dtype=bool)
        lex_pre, ent_pre = lex, ent
        if xl.any():
            knots = np.asarray(self.config.xling, dtype=np.float64)
            keys = np.asarray(self.config.xling_keys, dtype=np.float64)
            floor = np.interp(emb, keys[:, 0], keys[:, 1]) * q_mass
            lex_pre = np.where(xl, np.interp(emb, knots[:, 0], knots[:, 1]), lex)
            ent_pre = np.where(xl, np.maximum(ent, floor), ent)
        use_model = self.config.xling_model is not None and f.xkeys is not None
        pre = np.where(alive, lex_pre + ent_pre / max(q_mass, 1e-9) * 0.5, -1.0)
        # Per-event best pre-score, then the top-k events (vectorised: rows sorted by score,
        # first row of each event kept).
        hit = np.flatnonzero(pre > 0.02)
        best: list[int] = []
        if len(hit):
            order = hit[np.argsort(-pre[hit], kind="stable")]
            evs = row_event[order]
            _, first = np.unique(evs, return_index=True)
            best = evs[np.sort(first)][: self.config.top_k].tolist()
        if use_model and f.xkeys.stems:
            best = self._with_cyrillic_neighbours(f, best, xl, emb)
        if not best:
            return none
        ids = [int(e) for e in best]
        xp = np.zeros(len(ids))
        barred = np.zeros(len(ids), dtype=bool)
        own_lang = np.zeros(len(ids), dtype=bool)
        rule, stale = self.config.later_day, self.config.stale_days
        xrule = self.config.xling_later_day
        x = np.zeros((len(ids), len(ALL_FEATURES)))  # columns in ALL_FEATURES order
        q_cols = f.ent_cols.tolist()
        q_kind = self.key_idf.kind(f.ent_cols).tolist()
        for j, eid in enumerate(ids):
            ev = self._events[eid]
            rows = np.asarray(ev.rows)
            own_lang[j] = bool(qlang) and bool((rl[rows] == qlang).any())
            union = place = num = name = strong = 0.0
            n_strong = 0
            for c, k, w in zip(q_cols, q_kind, idf_q.tolist(), strict=True):
                if c not in ev.ent_counts:
                    continue
                union += w
                if k == 1:
                    name = max(name, w)
                    if c in f.strong_cols:
                        strong = max(strong, w)
                        n_strong += 1
                elif k == 2:
                    num += 1
                elif k == 3:
                    place = 1.0
            gap = max(0.0, f.t - ev.last)
            log_gap = math.log1p(gap)
            name /= ceiling
            start = math.floor(ev.first)
            date_ref = float(names_first_day(f.days, start))
            barred[j] = (rule is not None and tells_later_day(f, start, rule, ev.scheduled)) or (
                stale is not None and gap > stale and not (f.continues or f.crime))
            first_month = _month_number(ev.first)
            month_ref = float(first_month in f.months and _month_number(f.t) > first_month)
            # rows in another language whose keys the cross-language model can judge
            modelled = np.fromiter(
                (use_model and bool(xl[r]) and self._row_feat[r].xkeys is not None
                 for r in rows.tolist()), dtype=bool, count=len(rows))
            lex_rows = np.where(modelled, lex[rows], lex_pre[rows])
            ent_rows = np.where(modelled, ent[rows], ent_pre[rows])
            pairs = [r for r, m in zip(rows.tolist(), modelled.tolist(), strict=True)
                     if m and days_agree(f.xkeys, self._row_feat[r].xkeys)]
            if pairs and not (xrule is not None
                              and tells_later_day(f, start, xrule, ev.scheduled)):
                feats = [pair_features(f.xkeys, self._row_feat[r].xkeys, float(emb[r]),
                                       f.t - float(self._rt[r])) for r in pairs]
                probs = np.sort(self.config.xling_model.proba(feats))[::-1]
                xp[j] = float(probs[: max(1, self.config.xling_votes)].mean())
            x[j] = (
                float(lex_rows.max()),
                union / ceiling,
                float(ent_rows.max()) / max(q_mass, 1e-9),
                place,
                math.log1p(num),
                float(emb[rows].max()),
                log_gap,
                math.log1p(ev.count),
                strong / ceiling,
                math.log1p(n_strong),
                date_ref,
                date_ref * log_gap,
                month_ref,
                name,
                float(gap > 7.0),
                float(gap > 30.0),
                name * log_gap,
            )
        return ids, x[:, self._sel], xp, barred, own_lang

    def _with_cyrillic_neighbours(self, f: _Features, best: list[int], xl: np.ndarray,
                                  emb: np.ndarray) -> list[int]:
        """``best`` and the events of up to ``top_k`` more rows in another Cyrillic language
        published within the cross-language day gate of ``f`` (a Cyrillic report), best
        embedding first.

        Why: candidates are pre-selected on words, keys and the embedding, and a Belarusian or
        Ukrainian report shares few words with a Russian one and gets a weak embedding (the
        encoder does not list either language): the Ukrainian report of Russia's return to the
        grain deal never met the Russian one the cross-language model would have joined it to
        (its cognates and actors give .61)."""
        n = len(xl)
        near = np.flatnonzero(xl & (np.abs(self._rt[:n] - f.t) <= MAX_DAY_DISTANCE + 1))
        if not len(near):
            return best
        have = set(best)
        extra: list[int] = []
        for r in near[np.argsort(-emb[near], kind="stable")].tolist():
            rf = self._row_feat[r]
            eid = int(self._rev[r])
            if eid in have or rf is None or rf.xkeys is None or not rf.xkeys.stems:
                continue
            have.add(eid)
            extra.append(eid)
            if len(extra) >= self.config.top_k:
                break
        return best + extra

    def _proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self._mean) / self._scale) @ self._coef + self.config.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def _assign_one(self, a: Article, f: _Features) -> Assignment:
        self._evict(f.t)
        ids, x, xp, barred, own_lang = self._candidates(f)
        if ids:
            c = self.config
            p = np.where(barred, 0.0, self._proba(x))
            xp = np.where(barred, 0.0, xp)
            if c.own_language_veto is not None:
                xp = np.where(own_lang & (p < c.own_language_veto), 0.0, xp)
            # A cross-language pair over its own threshold competes with its probability.
            score = np.where(xp >= c.xling_threshold, np.maximum(p, xp), p)
            order = np.argsort(-score, kind="stable")
            best = int(order[0])
            if score[best] >= c.threshold:
                ev = self._events[ids[best]]
                told_in = set(ev.languages)
                self._join(ev, f, a)
                mt = c.merge_threshold
                if mt is not None:
                    for k in order[1:]:
                        other = self._events.get(ids[int(k)])
                        if other is None or other.id == ev.id:
                            continue
                        if p[k] >= mt or (xp[k] >= c.xling_threshold and xp[best] >= mt
                                          and _told_apart(told_in, other, ev.first, f.lang)):
                            ev = self._merge(ev, other)
                return Assignment(f.article_id, ev.id, float(max(p[best], xp[best])), False)
        ev = self._new_event(f, a)
        return Assignment(f.article_id, ev.id, 1.0, True)

    def _lang_code(self, lang: str) -> int:
        return self._lang_codes.setdefault(lang, len(self._lang_codes))

    def _add_row(self, ev: _EventState, f: _Features, count_keys: bool = True) -> None:
        r = self._lex.append(f.lex_cols, f.lex_w)
        self._ent.append(f.ent_cols, np.ones(len(f.ent_cols), np.float32))
        if self._emb.shape[1] != len(f.emb):
            if self._emb.shape[1] == 0:
                self._emb = np.zeros((256, len(f.emb)), dtype=np.float32)
            else:
                raise ValueError(f"embedding dim {len(f.emb)} != {self._emb.shape[1]}")
        if r >= self._emb.shape[0]:
            self._emb = np.vstack([self._emb, np.zeros_like(self._emb)])
        if r >= len(self._rev):
            self._rev = np.concatenate([self._rev, np.full(len(self._rev), -1, np.int64)])
            self._rlang = np.concatenate([self._rlang, np.zeros(len(self._rlang), np.int32)])
            self._rt = np.concatenate([self._rt, np.zeros(len(self._rt))])
        self._emb[r] = f.emb
        self._rt[r] = f.t
        self._rev[r] = ev.id
        self._rlang[r] = self._lang_code(f.lang)
        self._row_event.append(ev.id)
        self._row_feat.append(f)
        ev.rows.append(r)
        if count_keys:
            for c in f.ent_cols.tolist():
                ev.ent_counts[c] = ev.ent_counts.get(c, 0) + 1
        # Cap the member sketches: pinned first members + the latest ones.
        cap = self.config.max_members
        pinned = max(1, cap // 3)
        if len(ev.rows) <= pinned:
            ev.first_rows = len(ev.rows)
        if len(ev.rows) > cap:
            drop = ev.rows.pop(ev.first_rows)
            self._kill_row(drop)

    def _kill_row(self, r: int) -> None:
        self._row_event[r] = -1
        self._rev[r] = -1
        self._row_feat[r] = None
        self._lex.clear(r)
        self._ent.clear(r)
        self._emb[r] = 0.0
        self._dead += 1

    def _register(self, ev: _EventState) -> None:
        self._events[ev.id] = ev

    def _new_event(self, f: _Features, a: Article) -> _EventState:
        ev = _EventState(id=self._new_id(), first=f.t, last=f.t)
        self._register(ev)
        self._join(ev, f, a)
        return ev

    def _join(self, ev: _EventState, f: _Features, a: Article) -> None:
        ev.count += 1
        ev.first = min(ev.first, f.t)
        ev.last = max(ev.last, f.t)
        if a.source and a.source not in ev.sources:
            ev.sources.append(a.source)
        lang = (a.lang or "")[:2]
        if lang and lang not in ev.languages:
            ev.languages.append(lang)
        ev.emb_sum = f.emb.copy() if ev.emb_sum is None else ev.emb_sum + f.emb
        ev.scheduled.update(f.scheduled)
        self._add_row(ev, f)
        # Representative: the member closest to the running embedding centroid (ties: earliest).
        cen = ev.emb_sum / max(float(np.linalg.norm(ev.emb_sum)), 1e-9)
        best_id, best_sim, best_label = ev.rep_id, -2.0, ev.label
        for r in ev.rows:
            rf = self._row_feat[r]
            if rf is None:
                continue
            s = float(rf.emb @ cen)
            if s > best_sim + 1e-6:
                best_id, best_sim = rf.article_id, s
        if best_id == f.article_id or ev.rep_id is None:
            best_label = strip_site_name(a.title).strip()[:160] or text_label(a.text)
        ev.rep_id, ev.rep_sim, ev.label = best_id, best_sim, best_label
        self._changed.add(ev.id)

    def _merge(self, a: _EventState, b: _EventState) -> _EventState:
        """Merge the younger of two events into the older; returns the survivor."""
        keep, gone = (a, b) if (a.first, a.id) <= (b.first, b.id) else (b, a)
        for r in gone.rows:
            rf = self._row_feat[r]
            self._kill_row(r)
            if rf is not None:
                self._add_row(keep, rf, count_keys=False)
        keep.count += gone.count
        keep.first, keep.last = min(keep.first, gone.first), max(keep.last, gone.last)
        keep.sources += [s for s in gone.sources if s not in keep.sources]
        keep.languages += [x for x in gone.languages if x not in keep.languages]
        keep.scheduled |= gone.scheduled
        for c, k in gone.ent_counts.items():
            keep.ent_counts[c] = keep.ent_counts.get(c, 0) + k
        if gone.emb_sum is not None:
            keep.emb_sum = gone.emb_sum if keep.emb_sum is None else keep.emb_sum + gone.emb_sum
        del self._events[gone.id]
        self._changed.discard(gone.id)
        self._snapshots.pop(gone.id, None)
        self._changed.add(keep.id)
        self._merged.append((gone.id, keep.id))
        return keep

    def _evict(self, now: float) -> None:
        """Drop events last seen before the window, and the oldest beyond the cap."""
        horizon = now - self.config.window_days
        old = [e for e in self._events.values() if e.last < horizon]
        over = len(self._events) - len(old) - self.config.max_active_events
        if over > 0:
            rest = sorted(
                (e for e in self._events.values() if e.last >= horizon), key=lambda e: e.last
            )
            old += rest[:over]
        for ev in old:
            if ev.id in self._changed:
                self._snapshots[ev.id] = self._to_event(ev)
                self._changed.discard(ev.id)
            for r in ev.rows:
                self._kill_row(r)
            del self._events[ev.id]
        if self._dead > 1024 and self._dead > len(self._row_event) // 2:
            self._compact()

    def _compact(self) -> None:
        keep = np.array([i for i, e in enumerate(self._row_event) if e >= 0], dtype=np.int64)
        remap = {int(old): new for new, old in enumerate(keep)}
        self._lex.compact(keep)
        self._ent.compact(keep)
        emb = self._emb[keep] if len(keep) else np.zeros((0, self._emb.shape[1]), np.float32)
        cap = max(256, 2 * len(keep))
        self._emb = np.zeros((cap, self._emb.shape[1]), dtype=np.float32)
        self._emb[: len(keep)] = emb
        self._row_event = [self._row_event[i] for i in keep]
        rev = np.full(cap, -1, dtype=np.int64)
        rev[: len(keep)] = self._rev[keep]
        rlang = np.zeros(cap, dtype=np.int32)
        rlang[: len(keep)] = self._rlang[keep]
        rt = np.zeros(cap, dtype=np.float64)
        rt[: len(keep)] = self._rt[keep]
        self._rev, self._rlang, self._rt = rev, rlang, rt
        self._row_feat = [self._row_feat[i] for i in keep]
        for ev in self._events.values():
            ev.rows = [remap[r] for r in ev.rows]
        self._dead = 0

    def _to_event(self, ev: _EventState) -> Event:
        members = []
        for r in ev.rows:
            rf = self._row_feat[r]
            if rf is None:
                continue
            members.append(
                {
                    "id": rf.article_id,
                    "t": round(rf.t, 5),
                    "lang": rf.lang,
                    "lex": rf.lex_cols.tolist(),
                    "lw": encode_f16(rf.lex_w),
                    "ent": rf.ent_cols.tolist(),
                    "emb": encode_f16(rf.emb),
                    **({"x": rf.xkeys.to_json()} if rf.xkeys is not None else {}),
                }
            )
        top = sorted(ev.ent_counts.items(), key=lambda kv: -kv[1])[:300]
        state: dict[str, Any] = {
            "v": STATE_VERSION,
            "first": ev.first,
            "last": ev.last,
            "n": ev.count,
            "members": members,
            "ent_cols": [c for c, _ in top],
            "ent_n": [k for _, k in top],
            "rep_sim": ev.rep_sim,
            **({"sched": sorted(ev.scheduled)} if ev.scheduled else {}),
        }
        if ev.emb_sum is not None:
            cen = ev.emb_sum / max(float(np.linalg.norm(ev.emb_sum)), 1e-9)
            state["centroid"] = encode_f16(cen)
        return Event(
            id=ev.id,
            label=ev.label,
            first_seen=from_days(ev.first),
            last_seen=from_days(ev.last),
            article_count=ev.count,
            sources=list(ev.sources),
            languages=list(ev.languages),
            representative_id=ev.rep_id,
            state=state,
        )
