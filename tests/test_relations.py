"""Relations on synthetic records: dyad series, coordination, alignment, list expansion."""

from datetime import date, datetime

from storyline.events.relations import alignment, coordination, dyad_series
from storyline.model import EventRecord


def rec(i, src, etype, tgt, day, intensity):
    return EventRecord(source_actor=src, event_type=etype, target_actor=tgt,
                       intensity=intensity, date=datetime.fromisoformat(day), id=i)


RECORDS = [
    rec(1, "RUS.GOV", "SANCTION", "POL", "2022-04-04", -6.0),
    rec(2, "BLR", "SANCTION", "POL", "2022-04-08", -6.0),
    rec(3, "PERSON:putin", "SANCTION", "LTU", "2022-04-05", -6.0),
    rec(4, "BLR.GOV", "SANCTION", "LTU", "2022-04-09", -6.0),
    rec(5, "RUS", "CONSULT", "BLR", "2022-04-06", 2.8),
    rec(6, "BLR", "SUPPORT", "RUS", "2022-04-07", 5.0),
    rec(7, "BLR", "ACCUSE", "RUS", "2022-04-20", -2.0),
    rec(8, "RUS", "AID", "SRB", "2022-04-21", 7.5),
    rec(9, "BLR", "AGREE", "SRB", "2022-04-22", 5.9),
    rec(10, "CHN", "SANCTION", "USA", "2022-04-05", -6.0),
]


def test_dyad_series_both_directions_with_ids():
    pts = dyad_series(RECORDS, "RUS", "BLR")
    assert [(p.week, p.source, p.target) for p in pts] == [
        (date(2022, 4, 4), "BLR", "RUS"), (date(2022, 4, 4), "RUS", "BLR"),
        (date(2022, 4, 18), "BLR", "RUS")]
    assert pts[0].cooperation == 1 and pts[0].record_ids == [6]
    assert pts[2].conflict == 1 and pts[2].conflict_intensity == -2.0


def test_coordination_on_common_targets():
    found = coordination(RECORDS, window_days=7)
    top = found[0]
    assert (top.actor_a, top.actor_b, top.event_type) == ("BLR", "RUS", "SANCTION")
    assert top.targets == ["LTU", "POL"]
    assert {(e[0], e[1]) for e in top.evidence} == {(2, 1), (4, 3)}
    assert 0 < top.score <= 1
    assert not any("CHN" in (c.actor_a, c.actor_b) for c in found)  # no common target


def test_coordination_window_excludes_distant_actions():
    late = RECORDS + [rec(11, "KAZ", "SANCTION", "POL", "2022-06-30", -6.0)]
    assert not any("KAZ" in (c.actor_a, c.actor_b) for c in coordination(late, window_days=7))


def test_list_targets_expand_on_the_records_date():
    recs = [rec(1, "RUS", "SANCTION", "LIST:RU-430-r", "2022-04-01", -6.0),
            rec(2, "BLR", "SANCTION", "LTU", "2022-04-03", -6.0),
            rec(3, "BLR", "SANCTION", "BMU", "2022-04-03", -6.0)]
    found = coordination(recs, window_days=7)
    assert found and found[0].targets == ["LTU"]  # Bermuda joined the list only in October
    assert dyad_series(recs, "RUS", "LTU")[0].record_ids == [1]


def test_alignment_toward_third_parties():
    al = alignment(RECORDS, "RUS", "BLR")
    assert al.common_targets == 3 and sorted(al.agree) == ["LTU", "POL", "SRB"]
    assert al.score == 1.0
    opposed = RECORDS + [rec(12, "BLR", "ACCUSE", "SRB", "2022-04-23", -9.0)]
    assert alignment(opposed, "RUS", "BLR").disagree == ["SRB"]
