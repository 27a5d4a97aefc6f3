"""Which reports continue an incident rather than report a new happening.

The event clusterer keeps a report that tells of a *later day* out of an event it would otherwise
join (a court annulling an election two days after the intelligence was declassified; a second
sanctions package; a demolition seven weeks after the collapse): each is its own happening.

One kind of later report is, by the usual convention, part of the incident it follows: the
justice process and the aftermath of a crime or a disaster — the arrest, the charge, the trial, the
verdict and sentence, the victims named, the funeral. The TDT annotation rules count
"investigation, arrest, trial and sentencing" as part of a crime's event, and so does the gun-
violence clustering set the clusterer's weights come from. :func:`continues_incident` recognises
such a report by its headline, in English, Russian, Ukrainian and Belarusian.

Only the headline is read: a body that mentions an earlier arrest does not make a summit report a
follow-up. The words are about a person's case (arrested, charged, sentenced) or the dead
(funeral, victims named); "court" alone is not among them — a constitutional court annulling an
election is a new happening.

:func:`names_crime` says whether a headline names a violent crime (a shooting, a murder); the
clusterer then does not take the day the report's first sentence gives as the day of a new
happening (the investigation's news of the day belongs to the incident).
"""

from __future__ import annotations

import re

__all__ = ["continues_incident", "names_crime"]

_EN = re.compile(
    r"\b(?:arrest(?:s|ed|ing)?|suspects?|charge[sd]|charging|indict(?:ed|ment)|accused"
    r"|custody|booked|turn(?:s|ed)? (?:him|her)self in|surrender(?:s|ed)"
    r"|plead(?:s|ed)?|pled|guilty|convict(?:ed|ion)|acquit(?:s|ted|tal)|sentenc(?:e|ed|es|ing)"
    r"|verdict|jury|jurors|trial|hearing|arraign(?:ed|ment)?|prosecutors?"
    r"|gets \d+ (?:years|to life)|life in prison|behind bars"
    r"|funerals?|vigils?|mourn(?:s|ed|ers|ing)?|laid to rest|memorial service"
    r"|identif(?:y|ied|ies)|names? (?:the )?(?:victims?|dead)|victims? named)\b",
    re.IGNORECASE,
)

# Russian, Ukrainian, Belarusian stems (lower-cased headline).
_CYR = re.compile(
    r"(?:задержа|арестова|арешт|арышт|подозрева|підозрю|падазрава|обвиняем|предъяв\w* обвинени"
    r"|повідомили про підозру|приговор|вирок|прысуд|осужд|засуд|осуджен|суд присяжных|присяжн"
    r"|признал вину|визнав провину|похорон|поховали|пахавал|простились|прощани"
    r"|личности (?:погибших|жертв)|опознан|установлены личности)",
)


def continues_incident(headline: str) -> bool:
    """True when ``headline`` reports the justice process or the aftermath of an incident
    (an arrest, a charge, a trial, a sentence, the victims identified, a funeral)."""
    text = headline or ""
    return bool(_EN.search(text) or _CYR.search(text.lower()))


_CRIME = re.compile(r"\b(?:shootings?|shooters?|gunman|gunmen|gunfire|stabbings?|murders?"
                    r"|homicides?|killings?)\b", re.IGNORECASE)
_CRIME_CYR = re.compile(r"(?:стрельб|стралянін|стрілянин|стрелок|убийств|забойств|вбивств"
                        r"|поножовщин)")


def names_crime(headline: str) -> bool:
    """True when ``headline`` names a violent crime (a shooting, a murder). Such a report's
    first sentence often gives the day of the investigation's news ("the shooter left a note,
    police said on Friday") while the report is about the incident: the clusterer does not read
    that sentence's day as the day of a new happening."""
    text = headline or ""
    return bool(_CRIME.search(text) or _CRIME_CYR.search(text.lower()))
