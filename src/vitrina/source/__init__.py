"""The OLTP source: DuckDB (local) or PostgreSQL (stack), one table per snapshot entity.

Change tracking (what replication reads): every table carries ``updated_at``, set by the
source on every insert and update, and every deleted row leaves a tombstone in
``source_deletions`` (table, key as a JSON array, deleted_at); a whole table replaced at once
leaves one tombstone with a NULL key. See docs/replication.md.
"""

from __future__ import annotations

import re
from typing import Final, Protocol

import pyarrow as pa

from vitrina.backends import open_backend
from vitrina.contracts.registry import REGISTRY, entities_of
from vitrina.contracts.storage import create_table_sql, field_kinds

__all__ = [
    "DELETIONS",
    "ENTITY_TABLES",
    "UPDATED_AT",
    "SourceDB",
    "contract_columns",
    "open_source",
    "read_order",
    "schema_sql",
]

# One table per snapshot entity of every domain, named and shaped as its contract.
ENTITY_TABLES: Final = entities_of("snapshot", tuple(REGISTRY))
UPDATED_AT: Final = "updated_at"
DELETIONS: Final = "source_deletions"
_UPDATED_AT_SQL: Final = f"{UPDATED_AT} timestamptz default current_timestamp"


class SourceDB(Protocol):
    def replace_tables(self, tables: dict[str, pa.Table]) -> None: ...
    def apply_changes(self, upserts: dict[str, pa.Table], deletes: dict[str, pa.Table]) -> None: ...
    def read_table(self, name: str) -> pa.Table: ...
    def close(self) -> None: ...


def contract_columns(entity: str) -> list[str]:
    """The contract's fields of a source table (``updated_at`` left out)."""
    return [name for name, _ in field_kinds(entity)]


def read_order(entity: str) -> str:
    """``order by`` every contract field, key first: the same rows in the same order on every
    read (the source enforces no keys, so a key alone may tie)."""
    from vitrina.contracts.registry import contract_for

    keys = list(contract_for(entity).key_columns())
    return ", ".join(keys + [c for c in contract_columns(entity) if c not in keys])


def schema_sql() -> str:
    """The source's DDL, derived from the contracts, plus ``updated_at`` and the tombstones.

    No CHECK constraints and no enforced keys: the source is where bad records come from
    (a simulated fault may turn two friendships into the same self-friendship), and ingest
    is what catches them, with a reason, instead of the source refusing the whole snapshot.
    ``add column if not exists`` brings a source created before change tracking up to date.
    """
    tables = "".join(_unkeyed(create_table_sql(e, extra=(_UPDATED_AT_SQL,))) for e in ENTITY_TABLES)
    upgrades = "".join(
        f"alter table {e} add column if not exists {_UPDATED_AT_SQL};\n" for e in ENTITY_TABLES
    )
    deletions = (
        f"create table if not exists {DELETIONS} (\n"
        "    table_name varchar not null,\n"
        "    key_json varchar,\n"
        "    deleted_at timestamptz not null default current_timestamp\n);\n"
    )
    return tables + upgrades + deletions


def _unkeyed(ddl: str) -> str:
    """``ddl`` without its primary key (a column marker or a table constraint)."""
    ddl = _TABLE_KEY.sub("\n", ddl)
    return ddl.replace(" primary key,", ",").replace(" primary key\n", "\n")


_TABLE_KEY: Final = re.compile(r",\n    primary key \([^)]*\)\n")


def open_source(url: str) -> SourceDB:
    """The OLTP source named by ``url`` (``duckdb:///path`` or ``postgresql://...``)."""
    source: SourceDB = open_backend("source", url)
    return source
