"""Actor roles of a sentence's main event: which words are its source, target or joint actors.

A linear-chain CRF (CRFsuite, through ``python-crfsuite``) tags each token ``B-S``/``I-S``
(source), ``B-T``/``I-T`` (target), ``B-R``/``I-R`` (reciprocal: actors acting together on each
other) or ``O``. Per-token features (:func:`token_features`): the lower-cased word, its
suffixes, shape and capitalisation, spaCy POS, dependency label and named-entity type, the
token's syntactic relation to the main trigger (the first predicate the rule coder finds, else
the root: "subject of the trigger", "object of its head verb", "outside"), whether it lies
before or after the trigger and how far, whether it is inside a gazetteer actor mention
(:mod:`storyline.actors.resolve`) and of which kind, and the same few features of the two
tokens either side.

The model shipped with the package (``events/data/roles.crfsuite``) is trained only on the
project's own MIT sentences (``events/data/plover_train.jsonl``, 900 sentences with source and
target strings; no reciprocal tags) with fixed parameters, reproducibly::

    python -m storyline.events.roles rebuild

(byte-identical on rerun; rerun it after changing the rule coder's predicate walk or the
gazetteer, whose output the features include).

Annotated data under another licence (e.g. the GPL-3 ConfliBERT actor spans) must not go into
the package, but a user may train on it locally and have the coder use that model::

    python -m storyline.events.roles train spans.jsonl --out ~/roles.crfsuite
    STORYLINE_ROLES_MODEL=~/roles.crfsuite storyline ...

A training file is JSONL with either ``tokens`` and BIO ``tags`` per line (the ConfliBERT
layout) or ``text`` with ``source``/``target`` strings that occur in it (the plover_train
layout, converted by :func:`bio_from_strings`). ``$STORYLINE_ROLES_MODEL`` makes
:func:`storyline.events.coder.default_coder` use that model for its actors (see
``Coder(roles=...)``). ``python -m storyline.events.roles tag "Russia imposed sanctions on
Poland."`` prints the roles a model finds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: Role letter in the BIO tags -> field of :class:`Roles`.
ROLES = {"S": "source", "T": "target", "R": "reciprocal"}
SHIPPED = "roles.crfsuite"
#: The project's own training sentences the shipped model learns from.
TRAINING_FILE = "plover_train.jsonl"
ENV = "STORYLINE_ROLES_MODEL"
#: CRFsuite L-BFGS settings of the shipped model: the best of bench/actor_spans.py's GRID by
#: mean source/target exact-span F1 in 5-fold cross-validation on plover_train.jsonl
#: (``python bench/actor_spans.py src/storyline/events/data/plover_train.jsonl --select``).
PARAMS: dict[str, Any] = {"c1": 0.05, "c2": 0.01, "max_iterations": 150,
                          "feature.possible_transitions": True}


@dataclass(frozen=True)
class Span:
    """Tokens ``[start, end)`` of the tagged sentence; ``start_char``/``end_char`` index its
    text; ``score`` is the mean CRF marginal probability of the span's labels."""

    start: int
    end: int
    text: str
    start_char: int
    end_char: int
    score: float = 1.0


@dataclass
class Roles:
    """The spans a tagger found, by role, over ``tokens``."""

    tokens: list[str]
    source: list[Span] = field(default_factory=list)
    target: list[Span] = field(default_factory=list)
    reciprocal: list[Span] = field(default_factory=list)


# ---------------------------------------------------------------------------- parsing
def _nlp() -> Any:
    from storyline.events.coder import nlp

    return nlp()


def parse(text_or_tokens: str | Sequence[str]) -> Any:
    """A spaCy ``Doc``: ``text`` tokenised by spaCy, or given ``tokens`` kept as they are."""
    if isinstance(text_or_tokens, str):
        return _nlp()(text_or_tokens)
    return _nlp()(_doc_from_tokens(list(text_or_tokens)))


def _doc_from_tokens(tokens: list[str]) -> Any:
    from spacy.tokens import Doc

    spaces = [True] * len(tokens)
    if spaces:
        spaces[-1] = False
    return Doc(_nlp().vocab, words=tokens, spaces=spaces)


