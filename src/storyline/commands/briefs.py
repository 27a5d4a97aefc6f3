"""``storyline brief ID`` (show a version, or what is new in it) and ``storyline briefs write``.

Thin faces over :mod:`storyline.brief`: the command reads versions from the store and renders
them; ``briefs write`` runs :class:`~storyline.brief.writer.BriefStage`, optionally with the
LLM writer configured from ``STORYLINE_LLM_URL`` / ``STORYLINE_LLM_MODEL``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import console, emit_json, err, fail, fmt, opened, outcome, progress_bar


def brief(
    storyline_id: Annotated[str, typer.Argument(help="Storyline id.")],
    version: Annotated[int | None, typer.Option("--version", "-v",
                                                help="Version (default: latest).")] = None,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Only what is new since the previous version.")] = False,
    output: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Write the brief now in this language (en or ru) from the storyline's "
        "current events, instead of showing the stored version.")] = None,
) -> None:
    """Show a storyline's brief (cited, versioned) as Markdown, an HTML fragment or JSON."""
    from ..brief.phrases import BRIEF_LANGS
    from ..brief.render import FORMATS, diff_view, render, render_diff

    output = "json" if as_json else output
    if output not in FORMATS:
        fail(f"--format {output!r}: use one of {', '.join(FORMATS)}", code=2)
    if lang is not None:
        if lang not in BRIEF_LANGS:
            fail(f"--lang {lang!r}: briefs are written in {', '.join(BRIEF_LANGS)}", code=2)
        if version is not None or diff:
            fail("--lang writes the brief now from the storyline's current events; "
                 "--version and --diff show stored versions", code=2)
        _composed(storyline_id, lang, output)
        return
    with opened(create=False) as store:
        if store.storyline(storyline_id) is None:
            fail(f"no storyline {storyline_id!r} — see `storyline storylines`")
        current = store.brief_version(storyline_id, version)
        if current is None:
            fail(f"storyline {storyline_id!r} has no brief version {version}" if version else
                 f"storyline {storyline_id!r} has no brief yet — run `storyline briefs write`")
        if diff:
            previous = (store.brief_version(storyline_id, current.version - 1)
                        if current.version > 1 else None)
            text = render_diff(diff_view(current.body, previous.body if previous else None),
                               output)
        else:
            text = render(current.body, output)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _composed(storyline_id: str, lang: str, output: str) -> None:
    """``brief ID --lang LANG``: the brief written now in ``lang`` (not stored)."""
    from ..brief.render import render
    from ..brief.writer import compose_in

    with opened(create=False) as store:
        storyline = store.storyline(storyline_id)
        if storyline is None:
            fail(f"no storyline {storyline_id!r} — see `storyline storylines`")
        if not store.events(storyline_id=storyline_id):
            fail(f"storyline {storyline_id!r} has no events to write a brief from")
        body = compose_in(store, storyline, lang)
    text = render(body, output)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


briefs_app = typer.Typer(help="Write and list storyline briefs.", no_args_is_help=True)


@briefs_app.command("write")
def briefs_write(
    llm: Annotated[bool, typer.Option("--llm", help="Rewrite the current briefs with the LLM at "
                                      "$STORYLINE_LLM_URL (every sentence grounding-checked; "
                                      "implies --force).")] = False,
    storyline_ids: Annotated[list[str] | None, typer.Option(
        "--storyline", "-s", help="Only these storylines (repeatable).")] = None,
    all_storylines: Annotated[bool, typer.Option(
        "--all", help="Every storyline (the default when no --storyline is given).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Write a new version even where the events are unchanged.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Write a new brief version for every storyline whose events changed (with --force or
    --llm: for every storyline asked for). Exit 1 when every rewrite failed, 3 when some did."""
    from ..brief.llm import LLMConfig, LLMError, LLMWriter
    from ..brief.writer import BriefStage, BriefWriter

    if all_storylines and storyline_ids:
        fail("give --all or --storyline, not both", code=2)
    with opened(create=False) as store:
        rewriter = None
        if llm:
            try:
                config = LLMConfig.from_env()
            except LLMError as exc:
                fail(str(exc), code=2)
            if config is None:
                fail("--llm needs STORYLINE_LLM_URL (an OpenAI-compatible server, e.g. "
                     "http://127.0.0.1:8080) and STORYLINE_LLM_MODEL", code=2)
            rewriter = LLMWriter(config)
        missing = [i for i in storyline_ids or [] if store.storyline(i) is None]
        if missing:
            fail(f"no storyline {', '.join(missing)}")
        stage = BriefStage(store, BriefWriter(store, llm=rewriter))
        with progress_bar(not as_json) as progress:
            written = stage.run(progress, storyline_ids=storyline_ids or None,
                                force=force or llm)
    rows = [{"storyline_id": b.storyline_id, "version": b.version, "event_ids": b.event_ids,
             "result": _result(b.body.get("grounding") or {}),
             "grounding": b.body.get("grounding"), "headline": b.body.get("headline")}
            for b in written]
    rows += [{"storyline_id": sid, "result": "failed", "error": why}
             for sid, why in stage.failures.items()]
    code = outcome(len(rows), len(stage.failures)) if rows else 0
    if as_json:
        emit_json({"written": rows})
        raise typer.Exit(code)
    for row in rows:
        if row["result"] == "failed":
            err.print(f"{row['storyline_id']}: failed — {row['error']}", highlight=False)
            continue
        g = row["grounding"] or {}
        console.print(f"{row['storyline_id']} v{row['version']} ({row['result']}, "
                      f"{g.get('writer', 'extractive')}): {row['headline']} "
                      f"({g.get('checked', 0)} sentences checked, {g.get('dropped', 0)} dropped, "
                      f"{g.get('flagged', 0)} flagged)", highlight=False)
    failed = len(stage.failures)
    console.print(f"wrote {len(written)} brief version(s)"
                  + (f"; {failed} storyline(s) failed" if failed else ""))
    raise typer.Exit(code)


def _result(grounding: dict) -> str:
    """"rewritten" when the LLM writer wrote the version, else "extractive"."""
    return "rewritten" if str(grounding.get("writer", "")).startswith("llm:") else "extractive"


@briefs_app.command("list")
def briefs_list(
    limit: Annotated[int, typer.Option(help="How many versions.")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The newest brief versions across storylines."""
    with opened(create=False) as store:
        versions = store.recent_brief_versions(limit)
    rows = [{"storyline_id": b.storyline_id, "version": b.version, "created": b.created,
             "headline": b.body.get("headline"), "events": len(b.event_ids)} for b in versions]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        console.print(f"{fmt(row['created'])}  {row['storyline_id']} v{row['version']}  "
                      f"{row['headline']}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``brief`` and the ``briefs`` group to the ``storyline`` app."""
    app.command("brief")(brief)
    app.add_typer(briefs_app, name="briefs")
