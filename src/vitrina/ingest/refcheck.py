"""Reference checks of a record batch against key sets held once per run, with today's reasons."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from vitrina.contracts import contract_for
from vitrina.contracts.batch import Validation, check_table
from vitrina.contracts.registry import TABLE_RULES
from vitrina.contracts.rules import ERRORS_SCHEMA, ROW, TableRule
from vitrina.ingest.clean import SEQ
from vitrina.ingest.parents import quarantined_parents
from vitrina.ingest.tables import TABLES

__all__ = [
    "RefCheck",
    "RuleCheck",
    "bad_references",
    "ref_checks",
    "rule_checks",
    "streamable",
    "target_keys",
]

Reference = Callable[[str], pl.DataFrame | None]
_RULES = "__rules"


def streamable(entity: str) -> bool:
    """Whether an entity can be checked batch by batch: an event that no rule or reference reads.

    Its cross-record checks are then only its own references (against key sets of other
    entities), the per-record table rules judging it (lookups in other tables) and its key
    (deduped by the warehouse engine), so no other entity's result depends on its rows and
    none of its checks needs more than one record at a time.
    """
    spec = TABLES[entity]
    if not spec.incremental or contract_for(entity).unique:
        return False
    for other in TABLES:
        if any(t == entity for ref in contract_for(other).references for t, _ in ref.targets):
            return False
    return not any(
        entity in (*r.needs, *r.any_of) or (r.entity == entity and not r.per_record)
        for r in TABLE_RULES
    )


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


@dataclass(frozen=True)
class RuleCheck:
    """A per-record table rule of a batch-checked entity, with the other tables it reads as
    the whole-run rules see them (field-checked, before any cross-record rule)."""

    rule: TableRule
    tables: dict[str, Validation]


def rule_checks(entity: str, world: Reference) -> list[RuleCheck]:
    """The per-record table rules of ``entity`` that apply, given ``world(table)``: a table as
    the cross-record rules would be given it (None: not there)."""
    out = []
    for rule in TABLE_RULES:
        if rule.entity != entity or not rule.per_record:
            continue
        tables = {}
        for name in rule.needs | rule.any_of:
            frame = world(name)
            if frame is not None:
                checked = check_table(name, frame)
                # Times as the clean rows of a piece hold them: naive UTC.
                naive = checked.valid.with_columns(
                    pl.col(pl.Datetime("ms", "UTC")).dt.replace_time_zone(None)
                )
                tables[name] = Validation(name, naive, checked.errors, checked.invalid)
        if rule.applies({entity, *tables}):
            out.append(RuleCheck(rule, tables))
    return out


def _rule_reasons(entity: str, valid: pl.DataFrame, rules: list[RuleCheck]) -> pl.DataFrame:
    """``_seq`` and the reasons (list of text) of the rows of ``valid`` failing a table rule."""
    rows = valid.with_row_index(ROW)
    mine = Validation(entity, rows, pl.DataFrame(schema=ERRORS_SCHEMA), rows.clear())
    found = [e for c in rules for e in c.rule.check({**c.tables, entity: mine}) if e.height]
    if not found:
        return pl.DataFrame(schema={SEQ: pl.Int64, _RULES: pl.List(pl.String)})
    errors = pl.concat(found).unique(
        subset=[ROW, "field", "rule"], keep="first", maintain_order=True
    )
    reasons = errors.group_by(ROW, maintain_order=True).agg(
        pl.format(f"{entity}.{{}}: {{}}", pl.col("field"), pl.col("message")).alias(_RULES)
    )
    return reasons.join(rows.select(ROW, SEQ), on=ROW).select(SEQ, _RULES)


def _parent(check: RefCheck, key: pl.Expr, what: str) -> pl.Expr:
    """``__parent`` or ``__why`` of the quarantined target record a key names (null: none)."""
    p = check.parents
    return key.replace_strict(p.get_column("__key"), p.get_column(what), default=None)


def bad_references(
    entity: str, valid: pl.DataFrame, checks: list[RefCheck], rules: list[RuleCheck] | None = None
) -> pl.DataFrame:
    """``_seq`` and ``reasons`` (list of text) of the rows of ``valid`` that fail a reference
    or a per-record table rule.

    As the whole-run rules word them: every reference the cross-record rules find broken (a
    target record this run quarantined is named with why) and every table rule broken, else
    the first reference whose record is not loaded (the cascade).
    """
    world: list[pl.Expr] = []
    cascade: list[pl.Expr] = []
    flags: list[pl.Expr] = []  # rows that fail something: the only ones whose text is made
    for c in checks:
        col = pl.col(c.field)
        key = col.cast(pl.Int64)
        parent, why = _parent(c, key, "__parent"), _parent(c, key, "__why")
        quarantined = pl.format(
            f"{entity}.{c.field}: {{}}: its {{}} record was quarantined ({{}})", key, parent, why
        )
        if c.world is not None:
            broken = col.is_not_null() & ~col.is_in(c.world.implode())
            flags.append(broken)
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
            flags.append(gone)
            missing = pl.format(
                f"{entity}.{c.field}: {{}} is not loaded in {c.loaded_where} (quarantined or missing)",
                col,
            )
            cascade.append(
                pl.when(gone).then(
                    pl.coalesce(pl.when(why.is_not_null()).then(quarantined), missing)
                )
            )
    if rules:
        valid = valid.join(
            _rule_reasons(entity, valid, rules), on=SEQ, how="left", maintain_order="left"
        )
        world.append(pl.col(_RULES).fill_null(pl.lit([], pl.List(pl.String))))
        flags.append(pl.col(_RULES).is_not_null())
    if not world and not cascade:
        return pl.DataFrame(schema={SEQ: pl.Int64, "reasons": pl.List(pl.String)})
    valid = valid.filter(pl.any_horizontal(flags))
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