def parse_many(items: Iterable[str | Sequence[str]]) -> list[Any]:
    """:func:`parse` for many texts or token lists, in one ``nlp.pipe`` stream."""
    docs = [x if isinstance(x, str) else _doc_from_tokens(list(x)) for x in items]
    return list(_nlp().pipe(docs, batch_size=64))


@lru_cache(maxsize=1)
def _walker() -> Any:
    from storyline.actors.resolve import default_resolver
    from storyline.events.coder import Coder

    return Coder(resolver=default_resolver(), roles=None)


def main_trigger(span: Any) -> Any:
    """The token the roles are relative to: the rule coder's first coded predicate (reporting
    verbs hand over to their clause), else the parse root."""
    return _walker().main_predicate(span)


def _mentions(span: Any) -> list[Any]:
    from storyline.actors.resolve import default_resolver

    ents = [(e.start_char - span.start_char, e.end_char - span.start_char, e.label_)
            for e in span.ents]
    return default_resolver().resolve(span.text, None, "en", ents=ents)


# ---------------------------------------------------------------------------- features
def _as_span(doc_or_span: Any) -> Any:
    return doc_or_span if hasattr(doc_or_span, "root") else doc_or_span[:]


def _shape(word: str) -> str:
    s = re.sub(r"[A-Z]", "X", word)
    s = re.sub(r"[a-z]", "x", s)
    s = re.sub(r"\d", "d", s)
    return re.sub(r"(.)\1+", r"\1\1", s)[:6]


def _bucket(d: int) -> str:
    for limit in (1, 2, 4, 8, 15):
        if d <= limit:
            return str(limit)
    return "far"


def _relation(tok: Any, chain: dict[int, int]) -> str:
    """How ``tok`` hangs off the trigger's chain of heads: ``"0:nsubj"`` (subject of the
    trigger), ``"1:dobj"`` (object of the trigger's head), ``"0:prep_with"``, ``"chain1"``."""
    if tok.i in chain:
        return f"chain{chain[tok.i]}"
    cur = tok
    for _ in range(40):
        head = cur.head
        if head.i == cur.i:
            break
        if head.i in chain:
            rel = cur.dep_
            if rel in ("prep", "agent"):
                rel += "_" + cur.lower_
            return f"{chain[head.i]}:{rel}"
        cur = head
    return "out"


def token_features(span: Any, trigger: Any = None,
                   mentions: list[Any] | None = None) -> list[dict[str, Any]]:
    """CRFsuite features for each token of a parsed sentence (a spaCy ``Doc`` or ``Span``).

    ``trigger`` defaults to :func:`main_trigger`, ``mentions`` (resolver mentions with offsets
    into ``span.text``) to the packaged resolver's.
    """
    span = _as_span(span)
    toks = list(span)
    if not toks:
        return []
    base_char = toks[0].idx
    trigger = main_trigger(span) if trigger is None else trigger
    mentions = _mentions(span) if mentions is None else mentions
    chain: dict[int, int] = {}
    cur = trigger
    for k in range(4):
        chain.setdefault(cur.i, k)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    mention_at: dict[int, tuple[str, Any]] = {}
    for m in mentions:
        inside = [t.i for t in toks if t.idx - base_char < m.end
                  and t.idx - base_char + len(t) > m.start]
        for n, i in enumerate(inside):
            mention_at.setdefault(i, ("B" if n == 0 else "I", m))
    local: list[dict[str, Any]] = []
    for t in toks:
        mark, m = mention_at.get(t.i, ("O", None))
        local.append({
            "w": t.lower_, "pos": t.pos_, "shape": _shape(t.text), "rel": _relation(t, chain),
            "m": mark, "mkind": (m.kind or "other") if m else "-",
        })
    out = []
    for k, t in enumerate(toks):
        word = t.text
        d = t.i - trigger.i
        f: dict[str, Any] = {
            "bias": 1.0, **local[k],
            "suf2": word[-2:].lower(), "suf3": word[-3:].lower(), "tag": t.tag_, "dep": t.dep_,
            "title": word[:1].isupper(), "upper": word.isupper() and len(word) > 1,
            "digit": word.isdigit(), "hdep": t.head.dep_, "hpos": t.head.pos_,
            "ent": f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O",
            "side": "trig" if d == 0 else ("before" if d < 0 else "after"),
            "dist": f"{'-' if d < 0 else '+'}{_bucket(abs(d))}",
            "msector": (mention_at[t.i][1].sector or "-") if t.i in mention_at else "-",
            "trig": trigger.lemma_.lower(),
            "rel_side": f"{local[k]['rel']}|{'b' if d < 0 else 'a'}",
        }
        for off in (-2, -1, 1, 2):
            j = k + off
            if 0 <= j < len(toks):
                f[f"{off:+d}"] = local[j]
            else:
                f[f"{off:+d}"] = {"edge": True}
        if k == 0:
            f["BOS"] = True
        if k == len(toks) - 1:
            f["EOS"] = True
        out.append(f)
    return out


