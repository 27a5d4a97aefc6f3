"""PLOVER event types: names, families, intensity and the CAMEO mapping behind them.

PLOVER (openeventdata/PLOVER) is the successor of CAMEO. storyline codes events with PLOVER
types and a Goldstein-compatible intensity in -10..+10. The per-type intensity and the
CAMEO -> PLOVER table are derived from the GDELT/PLOVER lookup ``cameo_goldstein.tsv``
(see :func:`derive_tables`) and shipped as ``events/data/plover.json``.

Deviations from the lookup's newest PLOVER mapping, chosen to follow the PLOVER codebook's
category definitions and the types that news analysts and older PLOVER gold sets use:

* CAMEO 02 (appeal) -> REQUEST, 09 (investigate) -> INVESTIGATE;
* 163 (impose embargo/sanctions) -> SANCTION; 19x (conventional military force) -> FIGHT except
  191/192 (blockade, occupation) which stay COERCE;
* 057 (sign formal agreement) -> AGREE: signing is PLOVER's paradigm of AGREE, not SUPPORT;
* 055 (apologise) -> CONCEDE: PLOVER files apologies under conceding;
* 08x (yield) is split the way the PLOVER codebook defines its two categories: RETREAT is
  *military* de-escalation (087x: truce, easing a military blockade, demobilising, retreat or
  surrender); everything else a side yields - easing restrictions, curfews, states of
  emergency or economic sanctions, releasing people or property, allowing international
  involvement, acceding to demands - is CONCEDE.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

VERBAL_COOPERATION = "verbal_cooperation"
MATERIAL_COOPERATION = "material_cooperation"
VERBAL_CONFLICT = "verbal_conflict"
MATERIAL_CONFLICT = "material_conflict"

FAMILY: dict[str, str] = {
    "AGREE": VERBAL_COOPERATION,
    "CONSULT": VERBAL_COOPERATION,
    "SUPPORT": VERBAL_COOPERATION,
    "CONCEDE": VERBAL_COOPERATION,
    "COOPERATE": MATERIAL_COOPERATION,
    "AID": MATERIAL_COOPERATION,
    "RETREAT": MATERIAL_COOPERATION,
    "REQUEST": VERBAL_CONFLICT,
    "ACCUSE": VERBAL_CONFLICT,
    "REJECT": VERBAL_CONFLICT,
    "THREATEN": VERBAL_CONFLICT,
    "INVESTIGATE": VERBAL_CONFLICT,
    "PROTEST": MATERIAL_CONFLICT,
    "SANCTION": MATERIAL_CONFLICT,
    "MOBILIZE": MATERIAL_CONFLICT,
    "COERCE": MATERIAL_CONFLICT,
    "ASSAULT": MATERIAL_CONFLICT,
    "FIGHT": MATERIAL_CONFLICT,
}
TYPES: tuple[str, ...] = tuple(FAMILY)
COOPERATION = {VERBAL_COOPERATION, MATERIAL_COOPERATION}
CONFLICT = {VERBAL_CONFLICT, MATERIAL_CONFLICT}

# Older PLOVER names (e.g. in the PLOVER gold-standard records) -> current names.
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "YIELD": "CONCEDE"}

# ConfliBERT / Phoenix "pentaclass" labels by CAMEO root.
PENTACLASS_NAMES = ("statement", "verbal_cooperation", "material_cooperation",
                    "verbal_conflict", "material_conflict")

_OVERRIDES_BY_ROOT = {"02": "REQUEST", "09": "INVESTIGATE"}


def normalise_type(name: str) -> str:
    """Upper-case a type name and map old PLOVER names (DEMAND, DISAPPROVE) to current ones."""
    name = name.strip().upper()
    return OLD_NAMES.get(name, name)


def family(event_type: str) -> str:
    """The quad-class family of a PLOVER type (``"material_conflict"`` ...)."""
    return FAMILY[normalise_type(event_type)]


def is_cooperation(event_type: str) -> bool:
    """Whether a type is verbal or material cooperation."""
    return family(event_type) in COOPERATION


def is_conflict(event_type: str) -> bool:
    """Whether a type is verbal or material conflict."""
    return family(event_type) in CONFLICT


def _plover_for(code: str, root: str, mapped: str) -> str:
    if root in _OVERRIDES_BY_ROOT:
        return _OVERRIDES_BY_ROOT[root]
    if code.startswith("163"):
        return "SANCTION"
    if code == "057":
        return "AGREE"
    if code == "055":
        return "CONCEDE"
    if root == "08":
        return "RETREAT" if code.startswith("087") else "CONCEDE"
    if root == "19" and not code.startswith(("191", "192")):
        return "FIGHT"
    return mapped


def derive_tables(tsv_path: str | Path) -> dict[str, Any]:
    """Build the CAMEO -> PLOVER map and per-type intensity from ``cameo_goldstein.tsv``.

    Returns ``{"cameo": {code: {"plover", "goldstein", "pentaclass", "name"}},
    "intensity": {type: mean Goldstein}}``. The packaged ``plover.json`` is this function's
    output; rerun it when the lookup changes.
    """
    cameo: dict[str, dict[str, Any]] = {}
    sums: dict[str, list[float]] = {}
    with open(tsv_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            code, root = row["cameo_code"], row["root"]
            plover = _plover_for(code, root, row["plover_event"])
            gold = float(row["goldstein"])
            cameo[code] = {"plover": plover or None, "goldstein": gold, "name": row["name"],
                           "pentaclass": int(row["phoenix_pentaclass"] or 0)}
            if plover:
                sums.setdefault(plover, []).append(gold)
    intensity = {t: round(sum(v) / len(v), 2) for t, v in sorted(sums.items())}
    return {"cameo": cameo, "intensity": intensity}


@lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """The packaged tables (see :func:`derive_tables`)."""
    text = resources.files("storyline.events").joinpath("data/plover.json").read_text("utf-8")
    return json.loads(text)


def intensity(event_type: str, cameo_code: str | None = None) -> float:
    """Goldstein-compatible intensity: the CAMEO code's value if given, else the type's mean."""
    t = tables()
    if cameo_code and cameo_code in t["cameo"]:
        return float(t["cameo"][cameo_code]["goldstein"])
    return float(t["intensity"].get(normalise_type(event_type), 0.0))


def cameo_to_plover(code: str) -> str | None:
    """PLOVER type of a CAMEO code (``"163"`` -> ``"SANCTION"``); None for statements."""
    t = tables()["cameo"]
    while code and code not in t:
        code = code[:-1]
    return t[code]["plover"] if code else None


def pentaclass(event_type: str | None, cameo_code: str | None = None) -> int:
    """0 statement, 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict."""
    if cameo_code:
        root = cameo_code[:2]
        if root.isdigit():
            r = int(root)
            return 0 if r <= 2 else 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4
    if not event_type:
        return 0
    return 1 + (VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT,
                MATERIAL_CONFLICT).index(family(event_type))


if __name__ == "__main__":  # pragma: no cover - regenerate the packaged table
    import sys

    out = derive_tables(sys.argv[1])
    out["_about"] = ("Derived by storyline.events.plover.derive_tables from cameo_goldstein.tsv "
                     "(GDELT CAMEO Goldstein lookup + PLOVER mapping, openeventdata/PLOVER).")
    print(json.dumps(out, indent=0, ensure_ascii=False))
