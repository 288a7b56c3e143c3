"""How the contracts' fields are stored: Arrow types and SQL column types, from the field kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pyarrow as pa

from vitrina.contracts.registry import contract_for
from vitrina.contracts.spec import KindName, field_specs

__all__ = ["ARROW_TYPES", "SQL_TYPES", "arrow_schema", "create_table_sql", "field_kinds"]

# Money is decimal(12, 2) everywhere: exact cents, and the same type in every engine.
ARROW_TYPES: Final[dict[KindName, pa.DataType]] = {
    "int": pa.int64(),
    "str": pa.string(),
    "enum": pa.string(),
    "money": pa.decimal128(12, 2),
    "timestamp": pa.timestamp("ms"),
    "date_or_timestamp": pa.timestamp("ms"),
    "bool": pa.bool_(),
}
# SQL spoken alike by DuckDB and PostgreSQL.
SQL_TYPES: Final[dict[KindName, str]] = {
    "int": "bigint",
    "str": "varchar",
    "enum": "varchar",
    "money": "decimal(12, 2)",
    "timestamp": "timestamptz",
    "date_or_timestamp": "timestamptz",
    "bool": "boolean",
}


def field_kinds(entity: str) -> tuple[tuple[str, KindName], ...]:
    """(field, kind) of an entity's contract, in declaration order."""
    return tuple((s.name, s.kind) for s in field_specs(contract_for(entity)))


def arrow_schema(entity: str, tz: str | None = None) -> pa.Schema:
    """The typed Arrow schema of an entity; times in ms, naive UTC unless ``tz`` is given."""
    fields = []
    for name, kind in field_kinds(entity):
        dtype = ARROW_TYPES[kind]
        if tz is not None and pa.types.is_timestamp(dtype):
            dtype = pa.timestamp("ms", tz=tz)
        fields.append(pa.field(name, dtype))
    return pa.schema(fields)


def create_table_sql(entity: str, extra: Sequence[str] = ()) -> str:
    """``create table if not exists`` for an entity, its key as the primary key, no checks.

    A one-column key is marked on its column; a composite key is a table constraint. ``extra``
    column definitions (e.g. the source's ``updated_at``) follow the contract's fields.
    """
    keys = contract_for(entity).key_columns()
    one = keys[0] if len(keys) == 1 else None
    cols = [
        f"    {name} {SQL_TYPES[kind]}{' primary key' if name == one else ''}"
        for name, kind in field_kinds(entity)
    ]
    cols += [f"    {definition}" for definition in extra]
    if one is None:
        cols.append(f"    primary key ({', '.join(keys)})")
    return f"create table if not exists {entity} (\n" + ",\n".join(cols) + "\n);\n"
