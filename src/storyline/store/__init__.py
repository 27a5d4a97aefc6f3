"""Persistence: the ``Store`` interface and its SQLite implementation."""

from .base import SearchHit, Store, StoreError, open_store

__all__ = ["SearchHit", "Store", "StoreError", "open_store"]
