"""Contracts of the clickstream events: clicks (the funnel) and user registrations."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.types import (
    DateOrTimestamp,
    Device,
    Email,
    EventType,
    LoyaltyStatus,
    Name,
    Phone,
    PositiveId,
    Timestamp,
    Token,
)

__all__ = ["Click", "Registration"]


class Click(Contract):
    """One step of a user's session funnel: view, click, add_to_cart or purchase of a product."""

    entity = "clicks"
    domain = "clickstream"
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


class Registration(Contract):
    """A user signed up: the new user's fields, as an event with its own id and time."""

    entity = "registrations"
    domain = "shop"
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
