"""GDELT event exports → who-did-what-to-whom records (and, optionally, the reports behind them).

GDELT codes the world's news into CAMEO events every 15 minutes; its exports are tab-separated
files without a header, one event per line:

* GDELT 2.0 ``YYYYMMDDHHMMSS.export.CSV(.zip)``: 61 columns;
* GDELT 1.0 daily ``YYYYMMDD.export.CSV(.zip)``: 58 columns (no ``ADM2Code`` columns);
* GDELT 1.0 historical backfiles: 57 columns (no ``SOURCEURL`` either);
* a BigQuery export with a header row naming the columns (``GLOBALEVENTID,SQLDATE,...``),
  comma- or tab-separated: the columns are read by name.

Each event becomes an :class:`~storyline.model.EventRecord` in our own terms, so relations,
coordination, actor pages and watches work on it as on the records the coder writes:

* **type**: the CAMEO event code through the CAMEO → PLOVER table of
  :mod:`storyline.events.plover` (CAMEO 01x, "make public statement", has no PLOVER type: such
  rows are skipped and counted);
* **intensity**: GDELT's Goldstein value for the row (the per-code value when the row has none);
* **actors**: a named person, organisation or company that our gazetteer knows (``VLADIMIR
  PUTIN`` → ``PERSON:putin`` on the event's date); otherwise the CAMEO country code, as the
  government (``RUS.GOV``) when the actor's type is ``GOV``; otherwise a bloc from its CAMEO
  known-group code (``EEC`` → ``EU``, ``NAT`` → ``NATO``, ``UNO`` → ``UN``). A row whose source
  actor is none of these (a region, an unnamed group) is skipped and counted;
* **date**: ``SQLDATE`` (the day GDELT dates the event to), UTC midnight;
* **key**: ``gdelt:GLOBALEVENTID``, so importing a file twice adds nothing;
* **meta**: ``origin = "gdelt"``, the CAMEO code, the source URL, GDELT's actor names and
  codes, sectors, mentions/sources/articles counts, tone and whether it is a root event.

A malformed line never stops the file: it is reported as ``file:line: reason`` and the rest goes
in (:func:`read_export`). The reports themselves are not in the export, only their URLs:
:func:`attach_articles` links the imported records to articles already stored under the same URL
(importing an export again links what was stored since), and the CLI's ``--fetch-pages`` fetches
the pages first (politely, with the private-address guard).
:func:`fetch_latest` downloads GDELT 2.0's newest 15-minute export, checked against the MD5 its
update list gives.
"""

from __future__ import annotations

import csv
import hashlib
import io
import lzma
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..actors.gazetteer import Gazetteer
from ..actors.resolve import Resolver, default_resolver
from ..dedupe import canonical_url
from ..events import plover
from ..model import Article, EventRecord
from ..store import Store
from .files import RowError, unreadable
from .http import PoliteClient
from .pages import fetch_article

if TYPE_CHECKING:
    from ..pipeline import Progress

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_ACTION = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
           "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")


def _geo(prefix: str, adm2: bool) -> list[str]:
    cols = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else [])
    return [f"{prefix}Geo_{c}" for c in cols + ["Lat", "Long", "FeatureID"]]


def _columns(adm2: bool, url: bool) -> list[str]:
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    cols += [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR] + list(_ACTION)
    cols += _geo("Actor1", adm2) + _geo("Actor2", adm2) + _geo("Action", adm2) + ["DATEADDED"]
    return cols + (["SOURCEURL"] if url else [])


#: Column names by the number of fields of a headerless export line.
LAYOUTS: dict[int, list[str]] = {
    61: _columns(adm2=True, url=True),  # GDELT 2.0
    58: _columns(adm2=False, url=True),  # GDELT 1.0 daily files
    57: _columns(adm2=False, url=False),  # GDELT 1.0 historical backfiles
}
REQUIRED = ("GLOBALEVENTID", "SQLDATE", "EventCode")

