"""Airflow running natively on the real services: one start for the whole module.

The module starts its own Airflow (``infra/services/airflow.sh up``) on a test port, with its
own run folder and metadata database, and with a vitrina profile of its own: scratch
PostgreSQL databases (warehouse, source), fresh Kafka topics, a Redis database reached
through a proxy the tests can cut, and alerts to a Bot API stand-in and an SMTP server in this
process. Simulated shop data is written first. Then, in order: the processes and the DAGs;
``airflow dags test`` of every DAG with the results checked in the stores; a re-run of the
same intervals leaving every store unchanged; a run triggered through the REST API; and a
fault: the serving store unreachable mid-run -> retries -> one alert -> the previous serving
set intact -> recovery on the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pymysql
import pytest
import redis

from tests.integration.replication_support import SHOP, dbt_mart_rows, mart_rows, mismatches
from tests.support.stack import postgres_digests
from tests.unit.alerts.servers import Recorded, recording_bot_api, recording_smtp
from vitrina.airflow.connections import connections
from vitrina.config import Settings, load_settings
from vitrina.eventlog.kafka.client import bootstrap_of, read_topic
from vitrina.pipelines import simulate
from vitrina.replicate.replicas import mysql_params
from vitrina.serve import open_serving
from vitrina.spark.marts_job import MART_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "services" / "airflow.sh"
VENV = Path(os.environ.get("VITRINA_AIRFLOW_VENV", ROOT / ".venv-airflow"))
PORT = 8781  # not the 8780 of a developer's own Airflow
BASE = f"http://127.0.0.1:{PORT}"
DAG_IDS = [
    "clickstream_stream",
    "recommendation_pipeline",
    "shop_etl",
    "shop_replication",
    "social_etl",
    "users_stream",
]
TOKEN = "424242:airflow-runtime-secret"
START = "2026-11-02T00:00:00Z"
# Starting Airflow and running whole DAGs (dbt included) takes minutes on 2 cores.
pytestmark = pytest.mark.timeout(1800)


@dataclass
class Stack:
    settings: Settings  # as the tests read the stores (Redis directly, not through the proxy)
    env: dict[str, str]  # what Airflow and its tasks run with
    proxy: RedisProxy
    bot: Recorded
    mail: Recorded
    airflow: dict[str, str] = field(default_factory=dict)  # _airflow_env's, once per module


def _script(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=900
    )


def _api(path: str, body: dict[str, Any] | None = None, method: str = "GET") -> Any:
    request = urllib.request.Request(
        f"{BASE}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method=method if body is None else (method if method != "GET" else "POST"),
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str,
    mariadb_url: str,
    kafka_bootstrap: str,
    kafka_topic: Callable[..., str],
    redis_url: str,
    services: Any,
) -> Iterator[Stack]:
    if not (VENV / "bin" / "airflow").exists():
        pytest.fail(f"no Airflow virtual environment at {VENV}: run `make airflow-venv`")
    tag = uuid.uuid4().hex[:8]
    names = {kind: f"vitrina_af_{tag}_{kind}" for kind in ("wh", "src", "meta")}
    with psycopg.connect(postgres_url, autocommit=True) as con:
        for name in (names["wh"], names["src"]):
            con.execute(f"create database {name}")
    base = postgres_url.rsplit("/", 1)[0]
    replica = f"{mariadb_url.rsplit('/', 1)[0]}/{names['src']}"
    with pymysql.connect(**mysql_params(mariadb_url), autocommit=True) as my:
        my.cursor().execute(f"create database {names['src']}")
    serving = redis_url.rsplit("/", 1)[0] + "/11"
    redis.Redis.from_url(serving).flushdb()
    data_dir = tmp_path_factory.mktemp("airflow-stack")
    backends = {
        "eventlog": f"kafka://{kafka_bootstrap}",
        "source": f"{base}/{names['src']}",
        "warehouse": f"{base}/{names['wh']}",
        "serving": serving,
        "replica": replica,
        "spark": services.ensure("spark")["url"],
    }
    kafka = {
        "clicks_topic": kafka_topic(partitions=3, prefix="af-clicks"),
        "registrations_topic": kafka_topic(partitions=1, prefix="af-regs"),
        "output_topic": f"af-out-{tag}",
    }
    sim = {"scale": "tiny", "start": START, "duration": "3h", "seed": 11}
    settings = load_settings(
        environ={},
        profile="stack",
        data_dir=data_dir,
        overrides={"backends": backends, "kafka": kafka, "simulate": sim},
    )
    simulate.run(settings)
    with RedisProxy(serving) as proxy, recording_bot_api() as bot, recording_smtp() as mail:
        env = {
            **os.environ,
            "VITRINA_PROFILE": "stack",
            "VITRINA_DATA_DIR": str(data_dir),
            "VITRINA_BACKENDS_EVENTLOG": backends["eventlog"],
            "VITRINA_BACKENDS_SOURCE": backends["source"],
            "VITRINA_BACKENDS_WAREHOUSE": backends["warehouse"],
            "VITRINA_BACKENDS_REPLICA": backends["replica"],
            "VITRINA_BACKENDS_SPARK": backends["spark"],
            "VITRINA_BACKENDS_SERVING": proxy.url,
            "VITRINA_BACKENDS_ALERTS": (
                f"telegram://{bot.url}/42?tls=false,smtp://{mail.url}?to=ops@example.com"
            ),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            **{f"VITRINA_KAFKA_{k.upper()}": v for k, v in kafka.items()},
            **{f"VITRINA_SIMULATE_{k.upper()}": str(v) for k, v in sim.items()},
            # users_stream submits its Spark job to the cluster (the vitrina_spark connection).
            "VITRINA_SPARK_MASTER": services.ensure("spark")["url"],
            "VITRINA_AIRFLOW_VENV": str(VENV),
            "VITRINA_AIRFLOW_PORT": str(PORT),
            "VITRINA_AIRFLOW_RUN_DIR": str(tmp_path_factory.mktemp("airflow-run")),
            "VITRINA_AIRFLOW_DB": names["meta"],
            "VITRINA_AIRFLOW_LOG_PORT": "8797",
            "VITRINA_AIRFLOW_TRIGGER_LOG_PORT": "8798",
            "VITRINA_AIRFLOW_RETRY_DELAY_S": "2",
        }
        started = _script("up", env)
        try:
            assert started.returncode == 0, started.stderr[-3000:]
            yield Stack(settings, env, proxy, bot, mail)
        finally:
            _script("down", env)
            with psycopg.connect(postgres_url, autocommit=True) as con:
                for name in names.values():
                    con.execute(f"drop database if exists {name} with (force)")
            with pymysql.connect(**mysql_params(mariadb_url), autocommit=True) as my:
                my.cursor().execute(f"drop database if exists {names['src']}")


# -- what the tests read from the stores ----------------------------------------------------


class RedisProxy:
    """A TCP proxy in front of Redis; with ``refuse`` set, every connection is cut at once."""

    def __init__(self, url: str) -> None:
        rest = url.split("://", 1)[1]
        host_port, _, self.db = rest.partition("/")
        host, _, port = host_port.rpartition(":")
        self.upstream = (host, int(port))
        self.refuse = False
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.server.getsockname()[1]}/{self.db}"
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> RedisProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def windows_clicks(settings: Settings) -> dict[tuple[int, int], int]:
    """(product_id, window_end_ms) -> clicks, from the stream job's output topic."""
    from vitrina.pipelines.recommend import parse_windows

    records = read_topic(bootstrap_of(settings.backend("eventlog")), settings.kafka.output_topic)
    table = parse_windows([r.value for r in records if r.value])
    rows = table.to_pylist()
    return {(r["product_id"], r["window_end_ms"]): r["clicks"] for r in rows}


