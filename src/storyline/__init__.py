"""storyline: an offline news-intelligence engine.

Articles flow through ingest → dedupe → enrich → cluster (events) → storylines → briefs, and the
store keeps what each stage produced. See README.md for the commands and ``model.py`` for the data.
"""

__version__ = "0.1.0"
