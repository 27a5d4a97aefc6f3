"""Coding of official 'unfriendly'-state lists: "the government approved / expanded its list of
unfriendly countries" is a SANCTION by that government against the list (``LIST:<id>``).

The general coder reads such sentences poorly (a list being *published* looks like cooperation
to a verb lexicon), yet they are the centre of the storylines this project follows: Russia's and
Belarus's lists and their additions. The rule is narrow on purpose: the sentence must name an
'unfriendly' list (en/ru/be/uk), and its issuer must be a country that keeps such a list in
``actors/data/official_lists.json``. Relations then expand ``LIST:`` targets to the list's members
on the record's date, so coordination between the two issuers becomes visible.

A record also keeps the states its sentence names that the list data has put on the list in the
days around the report (``meta["named"]``, with ``meta["added"]``, how many entries took effect
then): what a brief can say was added ("put Bermuda, the Cayman Islands … on its list"), each
name both reported and confirmed by the list's dated entries. A background mention of the list
("covering the United States, Britain …" two years on) names none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from ..actors.gazetteer import as_date
from ..actors.lists import ADDED_AFTER_DAYS, LIST_PREFIX, OfficialLists
from ..actors.resolve import Resolver
from ..model import Article, EventRecord
from ..text_units import split_sentences
from . import plover

_UNFRIENDLY = re.compile(r"unfriendl|недружеств|недружелюб|недружн|непрыязн|недружалюб", re.I)
_LIST = re.compile(r"\blist|перечн|перечен|списо?к|спіс|перелік|реестр", re.I)
_DIPLOMATIC = re.compile(r"diplomat|embass|consul|дипломат|посольств|консульств", re.I)


def _list_for(issuer: str, sentence: str, lists: OfficialLists,
              when: date | datetime | None = None) -> str | None:
    """The issuer's unfriendly-states list the sentence is about (diplomatic list if it says
    so), among those in force on ``when``: a report of 14 May 2021 on Russia's list of
    'unfriendly' states is about the diplomatic list of the day before, not the order of
    March 2022."""
    day = as_date(when)
    # in force then, or from the next day (an order reported before it takes effect)
    on = day + timedelta(days=ADDED_AFTER_DAYS) if day else None
    candidates = [lid for lid, lst in lists.lists.items()
                  if lst.issuer == issuer and "unfriendly" in lst.name.lower()
                  and (on is None or lists.entries(lid, on))]
    if not candidates:
        return None
    diplomatic = [lid for lid in candidates if "diplomatic" in lists.lists[lid].name.lower()]
    general = [lid for lid in candidates if lid not in diplomatic]
    if _DIPLOMATIC.search(sentence) and diplomatic:
        return diplomatic[0]
    return (general or candidates)[0]


def code_list_sentences(
    article: Article, resolver: Resolver, lists: OfficialLists, lead_chars: int | None = None
) -> list[EventRecord]:
    """SANCTION records for the article's sentences about an issuer's 'unfriendly' list."""
    text = article.text if lead_chars is None else article.text[:lead_chars]
    when: date | datetime | None = article.published
    issuers = {lst.issuer for lst in lists.lists.values()}
    records = []
    for sentence in [article.title, *split_sentences(text)]:
        if not sentence or not (_UNFRIENDLY.search(sentence) and _LIST.search(sentence)):
            continue
        mentions = resolver.resolve(sentence, when, article.lang)
        issuer = next((m.country for m in mentions if m.country in issuers), None)
        list_id = _list_for(issuer, sentence, lists, when) if issuer else None
        if list_id is None:
            continue
        meta: dict[str, object] = {"rule": "official-list", "list": list_id}
        added = {e.actor for e in lists.added_around(list_id, when)}
        named = [a for a in dict.fromkeys(m.actor_id.split(".")[0] for m in mentions)
                 if a in added]
        if named:  # the states the sentence names that were put on the list about then
            meta.update(named=named, added=len(added))
        records.append(EventRecord(
            source_actor=f"{issuer}.GOV", event_type="SANCTION",
            target_actor=f"{LIST_PREFIX}{list_id}", intensity=plover.intensity("SANCTION"),
            date=article.published, article_id=article.id, event_id=article.event_id,
            sentence=sentence, meta=meta,
        ))
    return records


def replace_list_sentences(
    coded: Sequence[EventRecord], list_records: Sequence[EventRecord]
) -> list[EventRecord]:
    """The general coder's records, less those from sentences the list rule coded, plus its own."""
    covered = [r.sentence for r in list_records]

    def same_sentence(a: str, b: str) -> bool:
        a, b = a.strip(), b.strip()
        return bool(a and b) and (a in b or b in a)

    kept = [r for r in coded if not any(same_sentence(r.sentence, s) for s in covered)]
    return kept + list(list_records)
