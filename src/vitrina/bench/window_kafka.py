"""The Kafka half of ``vitrina bench window``: vitrina's job end to end and Quix Streams, same topic."""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from typing import Any

import numpy as np
import polars as pl

from vitrina.bench.events import bench_events
from vitrina.bench.extras import require
from vitrina.eventlog.kafka.client import bootstrap_of, ensure_topics, producer
from vitrina.stream.engine import WindowSpec
from vitrina.stream.sinks import Counters

__all__ = ["kafka_figures", "require_kafka_extras"]

log = logging.getLogger(__name__)

_PARTITIONS = 6


def require_kafka_extras() -> None:
    """Fail with one line naming the extra when the Kafka client or Quix Streams is missing."""
    require("confluent_kafka", "kafka", "bench window's Kafka figures")
    require("quixstreams", "bench", "bench window's Quix Streams figure")


def _payloads(n: int, products: int, rate_per_s: int) -> tuple[list[bytes], list[bytes]]:
    ts, keys = bench_events(n, products=products, rate_per_s=rate_per_s, disorder_ms=2_000)
    rng = np.random.default_rng(3)
    frame = pl.DataFrame(
        {
            "event_id": [f"b{i}" for i in range(n)],
            "user_id": rng.integers(1, 5_000, n),
            "session_id": [f"s{i % 9973}" for i in range(n)],
            "product_id": keys,
            "event_type": np.where(rng.random(n) < 0.5, "click", "view"),
            "ts": pl.from_epoch(pl.Series(ts), time_unit="ms").dt.strftime(
                "%Y-%m-%dT%H:%M:%S%.3fZ"
            ),
            "device": "mobile",
        }
    )
    lines = frame.write_ndjson().encode().split(b"\n")[:-1]
    return lines, [str(k).encode() for k in keys.tolist()]


def _produce(bootstrap: str, topic: str, values: list[bytes], keys: list[bytes]) -> None:
    p = producer(
        bootstrap,
        linger_ms=50,
        batch_num_messages=100_000,
        queue_buffering_max_messages=2_000_000,
        compression_type="lz4",
    )
    for v, k in zip(values, keys, strict=True):
        while True:
            try:
                p.produce(topic, v, k)
                break
            except BufferError:
                p.poll(0.1)
    if p.flush(120):
        raise RuntimeError("benchmark input not delivered")


def _vitrina_e2e(url: str, spec: WindowSpec, topic: str, n: int) -> float:
    from vitrina.stream.kafka_job import run_kafka

    marks: list[tuple[float, int]] = []

    def on_batch(c: Counters) -> None:
        marks.append((time.perf_counter(), c.events))

    counters = run_kafka(
        bootstrap_url=url,
        sink_url=url,
        marts_url=None,
        spec=spec,
        input_topic=topic,
        output_topic=f"{topic}.windows",
        partitions=_PARTITIONS,
        group=f"bench-{uuid.uuid4().hex[:6]}",
        instance=0,
        follow=False,
        idle_timeout_ms=0,
        on_batch=on_batch,
    )
    end = time.perf_counter()
    if counters.events != n:
        raise RuntimeError(f"vitrina consumed {counters.events} of {n} events")
    # Like Quix's figure below: from the end of the first batch (the group join and the first
    # fetch are behind us) to the end of input, its flush and last commit included.
    first_at, first_events = next((t, e) for t, e in marks if e > 0)
    if first_events == n:
        raise RuntimeError("all events came in one batch: use more events to measure a rate")
    return (n - first_events) / (end - first_at)


def _quix(url: str, spec: WindowSpec, topic: str, n: int) -> float:
    from quixstreams import Application

    bootstrap = bootstrap_of(url)
    seen = {"n": 0, "first": 0.0, "last": 0.0}
    holder: dict[str, Any] = {}

    def processed(topic_name: str, partition: int, offset: int) -> None:
        now = time.perf_counter()
        if seen["n"] == 0:
            seen["first"] = now
        seen["n"] += 1
        seen["last"] = now
        if seen["n"] >= n:
            holder["app"].stop()

    with tempfile.TemporaryDirectory(prefix="vitrina-quix-") as state_dir:
        app = Application(
            broker_address=bootstrap,
            consumer_group=f"bench-quix-{uuid.uuid4().hex[:6]}",
            auto_offset_reset="earliest",
            state_dir=state_dir,
            processing_guarantee="exactly-once",
            loglevel="WARNING",
            on_message_processed=processed,
        )
        holder["app"] = app

        def event_time(value: Any, headers: Any, timestamp: int, kind: Any) -> int:
            return int(np.datetime64(value["ts"][:-1], "ms").astype(np.int64))

        src = app.topic(topic, value_deserializer="json", timestamp_extractor=event_time)
        out = app.topic(f"{topic}.quix", value_serializer="json")
        sdf = app.dataframe(src)
        sdf = sdf[sdf["event_type"] == "click"]
        sdf = sdf.group_by("product_id")
        sdf = (
            sdf.hopping_window(
                duration_ms=spec.size_ms, step_ms=spec.hop_ms, grace_ms=spec.lateness_ms
            )
            .count()
            .final()
        )
        sdf.to_topic(out)
        app.run(timeout=20)
    if seen["n"] < 2:
        raise RuntimeError("Quix Streams processed no messages")
    return (seen["n"] - 1) / (seen["last"] - seen["first"])


def kafka_figures(
    url: str,
    spec: WindowSpec,
    *,
    kafka_events: int,
    quix_events: int,
    products: int,
    rate_per_s: int,
    repeat: int = 2,
) -> dict[str, Any]:
    """Produce ``kafka_events`` to a fresh topic, then time vitrina's job and Quix on it."""
    require_kafka_extras()
    bootstrap = bootstrap_of(url)
    topic = f"bench-clicks-{uuid.uuid4().hex[:8]}"
    ensure_topics(bootstrap, {topic: _PARTITIONS})
    values, keys = _payloads(kafka_events, products, rate_per_s)
    _produce(bootstrap, topic, values, keys)
    # Best of ``repeat`` for both (a fresh consumer group each time), like the engine's figure:
    # the broker shares this machine's cores, so one run can be slowed by its housekeeping.
    e2e = max(_vitrina_e2e(url, spec, topic, kafka_events) for _ in range(repeat))
    figures: dict[str, Any] = {
        "kafka_topic": topic,
        "kafka_events": kafka_events,
        "kafka_repeat": repeat,
        "e2e_kafka_events_per_s": round(e2e),
    }
    try:
        n_quix = min(quix_events, kafka_events)
        quix = max(_quix(url, spec, topic, n_quix) for _ in range(repeat))
        figures.update(quix_events=n_quix, quix_events_per_s=round(quix))
    except Exception as exc:  # a Quix failure must not hide vitrina's own figures
        log.warning("Quix Streams benchmark failed: %s", exc)
        figures.update(quix_events_per_s=None, quix_error=str(exc)[:200])
    return figures
