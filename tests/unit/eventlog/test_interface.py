"""The event-log interface: consume/commit on files, the S3 and Kafka leaves opened offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from vitrina.config import load_settings
from vitrina.errors import UsageError
from vitrina.eventlog import EventLog, FileEventLog, open_eventlog
from vitrina.eventlog.kafka import KafkaEventLog
from vitrina.stream.job import run_stream

H = 3_600_000
T0 = 1_793_577_600_000  # 2026-11-02T00:00:00Z


def _log(tmp_path: Path) -> EventLog:
    log = open_eventlog(f"file://{tmp_path}")
    for k in range(3):
        log.write_slice("clicks", T0 + k * H, f'{{"n":{k}}}\n'.encode())
    log.write_slice("registrations", T0, b'{"r":1}\n{"r":2}\n')
    return log


def test_consume_returns_pending_files_until_committed(tmp_path: Path) -> None:
    log = _log(tmp_path)
    got = log.consume("clicks", consumer="ingest")
    assert [c.payload for c in got.chunks] == [b'{"n":0}\n', b'{"n":1}\n', b'{"n":2}\n']
    assert got.chunks[0].name == "clicks.20261102T000000Z.jsonl" and not got.keyed
    # Not committed: a new process reads the same files again.
    assert len(open_eventlog(str(tmp_path)).consume("clicks", consumer="ingest").chunks) == 3
    got.commit()
    assert open_eventlog(str(tmp_path)).consume("clicks", consumer="ingest").chunks == []
    assert len(open_eventlog(str(tmp_path)).consume("clicks", consumer="other").chunks) == 3


def test_two_topics_of_one_consumer_commit_without_losing_each_other(tmp_path: Path) -> None:
    log = _log(tmp_path)
    clicks = log.consume("clicks", consumer="ingest")
    regs = log.consume("registrations", consumer="ingest")
    clicks.commit()
    regs.commit()
    again = open_eventlog(str(tmp_path))
    assert again.consume("clicks", consumer="ingest").chunks == []
    assert again.consume("registrations", consumer="ingest").chunks == []


def test_an_interval_rereads_every_file_in_it(tmp_path: Path) -> None:
    log = _log(tmp_path)
    log.consume("clicks", consumer="ingest").commit()
    got = log.consume("clicks", consumer="ingest", start_ms=T0 + H, end_ms=T0 + 3 * H)
    assert [c.payload for c in got.chunks] == [b'{"n":1}\n', b'{"n":2}\n']


def test_a_bare_path_is_a_file_log_and_unknown_schemes_name_the_allowed(tmp_path: Path) -> None:
    assert isinstance(open_eventlog(str(tmp_path)), FileEventLog)
    with pytest.raises(UsageError, match=r"eventlog URL 'gs://b/x'.*file://, memory://, kafka://"):
        open_eventlog("gs://b/x")


def test_minio_url_names_endpoint_keys_and_bucket() -> None:
    log = open_eventlog("s3://vitrina:vitrina-minio@127.0.0.1:9000/vitrina/events")
    assert isinstance(log, FileEventLog) and log.kind == "files"
    assert log.root == "vitrina/events"
    assert log.fs.client_kwargs["endpoint_url"] == "http://127.0.0.1:9000"
    assert (log.fs.key, log.fs.secret) == ("vitrina", "vitrina-minio")
    with pytest.raises(UsageError, match=r"needs a bucket") as err:
        open_eventlog("s3://k:topsecret@127.0.0.1:9000/")
    assert "topsecret" not in str(err.value)


def test_kafka_leaf_opens_without_a_broker() -> None:
    log = open_eventlog("kafka://127.0.0.1:1,127.0.0.2:1?partitions=3")
    assert isinstance(log, KafkaEventLog) and log.kind == "kafka"
    assert (log.bootstrap, log.partitions) == ("127.0.0.1:1,127.0.0.2:1", 3)
    log.close()  # nothing written: nothing to deliver, no connection made
    with pytest.raises(UsageError, match="partitions must be a number"):
        open_eventlog("kafka://127.0.0.1:1?partitions=six")


def test_kafka_source_needs_a_kafka_sink(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    with pytest.raises(UsageError, match="a Kafka source needs a Kafka sink"):
        run_stream(settings, source_url="kafka://127.0.0.1:1", sink_url=f"file://{tmp_path}/out")
    assert not (tmp_path / "out").exists()
