"""Simulator of the social domain: people and ties, live content cascades, communities and money."""

from __future__ import annotations

from vitrina.simulate.base import SimulationParams, Simulator, WorldRun
from vitrina.simulate.social.frames import TOPICS
from vitrina.simulate.social.live import SocialRun

__all__ = ["SocialWorld", "simulator"]


class SocialWorld:
    """The social network's world: its event topics, and a run from --start on."""

    def __init__(self) -> None:
        self.topics = dict(TOPICS)

    def start(self, params: SimulationParams) -> WorldRun:
        return SocialRun(params)


_WORLD = SocialWorld()


def simulator() -> Simulator:
    return _WORLD
