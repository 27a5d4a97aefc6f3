"""Official country lists (e.g. Russia's 'unfriendly' states) as dated, sourced facts.

A list is a group actor whose membership changes over time: ``LIST:RU-430-r`` on 2022-04-01 is
the 48 states of the March 2022 order, on 2022-11-01 it also holds the British territories added
in October. Every entry keeps the sources it was checked against and a ``verification`` marking,
so that a brief can cite why a state counts as 'unfriendly' on a given date.

The data lives in ``actors/data/official_lists.json`` (versioned with the package).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from .gazetteer import as_date

LIST_PREFIX = "LIST:"
#: A report can tell of entries that took effect up to this many days before it ...
ADDED_BEFORE_DAYS = 10
#: ... or this many days after it (an order published before it takes effect).
ADDED_AFTER_DAYS = 1


@dataclass(frozen=True)
class ListEntry:
    """One state or territory on one list from one date, with its evidence."""

    list_id: str
    actor: str  # ISO3 (or an X-code for territories without one)
    name: str
    start: date
    legal_basis: str = ""
    sources: tuple[str, ...] = ()
    verification: str = ""
    end: date | None = None
    parent: str | None = None
    note: str = ""


@dataclass
class OfficialList:
    """Metadata of one list: who issued it and under which act."""

    id: str
    name: str
    issuer: str
    legal_basis: str
    entries: list[ListEntry] = field(default_factory=list)
    name_ru: str = ""  # its title as a Russian sentence names it ("российский перечень …")


class OfficialLists:
    """All known official lists; query membership on a date.

    >>> lists = OfficialLists.load()
    >>> "USA" in lists.members("RU-430-r", "2022-04-01")
    True
    """

    def __init__(self, lists: dict[str, OfficialList]) -> None:
        self.lists = lists

    @classmethod
    def load(cls) -> OfficialLists:
        """Load the packaged lists (cached: the same object is returned on every call)."""
        return _load_packaged()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OfficialLists:
        """Build from the JSON structure used by the packaged file."""
        lists = {
            lid: OfficialList(lid, m["name"], m["issuer"], m.get("legal_basis", ""),
                              name_ru=m.get("name_ru", ""))
            for lid, m in data["lists"].items()
        }
        for e in data["entries"]:
            entry = ListEntry(
                list_id=e["list"],
                actor=e["actor"],
                name=e["name"],
                start=date.fromisoformat(e["from"]),
                legal_basis=e.get("legal_basis", ""),
                sources=tuple(e.get("sources", ())),
                verification=e.get("verification", ""),
                end=date.fromisoformat(e["to"]) if e.get("to") else None,
                parent=e.get("parent"),
                note=e.get("note", ""),
            )
            lists[entry.list_id].entries.append(entry)
        return cls(lists)

    def ids(self) -> list[str]:
        """The list ids, e.g. ``["RU-430-r", ...]``."""
        return sorted(self.lists)

    def entries(self, list_id: str, on: date | datetime | str | None = None) -> list[ListEntry]:
        """Entries in force on ``on`` (all entries ever when ``on`` is None)."""
        lid = list_id.removeprefix(LIST_PREFIX)
        if lid not in self.lists:
            raise KeyError(f"unknown official list: {list_id!r}; known: {self.ids()}")
        day = as_date(on)
        return [
            e
            for e in self.lists[lid].entries
            if day is None or (e.start <= day and (e.end is None or day < e.end))
        ]

    def added_around(self, list_id: str, on: date | datetime | str | None, *,
                     before: int = ADDED_BEFORE_DAYS, after: int = ADDED_AFTER_DAYS
                     ) -> list[ListEntry]:
        """Entries that took effect from ``before`` days before ``on`` to ``after`` days after
        it: what a report of that day about the list can be telling of (the order of
        5 March 2022 was published on 7 March; the territories of 30 October 2022 were added
        that day). Nothing for an unknown day or list."""
        day = as_date(on)
        lid = list_id.removeprefix(LIST_PREFIX)
        if day is None or lid not in self.lists:
            return []
        return [e for e in self.lists[lid].entries
                if -after <= (day - e.start).days <= before]

    def members(self, list_id: str, on: date | datetime | str | None = None) -> set[str]:
        """Actor ids (ISO3) on the list on date ``on``; a state added later is not a member."""
        return {e.actor for e in self.entries(list_id, on)}

    def is_member(self, list_id: str, actor: str, on: date | datetime | str | None) -> bool:
        """Whether ``actor`` (ISO3, or an id like ``USA.GOV``) was on the list on ``on``."""
        return actor.split(".")[0] in self.members(list_id, on)

    def lists_of(self, actor: str, on: date | datetime | str | None = None) -> list[str]:
        """The list ids that hold ``actor`` on ``on``."""
        return [lid for lid in self.ids() if self.is_member(lid, actor, on)]

    def expand(self, actor_id: str, on: date | datetime | str | None) -> list[str]:
        """Expand a group id ``LIST:...`` to its members on ``on``; other ids come back alone."""
        if actor_id.startswith(LIST_PREFIX):
            return sorted(self.members(actor_id, on))
        return [actor_id]


@lru_cache(maxsize=1)
def _load_packaged() -> OfficialLists:
    path = resources.files("storyline.actors").joinpath("data/official_lists.json")
    text = path.read_text("utf-8")
    return OfficialLists.from_dict(json.loads(text))


def members(list_id: str, on: date | datetime | str | None = None) -> set[str]:
    """Module-level shortcut: ``lists.members("RU-430-r", "2022-06-01")``."""
    return OfficialLists.load().members(list_id, on)


def expand(actor_id: str, on: date | datetime | str | None) -> list[str]:
    """Module-level shortcut for :meth:`OfficialLists.expand`."""
    return OfficialLists.load().expand(actor_id, on)
