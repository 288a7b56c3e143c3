"""A small shop in the contract shape, and writers of it as JSON Lines, CSV or Parquet files."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from vitrina.config import Settings
from vitrina.warehouse import open_warehouse

Rows = list[dict[str, Any]]


def shop_rows() -> dict[str, Rows]:
    """Two users, two categories, two products, two orders with three lines, a review, a credit."""
    return {
        "users": [
            {
                "user_id": 1,
                "first_name": "Maria",
                "last_name": "Anders",
                "email": "maria@example.com",
                "phone": "030-0074321",
                "registration_date": "2026-01-01",
                "loyalty_status": "Gold",
            },
            {
                "user_id": 2,
                "first_name": "Ana",
                "last_name": "Trujillo",
                "email": "ana@example.com",
                "phone": "(5) 555-4729",
                "registration_date": "2026-01-02T00:00:00Z",
                "loyalty_status": "Bronze",
            },
        ],
        "categories": [
            {"category_id": 1, "name": "Beverages", "parent_category_id": None},
            {"category_id": 2, "name": "Tea", "parent_category_id": 1},
        ],
        "products": [
            {
                "product_id": 10,
                "name": "Chai",
                "description": "10 boxes x 20 bags",
                "category_id": 2,
                "price": "18.00",
                "stock_quantity": 39,
                "creation_date": "2026-01-01",
            },
            {
                "product_id": 11,
                "name": "Chang",
                "description": "24 bottles",
                "category_id": 1,
                "price": "19.00",
                "stock_quantity": 17,
                "creation_date": "2026-01-01",
            },
        ],
        "orders": [
            {
                "order_id": 100,
                "user_id": 1,
                "order_date": "2026-11-01T10:00:00Z",
                "total_amount": "55.00",
                "status": "delivered",
                "delivery_date": "2026-11-03T10:00:00Z",
            },
            {
                "order_id": 101,
                "user_id": 2,
                "order_date": "2026-11-02T10:00:00Z",
                "total_amount": "19.00",
                "status": "pending",
                "delivery_date": None,
            },
        ],
        "order_details": [
            {
                "order_detail_id": 1000,
                "order_id": 100,
                "product_id": 10,
                "quantity": 2,
                "price_per_unit": "18.00",
                "total_price": "36.00",
            },
            {
                "order_detail_id": 1001,
                "order_id": 100,
                "product_id": 11,
                "quantity": 1,
                "price_per_unit": "19.00",
                "total_price": "19.00",
            },
            {
                "order_detail_id": 1002,
                "order_id": 101,
                "product_id": 11,
                "quantity": 1,
                "price_per_unit": "19.00",
                "total_price": "19.00",
            },
        ],
        "reviews": [
            {
                "review_id": 500,
                "user_id": 1,
                "product_id": 10,
                "rating": 5,
                "review_text": "good tea",
                "created_at": "2026-11-04T00:00:00Z",
            }
        ],
        "loyalty_points": [
            {
                "loyalty_id": 1,
                "user_id": 1,
                "points": 55,
                "reason": "order",
                "created_at": "2026-11-01T10:00:00Z",
            }
        ],
    }


def write_jsonl(path: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(orjson.dumps(dict(r)) + b"\n" for r in rows))
    return path


def write_csv(path: Path, rows: Sequence[Mapping[str, Any]], bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for r in rows:
            writer.writerow({k: "" if v is None else v for k, v in r.items()})
    return path


def write_parquet(path: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame([dict(r) for r in rows]).write_parquet(path)
    return path


def rows_of(settings: Settings, sql: str) -> list[dict[str, Any]]:
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        return wh.query_arrow(sql).to_pylist()
    finally:
        wh.close()


def count(settings: Settings, table: str) -> int:
    return int(rows_of(settings, f"select count(*) as n from {table}")[0]["n"])
