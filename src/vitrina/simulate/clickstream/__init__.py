"""Simulator of the clickstream domain: the sessions of the shop's world, written as click events."""

from __future__ import annotations

from vitrina.simulate.base import Simulator, Topic
from vitrina.simulate.clickstream.clicks_jsonl import clicks_jsonl
from vitrina.simulate.clickstream.frames import CLICK_VIOLATIONS, clicks_frame

__all__ = ["CLICKS", "simulator"]

CLICKS = Topic("clicks", clicks_frame, CLICK_VIOLATIONS, key="product_id", jsonl=clicks_jsonl)


def simulator() -> Simulator:
    """The shop's world: its sessions are the clicks (and their purchases the shop's orders)."""
    from vitrina.simulate.shop import simulator as shop_simulator  # the shop imports CLICKS

    return shop_simulator()
