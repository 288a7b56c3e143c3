"""Every minute: the stream job over the clicks not counted yet, exactly once.

Counts clicks per product in 5-minute hopping windows (hop 1 minute) by event time; a window
is written once, final, when the watermark passes its end. The job's checkpoint (Kafka
transactions, or the file manifest) says where it stopped, so a retry or a re-run never
counts a click twice and a run with no new clicks writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import CLICK_WINDOWS, run_job, vitrina_dag
from airflow.sdk import DeltaDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it.
with vitrina_dag(
    "clickstream_stream",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(timedelta(minutes=1)),
    tags=["clickstream", "stream"],
    dagrun_timeout=timedelta(minutes=10),
    execution_timeout=timedelta(minutes=5),
    retry_delay=timedelta(seconds=15),
):

    @task(outlets=[CLICK_WINDOWS])
    def stream() -> dict[str, str]:
        return run_job("stream")

    stream()
