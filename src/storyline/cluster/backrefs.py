"""Back-references: a report naming an earlier act by the month it came in.

News often ties itself to an earlier development without repeating it: "The list ... implements
Putin's August decree", "under rules introduced in April that let Moscow take over assets".
:func:`references` finds such phrases (English; a month name beside an act noun, with the
actor's possessive when there is one) and :meth:`Reference.month` dates them: the latest such
month at or before the report. The tracking stage (:mod:`storyline.cluster.tracked`) uses them
to gather the development a gathered report refers back to.

>>> [r.text for r in references("The list implements Putin's August decree.")]
["Putin's August decree"]
>>> references("under rules introduced in April that let Moscow take over assets")[0].act
'rules'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = ("January February March April May June July August September October November "
          "December").split()
#: Nouns of an act a later report refers back to.
ACTS = ("decree", "decrees", "order", "orders", "law", "laws", "list", "lists", "resolution",
        "ruling", "rules", "regulation", "regulations", "package", "sanctions", "ban",
        "measures", "agreement", "treaty", "deal", "directive", "decision")
_MONTH = "|".join(MONTHS)
_ACT = "|".join(ACTS)
#: "Putin's August decree", "the June sanctions package", "its March 2022 list"
_BEFORE = re.compile(
    rf"(?:\b(?P<who>[A-Z][\w.-]+)(?:'s|’s)\s+)?\b(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?"
    rf"\s+(?:\w+\s+)?(?P<act>{_ACT})\b")
#: "rules introduced in April", "the decree signed in August 2024"
_AFTER = re.compile(
    rf"\b(?P<act>{_ACT})\s+(?:\w+\s+){{0,2}}?(?:introduced|adopted|signed|issued|approved|"
    rf"announced|published|imposed|passed)\s+in\s+(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?"
    r"\b")


@dataclass(frozen=True)
class Reference:
    """One back-reference: the phrase, who (a possessive name, or ''), month, year, act."""

    text: str
    who: str
    month_name: str
    year: int | None
    act: str

    def month(self, published: date) -> tuple[int, int]:
        """(year, month) the act came in: the year given, else the latest such month at or
        before ``published`` ("August" in a September 2024 report: August 2024)."""
        number = MONTHS.index(self.month_name) + 1
        if self.year is not None:
            return self.year, number
        year = published.year if number <= published.month else published.year - 1
        return year, number


def references(text: str) -> list[Reference]:
    """The back-references in ``text``, in order (see the module's docstring)."""
    found: list[tuple[int, Reference]] = []
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(text or ""):
            groups = m.groupdict()
            year = int(groups["year"]) if groups.get("year") else None
            found.append((m.start(), Reference(m.group(0), groups.get("who") or "",
                                               groups["month"], year, groups["act"])))
    return [r for _, r in sorted(found, key=lambda x: x[0])]
