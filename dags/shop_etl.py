"""Hourly shop ETL: ingest → transform → publish of the shop and the clickstream.

- **ingest** validates, cleans and loads the hour's event-log slices and the OLTP source into
  the warehouse (bad records to the quarantine table, each with its reason).
- **transform** runs `dbt build`: the models and their tests over everything loaded.
- **publish** replaces the marts in the marts store, each atomically; an empty result keeps
  what was published. The serving set (top products, recommendations) is not touched here:
  `recommendation_pipeline` owns it and refreshes it every 10 minutes from the click windows.

Re-running an hour leaves every store unchanged. Each task calls a `vitrina.pipelines` job
with the run's data interval; `vitrina ingest|transform|publish` run the same code.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import CLICK_WINDOWS, MARTS, MARTS_STORE, USERS, WAREHOUSE, run_job, vitrina_dag
from airflow.sdk import CronDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it.
with vitrina_dag(
    "shop_etl",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("0 * * * *", timezone="UTC"),
    tags=["shop", "clickstream", "etl"],
    dagrun_timeout=timedelta(minutes=55),
    execution_timeout=timedelta(minutes=20),
    retry_delay=timedelta(minutes=1),
):

    @task(inlets=[CLICK_WINDOWS, USERS], outlets=[WAREHOUSE])
    def ingest() -> dict[str, str]:
        return run_job("ingest", domain="shop")  # social_etl ingests the social domain

    @task(inlets=[WAREHOUSE], outlets=[MARTS])
    def transform() -> dict[str, str]:
        return run_job("transform")

    @task(inlets=[MARTS], outlets=[MARTS_STORE])
    def publish() -> dict[str, str]:
        return run_job("publish", serving=False)  # serving: recommendation_pipeline

    ingest() >> transform() >> publish()
