"""Fresh PostgreSQL source and MariaDB replica databases, and row-by-row comparison of them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import psycopg
import pyarrow as pa
import pymysql

from vitrina.bench.replicate import fill_source, scratch_databases
from vitrina.replicate.replicas import mysql_params, open_replica
from vitrina.replicate.verify import differing_rows, source_rows
from vitrina.simulate.shop.churn import shop_changes
from vitrina.source import ENTITY_TABLES, open_source
from vitrina.spark.marts_job import MART_COLUMNS

SHOP = ("users", "categories", "products", "orders", "order_details", "reviews", "loyalty_points")


# (source URL, replica URL) of two new empty databases, dropped afterwards.
databases = scratch_databases


def fill_shop(source_url: str, extra_points: int = 0) -> None:
    """The tiny shop, plus ``extra_points`` loyalty rows to make a run last a few seconds."""
    fill_source(source_url, "tiny", seed=21)
    source = open_source(source_url)
    if extra_points:
        first = 1_000_000
        ids = pa.array(range(first, first + extra_points), pa.int64())
        source.apply_changes(
            {
                "loyalty_points": pa.table(
                    {
                        "loyalty_id": ids,
                        "user_id": pa.array([1] * extra_points, pa.int64()),
                        "points": pa.array([10] * extra_points, pa.int64()),
                        "reason": ["bulk"] * extra_points,
                        "created_at": pa.array(
                            [1_767_225_600_000] * extra_points, pa.timestamp("ms", tz="UTC")
                        ),
                    }
                )
            },
            {},
        )
    source.close()


def churn(source_url: str, step: int) -> None:
    source = open_source(source_url)
    tables = {t: source.read_table(t) for t in SHOP}
    upserts, deletes = shop_changes(
        tables, seed=9, step=step, at_ms=1_767_229_200_000 + step * 60_000
    )
    source.apply_changes(upserts, deletes)
    source.close()


def mismatches(
    source_url: str, replica_url: str, tables: tuple[str, ...] = ENTITY_TABLES
) -> dict[str, int]:
    """Per table: rows missing, extra or different in the replica (all 0: the same rows)."""
    con = psycopg.connect(source_url)
    con.execute("set time zone 'UTC'")
    replica = open_replica(replica_url)
    out = {}
    for table in tables:
        out[table] = differing_rows(table, source_rows(con, table), replica.rows(table))
    con.close()
    replica.close()
    return out


def marks(replica_url: str) -> dict[str, Any]:
    """The replica's high-water marks by table."""
    con = pymysql.connect(**mysql_params(replica_url))
    with con.cursor() as cur:
        cur.execute("select table_name, high_water_at from replication_state")
        out = dict(cur.fetchall())
    con.close()
    return out


def _cell(value: Any) -> Any:
    """Money to 2 decimals; everything else as it is."""
    return value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(_cell(v) for v in r) for r in rows), key=repr)


def dbt_mart_rows(warehouse: str, mart: str) -> list[tuple[Any, ...]]:
    """The dbt mart's rows in the PostgreSQL warehouse (the Spark mart's columns), sorted."""
    cols = ", ".join(name for name, _ in MART_COLUMNS[mart])
    with psycopg.connect(warehouse) as con:
        return _sorted(con.execute(f"select {cols} from marts.{mart}").fetchall())


def mart_rows(replica: str, mart: str) -> list[tuple[Any, ...]]:
    """The Spark mart's rows in the MariaDB replica, sorted."""
    cols = ", ".join(name for name, _ in MART_COLUMNS[mart])
    con = pymysql.connect(**mysql_params(replica))
    with con.cursor() as cur:
        cur.execute(f"select {cols} from {mart}")
        rows = list(cur.fetchall())
    con.close()
    return _sorted(rows)
