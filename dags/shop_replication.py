"""Hourly shop replication and e-commerce marts on the Spark cluster: replicate → spark_marts.

- **replicate** copies what changed in the OLTP source (PostgreSQL: rows by `updated_at`,
  deletions by tombstone) into the MariaDB replica, with JDBC reads partitioned by key on the
  workers; per-table high-water marks are written with the rows, so a killed run is finished
  by the next one and nothing is lost or doubled.
- **spark_marts** rebuilds mart_user_activity, mart_product_rating, mart_user_loyalty_points
  and mart_average_check from the replica on the cluster and swaps each into MariaDB whole.

Both tasks are `spark-submit` runs (connection `vitrina_spark`, generated from the profile's
`backends.spark`); `vitrina run --engine spark` runs the same code outside Airflow.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from importlib.util import find_spec

from _vitrina import REPLICA, REPLICA_MARTS, USERS, vitrina_dag
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import CronDataIntervalTimetable

from vitrina.spark.command import CLUSTER_CONF
from vitrina.spark.submit import jdbc_packages

# The application spark-submit runs: located, not imported (nothing connects at parse time).
APPLICATION = str(getattr(find_spec("vitrina.spark.submit"), "origin", ""))
# The driver runs in this Python (it has vitrina); executors run JVM code only (JDBC, SQL).
CONF = {**CLUSTER_CONF, "spark.pyspark.driver.python": sys.executable}

with vitrina_dag(
    "shop_replication",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("15 * * * *", timezone="UTC"),
    tags=["shop", "replication", "spark"],
    dagrun_timeout=timedelta(minutes=55),
    execution_timeout=timedelta(minutes=25),
    retry_delay=timedelta(minutes=1),
):
    replicate = SparkSubmitOperator(
        task_id="replicate",
        conn_id="vitrina_spark",
        application=APPLICATION,
        application_args=["replicate"],
        packages=jdbc_packages(),
        conf=CONF,
        name="vitrina-replicate",
        inlets=[USERS],
        outlets=[REPLICA],
    )
    spark_marts = SparkSubmitOperator(
        task_id="spark_marts",
        conn_id="vitrina_spark",
        application=APPLICATION,
        application_args=["marts"],
        packages=jdbc_packages(),
        conf=CONF,
        name="vitrina-spark-marts",
        inlets=[REPLICA],
        outlets=[REPLICA_MARTS],
    )
    replicate >> spark_marts
