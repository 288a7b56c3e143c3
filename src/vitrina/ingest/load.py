"""Writing prepared batches to the warehouse: raw, clean and quarantine tables, idempotently."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache
from importlib import resources

import polars as pl
import pyarrow as pa

from vitrina.ingest.clean import SEQ
from vitrina.ingest.process import Prepared
from vitrina.ingest.tables import (
    CLEAN_SCHEMA,
    CLICK_ARRIVALS,
    QUARANTINE,
    RAW_SCHEMA,
    STATUS_OBSERVATIONS,
    TABLES,
)
from vitrina.warehouse import Warehouse
from vitrina.warehouse.base import quote_ident

__all__ = [
    "LOAD_BATCH_ROWS",
    "ensure_tables",
    "in_batches",
    "load_prepared",
    "observe_statuses",
    "read_clean",
    "sql",
]

log = logging.getLogger(__name__)


@cache
def sql(name: str) -> str:
    """An ingest SQL template (``ingest/sql/<name>.sql``); identifiers are filled with str.format."""
    return resources.files("vitrina.ingest").joinpath("sql", f"{name}.sql").read_text()


def _q(schema: str, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def ensure_tables(wh: Warehouse) -> None:
    """Create the raw and clean layers and the quarantine table when they are missing."""
    for spec in TABLES.values():
        wh.ensure_table(RAW_SCHEMA, spec.entity, spec.raw_schema)
        wh.ensure_table(CLEAN_SCHEMA, spec.entity, spec.clean_schema)
    wh.ensure_table(RAW_SCHEMA, "quarantine", QUARANTINE)
    wh.ensure_table(CLEAN_SCHEMA, "user_status_observations", STATUS_OBSERVATIONS)
    wh.ensure_table(CLEAN_SCHEMA, "click_arrivals", CLICK_ARRIVALS)


def read_clean(wh: Warehouse, entity: str) -> pl.DataFrame | None:
    """The clean table of ``entity`` as a frame, or None when it is empty."""
    spec = TABLES[entity]
    if not wh.columns(CLEAN_SCHEMA, entity):
        return None
    cols = ", ".join(quote_ident(c) for c in spec.names)
    table = wh.query_arrow(f"select {cols} from {_q(CLEAN_SCHEMA, entity)}")
    if table.num_rows == 0:
        return None
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


# Rows handed to the warehouse per statement: the Arrow copy of a batch and the engine's
# insert buffers stay this size whatever the size of the run.
LOAD_BATCH_ROWS = 100_000


def _arrow(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    return frame.select(schema.names).to_arrow().cast(schema)


def _clean_frame(p: Prepared) -> pl.DataFrame:
    frame = p.valid
    if p.spec.incremental:
        frame = frame.sort(SEQ).with_columns(
            pl.col("_file").alias("arrival_file"), pl.col("_line").alias("arrival_line")
        )
    return frame


def in_batches(
    wh: Warehouse, name: str, frame: pl.DataFrame, schema: pa.Schema, statements: list[str]
) -> None:
    """Run ``statements`` (``{stage}`` filled) over ``frame``, ``LOAD_BATCH_ROWS`` rows at a time.

    Only statements whose effect on one row does not depend on the other rows of the batch
    belong here (inserts; deletes of the batch's own rows), so batching changes no result.
    """
    for offset in range(0, frame.height, LOAD_BATCH_ROWS):
        stage = wh.stage(name, _arrow(frame.slice(offset, LOAD_BATCH_ROWS), schema))
        try:
            for statement in statements:
                wh.execute(statement.format(stage=stage))
        finally:
            wh.unstage(name)


def load_prepared(wh: Warehouse, p: Prepared) -> int:
    """Write one entity (inside the caller's transaction); returns the rows new in the clean table.

    Snapshot entities replace their raw and clean tables. Event entities replace the raw rows
    of the files read and add to the clean table only events whose key is not there yet, so
    re-reading a file changes nothing. Rows go in batches of ``LOAD_BATCH_ROWS``.
    """
    spec = p.spec
    e = spec.entity
    raw_t = _q(RAW_SCHEMA, e)
    clean_t = _q(CLEAN_SCHEMA, e)
    files = wh.stage(f"_files_{e}", pa.table({"_file": pa.array(p.files, pa.string())}))
    q_stage = wh.stage(f"_quarantine_{e}", _arrow(p.quarantine, QUARANTINE))
    raw_cols = ", ".join(quote_ident(c) for c in spec.raw_schema.names)
    clean_cols = ", ".join(quote_ident(c) for c in spec.clean_schema.names)
    insert_raw = sql("insert_all").format(target=raw_t, columns=raw_cols, stage="{stage}")
    try:
        if p.snapshot:
            wh.execute(sql("replace_all").format(target=raw_t))
            wh.execute(sql("replace_all").format(target=clean_t))
            in_batches(wh, f"_raw_{e}", p.raw, spec.raw_schema, [insert_raw])
            insert = sql("insert_all").format(target=clean_t, columns=clean_cols, stage="{stage}")
            in_batches(wh, f"_clean_{e}", _clean_frame(p), spec.clean_schema, [insert])
            loaded = p.valid.height
        else:
            if p.keyed:  # the rows of exactly the records read: batch by batch
                delete = sql("delete_keys").format(target=raw_t, files=files, stage="{stage}")
                raw_statements = [delete, insert_raw]
            else:
                wh.execute(sql("delete_files").format(target=raw_t, files=files))
                raw_statements = [insert_raw]
            in_batches(wh, f"_raw_{e}", p.raw, spec.raw_schema, raw_statements)
            # The valid rows are unique by key (deduped), so the rows the table gains are
            # exactly the new events, batch by batch as at once.
            before = wh.table_rows(CLEAN_SCHEMA, e)
            insert = sql("insert_new_events").format(
                target=clean_t,
                columns=clean_cols,
                stage="{stage}",
                key_match=spec.key_match("t", "s"),
            )
            in_batches(wh, f"_clean_{e}", _clean_frame(p), spec.clean_schema, [insert])
            loaded = wh.table_rows(CLEAN_SCHEMA, e) - before
            p.duplicates += p.valid.height - loaded
        q_t = _q(RAW_SCHEMA, "quarantine")
        if not p.keyed:  # a Kafka read may cover part of a block: nothing to forget
            scope = "true" if p.snapshot else "false"
            forget = sql("quarantine_forget").format(
                target=q_t, all_files=scope, files=files, stage=q_stage
            )
            wh.execute(forget, [e])
        wh.execute(sql("quarantine_add").format(target=q_t, stage=q_stage))
        if p.arrivals is not None:
            _load_arrivals(wh, p.arrivals, files, keyed=p.keyed)
    finally:
        for name in (f"_files_{e}", f"_quarantine_{e}"):
            wh.unstage(name)
    log.info(
        "%s: %d loaded, %d duplicates, %d quarantined", e, loaded, p.duplicates, p.quarantine.height
    )
    return loaded


def observe_statuses(wh: Warehouse, fallback: datetime) -> datetime:
    """Record users whose loyalty status changed, as of the newest moment in the clean layer.

    Using data time (not the wall clock) keeps simulated histories consistent: a status seen
    in the snapshot is never dated before the registration event that created it.
    """
    end = wh.query_arrow(sql("data_end")).column(0)[0].as_py()
    observed_at = end if isinstance(end, datetime) else fallback
    observed_at = observed_at.replace(tzinfo=None)
    wh.execute(
        sql("observe_status").format(
            observations=_q(CLEAN_SCHEMA, "user_status_observations"),
            users=_q(CLEAN_SCHEMA, "users"),
        ),
        [observed_at, observed_at],
    )
    return observed_at


def _load_arrivals(wh: Warehouse, arrivals: pl.DataFrame, files: str, *, keyed: bool) -> None:
    """Replace the click arrivals of the files read (inside the caller's transaction)."""
    frame = arrivals.with_columns(
        pl.col("_file").alias("arrival_file"), pl.col("_line").alias("arrival_line")
    )
    target = _q(CLEAN_SCHEMA, "click_arrivals")
    columns = ", ".join(quote_ident(c) for c in CLICK_ARRIVALS.names)
    insert = sql("insert_all").format(target=target, columns=columns, stage="{stage}")
    if keyed:  # the arrivals of exactly the records read: batch by batch
        delete = sql("delete_arrival_keys").format(target=target, files=files, stage="{stage}")
        in_batches(wh, "_arrivals", frame, CLICK_ARRIVALS, [delete, insert])
    else:
        wh.execute(sql("delete_arrivals").format(target=target, files=files))
        in_batches(wh, "_arrivals", frame, CLICK_ARRIVALS, [insert])
