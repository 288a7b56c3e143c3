"""`vitrina run --profile stack`: the main job against the real Kafka, PostgreSQL and Redis."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import redis

from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings, load_settings
from vitrina.pipelines.run import RunReport, run_all
from vitrina.serve import open_serving


@pytest.fixture(scope="module")
def scratch_databases(
    scratch_databases_factory: Callable[[str], tuple[str, str]],
) -> tuple[str, str]:
    """A warehouse and a source database of their own."""
    return scratch_databases_factory("vitrina_run")


@pytest.fixture(scope="module")
def stack_run(
    tmp_path_factory: pytest.TempPathFactory,
    scratch_databases: tuple[str, str],
    kafka_bootstrap: str,
    kafka_topic: Callable[..., str],
    redis_url: str,
) -> tuple[Settings, RunReport]:
    warehouse, source = scratch_databases
    serving = redis_url.rsplit("/", 1)[0] + "/9"
    redis.Redis.from_url(serving).flushdb()
    settings = load_settings(
        environ={},
        profile="stack",
        data_dir=tmp_path_factory.mktemp("stack"),
        overrides={
            "backends": {
                "eventlog": f"kafka://{kafka_bootstrap}",
                "source": source,
                "warehouse": warehouse,
                "serving": serving,
            },
            "kafka": {
                "clicks_topic": kafka_topic(partitions=3, prefix="run-clicks"),
                "registrations_topic": kafka_topic(partitions=1, prefix="run-regs"),
                "output_topic": f"run-out-{uuid.uuid4().hex[:8]}",
            },
            "simulate": {
                "scale": "classic",
                "start": "2026-11-02T00:00:00Z",
                "duration": "3h",
                "seed": 8,
            },
        },
    )
    # The shop on the stack (its topics are this test's own); the social network on the
    # stack: tests/integration/test_social_transport.py.
    return settings, run_all(settings, domain="shop")


def _n(figures: dict[str, str], key: str) -> int:
    return int(figures[key].replace(",", ""))


def test_every_step_ran_on_the_services(stack_run: tuple[Settings, RunReport]) -> None:
    _, report = stack_run
    figures = dict(report.rows())
    assert [name for name, _, _ in report.steps] == [
        "simulate",
        "stream",
        "ingest",
        "graph",
        "transform",
        "publish",
    ]
    assert figures["graph.skipped"] == "no social data"  # a shop run: no graph to compute
    clicks = _n(figures, "simulate.events.clicks")
    assert clicks > 1_000
    assert figures["stream.source"].startswith("kafka://")
    assert _n(figures, "stream.events") == clicks
    assert _n(figures, "stream.late events") == 0  # a clean simulation has no late clicks
    assert figures["ingest.clicks"].startswith(f"read {clicks}, loaded {clicks},")
    assert figures["transform.dbt target"] == "postgres"


def test_warehouse_marts_and_serving_hold_the_results(
    stack_run: tuple[Settings, RunReport],
) -> None:
    settings, _ = stack_run
    orders = run_query(
        settings, "warehouse", "select count(*) as n from marts.orders_facts"
    ).to_pylist()
    assert orders[0]["n"] > 100
    top = run_query(
        settings, "marts", "select product_id, score from top_products order by rank"
    ).to_pylist()
    assert len(top) == 10
    with open_serving(settings.backend("serving")) as serving:
        served = serving.top_products(10)
    assert [p.product_id for p in served] == [r["product_id"] for r in top]


def test_a_second_run_of_the_same_interval_changes_nothing(
    stack_run: tuple[Settings, RunReport],
) -> None:
    settings, _ = stack_run
    sql = "select count(*) as n, sum(revenue) as r from marts.orders_facts"
    before = run_query(settings, "warehouse", sql).to_pylist()
    figures = dict(run_all(settings.with_overrides(), domain="shop").rows())
    assert figures["ingest.clicks"].split(",")[1].strip() == "loaded 0"  # every event already there
    assert run_query(settings, "warehouse", sql).to_pylist() == before
