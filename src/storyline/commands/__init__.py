"""CLI commands grouped by feature. Each module has ``register(app)`` adding its commands to the
``storyline`` Typer app; ``cli.py`` holds the core commands (init, ingest, feeds, search, ...)."""

from __future__ import annotations

import typer

from . import actors, briefs, gdelt, ground, storylines, track, web


def register_all(app: typer.Typer) -> None:
    for module in (storylines, track, briefs, ground, actors, gdelt, web):
        module.register(app)
