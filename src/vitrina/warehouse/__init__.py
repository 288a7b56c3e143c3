"""The warehouse: DuckDB (local) or PostgreSQL (stack), raw/clean layers and the dbt models."""

from __future__ import annotations

from urllib.parse import urlsplit

from vitrina.errors import UsageError
from vitrina.warehouse.base import Warehouse

__all__ = ["Warehouse", "open_warehouse"]


def open_warehouse(url: str) -> Warehouse:
    """The warehouse named by ``url``: ``duckdb:///path.duckdb`` or ``postgresql://user:pw@host/db``."""
    scheme = urlsplit(url).scheme
    if scheme == "duckdb":
        from vitrina.warehouse.duckdb_wh import DuckDBWarehouse

        return DuckDBWarehouse(url)
    if scheme in ("postgresql", "postgres"):
        from vitrina.warehouse.postgres_wh import (
            PostgresWarehouse,
        )  # optional extra: vitrina[postgres]

        return PostgresWarehouse(url)
    raise UsageError(f"warehouse URL scheme {scheme!r}: use duckdb:// or postgresql://")
