"""The staged ingest (read → validate → clean → load, each a separate call) against the one-shot
`vitrina ingest --domain social`: the same tables, re-runs that change nothing, and a failed
stage that a retry of that stage alone completes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import vitrina.ingest.run as ingest_run
from tests.support.digests import assert_same_ingest, table_digests
from vitrina.config import Settings, load_settings
from vitrina.errors import PipelineError, UsageError
from vitrina.ingest.run import IngestReport, run_ingest
from vitrina.pipelines import simulate, stage_area, stages
from vitrina.pipelines.interval import Interval
from vitrina.warehouse import open_warehouse

START_MS = 1_793_577_600_000  # 2026-11-02T00:00:00Z
INTERVAL = Interval(START_MS, START_MS + 2 * 3_600_000)


def _settings(world: Settings, data_dir: Path, warehouse: str) -> Settings:
    """Settings reading the world's event log and source, writing a warehouse of their own."""
    backends = {
        "eventlog": world.backend("eventlog"),
        "source": world.backend("source"),
        "warehouse": f"duckdb://{data_dir}/{warehouse}.duckdb",
    }
    return load_settings(environ={}, data_dir=data_dir, overrides={"backends": backends})


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = load_settings(
        environ={},
        data_dir=tmp_path_factory.mktemp("social-world"),
        overrides={
            "simulate": {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "2h"},
            "faults": {"enabled": True, "violation_rate": 0.01},
        },
    )
    simulate.run(settings, domain="social")
    return settings


@pytest.fixture(scope="module")
def one_shot(
    world: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, IngestReport]:
    settings = _settings(world, tmp_path_factory.mktemp("one-shot"), "oneshot")
    report = run_ingest(
        settings, start_ms=INTERVAL.start_ms, end_ms=INTERVAL.end_ms, domain="social"
    )
    return settings, report


def _stages(settings: Settings) -> dict[str, Any]:
    return {s: stages.run(settings, INTERVAL, stage=s, domain="social") for s in stages.STAGES}


@pytest.fixture(scope="module")
def staged(
    world: Settings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, dict[str, Any]]:
    settings = _settings(world, tmp_path_factory.mktemp("staged"), "staged")
    return settings, _stages(settings)


def test_the_staged_path_gives_the_one_shot_tables(
    one_shot: tuple[Settings, IngestReport], staged: tuple[Settings, dict[str, Any]]
) -> None:
    (want, want_report), (got, reports) = one_shot, staged
    load = reports["load"]
    assert isinstance(load, IngestReport)
    assert load.entities == want_report.entities
    assert load.loaded == want_report.loaded > 0
    # The faults the simulator injected are quarantined by both paths, with the same reasons.
    assert load.quarantined == want_report.quarantined > 0
    assert_same_ingest(got, want)


def test_each_stage_leaves_its_output_in_the_interval_stage_area(
    staged: tuple[Settings, dict[str, Any]],
) -> None:
    settings, reports = staged
    root = stages.interval_dir(settings, "social", INTERVAL)
    assert root == settings.data_dir / "stage/social/20261102T000000.000Z--20261102T020000.000Z"
    assert sorted(p.name for p in root.iterdir()) == ["clean", "raw", "valid"]
    landing = sorted(p.name for p in (root / "raw" / "events").iterdir())
    assert landing == [
        "social_ad_clicks",
        "social_ad_impressions",
        "social_user_status",
        "social_views",
    ]
    assert (root / "raw" / "snapshots" / "social_users.parquet").is_file()
    assert (root / "valid" / "entities" / "social_users" / "valid.parquet").is_file()
    assert (root / "clean" / "streamed" / "social_views" / "000000" / "rows.parquet").is_file()
    rows = dict(reports["read"].rows())
    assert rows["snapshots"] == "29 tables"


def test_running_every_stage_again_changes_no_table(
    staged: tuple[Settings, dict[str, Any]],
) -> None:
    settings, _ = staged
    before = table_digests(settings)
    again = _stages(settings)["load"]
    assert again.read > 0 and again.quarantined > 0
    assert table_digests(settings) == before


