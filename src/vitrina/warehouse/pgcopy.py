"""Vectorised encoding of an Arrow table into PostgreSQL's binary COPY format (numpy, no row loop).

Layout (PostgreSQL docs, "COPY ... BINARY"): an 11-byte signature, flags and header-extension
length (int32 each); then per row an int16 field count and per field an int32 byte length (-1
for NULL) followed by the value in the type's binary send format, big-endian; then an int16 -1.
Each column is encoded as a whole: fixed-width values are byte-scattered into their slots,
strings are copied from Arrow's data buffer with one fancy-index assignment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["COPY_SIGNATURE", "COPY_TRAILER", "encode_binary_copy", "encode_rows", "supports"]

log = logging.getLogger(__name__)

COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
COPY_TRAILER = b"\xff\xff"
_PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in Unix microseconds
_PG_EPOCH_DAYS = 10_957
_NUMERIC_DIGITS = 6  # 5 base-10000 digits before the point (< 10**20), 1 after (scale <= 4)
_NUMERIC_NEG = 0x4000

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]


@dataclass
class _Column:
    lengths: I64  # byte length per row, -1 for NULL
    fixed: U8 | None = None  # (rows, width) bytes when every value has the same width
    offsets: I64 | None = None  # varlen: start of each value in ``data``
    data: U8 | None = None


def supports(t: pa.DataType) -> bool:
    """Whether a column of Arrow type ``t`` can be encoded here (else use a row-wise writer)."""
    if pa.types.is_decimal(t):
        return bool(t.precision <= 18 and 0 <= t.scale <= 4)
    return any(
        f(t)
        for f in (
            pa.types.is_integer,
            pa.types.is_floating,
            pa.types.is_boolean,
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_timestamp,
            pa.types.is_date32,
        )
    )


def _valid(arr: pa.Array) -> npt.NDArray[np.bool_]:
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=bool)
    return np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def _fixed(
    values: npt.NDArray[np.generic], big_endian: str, valid: npt.NDArray[np.bool_]
) -> _Column:
    width = np.dtype(big_endian).itemsize
    raw = np.ascontiguousarray(values.astype(big_endian)).view(np.uint8).reshape(-1, width)
    lengths = np.where(valid, width, -1).astype(np.int64)
    return _Column(lengths=lengths, fixed=raw)


def _numeric(arr: pa.Array, valid: npt.NDArray[np.bool_]) -> _Column:
    t = arr.type
    # The low 64 bits of each little-endian 128-bit value: exact for precision <= 18.
    words = np.frombuffer(arr.buffers()[1], dtype=np.int64).reshape(-1, 2)
    unscaled = words[arr.offset : arr.offset + len(arr), 0].copy()
    unscaled[~valid] = 0
    sign = np.where(unscaled < 0, _NUMERIC_NEG, 0)
    magnitude = np.abs(unscaled)
    integer, fraction = np.divmod(magnitude, 10**t.scale)
    n = len(arr)
    digits = np.empty((n, _NUMERIC_DIGITS), dtype=np.int64)
    for i in range(_NUMERIC_DIGITS - 1):
        digits[:, _NUMERIC_DIGITS - 2 - i] = integer % 10_000
        integer //= 10_000
    digits[:, -1] = fraction * 10 ** (4 - t.scale)
    header = np.empty((n, 4), dtype=np.int64)
    header[:, 0] = _NUMERIC_DIGITS
    header[:, 1] = _NUMERIC_DIGITS - 2  # weight of the first digit: 10000**4
    header[:, 2] = sign
    header[:, 3] = t.scale
    words16 = np.concatenate([header, digits], axis=1).astype(">i2")
    raw = np.ascontiguousarray(words16).view(np.uint8).reshape(n, -1)
    lengths = np.where(valid, raw.shape[1], -1).astype(np.int64)
    return _Column(lengths=lengths, fixed=raw)


def _strings(arr: pa.Array, valid: npt.NDArray[np.bool_]) -> _Column:
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    data_buf = arr.buffers()[2]
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    )
    lengths = np.diff(offsets).astype(np.int64)
    lengths[~valid] = -1
    return _Column(lengths=lengths, offsets=offsets.astype(np.int64), data=data)


def _encode_column(arr: pa.Array) -> _Column:
    t = arr.type
    valid = _valid(arr)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _strings(arr, valid)
    if pa.types.is_decimal(t):
        return _numeric(arr, valid)
    if pa.types.is_timestamp(t):
        us = pc.cast(arr, pa.timestamp("us", tz=t.tz)).cast(pa.int64()).fill_null(0)
        return _fixed(us.to_numpy() - _PG_EPOCH_US, ">i8", valid)
    if pa.types.is_date32(t):
        days = arr.cast(pa.int32()).fill_null(0).to_numpy()
        return _fixed(days - _PG_EPOCH_DAYS, ">i4", valid)
    if pa.types.is_boolean(t):
        return _fixed(
            arr.fill_null(False).to_numpy(zero_copy_only=False).astype(np.uint8), "u1", valid
        )
    if pa.types.is_floating(t):
        return _fixed(arr.cast(pa.float64()).fill_null(0).to_numpy(), ">f8", valid)
    if pa.types.is_int8(t) or pa.types.is_int16(t):
        return _fixed(arr.cast(pa.int16()).fill_null(0).to_numpy(), ">i2", valid)
    if pa.types.is_int32(t):
        return _fixed(arr.fill_null(0).to_numpy(), ">i4", valid)
    if pa.types.is_integer(t):
        return _fixed(arr.cast(pa.int64()).fill_null(0).to_numpy(), ">i8", valid)
    raise TypeError(f"binary COPY encoding not implemented for {t}")


def _field_array(col: _Column, n: int) -> pa.Array:
    """Each row's encoded field (int32 length, then the value) as one binary value."""
    lengths_be = col.lengths.astype(">i4").view(np.uint8).reshape(n, 4)
    present = col.lengths >= 0
    if col.fixed is not None:
        width = col.fixed.shape[1]
        block = np.empty((n, 4 + width), dtype=np.uint8)
        block[:, :4] = lengths_be
        block[:, 4:] = col.fixed
        sizes = np.where(present, 4 + width, 4)
        if present.all():
            data = block.reshape(-1)
        else:  # a NULL is its length (-1) alone: drop the value bytes of those rows
            keep = np.ones((n, 4 + width), dtype=bool)
            keep[~present, 4:] = False
            data = block[keep]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        return pa.Array.from_buffers(
            pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )
    assert col.offsets is not None and col.data is not None
    header = pa.Array.from_buffers(
        pa.large_binary(),
        n,
        [
            None,
            pa.py_buffer(np.arange(0, 4 * n + 1, 4, dtype=np.int64)),
            pa.py_buffer(lengths_be.reshape(-1)),
        ],
    )
    values = pa.Array.from_buffers(
        pa.large_binary(), n, [None, pa.py_buffer(col.offsets), pa.py_buffer(col.data)]
    )
    if not present.all():  # NULL strings contribute no bytes after their length
        values = pc.if_else(pa.array(present), values, pa.scalar(b"", pa.large_binary()))
    return pc.binary_join_element_wise(header, values, pa.scalar(b"", pa.large_binary()))


