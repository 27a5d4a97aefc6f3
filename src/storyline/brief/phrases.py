"""Every word a brief adds around its sources, in each language a brief is written in.

The extractive writer quotes; what it composes — section names, the tags of related coverage,
the honest one-line notes, the title, headline and "In summary" built from the storyline's
dated state, a development told from its coded action — comes from here, so a brief in
Russian (``--lang ru``) is Russian throughout and the English one reads as before. None of
these phrases states a cause (the tests check every one against
:data:`storyline.brief.cite.CAUSAL`).

English is the default; :data:`BRIEF_LANGS` lists the languages a brief can be written in.
Russian inflects, so its templates call :mod:`storyline.brief.russian` for case, gender and
number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from storyline.mentioned_days import day_words

from . import russian

if TYPE_CHECKING:
    from storyline.model import Article

    from .state import Development

BRIEF_LANGS = ("en", "ru")

#: Fixed phrases the renderers add around source sentences, per language.
CONNECTIVES: dict[str, dict[str, str]] = {
    "en": {
        "key_points": "Key points:",
        "main_event": "Main Event",
        "developments": "Broader Context and New Developments",
        "significance": "Significance and Implications",
        "outlook": "Current Status and Future Outlook",
        "summary": "In summary",
        "key_actors": "Key actors",
        "sources": "Sources",
        "new": "new",
        "related": "related coverage, relatedness {score:.2f}; reported alongside this story, "
                   "no link between them is stated",
        "related_referred": "related coverage, relatedness {score:.2f}; a later report of this "
                            "story refers back to it as “{reference}”",
        "related_listed": "; its reports name {n} of the {of} states on {name}",
        "related_named": "related coverage, relatedness {score:.2f}; the report {what} but "
                         "states no causal link to this story",
        "names": "names {names}",
        "names_one": "names {names}",
        "speaks_of": "speaks of {terms}",
        "speaks_of_one": "speaks of {terms}",
        "and": "and",
        "quote": "“{}”",
        "weak": "weak support",
        "original": "original",
        "translation_of": "translation of {n}",
        "translation_earlier": "translation of the outlet's earlier report",
        "diff_title": "New since version {previous}",
        "diff_version": "version {version}",
        "diff_first": "First version: everything is new",
        "diff_events": "New events",
        "diff_sentences": "New sentences",
        "none": "Nothing new.",
        "lead": "Lead",
    },
    "ru": {
        "key_points": "Ключевые моменты:",
        "main_event": "Главное событие",
        "developments": "Более широкий контекст и новые события",
        "significance": "Значение и последствия",
        "outlook": "Текущее положение и перспективы",
        "summary": "Итог",
        "key_actors": "Основные участники",
        "sources": "Источники",
        "new": "новое",
        "related": "смежное сообщение, связанность {score:.2f}; опубликовано рядом с этим "
                   "сюжетом, связь между ними не указана",
        "related_referred": "смежное сообщение, связанность {score:.2f}; более позднее "
                            "сообщение этого сюжета упоминает его как «{reference}»",
        "related_listed": "; в его сообщениях названы {n} из {of} государств, входящих в {name}",
        "related_named": "смежное сообщение, связанность {score:.2f}; в сообщении {what}, но "
                         "причинная связь с этим сюжетом не указана",
        "names": "упоминаются {names}",
        "names_one": "упоминается {names}",
        "speaks_of": "встречаются слова {terms}",
        "speaks_of_one": "встречается слово {terms}",
        "and": "и",
        "quote": "«{}»",
        "weak": "слабое подтверждение",
        "original": "оригинал",
        "translation_of": "перевод источника {n}",
        "translation_earlier": "перевод более раннего сообщения того же СМИ",
        "diff_title": "Новое с версии {previous}",
        "diff_version": "версия {version}",
        "diff_first": "Первая версия: всё новое",
        "diff_events": "Новые события",
        "diff_sentences": "Новые предложения",
        "none": "Ничего нового.",
        "lead": "Вводка",
    },
}

#: One honest line where the sources hold nothing for a section.
NOTES: dict[str, dict[str, str]] = {
    "en": {
        "lead": "The reports of this storyline hold no sentence that can stand as its lead.",
        "significance": "None of the cited reports assesses what these developments mean.",
        "outlook": "None of the reports of the newest development says what comes next.",
        "main": "The reports say nothing more about the main event than the lead above.",
        "main_none": "No report holds a sentence about the main event.",
        "developments": "No other development of this storyline has been reported yet.",
    },
    "ru": {
        "lead": "В сообщениях этого сюжета нет предложения, которое могло бы служить вводкой.",
        "significance": "Ни одно из цитируемых сообщений не оценивает значение этих событий.",
        "outlook": "Ни одно из сообщений о последнем событии не говорит о том, что будет "
                   "дальше.",
        "main": "Сообщения не добавляют к главному событию ничего сверх вводки выше.",
        "main_none": "Ни одно сообщение не содержит предложения о главном событии.",
        "developments": "О других событиях этого сюжета пока не сообщалось.",
    },
}

#: Languages as an English brief names them ("Ukrainian-language reporting").
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian",
                  "de": "German", "fr": "French", "es": "Spanish", "pl": "Polish",
                  "tr": "Turkish", "ja": "Japanese", "ro": "Romanian", "it": "Italian"}
#: Languages as a Russian brief names them, after "на … языке".
LANGUAGE_NAMES_RU = {"en": "английском", "ru": "русском", "uk": "украинском",
                     "be": "белорусском", "de": "немецком", "fr": "французском",
                     "es": "испанском", "pl": "польском", "tr": "турецком", "ja": "японском",
                     "ro": "румынском", "it": "итальянском"}


def connectives(lang: str | None) -> dict[str, str]:
    """The renderers' phrases in ``lang`` (English for any language briefs are not written in)."""
    return CONNECTIVES.get(lang or "en", CONNECTIVES["en"])