def test_a_failed_load_changes_nothing_and_its_retry_alone_completes(
    world: Settings,
    one_shot: tuple[Settings, IngestReport],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _settings(world, tmp_path, "retried")
    for stage in ("read", "validate", "clean"):
        stages.run(settings, INTERVAL, stage=stage)
    real = ingest_run.load_prepared
    calls = []

    def failing(wh: Any, p: Any) -> int:
        calls.append(p.entity)
        if len(calls) == 5:  # mid-transaction: four entities are written already
            raise ConnectionError("the warehouse went away")
        return real(wh, p)

    monkeypatch.setattr("vitrina.ingest.run.load_prepared", failing)
    with pytest.raises(ConnectionError):
        stages.run(settings, INTERVAL, stage="load")
    with open_warehouse(settings.backend("warehouse")) as wh:
        users = wh.query_arrow("select count(*) as n from clean.social_users").to_pylist()
    assert users == [{"n": 0}]  # rolled back as a whole
    monkeypatch.undo()
    stages.run(settings, INTERVAL, stage="load")
    assert_same_ingest(settings, one_shot[0])


def test_a_failed_validate_leaves_no_output_and_later_stages_refuse(
    world: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(world, tmp_path, "failed")
    stages.run(settings, INTERVAL, stage="read")
    root = stages.interval_dir(settings, "social", INTERVAL)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr("vitrina.ingest.process.prepare", broken)
    with pytest.raises(OSError, match="disk full"):
        stages.run(settings, INTERVAL, stage="validate")
    assert sorted(p.name for p in root.iterdir()) == ["raw"]
    with pytest.raises(PipelineError, match="run the validate stage of this interval first"):
        stages.run(settings, INTERVAL, stage="clean")


def test_an_unknown_stage_or_no_interval_is_a_usage_error(world: Settings) -> None:
    with pytest.raises(UsageError, match="unknown stage 'marts'"):
        stages.run(world, INTERVAL, stage="marts")
    with pytest.raises(UsageError, match="needs an interval"):
        stages.run(world, None, stage="read")


def test_graph_then_marts_publish_the_social_marts_of_the_staged_load(
    staged: tuple[Settings, dict[str, Any]],
) -> None:
    from vitrina.cli.query_cmd import run_query
    from vitrina.pipelines import graph, marts

    settings, _ = staged
    users = graph.run(settings, INTERVAL).users
    assert users == 300
    rows = dict(marts.run(settings, INTERVAL, domain="social").rows())
    assert rows["mart social_user_metrics"] == "300 rows (replaced)"
    built, total = rows["tests passed"].split(" of ")
    assert built == total and int(total) > 0

    def one(sql: str) -> Any:
        return next(iter(run_query(settings, "marts", sql).to_pylist()[0].values()))

    assert one("select count(*) from social_user_metrics") == 300
    assert one("select users from social_network_summary") == 300


def test_the_marts_job_knows_only_tagged_domains(world: Settings) -> None:
    from vitrina.pipelines import marts

    with pytest.raises(UsageError, match="no dbt models are tagged 'shop'"):
        marts.run(world, INTERVAL, domain="shop")


def test_read_keeps_the_latest_stage_areas_and_empties_the_later_stages(
    staged: tuple[Settings, dict[str, Any]],
) -> None:
    settings, _ = staged
    root = stages.interval_dir(settings, "social", INTERVAL)
    older = [root.parent / f"2025{m:02d}01T000000.000Z--2025{m:02d}01T010000.000Z" for m in (1, 2)]
    newer = [
        stages.interval_dir(
            settings, "social", Interval(INTERVAL.end_ms + i, INTERVAL.end_ms + i + 1)
        )
        for i in range(stage_area.KEEP_INTERVALS)
    ]
    for path in (*older, *newer):
        path.mkdir(parents=True)
    stages.run(settings, INTERVAL, stage="read")
    left = {p.name for p in root.parent.iterdir()}
    # The oldest go first; the interval just read stays whatever its age.
    assert left == {root.name, *(p.name for p in newer)}
    assert sorted(p.name for p in root.iterdir()) == ["raw"]
