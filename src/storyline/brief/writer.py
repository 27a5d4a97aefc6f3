"""Brief bodies from store data, and the stage that writes a new version when events change.

``BriefWriter`` reads a storyline's events, links and articles from the store, has
:class:`~storyline.brief.sections.Drafter` pick the sentences, keeps each citation only where the
cited article alone supports the sentence (:mod:`storyline.brief.cite`), numbers the sources in
reading order and returns the body described by ``BriefVersion`` (the contract with the CLI and
the web UI). An optional LLM writer then rewrites sections under the same grounding check.

``BriefStage`` is the pipeline step: a storyline gets a new version only when its set of event
ids differs from the latest version's, so re-running it is idempotent and every version is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from storyline.mentioned_days import anchor_relative_days
from storyline.model import Article, BriefVersion, Storyline
from storyline.outlets import NEWS_AGENCIES, outlet_key, translations
from storyline.store import Store
from storyline.store.sqlite import is_tracked_id
from storyline.text_clean import clean_article_text, clean_title

from .cite import Evidence, GroundingChecker, GroundingReport
from .phrases import BRIEF_LANGS, notes
from .render import iter_sentences
from .sections import RELATED, BriefConfig, Draft, Drafter, DraftSentence, EventInput
from .state import build_state

#: progress(stage, done, total), as in ``storyline.pipeline``.
Progress = Callable[[str, int, int | None], None]


class RewriterError(Exception):
    """A section rewriter could not rewrite a brief (its message says why); the stage records
    it for that storyline and goes on with the next."""


class SectionRewriter(Protocol):
    """What the LLM writer offers the brief writer (see :mod:`storyline.brief.llm`)."""

    name: str

    def rewrite(self, body: dict[str, Any], article_text: Callable[[int], str | None]
                ) -> GroundingReport: ...


def iso(moment: datetime | None) -> str | None:
    """UTC ISO-8601 with a ``Z``, as everywhere in the body."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


#: Developments (and related coverage) a tracked storyline's brief shows; others show
#: ``BriefConfig.max_developments``.
TRACKED_DEVELOPMENTS = 12



def article_text(article: Article) -> str:
    """The text a citation of ``article`` vouches for: its title and body, as the brief reads
    them (page furniture dropped, tokenised text restored: :mod:`storyline.text_clean`)."""
    title = clean_title(article.title)
    text = clean_article_text(article.text)
    return f"{title}\n{text}" if title else text


def renumber(body: dict[str, Any]) -> None:
    """Renumber sources 1..n in order of first citation and drop sources nobody cites."""
    by_n = {s["n"]: s for s in body.get("sources", [])}
    mapping: dict[int, int] = {}
    for sentence in iter_sentences(body):
        for n in sentence["cites"]:
            if n in by_n and n not in mapping:
                mapping[n] = len(mapping) + 1
        sentence["cites"] = [mapping[n] for n in sentence["cites"] if n in mapping]
    body["sources"] = [{**by_n[old], "n": new} for old, new in
                       sorted(mapping.items(), key=lambda item: item[1])]


