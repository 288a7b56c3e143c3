"""Pure cleaning steps on Polars frames: raw text layer, normalisation, typing, dedupe, quarantine rows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import orjson
import polars as pl

from vitrina.contracts.normalise import normalise_code, normalise_text
from vitrina.contracts.rules import key_expr
from vitrina.ingest.tables import TableSpec

__all__ = [
    "SEQ",
    "dedupe_first",
    "invalid_to_quarantine",
    "normalise",
    "quarantine_frame",
    "to_clean",
    "to_raw",
]

log = logging.getLogger(__name__)

SEQ = "_seq"  # position of a record in its batch (arrival order), survives validation
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%.3fZ"
_LOWER = {"email", "event_type", "device", "status"}
_TITLE = {"loyalty_status"}
# Optional fields where an empty string means "absent".
_EMPTY_IS_NULL = {"device", "delivery_date", "parent_category_id"}


def _as_text(frame: pl.DataFrame, name: str) -> pl.Expr:
    if name not in frame.columns:
        return pl.lit(None, dtype=pl.String).alias(name)
    dtype = frame.schema[name]
    col = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        expr = (
            col.dt.replace_time_zone(None).dt.to_string(_TS_FORMAT)
            if dtype.time_zone
            else col.dt.to_string(_TS_FORMAT)
        )
    elif isinstance(dtype, pl.Date):
        expr = col.dt.to_string("%Y-%m-%d")
    elif dtype == pl.String:
        expr = col
    elif isinstance(dtype, pl.List | pl.Struct | pl.Array | pl.Object):
        expr = col.map_elements(
            lambda v: orjson.dumps(v, default=str).decode(), return_dtype=pl.String
        )
    else:
        expr = col.cast(pl.String, strict=False)
    return expr.alias(name)


def to_raw(spec: TableSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """The raw layer: every contract field as text, exactly as read, plus ``_file`` and ``_line``."""
    return frame.select(
        *[_as_text(frame, n) for n in spec.names],
        pl.col("_file").cast(pl.String),
        pl.col("_line").cast(pl.Int64),
        *([pl.col(SEQ)] if SEQ in frame.columns else []),
    )


def normalise(spec: TableSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """Trim every text field, lower-case e-mails and codes, title-case loyalty statuses.

    Runs before validation, so a value that only differs by case or spaces is repaired rather
    than quarantined. Only text columns are touched: a number stays a number (and its type is
    still judged by the contract).
    """
    exprs = []
    for name in spec.names:
        if frame.schema.get(name) != pl.String:
            continue
        col = normalise_code(pl.col(name)) if name in _LOWER else normalise_text(pl.col(name))
        if name in _TITLE:
            col = col.str.to_titlecase()
        if name in _EMPTY_IS_NULL:
            col = pl.when(col == "").then(None).otherwise(col)
        exprs.append(col.alias(name))
    return frame.with_columns(exprs) if exprs else frame


def _typed(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    src = frame.schema.get(name)
    if src is None:
        return pl.lit(None, dtype=dtype).alias(name)
    if isinstance(dtype, pl.Datetime):
        if isinstance(src, pl.Datetime):
            out = (
                col.dt.convert_time_zone("UTC").dt.replace_time_zone(None) if src.time_zone else col
            )
            return out.dt.cast_time_unit("ms").alias(name)
        if isinstance(src, pl.Date):
            return col.cast(pl.Datetime("ms")).alias(name)
        text = col.cast(pl.String)
        return (
            pl.coalesce(
                text.str.strptime(pl.Datetime("ms", "UTC"), "%Y-%m-%dT%H:%M:%S%.fZ", strict=False),
                text.str.strptime(pl.Date, "%Y-%m-%d", strict=False).cast(pl.Datetime("ms", "UTC")),
            )
            .dt.replace_time_zone(None)
            .alias(name)
        )
    if isinstance(dtype, pl.Decimal) and src == pl.String:
        return col.str.to_decimal(scale=dtype.scale).cast(dtype).alias(name)
    return col.cast(dtype).alias(name)


def to_clean(spec: TableSpec, valid: pl.DataFrame) -> pl.DataFrame:
    """Cast validated rows to the clean table's exact types and column order (times: naive UTC)."""
    empty = pl.from_arrow(spec.schema.empty_table())
    assert isinstance(empty, pl.DataFrame)
    target = empty.schema
    return valid.select(*[_typed(valid, n, t) for n, t in target.items()], *_keep(valid))


def _keep(frame: pl.DataFrame) -> list[pl.Expr]:
    return [pl.col(c) for c in (SEQ, "_file", "_line") if c in frame.columns]


def dedupe_first(frame: pl.DataFrame, key: str | Sequence[str]) -> tuple[pl.DataFrame, int]:
    """Keep the first record (in arrival order) of each key; returns it and how many were dropped.

    ``key`` is one column or the columns of a composite key (a friendship's pair).
    """
    ordered = frame
    if SEQ in frame.columns and not frame.get_column(SEQ).is_sorted():
        ordered = frame.sort(SEQ)
    subset = [key] if isinstance(key, str) else list(key)
    kept = ordered.filter(key_expr(ordered, subset).is_first_distinct())
    return kept, frame.height - kept.height


def quarantine_frame(
    entity: str,
    origin: Sequence[str],
    origin_file: Sequence[str],
    payload: Sequence[str],
    reasons: Sequence[str],
    at: datetime,
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "entity": [entity] * len(origin),
            "origin": list(origin),
            "origin_file": list(origin_file),
            "payload": list(payload),
            "reasons": list(reasons),
            "ingested_at": [at] * len(origin),
        },
        schema={
            "entity": pl.String,
            "origin": pl.String,
            "origin_file": pl.String,
            "payload": pl.String,
            "reasons": pl.String,
            "ingested_at": pl.Datetime("ms"),
        },
    )


def invalid_to_quarantine(
    spec: TableSpec, raw: pl.DataFrame, bad_seq: pl.DataFrame, at: datetime
) -> pl.DataFrame:
    """Quarantine rows for invalid records: the raw record as JSON, every reason, file:line.

    ``bad_seq`` holds ``_seq`` and ``reasons`` (list of text) of the records that failed.
    """
    if bad_seq.height == 0:
        return quarantine_frame(spec.entity, [], [], [], [], at)
    rows = raw.join(bad_seq, on=SEQ, how="inner").sort(SEQ)
    payloads = [
        orjson.dumps({k: v for k, v in rec.items() if v is not None}).decode()
        for rec in rows.select(spec.names).iter_rows(named=True)
    ]
    reasons = [
        "; ".join(str(r) for r in (rs or [])) or "invalid" for rs in rows["reasons"].to_list()
    ]
    origins = [
        f"{f}:{n}" for f, n in zip(rows["_file"].to_list(), rows["_line"].to_list(), strict=True)
    ]
    return quarantine_frame(spec.entity, origins, rows["_file"].to_list(), payloads, reasons, at)