_MARTS_HASHES = """
import hashlib, json, sys
from vitrina.cli.query_cmd import run_query
from vitrina.config import load_settings
settings = load_settings()
names = run_query(settings, "marts", "select name from system.tables "
                  "where database = currentDatabase() order by name").column("name").to_pylist()
out = {}
for name in names:
    rows = sorted(repr(r) for r in run_query(settings, "marts", f"select * from {name}").to_pylist())
    out[name] = hashlib.md5("\\n".join(rows).encode()).hexdigest()
print(json.dumps(out))
"""


def store_hashes(stack: Stack) -> dict[str, Any]:
    """A digest of every table of every store the DAGs write, and of the output topic."""
    settings = stack.settings
    client = redis.Redis.from_url(settings.backend("serving"))
    serving = {}
    for key in sorted(client.keys("*")):
        kind = client.type(key).decode()
        value: Any = {
            "string": lambda k: client.get(k),
            "hash": lambda k: sorted(client.hgetall(k).items()),
            "list": lambda k: client.lrange(k, 0, -1),
            "set": lambda k: sorted(client.smembers(k)),
            "zset": lambda k: client.zrange(k, 0, -1, withscores=True),
        }[kind](key)
        serving[key.decode()] = hashlib.md5(repr(value).encode()).hexdigest()
    records = read_topic(bootstrap_of(settings.backend("eventlog")), settings.kafka.output_topic)
    env = {k: v for k, v in stack.env.items() if k != "VITRINA_BACKENDS_SERVING"}
    marts = subprocess.run(
        [sys.executable, "-c", _MARTS_HASHES], env=env, capture_output=True, text=True, timeout=300
    )
    assert marts.returncode == 0, marts.stderr[-2000:]
    return {
        "warehouse": postgres_digests(settings.backend("warehouse")),
        "source": postgres_digests(settings.backend("source")),
        "marts": json.loads(marts.stdout.strip().splitlines()[-1]),
        "serving": serving,
        "windows": sorted((r.key, r.value) for r in records),
    }


