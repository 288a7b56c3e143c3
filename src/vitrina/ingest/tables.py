"""The raw, clean and quarantine tables ingest writes; an entity's table comes from its contract."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from vitrina.contracts import contract_for
from vitrina.contracts.registry import PIPELINE_ENTITIES
from vitrina.contracts.storage import arrow_schema
from vitrina.warehouse.base import quote_ident

__all__ = [
    "CLEAN_SCHEMA",
    "CLICK_ARRIVALS",
    "EVENT_ENTITIES",
    "QUARANTINE",
    "RAW_SCHEMA",
    "SHOP_ENTITIES",
    "STATUS_OBSERVATIONS",
    "TABLES",
    "TableSpec",
    "sql_type",
]

RAW_SCHEMA = "raw"
CLEAN_SCHEMA = "clean"

_ID = pa.int64()
_STR = pa.string()
# Naive timestamps holding UTC: no session time zone can shift them in either engine.
_TS = pa.timestamp("ms")


@dataclass(frozen=True)
class TableSpec:
    """One entity's clean table: its key and typed columns (ingest casts to exactly these)."""

    entity: str
    keys: tuple[str, ...]  # the primary key's columns
    columns: tuple[tuple[str, pa.DataType], ...]
    incremental: bool  # events grow file by file; snapshots are replaced whole

    @property
    def key(self) -> str:
        """The key's one column, for callers that need a single column (composite: an error)."""
        if len(self.keys) != 1:
            raise ValueError(f"{self.entity}: a composite key {self.keys}, not one column")
        return self.keys[0]

    def key_match(self, left: str, right: str) -> str:
        """SQL matching the key of rows ``left`` and ``right`` (every key column equal)."""
        return " and ".join(
            f"{left}.{quote_ident(k)} = {right}.{quote_ident(k)}" for k in self.keys
        )

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.columns]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(n, t) for n, t in self.columns])

    @property
    def clean_schema(self) -> pa.Schema:
        extra = (
            [pa.field("arrival_file", _STR), pa.field("arrival_line", _ID)]
            if self.incremental
            else []
        )
        return pa.schema([*self.schema, *extra])

    @property
    def raw_schema(self) -> pa.Schema:
        fields = [pa.field(n, _STR) for n in self.names]
        return pa.schema([*fields, pa.field("_file", _STR), pa.field("_line", _ID)])


def sql_type(dtype: pa.DataType) -> str:
    """The column type of a clean table as dbt's sources YAML states it (same on both engines)."""
    if pa.types.is_integer(dtype):
        return "bigint"
    if pa.types.is_string(dtype):
        return "varchar"
    if pa.types.is_decimal(dtype):
        return f"decimal({dtype.precision}, {dtype.scale})"  # type: ignore[attr-defined]
    if pa.types.is_timestamp(dtype):
        return "timestamp"
    if pa.types.is_boolean(dtype):
        return "boolean"
    raise TypeError(f"no SQL type for {dtype}")


def _spec(entity: str) -> TableSpec:
    """The clean table of an entity, read off its contract."""
    model = contract_for(entity)
    schema = arrow_schema(entity)
    return TableSpec(
        entity,
        model.key_columns(),
        tuple(zip(schema.names, schema.types, strict=True)),
        model.entity_kind == "event",
    )


# Only the domains the pipeline handles (a domain may have contracts before its pipeline).
_SPECS = tuple(_spec(e) for e in PIPELINE_ENTITIES)

TABLES: dict[str, TableSpec] = {s.entity: s for s in _SPECS}
SHOP_ENTITIES = tuple(s.entity for s in _SPECS if not s.incremental)
EVENT_ENTITIES = tuple(s.entity for s in _SPECS if s.incremental)

QUARANTINE = pa.schema(
    [
        pa.field("entity", _STR),
        pa.field("origin", _STR),
        pa.field("origin_file", _STR),
        pa.field("payload", _STR),
        pa.field("reasons", _STR),
        pa.field("ingested_at", _TS),
    ]
)

# Every observed change of a user's loyalty status (the SCD2 dimension is built from it).
STATUS_OBSERVATIONS = pa.schema(
    [pa.field("user_id", _ID), pa.field("loyalty_status", _STR), pa.field("observed_at", _TS)]
)

# Every click that passes the record-level contract, duplicates included, in arrival order:
# exactly what the stream's window engine sees, so top_products can agree with its output.
CLICK_ARRIVALS = pa.schema(
    [
        pa.field("arrival_file", _STR),
        pa.field("arrival_line", _ID),
        pa.field("event_id", _STR),
        pa.field("product_id", _ID),
        pa.field("event_type", _STR),
        pa.field("ts", _TS),
    ]
)
