"""The Redis serving store against the real Redis (started by infra/services.sh)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import pyarrow as pa
import pytest
import redis

from vitrina.serve import open_serving
from vitrina.serve.base import KEEP_VERSIONS
from vitrina.serve.model import RECS_SCHEMA, TOP_SCHEMA
from vitrina.serve.redisstore import RedisServingStore

pytestmark = pytest.mark.services("redis")


def _top(generation: int, n: int = 10) -> pa.Table:
    rows = [
        {
            "rank": i + 1,
            "product_id": generation * 1000 + i,
            "score": float(n - i),
            "clicks_5m": generation,
            "units_ordered": i,
        }
        for i in range(n)
    ]
    return pa.Table.from_pylist(rows, schema=TOP_SCHEMA)


def _recs(generation: int, users: int = 50, per_user: int = 5) -> pa.Table:
    rows = [
        {"user_id": u, "rank": r, "product_id": generation * 1000 + r, "score": 1.0 / r}
        for u in range(1, users + 1)
        for r in range(1, per_user + 1)
    ]
    return pa.Table.from_pylist(rows, schema=RECS_SCHEMA)


@pytest.fixture
def serving_url(redis_url: str) -> Iterator[str]:
    namespace = f"test_{uuid.uuid4().hex[:10]}"
    sep = "&" if "?" in redis_url else "?"
    yield f"{redis_url}{sep}namespace={namespace}"
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{namespace}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def _keys(url: str, pattern: str) -> list[str]:
    store = open_serving(url)
    assert isinstance(store, RedisServingStore)
    client = redis.Redis.from_url(url.split("?")[0])
    try:
        return sorted(k.decode() for k in client.scan_iter(match=f"{store.prefix}:{pattern}"))
    finally:
        client.close()
        store.close()


def test_publish_read_and_key_schema(serving_url: str) -> None:
    with open_serving(serving_url) as store:
        assert store.top_products() == []
        out = store.publish(_top(1), _recs(1))
        assert out.status == "published"
        assert (out.top_count, out.recs_users, out.recs_rows) == (10, 50, 250)
        assert [t.product_id for t in store.top_products(3)] == [1000, 1001, 1002]
        recs = store.recommendations(7)
        assert [(r.rank, r.product_id) for r in recs] == [(i, 1000 + i) for i in range(1, 6)]
        assert all(type(r.product_id) is int for r in recs)
        assert store.recommendations(10_000) == []
        version = out.version
    assert _keys(serving_url, "current") and _keys(serving_url, f"top_products:{version}")
    assert len(_keys(serving_url, f"recs:{version}:*")) == 50


def test_second_publish_of_same_content_is_a_no_op(serving_url: str) -> None:
    with open_serving(serving_url) as store:
        first = store.publish(_top(1), _recs(1))
        before = _keys(serving_url, "*")
        again = store.publish(_top(1), _recs(1))
        assert again.status == "unchanged" and again.version == first.version
        assert _keys(serving_url, "*") == before


def test_empty_input_keeps_the_previous_set(serving_url: str) -> None:
    with open_serving(serving_url) as store:
        first = store.publish(_top(1), _recs(1))
        kept = store.publish(_top(2, n=0), _recs(2, users=0))
        assert kept.status == "kept" and kept.version == first.version
        assert store.top_products(1)[0].product_id == 1000
        assert len(store.recommendations(1)) == 5


def test_switch_and_cleanup_of_old_versions(serving_url: str) -> None:
    with open_serving(serving_url) as store:
        versions = [store.publish(_top(g), _recs(g), now_ms=g * 1000).version for g in range(1, 5)]
        assert store.current_version() == versions[-1]
        assert store.versions() == versions[-KEEP_VERSIONS:]
        for old in versions[:-KEEP_VERSIONS]:
            assert _keys(serving_url, f"*{old}*") == []
        snap = store.snapshot()
        assert snap is not None and snap.version == versions[-1]
        assert snap.recs.num_rows == 250
        assert set(snap.recs.column("product_id").to_pylist()) == {4001, 4002, 4003, 4004, 4005}


def test_concurrent_readers_never_see_a_mixed_set(serving_url: str) -> None:
    with open_serving(serving_url) as writer:
        writer.publish(_top(1), _recs(1))
        stop = threading.Event()
        problems: list[str] = []
        counts = {"point": 0, "snapshot": 0}

        def point_reader() -> None:
            with open_serving(serving_url) as reader:
                while not stop.is_set():
                    recs = reader.recommendations(3)
                    gens = {r.product_id // 1000 for r in recs}
                    if len(recs) != 5 or len(gens) != 1:
                        problems.append(f"recs {recs}")
                    top = reader.top_products(10)
                    if len(top) != 10 or len({t.product_id // 1000 for t in top}) != 1:
                        problems.append(f"top {top}")
                    counts["point"] += 1

        def snapshot_reader() -> None:
            with open_serving(serving_url) as reader:
                while not stop.is_set():
                    snap = reader.snapshot()
                    assert snap is not None
                    gens = {p // 1000 for p in snap.top.column("product_id").to_pylist()}
                    gens |= {p // 1000 for p in snap.recs.column("product_id").to_pylist()}
                    if len(gens) != 1 or snap.recs.num_rows != 250:
                        problems.append(f"snapshot {snap.version} {gens} {snap.recs.num_rows}")
                    counts["snapshot"] += 1

        threads = [threading.Thread(target=point_reader), threading.Thread(target=snapshot_reader)]
        for t in threads:
            t.start()
        try:
            for g in range(2, 30):
                writer.publish(_top(g), _recs(g), now_ms=g * 1000)
        finally:
            stop.set()
            for t in threads:
                t.join()
    assert problems == []
    assert counts["point"] > 0 and counts["snapshot"] > 0


@pytest.mark.services("redis", "postgres")
def test_publish_from_postgres_warehouse_to_redis(
    serving_url: str, postgres_url: str, tmp_path: Path
) -> None:
    """The stack path: PostgreSQL warehouse -> chdb marts -> Redis serving, same answers."""
    import psycopg

    from tests.unit.marts.warehouse_fixture import EXPECTED_RECS, build_warehouse
    from vitrina.config import load_settings
    from vitrina.marts.publish import run_publish
    from vitrina.warehouse import open_warehouse

    stack_pg = urlsplit(postgres_url)
    scratch = f"vitrina_serving_{uuid.uuid4().hex[:8]}"
    pg_url = urlunsplit(stack_pg._replace(path=f"/{scratch}"))
    with psycopg.connect(urlunsplit(stack_pg), autocommit=True) as admin:
        admin.execute(f"create database {scratch}")
    try:
        local = duckdb.connect(build_warehouse(tmp_path / "wh.duckdb").removeprefix("duckdb://"))
        with open_warehouse(pg_url) as pg:
            relations = "select table_schema, table_name from information_schema.tables"
            for schema, name in local.sql(relations).fetchall():
                table = local.sql(f"select * from {schema}.{name}").to_arrow_table()
                pg.ensure_table(schema, name, table.schema)
                pg.load_arrow(schema, name, table)
        local.close()
        settings = load_settings(
            data_dir=tmp_path,
            environ={},
            cwd=tmp_path,
            overrides={
                "backends": {
                    "warehouse": pg_url,
                    "marts": f"chdb://{tmp_path}/marts",
                    "serving": serving_url,
                }
            },
        )
        first = run_publish(settings)
        assert first.serving.status == "published"
        assert [m.rows for m in first.marts] == [2, 2, 4, 3, 5, 3, 2, 5]
        assert run_publish(settings).serving.status == "unchanged"
        with open_serving(serving_url) as store:
            assert [t.product_id for t in store.top_products(10)] == [20, 10, 11, 21]
            for user_id, expected in EXPECTED_RECS.items():
                got = [(r.rank, r.product_id, r.score) for r in store.recommendations(user_id)]
                assert got == expected
    finally:
        with psycopg.connect(urlunsplit(stack_pg), autocommit=True) as admin:
            admin.execute(f"drop database if exists {scratch} with (force)")
