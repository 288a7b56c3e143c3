"""Every graph metric on small hand-made worlds with known answers (igraph backend)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest

from vitrina.errors import ContractError
from vitrina.graph import GraphData, MetricOptions, open_graph


def world(
    users: int, friends: list[tuple[int, int]], follows: list[tuple[int, int]] = ()
) -> GraphData:
    fa, fb = zip(*friends, strict=True) if friends else ((), ())
    oa, ob = zip(*follows, strict=True) if follows else ((), ())
    return GraphData(
        users=pa.table({"user_id": pa.array(range(1, users + 1), pa.int64())}),
        friendships=pa.table(
            {"user_id": pa.array(fa, pa.int64()), "friend_id": pa.array(fb, pa.int64())}
        ),
        follows=pa.table(
            {"follower_id": pa.array(oa, pa.int64()), "followee_id": pa.array(ob, pa.int64())}
        ),
    )


def metrics(data: GraphData, **options: int):
    with open_graph("igraph://") as graph:
        graph.load(data)
        return graph.metrics(MetricOptions(**options))


def column(table: pa.Table, name: str) -> list[object]:
    return table.column(name).to_pylist()


def test_path_graph_reach_depth_and_mean() -> None:
    # 1 - 2 - 3 - 4 - 5
    result = metrics(world(5, [(1, 2), (2, 3), (3, 4), (4, 5)]))
    assert column(result.users, "reach_1") == [1, 2, 2, 2, 1]
    assert column(result.users, "reach_2") == [1, 1, 2, 1, 1]
    assert column(result.users, "reach_3") == [1, 1, 0, 1, 1]
    assert result.depth.to_pylist() == [
        {"depth": 1, "pairs": 4},
        {"depth": 2, "pairs": 3},
        {"depth": 3, "pairs": 2},
        {"depth": 4, "pairs": 1},
    ]
    summary = result.summary.to_pylist()[0]
    assert summary["mean_path_length"] == pytest.approx(20 / 10)
    assert summary["max_depth"] == 4
    assert summary["reachable_pairs"] == 10
    assert summary["sampled_sources"] is None


def test_star_pagerank_in_closed_form() -> None:
    # Centre 1 with leaves 2..5, friendships only: every arc both ways, no dangling users.
    result = metrics(world(5, [(1, k) for k in range(2, 6)]))
    pr = column(result.users, "pagerank")
    # Leaf x = (1-d)/n + d*c/4 and centre c = (1-d)/n + d*4x; the pinned tolerance is 1e-9.
    d, n = 0.85, 5
    centre = ((1 - d) / n + d * 4 * (1 - d) / n) / (1 - d * d)
    leaf = (1 - d) / n + d * centre / 4
    assert pr[0] == pytest.approx(centre, abs=1e-9)
    assert pr[1:] == pytest.approx([leaf] * 4, abs=1e-9)
    assert sum(pr) == pytest.approx(1.0, abs=1e-9)
    assert column(result.users, "reach_1") == [4, 1, 1, 1, 1]
    assert column(result.users, "reach_2") == [0, 3, 3, 3, 3]
    assert result.depth.to_pylist() == [{"depth": 1, "pairs": 4}, {"depth": 2, "pairs": 6}]


def test_isolated_users_and_ties_in_pagerank() -> None:
    # Users 3 and 4 have no ties at all: they are dangling, equal, and unreachable from others.
    result = metrics(world(4, [(1, 2)]))
    pr = column(result.users, "pagerank")
    assert pr[0] == pytest.approx(pr[1], abs=1e-15)
    assert pr[2] == pytest.approx(pr[3], abs=1e-15)
    # Isolated users receive only teleport and the spread mass of the other isolated user.
    # x = 0.15/4 + 0.85 * 2x/4  ->  x = 0.0375 / 0.575
    assert pr[2] == pytest.approx(0.0375 / 0.575, abs=1e-9)
    assert sum(pr) == pytest.approx(1.0, abs=1e-9)
    assert column(result.users, "reach_1") == [1, 1, 0, 0]
    assert result.depth.to_pylist() == [{"depth": 1, "pairs": 1}]  # unreachable pairs not counted
    assert result.summary.column("max_depth").to_pylist() == [1]


def test_follow_and_friendship_on_the_same_arc_count_once() -> None:
    # 1 follows 2 and they are friends: the arc 1->2 exists once; 3 follows 1.
    both = metrics(world(3, [(1, 2)], [(1, 2), (3, 1)]))
    friends_only = metrics(world(3, [(1, 2)], [(3, 1)]))
    assert column(both.users, "pagerank") == pytest.approx(
        column(friends_only.users, "pagerank"), abs=1e-15
    )
    assert both.summary.column("pagerank_arcs").to_pylist() == [3]


def test_two_components_and_no_ties_at_all() -> None:
    result = metrics(world(6, [(1, 2), (2, 3), (4, 5)]))
    assert result.depth.to_pylist() == [{"depth": 1, "pairs": 3}, {"depth": 2, "pairs": 1}]
    assert result.summary.column("mean_path_length").to_pylist() == [pytest.approx(5 / 4)]
    empty = metrics(world(3, []))
    assert empty.depth.num_rows == 0
    summary = empty.summary.to_pylist()[0]
    assert summary["mean_path_length"] is None and summary["max_depth"] is None
    assert column(empty.users, "pagerank") == pytest.approx([1 / 3] * 3, abs=1e-15)


def test_duplicate_and_reversed_friendships_collapse() -> None:
    result = metrics(world(3, [(1, 2), (2, 1), (1, 2), (2, 3)]))
    assert result.summary.column("friendships").to_pylist() == [2]
    assert column(result.users, "reach_1") == [1, 2, 1]


def test_communities_are_named_by_their_smallest_user() -> None:
    # Two triangles joined by nothing: two communities, plus an isolated user of its own.
    result = metrics(world(7, [(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6)]))
    assert column(result.users, "graph_community") == [1, 1, 1, 4, 4, 4, 7]
    assert result.summary.column("graph_communities").to_pylist() == [3]


@pytest.mark.parametrize(
    ("friends", "follows", "message"),
    [
        ([(1, 9)], [], "friendships: 1 row(s) name a user not in users (first: 9)"),
        ([(2, 2)], [], "friendships: 1 row(s) tie a user to themselves"),
        ([], [(3, 3)], "follows: 1 row(s) tie a user to themselves"),
    ],
)
def test_bad_ties_fail_the_load_with_one_line(friends, follows, message) -> None:
    with open_graph("igraph://") as graph, pytest.raises(ContractError, match=re.escape(message)):
        graph.load(world(3, friends, follows))


def test_store_folder_keeps_the_graph_for_a_later_process(tmp_path) -> None:
    url = f"igraph://{tmp_path}/graph"
    data = world(4, [(1, 2), (2, 3)], [(4, 1)])
    with open_graph(url) as graph:
        counts = graph.load(data)
        first = graph.metrics()
    assert counts["User"] == 4 and counts["FRIEND"] == 2 and counts["FOLLOWS"] == 1
    with open_graph(url) as graph:  # a new store on the same folder reads what was loaded
        again = graph.metrics()
    assert again.users.equals(first.users)
    assert sorted(p.name for p in (tmp_path / "graph").iterdir()) == [
        "communities.arrow",
        "follows.arrow",
        "friendship_depth.arrow",
        "friendships.arrow",
        "memberships.arrow",
        "posts.arrow",
        "summary.arrow",
        "user_metrics.arrow",
        "users.arrow",
    ]


def test_igraph_store_runs_no_cypher() -> None:
    from vitrina.errors import UsageError

    with open_graph("igraph://") as graph, pytest.raises(UsageError, match="--profile stack"):
        graph.query("match (n) return n")


def test_reach_matches_a_plain_bfs_on_a_random_graph() -> None:
    rng = np.random.default_rng(3)
    n = 400
    a, b = rng.integers(1, n + 1, 900), rng.integers(1, n + 1, 900)
    keep = a != b
    data = world(n, list(zip(a[keep].tolist(), b[keep].tolist(), strict=True)))
    result = metrics(data)
    adjacency: dict[int, set[int]] = {u: set() for u in range(1, n + 1)}
    for x, y in zip(a[keep].tolist(), b[keep].tolist(), strict=True):
        adjacency[x].add(y)
        adjacency[y].add(x)
    for user in (1, 57, 200, 399):
        seen, frontier, counts = {user}, {user}, []
        for _ in range(3):
            frontier = {v for u in frontier for v in adjacency[u]} - seen
            seen |= frontier
            counts.append(len(frontier))
        row = result.users.slice(user - 1, 1).to_pylist()[0]
        assert [row["reach_1"], row["reach_2"], row["reach_3"]] == counts
