"""Web commands: ``serve``, ``token create|list|revoke``, ``watches add|list|remove|check``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from .common import console, database_exists, emit_json, err, fail, fmt, state, styled

token_app = typer.Typer(help="API tokens for write endpoints (and reads, when required).",
                        no_args_is_help=True)
watches_app = typer.Typer(help="Watch storylines, actors, actor pairs or queries for alerts.",
                          no_args_is_help=True)


def _store():  # noqa: ANN202 - the composed store type is private
    """The store at ``--db`` with the web tables (tokens, watches, alerts)."""
    from ..store import StoreError, open_store

    try:
        return open_store(state.db_path)
    except StoreError as exc:
        fail(str(exc))


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    read_token: Annotated[
        bool, typer.Option("--read-token", help="Pages and read endpoints need a token too.")
    ] = False,
    allow_private_urls: Annotated[
        bool,
        typer.Option("--allow-private-urls",
                     help="Allow feed/webhook URLs on loopback or private networks (local use)."),
    ] = False,
    cache_seconds: Annotated[
        float, typer.Option(help="Reuse anonymous GET answers this long (0: off); any database "
                                 "change invalidates them at once.")
    ] = 30.0,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the web UI and the JSON API (``/api/v1``) over the database."""
    from ..netguard import allow_private_from_env
    from ..web.app import serve as run
    from ..web.security import WebSettings

    if not database_exists():
        fail(f"no database at {state.db_path} — run `storyline demo` (then `storyline --db "
             "storyline-demo/storyline.db serve`) or `storyline init`, or pass --db")
    store = _store()
    try:
        has_tokens = store.has_tokens()
        shown = store.path  # a PostgreSQL URL without its password
    finally:
        store.close()
    if host not in ("127.0.0.1", "localhost", "::1") and not has_tokens:
        err.print(styled("warning:", "yellow", " listening beyond loopback and no API token "
                         "exists; writes stay refused until `storyline token create`."))
    settings = WebSettings(read_token_required=read_token, cache_seconds=cache_seconds,
                           allow_private_urls=allow_private_urls or allow_private_from_env())
    console.print(f"storyline serving {shown} on http://{host}:{port}/")
    run(state.db_path, host=host, port=port, settings=settings, log_level=log_level)


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="A label to recognise the token by.")] = "default",
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from ..web.security import hash_token, new_token

    token = new_token()
    store = _store()
    try:
        created = store.add_token(name, hash_token(token))
    finally:
        store.close()
    err.print(f"token {created.id} ({name}) created; it is shown only now:")
    typer.echo(token)


@token_app.command("list")
def token_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List tokens (ids, names, dates; never the secrets)."""
    store = _store()
    try:
        tokens = store.tokens()
    finally:
        store.close()
    rows = [{"id": t.id, "name": t.name, "created": t.created, "last_used": t.last_used,
             "revoked": t.revoked} for t in tokens]
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "name", "created", "last used", "revoked")
    for r in rows:
        table.add_row(str(r["id"]), r["name"], fmt(r["created"]), fmt(r["last_used"]),
                      fmt(r["revoked"]) if r["revoked"] else "")
    console.print(table)


@token_app.command("revoke")
def token_revoke(id_or_name: str) -> None:
    """Revoke a token by id or name."""
    store = _store()
    try:
        n = store.revoke_token(id_or_name)
    finally:
        store.close()
    if not n:
        fail(f"no live token {id_or_name!r}")
    console.print(f"revoked {n} token(s)")


def _duration(value: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        return int(float(value[:-1]) * units[value[-1]]) if value[-1:] in units else int(value)
    except (ValueError, IndexError):
        fail(f"--cooldown {value!r}: use seconds or a number with s, m, h or d (e.g. 1h)")
    return 0


@watches_app.command("add")
def watches_add(
    storyline: Annotated[str | None, typer.Option(help="Storyline id.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor id, e.g. RUS.")] = None,
    pair: Annotated[str | None, typer.Option(help="Two actor ids, e.g. RUS,BLR.")] = None,
    query: Annotated[str | None, typer.Option(help="A saved full-text query.")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST alerts as JSON to this URL.")] = None,
    cooldown: Annotated[str, typer.Option(help="Quiet time after an alert, e.g. 1h.")] = "1h",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add a watch; exactly one of --storyline, --actor, --pair, --query."""
    from ..alerts import WatchError, new_watch

    given = [(k, v) for k, v in (("storyline", storyline), ("actor", actor), ("pair", pair),
                                 ("query", query)) if v]
    if len(given) != 1:
        fail("give exactly one of --storyline, --actor, --pair, --query")
    kind, target = given[0]
    store = _store()
    try:
        watch = new_watch(store, kind, target, name=name, webhook_url=webhook,
                          cooldown_s=_duration(cooldown))
    except WatchError as exc:
        fail(str(exc))
    finally:
        store.close()
    if as_json:
        emit_json(watch)
        return
    console.print(f"watch {watch.id}: {watch.kind} {watch.target}", highlight=False)


@watches_app.command("list")
def watches_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List watches with their last alert."""
    store = _store()
    try:
        watches = store.watches()
    finally:
        store.close()
    if as_json:
        emit_json(watches)
        return
    table = Table("id", "kind", "target", "name", "webhook", "cool-down", "last alert")
    for w in watches:
        table.add_row(str(w.id), w.kind, w.target, w.name, w.webhook_url or "",
                      f"{w.cooldown_s}s", fmt(w.last_alert))
    console.print(table)


@watches_app.command("remove")
def watches_remove(watch_id: int) -> None:
    """Remove a watch and its alerts."""
    store = _store()
    try:
        removed = store.remove_watch(watch_id)
    finally:
        store.close()
    if not removed:
        fail(f"no watch {watch_id}")
    console.print(f"removed watch {watch_id}")


@watches_app.command("check")
def watches_check(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Check every watch now (the pipeline does this after writing briefs)."""
    from ..alerts import check

    store = _store()
    try:
        new = check(store)
    finally:
        store.close()
    if as_json:
        emit_json(new)
        return
    for a in new:
        console.print(f"alert {a.id} (watch {a.watch_id}): {a.title}", highlight=False,
                      markup=False)
    console.print(f"{len(new)} new alerts")


def register(app: typer.Typer) -> None:
    """Add the web commands to the ``storyline`` app."""
    app.command()(serve)
    app.add_typer(token_app, name="token")
    app.add_typer(watches_app, name="watches")
