"""Hourly social ETL: read → validate → clean → load → graph → marts, one task per stage.

- **read** takes the hour's social events from the event log (Kafka topics, or MinIO objects)
  and the social tables of the OLTP source into the interval's landing area,
  `<data_dir>/stage/social/<interval>/raw/` (the bytes as read, the tables as Parquet, a
  manifest written last), then commits the ingest consumer's position.
- **validate** applies the per-record contracts: valid rows and quarantine rows with their
  reasons, as Parquet in `valid/`.
- **clean** dedupes by key and applies the cross-record rules (references, the cascade to
  children of quarantined records) against this run and the warehouse's clean layer: `clean/`.
- **load** writes `clean/` into the warehouse's raw, clean and quarantine tables in one
  transaction: snapshots replace, events are added by key, so loading again counts nothing
  twice.
- **graph** computes PageRank, reach and the friendship depth from the clean tables into the
  warehouse's `graph` schema (igraph in process, or Neo4j with GDS).
- **marts** runs `dbt build` of the social models (Data Vault, star, marts) and replaces the
  marts in the marts store atomically.

The graph runs before the marts: `social_user_metrics`, `social_friendship_depth` and
`social_network_summary` read the graph tables, so marts built first would publish the
previous hour's PageRank and depths.

Each stage reads what the stage before it left in the interval's stage area and replaces its
own output whole, so a retry starts from the same input and re-running an hour leaves every
store unchanged. Each task calls a `vitrina.pipelines` job with the run's data interval;
`vitrina ingest --domain social` runs read to load in one process with the same results.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import (
    SOCIAL_CLEAN,
    SOCIAL_GRAPH,
    SOCIAL_LANDING,
    SOCIAL_MARTS,
    SOCIAL_VALID,
    SOCIAL_WAREHOUSE,
    run_job,
    vitrina_dag,
)
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

    @task(outlets=[SOCIAL_LANDING])
    def read() -> dict[str, str]:
        return run_job("stages", stage="read", domain="social")

    @task(inlets=[SOCIAL_LANDING], outlets=[SOCIAL_VALID])
    def validate() -> dict[str, str]:
        return run_job("stages", stage="validate", domain="social")

    @task(inlets=[SOCIAL_VALID], outlets=[SOCIAL_CLEAN])
    def clean() -> dict[str, str]:
        return run_job("stages", stage="clean", domain="social")

    @task(inlets=[SOCIAL_CLEAN], outlets=[SOCIAL_WAREHOUSE])
    def load() -> dict[str, str]:
        return run_job("stages", stage="load", domain="social")

    @task(inlets=[SOCIAL_WAREHOUSE], outlets=[SOCIAL_GRAPH])
    def graph() -> dict[str, str]:
        return run_job("graph")

    @task(inlets=[SOCIAL_WAREHOUSE, SOCIAL_GRAPH], outlets=[SOCIAL_MARTS])
    def marts() -> dict[str, str]:
        return run_job("marts", domain="social")

    read() >> validate() >> clean() >> load() >> graph() >> marts()
