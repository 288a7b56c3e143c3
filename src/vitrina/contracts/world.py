"""Cross-record rules over tables: keys, uniqueness, references, and each domain's table rules."""

from __future__ import annotations

import logging

import polars as pl

from vitrina.contracts.batch import Validation, check_table
from vitrina.contracts.registry import TABLE_RULES, contract_for
from vitrina.contracts.rules import ERRORS_SCHEMA, error_rows, key_expr
from vitrina.contracts.rules import ROW as _ROW

__all__ = ["validate_world"]

log = logging.getLogger(__name__)

# Unique columns compared ignoring case: A@x.org and a@x.org are one mailbox.
_CASE_FREE = frozenset({"email", "username"})


_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"


def _shown(valid: pl.DataFrame, column: str) -> pl.Expr:
    """A key value as a message shows it (times as ISO-8601 UTC)."""
    col = pl.col(column)
    return col.dt.strftime(_TS) if valid.schema[column].is_temporal() else col.cast(pl.String)


def _duplicates(
    valid: pl.DataFrame, columns: tuple[str, ...], rule: str, fold: bool = False
) -> pl.DataFrame:
    """Every occurrence after the first of a value of ``columns`` (the first one stays valid).

    The error is on the key's first column; a composite key is named and shown whole.
    """
    column = columns[0]
    if len(columns) == 1:
        name, shown = column, _shown(valid, column)
    else:
        name = f"({', '.join(columns)})"
        shown = pl.format(
            "({})", pl.concat_str([_shown(valid, c) for c in columns], separator=", ")
        )
    present = valid.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in columns))
    keys = pl.col(column).str.to_lowercase() if fold else key_expr(present, columns)
    ranked = present.with_columns(pl.col(_ROW).min().over(keys).alias("__first"))
    dup = ranked.filter(pl.col(_ROW) != pl.col("__first"))
    if not dup.height:
        return pl.DataFrame(schema=ERRORS_SCHEMA)
    if rule == "duplicate":
        firsts = ranked.filter(pl.col(_ROW) == pl.col("__first")).drop("__first")
        payload = [c for c in valid.columns if not c.startswith("_")]
        same = dup.join(firsts, left_on="__first", right_on=_ROW, how="left", suffix="__f")
        identical = pl.all_horizontal(
            [pl.col(c).eq_missing(pl.col(f"{c}__f")) for c in payload if c not in columns]
        )
        text = pl.format(
            f"{name} {{}} repeats row {{}} ({{}})",
            shown,
            pl.col("__first"),
            pl.when(identical)
            .then(pl.lit("identical record"))
            .otherwise(pl.lit("different record")),
        )
        return error_rows(same, column, rule, text)
    text = pl.format(f"{name} {{}} already used on row {{}}", shown, pl.col("__first"))
    return error_rows(dup, column, rule, text)


def _key_set(
    checked: dict[str, Validation], targets: tuple[tuple[str, str], ...]
) -> pl.Series | None:
    """Keys of the target rows, broken ones included: a record with a bad field still exists."""
    parts: list[pl.Series] = []
    for entity, column in targets:
        if entity in checked:
            parts.append(checked[entity].valid.get_column(column).cast(pl.Int64))
            raw = checked[entity].invalid
            dtype = raw.schema.get(column)
            if dtype is not None and (dtype.is_integer() or dtype == pl.String):
                parts.append(raw.get_column(column).cast(pl.Int64, strict=False))
    if not parts:
        return None
    return pl.concat(parts).drop_nulls().unique()


def _references(entity: str, checked: dict[str, Validation]) -> list[pl.DataFrame]:
    out: list[pl.DataFrame] = []
    valid = checked[entity].valid
    for ref in contract_for(entity).references:
        keys = _key_set(checked, ref.targets)
        if keys is None:
            continue
        where = "/".join(e for e, _ in ref.targets if e in checked)
        orphans = valid.filter(
            pl.col(ref.field).is_not_null() & ~pl.col(ref.field).is_in(keys.implode())
        )
        if orphans.height:
            msg = pl.format(f"{{}} not found in {where}", pl.col(ref.field).cast(pl.String))
            out.append(error_rows(orphans, ref.field, "reference", msg))
    return out


def _apply(
    entity: str, df: pl.DataFrame, base: Validation, extra: list[pl.DataFrame]
) -> Validation:
    extra = [e for e in extra if e.height]
    if not extra:
        return Validation(entity, base.valid.drop(_ROW), base.errors, base.invalid)
    cross = pl.concat(extra).unique(
        subset=[_ROW, "field", "rule"], keep="first", maintain_order=True
    )
    errors = pl.concat([base.errors, cross]).sort(_ROW, maintain_order=True)
    reasons = cross.group_by(_ROW, maintain_order=True).agg(
        pl.format(f"{entity}.{{}}: {{}}", pl.col("field"), pl.col("message")).alias("reasons")
    )
    rows = reasons.get_column(_ROW)
    moved = (
        df.drop(_ROW, strict=False)
        .with_row_index(_ROW)
        .filter(pl.col(_ROW).is_in(rows.implode()))
        .drop("_type_errors", strict=False)
        .join(reasons, on=_ROW, how="left")
    )
    invalid = pl.concat([base.invalid, moved], how="diagonal_relaxed").sort(_ROW)
    valid = base.valid.filter(~pl.col(_ROW).is_in(rows.implode())).drop(_ROW)
    return Validation(entity, valid, errors, invalid)


def validate_world(tables: dict[str, pl.DataFrame]) -> dict[str, Validation]:
    """Validate each table, then the rules across records; a failing record moves to ``invalid``.

    Cross-record rules see only the rows that pass the field rules. A reference is checked when
    one of its target tables is given; for the user of a click or an order both ``users`` and
    ``registrations`` count.
    """
    checked = {entity: check_table(entity, df) for entity, df in tables.items()}
    extra: dict[str, list[pl.DataFrame]] = {e: [] for e in tables}
    for entity, result in checked.items():
        model = contract_for(entity)
        extra[entity].append(_duplicates(result.valid, model.key_columns(), "duplicate"))
        for column in model.unique:
            fold = column in _CASE_FREE
            extra[entity].append(_duplicates(result.valid, (column,), "unique", fold=fold))
        extra[entity] += _references(entity, checked)
    for rule in TABLE_RULES:  # each domain's rules across its tables
        if rule.applies(set(checked)):
            extra[rule.entity] += rule.check(checked)
    out = {e: _apply(e, tables[e], checked[e], extra[e]) for e in tables}
    for e, v in out.items():
        log.debug("world %s: %d valid, %d invalid", e, v.valid.height, v.invalid.height)
    return out
