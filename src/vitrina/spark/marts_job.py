"""The four e-commerce marts on the Spark cluster, from the MariaDB replica back into it.

The same semantics as the dbt models ``transform/models/marts/shop/mart_*.sql``: the replica's
tables are read over JDBC (partitioned by key), the marts are the dbt models' SQL in Spark SQL,
with their column names and types (``_shop.yml``), and money rounds half up to 2 decimals
exactly as the ``round_div_2dp`` macro does (integer arithmetic on cents, no floating point).

Each mart is written to a staging table first and swapped in with one ``RENAME TABLE``
(atomic in MariaDB and MySQL): a reader sees the previous mart or the new one, never a
half-written one, and a job killed mid-way leaves the published marts as they were.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Final

from vitrina.errors import PipelineError
from vitrina.replicate.replicas import mysql_params
from vitrina.spark.replicate_job import PARTITIONS, mysql_jdbc

__all__ = ["MART_COLUMNS", "MartsReport", "mart_sql", "mysql_mart_ddl", "run_marts"]

log = logging.getLogger(__name__)

# Each mart's columns and their types, as published by dbt (transform/models/marts/shop/_shop.yml).
MART_COLUMNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "mart_user_activity": (
        ("user_id", "bigint"),
        ("first_name", "varchar"),
        ("last_name", "varchar"),
        ("status", "varchar"),
        ("order_count", "bigint"),
        ("total_spent", "decimal(18, 2)"),
    ),
    "mart_product_rating": (
        ("product_id", "bigint"),
        ("name", "varchar"),
        ("rating", "decimal(5, 2)"),
        ("review_count", "bigint"),
    ),
    "mart_user_loyalty_points": (
        ("user_id", "bigint"),
        ("first_name", "varchar"),
        ("last_name", "varchar"),
        ("loyalty_status", "varchar"),
        ("total_loyalty_points", "bigint"),
    ),
    "mart_average_check": (
        ("status", "varchar"),
        ("loyalty_status", "varchar"),
        ("average_check", "decimal(18, 2)"),
        ("order_count", "bigint"),
    ),
}

# The replica's columns each mart reads, by table (its key first: the partitioning column).
INPUTS: Final[dict[str, tuple[str, ...]]] = {
    "users": ("user_id", "first_name", "last_name", "loyalty_status"),
    "orders": ("order_id", "user_id", "status", "total_amount"),
    "products": ("product_id", "name"),
    "reviews": ("review_id", "product_id", "rating"),
    "loyalty_points": ("loyalty_id", "user_id", "points"),
}


def _round_div_2dp(numerator: str, denominator: str) -> str:
    """The dbt macro ``round_div_2dp`` in Spark SQL: half up to cents, NULL over zero."""
    num = f"2 * cast(round(({numerator}) * 100) as bigint) + cast({denominator} as bigint)"
    return (
        f"case when ({denominator}) = 0 then null else "
        f"cast(cast(({num}) div (2 * cast({denominator} as bigint)) as decimal(18, 0)) * 0.01 "
        "as decimal(18, 2)) end"
    )


_SQL: Final[dict[str, str]] = {
    "mart_user_activity": """
        with per_status as (
            select user_id, status as order_status, count(*) as order_count,
                   sum(total_amount) as total_spent
            from orders group by user_id, status
        )
        select u.user_id, u.first_name, u.last_name, s.order_status as status,
               coalesce(s.order_count, 0) as order_count,
               coalesce(s.total_spent, 0) as total_spent
        from users as u left join per_status as s on s.user_id = u.user_id
    """,
    "mart_product_rating": f"""
        with per_product as (
            select product_id, sum(rating) as rating_sum, count(*) as review_count
            from reviews group by product_id
        )
        select p.product_id, p.name,
               {_round_div_2dp("coalesce(r.rating_sum, 0)", "coalesce(r.review_count, 0)")}
                   as rating,
               coalesce(r.review_count, 0) as review_count
        from products as p left join per_product as r on r.product_id = p.product_id
    """,
    "mart_user_loyalty_points": """
        with per_user as (
            select user_id, sum(points) as total_points from loyalty_points group by user_id
        )
        select u.user_id, u.first_name, u.last_name, u.loyalty_status,
               coalesce(p.total_points, 0) as total_loyalty_points
        from users as u left join per_user as p on p.user_id = u.user_id
    """,
    "mart_average_check": f"""
        with per_group as (
            select o.status as order_status, u.loyalty_status,
                   sum(o.total_amount) as amount_sum, count(*) as order_count
            from orders as o inner join users as u on u.user_id = o.user_id
            group by o.status, u.loyalty_status
        )
        select order_status as status, loyalty_status,
               {_round_div_2dp("amount_sum", "order_count")} as average_check, order_count
        from per_group
    """,
}


def mart_sql(mart: str) -> str:
    """The mart's Spark SQL, cast to the published column types, in the published order."""
    cols = ", ".join(
        f"cast({name} as {_spark_type(kind)}) as {name}" for name, kind in MART_COLUMNS[mart]
    )
    return f"select {cols} from ({_SQL[mart]}) as m"


