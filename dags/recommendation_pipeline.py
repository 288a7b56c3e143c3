"""Every 10 minutes: top products and per-user recommendations into the serving store.

Reads the product click windows that closed in the data interval from the stream job's
output topic, keeps the latest closed 5-minute window and joins it with the order history in
the warehouse (score = 0.7 × clicks in that window + 0.3 × units ordered; top 10, ties by
product_id); per-user recommendations come from the clicks and orders before the interval's
end. The new set is swapped in atomically as one version.

Everything read is cut at the interval's end, so re-running an interval gives the same set
and changes nothing; an interval with no closed window keeps the previous set. The task
calls `vitrina.pipelines.recommend.run(settings, interval)`.
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
    def recommend() -> dict[str, str]:
        return run_job("recommend")

    recommend()
