"""Every 10 minutes: top products and per-user recommendations into the serving store.

Scores the product click windows of the stream job's output with the order history in the
warehouse (score = 0.7 × clicks in the latest closed 5-minute window + 0.3 × units ordered;
top 10, ties by product_id) and swaps the new serving version in atomically. A re-run of
an interval gives the same set; an empty result keeps the previous one.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import CLICK_WINDOWS, SERVING, WAREHOUSE, run_job, vitrina_dag
from airflow.sdk import DeltaDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it.
with vitrina_dag(
    "recommendation_pipeline",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(timedelta(minutes=10)),
    tags=["clickstream", "serving", "recommendations"],
    dagrun_timeout=timedelta(minutes=30),
    execution_timeout=timedelta(minutes=8),
    retry_delay=timedelta(seconds=30),
):

    @task(inlets=[CLICK_WINDOWS, WAREHOUSE], outlets=[SERVING])
    def publish_recommendations() -> dict[str, str]:
        return run_job("publish")

    publish_recommendations()
