"""Spark Structured Streaming gives the same click windows as vitrina's stream job (same topic)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.support.kafka_stream import (
    env_for,
    make_events,
    output_windows,
    produce,
    stream_cmd,
)
from vitrina.eventlog.kafka import read_topic

JARS_CACHE = Path.home() / ".cache" / "vitrina" / "spark-jars"


@pytest.mark.timeout(900)
def test_spark_and_vitrina_agree_on_the_same_topic(
    kafka_bootstrap: str, kafka_topic: Callable[..., str], tmp_path: Path
) -> None:
    import subprocess

    from vitrina.spark.clicks_job import run_spark_clicks, spark_session

    topic = kafka_topic(partitions=3, prefix="clicks")
    # No late events: Spark's watermark moves per micro-batch, ours per event; with nothing
    # late both must give identical counts for every window.
    events = make_events(6_000, 3, seed=31, late_rate=0.0)
    produce(kafka_bootstrap, topic, events)

    ours = subprocess.run(
        stream_cmd(kafka_bootstrap, tmp_path, f"diff-{uuid.uuid4().hex[:6]}", 0, "--once"),
        env=env_for(topic, f"{topic}.ours"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ours.returncode == 0, ours.stderr[-2000:]
    mine = {(p, s): c for p, s, c in output_windows(kafka_bootstrap, f"{topic}.ours")}

    spark = spark_session(JARS_CACHE)
    try:
        run_spark_clicks(
            spark,
            bootstrap=kafka_bootstrap,
            topic=topic,
            output_topic=f"{topic}.spark",
            checkpoint_dir=tmp_path / "spark-ckpt",
        )
    finally:
        spark.stop()
    theirs: dict[tuple[int, str], int] = {}
    for rec in read_topic(kafka_bootstrap, f"{topic}.spark"):
        row = orjson.loads(rec.value or b"{}")
        theirs[(int(row["product_id"]), str(row["window_start"]))] = int(row["clicks"])  # last wins

    assert len(mine) > 1000
    assert theirs == mine
