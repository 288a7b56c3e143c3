"""`vitrina run --profile stack` with both domains: MinIO, PostgreSQL, Neo4j with GDS, Redis.

One run of a tiny world (the shop and the social network) into a private place on each
service; the graph's results are checked in Neo4j (node properties) and in the warehouse's
`graph` schema against the in-process backend on the same clean tables, the seven social
marts against the warehouse, and a second run of the same interval must change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import redis

from tests.support.services import Minio
from tests.support.stack import (
    graph_url,
    marts_digests,
    minio_eventlog,
    neo4j_digest,
    postgres_digests,
)
from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings, load_settings
from vitrina.graph import GraphData, MetricOptions, open_graph
from vitrina.graph.neo4jstore import Neo4jGraphStore
from vitrina.pipelines import graph as graph_job
from vitrina.pipelines.run import RunReport, run_all
from vitrina.warehouse import open_warehouse

# Simulating, ingesting and building every dbt model on 2 busy cores takes minutes.
pytestmark = [
    pytest.mark.services("postgres", "minio", "neo4j", "redis"),
    pytest.mark.timeout(1800),
]

SOCIAL_MARTS = (
    "social_daily_activity",
    "social_user_metrics",
    "social_friendship_depth",
    "social_network_summary",
    "social_post_virality",
    "social_community_metrics",
    "social_topic_discussion",
)


@pytest.fixture(scope="module")
def stack_run(
    tmp_path_factory: pytest.TempPathFactory,
    scratch_databases_factory: Callable[[str], tuple[str, str]],
    minio: Minio,
    neo4j_url: str,
    neo4j_auth: tuple[str, str] | None,
    neo4j_gds: bool,
    redis_url: str,
) -> Iterator[tuple[Settings, RunReport]]:
    assert neo4j_gds, "the Neo4j server has no Graph Data Science plugin"
    tag = uuid.uuid4().hex[:8]
    serving = redis_url.rsplit("/", 1)[0] + "/12"
    redis.Redis.from_url(serving).flushdb()
    graph = graph_url(neo4j_url, neo4j_auth, f"run_{tag}")
    warehouse, source = scratch_databases_factory("vitrina_both")
    settings = load_settings(
        environ={},
        profile="stack",
        data_dir=tmp_path_factory.mktemp("stack-both"),
        overrides={
            "backends": {
                "eventlog": minio_eventlog(minio, f"run-both-{tag}"),
                "source": source,
                "warehouse": warehouse,
                "graph": graph,
                "serving": serving,
            },
            "simulate": {
                "scale": "tiny",
                "start": "2026-11-02T00:00:00Z",
                "duration": "3h",
                "seed": 5,
            },
        },
    )
    try:
        yield settings, run_all(settings)
    finally:
        with Neo4jGraphStore(graph) as store:
            store.clear()


def _one(settings: Settings, store: str, sql: str) -> Any:
    rows = run_query(settings, store, sql).to_pylist()
    return next(iter(rows[0].values()))


def _rows(settings: Settings, store: str, sql: str) -> list[dict[str, Any]]:
    return list(run_query(settings, store, sql).to_pylist())


def test_every_step_ran_with_both_domains(stack_run: tuple[Settings, RunReport]) -> None:
    settings, report = stack_run
    figures = dict(report.rows())
    assert [name for name, _, _ in report.steps] == [
        "simulate",
        "stream",
        "ingest",
        "graph",
        "transform",
        "publish",
    ]
    users = _one(settings, "warehouse", "select count(*) from clean.social_users")
    assert users == 300  # the tiny preset's social network
    assert figures["graph.users"] == str(users)
    assert figures["graph.depth figures"] == "exact"
    assert _one(settings, "warehouse", "select count(*) from marts.orders_facts") > 0


def test_the_graph_results_are_node_properties_in_neo4j(
    stack_run: tuple[Settings, RunReport],
) -> None:
    settings, _ = stack_run
    stored = _rows(
        settings,
        "warehouse",
        "select user_id, pagerank, reach_1, reach_2, reach_3, graph_community "
        "from graph.user_metrics order by user_id",
    )
    with Neo4jGraphStore(settings.backend("graph")) as store:
        nodes = store.query(
            "match (u:User {graph: $g}) return u.user_id as user_id, u.pagerank as pagerank, "
            "u.reach_1 as reach_1, u.reach_2 as reach_2, u.reach_3 as reach_3, "
            "u.graph_community as graph_community order by user_id",
            {"g": store.namespace},
        ).to_pylist()
        counts = store.counts()
    assert nodes == stored and len(nodes) == 300
    assert sum(r["pagerank"] for r in nodes) == pytest.approx(1.0, abs=1e-9)
    clean = {
        "Community": "select count(*) from clean.social_communities",
        "Post": "select count(*) from clean.social_posts",
        "FRIEND": "select count(*) from (select distinct least(user_id, friend_id), "
        "greatest(user_id, friend_id) from clean.social_friendships) as p",
        "FOLLOWS": "select count(*) from (select distinct follower_id, followee_id "
        "from clean.social_follows) as p",
        "MEMBER_OF": "select count(*) from clean.social_community_members",
    }
    assert counts["User"] == 300 and counts["AUTHORED"] == counts["Post"]
    for key, sql in clean.items():
        assert counts[key] == _one(settings, "warehouse", sql) > 0, key


def test_neo4j_agrees_with_the_in_process_backend(stack_run: tuple[Settings, RunReport]) -> None:
    settings, _ = stack_run
    with open_warehouse(settings.backend("warehouse")) as wh:
        data = GraphData(**graph_job.read_inputs(wh))
        stored = {
            name: wh.query_arrow(f"select * from graph.{name}").to_pylist()
            for name in ("user_metrics", "depth", "summary")
        }
    with open_graph("igraph://") as local:
        local.load(data)
        ours = local.metrics(MetricOptions())
    db = sorted(stored["user_metrics"], key=lambda r: r["user_id"])
    assert [r["user_id"] for r in db] == ours.users["user_id"].to_pylist()
    for k in (1, 2, 3):
        assert [r[f"reach_{k}"] for r in db] == ours.users[f"reach_{k}"].to_pylist()
    pagerank = np.array([r["pagerank"] for r in db])
    assert np.max(np.abs(pagerank - ours.users["pagerank"].to_numpy())) < 1e-6
    assert sorted(stored["depth"], key=lambda r: r["depth"]) == ours.depth.to_pylist()
    summary, local_summary = stored["summary"][0], ours.summary.to_pylist()[0]
    for key in ("users", "friendships", "pagerank_arcs", "reachable_pairs", "max_depth"):
        assert summary[key] == local_summary[key], key
    assert summary["sampled_sources"] is None


def test_the_seven_social_marts(stack_run: tuple[Settings, RunReport]) -> None:
    settings, _ = stack_run
    counts = {m: _one(settings, "marts", f"select count(*) from {m}") for m in SOCIAL_MARTS}
    wh = {
        "users": "select count(*) from clean.social_users",
        "posts": "select count(*) from clean.social_posts",
        "communities": "select count(*) from clean.social_communities",
        "topics": "select count(*) from clean.social_topics",
        "depths": "select count(*) from graph.depth",
    }
    expected = {k: _one(settings, "warehouse", sql) for k, sql in wh.items()}
    assert counts["social_user_metrics"] == expected["users"] == 300
    assert counts["social_post_virality"] == expected["posts"] > 0
    assert counts["social_community_metrics"] == expected["communities"] == 8
    assert counts["social_topic_discussion"] == expected["topics"] > 0
    assert counts["social_friendship_depth"] == expected["depths"] > 1
    assert counts["social_network_summary"] == 1
    assert counts["social_daily_activity"] > 0
    # Known identities: friends = reach_1 per user; the depth mart is the graph's; the
    # summary's figures are the graph job's, rounded.
    users = _rows(settings, "marts", "select friends, reach_1, pagerank from social_user_metrics")
    assert all(u["friends"] == u["reach_1"] for u in users)
    assert sum(u["pagerank"] for u in users) == pytest.approx(1.0, abs=1e-6)
    depth = _rows(settings, "marts", "select depth, pairs from social_friendship_depth order by 1")
    assert depth == _rows(settings, "warehouse", "select depth, pairs from graph.depth order by 1")
    graph = _rows(settings, "warehouse", "select * from graph.summary")[0]
    summary = _rows(settings, "marts", "select * from social_network_summary")[0]
    assert summary["users"] == 300 and summary["sampled_sources"] is None
    assert summary["max_depth"] == graph["max_depth"] == len(depth)
    assert summary["mean_path_length"] == round(graph["mean_path_length"], 4)
    assert summary["avg_friends"] == round(2 * graph["friendships"] / 300, 4)
    ranks = _rows(settings, "marts", "select rank from social_topic_discussion order by rank")
    assert ranks[0]["rank"] == 1


def test_a_second_run_of_the_same_interval_changes_nothing(
    stack_run: tuple[Settings, RunReport],
) -> None:
    settings, _ = stack_run

    def digests() -> dict[str, Any]:
        return {
            "warehouse": postgres_digests(settings.backend("warehouse")),
            # The simulator writes the source again: its rows must stay, not their updated_at
            # nor the change log (a table replaced again leaves one more tombstone).
            "source": {
                table: digest
                for table, digest in postgres_digests(
                    settings.backend("source"), ignore=("updated_at",)
                ).items()
                if table != "public.source_deletions"
            },
            "marts": marts_digests(settings),
            "graph": neo4j_digest(settings.backend("graph")),
        }

    before = digests()
    assert {f"graph.{t}" for t in ("user_metrics", "depth", "summary")} <= set(before["warehouse"])
    assert set(SOCIAL_MARTS) <= set(before["marts"])
    figures = dict(run_all(settings.with_overrides()).rows())
    assert figures["graph.users"] == "300"
    after = digests()
    for store in before:
        assert after[store] == before[store], store
