"""The users stream on the Spark cluster: a driver killed with SIGKILL mid-stream and restarted
from its checkpoint leaves PostgreSQL's users exactly as expected (nothing lost or doubled);
a later run with nothing new changes nothing, and records sent later are picked up.

One topic, one source database and one checkpoint for the module: the kill and the restart
run once (a fixture) and the later runs continue from where they left the stream."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@pytest.fixture(scope="module")
def source_url(postgres_url: str) -> Iterator[str]:
    name = f"vitrina_us_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"create database {name}")
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as con:
            con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="module")
def stream_env(
    services: Any,
    kafka_bootstrap: str,
    kafka_topic: Callable[..., str],
    source_url: str,
    tmp_path_factory: pytest.TempPathFactory,
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
    data = tmp_path_factory.mktemp("users-stream") / "data"
    env |= {"VITRINA_PROFILE": "stack", "VITRINA_DATA_DIR": str(data)}
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


@dataclass
class KillRun:
    """What the SIGKILL scenario left: read right after it, before any later run."""

    committed: int  # micro-batches committed when the driver was killed
    partial: list[tuple[Any, ...]]  # the users then
    restart: subprocess.CompletedProcess[str]
    commits_after: int
    rows: list[tuple[Any, ...]]  # the users after the restart
    expected: dict[int, dict[str, Any]]
    invalid: int
    dead: list[dict[str, Any]]  # the dead letters


@pytest.fixture(scope="module")
def kill_run(
    stream_env: tuple[Settings, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> KillRun:
    """Every registration on the topic; the driver killed with SIGKILL after its first
    micro-batch, then restarted as a user runs it. The Spark runs are shared by the module's
    tests (each spark-submit starts JVMs on the shared 2-core cluster: the slow part)."""
    settings, env = stream_env
    lines, expected, invalid = registrations()
    _produce(settings, lines)
    checkpoint = checkpoint_dir(settings)
    command = submit_command(settings.backend("spark"), max_per_batch=PER_BATCH)
    log = tmp_path_factory.mktemp("users-stream-driver") / "driver.log"

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

    # The restart, as a user runs it: the same checkpoint under the same data folder.
    again = subprocess.run(
        [*CLI, "--max-per-batch", str(PER_BATCH * 4)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    topic = f"{settings.kafka.registrations_topic}.dlq"
    bootstrap = settings.backend("eventlog").removeprefix("kafka://")
    dead = [json.loads(r.value or b"{}") for r in read_topic(bootstrap, topic)]
    return KillRun(
        committed,
        partial,
        again,
        _commits(checkpoint),
        _users(settings.backend("source")),
        expected,
        invalid,
        dead,
    )


def test_sigkill_of_the_driver_mid_stream_loses_and_doubles_nothing(
    stream_env: tuple[Settings, dict[str, str]], kill_run: KillRun
) -> None:
    settings, _ = stream_env
    run, expected = kill_run, kill_run.expected
    # Killed mid-stream: some users are in, not all of them.
    assert 0 < len(run.partial) < len(expected), (run.committed, len(run.partial))

    assert run.restart.returncode == 0, run.restart.stderr[-3000:]
    assert run.commits_after > run.committed

    rows = run.rows
    assert len(rows) == len(expected) == USERS  # nothing lost, nothing doubled
    assert rows == _expected_rows(expected)  # row by row: the latest registration of each

    # At least once: a batch re-run after the kill may send its dead letters again, with the
    # same origins; by origin, every invalid record is there exactly once.
    origins = {d["origin"] for d in run.dead}
    assert len(origins) == run.invalid
    assert all(o.startswith(f"kafka:{settings.kafka.registrations_topic}/") for o in origins)
    assert any("loyalty_status" in r for d in run.dead for r in d["reasons"])


def later_registrations() -> tuple[list[tuple[int, bytes]], dict[int, dict[str, Any]]]:
    """Records sent after a finished run: new users and updates of every seventh user."""
    lines: list[tuple[int, bytes]] = []
    changed: dict[int, dict[str, Any]] = {}
    for user_id in [*range(7, USERS + 1, 7), *range(USERS + 1, USERS + 21)]:
        record = _registration(user_id, 3)
        lines.append((user_id, json.dumps(record).encode()))
        changed[user_id] = record
    return lines, changed


def test_a_second_available_now_run_changes_nothing(
    stream_env: tuple[Settings, dict[str, str]], kill_run: KillRun
) -> None:
    """After the restarted run (every record consumed): a run with nothing new changes no row
    and no ``updated_at``; records sent later are picked up by the next run."""
    settings, env = stream_env
    assert kill_run.restart.returncode == 0, kill_run.restart.stderr[-3000:]
    cli = CLI
    before = _users(settings.backend("source"))
    assert before == _expected_rows(kill_run.expected)
    with psycopg.connect(settings.backend("source")) as con:
        stamps = con.execute("select user_id, updated_at from users order by 1").fetchall()
    nothing = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=900)
    assert nothing.returncode == 0, nothing.stderr[-3000:]
    assert _users(settings.backend("source")) == before
    with psycopg.connect(settings.backend("source")) as con:
        assert con.execute("select user_id, updated_at from users order by 1").fetchall() == stamps
    lines, changed = later_registrations()
    _produce(settings, lines)
    rest = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=900)
    assert rest.returncode == 0, rest.stderr[-3000:]
    expected = {**kill_run.expected, **changed}
    assert _users(settings.backend("source")) == _expected_rows(expected)
