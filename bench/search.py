"""Multilingual search recall on the demo corpus: ``python bench/search.py``.

Builds the demo store once (the packaged corpus through the whole ``Pipeline``, as ``storyline
demo`` does, into a temporary folder; ``--db FILE`` reuses a store built earlier), then, for
every gazetteer actor the corpus names, searches for the actor's English canonical name
("Alexander Lukashenko", "Belarus", "European Union", "Government of Belarus") and scores the
original reports returned against the reports that name the actor.

**Ground truth** (decided without the search code): an original report names an actor when

1. the resolver (``actors/resolve.py``) over its title and text, on its publication date, finds
   one of the actor's own aliases — names, person, organisation, company, group and metonym
   spellings in four languages, case endings included; places, weak names and a capital (a
   city) do not name the country; or
2. a regular-expression scan finds one of those aliases as whole words: a single-word alias
   with its capital letter ("Того" is Togo, "того" is not), other letters in any case, short
   all-capital acronyms in their case, Cyrillic words with any case ending (a list written here,
   apart from the search code's).

Reports the resolver reads as the actor only by inference — an office holder ("the Belarusian
president" on that day), a capital acting for its government ("Minsk said"), "Russian
government" — are scored apart as ``inferred`` (the search can find them only through coded
records).

**Scores**: ``recall`` = returned reports that name the actor / reports that name it (micro over
all actor–report pairs; ``macro`` the mean over actors); ``precision`` = returned reports that
name the actor (or are ``inferred`` for it) / returned reports (micro; the others are listed per
actor as ``extra``); ``inferred_recall`` = returned / ``inferred`` reports. ``baseline_recall``
is today's plain search: the same words through FTS5 without widening
(``store.query.parse(q, expand=False)``). Timing covers the widened searches (query parsing
included; the gazetteer is loaded before the clock starts).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean
from typing import Any

from storyline.actors.gazetteer import Gazetteer, is_cyrillic
from storyline.actors.resolve import default_resolver
from storyline.demo import corpus_path
from storyline.pipeline import Pipeline
from storyline.store.query import parse
from storyline.store.sqlite import SQLiteStore

NAMING = {"name", "person", "organisation", "company", "group", "metonym"}
_VOWELS = "аеёиоуыэюяйьъіїєў"
_ADJECTIVE = {"ий", "ый", "ой", "ій", "ая", "яя", "ое", "ее", "ие", "ые", "ыя", "ія", "ую", "ае"}
#: Any Russian, Ukrainian or Belarusian case ending (written here for the scan, apart from the
#: search code's lists).
_CASE_ENDING = ("(?:[аяуюеиыіїоэйь]|ой|ей|ом|ем|ам|ям|ах|ях|ами|ями|амі|ямі|ою|ею|єю|ов|ев|ів|"
                "ий|ый|ій|ая|яя|ое|ее|ие|ые|ыя|ія|ую|юю|ого|его|ому|ему|ым|им|ых|их|ага|ай|ае|"
                "аму|ім|іх|ії|ію|ією|ией|ии|ию|ия|ияй|іяй|ими|ыми|імі|ымі|ої|ій|сю)?")


def build(folder: Path) -> tuple[SQLiteStore, float]:
    """The demo store, every stage run (events and coded records included)."""
    t0 = time.perf_counter()
    store = SQLiteStore(folder / "search-bench.db")
    Pipeline(store).ingest_paths([corpus_path()])
    return store, time.perf_counter() - t0


def alias_regex(text: str) -> re.Pattern[str]:
    """Whole-word pattern for an alias. A Cyrillic word takes any case ending in place of its
    final vowel or adjective ending (or after its last consonant); a capitalised alias
    of one word needs its capital ("Того" is Togo, "того" is not), other letters' case is free
    (and a name of several words may start in lower case: "остров Мэн"); a short all-capital
    acronym keeps its case."""
    parts = []
    for w in re.findall(r"\w+", text):
        if is_cyrillic(w) and not w.isupper():
            base = w[:-1] if len(w) >= 4 and w[-1].lower() in _VOWELS else w
            if len(w) >= 7 and w[-2:].lower() in _ADJECTIVE:
                base = w[:-2]
            parts.append(re.escape(base) + _CASE_ENDING)
        else:
            parts.append(re.escape(w))
    body = r"\W+".join(parts)
    if text.isupper() and len(text) <= 5:
        return re.compile(rf"(?<!\w){body}(?!\w)")
    if text[:1].isupper() and len(parts) == 1:  # the capital stays, the rest ignores case
        first = re.escape(text[0])
        return re.compile(rf"(?<!\w){first}(?i:{body[len(first):]})(?!\w)")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


def ground_truth(store: SQLiteStore, gaz: Gazetteer) -> tuple[dict, dict, dict]:
    """Per actor id: the original reports that name it (under one of its own aliases: resolver
    or scan), and those the resolver reads as it only by inference (an office, a capital
    acting for its government, "Russian government"); and counts of how pairs were found."""
    resolver = default_resolver()
    by_text: dict[str, list] = defaultdict(list)
    patterns: dict[str, list[re.Pattern[str]]] = defaultdict(list)
    for alias in gaz.aliases:
        by_text[alias.text].append(alias)
        if alias.kind in NAMING and re.search(r"\w", alias.text):
            patterns[alias.actor_id].append(alias_regex(alias.text))
    named: dict[str, set[int]] = defaultdict(set)
    inferred: dict[str, set[int]] = defaultdict(set)
    how: dict[tuple[str, int], set[str]] = defaultdict(set)
    for art in store.articles(originals_only=True):
        text = f"{art.title}\n{art.text}"
        for m in resolver.resolve(text, art.published):
            if m.meta.get("fallback"):
                continue
            if "alias" not in m.meta:  # an office: "the president of Belarus" on that day
                inferred[m.actor_id].add(art.id)
                continue
            base = m.actor_id.removesuffix(".GOV")
            fits = [a for a in by_text[m.meta["alias"]] if a.actor_id in (m.actor_id, base)]
            if not fits:
                continue
            alias = max(fits, key=lambda a: a.priority)
            if alias.kind in ("place", "weak_name"):
                continue
            if alias.kind == "capital":  # a city, or its government acting ("Minsk said")
                if m.actor_id != alias.actor_id:
                    inferred[m.actor_id].add(art.id)
                continue
            named[alias.actor_id].add(art.id)
            how[(alias.actor_id, art.id)].add("resolver")
            if m.actor_id != alias.actor_id:  # "Russian government": names Russia
                inferred[m.actor_id].add(art.id)
        for actor_id, pats in patterns.items():
            if any(p.search(text) for p in pats):
                named[actor_id].add(art.id)
                how[(actor_id, art.id)].add("alias_scan")
    for actor_id in inferred:
        inferred[actor_id] -= named.get(actor_id, set())
    counts = {"resolver": 0, "alias_scan": 0, "both": 0}
    for found in how.values():
        counts["both" if len(found) == 2 else next(iter(found))] += 1
    return named, inferred, counts


def plain_ids(store: SQLiteStore, query: str) -> set[int]:
    """Today's search: the typed words through FTS5, nothing widened."""
    match = parse(query, expand=False).fts5()
    if not match:
        return set()
    rows = store.db.execute(
        "SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? AND a.duplicate_of IS NULL", (match,))
    return {r[0] for r in rows}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="a demo store built earlier (default: build one)")
    ap.add_argument("--verbose", action="store_true", help="every actor, not only the misses")
    args = ap.parse_args(argv)
    gaz = Gazetteer.load()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            store, build_s = SQLiteStore(args.db), 0.0
        else:
            store, build_s = build(Path(tmp))
        named, inferred, by = ground_truth(store, gaz)
        originals = len(store.articles(originals_only=True))
        parse("warm-up")  # the gazetteer and resolver, outside the clock
        rows = []
        t0 = time.perf_counter()
        for actor_id in sorted(set(named) | {a for a, ids in inferred.items() if ids}):
            actor = gaz.get(actor_id)
            if actor is None:
                continue
            hits = store.search(actor.name, limit=1000)
            rows.append({"actor": actor_id, "query": actor.name, "kind": actor.kind,
                         "truth": named.get(actor_id, set()),
                         "inferred": inferred.get(actor_id, set()),
                         "got": {h.article.id for h in hits}})
        search_s = time.perf_counter() - t0
        for row in rows:
            row["plain"] = plain_ids(store, row["query"])
        store.close()

    def scores(key: str) -> dict[str, float]:
        named_rows = [r for r in rows if r["truth"]]
        tp = sum(len(r[key] & r["truth"]) for r in rows)
        ok = sum(len(r[key] & (r["truth"] | r["inferred"])) for r in rows)
        ret = sum(len(r[key]) for r in rows)
        rel = sum(len(r["truth"]) for r in rows)
        inf = sum(len(r["inferred"]) for r in rows)
        return {"recall": tp / rel if rel else 0.0,
                "macro_recall": mean(len(r[key] & r["truth"]) / len(r["truth"])
                                     for r in named_rows),
                "inferred_recall": (sum(len(r[key] & r["inferred"]) for r in rows) / inf
                                    if inf else 0.0),
                "precision": ok / ret if ret else 0.0,
                "false_positives": ret - ok}

    ours, base = scores("got"), scores("plain")
    print("ground truth: a report names an actor when the resolver finds one of the actor's own "
          "aliases in its title or text (no places, weak names, capitals) or a whole-word scan "
          "does (capitalised as the alias, Cyrillic with any case ending); pairs by resolver "
          f"only {by['resolver']}, by scan only {by['alias_scan']}, by both {by['both']}. "
          "'inferred': the resolver reads the actor only through an office, a capital acting "
          "for its government or 'Russian government' (found, if at all, through coded records)")
    print(f"{len(rows)} actors in {originals} original reports; query = English canonical name")
    per_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        per_kind[r["kind"]].append(r)
    for kind, group in sorted(per_kind.items()):
        rel = sum(len(r["truth"]) for r in group)
        tp = sum(len(r["got"] & r["truth"]) for r in group)
        tp0 = sum(len(r["plain"] & r["truth"]) for r in group)
        inf = sum(len(r["inferred"]) for r in group)
        tpi = sum(len(r["got"] & r["inferred"]) for r in group)
        print(f"  {kind:13} {len(group):3} actors {rel:4} named pairs  recall "
              f"{tp / rel if rel else 0:.3f} (plain {tp0 / rel if rel else 0:.3f}); "
              f"inferred {tpi}/{inf}")
    for r in rows:
        missed = r["truth"] - r["got"]
        extra = r["got"] - r["truth"] - r["inferred"]
        if missed or extra or args.verbose:
            print(f"  {r['actor']:22} {r['query'][:34]:34} names {len(r['truth']):3} found "
                  f"{len(r['got'] & r['truth']):3} plain {len(r['plain'] & r['truth']):3} "
                  f"inferred {len(r['got'] & r['inferred'])}/{len(r['inferred'])}"
                  f"  missed {sorted(missed)[:8]} extra {sorted(extra)[:8]}")
    result = {
        "recall": round(ours["recall"], 4), "macro_recall": round(ours["macro_recall"], 4),
        "baseline_recall": round(base["recall"], 4),
        "baseline_macro_recall": round(base["macro_recall"], 4),
        "inferred_recall": round(ours["inferred_recall"], 4),
        "baseline_inferred_recall": round(base["inferred_recall"], 4),
        "precision": round(ours["precision"], 4), "baseline_precision": round(base["precision"], 4),
        "false_positives": ours["false_positives"], "actors": len(rows), "queries": len(rows),
        "pairs": sum(len(r["truth"]) for r in rows),
        "inferred_pairs": sum(len(r["inferred"]) for r in rows), "reports": originals,
        "search_s": round(search_s, 3),
        "ms_per_query": round(1000 * search_s / max(1, len(rows)), 2),
        "build_s": round(build_s, 1),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
