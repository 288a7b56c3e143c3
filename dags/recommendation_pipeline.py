"""Every 10 minutes: top products and per-user recommendations into the serving store.

Scores the product click windows of the stream job's output with the order history in the
warehouse (score = 0.7 × clicks in the latest closed 5-minute window + 0.3 × units ordered;
top 10, ties by product_id) and swaps the new serving version in atomically. A re-run of
an interval gives the same set; an empty result keeps the previous one.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import (
    CLICK_WINDOWS,
    SERVING,
    START_DATE,
    WAREHOUSE,
    default_args,
    on_dag_success,
    run_job,
)
from airflow.sdk import DAG, DeltaDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it (a trigger timetable,
# Airflow 3's default, would hand the jobs an empty interval).
with DAG(
    dag_id="recommendation_pipeline",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(timedelta(minutes=10)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=30),
    tags=["vitrina", "clickstream", "serving", "recommendations"],
    default_args=default_args(
        execution_timeout=timedelta(minutes=8), retry_delay=timedelta(seconds=30)
    ),
    on_success_callback=on_dag_success,
):

    @task(inlets=[CLICK_WINDOWS, WAREHOUSE], outlets=[SERVING])
    def publish_recommendations() -> dict[str, str]:
        return run_job("publish")

    publish_recommendations()
