"""The igraph backend against networkx (an independent implementation) and the depth sample."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest

from vitrina.graph import GraphData, MetricOptions, open_graph


def random_world(n: int, friendships: int, follows: int, seed: int) -> GraphData:
    rng = np.random.default_rng(seed)
    fa, fb = rng.integers(1, n + 1, friendships), rng.integers(1, n + 1, friendships)
    oa, ob = rng.integers(1, n + 1, follows), rng.integers(1, n + 1, follows)
    f, o = fa != fb, oa != ob
    return GraphData(
        users=pa.table({"user_id": np.arange(1, n + 1, dtype=np.int64)}),
        friendships=pa.table({"user_id": fa[f], "friend_id": fb[f]}),
        follows=pa.table({"follower_id": oa[o], "followee_id": ob[o]}),
    )


def run(data: GraphData, options: MetricOptions):
    with open_graph("igraph://") as graph:
        graph.load(data)
        return graph.metrics(options)


@pytest.fixture(scope="module")
def world() -> GraphData:
    # Sparse enough for several components, isolated users and users without out-arcs.
    return random_world(600, 500, 300, seed=11)


def test_pagerank_matches_networkx(world: GraphData) -> None:
    result = run(world, MetricOptions(communities=False))
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(1, 601))
    digraph.add_edges_from(
        zip(
            world.follows["follower_id"].to_pylist(),
            world.follows["followee_id"].to_pylist(),
            strict=True,
        )
    )
    for a, b in zip(
        world.friendships["user_id"].to_pylist(),
        world.friendships["friend_id"].to_pylist(),
        strict=True,
    ):
        digraph.add_edge(a, b)
        digraph.add_edge(b, a)
    assert any(digraph.out_degree(u) == 0 for u in digraph)  # dangling users are exercised
    reference = nx.pagerank(digraph, alpha=0.85, tol=1e-15, max_iter=100_000)
    ours = dict(
        zip(result.users["user_id"].to_pylist(), result.users["pagerank"].to_pylist(), strict=True)
    )
    assert max(abs(ours[u] - reference[u]) for u in reference) < 1e-9
    assert sum(ours.values()) == pytest.approx(1.0, abs=1e-12)


def test_depth_distribution_matches_networkx_bfs(world: GraphData) -> None:
    result = run(world, MetricOptions(communities=False))
    graph = nx.Graph()
    graph.add_nodes_from(range(1, 601))
    graph.add_edges_from(
        zip(
            world.friendships["user_id"].to_pylist(),
            world.friendships["friend_id"].to_pylist(),
            strict=True,
        )
    )
    pairs: Counter[int] = Counter()
    reach = {}
    for source, lengths in nx.all_pairs_shortest_path_length(graph):
        by_depth = Counter(d for t, d in lengths.items() if t != source)
        reach[source] = [by_depth[1], by_depth[2], by_depth[3]]
        for target, d in lengths.items():
            if source < target:
                pairs[d] += 1
    assert result.depth.to_pylist() == [{"depth": d, "pairs": pairs[d]} for d in sorted(pairs)]
    summary = result.summary.to_pylist()[0]
    total = sum(pairs.values())
    assert summary["mean_path_length"] == pytest.approx(
        sum(d * c for d, c in pairs.items()) / total
    )
    assert summary["max_depth"] == max(pairs)
    for row in result.users.to_pylist():
        assert [row["reach_1"], row["reach_2"], row["reach_3"]] == reach[row["user_id"]]


def test_sampling_above_the_limit_is_seeded_and_reported() -> None:
    data = random_world(3_000, 6_000, 100, seed=5)
    exact = run(data, MetricOptions(communities=False))
    options = MetricOptions(exact_limit=1_000, sample_sources=400, seed=7, communities=False)
    first, second = run(data, options), run(data, options)
    assert first.depth.equals(second.depth)
    assert first.summary.equals(second.summary)
    assert first.summary["sampled_sources"].to_pylist() == [400]
    assert exact.summary["sampled_sources"].to_pylist() == [None]
    other = run(data, MetricOptions(exact_limit=1_000, sample_sources=400, seed=8))
    assert not other.depth.equals(first.depth)
    # The estimate is close to the exact figures (reach and PageRank never sample).
    est, true = first.summary.to_pylist()[0], exact.summary.to_pylist()[0]
    assert est["mean_path_length"] == pytest.approx(true["mean_path_length"], rel=0.05)
    assert est["reachable_pairs"] == pytest.approx(true["reachable_pairs"], rel=0.1)
    assert first.users.equals(exact.users)
