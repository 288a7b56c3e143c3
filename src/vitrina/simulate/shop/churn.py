"""A shop's OLTP source moving on: new users and orders, statuses, prices, a few deletions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa

from vitrina.simulate.rng import stream
from vitrina.simulate.shop.world import STATUS

__all__ = ["CHURN_TABLES", "shop_changes"]

# The source tables shop_changes reads.
CHURN_TABLES = ("users", "products", "orders", "order_details", "reviews")

_CENT = Decimal("0.01")
_TS = pa.timestamp("ms", tz="UTC")
_MONEY = pa.decimal128(12, 2)


def _next_id(table: pa.Table, column: str) -> int:
    values = table.column(column).to_pylist()
    return (max(values) if values else 0) + 1


def shop_changes(
    tables: dict[str, pa.Table], seed: int, step: int, at_ms: int, rate: int = 5
) -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    """(upserts, deletes by key) for one step of a live shop, from the source's current rows.

    Deterministic for (seed, step, the current rows). About ``rate`` new users and orders per
    step; open orders move one status on (or get cancelled); a few products change price;
    a few reviews are withdrawn. Order lines are priced at the product's current price and
    an order's total is the sum of its lines.
    """
    rng = stream(seed, "churn", step)
    users, products, orders = tables["users"], tables["products"], tables["orders"]
    upserts: dict[str, pa.Table] = {}
    # New users.
    n_users = int(rng.poisson(rate))
    first = _next_id(users, "user_id")
    ids = list(range(first, first + n_users))
    upserts["users"] = pa.table(
        {
            "user_id": pa.array(ids, pa.int64()),
            "first_name": [f"User{i}" for i in ids],
            "last_name": [f"Live{i}" for i in ids],
            "email": [f"user{i}@example.com" for i in ids],
            "phone": [f"+1555{i:07d}" for i in ids],
            "registration_date": pa.array([at_ms] * n_users, _TS),
            "loyalty_status": ["Bronze"] * n_users,
        }
    )
    # New orders of existing users, lines at today's prices.
    price_of = dict(
        zip(
            products.column("product_id").to_pylist(),
            products.column("price").to_pylist(),
            strict=True,
        )
    )
    user_ids = [*users.column("user_id").to_pylist(), *ids]
    order_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    next_order = _next_id(orders, "order_id")
    next_line = _next_id(tables["order_details"], "order_detail_id")
    product_ids = sorted(price_of)
    for k in range(int(rng.poisson(rate)) if product_ids and user_ids else 0):
        total = Decimal(0)
        for pid in rng.choice(product_ids, size=int(rng.integers(1, 4)), replace=False):
            qty = int(rng.integers(1, 4))
            price = Decimal(price_of[int(pid)] or 0).quantize(_CENT)
            line_rows.append(
                {
                    "order_detail_id": next_line,
                    "order_id": next_order + k,
                    "product_id": int(pid),
                    "quantity": qty,
                    "price_per_unit": price,
                    "total_price": price * qty,
                }
            )
            next_line += 1
            total += price * qty
        order_rows.append(
            {
                "order_id": next_order + k,
                "user_id": int(rng.choice(user_ids)),
                "order_date": at_ms,
                "total_amount": total,
                "status": "pending",
                "delivery_date": None,
            }
        )
    # Open orders move on: pending -> paid -> shipped -> delivered, a few get cancelled.
    status = np.array(orders.column("status").to_pylist(), dtype=object)
    open_at = np.flatnonzero(np.isin(status, STATUS[:3]))
    moving = open_at[rng.random(len(open_at)) < 0.3]
    for i in moving:
        row = {c: orders.column(c)[int(i)].as_py() for c in orders.column_names}
        stage = int(np.flatnonzero(row["status"] == STATUS)[0])
        row["status"] = "cancelled" if rng.random() < 0.05 else str(STATUS[stage + 1])
        if row["status"] == "delivered":
            row["delivery_date"] = at_ms
        order_rows.append(row)
    upserts["orders"] = pa.Table.from_pylist(order_rows, _orders_schema())
    upserts["order_details"] = pa.Table.from_pylist(line_rows, _lines_schema())
    # Price edits.
    edit_at = rng.choice(products.num_rows, size=min(rate, products.num_rows), replace=False)
    edited = products.take(pa.array(np.sort(edit_at), pa.int64()))
    factors = rng.uniform(0.9, 1.1, edited.num_rows)
    new_prices = [
        (Decimal(p or 0) * Decimal(f"{f:.4f}")).quantize(_CENT)
        for p, f in zip(edited.column("price").to_pylist(), factors, strict=True)
    ]
    upserts["products"] = edited.set_column(
        edited.schema.get_field_index("price"), "price", pa.array(new_prices, _MONEY)
    )
    # A few reviews withdrawn.
    reviews = tables["reviews"]
    gone = rng.choice(
        reviews.num_rows, size=min(max(rate // 3, 1), reviews.num_rows), replace=False
    )
    deletes = {"reviews": reviews.select(["review_id"]).take(pa.array(np.sort(gone), pa.int64()))}
    return upserts, deletes


def _orders_schema() -> pa.Schema:
    return pa.schema(
        [
            ("order_id", pa.int64()),
            ("user_id", pa.int64()),
            ("order_date", _TS),
            ("total_amount", _MONEY),
            ("status", pa.string()),
            ("delivery_date", _TS),
        ]
    )


def _lines_schema() -> pa.Schema:
    return pa.schema(
        [
            ("order_detail_id", pa.int64()),
            ("order_id", pa.int64()),
            ("product_id", pa.int64()),
            ("quantity", pa.int64()),
            ("price_per_unit", _MONEY),
            ("total_price", _MONEY),
        ]
    )
