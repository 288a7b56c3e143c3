"""The Kafka stream job on the real broker: exactly-once under kill -9, dead letters, scale-out."""

from __future__ import annotations

import random
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from confluent_kafka import Producer

from tests.support.kafka_stream import (
    env_for,
    expected,
    make_events,
    output_windows,
    produce,
    stream_cmd,
)
from vitrina.eventlog.kafka import read_topic


@pytest.mark.timeout(600)
def test_kill_9_and_restart_gives_every_window_exactly_once(
    kafka_bootstrap: str, kafka_topic: Callable[..., str], tmp_path: Path
) -> None:
    topic = kafka_topic(partitions=3, prefix="clicks")
    out_topic = f"{topic}.out"
    events = make_events(30_000, 3, seed=11)
    produce(kafka_bootstrap, topic, events)
    want = expected(events)
    group = f"eos-{uuid.uuid4().hex[:6]}"
    env = env_for(topic, out_topic)
    rnd = random.Random(5)
    kills = 0
    for _ in range(4):
        proc = subprocess.Popen(
            stream_cmd(kafka_bootstrap, tmp_path, group, 0, "--follow", "--max-batch", "100"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill at a random moment once this run has committed at least one batch.
        _wait_for_progress(tmp_path / "stream", proc, timeout_s=120)
        time.sleep(rnd.uniform(0.0, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(30)
    assert kills == 4
    # Mid-run there is output already, and it never holds a window twice.
    partial = output_windows(kafka_bootstrap, out_topic)
    assert 0 < len(partial) < len(want)
    assert len({(p, s) for p, s, _ in partial}) == len(partial)
    done = subprocess.run(
        stream_cmd(kafka_bootstrap, tmp_path, group, 0, "--once", "--max-batch", "5000"),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = output_windows(kafka_bootstrap, out_topic)
    keys = [(p, s) for p, s, _ in got]
    assert len(keys) == len(set(keys)), "a window was emitted twice"
    assert {(p, s): c for p, s, c in got} == want


@pytest.mark.timeout(300)
def test_dead_letters_carry_payload_reason_and_offset(
    kafka_bootstrap: str, kafka_topic: Callable[..., str], tmp_path: Path
) -> None:
    topic = kafka_topic(partitions=1, prefix="clicks")
    good = (
        b'{"event_id":"a","user_id":1,"session_id":"s","product_id":7,'
        b'"event_type":"click","ts":"2026-11-22T13:10:00Z"}'
    )
    values = [
        good,
        b"{not json",
        b'{"product_id":7,"event_type":"tap","ts":"2026-11-22T13:10:00Z"}',
        b"",
        good.replace(b"13:10:00", b"13:00:00"),  # 10 min behind: late
        None,  # a tombstone: no value at all
        good + b"\n" + good,  # one message is one record, even with a newline inside
    ]
    p = Producer({"bootstrap.servers": kafka_bootstrap})
    for v in values:
        p.produce(topic, v, b"7", partition=0)
    assert p.flush(30) == 0
    env = env_for(topic, f"{topic}.out")
    res = subprocess.run(
        stream_cmd(kafka_bootstrap, tmp_path, f"dlq-{uuid.uuid4().hex[:6]}", 0, "--once"),
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    dlq = [orjson.loads(r.value or b"") for r in read_topic(kafka_bootstrap, f"{topic}.dlq")]
    by_offset = {d["origin"]["offset"]: d for d in dlq}
    assert sorted(by_offset) == [1, 2, 3, 4, 5, 6]
    assert by_offset[1]["kind"] == "malformed" and by_offset[1]["payload"] == "{not json"
    assert by_offset[2]["kind"] == "contract" and "tap" in by_offset[2]["reason"]
    assert by_offset[3]["kind"] == "malformed"
    assert by_offset[4]["kind"] == "late"
    assert by_offset[5]["kind"] == "malformed" and by_offset[5]["payload"] == ""
    assert by_offset[6]["kind"] == "malformed" and by_offset[6]["payload"].count("click") == 2
    assert all(d["origin"]["topic"] == topic and d["origin"]["partition"] == 0 for d in dlq)
    out = output_windows(kafka_bootstrap, f"{topic}.out")
    assert sum(c for *_, c in out) == 5  # the one good click, in its 5 windows
    status = orjson.loads(next((tmp_path / "stream").glob("status.*.json")).read_bytes())
    assert (status["malformed"], status["violations"], status["late"]) == (4, 1, 1)


@pytest.mark.timeout(600)
def test_consumer_group_scale_out_equals_one_process(
    kafka_bootstrap: str, kafka_topic: Callable[..., str], tmp_path: Path
) -> None:
    topic = kafka_topic(partitions=3, prefix="clicks")
    out_topic = f"{topic}.out"
    group = f"scale-{uuid.uuid4().hex[:6]}"
    env = env_for(topic, out_topic, VITRINA_STREAM_IDLE_TIMEOUT="4s")
    procs = [
        subprocess.Popen(
            stream_cmd(
                kafka_bootstrap, tmp_path / f"i{i}", group, i, "--follow", "--max-batch", "2000"
            ),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    try:
        # Both members hold partitions (their status files say which) before data arrives.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _assigned(tmp_path) != [0, 1, 2]:
            time.sleep(1)
        assert _assigned(tmp_path) == [0, 1, 2]
        events = make_events(20_000, 3, seed=23)
        produce(kafka_bootstrap, topic, events)
        want = expected(events)
        deadline = time.monotonic() + 180
        got: list[tuple[int, str, int]] = []
        while time.monotonic() < deadline:
            got = output_windows(kafka_bootstrap, out_topic)
            if len(got) >= len(want):
                break
            time.sleep(2)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    assert len({(p, s) for p, s, _ in got}) == len(got)
    assert {(p, s): c for p, s, c in got} == want
    # The work was split: each process consumed some partitions, none all of them.
    per_process = [
        orjson.loads(next((tmp_path / f"i{i}" / "stream").glob("status.*.json")).read_bytes())[
            "events"
        ]
        for i in range(2)
    ]
    assert all(n > 0 for n in per_process), per_process
    assert sum(per_process) == sum(len(v) for v in events.values())


def _wait_for_progress(state_dir: Path, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Until this process's status file reports a committed batch (events > 0)."""
    started = time.time()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        for f in state_dir.glob("status.*.json"):
            try:
                doc = orjson.loads(f.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                continue
            if f.stat().st_mtime >= started and doc.get("events", 0) > 0:
                return
        time.sleep(0.1)


def _assigned(tmp_path: Path) -> list[int]:
    held: list[list[int]] = []
    for i in range(2):
        files = list((tmp_path / f"i{i}" / "stream").glob("status.*.json"))
        if not files:
            return []
        try:
            held.append(orjson.loads(files[0].read_bytes())["extra"].get("partitions", []))
        except (OSError, orjson.JSONDecodeError):
            return []
    if not all(held):
        return []
    return sorted(p for h in held for p in h)
