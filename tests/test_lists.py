"""Official lists: dated membership, sources kept, group expansion."""

from datetime import date

import pytest

from storyline.actors import lists
from storyline.actors.lists import OfficialLists


def test_unfriendly_list_on_a_date():
    members = lists.members("RU-430-r", "2022-04-01")
    assert {"USA", "GBR", "UKR", "JPN", "POL", "LTU"} <= members
    assert "BLR" not in members and "CHN" not in members


def test_state_added_later_is_not_a_member_before_its_date():
    ol = OfficialLists.load()
    assert not ol.is_member("RU-430-r", "BHS", date(2022, 7, 1))  # Bahamas, added 2022-07-24
    assert ol.is_member("RU-430-r", "BHS", date(2022, 8, 1))
    assert not ol.is_member("RU-430-r", "BMU", "2022-10-01")  # Bermuda, added 2022-10-30
    assert ol.is_member("RU-430-r", "BMU", "2022-11-01")
    assert len(ol.members("RU-430-r", "2022-03-04")) == 0


def test_diplomatic_list_and_belarus_list():
    ol = OfficialLists.load()
    assert ol.members("RU-dipl-1230-r", "2021-06-01") == {"USA", "CZE"}
    assert {"GRC", "DNK", "SVK", "SVN", "HRV"} <= ol.members("RU-dipl-1230-r", "2022-08-01")
    by = ol.members("BY-CoM-2022", "2022-05-01")
    assert {"POL", "LTU", "LVA", "USA"} <= by and "RUS" not in by


def test_entries_cite_sources_and_verification():
    for e in OfficialLists.load().entries("RU-430-r"):
        assert e.sources and e.verification and e.legal_basis


def test_expand_list_actor_and_unknown_list():
    ol = OfficialLists.load()
    assert "USA" in ol.expand("LIST:RU-430-r", "2022-06-01")
    assert ol.expand("RUS", "2022-06-01") == ["RUS"]
    assert "RU-430-r" in ol.lists_of("USA.GOV", "2022-06-01")
    with pytest.raises(KeyError):
        ol.members("XX-1", None)
