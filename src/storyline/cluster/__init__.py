"""Clustering: articles → events (:mod:`.events`, online) and events → storylines.

The article → event clusterer's public API is re-exported here; see :mod:`.events` for the
method and ``bench/README.md`` for how its parameters were fitted and what it scores.
"""

from .events import FEATURES, Assignment, ClusterConfig, EventClusterer, embed_text

__all__ = ["FEATURES", "Assignment", "ClusterConfig", "EventClusterer", "embed_text"]
