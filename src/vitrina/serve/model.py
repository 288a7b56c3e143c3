"""The serving set: schemas, normalisation, content hash and the records a reader gets back."""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from vitrina.errors import ContractError

__all__ = [
    "KEY_VERSION",
    "RECS_SCHEMA",
    "TOP_SCHEMA",
    "PublishOutcome",
    "Recommendation",
    "ServingSet",
    "TopProduct",
    "content_hash",
    "new_version",
    "normalise_recs",
    "normalise_top",
]

# Bumped when the layout of a serving set changes; part of every key and path.
KEY_VERSION = "v1"

TOP_SCHEMA = pa.schema(
    [
        pa.field("rank", pa.int64(), nullable=False),
        pa.field("product_id", pa.int64(), nullable=False),
        pa.field("score", pa.float64()),
        pa.field("clicks_5m", pa.int64()),
        pa.field("units_ordered", pa.int64()),
    ]
)
RECS_SCHEMA = pa.schema(
    [
        pa.field("user_id", pa.int64(), nullable=False),
        pa.field("rank", pa.int64(), nullable=False),
        pa.field("product_id", pa.int64(), nullable=False),
        pa.field("score", pa.float64()),
    ]
)


@dataclass(frozen=True)
class TopProduct:
    rank: int
    product_id: int
    score: float | None
    clicks_5m: int | None
    units_ordered: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Recommendation:
    rank: int
    product_id: int
    score: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ServingSet:
    """One complete, immutable version of the serving data."""

    version: str
    top: pa.Table  # TOP_SCHEMA, ordered by rank
    recs: pa.Table  # RECS_SCHEMA, ordered by user_id, rank


@dataclass(frozen=True)
class PublishOutcome:
    """What a publish did: ``published`` a new version, found it ``unchanged``, or ``kept``
    the previous set because the new one was empty."""

    status: str
    version: str | None
    top_count: int
    recs_users: int
    recs_rows: int


def _conform(table: pa.Table, schema: pa.Schema, what: str) -> pa.Table:
    missing = [f.name for f in schema if f.name not in table.column_names]
    if missing:
        raise ContractError(f"{what}: missing columns {missing}")
    columns = []
    for field in schema:
        col = table.column(field.name)
        # ids stay integers end to end: a float id is only accepted when it is whole.
        if (
            pa.types.is_integer(field.type)
            and pa.types.is_floating(col.type)
            and not pc.all(pc.equal(pc.floor(col), col)).as_py()
        ):
            raise ContractError(f"{what}.{field.name}: non-integer values")
        columns.append(col.cast(field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def normalise_top(table: pa.Table) -> pa.Table:
    """Top products typed to :data:`TOP_SCHEMA`, ordered by rank then product_id."""
    t = _conform(table, TOP_SCHEMA, "top_products")
    return t.sort_by([("rank", "ascending"), ("product_id", "ascending")]).combine_chunks()


def normalise_recs(table: pa.Table) -> pa.Table:
    """Recommendations typed to :data:`RECS_SCHEMA`, ordered by user_id then rank."""
    t = _conform(table, RECS_SCHEMA, "recommendations")
    return t.sort_by([("user_id", "ascending"), ("rank", "ascending")]).combine_chunks()


def content_hash(top: pa.Table, recs: pa.Table) -> str:
    """A digest of the (normalised) content: equal sets give equal hashes."""
    digest = hashlib.sha256()
    for table in (top, recs):
        digest.update(f"{table.num_rows}:{','.join(table.column_names)}".encode())
        for column in table.columns:
            # Every column is numeric: hash the null mask and the values with nulls zeroed,
            # which is independent of chunking and of bytes behind null slots.
            digest.update(column.is_null().to_numpy(zero_copy_only=False).tobytes())
            digest.update(column.fill_null(0).to_numpy().tobytes())
    return digest.hexdigest()


def new_version(digest: str, now_ms: int | None = None) -> str:
    """A version id that sorts by publication time: ``<UTC ms timestamp>-<hash prefix>``."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(ms // 1000)) + f"{ms % 1000:03d}Z"
    return f"{stamp}-{digest[:10]}"


def top_from_table(table: pa.Table, n: int) -> list[TopProduct]:
    return [TopProduct(**row) for row in table.slice(0, max(n, 0)).to_pylist()]


def recs_from_rows(rows: list[dict[str, Any]]) -> list[Recommendation]:
    return [
        Recommendation(rank=int(r["rank"]), product_id=int(r["product_id"]), score=r["score"])
        for r in rows
    ]
