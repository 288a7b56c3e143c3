"""The users stream on the Spark cluster: a driver killed with SIGKILL mid-stream and restarted
from its checkpoint leaves PostgreSQL's users exactly as expected (nothing lost or doubled)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.eventlog.kafka import read_topic
from vitrina.source import contract_columns
from vitrina.spark.users_job import checkpoint_dir, submit_command

pytestmark = [pytest.mark.services("postgres", "kafka", "spark"), pytest.mark.timeout(2400)]

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
USERS = 400
PER_BATCH = 60  # about 20 micro-batches: time to kill the driver between two of them
STATUSES = ("Bronze", "Silver", "Gold")
_MAIN = "import sys; from vitrina.cli import main; sys.exit(main())"
CLI = [sys.executable, "-c", _MAIN, "users-stream", "--engine", "spark"]


def _registration(user_id: int, version: int) -> dict[str, Any]:
    ts = (T0 + timedelta(minutes=user_id, seconds=version)).isoformat().replace("+00:00", "Z")
    return {
        "event_id": f"reg-{user_id}-{version}",
        "user_id": user_id,
        "first_name": f"Name{user_id}v{version}",
        "last_name": "Doe",
        "email": f"user{user_id}@example.com",
        "phone": f"+1555{user_id:07d}",
        "registration_date": (T0.date() + timedelta(days=user_id % 30)).isoformat(),
        "loyalty_status": STATUSES[(user_id + version) % 3],
        "ts": ts,
    }


def registrations() -> tuple[list[tuple[int, bytes]], dict[int, dict[str, Any]], int]:
    """(user_id, JSON line) in produce order, the expected users by id, the invalid count.

    Every user registers; every third sends the same registration twice (a duplicate); every
    fifth changes name and status later (an update; the latest wins); every 50th sends a
    record breaking the contract after its valid ones, and a few lines are not JSON.
    """
    lines: list[tuple[int, bytes]] = []
    expected: dict[int, dict[str, Any]] = {}
    invalid = 0
    for user_id in range(1, USERS + 1):
        versions = [0, 0] if user_id % 3 == 0 else [0]
        if user_id % 5 == 0:
            versions += [1, 2]
        for version in versions:
            record = _registration(user_id, version)
            lines.append((user_id, json.dumps(record).encode()))
            expected[user_id] = record
        if user_id % 50 == 0:
            bad = {**_registration(user_id, 9), "loyalty_status": "Platinum"}
            lines.append((user_id, json.dumps(bad).encode()))
            lines.append((user_id, b"{not json"))
            invalid += 2
    return lines, expected, invalid


def _expected_rows(expected: dict[int, dict[str, Any]]) -> list[tuple[Any, ...]]:
    rows = []
    for user_id in sorted(expected):
        r = expected[user_id]
        rows.append(
            (
                user_id,
                r["first_name"],
                r["last_name"],
                r["email"],
                r["phone"],
                date.fromisoformat(r["registration_date"]),
                r["loyalty_status"],
            )
        )
    return rows


def _users(url: str) -> list[tuple[Any, ...]]:
    cols = list(contract_columns("users"))
    assert cols == [
        "user_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "registration_date",
        "loyalty_status",
    ]
    with psycopg.connect(url) as con:
        rows = con.execute(
            f"select {', '.join(cols)} from users order by user_id, first_name"
        ).fetchall()
    return [(*r[:5], r[5].date() if isinstance(r[5], datetime) else r[5], r[6]) for r in rows]


@pytest.fixture
def source_url(postgres_url: str) -> Iterator[str]:
    name = f"vitrina_us_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as con:
            con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture
def stream_env(
    services: Any,
    kafka_bootstrap: str,
    kafka_topic: Callable[..., str],
    source_url: str,
    tmp_path: Path,
) -> tuple[Settings, dict[str, str]]:
    """The settings of the run and the same as VITRINA_* variables (how a driver gets them)."""
    from vitrina.source import open_source

    open_source(source_url).close()  # the schema, as a shop's source has it
    values = {
        "BACKENDS_EVENTLOG": f"kafka://{kafka_bootstrap}",
        "BACKENDS_SOURCE": source_url,
        "KAFKA_REGISTRATIONS_TOPIC": kafka_topic(partitions=3, prefix="regs"),
        "SPARK_MASTER": services.ensure("spark")["url"],
    }
    env = {f"VITRINA_{k}": v for k, v in values.items()}
    env |= {"VITRINA_PROFILE": "stack", "VITRINA_DATA_DIR": str(tmp_path / "data")}
    settings = load_settings(environ=env)
    return settings, {**os.environ, **env}


def _produce(settings: Settings, lines: list[tuple[int, bytes]]) -> None:
    body = b"".join(line + b"\n" for _, line in lines)
    keys = [str(user_id).encode() for user_id, _ in lines]  # a user's records stay in order
    with open_eventlog(settings.backend("eventlog")) as log:
        log.write_slice(settings.kafka.registrations_topic, 0, body, keys)


def _commits(checkpoint: Path) -> int:
    folder = checkpoint / "commits"
    return len([p for p in folder.iterdir() if p.name.isdigit()]) if folder.is_dir() else 0


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A session of its own: SIGKILL to the group takes spark-submit's JVM and the Python driver.
    with log.open("ab") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def test_sigkill_of_the_driver_mid_stream_loses_and_doubles_nothing(
    stream_env: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    settings, env = stream_env
    lines, expected, invalid = registrations()
    _produce(settings, lines)
    checkpoint = checkpoint_dir(settings)
    command = submit_command(settings.backend("spark"), max_per_batch=PER_BATCH)
    log = tmp_path / "driver.log"

    driver = _start(command, env, log)
    try:
        # The cluster is shared: the driver may wait for a free core before its first batch.
        deadline = time.monotonic() + 1200
        while _commits(checkpoint) < 1:  # at least one micro-batch committed
            assert driver.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "no micro-batch committed in 20 minutes"
            time.sleep(0.1)
    finally:
        os.killpg(driver.pid, signal.SIGKILL)  # the test's kill, or the cleanup of a failure
        driver.wait(30)
    committed = _commits(checkpoint)
    partial = _users(settings.backend("source"))
    # Killed mid-stream: some users are in, not all of them.
    assert 0 < len(partial) < len(expected), (committed, len(partial))

    # The restart, as a user runs it: the same checkpoint under the same data folder.
    again = subprocess.run(
        [*CLI, "--max-per-batch", str(PER_BATCH * 4)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert _commits(checkpoint) > committed

    rows = _users(settings.backend("source"))
    assert len(rows) == len(expected) == USERS  # nothing lost, nothing doubled
    assert rows == _expected_rows(expected)  # row by row: the latest registration of each

    topic = f"{settings.kafka.registrations_topic}.dlq"
    bootstrap = settings.backend("eventlog").removeprefix("kafka://")
    dead = [json.loads(r.value or b"{}") for r in read_topic(bootstrap, topic)]
    # At least once: a batch re-run after the kill may send its dead letters again, with the
    # same origins; by origin, every invalid record is there exactly once.
    origins = {d["origin"] for d in dead}
    assert len(origins) == invalid
    assert all(o.startswith(f"kafka:{settings.kafka.registrations_topic}/") for o in origins)
    assert any("loyalty_status" in r for d in dead for r in d["reasons"])


def test_a_second_available_now_run_changes_nothing(
    stream_env: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    settings, env = stream_env
    lines, expected, _ = registrations()
    _produce(settings, lines[: len(lines) // 2])
    cli = CLI
    first = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr[-3000:]
    half = _users(settings.backend("source"))
    with psycopg.connect(settings.backend("source")) as con:
        stamps = con.execute("select user_id, updated_at from users order by 1").fetchall()
    nothing = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=900)
    assert nothing.returncode == 0, nothing.stderr[-3000:]
    assert _users(settings.backend("source")) == half
    with psycopg.connect(settings.backend("source")) as con:
        assert con.execute("select user_id, updated_at from users order by 1").fetchall() == stamps
    _produce(settings, lines[len(lines) // 2 :])
    rest = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=900)
    assert rest.returncode == 0, rest.stderr[-3000:]
    assert _users(settings.backend("source")) == _expected_rows(expected)
