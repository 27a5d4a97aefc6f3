"""Online TF-IDF over hashed terms: sparse lexical vectors whose IDF is learned as news arrives.

Why hashed: a news stream has an unbounded vocabulary. Hashing terms into a fixed number of
columns keeps the document-frequency table a fixed-size array (``n_features`` int32 counters,
4 MiB at the default), so memory does not grow with the store, and the table can be saved and
restored as a whole. Collisions at 2**20 columns are rare enough not to matter for similarity.

Why online: IDF must reflect what has been seen *before* an article, never after (the clusterer
replays history in publication order and must give the same answer as a live run).
"""

from __future__ import annotations

import base64
import math
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

__all__ = ["OnlineTfidf", "OnlineKeyIdf", "lexical_text"]


def lexical_text(title: str, text: str, max_chars: int = 3000) -> str:
    """Text the TF-IDF vector is built from: the title twice (it is the densest summary) + body."""
    return f"{title}\n{title}\n{text[:max_chars]}"


class OnlineTfidf:
    """Sublinear TF × online IDF over hashed word unigrams, L2-normalised.

    Parameters
    ----------
    n_features:
        Number of hash columns (power of two).
    stop_words:
        Passed to scikit-learn's tokenizer; ``"english"`` removes function words. Words of other
        languages are kept and their IDF discounts the frequent ones.
    """

    def __init__(self, n_features: int = 2**20, stop_words: str | None = "english"):
        self.n_features = n_features
        self.stop_words = stop_words
        self._hv = HashingVectorizer(
            n_features=n_features,
            alternate_sign=False,
            norm=None,
            stop_words=stop_words,
            token_pattern=r"(?u)\b\w\w+\b",
            dtype=np.float32,
        )
        self.df = np.zeros(n_features, dtype=np.int32)
        self.n_docs = 0

    def term_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Raw hashed term counts, one row per text (no IDF: cheap to batch ahead of time)."""
        x = self._hv.transform(texts).tocsr()
        x.sort_indices()
        return x

    def idf(self, columns: np.ndarray) -> np.ndarray:
        """Smoothed IDF of the given hash columns with the counts seen so far."""
        return np.log((1.0 + self.n_docs) / (1.0 + self.df[columns])).astype(np.float32) + 1.0

    def weigh(self, counts: sp.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF of one row of ``counts`` as (columns, L2-normalised weights)."""
        lo, hi = counts.indptr[row], counts.indptr[row + 1]
        cols = counts.indices[lo:hi]
        w = (1.0 + np.log(counts.data[lo:hi])) * self.idf(cols)
        n = float(np.linalg.norm(w))
        return cols.copy(), (w / n if n > 0 else w).astype(np.float32)

    def partial_fit_row(self, counts: sp.csr_matrix, row: int) -> None:
        """Count one document's terms into the document frequencies."""
        lo, hi = counts.indptr[row], counts.indptr[row + 1]
        self.df[counts.indices[lo:hi]] += 1
        self.n_docs += 1

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows with the current IDF (does not update it)."""
        counts = self.term_counts(texts)
        rows = [self.weigh(counts, i) for i in range(counts.shape[0])]
        return _rows_to_csr(rows, self.n_features)

    def partial_fit(self, texts: Sequence[str]) -> OnlineTfidf:
        """Update document frequencies with ``texts``."""
        counts = self.term_counts(texts)
        for i in range(counts.shape[0]):
            self.partial_fit_row(counts, i)
        return self

    def get_state(self) -> dict[str, Any]:
        """JSON-serialisable snapshot (sparse, zlib-compressed document frequencies)."""
        return _df_state(self.df, self.n_docs)

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore a snapshot made by :meth:`get_state`."""
        self.n_docs = _load_df_state(self.df, state)


class OnlineKeyIdf:
    """Online document frequencies of string keys (entities), hashed into a fixed-size table."""

    def __init__(self, n_features: int = 2**20):
        self.n_features = n_features
        self.df = np.zeros(n_features, dtype=np.int32)
        self.n_docs = 0

    def columns(self, keys: Sequence[str]) -> np.ndarray:
        """Hash columns of ``keys`` (stable across runs and platforms).

        The top two bits of a column carry the key's kind (:meth:`kind`): 0 a single name token,
        1 a multi-word phrase (``a_b``), 2 a number (``age:``/``num:``), 3 a dateline place.
        """
        size = self.n_features >> 2
        out = set()
        for k in keys:
            kind = 3 if k.startswith("dl:") else 2 if k[:4] in ("age:", "num:") else int("_" in k)
            out.add(kind * size + murmurhash3_32(k, seed=17, positive=True) % size)
        return np.array(sorted(out), dtype=np.int32)

    def kind(self, columns: np.ndarray) -> np.ndarray:
        """Kind of each column: 0 token, 1 phrase, 2 number, 3 dateline place."""
        return np.asarray(columns) // (self.n_features >> 2)

    def idf(self, columns: np.ndarray) -> np.ndarray:
        """Smoothed IDF of hash columns with the counts seen so far."""
        return np.log((1.0 + self.n_docs) / (1.0 + self.df[columns])).astype(np.float32) + 1.0

    def partial_fit_columns(self, columns: np.ndarray) -> None:
        """Count one document's (unique) key columns."""
        self.df[columns] += 1
        self.n_docs += 1

    @property
    def max_idf(self) -> float:
        """IDF of a key never seen before: the ceiling used to normalise overlaps."""
        return math.log(1.0 + self.n_docs) + 1.0

    def get_state(self) -> dict[str, Any]:
        """JSON-serialisable snapshot (sparse, zlib-compressed document frequencies)."""
        return _df_state(self.df, self.n_docs)

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore a snapshot made by :meth:`get_state`."""
        self.n_docs = _load_df_state(self.df, state)


def _df_state(df: np.ndarray, n_docs: int) -> dict[str, Any]:
    """A document-frequency table as JSON: non-zero columns and counts, zlib + base64."""
    nz = np.flatnonzero(df).astype(np.int32)
    blob = zlib.compress(nz.tobytes() + df[nz].astype(np.int32).tobytes())
    return {"n_docs": n_docs, "n_features": len(df), "df": base64.b64encode(blob).decode("ascii")}


def _load_df_state(df: np.ndarray, state: dict[str, Any]) -> int:
    """Fill ``df`` in place from :func:`_df_state`'s output; returns the document count."""
    if int(state.get("n_features", len(df))) != len(df):
        raise ValueError(f"n_features mismatch: {state['n_features']} != {len(df)}")
    raw = zlib.decompress(base64.b64decode(state["df"]))
    half = len(raw) // 2
    df[:] = 0
    df[np.frombuffer(raw[:half], dtype=np.int32)] = np.frombuffer(raw[half:], dtype=np.int32)
    return int(state["n_docs"])


def _rows_to_csr(rows: list[tuple[np.ndarray, np.ndarray]], n_features: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, (c, _) in enumerate(rows):
        indptr[i + 1] = indptr[i] + len(c)
    indices = np.concatenate([c for c, _ in rows]) if rows else np.zeros(0, np.int32)
    data = np.concatenate([w for _, w in rows]) if rows else np.zeros(0, np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_features))
