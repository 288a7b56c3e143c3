"""Hourly social ETL: ingest → graph → transform → publish of the social network.

- **ingest** reads the hour's social events (Kafka topics or MinIO files through the event
  log) and the social tables of the OLTP source, validates, cleans, dedupes and loads them
  into the warehouse's clean layer in one transaction (bad records to the quarantine table,
  each with its reason). Reading, validation, cleaning and loading are one task: they commit
  together, so a retry never sees half of them.
- **graph** computes PageRank, reach and the friendship depth from the clean tables into the
  warehouse's `graph` schema (igraph in process, or Neo4j with GDS).
- **transform** runs `dbt build`: the Data Vault, the star schema and the social marts.
- **publish** replaces the marts in the marts store atomically.

Re-running an hour leaves every store unchanged. Each task calls a `vitrina.pipelines` job
with the run's data interval; `vitrina ingest --domain social|graph|transform|publish` run
the same code.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import SOCIAL_GRAPH, SOCIAL_MARTS, SOCIAL_WAREHOUSE, run_job, vitrina_dag
from airflow.sdk import CronDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it.
with vitrina_dag(
    "social_etl",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("30 * * * *", timezone="UTC"),
    tags=["social", "etl"],
    dagrun_timeout=timedelta(minutes=55),
    execution_timeout=timedelta(minutes=20),
    retry_delay=timedelta(minutes=1),
):

    @task(outlets=[SOCIAL_WAREHOUSE])
    def ingest() -> dict[str, str]:
        return run_job("ingest", domain="social")

    @task(inlets=[SOCIAL_WAREHOUSE], outlets=[SOCIAL_GRAPH])
    def graph() -> dict[str, str]:
        return run_job("graph")

    @task(inlets=[SOCIAL_WAREHOUSE, SOCIAL_GRAPH], outlets=[SOCIAL_MARTS])
    def transform() -> dict[str, str]:
        return run_job("transform")

    @task(inlets=[SOCIAL_MARTS])
    def publish() -> dict[str, str]:
        return run_job("publish")

    ingest() >> graph() >> transform() >> publish()