# -- the processes --------------------------------------------------------------------------


def test_status_lists_four_live_processes(stack: Stack) -> None:
    status = _script("status", stack.env)
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


def test_every_component_is_healthy(stack: Stack) -> None:
    health = _api("/api/v2/monitor/health")
    assert {name: part["status"] for name, part in health.items()} == {
        "metadatabase": "healthy",
        "scheduler": "healthy",
        "triggerer": "healthy",
        "dag_processor": "healthy",
    }


def test_dags_parsed_without_errors_and_paused(stack: Stack) -> None:
    deadline = time.monotonic() + 180  # the dag-processor parses the folder every few seconds
    dags: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        dags = _api("/api/v2/dags")["dags"]
        if sorted(d["dag_id"] for d in dags) == DAG_IDS:
            break
        time.sleep(2)
    assert sorted(d["dag_id"] for d in dags) == DAG_IDS
    assert _api("/api/v2/importErrors")["total_entries"] == 0
    # New DAGs start paused: nothing runs against the stores until someone unpauses it.
    assert all(d["is_paused"] for d in dags)
    assert {d["dag_id"]: d["max_active_runs"] for d in dags} == dict.fromkeys(DAG_IDS, 1)


def test_env_and_connections_hide_the_secrets(stack: Stack) -> None:
    env = _script("env", stack.env)
    assert env.returncode == 0
    lines = env.stdout.splitlines()
    names = [line.split("=", 1)[0] for line in lines]
    assert "AIRFLOW__CORE__EXECUTOR=LocalExecutor" in lines
    assert "AIRFLOW__CORE__PARALLELISM=2" in lines and f"AIRFLOW__API__PORT={PORT}" in lines
    assert "AIRFLOW__API_AUTH__JWT_SECRET" not in names
    assert "AIRFLOW__CORE__FERNET_KEY" not in names
    conns = _script("connections", stack.env)
    assert conns.returncode == 0, conns.stderr
    listed = {line.split()[0]: line.split()[1] for line in conns.stdout.splitlines()}
    assert listed["vitrina_warehouse"].startswith("postgresql://vitrina:***@127.0.0.1:")
    assert listed["vitrina_serving"] == stack.env["VITRINA_BACKENDS_SERVING"]
    assert "vitrina_telegram" in listed
    assert TOKEN not in conns.stdout + conns.stderr + env.stdout


# -- every DAG once, with its results in the stores -----------------------------------------


