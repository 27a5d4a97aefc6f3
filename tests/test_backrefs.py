"""Back-references to earlier acts by their month (storyline.cluster.backrefs)."""

from __future__ import annotations

from datetime import date

from storyline.cluster.backrefs import references


def test_a_possessive_month_and_act_is_a_reference_dated_to_the_latest_such_month() -> None:
    [ref] = references("The list, approved on Sept. 17, implements Putin's August decree.")
    assert (ref.text, ref.who, ref.month_name, ref.act) == (
        "Putin's August decree", "Putin", "August", "decree")
    assert ref.month(date(2024, 9, 20)) == (2024, 8)
    assert ref.month(date(2025, 3, 1)) == (2024, 8)  # August before March: the year before


def test_an_act_introduced_in_a_month_and_an_explicit_year() -> None:
    [ref] = references("under rules introduced in April that let Moscow take over assets")
    assert (ref.act, ref.month_name, ref.who) == ("rules", "April", "")
    [ref] = references("the June 2022 sanctions package")
    assert ref.year == 2022 and ref.month(date(2024, 1, 1)) == (2022, 6)


def test_months_and_acts_apart_are_not_references() -> None:
    assert references("In August, the decree was signed.") == []
    assert references("The decree will be debated in parliament.") == []
    assert references("") == []
