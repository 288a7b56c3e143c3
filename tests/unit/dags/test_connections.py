"""Airflow connections generated from the profile: one per service, secrets only in the file."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

from vitrina.airflow.connections import connections, describe, write_env_file
from vitrina.config import load_settings


def test_stack_profile_gives_one_connection_per_service() -> None:
    settings = load_settings(profile="stack", environ={})
    conns = connections(settings, {"TELEGRAM_BOT_TOKEN": "123:tok", "SMTP_PASSWORD": "pw!"})
    assert sorted(conns) == [
        "vitrina_eventlog",
        "vitrina_graph",
        "vitrina_objectstore",
        "vitrina_replica",
        "vitrina_serving",
        "vitrina_smtp",
        "vitrina_source",
        "vitrina_spark",
        "vitrina_telegram",
        "vitrina_warehouse",
    ]
    wh = conns["vitrina_warehouse"]
    assert (wh["conn_type"], wh["host"], wh["port"], wh["login"], wh["schema"]) == (
        "postgres",
        "127.0.0.1",
        5432,
        "vitrina",
        "vitrina",
    )
    assert wh["password"] == "vitrina"
    assert conns["vitrina_telegram"]["password"] == "123:tok"
    # SparkSubmitOperator's master is "<host>:<port>"; it submits in client mode.
    spark = conns["vitrina_spark"]
    assert (spark["conn_type"], spark["host"], spark["port"]) == (
        "spark",
        "spark://127.0.0.1",
        7077,
    )
    assert spark["extra"]["deploy-mode"] == "client"


def test_the_spark_connection_follows_the_profile_master() -> None:
    env = {"VITRINA_BACKENDS_SPARK": "spark://spark-master.internal:7177"}
    spark = connections(load_settings(profile="stack", environ=env), {})["vitrina_spark"]
    assert f"{spark['host']}:{spark['port']}" == "spark://spark-master.internal:7177"
    local = load_settings(profile="stack", environ={"VITRINA_BACKENDS_SPARK": "local://"})
    assert "vitrina_spark" not in connections(local, {})


def test_local_profile_has_no_service_and_no_alert_secret() -> None:
    assert connections(load_settings(profile="local", environ={}), {}) == {}


def test_env_file_is_private_and_the_listing_masks_passwords(tmp_path: Path) -> None:
    conns = connections(load_settings(profile="stack", environ={}), {"SMTP_PASSWORD": "s'cr3t"})
    path = tmp_path / "home" / "connections.env"
    write_env_file(path, conns)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The shell reads back exactly the JSON (a quote in a secret survives).
    shown = subprocess.run(
        ["bash", "-c", f'source "{path}"; printf %s "$AIRFLOW_CONN_VITRINA_SMTP"'],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"]},
    ).stdout
    assert json.loads(shown) == {"conn_type": "smtp", "password": "s'cr3t"}
    listing = "\n".join(describe(conns))
    assert "vitrina_warehouse" in listing and "postgresql://vitrina:***@127.0.0.1:5432" in listing
    assert "s'cr3t" not in listing and "vitrina-minio" not in listing
