"""Headlines that continue an incident (the later-day rule's exception)."""

from __future__ import annotations

import pytest

from storyline.cluster.followups import continues_incident, names_crime


@pytest.mark.parametrize("headline", [
    "Suspect arrested in drive-by shooting",
    "Man charged with murder in Lucky Strike killings",
    "Delane pleads not guilty in bowling alley killings",
    "Los Banos gang member gets 40 to life for murder",
    "Funeral held for victims of Derna flood",
    "Victims in Midvale shooting identified",
    "Подозреваемый в стрельбе в Казани задержан",
    "Суд вынес приговор по делу о теракте в «Крокусе»",
    "У Києві попрощалися із загиблими; похорон відбувся в суботу",
    "Затрыманы падазраваны ў нападзе",
])
def test_justice_process_and_aftermath_continue_an_incident(headline: str) -> None:
    assert continues_incident(headline)


@pytest.mark.parametrize("headline", [
    "Romania's Constitutional Court annuls presidential election",
    "EU adopts seventh sanctions package against Russia",
    "Putin and Lukashenko hold Supreme State Council session",
    "Конституционный суд Румынии отменил президентские выборы",
    "Совет ЕС утвердил седьмой пакет санкций",
    "",
])
def test_new_happenings_do_not(headline: str) -> None:
    assert not continues_incident(headline)


@pytest.mark.parametrize(("headline", "crime"), [
    ("Santa Monica shooter John Zawahri left a note", True),
    ("Man dies from injuries suffered in Mission District shooting", True),
    ("Стрельба в Казани: число погибших выросло", True),
    ("Romania's top court annuls presidential election", False),
    ("Putin, Lukashenko hold Union State council session", False),
])
def test_names_crime(headline: str, crime: bool) -> None:
    assert names_crime(headline) is crime
