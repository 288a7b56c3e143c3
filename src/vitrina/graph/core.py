"""The pure part of the graph metrics: ids to dense indices, CSR, reach, depth, summary tables.

Backends hand their numbers to the helpers here so every backend shapes results the same way;
the igraph backend also runs its searches through these compiled kernels.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from vitrina.errors import ContractError
from vitrina.graph.kernels import ball2, csr_fill, depth_histogram, reach3_from_balls, reach_counts
from vitrina.graph.model import (
    DEPTH_SCHEMA,
    SUMMARY_SCHEMA,
    USER_METRICS_SCHEMA,
    GraphData,
    GraphMetrics,
    MetricOptions,
)

__all__ = [
    "IndexedGraph",
    "depth_figures",
    "depth_sources",
    "index_graph",
    "metrics_tables",
]


@dataclass(frozen=True)
class IndexedGraph:
    """The graph over dense user indices 0..n-1 (``user_ids[i]`` is user i, ascending)."""

    user_ids: np.ndarray  # int64, sorted, unique
    friend_a: np.ndarray  # int32, a < b, one row per friendship pair
    friend_b: np.ndarray
    arc_src: np.ndarray  # int32: follows plus both arcs of every friendship, each arc once
    arc_dst: np.ndarray

    @property
    def n(self) -> int:
        return int(self.user_ids.shape[0])

    def friend_csr(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr, indices) of the undirected friendship graph: each pair in both rows."""
        src = np.concatenate([self.friend_a, self.friend_b])
        return csr(src, np.concatenate([self.friend_b, self.friend_a]), self.n)

    def in_arc_csr(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr, sources) of the PageRank arcs grouped by target."""
        return csr(self.arc_dst, self.arc_src, self.n)


def csr(rows: np.ndarray, cols: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Compressed rows: ``cols[indptr[r]:indptr[r + 1]]`` are row r's entries."""
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    out = np.empty(len(cols), np.int32)
    csr_fill(rows, cols, indptr, out)
    return indptr, out


def _ids(table: pa.Table, column: str, what: str) -> np.ndarray:
    if column not in table.column_names:
        raise ContractError(f"{what}: missing column {column!r}")
    col = table.column(column)
    if col.null_count:
        raise ContractError(f"{what}: {col.null_count} row(s) with an empty {column}")
    return np.asarray(col.to_numpy(), dtype=np.int64)


