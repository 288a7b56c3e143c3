"""The users stream on Spark Structured Streaming: registrations from Kafka into the source's users.

Spark reads the registrations topic in micro-batches (at most ``max_per_batch`` records
each) and hands every micro-batch to :func:`vitrina.pipelines.users_stream.apply_registrations`
in ``foreachBatch``: the registrations contract checks each record, the valid ones are upserted
into ``users`` keyed by ``user_id`` in one transaction (the latest registration of a user in
the batch wins; a row with equal values is not rewritten) and the invalid ones go to
``<topic>.dlq`` with their reasons and origin (``kafka:<topic>/<partition>/<block>:<line>``).

Exactly once: Spark writes a micro-batch's offsets to the checkpoint before running it and
marks it committed after ``foreachBatch`` returned. A driver killed in between re-runs the same
batch (same offsets) from the checkpoint on restart, and the upsert of the same rows changes
nothing. Dead letters are at least once: a re-run batch sends its dead letters again, with
the same origins, so a reader of the DLQ deduplicates by origin.

This file is the application spark-submit runs (:func:`main`); :func:`submit` builds that
command for ``vitrina users-stream --engine spark`` and waits for it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

from vitrina.config import Settings, load_settings
from vitrina.errors import BackendError, UsageError, VitrinaError
from vitrina.pipelines.users_stream import UsersStreamReport, apply_registrations
from vitrina.redact import RedactingFilter, mask_text
from vitrina.spark.command import cluster_master

__all__ = [
    "APPLICATION",
    "checkpoint_dir",
    "main",
    "stream",
    "submit",
    "submit_command",
]

log = logging.getLogger(__name__)

APPLICATION: Final = Path(__file__).resolve()
NAME: Final = "vitrina-users-stream"
MAX_PER_BATCH: Final = 10_000
TRIGGER_S: Final = 10
REPORT: Final = "users_stream report: "  # the driver's last stdout line, before its counts


def _kafka(settings: Settings) -> tuple[str, str]:
    """(bootstrap servers, the registrations topic with the log's prefix)."""
    from urllib.parse import parse_qs, urlsplit

    from vitrina.eventlog.kafka.client import bootstrap_of

    url = settings.backend("eventlog")
    if not url.startswith("kafka://"):
        raise UsageError(
            "the spark engine reads registrations from Kafka: backends.eventlog must be "
            "kafka://host:port (the python engine reads any event log)"
        )
    prefix = parse_qs(urlsplit(url).query).get("topic_prefix", [""])[-1]
    return bootstrap_of(url), prefix + settings.kafka.registrations_topic


def checkpoint_dir(settings: Settings) -> Path:
    """The stream's checkpoint: one per topic name, so a renamed topic is read from its start."""
    _, topic = _kafka(settings)
    return (settings.data_dir / "checkpoints" / f"users_stream.{topic}").absolute()


def stream(
    spark: Any,
    settings: Settings,
    *,
    checkpoint: Path,
    available_now: bool = True,
    max_per_batch: int = MAX_PER_BATCH,
    trigger_s: int = TRIGGER_S,
) -> UsersStreamReport:
    """Run the stream: until the topic is drained (``available_now``) or until stopped."""
    from vitrina.eventlog import open_eventlog
    from vitrina.eventlog.kafka import ensure_topics
    from vitrina.eventlog.kafka.reader import chunk_name
    from vitrina.timeutil import utc_now_ms

    bootstrap, topic = _kafka(settings)
    # Subscribing to a topic that does not exist yet would wait for it: create it empty.
    ensure_topics(bootstrap, {topic: settings.kafka.partitions})
    report = UsersStreamReport(settings.backend("source"))
    eventlog = open_eventlog(settings.backend("eventlog"))

    def upsert_batch(frame: Any, batch_id: int) -> None:
        lines = []
        for row in frame.select("partition", "offset", "value").collect():
            name, line = chunk_name(topic, row.partition, row.offset)
            value = bytes(row.value or b"").replace(b"\n", b" ")
            if value.strip():
                lines.append((f"{name}:{line}", value))
        apply_registrations(settings, eventlog, lines, utc_now_ms(), report)
        log.info("users stream batch %d: %d registrations", batch_id, len(lines))

    source = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("kafka.isolation.level", "read_committed")
        .option("maxOffsetsPerTrigger", str(max_per_batch))
        .load()
    )
    writer = source.writeStream.foreachBatch(upsert_batch).option(
        "checkpointLocation", str(checkpoint)
    )
    if available_now:
        writer = writer.trigger(availableNow=True)
    else:
        writer = writer.trigger(processingTime=f"{trigger_s} seconds")
    query = writer.queryName("users_stream").start()
    try:
        query.awaitTermination()
    finally:
        eventlog.close()
    return report


