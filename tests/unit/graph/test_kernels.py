"""The compiled searches against networkx: both ways of counting reach, both ways of a level."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest

from vitrina.graph import core
from vitrina.graph.core import csr, ordered_pair_histogram, reach


@pytest.fixture(scope="module")
def friends() -> nx.Graph:
    # 20,000 users, mean degree 3: a giant component, small ones, isolated users.
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 20_000, 30_000), rng.integers(0, 20_000, 30_000)
    graph = nx.Graph()
    graph.add_nodes_from(range(20_000))
    graph.add_edges_from((int(x), int(y)) for x, y in zip(a, b, strict=True) if x != y)
    return graph


def arrays(graph: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    edges = np.array(list(graph.edges()), dtype=np.int64)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return csr(rows, cols, graph.number_of_nodes())


def test_depth_histogram_pushes_then_pulls_like_networkx(friends: nx.Graph) -> None:
    indptr, indices = arrays(friends)
    # 270 sources on 20,000 users: the first levels push (frontier under 1/20 of the users),
    # the later ones pull, and two batches (256 + 14) run.
    sources = np.random.default_rng(1).choice(20_000, 270, replace=False).astype(np.int32)
    expected: Counter[int] = Counter()
    for s in sources.tolist():
        for target, d in nx.single_source_shortest_path_length(friends, s).items():
            if target != s:
                expected[d] += 1
    hist = ordered_pair_histogram(indptr, indices, sources)
    assert {d: int(c) for d, c in enumerate(hist) if c} == dict(expected)
    assert max(expected) >= 10  # deep enough for both kinds of level


@pytest.mark.parametrize("budget", [core.BALL_BUDGET, 0], ids=["2-balls", "search"])
def test_reach_both_ways_like_networkx(
    friends: nx.Graph, budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core, "BALL_BUDGET", budget)
    indptr, indices = arrays(friends)
    out = reach(indptr, indices)
    for s in range(0, 20_000, 97):
        by_depth = Counter(nx.single_source_shortest_path_length(friends, s, cutoff=3).values())
        assert out[s].tolist() == [by_depth[1], by_depth[2], by_depth[3]]
    assert out[:, 2].max() > 20 and (out.sum(axis=1) == 0).any()  # far reach; isolated users
