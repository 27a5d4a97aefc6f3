"""Listings and series that must agree across faces (issue #15, items 5 and 6): the weekly pair
series (one function for CLI, API and charts), charts on a real time axis, storyline order,
the home page's active/fading split, and ``--since`` ages on an old store."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from storyline.commands import common
from storyline.events.relations import dyad_series, weekly_series
from storyline.model import EventRecord, Storyline
from storyline.store.sqlite import SQLiteStore
from storyline.web import charts
from storyline.web.app import create_app
from storyline.web.security import WebSettings


def rec(i: int, src: str, etype: str, tgt: str | None, day: str, intensity: float,
        event_id: int | None = None) -> EventRecord:
    return EventRecord(source_actor=src, event_type=etype, target_actor=tgt,
                       intensity=intensity, date=datetime.fromisoformat(day).replace(tzinfo=UTC),
                       event_id=event_id, id=i)


# Russia's government and president count as RUS; a list target counts for its members.
RECORDS = [
    rec(1, "RUS", "AGREE", "BLR", "2021-09-09", 5.9),
    rec(2, "BLR", "AGREE", "RUS", "2021-09-09", 5.9),
    rec(3, "PERSON:putin", "AGREE", "BLR", "2024-12-06", 5.9),
    rec(4, "BLR", "SUPPORT", "RUS.GOV", "2025-01-27", 3.5),
    rec(5, "RUS", "THREATEN", "BLR", "2023-03-25", -7.0),
    rec(6, "RUS", "AID", "BLR", "2023-03-25", 7.5),
    rec(7, "BLR", "SANCTION", "POL", "2023-03-25", -6.0),  # not between the two
    rec(8, "RUS", "NOT_A_TYPE", "BLR", "2023-03-25", 1.0),  # unknown type: skipped
    rec(9, "RUS", "AGREE", "BLR", "2022-10-10", 5.9),
]


# ---------------------------------------------------------------------- one weekly pair series
def test_weekly_series_has_the_weeks_and_counts_of_dyad_series() -> None:
    pts = dyad_series(RECORDS, "RUS", "BLR")
    weekly = weekly_series(RECORDS, "RUS", "BLR")
    per_week: dict[str, int] = {}
    for p in pts:
        per_week[p.week.isoformat()] = per_week.get(p.week.isoformat(), 0) + (
            p.cooperation + p.conflict)
    assert {w["week"]: w["records"] for w in weekly} == per_week
    assert [w["week"] for w in weekly] == ["2021-09-06", "2022-10-10", "2023-03-20",
                                           "2024-12-02", "2025-01-27"]
    mixed = next(w for w in weekly if w["week"] == "2023-03-20")
    assert mixed == {"week": "2023-03-20", "records": 2, "cooperation_records": 1,
                     "conflict_records": 1, "cooperation": 7.5, "conflict": -7.0}


def test_store_pair_series_is_the_relations_series(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.add_event_records([
        EventRecord(r.source_actor, r.event_type, r.target_actor, r.intensity, r.date)
        for r in RECORDS])
    stored = store.event_records()
    series = store.pair_series("RUS", "BLR")
    assert series == weekly_series(stored, "RUS", "BLR")
    assert len(series) == 5  # raw-id matching found only the RUS/BLR rows: 3 weeks
    assert store.pair_series("RUS.GOV", "BLR") == series  # compared by country
    assert [w["week"] for w in store.pair_series("PERSON:putin", "BLR", by="actor")] == [
        "2024-12-02"]
    anyone = store.pair_series("BLR")
    assert sum(w["records"] for w in anyone) == 8  # the POL sanction too
    store.close()


# ---------------------------------------------------------------------- charts: a time axis
def _bar_x(svg: str) -> dict[str, float]:
    return {m[0]: float(m[1]) for m in re.findall(
        r'<g data-week="([\d-]+)">.*?<rect class="coop" x="([\d.]+)"', svg)}


def test_relation_chart_places_weeks_by_time() -> None:
    weeks = ["2022-01-03", "2022-01-10", "2024-01-01"]
    svg = str(charts.relation_chart(
        [{"week": w, "cooperation": 3.0, "conflict": -1.0, "records": 2} for w in weeks]))
    x = _bar_x(svg)
    near = x["2022-01-10"] - x["2022-01-03"]
    far = x["2024-01-01"] - x["2022-01-10"]
    days_far = (date(2024, 1, 1) - date(2022, 1, 10)).days
    assert far / near == pytest.approx(days_far / 7, rel=0.02)
    assert far > 400  # of a 640-wide chart: two years apart is far apart
    ticks = dict((label, float(tx)) for tx, label in re.findall(
        r'<text class="tick" x="([\d.]+)"[^>]*>([^<]*)</text>', svg))
    assert {"Jan 2023", "Jul 2023", "Jan 2024"} <= set(ticks)  # dates, not bar indices
    year = ticks["Jan 2024"] - ticks["Jan 2023"]
    assert ticks["Jul 2023"] - ticks["Jan 2023"] == pytest.approx(year * 181 / 365, rel=0.02)
    assert ticks["Jan 2024"] == pytest.approx(x["2024-01-01"], abs=1)


def test_short_spans_get_dated_week_ticks_and_labels_are_escaped() -> None:
    svg = str(charts.relation_chart(
        [{"week": "2024-12-02", "cooperation": 1.0, "conflict": 0.0, "records": 1},
         {"week": "2025-02-24", "cooperation": 1.0, "conflict": 0.0, "records": 1}],
        title='<script>alert("x")</script>'))
    labels = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)
    assert "2 Dec 2024" in labels and "13 Jan 2025" in labels and "16 Dec" in labels
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_volume_chart_is_on_a_time_axis() -> None:
    svg = str(charts.volume_chart([("2021-01-04", 3), ("2024-12-30", 5)]))
    xs = [float(v) for v in re.findall(r'<rect class="bar" x="([\d.]+)"', svg)]
    assert xs == sorted(xs) and xs[0] < 40 and xs[-1] > 600
    assert "2023" in svg


# ---------------------------------------------------------------------- storyline order
def _storylines(store: SQLiteStore) -> None:
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [("sl1", "sustained", 6.44, 100), ("sl2", "fading", 0.0, 10),
            ("sl10", "fading", 0.0, 10), ("sl3", "fading", 0.004, 5),
            ("sl14", "fading", 0.0, 60), ("sl9", "breaking", 0.5, 99)]
    store.save_storylines([Storyline(id=i, title=f"Story {i}", label=i, lifecycle=lc,
                                     momentum=m, first_seen=t0,
                                     last_seen=t0 + timedelta(days=d), event_count=2,
                                     article_count=3) for i, lc, m, d in rows])


def test_storylines_by_momentum_then_last_activity_then_natural_id(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    _storylines(store)
    # 0.004 shows as 0.00: it ties with 0.0 and the last activity decides
    assert [s.id for s in store.storylines()] == ["sl1", "sl9", "sl14", "sl2", "sl10", "sl3"]
    page = store.storyline_page(limit=10)
    assert [r["id"] for r in page] == ["sl1", "sl9", "sl14", "sl2", "sl10", "sl3"]
    assert [r["id"] for r in store.storyline_page(limit=10, active=True)] == ["sl1", "sl9"]
    assert [r["id"] for r in store.storyline_page(limit=10, active=False)] == [
        "sl14", "sl2", "sl10", "sl3"]
    store.close()


# ---------------------------------------------------------------------- home page
def _home(path) -> str:
    with TestClient(create_app(path, WebSettings(allow_private_urls=True))) as client:
        return client.get("/").text


def test_home_lists_active_storylines_and_fading_ones_apart(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    _storylines(store)
    store.close()
    page = _home(tmp_path / "s.db")
    fading_at = page.index("Fading storylines")
    assert page.index("/storylines/sl1") < page.index("/storylines/sl9") < fading_at
    assert fading_at < page.index("/storylines/sl14") < page.index("/storylines/sl2")
    assert "No active storylines" not in page


def test_home_says_so_when_no_storyline_is_active(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.save_storylines([Storyline(id=f"sl{i}", title=f"Old story {i}", lifecycle="fading",
                                     last_seen=datetime(2020, 1, i, tzinfo=UTC), event_count=1)
                           for i in (1, 2)])
    store.close()
    page = _home(tmp_path / "s.db")
    assert "No active storylines" in page
    assert page.index("Fading storylines") < page.index("/storylines/sl2") < page.index(
        "/storylines/sl1")


# ---------------------------------------------------------------------- --since ages
def test_since_age_counts_back_from_an_old_stores_newest_report(capsys) -> None:
    newest = datetime(2026, 2, 26, 16, 30, tzinfo=UTC)
    assert common.parse_since("7d", newest) == newest - timedelta(days=7)
    note = capsys.readouterr().err
    assert "--since 7d: from 2026-02-19 16:30, 7 days before the newest report" in note
    assert "(2026-02-26 16:30)" in note
    assert common.parse_since("1h", newest) == newest - timedelta(hours=1)
    assert "1 hour before" in capsys.readouterr().err


def test_since_age_counts_back_from_now_on_a_current_store(capsys) -> None:
    future = datetime.now(UTC) + timedelta(days=1)  # clock skew: never past now
    got = common.parse_since("12h", future)
    assert abs((datetime.now(UTC) - timedelta(hours=12) - got).total_seconds()) < 5
    got = common.parse_since("12h")
    assert abs((datetime.now(UTC) - timedelta(hours=12) - got).total_seconds()) < 5
    assert capsys.readouterr().err == ""
    assert common.parse_since("2024-05-01", future) == datetime(2024, 5, 1, tzinfo=UTC)
