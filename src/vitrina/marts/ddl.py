"""ClickHouse table definitions derived from an Arrow schema (the rows a mart will hold)."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from vitrina.errors import PipelineError

__all__ = ["clickhouse_type", "create_table_sql"]

_INTS = {
    pa.int8(): "Int8",
    pa.int16(): "Int16",
    pa.int32(): "Int32",
    pa.int64(): "Int64",
    pa.uint8(): "UInt8",
    pa.uint16(): "UInt16",
    pa.uint32(): "UInt32",
    pa.uint64(): "UInt64",
}


def _base_type(t: pa.DataType) -> str:
    if t in _INTS:
        return _INTS[t]
    if pa.types.is_float32(t):
        return "Float32"
    if pa.types.is_float64(t):
        return "Float64"
    if pa.types.is_decimal(t):
        return f"Decimal({t.precision}, {t.scale})"
    if pa.types.is_boolean(t):
        return "Bool"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "String"
    if pa.types.is_date(t):
        return "Date32"
    if pa.types.is_timestamp(t):
        # Warehouse timestamps are naive UTC; the store keeps them as UTC instants.
        digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[t.unit]
        return f"DateTime64({digits}, 'UTC')"
    raise PipelineError(f"no marts-store column type for Arrow type {t}")


def clickhouse_type(f: pa.Field) -> str:
    """The ClickHouse type of an Arrow field, ``Nullable(...)`` when the field is nullable."""
    base = _base_type(f.type)
    return f"Nullable({base})" if f.nullable else base


def create_table_sql(schema: pa.Schema, order_by: Sequence[str], engine: str = "MergeTree") -> str:
    """A ``create table {table} (...)`` statement (the name left as ``{table}``) for ``schema``."""
    columns = ",\n".join(f"    {f.name} {clickhouse_type(f)}" for f in schema)
    ddl = f"create table {{table}} (\n{columns}\n) engine = {engine}"
    if engine.endswith("MergeTree"):
        key = order_by[0] if len(order_by) == 1 else f"({', '.join(order_by)})"
        ddl += f" order by {key if order_by else 'tuple()'}"
    return ddl