class BriefWriter:
    """Writes one brief body for a storyline from the store.

    Args:
        store: where storylines, events, links and articles are read.
        config: selection knobs of the extractive drafter.
        checker: grounding check (shared with the LLM writer).
        llm: optional section rewriter; its output passes the same check.
    """

    def __init__(self, store: Store, config: BriefConfig | None = None,
                 checker: GroundingChecker | None = None,
                 llm: SectionRewriter | None = None) -> None:
        self.store = store
        self.config = config or BriefConfig()
        self.checker = checker or GroundingChecker()
        self.drafter = Drafter(self.config)
        # an analyst's own storyline gathers events from many: its brief shows more of them
        self._tracked_drafter = Drafter(replace(self.config, max_developments=TRACKED_DEVELOPMENTS))
        self.llm = llm

    def inputs(self, storyline_id: str, previous: BriefVersion | None
               ) -> tuple[list[EventInput], dict[int, Article]]:
        """The storyline's events with link scores and articles, and every article by id."""
        links = {link["event_id"]: link for link in self.store.storyline_links(storyline_id)}
        before = set(previous.event_ids) if previous else None
        inputs, articles = [], {}
        for event in self.store.events(storyline_id=storyline_id):
            members = self.store.articles(event_id=event.id, originals_only=True)
            articles.update({int(a.id): a for a in members if a.id is not None})
            link = links.get(event.id, {})
            inputs.append(EventInput(
                event, members, score=float(link.get("score", 1.0)),
                reasons=dict(link.get("reasons") or {}),
                new=before is None or event.id not in before,
            ))
        return inputs, articles

    def write(self, storyline: Storyline, *, version: int = 1,
              previous: BriefVersion | None = None, now: datetime | None = None
              ) -> tuple[dict[str, Any], list[int]]:
        """The body of ``version`` and the event ids it covers."""
        inputs, articles = self.inputs(storyline.id, previous)
        records = {int(i.event.id): self.store.event_records(event_id=i.event.id)
                   for i in inputs if i.event.id is not None}
        drafter = self._tracked_drafter if is_tracked_id(storyline.id) else self.drafter
        state = build_state(inputs, records,
                            related=lambda item: drafter._relation(item) == RELATED)
        if is_tracked_id(storyline.id):  # named after the actors the analyst tracks
            state.focus = next((list(t.get("actors") or []) for t in
                                self.store.tracked_storylines() if t["id"] == storyline.id), [])
        draft = drafter.draft(storyline.title, storyline.label, inputs, state)
        texts = {aid: article_text(a) for aid, a in articles.items()}
        report = GroundingReport()
        body = self._body(storyline, draft, articles, texts, report)
        event_ids = sorted(int(i.event.id) for i in inputs if i.event.id is not None)
        if is_tracked_id(storyline.id):  # what its records show across its events
            from storyline.cluster.tracked import add_findings

            add_findings(self.store, body, storyline.id, event_ids, self.config.lang)
        new_ids = sorted(set(event_ids) - set(previous.event_ids)) if previous else []
        body.update({
            "storyline_id": storyline.id, "version": version, "lang": self.config.lang,
            "created": iso(now or datetime.now(UTC)),
            # the story's own actors: related coverage is not the story
            "key_actors": self._actors(sorted(d.event_id for d in state.significant),
                                       {outlet_key(a.source) for a in articles.values()
                                        if a.source}),
            "new_since": ({"previous_version": previous.version, "event_ids": new_ids}
                          if previous else None),
        })
        writer = "extractive"
        if self.llm is not None:
            report.merge(self.llm.rewrite(body, texts.get))
            renumber(body)
            if getattr(self.llm, "kept", 1):  # else every model sentence was rejected
                writer = self.llm.name
        body["grounding"] = {**report.as_dict(), "writer": writer}
        return body, event_ids

    # -- assembly --------------------------------------------------------------------------
    def _body(self, storyline: Storyline, draft: Draft, articles: dict[int, Article],
              texts: dict[int, str], report: GroundingReport) -> dict[str, Any]:
        numbers: dict[int, int] = {}

        def sentences(items: list[DraftSentence]) -> list[dict[str, Any]]:
            out = []
            for item in items:
                if item.note:
                    out.append({"text": item.text, "cites": [], "flag": None, "note": True})
                    continue
                if item.composed:  # built from the state's fields of these reports
                    cited = [a for a in dict.fromkeys(item.article_ids) if a in articles]
                else:
                    cited = self._grounded_cites(item, texts, articles, report)
                if not cited:
                    continue
                for aid in cited:
                    numbers.setdefault(aid, len(numbers) + 1)
                origin = articles[cited[0]].published
                text = item.text if item.composed else anchor_relative_days(
                    item.text, origin.date() if origin else None, self.config.lang)
                sentence = {"text": text, "cites": [numbers[a] for a in cited], "flag": None}
                if text != item.text:  # a relative day anchored: the verbatim quote stays
                    sentence["quote"] = item.text
                if item.composed:
                    sentence["composed"] = True
                if item.original:
                    sentence["original"] = item.original
                out.append(sentence)
            return out

        lead = sentences(draft.lead)
        main_sentences = sentences(draft.main_sentences)
        points = [{"label": p.label, "sentences": s} for p in draft.key_points
                  if (s := sentences(p.sentences))]
        developments = []
        for dev in draft.developments:
            dev_sentences = sentences(dev.sentences)
            if dev_sentences:
                developments.append({
                    "event_id": dev.event_id, "label": dev.label, "date": dev.date,
                    "relation": dev.relation, "relatedness": dev.relatedness,
                    "reasons": dev.reasons, "new": dev.new, "sentences": dev_sentences,
                })
        body: dict[str, Any] = {
            "title": draft.title or storyline.id,
            "label": draft.label,
            "headline": draft.headline or draft.title or storyline.id,
            "lead": lead,
            "main_event": {"event_id": draft.main_event_id, "subtitle": draft.subtitle,
                           "sentences": main_sentences, "key_points": points},
            "developments": developments,
            "significance": sentences(draft.significance),
            "outlook": sentences(draft.outlook),
            "summary": sentences(draft.summary),
        }
        if draft.state:
            body["state"] = draft.state
            if not developments:  # the section is there, and says why it is empty
                body["developments_note"] = notes(self.config.lang)["developments"]
        body["sources"] = [self._source(n, articles[aid]) for aid, n in numbers.items()]
        by_event: dict[int | None, list[Article]] = {}
        for article in articles.values():
            by_event.setdefault(article.event_id, []).append(article)
        translated = {aid: orig for group in by_event.values()
                      for aid, orig in translations(group).items()}
        for src in body["sources"]:
            if src["article_id"] in translated:  # the same outlet's report in another language
                src["translation_of"] = translated[src["article_id"]]
        return body

    def _grounded_cites(self, item: DraftSentence, texts: dict[int, str],
                        articles: dict[int, Article], report: GroundingReport) -> list[int]:
        """The articles that each, alone, support the sentence (the origin must be one); each
        read with its publication day, so "on Friday" is checked as the day it means."""
        checks = {aid: self.checker.check(item.text, Evidence(
                      [texts.get(aid, "")], published=[articles[aid].published]
                      if aid in articles else None))
                  for aid in item.article_ids}
        origin = checks[item.article_ids[0]]
        report.add(origin)
        if origin.verdict == "drop":
            return []
        return [aid for aid, check in checks.items() if check.verdict != "drop"]

    @staticmethod
    def _source(n: int, article: Article) -> dict[str, Any]:
        return {"n": n, "article_id": article.id, "title": article.title,
                "source": article.source, "published": iso(article.published),
                "url": article.url}

    def _actors(self, event_ids: list[int], outlets: set[str] = frozenset(), limit: int = 8
                ) -> list[dict[str, Any]]:
        """Most mentioned actors in the storyline's coded event records (empty when none). A
        name the gazetteer does not know is left out when it is a news agency or one of the
        story's ``outlets`` (``outlet_key``s: the reporter, "Reuters reported …") or does not
        read as a name (:func:`reads_as_name`)."""
        from storyline.actors.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
        counts: Counter[str] = Counter()
        written: dict[str, Counter[str]] = {}  # actor id -> how the reports wrote it
        for event_id in event_ids:
            for record in self.store.event_records(event_id=event_id):
                for actor, role in ((record.source_actor, "source"),
                                    (record.target_actor, "target")):
                    if actor:
                        counts[actor] += 1
                        text = str((record.meta or {}).get(f"{role}_text") or "").strip()
                        if text:
                            written.setdefault(actor, Counter())[text] += 1
        shown: dict[str, dict[str, Any]] = {}  # one entry per name ("Seine" coded twice)
        for actor, n in counts.most_common():
            name = actor_name(actor, self.config.lang, written.get(actor))
            if gazetteer.get(actor) is None and (outlet_key(name) in outlets | NEWS_AGENCIES
                                                 or not reads_as_name(name)):
                continue
            if name in shown:
                shown[name]["mentions"] += n
            else:
                shown[name] = {"id": actor, "name": name, "mentions": n}
        return sorted(shown.values(), key=lambda a: -a["mentions"])[:limit]


