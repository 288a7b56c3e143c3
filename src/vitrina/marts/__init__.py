"""Marts: the denormalised ClickHouse tables (chdb or a server) and the publish step."""

from __future__ import annotations

from vitrina.marts.catalog import MartSpec, published_marts
from vitrina.marts.store import MartsStore, open_marts

__all__ = ["MartSpec", "MartsStore", "open_marts", "published_marts"]
