"""The data model: plain dataclasses shared by every stage, the store and the faces (CLI, web, API).

Stages take and return these objects; none of them knows about SQL. Timestamps are timezone-aware
UTC ``datetime`` objects (``None`` when unknown). Ids assigned by the store are integers; ids
that users type (sources, actors, storylines) are short strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Source:
    """Where articles come from: a feed, a file, a web page or a GDELT export.

    Health fields are updated by every fetch so that ``storyline feeds list`` can show which
    sources are failing and why.
    """

    name: str
    url: str | None = None
    kind: str = "feed"  # feed | file | page | gdelt
    lang: str | None = None
    country: str | None = None
    fetch_pages: bool = True  # fetch the full page when a feed item is only a teaser
    id: int | None = None
    # conditional GET state
    etag: str | None = None
    last_modified: str | None = None
    # health
    last_fetch: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0


@dataclass
class Article:
    """One report. ``duplicate_of`` links an exact or near copy to the first article seen."""

    title: str = ""
    text: str = ""
    url: str | None = None
    canonical_url: str | None = None
    published: datetime | None = None
    lang: str | None = None
    source: str | None = None  # outlet name as given by the input
    source_id: int | None = None
    external_id: str | None = None  # the id the input file gave it, if any
    content_hash: str | None = None
    duplicate_of: int | None = None
    duplicate_kind: str | None = None  # "exact" | "near"
    fetched: datetime | None = None
    event_id: int | None = None
    id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def lead(self) -> str:
        """Title plus the first few hundred characters of text: what is embedded and compared."""
        body = self.text[:600]
        return f"{self.title}. {body}" if self.title else body


@dataclass
class Event:
    """One real-world happening and the reports of it."""

    id: int | None = None
    label: str = ""
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    article_count: int = 0
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    representative_id: int | None = None
    storyline_id: str | None = None
    state: dict[str, Any] = field(default_factory=dict)  # clusterer state (centroid, terms, ...)


@dataclass
class Storyline:
    """Events of one long-running story, with a stable id."""

    id: str
    title: str = ""
    label: str = ""
    lifecycle: str = "breaking"  # breaking | developing | sustained | fading
    momentum: float = 0.0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    event_count: int = 0
    article_count: int = 0
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Actor:
    """A country, government, bloc, organisation, person or company with a stable id."""

    id: str  # e.g. "RUS", "RUS.GOV", "EU", "PERSON:putin"
    name: str
    kind: str  # country | government | bloc | organisation | person | company | group
    country: str | None = None  # ISO3 of the country it belongs to, if any
    aliases: dict[str, list[str]] = field(default_factory=dict)  # lang -> spellings
    wikidata: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class EventRecord:
    """Who did what to whom: one coded action from one sentence of one article."""

    source_actor: str
    event_type: str  # PLOVER category, e.g. "SANCTION"
    target_actor: str | None
    intensity: float  # -10 .. +10, Goldstein-compatible
    date: datetime | None = None
    article_id: int | None = None
    event_id: int | None = None
    sentence: str = ""
    id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: the id the record has where it came from (``gdelt:1234567``); None for our own coding
    key: str | None = None


@dataclass
class BriefVersion:
    """One version of a storyline's brief. ``body`` is the structured brief (sections, citations).

    The body follows docs/brief-schema.md (sections of sentences, each citing numbered
    sources; developments marked "development" or weakly "related").
    """

    storyline_id: str
    version: int
    created: datetime
    body: dict[str, Any]
    event_ids: list[int] = field(default_factory=list)


# A storyline's brief is the list of its versions; ``Brief`` names that for readers of the code.
Brief = list[BriefVersion]
