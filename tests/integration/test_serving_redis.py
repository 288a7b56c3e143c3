"""The Redis serving store against the real Redis: the shared serving suite, and the stack path."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import pytest
import redis

from tests.support.serving import RECS_USERS, ServingSuite
from tests.support.warehouse import (
    EXPECTED_RECS,
    build_warehouse,
    cached_manifest,
    install_manifest,
)
from vitrina.serve import open_serving
from vitrina.serve.redisstore import RedisServingStore

pytestmark = pytest.mark.services("redis")


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


class TestRedisServing(ServingSuite):
    def stored(self, url: str) -> list[str]:
        return _keys(url, "*")

    def assert_layout(self, url: str, version: str) -> None:
        assert _keys(url, "current") and _keys(url, f"top_products:{version}")
        assert len(_keys(url, f"recs:{version}:*")) == RECS_USERS


# Rows per published table of the tiny test warehouse (the same on DuckDB).
_EXPECTED_ROWS = {
    "popular_products": 2,
    "orders_facts": 2,
    "top_products": 4,
    "mart_user_activity": 3,
    "mart_product_rating": 5,
    "mart_user_loyalty_points": 3,
    "mart_average_check": 2,
    "dim_products": 5,
}


@pytest.mark.services("redis", "postgres")
def test_publish_from_postgres_warehouse_to_redis(
    serving_url: str, postgres_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The stack path: PostgreSQL warehouse -> chdb marts -> Redis serving, same answers."""
    import psycopg

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
        install_manifest(cached_manifest(request.config), tmp_path)  # what transform leaves
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
        rows = {m.name: m.rows for m in first.marts}
        assert {k: rows[k] for k in _EXPECTED_ROWS} == _EXPECTED_ROWS
        assert run_publish(settings).serving.status == "unchanged"
        with open_serving(serving_url) as store:
            assert [t.product_id for t in store.top_products(10)] == [20, 10, 11, 21]
            for user_id, expected in EXPECTED_RECS.items():
                got = [(r.rank, r.product_id, r.score) for r in store.recommendations(user_id)]
                assert got == expected
    finally:
        with psycopg.connect(urlunsplit(stack_pg), autocommit=True) as admin:
            admin.execute(f"drop database if exists {scratch} with (force)")
