"""Every real service round-trips data through the Python client vitrina uses."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import fsspec
import psycopg
import pymysql
import pytest
import redis
from confluent_kafka import Consumer, Producer, TopicPartition
from neo4j import GraphDatabase

from tests.support.services import Minio


def _token() -> str:
    return uuid.uuid4().hex[:12]


def test_postgres_round_trip(postgres_url: str, postgres_source_url: str) -> None:
    table = f"t_{_token()}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"create table {table} (id int primary key, name text, price numeric(12,2))")
        with conn.cursor() as cur:
            cur.executemany(
                f"insert into {table} values (%s, %s, %s)",
                [(1, "mug", "9.50"), (2, "lamp", "24.00"), (3, "chair", "120.25")],
            )
        row = conn.execute(f"select count(*), sum(price)::text from {table}").fetchone()
        conn.execute(f"drop table {table}")
    assert row == (3, "153.75")
    with psycopg.connect(postgres_source_url) as conn:
        assert conn.execute("select current_database(), current_user").fetchone() == (
            "vitrina_source",
            "vitrina",
        )


def test_mariadb_round_trip(mariadb_params: dict[str, Any], mariadb_url: str) -> None:
    assert mariadb_url.endswith(f":{mariadb_params['port']}/vitrina")
    table = f"t_{_token()}"
    conn = pymysql.connect(**mariadb_params, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"create table {table} (id int primary key, name varchar(40)) charset utf8mb4"
            )
            cur.executemany(
                f"insert into {table} values (%s, %s)", [(1, "čaj"), (2, "kávé"), (3, "tea")]
            )
            cur.execute(f"select name from {table} order by id")
            names = [r[0] for r in cur.fetchall()]
            cur.execute(f"drop table {table}")
    finally:
        conn.close()
    assert names == ["čaj", "kávé", "tea"]


def test_redis_round_trip(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    key = f"test:{_token()}"
    try:
        client.hset(key, mapping={"clicks": 3, "product": "lamp"})
        client.hincrby(key, "clicks", 4)
        assert client.hgetall(key) == {b"clicks": b"7", b"product": b"lamp"}
    finally:
        client.delete(key)
        client.close()


def _read_all(bootstrap: str, topic: str, isolation: str, expected: int) -> list[bytes]:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-{_token()}",
            "isolation.level": isolation,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    values: list[bytes] = []
    try:
        consumer.assign([TopicPartition(topic, 0, 0)])
        deadline = time.monotonic() + 30
        # Keep polling a little past `expected` so that extra (wrong) messages would show up.
        quiet_until = None
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                values.append(msg.value())
            if len(values) >= expected:
                quiet_until = quiet_until or time.monotonic() + 2
                if time.monotonic() > quiet_until:
                    break
    finally:
        consumer.close()
    return values


def test_kafka_transactions_read_committed(
    kafka_bootstrap: str, kafka_topic: Callable[..., str]
) -> None:
    topic = kafka_topic(partitions=1)
    producer = Producer(
        {"bootstrap.servers": kafka_bootstrap, "transactional.id": f"test-{_token()}"}
    )
    producer.init_transactions(30)
    producer.begin_transaction()
    for i in range(3):
        producer.produce(topic, key=b"k", value=f"committed-{i}".encode())
    producer.commit_transaction(30)
    producer.begin_transaction()
    for i in range(2):
        producer.produce(topic, key=b"k", value=f"aborted-{i}".encode())
    producer.flush(30)  # the aborted records really reach the log
    producer.abort_transaction(30)
    producer.begin_transaction()
    producer.produce(topic, key=b"k", value=b"committed-3")
    producer.commit_transaction(30)

    committed = _read_all(kafka_bootstrap, topic, "read_committed", 4)
    assert committed == [f"committed-{i}".encode() for i in range(4)]
    everything = _read_all(kafka_bootstrap, topic, "read_uncommitted", 6)
    assert sorted(everything) == sorted(
        [f"committed-{i}".encode() for i in range(4)] + [b"aborted-0", b"aborted-1"]
    )


def test_kafka_partitions_are_explicit(
    kafka_bootstrap: str, kafka_topic: Callable[..., str]
) -> None:
    from confluent_kafka.admin import AdminClient

    topic = kafka_topic(partitions=3)
    metadata = AdminClient({"bootstrap.servers": kafka_bootstrap}).list_topics(topic, timeout=10)
    assert len(metadata.topics[topic].partitions) == 3


def test_neo4j_round_trip(neo4j_url: str, neo4j_auth: tuple[str, str] | None) -> None:
    tag = _token()
    with GraphDatabase.driver(neo4j_url, auth=neo4j_auth) as driver:
        driver.execute_query(
            "UNWIND $names AS n CREATE (:TestProduct {name: n, tag: $tag})",
            names=["mug", "lamp", "chair"],
            tag=tag,
        )
        driver.execute_query(
            "MATCH (a:TestProduct {tag: $tag, name: 'mug'}), (b:TestProduct {tag: $tag})"
            " WHERE b.name <> 'mug' CREATE (a)-[:BOUGHT_WITH]->(b)",
            tag=tag,
        )
        records, _, _ = driver.execute_query(
            "MATCH (:TestProduct {tag: $tag})-[r:BOUGHT_WITH]->(b) RETURN b.name AS n ORDER BY n",
            tag=tag,
        )
        driver.execute_query("MATCH (n:TestProduct {tag: $tag}) DETACH DELETE n", tag=tag)
    assert [r["n"] for r in records] == ["chair", "lamp"]


def test_neo4j_wrong_password_is_refused(
    neo4j_url: str, neo4j_auth: tuple[str, str] | None
) -> None:
    from neo4j.exceptions import AuthError

    assert neo4j_auth is not None, "the services run with Neo4j authentication on"
    with (
        GraphDatabase.driver(neo4j_url, auth=(neo4j_auth[0], "wrong-password")) as driver,
        pytest.raises(AuthError),
    ):
        driver.verify_connectivity()


def test_neo4j_gds_pagerank_matches_status(
    neo4j_url: str, neo4j_auth: tuple[str, str] | None, neo4j_gds: bool
) -> None:
    """infra reports GDS yes/no; the report must be true either way."""
    from neo4j.exceptions import ClientError

    tag = _token()
    graph = f"g_{tag}"
    with GraphDatabase.driver(neo4j_url, auth=neo4j_auth) as driver:
        if not neo4j_gds:
            with pytest.raises(ClientError):
                driver.execute_query("RETURN gds.version() AS v")
            return
        driver.execute_query(
            "CREATE (a:PR {n: 'a', tag: $tag}), (b:PR {n: 'b', tag: $tag}),"
            " (c:PR {n: 'c', tag: $tag}), (d:PR {n: 'd', tag: $tag}),"
            " (a)-[:L]->(b), (c)-[:L]->(b), (d)-[:L]->(b), (b)-[:L]->(a)",
            tag=tag,
        )
        try:
            driver.execute_query(
                "MATCH (s:PR {tag: $tag})-[:L]->(t:PR {tag: $tag})"
                " WITH gds.graph.project($graph, s, t) AS g RETURN g.graphName",
                tag=tag,
                graph=graph,
            )
            records, _, _ = driver.execute_query(
                "CALL gds.pageRank.stream($graph) YIELD nodeId, score"
                " RETURN gds.util.asNode(nodeId).n AS n, score ORDER BY score DESC, n",
                graph=graph,
            )
        finally:
            driver.execute_query(
                "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName", graph=graph
            )
            driver.execute_query("MATCH (n:PR {tag: $tag}) DETACH DELETE n", tag=tag)
    assert [r["n"] for r in records][:2] == ["b", "a"]
    assert len(records) == 4


def test_minio_round_trip_boto3_and_s3fs(minio: Minio) -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=minio.endpoint,
        aws_access_key_id=minio.user,
        aws_secret_access_key=minio.password,
        region_name="us-east-1",
    )
    assert minio.bucket in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    key = f"tests/{_token()}/hello.jsonl"
    s3.put_object(Bucket=minio.bucket, Key=key, Body=b'{"a": 1}\n{"a": 2}\n')
    fs = fsspec.filesystem("s3", **minio.storage_options)
    try:
        with fs.open(minio.url(key), "rb") as fh:
            assert fh.read().splitlines() == [b'{"a": 1}', b'{"a": 2}']
        other = minio.url(f"{key}.copy")
        fs.pipe(other, b"written by s3fs")
        assert s3.get_object(Bucket=minio.bucket, Key=f"{key}.copy")["Body"].read() == (
            b"written by s3fs"
        )
    finally:
        fs.rm(minio.url(key.rsplit("/", 1)[0]), recursive=True)
    assert s3.list_objects_v2(Bucket=minio.bucket, Prefix=key).get("KeyCount", 0) == 0