# ---------------------------------------------------------------------------- examples
def bio_from_strings(text: str, source: str | None = None, target: str | None = None,
                     reciprocal: Sequence[str] = ()) -> dict[str, list[str]]:
    """``{"tokens", "tags"}`` for a sentence whose roles are given as substrings of ``text``
    (each role's first occurrence not already taken; spaCy tokens, widened to whole tokens)."""
    doc = _nlp().make_doc(text)
    tags = ["O"] * len(doc)
    for letter, phrases in (("S", [source]), ("T", [target]), ("R", list(reciprocal))):
        for phrase in phrases:
            if not phrase:
                continue
            start = text.find(phrase)
            while start >= 0:
                span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
                if span is not None and all(tags[i] == "O" for i in range(span.start, span.end)):
                    for i in range(span.start, span.end):
                        tags[i] = ("B-" if i == span.start else "I-") + letter
                    break
                start = text.find(phrase, start + 1)
            else:
                raise ValueError(f"{phrase!r} is not in {text!r}")
    return {"tokens": [t.text for t in doc], "tags": tags}


def read_examples(path: str | Path) -> list[dict[str, Any]]:
    """BIO examples (``tokens``, ``tags``) from a JSONL file in either layout (module doc)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "tags" in row:
            out.append({"tokens": row["tokens"], "tags": row["tags"]})
        else:
            recip = row.get("reciprocal") or []
            out.append(bio_from_strings(row["text"], row.get("source"), row.get("target"),
                                        [recip] if isinstance(recip, str) else recip))
    return out


def spans_of(tags: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Role -> token spans ``[(start, end)]`` of a BIO sequence (a stray ``I-`` opens a span)."""
    out: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES.values()}
    cur: list[Any] | None = None
    for i, tag in enumerate(list(tags) + ["O"]):
        kind, _, letter = tag.partition("-")
        if cur is not None and not (kind == "I" and letter == cur[0]):
            out[ROLES[cur[0]]].append((cur[1], i))
            cur = None
        if kind in ("B", "I") and cur is None and letter in ROLES:
            cur = [letter, i]
    return out