#: Words that make a capitalised phrase a role or an office, not somebody's name ("Global Head
#: of Private Wealth Management").
_ROLE_WORDS = frozenset(
    "head chief president minister secretary director manager officer chairman chairwoman "
    "spokesman spokeswoman spokesperson governor mayor ambassador commander general leader "
    "prime deputy vice senior global".split())
#: Lower-case particles inside personal names ("Pierre de Weck", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset("de da di du la le van von der den al bin ibn".split())


def reads_as_name(text: str) -> bool:
    """Whether a name the coder found but the gazetteer lacks reads as one: two words or more,
    each capitalised (particles aside), none a role ("Global Head") — not a capitalised common
    word opening a sentence ("Turnout", "Western")."""
    words = text.replace("-", " ").split()
    return (len(words) >= 2 and words[0][:1].isupper()
            and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)
            and not any(w.lower() in _ROLE_WORDS for w in words))


def actor_name(actor_id: str, lang: str = "en", written: Counter[str] | None = None) -> str:
    """Display name from the packaged gazetteer (in Russian for a Russian brief); for a name the
    coder found but the gazetteer does not know ("PERSON:calin_georgescu"), the way the reports
    most often wrote it (``written``), without a leading article; else the id itself."""
    from storyline.actors.gazetteer import Gazetteer, reader_name

    if lang == "ru":
        from .russian import actor_name as russian_name

        named = russian_name(actor_id)
        if named:
            return named[:1].upper() + named[1:]
    actor = Gazetteer.load().get(actor_id)
    if actor is not None:
        return reader_name(actor)
    if written:
        text = written.most_common(1)[0][0]
        return re.sub(r"^(?:the|The)\s+", "", text)
    return actor_id


