"""The shop domain: customers, the catalogue, orders and their lines, reviews, points, sign-ups."""

from __future__ import annotations

from vitrina.contracts.domain import Domain
from vitrina.contracts.shop.entities import (
    Category,
    LoyaltyPoints,
    Order,
    OrderDetail,
    Product,
    Registration,
    Review,
    User,
    cents_text,
)
from vitrina.contracts.shop.rules import TABLE_RULES

__all__ = [
    "DOMAIN",
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

DOMAIN = Domain(
    name="shop",
    description="The online shop: its OLTP tables and the sign-up events.",
    entities=(User, Category, Product, Order, OrderDetail, Review, LoyaltyPoints, Registration),
    table_rules=TABLE_RULES,
)
