"""The live shop's source changes: deterministic, priced from products, totals = sum of lines."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from tests.unit.replicate.conftest import SHOP
from vitrina.simulate.shop.churn import shop_changes
from vitrina.source import open_source


def test_changes_are_deterministic_and_consistent(shop_source: str) -> None:
    source = open_source(shop_source)
    tables = {t: source.read_table(t) for t in SHOP}
    source.close()
    up, gone = shop_changes(tables, seed=5, step=2, at_ms=1_767_229_200_000)
    again, gone_again = shop_changes(tables, seed=5, step=2, at_ms=1_767_229_200_000)
    assert {k: v.to_pylist() for k, v in up.items()} == {k: v.to_pylist() for k, v in again.items()}
    assert gone["reviews"].to_pylist() == gone_again["reviews"].to_pylist()
    assert gone["reviews"].num_rows >= 1
    prices = dict(
        zip(
            *(tables["products"].column(c).to_pylist() for c in ("product_id", "price")),
            strict=True,
        )
    )
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in up["order_details"].to_pylist():
        assert line["price_per_unit"] == prices[line["product_id"]]
        assert line["total_price"] == line["price_per_unit"] * line["quantity"]
        totals[line["order_id"]] += line["total_price"]
    new_orders = [o for o in up["orders"].to_pylist() if o["status"] == "pending"]
    assert new_orders and all(o["total_amount"] == totals[o["order_id"]] for o in new_orders)
    old = {o["order_id"]: o["status"] for o in tables["orders"].to_pylist()}
    moved = [o for o in up["orders"].to_pylist() if o["order_id"] in old]
    order = ["pending", "paid", "shipped", "delivered"]
    for o in moved:  # one step on, or cancelled
        assert (
            o["status"] == "cancelled"
            or order.index(o["status"]) == order.index(old[o["order_id"]]) + 1
        )
    assert up["products"].num_rows == 5
