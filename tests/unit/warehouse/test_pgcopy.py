"""The vectorised binary COPY encoder, checked byte for byte against the format's definition."""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal

import pyarrow as pa

from vitrina.warehouse.pgcopy import (
    COPY_SIGNATURE,
    COPY_TRAILER,
    encode_binary_copy,
    encode_rows,
    supports,
)


def _field(payload: bytes | None) -> bytes:
    return struct.pack(">i", -1) if payload is None else struct.pack(">i", len(payload)) + payload


def test_rows_match_the_format_byte_for_byte() -> None:
    table = pa.table(
        {
            "id": pa.array([1, None], pa.int64()),
            "s": pa.array(["hé", None]),
            "ts": pa.array(
                [dt.datetime(2000, 1, 1, 0, 0, 1), dt.datetime(1999, 12, 31)], pa.timestamp("ms")
            ),
            "m": pa.array([Decimal("12.34"), Decimal("-0.05")], pa.decimal128(12, 2)),
            "b": pa.array([True, None]),
            "d": pa.array([dt.date(2000, 1, 2), None]),
        }
    )
    # numeric 12.34: 6 digits, weight 4, positive, dscale 2: 0 0 0 0 12 3400
    num_1 = struct.pack(">hhhh", 6, 4, 0, 2) + struct.pack(">6h", 0, 0, 0, 0, 12, 3400)
    num_2 = struct.pack(">hhhh", 6, 4, 0x4000, 2) + struct.pack(">6h", 0, 0, 0, 0, 0, 500)
    row_1 = struct.pack(">h", 6) + b"".join(
        [
            _field(struct.pack(">q", 1)),
            _field("hé".encode()),
            _field(struct.pack(">q", 1_000_000)),
            _field(num_1),
            _field(b"\x01"),
            _field(struct.pack(">i", 1)),
        ]
    )
    row_2 = struct.pack(">h", 6) + b"".join(
        [
            _field(None),
            _field(None),
            _field(struct.pack(">q", -86_400_000_000)),
            _field(num_2),
            _field(None),
            _field(None),
        ]
    )
    assert encode_rows(table) == row_1 + row_2
    assert encode_binary_copy(table) == COPY_SIGNATURE + row_1 + row_2 + COPY_TRAILER
    assert encode_rows(table.slice(1)) == row_2  # offsets of sliced arrays are honoured


def test_supported_types() -> None:
    assert (
        supports(pa.decimal128(12, 2))
        and supports(pa.large_string())
        and supports(pa.timestamp("us", "UTC"))
    )
    assert not supports(pa.decimal128(38, 2)) and not supports(pa.list_(pa.int64()))


def test_empty_table_is_just_signature_and_trailer() -> None:
    empty = pa.table({"id": pa.array([], pa.int64())})
    assert encode_binary_copy(empty) == COPY_SIGNATURE + COPY_TRAILER
