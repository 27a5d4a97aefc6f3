"""De-duplication: canonical URLs, exact content hashes and MinHash-LSH near-duplicates.

storyline counts events, not reports: a wire story republished by ten outlets is one report.
An exact or near copy is still stored (its URL and outlet are evidence of reach) but linked to
the first article seen, and later stages skip it.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from .model import Article

if TYPE_CHECKING:
    from .store import Store

# Query parameters that identify a campaign or a click, never the document.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "hsa_", "oly_", "vero_", "_hs")
_TRACKING_NAMES = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid igshid mkt_tok ocid cmpid cmp ref ref_src "
    "ref_url referrer src source smid smtyp rss rssfeed feed feedname at_medium at_campaign "
    "at_custom1 at_custom2 at_custom3 at_custom4 guccounter guce_referrer guce_referrer_sig "
    "_ga __twitter_impression share sharetype outputtype amp amp_js_v usqp ito".split()
)
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|(\.amp)(?=\.html?$|$)", re.I)


def canonical_url(url: str | None) -> str | None:
    """A stable form of an article URL: the key under which it is stored once.

    Lower-cases scheme and host, drops ``www.``/``amp.``/``m.`` host prefixes, default ports,
    fragments, tracking parameters and AMP path markers, sorts the remaining query parameters
    and strips a trailing slash. Returns None for something that is not an http(s) URL.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_NAMES and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    # http and https versions of one page are one page
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL belongs to, as its host without ``www.``: the source of an article whose
    input named none. Archive links (web.archive.org/web/<stamp>/<url>) name the archived host."""
    archived = re.match(r"https?://web\.archive\.org/web/[^/]+/(.+)$", url)
    if archived:
        url = archived.group(1)
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


_WORD = re.compile(r"\w+", re.U)


def _normalised_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_hash(title: str | list[str], text: str | list[str]) -> str:
    """SHA-1 of the lower-cased words of title and text (strings or their word lists): equal
    for copies that differ only in markup, case, punctuation or whitespace."""
    t = _normalised_words(title) if isinstance(title, str) else title
    b = _normalised_words(text) if isinstance(text, str) else text
    return hashlib.sha1(" ".join([*t, "\x00", *b]).encode("utf-8")).hexdigest()


class MinHasher:
    """MinHash signatures over word shingles, vectorised with numpy.

    ``num_perm`` multiply-shift hash functions ``(a*x + b) >> 32`` over 64-bit words; words are
    hashed with BLAKE2b so that signatures are stable across processes and can be stored.
    """

    _MAX = np.uint64((1 << 32) - 1)

    def __init__(self, num_perm: int = 64, shingle: int = 3, seed: int = 1):
        self.num_perm = num_perm
        self.shingle = shingle
        rng = np.random.RandomState(seed)
        self._a = rng.randint(1, 1 << 62, size=num_perm, dtype=np.int64).astype(np.uint64) | 1
        self._b = rng.randint(0, 1 << 62, size=num_perm, dtype=np.int64).astype(np.uint64)

    def _shingle_hashes(self, words: list[str]) -> np.ndarray:
        """32-bit hashes of the distinct word ``shingle``-grams (first 5,000 words).

        Each distinct word is hashed once (CRC-32, stable across processes); a shingle's hash
        combines its words' hashes with a fixed odd multiplier, in numpy, so long texts stay cheap.
        """
        words = words[:5000]
        if not words:
            return np.zeros(0, dtype=np.uint64)
        vocab = dict.fromkeys(words)
        position = {w: i for i, w in enumerate(vocab)}
        word_hash = np.array([zlib.crc32(w.encode()) for w in vocab], dtype=np.uint64)
        word_hash = word_hash[np.array(list(map(position.__getitem__, words)), dtype=np.int64)]
        k = min(self.shingle, len(words))
        n = len(words) - k + 1
        acc = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                acc = (acc * np.uint64(0x9E3779B1) + word_hash[j : j + n]) & self._MAX
        return np.unique(acc)

    def signature(self, text: str | list[str]) -> np.ndarray:
        """uint32 vector of length ``num_perm`` for a text or its words; all-max when empty."""
        hv = self._shingle_hashes(_normalised_words(text) if isinstance(text, str) else text)
        if hv.size == 0:
            return np.full(self.num_perm, self._MAX, dtype=np.uint32)
        # multiply-shift hashing: wrap-around uint64 arithmetic, keep the high 32 bits
        with np.errstate(over="ignore"):
            phv = (np.outer(hv, self._a) + self._b) >> np.uint64(32)
        return phv.min(axis=0).astype(np.uint32)


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


class NearDuplicateIndex:
    """LSH over MinHash signatures: finds earlier articles whose text overlaps ``threshold``
    or more.

    Banding: ``bands`` × ``rows`` = ``num_perm``; candidates found through any band are confirmed
    with the signature estimate, so false positives are cheap and rare.
    """

    def __init__(self, hasher: MinHasher | None = None, threshold: float = 0.7, bands: int = 16):
        self.hasher = hasher or MinHasher()
        self.threshold = threshold
        self.bands = bands
        self.rows = self.hasher.num_perm // bands
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]
        self._sigs: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def _keys(self, sig: np.ndarray) -> Iterable[bytes]:
        for band in range(self.bands):
            yield sig[band * self.rows : (band + 1) * self.rows].tobytes()

    def add(self, article_id: int, sig: np.ndarray) -> None:
        self._sigs[article_id] = sig
        for band, key in enumerate(self._keys(sig)):
            self._buckets[band].setdefault(key, []).append(article_id)

    def query(self, sig: np.ndarray) -> tuple[int, float] | None:
        """The earliest-added indexed article at or above the threshold, with its similarity."""
        if not np.any(sig != self.hasher._MAX):
            return None
        best: tuple[int, float] | None = None
        seen: set[int] = set()
        for band, key in enumerate(self._keys(sig)):
            for cand in self._buckets[band].get(key, ()):
                if cand in seen:
                    continue
                seen.add(cand)
                sim = jaccard_estimate(sig, self._sigs[cand])
                if sim >= self.threshold and (best is None or cand < best[0]):
                    best = (cand, sim)
        return best


def signature_to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


class Deduplicator:
    """The de-duplication stage: decides, for each incoming article, whether it is new, a repeat
    of something stored (same canonical URL or input id), an exact copy or a near copy.

    The LSH index is seeded with the newest ``window`` stored originals, so memory stays bounded
    however large the store grows; near copies are looked for among those.
    """

    def __init__(self, store: Store, *, threshold: float = 0.7, window: int = 50_000):
        self.store = store
        self.hasher = MinHasher()
        self.index = NearDuplicateIndex(self.hasher, threshold=threshold)
        self.window = window
        for article_id, blob in store.recent_minhashes(window):
            self.index.add(article_id, signature_from_bytes(blob))

    def check(self, article: Article, external_key: str | None) -> tuple[str, np.ndarray | None]:
        """Classify an incoming article and fill its ``canonical_url``, ``content_hash`` and, for
        copies, ``duplicate_of``/``duplicate_kind``.

        Returns (verdict, signature): verdict is "stored" (already in the store: write nothing),
        "exact", "near" or "new"; the MinHash signature comes with "new" articles, to be stored
        and passed to ``remember`` once the article has an id.
        """
        article.canonical_url = canonical_url(article.url)
        title_words = _normalised_words(article.title)
        text_words = _normalised_words(article.text)
        article.content_hash = content_hash(title_words, text_words)
        found = self.store.find_article(article.canonical_url, external_key, article.content_hash)
        if found:
            first_id, how = found
            if how != "hash" or not article.canonical_url:
                return "stored", None
            article.duplicate_of, article.duplicate_kind = first_id, "exact"
            return "exact", None
        # title included: scraped boilerplate ("sign in to…") is identical across pages whose
        # headlines alone tell the stories apart
        sig = self.hasher.signature(title_words + text_words)
        hit = self.index.query(sig)
        if hit:
            article.duplicate_of, article.duplicate_kind = hit[0], "near"
            article.meta["near_duplicate_similarity"] = round(hit[1], 3)
            return "near", None
        return "new", sig

    def remember(self, article_id: int, sig: np.ndarray) -> None:
        """Index a stored original so later copies of it are found."""
        self.index.add(article_id, sig)
        if len(self.index) > 2 * self.window:
            keep = sorted(self.index._sigs)[-self.window :]
            fresh = NearDuplicateIndex(self.hasher, threshold=self.index.threshold)
            for kept_id in keep:
                fresh.add(kept_id, self.index._sigs[kept_id])
            self.index = fresh
