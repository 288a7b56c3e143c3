"""The shop marts on the hand-made world (tests/unit/transform/world), answers worked out by hand.

The world holds ties, users and products without orders or reviews, a duplicate user and click,
and quarantined records (bad e-mail, malformed line, rating 6, unknown product, unknown status)
that must not reach any mart.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

Mart = Callable[[str, str], list[dict[str, Any]]]


def test_orders_facts_counts_every_status_and_rounds_half_up(mart: Mart) -> None:
    rows = mart("orders_facts", "product_id")
    assert [tuple(r.values()) for r in rows] == [
        # product 10: two lines of the same order -> one order, 3 units
        (10, 1, 3, D("300.00"), D("100.00")),
        (11, 1, 1, D("50.00"), D("50.00")),  # a cancelled order counts too
        (12, 2, 3, D("30.00"), D("10.00")),
        (14, 1, 2, D("0.05"), D("0.03")),  # 0.025 rounds half up
        (16, 1, 7, D("7.00"), D("1.00")),
    ]
    assert list(rows[0]) == [
        "product_id",
        "order_count",
        "total_units",
        "revenue",
        "avg_unit_price",
    ]


def test_user_activity_one_row_per_user_and_status(mart: Mart) -> None:
    rows = mart("mart_user_activity", "user_id, status")
    assert list(rows[0]) == [
        "user_id",
        "first_name",
        "last_name",
        "status",
        "order_count",
        "total_spent",
    ]
    assert [tuple(r.values()) for r in rows] == [
        (1, "Ann", "Lee", "cancelled", 1, D("50.00")),
        (1, "Ann", "Lee", "delivered", 1, D("310.00")),
        (1, "Ann", "Lee", "shipped", 1, D("7.00")),
        (2, "Bob", "Roy", "delivered", 2, D("20.05")),  # "Delivered" normalised to lower case
        (3, "Cy", "Fox", None, 0, D("0.00")),  # no orders: order 105 was quarantined
    ]


def test_product_rating_every_product_null_without_reviews(mart: Mart) -> None:
    rows = mart("mart_product_rating", "product_id")
    assert list(rows[0]) == ["product_id", "name", "rating", "review_count"]
    assert [(r["product_id"], r["rating"], r["review_count"]) for r in rows] == [
        (10, D("4.33"), 3),
        (11, D("2.50"), 2),
        (12, D("3.63"), 8),  # 29 / 8 = 3.625 -> 3.63
        (13, None, 0),  # its only review (rating 6) is quarantined
        (14, None, 0),
        (15, None, 0),
        (16, None, 0),
    ]
    assert rows[0]["name"] == "Phone A"


def test_user_loyalty_points_every_user_zero_when_none(mart: Mart) -> None:
    rows = mart("mart_user_loyalty_points", "user_id")
    assert list(rows[0]) == [
        "user_id",
        "first_name",
        "last_name",
        "loyalty_status",
        "total_loyalty_points",
    ]
    assert [tuple(r.values()) for r in rows] == [
        (1, "Ann", "Lee", "Gold", 15),  # "gold" in the file, title-cased
        (2, "Bob", "Roy", "Silver", 0),  # one entry of 0 points
        (3, "Cy", "Fox", "Bronze", 0),  # no entries
    ]


def test_average_check_per_status_and_loyalty(mart: Mart) -> None:
    rows = mart("mart_average_check", "status, loyalty_status")
    assert list(rows[0]) == ["status", "loyalty_status", "average_check", "order_count"]
    assert [tuple(r.values()) for r in rows] == [
        ("cancelled", "Gold", D("50.00"), 1),
        ("delivered", "Gold", D("310.00"), 1),
        ("delivered", "Silver", D("10.03"), 2),  # (20.00 + 0.05) / 2 = 10.025
        ("shipped", "Gold", D("7.00"), 1),
    ]


def test_star_schema_dimensions(mart: Mart) -> None:
    products = {r["product_id"]: r for r in mart("dim_products", "product_id")}
    assert (products[10]["category_name"], products[10]["top_category_name"]) == (
        "Phones",
        "Electronics",
    )
    assert (products[12]["category_name"], products[12]["top_category_name"]) == ("Books", "Books")
    history = mart("dim_user_loyalty_history", "user_id, version")
    assert [
        (r["user_id"], r["version"], r["loyalty_status"], r["is_current"]) for r in history
    ] == [
        (1, 1, "Gold", True),
        (2, 1, "Silver", True),
        (3, 1, "Bronze", True),
    ]
    assert str(history[0]["valid_from"]) == "2026-01-01 00:00:00"  # from the registration date
    days = mart("dim_dates", "date_day")
    assert (str(days[0]["date_day"]), str(days[-1]["date_day"]), len(days)) == (
        "2026-01-01",
        "2026-11-22",
        326,
    )
    orders = mart("fct_orders", "order_id")
    assert [(r["order_id"], r["loyalty_status_at_order"], r["units"]) for r in orders][:2] == [
        (100, "Gold", 4),
        (101, "Gold", 1),
    ]
    assert len(mart("fct_clicks", "event_id")) == 21


def test_published_columns_are_the_models_columns(built_world: tuple[Any, Any, Any]) -> None:
    """The YAML of every published mart lists exactly the model's columns, in its order."""
    from vitrina.marts import published_marts
    from vitrina.warehouse import open_warehouse

    settings = built_world[0]
    # A shop-only world builds no social marts (test_social_marts.py checks those).
    specs = [s for s in published_marts(settings) if s.domain != "social"]
    assert len(specs) == 7
    with open_warehouse(settings.backend("warehouse")) as wh:
        for spec in specs:
            got = wh.query_arrow(
                "select column_name from information_schema.columns "
                f"where table_schema = '{spec.schema}' and table_name = '{spec.relation}' "
                "order by ordinal_position"
            ).column("column_name")
            assert got.to_pylist() == [c.name for c in spec.columns], spec.name
