"""What every vitrina DAG shares: defaults, the Assets between DAGs, and the task body.

Nothing here opens a connection or reads a Variable when a DAG file is parsed: settings are
loaded and jobs imported only inside a running task.
"""

from __future__ import annotations

import importlib
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import DAG, Asset

from vitrina.alerts.airflow import on_dag_success, on_task_failure

__all__ = [
    "CLICK_WINDOWS",
    "MARTS",
    "MARTS_STORE",
    "REPLICA",
    "REPLICA_MARTS",
    "SERVING",
    "SOCIAL_CLEAN",
    "SOCIAL_GRAPH",
    "SOCIAL_LANDING",
    "SOCIAL_MARTS",
    "SOCIAL_VALID",
    "SOCIAL_WAREHOUSE",
    "START_DATE",
    "USERS",
    "WAREHOUSE",
    "default_args",
    "on_dag_success",
    "run_job",
]

# One fixed UTC start for every DAG; with catchup off only the latest interval runs.
START_DATE = datetime(2026, 1, 1, tzinfo=UTC)

# The data sets DAGs hand to each other (producer task outlets -> consumer task inlets).
CLICK_WINDOWS = Asset("vitrina://eventlog/product_clicks_5m")
WAREHOUSE = Asset("vitrina://warehouse/shop")
MARTS = Asset("vitrina://marts/shop")
MARTS_STORE = Asset("vitrina://martsstore/shop")
SERVING = Asset("vitrina://serving/top_products")
USERS = Asset("vitrina://source/users")
# The social ingest's stage area (<data_dir>/stage/social/<interval>/raw|valid|clean).
SOCIAL_LANDING = Asset("vitrina://stage/social/raw")
SOCIAL_VALID = Asset("vitrina://stage/social/valid")
SOCIAL_CLEAN = Asset("vitrina://stage/social/clean")
SOCIAL_WAREHOUSE = Asset("vitrina://warehouse/social")
SOCIAL_GRAPH = Asset("vitrina://warehouse/graph")
SOCIAL_MARTS = Asset("vitrina://marts/social")
REPLICA = Asset("vitrina://replica/shop")
REPLICA_MARTS = Asset("vitrina://replica/marts")


def base_retry_delay(default: timedelta) -> timedelta:
    """The first retry's delay: the DAG's own, or VITRINA_AIRFLOW_RETRY_DELAY_S seconds for
    every DAG (tests of the retry path need not wait minutes; the backoff still doubles it)."""
    value = os.environ.get("VITRINA_AIRFLOW_RETRY_DELAY_S", "").strip()
    return timedelta(seconds=float(value)) if value else default


def default_args(execution_timeout: timedelta, retry_delay: timedelta) -> dict[str, Any]:
    """Retries with exponential backoff, a timeout, and the failure alert, for every task."""
    retry_delay = base_retry_delay(retry_delay)
    return {
        "owner": "vitrina",
        "retries": 3,
        "retry_delay": retry_delay,
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": retry_delay * 8,
        "execution_timeout": execution_timeout,
        "on_failure_callback": on_task_failure,
    }


def vitrina_dag(
    dag_id: str,
    *,
    doc_md: str | None,
    schedule: Any,
    tags: list[str],
    dagrun_timeout: timedelta,
    execution_timeout: timedelta,
    retry_delay: timedelta,
) -> DAG:
    """A DAG with the rules every vitrina DAG keeps: UTC start, no catchup, one active run,
    timeouts, retries with backoff and the alert callbacks. ``schedule`` must be a
    data-interval timetable: Airflow 3's trigger timetables give a run an empty interval.
    """
    return DAG(
        dag_id=dag_id,
        doc_md=doc_md,
        schedule=schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=dagrun_timeout,
        tags=["vitrina", *tags],
        default_args=default_args(execution_timeout, retry_delay),
        on_success_callback=on_dag_success,
    )


def _epoch_ms(instant: datetime) -> int:
    if instant.tzinfo is None:  # Airflow's intervals are aware; a naive one is UTC
        instant = instant.replace(tzinfo=UTC)
    return int(instant.timestamp() * 1000)


def run_job(job: str, **options: Any) -> dict[str, str]:
    """Run ``vitrina.pipelines.<job>.run(settings, interval)`` for the task's data interval.

    The job's errors propagate, so a task that did nothing is red, never green. The report's
    rows go to XCom as text: the summary, never ids another task would read back.
    """
    from airflow.sdk import get_current_context

    from vitrina.config import load_settings
    from vitrina.pipelines.interval import Interval

    context = get_current_context()
    interval = Interval(
        _epoch_ms(context["data_interval_start"]), _epoch_ms(context["data_interval_end"])
    )
    module = importlib.import_module(f"vitrina.pipelines.{job}")
    report = module.run(load_settings(), interval, **options)
    return {what: str(value) for what, value in report.rows()}