def _dags_test(stack: Stack, dag_id: str, logical_date: str) -> str:
    env = {**stack.env, "PATH": f"{VENV / 'bin'}:{stack.env['PATH']}"}
    env.update(_airflow_env(stack))
    done = subprocess.run(
        ["airflow", "dags", "test", dag_id, logical_date],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert TOKEN not in output
    return output


def _airflow_env(stack: Stack) -> dict[str, str]:
    """The AIRFLOW_* settings the running instance uses (its metadata database, its home).

    Asked of the script once: they do not change while the module's Airflow runs.
    """
    if stack.airflow:
        return stack.airflow
    listed = _script("env", stack.env).stdout.splitlines()
    values = dict(line.split("=", 1) for line in listed if "=" in line)
    run_dir = stack.env["VITRINA_AIRFLOW_RUN_DIR"]
    home = f"{run_dir}/airflow/home"
    values["AIRFLOW_HOME"] = home
    values["AIRFLOW__API_AUTH__JWT_SECRET"] = Path(home, "jwt_secret").read_text().strip()
    values["AIRFLOW__CORE__FERNET_KEY"] = Path(home, "fernet_key").read_text().strip()
    values["PYTHONPATH"] = f"{ROOT / 'dags'}:{ROOT / 'src'}"  # this checkout's vitrina
    # The connections the script generates from the profile (vitrina_spark for users_stream).
    for conn_id, conn in connections(load_settings(environ=stack.env), stack.env).items():
        values[f"AIRFLOW_CONN_{conn_id.upper()}"] = json.dumps(conn)
    stack.airflow.update(values)
    return values


def _users(settings: Settings) -> list[tuple[Any, ...]]:
    """The users' contract fields (``updated_at`` is the source's own bookkeeping)."""
    from vitrina.source import contract_columns

    cols = ", ".join(contract_columns("users"))
    with psycopg.connect(settings.backend("source")) as con:
        return con.execute(f"select {cols} from users order by user_id").fetchall()


def test_dags_test_of_every_dag_fills_the_stores(stack: Stack) -> None:
    settings = stack.settings
    _dags_test(stack, "clickstream_stream", "2026-11-02T03:05:00+00:00")
    windows = windows_clicks(settings)
    assert len(windows) > 10 and all(isinstance(k[0], int) for k in windows)

    # users_stream puts back the registered users the source lost, field for field.
    before = _users(settings)
    with psycopg.connect(settings.backend("source")) as con:
        con.execute("delete from users where registration_date >= %s", (START,))
    assert len(_users(settings)) < len(before)
    _dags_test(stack, "users_stream", "2026-11-02T03:05:00+00:00")
    assert _users(settings) == before
    # ... through the Spark stream: its checkpoint holds the committed micro-batches.
    commits = (
        settings.data_dir / "checkpoints" / f"users_stream.{settings.kafka.registrations_topic}"
    )
    assert [p.name for p in (commits / "commits").iterdir() if p.name.isdigit()]

    _dags_test(stack, "shop_etl", "2026-11-02T03:00:00+00:00")
    with psycopg.connect(settings.backend("warehouse")) as con:
        (orders,) = con.execute("select count(*) from marts.orders_facts").fetchone() or (0,)
    assert orders > 0

    # shop_replication: the replica equals the source, its Spark marts equal the dbt marts.
    _dags_test(stack, "shop_replication", "2026-11-02T03:15:00+00:00")
    replica = settings.backend("replica")
    assert mismatches(settings.backend("source"), replica, SHOP) == dict.fromkeys(SHOP, 0)
    for mart in MART_COLUMNS:
        assert mart_rows(replica, mart) == dbt_mart_rows(settings.backend("warehouse"), mart)

    output = _dags_test(stack, "recommendation_pipeline", "2026-11-02T02:00:00+00:00")
    assert "click windows closed in it" in output
    latest = max(end for (_, end) in windows if end <= 2 * 3_600_000 + _start_ms())
    with open_serving(settings.backend("serving")) as serving:
        top = serving.top_products(10)
    assert top, "the serving store holds no top products"
    for product in top:
        assert product.clicks_5m == windows.get((product.product_id, latest), 0)


def _start_ms() -> int:
    from vitrina.timeutil import parse_instant_ms

    return parse_instant_ms(START)


# -- the running scheduler: REST API, alerts, a fault ---------------------------------------


def _trigger(dag_id: str, start: str, end: str, logical_date: str | None = None) -> str:
    """Trigger a run of [start, end); a second run of an interval needs another logical date."""
    run_id = f"test__{uuid.uuid4().hex[:8]}"
    body = {
        "dag_run_id": run_id,
        "logical_date": logical_date or end,
        "data_interval_start": start,
        "data_interval_end": end,
    }
    _api(f"/api/v2/dags/{dag_id}/dagRuns", body, method="POST")
    return run_id


def _wait(dag_id: str, run_id: str, timeout_s: float = 600) -> str:
    deadline = time.monotonic() + timeout_s
    state = ""
    while time.monotonic() < deadline:
        try:
            state = _api(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")["state"]
        except OSError:  # one api-server worker on 2 busy cores may answer late: ask again
            time.sleep(3)
            continue
        if state in ("success", "failed"):
            return state
        time.sleep(3)
    raise AssertionError(f"{dag_id} {run_id} still {state!r} after {timeout_s}s")


def _alerts(recorded: Recorded, run_id: str, key: str) -> list[str]:
    texts = [r["body"]["text"] if key == "text" else r["data"] for r in recorded.requests]
    return [t for t in texts if run_id in t]


def _wait_alerts(stack: Stack, run_id: str, n: int = 1) -> tuple[list[str], list[str]]:
    deadline = time.monotonic() + 60  # the DAG's success callback runs after the run's state
    while time.monotonic() < deadline:
        bot, mail = _alerts(stack.bot, run_id, "text"), _alerts(stack.mail, run_id, "data")
        if len(bot) >= n and len(mail) >= n:
            break
        time.sleep(1)
    time.sleep(3)  # and nothing more comes
    return _alerts(stack.bot, run_id, "text"), _alerts(stack.mail, run_id, "data")


def test_a_run_triggered_through_the_rest_api(stack: Stack) -> None:
    dag = "recommendation_pipeline"
    _api(f"/api/v2/dags/{dag}", {"is_paused": False}, method="PATCH")
    run_id = _trigger(dag, "2026-11-02T02:00:00Z", "2026-11-02T02:10:00Z")
    assert _wait(dag, run_id) == "success"
    windows = windows_clicks(stack.settings)
    latest = max(end for (_, end) in windows if end <= _start_ms() + 130 * 60_000)
    with open_serving(stack.settings.backend("serving")) as serving:
        top = serving.top_products(10)
    assert top and all(p.clicks_5m == windows.get((p.product_id, latest), 0) for p in top)
    bot, mail = _wait_alerts(stack, run_id)
    assert len(bot) == 1 and len(mail) == 1
    assert bot[0].splitlines()[0] == f"[vitrina] {dag} succeeded ({run_id})"


def test_serving_unreachable_mid_run_alerts_once_then_recovers(stack: Stack) -> None:
    dag = "recommendation_pipeline"
    with open_serving(stack.settings.backend("serving")) as serving:
        version_before = serving.current_version()
        top_before = serving.top_products(10)
    stack.proxy.refuse = True
    try:
        run_id = _trigger(dag, "2026-11-02T02:20:00Z", "2026-11-02T02:30:00Z")
        assert _wait(dag, run_id) == "failed"
        bot, mail = _wait_alerts(stack, run_id)
    finally:
        stack.proxy.refuse = False
    # Four tries ran (retries=3); the alert came once, after the last.
    tis = _api(f"/api/v2/dags/{dag}/dagRuns/{run_id}/taskInstances")["task_instances"]
    assert [(t["task_id"], t["state"], t["try_number"]) for t in tis] == [
        ("recommend", "failed", 4)
    ]
    assert len(bot) == 1 and len(mail) == 1, bot
    lines = bot[0].splitlines()
    assert lines[0] == f"[vitrina] {dag}.recommend failed ({run_id})"
    assert "try_number: 4" in lines and "task_id: recommend" in lines
    assert any(line.startswith("log_url: http://127.0.0.1:") for line in lines)
    assert lines[-1].startswith("vitrina.errors.ServiceUnavailable: serving: Redis unreachable")
    with open_serving(stack.settings.backend("serving")) as serving:
        assert serving.current_version() == version_before
        assert serving.top_products(10) == top_before
    # The store is back: the next run of the same interval publishes.
    again = _trigger(dag, "2026-11-02T02:20:00Z", "2026-11-02T02:30:00Z", "2026-11-02T02:30:01Z")
    assert _wait(dag, again) == "success"
    with open_serving(stack.settings.backend("serving")) as serving:
        assert serving.current_version() != version_before
    _api(f"/api/v2/dags/{dag}", {"is_paused": True}, method="PATCH")


# -- re-runs --------------------------------------------------------------------------------


def _serving_content(stack: Stack) -> tuple[Any, Any]:
    with open_serving(stack.settings.backend("serving")) as serving:
        current = serving.snapshot()
    assert current is not None
    return current.top.to_pylist(), current.recs.to_pylist()


def test_rerunning_the_same_intervals_changes_no_store(stack: Stack) -> None:
    _dags_test(stack, "recommendation_pipeline", "2026-11-02T02:00:00+00:00")
    before = store_hashes(stack)
    # Alone, a re-run of recommend leaves even the serving store's keys as they were.
    _dags_test(stack, "recommendation_pipeline", "2026-11-02T02:00:00+00:00")
    assert store_hashes(stack) == before
    served = _serving_content(stack)
    _dags_test(stack, "clickstream_stream", "2026-11-02T03:05:00+00:00")
    _dags_test(stack, "users_stream", "2026-11-02T03:05:00+00:00")
    _dags_test(stack, "shop_etl", "2026-11-02T03:00:00+00:00")
    _dags_test(stack, "recommendation_pipeline", "2026-11-02T02:00:00+00:00")
    after = store_hashes(stack)
    for store in before:
        assert after[store] == before[store], store
    # shop_etl publishes marts only: the serving set is recommendation_pipeline's alone, so
    # not even its version id moved.
    assert _serving_content(stack) == served
