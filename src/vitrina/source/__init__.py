"""The OLTP source of the shop: DuckDB (local) or PostgreSQL (stack), one table per entity."""

from __future__ import annotations

from importlib import resources
from typing import Protocol

import pyarrow as pa

from vitrina.backends import open_backend

__all__ = ["ENTITY_TABLES", "SourceDB", "open_source", "schema_sql"]

ENTITY_TABLES = (
    "users",
    "categories",
    "products",
    "orders",
    "order_details",
    "reviews",
    "loyalty_points",
)


class SourceDB(Protocol):
    def replace_tables(self, tables: dict[str, pa.Table]) -> None: ...
    def read_table(self, name: str) -> pa.Table: ...
    def close(self) -> None: ...


def schema_sql() -> str:
    return resources.files("vitrina.source").joinpath("schema.sql").read_text()


def open_source(url: str) -> SourceDB:
    """The OLTP source named by ``url`` (``duckdb:///path`` or ``postgresql://...``)."""
    source: SourceDB = open_backend("source", url)
    return source
