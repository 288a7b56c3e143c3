"""validate_world: keys, uniqueness, references, order sums, chronology and the category tree."""

from __future__ import annotations

from typing import Any

import polars as pl

from tests.support.records import frame, record
from tests.support.rules import reasons, world
from vitrina.contracts import validate_world


def shop() -> dict[str, list[dict[str, Any]]]:
    """A small consistent shop: 2 users, 2 categories, 1 product, 1 order with 2 lines."""
    return {
        "users": [record("users"), record("users", user_id=2, email="b@shop.example")],
        "categories": [
            record("categories"),
            record("categories", category_id=2, name="Buds", parent_category_id=1),
        ],
        "products": [record("products", category_id=2)],
        "orders": [record("orders", total_amount="59.97")],
        "order_details": [
            record("order_details"),
            record("order_details", order_detail_id=2, quantity=1, total_price="19.99"),
        ],
        "reviews": [record("reviews")],
        "loyalty_points": [record("loyalty_points")],
    }


def test_a_consistent_world_passes_whole() -> None:
    out = validate_world(world(**shop()))
    assert {name: v.invalid.height for name, v in out.items()} == dict.fromkeys(shop(), 0)
    assert out["order_details"].valid.height == 2


def test_order_total_must_equal_the_sum_of_its_lines() -> None:
    tables = shop()
    tables["orders"] = [
        record("orders", total_amount="12.50"),
        record("orders", order_id=2, total_amount="5.00"),
        record("orders", order_id=3, total_amount="59.98"),  # within 0.01 of nothing: no lines
    ]
    tables["order_details"][1]["order_id"] = 1
    tables["order_details"].append(
        record("order_details", order_detail_id=3, order_id=3, quantity=3, total_price="59.97")
    )
    out = validate_world(world(**tables))["orders"]
    assert reasons(out) == [
        ["orders.total_amount: 12.50 != sum of lines 59.97"],
        ["orders.total_amount: 5.00 != sum of lines 0.00 (no lines)"],
    ]
    assert out.valid["order_id"].to_list() == [3]
    assert out.errors.select("_row", "field", "rule").rows() == [
        (0, "total_amount", "sum"),
        (1, "total_amount", "sum"),
    ]


def test_order_cannot_come_before_the_user_registered() -> None:
    tables = shop()
    tables["orders"] = [
        record("orders", total_amount="59.97", order_date="2026-01-04T23:59:59Z"),
        record("orders", order_id=2, total_amount="0", order_date="2026-01-05", delivery_date=None),
    ]
    out = validate_world(world(**tables))["orders"]
    # The second order is on the registration day itself (a date is midnight UTC): fine.
    assert reasons(out) == [
        [
            "orders.order_date: 2026-01-04T23:59:59.000Z before user 1 "
            "registration_date 2026-01-05T00:00:00.000Z"
        ]
    ]
    assert out.valid["order_id"].to_list() == [2]


def test_duplicate_keys_keep_the_first_and_say_whether_the_copy_is_identical() -> None:
    click = record("clicks")
    out = validate_world(world(clicks=[click, click, record("clicks", device="tablet")]))["clicks"]
    assert out.valid.height == 1
    assert reasons(out) == [
        ["clicks.event_id: event_id 4f1c2a9e0b7d3e55 repeats row 0 (identical record)"],
        ["clicks.event_id: event_id 4f1c2a9e0b7d3e55 repeats row 0 (different record)"],
    ]
    assert out.invalid["_line"].to_list() == [2, 3]


def test_emails_are_unique_ignoring_case() -> None:
    users = [record("users"), record("users", user_id=2, email="Anna.Petrova1@shop.example")]
    out = validate_world(world(users=users))["users"]
    assert reasons(out) == [["users.email: email Anna.Petrova1@shop.example already used on row 0"]]
    assert out.errors.select("field", "rule").rows() == [("email", "unique")]


def test_references_to_missing_rows_are_reported() -> None:
    tables = shop()
    tables["orders"].append(record("orders", order_id=2, user_id=99, total_amount="0"))
    tables["order_details"].append(
        record("order_details", order_detail_id=3, order_id=77, product_id=55)
    )
    tables["reviews"].append(record("reviews", review_id=2, user_id=98, product_id=1))
    tables["products"].append(record("products", product_id=2, category_id=42))
    tables["loyalty_points"].append(record("loyalty_points", loyalty_id=2, user_id=97))
    tables["categories"].append(record("categories", category_id=3, parent_category_id=9))
    out = validate_world(world(**tables))
    assert reasons(out["orders"]) == [["orders.user_id: 99 not found in users"]]
    assert reasons(out["order_details"]) == [
        [
            "order_details.order_id: 77 not found in orders",
            "order_details.product_id: 55 not found in products",
        ]
    ]
    assert reasons(out["reviews"]) == [["reviews.user_id: 98 not found in users"]]
    assert reasons(out["products"]) == [["products.category_id: 42 not found in categories"]]
    assert reasons(out["loyalty_points"]) == [["loyalty_points.user_id: 97 not found in users"]]
    assert reasons(out["categories"]) == [
        ["categories.parent_category_id: 9 not found in categories"]
    ]


def test_a_record_with_a_bad_field_still_exists_for_references() -> None:
    tables = shop()
    tables["orders"][0]["status"] = "lost"  # the order is invalid, but its lines point at it
    out = validate_world(world(**tables))
    assert out["orders"].errors.select("field", "rule").rows() == [("status", "enum")]
    assert out["order_details"].invalid.height == 0


def test_a_user_registered_during_the_run_counts_for_references() -> None:
    clicks = [record("clicks", user_id=2), record("clicks", event_id="e2", user_id=3)]
    out = validate_world(
        world(users=[record("users")], registrations=[record("registrations")], clicks=clicks)
    )
    assert reasons(out["clicks"]) == [["clicks.user_id: 3 not found in users/registrations"]]


def test_references_are_skipped_when_their_table_is_not_given() -> None:
    out = validate_world(world(order_details=[record("order_details", order_id=5, product_id=6)]))
    assert out["order_details"].invalid.height == 0


def test_categories_have_two_levels() -> None:
    cats = [
        record("categories"),
        record("categories", category_id=2, parent_category_id=1),
        record("categories", category_id=3, parent_category_id=2),
    ]
    out = validate_world(world(categories=cats))["categories"]
    assert reasons(out) == [
        ["categories.parent_category_id: parent 2 is itself a sub-category (two levels only)"]
    ]


def test_field_errors_and_cross_record_errors_together() -> None:
    users = [
        record("users"),
        record("users", user_id=1, email="bad"),
        record("users", user_id=3, email="anna.petrova1@shop.example"),
    ]
    out = validate_world(world(users=users))["users"]
    assert out.invalid["_row"].to_list() == [1, 2]
    assert reasons(out) == [
        ["users.email: not an e-mail address: 'bad'"],
        ["users.email: email anna.petrova1@shop.example already used on row 0"],
    ]
    assert out.valid["user_id"].to_list() == [1]


def test_a_row_column_in_the_input_is_replaced_by_the_row_number() -> None:
    users = [record("users"), record("users", user_id=2)]
    tables = {"users": frame("users", users).with_columns(pl.lit(99).alias("_row"))}
    out = validate_world(tables)["users"]
    assert out.invalid.select("_row", "reasons").rows() == [
        (1, ["users.email: email anna.petrova1@shop.example already used on row 0"])
    ]
