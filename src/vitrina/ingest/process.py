"""Validation and cleaning of ingest batches: per-record contracts, cross-record rules, dedupe."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import orjson
import polars as pl

from vitrina.ingest.clean import (
    SEQ,
    dedupe_first,
    invalid_to_quarantine,
    normalise,
    quarantine_frame,
    to_clean,
    to_raw,
)
from vitrina.ingest.options import IngestOptions, adapt
from vitrina.ingest.parents import (
    key_origins,
    parent_reasons,
    quarantined_parents,
    world_reasons,
)
from vitrina.ingest.read import BOM, Batch
from vitrina.ingest.tables import TABLES, TableSpec

__all__ = [
    "Prepared",
    "apply_world_rules",
    "cascade_references",
    "finish",
    "prepare",
    "quote_input_lines",
    "quote_lines",
    "world_frame",
]

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """One entity after validation: raw text rows, clean typed rows, quarantine rows, counts."""

    spec: TableSpec
    snapshot: bool
    files: list[str]
    read: int
    raw: pl.DataFrame
    valid: pl.DataFrame
    quarantine: pl.DataFrame
    duplicates: int = 0
    arrivals: pl.DataFrame | None = None  # clicks only: record-valid arrivals before dedupe
    keyed: bool = False
    rereads: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    # Keys of quarantined records as loaded (surrogates applied): ``__key``, ``origin``.
    keys: list[pl.DataFrame] = field(default_factory=list)

    @property
    def entity(self) -> str:
        return self.spec.entity

    def release(self) -> None:
        """Free the rows once they are loaded; the counts and the quarantine rows stay."""
        self.raw = self.raw.clear()
        self.valid = self.valid.clear()
        self.arrivals = None if self.arrivals is None else self.arrivals.clear()


def _empty_clean(spec: TableSpec) -> pl.DataFrame:
    frame = pl.from_arrow(spec.schema.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(
        pl.lit(None, pl.Int64).alias(SEQ),
        pl.lit(None, pl.String).alias("_file"),
        pl.lit(None, pl.Int64).alias("_line"),
    )


def _validate_frame(spec: TableSpec, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows typed to the clean table + _seq/_file/_line, invalid ``_seq`` + ``reasons``)."""
    from vitrina.contracts import validate_table

    checked = validate_table(spec.entity, frame)
    bad_rows = (
        checked.invalid.get_column("_row").cast(pl.Int64)
        if checked.invalid.height
        else pl.Series([], dtype=pl.Int64)
    )
    keep = ~pl.int_range(0, frame.height, dtype=pl.Int64, eager=True).is_in(bad_rows.implode())
    extras = frame.select(SEQ, "_file", "_line").filter(keep)
    valid = to_clean(spec, checked.valid.drop("_line", strict=False)).hstack(extras)
    invalid = checked.invalid.select(pl.col(SEQ), pl.col("reasons").cast(pl.List(pl.String)))
    return valid, invalid


def prepare(batch: Batch, at: datetime, options: IngestOptions | None = None) -> Prepared:
    """Raw layer, normalisation, the user's options and per-record validation of one batch."""
    spec = TABLES[batch.entity]
    options = options or IngestOptions()
    raws, valids, invalids, keys = [], [], [], []
    for frame in batch.frames:
        raw = to_raw(spec, frame)
        raws.append(raw)
        if frame.height == 0:
            continue
        adapted = adapt(spec, normalise(spec, frame), options)
        valid, invalid = _validate_frame(spec, adapted)
        valids.append(valid)
        if invalid.height:
            invalids.append(invalid_to_quarantine(spec, raw, invalid, at))
            keys.append(key_origins(spec.keys, adapted, invalid.get_column(SEQ)))
    for bad in batch.bad:
        origins = [
            f"{f}:{n}" for f, n in zip(bad["_file"].to_list(), bad["_line"].to_list(), strict=True)
        ]
        invalids.append(
            quarantine_frame(
                spec.entity,
                origins,
                bad["_file"].to_list(),
                bad["payload"].to_list(),
                bad["reason"].to_list(),
                at,
            )
        )
    raw_all = (
        pl.concat(raws, how="vertical")
        if raws
        else to_raw(spec, _empty_clean(spec).select(SEQ, "_file", "_line"))
    )
    valid_all = pl.concat(valids, how="vertical") if valids else _empty_clean(spec)
    quarantine = (
        pl.concat(invalids, how="vertical")
        if invalids
        else quarantine_frame(spec.entity, [], [], [], [], at)
    )
    return Prepared(
        spec=spec,
        snapshot=batch.snapshot,
        files=list(batch.files),
        read=batch.read_count,
        raw=raw_all,
        valid=valid_all,
        quarantine=quarantine,
        arrivals=valid_all.sort(SEQ) if spec.entity == "clicks" else None,
        keyed=batch.keyed,
        rereads=dict(batch.rereads),
        keys=keys,
    )


