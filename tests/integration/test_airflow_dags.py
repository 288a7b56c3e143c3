"""The DAGs load in Airflow with no import error and each keeps the house invariants.

Airflow lives in its own virtual environment (``make airflow-venv``), so the DagBag is loaded
there, in a subprocess that describes every DAG as JSON; the assertions run here. While the
files are parsed, opening any network connection raises: nothing connects at import.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("VITRINA_AIRFLOW_VENV", ROOT / ".venv-airflow"))
# dag_id -> (timetable, its period: seconds or cron, the tasks in order)
EXPECTED: dict[str, tuple[str, float | str, list[str]]] = {
    "shop_etl": ("CronDataIntervalTimetable", "0 * * * *", ["ingest", "transform", "publish"]),
    "clickstream_stream": ("DeltaDataIntervalTimetable", 60.0, ["stream"]),
    "recommendation_pipeline": ("DeltaDataIntervalTimetable", 600.0, ["recommend"]),
    "shop_replication": (
        "CronDataIntervalTimetable",
        "15 * * * *",
        ["replicate", "spark_marts"],
    ),
    "users_stream": ("DeltaDataIntervalTimetable", 300.0, ["spark_jars", "upsert_users"]),
    "social_etl": (
        "CronDataIntervalTimetable",
        "30 * * * *",
        ["read", "validate", "clean", "load", "graph", "marts"],
    ),
}

_DESCRIBE = r"""
import json, socket, sys
from datetime import timedelta

def refuse(*args, **kwargs):
    raise RuntimeError("a DAG file opened a network connection at import")
socket.socket.connect = refuse
socket.create_connection = refuse

from airflow.dag_processing.dagbag import DagBag

