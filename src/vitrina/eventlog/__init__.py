"""The event log: time-sliced JSON Lines files (local or any fsspec URL) or Kafka topics."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from vitrina.errors import UsageError
from vitrina.eventlog.files import FileEventLog, Manifest, SliceFile, slice_name

__all__ = ["FileEventLog", "Manifest", "SliceFile", "open_eventlog", "slice_name"]


def open_eventlog(url: str) -> Any:
    """The event log named by ``url``: files (``file://``, ``s3://``, ``memory://``) or ``kafka://``."""
    scheme = urlsplit(url).scheme
    if scheme in ("", "file", "s3", "memory", "gs", "az"):
        return FileEventLog(url)
    if scheme == "kafka":
        from vitrina.eventlog.kafka import KafkaEventLog  # optional extra: vitrina[kafka]

        return KafkaEventLog(url)
    raise UsageError(f"event log URL {url!r}: scheme must be one of file, s3, memory, kafka")