#: CAMEO known-group codes of blocs and organisations in our gazetteer (CAMEO actor codebook).
KNOWN_GROUPS: dict[str, str] = {
    "UNO": "UN", "EEC": "EU", "NAT": "NATO", "CIS": "CIS", "ASN": "ASEAN", "ARL": "ARAB_LEAGUE",
    "OPC": "OPEC", "IMF": "IMF", "WBK": "WORLD_BANK", "WTO": "WTO", "WHO": "WHO", "IAE": "IAEA",
    "ICC": "ICC", "ICJ": "ICJ", "GCC": "GCC", "AFU": "AU", "OSC": "OSCE", "IRC": "ICRC",
    "AMN": "AMNESTY", "HRW": "HRW", "MSF": "MSF",
}
#: CAMEO actor type codes → the sectors the resolver uses.
SECTORS: dict[str, str] = {
    "GOV": "government", "LEG": "government", "JUD": "judiciary", "MIL": "military",
    "COP": "police", "SPY": "intelligence", "BUS": "business", "MNC": "business",
    "MED": "media", "EDU": "education", "CVL": "civil society", "HRI": "civil society",
    "NGO": "civil society", "OPP": "opposition", "REB": "rebels", "INS": "rebels",
    "SEP": "rebels", "IGO": "international", "REF": "civil society", "LAB": "civil society",
}
#: The kinds of gazetteer actor a GDELT actor name may resolve to (countries and governments
#: come from the CAMEO codes, which are more reliable than a bare "MOSCOW").
_NAMED_KINDS = {"person", "organisation", "bloc", "company", "group"}


@dataclass
class GdeltRow:
    """One export line by column name, with where it came from."""

    fields: dict[str, str]
    location: str  # "file:line"


@dataclass
class ImportSummary:
    """What an import did: rows read, records added or already there, and why rows were skipped."""

    rows: int = 0
    added: int = 0
    already_stored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    linked: int = 0
    #: the imported records' keys by source URL, and each URL's mentions (for page fetching)
    keys_by_url: dict[str, list[str]] = field(default_factory=dict, repr=False)
    url_mentions: Counter[str] = field(default_factory=Counter, repr=False)

    def top_urls(self, limit: int) -> list[str]:
        """The imported records' web addresses, most mentioned first."""
        web = [u for u in self.url_mentions if u.startswith(("http://", "https://"))]
        return sorted(web, key=lambda u: (-self.url_mentions[u], u))[:limit]

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "added": self.added, "already_stored": self.already_stored,
                "skipped": dict(self.skipped), "rejected": len(self.errors),
                "errors": self.errors[:100], "linked_to_articles": self.linked}


# ------------------------------------------------------------------------------------ reading
def read_export(path: str | Path) -> Iterator[GdeltRow | RowError]:
    """Yield every line of a GDELT export (``.CSV``, ``.csv``, ``.tsv``, ``.txt`` or a ``.zip``
    holding one) as a :class:`GdeltRow`, or a :class:`RowError` saying why it cannot be read."""
    p = Path(path)
    problem = unreadable(p)
    if problem:
        yield problem
        return
    try:
        text, label = _read_text(p)
    # a damaged archive raises any of these, depending on where the damage is
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError,
            zlib.error, lzma.LZMAError) as exc:
        yield RowError(str(p), f"cannot read the export: {exc or type(exc).__name__}")
        return
    yield from _parse(text, label)


def _read_text(p: Path) -> tuple[str, str]:
    if p.suffix.lower() == ".zip":
        with zipfile.ZipFile(p) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise ValueError(f"expected one file in the archive, found {len(names)}")
            data, label = zf.read(names[0]), f"{p}!{names[0]}"
    else:
        data, label = p.read_bytes(), str(p)
    try:
        return data.decode("utf-8-sig"), label
    except UnicodeDecodeError:
        return data.decode("latin-1"), label


