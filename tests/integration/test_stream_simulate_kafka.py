"""`vitrina simulate --to kafka://` publishes one message per event, keyed by product_id."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from confluent_kafka import Consumer, TopicPartition

from vitrina.cli import main
from vitrina.eventlog.kafka import KafkaEventLog, read_topic, topic_partitions


def _ends(bootstrap: str, topic: str) -> dict[int, int]:
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "vitrina-test-ends"})
    try:
        n = topic_partitions(bootstrap, topic)
        return {
            p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(n)
        }
    finally:
        c.close()


def test_kafka_sink_write_slice_keys_each_line(kafka_bootstrap: str, kafka_topic) -> None:  # type: ignore[no-untyped-def]
    topic = kafka_topic(partitions=3, prefix="sink")
    sink = KafkaEventLog(f"kafka://{kafka_bootstrap}")
    lines = [orjson.dumps({"product_id": i % 5 + 1, "n": i}) for i in range(200)]
    written = sink.write_slice(
        topic, 0, b"\n".join(lines) + b"\n", [str(i % 5 + 1).encode() for i in range(200)]
    )
    sink.flush()
    assert written.topic == topic
    recs = read_topic(kafka_bootstrap, topic)
    assert len(recs) == 200
    assert all(r.key == str(orjson.loads(r.value or b"")["product_id"]).encode() for r in recs)
    # One product always lands on one partition.
    by_key: dict[bytes | None, set[int]] = {}
    for r in recs:
        by_key.setdefault(r.key, set()).add(r.partition)
    assert all(len(parts) == 1 for parts in by_key.values())


@pytest.mark.timeout(300)
def test_simulate_to_kafka_publishes_every_click(
    kafka_bootstrap: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _ends(kafka_bootstrap, "clicks")
    code = main(
        [
            "--data-dir",
            str(tmp_path),
            "simulate",
            "--domain",
            "clickstream",
            "--scale",
            "tiny",
            "--duration",
            "2h",
            "--start",
            "2026-11-22T00:00:00Z",
            "--to",
            f"kafka://{kafka_bootstrap}",
        ]
    )
    assert code == 0
    capsys.readouterr()
    after = _ends(kafka_bootstrap, "clicks")
    added = sum(after[p] - before.get(p, 0) for p in after)
    # The same simulation into files gives the event count to expect.
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path / "files"),
                "simulate",
                "--domain",
                "clickstream",
                "--scale",
                "tiny",
                "--duration",
                "2h",
                "--start",
                "2026-11-22T00:00:00Z",
            ]
        )
        == 0
    )
    capsys.readouterr()
    lines = sum(
        len(f.read_bytes().splitlines())
        for f in (tmp_path / "files" / "events" / "clicks").rglob("*.jsonl")
    )
    assert added == lines > 0
