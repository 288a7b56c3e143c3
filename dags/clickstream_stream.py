"""Every minute: the stream job over the clicks not counted yet, exactly once.

Counts clicks per product in 5-minute hopping windows (hop 1 minute) by event time; a window
is written once, final, when the watermark passes its end. The job's checkpoint (Kafka
transactions, or the file manifest) says where it stopped, so a retry or a re-run never
counts a click twice and a run with no new clicks writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import CLICK_WINDOWS, START_DATE, default_args, on_dag_success, run_job
from airflow.sdk import DAG, DeltaDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it (a trigger timetable,
# Airflow 3's default, would hand the jobs an empty interval).
with DAG(
    dag_id="clickstream_stream",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(timedelta(minutes=1)),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=10),
    tags=["vitrina", "clickstream", "stream"],
    default_args=default_args(
        execution_timeout=timedelta(minutes=5), retry_delay=timedelta(seconds=15)
    ),
    on_success_callback=on_dag_success,
):

    @task(outlets=[CLICK_WINDOWS])
    def stream() -> dict[str, str]:
        return run_job("stream")

    stream()
