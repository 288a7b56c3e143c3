"""Private places on the shared services for one test (a MinIO prefix, a Neo4j namespace),
and digests of what a stack run wrote, to assert that a re-run changed nothing."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

import orjson
import psycopg

from tests.support.services import Minio
from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings

__all__ = [
    "graph_url",
    "marts_digests",
    "minio_eventlog",
    "neo4j_digest",
    "postgres_digests",
]


def graph_url(neo4j_url: str, auth: tuple[str, str] | None, namespace: str) -> str:
    """The Neo4j graph store in a namespace of its own (other graphs are never touched)."""
    host = neo4j_url.partition("://")[2]
    credentials = f"{auth[0]}:{auth[1]}@" if auth else ""
    return f"bolt://{credentials}{host}?namespace={namespace}"


def minio_eventlog(minio: Minio, prefix: str) -> str:
    """An event log under its own prefix of the MinIO bucket."""
    host = urlsplit(minio.endpoint).netloc
    return f"s3://{minio.user}:{minio.password}@{host}/{minio.bucket}/{prefix}"


def postgres_digests(url: str, ignore: tuple[str, ...] = ()) -> dict[str, str]:
    """md5 of the sorted rows of every table in the database, by ``schema.table``; the
    ``ignore`` columns are left out (bookkeeping such as the source's ``updated_at``)."""
    drop = "".join(f" - '{c}'" for c in ignore)
    out = {}
    with psycopg.connect(url) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('pg_catalog', 'information_schema') "
            "and table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        for schema, name in tables:
            row = f"(to_jsonb(t){drop})::text"
            (digest,) = con.execute(
                f"select md5(coalesce(string_agg({row}, '|' order by {row}), '')) "
                f'from "{schema}"."{name}" as t'
            ).fetchone() or ("",)
            out[f"{schema}.{name}"] = digest
    return out


def _digest(rows: list[dict[str, Any]]) -> str:
    lines = sorted(orjson.dumps(r, default=str, option=orjson.OPT_SORT_KEYS) for r in rows)
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def marts_digests(settings: Settings) -> dict[str, tuple[int, str]]:
    """(rows, sha256 of the sorted rows) of every table in the marts store."""
    names = run_query(
        settings,
        "marts",
        "select name from system.tables where database = currentDatabase() order by name",
    ).column("name")
    out = {}
    for name in names.to_pylist():
        rows = run_query(settings, "marts", f"select * from {name}").to_pylist()
        out[name] = (len(rows), _digest(rows))
    return out


def neo4j_digest(url: str) -> tuple[int, str]:
    """(nodes, sha256) of every node of the store's namespace with its properties and its
    outgoing relationships (type, the other end's labels and id, properties)."""
    from vitrina.graph.neo4jstore import Neo4jGraphStore

    with Neo4jGraphStore(url) as store:
        rows = store.query(
            "match (n {graph: $g}) optional match (n)-[r]->(m) "
            "with n, collect([type(r), labels(m), "
            "coalesce(m.user_id, m.community_id, m.post_id), properties(r)]) as out "
            "return labels(n) as labels, properties(n) as props, out",
            {"g": store.namespace},
        ).to_pylist()
    return len(rows), _digest(rows)
