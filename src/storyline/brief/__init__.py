"""Cited, versioned storyline briefs.

- :mod:`.sections` picks, orders and labels source sentences (extractive, offline);
- :mod:`.classify` sorts sentences into fact, assessment (significance) and outlook;
- :mod:`.cite` checks that every sentence is supported by the articles it cites;
- :mod:`.writer` builds brief bodies from the store; ``BriefStage`` writes new versions;
- :mod:`.llm` optionally rewrites sections through an OpenAI-compatible server (grounded);
- :mod:`.render` renders bodies and "new since last version" views as Markdown, HTML, JSON;
- :mod:`.phrases` holds every word a brief adds, per language (English; Russian on request),
  :mod:`.russian` the Russian grammar they need, and :mod:`.language` what a brief says of
  sentences reported in another language than its own;
- :mod:`.context` selects background sentences for a new update.

The body layout is documented on :class:`storyline.model.BriefVersion`. Names are imported on
first use, so showing a stored brief does not load scikit-learn or spaCy.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BriefConfig": "sections", "BriefStage": "writer", "BriefWriter": "writer",
    "GroundingChecker": "cite", "GroundingReport": "cite", "LLMConfig": "llm",
    "LLMWriter": "llm", "diff_view": "render", "render": "render", "render_diff": "render",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
