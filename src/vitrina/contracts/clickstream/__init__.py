"""The clickstream domain: what shop visitors view, click, put in the cart and buy."""

from __future__ import annotations

from vitrina.contracts.clickstream.entities import Click
from vitrina.contracts.domain import Domain

__all__ = ["DOMAIN", "Click"]

DOMAIN = Domain(
    name="clickstream",
    description="Click events of shop sessions (the funnel view -> click -> cart -> purchase).",
    entities=(Click,),
)
