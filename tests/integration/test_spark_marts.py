"""`vitrina run --engine spark` on the stack: the Spark marts in MariaDB equal dbt's, row for row.

One run of the whole job on the real services (a tiny shop, its own databases and topics):
simulate -> stream -> ingest -> graph -> transform (dbt, PostgreSQL warehouse) -> publish,
then replicate (PostgreSQL source -> MariaDB replica on the cluster) -> spark_marts (the four
e-commerce marts computed on the cluster from the replica, written back to MariaDB). The
dbt marts and the Spark marts come from the same source rows, so they must be equal: every
row, every column, money to 2 decimals.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pymysql
import pytest

from tests.integration.replication_support import databases, dbt_mart_rows, mart_rows
from tests.support.spark import shutdown_jvm
from vitrina.cli import main
from vitrina.config import load_settings
from vitrina.pipelines import spark_marts
from vitrina.replicate.replicas import mysql_params
from vitrina.spark.marts_job import MART_COLUMNS

# A whole stack run, then two jobs on the shared 2-core cluster: minutes under load.
pytestmark = [
    pytest.mark.services("postgres", "mariadb", "kafka", "redis", "spark"),
    pytest.mark.timeout(1800),
]


@pytest.fixture(scope="module")
def warehouse(postgres_url: str) -> Iterator[str]:
    name = f"vitrina_sm_{uuid.uuid4().hex[:8]}_wh"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    yield f"{postgres_url.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="module")
def spark_run(
    tmp_path_factory: pytest.TempPathFactory,
    warehouse: str,
    postgres_url: str,
    mariadb_url: str,
    kafka_bootstrap: str,
    kafka_topic: Callable[..., str],
    redis_url: str,
    services: Any,
) -> Iterator[tuple[str, str, str]]:
    """(the run's stderr, the warehouse URL, the replica URL) after one run."""
    mp = pytest.MonkeyPatch()
    with databases(postgres_url, mariadb_url) as (source, replica):
        env = {
            "BACKENDS_SOURCE": source,
            "BACKENDS_REPLICA": replica,
            "BACKENDS_WAREHOUSE": warehouse,
            "BACKENDS_EVENTLOG": f"kafka://{kafka_bootstrap}",
            "BACKENDS_SERVING": redis_url.rsplit("/", 1)[0] + "/12",
            "BACKENDS_SPARK": services.ensure("spark")["url"],
            "KAFKA_CLICKS_TOPIC": kafka_topic(partitions=2, prefix="sm-clicks"),
            "KAFKA_REGISTRATIONS_TOPIC": kafka_topic(partitions=1, prefix="sm-regs"),
            "KAFKA_OUTPUT_TOPIC": f"sm-out-{uuid.uuid4().hex[:8]}",
        }
        for key, value in env.items():
            mp.setenv(f"VITRINA_{key}", value)
        data = tmp_path_factory.mktemp("spark-run")
        err = _run(data)
        mp.undo()
        yield err, warehouse, replica
    shutdown_jvm()


def _run(data: Path) -> str:
    import contextlib
    import io

    args = ["--profile", "stack", "--data-dir", str(data), "run", "--engine", "spark"]
    args += ["--domain", "shop", "--scale", "tiny", "--duration", "3h", "--seed", "5"]
    args += ["--start", "2026-11-02T00:00:00Z"]
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        code = main(args)
    assert code == 0, buffer.getvalue()[-3000:]
    return buffer.getvalue()


def test_run_reports_the_spark_steps(spark_run: tuple[str, str, str]) -> None:
    err, _, _ = spark_run
    assert "▶ replicate" in err and "▶ spark_marts" in err
    assert "mart_average_check" in err


@pytest.mark.parametrize("mart", sorted(MART_COLUMNS))
def test_spark_mart_equals_the_dbt_mart(spark_run: tuple[str, str, str], mart: str) -> None:
    _, warehouse, replica = spark_run
    dbt, spark = dbt_mart_rows(warehouse, mart), mart_rows(replica, mart)
    assert len(dbt) >= 3
    assert spark == dbt


def test_a_rebuild_swaps_each_mart_in_whole(spark_run: tuple[str, str, str], services: Any) -> None:
    """Readers polling a mart while the job rebuilds it only ever see the whole mart."""
    _, _, replica = spark_run
    mart = "mart_user_activity"
    whole = len(mart_rows(replica, mart))
    seen: list[Any] = []
    done = threading.Event()

    def poll() -> None:
        con = pymysql.connect(**mysql_params(replica), autocommit=True)
        while not done.is_set():
            with con.cursor() as cur:
                try:
                    cur.execute(f"select count(*) from {mart}")
                    seen.append(cur.fetchone()[0])
                except pymysql.Error as exc:
                    seen.append(str(exc))
        con.close()

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        settings = load_settings(
            environ={},
            profile="stack",
            overrides={"backends": {"replica": replica, "spark": services.ensure("spark")["url"]}},
        )
        report = spark_marts.run(settings)
    finally:
        done.set()
        reader.join()
    assert report.rows_by_mart[mart] == whole
    assert len(seen) > 10 and set(seen) == {whole}


def test_marts_have_dbt_types_and_no_staging_left(spark_run: tuple[str, str, str]) -> None:
    _, _, replica = spark_run
    con = pymysql.connect(**mysql_params(replica))
    with con.cursor() as cur:
        cur.execute(
            "select column_name, column_type from information_schema.columns "
            "where table_schema = database() and table_name = 'mart_product_rating' "
            "order by ordinal_position"
        )
        columns = list(cur.fetchall())
        cur.execute(
            "select count(*) from information_schema.tables where table_schema = database() "
            "and (table_name like '\\_stage\\_mart%%' or table_name like '\\_old\\_mart%%')"
        )
        (leftovers,) = cur.fetchone()
    con.close()
    assert columns == [
        ("product_id", "bigint(20)"),
        ("name", "text"),
        ("rating", "decimal(5,2)"),
        ("review_count", "bigint(20)"),
    ]
    assert leftovers == 0
