"""Airflow running natively: the four processes up, healthy, the DAGs parsed and paused.

The fixture starts Airflow with ``infra/services/airflow.sh up`` (idempotent) on the
PostgreSQL the other integration tests use, and stops it again only if it started it.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "services" / "airflow.sh"
PORT = int(os.environ.get("VITRINA_AIRFLOW_PORT", "8780"))
BASE = f"http://127.0.0.1:{PORT}"
DAG_IDS = ["clickstream_stream", "recommendation_pipeline", "shop_etl", "users_stream"]


def _script(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), command],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _get(path: str) -> Any:
    with urllib.request.urlopen(f"{BASE}{path}", timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def airflow(postgres_url: str) -> Iterator[str]:
    was_up = _script("status").returncode == 0
    started = _script("up")
    assert started.returncode == 0, started.stderr[-3000:]
    try:
        yield BASE
    finally:
        if not was_up:
            _script("down")


def test_status_lists_four_live_processes(airflow: str) -> None:
    status = _script("status")
    assert status.returncode == 0, status.stdout
    lines = status.stdout.splitlines()
    assert [line.split()[1] for line in lines[:4]] == [
        "api-server",
        "scheduler",
        "dag-processor",
        "triggerer",
    ]
    assert all(line.split()[2] == "up" for line in lines[:4])
    assert lines[4].split() == ["ui", BASE]


def test_every_component_is_healthy(airflow: str) -> None:
    health = _get("/api/v2/monitor/health")
    assert {name: part["status"] for name, part in health.items()} == {
        "metadatabase": "healthy",
        "scheduler": "healthy",
        "triggerer": "healthy",
        "dag_processor": "healthy",
    }


def test_dags_parsed_without_errors_and_paused(airflow: str) -> None:
    import time

    deadline = time.monotonic() + 120  # the dag-processor parses the folder every few seconds
    dags: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        dags = _get("/api/v2/dags")["dags"]
        if sorted(d["dag_id"] for d in dags) == DAG_IDS:
            break
        time.sleep(2)
    assert sorted(d["dag_id"] for d in dags) == DAG_IDS
    assert _get("/api/v2/importErrors")["total_entries"] == 0
    # New DAGs start paused: nothing runs against the stores until someone unpauses it.
    assert all(d["is_paused"] for d in dags)
    assert {d["dag_id"]: d["max_active_runs"] for d in dags} == dict.fromkeys(DAG_IDS, 1)


def test_env_hides_the_secrets(airflow: str) -> None:
    env = _script("env")
    assert env.returncode == 0
    names = [line.split("=", 1)[0] for line in env.stdout.splitlines()]
    assert "AIRFLOW__CORE__EXECUTOR" in names and "AIRFLOW__CORE__PARALLELISM" in names
    assert "AIRFLOW__API_AUTH__JWT_SECRET" not in names
    assert "AIRFLOW__CORE__FERNET_KEY" not in names
    assert "AIRFLOW__CORE__EXECUTOR=LocalExecutor" in env.stdout.splitlines()
    assert f"AIRFLOW__API__PORT={PORT}" in env.stdout.splitlines()
