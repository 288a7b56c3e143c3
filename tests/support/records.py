"""Known-good records of every contract, as JSON would give them, for the contract tests."""

from __future__ import annotations

from typing import Any

import orjson
import polars as pl

from tests.support.social_records import SOCIAL_GOOD

GOOD: dict[str, dict[str, Any]] = {
    "users": {
        "user_id": 1,
        "first_name": "Anna",
        "last_name": "Petrova",
        "email": "anna.petrova1@shop.example",
        "phone": "+1-555-010-0001",
        "registration_date": "2026-01-05",
        "loyalty_status": "Gold",
    },
    "categories": {"category_id": 1, "name": "Audio", "parent_category_id": None},
    "products": {
        "product_id": 1,
        "name": "Earbuds",
        "description": "Wireless earbuds",
        "category_id": 1,
        "price": 19.99,
        "stock_quantity": 5,
        "creation_date": "2026-01-01T00:00:00Z",
    },
    "orders": {
        "order_id": 1,
        "user_id": 1,
        "order_date": "2026-02-01T10:00:00.250Z",
        "total_amount": "39.98",
        "status": "delivered",
        "delivery_date": "2026-02-03",
    },
    "order_details": {
        "order_detail_id": 1,
        "order_id": 1,
        "product_id": 1,
        "quantity": 2,
        "price_per_unit": "19.99",
        "total_price": 39.98,
    },
    "reviews": {
        "review_id": 1,
        "user_id": 1,
        "product_id": 1,
        "rating": 5,
        "review_text": "Great sound.",
        "created_at": "2026-02-05T08:00:00Z",
    },
    "loyalty_points": {
        "loyalty_id": 1,
        "user_id": 1,
        "points": 40,
        "reason": "order",
        "created_at": "2026-02-01T10:00:00.250Z",
    },
    "clicks": {
        "event_id": "4f1c2a9e0b7d3e55",
        "user_id": 1,
        "session_id": "a1b2c3d4",
        "product_id": 1,
        "event_type": "click",
        "ts": "2026-11-22T13:00:00.123Z",
        "device": "mobile",
    },
    "registrations": {
        "event_id": "9e0b7d3e554f1c2a",
        "user_id": 2,
        "first_name": "Boris",
        "last_name": "Orlov",
        "email": "boris.orlov2@mail.example",
        "phone": "+1-555-010-0002",
        "registration_date": "2026-11-22T13:05:00.000Z",
        "loyalty_status": "Bronze",
        "ts": "2026-11-22T13:05:00.000Z",
    },
}


GOOD.update(SOCIAL_GOOD)


def record(entity: str, **changes: Any) -> dict[str, Any]:
    """A good record of ``entity`` with ``changes``; a value of ``...`` removes the key."""
    out = dict(GOOD[entity])
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def jsonl(records: list[dict[str, Any]]) -> bytes:
    """JSON lines, one record per line."""
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def frame(entity: str, records: list[dict[str, Any]]) -> pl.DataFrame:
    """The records as ``parse_jsonl`` gives them (via JSON lines)."""
    from vitrina.contracts import parse_jsonl

    batch = parse_jsonl(jsonl(records), entity, "test")
    assert batch.bad.height == 0
    return batch.frame
