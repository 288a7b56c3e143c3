"""The warehouse on the real PostgreSQL: binary COPY, ingest idempotency, dbt marts equal to DuckDB's."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg
import pyarrow as pa
import pytest

from tests.support.digests import table_digests
from tests.support.warehouse_suite import WarehouseSuite
from vitrina.config import Settings, load_settings
from vitrina.ingest import run_ingest
from vitrina.warehouse import Warehouse, open_warehouse
from vitrina.warehouse.transform import run_transform

pytestmark = pytest.mark.services("postgres")

WORLD = Path(__file__).resolve().parents[1] / "unit" / "transform" / "world"
MARTS = {
    "top_products": "rank",
    "popular_products": "product_id",
    "orders_facts": "product_id",
    "mart_user_activity": "user_id, status",
    "mart_product_rating": "product_id",
    "mart_user_loyalty_points": "user_id",
    "mart_average_check": "status, loyalty_status",
    "dim_products": "product_id",
    "dim_user_loyalty_history": "user_id, version",
    "fct_orders": "order_id",
    "fct_order_lines": "order_line_id",
    "fct_clicks": "event_id",
    "fct_reviews": "review_id",
    "fct_loyalty_points": "loyalty_entry_id",
    "dim_dates": "date_day",
}


@pytest.fixture(scope="module")
def warehouse_url(postgres_url: str) -> Iterator[str]:
    """A fresh database on the test server for this module, dropped afterwards."""
    name = f"vitrina_wh_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    parts = urlsplit(postgres_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture()
def wh(warehouse_url: str) -> Iterator[Warehouse]:
    w = open_warehouse(warehouse_url)
    schema = f"t_{uuid.uuid4().hex[:8]}"
    w.ensure_schema(schema)
    w.schema_for_test = schema  # type: ignore[attr-defined]
    yield w
    w.execute(f'drop schema "{schema}" cascade')
    w.close()


def _sample(n: int) -> pa.Table:
    rng = np.random.default_rng(7)
    return pa.table(
        {
            "event_id": pa.array([f"event-{i:09d}" for i in range(n)]),
            "user_id": pa.array(rng.integers(1, 10_000, n)),
            "product_id": pa.array(rng.integers(1, 5_000, n)),
            "event_type": pa.array(rng.choice(["view", "click", "add_to_cart"], n)),
            "ts": pa.array((1_795_349_040_000 + np.arange(n) * 7).astype("datetime64[ms]")),
            "price": pa.array(
                [Decimal(int(c)).scaleb(-2) for c in rng.integers(1, 1_000_000, n)],
                pa.decimal128(12, 2),
            ),
        }
    )


@pytest.fixture()
def schema(wh: Warehouse) -> str:
    return str(wh.schema_for_test)  # type: ignore[attr-defined]


class TestPostgresWarehouse(WarehouseSuite):
    """The shared warehouse suite on PostgreSQL (loads go through binary COPY)."""


def test_binary_copy_is_much_faster_than_executemany(wh: Warehouse, warehouse_url: str) -> None:
    schema = wh.schema_for_test  # type: ignore[attr-defined]
    big, small = _sample(200_000), _sample(10_000)
    wh.ensure_table(schema, "bulk", big.schema)
    started = time.perf_counter()
    wh.load_arrow(schema, "bulk", big)
    copy_rate = big.num_rows / (time.perf_counter() - started)
    rows = list(zip(*[c.to_pylist() for c in small.columns], strict=True))
    with psycopg.connect(warehouse_url) as con, con.cursor() as cur:
        started = time.perf_counter()
        cur.executemany(f'insert into "{schema}".bulk values (%s, %s, %s, %s, %s, %s)', rows)
        con.commit()
        many_rate = small.num_rows / (time.perf_counter() - started)
    print(
        f"\nPostgreSQL load: binary COPY {copy_rate:,.0f} rows/s, executemany {many_rate:,.0f} rows/s"
    )
    assert wh.table_rows(schema, "bulk") == 210_000
    assert copy_rate > 4 * many_rate


def _settings(tmp_path: Path, warehouse: str | None = None) -> Settings:
    overrides = {"backends": {"warehouse": warehouse}} if warehouse else {}
    return load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path, overrides=overrides)


def _marts(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        return {
            m: wh.query_arrow(f"select * from marts.{m} order by {o}").to_pylist()
            for m, o in MARTS.items()
        }
    finally:
        wh.close()


def test_ingest_and_dbt_on_postgres_give_the_same_marts_as_duckdb(
    tmp_path: Path, warehouse_url: str
) -> None:
    pg = _settings(tmp_path / "pg", warehouse_url)
    duck = _settings(tmp_path / "duck")
    pg_report = run_ingest(pg, from_dir=WORLD)
    duck_report = run_ingest(duck, from_dir=WORLD)
    assert pg_report.entities == duck_report.entities
    assert pg_report.counts("clicks").loaded == 21

    before = table_digests(pg)
    again = run_ingest(pg, from_dir=WORLD)
    assert table_digests(pg) == before  # re-ingesting the same files changes no table
    assert again.counts("clicks").loaded == 0

    pg_build = run_transform(pg)
    duck_build = run_transform(duck)
    assert (pg_build.target, duck_build.target) == ("postgres", "duckdb")
    assert pg_build.tests_failed == 0 and pg_build.tests_passed == duck_build.tests_passed
    print(f"\ndbt build: PostgreSQL {pg_build.seconds:.1f} s, DuckDB {duck_build.seconds:.1f} s")

    on_pg, on_duck = _marts(pg), _marts(duck)
    for name in MARTS:
        assert on_pg[name] == on_duck[name], name
    assert [(r["rank"], r["product_id"]) for r in on_pg["top_products"]] == [
        (1, 10), (2, 12), (3, 15), (4, 16), (5, 11), (6, 14),
    ]  # fmt: skip
    assert on_pg["mart_average_check"][2] == {
        "status": "delivered",
        "loyalty_status": "Silver",
        "average_check": Decimal("10.03"),
        "order_count": 2,
    }
