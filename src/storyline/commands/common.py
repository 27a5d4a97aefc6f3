"""What every command shares: the open store, JSON output, errors, progress, date options.

Command modules (``storyline.cli`` and ``storyline.commands.*``) import these; they hold no state
beyond the global options parsed by the ``storyline`` callback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import config
from ..store import Store, StoreError, open_store

console = Console()
err = Console(stderr=True)


class State:
    db_path: Path | str = config.default_db_path()  # a file, or a postgresql:// URL
    quiet: bool = False


state = State()


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def database_location(value: str) -> Path | str:
    """``--db`` as given: a PostgreSQL URL stays a string, anything else is a file path."""
    from ..store.postgres import is_postgres_url

    return value if is_postgres_url(value) else Path(value).expanduser()


def database_exists() -> bool:
    """Whether ``--db`` names an existing database (a server is asked when it is opened)."""
    return isinstance(state.db_path, str) or state.db_path.exists()


@contextmanager
def opened(create: bool = True) -> Iterator[Store]:
    """The store at ``--db``; a clear error instead of a traceback when it cannot be used."""
    if not create and not database_exists():
        fail(f"no database at {state.db_path} — run `storyline init` or pass --db")
    try:
        store = open_store(state.db_path)
    except StoreError as exc:
        fail(str(exc))
    try:
        yield store
    finally:
        store.close()


def print_rejected(errors: list[str], what: str = "rows", shown: int = 50) -> None:
    """The first ``shown`` rejected inputs (``file:line: reason``) on stderr, and how many more."""
    for line in errors[:shown]:
        err.print(f"[yellow]rejected[/yellow] {line}", highlight=False)
    if len(errors) > shown:
        err.print(f"… and {len(errors) - shown} more rejected {what}")


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(plain(value), ensure_ascii=False, indent=None) + "\n")


def plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[str, int, int | None], None]]:
    """A rich progress display fed by the pipeline's ``progress(stage, done, total)`` calls."""
    if state.quiet or not enabled or not err.is_terminal:
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def parse_since(value: str | None) -> datetime | None:
    """``--since`` accepts a date/time (ISO) or an age such as 7d, 12h, 30m."""
    if not value:
        return None
    units = {"d": "days", "h": "hours", "m": "minutes", "w": "weeks"}
    if value[-1:] in units and value[:-1].isdigit():
        return datetime.now(UTC) - timedelta(**{units[value[-1]]: int(value[:-1])})
    from ..normalize import parse_date

    parsed = parse_date(value)
    if parsed is None:
        fail(f"--since {value!r}: give an ISO date (2024-05-01) or an age (7d, 12h)")
    return parsed


def fmt(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "—"
