"""Neo4j figures for ``vitrina bench graph``: the same step inside the database (GDS + Cypher).

Runs on the sub-graph of the first ``users`` users (and the ties among them) in a private
namespace that is deleted afterwards, and compares its PageRank with the in-process one.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyarrow.compute as pc

from vitrina.graph.core import index_graph
from vitrina.graph.igraphstore import pagerank
from vitrina.graph.model import GraphData, MetricOptions

__all__ = ["neo4j_figures", "subgraph"]


def subgraph(data: GraphData, users: int) -> GraphData:
    """The first ``users`` users (by user_id) and the friendships and follows among them."""
    ids = np.sort(data.users.column("user_id").to_numpy())[:users]
    last = int(ids[-1]) if len(ids) else 0

    def within(table: Any, a: str, b: str) -> Any:
        keep = pc.and_(pc.less_equal(table.column(a), last), pc.less_equal(table.column(b), last))
        return table.filter(keep)

    return GraphData(
        users=data.users.filter(pc.less_equal(data.users.column("user_id"), last)),
        friendships=within(data.friendships, "user_id", "friend_id"),
        follows=within(data.follows, "follower_id", "followee_id"),
    )


def neo4j_figures(url: str, data: GraphData, users: int, options: MetricOptions) -> dict[str, Any]:
    """Load + metrics seconds on Neo4j and the PageRank difference to the in-process backend."""
    from vitrina.graph.neo4jstore import Neo4jGraphStore

    part = subgraph(data, users)
    sep = "&" if "?" in url else "?"
    store = Neo4jGraphStore(f"{url}{sep}namespace=bench_graph_{time.time_ns()}")
    try:
        start = time.perf_counter()
        store.load(part)
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        result = store.metrics(options)
        metrics_s = time.perf_counter() - start
    finally:
        store.clear()
        store.close()
    local = pagerank(index_graph(part))
    diff = float(np.max(np.abs(result.users.column("pagerank").to_numpy() - local)))
    return {
        "neo4j_users": part.users.num_rows,
        "neo4j_friendships": part.friendships.num_rows,
        "neo4j_follows": part.follows.num_rows,
        "neo4j_load_s": round(load_s, 3),
        "neo4j_metrics_s": round(metrics_s, 3),
        "neo4j_graph_step_seconds": round(load_s + metrics_s, 3),
        "neo4j_pagerank_max_abs_diff": diff,
    }
