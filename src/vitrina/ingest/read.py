"""Reading ingest inputs into per-entity batches: event-log slice files, OLTP tables, a user's folder."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from vitrina.errors import BackendError, UsageError
from vitrina.ingest.clean import SEQ
from vitrina.ingest.tables import EVENT_ENTITIES, SHOP_ENTITIES, TABLES

if TYPE_CHECKING:
    from vitrina.eventlog import Consumed

__all__ = ["Batch", "read_dir", "read_log", "read_source"]

log = logging.getLogger(__name__)

# Entities a user's folder may hold (registrations too, although the issue does not list it).
DIR_ENTITIES = (*SHOP_ENTITIES, *EVENT_ENTITIES)


@dataclass
class Batch:
    """What one ingest read of an entity produced, before validation.

    ``frames``: parsed records, one frame per file or table, each with ``_file``, ``_line`` and
    ``_seq`` (arrival order across the whole batch); ``bad``: lines that did not parse, as
    (``_file``, ``_line``, ``payload``, ``reason``); ``files``: the scope this read replaces.
    """

    entity: str
    snapshot: bool
    frames: list[pl.DataFrame] = field(default_factory=list)
    bad: list[pl.DataFrame] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    slice_files: list[Any] = field(default_factory=list)  # event-log files to mark done
    keyed: bool = False  # raw rows are replaced by (file, line), not by whole file (Kafka)
    _next_seq: int = 0

    @property
    def read_count(self) -> int:
        return sum(f.height for f in self.frames) + sum(b.height for b in self.bad)

    def add_jsonl(self, data: bytes, file: str, line_numbers: list[int] | None = None) -> None:
        """Parse one file; ``line_numbers`` renames line i (1-based) to ``line_numbers[i-1]``."""
        from vitrina.contracts import parse_jsonl

        parsed = parse_jsonl(data, self.entity, file)
        frame = parsed.frame
        bad = parsed.bad
        if line_numbers is not None:
            numbers = pl.Series("_n", line_numbers, dtype=pl.Int64)

            def renumber(f: pl.DataFrame) -> pl.DataFrame:
                return f.with_columns(
                    pl.col("_line").cast(pl.Int64).map_batches(lambda s: numbers.gather(s - 1))
                )

            frame, bad = renumber(frame), renumber(bad)
        self._add(frame, file)
        if bad.height:
            self.bad.append(
                bad.select(
                    pl.lit(file).alias("_file"),
                    pl.col("_line").cast(pl.Int64),
                    pl.col("payload").cast(pl.String),
                    pl.col("reason").cast(pl.String),
                )
            )
        self.files.append(file)

    def add_table(self, frame: pl.DataFrame, file: str) -> None:
        frame = frame.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("_line"))
        self._add(frame, file)
        self.files.append(file)

    def _add(self, frame: pl.DataFrame, file: str) -> None:
        n = frame.height
        frame = frame.with_columns(
            pl.lit(file, dtype=pl.String).alias("_file"),
            pl.col("_line").cast(pl.Int64),
            pl.int_range(self._next_seq, self._next_seq + n, dtype=pl.Int64).alias(SEQ),
        )
        self._next_seq += n
        self.frames.append(frame)


def read_log(consumed: Consumed, entity: str | None = None) -> Batch:
    """The chunks an event-log consumer read (:class:`vitrina.eventlog.Consumed`) as a batch of
    ``entity`` (by default the topic's name)."""
    batch = Batch(entity or consumed.topic, snapshot=False, keyed=consumed.keyed)
    for chunk in consumed.chunks:
        batch.add_jsonl(chunk.payload, chunk.name, line_numbers=chunk.line_numbers)
    log.info(
        "event log %s: %d chunks, %d records",
        consumed.topic,
        len(consumed.chunks),
        batch.read_count,
    )
    return batch


def read_source(source: Any, entities: Iterable[str] = SHOP_ENTITIES) -> list[Batch]:
    """Full snapshots of the OLTP tables (a table the source lacks is left out, not emptied)."""
    batches = []
    for entity in entities:
        try:
            table = source.read_table(entity)
        except BackendError as exc:
            log.warning("source has no readable table %s (%s); left as it is", entity, exc)
            continue
        batch = Batch(entity, snapshot=True)
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        key = TABLES[entity].key
        if key in frame.columns:
            frame = frame.sort(key, nulls_last=True)
        batch.add_table(frame, f"source:{entity}")
        batches.append(batch)
    return batches


def read_dir(root: Path) -> list[Batch]:
    """A user's folder: ``<root>/<entity>/*.jsonl`` in the contract shape, files in name order."""
    if not root.is_dir():
        raise UsageError(f"--from {root}: not a directory")
    batches = []
    for entity in DIR_ENTITIES:
        folder = root / entity
        if not folder.is_dir():
            continue
        batch = Batch(entity, snapshot=TABLES[entity].incremental is False)
        for path in sorted(folder.glob("*.jsonl")):
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise BackendError(f"cannot read {path}: {exc.strerror}") from exc
            batch.add_jsonl(data, f"dir:{entity}/{path.name}")
        batches.append(batch)
    if not batches:
        raise UsageError(
            f"--from {root}: no <entity>/*.jsonl files (entities: {', '.join(DIR_ENTITIES)})"
        )
    return batches
