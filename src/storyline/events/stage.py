"""The event-coding stage: clustered articles → who-did-what-to-whom records in the store.

Reads the title and lead of each clustered original not yet coded (the lead is where news puts
who did what; reading whole texts would multiply the parse cost for little gain), codes it with
:class:`~storyline.events.coder.Coder` on the article's date, and stores the records with their
article and event ids. Each batch is one transaction, so a killed run resumes.
"""

from __future__ import annotations

from dataclasses import replace

from ..actors.lists import OfficialLists
from ..store import Store
from .coder import Coder, default_coder
from .official_lists import code_list_sentences, replace_list_sentences

#: Characters of body text coded per article (title always).
LEAD_CHARS = 1200


class CodingStage:
    def __init__(self, store: Store, *, coder: Coder | None = None, batch: int = 100,
                 lead_chars: int = LEAD_CHARS):
        self.store = store
        self.coder = coder
        self.batch = batch
        self.lead_chars = lead_chars
        self.lists = OfficialLists.load()

    def run(self, progress=None) -> dict[str, int]:  # noqa: ANN001 - pipeline.Progress
        """Code every pending article; returns counts of articles read and records written."""
        articles_done = records_done = 0
        while True:
            articles = self.store.uncoded_articles(self.batch)
            if not articles:
                break
            coder = self.coder = self.coder or default_coder()
            leads = [replace(a, text=_cut(a.text, self.lead_chars)) for a in articles]
            records = []
            for lead, coded in zip(leads, coder.code_articles(leads), strict=True):
                listed = code_list_sentences(lead, coder.resolver, self.lists)
                records.extend(replace_list_sentences(coded, listed))
            with self.store.transaction():
                self.store.add_event_records(records)
                self.store.mark_coded(a.id for a in articles if a.id is not None)
            articles_done += len(articles)
            records_done += len(records)
            if progress:
                progress("code events", articles_done, None)
        return {"coded_articles": articles_done, "event_records": records_done}


def _cut(text: str, limit: int) -> str:
    """The text up to ``limit`` characters, ending at a sentence end where one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > limit // 2 else cut