def notes(lang: str) -> dict[str, str]:
    return NOTES.get(lang, NOTES["en"])


def day(value: date | None, lang: str = "en") -> str:
    """'8 April 2022'; '8 апреля 2022 г.'; '' for no day."""
    return day_words(value, lang) if value else ""


def and_list(items: list[str], lang: str = "en") -> str:
    """'A', 'A and B', 'A, B and C' (Russian: 'A, B и C')."""
    word = connectives(lang)["and"]
    if len(items) < 3:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def quoted(text: str, lang: str = "en") -> str:
    """A headline quoted as the language quotes: “…” in English, «…» in Russian."""
    return connectives(lang)["quote"].format(text)


# -- the storyline's heads and arc ---------------------------------------------------------
def title(countries: list[str], topic: str, lang: str = "en") -> str:
    """"Russia and Belarus: Unfriendly Countries"."""
    return f"{and_list(countries, lang)}: {topic}"


def short_label(countries: list[str], lang: str = "en") -> str:
    """"Russia–Belarus" ("Россия — Беларусь")."""
    return (" — " if lang == "ru" else "–").join(countries)


def arc_one(when: date | None, outlets: int, what: str, lang: str = "en") -> str:
    """"In summary" of a storyline of one development; ``what`` is a quoted headline or a
    sentence (without its full stop)."""
    if lang == "ru":
        by = (f", о котором {_reported_by(outlets)}" if outlets else "")
        return f"Сюжет охватывает одно событие ({day(when, lang)}){by}: {what}"
    by = f", reported by {outlets} outlet{'s' if outlets != 1 else ''}" if outlets else ""
    return f"The storyline follows one development ({day(when, lang)}){by}: {what}"


def arc(first: date, begun: str | None, count: int, outlets: int,
        named: list[tuple[str, date | None]], lang: str = "en") -> str:
    """"In summary"'s first sentence: since when (and what was first reported), how many
    developments by how many outlets, among them the ``named`` ones (headline, day)."""
    parts = [f"{quoted(label, lang)} ({day(when, lang)})" for label, when in named]
    if lang == "ru":
        text = (f"С {day(first, lang)}"
                + (f" (первое сообщение: {quoted(begun, lang)})" if begun else "")
                + f" сюжет прослеживает {russian.count(count, 'событие', 'события', 'событий')}"
                + (f", о которых {_reported_by(outlets)}" if outlets else ""))
        return text + (", в том числе " + and_list(parts, lang) if parts else "") + "."
    text = (f"Since {day(first, lang)}"
            + (f" (first: {quoted(begun, lang)})" if begun else "")
            + f", this storyline has followed {count} development{'s' if count != 1 else ''}"
            + (f" reported by {outlets} outlet{'s' if outlets != 1 else ''}" if outlets else ""))
    return text + (", among them " + and_list(parts, lang) if parts else "") + "."


