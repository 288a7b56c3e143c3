"""Contracts of the shop: users, categories, products, orders and lines, reviews, points, sign-ups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl

from vitrina.contracts.base import Contract, Ref, RowRule
from vitrina.contracts.types import (
    DateOrTimestamp,
    Email,
    LoyaltyStatus,
    Money,
    Name,
    NonNegativeInt,
    OrderStatus,
    Phone,
    PositiveId,
    Quantity,
    Rating,
    Text,
    Timestamp,
    Token,
)

__all__ = [
    "Category",
    "LoyaltyPoints",
    "Order",
    "OrderDetail",
    "Product",
    "Registration",
    "Review",
    "User",
    "cents_text",
]


# A user exists once in `users` or, when signed up during the run, in `registrations`.
_USERS = (("users", "user_id"), ("registrations", "user_id"))
_PRODUCTS = (("products", "product_id"),)


def cents_text(cents: pl.Expr) -> pl.Expr:
    """Integer cents as ``12.50`` (a polars expression)."""
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    a = cents.abs()
    return pl.concat_str(
        [sign, (a // 100).cast(pl.String), pl.lit("."), (a % 100).cast(pl.String).str.zfill(2)]
    )


def _total_batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
    expected = c["quantity"] * c["price_per_unit"]
    fails = (c["total_price"] - expected).abs() > 1
    message = pl.format(
        "{} != quantity * price_per_unit {}", cents_text(c["total_price"]), cents_text(expected)
    )
    return fails, message


def _total_check(m: Any) -> str | None:
    expected = m.quantity * m.price_per_unit
    if abs(m.total_price - expected) > Decimal("0.01"):
        return f"{m.total_price:.2f} != quantity * price_per_unit {expected:.2f}"
    return None


def _delivery_batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
    fails = c["delivery_date"].is_not_null() & (c["delivery_date"] < c["order_date"])
    fmt = "%Y-%m-%dT%H:%M:%S%.3fZ"
    message = pl.format(
        "{} before order_date {}",
        c["delivery_date"].dt.strftime(fmt),
        c["order_date"].dt.strftime(fmt),
    )
    return fails, message


def _delivery_check(m: Any) -> str | None:
    d: datetime | None = m.delivery_date
    if d is not None and d < m.order_date:
        return f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond // 1000:03d}Z before order_date " + (
            f"{m.order_date:%Y-%m-%dT%H:%M:%S}.{m.order_date.microsecond // 1000:03d}Z"
        )
    return None


class User(Contract):
    """One shop customer (table ``users``)."""

    entity = "users"
    domain = "shop"
    primary_key = "user_id"
    unique = ("email",)

    user_id: PositiveId
    first_name: Name
    last_name: Name
    email: Email
    phone: Phone
    registration_date: DateOrTimestamp
    loyalty_status: LoyaltyStatus


class Category(Contract):
    """A product category; a top-level one has no parent, a sub-category's parent is top-level."""

    entity = "categories"
    domain = "shop"
    primary_key = "category_id"
    references = (Ref("parent_category_id", (("categories", "category_id"),)),)

    category_id: PositiveId
    name: Name
    parent_category_id: PositiveId | None = None


class Product(Contract):
    """A product on sale, in a category."""

    entity = "products"
    domain = "shop"
    primary_key = "product_id"
    references = (Ref("category_id", (("categories", "category_id"),)),)

    product_id: PositiveId
    name: Name
    description: Text
    category_id: PositiveId
    price: Money
    stock_quantity: NonNegativeInt
    creation_date: DateOrTimestamp


class Order(Contract):
    """An order of a user; total_amount is the sum of its lines, delivery comes after the order."""

    entity = "orders"
    domain = "shop"
    primary_key = "order_id"
    references = (Ref("user_id", _USERS),)
    row_rules = (
        RowRule(
            "delivery_date",
            "chronology",
            ("order_date", "delivery_date"),
            _delivery_batch,
            _delivery_check,
        ),
    )

    order_id: PositiveId
    user_id: PositiveId
    order_date: DateOrTimestamp
    total_amount: Money
    status: OrderStatus
    delivery_date: DateOrTimestamp | None = None


class OrderDetail(Contract):
    """One line of an order: total_price = quantity * price_per_unit (within 0.01)."""

    entity = "order_details"
    domain = "shop"
    primary_key = "order_detail_id"
    references = (Ref("order_id", (("orders", "order_id"),)), Ref("product_id", _PRODUCTS))
    row_rules = (
        RowRule(
            "total_price",
            "total",
            ("quantity", "price_per_unit", "total_price"),
            _total_batch,
            _total_check,
        ),
    )

    order_detail_id: PositiveId
    order_id: PositiveId
    product_id: PositiveId
    quantity: Quantity
    price_per_unit: Money
    total_price: Money


class Review(Contract):
    """A user's review of a product, rated 1 to 5."""

    entity = "reviews"
    domain = "shop"
    primary_key = "review_id"
    references = (Ref("user_id", _USERS), Ref("product_id", _PRODUCTS))

    review_id: PositiveId
    user_id: PositiveId
    product_id: PositiveId
    rating: Rating
    review_text: Text
    created_at: Timestamp


class LoyaltyPoints(Contract):
    """Loyalty points credited to a user (from an order or a promotion; never negative)."""

    entity = "loyalty_points"
    domain = "shop"
    primary_key = "loyalty_id"
    references = (Ref("user_id", _USERS),)

    loyalty_id: PositiveId
    user_id: PositiveId
    points: NonNegativeInt
    reason: Name
    created_at: Timestamp


class Registration(Contract):
    """A user signed up: the new user's fields, as an event with its own id and time."""

    entity = "registrations"
    domain = "shop"
    entity_kind = "event"
    primary_key = "event_id"
    unique = ("user_id", "email")

    event_id: Token
    user_id: PositiveId
    first_name: Name
    last_name: Name
    email: Email
    phone: Phone
    registration_date: DateOrTimestamp
    loyalty_status: LoyaltyStatus
    ts: Timestamp
