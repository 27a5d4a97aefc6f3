"""GDELT event exports: reading every layout, mapping to our actors and PLOVER types, storing
idempotently, and the records feeding relations and coordination.

The export lines are written here from the GDELT codebook's column layout; the events in them
are invented (their ids, URLs and mentions mean nothing).
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from storyline.events.relations import coordination, dyad_series
from storyline.ingest.files import RowError
from storyline.ingest.gdelt import LAYOUTS, GdeltRow, RecordMapper, import_exports, read_export
from storyline.store import open_store


def line(width: int = 61, **values: str) -> str:
    """One headerless export line of ``width`` columns with the given fields set."""
    cols = LAYOUTS[width]
    unknown = set(values) - set(cols)
    assert not unknown, unknown
    return "\t".join(values.get(c, "") for c in cols)


def event(gid: int, day: str, code: str, a1: dict[str, str], a2: dict[str, str] | None = None,
          width: int = 61, **extra: str) -> str:
    fields = {"GLOBALEVENTID": str(gid), "SQLDATE": day, "EventCode": code, **extra}
    fields.update({f"Actor1{k}": v for k, v in a1.items()})
    fields.update({f"Actor2{k}": v for k, v in (a2 or {}).items()})
    return line(width, **fields)


RUS_GOV = {"Code": "RUSGOV", "Name": "RUSSIA", "CountryCode": "RUS", "Type1Code": "GOV"}
BLR_GOV = {"Code": "BLRGOV", "Name": "BELARUS", "CountryCode": "BLR", "Type1Code": "GOV"}
POL = {"Code": "POL", "Name": "POLAND", "CountryCode": "POL"}
LTU = {"Code": "LTU", "Name": "LITHUANIA", "CountryCode": "LTU"}


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mapper() -> RecordMapper:
    return RecordMapper()


def rows(path: Path) -> list[GdeltRow | RowError]:
    return list(read_export(path))


# ------------------------------------------------------------------------------------ reading
def test_every_export_layout_is_read_by_its_width(tmp_path):
    path = write(tmp_path / "x.export.CSV", [
        event(1, "20220307", "163", RUS_GOV, POL, SOURCEURL="https://a.example/1"),  # 2.0
        event(2, "20130401", "036", POL, width=58, SOURCEURL="https://a.example/2"),  # 1.0 daily
        event(3, "19990101", "042", POL, width=57),  # 1.0 historical: no SOURCEURL
    ])
    got = rows(path)
    assert [r.fields["GLOBALEVENTID"] for r in got] == ["1", "2", "3"]
    assert got[0].fields["SOURCEURL"] == "https://a.example/1"
    assert got[1].fields["SOURCEURL"] == "https://a.example/2"
    assert "SOURCEURL" not in got[2].fields
    assert got[2].location.endswith("x.export.CSV:3")


def test_a_zipped_export_and_a_bigquery_csv_with_a_header_are_read(tmp_path):
    plain = event(7, "20220308", "042", BLR_GOV, RUS_GOV)
    archive = tmp_path / "20220308.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("20220308.export.CSV", plain + "\n")
    assert [r.fields["Actor1Code"] for r in rows(archive)] == ["BLRGOV"]

    bq = tmp_path / "bq.csv"
    bq.write_text("GLOBALEVENTID,SQLDATE,EventCode,Actor1Code,Actor1Name,Actor1CountryCode,"
                  "GoldsteinScale,SOURCEURL\n"
                  '9,20220309,163,RUSGOV,"RUSSIA, FEDERATION",RUS,-8.0,https://b.example/9\n',
                  encoding="utf-8")
    (row,) = rows(bq)
    assert row.fields["Actor1Name"] == "RUSSIA, FEDERATION" and row.fields["SQLDATE"] == "20220309"


def test_bad_lines_are_reported_with_their_place_and_the_rest_goes_in(tmp_path):
    path = write(tmp_path / "bad.CSV", [
        event(1, "20220307", "163", RUS_GOV, POL),
        "not\tan\texport\tline",
        event(2, "20220307", "163", BLR_GOV, POL),
    ])
    got = rows(path)
    assert [type(r).__name__ for r in got] == ["GdeltRow", "RowError", "GdeltRow"]
    assert str(got[1]) == f"{path}:2: 4 tab-separated fields; a GDELT event export line has 57, " \
                          "58 or 61"
    assert "no such file" in str(rows(tmp_path / "missing.CSV")[0])
    assert "directory" in str(rows(tmp_path)[0])
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.CSV", "")
        zf.writestr("b.CSV", "")
    assert "expected one file" in str(rows(two)[0])


# ------------------------------------------------------------------------------------ mapping
def _record(mapper: RecordMapper, tmp_path: Path, text: str):
    (row,) = rows(write(tmp_path / "one.CSV", [text]))
    return mapper.record(row)


def test_cameo_codes_and_names_map_to_our_actors_types_and_intensity(mapper, tmp_path):
    rec = _record(mapper, tmp_path, event(
        11, "20220307", "163", RUS_GOV, POL, GoldsteinScale="-8.0", NumMentions="12",
        IsRootEvent="1", SOURCEURL="https://a.example/s"))
    assert (rec.source_actor, rec.event_type, rec.target_actor) == ("RUS.GOV", "SANCTION", "POL")
    assert rec.intensity == -8.0 and rec.date.date() == date(2022, 3, 7)
    assert rec.key == "gdelt:11"
    assert rec.meta["origin"] == "gdelt" and rec.meta["cameo"] == "163"
    assert rec.meta["url"] == "https://a.example/s" and rec.meta["mentions"] == 12
    assert rec.meta["root_event"] is True and rec.meta["source_sector"] == "government"

    # Named people resolve to our person ids (in GDELT's upper case); blocs by known-group code.
    people = _record(mapper, tmp_path, event(
        12, "20220308", "042", {"Name": "ALEXANDER LUKASHENKO", "CountryCode": "BLR"},
        {"Name": "VLADIMIR PUTIN", "CountryCode": "RUS"}))
    assert (people.source_actor, people.event_type, people.target_actor) == (
        "PERSON:lukashenko", "CONSULT", "PERSON:putin")
    bloc = _record(mapper, tmp_path, event(
        13, "20220308", "1041", {"Code": "IGOEUREEC", "KnownGroupCode": "EEC"}, BLR_GOV))
    assert (bloc.source_actor, bloc.target_actor) == ("EU", "BLR.GOV")
    # A row without a Goldstein value takes the CAMEO code's own; CAMEO's ROM is Romania.
    romania = _record(mapper, tmp_path, event(
        14, "20130401", "057", {"Code": "ROM", "CountryCode": "ROM"},
        {"Code": "IGOWSTNAT", "KnownGroupCode": "NAT"}, width=58))
    assert (romania.source_actor, romania.event_type, romania.target_actor) == (
        "ROU", "AGREE", "NATO")
    assert romania.intensity == 8.0


@pytest.mark.parametrize("text, reason", [
    (event(21, "20220307", "010", RUS_GOV, POL), "statement or unknown CAMEO code"),
    (event(22, "20220307", "163", {"Code": "EUR", "CountryCode": "EUR"}, POL),
     "no known source actor"),
    (event(23, "2022-03-07", "163", RUS_GOV, POL), "no valid SQLDATE"),
])
def test_rows_that_cannot_be_records_say_why(mapper, tmp_path, text, reason):
    got = _record(mapper, tmp_path, text)
    assert isinstance(got, str) and got.startswith(reason)


# ------------------------------------------------------------------------------------ storing
def _export(tmp_path: Path) -> Path:
    """Russia and Belarus sanction Poland and Lithuania within days; they also meet."""
    return write(tmp_path / "20220310.export.CSV", [
        event(101, "20220307", "163", RUS_GOV, POL, GoldsteinScale="-8", IsRootEvent="1",
              NumMentions="20", SOURCEURL="https://a.example/ru-pol"),
        event(102, "20220307", "163", RUS_GOV, LTU, GoldsteinScale="-8", IsRootEvent="1",
              NumMentions="20", SOURCEURL="https://a.example/ru-ltu"),
        event(103, "20220310", "163", BLR_GOV, POL, GoldsteinScale="-8", IsRootEvent="1",
              NumMentions="9", SOURCEURL="https://b.example/by-pol"),
        event(104, "20220311", "163", BLR_GOV, LTU, GoldsteinScale="-8", NumMentions="2",
              SOURCEURL="https://b.example/by-ltu"),
        event(105, "20220309", "042", BLR_GOV, RUS_GOV, GoldsteinScale="1.9", IsRootEvent="1",
              NumMentions="5", SOURCEURL="https://c.example/meet"),
        event(106, "20220309", "010", RUS_GOV, POL),  # a statement: no PLOVER type
    ])


def test_importing_twice_adds_nothing_and_the_records_feed_relations(tmp_path, mapper):
    path = _export(tmp_path)
    store = open_store(tmp_path / "s.db")
    first = import_exports(store, [path], mapper=mapper)
    assert (first.rows, first.added, first.already_stored) == (6, 5, 0)
    assert sum(first.skipped.values()) == 1
    # the reports to fetch, most mentioned first (20, 20, 9, 5, 2 mentions)
    assert first.top_urls(3) == ["https://a.example/ru-ltu", "https://a.example/ru-pol",
                                 "https://b.example/by-pol"]
    again = import_exports(store, [path], mapper=mapper)
    assert (again.added, again.already_stored) == (0, 5)
    records = store.event_records()
    assert len(records) == 5 and all(r.key and r.key.startswith("gdelt:") for r in records)

    series = dyad_series(records, "BLR", "RUS")
    assert [(p.source, p.target, p.cooperation) for p in series] == [("BLR", "RUS", 1)]
    found = coordination(records, window_days=14)
    sanction = [c for c in found if c.event_type == "SANCTION"]
    assert len(sanction) == 1 and set(sanction[0].targets) == {"POL", "LTU"}
    assert {sanction[0].actor_a, sanction[0].actor_b} == {"RUS", "BLR"}
    store.close()


def test_root_only_and_min_mentions_filter_what_is_stored(tmp_path, mapper):
    store = open_store(tmp_path / "s.db")
    got = import_exports(store, [_export(tmp_path)], root_only=True, min_mentions=6,
                         mapper=mapper)
    assert got.added == 3  # 104 is not a root event; 105 has 5 mentions
    assert got.skipped["not a root event"] == 1 and got.skipped["fewer than 6 mentions"] == 1
    store.close()


def test_records_are_linked_to_a_report_stored_later_when_their_export_is_imported_again(
        tmp_path, mapper):
    from storyline.dedupe import canonical_url
    from storyline.model import Article

    path = _export(tmp_path)
    store = open_store(tmp_path / "s.db")
    assert import_exports(store, [path], mapper=mapper).linked == 0
    url = "https://a.example/ru-pol"
    store.add_article(Article(title="Russia bars Polish hauliers", text="Russia barred lorries "
                              "registered in Poland from its roads on Monday.", url=url,
                              canonical_url=canonical_url(url), content_hash="x1"))
    again = import_exports(store, [path], mapper=mapper)
    assert again.added == 0 and again.linked == 1
    (linked,) = [r for r in store.event_records() if r.article_id is not None]
    assert linked.key == "gdelt:101"
    assert import_exports(store, [path], mapper=mapper).linked == 0  # nothing left to link
    store.close()
