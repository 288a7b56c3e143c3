"""The raw, clean and quarantine tables ingest writes: names, keys and typed Arrow schemas."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

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
]

RAW_SCHEMA = "raw"
CLEAN_SCHEMA = "clean"

_ID = pa.int64()
_STR = pa.string()
_MONEY = pa.decimal128(12, 2)
# Naive timestamps holding UTC: no session time zone can shift them in either engine.
_TS = pa.timestamp("ms")


@dataclass(frozen=True)
class TableSpec:
    """One entity's clean table: its key and typed columns (ingest casts to exactly these)."""

    entity: str
    key: str
    columns: tuple[tuple[str, pa.DataType], ...]
    incremental: bool  # event topics grow by file; shop entities are replaced as snapshots

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


_SPECS = (
    TableSpec(
        "users",
        "user_id",
        (
            ("user_id", _ID),
            ("first_name", _STR),
            ("last_name", _STR),
            ("email", _STR),
            ("phone", _STR),
            ("registration_date", _TS),
            ("loyalty_status", _STR),
        ),
        False,
    ),
    TableSpec(
        "categories",
        "category_id",
        (("category_id", _ID), ("name", _STR), ("parent_category_id", _ID)),
        False,
    ),
    TableSpec(
        "products",
        "product_id",
        (
            ("product_id", _ID),
            ("name", _STR),
            ("description", _STR),
            ("category_id", _ID),
            ("price", _MONEY),
            ("stock_quantity", _ID),
            ("creation_date", _TS),
        ),
        False,
    ),
    TableSpec(
        "orders",
        "order_id",
        (
            ("order_id", _ID),
            ("user_id", _ID),
            ("order_date", _TS),
            ("total_amount", _MONEY),
            ("status", _STR),
            ("delivery_date", _TS),
        ),
        False,
    ),
    TableSpec(
        "order_details",
        "order_detail_id",
        (
            ("order_detail_id", _ID),
            ("order_id", _ID),
            ("product_id", _ID),
            ("quantity", _ID),
            ("price_per_unit", _MONEY),
            ("total_price", _MONEY),
        ),
        False,
    ),
    TableSpec(
        "reviews",
        "review_id",
        (
            ("review_id", _ID),
            ("user_id", _ID),
            ("product_id", _ID),
            ("rating", _ID),
            ("review_text", _STR),
            ("created_at", _TS),
        ),
        False,
    ),
    TableSpec(
        "loyalty_points",
        "loyalty_id",
        (
            ("loyalty_id", _ID),
            ("user_id", _ID),
            ("points", _ID),
            ("reason", _STR),
            ("created_at", _TS),
        ),
        False,
    ),
    TableSpec(
        "clicks",
        "event_id",
        (
            ("event_id", _STR),
            ("user_id", _ID),
            ("session_id", _STR),
            ("product_id", _ID),
            ("event_type", _STR),
            ("ts", _TS),
            ("device", _STR),
        ),
        True,
    ),
    TableSpec(
        "registrations",
        "event_id",
        (
            ("event_id", _STR),
            ("user_id", _ID),
            ("first_name", _STR),
            ("last_name", _STR),
            ("email", _STR),
            ("phone", _STR),
            ("registration_date", _TS),
            ("loyalty_status", _STR),
            ("ts", _TS),
        ),
        True,
    ),
)

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
