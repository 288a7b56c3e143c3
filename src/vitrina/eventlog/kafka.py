"""The event log on Kafka: a sink with the file log's ``write_slice``, plus client helpers.

``KafkaEventLog("kafka://host:port")`` turns each slice payload into one message per line,
keyed by the line's key (the simulator passes product ids for clicks, so one product always
lands on one partition), and ``flush`` waits for delivery. The helpers build the producer and
consumer configurations the stream job uses, and create topics idempotently.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vitrina.errors import BackendError, ServiceUnavailable, UsageError
from vitrina.eventlog.files import SliceFile

__all__ = ["KafkaEventLog", "bootstrap_of", "ensure_topics", "topic_partitions"]

log = logging.getLogger(__name__)

_PRODUCE_RETRY = 3


def bootstrap_of(url: str) -> str:
    """``kafka://h1:9092,h2:9092`` -> ``h1:9092,h2:9092``."""
    parts = urlsplit(url)
    if parts.scheme != "kafka" or not parts.netloc:
        raise UsageError(f"Kafka URL {url!r}: expected kafka://host:port")
    return parts.netloc


def _admin(bootstrap: str) -> Any:
    from confluent_kafka.admin import AdminClient

    return AdminClient({"bootstrap.servers": bootstrap})


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


class KafkaEventLog:
    """A Kafka sink with the file event log's ``write_slice`` (one message per line)."""

    def __init__(self, url: str, *, partitions: int | None = None) -> None:
        from confluent_kafka import Producer

        self.url = url
        self.bootstrap = bootstrap_of(url)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        self.partitions = int(query.get("partitions", partitions or 6))
        self._producer = Producer(
            {
                "bootstrap.servers": self.bootstrap,
                "enable.idempotence": True,
                "linger.ms": 20,
                "batch.num.messages": 100_000,
                "queue.buffering.max.messages": 1_000_000,
                "compression.type": "lz4",
            }
        )
        self._ensured: set[str] = set()
        self._errors: list[str] = []
        self.count_sent = 0

    def _on_delivery(self, err: Any, msg: Any) -> None:
        if err is not None:
            self._errors.append(str(err))

    def write_slice(
        self, topic: str, slice_start_ms: int, payload: bytes, keys: list[bytes] | None = None
    ) -> SliceFile:
        """Send each line of ``payload`` as one message, keyed by the line's key (when given)."""
        if topic not in self._ensured:
            ensure_topics(self.bootstrap, {topic: self.partitions})
            self._ensured.add(topic)
        lines = payload.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        if keys is not None and len(keys) != len(lines):
            log.warning("write_slice: %d keys for %d lines; unkeyed lines", len(keys), len(lines))
            keys = None
        produce = self._producer.produce
        for i, line in enumerate(lines):
            key = None if keys is None else keys[i]
            for _ in range(_PRODUCE_RETRY):
                try:
                    produce(topic, line, key, on_delivery=self._on_delivery)
                    break
                except BufferError:
                    self._producer.poll(0.5)  # local queue full: let deliveries drain
            else:
                raise BackendError(f"Kafka producer queue stays full while writing {topic}")
        self._producer.poll(0)
        self.count_sent += len(lines)
        log.debug("kafka: %d messages to %s (slice %d)", len(lines), topic, slice_start_ms)
        return SliceFile(topic, slice_start_ms, f"{topic}@{slice_start_ms}", f"{self.url}/{topic}")

    def flush(self, timeout_s: float = 60.0) -> None:
        """Wait until every message is delivered; raise if any delivery failed."""
        left = self._producer.flush(timeout_s)
        if left:
            raise BackendError(f"Kafka: {left} messages not delivered after {timeout_s}s")
        if self._errors:
            raise BackendError(
                f"Kafka delivery failed: {self._errors[0]} (+{len(self._errors) - 1})"
            )

    def close(self) -> None:
        self.flush()
