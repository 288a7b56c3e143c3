"""The social world as the tables are built from it: people, groups, money and the live content."""

from __future__ import annotations

from dataclasses import dataclass

from vitrina.simulate.base import Table
from vitrina.simulate.social.groups import Groups
from vitrina.simulate.social.people import People

__all__ = ["World"]


@dataclass
class World:
    seed: int
    start_ms: int
    end_ms: int
    people: People
    groups: Groups
    money: dict[str, Table]
    albums: Table
    content: dict[str, Table]  # the live hours' posts, comments, reactions, shares, media
