"""Reference checks of a record batch against key sets held once per run, with today's reasons."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from vitrina.contracts import contract_for
from vitrina.contracts.registry import TABLE_RULES
from vitrina.ingest.clean import SEQ
from vitrina.ingest.parents import quarantined_parents
from vitrina.ingest.tables import TABLES

__all__ = ["RefCheck", "bad_references", "ref_checks", "streamable", "target_keys"]

Reference = Callable[[str], pl.DataFrame | None]


def streamable(entity: str) -> bool:
    """Whether an entity can be checked batch by batch: an event that no rule or reference reads.

    Its cross-record checks are then only its own references (against key sets of other
    entities) and its key (deduped by the warehouse engine), so no other entity's result
    depends on its rows and none of its checks needs more than one record at a time.
    """
    spec = TABLES[entity]
    if not spec.incremental or contract_for(entity).unique:
        return False
    for other in TABLES:
        if any(t == entity for ref in contract_for(other).references for t, _ in ref.targets):
            return False
    return not any(entity in (r.entity, *r.needs, *r.any_of) for r in TABLE_RULES)


def target_keys(
    targets: tuple[tuple[str, str], ...], prepared: Mapping[str, Any], reference: Reference
) -> tuple[pl.Series | None, list[str]]:
    """The keys the target records hold (this run's valid rows, else the clean layer), and which
    targets were there to look in (None: none of them)."""
    parts, present = [], []
    for entity, column in targets:
        frame = prepared[entity].valid if entity in prepared else reference(entity)
        if frame is not None and column in frame.columns:
            parts.append(frame.get_column(column).cast(pl.Int64))
            present.append(entity)
    return (pl.concat(parts).drop_nulls().unique() if parts else None), present


@dataclass(frozen=True)
class RefCheck:
    """One reference of a batch-checked entity, as the whole-run rules would judge it.

    ``world``: the keys the cross-record rules see (this run's records before those rules,
    or the clean layer), named by ``world_where``; ``loaded``: the keys the clean layer will
    hold once this run is loaded (the cascade to children of quarantined records);
    ``parents``: this run's quarantined target records (``__key``, ``__parent``, ``__why``).
    """

    field: str
    world: pl.Series | None
    world_where: str
    loaded: pl.Series | None
    loaded_where: str
    parents: pl.DataFrame


def ref_checks(
    entity: str,
    world: Mapping[str, tuple[pl.Series | None, list[str]]],
    prepared: Mapping[str, Any],
    reference: Reference,
) -> list[RefCheck]:
    """The reference checks of ``entity`` once the other entities of the run are settled.

    ``world`` holds, per reference field, :func:`target_keys` taken before the cross-record
    rules ran (what they see); ``prepared`` is the run after the rules and the cascade.
    """
    out = []
    for ref in contract_for(entity).references:
        seen, seen_in = world[ref.field]
        loaded, _ = target_keys(ref.targets, prepared, reference)
        out.append(
            RefCheck(
                ref.field,
                seen,
                "/".join(seen_in),
                loaded,
                "/".join(t for t, _ in ref.targets),
                quarantined_parents(prepared, ref.targets),
            )
        )
    return out


def _parent(check: RefCheck, key: pl.Expr, what: str) -> pl.Expr:
    """``__parent`` or ``__why`` of the quarantined target record a key names (null: none)."""
    p = check.parents
    return key.replace_strict(p.get_column("__key"), p.get_column(what), default=None)


def bad_references(entity: str, valid: pl.DataFrame, checks: list[RefCheck]) -> pl.DataFrame:
    """``_seq`` and ``reasons`` (list of text) of the rows of ``valid`` that fail a reference.

    As the whole-run rules word them: every reference the cross-record rules find broken (a
    target record this run quarantined is named with why), else the first reference whose
    record is not loaded (the cascade).
    """
    world: list[pl.Expr] = []
    cascade: list[pl.Expr] = []
    for c in checks:
        col = pl.col(c.field)
        key = col.cast(pl.Int64)
        parent, why = _parent(c, key, "__parent"), _parent(c, key, "__why")
        quarantined = pl.format(
            f"{entity}.{c.field}: {{}}: its {{}} record was quarantined ({{}})", key, parent, why
        )
        if c.world is not None:
            broken = col.is_not_null() & ~col.is_in(c.world.implode())
            missing = pl.format(
                f"{entity}.{c.field}: {{}} not found in {c.world_where}", col.cast(pl.String)
            )
            world.append(
                pl.when(broken).then(
                    pl.coalesce(pl.when(why.is_not_null()).then(quarantined), missing)
                )
            )
        if c.loaded is not None:
            gone = col.is_not_null() & ~key.is_in(c.loaded.implode())
            missing = pl.format(
                f"{entity}.{c.field}: {{}} is not loaded in {c.loaded_where} (quarantined or missing)",
                col,
            )
            cascade.append(
                pl.when(gone).then(
                    pl.coalesce(pl.when(why.is_not_null()).then(quarantined), missing)
                )
            )
    if not world and not cascade:
        return pl.DataFrame(schema={SEQ: pl.Int64, "reasons": pl.List(pl.String)})
    none = pl.lit(None, pl.String)
    world_list = pl.concat_list(world or [none]).list.drop_nulls()
    first_gone = pl.coalesce(cascade or [none])
    reasons = (
        pl.when(world_list.list.len() > 0)
        .then(world_list)
        .when(first_gone.is_not_null())
        .then(pl.concat_list(first_gone))
        .alias("reasons")
    )
    return valid.select(pl.col(SEQ), reasons).filter(pl.col("reasons").is_not_null())