def _reported_by(outlets: int) -> str:
    """"сообщили 13 СМИ" ("СМИ" does not decline; the verb follows the number)."""
    verb = russian.plural(outlets, "сообщило", "сообщили", "сообщили")
    return f"{verb} {outlets} СМИ"


def arc_newest(when: date | None, news: str, lang: str = "en") -> str:
    """"In summary"'s last sentence: the newest development, dated."""
    if lang == "ru":
        return f"Последнее событие — {day(when, lang)}: {news}"
    return f"The newest, on {day(when, lang)}: {news}"


def series(items: Sequence[str], conjunction: str) -> str:
    """"a", "a and b", "a, b and c" (``conjunction``: "and", "и")."""
    return (f"{', '.join(items[:-1])} {conjunction} {items[-1]}" if len(items) > 1
            else "".join(items))


def series_of_some(items: Sequence[str], limit: int, more: bool, lang: str = "en") -> str:
    """At most ``limit`` of ``items`` as a series, "and others" ("и другие") when there are
    more of them or ``more`` says the full list is longer: "Bermuda, the Cayman Islands and
    others"."""
    if len(items) > limit or more:
        return f"{', '.join(items[:limit])} {'и другие' if lang == 'ru' else 'and others'}"
    return series(items, "и" if lang == "ru" else "and")


def languages_adjective(codes: Sequence[str]) -> str:
    """"Ukrainian-language", "Ukrainian-, Russian- and Belarusian-language": every language of
    a development's reports, not only its first (a development reported in Russian, Ukrainian and
    Belarusian was "Ukrainian-language reports by Meduza and Белсат")."""
    names = [LANGUAGE_NAMES.get(code, code) for code in dict.fromkeys(codes)] or ["Other"]
    return series([f"{n}-" for n in names[:-1]] + [names[-1]], "and") + "-language"


def languages_ru(codes: Sequence[str]) -> str:
    """"белорусском языке", "белорусском и английском языках" (after "на")."""
    names = [LANGUAGE_NAMES_RU.get(code, "другом") for code in dict.fromkeys(codes)]
    names = names or ["другом"]
    return f"{series(names, 'и')} {'языках' if len(names) > 1 else 'языке'}"


def outlets_by_language(reports: Sequence[Article], langs: Sequence[str]) -> list[str]:
    """Outlets of ``reports`` in ``langs`` to name: the first of each language's (in the order
    of ``langs``), then the rest — three at most, two for one language: "Суспільне, Meduza
    and Белсат", not three Ukrainian outlets for a report in three languages."""
    outlets: list[str] = []
    for code in langs:
        outlets += sorted({a.source for a in reports if a.source and a.lang == code})[:1]
    outlets += sorted({a.source for a in reports if a.source and a.lang in langs}
                      - set(outlets))
    return outlets[:3 if len(langs) > 1 else 2]


def language_reports(codes: str | Sequence[str], lang: str = "en") -> str:
    """A bullet's label when all it shows came from reports in other languages (``codes``:
    one code or several, most reports first)."""
    codes = [codes] if isinstance(codes, str) else list(dict.fromkeys(codes))
    if lang == "ru":
        return f"Сообщения на {languages_ru(codes)}"
    return f"{languages_adjective(codes)} reports"


def actors_label(names: list[str], code: str, lang: str = "en") -> str:
    """A storyline's short label from its most coded actors ("Сирия, Башар Асад, США"); one
    actor alone is no label, so it is followed by the language of the reports ("США: сообщения
    на английском языке"), which alone labels a storyline without actors ('' without either)."""
    if len(names) > 1:
        return ", ".join(names)
    reports = language_reports(code, lang) if code else ""
    if names and reports:
        return f"{names[0]}: {reports[:1].lower()}{reports[1:]}"
    return reports or "".join(names)


def foreign_headline(text: str, code: str, lang: str = "en") -> str:
    """A headline in another language, quoted and marked: «…» (на английском языке)."""
    if lang == "ru":
        return f"«{text}» (на {LANGUAGE_NAMES_RU.get(code, 'другом')} языке)"
    return f"“{text}” (in {LANGUAGE_NAMES.get(code, 'another language')})"


def foreign_report(outlet: str, code: str, lang: str = "en") -> str:
    """What the summary says of a newest development known only by a headline in another
    language (the headline follows as the original)."""
    if lang == "ru":
        who = f"сообщение {outlet}" if outlet else "сообщение"
        return (f"{who} на {LANGUAGE_NAMES_RU.get(code, 'другом')} языке "
                f"(заголовок приведён в оригинале)")
    who = f"a report by {outlet}" if outlet else "a report"
    return (f"{who} in {LANGUAGE_NAMES.get(code, 'another language')} "
            f"(its headline quoted in the original)")


