"""What every command shares: the open store, JSON output, errors, progress, date options.

Command modules (``storyline.cli`` and ``storyline.commands.*``) import these; they hold no state
beyond the global options parsed by the ``storyline`` callback.
"""

from __future__ import annotations

import json
import os
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
from rich.text import Text

from .. import config
from ..store import Store, StoreError, open_store


def _terminal_or_columns(stream: Any) -> bool:
    """Whether rich can size its output itself: a terminal, or COLUMNS set."""
    if os.environ.get("COLUMNS", "").isdigit():
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # None, or a closed stream
        return False


#: Nothing printed is read as rich markup: titles, snippets, outlet names and error messages come
#: from the internet or from user files, and "[/]" in a title must print as it is. Styling is
#: applied with :func:`styled` (a ``rich.text.Text``), never by formatting markup into strings.
#: Piped or redirected output (no terminal, no COLUMNS) is 200 columns wide, not rich's 80, so
#: that tables keep whole ids and titles instead of squeezing every column to a few letters.
console = Console(markup=False, width=None if _terminal_or_columns(sys.stdout) else 200)
err = Console(stderr=True, markup=False, width=None if _terminal_or_columns(sys.stderr) else 200)


def styled(text: str, style: str, rest: str = "") -> Text:
    """``text`` in ``style`` followed by plain ``rest``: the one way commands colour output."""
    return Text(text, style=style) + Text(rest)


class State:
    db_path: Path | str = config.default_db_path()  # a file, or a postgresql:// URL
    db_given: bool = False  # --db or STORYLINE_DB named it (the demo then writes there)
    quiet: bool = False


state = State()


#: Exit codes of every command (README "Exit codes").
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def outcome(attempted: int, failed: int) -> int:
    """The exit code of a command that tried ``attempted`` things (rows, feeds) of which
    ``failed`` failed: 0 when none failed, 3 (partial) when some did, 1 when all did or there
    was nothing to do at all (an empty input is a failure, not a success)."""
    if attempted == 0 or failed >= attempted:
        return EXIT_FAILED
    return EXIT_PARTIAL if failed else EXIT_OK


def fail(message: str, code: int = EXIT_FAILED) -> None:
    err.print(styled("error:", "red", f" {message}"), highlight=False)
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
        err.print(styled("rejected", "yellow", f" {line}"), highlight=False)
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
        TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err, transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def parse_since(value: str | None, newest: datetime | None = None) -> datetime | None:
    """``--since`` accepts a date/time (ISO) or an age such as 7d, 12h, 30m, 2w.

    An age counts back from now — or from ``newest``, the store's newest report, when that is
    older than now (a demo corpus, an archive, a store not fetched for a while), so that
    ``--since 7d`` means the last week of the data rather than an empty window; a note on
    stderr then says what the window is relative to.
    """
    if not value:
        return None
    units = {"d": "day", "h": "hour", "m": "minute", "w": "week"}
    if value[-1:] in units and value[:-1].isdigit():
        n, unit = int(value[:-1]), units[value[-1]]
        age = timedelta(**{unit + "s": n})
        now = datetime.now(UTC)
        if newest is None or newest >= now:
            return now - age
        start = newest - age
        err.print(f"--since {value}: from {fmt(start)}, {n} {unit}{'' if n == 1 else 's'} "
                  f"before the newest report ({fmt(newest)})", highlight=False)
        return start
    from ..normalize import parse_date

    parsed = parse_date(value)
    if parsed is None:
        fail(f"--since {value!r}: give an ISO date (2024-05-01) or an age (7d, 12h)")
    return parsed


def newest_report(store: Store, records: bool = False) -> datetime | None:
    """The publication time of the store's newest clustered article — with ``records``, or of
    its newest coded event record (imported GDELT records may be newer than any article):
    what ``--since`` ages count back from when it is older than now."""
    newest = store.latest_published()
    if records:
        latest = store.latest_records(limit=1)
        if latest and latest[0].date is not None and (newest is None or latest[0].date > newest):
            newest = latest[0].date
    return newest


def fmt(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "—"
