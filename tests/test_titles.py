"""Outlet names cut from headlines (enrich/titles.py)."""

from storyline.enrich.titles import strip_site_name


def test_station_tail_is_cut():
    t = "BRPD investigating fatal shooting on Spain St. - KSLA News 12 Shreveport, Louisiana News"
    assert strip_site_name(t) == "BRPD investigating fatal shooting on Spain St."


def test_everything_after_the_outlet_goes():
    t = "2 killed, 2 injured in shooting - WMC Action News 5 - Memphis, Tennessee"
    assert strip_site_name(t) == "2 killed, 2 injured in shooting"


def test_domains_bars_and_cyrillic_outlets():
    assert strip_site_name("Teen hurt in crash | wave3.com-Louisville") == "Teen hurt in crash"
    assert strip_site_name("Лукашенко встретился с Путиным — РИА Новости") == (
        "Лукашенко встретился с Путиным"
    )


def test_a_place_tail_alone_is_kept():
    t = "Two shot outside a bar - Memphis, Tennessee"
    assert strip_site_name(t) == t


def test_too_short_a_head_keeps_the_title():
    assert strip_site_name("Update - Fox News") == "Update - Fox News"
    assert strip_site_name("") == ""
    assert strip_site_name("No separator here") == "No separator here"
