"""The graph job: social graph metrics from the warehouse's clean tables into schema ``graph``."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import pyarrow as pa

from vitrina.config import Settings
from vitrina.errors import PipelineError
from vitrina.pipelines.interval import Interval
from vitrina.warehouse import Warehouse, open_warehouse
from vitrina.warehouse.base import quote_ident

__all__ = ["GRAPH_SCHEMA", "GraphReport", "has_social_data", "read_inputs", "run"]

log = logging.getLogger(__name__)

GRAPH_SCHEMA = "graph"

# What the graph is built from: clean table -> the columns the graph role reads.
INPUTS = {
    "users": ("social_users", ("user_id", "username", "created_at"), ("user_id",)),
    "friendships": ("social_friendships", ("user_id", "friend_id"), ("user_id", "friend_id")),
    "follows": ("social_follows", ("follower_id", "followee_id"), ("follower_id", "followee_id")),
    "communities": ("social_communities", ("community_id", "name", "kind"), ("community_id",)),
    "memberships": (
        "social_community_members",
        ("community_id", "user_id", "joined_at", "left_at"),
        ("community_id", "user_id", "joined_at"),
    ),
    "posts": ("social_posts", ("post_id", "user_id", "kind", "created_at"), ("post_id",)),
}

# The result tables in the warehouse, read by the social marts as dbt source `graph`.
OUTPUTS = ("user_metrics", "depth", "summary")


@dataclass(frozen=True)
class GraphReport:
    """What one graph job did."""

    graph_url: str
    users: int
    depths: int
    sampled_sources: int | None
    seconds: float

    def rows(self) -> list[tuple[str, str]]:
        sampled = "exact" if self.sampled_sources is None else f"{self.sampled_sources} sources"
        return [
            ("users", str(self.users)),
            ("depths present", str(self.depths)),
            ("depth figures", sampled),
            ("graph step", f"{self.seconds:.1f} s"),
        ]


def has_social_data(wh: Warehouse) -> bool:
    """Whether the warehouse holds social users (the graph has nodes to compute on)."""
    if not wh.columns("clean", "social_users"):
        return False
    found = wh.query_arrow("select 1 from clean.social_users limit 1")
    return bool(found.num_rows)


def read_inputs(wh: Warehouse) -> dict[str, pa.Table]:
    """The graph's input tables from the clean layer, by GraphData field."""
    out = {}
    for key, (table, columns, order) in INPUTS.items():
        # Ordered reads: the same clean rows always give the graph the same input order.
        cols = ", ".join(quote_ident(c) for c in columns)
        keys = ", ".join(quote_ident(c) for c in order)
        out[key] = wh.query_arrow(f"select {cols} from clean.{quote_ident(table)} order by {keys}")
    return out


def _replace(wh: Warehouse, tables: dict[str, pa.Table]) -> None:
    """Swap every result table in one transaction: readers see the old set or the new one."""
    with wh.transaction():
        wh.ensure_schema(GRAPH_SCHEMA)
        for name, table in tables.items():
            wh.execute(f"drop table if exists {quote_ident(GRAPH_SCHEMA)}.{quote_ident(name)}")
            wh.ensure_table(GRAPH_SCHEMA, name, table.schema)
            if table.num_rows:
                wh.load_arrow(GRAPH_SCHEMA, name, table)


def run(settings: Settings, interval: Interval | None = None) -> GraphReport:
    """Load the social graph from the clean layer, compute its metrics, store them in ``graph``.

    The metrics cover all data loaded so far (the interval is taken for a uniform signature
    with the other jobs); a re-run on the same data writes the same rows.
    """
    from vitrina.graph import GraphData, MetricOptions, open_graph

    started = time.perf_counter()
    with open_warehouse(settings.backend("warehouse")) as wh:
        if not has_social_data(wh):
            raise PipelineError(
                "the warehouse holds no social users: run `vitrina ingest --domain social` first"
            )
        inputs = read_inputs(wh)
    url = settings.backend("graph")
    with open_graph(url) as graph:
        graph.load(GraphData(**inputs))
        result = graph.metrics(MetricOptions())
    outputs = dict(zip(OUTPUTS, (result.users, result.depth, result.summary), strict=True))
    with open_warehouse(settings.backend("warehouse")) as wh:
        _replace(wh, outputs)
    sampled = (
        result.summary.column("sampled_sources")[0].as_py() if result.summary.num_rows else None
    )
    report = GraphReport(
        graph_url=url,
        users=result.users.num_rows,
        depths=result.depth.num_rows,
        sampled_sources=sampled,
        seconds=time.perf_counter() - started,
    )
    log.info("graph: %d users, %d depths in %.1f s", report.users, report.depths, report.seconds)
    return report
