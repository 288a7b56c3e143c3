"""Vectorised validation of a table against its contract: every failing field of every record."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import polars as pl

from vitrina.contracts.checks import TYPE_ERRORS_COLUMN, field_exprs
from vitrina.contracts.registry import contract_for
from vitrina.contracts.spec import field_specs

__all__ = ["ERRORS_SCHEMA", "Validation", "check_table", "validate_table"]

log = logging.getLogger(__name__)

ERRORS_SCHEMA = pl.Schema(
    {"_row": pl.UInt32, "field": pl.String, "rule": pl.String, "message": pl.String}
)
_ROW = "_row"
_LINE = "_line"


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one table.

    ``valid``: the rows that pass, typed to the contract (plus ``_line`` when the input had it);
    ``errors``: one row per failing field (``_row`` = 0-based row of the input);
    ``invalid``: the failing input rows as given, with ``_row`` and ``reasons`` (list of
    "entity.field: message", every failing field).
    """

    entity: str
    valid: pl.DataFrame
    errors: pl.DataFrame
    invalid: pl.DataFrame

    @property
    def total(self) -> int:
        """Rows checked."""
        return self.valid.height + self.invalid.height

    def counts_by_rule(self) -> dict[str, int]:
        """How many field errors of each rule."""
        return dict(sorted(self.errors.group_by("rule").len().iter_rows()))  # type: ignore[arg-type]


def _firsts(pairs: list[tuple[pl.Expr, pl.Expr]]) -> list[pl.Expr]:
    """Per pair, ``value`` where ``fails`` holds, else null: coalesce picks the first failure."""
    out: list[pl.Expr] = [pl.when(fails).then(value) for fails, value in pairs]
    return out or [pl.lit(None, pl.String)]


def _empty_errors() -> pl.DataFrame:
    return pl.DataFrame(schema=ERRORS_SCHEMA)


def validate_table(entity: str, df: pl.DataFrame) -> Validation:
    """Check every row of ``df`` against the contract of ``entity`` in one vectorised pass."""
    result = check_table(entity, df)
    return Validation(result.entity, result.valid.drop(_ROW), result.errors, result.invalid)


def check_table(entity: str, df: pl.DataFrame) -> Validation:
    """Like :func:`validate_table`, but ``valid`` keeps ``_row`` (for cross-record rules)."""
    model = contract_for(entity)
    specs = field_specs(model)
    schema = df.schema
    exprs = {s.name: field_exprs(s, schema) for s in specs}

    typed_cols: list[pl.Expr] = []
    rule_values: dict[str, pl.Expr] = {}
    for name, fx in exprs.items():
        typed_cols.append(fx.typed.alias(f"__v_{name}"))
        rule_values[name] = pl.col(f"__x_{name}")
    # Materialise typed and rule values first: row rules read them, and each is computed once.
    staged = df.lazy().select(
        [
            pl.int_range(pl.len(), dtype=pl.UInt32).alias(_ROW),
            *typed_cols,
            *[fx.rule_value.alias(f"__x_{n}") for n, fx in exprs.items()],
            *[
                pl.coalesce(_firsts([(fails, pl.lit(rule)) for rule, fails, _ in fx.checks])).alias(
                    f"__r_{n}"
                )
                for n, fx in exprs.items()
            ],
            *[
                pl.coalesce(_firsts([(fails, msg) for _, fails, msg in fx.checks])).alias(
                    f"__m_{n}"
                )
                for n, fx in exprs.items()
            ],
        ]
    )
    for rr in model.row_rules:
        inputs_ok = pl.all_horizontal([pl.col(f"__r_{f}").is_null() for f in rr.inputs])
        fails, message = rr.batch(rule_values)
        hit = inputs_ok & fails.fill_null(False)
        staged = staged.with_columns(
            pl.when(hit)
            .then(pl.lit(rr.rule))
            .otherwise(pl.col(f"__r_{rr.field}"))
            .alias(f"__r_{rr.field}"),
            pl.when(hit)
            .then(message)
            .otherwise(pl.col(f"__m_{rr.field}"))
            .alias(f"__m_{rr.field}"),
        )
    checked = staged.collect()

    names = list(exprs)
    bad = (
        pl.any_horizontal([pl.col(f"__r_{n}").is_not_null() for n in names])
        if names
        else pl.lit(False)
    )
    bad_mask = checked.select(bad.alias("bad")).to_series()
    n_bad = int(bad_mask.sum())

    line = [df.get_column(_LINE)] if _LINE in schema else []
    good = checked.filter(~bad_mask) if n_bad else checked
    valid = good.select([pl.col(_ROW), *[pl.col(f"__v_{n}").alias(n) for n in names]])
    if line:
        valid = valid.with_columns((line[0].filter(~bad_mask) if n_bad else line[0]).alias(_LINE))

    if not n_bad:
        original = df.drop(TYPE_ERRORS_COLUMN, strict=False)
        invalid = original.clear().with_columns(
            pl.lit(None, pl.UInt32).alias(_ROW), pl.lit(None, pl.List(pl.String)).alias("reasons")
        )
        return Validation(entity, valid, _empty_errors(), invalid)

    flagged = checked.filter(bad_mask)
    parts = [
        flagged.filter(pl.col(f"__r_{n}").is_not_null()).select(
            pl.col(_ROW),
            pl.lit(n).alias("field"),
            pl.col(f"__r_{n}").alias("rule"),
            pl.col(f"__m_{n}").alias("message"),
        )
        for n in names
    ]
    order = {n: i for i, n in enumerate(names)}
    errors = (
        pl.concat(parts)
        .with_columns(pl.col("field").replace_strict(order, return_dtype=pl.UInt32).alias("__o"))
        .sort(_ROW, "__o")
        .drop("__o")
    )
    reasons = pl.concat_list(
        [
            pl.when(pl.col(f"__r_{n}").is_not_null()).then(
                pl.format(f"{entity}.{n}: {{}}", pl.col(f"__m_{n}"))
            )
            for n in names
        ]
    ).list.drop_nulls()
    invalid = pl.concat(
        [
            flagged.select(pl.col(_ROW)),
            df.filter(bad_mask).drop(TYPE_ERRORS_COLUMN, strict=False),
            flagged.select(reasons.alias("reasons")),
        ],
        how="horizontal",
    )
    log.debug("%s: %d rows, %d invalid, %d field errors", entity, df.height, n_bad, errors.height)
    return Validation(entity, valid, errors, invalid)
