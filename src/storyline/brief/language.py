"""What a brief says, in its own language, of what was reported in others.

One brief is written in one language (English, or Russian on request). A sentence the drafter
picked from a report in another language is not shown as it is: the first one of each
development is replaced by the development told from the storyline's state (its coded action,
or who reported it in which language, :func:`storyline.brief.state.render_action`), the quote
kept as ``original``; in the main event, which the lead may have told already, a further one is
introduced by the report it comes from ("Сообщение AP на английском языке приводится в
оригинале."), consecutive sentences of one report under one introduction. A development known
only by a headline in another language is named by that headline, quoted and marked with its
language, and remembered so the summary can give it as an original.

Whether a sentence is foreign is decided by its report's language where that is known (a
Ukrainian sentence is foreign to a Russian brief though both are Cyrillic), else by script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from storyline.mentioned_days import anchor_relative_days
from storyline.model import Article
from storyline.text_clean import clean_title

from . import phrases
from .labels import is_foreign
from .state import Development, name_for, render_action, topic_label


class InBriefLanguage:
    """One brief's language and what it has told so far (a drafter makes one per draft).

    Args:
        lang: the brief's language.
        articles: the storyline's reports by id.
        developments: the storyline state's developments by event id.
    """

    def __init__(self, lang: str, articles: dict[int, Article],
                 developments: dict[int, Development]) -> None:
        self.lang = lang
        self.articles = articles
        self.developments = developments
        #: developments already told in the brief's language (each is told once)
        self.rendered: set[int] = set()
        #: event id -> (its headline in another language, its report, the language), for a
        #: development named by that headline (:meth:`quoted_headline`)
        self.foreign_news: dict[int, tuple[str, Article | None, str]] = {}

    def foreign(self, text: str, article_ids: Sequence[int]) -> bool:
        """Whether a sentence of these articles (the first is its own) is in another
        language."""
        own = self.articles.get(int(article_ids[0])) if article_ids else None
        return is_foreign(text, self.lang, (own.lang or "") if own else None)

    def sentences(self, sentences: list[Any], *, introduce: bool = False) -> list[Any]:
        """``sentences`` (``DraftSentence``) with those in another language replaced by their
        development's rendering (once per brief), the quote kept as ``original``. A further
        sentence of a development told already is left out, or with ``introduce`` introduced by
        the report it comes from, the quote again as ``original``."""
        out: list[Any] = []
        for sentence in sentences:
            if not self.foreign(sentence.text, sentence.article_ids[:1]):
                out.append(sentence)
                continue
            dev = self.developments.get(sentence.event_id or -1)
            if dev is None:
                continue
            text = (render_action(dev, name_for, self.lang)
                    if dev.event_id not in self.rendered else None)
            if text is None:
                text = self.report_intro(sentence.article_ids[:1]) if introduce else ""
                last = out[-1] if out else None
                if (text and last is not None and last.text == text
                        and last.article_ids[:1] == sentence.article_ids[:1]):
                    last.original = f"{last.original} {sentence.text}"  # the same report's
                    continue                                            # next sentence
            else:
                self.rendered.add(dev.event_id)
            if text:
                out.append(replace(sentence, text=text, composed=True, original=sentence.text))
        return out

    def report_intro(self, article_ids: Sequence[int]) -> str:
        """"Сообщение AP на английском языке приводится в оригинале." for the report a quoted
        other-language sentence comes from ('' when the report is unknown)."""
        report = self.articles.get(int(article_ids[0])) if article_ids else None
        if report is None:
            return ""
        return phrases.report_intro(report.source or "", report.lang or "", self.lang)

    def quoted_headline(self, dev: Development) -> str:
        """A development reported only in another language, named by its own newest headline
        quoted and marked with its language: «Fort McHenry channel fully reopened …» (на
        английском языке), a relative day in it anchored in the brief's language, after what
        its headlines name where that can be said in the brief's language
        (:func:`~storyline.brief.state.topic_label`: "Russia: expulsion, diplomats — “МИД
        России объявил о высылке дипломатов 23 стран” (in Russian)"); its own label when that
        is in the brief's language."""
        report = next((dev.headline(code) for code in dev.languages() if dev.headline(code)),
                      None)
        text = clean_title(report.title) if report is not None else clean_title(dev.label)
        if not text or not self.foreign(text, [int(report.id or 0)] if report else []):
            return text
        day = report.published.date() if report is not None and report.published else dev.day
        text = anchor_relative_days(text, day, self.lang)
        code = report.lang if report is not None and report.lang else (dev.languages() or [""])[0]
        self.foreign_news[dev.event_id] = (text, report, code)
        # what its headline names, in the brief's language, before the original: a reader of
        # an English brief gets "Russia: expulsion, diplomats — “МИД России объявил …”"
        gist = topic_label(dev, self.lang)
        quoted = phrases.foreign_headline(text, code, self.lang)
        return f"{gist} — {quoted}" if gist else quoted
