"""The alert callbacks inside real Airflow: one alert after the last retry, one per good run.

``airflow dags test`` runs two small DAGs in the Airflow virtual environment on a throw-away
SQLite metadata database; the alerts go to a Bot API stand-in in this process, the token
from the environment. Airflow's own output must not show the token.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.unit.alerts.servers import Recorded, recording_bot_api

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("VITRINA_AIRFLOW_VENV", ROOT / ".venv-airflow"))
TOKEN = "777:callback-test-secret"

DAGS = """
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import DAG, task

from vitrina.alerts.airflow import on_dag_success, on_task_failure

ARGS = {"retries": 2, "retry_delay": timedelta(0), "on_failure_callback": on_task_failure}
START = datetime(2026, 1, 1, tzinfo=UTC)

with DAG("always_fails", schedule=None, start_date=START, default_args=ARGS,
         on_success_callback=on_dag_success):
    @task
    def boom() -> None:
        raise RuntimeError("warehouse unreachable")
    boom()

with DAG("always_works", schedule=None, start_date=START, default_args=ARGS,
         on_success_callback=on_dag_success):
    @task
    def fine() -> int:
        return 1
    fine()
"""


@pytest.fixture(scope="module")
def airflow_env(
    tmp_path_factory: pytest.TempPathFactory, airflow_sqlite: Callable[[dict[str, str]], None]
) -> dict[str, str]:
    if not (VENV / "bin" / "airflow").exists():
        pytest.fail(f"no Airflow virtual environment at {VENV}: run `make airflow-venv`")
    home = tmp_path_factory.mktemp("airflow-callbacks")
    (home / "dags").mkdir()
    (home / "dags" / "callback_dags.py").write_text(DAGS)
    env = {
        "PATH": f"{VENV / 'bin'}:{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(home)),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
        "PYTHONPATH": str(ROOT / "src"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
    }
    airflow_sqlite(env)  # db migrate (once per session), dags reserialize
    return env


@pytest.fixture
def bot_api() -> Iterator[Recorded]:
    with recording_bot_api() as recorded:
        yield recorded


def _dags_test(env: dict[str, str], dag_id: str, bot_api: Recorded) -> str:
    alerts = f"telegram://{bot_api.url}/42?tls=false"
    done = subprocess.run(
        ["airflow", "dags", "test", dag_id],
        env={**env, "VITRINA_BACKENDS_ALERTS": alerts},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.stdout + done.stderr


def test_one_alert_after_the_third_try(airflow_env: dict[str, str], bot_api: Recorded) -> None:
    output = _dags_test(airflow_env, "always_fails", bot_api)
    assert output.count('raise RuntimeError("warehouse unreachable")') >= 3  # three tries ran
    assert len(bot_api.requests) == 1, output[-3000:]
    text = bot_api.requests[0]["body"]["text"].splitlines()
    assert text[0].startswith("[vitrina] always_fails.boom failed (manual__")
    assert "try_number: 3" in text and "task_id: boom" in text
    assert text[-1] == "RuntimeError: warehouse unreachable"
    assert bot_api.requests[0]["path"] == f"/bot{TOKEN}/sendMessage"
    assert TOKEN not in output


def test_one_alert_per_successful_run(airflow_env: dict[str, str], bot_api: Recorded) -> None:
    output = _dags_test(airflow_env, "always_works", bot_api)
    assert len(bot_api.requests) == 1, output[-3000:]
    text = bot_api.requests[0]["body"]["text"].splitlines()
    assert text[0].startswith("[vitrina] always_works succeeded (manual__")
    assert "dag_id: always_works" in text