def report_intro(outlet: str, code: str, lang: str = "en") -> str:
    """What stands for a further other-language sentence of a development already told: the
    report it comes from, whose words follow as the original."""
    if lang == "ru":
        who = f"Сообщение {outlet}" if outlet else "Сообщение"
        return f"{who} на {LANGUAGE_NAMES_RU.get(code, 'другом')} языке приводится в оригинале."
    language = LANGUAGE_NAMES.get(code, "another language")
    who = f"{outlet}'s report" if outlet else "The report"
    return f"{who} in {language} is quoted in the original."


def fallback_label(related: bool, lang: str = "en") -> str:
    """A bullet's label when nothing names it."""
    if lang == "ru":
        return "Смежное сообщение" if related else "Дальнейшее развитие"
    return "Related report" if related else "Further development"


# -- a development told from its coded action ----------------------------------------------
#: How a coded action reads in Russian for a masculine subject, with a target (its case in
#: braces) and without one; :func:`russian.agree` fits the verb to the real subject.
VERBS_RU: dict[str, tuple[str, str]] = {
    "AGREE": ("достиг соглашения с {ablt}", "достиг соглашения"),
    "CONSULT": ("провёл переговоры с {ablt}", "провёл переговоры"),
    "SUPPORT": ("выразил поддержку {datv}", "выразил поддержку"),
    "CONCEDE": ("смягчил меры в отношении {gent}", "смягчил меры"),
    "COOPERATE": ("предпринял совместные шаги с {ablt}", "предпринял совместные шаги"),
    "AID": ("оказал помощь {datv}", "оказал помощь"),
    "RETREAT": ("отступил от позиций в отношении {gent}", "отступил от прежних позиций"),
    "REQUEST": ("выдвинул требования к {datv}", "выдвинул требования"),
    "ACCUSE": ("обвинил {accs}", "выступил с обвинениями"),
    "REJECT": ("отверг требования {gent}", "отверг требования"),
    "THREATEN": ("пригрозил {datv}", "выступил с угрозами"),
    "INVESTIGATE": ("начал расследование в отношении {gent}", "начал расследование"),
    "PROTEST": ("выразил протест против {gent}", "выразил протест"),
    "SANCTION": ("ввёл ограничительные меры против {gent}", "ввёл ограничительные меры"),
    "MOBILIZE": ("мобилизовал силы против {gent}", "мобилизовал силы"),
    "COERCE": ("принял принудительные меры против {gent}", "принял принудительные меры"),
    "ASSAULT": ("атаковал {accs}", "совершил нападение"),
    "FIGHT": ("вёл боевые действия против {gent}", "вёл боевые действия"),
    "VISIT": ("посетил {accs}", "совершил визит"),  # talks told as a visit to a country
    "APOLOGY": ("извинился перед {ablt}", "извинился"),  # a concession told as an apology
}
#: What a coded action is called in a Russian label ("Ограничительные меры Беларуси").
LABEL_NOUNS_RU: dict[str, str] = {
    "AGREE": "Соглашение", "CONSULT": "Переговоры", "SUPPORT": "Поддержка",
    "CONCEDE": "Смягчение мер", "COOPERATE": "Совместные шаги", "AID": "Помощь",
    "RETREAT": "Отступление", "REQUEST": "Требования", "ACCUSE": "Обвинения",
    "REJECT": "Отказ", "THREATEN": "Угрозы", "INVESTIGATE": "Расследование",
    "PROTEST": "Протест", "SANCTION": "Ограничительные меры", "MOBILIZE": "Мобилизация",
    "COERCE": "Принудительные меры", "ASSAULT": "Нападение", "FIGHT": "Боевые действия",
    "VISIT": "Визит",
    "APOLOGY": "Извинения",
}