def world_frame(
    entity: str,
    prepared: Mapping[str, Prepared],
    reference: Callable[[str], pl.DataFrame | None],
) -> pl.DataFrame | None:
    """``entity`` as the cross-record rules are given it: this run's valid rows, else the
    clean layer's (None: neither has it)."""
    frame = prepared[entity].valid if entity in prepared else reference(entity)
    return None if frame is None else frame.drop(SEQ, "_file", "_line", strict=False)


def apply_world_rules(
    prepared: Mapping[str, Prepared],
    reference: Callable[[str], pl.DataFrame | None],
    at: datetime,
    entities: Iterable[str] = TABLES,
) -> None:
    """Cross-record rules (references between entities) over the valid rows of this run.

    An entity this run does not read is taken from the clean layer (``reference``), so clicks
    ingested alone are still checked against the products already in the warehouse; only the
    entities of this run can lose rows to quarantine. ``entities``: the tables of the world
    (those checked batch by batch elsewhere are left out: no rule here reads them).
    """
    from vitrina.contracts import contract_for, validate_world

    # Only the domains of this run and those they refer to (clicks to the shop's products):
    # the tables of any other domain take part in no rule of this run and are not read.
    domains = {contract_for(e).domain for e in prepared} | {
        contract_for(target).domain
        for e in prepared
        for ref in contract_for(e).references
        for target, _ in ref.targets
    }
    world: dict[str, pl.DataFrame] = {}
    for entity in entities:
        if contract_for(entity).domain not in domains:
            continue
        frame = world_frame(entity, prepared, reference)
        if frame is not None:
            world[entity] = frame
    results = validate_world(world)
    for entity, p in prepared.items():
        checked = results.get(entity)
        if checked is None or checked.invalid.height == 0:
            continue
        rows = checked.invalid.get_column("_row").cast(pl.Int64)
        bad = p.valid.with_row_index("_row").filter(
            pl.col("_row").cast(pl.Int64).is_in(rows.implode())
        )
        reasons = world_reasons(entity, p.valid, checked.errors, rows, prepared)
        bad = (
            bad.with_columns(pl.col("_row").cast(pl.Int64))
            .join(reasons, on="_row")
            .select(SEQ, "reasons")
        )
        p.quarantine = pl.concat(
            [p.quarantine, invalid_to_quarantine(p.spec, p.raw, bad, at)], how="vertical"
        )
        p.keys.append(key_origins(p.spec.keys, p.valid, bad.get_column(SEQ)))
        p.valid = p.valid.filter(~pl.col(SEQ).is_in(bad.get_column(SEQ).implode()))
        log.info("%s: %d records break cross-record rules", entity, bad.height)


def _target_keys(
    targets: tuple[tuple[str, str], ...],
    prepared: Mapping[str, Prepared],
    reference: Callable[[str], pl.DataFrame | None],
) -> pl.Series | None:
    from vitrina.ingest.refcheck import target_keys

    return target_keys(targets, prepared, reference)[0]


