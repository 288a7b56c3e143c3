"""``vitrina bench graph``: the whole graph step on a generated social graph, igraph vs networkx.

The graph: ``users`` users in groups of ``group_size`` (neighbourhoods, schools, teams); each
friendship joins a random user to someone in their group (most ties) or to a user drawn by
popularity (a log-normal weight, so some users gather many more friends), the way people
mostly befriend those around them plus a few well-known people. Follows point at users
drawn by popularity. Same seed → same graph.
"""

from __future__ import annotations

import gc
import logging
import os
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from vitrina.graph.core import (
    depth_sources,
    index_graph,
    ordered_pair_histogram,
    reach,
    sorted_unique,
)
from vitrina.graph.igraphstore import compute, pagerank
from vitrina.graph.model import GraphData, MetricOptions

__all__ = ["generate_graph", "run_graph_bench"]

logger = logging.getLogger(__name__)

_LOCAL_SHARE = 0.8  # friendships inside a user's group


def _pairs(
    rng: np.random.Generator, users: int, count: int, group_size: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    a = rng.integers(0, users, count)
    local = rng.random(count) < _LOCAL_SHARE
    group_start = (a // group_size) * group_size
    span = np.minimum(group_size, users - group_start)
    b = np.where(
        local,
        group_start + (rng.random(count) * span).astype(np.int64),
        rng.choice(users, size=count, p=weights),
    )
    return a, b


def generate_graph(
    users: int, friendships: int, follows: int, seed: int = 0, group_size: int = 1_000
) -> GraphData:
    """A social graph with exactly ``friendships`` distinct pairs and ``follows`` distinct arcs."""
    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0.0, 1.0, users)
    weights /= weights.sum()
    found = np.zeros(0, np.int64)
    while len(found) < friendships:
        a, b = _pairs(rng, users, int((friendships - len(found)) * 1.1) + 16, group_size, weights)
        keep = a != b
        lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
        found = sorted_unique(np.concatenate([found, lo * users + hi]))
    found = rng.permutation(found)[:friendships]
    arcs = np.zeros(0, np.int64)
    while len(arcs) < follows:
        src = rng.integers(0, users, int((follows - len(arcs)) * 1.1) + 16)
        dst = rng.choice(users, size=len(src), p=weights)
        keep = src != dst
        arcs = sorted_unique(np.concatenate([arcs, src[keep] * users + dst[keep]]))
    arcs = rng.permutation(arcs)[:follows]
    ids = np.arange(1, users + 1, dtype=np.int64)
    return GraphData(
        users=pa.table({"user_id": ids}),
        friendships=pa.table({"user_id": found // users + 1, "friend_id": found % users + 1}),
        follows=pa.table({"follower_id": arcs // users + 1, "followee_id": arcs % users + 1}),
    )


def _peak_rss_mb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """``fn()``, the wall seconds it took and the CPU seconds of all this process's threads."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - start, time.process_time() - cpu


def _networkx_figures(data: GraphData, options: MetricOptions, bfs_sources: int) -> dict[str, Any]:
    """networkx's PageRank and BFS on the same graph (built once, outside the timings)."""
    import networkx as nx

    graph = index_graph(data)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(graph.n))
    digraph.add_edges_from(zip(graph.arc_src.tolist(), graph.arc_dst.tolist(), strict=True))
    ranks, pr_s, pr_cpu = _timed(lambda: nx.pagerank(digraph, alpha=0.85, tol=1e-9 / graph.n))
    digraph.clear()  # free its memory before the friendship graph is built
    friends = nx.Graph()
    friends.add_nodes_from(range(graph.n))
    friends.add_edges_from(zip(graph.friend_a.tolist(), graph.friend_b.tolist(), strict=True))
    sources = np.random.default_rng(options.seed).choice(graph.n, bfs_sources, replace=False)
    start = time.perf_counter()
    for s in sources.tolist():
        nx.single_source_shortest_path_length(friends, s)
    bfs_s = (time.perf_counter() - start) / bfs_sources
    return {"pagerank_s": pr_s, "pagerank_cpu_s": pr_cpu, "bfs_per_source_s": bfs_s, "ranks": ranks}


def run_graph_bench(
    *,
    users: int = 200_000,
    friendships: int = 2_000_000,
    follows: int = 1_000_000,
    seed: int = 0,
    sample_sources: int = 1_000,
    nx_bfs_sources: int = 20,
    neo4j: str | None = None,
    neo4j_users: int = 10_000,
    on_phase: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Figures of one run; see the module docstring for the graph."""
    options = MetricOptions(sample_sources=sample_sources, seed=seed)
    on_phase(f"generating {users:,} users, {friendships:,} friendships, {follows:,} follows")
    data = generate_graph(users, friendships, follows, seed)
    compute(index_graph(generate_graph(200, 400, 100, seed)), options)  # compile the kernels
    gc.collect()

    on_phase("igraph: the whole graph step")
    cpu_start = time.process_time()  # CPU seconds of every thread: honest on a busy machine
    start = time.perf_counter()
    graph, load_s, load_cpu = _timed(lambda: index_graph(data))
    (indptr, indices), csr_s, csr_cpu = _timed(graph.friend_csr)
    ranks, pr_s, pr_cpu = _timed(lambda: pagerank(graph))
    _, reach_s, reach_cpu = _timed(lambda: reach(indptr, indices))
    sources = depth_sources(graph.n, options)
    all_sources = np.arange(graph.n, dtype=np.int32)
    _, depth_s, depth_cpu = _timed(
        lambda: ordered_pair_histogram(indptr, indices, all_sources if sources is None else sources)
    )
    step_s = time.perf_counter() - start
    step_cpu_s = time.process_time() - cpu_start
    result, full_s, _ = _timed(lambda: compute(graph, options))  # with Leiden, as publish runs it
    summary = result.summary.to_pylist()[0]

    on_phase("networkx: PageRank and BFS on the same graph")
    nxf = _networkx_figures(data, options, nx_bfs_sources)
    diff = float(np.max(np.abs(ranks - np.array([nxf["ranks"][i] for i in range(graph.n)]))))
    bfs_per_source = depth_s / (len(sources) if sources is not None else graph.n)
    figures: dict[str, Any] = {
        "bench": "graph",
        "users": users,
        "friendships": friendships,
        "follows": follows,
        "pagerank_arcs": len(graph.arc_src),
        "seed": seed,
        "load_s": round(load_s + csr_s, 3),
        "pagerank_s": round(pr_s, 3),
        "reach_s": round(reach_s, 3),
        "depth_s": round(depth_s, 3),
        "cpu_s": {
            "load": round(load_cpu + csr_cpu, 3),
            "pagerank": round(pr_cpu, 3),
            "reach": round(reach_cpu, 3),
            "depth": round(depth_cpu, 3),
        },
        "depth_sampled_sources": summary["sampled_sources"],
        "mean_path_length": summary["mean_path_length"],
        "max_depth": summary["max_depth"],
        "graph_step_seconds": round(step_s, 3),
        "graph_step_cpu_s": round(step_cpu_s, 3),
        "graph_step_with_leiden_s": round(full_s, 3),
        "networkx_pagerank_s": round(nxf["pagerank_s"], 3),
        "networkx_pagerank_cpu_s": round(nxf["pagerank_cpu_s"], 3),
        "pagerank_ratio_vs_networkx": round(nxf["pagerank_cpu_s"] / pr_cpu, 1),
        "pagerank_wall_ratio_vs_networkx": round(nxf["pagerank_s"] / pr_s, 1),
        "pagerank_max_abs_diff_vs_networkx": diff,
        "networkx_bfs_per_source_s": round(nxf["bfs_per_source_s"], 4),
        "bfs_ratio_vs_networkx": round(nxf["bfs_per_source_s"] / bfs_per_source, 1),
    }
    if neo4j:
        from vitrina.bench.graph_neo4j import neo4j_figures

        on_phase(f"neo4j: load and every metric on the first {neo4j_users:,} users")
        figures.update(neo4j_figures(neo4j, data, neo4j_users, options))
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["load_avg_1m"] = round(os.getloadavg()[0], 2)  # others' work slows the wall times
    return figures