def submit_command(
    master: str,
    *,
    available_now: bool = True,
    max_per_batch: int | None = None,
    settings_file: Path | None = None,
) -> list[str]:
    """The spark-submit command of the stream, with the Kafka connector on its class path.

    Without ``settings_file`` the driver reads its settings from its environment (VITRINA_*),
    as in an Airflow task.
    """
    from vitrina.spark import command as spark_submit
    from vitrina.spark.jars import JARS_CACHE, kafka_connector_jars

    _, jars = kafka_connector_jars(JARS_CACHE)
    args = ["--available-now"] if available_now else []
    if max_per_batch is not None:
        args += ["--max-per-batch", str(max_per_batch)]
    if settings_file is not None:
        args += ["--settings", str(settings_file)]
    python = {"spark.pyspark.python": sys.executable, "spark.pyspark.driver.python": sys.executable}
    return spark_submit.submit_command(
        master,
        APPLICATION,
        args,
        name=NAME,
        jars=jars,
        conf={**spark_submit.STREAM_CONF, **python},
    )


def submit(
    settings: Settings,
    *,
    master: str | None = None,
    available_now: bool = True,
    max_per_batch: int | None = None,
) -> UsersStreamReport:
    """spark-submit the stream to ``master`` (default the profile's ``backends.spark``) and wait.

    The driver gets these settings in a private file (in a directory of mode 700, removed
    afterwards); its log goes to ``<data_dir>/logs/users_stream-spark.log``.
    """
    _kafka(settings)  # a wrong event log is a usage error before anything starts
    log_file = settings.data_dir / "logs" / "users_stream-spark.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vitrina-users-stream-") as tmp:
        settings_file = Path(tmp) / "settings.json"
        settings_file.write_text(json.dumps(settings.as_toml()))
        command = submit_command(
            master or cluster_master(settings.backend("spark")),
            available_now=available_now,
            max_per_batch=max_per_batch,
            settings_file=settings_file,
        )
        with log_file.open("w") as err:
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=err, text=True)
    if done.returncode != 0:
        raise BackendError(
            f"the Spark users stream failed (exit {done.returncode}): {_last_line(done.stdout)}"
            f" (log: {log_file})"
        )
    reports = [line for line in done.stdout.splitlines() if line.startswith(REPORT)]
    if not reports:
        raise BackendError(f"the Spark users stream gave no report (log: {log_file})")
    counts = json.loads(reports[-1].removeprefix(REPORT))
    return UsersStreamReport(settings.backend("source"), **counts)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return mask_text(lines[-1]) if lines else "no output"


def _settings(path: str | None) -> Settings:
    """The settings handed over by :func:`submit`, or the environment's (Airflow's tasks)."""
    if path is None:
        return load_settings()
    raw = json.loads(Path(path).read_text())
    general = raw.pop("general")
    return load_settings(
        profile=general["profile"], data_dir=general["data_dir"], overrides=raw, environ={}
    )


def main(argv: list[str] | None = None) -> int:
    """The driver: ``users_job.py [--available-now] [--max-per-batch N] [--settings FILE]``."""
    parser = argparse.ArgumentParser(prog="users_job.py", description=__doc__.splitlines()[0])
    parser.add_argument("--available-now", action="store_true", help="stop once drained")
    parser.add_argument("--max-per-batch", type=int, default=MAX_PER_BATCH)
    parser.add_argument("--checkpoint", help="default: <data_dir>/checkpoints/users_stream.<topic>")
    parser.add_argument("--settings", help="a settings file written by vitrina (JSON)")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    if args.max_per_batch < 1:
        print("error: --max-per-batch must be at least 1", file=sys.stdout)
        return 2
    from pyspark.errors import StreamingQueryException
    from pyspark.sql import SparkSession

    try:
        settings = _settings(args.settings)
        checkpoint = Path(args.checkpoint) if args.checkpoint else checkpoint_dir(settings)
        spark = SparkSession.builder.appName(NAME).getOrCreate()
        spark.sparkContext.setLogLevel("WARN")
        try:
            report = stream(
                spark,
                settings,
                checkpoint=checkpoint,
                available_now=args.available_now,
                max_per_batch=args.max_per_batch,
            )
        finally:
            spark.stop()
    except VitrinaError as exc:
        print(f"error: {mask_text(str(exc))}", file=sys.stdout)
        return exc.exit_code
    except StreamingQueryException as exc:  # what foreachBatch raised, as Spark reports it
        print(f"error: {_last_line(str(exc).split('Traceback')[0])}", file=sys.stdout)
        return 1
    counts = {"read": report.read, "upserted": report.upserted, "rejected": report.rejected}
    print(REPORT + json.dumps(counts))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