def cascade_references(
    prepared: Mapping[str, Prepared],
    reference: Callable[[str], pl.DataFrame | None],
    at: datetime,
) -> None:
    """Quarantine records whose referenced record is not in the clean layer.

    The contracts count a quarantined parent as existing (the record exists, it is only
    broken), so its children pass them; the clean layer must stay referentially whole, so
    children of a quarantined user, order or product follow it, level by level.
    """
    from vitrina.contracts import contract_for

    changed = True
    while changed:
        changed = False
        for entity, p in prepared.items():
            for ref in contract_for(entity).references:
                keys = _target_keys(ref.targets, prepared, reference)
                if keys is None or ref.field not in p.valid.columns:
                    continue
                col = pl.col(ref.field)
                orphans = p.valid.filter(
                    col.is_not_null() & ~col.cast(pl.Int64).is_in(keys.implode())
                )
                if orphans.height == 0:
                    continue
                where = "/".join(t for t, _ in ref.targets)
                missing = pl.format(
                    f"{entity}.{ref.field}: {{}} is not loaded in {where} (quarantined or missing)",
                    col,
                )
                parents = quarantined_parents(prepared, ref.targets)
                reasons = (
                    orphans.with_columns(col.cast(pl.Int64).alias("__key"))
                    .join(parents, on="__key", how="left")
                    .select(
                        pl.col(SEQ),
                        pl.concat_list(
                            pl.coalesce(parent_reasons(entity, ref.field, col), missing)
                        ).alias("reasons"),
                    )
                )
                p.quarantine = pl.concat(
                    [p.quarantine, invalid_to_quarantine(p.spec, p.raw, reasons, at)],
                    how="vertical",
                )
                p.keys.append(key_origins(p.spec.keys, p.valid, orphans.get_column(SEQ)))
                p.valid = p.valid.filter(~pl.col(SEQ).is_in(orphans.get_column(SEQ).implode()))
                log.info("%s: %d records refer to records not loaded", entity, orphans.height)
                changed = True


def finish(p: Prepared) -> None:
    """Dedupe the valid rows by key, keeping the first in arrival order."""
    p.valid, p.duplicates = dedupe_first(p.valid, p.spec.keys)


def _as_written(line: bytes) -> str | None:
    """A JSON object compacted with its own types and keys (None: a malformed line keeps its text)."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return orjson.dumps(value).decode() if isinstance(value, dict) else None


def quote_input_lines(p: Prepared) -> None:
    """Quarantine payloads of JSON-lines records: the line as it was written (see :func:`quote_lines`)."""
    p.quarantine = quote_lines(p.quarantine, p.rereads)


def quote_lines(
    quarantine: pl.DataFrame, rereads: Mapping[str, Callable[[], bytes]]
) -> pl.DataFrame:
    """``quarantine`` with each JSON-lines record's payload as the line was written.

    The frames hold text for everything but integers (9.0 reads as "9", true as "true"), so
    the payload is taken again from the file: one re-read per file with quarantined records.
    """
    if not rereads or quarantine.height == 0:
        return quarantine
    from vitrina.contracts.lines import Lines

    parts = quarantine.with_columns(
        pl.col("origin").str.extract(r":([0-9]+)$", 1).cast(pl.Int64).alias("__line")
    )
    payloads = parts.get_column("payload").to_list()
    for file, group in parts.with_row_index("__i").group_by("origin_file", maintain_order=True):
        reread = rereads.get(str(file[0]))
        rows = group.filter(pl.col("__line") > 0)
        if reread is None or rows.height == 0:
            continue
        try:
            data = reread()
        except Exception as exc:  # the payload from the frame is still there
            log.warning("cannot read %s again for quarantine payloads: %s", file[0], exc)
            continue
        lines = Lines(data, len(data))
        pairs = [
            (i, n)
            for i, n in zip(rows["__i"].to_list(), rows["__line"].to_list(), strict=True)
            if n <= len(lines)
        ]
        texts = lines.get([n for _, n in pairs])
        for (i, _), text in zip(pairs, texts, strict=True):
            written = _as_written(text.removeprefix(BOM))
            if written is not None:
                payloads[i] = written
    return quarantine.with_columns(pl.Series("payload", payloads, dtype=pl.String))
