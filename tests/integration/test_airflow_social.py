"""social_etl with ``airflow dags test`` against the real services, its re-run and a retry.

The social network of a tiny world is simulated onto Kafka topics of its own (a topic prefix)
and a scratch PostgreSQL source; Airflow (its virtual environment, a throw-away SQLite
metadata database) runs the DAG's six tasks — read, validate and clean (through the
interval's stage area), load (a scratch PostgreSQL warehouse), graph (Neo4j with GDS, a
namespace of its own) and marts (dbt, then chdb marts). The results are checked in each store,
then a second run of the same interval must leave every table unchanged, and so must a load
that fails on an unreachable warehouse followed by a retry of that task alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
import polars as pl
import pytest

from tests.support.stack import (
    graph_url,
    marts_digests,
    neo4j_digest,
    postgres_digests,
)
from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings, load_settings
from vitrina.graph.neo4jstore import Neo4jGraphStore
from vitrina.pipelines import simulate
from vitrina.pipelines.interval import Interval
from vitrina.pipelines.stages import interval_dir

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("VITRINA_AIRFLOW_VENV", ROOT / ".venv-airflow"))
LOGICAL_DATE = "2026-11-02T01:30:00+00:00"  # the run of [00:30, 01:30), inside the simulation
INTERVAL = Interval.parse("2026-11-02T00:30:00Z", "2026-11-02T01:30:00Z")
pytestmark = [pytest.mark.services("postgres", "kafka", "neo4j"), pytest.mark.timeout(1800)]


@dataclass
class SocialStack:
    settings: Settings  # what the tests read the stores with
    env: dict[str, str]  # what Airflow and its tasks run with


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    scratch_databases_factory: Callable[[str], tuple[str, str]],
    kafka_bootstrap: str,
    neo4j_url: str,
    neo4j_auth: tuple[str, str] | None,
    neo4j_gds: bool,
    redis_url: str,
    airflow_sqlite: Callable[[dict[str, str]], None],
) -> Iterator[SocialStack]:
    if not (VENV / "bin" / "airflow").exists():
        pytest.fail(f"no Airflow virtual environment at {VENV}: run `make airflow-venv`")
    assert neo4j_gds, "the Neo4j server has no Graph Data Science plugin"
    tag = uuid.uuid4().hex[:8]
    warehouse, source = scratch_databases_factory("vitrina_afs")
    backends = {
        "eventlog": f"kafka://{kafka_bootstrap}?partitions=2&topic_prefix=afs-{tag}-",
        "source": source,
        "warehouse": warehouse,
        "graph": graph_url(neo4j_url, neo4j_auth, f"afs_{tag}"),
        "serving": redis_url.rsplit("/", 1)[0] + "/13",
    }
    data_dir = tmp_path_factory.mktemp("airflow-social-data")
    sim = {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "3h", "seed": 13}
    settings = load_settings(
        environ={},
        profile="stack",
        data_dir=data_dir,
        overrides={"backends": backends, "simulate": sim},
    )
    simulate.run(settings, domain="social")
    home = tmp_path_factory.mktemp("airflow-social-home")
    env = {
        "PATH": f"{VENV / 'bin'}:{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(home)),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'dags'}",
        "VITRINA_PROFILE": "stack",
        "VITRINA_DATA_DIR": str(data_dir),
        **{f"VITRINA_BACKENDS_{k.upper()}": v for k, v in backends.items()},
        **{f"VITRINA_SIMULATE_{k.upper()}": str(v) for k, v in sim.items()},
    }
    airflow_sqlite(env)  # db migrate (once per session), dags reserialize
    try:
        yield SocialStack(settings, env)
    finally:
        with Neo4jGraphStore(backends["graph"]) as store:
            store.clear()


def _dags_test(stack: SocialStack) -> str:
    done = subprocess.run(
        ["airflow", "dags", "test", "social_etl", LOGICAL_DATE],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    return output


def _one(settings: Settings, store: str, sql: str) -> Any:
    return next(iter(run_query(settings, store, sql).to_pylist()[0].values()))


def _digests(settings: Settings) -> dict[str, Any]:
    return {
        "warehouse": postgres_digests(settings.backend("warehouse")),
        "source": postgres_digests(settings.backend("source")),
        "marts": marts_digests(settings),
        "graph": neo4j_digest(settings.backend("graph")),
    }


@pytest.fixture(scope="module")
def first_run(stack: SocialStack) -> str:
    return _dags_test(stack)


def _airflow_json(stack: SocialStack, *command: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["airflow", *command, "-o", "json"],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # Airflow logs warnings on stdout too: the listing is the last line that is a JSON list.
    listing = [line for line in done.stdout.splitlines() if line.startswith(("[{", "[]"))]
    rows: list[dict[str, Any]] = json.loads(listing[-1])
    return rows


def test_the_six_tasks_succeeded(stack: SocialStack, first_run: str) -> None:
    runs = _airflow_json(stack, "dags", "list-runs", "social_etl")
    assert [r["state"] for r in runs] == ["success"]
    tasks = _airflow_json(stack, "tasks", "states-for-dag-run", "social_etl", runs[0]["run_id"])
    assert {t["task_id"]: t["state"] for t in tasks} == dict.fromkeys(
        ("read", "validate", "clean", "load", "graph", "marts"), "success"
    )


def test_the_stages_handed_over_through_the_interval_stage_area(
    stack: SocialStack, first_run: str
) -> None:
    root = interval_dir(stack.settings, "social", INTERVAL)
    assert root.name == "20261102T003000.000Z--20261102T013000.000Z"
    assert sorted(p.name for p in root.iterdir()) == ["clean", "raw", "valid"]
    landing = orjson.loads((root / "raw" / "manifest.json").read_bytes())
    assert (landing["start_ms"], landing["end_ms"]) == (INTERVAL.start_ms, INTERVAL.end_ms)
    topics = {t["entity"]: t for t in landing["events"]}
    assert sorted(topics) == [
        "social_ad_clicks",
        "social_ad_impressions",
        "social_user_status",
        "social_views",
    ]
    # Kafka: the topics of this test's prefix, records named by partition and offset block.
    views = topics["social_views"]
    assert views["topic"].startswith("afs-") and views["keyed"] is True
    assert views["chunks"] and all(c["name"].startswith("kafka:") for c in views["chunks"])
    # A block's last line has no newline of its own.
    lines = sum(len((root / "raw" / c["path"]).read_bytes().splitlines()) for c in views["chunks"])
    valid = orjson.loads((root / "valid" / "manifest.json").read_bytes())
    assert sum(m["read"] for m in valid["streamed"]["social_views"]["pieces"]) == lines > 0
    snapshots = {s["entity"] for s in landing["snapshots"]}
    assert "social_users" in snapshots and "social_friendships" in snapshots
    users = pl.read_parquet(root / "clean" / "entities" / "social_users" / "valid.parquet")
    assert users.height == 300


def test_the_vault_holds_the_social_network(stack: SocialStack, first_run: str) -> None:
    settings = stack.settings
    assert _one(settings, "warehouse", "select count(*) from vault.hub_user") == 300
    posts = _one(settings, "warehouse", "select count(*) from clean.social_posts")
    assert posts > 0
    assert _one(settings, "warehouse", "select count(*) from vault.hub_post") == posts


def test_the_graph_is_in_neo4j_and_the_warehouse(stack: SocialStack, first_run: str) -> None:
    settings = stack.settings
    assert _one(settings, "warehouse", "select count(*) from graph.user_metrics") == 300
    summary = run_query(settings, "warehouse", "select * from graph.summary").to_pylist()
    assert summary[0]["users"] == 300 and summary[0]["sampled_sources"] is None
    with Neo4jGraphStore(settings.backend("graph")) as store:
        rows = store.query(
            "match (u:User {graph: $g}) return count(u) as n, sum(u.pagerank) as total, "
            "sum(u.reach_1) as reach_1",
            {"g": store.namespace},
        ).to_pylist()
    assert rows[0]["n"] == 300
    assert rows[0]["total"] == pytest.approx(1.0, abs=1e-9)
    # Pairs at distance 1 are the friendships; every friendship counts in two users' reach_1.
    friendships = summary[0]["friendships"]
    assert (
        _one(settings, "warehouse", "select pairs from graph.depth where depth = 1") == friendships
    )
    assert rows[0]["reach_1"] == 2 * friendships > 0


def test_the_social_marts_are_published(stack: SocialStack, first_run: str) -> None:
    settings = stack.settings
    assert _one(settings, "marts", "select count(*) from social_user_metrics") == 300
    assert _one(settings, "marts", "select users from social_network_summary") == 300
    assert _one(settings, "marts", "select count(*) from social_community_metrics") == 8
    depth = _one(settings, "marts", "select sum(pairs) from social_friendship_depth")
    assert depth == _one(settings, "warehouse", "select reachable_pairs from graph.summary") > 0


def test_a_second_run_of_the_same_interval_changes_no_table(
    stack: SocialStack, first_run: str
) -> None:
    before = _digests(stack.settings)
    assert "graph.user_metrics" in before["warehouse"] and "vault.hub_user" in before["warehouse"]
    _dags_test(stack)
    after = _digests(stack.settings)
    for store in before:
        assert after[store] == before[store], store


def _unreachable(url: str) -> str:
    """The same PostgreSQL URL on a port nothing listens on."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:9"))


def test_a_failed_load_retried_alone_leaves_every_store_as_it_was(
    stack: SocialStack, first_run: str
) -> None:
    before = _digests(stack.settings)
    down = {
        **stack.env,
        "VITRINA_BACKENDS_WAREHOUSE": _unreachable(stack.env["VITRINA_BACKENDS_WAREHOUSE"]),
    }
    failed = _tasks_test(down, "load")
    # `airflow tasks test` exits 0 whatever the task did: its log says how the task ended.
    output = failed.stdout + failed.stderr
    assert "Task failed with exception" in output, output[-4000:]
    assert "127.0.0.1" in output
    assert _digests(stack.settings) == before
    retried = _tasks_test(stack.env, "load")
    assert retried.returncode == 0, (retried.stdout + retried.stderr)[-4000:]
    assert _digests(stack.settings) == before


def _tasks_test(env: dict[str, str], task_id: str) -> subprocess.CompletedProcess[str]:
    """One task of the interval's run, once (no retries, no dependencies), as a retry runs it.

    Its exit code is 0 even when the task fails; callers read the log in the output.
    """
    return subprocess.run(
        ["airflow", "tasks", "test", "social_etl", task_id, LOGICAL_DATE],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
