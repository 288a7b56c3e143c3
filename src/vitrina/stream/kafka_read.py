"""Read a whole Kafka topic as a committed reader would (for verification, tests and benchmarks)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from vitrina.errors import BackendError

__all__ = ["Record", "read_topic"]


@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def read_topic(
    bootstrap: str, topic: str, *, committed: bool = True, timeout_s: float = 60.0
) -> list[Record]:
    """Every record of ``topic`` up to its current end (``read_committed`` unless told otherwise)."""
    from confluent_kafka import Consumer, KafkaError, TopicPartition

    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"vitrina-reader-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "isolation.level": "read_committed" if committed else "read_uncommitted",
            "enable.partition.eof": True,
            "auto.offset.reset": "earliest",
        }
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
