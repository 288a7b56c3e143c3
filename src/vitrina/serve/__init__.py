"""Serving: top products and per-user recommendations, versioned and switched atomically."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from vitrina.errors import UsageError
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
    parts = urlsplit(url)
    if parts.scheme == "file":
        from vitrina.serve.filestore import FileServingStore

        path = unquote(parts.netloc + parts.path)
        if not path:
            raise UsageError(f"serving URL {url!r} needs a path: file:///abs/dir")
        return FileServingStore(Path(path))
    if parts.scheme == "redis":
        from vitrina.serve.redisstore import RedisServingStore

        return RedisServingStore(url)
    raise UsageError(
        f"unsupported serving URL scheme {parts.scheme!r} (allowed: file://, redis://)"
    )
