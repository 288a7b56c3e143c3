"""The graph role: social graph metrics (PageRank, friendship depth, reach) on igraph or Neo4j.

with open_graph("igraph:///abs/data/graph") as graph:   # or bolt://user:pw@host:7687
    graph.load(GraphData(users=..., friendships=..., follows=...))
    result = graph.metrics(MetricOptions(seed=7))      # users, depth, summary tables
"""

from __future__ import annotations

from vitrina.backends import open_backend
from vitrina.graph.base import GraphStore
from vitrina.graph.model import GraphData, GraphMetrics, MetricOptions

__all__ = ["GraphData", "GraphMetrics", "GraphStore", "MetricOptions", "open_graph"]


def open_graph(url: str) -> GraphStore:
    """The graph store named by ``url``: ``igraph:///abs/dir`` or ``bolt://user:pw@host:port``."""
    store: GraphStore = open_backend("graph", url)
    return store
