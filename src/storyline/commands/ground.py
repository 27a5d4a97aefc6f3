"""``storyline ground PROBES.jsonl``: the writers' grounding check on sentences of your own.

Each line of the file is ``{"sentence": "...", "sources": ["text", ...]}`` (optionally
``"published": "2022-04-08"``, the report day relative days in the sources are resolved
against). Each probe gets one JSON line on stdout, in order:
``{"supported": true|false, "verdict": "ok"|"flag"|"drop", "support": 0.93, "reasons": [...]}``
— the check :class:`storyline.brief.cite.GroundingChecker` applies to every brief sentence.

A line that is not such an object is reported as ``FILE:LINE: reason`` on stderr and skipped;
the exit code is 3 when some lines were bad, 1 when all were (or the file cannot be read), 0
otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer


def _probe(raw: str) -> tuple[str, list[str], Any]:
    """The sentence, sources and published day of one line, or ValueError saying why not."""
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise ValueError("not a JSON object")
    sentence, sources = item.get("sentence"), item.get("sources")
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError('"sentence" must be a non-empty string')
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValueError('"sources" must be a list of strings')
    published = item.get("published")
    if published is not None and not isinstance(published, str):
        raise ValueError('"published" must be an ISO date string')
    return sentence, sources, published


def ground(
    probes: Annotated[Path, typer.Argument(help="JSONL: {\"sentence\": ..., \"sources\": [...]}"
                                                " per line.")],
) -> None:
    """Check sentences against source texts with the writers' grounding check."""
    from ..brief.cite import Evidence, GroundingChecker

    try:
        lines = probes.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{probes}: cannot read ({exc})", file=sys.stderr)
        raise typer.Exit(1) from None
    checker = GroundingChecker()
    good = bad = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            sentence, sources, published = _probe(raw)
        except ValueError as exc:
            print(f"{probes}:{number}: {exc}", file=sys.stderr)
            bad += 1
            continue
        check = checker.check(sentence, Evidence(sources, published=published))
        good += 1
        print(json.dumps({"supported": check.verdict != "drop", "verdict": check.verdict,
                          "support": round(check.support, 3), "reasons": check.reasons},
                         ensure_ascii=False), flush=True)
    if bad:
        raise typer.Exit(1 if not good else 3)


def register(app: typer.Typer) -> None:
    """Add ``ground`` to the ``storyline`` app."""
    app.command()(ground)
