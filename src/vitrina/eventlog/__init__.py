"""The event log: time-sliced JSON Lines files (local, MinIO/S3) or Kafka topics, one interface."""

from __future__ import annotations

from vitrina.backends import open_backend
from vitrina.eventlog.base import Chunk, Consumed, EventLog, SliceFile
from vitrina.eventlog.files import FileEventLog, Manifest, slice_name

__all__ = [
    "Chunk",
    "Consumed",
    "EventLog",
    "FileEventLog",
    "Manifest",
    "SliceFile",
    "open_eventlog",
    "slice_name",
]


def open_eventlog(url: str) -> EventLog:
    """The event log named by ``url`` (a bare path is a ``file://`` log); leaves register schemes."""
    log: EventLog = open_backend("eventlog", url)
    return log
