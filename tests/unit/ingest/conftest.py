"""Fixtures for ingest: table digests of a warehouse, a small event log and OLTP source."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import orjson
import pyarrow as pa
import pytest

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings

WORLD = Path(__file__).parents[1] / "transform" / "world"


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)


@pytest.fixture()
def digests() -> Callable[[Settings], dict[str, tuple[int, str]]]:
    return table_digests


@pytest.fixture()
def world_dir() -> Path:
    return WORLD


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def shop_tables(loyalty_of_user_2: str = "Silver") -> dict[str, pa.Table]:
    """A tiny OLTP source: 2 users, 2 categories, 2 products, 1 order with 1 line, 1 review, 1 credit."""
    ts = pa.timestamp("us", tz="UTC")
    money = pa.decimal128(12, 2)
    return {
        "users": pa.table(
            {
                "user_id": [1, 2],
                "first_name": ["Ann", "Bob "],
                "last_name": ["Lee", "Roy"],
                "email": ["ann@example.com", "BOB@example.com"],
                "phone": ["+1 555 0101", "+1 555 0102"],
                "registration_date": pa.array(
                    [_ts("2026-01-01T00:00:00"), _ts("2026-11-22T10:00:00")], ts
                ),
                "loyalty_status": ["Gold", loyalty_of_user_2],
            }
        ),
        "categories": pa.table(
            {
                "category_id": [1, 2],
                "name": ["Books", "Novels"],
                "parent_category_id": pa.array([None, 1], pa.int64()),
            }
        ),
        "products": pa.table(
            {
                "product_id": [10, 11],
                "name": ["Novel", "Atlas"],
                "description": ["a novel", "an atlas"],
                "category_id": [2, 1],
                "price": pa.array([Decimal("10.00"), Decimal("25.50")], money),
                "stock_quantity": [5, 0],
                "creation_date": pa.array([_ts("2026-02-01T00:00:00")] * 2, ts),
            }
        ),
        "orders": pa.table(
            {
                "order_id": [100],
                "user_id": [1],
                "order_date": pa.array([_ts("2026-11-01T10:00:00")], ts),
                "total_amount": pa.array([Decimal("20.00")], money),
                "status": ["paid"],
                "delivery_date": pa.array([None], ts),
            }
        ),
        "order_details": pa.table(
            {
                "order_detail_id": [1000],
                "order_id": [100],
                "product_id": [10],
                "quantity": [2],
                "price_per_unit": pa.array([Decimal("10.00")], money),
                "total_price": pa.array([Decimal("20.00")], money),
            }
        ),
        "reviews": pa.table(
            {
                "review_id": [500],
                "user_id": [1],
                "product_id": [10],
                "rating": [4],
                "review_text": ["good"],
                "created_at": pa.array([_ts("2026-11-02T00:00:00")], ts),
            }
        ),
        "loyalty_points": pa.table(
            {
                "loyalty_id": [1],
                "user_id": [1],
                "points": [20],
                "reason": ["order"],
                "created_at": pa.array([_ts("2026-11-01T10:00:00")], ts),
            }
        ),
    }


def click_line(
    event_id: str, product_id: int, ts: str, event_type: str = "click", user_id: int = 1
) -> bytes:
    return orjson.dumps(
        {
            "event_id": event_id,
            "user_id": user_id,
            "session_id": "s1",
            "product_id": product_id,
            "event_type": event_type,
            "ts": ts,
            "device": "desktop",
        }
    )


@pytest.fixture()
def shop() -> Callable[..., dict[str, pa.Table]]:
    return shop_tables


@pytest.fixture()
def click() -> Callable[..., bytes]:
    return click_line
