"""Every confluent-kafka client vitrina builds: settings, producers, consumers, admin, topics.

The librdkafka settings of each use sit here, side by side, so a change of broker defaults
(security, timeouts) is made once: the sink producer of the event log, the transactional
producer and group consumer of the stream job, the committed readers of ingest, state and
verification. ``confluent_kafka`` is imported inside each function: it is the ``kafka`` extra.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from vitrina.errors import BackendError, ServiceUnavailable, UsageError
from vitrina.redact import mask_url

__all__ = [
    "MAX_STATE_BYTES",
    "Record",
    "bootstrap_of",
    "ensure_topics",
    "group_consumer",
    "producer",
    "reachable",
    "read_topic",
    "reader",
    "sink_producer",
    "topic_partitions",
    "transactional_producer",
]

log = logging.getLogger(__name__)

# The stream job's engine state travels as one record per partition: room for big states.
MAX_STATE_BYTES = 64 << 20


def bootstrap_of(url: str) -> str:
    """``kafka://h1:9092,h2:9092`` -> ``h1:9092,h2:9092``."""
    parts = urlsplit(url)
    if parts.scheme != "kafka" or not parts.netloc:
        raise UsageError(f"Kafka URL {mask_url(url)!r}: expected kafka://host:port")
    return parts.netloc


def producer(bootstrap: str, **settings: Any) -> Any:
    """A producer for ``bootstrap``; ``settings`` are librdkafka keys with ``_`` for ``.``."""
    from confluent_kafka import Producer

    return Producer(_config(bootstrap, settings))


def consumer(bootstrap: str, **settings: Any) -> Any:
    from confluent_kafka import Consumer

    return Consumer(_config(bootstrap, settings))


def _config(bootstrap: str, settings: dict[str, Any]) -> dict[str, Any]:
    return {"bootstrap.servers": bootstrap, **{k.replace("_", "."): v for k, v in settings.items()}}


def sink_producer(bootstrap: str) -> Any:
    """The event log's writer: idempotent, batched, compressed (the simulator's throughput)."""
    return producer(
        bootstrap,
        enable_idempotence=True,
        linger_ms=20,
        batch_num_messages=100_000,
        queue_buffering_max_messages=1_000_000,
        compression_type="lz4",
    )


def transactional_producer(bootstrap: str, transactional_id: str) -> Any:
    """The stream job's producer: outputs, dead letters, state and offsets in one transaction."""
    return producer(
        bootstrap,
        transactional_id=transactional_id,
        enable_idempotence=True,
        linger_ms=5,
        compression_type="lz4",
        # A flush emits every open window at once: room for them without blocking.
        queue_buffering_max_messages=2_000_000,
        queue_buffering_max_kbytes=1 << 20,
        message_max_bytes=MAX_STATE_BYTES,
        transaction_timeout_ms=15000,
    )


def group_consumer(bootstrap: str, group: str, instance_id: str) -> Any:
    """The stream job's consumer: a static group member reading committed data in big fetches."""
    return consumer(
        bootstrap,
        group_id=group,
        # Static membership: a restarted instance takes its partitions back at once.
        group_instance_id=instance_id,
        session_timeout_ms=10000,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        enable_partition_eof=True,
        fetch_min_bytes=1,
        fetch_wait_max_ms=100,
        max_partition_fetch_bytes=8 << 20,
        queued_min_messages=500_000,
        queued_max_messages_kbytes=262144,
    )


def reader(bootstrap: str, group: str, *, committed: bool = True, **settings: Any) -> Any:
    """A consumer that assigns partitions itself and commits only when told (ingest, state)."""
    return consumer(
        bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed" if committed else "read_uncommitted",
        **settings,
    )


def _admin(bootstrap: str) -> Any:
    from confluent_kafka.admin import AdminClient

    return AdminClient({"bootstrap.servers": bootstrap})


def reachable(bootstrap: str, timeout_s: float = 3.0) -> bool:
    """Whether a broker answers at ``bootstrap`` within ``timeout_s``."""
    try:
        _admin(bootstrap).list_topics(timeout=timeout_s)
    except Exception as exc:  # any client failure means "not here"
        log.info("no Kafka at %s: %s", bootstrap, exc)
        return False
    return True


def ensure_topics(
    bootstrap: str,
    topics: dict[str, int],
    *,
    configs: dict[str, dict[str, str]] | None = None,
    timeout_s: float = 20.0,
) -> None:
    """Create the topics that do not exist yet (name -> partitions); existing ones are kept."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import NewTopic

    admin = _admin(bootstrap)
    try:
        existing = set(admin.list_topics(timeout=timeout_s).topics)
    except KafkaException as exc:
        raise ServiceUnavailable(f"Kafka at {bootstrap} is not reachable: {exc}") from exc
    new = [
        NewTopic(name, num_partitions=n, replication_factor=1, config=(configs or {}).get(name, {}))
        for name, n in topics.items()
        if name not in existing
    ]
    if not new:
        return
    for name, future in admin.create_topics(new, operation_timeout=timeout_s).items():
        try:
            future.result()
        except KafkaException as exc:
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise BackendError(f"cannot create Kafka topic {name}: {exc}") from exc
    log.info("kafka: created topics %s", [t.topic for t in new])


def topic_partitions(bootstrap: str, topic: str, timeout_s: float = 10.0) -> int:
    """How many partitions ``topic`` has (0 when it does not exist)."""
    from confluent_kafka import KafkaException

    try:
        meta = _admin(bootstrap).list_topics(topic=topic, timeout=timeout_s)
    except KafkaException as exc:
        raise ServiceUnavailable(f"Kafka at {bootstrap} is not reachable: {exc}") from exc
    info = meta.topics.get(topic)
    if info is None or info.error is not None:
        return 0
    return len(info.partitions)


@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def read_topic(
    bootstrap: str, topic: str, *, committed: bool = True, timeout_s: float = 60.0
) -> list[Record]:
    """Every record of ``topic`` up to its current end (``read_committed`` unless told otherwise).

    For verification, tests and benchmarks: a fresh group, nothing committed.
    """
    from confluent_kafka import KafkaError, TopicPartition

    c = reader(
        bootstrap,
        f"vitrina-reader-{uuid.uuid4().hex[:8]}",
        committed=committed,
        enable_partition_eof=True,
    )
    out: list[Record] = []
    try:
        meta = c.list_topics(topic, timeout=10).topics.get(topic)
        if meta is None or meta.error is not None:
            return out
        parts = sorted(meta.partitions)
        ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts}
        todo = {p for p in parts if ends[p] > 0}
        c.assign([TopicPartition(topic, p, 0) for p in parts])
        deadline = time.monotonic() + timeout_s
        while todo and time.monotonic() < deadline:
            for m in c.consume(num_messages=10_000, timeout=0.5):
                err = m.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        todo.discard(m.partition())
                        continue
                    raise BackendError(f"reading {topic}: {err}")
                out.append(Record(m.partition(), m.offset(), m.key(), m.value()))
                if m.offset() + 1 >= ends[m.partition()]:
                    todo.discard(m.partition())
        if todo:
            raise BackendError(f"reading {topic}: partitions {sorted(todo)} not read to the end")
    finally:
        c.close()
    return out