# ---------------------------------------------------------------------------- the tagger
class RoleTagger:
    """A trained CRF role tagger. Build with :meth:`train` or :meth:`load`."""

    def __init__(self, model: bytes) -> None:
        import pycrfsuite

        self.model = model
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)

    @classmethod
    def train(cls, examples: Iterable[dict[str, Any]], params: dict[str, Any] | None = None,
              features: Sequence[list[dict[str, Any]]] | None = None) -> RoleTagger:
        """Train on BIO examples (``tokens``, ``tags``). ``features`` may hold precomputed
        :func:`token_features` per example (benchmarks reuse them across folds)."""
        import pycrfsuite

        examples = list(examples)
        if features is None:
            features = [token_features(d) for d in parse_many(e["tokens"] for e in examples)]
        trainer = pycrfsuite.Trainer(verbose=False)
        for ex, feats in zip(examples, features, strict=True):
            if len(feats) != len(ex["tags"]):
                raise ValueError("tokens and tags differ in length")
            trainer.append(pycrfsuite.ItemSequence(feats), list(ex["tags"]))
        trainer.set_params({**PARAMS, **(params or {})})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.crfsuite"
            trainer.train(str(path))
            return cls(path.read_bytes())

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.model)

    @classmethod
    def load(cls, path: str | Path) -> RoleTagger:
        return cls(Path(path).read_bytes())

    def tag_features(self, features: list[dict[str, Any]]) -> list[str]:
        """BIO tags for precomputed :func:`token_features`."""
        import pycrfsuite

        return list(self._tagger.tag(pycrfsuite.ItemSequence(features))) if features else []

    def tag(self, tokens: str | Sequence[str]) -> list[str]:
        """BIO tags for a text (spaCy tokens) or a token list."""
        return self.tag_features(token_features(parse(tokens)))

    def spans(self, text_or_tokens: str | Sequence[str]) -> Roles:
        """The roles in a text or token list; token offsets refer to ``Roles.tokens``."""
        return self.tag_span(parse(text_or_tokens))

    def tag_span(self, span: Any, trigger: Any = None, mentions: list[Any] | None = None
                 ) -> Roles:
        """The roles in a parsed sentence (``Doc`` or ``Span``); see :func:`token_features`."""
        span = _as_span(span)
        toks = list(span)
        tags = self.tag_features(token_features(span, trigger, mentions))
        roles = Roles([t.text for t in toks])
        if not toks:
            return roles
        base = toks[0].idx
        for role, found in spans_of(tags).items():
            for s, e in found:
                score = sum(self._tagger.marginal(tags[i], i) for i in range(s, e)) / (e - s)
                a, b = toks[s].idx - base, toks[e - 1].idx + len(toks[e - 1]) - base
                getattr(roles, role).append(
                    Span(s, e, span.text[a:b], a, b, round(float(score), 4)))
        return roles


@lru_cache(maxsize=1)
def shipped_tagger() -> RoleTagger:
    """The packaged model (trained on plover_train.jsonl only)."""
    return RoleTagger(resources.files("storyline.events").joinpath("data", SHIPPED).read_bytes())


def env_tagger() -> RoleTagger | None:
    """The model named by ``$STORYLINE_ROLES_MODEL``, or None when it is unset."""
    path = os.environ.get(ENV)
    return RoleTagger.load(Path(path).expanduser()) if path else None


# ---------------------------------------------------------------------------- command line
def shipped_training_rows() -> list[dict[str, Any]]:
    from storyline.events.type_model import training_rows

    return training_rows()


def rebuild(out: str | Path | None = None) -> Path:
    """Retrain the shipped model from plover_train.jsonl with :data:`PARAMS` (deterministic)."""
    rows = shipped_training_rows()
    examples = [bio_from_strings(r["text"], r.get("source"), r.get("target")) for r in rows]
    target = Path(out) if out else Path(__file__).parent / "data" / SHIPPED
    RoleTagger.train(examples).save(target)
    return target


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m storyline.events.roles",
                                 description="Train or run the actor-role tagger.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train", help="train on a JSONL file (BIO tokens/tags or text/strings)")
    tr.add_argument("file", type=Path)
    tr.add_argument("--out", type=Path, required=True)
    tr.add_argument("--c1", type=float, default=PARAMS["c1"])
    tr.add_argument("--c2", type=float, default=PARAMS["c2"])
    rb = sub.add_parser("rebuild", help="retrain the shipped model from plover_train.jsonl")
    rb.add_argument("--out", type=Path, default=None)
    tg = sub.add_parser("tag", help="print the roles found in a sentence")
    tg.add_argument("text")
    tg.add_argument("--model", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.cmd == "train":
        examples = read_examples(args.file)
        RoleTagger.train(examples, {"c1": args.c1, "c2": args.c2}).save(args.out)
        print(f"trained on {len(examples)} sentences -> {args.out}")
    elif args.cmd == "rebuild":
        print(f"wrote {rebuild(args.out)}")
    else:
        tagger = RoleTagger.load(args.model) if args.model else env_tagger() or shipped_tagger()
        roles = tagger.spans(args.text)
        json.dump({r: [s.text for s in getattr(roles, r)] for r in ROLES.values()}, sys.stdout)
        print()


if __name__ == "__main__":
    main()
