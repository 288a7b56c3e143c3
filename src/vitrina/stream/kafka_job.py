"""The stream job on Kafka, exactly once: outputs, dead letters, state and offsets in one txn.

Each micro-batch (many messages per poll) is parsed columnar, windowed by one engine per input
partition (arrival order and the watermark are per partition, so any split of partitions over
processes gives the same results), and then, inside ONE Kafka transaction:

* the closed windows go to ``product_clicks_5m`` (key product_id, same partition number as the
  input), bad and late events to ``clicks.dlq`` with payload, reason and topic/partition/offset;
* each touched partition's engine state goes to the compacted topic ``product_clicks_5m.state``
  (key ``group|topic|partition``);
* the consumed offsets are added with ``send_offsets_to_transaction``.

The commit makes all of it visible at once to ``read_committed`` readers; a crash before it
aborts all of it (the restarted instance, same ``transactional.id``, fences and aborts the
old transaction), and the batch is consumed again from the committed offsets with the state
that belongs to those offsets. So each window is emitted exactly once with the same counts as
an uninterrupted run. On (re)assignment a partition's state is read back from the state topic.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from vitrina.errors import BackendError
from vitrina.eventlog.kafka.client import (
    MAX_STATE_BYTES,
    bootstrap_of,
    ensure_topics,
    group_consumer,
    reader,
    transactional_producer,
)
from vitrina.hotloop import GcClock
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec
from vitrina.stream.parse import parse_clicks, warm_up
from vitrina.stream.records import windows_jsonl, windows_keys
from vitrina.stream.sinks import Counters, MartsSink, dead_letter_lines

__all__ = ["run_kafka", "state_key"]

log = logging.getLogger(__name__)


def state_key(group: str, topic: str, partition: int) -> bytes:
    return f"{group}|{topic}|{partition}".encode()


def _read_states(bootstrap: str, state_topic: str, wanted: set[bytes]) -> dict[bytes, bytes]:
    """Latest committed state record per wanted key (the state topic has one partition)."""
    from confluent_kafka import KafkaError, TopicPartition

    c = reader(
        bootstrap,
        "vitrina-stream-state-reader",
        enable_partition_eof=True,
        fetch_message_max_bytes=MAX_STATE_BYTES,
    )
    found: dict[bytes, bytes] = {}
    try:
        low, high = c.get_watermark_offsets(TopicPartition(state_topic, 0), timeout=10)
        if high <= low:
            return found
        c.assign([TopicPartition(state_topic, 0, low)])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            msgs = c.consume(num_messages=1000, timeout=1.0)
            eof = False
            for m in msgs:
                err = m.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        eof = True
                        continue
                    raise BackendError(f"reading {state_topic}: {err}")
                key = m.key()
                if key in wanted:
                    value = m.value()
                    if value:
                        found[key] = value
                    else:
                        found.pop(key, None)
            if eof:
                break
        else:
            raise BackendError(f"reading {state_topic}: no end after 120 s")
    finally:
        c.close()
    return found


def run_kafka(
    *,
    bootstrap_url: str,
    sink_url: str,
    marts_url: str | None,
    spec: WindowSpec,
    input_topic: str,
    output_topic: str,
    partitions: int,
    group: str,
    instance: int,
    follow: bool,
    idle_timeout_ms: int,
    on_batch: Callable[[Counters], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    max_batch: int = 100_000,
    poll_timeout_s: float = 0.5,
) -> Counters:
    """Consume ``input_topic`` in group ``group`` until end of input (or forever when following)."""
    from confluent_kafka import KafkaError, KafkaException, Message, TopicPartition

    bootstrap = bootstrap_of(bootstrap_url)
    out_bootstrap = bootstrap_of(sink_url)
    dlq_topic = f"{input_topic}.dlq"
    state_topic = f"{output_topic}.state"
    ensure_topics(bootstrap, {input_topic: partitions})
    ensure_topics(
        out_bootstrap,
        {output_topic: partitions, dlq_topic: partitions, state_topic: 1},
        configs={
            state_topic: {
                "cleanup.policy": "compact",
                "max.message.bytes": str(MAX_STATE_BYTES),
                "segment.ms": "60000",
                "min.cleanable.dirty.ratio": "0.1",
            }
        },
    )
    producer = transactional_producer(out_bootstrap, f"vitrina-stream.{group}.{instance}")
    try:
        producer.init_transactions(60)
    except KafkaException as exc:
        raise BackendError(f"Kafka transactions at {out_bootstrap}: {exc}") from exc
    engines: dict[int, WindowEngine] = {}
    eof: set[int] = set()
    counters = Counters()

    def on_assign(consumer: Any, assigned: list[Any]) -> None:
        parts = [tp.partition for tp in assigned]
        keys = {state_key(group, input_topic, p): p for p in parts}
        states = _read_states(out_bootstrap, state_topic, set(keys))
        for key, p in keys.items():
            raw = states.get(key)
            engines[p] = WindowEngine.from_bytes(raw, spec) if raw else WindowEngine(spec)
            eof.discard(p)
        log.info("assigned partitions %s (%d with saved state)", parts, len(states))
        counters.extra["partitions"] = sorted(engines)
        _observe(counters, engines, on_batch)

    def on_revoke(consumer: Any, revoked: list[Any]) -> None:
        for tp in revoked:
            engines.pop(tp.partition, None)
            eof.discard(tp.partition)
        counters.extra["partitions"] = sorted(engines)
        log.info("revoked partitions %s", [tp.partition for tp in revoked])

    consumer = group_consumer(bootstrap, group, f"vitrina-stream.{group}.{instance}")
    # Load the compiled parser and window writer now, not inside the first transactions.
    warm_up()
    one = np.ones(1, dtype=np.int64)
    windows_jsonl(EmittedWindows(one, one, one, spec.size_ms))
    consumer.subscribe([input_topic], on_assign=on_assign, on_revoke=on_revoke)
    marts = MartsSink(marts_url) if marts_url else None
    last_input = time.monotonic()
    busy = False
    try:
        with GcClock() as gc_clock:  # per-message objects: no collector storms
            while True:
                gc_clock.tick()
                # While data flows, take what is buffered rather than wait for a full batch.
                wait_s = 0.05 if busy else poll_timeout_s
                msgs = consumer.consume(num_messages=max_batch, timeout=wait_s)
                data = msgs
                if any(map(Message.error, msgs)):  # C-level scans: no per-message Python here
                    data = [m for m in msgs if m.error() is None]
                    for m in msgs:  # in order: an EOF event counts only after the data before it
                        err = m.error()
                        if err is None:
                            eof.discard(m.partition())
                        elif err.code() == KafkaError._PARTITION_EOF:
                            eof.add(m.partition())
                        else:
                            log.warning("consume error: %s", err)
                busy = bool(data)
                if data:
                    parts = np.fromiter(
                        map(Message.partition, data), dtype=np.int64, count=len(data)
                    )
                    # Next offsets from the messages themselves (position() can run past a
                    # partition's end after an EOF event).
                    nxt: dict[int, int] = {}
                    for p in np.unique(parts).tolist():
                        nxt[p] = data[int(np.flatnonzero(parts == p)[-1])].offset() + 1
                        if len(data) == len(msgs):
                            eof.discard(p)
                    offsets = [TopicPartition(input_topic, p, o) for p, o in sorted(nxt.items())]
                    producer.begin_transaction()
                    _batch(
                        data,
                        parts,
                        engines,
                        producer,
                        marts,
                        counters,
                        (input_topic, output_topic, dlq_topic),
                    )
                    _save_states(producer, engines, group, input_topic, state_topic, set(nxt))
                    _commit(producer, consumer, offsets)
                    counters.inputs += 1
                    counters.batches += 1
                    _observe(counters, engines, on_batch)
                    last_input = time.monotonic()
                    continue
                assigned = {tp.partition for tp in consumer.assignment()}
                at_end = bool(assigned) and assigned <= eof
                idle_ms = (time.monotonic() - last_input) * 1000
                flush = (not follow and at_end) or (
                    follow and idle_timeout_ms > 0 and idle_ms >= idle_timeout_ms
                )
                if flush and any(e.open_cells for e in engines.values()):
                    producer.begin_transaction()
                    for p, engine in engines.items():
                        _emit(producer, marts, counters, output_topic, p, engine.flush())
                    _save_states(producer, engines, group, input_topic, state_topic, set(engines))
                    _commit(producer, consumer, [])
                    _observe(counters, engines, on_batch)
                if not follow and at_end:
                    break
                if should_stop is not None and should_stop():
                    break
    finally:
        consumer.close()
        producer.flush(30)
        if marts is not None:
            marts.close()
    return counters


def _batch(
    msgs: list[Any],
    part_of_msg: npt.NDArray[np.int64],
    engines: dict[int, WindowEngine],
    producer: Any,
    marts: MartsSink | None,
    counters: Counters,
    topics: tuple[str, str, str],
) -> None:
    from confluent_kafka import Message

    input_topic, output_topic, dlq_topic = topics
    values = list(map(Message.value, msgs))
    try:
        body = b"\n".join(values)
    except TypeError:  # a message without a value
        values = [v or b"" for v in values]
        body = b"\n".join(values)
    parsed = parse_clicks(body)
    if parsed.lines_total != len(values) or parsed.count_lines != len(values):
        # An empty message or one with raw newlines: keep one line per message.
        values = [
            v.replace(b"\n", b" ").replace(b"\r", b" ") if v.strip() else b'""' for v in values
        ]
        body = b"\n".join(values)
        parsed = parse_clicks(body)
    row_part = part_of_msg[parsed.line - 1]
    late_rows: list[int] = []
    total_late = 0
    for p in np.unique(row_part).tolist():
        sel = np.flatnonzero(row_part == p)
        engine = engines.get(p)
        if engine is None:  # not ours any more (revoked meanwhile): skip, it is replayed
            continue
        res = engine.process(parsed.ts_ms[sel], parsed.product_id[sel], parsed.is_click[sel])
        late_rows += sel[res.late].tolist()
        total_late += len(res.late)
        _emit(producer, marts, counters, output_topic, p, res.emitted)
    counters.add_parsed(parsed, total_late)
    if parsed.bad_line or late_rows:
        wanted = {n - 1 for n in parsed.bad_line} | {int(parsed.line[r]) - 1 for r in late_rows}
        payloads: list[bytes] = [b""] * len(msgs)
        origins: list[dict[str, Any]] = [{}] * len(msgs)
        for i in wanted:
            m = msgs[i]
            payloads[i] = m.value() or b""
            origins[i] = {"topic": input_topic, "partition": m.partition(), "offset": m.offset()}
        for rec, i in zip(
            dead_letter_lines(parsed, sorted(late_rows), payloads, origins),
            [n - 1 for n in parsed.bad_line] + [int(parsed.line[r]) - 1 for r in sorted(late_rows)],
            strict=True,
        ):
            _produce(producer, dlq_topic, rec, msgs[i].key(), msgs[i].partition())


def _emit(
    producer: Any,
    marts: MartsSink | None,
    counters: Counters,
    topic: str,
    partition: int,
    emitted: EmittedWindows,
) -> None:
    if len(emitted) == 0:
        return
    lines = windows_jsonl(emitted).split(b"\n")[:-1]
    for value, key in zip(lines, windows_keys(emitted), strict=True):
        _produce(producer, topic, value, key, partition)
    if marts is not None:
        marts.write(emitted)  # before the commit: a replay rewrites the same rows
    counters.windows += len(emitted)


def _produce(producer: Any, topic: str, value: bytes, key: bytes | None, partition: int) -> None:
    while True:
        try:
            producer.produce(topic, value, key, partition=partition)
            return
        except BufferError:
            producer.poll(0.2)


def _save_states(
    producer: Any,
    engines: dict[int, WindowEngine],
    group: str,
    input_topic: str,
    state_topic: str,
    parts: set[int],
) -> None:
    for p in sorted(parts):
        _produce(producer, state_topic, engines[p].to_bytes(), state_key(group, input_topic, p), 0)


def _commit(producer: Any, consumer: Any, offsets: list[Any]) -> None:
    log.debug("commit offsets %s", [(tp.partition, tp.offset) for tp in offsets])
    if offsets:
        producer.send_offsets_to_transaction(offsets, consumer.consumer_group_metadata(), 30)
    producer.commit_transaction(60)


def _observe(
    counters: Counters,
    engines: dict[int, WindowEngine],
    on_batch: Callable[[Counters], None] | None,
) -> None:
    counters.open_cells = sum(e.open_cells for e in engines.values())
    marks = [e.watermark_ms for e in engines.values() if e.count_events]
    counters.watermark_ms = min(marks) if marks else None
    if on_batch is not None:
        on_batch(counters)
