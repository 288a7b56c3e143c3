"""The event-log interface: what every leaf (files, S3, Kafka …) offers its writers and readers.

Writers (the simulator, the stream job's outputs) call :meth:`EventLog.write_slice` with the
JSON lines of one slice of event time, then :meth:`EventLog.flush`. Readers (ingest) call
:meth:`EventLog.consume` and get :class:`Consumed` chunks of JSON lines, each with a stable
identity (``name`` and line numbers), and :meth:`Consumed.commit` once the lines are safely
stored, so the next run of the same consumer starts after them. ``kind`` names the family of
log a stream job is written for (``files`` or ``kafka``); no caller looks at a URL scheme.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from vitrina.closing import Closing

__all__ = ["Chunk", "Consumed", "EventLog", "SliceFile"]


@dataclass(frozen=True, order=True)
class SliceFile:
    """One slice written to (or listed from) the log. Orders by (topic, start_ms, name)."""

    topic: str
    start_ms: int
    name: str
    path: str


@dataclass(frozen=True)
class Chunk:
    """JSON lines read from the log: a slice file, or a block of Kafka offsets.

    ``name`` identifies the chunk across runs (a file name, ``kafka:<topic>/<partition>/<block>``);
    line ``i`` (1-based) of ``payload`` is line ``line_numbers[i - 1]`` of that name when given.
    """

    name: str
    # The bytes, or how to read them: a file is read when it is processed, not at consume.
    data: bytes | Callable[[], bytes]
    line_numbers: list[int] | None = None

    @property
    def payload(self) -> bytes:
        """The chunk's JSON lines (read now when the chunk was consumed lazily)."""
        return self.data() if callable(self.data) else self.data


def _nothing() -> None:
    return None


@dataclass
class Consumed:
    """What one consumer read of one topic; ``commit`` records it as processed.

    ``keyed``: records are identified line by line (a re-read chunk may hold more lines), not
    by whole chunks (a file is always re-read whole).
    """

    topic: str
    chunks: list[Chunk] = field(default_factory=list)
    keyed: bool = False
    commit: Callable[[], None] = _nothing


class EventLog(ABC, Closing):
    """A log of JSON-lines events, per topic, ordered by arrival."""

    #: The family of log, which picks the stream job: ``files`` (checkpointed slice files) or
    #: ``kafka`` (partitions, consumer groups, transactions).
    kind: ClassVar[str]
    url: str

    @abstractmethod
    def write_slice(
        self, topic: str, slice_start_ms: int, payload: bytes, keys: list[bytes] | None = None
    ) -> SliceFile:
        """Append the JSON lines of one slice of event time; ``keys`` (one per line) place them."""

    @abstractmethod
    def consume(
        self,
        topic: str,
        *,
        consumer: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> Consumed:
        """What ``consumer`` has not processed yet; with an interval, all of it again."""

    def flush(self) -> None:
        """Wait until everything written is stored."""

    def close(self) -> None:
        self.flush()
