"""Event entities ingested piece by piece: each file validated and staged, then loaded by the engine."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa

from vitrina.ingest.clean import SEQ, invalid_to_quarantine
from vitrina.ingest.load import LOAD_BATCH_ROWS, sql
from vitrina.ingest.options import IngestOptions
from vitrina.ingest.process import Prepared, prepare, quote_lines
from vitrina.ingest.read import Batch
from vitrina.ingest.refcheck import RefCheck, RuleCheck, bad_references
from vitrina.ingest.tables import (
    CLEAN_SCHEMA,
    CLICK_ARRIVALS,
    QUARANTINE,
    RAW_SCHEMA,
    TABLES,
    TableSpec,
)
from vitrina.warehouse import Warehouse
from vitrina.warehouse.base import quote_ident

if TYPE_CHECKING:
    from vitrina.eventlog import Consumed

__all__ = ["STAGE_SCHEMA", "StreamedEntity", "log_pieces"]

log = logging.getLogger(__name__)

# Where a run's pieces wait for the engine: real tables (they outgrow memory), filled in one
# transaction of their own and dropped once the run is loaded (or by the next run after a crash).
STAGE_SCHEMA = "ingest_stage"
_FLAGS = [pa.field(SEQ, pa.int64()), pa.field("_file", pa.string()), pa.field("_line", pa.int64())]


def _q(schema: str, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def log_pieces(consumed: Consumed, entity: str) -> Iterator[Batch]:
    """One batch per chunk the event log hands over, read when its turn comes; ``_seq`` runs on
    across the chunks, so arrival order is the same as for one batch of them all."""
    seq = 0
    for chunk in consumed.chunks:
        piece = Batch(entity, snapshot=False, keyed=consumed.keyed, _next_seq=seq)
        data = chunk.payload
        piece.add_jsonl(
            data, chunk.name, line_numbers=chunk.line_numbers, reread=partial(bytes, data)
        )
        seq += sum(f.height for f in piece.frames)
        yield piece


@dataclass
class StreamedEntity:
    """One event entity of a run, staged piece by piece, then loaded by the engine at once.

    :meth:`add` validates a piece and appends its raw rows, click arrivals, valid rows (with
    whether they break a reference) and quarantine rows to stage tables (:data:`STAGE_SCHEMA`,
    outside the run's transaction). :meth:`load`, inside
    it, replaces the raw rows and arrivals of what was re-read, keeps the first record of each
    key in arrival order, adds the new ones to the clean table and merges the quarantine
    rows, exactly as one load of the whole run would.
    """

    entity: str
    files: list[str]
    keyed: bool
    checks: list[RefCheck]
    at: datetime
    options: IngestOptions
    read: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    arrivals: bool = False
    rules: list[RuleCheck] = field(default_factory=list)

    def _name(self, part: str) -> str:
        return f"{self.entity}_{part}"

    def _t(self, wh: Warehouse, part: str) -> str:
        return _q(STAGE_SCHEMA, self._name(part))

    def _schemas(self) -> dict[str, pa.Schema]:
        spec = TABLES[self.entity]
        return {
            "raw": spec.raw_schema,
            "arrivals": CLICK_ARRIVALS,
            "rows": pa.schema([*spec.schema, *_FLAGS, pa.field("_bad", pa.bool_())]),
            "quarantine": pa.schema([*QUARANTINE, pa.field(SEQ, pa.int64())]),
        }

    def begin(self, wh: Warehouse) -> None:
        """Make the empty stage tables (ones a failed run left are dropped first)."""
        self.drop(wh)
        for part, schema in self._schemas().items():
            wh.ensure_table(STAGE_SCHEMA, self._name(part), schema)

    def drop(self, wh: Warehouse) -> None:
        for part in (*self._schemas(), "repeats", "quarantine_final"):
            wh.execute(f"drop table if exists {self._t(wh, part)}")

    def _append(self, wh: Warehouse, part: str, frame: pl.DataFrame) -> None:
        schema = self._schemas()[part]
        for offset in range(0, frame.height, LOAD_BATCH_ROWS):
            chunk = frame.slice(offset, LOAD_BATCH_ROWS)
            wh.load_arrow(STAGE_SCHEMA, self._name(part), _arrow(chunk, schema))

    def add(self, wh: Warehouse, piece: Batch) -> None:
        """Validate one piece and stage what it holds; nothing of it stays in memory."""
        p = prepare(piece, self.at, self.options)
        piece.frames.clear()
        self.read += p.read
        self.put(wh, self.check(p))

    def check(self, p: Prepared) -> dict[str, pl.DataFrame]:
        """The stage rows of one validated piece, by stage table: raw rows, click arrivals,
        valid rows flagged when they break a reference or rule, quarantine candidates."""
        parts = {"raw": p.raw}
        if p.arrivals is not None:
            parts["arrivals"] = p.arrivals.with_columns(
                pl.col("_file").alias("arrival_file"), pl.col("_line").alias("arrival_line")
            )
        bad = bad_references(p.entity, p.valid, self.checks, self.rules)
        parts["rows"] = p.valid.with_columns(
            pl.col(SEQ).is_in(bad.get_column(SEQ).implode()).alias("_bad")
        )
        # A record failing a reference is quarantined only if it is the first of its key
        # (known once every piece is in), so its candidate row keeps its ``_seq``.
        referenced = invalid_to_quarantine(p.spec, p.raw, bad, self.at).with_columns(
            bad.sort(SEQ).get_column(SEQ)
        )
        record = p.quarantine.with_columns(pl.lit(None, pl.Int64).alias(SEQ))
        parts["quarantine"] = quote_lines(pl.concat([record, referenced]), p.rereads)
        return parts

    def put(self, wh: Warehouse, parts: dict[str, pl.DataFrame]) -> None:
        """Append the stage rows of one piece (:meth:`check`) to the stage tables."""
        for part, frame in parts.items():
            self._append(wh, part, frame)
        self.arrivals = self.arrivals or "arrivals" in parts

    def load(self, wh: Warehouse) -> None:
        """Move the staged run into the warehouse (inside the caller's transaction)."""
        spec = TABLES[self.entity]
        e = self.entity
        files = wh.stage(f"_files_{e}", pa.table({"_file": pa.array(self.files, pa.string())}))
        try:
            self._insert_new(wh, spec)
            self._replace(wh, _q(RAW_SCHEMA, e), spec.raw_schema, "raw", files)
            if self.arrivals:
                target = _q(CLEAN_SCHEMA, "click_arrivals")
                self._replace(wh, target, CLICK_ARRIVALS, "arrivals", files, arrivals=True)
            self._merge_quarantine(wh, files)
        finally:
            wh.unstage(f"_files_{e}")
        log.info(
            "%s: %d loaded, %d duplicates, %d quarantined",
            e,
            self.loaded,
            self.duplicates,
            self.quarantined,
        )

    def _replace(
        self,
        wh: Warehouse,
        target: str,
        schema: pa.Schema,
        part: str,
        files: str,
        *,
        arrivals: bool = False,
    ) -> None:
        """Forget the rows of what was re-read (whole files, or exactly the Kafka records read)."""
        stage = self._t(wh, part)
        if self.keyed:
            name = "delete_arrival_keys" if arrivals else "delete_keys"
            wh.execute(sql(name).format(target=target, stage=stage, files=files))
        else:
            name = "delete_arrivals" if arrivals else "delete_files"
            wh.execute(sql(name).format(target=target, files=files))
        columns = ", ".join(quote_ident(c) for c in schema.names)
        wh.execute(sql("insert_all").format(target=target, columns=columns, stage=stage))

    def _insert_new(self, wh: Warehouse, spec: TableSpec) -> None:
        e = spec.entity
        repeats = self._t(wh, "repeats")
        stage = self._t(wh, "rows")
        keys = ", ".join(quote_ident(k) for k in spec.keys)
        match = spec.key_match("s", "d")
        wh.execute(sql("stream_repeats").format(new=repeats, keys=keys, stage=stage, match=match))
        staged = wh.table_rows(STAGE_SCHEMA, self._name("rows"))
        kept = staged - wh.table_rows(STAGE_SCHEMA, self._name("repeats"))
        before = wh.table_rows(CLEAN_SCHEMA, e)
        names = [quote_ident(c) for c in spec.names]
        insert = sql("stream_insert_new").format(
            target=_q(CLEAN_SCHEMA, e),
            columns=", ".join([*names, "arrival_file", "arrival_line"]),
            values=", ".join([*(f"s.{c}" for c in names), "s._file", "s._line"]),
            stage=stage,
            repeats=repeats,
            match=" and ".join(f"t.{quote_ident(k)} = s.{quote_ident(k)}" for k in spec.keys),
        )
        wh.execute(insert)
        self.loaded = wh.table_rows(CLEAN_SCHEMA, e) - before
        wh.execute(
            sql("stream_quarantine").format(
                new=self._t(wh, "quarantine_final"),
                candidates=self._t(wh, "quarantine"),
                repeats=repeats,
            )
        )
        self.quarantined = wh.table_rows(STAGE_SCHEMA, self._name("quarantine_final"))
        record = wh.query_arrow(
            f"select count(*) from {self._t(wh, 'quarantine')} where {SEQ} is null"
        )
        bad_kept = self.quarantined - int(record.column(0)[0].as_py())
        # Repeats within the run, and first arrivals whose key the clean table already held.
        self.duplicates = (staged - kept) + (kept - bad_kept - self.loaded)

    def _merge_quarantine(self, wh: Warehouse, files: str) -> None:
        q_t = _q(RAW_SCHEMA, "quarantine")
        final = self._t(wh, "quarantine_final")
        if not self.keyed:  # a Kafka read may cover part of a block: nothing to forget
            forget = sql("quarantine_forget").format(
                target=q_t, all_files="false", files=files, stage=final
            )
            wh.execute(forget, [self.entity])
        wh.execute(sql("quarantine_add").format(target=q_t, stage=final))


def _arrow(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    return frame.select(schema.names).to_arrow().cast(schema)
