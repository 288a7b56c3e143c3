"""The spark engine on the standalone cluster gives the same replica as the python engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pymysql
import pytest

from tests.integration.replication_support import SHOP, churn, databases, fill_shop, mismatches
from tests.support.spark import shutdown_jvm
from vitrina.replicate import replicate
from vitrina.replicate.replicas import mysql_params, open_replica
from vitrina.replicate.verify import row_checksums
from vitrina.spark.jars import JARS_CACHE
from vitrina.spark.replicate_job import cluster_session

pytestmark = pytest.mark.services("postgres", "mariadb", "spark")


@pytest.fixture(scope="module")
def spark(services: Any) -> Iterator[Any]:
    """One session on the cluster for the module (sessions are slow to start)."""
    master = services.ensure("spark")["url"]
    session = cluster_session(master, JARS_CACHE)
    yield session
    session.stop()
    shutdown_jvm()


def _replica_checksums(url: str) -> dict[str, dict[str, str]]:
    replica = open_replica(url)
    out = {t: row_checksums(t, replica.rows(t)) for t in SHOP}
    replica.close()
    return out


def test_spark_and_python_replicas_are_identical(
    spark: Any, postgres_url: str, mariadb_url: str
) -> None:
    with databases(postgres_url, mariadb_url) as (source, by_spark):
        by_python = by_spark + "_py"
        con = pymysql.connect(**mysql_params(mariadb_url), autocommit=True)
        con.cursor().execute(f"create database {by_python.rpartition('/')[2]}")
        try:
            fill_shop(source)
            for step in (0, 1):
                if step:
                    churn(source, step)
                s = replicate(source, by_spark, engine="spark", spark=spark, tables=SHOP)
                p = replicate(source, by_python, tables=SHOP)
                assert s.engine == "spark" and s.upserted == p.upserted > 0
                assert s.deleted == p.deleted
                assert mismatches(source, by_spark, SHOP) == dict.fromkeys(SHOP, 0)
                assert _replica_checksums(by_spark) == _replica_checksums(by_python)
        finally:
            con.cursor().execute(f"drop database if exists {by_python.rpartition('/')[2]}")
            con.close()