def action_ru(dev: Development, *, dated: bool = True, attributed: bool = True) -> str | None:
    """A development told in Russian from its coded action, date and reports: "Правительство
    Беларуси включило государства в перечень … (8 апреля 2022 г.), по сообщениям СМИ на
    украинском языке (Європейська правда)." None when the coder found no usable action and
    nothing else can be said."""
    from .state import usable_action

    if not usable_action(dev):
        return reported_ru(dev) if attributed else None
    source, kind, target = dev.action  # type: ignore[misc]
    subject = russian.actor_name(source)
    if not subject:
        return reported_ru(dev) if attributed else None
    if target and target.startswith("LIST:"):
        what = f"включил государства в {russian.actor_name(target) or 'официальный перечень'}"
        if listed := listed_ru(dev):
            what = f"{what}: {listed}"
    else:
        with_target, alone = VERBS_RU[kind]
        other = russian.actor_name(target) if target else ""
        if kind == "VISIT":  # a visit is to the country, not to its government
            from .state import short_name

            other = short_name(target, lang="ru")
        person = bool(target and target.startswith("PERSON:"))
        woman = russian.is_woman(target)
        what = (with_target.format(**{case: russian.inflect(other, case, person=person,
                                                            woman=woman)
                                      for case in russian.CASES}) if other else alone)
    said = ""
    langs = [code for code in dev.languages() if code != "ru"]
    if attributed and langs:
        outlets = sorted({a.source for a in dev.reports if a.source and a.lang == langs[0]})
        by = f" ({', '.join(outlets[:2])})" if outlets else ""
        said = (f", по сообщениям СМИ на {LANGUAGE_NAMES_RU.get(langs[0], 'другом')} "
                f"языке{by}")
    when = f" ({day(dev.day, 'ru')})" if dated and dev.day else ""
    verb = russian.agree(what, subject, person=source.startswith("PERSON:"),
                         woman=russian.is_woman(source))
    return f"{subject[:1].upper()}{subject[1:]} {verb}{when}{said}."


def listed_ru(dev: Development) -> str:
    """The states a development put on an official list, in Russian and in the nominative
    (they follow a colon): "Бермуды, Каймановы острова, Фолклендские острова, Монтсеррат и
    другие"; '' when its reports name none the gazetteer has a Russian name for."""
    from .state import LISTED_SHOWN

    names = [re.sub(r"\s*\([^)]*\)", "", name) for a in dev.listed
             if (name := russian.actor_name(a)) and russian.is_cyrillic_name(name)]
    return series_of_some(names, LISTED_SHOWN, dev.listed_more, "ru")


def reported_ru(dev: Development) -> str | None:
    """What a Russian brief can say of a development without a usable coded action: which
    outlets reported it, in which language and when (the quotes stay as originals)."""
    langs = [code for code in dev.languages() if code != "ru"]
    if not langs:
        return None
    shown = outlets_by_language(dev.reports, langs)
    by = f" ({series(shown, 'и')})" if shown else ""
    when = f", {day(dev.day, 'ru')}" if dev.day else ""
    return f"Об этом событии сообщили СМИ на {languages_ru(langs)}{by}{when}; оригинал приведён."


def action_label_ru(kind: str, who: str, listed: bool, actor_id: str = "") -> str:
    """"Ограничительные меры Беларуси"; "Новые государства в перечне России"; "Переговоры
    Башара Асада" (``actor_id`` says whether ``who`` is a person, and a woman)."""
    if who and not russian.is_cyrillic_name(who):
        return ""  # a name the gazetteer has only in Latin script cannot head a Russian label
    whose = russian.inflect(who, "gent", person=actor_id.startswith("PERSON:"),
                            woman=russian.is_woman(actor_id))
    if listed and who:
        return f"Новые государства в перечне {whose}"
    noun = LABEL_NOUNS_RU[kind]
    return f"{noun} {whose}" if who else noun


def relation_what(named: list[str], terms: list[str], lang: str = "en") -> str:
    """What a related report says of the story: "names Russia and speaks of “unfriendly”"."""
    c = connectives(lang)
    what = []
    if named:
        key = "names_one" if len(named) == 1 else "names"
        what.append(c[key].format(names=and_list(named, lang)))
    if terms:
        key = "speaks_of_one" if len(terms) == 1 else "speaks_of"
        what.append(c[key].format(terms=and_list([quoted(t, lang) for t in terms], lang)))
    return f" {c['and']} ".join(what)


def list_phrase(name: str, list_id: str, lang: str = "en") -> str:
    """An official list as a tag names it: "Belarus's list of foreign states committing …";
    in Russian the list's own title, in the case "входящих в" takes."""
    if lang == "ru":
        own = russian.actor_name(list_id if list_id.startswith("LIST:") else f"LIST:{list_id}")
        if own:
            return russian.inflect(own, "accs")
    keeper, sep, what = name.partition(": ")
    return f"{keeper}'s list of {what}" if sep else name
