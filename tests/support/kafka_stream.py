"""Clicks on a real Kafka topic for the stream-job tests: make, produce, run the job, read back."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import orjson
from confluent_kafka import Producer

from vitrina.eventlog.kafka import read_topic
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec
from vitrina.timeutil import format_ts_ms

__all__ = [
    "SPEC",
    "T0",
    "env_for",
    "expected",
    "make_events",
    "output_windows",
    "produce",
    "stream_cmd",
]

SPEC = WindowSpec(300_000, 60_000, 30_000)
T0 = 1_795_305_600_000  # 2026-11-22T00:00:00Z


def make_events(
    n: int, partitions: int, seed: int, late_rate: float = 0.01
) -> dict[int, list[bytes]]:
    """Click/view events per partition (partition = product_id % partitions), some disorder,
    some late; arrival order per partition is list order."""
    rng = np.random.default_rng(seed)
    ts = T0 + np.arange(n, dtype=np.int64) * 400 - rng.integers(0, 20_000, n)
    late = rng.random(n) < late_rate
    ts[late] -= 600_000
    pid = rng.integers(1, 40, n)
    kinds = np.where(rng.random(n) < 0.6, "click", "view")
    out: dict[int, list[bytes]] = {p: [] for p in range(partitions)}
    for i in range(n):
        rec = {
            "event_id": f"e{i}",
            "user_id": int(i % 97 + 1),
            "session_id": f"s{i % 31}",
            "product_id": int(pid[i]),
            "event_type": str(kinds[i]),
            "ts": format_ts_ms(int(ts[i])),
            "device": "mobile",
        }
        out[int(pid[i]) % partitions].append(orjson.dumps(rec))
    return out


def produce(bootstrap: str, topic: str, by_partition: dict[int, list[bytes]]) -> None:
    p = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 10})
    for part, values in by_partition.items():
        for v in values:
            key = (
                str(orjson.loads(v)["product_id"]).encode() if v.startswith(b'{"event_id') else None
            )
            p.produce(topic, v, key, partition=part)
        p.poll(0)
    assert p.flush(30) == 0


def expected(by_partition: dict[int, list[bytes]]) -> dict[tuple[int, str], int]:
    """Per-partition engines over the same lines, flushed at the end (the reference)."""
    from vitrina.stream.parse import parse_clicks

    want: dict[tuple[int, str], int] = {}
    for values in by_partition.values():
        parsed = parse_clicks(b"\n".join(values))
        eng = WindowEngine(SPEC)
        res = eng.process(parsed.ts_ms, parsed.product_id, parsed.is_click)
        allw = EmittedWindows.concat([res.emitted, eng.flush()], SPEC.size_ms)
        for (start, key), c in allw.as_dict().items():
            want[(key, format_ts_ms(start))] = c
    return want


def output_windows(bootstrap: str, topic: str) -> list[tuple[int, str, int]]:
    recs = read_topic(bootstrap, topic, committed=True)
    rows = [orjson.loads(r.value or b"{}") for r in recs]
    return [(int(r["product_id"]), str(r["window_start"]), int(r["clicks"])) for r in rows]


def stream_cmd(bootstrap: str, data_dir: Path, group: str, instance: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from vitrina.cli import main; sys.exit(main(sys.argv[1:]))",
        "--data-dir",
        str(data_dir),
        "stream",
        "--from",
        f"kafka://{bootstrap}",
        "--to",
        f"kafka://{bootstrap}",
        "--group",
        group,
        "--instance",
        str(instance),
        "--no-marts",
        *extra,
    ]


def env_for(topic: str, out_topic: str, **more: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "VITRINA_KAFKA_CLICKS_TOPIC": topic,
            "VITRINA_KAFKA_OUTPUT_TOPIC": out_topic,
            "VITRINA_KAFKA_PARTITIONS": "3",
            **more,
        }
    )
    return env