bag = DagBag(dag_folder=sys.argv[1])
out = {"import_errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in bag.dags.items():
    timetable = dag.timetable
    delta = getattr(timetable, "delta", None)
    tasks = []
    for task in dag.topological_sort():
        tasks.append({
            "task_id": task.task_id,
            "upstream": sorted(task.upstream_task_ids),
            "retries": task.retries,
            "retry_exponential_backoff": float(task.retry_exponential_backoff),
            "retry_delay_s": task.retry_delay.total_seconds(),
            "execution_timeout_s": (
                task.execution_timeout.total_seconds() if task.execution_timeout else None
            ),
            "on_failure": [f"{c.__module__}.{c.__name__}" for c in (task.on_failure_callback or [])],
            "inlets": sorted(a.uri for a in task.inlets),
            "outlets": sorted(a.uri for a in task.outlets),
            "operator": type(task).__name__,
            "spark": {
                "conn_id": getattr(task, "_conn_id", None),
                "application": getattr(task, "application", None),
                "args": list(getattr(task, "application_args", None) or []),
                "conf": dict(getattr(task, "conf", None) or {}),
            } if type(task).__name__ == "SparkSubmitOperator" else None,
        })
    succ = dag.on_success_callback
    succ = succ if isinstance(succ, list) else [succ] if succ else []
    out["dags"][dag_id] = {
        "fileloc": dag.fileloc,
        "doc_md": dag.doc_md or "",
        "tags": sorted(dag.tags),
        "start_date": dag.start_date.isoformat() if dag.start_date else None,
        "start_tz": str(dag.start_date.tzinfo) if dag.start_date else None,
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "timetable": type(timetable).__name__,
        "delta_s": delta.total_seconds() if isinstance(delta, timedelta) else None,
        "cron": getattr(timetable, "expression", None),
        "timezone": str(getattr(timetable, "timezone", "")),
        "dagrun_timeout_s": dag.dagrun_timeout.total_seconds() if dag.dagrun_timeout else None,
        "on_success": [f"{c.__module__}.{c.__name__}" for c in succ],
        "tasks": tasks,
    }
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    python = VENV / "bin" / "python"
    if not python.exists():
        pytest.fail(f"no Airflow virtual environment at {VENV}: run `make airflow-venv`")
    home = tmp_path_factory.mktemp("airflow-home")
    env = {
        "PATH": f"{python.parent}:{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(home)),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "true",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'dags'}",
    }
    done = subprocess.run(
        [str(python), "-c", _DESCRIBE, str(ROOT / "dags")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_no_import_errors(dagbag: dict[str, Any]) -> None:
    assert dagbag["import_errors"] == {}


def test_every_dag_is_there_one_per_file(dagbag: dict[str, Any]) -> None:
    assert sorted(dagbag["dags"]) == sorted(EXPECTED)
    for dag_id, dag in dagbag["dags"].items():
        assert Path(dag["fileloc"]).name == f"{dag_id}.py"


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_schedule_and_tasks(dagbag: dict[str, Any], dag_id: str) -> None:
    dag = dagbag["dags"][dag_id]
    timetable, period, task_ids = EXPECTED[dag_id]
    # Data-interval timetables: a run covers [previous tick, tick), never an empty interval.
    assert dag["timetable"] == timetable
    assert (dag["cron"] if isinstance(period, str) else dag["delta_s"]) == period
    if isinstance(period, str):
        assert dag["timezone"] == "UTC"
    assert [t["task_id"] for t in dag["tasks"]] == task_ids
    # A chain: each task waits for the one before it.
    for before, task in zip(dag["tasks"], dag["tasks"][1:], strict=False):
        assert task["upstream"] == [before["task_id"]]


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_doc_and_tags(dagbag: dict[str, Any], dag_id: str) -> None:
    dag = dagbag["dags"][dag_id]
    assert len(dag["doc_md"].splitlines()) >= 3
    assert "vitrina" in dag["tags"] and len(dag["tags"]) >= 2


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_utc_start_and_no_catchup(dagbag: dict[str, Any], dag_id: str) -> None:
    dag = dagbag["dags"][dag_id]
    assert dag["start_date"] == "2026-01-01T00:00:00+00:00"
    assert dag["start_tz"] in ("UTC", "utc", "Timezone('UTC')")
    assert dag["catchup"] is False


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_one_active_run_and_timeouts(dagbag: dict[str, Any], dag_id: str) -> None:
    dag = dagbag["dags"][dag_id]
    assert dag["max_active_runs"] == 1
    assert dag["dagrun_timeout_s"] is not None and dag["dagrun_timeout_s"] > 0
    for task in dag["tasks"]:
        assert task["execution_timeout_s"] is not None
        assert 0 < task["execution_timeout_s"] <= dag["dagrun_timeout_s"]


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_retries_with_exponential_backoff(dagbag: dict[str, Any], dag_id: str) -> None:
    for task in dagbag["dags"][dag_id]["tasks"]:
        assert task["retries"] == 3
        assert task["retry_exponential_backoff"] == 2.0
        assert task["retry_delay_s"] > 0


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_alert_callbacks(dagbag: dict[str, Any], dag_id: str) -> None:
    dag = dagbag["dags"][dag_id]
    assert dag["on_success"] == ["vitrina.alerts.airflow.on_dag_success"]
    for task in dag["tasks"]:
        assert task["on_failure"] == ["vitrina.alerts.airflow.on_task_failure"]


def test_assets_connect_producers_and_consumers(dagbag: dict[str, Any]) -> None:
    produced: dict[str, set[str]] = {}
    consumed: set[str] = set()
    for dag_id, dag in dagbag["dags"].items():
        for task in dag["tasks"]:
            for uri in task["outlets"]:
                produced.setdefault(uri, set()).add(f"{dag_id}.{task['task_id']}")
            consumed.update(task["inlets"])
    assert produced == {
        "vitrina://eventlog/product_clicks_5m": {"clickstream_stream.stream"},
        "vitrina://warehouse/shop": {"shop_etl.ingest"},
        "vitrina://marts/shop": {"shop_etl.transform"},
        "vitrina://martsstore/shop": {"shop_etl.publish"},
        "vitrina://serving/top_products": {"recommendation_pipeline.recommend"},
        "vitrina://source/users": {"users_stream.upsert_users"},
        "vitrina://stage/social/raw": {"social_etl.read"},
        "vitrina://stage/social/valid": {"social_etl.validate"},
        "vitrina://stage/social/clean": {"social_etl.clean"},
        "vitrina://warehouse/social": {"social_etl.load"},
        "vitrina://warehouse/graph": {"social_etl.graph"},
        "vitrina://marts/social": {"social_etl.marts"},
        "vitrina://replica/shop": {"shop_replication.replicate"},
        "vitrina://replica/marts": {"shop_replication.spark_marts"},
    }
    # Every Asset a task reads is written by some task: no dangling consumer.
    # The published stores are read by people and dashboards, not by another DAG.
    assert consumed == set(produced) - {
        "vitrina://serving/top_products",
        "vitrina://martsstore/shop",
        "vitrina://marts/social",
        "vitrina://replica/marts",
    }


def test_users_stream_submits_the_spark_job_to_the_profile_cluster(
    dagbag: dict[str, Any],
) -> None:
    tasks = {t["task_id"]: t for t in dagbag["dags"]["users_stream"]["tasks"]}
    submit = tasks["upsert_users"]
    assert submit["operator"] == "SparkSubmitOperator"
    assert submit["upstream"] == ["spark_jars"]
    spark = submit["spark"]
    assert spark["conn_id"] == "vitrina_spark"
    assert Path(spark["application"]) == ROOT / "src" / "vitrina" / "spark" / "users_job.py"
    assert spark["args"] == ["--available-now"]
    assert spark["conf"]["spark.cores.max"] == "1"
    assert Path(spark["conf"]["spark.pyspark.driver.python"]).parent == VENV / "bin"
    assert "spark" in dagbag["dags"]["users_stream"]["tags"]
