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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

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
# Sources per transaction of the friendship searches, and the rows a batch of full searches
# may stream inside the database (n per source): seconds of work per transaction at most.
SEARCH_BATCH = 1_000
PAIRS_PER_TRANSACTION = 2_000_000
# Batches in flight at once, each in its own session: the server runs each on its own core.
SEARCH_SESSIONS = 2
_COMMUNITY = ("community_id", "name", "kind")
_FRIEND = ("a", "b", "created_at")
_FOLLOW = ("follower_id", "followee_id", "created_at")
_MEMBER = ("community_id", "user_id", "joined_at", "left_at")


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


def _batches(table: pa.Table, columns: tuple[str, ...]) -> Iterator[list[dict[str, Any]]]:
    """The table's ``columns`` (those present) as lists of at most BATCH_ROWS row dicts."""
    part = table.select([c for c in columns if c in table.column_names])
    for i in range(0, part.num_rows, BATCH_ROWS):
        rows: list[dict[str, Any]] = part.slice(i, BATCH_ROWS).to_pylist()
        yield rows


def _friend_pairs(friendships: pa.Table) -> pa.Table:
    """Friendships as (a, b[, created_at]) with a < b: each pair is stored once."""
    x, y = friendships.column("user_id"), friendships.column("friend_id")
    out = {"a": pc.min_element_wise(x, y), "b": pc.max_element_wise(x, y)}
    if "created_at" in friendships.column_names:
        out["created_at"] = friendships.column("created_at")
    return pa.table(out)


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

    def _write(self, statement: str, what: str, **params: Any) -> list[dict[str, Any]]:
        """Run ``statement`` in a managed write transaction: the driver retries it whole
        (with backoff) when the connection drops or the server reports a transient error."""

        def work(tx: Any) -> list[dict[str, Any]]:
            return list(tx.run(statement, {"g": self.namespace, **params}).data())

        with _translate(what), self._driver.session(database=self.database) as session:
            rows: list[dict[str, Any]] = session.execute_write(work)
            return rows

    def query(self, cypher_text: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        rows = self._run(cypher_text, "query", **(parameters or {}))
        try:
            return pa.Table.from_pylist(rows)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types in a column: print as JSON
            text = [{k: orjson.dumps(v, default=str).decode() for k, v in r.items()} for r in rows]
            return pa.Table.from_pylist(text)

    # -- load ------------------------------------------------------------------------------
    def load(self, data: GraphData) -> dict[str, int]:
        index_graph(data)  # a bad reference fails the load before anything is written
        for statement in cypher.CONSTRAINTS:
            self._run(statement, "constraints")
        # Nodes first, then the relationships between them: (statement, what, table, fields).
        loads = (
            (cypher.MERGE_USERS, "users", data.users, ("user_id", "username")),
            (cypher.MERGE_COMMUNITIES, "communities", data.communities, _COMMUNITY),
            (cypher.MERGE_POSTS, "posts", data.posts, ("post_id", "user_id", "kind")),
            (cypher.MERGE_FRIENDS, "friendships", _friend_pairs(data.friendships), _FRIEND),
            (cypher.MERGE_FOLLOWS, "follows", data.follows, _FOLLOW),
            (cypher.MERGE_MEMBERS, "memberships", data.memberships, _MEMBER),
            (cypher.MERGE_AUTHORED, "authored", data.posts, ("post_id", "user_id")),
        )
        for statement, what, table, fields in loads:
            for rows in _batches(table, fields):
                self._run(statement, f"load of {what}", rows=rows)
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
        sources = depth_sources(len(ids), options)
        with self._projection(cypher.PROJECT_FRIENDS) as (name, info):
            friendships = int(info["relationshipCount"]) // 2
            if options.communities:
                self._run(cypher.LEIDEN, "Leiden", name=name, seed=options.seed)
            naming = cypher.NAME_COMMUNITIES if options.communities else cypher.NO_COMMUNITIES
            self._run(naming, "Leiden")
            # Every user a source: one search gives both the depth figures and the reach.
            searches = [(cypher.DISTANCE_COUNTS_AND_REACH, ids, "depth and reach")]
            if sources is not None:
                searches = [
                    (cypher.REACH, ids, "reach"),
                    (cypher.DISTANCE_COUNTS, ids[sources], "depth"),
                ]
            hist = np.zeros(len(ids) + 1, np.int64)
            for statement, chosen, what in searches:
                hist += self._searches(statement, what, name, chosen, len(ids))
        table = pa.Table.from_pylist(self._run(cypher.READ_METRICS, "read"), USER_METRICS_SCHEMA)
        return metrics_tables(
            ids,
            friendships,
            arcs,
            table.column("pagerank").to_numpy(),
            np.column_stack([table.column(f"reach_{k}").to_numpy() for k in (1, 2, 3)]),
            table.column("graph_community").to_numpy(),
            hist,
            None if sources is None else len(sources),
        )

    def _searches(
        self, statement: str, what: str, name: str, sources: np.ndarray, n: int
    ) -> np.ndarray:
        """Run a per-source search in GDS over ``sources``, a bounded batch per transaction.

        A full search streams up to ``n`` rows per source inside the database, so a batch
        holds at most PAIRS_PER_TRANSACTION / n sources. Returns ``hist[d]``, the ordered
        pairs at distance d summed from the ``counts`` each source returns (zeros when the
        statement returns none). Each batch is retried as a unit if the connection drops;
        SEARCH_SESSIONS batches run at once.
        """
        hist = np.zeros(n + 1, np.int64)
        size = max(1, min(SEARCH_BATCH, PAIRS_PER_TRANSACTION // max(n, 1)))
        batches = [sources[i : i + size].tolist() for i in range(0, len(sources), size)]

        def search(batch: list[int]) -> list[dict[str, Any]]:
            return self._write(statement, what, name=name, sources=batch)

        with ThreadPoolExecutor(SEARCH_SESSIONS) as pool:
            for rows in pool.map(search, batches):
                for row in rows:
                    counts = np.asarray(row["counts"], np.int64)
                    hist[1 : len(counts) + 1] += counts
        return hist