def encode_binary_copy(table: pa.Table) -> bytes:
    """The whole table as one binary COPY stream (signature, rows, trailer)."""
    return COPY_SIGNATURE + encode_rows(table) + COPY_TRAILER


def encode_rows(table: pa.Table) -> bytes:
    """The rows of ``table`` in binary COPY format (no signature or trailer).

    Each column becomes an Arrow binary array of encoded fields (contiguous numpy block
    copies), and Arrow's C++ kernel joins them row by row, so no Python runs per row.
    """
    n = table.num_rows
    count = np.full(n, table.num_columns, dtype=">i2").view(np.uint8)
    fields = [
        pa.Array.from_buffers(
            pa.large_binary(),
            n,
            [None, pa.py_buffer(np.arange(0, 2 * n + 1, 2, dtype=np.int64)), pa.py_buffer(count)],
        )
    ]
    fields += [
        _field_array(_encode_column(table.column(i).combine_chunks()), n)
        for i in range(table.num_columns)
    ]
    rows = pc.binary_join_element_wise(*fields, pa.scalar(b"", pa.large_binary())) if n else None
    body = b""
    if rows is not None:
        offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[
            rows.offset : rows.offset + n + 1
        ]
        body = rows.buffers()[2].to_pybytes()[int(offsets[0]) : int(offsets[-1])]
    return body