def _positions(user_ids: np.ndarray, ids: np.ndarray, what: str) -> np.ndarray:
    pos: np.ndarray
    if len(user_ids) and int(user_ids[-1]) - int(user_ids[0]) == len(user_ids) - 1:
        pos = ids - user_ids[0]  # ids without gaps (the usual case): no search needed
        pos = np.where((pos < 0) | (pos >= len(user_ids)), len(user_ids), pos)
    else:
        pos = np.searchsorted(user_ids, ids)
    pos_c = np.minimum(pos, max(len(user_ids) - 1, 0))
    bad = (pos >= len(user_ids)) | (user_ids[pos_c] != ids) if len(user_ids) else ids == ids
    if bad.any():
        raise ContractError(
            f"{what}: {int(bad.sum())} row(s) name a user not in users (first: {ids[bad][0]})"
        )
    return pos.astype(np.int32)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending (sort + compare: numpy's hash-based unique is far slower)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return np.asarray(ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])])


def _unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    key = sorted_unique(a.astype(np.int64) * n + b.astype(np.int64))
    return (key // n).astype(np.int32), (key % n).astype(np.int32)


def index_graph(data: GraphData) -> IndexedGraph:
    """Dense indices for ``data``; a tie naming an unknown user or itself is a ContractError."""
    user_ids = sorted_unique(_ids(data.users, "user_id", "users"))
    n = len(user_ids)
    fa = _positions(user_ids, _ids(data.friendships, "user_id", "friendships"), "friendships")
    fb = _positions(user_ids, _ids(data.friendships, "friend_id", "friendships"), "friendships")
    fol_a = _positions(user_ids, _ids(data.follows, "follower_id", "follows"), "follows")
    fol_b = _positions(user_ids, _ids(data.follows, "followee_id", "follows"), "follows")
    for what, x, y in (("friendships", fa, fb), ("follows", fol_a, fol_b)):
        if (x == y).any():
            raise ContractError(f"{what}: {int((x == y).sum())} row(s) tie a user to themselves")
    friend_a, friend_b = _unique_pairs(np.minimum(fa, fb), np.maximum(fa, fb), n)
    arc_src, arc_dst = _unique_pairs(
        np.concatenate([friend_a, friend_b, fol_a]), np.concatenate([friend_b, friend_a, fol_b]), n
    )
    return IndexedGraph(user_ids, friend_a, friend_b, arc_src, arc_dst)


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# Entries of the 2-balls (4 bytes each) that reach() keeps in memory; above, it searches
# each user's neighbourhood to depth 3 instead (same numbers, a few times slower).
BALL_BUDGET = 1 << 28


def _over_users(kernel: Callable[..., None], n: int, *args: np.ndarray) -> None:
    """``kernel(*args[:2], lo, hi, *args[2:])`` over [0, n) in slices shared by threads."""
    bounds = np.linspace(0, n, _workers() * 4 + 1).astype(np.int64)
    with ThreadPoolExecutor(_workers()) as pool:
        jobs = [
            pool.submit(kernel, *args[:2], int(lo), int(hi), *args[2:])
            for lo, hi in itertools.pairwise(bounds)
            if hi > lo
        ]
        for job in jobs:
            job.result()


def reach(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """(n, 3) int64: users at distance exactly 1, 2, 3 from every user.

    Counts each user's 2-ball, keeps every 2-ball as a list, then unions the friends' lists
    (sequential reads instead of a search per user); graphs whose lists would exceed
    ``BALL_BUDGET`` entries are searched to depth 3 from every user instead.
    """
    n = indptr.shape[0] - 1
    out = np.zeros((n, 3), np.int64)
    ptr = np.zeros(n + 1, np.int64)
    _over_users(ball2, n, indptr, indices, ptr, np.zeros(0, np.uint32), out)
    np.cumsum(out[:, 0] + out[:, 1], out=ptr[1:])
    if ptr[-1] > BALL_BUDGET:
        _over_users(reach_counts, n, indptr, indices, out)
        return out
    balls = np.empty(int(ptr[-1]), np.uint32)
    _over_users(ball2, n, indptr, indices, ptr, balls, out)
    _over_users(reach3_from_balls, n, indptr, indices, ptr, balls, out)
    return out


def depth_sources(n: int, options: MetricOptions) -> np.ndarray | None:
    """The sampled source indices (sorted), or None when the depth figures are exact."""
    if n <= options.exact_limit:
        return None
    rng = np.random.default_rng(options.seed)
    size = min(options.sample_sources, n)
    return np.sort(rng.choice(n, size=size, replace=False)).astype(np.int32)


def ordered_pair_histogram(
    indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray
) -> np.ndarray:
    """hist[d] = (source, target) pairs at distance d from ``sources`` (threads share batches)."""
    n = indptr.shape[0] - 1
    size = max(256, -(-len(sources) // (256 * _workers())) * 256)  # whole batches per thread
    chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
    hist = np.zeros(n + 1, np.int64)
    with ThreadPoolExecutor(_workers()) as pool:
        for part in pool.map(lambda c: depth_histogram(indptr, indices, c), chunks):
            hist += part
    return hist


def depth_figures(
    ordered: np.ndarray, n: int, sampled: int | None
) -> tuple[pa.Table, float | None, int | None, int]:
    """Depth table, mean path length, max depth and reachable pairs from ordered-pair counts.

    Exact: each unordered pair was counted from both ends, so pairs = count / 2. Sampled:
    pairs scale by n / (2 * sources), rounded; the mean is the sample's mean distance and
    the max depth the largest distance seen from the sampled sources.
    """
    depths = np.flatnonzero(ordered)
    depths = depths[depths > 0]
    counts = ordered[depths]
    pairs = counts // 2 if sampled is None else np.rint(counts * (n / (2.0 * sampled)))
    table = pa.table(
        {"depth": depths.astype(np.int64), "pairs": pairs.astype(np.int64)}, schema=DEPTH_SCHEMA
    )
    if not len(depths):
        return table, None, None, 0
    mean = float((depths * counts).sum() / counts.sum())
    return table, mean, int(depths.max()), int(pairs.sum())


def community_labels(user_ids: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Each user's community named by the smallest user_id in it (stable across runs/backends)."""
    if not len(membership):
        return np.zeros(0, np.int64)
    order = np.argsort(membership, kind="stable")
    starts = np.concatenate([[True], np.diff(membership[order]) != 0])
    inverse = np.empty(len(membership), np.int64)
    inverse[order] = np.cumsum(starts) - 1
    smallest = np.full(int(inverse.max()) + 1, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(smallest, inverse, user_ids)
    return smallest[inverse]


def metrics_tables(
    user_ids: np.ndarray,
    friendships: int,
    arcs: int,
    pagerank: np.ndarray,
    reach3: np.ndarray,
    communities: np.ndarray,
    ordered_hist: np.ndarray,
    sampled: int | None,
) -> GraphMetrics:
    """The three result tables from one backend's raw numbers (in user_id order)."""
    n = len(user_ids)
    users = pa.table(
        {
            "user_id": np.asarray(user_ids, np.int64),
            "pagerank": np.asarray(pagerank, np.float64),
            "reach_1": reach3[:, 0],
            "reach_2": reach3[:, 1],
            "reach_3": reach3[:, 2],
            "graph_community": np.asarray(communities, np.int64),
        },
        schema=USER_METRICS_SCHEMA,
    )
    depth, mean, max_depth, reachable = depth_figures(ordered_hist, n, sampled)
    summary = pa.table(
        {
            "users": [n],
            "friendships": [friendships],
            "pagerank_arcs": [arcs],
            "reachable_pairs": [reachable],
            "mean_path_length": [mean],
            "max_depth": [max_depth],
            "sampled_sources": [sampled],
            "graph_communities": [len(sorted_unique(communities))],
        },
        schema=SUMMARY_SCHEMA,
    )
    return GraphMetrics(users, depth, summary)
