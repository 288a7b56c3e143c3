"""The OLTP source: DuckDB (local) or PostgreSQL (stack), one table per snapshot entity.

Change tracking (what replication reads): every table carries ``updated_at``, set by the
source on every insert and update, and every deleted row leaves a tombstone in
``source_deletions`` (table, key as a JSON array, deleted_at); a whole table replaced at once
leaves one tombstone with a NULL key. See docs/replication.md.
"""

from __future__ import annotations

import re
from typing import Any, Final, Protocol

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
    "key_tuples",
    "merge_tables",
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


def merge_tables(
    source: SourceDB, tables: dict[str, pa.Table], keep: dict[str, set[tuple[Any, ...]]]
) -> None:
    """Bring ``tables`` into the source row by row instead of replacing them whole.

    Rows whose key is in ``keep[table]`` stay as the source has them (changes made there
    since, which win, deletions included); every other row of ``tables`` is upserted (an
    unchanged row is left alone, ``updated_at`` too) and a row the source has that is in
    neither is deleted with a tombstone. One transaction; replication then copies only what
    moved, where ``replace_tables`` would make it copy every table again.
    """
    from vitrina.contracts.registry import contract_for

    upserts, deletes = {}, {}
    for name, table in tables.items():
        keys = list(contract_for(name).key_columns())
        kept = keep.get(name, set())
        wanted = key_tuples(table, keys)
        upserts[name] = table.filter(pa.array([k not in kept for k in wanted], pa.bool_()))
        current = source.read_table(name).select(keys)
        wanted_set = set(wanted)
        stale = [k not in wanted_set and k not in kept for k in key_tuples(current, keys)]
        deletes[name] = current.filter(pa.array(stale, pa.bool_()))
    source.apply_changes(upserts, deletes)


def key_tuples(table: pa.Table, keys: list[str]) -> list[tuple[Any, ...]]:
    """Each row's key as a tuple of Python values."""
    return list(zip(*(table.column(k).to_pylist() for k in keys), strict=True))


def open_source(url: str) -> SourceDB:
    """The OLTP source named by ``url`` (``duckdb:///path`` or ``postgresql://...``)."""
    source: SourceDB = open_backend("source", url)
    return source
