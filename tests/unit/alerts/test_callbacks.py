"""The Airflow callbacks' logic on fake contexts: which failures alert, and what they say."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from vitrina.alerts import Alert, AlertChannel, open_channels
from vitrina.alerts.airflow import (
    alert_for_dag_success,
    alert_for_task_failure,
    on_dag_success,
    on_task_failure,
)

from .servers import Recorded


@dataclass
class FakeTask:
    retries: int


@dataclass
class FakeTI:
    dag_id: str
    task_id: str
    run_id: str
    try_number: int
    log_url: str


@dataclass
class FakeDagRun:
    dag_id: str
    run_id: str


class AirflowFailException(Exception):
    """Named like Airflow's: an error Airflow does not retry."""


def _context(try_number: int, retries: int, exc: BaseException | None = None) -> dict[str, object]:
    ti = FakeTI("shop_etl", "ingest", "scheduled__x", try_number, "http://ui/log")
    return {
        "ti": ti,
        "task": FakeTask(retries),
        "dag_run": FakeDagRun("shop_etl", "scheduled__x"),
        "run_id": "scheduled__x",
        "exception": exc or RuntimeError("warehouse unreachable"),
    }


class Collect(AlertChannel):
    """A channel that keeps what it is sent."""

    def __init__(self) -> None:
        super().__init__("collect://")
        self.sent: list[Alert] = []

    def _send(self, alert: Alert) -> bool:
        self.sent.append(alert)
        return True


@pytest.mark.parametrize(
    ("retries", "expected_alerts"), [(0, [1]), (1, [2]), (3, [4])], ids=["r0", "r1", "r3"]
)
def test_one_alert_after_the_last_retry(retries: int, expected_alerts: list[int]) -> None:
    channel = Collect()
    for try_number in range(1, retries + 2):
        on_task_failure(_context(try_number, retries), channels=[channel])
    assert [a.try_number for a in channel.sent] == expected_alerts


def test_failure_alert_fields() -> None:
    try:
        raise RuntimeError("warehouse unreachable")
    except RuntimeError as exc:
        alert = alert_for_task_failure(_context(3, 2, exc))
    assert alert is not None
    assert (alert.kind, alert.dag_id, alert.task_id, alert.run_id) == (
        "failure",
        "shop_etl",
        "ingest",
        "scheduled__x",
    )
    assert (alert.try_number, alert.log_url) == (3, "http://ui/log")
    assert alert.error.splitlines()[-1] == "RuntimeError: warehouse unreachable"
    assert alert.error.splitlines()[0] == "Traceback (most recent call last):"


def test_intermediate_retry_logs_no_alert(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, "vitrina.alerts"):
        assert alert_for_task_failure(_context(1, 2)) is None
    assert "try 1 of 3 failed: no alert" in caplog.text


def test_an_error_airflow_does_not_retry_alerts_at_once() -> None:
    alert = alert_for_task_failure(_context(1, 3, AirflowFailException("bad input")))
    assert alert is not None and alert.try_number == 1


def test_dag_success_alert(bot_api: Recorded) -> None:
    context = {"dag_run": FakeDagRun("shop_etl", "manual__1"), "run_id": "manual__1"}
    alert = alert_for_dag_success(context)
    assert (alert.kind, alert.dag_id, alert.run_id, alert.task_id) == (
        "success",
        "shop_etl",
        "manual__1",
        "",
    )
    channels = open_channels(f"telegram://1:tok@{bot_api.url}/7?tls=false")
    assert on_dag_success(context, channels=channels) == 1
    assert bot_api.requests[0]["body"]["text"].splitlines()[0] == (
        "[vitrina] shop_etl succeeded (manual__1)"
    )


def test_callbacks_read_the_profile_and_never_raise(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, bot_api: Recorded
) -> None:
    # Without channels given, the profile's backends.alerts is used, the token from the env.
    monkeypatch.setenv("VITRINA_BACKENDS_ALERTS", f"telegram://{bot_api.url}/9?tls=false")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "55:env-token")
    assert on_task_failure(_context(2, 1)) == 1
    assert bot_api.requests[0]["path"] == "/bot55:env-token/sendMessage"
    monkeypatch.setenv("VITRINA_BACKENDS_ALERTS", "pigeon://x")
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert on_task_failure(_context(2, 1)) == 0
    assert "alert not sent" in caplog.text
