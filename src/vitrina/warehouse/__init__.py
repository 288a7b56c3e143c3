"""The warehouse: DuckDB (local) or PostgreSQL (stack), raw/clean layers and the dbt models."""

from __future__ import annotations

from typing import cast

from vitrina.backends import factory, open_backend
from vitrina.warehouse.base import DbtTarget, Warehouse

__all__ = ["DbtTarget", "Warehouse", "dbt_target", "open_warehouse"]


def open_warehouse(url: str) -> Warehouse:
    """The warehouse named by ``url``: ``duckdb:///path.duckdb`` or ``postgresql://user:pw@host/db``."""
    wh: Warehouse = open_backend("warehouse", url)
    return wh


def dbt_target(url: str) -> DbtTarget:
    """How dbt connects to the warehouse ``url`` names, as its leaf says (no connection made)."""
    leaf = cast("type[Warehouse]", factory("warehouse", url))
    return leaf.dbt_target(url)
