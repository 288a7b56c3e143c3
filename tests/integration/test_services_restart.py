"""The persistent services keep their data across `infra/services.sh down` and `up`.

These tests run a second, isolated set of servers (own data folder, free ports, Neo4j without
GDS) so that stopping them never disturbs the shared services other tests use.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import psycopg
import pymysql
import pytest
import redis
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from neo4j import GraphDatabase

from tests.support.services import ROOT, Services

PERSISTENT = ("postgres", "mariadb", "redis", "kafka", "neo4j", "minio")
PORT_VARS = ("POSTGRES", "MARIADB", "REDIS", "KAFKA", "KAFKA_CONTROLLER", "NEO4J", "MINIO")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="module")
def isolated() -> Iterator[Services]:
    # Under infra/.run (git-ignored): pytest's tmp folders are private to root, and PostgreSQL
    # runs as the OS user postgres when the tests run as root.
    run_dir = ROOT / "infra" / ".run" / f"isolated-{uuid.uuid4().hex[:8]}"
    env = {"VITRINA_RUN_DIR": str(run_dir), "VITRINA_NEO4J_GDS": "false"}
    for var, port in zip(PORT_VARS, _free_ports(len(PORT_VARS)), strict=True):
        env[f"VITRINA_{var}_PORT"] = str(port)
    svc = Services(env=env)
    try:
        yield svc
    finally:
        cluster = Path(svc.info("postgres")["cluster"]).parent
        svc.down(*PERSISTENT)
        shutil.rmtree(run_dir, ignore_errors=True)
        if cluster.is_relative_to("/var/tmp"):  # root + a clone postgres cannot reach
            shutil.rmtree(cluster, ignore_errors=True)


def _write_all(token: str, info: dict[str, dict[str, str]], topic: str) -> None:
    with psycopg.connect(info["postgres"]["url"], autocommit=True) as conn:
        conn.execute(f"create table keep_{token} (v text)")
        conn.execute(f"insert into keep_{token} values (%s)", (token,))
    conn_my = pymysql.connect(**_mariadb_params(info["mariadb"]), autocommit=True)
    try:
        with conn_my.cursor() as cur:
            cur.execute(f"create table keep_{token} (v varchar(40)) engine=InnoDB")
            cur.execute(f"insert into keep_{token} values (%s)", (token,))
    finally:
        conn_my.close()
    client = redis.Redis.from_url(info["redis"]["url"])
    client.set(f"keep:{token}", token)
    client.close()
    producer = Producer({"bootstrap.servers": info["kafka"]["bootstrap"], "acks": "all"})
    producer.produce(topic, value=token.encode())
    assert producer.flush(30) == 0
    with GraphDatabase.driver(info["neo4j"]["url"], auth=_neo4j_auth(info["neo4j"])) as driver:
        driver.execute_query("CREATE (:Keep {token: $t})", t=token)
    _s3(info["minio"]).put_object(
        Bucket=info["minio"]["bucket"], Key=f"keep/{token}", Body=token.encode()
    )


def _mariadb_params(info: dict[str, str]) -> dict[str, Any]:
    keys = ("host", "user", "password", "database")
    return {"port": int(info["port"]), **{k: info[k] for k in keys}}


def _neo4j_auth(info: dict[str, str]) -> tuple[str, str] | None:
    return (info["user"], info["password"]) if info["password"] else None


def _s3(info: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=info["endpoint"],
        aws_access_key_id=info["user"],
        aws_secret_access_key=info["password"],
        region_name="us-east-1",
    )


def _read_kafka(bootstrap: str, topic: str) -> list[bytes]:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"keep-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
        }
    )
    values: list[bytes] = []
    try:
        consumer.assign([TopicPartition(topic, 0, 0)])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not values:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                values.append(msg.value())
    finally:
        consumer.close()
    return values


def test_data_survives_stop_and_start(isolated: Services) -> None:
    isolated.up(*PERSISTENT)
    info = {name: isolated.info(name) for name in PERSISTENT}
    token = uuid.uuid4().hex[:12]
    topic = f"keep-{token}"
    admin = AdminClient({"bootstrap.servers": info["kafka"]["bootstrap"]})
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(30)
    _write_all(token, info, topic)

    isolated.down(*PERSISTENT)
    status, code = isolated.status_report(*PERSISTENT)
    assert [line.split()[:2] for line in status] == [[name, "down"] for name in PERSISTENT]
    assert code == 1
    isolated.up(*PERSISTENT, force=True)
    status, code = isolated.status_report(*PERSISTENT)
    assert [line.split()[:2] for line in status] == [[name, "up"] for name in PERSISTENT]
    assert code == 0

    with psycopg.connect(info["postgres"]["url"], autocommit=True) as conn:
        assert conn.execute(f"select v from keep_{token}").fetchall() == [(token,)]
    conn_my = pymysql.connect(**_mariadb_params(info["mariadb"]), autocommit=True)
    try:
        with conn_my.cursor() as cur:
            cur.execute(f"select v from keep_{token}")
            assert cur.fetchall() == ((token,),)
    finally:
        conn_my.close()
    client = redis.Redis.from_url(info["redis"]["url"])
    assert client.get(f"keep:{token}") == token.encode()
    client.close()
    assert _read_kafka(info["kafka"]["bootstrap"], topic) == [token.encode()]
    with GraphDatabase.driver(info["neo4j"]["url"], auth=_neo4j_auth(info["neo4j"])) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (k:Keep {token: $t}) RETURN count(k) AS c", t=token
        )
    assert records[0]["c"] == 1
    body = _s3(info["minio"]).get_object(Bucket=info["minio"]["bucket"], Key=f"keep/{token}")
    assert body["Body"].read() == token.encode()


def test_up_is_idempotent_and_restarts_a_dead_service(isolated: Services) -> None:
    isolated.up("redis", force=True)
    pid_before = int(isolated.info("redis")["pid"])
    isolated.up("redis", force=True)  # already running: nothing happens
    assert int(isolated.info("redis")["pid"]) == pid_before
    os.kill(pid_before, signal.SIGKILL)
    isolated.up("redis", force=True)  # dead: started again, data kept
    pid_after = int(isolated.info("redis")["pid"])
    assert pid_after != pid_before
    client = redis.Redis.from_url(isolated.info("redis")["url"])
    assert client.ping() is True
    client.close()


def test_a_service_that_cannot_start_fails_with_the_reason(isolated: Services) -> None:
    """A port held by another program: the fixture fails (never skips) and says why."""
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        run_dir = f"{isolated.env['VITRINA_RUN_DIR']}/blocked"
        other = Services(
            env={**isolated.env, "VITRINA_RUN_DIR": run_dir, "VITRINA_REDIS_PORT": str(port)}
        )
        with pytest.raises(pytest.fail.Exception, match=f"port {port} is taken"):
            other.up("redis")
        assert other.status_code("redis") == 1
