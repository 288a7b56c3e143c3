"""The social marts on a small hand-made world with known answers: graph, dbt, publish to chdb.

One module fixture: clean.social_* rows -> `vitrina graph` (twice) -> one dbt build -> publish
(twice). The world covers ties, an isolated user, unreachable pairs, a self-share, posts with
exactly 999 and 1,000 views, a member who leaves and rejoins, days with views but no activity
and a topic nobody discusses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import pyarrow as pa
import pytest

from tests.support.social_warehouse import load_social
from vitrina.config import Settings, load_settings
from vitrina.contracts.registry import DOMAINS
from vitrina.contracts.storage import arrow_schema
from vitrina.errors import PipelineError
from vitrina.marts.publish import PublishReport, run_publish
from vitrina.marts.store import open_marts
from vitrina.pipelines import graph as graph_job
from vitrina.pipelines.run import STEPS
from vitrina.simulate.social.frames import TOPICS
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import run_transform

SOCIAL_MARTS = (
    "social_community_metrics",
    "social_daily_activity",
    "social_friendship_depth",
    "social_network_summary",
    "social_post_virality",
    "social_topic_discussion",
    "social_user_metrics",
)


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


def _tables() -> dict[str, pa.Table]:
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


@dataclass
class Built:
    settings: Settings
    graph_runs: list[dict[str, list[dict[str, Any]]]]
    reports: list[PublishReport]
    published: list[dict[str, list[dict[str, Any]]]]


def _dump(url: str) -> dict[str, list[dict[str, Any]]]:
    with open_marts(url) as ms:
        return {
            m: ms.query_arrow(f"select * from {m} order by all").to_pylist() for m in SOCIAL_MARTS
        }


def _graph_tables(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    with open_warehouse(settings.backend("warehouse")) as wh:
        return {
            t: wh.query_arrow(f"select * from graph.{t} order by all").to_pylist()
            for t in graph_job.OUTPUTS
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, chdb_root: Path) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("social-marts")
    settings = load_settings(
        data_dir=root,
        environ={},
        cwd=root,
        overrides={
            "backends": {
                "marts": f"chdb://{chdb_root}?database=social_marts",
                "serving": f"file://{root}/serving",
            }
        },
    )
    with open_warehouse(settings.backend("warehouse")) as wh:
        load_social(wh, _tables())
    runs = []
    for _ in range(2):
        graph_job.run(settings)
        runs.append(_graph_tables(settings))
    run_transform(settings)
    reports, published = [], []
    for _ in range(2):
        reports.append(run_publish(settings))
        published.append(_dump(settings.backend("marts")))
    yield Built(settings, runs, reports, published)


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {r[key]: r for r in rows}


def test_graph_runs_before_transform_in_the_main_job() -> None:
    names = [n for n, _ in STEPS]
    assert names.index("ingest") < names.index("graph") < names.index("transform")


def test_graph_job_rerun_writes_identical_rows(built: Built) -> None:
    assert built.graph_runs[0] == built.graph_runs[1]
    assert len(built.graph_runs[0]["user_metrics"]) == 7


def test_social_only_data_publishes_its_marts_and_no_shop_marts(built: Built) -> None:
    names = {m.name for m in built.reports[0].marts}
    assert names == set(SOCIAL_MARTS)
    assert built.reports[0].serving is None
    assert ("serving store", "skipped (no shop data)") in built.reports[0].rows()


def test_republishing_leaves_every_mart_unchanged(built: Built) -> None:
    assert built.published[0] == built.published[1]


def test_user_metrics_ties_reach_and_self_shares(built: Built) -> None:
    users = _by(built.published[0]["social_user_metrics"], "user_id")
    got = {
        u: (
            r["friends"],
            r["followers"],
            r["following"],
            r["reach_1"],
            r["reach_2"],
            r["reach_3"],
            r["reposts"],
            r["quotes"],
        )
        for u, r in users.items()
    }
    assert got == {
        1: (1, 2, 1, 1, 1, 1, 1, 1),  # the self-repost is not counted
        2: (2, 0, 1, 2, 1, 0, 0, 0),
        3: (2, 1, 0, 2, 1, 0, 0, 0),
        4: (1, 0, 0, 1, 1, 1, 0, 0),
        5: (1, 0, 0, 1, 0, 0, 0, 0),
        6: (1, 0, 0, 1, 0, 0, 0, 0),
        7: (0, 0, 1, 0, 0, 0, 0, 0),  # isolated in the friendship graph
    }
    assert users[1]["username"] == "user1"
    # PageRank: networkx on the same simple graph (follows plus both arcs of friendships).
    g = nx.DiGraph()
    g.add_nodes_from(range(1, 8))
    g.add_edges_from(FOLLOWS)
    g.add_edges_from([*FRIENDSHIPS, *((b, a) for a, b in FRIENDSHIPS)])
    expected = nx.pagerank(g, alpha=0.85, tol=1e-12)
    for u, r in users.items():
        assert r["pagerank"] == pytest.approx(round(expected[u], 9), abs=2e-9)
        assert r["pagerank"] == round(r["pagerank"], 9)
    assert users[5]["pagerank"] == users[6]["pagerank"]  # a tie
    assert sum(r["pagerank"] for r in users.values()) == pytest.approx(1.0, abs=1e-8)


def test_friendship_depth_counts_reachable_pairs_only(built: Built) -> None:
    depth = [(r["depth"], r["pairs"]) for r in built.published[0]["social_friendship_depth"]]
    assert depth == [(1, 4), (2, 2), (3, 1)]  # the 14 pairs across components are left out


def test_network_summary(built: Built) -> None:
    (row,) = built.published[0]["social_network_summary"]
    assert row == {
        "users": 7,
        "avg_friends": 1.1429,  # 8 ends / 7 users, the isolated one counting 0
        "avg_followers": 0.4286,
        "mean_path_length": 1.5714,  # (4*1 + 2*2 + 1*3) / 7
        "max_depth": 3,
        "sampled_sources": None,
    }


def test_post_virality_and_the_thousandth_view(built: Built) -> None:
    posts = _by(built.published[0]["social_post_virality"], "post_id")
    got = {
        p: (
            r["user_id"],
            r["kind"],
            r["views"],
            r["reposts"],
            r["quotes"],
            r["time_to_1000_views_s"],
        )
        for p, r in posts.items()
    }
    # 101: created 1 Nov 11:00, 1000th view 3 Nov 00:16:40 -> 1 d 13 h 16 min 40 s.
    assert got == {
        100: (1, "post", 999, 1, 1, None),
        101: (2, "reel", 1000, 0, 0, 86_400 + 13 * 3600 + 16 * 60 + 40),
        102: (3, "story", 1, 0, 0, None),
    }


def test_daily_activity_dau_wau_and_days_without_activity(built: Built) -> None:
    rows = {r["day"]: r for r in built.published[0]["social_daily_activity"]}
    got = {
        d.day: (
            r["posts"],
            r["comments"],
            r["reactions"],
            r["interactions_per_post"],
            r["dau"],
            r["wau"],
            r["dau_wau_ratio"],
        )
        for d, r in rows.items()
    }
    assert date(2026, 10, 31) in rows
    assert got == {
        31: (0, 0, 0, None, 0, 0, None),  # ties made, no activity, WAU 0
        1: (2, 2, 1, 1.5, 3, 3, 1.0),
        2: (0, 2, 0, None, 3, 4, 0.75),
        3: (0, 0, 0, None, 0, 4, 0.0),  # views only
        5: (0, 0, 0, None, 0, 4, 0.0),  # a member left
        6: (0, 0, 0, None, 0, 4, 0.0),
        7: (0, 0, 0, None, 0, 4, 0.0),  # window 1..7 Nov still holds 1 and 2 Nov
        8: (1, 0, 1, 1.0, 2, 3, 0.6667),  # window 2..8 Nov
        9: (0, 1, 0, None, 1, 3, 0.3333),
        10: (0, 0, 0, None, 0, 3, 0.0),  # window 4..10 Nov; views only
    }


def test_community_metrics_leave_rejoin_growth_and_engagement(built: Built) -> None:
    rows = _by(built.published[0]["social_community_metrics"], "community_id")
    assert rows[10] == {
        "community_id": 10,
        "name": "Cat people",
        "kind": "community",
        "topic": "cats",
        # now: 1, 2 (rejoined), 3, 5; at 4 Nov 00:00: 1, 2 (first stay), 4
        "members": 4,
        "members_growth_7d": 1,
        "posts": 2,
        "comments": 3,
        "reactions": 2,
        "moderators": 1,
        "complaints": 1,
        # 3 posted, 2 commented in the window; 4 reacted but is no longer a member
        "active_members_7d": 2,
        "engagement_ratio": 0.5,
    }
    assert rows[11] == {
        "community_id": 11,
        "name": "Tax club",
        "kind": "group",
        "topic": "taxes",
        "members": 0,
        "members_growth_7d": 0,
        "posts": 0,
        "comments": 0,
        "reactions": 0,
        "moderators": 0,
        "complaints": 0,
        "active_members_7d": 0,
        "engagement_ratio": None,
    }


def test_topic_discussion_ties_and_a_topic_nobody_discusses(built: Built) -> None:
    rows = [
        (r["rank"], r["topic_id"], r["name"], r["comments"])
        for r in built.published[0]["social_topic_discussion"]
    ]
    assert sorted(rows) == [(1, 1, "cats", 2), (2, 2, "dogs", 2), (3, 3, "taxes", 0)]


def test_graph_job_without_social_data_says_what_to_run(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    with pytest.raises(PipelineError, match="vitrina ingest --domain social"):
        graph_job.run(settings)
