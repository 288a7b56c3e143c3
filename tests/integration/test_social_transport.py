"""Social events through both transports on the real services: Kafka (a topic per event kind)
and MinIO (time-named JSON-lines objects), each record loaded once whatever path it took."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.integration.conftest import Minio
from tests.support.digests import assert_same_ingest, table_digests
from vitrina.config import Settings, load_settings
from vitrina.contracts.registry import entities_of
from vitrina.eventlog import open_eventlog
from vitrina.ingest.run import IngestReport, run_ingest
from vitrina.pipelines import simulate, stages
from vitrina.pipelines.interval import Interval
from vitrina.simulate.run import SimulationReport

pytestmark = pytest.mark.services("kafka", "minio")

EVENTS = entities_of("event", ("social",))


def _settings(data_dir: Path, eventlog: str) -> Settings:
    return load_settings(
        environ={},
        data_dir=data_dir,
        cwd=data_dir,
        overrides={
            "backends": {"eventlog": eventlog},
            "simulate": {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "2h"},
            "faults": {"enabled": True},
        },
    )


def _clean(settings: Settings) -> dict[str, tuple[int, str]]:
    return table_digests(settings, [f"clean.{e}" for e in EVENTS])


def _check_counts(report: IngestReport, simulated: SimulationReport) -> None:
    for topic in EVENTS:
        c = report.counts(topic)
        assert c.read == simulated.events[topic] > 0, topic
        assert c.read == c.loaded + c.duplicates + c.quarantined, topic
    assert report.counts("social_views").duplicates > 0  # the faults repeat deliveries


def test_kafka_then_minio_load_every_record_once(
    tmp_path: Path, kafka_bootstrap: str, minio: Minio
) -> None:
    run = uuid.uuid4().hex[:10]
    kafka_url = f"kafka://{kafka_bootstrap}?partitions=2&topic_prefix=test-{run}-"
    host = urlsplit(minio.endpoint).netloc
    s3_url = f"s3://{minio.user}:{minio.password}@{host}/{minio.bucket}/test-social-{run}"
    on_kafka = _settings(tmp_path / "data", kafka_url)
    on_minio = _settings(tmp_path / "data", s3_url)
    try:
        # (A) Kafka: one topic per event kind, offsets committed after the load.
        simulated = simulate.run(on_kafka, domain="social")
        first = run_ingest(on_kafka, domain="social")
        _check_counts(first, simulated)
        loaded = _clean(on_kafka)
        assert loaded["clean.social_views"][0] == first.counts("social_views").loaded
        assert run_ingest(on_kafka, domain="social").counts("social_views").read == 0
        whole = run_ingest(on_kafka, domain="social", start_ms=0, end_ms=2**62)
        assert whole.counts("social_views").read == simulated.events["social_views"]
        assert sum(whole.counts(t).loaded for t in EVENTS) == 0
        assert _clean(on_kafka) == loaded

        # (B) MinIO: the same records as time-named objects, processed once (a manifest).
        again = simulate.run(on_minio, domain="social")
        assert again.events == simulated.events
        log = open_eventlog(s3_url)
        names = [f.name for f in log.list("social_views")]  # type: ignore[attr-defined]
        assert names == sorted(names) and names[0] == "social_views.20261102T000000Z.jsonl"
        second = run_ingest(on_minio, domain="social")
        _check_counts(second, simulated)
        # Arriving by both paths, every record is still one row.
        assert sum(second.counts(t).loaded for t in EVENTS) == 0
        assert _clean(on_minio) == loaded
        assert run_ingest(on_minio, domain="social").counts("social_views").read == 0
    finally:
        fs = open_eventlog(s3_url).fs  # type: ignore[attr-defined]
        if fs.exists(f"{minio.bucket}/test-social-{run}"):
            fs.rm(f"{minio.bucket}/test-social-{run}", recursive=True)
        _delete_topics(kafka_bootstrap, [f"test-{run}-{t}" for t in EVENTS])


def _delete_topics(bootstrap: str, topics: list[str]) -> None:
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.delete_topics(topics, operation_timeout=30).values():
        future.result(30)


@pytest.fixture()
def scratch_databases(
    scratch_databases_factory: Callable[[str], tuple[str, str]],
) -> tuple[str, str]:
    """A warehouse and a source database of their own."""
    return scratch_databases_factory("vitrina_social")


@pytest.mark.services("kafka", "postgres")
def test_simulate_then_ingest_social_on_the_stack_profile(
    tmp_path: Path, kafka_bootstrap: str, scratch_databases: tuple[str, str]
) -> None:
    """PostgreSQL source and warehouse (booleans, composite keys), Kafka event log."""
    warehouse, source = scratch_databases
    run = uuid.uuid4().hex[:10]
    settings = load_settings(
        environ={},
        profile="stack",
        data_dir=tmp_path,
        cwd=tmp_path,
        overrides={
            "backends": {
                "eventlog": f"kafka://{kafka_bootstrap}?partitions=2&topic_prefix=stack-{run}-",
                "source": source,
                "warehouse": warehouse,
            },
            "simulate": {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "2h"},
            "faults": {"enabled": True},
        },
    )
    try:
        simulated = simulate.run(settings, domain="social")
        first = run_ingest(settings, domain="social")
        _check_counts(first, simulated)
        assert first.counts("social_friendships").quarantined > 0  # the injected self-ties
        digests = table_digests(settings)
        assert digests["clean.social_users"][0] == first.counts("social_users").loaded > 0
        assert digests["clean.social_user_status"][0] == first.counts("social_user_status").loaded
        again = run_ingest(settings, domain="social")
        assert sum(again.counts(t).read for t in EVENTS) == 0
        assert table_digests(settings) == digests
    finally:
        _delete_topics(kafka_bootstrap, [f"stack-{run}-{t}" for t in EVENTS])


@pytest.mark.parametrize("transport", ["kafka", "minio"])
def test_the_staged_ingest_reads_each_transport_like_vitrina_ingest(
    tmp_path: Path, kafka_bootstrap: str, minio: Minio, transport: str
) -> None:
    """read → validate → clean → load, each a call of its own, from Kafka topics or MinIO
    objects: the same tables as the one-shot ingest of the same interval."""
    run = uuid.uuid4().hex[:10]
    if transport == "kafka":
        eventlog = f"kafka://{kafka_bootstrap}?partitions=2&topic_prefix=test-{run}-"
    else:
        host = urlsplit(minio.endpoint).netloc
        eventlog = f"s3://{minio.user}:{minio.password}@{host}/{minio.bucket}/test-stages-{run}"
    world = _settings(tmp_path / "data", eventlog)
    simulate.run(world, domain="social")
    interval = Interval.parse("2026-11-02T00:00:00Z", "2026-11-02T02:00:00Z")

    def apart(name: str) -> Settings:
        return load_settings(
            environ={},
            data_dir=tmp_path / name,
            overrides={
                "backends": {
                    "eventlog": eventlog,
                    "source": world.backend("source"),
                    "warehouse": f"duckdb://{tmp_path / name}/warehouse.duckdb",
                }
            },
        )

    one_shot, staged = apart("one-shot"), apart("staged")
    want = run_ingest(one_shot, start_ms=interval.start_ms, end_ms=interval.end_ms, domain="social")
    for stage in stages.STAGES:
        got = stages.run(staged, interval, stage=stage, domain="social")
    assert isinstance(got, IngestReport)
    assert got.entities == want.entities
    assert got.counts("social_views").read > 0
    assert_same_ingest(staged, one_shot)
