"""The event log as JSON Lines files: one file per topic per time slice, written atomically.

Layout: ``<root>/<topic>/<YYYY-MM-DD>/<topic>.<YYYYMMDDTHHMMSSZ>.jsonl``, the timestamp being
the start of the slice of event time the file covers. Lines inside a file are in arrival
order, and file names sort in time order, so reading files by name replays the log.

Works on the local filesystem (``file://`` or a bare path), on MinIO/S3 (``s3://``, extra
``s3``) and in memory (``memory://``, for tests), through fsspec. Locally a file is written
under a hidden temporary name, fsynced and renamed, so a crash never leaves a visible partial
file; object stores publish an object only when its upload completes: the same guarantee.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import fsspec
import orjson

from vitrina.atomicio import write_atomic
from vitrina.backends import import_extra, register
from vitrina.errors import BackendError, UsageError
from vitrina.eventlog.base import Chunk, Consumed, EventLog, SliceFile
from vitrina.redact import mask_url
from vitrina.timeutil import check_instant_ms

__all__ = ["FileEventLog", "Manifest", "SliceFile", "open_s3", "slice_name"]

log = logging.getLogger(__name__)

_TOPIC = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_NAME = re.compile(r"^(?P<topic>.+)\.(?P<stamp>\d{8}T\d{6}Z)\.jsonl$")


def _stamp(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def slice_name(topic: str, start_ms: int) -> str:
    """Relative path of the file covering the slice that starts at ``start_ms``.

    Only instants in the accepted range have a name (their years have four digits, so names
    sort in time order); any other is refused with one line.
    """
    t = _stamp(check_instant_ms(start_ms, "event-log slice start"))
    return f"{topic}/{t:%Y-%m-%d}/{topic}.{t:%Y%m%dT%H%M%SZ}.jsonl"


def _check_topic(topic: str) -> None:
    if not _TOPIC.match(topic):
        raise UsageError(f"invalid topic name {topic!r} (letters, digits, '.', '_', '-')")


@register("eventlog", "file", "memory")
class FileEventLog(EventLog):
    """JSON Lines files under a root URL; see the module docstring for the layout."""

    kind = "files"

    def __init__(self, url: str, *, fs: Any = None, root: str | None = None) -> None:
        """``fs`` and ``root`` (an fsspec filesystem and the folder in it) override the URL's."""
        parts = urlsplit(url)
        self.url = url
        self.local = fs is None and parts.scheme in ("", "file")
        if self.local:
            self.root = str(Path(parts.path if parts.scheme else url).absolute())
            self.fs: Any = fsspec.filesystem("file")
        elif fs is not None:
            self.fs, self.root = fs, (root or "").rstrip("/")
        else:
            self.fs, self.root = fsspec.core.url_to_fs(url)
            self.root = self.root.rstrip("/")
        self._manifests: dict[str, Manifest] = {}

    def path_of(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    def write_slice(
        self, topic: str, slice_start_ms: int, payload: bytes, keys: list[bytes] | None = None
    ) -> SliceFile:
        """Write one slice file atomically (replacing an earlier version of the same slice).

        ``keys`` is accepted for interface parity with the Kafka sink; files do not store keys.
        """
        _check_topic(topic)
        rel = slice_name(topic, slice_start_ms)
        path = self.path_of(rel)
        try:
            if self.local:
                write_atomic(path, payload)
            else:
                with self.fs.open(path, "wb") as fh:
                    fh.write(payload)
        except OSError as exc:
            raise BackendError(f"cannot write {path}: {exc}") from exc
        return SliceFile(topic, slice_start_ms, rel.rsplit("/", 1)[1], path)

    def list(
        self, topic: str, start_ms: int | None = None, end_ms: int | None = None
    ) -> list[SliceFile]:
        """Files of ``topic`` whose slice start lies in ``[start_ms, end_ms)``, in time order."""
        _check_topic(topic)
        base = self.path_of(topic)
        if not self.fs.exists(base):
            return []
        found: list[SliceFile] = []
        for path in self.fs.find(base):
            name = str(path).rsplit("/", 1)[-1]
            m = _NAME.match(name)
            if not m or m.group("topic") != topic:
                continue  # temporary files and strangers
            start = int(
                datetime.strptime(m.group("stamp"), "%Y%m%dT%H%M%SZ")
                .replace(tzinfo=UTC)
                .timestamp()
                * 1000
            )
            if (start_ms is not None and start < start_ms) or (
                end_ms is not None and start >= end_ms
            ):
                continue
            full = path if self.local or "://" in str(path) else str(path)
            found.append(SliceFile(topic, start, name, str(full)))
        return sorted(found)

    def size(self, f: SliceFile) -> int:
        return int(self.fs.size(f.path))

    def manifest(self, consumer: str) -> Manifest:
        """The processed-files manifest of ``consumer`` (one object per consumer and log)."""
        if consumer not in self._manifests:
            self._manifests[consumer] = Manifest(self, consumer)
        return self._manifests[consumer]

    def consume(
        self,
        topic: str,
        *,
        consumer: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> Consumed:
        """Slice files ``consumer`` has not processed; with an interval, every file in it."""
        manifest = self.manifest(consumer)
        interval = start_ms is not None or end_ms is not None
        files = self.list(topic, start_ms, end_ms) if interval else manifest.pending(topic)
        chunks = [Chunk(f.name, partial(self.read, f)) for f in files]
        log.info("event log %s: %d files for %s", topic, len(files), consumer)

        def commit() -> None:
            if files:
                manifest.mark_done(files)

        return Consumed(topic, chunks, keyed=False, commit=commit)

    def read(self, f: SliceFile) -> bytes:
        try:
            with self.fs.open(f.path, "rb") as fh:
                data: bytes = fh.read()
                return data
        except OSError as exc:
            raise BackendError(f"cannot read {f.path}: {exc}") from exc

    def read_text_file(self, relative: str) -> bytes | None:
        path = self.path_of(relative)
        if not self.fs.exists(path):
            return None
        with self.fs.open(path, "rb") as fh:
            data: bytes = fh.read()
            return data

    def write_file(self, relative: str, payload: bytes) -> None:
        """Atomically write any small file under the root (manifests, status files)."""
        path = self.path_of(relative)
        if self.local:
            write_atomic(path, payload)
        else:
            with self.fs.open(path, "wb") as fh:
                fh.write(payload)


@register("eventlog", "s3", extra="s3")
def open_s3(url: str) -> FileEventLog:
    """Slice files on S3 or MinIO.

    ``s3://bucket/prefix`` uses the AWS endpoint and the keys s3fs finds (environment, config
    files); ``s3://KEY:SECRET@host:port/bucket/prefix[?secure=true]`` names a MinIO (or other
    S3-compatible) server and its keys, as the stack profile's object store does.
    """
    s3fs = import_extra("s3fs", "s3")
    parts = urlsplit(url)
    if "@" not in parts.netloc and ":" not in parts.netloc:
        return FileEventLog(url)
    host = parts.netloc.rpartition("@")[2]
    secure = parse_qs(parts.query).get("secure", ["false"])[-1].lower() in ("1", "true", "yes")
    fs = s3fs.S3FileSystem(
        key=unquote(parts.username or "") or None,
        secret=unquote(parts.password or "") or None,
        client_kwargs={
            "endpoint_url": f"{'https' if secure else 'http'}://{host}",
            "region_name": "us-east-1",
        },
    )
    root = parts.path.strip("/")
    if not root:
        raise UsageError(
            f"event log URL {mask_url(url)!r} needs a bucket: s3://KEY:SECRET@host/bucket"
        )
    return FileEventLog(url, fs=fs, root=root)


class Manifest:
    """Which files one consumer has processed, so that no file is processed twice.

    Stored as ``<root>/_manifests/<consumer>.json`` and rewritten atomically. A file is
    identified by its relative name and size: a slice rewritten with new content (a replay
    of the simulator into the same folder) is seen as new.
    """

    def __init__(self, eventlog: FileEventLog, consumer: str) -> None:
        _check_topic(consumer)
        self.log = eventlog
        self.consumer = consumer
        self._rel = f"_manifests/{consumer}.json"
        raw = eventlog.read_text_file(self._rel)
        self._done: dict[str, int] = orjson.loads(raw) if raw else {}

    def _key(self, f: SliceFile) -> str:
        return f"{f.topic}/{f.name}"

    def _size(self, f: SliceFile) -> int:
        return self.log.size(f)

    def is_done(self, f: SliceFile) -> bool:
        return self._done.get(self._key(f)) == self._size(f)

    def pending(
        self, topic: str, start_ms: int | None = None, end_ms: int | None = None
    ) -> list[SliceFile]:
        return [f for f in self.log.list(topic, start_ms, end_ms) if not self.is_done(f)]

    def mark_done(self, files: Iterable[SliceFile]) -> None:
        for f in files:
            self._done[self._key(f)] = self._size(f)
        self.log.write_file(self._rel, orjson.dumps(self._done, option=orjson.OPT_SORT_KEYS))

    def processed(self) -> dict[str, int]:
        return dict(self._done)
