"""Simulator of the shop domain: history, live sessions and sign-ups, the OLTP tables at the end."""

from __future__ import annotations

from vitrina.simulate.base import SimulationParams, Simulator, Topic, WorldRun
from vitrina.simulate.clickstream import CLICKS
from vitrina.simulate.shop.live import ShopRun
from vitrina.simulate.shop.tables import REGISTRATION_VIOLATIONS, registrations_frame

__all__ = ["REGISTRATIONS", "ShopWorld", "simulator"]

REGISTRATIONS = Topic("registrations", registrations_frame, REGISTRATION_VIOLATIONS)


class ShopWorld:
    """One world for two domains: its sessions are the clickstream, its purchases the orders."""

    def __init__(self) -> None:
        self.topics = {"clicks": CLICKS, "registrations": REGISTRATIONS}

    def start(self, params: SimulationParams) -> WorldRun:
        return ShopRun(params)


_WORLD = ShopWorld()


def simulator() -> Simulator:
    return _WORLD