def _parse(text: str, label: str) -> Iterator[GdeltRow | RowError]:
    body = text.lstrip("\r\n")
    first_line = text.count("\n", 0, len(text) - len(body)) + 1  # where the first text line is
    head = body.split("\n", 1)[0].split("\r", 1)[0]  # old Mac files end lines with \r alone
    header: list[str] | None = None
    delimiter = "\t"
    if head.lstrip().upper().startswith("GLOBALEVENTID"):
        delimiter = "\t" if "\t" in head else ","
        try:
            header = [h.strip() for h in next(csv.reader([head], delimiter=delimiter))]
        except csv.Error as exc:  # e.g. a field over csv's size limit
            yield RowError(f"{label}:{first_line}", f"malformed header ({exc})")
            return
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            yield RowError(f"{label}:{first_line}", f"header lacks {', '.join(missing)}")
            return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field over csv's size limit: that line only
            yield RowError(f"{label}:{reader.line_num}", f"malformed line ({exc})")
            continue
        if not values or not any(v.strip() for v in values):
            continue
        loc = f"{label}:{reader.line_num}"
        if header is not None:
            if reader.line_num == first_line:
                continue
            if len(values) != len(header):
                yield RowError(loc, f"{len(values)} fields, the header names {len(header)}")
                continue
            yield GdeltRow(dict(zip(header, values, strict=True)), loc)
            continue
        names = LAYOUTS.get(len(values))
        if names is None:
            yield RowError(loc, f"{len(values)} tab-separated fields; a GDELT event export line "
                                "has 57, 58 or 61")
            continue
        yield GdeltRow(dict(zip(names, values, strict=True)), loc)


# ------------------------------------------------------------------------------------ mapping
class RecordMapper:
    """Turns export rows into records in our actor ids and PLOVER types."""

    def __init__(self, gazetteer: Gazetteer | None = None, resolver: Resolver | None = None):
        self.gaz = gazetteer or Gazetteer.load()
        self._resolver = resolver
        self._names: dict[tuple[str, int], str | None] = {}

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            self._resolver = default_resolver()
        return self._resolver

    def record(self, row: GdeltRow) -> EventRecord | str:
        """The row's record, or the reason it has none (a short phrase, counted by callers)."""
        f = row.fields
        gid = f.get("GLOBALEVENTID", "").strip()
        if not gid.isdigit():
            return "no GLOBALEVENTID"
        day = _sqldate(f.get("SQLDATE", ""))
        if day is None:
            return "no valid SQLDATE"
        code = f.get("EventCode", "").strip()
        etype = plover.cameo_to_plover(code) if code.isdigit() else None
        if etype is None:
            return "statement or unknown CAMEO code (no PLOVER type)"
        source = self.actor(f, "Actor1", day)
        if source is None:
            return "no known source actor"
        target = self.actor(f, "Actor2", day)
        try:
            intensity = float(f.get("GoldsteinScale", ""))
        except ValueError:
            intensity = plover.intensity(etype, code)
        meta: dict[str, Any] = {
            "origin": "gdelt", "cameo": code, "url": f.get("SOURCEURL", "").strip() or None,
            "root_event": f.get("IsRootEvent", "").strip() == "1",
            "source_name": f.get("Actor1Name", "").strip(),
            "source_code": f.get("Actor1Code", "").strip(),
            "target_name": f.get("Actor2Name", "").strip(),
            "target_code": f.get("Actor2Code", "").strip(),
        }
        for side, prefix in (("source", "Actor1"), ("target", "Actor2")):
            sector = SECTORS.get(f.get(f"{prefix}Type1Code", "").strip())
            if sector:
                meta[f"{side}_sector"] = sector
        for key, col in (("mentions", "NumMentions"), ("sources", "NumSources"),
                         ("articles", "NumArticles")):
            if f.get(col, "").strip().isdecimal():  # not isdigit(): int() refuses "²"
                meta[key] = int(f[col])
        try:
            meta["tone"] = round(float(f.get("AvgTone", "")), 3)
        except ValueError:
            pass
        return EventRecord(
            source_actor=source, event_type=etype, target_actor=target,
            intensity=max(-10.0, min(10.0, intensity)), date=day, key=f"gdelt:{gid}",
            meta={k: v for k, v in meta.items() if v not in (None, "")},
        )

    def actor(self, f: dict[str, str], prefix: str, day: datetime) -> str | None:
        """Our id for one side of the row (``Actor1`` / ``Actor2``), or None."""
        named = self._named(f.get(f"{prefix}Name", ""), day)
        if named:
            return named
        country = _country(self.gaz, f.get(f"{prefix}CountryCode", ""))
        if country:
            is_gov = f.get(f"{prefix}Type1Code", "").strip() == "GOV"
            return f"{country}.GOV" if is_gov and self.gaz.get(f"{country}.GOV") else country
        group = KNOWN_GROUPS.get(f.get(f"{prefix}KnownGroupCode", "").strip())
        if group and self.gaz.get(group):
            return group
        return None

    def _named(self, name: str, day: datetime) -> str | None:
        """A person, organisation or company the whole GDELT name resolves to (cached per
        year: who holds an office is dated, a name is not)."""
        name = " ".join(name.split())
        if len(name) < 3:
            return None
        key = (name, day.year)
        if key not in self._names:
            text = name.title() if name.isupper() else name
            found = None
            for m in self.resolver.resolve(text, day):
                covers = m.end - m.start >= 0.6 * len(text)
                if covers and m.kind in _NAMED_KINDS and not m.meta.get("fallback"):
                    found = m.actor_id
                    break
            self._names[key] = found
        return self._names[key]


