"""social_etl with ``airflow dags test`` against the real services, and its re-run.

The social network of a tiny world is simulated onto Kafka topics of its own (a topic prefix)
and a scratch PostgreSQL source; Airflow (its virtual environment, a throw-away SQLite
metadata database) runs the DAG's four tasks — ingest, graph (Neo4j with GDS, a namespace of
its own), transform (dbt on a scratch PostgreSQL warehouse) and publish (chdb marts). The
results are checked in each store, then a second run of the same interval must leave every
table unchanged.
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

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("VITRINA_AIRFLOW_VENV", ROOT / ".venv-airflow"))
LOGICAL_DATE = "2026-11-02T01:30:00+00:00"  # the run of [00:30, 01:30), inside the simulation
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


def test_the_four_tasks_succeeded(stack: SocialStack, first_run: str) -> None:
    runs = _airflow_json(stack, "dags", "list-runs", "social_etl")
    assert [r["state"] for r in runs] == ["success"]
    tasks = _airflow_json(stack, "tasks", "states-for-dag-run", "social_etl", runs[0]["run_id"])
    assert {t["task_id"]: t["state"] for t in tasks} == dict.fromkeys(
        ("ingest", "graph", "transform", "publish"), "success"
    )


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
