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
from typing import Any

from _vitrina import REPLICA, REPLICA_MARTS, USERS, vitrina_dag
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import Asset, CronDataIntervalTimetable

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

    def submit(task_id: str, job: str, inlets: list[Asset], outlets: list[Asset]) -> Any:
        """A spark-submit of ``vitrina/spark/submit.py <job>`` on the vitrina_spark cluster."""
        return SparkSubmitOperator(
            task_id=task_id,
            conn_id="vitrina_spark",
            application=APPLICATION,
            application_args=[job],
            packages=jdbc_packages(),
            conf=CONF,
            name=f"vitrina-{task_id.replace('_', '-')}",
            inlets=inlets,
            outlets=outlets,
        )

    replicate = submit("replicate", "replicate", [USERS], [REPLICA])
    spark_marts = submit("spark_marts", "marts", [REPLICA], [REPLICA_MARTS])
    replicate >> spark_marts
