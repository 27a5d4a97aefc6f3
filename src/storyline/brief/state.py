"""A storyline's dated state: its developments as data, which the brief is rendered from.

Each development is one event of the storyline with its day, whether it belongs to the story or
is only related coverage, the reports behind it in every language, the actors and the action the
event coder found in them (resolved ids, PLOVER type), and the later development that
supersedes it, if any. The brief writer reads it to

* lead with the newest significant development, with its date;
* keep Current Status and Outlook to what is still current (a statement made before a later
  development of the same actors is history, not status);
* compose what quoting cannot give — the storyline's title and short label, the summary of its
  arc, and a rendering in the brief's language of a development reported only in another
  language — from fields that each come from cited, dated reports.

It sits between events and briefs; the optional LLM composer reads the same state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storyline.model import Article, EventRecord
from storyline.outlets import outlet_key
from storyline.text_clean import clean_title

from . import phrases

DEVELOPMENT, RELATED = "development", "related"
#: Statements count as current from this many days before the newest development's latest
#: report (see :meth:`StorylineState.current_from`).
CURRENT_DAYS = 1


#: How a coded action reads in English: (with a target, without one).
VERBS: dict[str, tuple[str, str]] = {
    "AGREE": ("reached an agreement with", "reached an agreement"),
    "CONSULT": ("held talks with", "held talks"),
    "SUPPORT": ("expressed support for", "expressed support"),
    "CONCEDE": ("eased measures toward", "eased measures"),
    "COOPERATE": ("cooperated with", "took joint steps"),
    "AID": ("gave aid to", "gave aid"),
    "RETREAT": ("pulled back from", "pulled back"),
    "REQUEST": ("made demands of", "made demands"),
    "ACCUSE": ("accused", "made accusations"),
    "REJECT": ("rejected demands of", "rejected demands"),
    "THREATEN": ("threatened", "issued threats"),
    "INVESTIGATE": ("opened an investigation into", "opened an investigation"),
    "PROTEST": ("protested against", "protested"),
    "SANCTION": ("imposed restrictive measures on", "imposed restrictive measures"),
    "MOBILIZE": ("mobilised forces against", "mobilised forces"),
    "COERCE": ("took coercive measures against", "took coercive measures"),
    "ASSAULT": ("attacked", "carried out an attack"),
    "FIGHT": ("fought", "fought"),
    # not PLOVER types: talks the reports tell as a visit to a country, a concession they tell
    # as an apology (``_as_told``)
    "VISIT": ("visited", "made a visit"),
    "APOLOGY": ("apologised to", "apologised"),
}

#: How a coder trigger that tells a visit begins, in English, Russian, Ukrainian and
#: Belarusian (both spellings).
VISIT_TRIGGERS: tuple[str, ...] = ("visit", "визит", "візит", "візіт", "візыт")
#: ... and one that tells an apology ("Алиев извинился перед Путиным", "Алієв вибачився").
APOLOGY_TRIGGERS: tuple[str, ...] = ("apolog", "извин", "вибач", "прабач", "выбач")


@dataclass
class Development:
    """One event of the storyline, as the brief needs it."""

    event_id: int
    day: date | None
    relation: str
    score: float
    reports: list[Article]
    actors: list[str] = field(default_factory=list)  # resolved ids, most frequent first
    mentions: dict[str, int] = field(default_factory=dict)  # actor id -> coded records naming it
    action: tuple[str, str, str | None] | None = None  # (source, PLOVER type, target)
    action_support: int | None = None  # how many coded records found that action
    superseded_by: int | None = None
    label: str = ""  # the event's own label (its representative report's headline or lead)
    shown: bool = True  # whether the brief shows it (the writer clears it for those it leaves out)
    began: date | None = None  # its first report's day (``day`` may be moved to what is quoted)
    #: for an action on an official list: the states its coded sentences name as put on the
    #: list then (most often named first), and whether the list's data holds more entries of
    #: those days than they name
    listed: list[str] = field(default_factory=list)
    listed_more: bool = False

    def __post_init__(self) -> None:
        if self.began is None:
            self.began = self.day

    @property
    def significant(self) -> bool:
        return self.relation == DEVELOPMENT

    def languages(self) -> list[str]:
        """The languages it was reported in, most reports first."""
        counts = Counter(a.lang or "" for a in self.reports)
        return [lang for lang, _ in counts.most_common() if lang]

    def reports_in(self, lang: str) -> list[Article]:
        return [a for a in self.reports if a.lang == lang]

    def headline(self, lang: str) -> Article | None:
        """Its newest report with a headline in ``lang``."""
        own = [a for a in self.reports_in(lang) if clean_title(a.title)]
        return max(own, key=lambda a: (a.published.timestamp() if a.published else 0.0,
                                       a.id or 0), default=None)

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "date": self.day.isoformat() if self.day else None,
                "relation": self.relation, "languages": self.languages(),
                "actors": self.actors,
                "action": list(self.action) if self.action else None,
                "superseded_by": self.superseded_by,
                "article_ids": [a.id for a in self.reports]}


@dataclass
class StorylineState:
    """The storyline's developments in date order, and what follows from them. ``focus``: the
    actors an analyst defined a tracked storyline by (they name it, whatever the counts)."""

    developments: list[Development]
    focus: list[str] = field(default_factory=list)

    @property
    def significant(self) -> list[Development]:
        return [d for d in self.developments if d.significant] or list(self.developments)

    def newest(self, lang: str | None = None) -> Development | None:
        """The newest significant development the brief shows (related coverage never
        leads); of two on the newest day, one reported in ``lang`` (the brief's language) —
        a brief in English led by a Belarusian report's headline, quoted in Belarusian, while
        the BBC's report of that day's ceremony stood below."""
        dated = [d for d in self.significant if d.day is not None]
        dated = [d for d in dated if d.shown] or dated
        return max(dated, key=lambda d: (d.day, lang is not None and lang in d.languages(),
                                         d.event_id), default=None)

    def first_day(self) -> date | None:
        """The day the storyline's first development was first reported."""
        return min((d.began for d in self.significant if d.began), default=None)

    def outlets(self) -> list[str]:
        """The outlets that reported its developments, each once whatever the script of its
        name ("TASS" and "ТАСС" are one outlet: :func:`storyline.outlets.outlet_key`)."""
        seen: dict[str, str] = {}
        for d in self.significant:
            for a in d.reports:
                if a.source:
                    seen.setdefault(outlet_key(a.source) or a.source, a.source)
        return list(seen.values())

    def current_from(self) -> date | None:
        """The day from which statements count as current: the day before the newest
        development's latest report (not before the development itself). A preview written
        before the happening ("the council is to review ...") is history once the happening
        is reported."""
        newest = self.newest()
        if newest is None:
            return None
        latest = max((a.published.date() for a in newest.reports if a.published), default=None)
        if latest is None or newest.day is None:
            return newest.day
        return max(newest.day, latest - timedelta(days=CURRENT_DAYS))

    def actor_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for d in self.significant:
            counts.update(d.actors)
        return counts

    def as_dict(self) -> dict[str, Any]:
        newest = self.newest()
        return {"developments": [d.as_dict() for d in self.developments],
                "newest_event_id": newest.event_id if newest else None,
                "first_date": self.first_day().isoformat() if self.first_day() else None}


def build_state(items: Iterable[Any], records: dict[int, list[EventRecord]],
                related: Any) -> StorylineState:
    """The state of a storyline from the writer's event inputs (``EventInput``), each event's
    coded records, and ``related(item) -> bool`` (whether an event is only related coverage)."""
    developments = []
    for item in items:
        event_id = int(item.event.id or 0)
        coded = records.get(event_id, [])
        actors = Counter(a for r in coded for a in (r.source_actor, r.target_actor) if a)
        actions = Counter((r.source_actor, r.event_type, r.target_actor) for r in coded
                          if r.source_actor and r.event_type in VERBS and tells_counterpart(r))
        action = actions.most_common(1)[0][0] if actions else None
        first = item.event.first_seen
        listed, listed_more = _listed(action, coded)
        developments.append(Development(
            event_id=event_id, day=first.date() if first else None,
            relation=RELATED if related(item) else DEVELOPMENT, score=float(item.score),
            reports=list(item.articles),
            actors=[a for a, _ in actors.most_common()],
            mentions=dict(actors),
            action=_as_told(action, coded) if action else None,
            action_support=actions[action] if action else None,
            label=item.event.label or "",
            listed=listed, listed_more=listed_more,
        ))
    developments.sort(key=lambda d: (d.day or date.min, d.event_id))
    _mark_superseded(developments)
    return StorylineState(developments)


def _listed(action: tuple[str, str, str | None] | None, coded: list[EventRecord]
            ) -> tuple[list[str], bool]:
    """The states that the records of an action on an official list name as put on it
    (``meta["named"]``, :mod:`storyline.events.official_lists`), the most often named first,
    and whether the list took more entries in those days than they name."""
    if action is None or not (action[2] or "").startswith("LIST:"):
        return [], False
    found = [r.meta or {} for r in coded
             if (r.source_actor, r.event_type, r.target_actor) == action]
    counts = Counter(a for meta in found for a in dict.fromkeys(meta.get("named") or ()))
    listed = [a for a, _ in counts.most_common()]  # ties in the order first named
    added = max((int(meta.get("added") or 0) for meta in found), default=0)
    return listed, added > len(listed)


def _told_by(action: tuple[str, str, str | None], coded: list[EventRecord],
             triggers: tuple[str, ...]) -> bool:
    """Whether at least half the records that found ``action`` were triggered by a word
    starting with one of ``triggers``."""
    found = [r for r in coded if (r.source_actor, r.event_type, r.target_actor) == action]
    told = sum(str((r.meta or {}).get("trigger", "")).lower().startswith(triggers)
               for r in found)
    return bool(found) and 2 * told >= len(found)


def _as_told(action: tuple[str, str, str | None], coded: list[EventRecord]
             ) -> tuple[str, str, str | None]:
    """``action`` as its reports tell it: a concession that at least half its records found in
    an apology is an apology (kind ``APOLOGY``): "Ilham Aliyev eased measures toward Vladimir
    Putin" was the brief's English for «Алиев извинился перед Путиным»; talks told as a visit
    are a visit (:func:`_as_visit`)."""
    if action[1] == "CONCEDE" and action[2] and _told_by(action, coded, APOLOGY_TRIGGERS):
        return (action[0], "APOLOGY", action[2])
    return _as_visit(action, coded)


def _as_visit(action: tuple[str, str, str | None], coded: list[EventRecord]
              ) -> tuple[str, str, str | None]:
    """``action`` told as a visit (kind ``VISIT``) when it is talks with a country or its
    government and at least half the records that found it were triggered by a visit
    ("Лукашенко вирушив із робочим візитом до Росії", "Medvedev visited Baku"): "held talks
    with Russia" on the day a leader set off for a meeting two days later says what had not
    happened yet. A person as the target keeps it talks: "Путин принял Лукашенко, прибывшего с
    визитом" is coded with Putin as its source."""
    source, kind, target = action
    if kind != "CONSULT" or not target or target.startswith("PERSON:"):
        return action
    from storyline.actors.gazetteer import Gazetteer

    actor = Gazetteer.load().get(target)
    if actor is None or actor.kind not in ("country", "government"):
        return action
    return (source, "VISIT", target) if _told_by(action, coded, VISIT_TRIGGERS) else action


def tells_counterpart(record: EventRecord) -> bool:
    """Whether a coded record's target may be told as the counterpart of its action. A target
    found as a place — a region or a city standing for its country — is where a strike or a
    seizure happened ("struck Kharkiv": Ukraine), but not whom an agreement or talks were
    with: "подписал с руководством Крыма договор" is not an agreement with Ukraine."""
    meta = record.meta or {}
    return not meta.get("target_place") or meta.get("family") == "material_conflict"


def _mark_superseded(developments: Sequence[Development]) -> None:
    """A development is superseded by the next later significant one in which the same actor
    acts again (a step announced, then taken; a list, then its additions): what was said at the
    first is history once the second is reported."""
    for n, dev in enumerate(developments):
        if dev.day is None or dev.action is None:
            continue
        for later in developments[n + 1:]:
            if (later.significant and later.day and later.day > dev.day
                    and later.action is not None and later.action[0] == dev.action[0]):
                dev.superseded_by = later.event_id
                break


def render_action(dev: Development, name: Any, lang: str = "en", *,
                  dated: bool = True, attributed: bool = True) -> str | None:
    """A development told in the brief's language from its coded action, date and reports:
    "The government of Belarus put states on its list of … (8 April 2022), according to
    Ukrainian-language reporting by Європейська правда." ``name(actor_id) -> str`` (English;
    a Russian brief names actors in Russian, :func:`phrases.action_ru`). None when the coder
    found no action and nothing else can be said, or for a language briefs are not written
    in."""
    if lang == "ru":
        return phrases.action_ru(dev, dated=dated, attributed=attributed)
    if lang != "en":
        return None
    if not usable_action(dev):
        return _reported(dev) if attributed else None
    source, kind, target = dev.action
    subject = name(source)
    if not subject:  # an actor the gazetteer does not know is not named by its id
        return _reported(dev) if attributed else None
    if target and target.startswith("LIST:"):  # an official list: who was put on it
        what = f"put {listed_names(dev) or 'states'} on {_list_title(target)}"
    else:
        with_target, alone = VERBS[kind]
        if kind == "VISIT":  # a visit is to the country, not to its government
            from storyline.actors.gazetteer import with_article

            other = with_article(short_name(target))
        else:
            other = name(target) if target else ""
        what = f"{with_target} {other}" if other else alone
    said = ""
    langs, by = _foreign_reporting(dev)
    if attributed and langs:
        said = f", according to {phrases.languages_adjective(langs)} reporting{by}"
    when = f" ({phrases.day(dev.day)})" if dated and dev.day else ""
    return f"{subject[:1].upper()}{subject[1:]} {what}{when}{said}."


#: The most states a rendering of additions to an official list names.
LISTED_SHOWN = 4


def listed_names(dev: Development, *, articles: bool = True, limit: int = LISTED_SHOWN) -> str:
    """The states a development put on an official list, as a sentence names them: "Bermuda,
    the Cayman Islands, the Falkland Islands, Montserrat and others" (at most ``limit``;
    "and others" when its reports or the list's data have more); '' when its reports name
    none. ``articles=False`` for a label ("Guernsey and Isle of Man")."""
    from storyline.actors.gazetteer import with_article

    names = [with_article(n) if articles else n for a in dev.listed if (n := short_name(a))]
    return phrases.series_of_some(names, limit, dev.listed_more)


#: Coded sentences that must agree on a development's action before a brief tells it.
MIN_ACTION_SUPPORT = 2


def usable_action(dev: Development) -> bool:
    """Whether the coded action can tell the development: there is one, found in at least
    :data:`MIN_ACTION_SUPPORT` coded sentences (one sentence's coding is too often wrong to be
    told as what happened), it has a target ("Kishida reached an agreement" says nothing of
    what happened), and its two sides are not one country ("Peskov held talks with Russia"
    says nothing either)."""
    if dev.action is None:
        return False
    if dev.action_support is not None and dev.action_support < MIN_ACTION_SUPPORT:
        return False
    source, _, target = dev.action
    return bool(target) and short_name(source, as_country=True) != short_name(
        target, as_country=True)


def _reported(dev: Development) -> str | None:
    """What can be said of a development without a usable coded action: who reported it, in
    which language and when (its quotes stay in the body as the originals)."""
    langs, by = _foreign_reporting(dev)
    if not langs:
        return None
    when = f" of {phrases.day(dev.day)}" if dev.day else ""
    return f"{phrases.language_reports(langs)}{by}{when} cover this development (original quoted)."


def _foreign_reporting(dev: Development) -> tuple[list[str], str]:
    """The languages other than English a development was reported in (most reports first)
    and " by" its outlets in them — the first of each language's, in that order, then the
    rest, three at most: "by Суспільне, Meduza and Белсат"."""
    langs = [code for code in dev.languages() if code != "en"]
    shown = phrases.outlets_by_language(dev.reports, langs)
    return langs, f" by {phrases.series(shown, 'and')}" if shown else ""


def _list_title(list_id: str) -> str:
    """An official list as a sentence names it: "its list of foreign states committing
    unfriendly actions (Council of Ministers, 2022)"."""
    from storyline.actors.gazetteer import Gazetteer

    actor = Gazetteer.load().get(list_id)
    if actor is None:
        return "an official list"
    return f"its list of {actor.name.split(': ', 1)[-1]}"


#: What a coded action is called in a label ("Restrictive measures by Belarus").
LABEL_NOUNS: dict[str, str] = {
    "AGREE": "Agreement", "CONSULT": "Talks", "SUPPORT": "Support", "CONCEDE": "Easing",
    "COOPERATE": "Joint steps", "AID": "Aid", "RETREAT": "Pull-back", "REQUEST": "Demands",
    "ACCUSE": "Accusations", "REJECT": "Rejection", "THREATEN": "Threats",
    "INVESTIGATE": "Investigation", "PROTEST": "Protest", "SANCTION": "Restrictive measures",
    "MOBILIZE": "Mobilisation", "COERCE": "Coercive measures", "ASSAULT": "Attack",
    "FIGHT": "Fighting", "VISIT": "Visit", "APOLOGY": "Apology",
}

#: Official country names that readers know by a shorter one.
_SHORT = {"Russian Federation": "Russia", "Syrian Arab Republic": "Syria", "Viet Nam": "Vietnam",
          "Türkiye": "Turkey", "United Kingdom of Great Britain and Northern Ireland": "Britain",
          "United States of America": "United States", "Czechia": "Czech Republic"}


def short_name(actor_id: str | None, *, as_country: bool = False, lang: str = "en") -> str:
    """A reader's name for an actor: a government or a country by the country's short name,
    anyone else by the gazetteer's name (``as_country``: people and companies by their
    country's too); '' for lists and unknown ids. ``lang="ru"``: the Russian name
    (:func:`storyline.brief.russian.actor_name`)."""
    if not actor_id or actor_id.startswith("LIST:"):
        return ""
    from storyline.actors.gazetteer import Gazetteer, reader_name

    gazetteer = Gazetteer.load()
    actor = gazetteer.get(actor_id)
    if actor is None:
        return ""
    if actor.kind in ("country", "government") or (
            as_country and actor.kind in ("person", "company") and gazetteer.country_of(actor_id)):
        country_id = gazetteer.country_of(actor_id) or actor_id
        if lang == "ru":
            return phrases.russian.actor_name(country_id)
        country = gazetteer.get(country_id)
        name = country.name if country else actor.name
        name = _SHORT.get(name, name)
        return name.split(",")[0].strip()
    return phrases.russian.actor_name(actor_id) if lang == "ru" else reader_name(actor)


def name_for(actor_id: str | None) -> str:
    """An actor as a sentence names it: "the government of Belarus", "Vladimir Putin"."""
    if not actor_id:
        return ""
    from storyline.actors.gazetteer import Gazetteer, with_article

    if actor_id.endswith(".GOV"):
        return f"the government of {with_article(short_name(actor_id))}"
    if actor_id.startswith("LIST:"):
        return f"the states on {_list_title(actor_id).replace('its ', 'the ', 1)}"
    actor = Gazetteer.load().get(actor_id)
    if actor is not None and actor.kind == "country":  # "on the Czech Republic"
        return with_article(short_name(actor_id))
    return short_name(actor_id)  # '' for an id the gazetteer does not know


def country_words(heads: Sequence[str], countries: Sequence[str], lang: str = "en") -> set[str]:
    """The words by which ``heads`` (headlines) name one of ``countries`` (names as
    :func:`story_countries` gives them) as a state: its name and its demonym ("Russian school"
    names Russia), as the gazetteer resolves them. A title's topic does not repeat them: the
    twelfth set's Beslan storyline was titled "Russia: Russian School"."""
    from storyline.actors.gazetteer import Gazetteer
    from storyline.actors.resolve import resolve

    gazetteer = Gazetteer.load()
    wanted = set(countries)
    return {word for head in heads for m in resolve(head, None, lang)
            if (known := gazetteer.get(m.actor_id)) is not None and known.kind == "country"
            and short_name(m.actor_id, as_country=True, lang=lang) in wanted
            for word in m.text.split()}


def story_countries(state: StorylineState, limit: int = 2, lang: str = "en") -> list[str]:
    """The storyline's main actors at country level ("Russia", "Belarus"; blocs and people
    without a country by their own name), most weighed first; those weighing at least a third
    as much as the first. An actor weighs one for each development whose coded records name it
    — a company for its country only half (TikTok's owner does not make Romania's election
    China's story) — and one more for each development whose headlines name it as a state
    (what the story is about, where the coder found no act of it). Named in ``lang`` (English
    or Russian)."""
    if state.focus:  # a tracked storyline is about the actors it was defined by
        named = list(dict.fromkeys(n for a in state.focus
                                   if (n := short_name(a, as_country=True, lang=lang))))
        if named:
            return named[:limit]
    from storyline.actors.gazetteer import Gazetteer
    from storyline.actors.resolve import resolve

    gazetteer = Gazetteer.load()
    counts: Counter[str] = Counter()
    for actor, n in state.actor_counts().items():
        name = short_name(actor, as_country=True, lang=lang)
        known = gazetteer.get(actor)
        if name:
            counts[name] += n * (0.5 if known is not None and known.kind == "company" else 1.0)
    for dev in state.significant:
        states = {m.actor_id for a in dev.reports if clean_title(a.title)
                  for m in resolve(clean_title(a.title), a.published, a.lang)
                  if (known := gazetteer.get(m.actor_id)) is not None
                  and known.kind in ("country", "government")}
        for name in {short_name(actor, lang=lang) for actor in states} - {""}:
            counts[name] += 1
    ranked = counts.most_common()
    if not ranked:
        return []
    top = ranked[0][1]
    return [name for name, n in ranked[:limit] if n * 3 >= top]


def top_actor_names(state: StorylineState, lang: str = "en", limit: int = 3) -> list[str]:
    """The storyline's most coded actors, each once, as the brief's language names them
    ("Владимир Путин", "Россия", "Евросоюз"): the clusterer's kind of label. Actors in as many
    developments go by how many coded records name them (Belarus's government, in four records
    of one development, before a country named once)."""
    counts = state.actor_counts()
    mentions: Counter[str] = Counter()
    for d in state.significant:
        mentions.update(d.mentions)
    ranked = sorted(counts, key=lambda a: (-counts[a], -mentions[a], a))
    names = (short_name(actor, lang=lang) for actor in ranked)
    if lang == "ru":  # a name the gazetteer has only in Latin script is left out
        names = (n for n in names if phrases.russian.is_cyrillic_name(n))
    return list(dict.fromkeys(n for n in names if n))[:limit]


def action_label(dev: Development, lang: str = "en") -> str:
    """A label from the coded action: "Restrictive measures by Belarus"; '' when none."""
    if dev.action is None or not usable_action(dev):
        return ""
    source, kind, target = dev.action
    if lang == "ru":
        return phrases.action_label_ru(kind, short_name(source, lang="ru"),
                                       bool(target and target.startswith("LIST:")), source)
    who = short_name(source)
    if target and target.startswith("LIST:") and who:  # "States added to Russia's list"
        listed = listed_names(dev, articles=False, limit=2)
        return f"{listed or 'States'} added to {who}'s official list"
    from storyline.actors.gazetteer import with_article

    return f"{LABEL_NOUNS[kind]} by {with_article(who)}" if who else LABEL_NOUNS[kind]


def foreign_label(dev: Development, lang: str = "en") -> str:
    """A label for a development none of whose quoted sentences is in the brief's language
    ``lang``: what its headlines name (:func:`topic_label`), else which languages it was
    reported in ("Ukrainian- and Russian-language reports"); '' when it has no report in
    another language."""
    foreign = [code for code in dev.languages() if code != lang]
    if not foreign:
        return ""
    return topic_label(dev, lang) or phrases.language_reports(foreign, lang)


#: Lexicon concepts named by an English adjective: one of them next to another concept reads
#: as one phrase ("nuclear weapons"); other neighbours are a list ("expulsion, diplomats").
_ADJECTIVE_CONCEPTS = frozenset({"nuclear", "military", "humanitarian", "unfriendly"})
#: Lexicon concepts named by an English verb: in a list of nouns they read as noise ("Vladimir
#: Putin: sign, law"), so a label leaves them out.
_VERB_CONCEPTS = frozenset({"sign", "approve"})
#: Most parts a label lists ("Vladimir Putin: law, treaty", not "…: law, treaty, ban, nuclear").
LABEL_PARTS = 2


def topic_label(dev: Development, lang: str = "en") -> str:
    """A label for a development reported only in other languages, from the domain words its
    headlines name — the search lexicon's concepts (:func:`storyline.store.query.lexicon`),
    named in English — after the actor that headline names first: "Russia: drills,
    nuclear weapons" for «Росія розпочала перший етап навчань із тактичною ядерною зброєю».
    Words next to each other stay together ("nuclear weapons"); verbs ("signed") are left
    out, and at most :data:`LABEL_PARTS` parts are listed, in the headline's order ("Vladimir
    Putin: law, treaty" for «Путин подписал закон об отзыве ратификации договора о запрещении
    ядерных испытаний»). The headline naming the most concepts gives them (the earliest of
    equals). With no such word, the two actors the
    first headline names first ("CSTO and Kazakhstan" for
    «Миротворцы ОДКБ начали покидать Казахстан»). '' when there is neither, when a headline
    names one domain word and no actor, or for a brief not in English (the concepts are named
    in English only)."""
    if lang != "en":
        return ""
    from storyline.actors.resolve import resolve
    from storyline.store.query import WORD_RE, lexicon

    lex = lexicon()
    headlines = [clean_title(a.title) for a in sorted(
        dev.reports, key=lambda a: (a.published.timestamp() if a.published else 0.0, a.id or 0))
        if a.lang != lang and a.title]
    best: list[tuple[int, str]] = []
    headline = ""
    for title in headlines:
        words = WORD_RE.findall(title)
        found: list[tuple[int, str]] = []
        i = 0
        while i < len(words):
            hit = lex.lookup(words, i)
            if (hit is not None and hit[1] not in _VERB_CONCEPTS
                    and all(hit[1] != c for _, c in found)):
                found.append((i, hit[1]))
            i += hit[0] if hit is not None else 1
        if len(found) > len(best):
            best, headline = found, title
    if not best:  # no domain word: who the first headline names, when it names two
        first = headlines[0] if headlines else ""
        names = list(dict.fromkeys(short_name(m.actor_id) for m in resolve(first, dev.day)))
        names = [n for n in names if n]
        return f"{names[0]} and {names[1]}" if len(names) >= 2 else ""
    mentions = resolve(headline, dev.day)
    if len(best) < (1 if mentions else 2):  # "Russia: sanctions"; a lone word says too little
        return ""
    parts = [best[0][1]]
    for (i, before), (j, concept) in zip(best, best[1:], strict=False):
        together = j == i + 1 and before in _ADJECTIVE_CONCEPTS  # not "expulsion diplomats"
        parts[-1:] = [f"{parts[-1]} {concept}"] if together else [parts[-1], concept]
    who = short_name(mentions[0].actor_id) if mentions else ""  # who the headline names first
    topic = ", ".join(parts[:LABEL_PARTS])
    return f"{who[:1].upper()}{who[1:]}: {topic}" if who else topic[:1].upper() + topic[1:]
