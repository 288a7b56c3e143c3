"""Reading ingest inputs into per-entity batches: event-log slice files, OLTP tables, a user's folder."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import polars as pl

from vitrina.errors import BackendError
from vitrina.ingest.clean import SEQ
from vitrina.ingest.tables import SHOP_ENTITIES, TABLES

if TYPE_CHECKING:
    from vitrina.eventlog import Consumed

__all__ = ["BOM", "Batch", "read_log", "read_source", "strip_boms"]

log = logging.getLogger(__name__)

BOM = b"\xef\xbb\xbf"


def strip_boms(data: bytes) -> bytes:
    """Drop a UTF-8 byte-order mark at the start of any line (editors and exports add them)."""
    if BOM not in data:
        return data
    return data.removeprefix(BOM).replace(b"\n" + BOM, b"\n")


@dataclass
class Batch:
    """What one ingest read of an entity produced, before validation.

    ``frames``: parsed records, one frame per file or table, each with ``_file``, ``_line`` and
    ``_seq`` (arrival order across the whole batch); ``bad``: lines that did not parse, as
    (``_file``, ``_line``, ``payload``, ``reason``); ``files``: the scope this read replaces;
    ``rereads``: per JSON-lines file, how to read it again (quarantine payloads quote its lines).
    """

    entity: str
    snapshot: bool
    frames: list[pl.DataFrame] = field(default_factory=list)
    bad: list[pl.DataFrame] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    keyed: bool = False  # raw rows are replaced by (file, line), not by whole file (Kafka)
    rereads: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    _next_seq: int = 0

    @property
    def read_count(self) -> int:
        return sum(f.height for f in self.frames) + sum(b.height for b in self.bad)

    def add_jsonl(
        self,
        data: bytes,
        file: str,
        line_numbers: list[int] | None = None,
        reread: Callable[[], bytes] | None = None,
    ) -> None:
        """Parse one file; ``line_numbers`` renames line i (1-based) to ``line_numbers[i-1]``."""
        from vitrina.contracts import parse_jsonl

        parsed = parse_jsonl(strip_boms(data), self.entity, file)
        if reread is not None and line_numbers is None:
            self.rereads[file] = reread
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
        self.files.append(file)
        if bad.height:
            self.add_bad(file, list(bad.select("_line", "payload", "reason").iter_rows()))

    def add_bad(self, file: str, rows: list[tuple[int, str, str]]) -> None:
        """Records that could not be read: (line, payload, reason); line 0 = the whole file."""
        self.bad.append(
            pl.DataFrame(
                {
                    "_file": [file] * len(rows),
                    "_line": [r[0] for r in rows],
                    "payload": [r[1] for r in rows],
                    "reason": [r[2] for r in rows],
                },
                schema={
                    "_file": pl.String,
                    "_line": pl.Int64,
                    "payload": pl.String,
                    "reason": pl.String,
                },
            )
        )
        if file not in self.files:
            self.files.append(file)

    def add_table(self, frame: pl.DataFrame, file: str) -> None:
        """A typed table or text frame; rows are lines 1.. unless it brings ``_line``."""
        if "_line" not in frame.columns:
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
        # The chunk's bytes are held for the run anyway: quarantine payloads quote them.
        batch.add_jsonl(
            chunk.payload,
            chunk.name,
            line_numbers=chunk.line_numbers,
            reread=partial(bytes, chunk.payload),
        )
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
        keys = [k for k in TABLES[entity].keys if k in frame.columns]
        if keys:
            frame = frame.sort(keys, nulls_last=True)
        batch.add_table(frame, f"source:{entity}")
        batches.append(batch)
    return batches
