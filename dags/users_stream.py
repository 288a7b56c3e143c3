"""Every 5 minutes: user registrations from Kafka into the OLTP source's users table, on Spark.

`upsert_users` submits the Spark Structured Streaming job (`vitrina/spark/users_job.py`) to
the cluster of the `vitrina_spark` connection with spark-submit, in available-now mode: it
applies every registration not applied yet, in micro-batches, and stops. Each micro-batch is
validated against the registrations contract; the valid records are upserted keyed by
`user_id` (the latest registration of a user wins; a row with the same values is not
rewritten) and the invalid ones go to `<registrations topic>.dlq` with their reasons. The
stream's checkpoint (`<data_dir>/checkpoints/users_stream.<topic>`) says where it stopped, so
a retry, or a driver killed mid-run, re-applies the same batch and changes nothing.
`spark_jars` first fetches (once, into a cache) the Kafka connector the job needs.

With `VITRINA_AIRFLOW_USERS_ENGINE=python` (an Airflow on the local profile, no cluster) the
one task `upsert_users` runs `vitrina.pipelines.users_stream.run` in process instead, with the
same contract and the same result. shop_etl's ingest reads the users table it keeps.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

from _vitrina import USERS, run_job, vitrina_dag
from airflow.sdk import DeltaDataIntervalTimetable, task

ENGINE = os.environ.get("VITRINA_AIRFLOW_USERS_ENGINE", "spark")
# The application file, found without importing it (nothing heavy is imported at parse time).
_SPARK_PACKAGE = find_spec("vitrina.spark")
APPLICATION = str(Path(*(_SPARK_PACKAGE.submodule_search_locations or ["."])[:1]) / "users_job.py")

# A data-interval timetable: each run covers the period before it.
with vitrina_dag(
    "users_stream",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(timedelta(minutes=5)),
    tags=["shop", "stream", "users", ENGINE],
    dagrun_timeout=timedelta(minutes=30),
    execution_timeout=timedelta(minutes=15),
    retry_delay=timedelta(seconds=15),
):
    if ENGINE == "python":

        @task(task_id="upsert_users", outlets=[USERS])
        def upsert_users_in_process() -> dict[str, str]:
            return run_job("users_stream")

        upsert_users_in_process()
    else:
        from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

        @task
        def spark_jars() -> str:
            """The jars spark-submit adds (the Kafka connector), fetched once into a cache."""
            from vitrina.spark.jars import JARS_CACHE, kafka_connector_jars

            return ",".join(str(jar) for jar in kafka_connector_jars(JARS_CACHE)[1])

        from vitrina.spark.command import STREAM_CONF

        submit = SparkSubmitOperator(
            task_id="upsert_users",
            conn_id="vitrina_spark",
            application=APPLICATION,
            application_args=["--available-now"],
            name="vitrina-users-stream",
            jars="{{ ti.xcom_pull(task_ids='spark_jars') }}",
            conf={
                **STREAM_CONF,
                # The driver runs with this Python, where vitrina is installed.
                "spark.pyspark.python": sys.executable,
                "spark.pyspark.driver.python": sys.executable,
            },
            outlets=[USERS],
        )
        spark_jars() >> submit
