"""The graph in Neo4j over Bolt: batched idempotent loads, GDS algorithms inside the database.

``bolt://user:password@host:7687[/database][?namespace=NAME]``. Nodes carry a ``graph``
property (the namespace, default ``vitrina``) so several graphs can share one database (Neo4j
Community has a single one); ids are unique per namespace. The model::

    (:User {user_id})-[:FRIEND]->(:User)        stored once, smaller user_id first; traversed undirected
    (:User)-[:FOLLOWS]->(:User)
    (:User)-[:MEMBER_OF {joined_at, left_at}]->(:Community {community_id})
    (:User)-[:AUTHORED]->(:Post {post_id})

``metrics`` writes ``pagerank``, ``reach_1..3`` and ``graph_community`` on every ``:User``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import orjson
import pyarrow as pa

from vitrina.backends import register
from vitrina.errors import BackendError, ServiceUnavailable
from vitrina.graph import cypher
from vitrina.graph.base import GraphStore
from vitrina.graph.core import depth_sources, index_graph, metrics_tables
from vitrina.graph.model import (
    DAMPING,
    USER_METRICS_SCHEMA,
    GraphData,
    GraphMetrics,
    MetricOptions,
)

__all__ = ["Neo4jGraphStore"]

logger = logging.getLogger(__name__)

BATCH_ROWS = 10_000


@contextmanager
def _translate(what: str) -> Iterator[None]:
    import neo4j.exceptions as nex

    try:
        yield
    except (nex.ServiceUnavailable, nex.SessionExpired) as exc:
        raise ServiceUnavailable(f"graph: Neo4j unreachable during {what}: {exc}") from exc
    except nex.Neo4jError as exc:
        message = (exc.message or str(exc)).strip().splitlines()[0]
        raise BackendError(f"graph: Neo4j failed during {what}: {message}") from exc
    except nex.DriverError as exc:
        raise BackendError(f"graph: Neo4j driver failed during {what}: {exc}") from exc


def _rows(table: pa.Table, columns: list[str]) -> list[dict[str, Any]]:
    present = [c for c in columns if c in table.column_names]
    rows: list[dict[str, Any]] = table.select(present).to_pylist()
    return rows


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH_ROWS):
        yield rows[i : i + BATCH_ROWS]


@register("graph", "bolt", "neo4j", extra="neo4j")
class Neo4jGraphStore(GraphStore):
    """The social property graph in a Neo4j server with the Graph Data Science plugin."""

    def __init__(self, url: str) -> None:
        import neo4j

        self.url = url
        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.namespace = query.get("namespace", "vitrina")
        self.database = parts.path.strip("/") or None
        auth = (unquote(parts.username or "neo4j"), unquote(parts.password or ""))
        address = f"{parts.scheme}://{parts.hostname}:{parts.port or 7687}"
        with _translate("connect"):
            self._driver = neo4j.GraphDatabase.driver(
                address, auth=auth, notifications_min_severity="OFF"
            )
            self._driver.verify_connectivity()

    def close(self) -> None:
        self._driver.close()

    # -- Cypher ----------------------------------------------------------------------------
    def _run(self, statement: str, what: str, **params: Any) -> list[dict[str, Any]]:
        with _translate(what), self._driver.session(database=self.database) as session:
            result = session.run(statement, {"g": self.namespace, **params})
            return list(result.data())

    def query(self, cypher_text: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        rows = self._run(cypher_text, "query", **(parameters or {}))
        try:
            return pa.Table.from_pylist(rows)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types in a column: print as JSON
            text = [{k: orjson.dumps(v, default=str).decode() for k, v in r.items()} for r in rows]
            return pa.Table.from_pylist(text)

    # -- load ------------------------------------------------------------------------------
    def _merge(self, statement: str, what: str, rows: list[dict[str, Any]]) -> None:
        for batch in _batches(rows):
            self._run(statement, f"load of {what}", rows=batch)

    def load(self, data: GraphData) -> dict[str, int]:
        index_graph(data)  # a bad reference fails the load before anything is written
        for statement in cypher.CONSTRAINTS:
            self._run(statement, "constraints")
        self._merge(cypher.MERGE_USERS, "users", _rows(data.users, ["user_id", "username"]))
        self._merge(
            cypher.MERGE_COMMUNITIES,
            "communities",
            _rows(data.communities, ["community_id", "name", "kind"]),
        )
        self._merge(cypher.MERGE_POSTS, "posts", _rows(data.posts, ["post_id", "user_id", "kind"]))
        friends = _rows(data.friendships, ["user_id", "friend_id", "created_at"])
        for row in friends:  # stored once per pair, smaller id first
            a, b = row.pop("user_id"), row.pop("friend_id")
            row["a"], row["b"] = min(a, b), max(a, b)
        self._merge(cypher.MERGE_FRIENDS, "friendships", friends)
        follows = _rows(data.follows, ["follower_id", "followee_id", "created_at"])
        self._merge(cypher.MERGE_FOLLOWS, "follows", follows)
        members = _rows(data.memberships, ["community_id", "user_id", "joined_at", "left_at"])
        self._merge(cypher.MERGE_MEMBERS, "memberships", members)
        self._merge(cypher.MERGE_AUTHORED, "authored", _rows(data.posts, ["post_id", "user_id"]))
        return self.counts()

    def counts(self) -> dict[str, int]:
        """Nodes by label and relationships by type in this namespace."""
        row = self._run(cypher.COUNTS, "count")[0]
        return {k: int(v) for k, v in row.items()}

    def clear(self) -> None:
        """Delete every node of this namespace (and their relationships)."""
        self._run(cypher.DELETE_NAMESPACE, "clear")

    # -- metrics ---------------------------------------------------------------------------
    @contextmanager
    def _projection(self, statement: str) -> Iterator[tuple[str, dict[str, Any]]]:
        name = f"vitrina_{uuid.uuid4().hex}"
        info = self._run(statement, "graph projection", name=name)[0]["info"]
        try:
            yield name, info
        finally:
            self._run("CALL gds.graph.drop($name, false) YIELD graphName", "drop", name=name)

    def metrics(self, options: MetricOptions | None = None) -> GraphMetrics:
        options = options or MetricOptions()
        ids = np.array([r["id"] for r in self._run(cypher.USER_IDS, "read")], np.int64)
        with self._projection(cypher.PROJECT_ARCS) as (name, info):
            arcs = int(info["relationshipCount"])
            self._run(cypher.PAGERANK, "PageRank", name=name, damping=DAMPING)
            self._run(cypher.NORMALISE_PAGERANK, "PageRank")
        with self._projection(cypher.PROJECT_FRIENDS) as (name, info):
            friendships = int(info["relationshipCount"]) // 2
            if options.communities:
                self._run(cypher.LEIDEN, "Leiden", name=name, seed=options.seed)
            naming = cypher.NAME_COMMUNITIES if options.communities else cypher.NO_COMMUNITIES
            self._run(naming, "Leiden")
            hist = self._depth_histogram(name, ids, options)
        self._run(cypher.REACH, "reach")
        rows = self._run(cypher.READ_METRICS, "read")
        table = pa.Table.from_pylist(rows, schema=USER_METRICS_SCHEMA)
        sampled = depth_sources(len(ids), options)
        return metrics_tables(
            ids,
            friendships,
            arcs,
            table.column("pagerank").to_numpy(),
            np.column_stack([table.column(f"reach_{k}").to_numpy() for k in (1, 2, 3)]),
            table.column("graph_community").to_numpy(),
            hist,
            None if sampled is None else len(sampled),
        )

    def _depth_histogram(self, name: str, ids: np.ndarray, options: MetricOptions) -> np.ndarray:
        """Ordered pairs by distance, from every user (MSBFS) or the sampled sources."""
        sources = depth_sources(len(ids), options)
        if sources is None:
            rows = self._run(cypher.ALL_PAIRS_DEPTH, "depth", name=name)
        else:
            sample = ids[sources].tolist()
            rows = self._run(cypher.SAMPLED_DEPTH, "depth", name=name, sources=sample)
        hist = np.zeros(len(ids) + 1, np.int64)
        for row in rows:
            hist[int(row["depth"])] += int(row["pairs"])
        return hist
