"""Contracts of the clickstream: click events (the funnel of a session)."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.types import (
    Device,
    EventType,
    PositiveId,
    Timestamp,
    Token,
)

__all__ = ["Click"]


class Click(Contract):
    """One step of a user's session funnel: view, click, add_to_cart or purchase of a product."""

    entity = "clicks"
    domain = "clickstream"
    entity_kind = "event"
    primary_key = "event_id"
    references = (
        Ref("user_id", (("users", "user_id"), ("registrations", "user_id"))),
        Ref("product_id", (("products", "product_id"),)),
    )

    event_id: Token
    user_id: PositiveId
    session_id: Token
    product_id: PositiveId
    event_type: EventType
    ts: Timestamp
    device: Device | None = None