def _sqldate(value: str) -> datetime | None:
    value = value.strip()
    if len(value) != 8 or not value.isdigit():
        return None
    try:
        return datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        return None


#: CAMEO country codes that differ from ISO 3166-1 alpha-3.
CAMEO_COUNTRIES = {"ROM": "ROU", "GER": "DEU", "JAP": "JPN", "ITL": "ITA", "KOS": "XKX",
                    "TMP": "TLS", "ZAR": "COD", "BUR": "MMR"}


def _country(gaz: Gazetteer, code: str) -> str | None:
    code = code.strip().upper()
    code = CAMEO_COUNTRIES.get(code, code)
    actor = gaz.get(code) if len(code) == 3 else None
    return code if actor is not None and actor.kind == "country" else None


# ------------------------------------------------------------------------------------ storing
def import_exports(store: Store, paths: Iterable[str | Path], *, root_only: bool = False,
                   min_mentions: int = 0, mapper: RecordMapper | None = None,
                   batch: int = 2000, progress: Progress | None = None) -> ImportSummary:
    """Read GDELT exports into ``store`` as event records; link them to stored articles.

    ``root_only`` keeps GDELT's root events (those from a sentence's main clause, which GDELT
    recommends for counting); ``min_mentions`` drops events mentioned fewer times than that.
    The summary keeps the records' keys and mentions by source URL, so that pages can be
    fetched and linked afterwards without reading the exports again.
    """
    mapper = mapper or RecordMapper()
    summary = ImportSummary()
    pending: list[EventRecord] = []
    for path in paths:
        for item in read_export(path):
            if isinstance(item, RowError):
                summary.errors.append(str(item))
                continue
            summary.rows += 1
            rec = mapper.record(item)
            if isinstance(rec, str):
                summary.skipped[rec] += 1
                continue
            if root_only and not rec.meta.get("root_event"):
                summary.skipped["not a root event"] += 1
                continue
            if rec.meta.get("mentions", 0) < min_mentions:
                summary.skipped[f"fewer than {min_mentions} mentions"] += 1
                continue
            pending.append(rec)
            url = rec.meta.get("url")
            if url and rec.key:
                summary.keys_by_url.setdefault(url, []).append(rec.key)
                summary.url_mentions[url] += rec.meta.get("mentions", 1)
            if len(pending) >= batch:
                _store_batch(store, pending, summary)
                pending = []
                if progress:
                    progress("import GDELT events", summary.rows, None)
    if pending:
        _store_batch(store, pending, summary)
    if progress:
        progress("import GDELT events", summary.rows, summary.rows)
    summary.linked = attach_articles(store, summary.keys_by_url)
    return summary


