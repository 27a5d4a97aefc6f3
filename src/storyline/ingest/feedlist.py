"""The user-editable feed list (TOML) → :class:`~storyline.model.Source` objects.

The packaged default, ``storyline/data/feeds.toml``, lists geopolitical news feeds; a user can
copy and edit it. Each ``[[feed]]`` table has ``name`` and ``url`` (required) and ``lang``,
``country`` (ISO 3166-1 alpha-3, upper case, like actor ids) and ``fetch_pages`` (default true).
Mistakes are reported as ``path:line: message`` so they can be fixed in an editor.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storyline.model import Source
from storyline.netguard import BlockedURL, check_saved_url

FIELDS = {"name", "url", "lang", "country", "fetch_pages"}
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_FEED_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*feed[ \t]*\]\]", re.M)
_LANG = re.compile(r"^[a-z]{2,3}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


class FeedListError(ValueError):
    """A feed list that cannot be read; the message starts with ``path:line:`` when known."""


def default_feed_list_path() -> Path:
    """Path of the packaged default feed list."""
    return Path(str(resources.files("storyline") / "data" / "feeds.toml"))


def load_feed_list(path: str | Path | None = None) -> list[Source]:
    """Read a feed list (the packaged default when ``path`` is None) into sources.

    Raises :class:`FeedListError` for an unreadable file, a TOML syntax error, a missing or
    mistyped field, an unknown key (a likely typo) or a repeated name or URL.
    """
    file = Path(path) if path is not None else default_feed_list_path()
    try:
        raw = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedListError(f"{file}: cannot read feed list: {exc}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POS.search(str(exc))
        where = f"{file}:{match.group(1)}" if match else str(file)
        message = _TOML_POS.sub("", str(exc)).strip()
        col = f" (column {match.group(2)})" if match else ""
        raise FeedListError(f"{where}: TOML syntax error: {message}{col}") from exc
    extra = set(data) - {"feed"}
    if extra:
        raise FeedListError(
            f"{file}: unknown top-level key(s) {sorted(extra)}; feeds go in [[feed]] tables"
        )
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        raise FeedListError(f"{file}: 'feed' must be an array of tables ([[feed]])")
    header_lines = [raw.count("\n", 0, m.start()) + 1 for m in _FEED_HEADER.finditer(raw)]
    sources: list[Source] = []
    names: dict[str, str] = {}
    urls: dict[str, str] = {}
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else None
        where = f"{file}:{line}" if line else f"{file}: feed #{index + 1}"
        try:
            source = source_from_mapping(entry)
        except ValueError as exc:
            raise FeedListError(f"{where}: {exc}") from exc
        key = source.name.casefold()
        if key in names:
            raise FeedListError(
                f"{where}: duplicate feed name {source.name!r} (first at {names[key]})"
            )
        if source.url in urls:
            raise FeedListError(
                f"{where}: duplicate feed URL {source.url} (first at {urls[source.url]})"
            )
        names[key] = where
        urls[source.url or ""] = where
        sources.append(source)
    return sources


def source_from_mapping(entry: Any) -> Source:
    """Validate one feed entry (from TOML, a CLI or an API call) and build a feed Source.

    Raises ``ValueError`` naming the offending field and value.
    """
    if not isinstance(entry, dict):
        raise ValueError(f"a feed entry must be a table, got {type(entry).__name__}")
    unknown = set(entry) - FIELDS
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)}; allowed: {sorted(FIELDS)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("'name' is required and must be a non-empty string")
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"feed {name!r}: 'url' is required and must be a string")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"feed {name!r}: 'url' must be an http(s) URL, got {url!r}")
    try:
        check_saved_url(url)
    except BlockedURL as exc:
        raise ValueError(f"feed {name!r}: {exc}") from None
    lang = entry.get("lang")
    if lang is not None and (not isinstance(lang, str) or not _LANG.match(lang.lower())):
        raise ValueError(f"feed {name!r}: 'lang' must be an ISO 639-1 code like 'en', got {lang!r}")
    country = entry.get("country")
    if country is not None and (
        not isinstance(country, str) or not _COUNTRY.match(country.upper())
    ):
        raise ValueError(
            f"feed {name!r}: 'country' must be an ISO 3166-1 alpha-3 code like 'GBR', "
            f"got {country!r}"
        )
    fetch_pages = entry.get("fetch_pages", True)
    if not isinstance(fetch_pages, bool):
        raise ValueError(f"feed {name!r}: 'fetch_pages' must be true or false, got {fetch_pages!r}")
    return Source(
        name=name.strip(),
        url=url,
        kind="feed",
        lang=lang.lower() if lang else None,
        country=country.upper() if country else None,
        fetch_pages=fetch_pages,
    )
