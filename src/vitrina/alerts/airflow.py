"""Airflow callbacks: one alert per task failing after its last try, one per successful DAG run.

Use them in a DAG (they import nothing from Airflow until called)::

    default_args = {"on_failure_callback": on_task_failure, ...}
    DAG(..., on_success_callback=on_dag_success)

The channels are the profile's ``backends.alerts`` URLs; secrets come from the Airflow
connections ``vitrina_telegram`` / ``vitrina_smtp`` (their password) or the environment
(``TELEGRAM_BOT_TOKEN``, ``SMTP_PASSWORD``). The callbacks never raise.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from vitrina.alerts import (
    CREDENTIAL_ENV,
    Alert,
    AlertChannel,
    Credentials,
    credentials_from_env,
    error_tail,
    open_channels,
    send,
)

__all__ = [
    "CONNECTIONS",
    "alert_for_dag_success",
    "alert_for_task_failure",
    "on_dag_success",
    "on_task_failure",
]

log = logging.getLogger("vitrina.alerts")

# Airflow connection id per credential name: the connection's password is the secret.
CONNECTIONS = {"telegram_token": "vitrina_telegram", "smtp_password": "vitrina_smtp"}
# Raised on purpose to fail a task without retrying it: its first failure is the last.
_NO_RETRY_ERRORS = ("AirflowFailException", "AirflowSensorTimeout")


def _ti(context: Mapping[str, Any]) -> Any:
    return context.get("ti") or context.get("task_instance")


def alert_for_task_failure(context: Mapping[str, Any]) -> Alert | None:
    """The alert for a failed task, or None when Airflow will try it again.

    A try is the last when its number exceeds the task's retries (try 1 is the first run), or
    when the error is one Airflow does not retry.
    """
    ti = _ti(context)
    task = context.get("task") or getattr(ti, "task", None)
    try_number = int(getattr(ti, "try_number", 1) or 1)
    retries = int(getattr(task, "retries", 0) or 0)
    exc = context.get("exception")
    no_retry = type(exc).__name__ in _NO_RETRY_ERRORS
    if try_number <= retries and not no_retry:
        log.info("try %d of %d failed: no alert, Airflow retries", try_number, retries + 1)
        return None
    dag_run = context.get("dag_run")
    return Alert(
        kind="failure",
        dag_id=str(getattr(ti, "dag_id", "") or getattr(dag_run, "dag_id", "")),
        task_id=str(getattr(ti, "task_id", "")),
        run_id=str(context.get("run_id") or getattr(ti, "run_id", "")),
        try_number=try_number,
        log_url=str(getattr(ti, "log_url", "") or ""),
        error=error_tail(exc),
    )


def alert_for_dag_success(context: Mapping[str, Any]) -> Alert:
    """The alert for a DAG run that succeeded."""
    dag_run = context.get("dag_run")
    dag = context.get("dag")
    ti = _ti(context)
    dag_id = getattr(dag_run, "dag_id", None) or getattr(dag, "dag_id", "")
    return Alert(
        kind="success",
        dag_id=str(dag_id),
        run_id=str(context.get("run_id") or getattr(dag_run, "run_id", "")),
        log_url=str(getattr(ti, "log_url", "") or ""),
    )


def _airflow_credentials() -> dict[str, str]:
    try:
        from airflow.sdk import BaseHook
    except ImportError:  # outside Airflow: the environment alone
        return {}
    found: dict[str, str] = {}
    for name, conn_id in CONNECTIONS.items():
        try:
            password = BaseHook.get_connection(conn_id).password
        except Exception:  # a missing connection is normal: fall back to the environment
            continue
        if password:
            found[name] = str(password)
    return found


def _channels() -> list[AlertChannel]:
    from vitrina.config import load_settings

    settings = load_settings()
    # An entry point reads its environment; an Airflow connection wins over a variable.
    env = {v: os.environ[v] for v in CREDENTIAL_ENV.values() if v in os.environ}
    values = {**credentials_from_env(env).values, **_airflow_credentials()}
    return open_channels(settings.backend("alerts"), Credentials(values))


def _deliver(alert: Alert | None, channels: list[AlertChannel] | None) -> int:
    if alert is None:
        return 0
    try:
        return send(alert, _channels() if channels is None else channels)
    except Exception as exc:  # a bad profile must not turn a callback into a failure
        log.warning("alert not sent: %s: %s", type(exc).__name__, exc)
        return 0


def on_task_failure(
    context: Mapping[str, Any], *, channels: list[AlertChannel] | None = None
) -> int:
    """``on_failure_callback``: alert once the task has failed its last try."""
    return _deliver(alert_for_task_failure(context), channels)


def on_dag_success(
    context: Mapping[str, Any], *, channels: list[AlertChannel] | None = None
) -> int:
    """``on_success_callback`` of a DAG: alert that the run succeeded."""
    return _deliver(alert_for_dag_success(context), channels)
