"""The social marts on a small hand-made world with known answers: graph, dbt, publish to chdb.

One module fixture: clean.social_* rows -> `vitrina graph` (twice) -> one dbt build -> publish
(twice). The world covers ties, an isolated user, unreachable pairs, a self-share, posts with
exactly 999 and 1,000 views, a member who leaves and rejoins, days with views but no activity
and a topic nobody discusses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from tests.support.social_warehouse import load_social
from tests.unit.marts.test_social_marts_world import FOLLOWS, FRIENDSHIPS, social_world_tables
from vitrina.config import Settings, load_settings
from vitrina.errors import PipelineError
from vitrina.marts.publish import PublishReport, run_publish
from vitrina.marts.store import open_marts
from vitrina.pipelines import graph as graph_job
from vitrina.pipelines.run import STEPS
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
        load_social(wh, social_world_tables())
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


def test_social_marts_publish_exactly_the_pinned_columns(built: Built) -> None:
    pinned = {
        "social_daily_activity": "day posts comments reactions interactions_per_post dau wau "
        "dau_wau_ratio",
        "social_user_metrics": "user_id username friends followers following pagerank reach_1 "
        "reach_2 reach_3 reposts quotes",
        "social_friendship_depth": "depth pairs",
        "social_network_summary": "users avg_friends avg_followers mean_path_length max_depth "
        "sampled_sources",
        "social_post_virality": "post_id user_id kind created_at views reposts quotes "
        "time_to_1000_views_s",
        "social_community_metrics": "community_id name kind topic members members_growth_7d "
        "posts comments reactions moderators complaints active_members_7d engagement_ratio",
        "social_topic_discussion": "topic_id name comments rank",
    }
    with open_marts(built.settings.backend("marts")) as ms:
        for mart, columns in pinned.items():
            got = ms.query_arrow(f"select * from {mart} limit 0").column_names
            assert got == columns.split(), mart


def test_transform_computes_a_missing_graph_first(tmp_path: Path) -> None:
    """`vitrina transform` right after a social ingest: the graph tables the social marts read
    are computed first, not reported missing by dbt; once there, they are left as they are."""
    from vitrina.pipelines import transform as transform_job

    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    with open_warehouse(settings.backend("warehouse")) as wh:
        load_social(wh, social_world_tables())
        assert not wh.columns("graph", "summary")
    transform_job._graph_first(settings)
    first = _graph_tables(settings)
    assert first["summary"][0]["users"] == len(social_world_tables()["social_users"])
    transform_job._graph_first(settings)  # present now: not computed again
    assert _graph_tables(settings) == first
