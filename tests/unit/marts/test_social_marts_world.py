"""The hand-made social world of test_social_marts.py: clean.social_* rows with known answers.

Ties, an isolated user, unreachable pairs, a self-share, posts with exactly 999 and 1,000
views, a member who leaves and rejoins, days with views but no activity, a topic nobody
discusses. T (the end of the data) is 10 Nov 2026 20:00; the last 7 days are 4..10 Nov.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from vitrina.contracts.registry import DOMAINS
from vitrina.contracts.storage import arrow_schema
from vitrina.simulate.social.frames import TOPICS

__all__ = ["FOLLOWS", "FRIENDSHIPS", "social_world_tables"]


def _t(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A time in November 2026 (naive UTC, as the clean layer keeps it)."""
    return datetime(2026, 11, day, hour, minute)


OCT31 = datetime(2026, 10, 31, 8)
FRIENDSHIPS = [(1, 2), (2, 3), (3, 4), (5, 6)]  # user 7 is isolated; {1..4} and {5, 6} apart
FOLLOWS = [(1, 3), (2, 1), (7, 1)]  # 2 -> 1 is also an arc of friendship (1, 2): counts once


def _world() -> dict[str, list[dict[str, Any]]]:
    views: list[dict[str, Any]] = []
    # Post 101: exactly 1,000 views, one a second from 3 Nov 00:00:01; view ids run backwards
    # so that the order is by time, not by id. Post 100: 999 views.
    for i in range(1, 1001):
        views.append(
            {
                "view_id": 5000 - i,
                "post_id": 101,
                "user_id": 5,
                "viewed_at": _t(3) + timedelta(seconds=i),
            }
        )
    for i in range(1, 1000):
        views.append(
            {
                "view_id": 10_000 + i,
                "post_id": 100,
                "user_id": 6,
                "viewed_at": _t(3, 1) + timedelta(seconds=i),
            }
        )
    # The last record of all (T = 10 Nov 20:00), a view on a day without activity.
    views.append({"view_id": 20_000, "post_id": 102, "user_id": 5, "viewed_at": _t(10, 20)})
    return {
        "social_users": [
            {
                "user_id": u,
                "username": f"user{u}",
                "email": f"u{u}@example.org",
                "country": "DE",
                "created_at": OCT31,
            }
            for u in range(1, 8)
        ],
        "social_friendships": [
            {"user_id": a, "friend_id": b, "created_at": OCT31} for a, b in FRIENDSHIPS
        ],
        "social_follows": [
            {"follower_id": a, "followee_id": b, "created_at": OCT31} for a, b in FOLLOWS
        ],
        "social_topics": [
            {"topic_id": 1, "name": "cats"},
            {"topic_id": 2, "name": "dogs"},
            {"topic_id": 3, "name": "taxes"},  # nobody discusses it
        ],
        "social_communities": [
            {
                "community_id": 10,
                "name": "Cat people",
                "kind": "community",
                "topic_id": 1,
                "owner_id": 1,
                "created_at": OCT31,
            },
            {
                "community_id": 11,
                "name": "Tax club",
                "kind": "group",
                "topic_id": 3,
                "owner_id": 2,
                "created_at": OCT31,
            },
        ],
        "social_posts": [
            {
                "post_id": 100,
                "user_id": 1,
                "kind": "post",
                "community_id": 10,
                "topic_id": 1,
                "text": "a",
                "created_at": _t(1, 10),
            },
            {
                "post_id": 101,
                "user_id": 2,
                "kind": "reel",
                "community_id": None,
                "topic_id": 2,
                "text": "b",
                "created_at": _t(1, 11),
            },
            {
                "post_id": 102,
                "user_id": 3,
                "kind": "story",
                "community_id": 10,
                "topic_id": None,
                "text": "c",
                "created_at": _t(8, 9),
            },
        ],
        "social_comments": [
            {
                "comment_id": 1,
                "post_id": 100,
                "user_id": 2,
                "parent_comment_id": None,
                "text": "x",
                "created_at": _t(1, 12),
            },
            {
                "comment_id": 2,
                "post_id": 100,
                "user_id": 1,
                "parent_comment_id": 1,
                "text": "reply",
                "created_at": _t(1, 13),
            },
            {
                "comment_id": 3,
                "post_id": 101,
                "user_id": 3,
                "parent_comment_id": None,
                "text": "y",
                "created_at": _t(2, 10),
            },
            {
                "comment_id": 4,
                "post_id": 101,
                "user_id": 4,
                "parent_comment_id": None,
                "text": "z",
                "created_at": _t(2, 11),
            },
            {
                "comment_id": 5,
                "post_id": 102,
                "user_id": 2,
                "parent_comment_id": None,
                "text": "w",
                "created_at": _t(9, 12),
            },
        ],
        "social_reactions": [
            {
                "reaction_id": 1,
                "post_id": 100,
                "user_id": 3,
                "kind": "like",
                "created_at": _t(1, 14),
            },
            {
                "reaction_id": 2,
                "post_id": 102,
                "user_id": 4,
                "kind": "love",
                "created_at": _t(8, 10),
            },
        ],
        "social_shares": [
            {
                "share_id": 1,
                "post_id": 100,
                "user_id": 1,
                "kind": "repost",
                "text": None,
                "created_at": _t(1, 15),
            },  # a self-share: not counted
            {
                "share_id": 2,
                "post_id": 100,
                "user_id": 2,
                "kind": "repost",
                "text": None,
                "created_at": _t(2, 9),
            },
            {
                "share_id": 3,
                "post_id": 100,
                "user_id": 3,
                "kind": "quote",
                "text": "nice",
                "created_at": _t(2, 9, 30),
            },
        ],
        "social_views": views,
        "social_community_members": [
            {"community_id": 10, "user_id": 1, "joined_at": _t(1), "left_at": None},
            {"community_id": 10, "user_id": 2, "joined_at": _t(1), "left_at": _t(5)},
            {"community_id": 10, "user_id": 2, "joined_at": _t(7), "left_at": None},
            {"community_id": 10, "user_id": 3, "joined_at": _t(6), "left_at": None},
            {"community_id": 10, "user_id": 4, "joined_at": _t(1), "left_at": _t(9)},
            {"community_id": 10, "user_id": 5, "joined_at": _t(8), "left_at": None},
        ],
        "social_community_moderators": [{"community_id": 10, "user_id": 1, "since": _t(1)}],
        "social_complaints": [
            {
                "complaint_id": 1,
                "reporter_id": 6,
                "community_id": 10,
                "post_id": 102,
                "comment_id": None,
                "reason": "spam",
                "created_at": _t(9, 13),
            },
        ],
    }


def social_world_tables() -> dict[str, pa.Table]:
    world = _world()
    tables = {}
    for name in DOMAINS["social"]:
        schema = arrow_schema(name)
        rows = world.get(name, [])
        if name in TOPICS:  # events carry the file and line they arrived at
            rows = [
                {**r, "arrival_file": f"{name}/0000.jsonl", "arrival_line": i}
                for i, r in enumerate(rows, 1)
            ]
            schema = schema.append(pa.field("arrival_file", pa.string()))
            schema = schema.append(pa.field("arrival_line", pa.int64()))
        tables[name] = pa.Table.from_pylist(rows, schema=schema)
    return tables
