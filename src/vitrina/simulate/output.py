"""Turn simulator columns into contract-shaped Arrow tables and JSON Lines bytes."""

from __future__ import annotations

import io

import numpy as np
import polars as pl
import pyarrow as pa

from vitrina.contracts.storage import arrow_schema

__all__ = [
    "arrow_table",
    "decimals",
    "fixed_width_strings",
    "ndjson",
    "strings",
    "timestamps",
    "ts_strings",
]

_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"


def decimals(cents: np.ndarray) -> pa.Array:
    """Exact decimal(12,2) from integer cents (the unscaled value of a scale-2 decimal)."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension to 128 bits
    return pa.Array.from_buffers(
        pa.decimal128(12, 2), len(cents), [None, pa.py_buffer(words.tobytes())]
    )


def timestamps(ms: np.ndarray, null_below_zero: bool = False) -> pa.Array:
    """UTC timestamps from epoch ms; with ``null_below_zero``, negative values are nulls."""
    ms = np.asarray(ms, dtype=np.int64)
    mask = (ms < 0) if null_below_zero else None
    return pa.array(ms, type=pa.int64(), mask=mask).cast(pa.timestamp("ms", tz="UTC"))


def strings(values: np.ndarray) -> pa.Array:
    return pa.array(
        values.astype(str) if values.dtype.kind in "SU" else values.astype(object), type=pa.string()
    )


def ts_strings(ms: np.ndarray) -> pl.Series:
    """ISO-8601 UTC strings with milliseconds and ``Z``, vectorised."""
    return pl.Series(np.asarray(ms, dtype=np.int64)).cast(pl.Datetime("ms")).dt.strftime(_TS)


def fixed_width_strings(values: np.ndarray) -> pl.Series:
    """A numpy ``S<w>`` array of ASCII as a Polars string column, without a per-value copy."""
    n, width = len(values), values.dtype.itemsize
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int64) * width).tobytes())
    data = pa.py_buffer(np.ascontiguousarray(values).view(np.uint8))
    return pl.from_arrow(pa.Array.from_buffers(pa.large_string(), n, [None, offsets, data]))  # type: ignore[return-value]


def arrow_table(entity: str, columns: dict[str, pa.Array | np.ndarray]) -> pa.Table:
    """The columns as the entity's table, typed by its contract (times as UTC timestamps).

    A column missing, extra or out of the contract's order is a programming error here, so the
    simulator cannot drift from the contract it feeds.
    """
    schema = arrow_schema(entity, tz="UTC")
    if list(columns) != schema.names:
        raise ValueError(f"{entity}: columns {list(columns)} != contract fields {schema.names}")
    return pa.table(columns).cast(schema)


def ndjson(df: pl.DataFrame) -> bytes:
    """JSON Lines bytes, one object per row, newline-terminated."""
    buf = io.BytesIO()
    df.write_ndjson(buf)
    return buf.getvalue()
