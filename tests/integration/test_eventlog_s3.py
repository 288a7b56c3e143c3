"""The event log on MinIO (s3://KEY:SECRET@host:port/bucket/prefix): write, consume, commit."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from tests.integration.conftest import Minio
from vitrina.eventlog import open_eventlog
from vitrina.redact import mask_url

H = 3_600_000
T0 = 1_793_577_600_000  # 2026-11-02T00:00:00Z


def test_slices_round_trip_through_minio_once_per_consumer(minio: Minio) -> None:
    host = urlsplit(minio.endpoint).netloc
    prefix = f"test-eventlog-{uuid.uuid4().hex[:8]}"
    url = f"s3://{minio.user}:{minio.password}@{host}/{minio.bucket}/{prefix}"
    log = open_eventlog(url)
    assert log.kind == "files" and minio.password not in mask_url(url)
    try:
        for k in range(3):
            log.write_slice("clicks", T0 + k * H, f'{{"n":{k}}}\n'.encode())
        log.write_slice("clicks", T0 + H, b'{"n":1}\n{"n":11}\n')  # a slice rewritten
        got = log.consume("clicks", consumer="ingest")
        assert [c.payload for c in got.chunks] == [
            b'{"n":0}\n',
            b'{"n":1}\n{"n":11}\n',
            b'{"n":2}\n',
        ]
        got.commit()
        again = open_eventlog(url)  # a new process: the manifest lives in the bucket
        assert again.consume("clicks", consumer="ingest").chunks == []
        assert len(again.consume("clicks", consumer="stream").chunks) == 3
        window = again.consume("clicks", consumer="ingest", start_ms=T0 + 2 * H)
        assert [c.payload for c in window.chunks] == [b'{"n":2}\n']
    finally:
        fs = log.fs  # type: ignore[attr-defined]
        fs.rm(f"{minio.bucket}/{prefix}", recursive=True)
