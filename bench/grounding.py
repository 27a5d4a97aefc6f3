"""Grounding probes (issue #13): ``python bench/grounding.py [--json] [--t17-limit N]``.

Builds a probe suite from source sentences and checks every probe with the grounding check the
writers use (:class:`storyline.brief.cite.GroundingChecker`) and with the lexical check of the
lexical check this project had before (``git show BASELINE_REF:src/storyline/brief/cite.py``,
the commit before the claim-level check, loaded into a temporary module at run time: the
*baseline*; ``--baseline-ref`` picks another).

Sources: the packaged demo corpus (``src/storyline/demo/corpus.jsonl``: English sentences, and
Russian sentences aligned with the English report of the same happening) and, when
``../shared/data/storylines/timeline17.jsonl`` exists, Timeline17 articles (tokenised text
restored with :func:`storyline.text_clean.detokenize`; ``--t17-limit`` source sentences, default
150). The evidence of a probe is the whole article its source sentence comes from, with its
publication day.

Faithful variants (must pass; a drop is a *false rejection*):

- ``reorder_said``: "X said Y." ↔ "Y, X said.";
- ``drop_clause``: a trailing subordinate clause (", which …", ", after …", " after talks …")
  removed;
- ``number_words``: a figure 1–99 written out ("28" → "twenty-eight");
- ``alias``: an actor named by another of its gazetteer aliases ("Vladimir Putin" → "Putin",
  "the Kremlin" → "Kremlin", "Belarus" → "Republic of Belarus"), kept only when the resolver
  still reads the same actor;
- ``translation``: the English sentence of the same happening aligned (mutual best multilingual
  cosine ≥ 0.6, and no figure, actor or day of the English sentence missing from the Russian
  one: a rendering that adds a fact is not faithful) with a
  Russian sentence; the evidence is the Russian article.

Corrupted variants (must be dropped; the share dropped is the *catch rate*):

- ``wrong_number``: a figure replaced by one the article never gives;
- ``number_elsewhere``: a figure replaced by one another sentence of the article gives;
- ``wrong_name``: an actor replaced by an actor of the same kind the article never names;
- ``wrong_date``: a weekday or month replaced by another;
- ``swapped_speaker``: the speaker of "X said" replaced by another actor of the article;
- ``negation_flip``: "not" added after the first auxiliary, removed, or "agreed" → "refused";
- ``invented_cause``: a cause appended ("…, because of the <noun> …", "in response to …");
- ``invented_evaluation``: an evaluative adjective added ("the landmark agreement");
- ``translation_corrupt``: a translation probe with a figure or actor changed or a negation
  added.

Protocol: the templates were written first; the thresholds of the check (``cross_min`` /
``cross_flag`` for translations, ``min_support``) were chosen looking at the demo half only;
Timeline17 is reported separately in ``by_source``. The last line of output is one JSON object:
``catch`` and ``false_rejection`` (class → rate), ``baseline`` (the same for the old check),
``probes`` (class → count), ``by_source`` (demo / timeline17, new and baseline), ``seconds``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.actors.gazetteer import Gazetteer  # noqa: E402
from storyline.actors.resolve import default_resolver  # noqa: E402
from storyline.brief.cite import Evidence, GroundingChecker  # noqa: E402
from storyline.brief.grounding import day_mentions, embed, parse_numbers  # noqa: E402
from storyline.text_clean import clean_article_text, detokenize  # noqa: E402
from storyline.text_units import split_sentences  # noqa: E402

#: Multilingual cosine at which an English and a Russian sentence count as the same statement.
ALIGN = 0.6
DEMO = ROOT / "src/storyline/demo/corpus.jsonl"
T17 = ROOT.parent / "shared/data/storylines/timeline17.jsonl"
FAITHFUL = ("reorder_said", "drop_clause", "number_words", "alias", "translation")
CORRUPT = ("wrong_number", "number_elsewhere", "wrong_name", "wrong_date", "swapped_speaker",
           "negation_flip", "invented_cause", "invented_evaluation", "translation_corrupt")

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen " \
        "fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = ("January February March April May June July August September October November "
          "December").split()
AUX = re.compile(r"\b(will|would|is|was|are|were|has|have|had|can|could|should|must)\b(?! not)")
SAID = re.compile(r"\b(said|says|told reporters|warned|announced|stressed|added)\b")
CAUSES = ("because of {x}", "due to {x}", "in response to {x}", "as a result of {x}",
          "which led to {x}", "prompting {x}")
EVALS = ("landmark", "historic", "unprecedented", "controversial", "dramatic", "sweeping")
OTHER_PERSONS = ["PERSON:putin", "PERSON:lukashenko", "PERSON:zelensky", "PERSON:macron",
                 "PERSON:scholz", "PERSON:biden", "PERSON:erdogan", "PERSON:xi"]
OTHER_COUNTRIES = ["Poland", "Lithuania", "Germany", "Kazakhstan", "France", "Japan", "Brazil",
                   "Canada", "Ukraine", "Russia", "Belarus", "China"]


def words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


# ------------------------------------------------------------------------------ sources
def demo_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DEMO.read_text("utf-8").splitlines() if line.strip()]


def article_text(row: dict[str, Any]) -> str:
    title = (row.get("title") or "").strip()
    body = clean_article_text(row.get("text") or "")
    return f"{title}\n{body}" if title else body


def t17_articles(limit_topics: int = 17, per_topic: int = 6) -> list[dict[str, Any]]:
    out = []
    with T17.open(encoding="utf-8") as fh:
        for line in list(fh)[:limit_topics]:
            topic = json.loads(line)
            arts = [a for a in topic["articles"] if a.get("text")]
            rng = random.Random(topic["topic"])
            for art in rng.sample(arts, min(per_topic, len(arts))):
                text = detokenize(art["text"])
                out.append({"id": f"{topic['topic']}:{art['id']}", "date": art["date"],
                            "lang": "en", "title": "", "text": text})
    return out


def usable(sentence: str) -> bool:
    n = len(sentence.split())
    return 8 <= n <= 45 and sentence[0].isupper() and sentence.rstrip()[-1:] in ".\"”" and \
        not re.search(r"https?:|@|\|", sentence)


# ------------------------------------------------------------------------------ variants
def _mentions(sentence: str, day: date | None) -> list[Any]:
    return default_resolver().resolve(sentence, day)


def faithful(sentence: str, day: date | None, gaz: Gazetteer) -> dict[str, str]:
    out: dict[str, str] = {}
    body = sentence.rstrip().rstrip(".")
    m = re.match(r"^(.{15,}?), ((?:[A-Z][\w.'-]*\s?){1,4}) (said|says)(?: that)?(.*)$", body)
    if m and not m.group(4).strip():
        out["reorder_said"] = f"{m.group(2)} {m.group(3)} {m.group(1)[0].lower()}{m.group(1)[1:]}."
        if re.match(r"[A-Z][a-z]+ [A-Z]", m.group(1)) or _mentions(m.group(1)[:30], day):
            out["reorder_said"] = f"{m.group(2)} {m.group(3)} {m.group(1)}."
    else:
        m = re.match(r"^((?:[A-Z][\w.'-]*\s?){1,4}) (said|says)(?: that)? (.{15,})$", body)
        if m and "," not in m.group(3):
            out["reorder_said"] = f"{m.group(3)[0].upper()}{m.group(3)[1:]}, {m.group(1)} " \
                                  f"{m.group(2)}."
    m = re.search(r"(,\s+(?:which|who|after|as|while|where|when|following)\b[^,;]{6,}"
                  r"|\s+after (?:talks|a meeting|meeting)[^,;]{4,})$", body)
    if m and len(body[:m.start()].split()) >= 6:
        out["drop_clause"] = body[:m.start()] + "."
    for _, start, end in parse_numbers(sentence):
        raw = sentence[start:end]
        if raw.isdigit() and 1 < int(raw) < 100 and not re.match(r"\d", sentence[end:end + 2]):
            out["number_words"] = sentence[:start] + words(int(raw)) + sentence[end:]
            break
    for mention in _mentions(sentence, day):
        if mention.kind not in ("person", "country", "government"):
            continue
        options = sorted({a.text for a in gaz.aliases if a.actor_id == mention.actor_id
                          and a.lang == "en" and a.kind in ("person", "name", "metonym")
                          and a.text.lower() != mention.text.lower().removeprefix("the ")
                          and a.text.lower() != mention.text.lower() and a.text.isascii()
                          and len(a.text) > 3}, key=len)
        for option in options:
            new = sentence[:mention.start] + option + sentence[mention.end:]
            if any(x.actor_id == mention.actor_id for x in _mentions(new, day)):
                out["alias"] = new
                break
        if "alias" in out:
            break
    return out


def corrupt(sentence: str, day: date | None, article: str, others: list[str],
            rng: random.Random) -> dict[str, str]:
    out: dict[str, str] = {}
    numbers = parse_numbers(sentence)
    in_article = {v for v, _, _ in parse_numbers(article)}
    year_like = [n for n in numbers if re.fullmatch(r"(19|20)\d\d", n[0])]
    plain = [n for n in numbers if n not in year_like] or numbers
    if plain:
        value, start, end = plain[0]
        raw = sentence[start:end]
        if re.fullmatch(r"\d+", raw):
            for bump in (3, 7, 11, 13, 17):
                new = str(int(raw) + bump)
                if new not in in_article:
                    out["wrong_number"] = sentence[:start] + new + sentence[end:]
                    break
        elsewhere = sorted({v for s in others for v, _, _ in parse_numbers(s)
                            if "." not in v} - {v for v, _, _ in numbers})
        if elsewhere and re.fullmatch(r"[\d,.]+", raw):
            out["number_elsewhere"] = sentence[:start] + rng.choice(elsewhere) + sentence[end:]
    mentions = _mentions(sentence, day)
    article_actors = {m.actor_id for m in _mentions(article, day)}
    gaz = Gazetteer.load()
    for mention in mentions:
        if mention.kind == "person":
            pool = [p for p in OTHER_PERSONS if p not in article_actors and gaz.get(p)]
            if pool:
                name = gaz.get(rng.choice(pool)).name  # type: ignore[union-attr]
                out["wrong_name"] = sentence[:mention.start] + name + sentence[mention.end:]
                break
        elif mention.kind == "country" and mention.text[0].isupper() and \
                mention.text.lower() == (gaz.get(mention.actor_id).name  # type: ignore[union-attr]
                                         if gaz.get(mention.actor_id) else "").lower():
            names = {(gaz.get(a).name if gaz.get(a) else "") for a in article_actors}
            pool = [c for c in OTHER_COUNTRIES if c not in names and c not in article]
            if pool:
                out["wrong_name"] = sentence[:mention.start] + rng.choice(pool) + \
                    sentence[mention.end:]
                break
    m = re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", sentence)
    if m:
        other = WEEKDAYS[(WEEKDAYS.index(m.group(1)) + rng.randint(2, 5)) % 7]
        out["wrong_date"] = sentence[:m.start()] + other + sentence[m.end():]
    else:
        m = re.search(r"\b(" + "|".join(MONTHS) + r")\b(?=\s+\d|\s*,?\s*\d{4}|)", sentence)
        dm = re.search(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b|\b(" + "|".join(MONTHS) +
                       r")\.? (\d{1,2})\b", sentence)
        if dm:
            month = dm.group(2) or dm.group(3)
            other = MONTHS[(MONTHS.index(month) + rng.randint(2, 9)) % 12]
            s, e = dm.span(2) if dm.group(2) else dm.span(3)
            out["wrong_date"] = sentence[:s] + other + sentence[e:]
    said = SAID.search(sentence)
    if said:
        before = [x for x in mentions if x.end <= said.start() and
                  len(sentence[x.end:said.start()].strip(" ,")) == 0]
        after = [x for x in mentions if said.end() <= x.start <= said.end() + 2]
        speaker = (before or after or [None])[-1 if before else 0]
        if speaker is not None:
            others_in_article = [x for x in _mentions(article, day)
                                 if x.kind == "person" and x.actor_id != speaker.actor_id]
            if speaker.kind == "person" and others_in_article:
                swap = others_in_article[0].text
            else:
                pool = [p for p in OTHER_PERSONS if p != speaker.actor_id and gaz.get(p)]
                swap = gaz.get(pool[0]).name  # type: ignore[union-attr]
            out["swapped_speaker"] = sentence[:speaker.start] + swap + sentence[speaker.end:]
    if re.search(r"\bnot\b", sentence):
        out["negation_flip"] = re.sub(r"\s+not\b", "", sentence, count=1)
    elif re.search(r"n't\b", sentence):
        out["negation_flip"] = re.sub(r"n't\b", "", sentence, count=1)
    elif re.search(r"\bnever\b", sentence):
        out["negation_flip"] = re.sub(r"\s+never\b", "", sentence, count=1)
    elif re.search(r"\b[Nn]o\b(?! one)", sentence):
        out["negation_flip"] = re.sub(r"\b([Nn])o\b(?! one)",
                                      lambda m: "A" if m.group(1) == "N" else "a",
                                      sentence, count=1)
    elif re.search(r"\bagreed\b", sentence):
        out["negation_flip"] = re.sub(r"\bagreed\b", "refused", sentence, count=1)
    elif AUX.search(sentence):
        m = AUX.search(sentence)
        out["negation_flip"] = sentence[:m.end()] + " not" + sentence[m.end():]  # type: ignore
    nouns = [w for w in re.findall(r"\b[a-z]{6,}s?\b", " ".join(others))
             if w not in sentence.lower()]
    if nouns:
        cause = rng.choice(CAUSES).format(x="the " + rng.choice(nouns))
        out["invented_cause"] = sentence.rstrip().rstrip(".") + ", " + cause + "."
    m = re.search(r"\bthe ([a-z]{4,})\b", sentence)
    if m:
        out["invented_evaluation"] = sentence[:m.start(1)] + rng.choice(EVALS) + " " + \
            sentence[m.start(1):]
    return out


# ------------------------------------------------------------------------------ probes
def probes_from(rows: list[dict[str, Any]], source: str, limit: int | None,
                rng: random.Random) -> tuple[list[dict[str, Any]], int]:
    gaz = Gazetteer.load()
    out, used = [], 0
    for row in rows:
        if row.get("lang", "en") != "en":
            continue
        text = article_text(row)
        day = date.fromisoformat(row["date"][:10])
        sentences = split_sentences(text)
        for k, sentence in enumerate(sentences):
            if limit is not None and used >= limit:
                return out, used
            if not usable(sentence):
                continue
            others = [s for j, s in enumerate(sentences) if abs(j - k) > 0]
            variants = {**faithful(sentence, day, gaz),
                        **corrupt(sentence, day, text, others, rng)}
            if not variants:
                continue
            used += 1
            for kind, probe in variants.items():
                if probe.strip() != sentence.strip():
                    out.append({"class": kind, "sentence": probe, "evidence": [text],
                                "published": day, "source": source, "origin": sentence})
    return out, used


def facts_within(english: str, russian: str, day: date) -> bool:
    """A faithful rendering states no figure, actor or day the original lacks."""
    if not {v for v, _, _ in parse_numbers(english)} <= {v for v, _, _ in parse_numbers(russian)}:
        return False
    ru_countries = {m.country or m.actor_id for m in _mentions(russian, day)}
    ru_actors = {m.actor_id for m in _mentions(russian, day)}
    for m in _mentions(english, day):
        if m.actor_id not in ru_actors and (m.kind == "person" or
                                             (m.country or m.actor_id) not in ru_countries):
            return False
    ru_days = day_mentions(russian, day)
    return all(any(d.matches(r) for r in ru_days) for d in day_mentions(english, day))


def translation_probes(rows: list[dict[str, Any]], rng: random.Random
                       ) -> tuple[list[dict[str, Any]], int]:
    """English sentences aligned with Russian ones of the same happening (mutual best cosine)."""
    by_happening: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_happening[row["happening"]].append(row)
    out, used = [], 0
    for group in by_happening.values():
        en = [(s, r) for r in group if r["lang"] == "en" for s in split_sentences(article_text(r))
              if usable(s)]
        for ru_row in (r for r in group if r["lang"] == "ru"):
            ru = [s for s in split_sentences(article_text(ru_row)) if len(s.split()) >= 6]
            if not en or not ru:
                continue
            ve, vr = embed([s for s, _ in en]), embed(ru)
            sim = vr @ ve.T
            for i in range(len(ru)):
                j = int(sim[i].argmax())
                if int(sim[:, j].argmax()) != i or sim[i, j] < ALIGN:
                    continue
                english = en[j][0]
                if not facts_within(english, ru[i], date.fromisoformat(ru_row["date"][:10])):
                    continue
                used += 1
                day = date.fromisoformat(ru_row["date"][:10])
                base = {"evidence": [article_text(ru_row)], "published": day, "source": "demo",
                        "origin": ru[i]}
                out.append({**base, "class": "translation", "sentence": english})
                bad = corrupt(english, day, article_text(ru_row), [], rng)
                for kind in ("wrong_number", "wrong_name", "negation_flip"):
                    if kind in bad:
                        out.append({**base, "class": "translation_corrupt",
                                    "sentence": bad[kind], "variant": kind})
    return out, used


# ------------------------------------------------------------------------------ checks
#: The commit before the claim-level check landed: its cite.py is the lexical baseline.
BASELINE_REF = "a9c9831db222dfacf6e5bd60b2b5c64c91ae396b"


def baseline_checker(ref: str = BASELINE_REF) -> Any:
    """The GroundingChecker of ``ref``, from ``git show`` into a temporary module."""
    code = subprocess.run(["git", "show", f"{ref}:src/storyline/brief/cite.py"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "cite_baseline.py"
    path.write_text(code, "utf-8")
    spec = importlib.util.spec_from_file_location("cite_baseline", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["cite_baseline"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def rates(results: list[tuple[str, bool]]) -> tuple[dict[str, float], dict[str, float]]:
    by: dict[str, list[bool]] = defaultdict(list)
    for kind, dropped in results:
        by[kind].append(dropped)
    catch = {k: round(sum(v) / len(v), 3) for k, v in by.items() if k in CORRUPT}
    false = {k: round(sum(v) / len(v), 3) for k, v in by.items() if k in FAITHFUL}
    return catch, false


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    parser.add_argument("--t17-limit", type=int, default=150)
    parser.add_argument("--skip-t17", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print N misjudged probes per class")
    parser.add_argument("--baseline-ref", default=BASELINE_REF,
                        help="git ref whose brief/cite.py is the baseline check")
    args = parser.parse_args()
    started = time.time()
    rng = random.Random(13)
    rows = demo_rows()
    probes, demo_used = probes_from(rows, "demo", None, rng)
    more, translated = translation_probes(rows, rng)
    probes += more
    t17_used = 0
    if T17.exists() and not args.skip_t17:
        t17, t17_used = probes_from(t17_articles(), "timeline17", args.t17_limit, rng)
        probes += t17
    old = baseline_checker(args.baseline_ref)
    new_checker, old_checker = GroundingChecker(), old.GroundingChecker()
    results: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    misses: dict[str, list[str]] = defaultdict(list)
    for probe in probes:
        kind = probe["class"]
        got = new_checker.check(probe["sentence"], Evidence(probe["evidence"],
                                                            published=probe["published"]))
        was = old_checker.check(probe["sentence"], old.Evidence(probe["evidence"]))
        for key in ("new", f"new:{probe['source']}"):
            results[key].append((kind, got.verdict == "drop"))
        for key in ("old", f"old:{probe['source']}"):
            results[key].append((kind, was.verdict == "drop"))
        wrong = (got.verdict == "drop") != (kind in CORRUPT)
        if wrong and len(misses[kind]) < args.show:
            misses[kind].append(f"  [{probe['source']}] {got.verdict} {got.reason!r}\n"
                                f"     probe:  {probe['sentence']}\n"
                                f"     origin: {probe['origin']}\n     unit:   {got.evidence}")
    catch, false = rates(results["new"])
    base_catch, base_false = rates(results["old"])
    counts: dict[str, int] = defaultdict(int)
    for probe in probes:
        counts[probe["class"]] += 1
    by_source = {}
    for source in ("demo", "timeline17"):
        if results[f"new:{source}"]:
            c, f = rates(results[f"new:{source}"])
            bc, bf = rates(results[f"old:{source}"])
            by_source[source] = {"catch": c, "false_rejection": f,
                                 "baseline": {"catch": bc, "false_rejection": bf},
                                 "probes": len(results[f"new:{source}"])}
    summary = {
        "catch": catch, "false_rejection": false,
        "baseline": {"catch": base_catch, "false_rejection": base_false},
        "probes": dict(counts), "probes_total": len(probes),
        "source_sentences": {"demo": demo_used, "demo_translation_pairs": translated,
                             "timeline17": t17_used},
        "by_source": by_source, "seconds": round(time.time() - started, 1),
    }
    if not args.json:
        print(f"{'class':22} {'probes':>6} {'new':>7} {'baseline':>9}")
        for kind in CORRUPT + FAITHFUL:
            if kind not in counts:
                continue
            label = "catch" if kind in CORRUPT else "false rej."
            new_rate = (catch if kind in CORRUPT else false).get(kind, 0)
            old_rate = (base_catch if kind in CORRUPT else base_false).get(kind, 0)
            print(f"{kind:22} {counts[kind]:6d} {new_rate:7.3f} {old_rate:9.3f}  {label}")
        for source, figures in by_source.items():
            print(f"\n{source}: catch {figures['catch']}\n  false rejection "
                  f"{figures['false_rejection']}")
        for kind, lines in misses.items():
            print(f"\n-- misjudged {kind}:")
            print("\n".join(lines))
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
