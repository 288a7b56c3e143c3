"""The registry of contracts by entity name (one place to add a domain's entities)."""

from __future__ import annotations

from typing import Final

from vitrina.contracts.base import Contract
from vitrina.contracts.clickstream import Click, Registration
from vitrina.contracts.shop import (
    Category,
    LoyaltyPoints,
    Order,
    OrderDetail,
    Product,
    Review,
    User,
)
from vitrina.errors import UsageError

__all__ = ["DOMAINS", "ENTITIES", "contract_for"]

ENTITIES: Final[dict[str, type[Contract]]] = {
    m.entity: m
    for m in (
        User,
        Category,
        Product,
        Order,
        OrderDetail,
        Review,
        LoyaltyPoints,
        Click,
        Registration,
    )
}

DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "shop": tuple(name for name, m in ENTITIES.items() if m.domain == "shop"),
    "clickstream": tuple(name for name, m in ENTITIES.items() if m.domain == "clickstream"),
}


def contract_for(entity: str) -> type[Contract]:
    """The contract of an entity; an unknown name is a usage error naming the allowed ones."""
    try:
        return ENTITIES[entity]
    except KeyError:
        raise UsageError(f"unknown entity {entity!r} (allowed: {', '.join(ENTITIES)})") from None
