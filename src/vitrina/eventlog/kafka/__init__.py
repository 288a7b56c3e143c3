"""The event log on Kafka (``kafka://host:port[,host:port][?partitions=N][&topic_prefix=P]``).

Extra ``kafka``. ``topic_prefix`` puts every topic this log writes and reads under a prefix
(``P`` + topic): several users (or test runs) can share a cluster without sharing topics.

A slice payload becomes one message per line, keyed by the line's key (the simulator passes
product ids for clicks, so one product always lands on one partition); ``flush`` waits for
delivery. ``consume`` reads what a consumer group has not read yet, in chunks of offsets with
stable identities (:mod:`.reader`). Every confluent-kafka client is built in :mod:`.client`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

from vitrina.backends import register
from vitrina.errors import BackendError, UsageError
from vitrina.eventlog.base import Consumed, EventLog, SliceFile
from vitrina.eventlog.kafka.client import (
    Record,
    bootstrap_of,
    ensure_topics,
    read_topic,
    sink_producer,
    topic_partitions,
)
from vitrina.eventlog.kafka.reader import TopicReader
from vitrina.redact import mask_url

__all__ = [
    "KafkaEventLog",
    "Record",
    "bootstrap_of",
    "ensure_topics",
    "read_topic",
    "topic_partitions",
]

log = logging.getLogger(__name__)

_PRODUCE_RETRY = 3


@register("eventlog", "kafka", extra="kafka")
class KafkaEventLog(EventLog):
    """Kafka topics behind the event-log interface (one message per JSON line)."""

    kind = "kafka"

    def __init__(self, url: str, *, partitions: int | None = None) -> None:
        import confluent_kafka  # noqa: F401  the extra must be there before anything starts

        self.url = url
        self.bootstrap = bootstrap_of(url)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        try:
            self.partitions = int(query.get("partitions", partitions or 6))
        except ValueError as exc:
            raise UsageError(f"Kafka URL {mask_url(url)!r}: partitions must be a number") from exc
        self.topic_prefix = query.get("topic_prefix", "")
        self._producer: Any = None  # made on the first write: readers never need one
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
        topic = self.topic_prefix + topic
        if self._producer is None:
            self._producer = sink_producer(self.bootstrap)
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
        return SliceFile(
            topic, slice_start_ms, f"{topic}@{slice_start_ms}", f"{mask_url(self.url)}/{topic}"
        )

    def consume(
        self,
        topic: str,
        *,
        consumer: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> Consumed:
        """Messages the group ``vitrina-<consumer>.<topic>`` has not read; with an interval, the
        whole retained topic (message times are produce times: an interval cannot select)."""
        topic = self.topic_prefix + topic
        # One group per topic name, so a renamed topic is read from its beginning.
        reader = TopicReader(self.bootstrap, group=f"vitrina-{consumer}.{topic}")
        interval = start_ms is not None or end_ms is not None
        chunks = reader.read(topic, from_start=interval)
        return Consumed(topic, chunks, keyed=True, commit=reader.commit)

    def flush(self, timeout_s: float = 60.0) -> None:
        """Wait until every message is delivered; raise if any delivery failed."""
        if self._producer is None:
            return
        left = self._producer.flush(timeout_s)
        if left:
            raise BackendError(f"Kafka: {left} messages not delivered after {timeout_s}s")
        if self._errors:
            raise BackendError(
                f"Kafka delivery failed: {self._errors[0]} (+{len(self._errors) - 1})"
            )
