"""Data contracts of vitrina: entity models, vectorised batch validation, JSON-lines parsing."""

from __future__ import annotations

from vitrina.contracts.arrival import mark_late
from vitrina.contracts.base import Contract, Ref, RowRule
from vitrina.contracts.batch import Validation, output_schema, validate_table
from vitrina.contracts.clickstream import Click
from vitrina.contracts.jsonl import ParsedBatch, parse_jsonl
from vitrina.contracts.registry import DOMAINS, ENTITIES, contract_for
from vitrina.contracts.shop import (
    Category,
    LoyaltyPoints,
    Order,
    OrderDetail,
    Product,
    Registration,
    Review,
    User,
)
from vitrina.contracts.types import DEVICES, EVENT_TYPES, LOYALTY_STATUSES, ORDER_STATUSES
from vitrina.contracts.world import validate_world

__all__ = [
    "DEVICES",
    "DOMAINS",
    "ENTITIES",
    "EVENT_TYPES",
    "LOYALTY_STATUSES",
    "ORDER_STATUSES",
    "Category",
    "Click",
    "Contract",
    "LoyaltyPoints",
    "Order",
    "OrderDetail",
    "ParsedBatch",
    "Product",
    "Ref",
    "Registration",
    "Review",
    "RowRule",
    "User",
    "Validation",
    "contract_for",
    "mark_late",
    "output_schema",
    "parse_jsonl",
    "validate_table",
    "validate_world",
]
