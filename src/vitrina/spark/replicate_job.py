"""Replication reads on the Spark cluster: JDBC from PostgreSQL partitioned by key, staged in MySQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from vitrina.contracts.registry import contract_for
from vitrina.contracts.storage import field_kinds
from vitrina.replicate.replicas import MySQLReplica, mysql_params
from vitrina.replicate.sources import window_literal_sql
from vitrina.source import UPDATED_AT
from vitrina.spark.command import CLUSTER_CONF, cluster_master

__all__ = [
    "CLUSTER_CONF",
    "DEFAULT_MASTER",
    "SparkTableLoader",
    "cluster",
    "cluster_session",
    "jdbc_urls",
    "mysql_jdbc",
]

log = logging.getLogger(__name__)
DEFAULT_MASTER: Final = "spark://127.0.0.1:7077"
# Two workers of one core each: four partitions keep both busy without tiny tasks.
PARTITIONS: Final = 4


def cluster_session(master: str, jars_cache: Path, *, app: str = "vitrina-replicate") -> Any:
    """A Spark session on ``master`` with the JDBC drivers, in UTC, with small executors."""
    from pyspark.sql import SparkSession

    from vitrina.spark.jars import jdbc_driver_jars

    jars = jdbc_driver_jars(jars_cache)
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.jars", ",".join(str(j) for j in jars))
    )
    for key, value in CLUSTER_CONF.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


@contextmanager
def cluster(master: str, *, app: str) -> Iterator[Any]:
    """A session on the cluster at ``master`` for one job, stopped afterwards."""
    from vitrina.spark.jars import JARS_CACHE

    spark = cluster_session(cluster_master(master), JARS_CACHE, app=app)
    try:
        yield spark
    finally:
        spark.stop()


def jdbc_urls(source_url: str, replica_url: str) -> tuple[str, dict[str, str], str, dict[str, str]]:
    """(source JDBC URL, its properties, replica JDBC URL, its properties)."""
    from urllib.parse import unquote, urlsplit

    s = urlsplit(source_url.replace("postgresql+psycopg://", "postgresql://"))
    src = f"jdbc:postgresql://{s.hostname}:{s.port or 5432}{s.path}"
    src_props = {
        "user": unquote(s.username or ""),
        "password": unquote(s.password or ""),
        "driver": "org.postgresql.Driver",
    }
    return (src, src_props, *mysql_jdbc(replica_url))


def mysql_jdbc(replica_url: str) -> tuple[str, dict[str, str]]:
    """(JDBC URL, its properties) of a mysql:// replica, for the MariaDB driver."""
    p = mysql_params(replica_url)
    # The jdbc:mysql scheme selects Spark's MySQL dialect (backquoted names); the MariaDB
    # driver accepts it with permitMysqlScheme.
    url = f"jdbc:mysql://{p['host']}:{p['port']}/{p['database']}?permitMysqlScheme"
    return url, {"user": p["user"], "password": p["password"], "driver": "org.mariadb.jdbc.Driver"}


class SparkTableLoader:
    """Reads a table's changed rows on the cluster and writes them to a staging table."""

    def __init__(self, spark: Any, source_url: str, replica_url: str, replica: MySQLReplica):
        import psycopg

        self.spark, self.replica = spark, replica
        self.src, self.src_props, self.dst, self.dst_props = jdbc_urls(source_url, replica_url)
        self.con = psycopg.connect(source_url.replace("postgresql+psycopg://", "postgresql://"))
        self.con.autocommit = True

    def stage(self, table: str, since: datetime | None, until: datetime) -> str | None:
        """The staging table holding the rows changed in the window (None: nothing changed)."""
        where = window_literal_sql(UPDATED_AT, since, until)
        row = self.con.execute(
            f"select count(*), min({_part(table)}), max({_part(table)}) from {table} where {where}"
        ).fetchone()
        assert row is not None
        count, low, high = row
        if not count:
            return None
        cols = [*(n for n, _ in field_kinds(table)), UPDATED_AT]
        query = f"(select {', '.join(cols)} from {table} where {where}) as changed"
        options: dict[str, Any] = {"fetchsize": "10000"}
        if _int_key(table) and high > low:
            options |= {
                "partitionColumn": _part(table),
                "lowerBound": str(low),
                "upperBound": str(high + 1),
                "numPartitions": str(min(PARTITIONS, count)),
            }
        frame = (
            self.spark.read.format("jdbc")
            .option("url", self.src)
            .option("dbtable", query)
            .options(**self.src_props, **options)
            .load()
        )
        stage = f"_stage_{table}"
        self.replica.prepare_stage(table, stage)
        (
            frame.write.format("jdbc")
            .option("url", self.dst)
            .option("dbtable", stage)
            .option("batchsize", "10000")
            .options(**self.dst_props)
            .mode("append")
            .save()
        )
        log.info("spark staged %d rows of %s", count, table)
        return stage

    def merge(self, table: str, stage: str) -> int:
        return self.replica.merge_stage(table, stage)

    def close(self) -> None:
        self.con.close()


def _part(table: str) -> str:
    return contract_for(table).key_columns()[0]


def _int_key(table: str) -> bool:
    keys = contract_for(table).key_columns()
    kinds = dict(field_kinds(table))
    return len(keys) == 1 and kinds[keys[0]] == "int"
