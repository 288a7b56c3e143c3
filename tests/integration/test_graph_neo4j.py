"""The Neo4j graph store against the in-process one on the same worlds (real Neo4j + GDS)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pytest

from tests.support.stack import graph_url
from vitrina.graph import GraphData, MetricOptions, open_graph
from vitrina.graph.neo4jstore import Neo4jGraphStore

pytestmark = pytest.mark.services("neo4j")


@pytest.fixture
def store(
    neo4j_url: str, neo4j_auth: tuple[str, str] | None, neo4j_gds: bool
) -> Iterator[Neo4jGraphStore]:
    assert neo4j_gds, "the Neo4j server has no Graph Data Science plugin"
    graph = open_graph(graph_url(neo4j_url, neo4j_auth, f"test_{uuid.uuid4().hex[:12]}"))
    assert isinstance(graph, Neo4jGraphStore)
    try:
        yield graph
    finally:
        graph.clear()
        graph.close()


def social_world(n: int, friendships: int, follows: int, seed: int) -> GraphData:
    rng = np.random.default_rng(seed)
    fa, fb = rng.integers(1, n + 1, friendships), rng.integers(1, n + 1, friendships)
    oa, ob = rng.integers(1, n + 1, follows), rng.integers(1, n + 1, follows)
    f, o = fa != fb, oa != ob
    posts = 40
    return GraphData(
        users=pa.table(
            {
                "user_id": np.arange(1, n + 1, dtype=np.int64),
                "username": [f"user{i}" for i in range(1, n + 1)],
            }
        ),
        friendships=pa.table({"user_id": fa[f], "friend_id": fb[f]}),
        follows=pa.table({"follower_id": oa[o], "followee_id": ob[o]}),
        communities=pa.table({"community_id": [1, 2], "name": ["chess", "hiking"]}),
        memberships=pa.table(
            {
                "community_id": [1, 1, 2, 1],
                "user_id": [1, 2, 2, 1],
                # user 1 left community 1 and joined again: two memberships
                "joined_at": [
                    "2026-01-01T00:00:00Z",
                    "2026-01-02T00:00:00Z",
                    "2026-01-03T00:00:00Z",
                    "2026-02-01T00:00:00Z",
                ],
                "left_at": ["2026-01-10T00:00:00Z", None, None, None],
            }
        ),
        posts=pa.table(
            {
                "post_id": np.arange(1, posts + 1, dtype=np.int64),
                "user_id": rng.integers(1, n + 1, posts),
                "kind": ["post"] * posts,
            }
        ),
    )


def in_process(data: GraphData, options: MetricOptions):
    with open_graph("igraph://") as graph:
        graph.load(data)
        return graph.metrics(options)


def test_reload_of_the_same_data_changes_nothing(store: Neo4jGraphStore) -> None:
    data = social_world(60, 90, 40, seed=1)
    first = store.load(data)
    friend_pairs = {
        (min(a, b), max(a, b))
        for a, b in zip(
            data.friendships["user_id"].to_pylist(),
            data.friendships["friend_id"].to_pylist(),
            strict=True,
        )
    }
    assert first == {
        "User": 60,
        "Community": 2,
        "Post": 40,
        "FRIEND": len(friend_pairs),  # each pair once, whichever way the rows name it
        "FOLLOWS": len(
            set(
                zip(
                    data.follows["follower_id"].to_pylist(),
                    data.follows["followee_id"].to_pylist(),
                    strict=True,
                )
            )
        ),
        "MEMBER_OF": 4,
        "AUTHORED": 40,
    }
    assert store.load(data) == first
    assert store.counts() == first


def test_metrics_match_the_in_process_backend(store: Neo4jGraphStore) -> None:
    # Sparse: several components, isolated users and users without out-arcs.
    data = social_world(150, 170, 60, seed=2)
    store.load(data)
    options = MetricOptions(seed=3)
    theirs, ours = store.metrics(options), in_process(data, options)
    assert theirs.users["user_id"].equals(ours.users["user_id"])
    pr_db = theirs.users["pagerank"].to_numpy()
    assert np.max(np.abs(pr_db - ours.users["pagerank"].to_numpy())) < 1e-6
    assert sum(pr_db) == pytest.approx(1.0, abs=1e-9)
    for k in (1, 2, 3):
        assert theirs.users[f"reach_{k}"].equals(ours.users[f"reach_{k}"])
    assert theirs.depth.equals(ours.depth)
    db, local = theirs.summary.to_pylist()[0], ours.summary.to_pylist()[0]
    for key in ("users", "friendships", "pagerank_arcs", "reachable_pairs", "max_depth"):
        assert db[key] == local[key], key
    assert db["mean_path_length"] == pytest.approx(local["mean_path_length"], abs=1e-12)
    # Written back as node properties, where Cypher users find them.
    rows = store.query(
        "match (u:User {graph: $g}) where u.user_id = 1 "
        "return u.pagerank as pagerank, u.reach_2 as reach_2",
        {"g": store.namespace},
    ).to_pylist()
    assert rows == [{"pagerank": pr_db[0], "reach_2": ours.users["reach_2"][0].as_py()}]


def test_sampled_depth_uses_the_same_sources(store: Neo4jGraphStore) -> None:
    data = social_world(120, 200, 10, seed=4)
    store.load(data)
    options = MetricOptions(exact_limit=50, sample_sources=30, seed=9, communities=False)
    theirs, ours = store.metrics(options), in_process(data, options)
    assert theirs.depth.equals(ours.depth)
    assert theirs.summary["sampled_sources"].to_pylist() == [30]
    assert theirs.summary.equals(ours.summary)
    # Reach stays exact for every user (breadth-first searches cut at depth 3 in GDS).
    for k in (1, 2, 3):
        assert theirs.users[f"reach_{k}"].equals(ours.users[f"reach_{k}"])
    assert theirs.users["reach_3"].to_numpy().sum() > 0
