"""The OLTP source: DuckDB (local) or PostgreSQL (stack), one table per snapshot entity."""

from __future__ import annotations

import re
from typing import Final, Protocol

import pyarrow as pa

from vitrina.backends import open_backend
from vitrina.contracts.registry import REGISTRY, entities_of
from vitrina.contracts.storage import create_table_sql

__all__ = ["ENTITY_TABLES", "SourceDB", "open_source", "schema_sql"]

# One table per snapshot entity of every domain, named and shaped as its contract.
ENTITY_TABLES: Final = entities_of("snapshot", tuple(REGISTRY))


class SourceDB(Protocol):
    def replace_tables(self, tables: dict[str, pa.Table]) -> None: ...
    def read_table(self, name: str) -> pa.Table: ...
    def close(self) -> None: ...


def schema_sql() -> str:
    """The source's DDL, derived from the contracts.

    No CHECK constraints and no enforced keys: the source is where bad records come from
    (a simulated fault may turn two friendships into the same self-friendship), and ingest
    is what catches them, with a reason, instead of the source refusing the whole snapshot.
    """
    return "".join(_unkeyed(create_table_sql(e)) for e in ENTITY_TABLES)


def _unkeyed(ddl: str) -> str:
    """``ddl`` without its primary key (a column marker or a table constraint)."""
    ddl = _TABLE_KEY.sub("\n", ddl)
    return ddl.replace(" primary key,", ",").replace(" primary key\n", "\n")


_TABLE_KEY: Final = re.compile(r",\n    primary key \([^)]*\)\n")


def open_source(url: str) -> SourceDB:
    """The OLTP source named by ``url`` (``duckdb:///path`` or ``postgresql://...``)."""
    source: SourceDB = open_backend("source", url)
    return source
