"""CLI commands grouped by feature. Each module has ``register(app)`` adding its commands to the
``storyline`` Typer app; ``cli.py`` holds the core commands (init, ingest, feeds, search, ...)."""

from __future__ import annotations

import importlib

import typer

#: Feature modules under ``storyline.commands`` that add commands when present.
FEATURES = ("storylines", "briefs", "actors", "web")


def register_all(app: typer.Typer) -> None:
    for name in FEATURES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # feature not built into this checkout
            raise
        module.register(app)
