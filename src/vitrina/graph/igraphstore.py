"""The graph in process: igraph for PageRank and Leiden, compiled BFS for reach and depth.

``igraph:///abs/dir`` keeps the loaded graph as Arrow files in ``dir`` (so ``metrics`` can run
in a later process) and writes each result table there too; ``igraph://`` with no path
keeps everything in memory.
"""

from __future__ import annotations

import io
import logging
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather

from vitrina.atomicio import write_atomic
from vitrina.backends import local_path, register
from vitrina.errors import BackendError
from vitrina.graph.base import GraphStore
from vitrina.graph.core import (
    IndexedGraph,
    community_labels,
    depth_sources,
    index_graph,
    metrics_tables,
    ordered_pair_histogram,
    reach,
)
from vitrina.graph.kernels import pagerank_power
from vitrina.graph.model import (
    DAMPING,
    PAGERANK_TOLERANCE,
    GraphData,
    GraphMetrics,
    MetricOptions,
)

__all__ = ["IgraphGraphStore", "pagerank"]

logger = logging.getLogger(__name__)

# The tables a load keeps, by file name.
_TABLES = ("users", "friendships", "follows", "communities", "memberships", "posts")


def pagerank(graph: IndexedGraph) -> np.ndarray:
    """The pinned PageRank on the simple directed graph (compiled power iteration over CSR:
    building an igraph graph from millions of arcs costs more than the iteration itself)."""
    if graph.n == 0:
        return np.zeros(0)
    in_ptr, in_src = graph.in_arc_csr()
    out_degree = np.bincount(graph.arc_src, minlength=graph.n).astype(np.int64)
    tol = PAGERANK_TOLERANCE * (1.0 - DAMPING) / DAMPING
    scores, iterations = pagerank_power(in_ptr, in_src, out_degree, DAMPING, tol)
    if iterations < 0:
        raise BackendError("PageRank did not converge")
    logger.debug("PageRank converged in %d iterations", iterations)
    return np.asarray(scores / scores.sum())


def leiden(graph: IndexedGraph, seed: int) -> np.ndarray:
    """Leiden communities (modularity) of the friendship graph, named by their smallest user_id."""
    import igraph

    g = igraph.Graph(
        n=graph.n,
        edges=list(zip(graph.friend_a.tolist(), graph.friend_b.tolist(), strict=True)),
        directed=False,
    )
    igraph.set_random_number_generator(random.Random(seed))  # Leiden is randomised
    try:
        parts = g.community_leiden(objective_function="modularity", n_iterations=-1)
    finally:
        igraph.set_random_number_generator(random)
    return community_labels(graph.user_ids, np.asarray(parts.membership, np.int64))


def compute(graph: IndexedGraph, options: MetricOptions) -> GraphMetrics:
    """Every metric of ``graph`` in this process."""
    indptr, indices = graph.friend_csr()
    sources = depth_sources(graph.n, options)
    hist = ordered_pair_histogram(
        indptr, indices, np.arange(graph.n, dtype=np.int32) if sources is None else sources
    )
    communities = leiden(graph, options.seed) if options.communities else graph.user_ids
    return metrics_tables(
        graph.user_ids,
        len(graph.friend_a),
        len(graph.arc_src),
        pagerank(graph),
        reach(indptr, indices),
        communities,
        hist,
        None if sources is None else len(sources),
    )


@register("graph", "igraph", extra="graph", local=True)
class IgraphGraphStore(GraphStore):
    """The social graph held in this process (and as Arrow files under the URL's folder)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path: Path | None = local_path("graph", url)
        self._data: GraphData | None = None

    def _write(self, name: str, table: pa.Table) -> None:
        if self.path is None:
            return
        buf = io.BytesIO()
        feather.write_feather(table, buf, compression="uncompressed")
        write_atomic(self.path / f"{name}.arrow", buf.getvalue(), durable=False)

    def load(self, data: GraphData) -> dict[str, int]:
        index_graph(data)  # a bad reference fails the load before anything is written
        self._data = data
        for name in _TABLES:
            self._write(name, getattr(data, name))
        return {
            "User": data.users.num_rows,
            "Community": data.communities.num_rows,
            "Post": data.posts.num_rows,
            "FRIEND": data.friendships.num_rows,
            "FOLLOWS": data.follows.num_rows,
            "MEMBER_OF": data.memberships.num_rows,
            "AUTHORED": data.posts.num_rows,
        }

    def _loaded(self) -> GraphData:
        if self._data is not None:
            return self._data
        if self.path is None or not (self.path / "users.arrow").exists():
            raise BackendError(f"graph store {self.url}: nothing loaded yet")
        tables = {n: feather.read_table(self.path / f"{n}.arrow") for n in _TABLES}
        self._data = GraphData(**tables)
        return self._data

    def metrics(self, options: MetricOptions | None = None) -> GraphMetrics:
        result = compute(index_graph(self._loaded()), options or MetricOptions())
        self._write("user_metrics", result.users)
        self._write("friendship_depth", result.depth)
        self._write("summary", result.summary)
        return result
