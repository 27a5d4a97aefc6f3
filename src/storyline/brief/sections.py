"""Extractive brief drafting: pick, order and label source sentences for each brief section.

Input is plain data — a storyline's events (with their link scores) and each event's articles —
and output is a :class:`Draft`: every sentence is a source sentence carrying the ids of the
articles that contain it, so citations are exact by construction. Nothing is paraphrased;
labels are lifted from the sources (:mod:`storyline.brief.labels`: a development's own
headline, or a key phrase of the sentences a key point holds), and with the storyline's dated
state (:mod:`storyline.brief.state`) the title, headline and "In summary" are composed from
cited, dated fields.

How sentences are chosen (MMR, Carbonell & Goldstein 1998): each candidate's relevance is its
TF-IDF similarity to the centroid of its event (centrality) plus a lead-position prior, a bonus
for events new since the previous version (novelty) and for an outlet not yet quoted in the
section (source diversity); a candidate too similar to anything already chosen anywhere in the
brief is skipped (redundancy). :mod:`storyline.brief.classify` decides which sentences are
assessments (→ Significance) and outlook (→ Current Status and Future Outlook); the others are
the facts that fill the lead, the main event, its key points and the developments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from storyline.actors.gazetteer import is_cyrillic
from storyline.cluster.storylines import LinkConfig
from storyline.mentioned_days import anchor_relative_days
from storyline.model import Article, Event
from storyline.text_clean import clean_article_text, clean_title, detokenize, is_furniture
from storyline.text_units import split_sentences

from . import phrases
from .classify import ASSESSMENT, FACT, OUTLOOK, SentenceClassifier
from .labels import (
    CYRILLIC_LANGS,
    good_label,
    headline_label,
    is_foreign,
    key_phrase,
    shared_topic,
    states_something,
)
from .language import InBriefLanguage
from .pool import (
    SentencePool,
    article_units,
    dangles,
    dated_forward,
    overtaken,
    points_back,
    shown_day,
    ts,
)
from .related import (
    actors_named,
    in_other_name,
    is_calendar_word,
    named_in,
    reader_name,
    said,
    title_terms_named,
)
from .state import (
    Development,
    StorylineState,
    action_label,
    country_words,
    foreign_label,
    name_for,
    render_action,
    short_name,
    story_countries,
    top_actor_names,
    usable_action,
)

DEVELOPMENT, RELATED = "development", "related"
#: How many developments between the first and the newest "In summary" names.
ARC_BETWEEN = 3

@dataclass
class BriefConfig:
    """Knobs of the extractive writer (defaults suit 1–30 short reports per event)."""

    lang: str = "en"  # preferred language of quoted sentences
    # link score below which an event is only related coverage: the linker's own line
    related_threshold: float = LinkConfig.threshold
    lead_sentences: int = 2
    main_sentences: int = 2
    key_point_sentences: int = 6
    max_key_points: int = 4
    max_developments: int = 6
    development_sentences: int = 2
    significance_sentences: int = 3
    outlook_sentences: int = 3
    summary_sentences: int = 1
    outlook_days: float = 90.0  # outlook only from reports this close to the newest one
    min_words: int = 6
    max_words: int = 70
    mmr_lambda: float = 0.7
    max_similarity: float = 0.6  # redundancy: skip a candidate this similar to a chosen one
    corroboration: float = 0.75  # cite another article too when it has a sentence this similar
    max_cites: int = 3


@dataclass
class EventInput:
    """One event of the storyline, as the drafter needs it."""

    event: Event
    articles: list[Article]
    score: float = 1.0
    reasons: dict[str, Any] = field(default_factory=dict)
    new: bool = True

    @property
    def relation(self) -> str:
        """``related`` for weakly linked coverage, else ``development``."""
        return RELATED if self.reasons.get("relation") == RELATED else DEVELOPMENT


@dataclass
class DraftSentence:
    """A source sentence and the articles that support it (the first one is where it is from).

    ``composed`` sentences are not quotes: the writer built them from the storyline's state
    (dates, counts, coded actions of the cited reports), so the lexical grounding check does not
    apply; ``original`` keeps the quoted sentence a rendering stands for. A ``note`` says that
    the sources hold nothing for a section; it cites nothing because it claims nothing."""

    text: str
    article_ids: list[int]
    event_id: int | None = None
    label: str = FACT
    composed: bool = False
    original: str | None = None
    note: bool = False


@dataclass
class DraftPoint:
    label: str
    sentences: list[DraftSentence]


@dataclass
class DraftDevelopment:
    event_id: int
    label: str
    date: str | None
    relation: str
    relatedness: float
    reasons: dict[str, Any]
    new: bool
    sentences: list[DraftSentence]


@dataclass
class Draft:
    """A brief before citation numbering and grounding (see ``BriefVersion`` for the body)."""

    title: str
    label: str
    headline: str
    lead: list[DraftSentence]
    main_event_id: int | None
    subtitle: str
    main_sentences: list[DraftSentence]
    key_points: list[DraftPoint]
    developments: list[DraftDevelopment]
    significance: list[DraftSentence]
    outlook: list[DraftSentence]
    summary: list[DraftSentence]
    state: dict[str, Any] = field(default_factory=dict)


def _sentence_end(text: str) -> str:
    """A headline or sentence closed by a full stop unless it ends on its own mark."""
    bare = text.rstrip("»”\"'’")
    return text if bare[-1:] in (".", "!", "?", "…") else text + "."


def _lead_sentence(dev: Development, lang: str, limit: int = 220) -> str | None:
    """The first clean sentence (furniture and tokenisation removed) of the development's
    newest report in ``lang`` that has one, for a development whose reports carry no
    headline; None when there is none."""
    own = sorted(dev.reports_in(lang), key=lambda a: (ts(a.published), a.id or 0),
                 reverse=True)
    for report in own:
        for sentence in split_sentences(clean_article_text(report.text))[:3]:
            sentence = detokenize(sentence.strip())
            if (20 <= len(sentence) <= limit and not is_furniture(sentence)
                    and not is_foreign(sentence, lang) and states_something(sentence, lang)):
                day = report.published.date() if report.published else None
                return anchor_relative_days(sentence.rstrip("."), day, lang)
    return None


class Drafter:
    """Builds a :class:`Draft` for one storyline from its events and articles."""

    def __init__(self, config: BriefConfig | None = None,
                 classifier: SentenceClassifier | None = None) -> None:
        self.config = config or BriefConfig()
        self.classifier = classifier or SentenceClassifier()

    # -- helpers ---------------------------------------------------------------------------
    def _relation(self, item: EventInput) -> str:
        if item.relation == RELATED or item.score < self.config.related_threshold:
            return RELATED
        return DEVELOPMENT

    def _preferred(self, pool: SentencePool, indices: list[int]) -> list[int]:
        """Sentences in the brief language when there are any, else all of them."""
        own = [i for i in indices if pool.units[i].lang in (self.config.lang, "")]
        return own or indices

    def _relevance(self, pool: SentencePool, indices: list[int], center: np.ndarray,
                   new_events: set[int]) -> dict[int, float]:
        """Centrality + lead position + novelty, less a penalty for an opening pronoun (its
        antecedent stays behind in the article, so the sentence reads badly on its own)."""
        rel = {}
        for i in indices:
            unit = pool.units[i]
            rel[i] = (float(pool.vectors[i] @ center) + 0.15 / (1 + unit.position)
                      + (0.1 if unit.event_id in new_events else 0.0)
                      - (0.2 if dangles(unit.text) else 0.0))
        return rel

    def _sentences(self, pool: SentencePool, chosen: list[int]) -> list[DraftSentence]:
        c = self.config
        return [DraftSentence(pool.units[i].text,
                              pool.supporters(i, c.max_cites, c.corroboration),
                              pool.units[i].event_id, pool.units[i].label) for i in chosen]

    def _pick(self, pool: SentencePool, indices: list[int], k: int, center: np.ndarray,
              new_events: set[int]) -> list[int]:
        if k <= 0 or not indices:
            return []
        rel = self._relevance(pool, indices, center, new_events)
        return pool.select(indices, rel, k, self.config.mmr_lambda, self.config.max_similarity)

    @staticmethod
    def _in_article_order(pool: SentencePool, chosen: list[int]) -> list[int]:
        return sorted(chosen, key=lambda i: (ts(pool.units[i].published),
                                             pool.units[i].article_id, pool.units[i].position))

    @staticmethod
    def _main_event(developments: list[EventInput]) -> EventInput:
        """The development that dominates now: size decayed by age (one-week half-life)."""
        seen = {id(d): ts(d.event.last_seen or d.event.first_seen) for d in developments}
        newest = max(seen.values())

        def weight(d: EventInput) -> tuple[float, float]:
            age = (newest - seen[id(d)]) / 86400 if newest > float("-inf") else 0.0
            size = max(d.event.article_count, len(d.articles))
            return (size * 0.5 ** (min(age, 3650) / 7), seen[id(d)])

        return max(developments, key=weight)

    def _group_points(self, pool: SentencePool, chosen: list[int]) -> list[list[int]]:
        points: list[list[int]] = []
        for i in chosen:
            sims = [pool.similarity(i, p) for p in points]
            best = int(np.argmax(sims)) if sims else -1
            if best >= 0 and sims[best] >= 0.2 and len(points[best]) < 2:
                points[best].append(i)
            elif len(points) < self.config.max_key_points:
                points.append([i])
            elif best >= 0 and len(points[best]) < 3:
                points[best].append(i)
        return points

    # -- the draft -------------------------------------------------------------------------
    def _label(self, texts: list[str], idf: dict[str, float], avoid: set[str],
               title: str = "", fallback: str = "") -> str:
        """A content-derived label not used yet in this brief (recorded in ``avoid``) that
        passes :func:`good_label`; else ``fallback`` (a label composed from the state)."""
        lang = self.config.lang
        label = key_phrase(texts, idf, avoid, lang=lang, title=title,
                           accept=lambda phrase: good_label(phrase, [title, *texts], lang))
        label = label or fallback
        avoid.add(label.lower())
        return label

    def draft(self, title: str, label: str, events: Sequence[EventInput],
              state: StorylineState | None = None) -> Draft:
        """A draft brief for a storyline titled ``title`` (``label`` may be empty). With the
        storyline's ``state`` (:mod:`storyline.brief.state`), the title, label, headline and
        summary are composed from it, status and outlook keep to the newest development, and
        sentences in another language are rendered in the brief's."""
        c = self.config
        self.state = state
        self._devs = {d.event_id: d for d in state.developments} if state else {}
        #: what the brief says in its language of what other languages reported
        self._lang = InBriefLanguage(c.lang, {int(a.id or 0): a for e in events
                                              for a in e.articles}, self._devs)
        #: event id -> (the first statement the brief quotes of it, its report)
        self._shown: dict[int, tuple[str, Article]] = {}
        #: event id -> (the headline label its bullet carries, the report it comes from)
        self._labelled: dict[int, tuple[str, Article]] = {}
        #: pool indices quoted in development bullets (not repeated under Significance)
        self._in_bullets: set[int] = set()
        #: event id -> the pool indices its development bullet quotes
        self._bullet_idx: dict[int, list[int]] = {}
        items = sorted(events, key=lambda e: (ts(e.event.first_seen), e.event.id or 0))
        units = [unit for item in items for article in item.articles
                 for unit in article_units(article, int(item.event.id or 0), self.classifier, c)]
        pool = SentencePool(units)
        by_event: dict[int, list[int]] = {}
        for n, unit in enumerate(units):
            by_event.setdefault(unit.event_id, []).append(n)
        developments = [e for e in items if self._relation(e) == DEVELOPMENT] or list(items)
        new_events = {int(e.event.id or 0) for e in items if e.new}
        dev_ids = {int(e.event.id or 0) for e in developments}
        story_idx = self._preferred(pool, [i for i, u in enumerate(units)
                                           if u.event_id in dev_ids])
        story_center = pool.centroid(story_idx)

        # lead, main event and key points: facts of the dominant development
        main = self._main_event(developments) if items else None
        main_id = int(main.event.id or 0) if main else None
        main_idx = self._preferred(pool, by_event.get(main_id, []))
        facts = [i for i in main_idx if units[i].label == FACT] or main_idx
        main_center = pool.centroid(main_idx)
        # the lead opens the brief: no dangling pronoun, and no plan or expectation voiced
        # before the newest development (what it looked forward to may have happened since)
        current_day = state.current_from() if state else None
        # ... and may be a report's lede whatever its tense: "Russia will withdraw its troops
        # within a month, Medvedev said on Monday" is the news of the day it was said
        ledes = [i for i in main_idx if units[i].lede and i not in facts]
        openers = [i for i in facts + ledes if not dangles(units[i].text)
                   and not dated_forward(units[i], current_day)] or facts
        openers = [i for i in openers if states_something(units[i].text, c.lang)] or openers
        # ... and a report's lede where one qualifies: it tells the news whole, where a
        # sentence from further down leans on it ("The seven no votes came from Russia, …"
        # opened the brief of a UN vote whose lede the Main Event quoted below it)
        openers = [i for i in openers if units[i].lede] or openers
        lead = self._pick(pool, openers, 1, main_center + 0.5 * story_center, new_events)
        # ... and a sentence of another development follows it only if it names its subject
        others = [i for i in story_idx if units[i].event_id != main_id
                  and not dated_forward(units[i], current_day)
                  and units[i].label == FACT and not points_back(units[i].text)]
        lead += self._pick(pool, others, c.lead_sentences - 1, story_center, new_events)
        # the main event's paragraph follows the lead, and a key point stands alone: an opening
        # pronoun would reach back to the lead or attach to the point before ("It gives effect
        # to a decree ..." after another government's list)
        standalone = [i for i in facts if not dangles(units[i].text)]
        main_sents = self._pick(pool, standalone or facts, c.main_sentences, main_center,
                                new_events)
        point_idx = self._pick(pool, standalone, c.key_point_sentences, main_center,
                               new_events)

        labels: set[str] = set()
        subtitle = self._subtitle(main, [units[i].text for i in main_sents + point_idx],
                                  [units[i].article_id for i in main_sents], pool,
                                  labels) if main else ""
        key_points = []
        for group in self._group_points(pool, point_idx):
            point = self._point_label([units[i].text for i in group], pool, labels)
            if point:
                key_points.append(DraftPoint(point, self._sentences(pool, group)))
            elif len(main_sents) < c.main_sentences + 1:  # unnamed: told in the paragraph
                main_sents += group[:1]
        dev_items = self._developments(pool, items, main_id, by_event, new_events, labels)
        if state is not None:  # the state dated as the brief shows its developments
            self._redate(main_id, main_sents + point_idx, pool, dev_items)
            self._note_first_statements(main_id, main_sents + point_idx, pool, dev_items)

        # significance and outlook: classified sentences of the whole story, newer preferred
        recent = sorted(story_idx, key=lambda i: ts(units[i].published))
        recency = {i: n / max(1, len(recent) - 1) for n, i in enumerate(recent)}
        significance = self._pick_kind(pool, [i for i in story_idx if i not in self._in_bullets],
                                       ASSESSMENT, c.significance_sentences,
                                       story_center, new_events, recency, 0.1)
        # "current status": an outlook written long before the newest report is stale, and so
        # is one about a day the newest reports have already reached ("will meet on May 5")
        newest_ts = max((ts(units[i].published) for i in story_idx), default=float("-inf"))
        current = [i for i in story_idx
                   if ts(units[i].published) >= newest_ts - c.outlook_days * 86400
                   and not overtaken(units[i], newest_ts)]
        since = state.current_from() if state else None
        if since is not None:  # status and outlook: only what was said at the newest step
            current = [i for i in current if units[i].published is not None
                       and units[i].published.date() >= since
                       and self._devs.get(units[i].event_id) is not None
                       and self._devs[units[i].event_id].superseded_by is None]
        outlook = self._pick_kind(pool, [i for i in current if i not in self._in_bullets],
                                  OUTLOOK, c.outlook_sentences,
                                  story_center, new_events, recency, 0.3)
        # the summary restates the main event, in a sentence not shown above
        shown = set(lead) | set(main_sents) | set(point_idx)
        summary_pool = ([i for i in facts if i not in shown]
                        or [i for i in current if units[i].label == FACT and i not in shown]
                        or [i for i in story_idx if units[i].label == FACT and i not in shown])
        # ... and stands on its own: no opening pronoun whose antecedent stayed behind
        summary_pool = ([i for i in summary_pool if not dangles(units[i].text)]
                        or summary_pool)
        summary = self._pick(pool, summary_pool, c.summary_sentences,
                             main_center + 0.5 * story_center, set())

        title = self._own_title(self._not_related(clean_title(title), items, main)
                                or (clean_title(main.event.label) if main else ""),
                                developments, main)
        label = label or key_phrase([e.event.label for e in developments]
                                    + [units[i].text for i in lead], pool.idf, lang=c.lang)
        headline = self._headline(title, label, developments)
        sections = {
            "lead": self._sentences(pool, lead),
            "main": self._sentences(pool, self._in_article_order(pool, main_sents)),
            "significance": self._sentences(pool, significance),
            "outlook": self._sentences(pool, outlook),
            "summary": self._sentences(pool, summary),
        }
        if state is not None:
            title, label, headline = self._composed_heads(state, pool, title, label, headline)
            sections["summary"] = self._arc(state) or sections["summary"]
            for name in ("lead", "main", "significance", "outlook"):
                sections[name] = self._lang.sentences(sections[name], introduce=name == "main")
            for point in key_points:
                point.sentences = self._lang.sentences(point.sentences, introduce=True)
            for dev in dev_items:  # a related report that uses the story's words says so
                if dev.relation == RELATED:
                    self._quote_link(dev, pool, by_event.get(dev.event_id, []), title)
                    self._title_words_said(dev, pool, title)
            notes = phrases.notes(c.lang)
            for name in ("lead", "significance", "outlook"):
                if not sections[name]:
                    sections[name] = [DraftSentence(notes[name], [], note=True)]
            if not sections["main"] and not key_points:
                sections["main"] = [DraftSentence(
                    notes["main"] if sections["lead"] and not sections["lead"][0].note
                    else notes["main_none"], [], note=True)]
        return Draft(
            title=title, label=label, headline=headline,
            lead=sections["lead"], main_event_id=main_id, subtitle=subtitle,
            main_sentences=sections["main"],
            key_points=key_points, developments=dev_items,
            significance=sections["significance"], outlook=sections["outlook"],
            summary=sections["summary"], state=state.as_dict() if state else {},
        )

    # -- composed from the state -------------------------------------------------------------
    def _redate(self, main_id: int | None, main_idx: Sequence[int], pool: SentencePool,
                dev_items: Sequence[DraftDevelopment]) -> None:
        """Each development's day in the state as the brief shows it: a development whose
        quoted reports all came more than :data:`LATE_REPORT_DAYS` after its event's first
        report is dated by them (the headline, status and summary then agree with the
        bullets); the developments it leaves out are marked, so the headline never names one."""
        shown = {item.event_id for item in dev_items} | {main_id}
        for dev in self._devs.values():
            dev.shown = dev.event_id in shown
        for item in dev_items:
            dev = self._devs.get(item.event_id)
            if dev is not None and item.date:
                dev.day = date.fromisoformat(item.date)
        main = self._devs.get(main_id if main_id is not None else -1)
        if main is not None:
            main.day = shown_day(main.day, pool, main_idx)

    def _note_first_statements(self, main_id: int | None, main_idx: Sequence[int],
                               pool: SentencePool,
                               dev_items: Sequence[DraftDevelopment]) -> None:
        """The first statement the brief quotes of each development it shows (in the brief's
        language), which names the development where its reports have no headline."""
        articles = {int(a.id or 0): a for d in self._devs.values() for a in d.reports}
        firsts = [(item.event_id, item.sentences) for item in dev_items]
        firsts.append((main_id, [DraftSentence(pool.units[i].text, [pool.units[i].article_id])
                                 for i in self._in_article_order(pool, list(main_idx))]))
        for event_id, sentences in firsts:  # the first quoted statement of each shown one
            for sentence in sentences:
                report = articles.get(sentence.article_ids[0]) if sentence.article_ids else None
                if (not sentence.composed and report is not None and report.lang == self.config.lang
                        and states_something(sentence.text, self.config.lang)):
                    day = report.published.date() if report.published else None
                    self._shown[event_id] = (anchor_relative_days(
                        sentence.text.rstrip("."), day, self.config.lang), report)
                    break

    def _composed_heads(self, state: StorylineState, pool: SentencePool, title: str,
                        label: str, headline: str) -> tuple[str, str, str]:
        """Title ("Russia and Belarus: 'Unfriendly' Countries"), short label ("Russia–Belarus")
        and headline (the newest significant development, dated) from the state."""
        lang = self.config.lang
        countries = story_countries(state, lang=lang)
        heads = list(dict.fromkeys(a.title for d in state.significant
                                   for a in d.reports_in(lang) if a.title))

        topic = shared_topic(heads, pool.idf, lang,
                             set(countries) | country_words(heads, countries, lang))
        if countries:
            given = label
            title = phrases.title(countries, topic, lang) if topic else title
            label = (phrases.short_label(countries, lang) if len(countries) > 1
                     else f"{countries[0]}: {topic}" if topic else label)
            if label == title:  # one country: the title says it; the label names who acts
                actors = top_actor_names(state, lang)  # (else the storyline's own label)
                label = (", ".join(actors) if len(actors) > 1
                         else given if given and given != title and not is_foreign(given, lang)
                         else label)
        if not label or is_foreign(label, lang):  # none, or the clusterer's in another
            label = phrases.actors_label(top_actor_names(state, lang), next(  # language
                (d.languages()[0] for d in state.significant if d.languages()), ""), lang)
        newest = state.newest(lang)
        if newest is not None:
            news, report = self._news(newest, attributed=False)
            day = report.published.date() if report and report.published else newest.day
            if news:
                headline = f"{phrases.day(day, lang)}: {news}" if day else news
            elif not states_something(clean_title(headline), lang):  # a credit line, an id
                headline = title
        return title, label, headline

    def _arc(self, state: StorylineState) -> list[DraftSentence]:
        """"In summary": since when and with what, how many developments by how many outlets,
        the largest ones between, and the newest one with its date — each fact cited to the
        reports it comes from. Developments are named by their own headlines, quoted
        (:func:`headline_label`)."""
        significant = [d for d in state.significant if d.reports]
        newest, first = state.newest(self.config.lang), state.first_day()
        if not significant or newest is None or first is None:
            return []
        opening = min(significant, key=lambda d: (d.began or date.max, d.event_id))
        first_report = min(opening.reports, key=lambda a: (ts(a.published), a.id or 0))
        outlets = state.outlets()
        count = len(significant)
        begun = self._named_by_headline(opening, shown=False)  # what was first reported
        cites = [int((begun[1] if begun else first_report).id or 0)]
        between = sorted((d for d in significant if d is not opening and d is not newest),
                         key=lambda d: (-len(d.reports), d.day or date.max, d.event_id))
        named = [(d, x) for d in between if (x := self._named_by_headline(d))][:ARC_BETWEEN]
        named.sort(key=lambda pair: (pair[0].day or date.max, pair[0].event_id))
        news, found = self._news(newest)
        report = found or max(newest.reports, key=lambda a: (ts(a.published), a.id or 0))
        lang = self.config.lang
        if found is not None and found.published and news:
            # a quoted headline's weekday is dated like a quoted sentence's ("after Sunday's
            # (26 March 2017) mass protests"); the summary is composed, so the writer does not
            news = anchor_relative_days(news, found.published.date(), lang)
        original = None
        if found is None and newest.event_id in self._lang.foreign_news:  # named by a foreign
            original, by, code = self._lang.foreign_news[newest.event_id]  # headline: original
            news = phrases.foreign_report(by.source if by else "", code, lang)
            report = by or report
        # dated by the report it names (the brief's headline is dated so too)
        day = report.published.date() if report.published else newest.day
        if count == 1 and (begun or news):  # one development: say what it is
            what = phrases.quoted(begun[0], lang) if begun else _sentence_end(news)
            cited = cites if begun else [int(report.id or 0)]
            return [DraftSentence(
                phrases.arc_one(newest.day, len(outlets), what, lang) + ("." if begun else ""),
                cited, newest.event_id, composed=True, original=None if begun else original)]
        cites += [int(a.id or 0) for _, (_, a) in named]
        arc = phrases.arc(first, begun[0] if begun else None, count, len(outlets),
                          [(label, d.day) for d, (label, _) in named], lang)
        out = [DraftSentence(arc, cites, composed=True)]
        if news and newest is not opening:
            out.append(DraftSentence(phrases.arc_newest(day, _sentence_end(news), lang),
                                     [int(report.id or 0)], newest.event_id, composed=True,
                                     original=original))
        return out

    def _news(self, dev: Development, *, attributed: bool = True
              ) -> tuple[str, Article | None]:
        """What a development's news is, in the brief's language, and the report it comes
        from: its newest headline; without one (wire text), the first sentence the brief shows
        of it (so the headline and the summary name what the reader finds below), else its
        newest report's first statement; reported only in another language, its coded action
        rendered (the coder tells a development only then); else its own label."""
        lang = self.config.lang
        report = dev.headline(lang)
        if report is not None:
            return clean_title(report.title), report
        shown = self._shown.get(dev.event_id)
        if shown is not None:
            return shown
        if dev.reports_in(lang):
            newest = max(dev.reports_in(lang), key=lambda a: (ts(a.published), a.id or 0))
            return _lead_sentence(dev, lang) or clean_title(dev.label), newest
        if usable_action(dev):
            text = render_action(dev, name_for, lang, dated=False, attributed=attributed)
            if text:
                return text, None
        return self._lang.quoted_headline(dev), None

    def _named_by_headline(self, dev: Development, *, shown: bool = True
                           ) -> tuple[str, Article] | None:
        """A development's name from its earliest headline in the brief's language that gives
        one (:func:`headline_label`), with the report it comes from; with ``shown``, the name
        its bullet carries when that is a headline (the bullet quotes what it names)."""
        if shown and dev.event_id in self._labelled:
            return self._labelled[dev.event_id]
        lang = self.config.lang
        for report in sorted(dev.reports_in(lang), key=lambda a: (ts(a.published), a.id or 0)):
            label = headline_label(report.title, lang)
            if label:
                return label, report
        return None

    def _not_related(self, title: str, items: list[EventInput],
                     main: EventInput | None) -> str:
        """The storyline's title, unless it is the headline of a report this brief files as
        related coverage (the linker may make such an event the storyline's representative):
        a title must not name what the brief says is only weakly tied to the story; the main
        event's label then stands in."""
        weak = {clean_title(x) for item in items if self._relation(item) == RELATED
                for x in (item.event.label, *(a.title for a in item.articles)) if x}
        if title and title in weak and main is not None and main.event.label:
            return clean_title(main.event.label)
        return title

    def _own_title(self, title: str, developments: list[EventInput],
                   main: EventInput | None) -> str:
        """The title in the brief's language. A storyline is titled after its most
        representative event, whose label may be a report in another language (a Ukrainian
        headline over an English brief); then the headline of the earliest report in the brief
        language of the main event, else of the largest development that has one, is used."""
        if not title or is_cyrillic(title) == (self.config.lang in CYRILLIC_LANGS):
            return title
        by_size = sorted(developments, key=lambda e: (-max(e.event.article_count,
                                                           len(e.articles)), e.event.id or 0))
        for item in ([main] if main else []) + by_size:
            reports = self._own_reports(item)
            if reports:
                return clean_title(min(reports, key=lambda a: (ts(a.published), a.id or 0)).title)
        # no report in the brief's language has a headline: the title is quoted as written
        reports = [a for item in developments for a in item.articles if a.lang]
        langs = [a.lang for a in reports if clean_title(a.title) == clean_title(title)] or [
            code for code, _ in Counter(a.lang for a in reports
                                        if a.lang != self.config.lang).most_common(1)]
        return phrases.foreign_headline(title, langs[0] if langs else "", self.config.lang)

    def _own_reports(self, item: EventInput) -> list[Article]:
        """The event's reports with a headline in the brief's language (not page furniture)."""
        return [a for a in item.articles if clean_title(a.title) and a.lang == self.config.lang]

    def _headline(self, title: str, label: str, developments: list[EventInput]) -> str:
        """The newest development's own headline (its newest report in the brief language),
        after the storyline's short label: news, in words a source used, never invented."""
        own = [e for e in developments if any(a.lang == self.config.lang for a in e.articles)]
        newest = max(own or developments, default=None,
                     key=lambda e: (ts(e.event.first_seen), e.event.id or 0))
        if newest is None:
            return title
        latest = max(self._own_reports(newest), key=lambda a: (ts(a.published), a.id or 0),
                     default=None)
        news = clean_title(latest.title) if latest else newest.event.label
        return f"{label}: {news}" if news and label else (news or title)

    def _subtitle(self, main: EventInput, texts: list[str], quoted: Sequence[int],
                  pool: SentencePool, used: set[str]) -> str:
        """The main event's name: the key phrase of its sentences when one of its headlines
        uses it ("Supreme State Council Meeting"), else the main clause of one of its own
        headlines — one the brief's headline does not show when it can —, else the key phrase.
        A key phrase no headline uses may name a detail rather than the event ("Needless Human
        Suffering" over McDonald's closing its restaurants), so it comes after the headlines."""
        phrase = self._label(texts, pool.idf, set(used), title=main.event.label)
        titles = " ".join(a.title or "" for a in main.articles).lower()
        newest = self.state.newest(self.config.lang) if self.state else None
        if phrase and phrase.lower() in titles:
            used.add(phrase.lower())
            return phrase
        dev = self._devs.get(int(main.event.id or 0))
        if newest is None or newest.event_id != int(main.event.id or 0):
            label = self._headline_label(main, quoted, used)
        else:  # the brief's headline is this event's newest report's: another of its reports'
            # headlines, else that one again (repeated, but it names the event)
            shown = max(self._own_reports(main), key=lambda a: (ts(a.published), a.id or 0),
                        default=None)
            label = (self._headline_label(main, quoted, used, skip=shown)
                     or self._headline_label(main, quoted, used))
        if label:
            used.add(label.lower())
            return label
        if not phrase and dev is not None:  # nothing in the brief's language names it
            phrase = action_label(dev, self.config.lang) or foreign_label(dev, self.config.lang)
        if phrase:
            used.add(phrase.lower())
        return phrase

    @staticmethod
    def _title_words_said(dev: DraftDevelopment, pool: SentencePool, title: str) -> None:
        """Which of the brief title's words a related report's quoted sentences use: a name
        of the title joins ``named_in_report`` (as the reader knows it; not a month or a word
        of another name), other words go to ``terms_in_report`` (two at most)."""
        named = dev.reasons.setdefault("named_in_report", [])
        terms: list[str] = []
        shown = [x.text for x in dev.sentences if not x.composed]
        for t in title_terms_named(title, shown, pool.idf):
            if said(t, named) or said(t, terms):
                continue
            if t[:1].isupper():  # a name of the title ("Northland"): named
                if (len(named) < 3 and not in_other_name(t, shown, title)
                        and not is_calendar_word(t)):
                    named.append(reader_name(t))
            elif len(terms) < 2:
                terms.append(t)
        if terms:
            dev.reasons["terms_in_report"] = terms

    def _quote_link(self, dev: DraftDevelopment, pool: SentencePool, idx: Sequence[int],
                    title: str) -> None:
        """Related coverage whose report ties itself to the story in a sentence the bullet
        does not quote ("It closely tracks the unfriendly-countries list adopted in 2022"):
        that sentence is quoted too, as the link the report states. The first such sentence
        in the brief's language, in article order. One opening with a pronoun needs its
        antecedent: right after a sentence the bullet quotes, or else the sentence before it
        is quoted with it ("The list, approved by a government order dated Sept. 17, implements
        Putin's August decree. It closely tracks …")."""
        def speaks_of_story(texts: list[str]) -> bool:  # a title word, not a title name
            return any(not t[:1].isupper() for t in title_terms_named(title, texts, pool.idf))

        if speaks_of_story([x.text for x in dev.sentences if not x.composed]):
            return
        quoted = set(self._bullet_idx.get(dev.event_id, []))
        at = {(pool.units[i].article_id, pool.units[i].position) for i in quoted}
        where = {(pool.units[i].article_id, pool.units[i].position): i for i in idx}

        def usable(i: int) -> bool:
            unit = pool.units[i]
            return not (i in quoted or i in self._in_bullets
                        or is_foreign(unit.text, self.config.lang, unit.lang))

        for i in sorted(idx, key=lambda i: (pool.units[i].article_id, pool.units[i].position)):
            unit = pool.units[i]
            if not usable(i) or not speaks_of_story([unit.text]):
                continue
            take = [i]
            if dangles(unit.text) and (unit.article_id, unit.position - 1) not in at:
                before = where.get((unit.article_id, unit.position - 1))
                if before is None or not usable(before) or dangles(pool.units[before].text):
                    continue
                take = [before, i]
            at_k = self._after_own(dev, pool, quoted, take[0])
            dev.sentences[at_k:at_k] = self._sentences(pool, take)
            self._in_bullets.update(take)
            return

    @staticmethod
    def _with_antecedents(pool: SentencePool, chosen: list[int], idx: list[int]) -> list[int]:
        """``chosen`` with each sentence that opens with a pronoun ("He said Putin had
        confirmed …") preceded by its article's sentence before it, which names whom it means
        — or left out (and released) when that sentence is not the bullet's to quote: quoted
        elsewhere in the brief already, not one of the development's, or dangling itself."""
        where = {(pool.units[i].article_id, pool.units[i].position): i for i in idx}
        have = {(pool.units[i].article_id, pool.units[i].position) for i in chosen}
        out: list[int] = []
        for i in chosen:
            unit = pool.units[i]
            if dangles(unit.text) and (unit.article_id, unit.position - 1) not in have:
                before = where.get((unit.article_id, unit.position - 1))
                if before is None or before in pool.used or dangles(pool.units[before].text):
                    pool.used.remove(i)
                    continue
                pool.used.append(before)
                have.add((unit.article_id, unit.position - 1))
                out.append(before)
            out.append(i)
        return out

    def _after_own(self, dev: DraftDevelopment, pool: SentencePool, quoted: set[int],
                   first: int) -> int:
        """Where sentences quoted from a report go among a bullet's quotes: right after the
        bullet's last quote from the same report that comes before them, so the report reads
        in its own order; at the end when the bullet quotes nothing before them from it (or its
        sentences are not its quotes one to one)."""
        unit = pool.units[first]
        order = self._in_article_order(pool, list(quoted))
        if len(dev.sentences) != len(order) or any(x.composed for x in dev.sentences):
            return len(dev.sentences)
        before = [k for k, i in enumerate(order) if pool.units[i].article_id == unit.article_id
                  and pool.units[i].position < unit.position]
        return before[-1] + 1 if before else len(dev.sentences)

    def _point_label(self, texts: list[str], pool: SentencePool, used: set[str]) -> str:
        """A key point's label: its best key phrase, else a name it is about ("Hatay
        Province"); '' when nothing names the point (it is then told in the main event's
        paragraph). The main event's coded action is not a fallback: it tells the event, not
        each of its sentences ("Talks by Vladimir Putin" over "Putin first announced the
        switch")."""
        lang = self.config.lang
        label = self._label(texts, pool.idf, used) or key_phrase(
            texts, pool.idf, used, lang=lang,
            accept=lambda phrase: good_label(phrase, texts, lang, names=True))
        if label:
            used.add(label.lower())
        return label

    def _headline_label(self, item: EventInput, quoted: Sequence[int],
                        used: set[str], skip: Article | None = None) -> str:
        """A development's label from the headline of a report it quotes (else of its other
        reports, not ``skip``), earliest first, in the brief's language
        (:func:`headline_label`); '' when none gives one not used yet in this brief (recorded
        in ``used``)."""
        lang = self.config.lang
        # the report a quoted sentence comes from, earliest first: its day is the one shown
        reports = sorted((a for a in item.articles if a.lang == lang and a.title
                          and a is not skip),
                         key=lambda a: (a.id not in quoted, ts(a.published), a.id or 0))
        for report in reports:
            label = headline_label(report.title, lang)
            if label and label.lower() not in used:
                used.add(label.lower())
                self._labelled[int(item.event.id or 0)] = (label, report)
                return label
        return ""

    def _pick_kind(self, pool: SentencePool, indices: list[int], kind: str, k: int,
                   center: np.ndarray, new_events: set[int], recency: dict[int, float],
                   recency_weight: float) -> list[int]:
        """Assessment or outlook sentences: central to the story, newer ones preferred."""
        candidates = [i for i in indices if pool.units[i].label == kind
                      and not dangles(pool.units[i].text)]  # each is its own bullet
        if not candidates or k <= 0:
            return []
        rel = self._relevance(pool, candidates, center, new_events)
        for i in candidates:
            rel[i] += recency_weight * recency.get(i, 0.0)
        chosen = pool.select(candidates, rel, k, self.config.mmr_lambda,
                             self.config.max_similarity)
        return chosen

    def _developments(
        self, pool: SentencePool, items: list[EventInput], main_id: int | None,
        by_event: dict[int, list[int]], new_events: set[int], used_labels: set[str],
    ) -> list[DraftDevelopment]:
        """Other events: new ones first, then earlier ones as context; in each, developments
        before related coverage (weak links must not crowd out the story's own events), newest
        first."""
        c = self.config
        others = [e for e in items if e.event.id != main_id]
        others.sort(key=lambda e: (not e.new, self._relation(e) == RELATED,
                                   -ts(e.event.first_seen), -(e.event.id or 0)))
        out = []
        for item in others[: c.max_developments]:
            eid = int(item.event.id or 0)
            idx = self._preferred(pool, by_event.get(eid, []))
            # a report's lede is its news, even where the classifier hears an assessment or an
            # outlook in it ("... and warned that contracts would be halted", "Belarus will let
            # citizens of 35 European countries enter without a visa from Friday"): the
            # development's bullet may quote it, when it states something (not a dateline cut
            # short: "Jan 11 (Reuters) - The BP (BP.")
            facts = [i for i in idx if pool.units[i].label == FACT or (
                pool.units[i].lede and states_something(pool.units[i].text, c.lang))] or idx
            chosen = self._pick(pool, facts, c.development_sentences, pool.centroid(idx),
                                new_events)
            chosen = self._with_antecedents(pool, chosen, idx)
            if not chosen:
                continue
            self._in_bullets.update(chosen)
            self._bullet_idx[eid] = list(chosen)
            # its label is worded from the sentences in the brief's language
            texts = [pool.units[i].text for i in chosen
                     if not is_foreign(pool.units[i].text, c.lang, pool.units[i].lang)]
            state_dev = self._devs.get(eid)
            fallback = action_label(state_dev, c.lang) if state_dev else ""
            dev_label = (self._headline_label(item, [pool.units[i].article_id for i in chosen],
                                              used_labels)
                         or self._label(texts, pool.idf, used_labels, title=item.event.label,
                                        fallback=fallback)
                         or (item.event.label[:60] if self.state is None else ""))
            if not dev_label and self.state is not None:  # a named thing is better than none
                dev_label = key_phrase(
                    [pool.units[i].text for i in chosen
                     if not is_foreign(pool.units[i].text, c.lang, pool.units[i].lang)],
                    pool.idf, used_labels,
                    lang=c.lang, accept=lambda phrase, seen=texts: good_label(
                        phrase, seen, c.lang, names=True))
            first = item.event.first_seen
            sentences = self._sentences(pool, self._in_article_order(pool, chosen))
            if self.state is not None:
                sentences = self._lang.sentences(sentences)
                if not sentences:
                    continue
            reasons = dict(item.reasons)
            if self._relation(item) == RELATED:  # does the report itself name the story?
                story = story_countries(self.state, limit=3) if self.state else []
                shown = [pool.units[i].text for i in chosen]  # originals are quoted too
                candidates = named_in([*story, *(item.reasons.get("shared_entities") or [])],
                                    shown)
                if state_dev is not None:  # the actors its own reports were coded with
                    candidates += [short_name(a) for a in state_dev.actors
                                   if short_name(a, as_country=True) in story]
                if self.state is not None:  # the story's main actors, under any alias
                    candidates += actors_named(self.state, shown)
                named: list[str] = []
                for n in map(reader_name, candidates):  # each once, whatever its form
                    if n and not said(n, named):
                        named.append(n)
                if c.lang == "ru":  # as the Russian brief names them, each once
                    named = list(dict.fromkeys(reader_name(n, c.lang) for n in named))
                reasons["named_in_report"] = named[:3]
            if not dev_label:  # nothing better: say what kind of report it is
                all_foreign = all(self._lang.foreign(s.text, s.article_ids[:1]) or s.composed
                                  for s in sentences)
                dev_label = ((foreign_label(state_dev, c.lang)
                              if state_dev is not None and all_foreign else "")
                             or phrases.fallback_label(self._relation(item) == RELATED, c.lang))
            day = shown_day(first.date() if first else None, pool, chosen)
            out.append(DraftDevelopment(
                event_id=eid, label=dev_label,
                date=day.isoformat() if day else None,
                relation=self._relation(item), relatedness=round(float(item.score), 3),
                reasons=reasons, new=item.new, sentences=sentences,
            ))
        # newest first within developments, then related coverage, by the dates shown
        out.sort(key=lambda d: (d.relation == RELATED, -(date.fromisoformat(d.date).toordinal()
                                                         if d.date else 0)))
        return out