def _spark_type(kind: str) -> str:
    return "string" if kind == "varchar" else kind


def _mysql_type(kind: str) -> str:
    # MariaDB's unbounded string type; the warehouse's varchar has no length either.
    return "text" if kind == "varchar" else kind


def mysql_mart_ddl(mart: str, table: str) -> str:
    """``create table`` for ``mart`` named ``table`` in MariaDB/MySQL."""
    cols = ", ".join(f"{name} {_mysql_type(kind)}" for name, kind in MART_COLUMNS[mart])
    return f"create table {table} ({cols})"


@dataclass
class MartsReport:
    """Rows written per mart, and how long the job took."""

    rows_by_mart: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def rows(self) -> list[tuple[str, str]]:
        out = [(f"mart.{name}", f"{n:,} rows") for name, n in self.rows_by_mart.items()]
        return [("engine", "spark"), *out, ("elapsed", f"{self.elapsed_s:.2f} s")]


def run_marts(spark: Any, replica_url: str) -> MartsReport:
    """Compute every mart from the replica on ``spark`` and swap each in atomically."""
    import pymysql  # type: ignore[import-untyped]  # optional extra: vitrina[mysql]

    t0 = time.perf_counter()
    url, props = mysql_jdbc(replica_url)
    con = pymysql.connect(**mysql_params(replica_url), autocommit=True, charset="utf8mb4")
    report = MartsReport()
    try:
        for table, columns in INPUTS.items():
            _read(spark, con, url, props, table, columns).createOrReplaceTempView(table)
        for mart in MART_COLUMNS:
            report.rows_by_mart[mart] = _publish(spark.sql(mart_sql(mart)), con, url, props, mart)
    finally:
        con.close()
    report.elapsed_s = time.perf_counter() - t0
    return report


def _read(
    spark: Any, con: Any, url: str, props: dict[str, str], table: str, columns: tuple[str, ...]
) -> Any:
    """The replica table's columns, read in key ranges by the workers when it has rows."""
    import pymysql

    key = columns[0]
    with con.cursor() as cur:
        try:
            cur.execute(f"select count(*), min({key}), max({key}) from {table}")
        except pymysql.err.ProgrammingError as exc:  # 1146: no such table
            raise PipelineError(
                f"the replica has no table {table}: run `vitrina replicate` first"
            ) from exc
        count, low, high = cur.fetchone()
    options: dict[str, str] = {"fetchsize": "10000"}
    if count and high > low:
        options |= {
            "partitionColumn": key,
            "lowerBound": str(low),
            "upperBound": str(high + 1),
            "numPartitions": str(min(PARTITIONS, count)),
        }
    query = f"(select {', '.join(columns)} from {table}) as t"
    reader = spark.read.format("jdbc").option("url", url).option("dbtable", query)
    return reader.options(**props, **options).load()


def _publish(frame: Any, con: Any, url: str, props: dict[str, str], mart: str) -> int:
    """Write ``frame`` to a staging table, then swap it in with one RENAME TABLE."""
    stage, old = f"_stage_{mart}", f"_old_{mart}"
    with con.cursor() as cur:
        cur.execute(f"drop table if exists {stage}, {old}")
        cur.execute(mysql_mart_ddl(mart, stage))
    frame.write.format("jdbc").option("url", url).option("dbtable", stage).option(
        "batchsize", "10000"
    ).options(**props).mode("append").save()
    with con.cursor() as cur:
        cur.execute(f"select count(*) from {stage}")
        (rows,) = cur.fetchone()
        cur.execute(
            "select count(*) from information_schema.tables where table_schema = "
            "database() and table_name = %s",
            [mart],
        )
        (exists,) = cur.fetchone()
        if exists:
            cur.execute(f"rename table {mart} to {old}, {stage} to {mart}")
            cur.execute(f"drop table {old}")
        else:
            cur.execute(f"rename table {stage} to {mart}")
    log.info("spark mart %s: %d rows", mart, rows)
    return int(rows)
