"""The main job end to end on the local profile: every step, and the steps agree with each other."""

from __future__ import annotations

import pytest

from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings, load_settings
from vitrina.pipelines.run import RunReport, run_all


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, RunReport]:
    settings = load_settings(
        environ={},
        data_dir=tmp_path_factory.mktemp("run"),
        overrides={
            "simulate": {
                "scale": "classic",
                "start": "2026-11-02T00:00:00Z",
                "duration": "6h",
                "seed": 21,
            },
            "faults": {"enabled": True},
        },
    )
    return settings, run_all(settings)


def _figures(report: RunReport) -> dict[str, str]:
    return dict(report.rows())


def test_every_step_ran(faulty_run: tuple[Settings, RunReport]) -> None:
    _, report = faulty_run
    assert [name for name, _, _ in report.steps] == [
        "simulate",
        "stream",
        "ingest",
        "graph",
        "transform",
        "publish",
    ]


def test_stream_and_dbt_agree_on_the_latest_closed_window(
    faulty_run: tuple[Settings, RunReport],
) -> None:
    """top_products' clicks_5m (dbt, batch) = the stream's product_clicks for that window."""
    settings, _ = faulty_run
    batch = run_query(
        settings,
        "warehouse",
        "select product_id, window_end_ms, clicks from intermediate.int_product_clicks__latest_window",
    ).to_pylist()
    assert len(batch) > 5
    window_end_ms = batch[0]["window_end_ms"]
    stream = run_query(
        settings,
        "marts",
        "select product_id, clicks from product_clicks final "
        f"where toUnixTimestamp64Milli(window_end) = {window_end_ms}",
    ).to_pylist()
    assert {r["product_id"]: r["clicks"] for r in batch} == {
        r["product_id"]: r["clicks"] for r in stream
    }


def test_faults_are_quarantined_or_dead_lettered(faulty_run: tuple[Settings, RunReport]) -> None:
    settings, report = faulty_run
    figures = _figures(report)
    assert int(figures["stream.late events"].replace(",", "")) > 0
    assert int(figures["stream.malformed lines"].replace(",", "")) > 0
    assert int(figures["stream.contract violations"].replace(",", "")) > 0
    quarantined = run_query(
        settings, "warehouse", "select entity, count(*) as n from raw.quarantine group by entity"
    ).to_pylist()
    by_entity = {r["entity"]: r["n"] for r in quarantined}
    assert by_entity.get("clicks", 0) > 0 and by_entity.get("orders", 0) > 0


def test_top_products_follow_the_pinned_score(faulty_run: tuple[Settings, RunReport]) -> None:
    settings, _ = faulty_run
    rows = run_query(settings, "marts", "select * from top_products order by rank").to_pylist()
    assert [r["rank"] for r in rows] == list(range(1, 11))
    for r in rows:
        assert float(r["score"]) == pytest.approx(
            0.7 * r["clicks_5m"] + 0.3 * r["units_ordered"], abs=0.01
        )
    scores = [(-float(r["score"]), r["product_id"]) for r in rows]
    assert scores == sorted(scores)


def test_renamed_topics_flow_through_every_step(tmp_path_factory: pytest.TempPathFactory) -> None:
    settings = load_settings(
        environ={
            "VITRINA_KAFKA_CLICKS_TOPIC": "shop.clicks",
            "VITRINA_KAFKA_REGISTRATIONS_TOPIC": "shop.regs",
        },
        data_dir=tmp_path_factory.mktemp("renamed"),
        overrides={
            "simulate": {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "3h"}
        },
    )
    figures = dict(run_all(settings).rows())
    clicks = int(figures["simulate.events.clicks"].replace(",", ""))
    assert clicks > 0
    assert int(figures["stream.events"].replace(",", "")) == clicks
    assert figures["ingest.clicks"].startswith(f"read {clicks}, loaded {clicks},")