class BriefLanguageError(ValueError):
    """A brief asked for in a language briefs are not written in."""


def compose_in(store: Store, storyline: Storyline, lang: str) -> dict[str, Any]:
    """The storyline's brief written now in ``lang`` (``ru``: Russian) from its current
    events, numbered as its latest stored version (whose "new" marks it keeps); not stored —
    stored versions are the store's history in one language. Raises
    :class:`BriefLanguageError` for a language briefs are not written in."""
    if lang not in BRIEF_LANGS:
        raise BriefLanguageError(f"briefs are written in {', '.join(BRIEF_LANGS)}; "
                                 f"not in {lang!r}")
    latest = store.brief_version(storyline.id)
    previous = (store.brief_version(storyline.id, latest.version - 1)
                if latest is not None and latest.version > 1 else None)
    writer = BriefWriter(store, BriefConfig(lang=lang))
    body, _ = writer.write(storyline, version=latest.version if latest else 1,
                           previous=previous)
    body["composed_on_request"] = True
    return body


class BriefStage:
    """Writes a new brief version for every storyline whose events changed since its latest one.

    Args:
        store: the store to read and write.
        writer: the brief writer (default: extractive, offline).
    """

    def __init__(self, store: Store, writer: BriefWriter | None = None) -> None:
        self.store = store
        self.writer = writer or BriefWriter(store)
        self.failures: dict[str, str] = {}  # storyline id -> why its rewrite failed (last run)

    def run(self, progress: Progress | None = None, *, storyline_ids: list[str] | None = None,
            now: datetime | None = None, force: bool = False) -> list[BriefVersion]:
        """New versions written by this run (none for storylines whose events are unchanged,
        unless ``force``). Storylines the rewriter failed on are in :attr:`failures`."""
        if storyline_ids is None:
            storylines = [s for s in self.store.storylines(min_events=1)
                          if s.lifecycle != "merged"]
        else:
            storylines = [s for s in map(self.store.storyline, storyline_ids) if s is not None]
        written: list[BriefVersion] = []
        self.failures = {}
        for done, storyline in enumerate(storylines, 1):
            try:
                brief = self.update(storyline, now=now, force=force)
            except RewriterError as exc:  # this storyline keeps its brief; the others go on
                self.failures[storyline.id] = str(exc)
                brief = None
            if brief is not None:
                written.append(brief)
            if progress:
                progress("briefs", done, len(storylines))
        return written

    def update(self, storyline: Storyline, now: datetime | None = None, *,
               force: bool = False) -> BriefVersion | None:
        """Write the next version of one storyline's brief if its events changed (or always,
        with ``force``: a rewrite of the same events, e.g. by the LLM writer)."""
        current = sorted(e.id for e in self.store.events(storyline_id=storyline.id)
                         if e.id is not None)
        if not current:
            return None
        latest = self.store.brief_version(storyline.id)
        if latest is not None and sorted(latest.event_ids) == current and not force:
            return None
        version = latest.version + 1 if latest else 1
        body, event_ids = self.writer.write(storyline, version=version, previous=latest, now=now)
        created = now or datetime.now(UTC)
        return self.store.add_brief_version(
            BriefVersion(storyline.id, version, created, body, event_ids)
        )
