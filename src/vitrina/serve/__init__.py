"""Serving: top products and per-user recommendations, versioned and switched atomically."""

from __future__ import annotations

from vitrina.backends import open_backend
from vitrina.serve.base import ServingStore
from vitrina.serve.model import PublishOutcome, Recommendation, ServingSet, TopProduct

__all__ = [
    "PublishOutcome",
    "Recommendation",
    "ServingSet",
    "ServingStore",
    "TopProduct",
    "open_serving",
]


def open_serving(url: str) -> ServingStore:
    """The serving store named by ``url``: ``file:///abs/dir`` or ``redis://host:port/db``."""
    store: ServingStore = open_backend("serving", url)
    return store
