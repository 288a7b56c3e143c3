"""Consuming a Kafka topic in chunks with stable identities, offsets committed when told.

A read takes every partition from the group's committed offset (or the start) up to the end
offset seen when it began; ``from_start`` re-reads the whole retained topic (Kafka message
times are produce times, not event times, so an interval cannot select messages). Messages
are grouped into chunks ``kafka:<topic>/<partition>/<first offset of a 100 000 block>`` with
``line = offset - block + 1``, so a record keeps one identity however the reads are split, and
a reader that stores by that key (ingest) changes nothing when it reads a message twice.
:meth:`TopicReader.commit` stores the positions only after the caller's load committed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from vitrina.errors import BackendError, ServiceUnavailable
from vitrina.eventlog.base import Chunk
from vitrina.eventlog.kafka.client import reader

__all__ = ["BLOCK", "TopicReader", "chunk_name"]

log = logging.getLogger(__name__)

BLOCK = 100_000
_POLL_S = 1.0
_IDLE_LIMIT_S = 30.0


def chunk_name(topic: str, partition: int, offset: int) -> tuple[str, int]:
    """(name of the chunk holding ``offset``, the offset's line in it): a record's identity."""
    block = offset // BLOCK * BLOCK
    return f"kafka:{topic}/{partition}/{block:012d}", offset - block + 1


@dataclass
class TopicReader:
    """Reads topics of one Kafka cluster for one group; :meth:`commit` stores the positions read."""

    bootstrap: str
    group: str
    _positions: list[Any] = field(default_factory=list)

    def _consumer(self) -> Any:
        return reader(self.bootstrap, self.group)

    def read(self, topic: str, *, from_start: bool) -> list[Chunk]:
        """Records of ``topic`` not read by the group yet (or all of them), in chunks."""
        from confluent_kafka import KafkaException, TopicPartition

        chunks: list[Chunk] = []
        consumer = self._consumer()
        try:
            try:
                meta = consumer.list_topics(topic=topic, timeout=10)
            except KafkaException as exc:
                raise ServiceUnavailable(
                    f"Kafka at {self.bootstrap} is not reachable: {exc}"
                ) from exc
            info = meta.topics.get(topic)
            if info is None or info.error is not None:
                log.info("kafka topic %s does not exist yet: nothing to read", topic)
                return chunks
            parts = sorted(info.partitions)
            committed = {
                tp.partition: tp.offset
                for tp in consumer.committed([TopicPartition(topic, p) for p in parts], timeout=10)
            }
            plan: dict[int, tuple[int, int]] = {}
            for p in parts:
                low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                start = low if from_start or committed.get(p, -1) < 0 else max(committed[p], low)
                if start < high:
                    plan[p] = (start, high)
                self._positions.append(
                    TopicPartition(topic, p, high if start < high else max(start, low))
                )
            messages = self._drain(consumer, topic, plan)
        finally:
            consumer.close()
        count = 0
        for (partition, block), rows in sorted(messages.items()):
            # One line per message: a raw newline inside a value must not split it.
            payload = b"\n".join(v.replace(b"\n", b" ") for _, v in rows)
            lines = [o - block + 1 for o, _ in rows]
            chunks.append(Chunk(chunk_name(topic, partition, block)[0], payload, lines))
            count += len(rows)
        log.info("kafka %s: %d partitions, %d records", topic, len(plan), count)
        return chunks

    def _drain(
        self, consumer: Any, topic: str, plan: dict[int, tuple[int, int]]
    ) -> dict[tuple[int, int], list[tuple[int, bytes]]]:
        from confluent_kafka import TopicPartition

        out: dict[tuple[int, int], list[tuple[int, bytes]]] = {}
        if not plan:
            return out
        consumer.assign([TopicPartition(topic, p, start) for p, (start, _) in plan.items()])
        left = {p: end for p, (_, end) in plan.items()}
        idle_since = time.monotonic()
        while left:
            msgs = consumer.consume(num_messages=10_000, timeout=_POLL_S)
            if not msgs:
                if time.monotonic() - idle_since > _IDLE_LIMIT_S:
                    raise BackendError(
                        f"Kafka {topic}: no progress for {_IDLE_LIMIT_S:.0f} s before the end offsets"
                    )
                # Transaction markers take offsets without messages: check real positions.
                for tp in consumer.position([TopicPartition(topic, p) for p in list(left)]):
                    if tp.offset >= left.get(tp.partition, 0):
                        left.pop(tp.partition, None)
                continue
            idle_since = time.monotonic()
            for m in msgs:
                if m.error() is not None:
                    raise BackendError(f"Kafka {topic}: {m.error()}")
                p, o = m.partition(), m.offset()
                end = left.get(p)
                if end is None or o >= end:
                    continue
                out.setdefault((p, o // BLOCK * BLOCK), []).append((o, m.value() or b""))
                if o + 1 >= end:
                    left.pop(p, None)
        return out

    def commit(self) -> None:
        """Store the end positions of this run's reads for the group (after the load committed)."""
        if not self._positions:
            return
        from confluent_kafka import KafkaException

        consumer = self._consumer()
        try:
            consumer.commit(offsets=self._positions, asynchronous=False)
        except KafkaException as exc:
            raise BackendError(f"Kafka: cannot commit offsets of {self.group}: {exc}") from exc
        finally:
            consumer.close()
