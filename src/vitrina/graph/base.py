"""The graph role's interface: load the social tables, compute the pinned metrics, close."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import pyarrow as pa

from vitrina.closing import Closing
from vitrina.errors import UsageError
from vitrina.graph.model import GraphData, GraphMetrics, MetricOptions

__all__ = ["GraphStore"]


class GraphStore(ABC, Closing):
    """A property graph of users, communities and posts with the social graph metrics.

    ``load`` is idempotent (loading the same data again changes nothing) and returns how
    many nodes and relationships of each kind the store holds afterwards.
    """

    url: str

    @abstractmethod
    def load(self, data: GraphData) -> dict[str, int]:
        """Store ``data``; returns counts by node label / relationship type."""

    @abstractmethod
    def metrics(self, options: MetricOptions | None = None) -> GraphMetrics:
        """PageRank, reach 1/2/3, depth distribution and summary of the loaded graph."""

    def query(self, cypher: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        """Run Cypher and return its rows; only a graph database speaks Cypher."""
        raise UsageError(
            f"the graph store {self.url.partition('://')[0]}:// runs no Cypher queries "
            "(Cypher needs the stack profile's Neo4j: --profile stack)"
        )
