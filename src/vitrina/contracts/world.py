"""Cross-record rules over tables: keys, uniqueness, references, order sums, chronology."""

from __future__ import annotations

import logging
from collections.abc import Callable

import polars as pl

from vitrina.contracts.batch import ERRORS_SCHEMA, Validation, check_table
from vitrina.contracts.registry import contract_for
from vitrina.contracts.shop import cents_text

__all__ = ["validate_world"]

log = logging.getLogger(__name__)

_ROW = "_row"
_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"


def _errors(frame: pl.DataFrame, field: str, rule: str, message: pl.Expr) -> pl.DataFrame:
    return frame.select(
        pl.col(_ROW),
        pl.lit(field).alias("field"),
        pl.lit(rule).alias("rule"),
        message.alias("message"),
    ).cast(dict(ERRORS_SCHEMA))  # type: ignore[arg-type]


def _duplicates(valid: pl.DataFrame, column: str, rule: str, fold: bool = False) -> pl.DataFrame:
    """Every occurrence after the first of a value of ``column`` (the first one stays valid)."""
    key = pl.col(column).str.to_lowercase() if fold else pl.col(column)
    ranked = valid.filter(pl.col(column).is_not_null()).with_columns(
        key.alias("__k"), pl.col(_ROW).min().over(key).alias("__first")
    )
    dup = ranked.filter(pl.col(_ROW) != pl.col("__first"))
    if not dup.height:
        return pl.DataFrame(schema=ERRORS_SCHEMA)
    if rule == "duplicate":
        firsts = ranked.filter(pl.col(_ROW) == pl.col("__first")).drop("__first", "__k")
        payload = [c for c in valid.columns if not c.startswith("_")]
        same = dup.join(firsts, left_on="__first", right_on=_ROW, how="left", suffix="__f")
        identical = pl.all_horizontal(
            [pl.col(c).eq_missing(pl.col(f"{c}__f")) for c in payload if c != column]
        )
        text = pl.format(
            f"{column} {{}} repeats row {{}} ({{}})",
            pl.col(column).cast(pl.String),
            pl.col("__first"),
            pl.when(identical)
            .then(pl.lit("identical record"))
            .otherwise(pl.lit("different record")),
        )
        return _errors(same, column, rule, text)
    text = pl.format(
        f"{column} {{}} already used on row {{}}", pl.col(column).cast(pl.String), pl.col("__first")
    )
    return _errors(dup, column, rule, text)


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
            out.append(_errors(orphans, ref.field, "reference", msg))
    return out


def _hierarchy(checked: dict[str, Validation]) -> list[pl.DataFrame]:
    """Categories have two levels: a parent must itself be top-level."""
    cats = checked["categories"].valid
    parents = cats.select(
        pl.col("category_id").alias("__p"), pl.col("parent_category_id").alias("__pp")
    )
    deep = cats.join(parents, left_on="parent_category_id", right_on="__p", how="inner").filter(
        pl.col("__pp").is_not_null()
    )
    msg = pl.format(
        "parent {} is itself a sub-category (two levels only)", pl.col("parent_category_id")
    )
    return [_errors(deep, "parent_category_id", "hierarchy", msg)] if deep.height else []


def _order_sums(checked: dict[str, Validation]) -> list[pl.DataFrame]:
    orders, lines = checked["orders"].valid, checked["order_details"].valid
    cents = (pl.col("total_price").cast(pl.Float64) * 100).round(0).cast(pl.Int64)
    sums = lines.group_by("order_id").agg(cents.sum().alias("__sum"), pl.len().alias("__n"))
    joined = orders.join(sums, on="order_id", how="left").with_columns(
        pl.col("__sum").fill_null(0),
        (pl.col("total_amount").cast(pl.Float64) * 100).round(0).cast(pl.Int64).alias("__tot"),
    )
    off = joined.filter((pl.col("__tot") - pl.col("__sum")).abs() > 1)
    if not off.height:
        return []
    msg = pl.format(
        "{} != sum of lines {}{}",
        cents_text(pl.col("__tot")),
        cents_text(pl.col("__sum")),
        pl.when(pl.col("__n").is_null()).then(pl.lit(" (no lines)")).otherwise(pl.lit("")),
    )
    return [_errors(off, "total_amount", "sum", msg)]


def _order_after_registration(checked: dict[str, Validation]) -> list[pl.DataFrame]:
    regs = [
        checked[e].valid.select("user_id", "registration_date")
        for e in ("users", "registrations")
        if e in checked
    ]
    first = pl.concat(regs).group_by("user_id").agg(pl.col("registration_date").min())
    orders = checked["orders"].valid.join(first, on="user_id", how="inner")
    early = orders.filter(pl.col("order_date") < pl.col("registration_date"))
    if not early.height:
        return []
    msg = pl.format(
        "{} before user {} registration_date {}",
        pl.col("order_date").dt.strftime(_TS),
        pl.col("user_id"),
        pl.col("registration_date").dt.strftime(_TS),
    )
    return [_errors(early, "order_date", "chronology", msg)]


# Rules across tables beyond keys and references: (entity they judge, tables they need, at
# least one of these tables, rule). A new domain adds its own here.
_TABLE_RULES: tuple[
    tuple[str, set[str], set[str], Callable[[dict[str, Validation]], list[pl.DataFrame]]], ...
] = (
    ("categories", set(), set(), _hierarchy),
    ("orders", {"order_details"}, set(), _order_sums),
    ("orders", set(), {"users", "registrations"}, _order_after_registration),
)


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
        extra[entity].append(_duplicates(result.valid, model.primary_key, "duplicate"))
        for column in model.unique:
            fold = column == "email"
            extra[entity].append(_duplicates(result.valid, column, "unique", fold=fold))
        extra[entity] += _references(entity, checked)
    for entity, needs, any_of, rule in _TABLE_RULES:
        if (
            entity in checked
            and needs <= checked.keys()
            and (not any_of or any_of & checked.keys())
        ):
            extra[entity] += rule(checked)
    out = {e: _apply(e, tables[e], checked[e], extra[e]) for e in tables}
    for e, v in out.items():
        log.debug("world %s: %d valid, %d invalid", e, v.valid.height, v.invalid.height)
    return out
