"""Readiness probes for infra/services.sh: one real round trip through each service's client."""

from __future__ import annotations

import contextlib
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

PROBE_TOPIC = "_vitrina_probe"


def kafka(bootstrap: str) -> None:
    """Create the probe topic if needed, produce one message and read it back."""
    from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap, "socket.timeout.ms": 3000})
    if PROBE_TOPIC not in admin.list_topics(timeout=3).topics:
        futures = admin.create_topics(
            [NewTopic(PROBE_TOPIC, num_partitions=1, replication_factor=1)], operation_timeout=10
        )
        for future in futures.values():
            try:
                future.result(15)
            except KafkaException as exc:
                if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                    raise
    token = uuid.uuid4().hex.encode()
    offsets: list[int] = []

    def delivered(err: object, msg: object) -> None:
        if err is None:
            offsets.append(msg.offset())  # type: ignore[attr-defined]

    producer = Producer({"bootstrap.servers": bootstrap, "message.timeout.ms": 8000})
    producer.produce(PROBE_TOPIC, value=token, on_delivery=delivered)
    producer.flush(10)
    if not offsets:
        raise SystemExit("kafka: produce not acknowledged")
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": "_vitrina_probe", "enable.auto.commit": False}
    )
    try:
        consumer.assign([TopicPartition(PROBE_TOPIC, 0, offsets[0])])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None and msg.value() == token:
                return
        raise SystemExit("kafka: produced message not read back")
    finally:
        consumer.close()


def _neo4j_driver(url: str, user: str, password: str):  # type: ignore[no-untyped-def]
    from neo4j import GraphDatabase

    auth = (user, password) if password else None
    return GraphDatabase.driver(url, auth=auth, connection_timeout=3, max_transaction_retry_time=1)


def neo4j(url: str, user: str, password: str) -> None:
    """Run a Cypher query over Bolt."""
    with _neo4j_driver(url, user, password) as driver:
        records, _, _ = driver.execute_query("RETURN 41 + 1 AS answer")
        if records[0]["answer"] != 42:
            raise SystemExit("neo4j: wrong answer")


def neo4j_gds(url: str, user: str, password: str, out: str, quick: str = "") -> None:
    """Try Graph Data Science PageRank on a tiny graph; write 'yes <version>' or 'no: <reason>'.

    ``quick`` (non-empty): PageRank already ran with these jars, only check that GDS is loaded.
    """
    result: str
    with _neo4j_driver(url, user, password) as driver:
        try:
            version = driver.execute_query("RETURN gds.version() AS v")[0][0]["v"]
            if quick:
                Path(out).write_text(f"yes {version}\n", encoding="utf-8")
                return
            driver.execute_query(
                "CREATE (a:_GdsProbe {n: 'a'}), (b:_GdsProbe {n: 'b'}), (c:_GdsProbe {n: 'c'}),"
                " (a)-[:L]->(b), (c)-[:L]->(b), (b)-[:L]->(a)"
            )
            driver.execute_query(
                "CALL gds.graph.project('_gds_probe', '_GdsProbe', 'L')"
                " YIELD graphName RETURN graphName"
            )
            rows = driver.execute_query(
                "CALL gds.pageRank.stream('_gds_probe') YIELD nodeId, score"
                " RETURN gds.util.asNode(nodeId).n AS n, score ORDER BY score DESC"
            )[0]
            if not rows or rows[0]["n"] != "b":
                raise RuntimeError(f"unexpected PageRank result {rows!r}")
            result = f"yes {version}"
        except Exception as exc:  # the reason is the report
            result = "no: " + " ".join(str(exc).split())[:300]
        finally:
            with contextlib.suppress(Exception):  # GDS absent or the graph never projected
                driver.execute_query(
                    "CALL gds.graph.drop('_gds_probe', false) YIELD graphName RETURN graphName"
                )
            driver.execute_query("MATCH (n:_GdsProbe) DETACH DELETE n")
    Path(out).write_text(result + "\n", encoding="utf-8")


def minio(endpoint: str, user: str, password: str, bucket: str) -> None:
    """List buckets, creating the project's bucket when it is missing."""
    import boto3
    from botocore.config import Config

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=user,
        aws_secret_access_key=password,
        region_name="us-east-1",
        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1}),
    )
    names = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if bucket not in names:
        s3.create_bucket(Bucket=bucket)
        names = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if bucket not in names:
        raise SystemExit(f"minio: bucket {bucket} missing")


def main(argv: list[str]) -> int:
    probes: dict[str, Callable[..., None]] = {
        "kafka": kafka,
        "neo4j": neo4j,
        "neo4j-gds": neo4j_gds,
        "minio": minio,
    }
    if not argv or argv[0] not in probes:
        print(f"usage: probe.py {'|'.join(probes)} ARGS...", file=sys.stderr)
        return 2
    probes[argv[0]](*argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
