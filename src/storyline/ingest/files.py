"""Articles from JSONL and CSV files.

Columns/keys: ``id, url, title, text, date, lang, source`` — all optional but ``text``
(``published`` is accepted for ``date``). A malformed row never stops the file: it is reported as
``file:line: reason`` and skipped, and the rows around it still go in.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Article
from ..normalize import clean_text, parse_date

#: Keys we read; anything else scalar is kept in ``Article.meta["fields"]``.
KNOWN_KEYS = ("id", "url", "title", "text", "date", "published", "lang", "source")
MAX_FIELD_CHARS = 2_000_000
#: JSON may escape a lone UTF-16 surrogate (``"\ud800"``), which no store can encode as UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Row:
    """One input row turned into an article, with where it came from."""

    article: Article
    location: str  # "file:line"
    external_key: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RowError:
    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


def unreadable(p: Path) -> RowError | None:
    """Why ``p`` cannot be read as an input file (missing, a directory, empty), or None."""
    if not p.exists():
        return RowError(str(p), "no such file")
    if p.is_dir():
        return RowError(str(p), "is a directory (give the files inside it)")
    try:
        with p.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        return RowError(str(p), f"cannot be read ({exc.strerror or exc})")
    if not head.strip():
        return RowError(str(p), "is empty")
    return None


def _binary(p: Path) -> RowError | None:
    """A refusal for a file that is not text (a NUL byte in its first 8 KB), else None."""
    with p.open("rb") as fh:
        if b"\x00" in fh.read(8192):
            return RowError(str(p), "is a binary file, not JSONL or CSV text")
    return None


def read_file(path: str | Path) -> Iterator[Row | RowError]:
    """Yield a ``Row`` or a ``RowError`` for every record of a .jsonl/.ndjson/.json/.csv file."""
    p = Path(path)
    suffix = p.suffix.lower()
    problem = unreadable(p) or _binary(p)
    if problem:
        yield problem
        return
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _read_jsonl(p)
    elif suffix in (".csv", ".tsv"):
        yield from _read_csv(p, delimiter="\t" if suffix == ".tsv" else ",")
    else:
        yield RowError(str(p), f"unsupported file type {suffix!r} (use .jsonl or .csv)")


def _lines(p: Path) -> Iterator[tuple[int, str]]:
    with p.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                yield lineno, raw.decode("utf-8")
            except UnicodeDecodeError:
                yield lineno, raw.decode("cp1252", errors="replace")


def _read_jsonl(p: Path) -> Iterator[Row | RowError]:
    for lineno, line in _lines(p):
        loc = f"{p}:{lineno}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RowError(loc, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:  # "[[[[…": the decoder gives up before finding an error
            yield RowError(loc, "invalid JSON (nested too deeply)")
            continue
        if not isinstance(record, dict):
            yield RowError(loc, f"expected a JSON object, got {type(record).__name__}")
            continue
        if _SURROGATE_ESCAPE.search(line):
            record = _no_surrogates(record)
        yield to_row(record, loc, p.stem)


def _no_surrogates(record: dict[str, Any]) -> dict[str, Any]:
    """The record with each lone surrogate in its keys and text values replaced by U+FFFD
    (nested values are never stored as they are, see :func:`to_row`)."""
    def clean(value: Any) -> Any:
        return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value

    return {clean(k): clean(v) for k, v in record.items()}


def _read_csv(p: Path, delimiter: str) -> Iterator[Row | RowError]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with p.open("rb") as fh:
        data = fh.read()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        yield RowError(f"{p}:1", "CSV header must name a 'text' column")
        return
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(f"{p}:{reader.line_num}", f"malformed CSV ({exc})")
            continue
        loc = f"{p}:{reader.line_num}"
        if None in record:
            yield RowError(loc, f"{len(record[None])} more fields than the header names")
            continue
        yield to_row({(k or "").strip().lower(): v for k, v in record.items()}, loc, p.stem)


def to_row(record: dict[str, Any], location: str, namespace: str) -> Row | RowError:
    """Validate one record and build its ``Article`` (text cleaned, date in UTC).

    The row's ``id`` is keyed within ``namespace`` (the file's name), so that re-reading the
    file finds the same articles.
    """
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return RowError(location, "missing or empty 'text'")
    for key in ("title", "url", "lang", "source"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return RowError(location, f"'{key}' must be a string")
    if len(text) > MAX_FIELD_CHARS:
        return RowError(location, f"'text' longer than {MAX_FIELD_CHARS:,} characters")
    warnings = []
    raw_date = record.get("date", record.get("published"))
    published = parse_date(raw_date)
    if raw_date not in (None, "") and published is None:
        warnings.append(f"{location}: date {str(raw_date)[:40]!r} unparseable or in the future")
    ext_id = record.get("id")
    source = (record.get("source") or "").strip() or None
    fields = {
        k: v for k, v in record.items()
        if k not in KNOWN_KEYS and isinstance(v, (str, int, float, bool)) and v != ""
    }
    article = Article(
        title=clean_text(record.get("title") or ""),
        text=clean_text(text),
        url=(record.get("url") or "").strip() or None,
        published=published,
        lang=(record.get("lang") or "").strip().lower()[:8] or None,
        source=source,
        external_id=str(ext_id) if ext_id not in (None, "") else None,
        meta={"fields": fields} if fields else {},
    )
    if not article.text:
        return RowError(location, "'text' is empty after removing markup")
    key = f"{namespace}:{article.external_id}" if article.external_id else None
    return Row(article, location, key, warnings)
