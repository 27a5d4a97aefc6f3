"""Atom feeds (RFC 4287) of brief updates and of alerts, built with ElementTree.

ElementTree escapes every text and attribute; characters XML 1.0 cannot carry (control codes
that turn up in scraped text) are removed first, so a feed reader never chokes on a feed.
Entry content is ``type="text"``: article-derived text is never sent as HTML to a reader.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

NS = "http://www.w3.org/2005/Atom"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Entry:
    """One feed entry; ``link`` is absolute."""

    id: str
    title: str
    updated: datetime | None
    link: str | None = None
    summary: str = ""


def clean(text: object) -> str:
    """Text safe to put in XML 1.0."""
    return _INVALID_XML.sub("", str(text or ""))


def _when(value: datetime | None) -> str:
    value = value or datetime(1970, 1, 1, tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed(feed_id: str, title: str, self_url: str, alt_url: str, entries: list[Entry]) -> bytes:
    """Serialise a feed; ``updated`` is the newest entry's time."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}feed")
    ET.SubElement(root, f"{{{NS}}}id").text = clean(feed_id)
    ET.SubElement(root, f"{{{NS}}}title").text = clean(title)
    newest = max((e.updated for e in entries if e.updated), default=None)
    ET.SubElement(root, f"{{{NS}}}updated").text = _when(newest)
    ET.SubElement(root, f"{{{NS}}}link", rel="self", href=clean(self_url))
    ET.SubElement(root, f"{{{NS}}}link", rel="alternate", href=clean(alt_url))
    author = ET.SubElement(root, f"{{{NS}}}author")
    ET.SubElement(author, f"{{{NS}}}name").text = "storyline"
    ET.SubElement(root, f"{{{NS}}}generator").text = "storyline"
    for e in entries:
        node = ET.SubElement(root, f"{{{NS}}}entry")
        ET.SubElement(node, f"{{{NS}}}id").text = clean(e.id)
        ET.SubElement(node, f"{{{NS}}}title", type="text").text = clean(e.title)
        ET.SubElement(node, f"{{{NS}}}updated").text = _when(e.updated)
        if e.link:
            ET.SubElement(node, f"{{{NS}}}link", rel="alternate", href=clean(e.link))
        if e.summary:
            ET.SubElement(node, f"{{{NS}}}summary", type="text").text = clean(e.summary)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