def _store_batch(store: Store, records: list[EventRecord], summary: ImportSummary) -> None:
    added = store.add_event_records(records)
    summary.added += added
    summary.already_stored += len(records) - added


def fetch_reports(store: Store, urls: Iterable[str], client: PoliteClient,
                  progress: Progress | None = None) -> tuple[list[Article], list[str]]:
    """The pages of ``urls`` not stored yet, as articles (title, main text, date from the page),
    and a warning for each page that could not be fetched or gave no text."""
    todo = [u for u in urls if store.find_article(canonical_url(u), None, None) is None]
    articles, warnings = [], []
    for n, url in enumerate(todo, 1):
        article, problem = fetch_article(url, client)
        if article is None:
            warnings.append(f"{url}: {problem}")
        else:
            article.meta["from"] = "gdelt"
            articles.append(article)
        if progress:
            progress("fetch pages", n, len(todo))
    return articles, warnings


#: GDELT 2.0 lists its newest 15-minute files here: size, MD5 and URL, one file a line.
LATEST_URL = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"
#: The newest export is well under this (a 15-minute event export zip is ~0.1-1 MB).
MAX_EXPORT_BYTES = 50_000_000


def fetch_latest(client: PoliteClient, folder: Path, update_url: str = LATEST_URL
                 ) -> tuple[Path | None, str | None]:
    """Download the newest GDELT 2.0 event export named in ``update_url`` into ``folder``.

    Returns ``(path, None)`` — the file, checked against the size and MD5 the list gives (a file
    already there with the right MD5 is not fetched again) — or ``(None, why not)``. A damaged or
    changed download is never kept, so nothing wrong is imported.
    """
    listing = client.get(update_url, accept="text/plain")
    if listing.error:
        return None, f"update list: {listing.error}"
    entry = None
    for line in listing.body.decode("utf-8", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].lower().endswith(".export.csv.zip"):
            entry = parts
            break
    if entry is None:
        return None, f"no event export is listed in {update_url}"
    size, md5, url = entry
    target = folder / url.rsplit("/", 1)[-1]
    if target.exists() and hashlib.md5(target.read_bytes()).hexdigest() == md5.lower():
        return target, None
    resp = client.get(url, accept="application/zip, application/octet-stream, */*")
    if resp.error:
        return None, resp.error
    if resp.truncated:
        return None, f"{url} is larger than {client.max_bytes:,} bytes; nothing imported"
    if size.isdecimal() and len(resp.body) != int(size):
        return None, f"{url}: got {len(resp.body):,} bytes, the list says {int(size):,}"
    if hashlib.md5(resp.body).hexdigest() != md5.lower():
        return None, f"{url}: MD5 differs from the list's; the file is damaged or was replaced"
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(resp.body)
    partial.replace(target)
    return target, None


def attach_articles(store: Store, keys_by_url: dict[str, list[str]]) -> int:
    """Give the imported records (their keys, by source URL) that have no article yet the
    stored article of their URL (a copy's original) and its event; returns how many were
    linked. Only this import's URLs are looked up, so an import costs the same however many
    records earlier imports left without a stored report."""
    links: list[tuple[str, int, int | None]] = []
    for url, keys in keys_by_url.items():
        found = store.find_article(canonical_url(url), None, None)
        article = store.article(found[0]) if found else None
        if article is not None and article.duplicate_of is not None:
            article = store.article(article.duplicate_of) or article
        if article is not None and article.id is not None:
            links.extend((key, article.id, article.event_id) for key in keys)
    return store.link_records(links) if links else 0
