"""Vectorised validation of a table against its contract: every failing field of every record."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import polars as pl

from vitrina.contracts.checks import TYPE_ERRORS_COLUMN, field_exprs
from vitrina.contracts.registry import contract_for
from vitrina.contracts.rules import ERRORS_SCHEMA
from vitrina.contracts.spec import field_specs

__all__ = ["ERRORS_SCHEMA", "Validation", "check_table", "output_schema", "validate_table"]

log = logging.getLogger(__name__)

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


_OUTPUT_DTYPES: dict[str, pl.DataType] = {
    "int": pl.Int64(),
    "str": pl.String(),
    "enum": pl.String(),
    "money": pl.Decimal(12, 2),
    "timestamp": pl.Datetime("ms", "UTC"),
    "date_or_timestamp": pl.Datetime("ms", "UTC"),
    "bool": pl.Boolean(),
}


def output_schema(entity: str) -> pl.Schema:
    """The schema of ``Validation.valid`` for ``entity`` (without ``_line``)."""
    return pl.Schema({s.name: _OUTPUT_DTYPES[s.kind] for s in field_specs(contract_for(entity))})


def validate_table(entity: str, df: pl.DataFrame) -> Validation:
    """Check every row of ``df`` against the contract of ``entity`` in one vectorised pass."""
    result = check_table(entity, df)
    return Validation(result.entity, result.valid.drop(_ROW), result.errors, result.invalid)


def check_table(entity: str, df: pl.DataFrame) -> Validation:
    """Like :func:`validate_table`, but ``valid`` keeps ``_row`` (for cross-record rules)."""
    model = contract_for(entity)
    specs = field_specs(model)
    names = [s.name for s in specs]
    # Dictionary-encoded text (Arrow dictionaries, polars Categorical/Enum) is text.
    coded = [n for n in names if isinstance(df.schema.get(n), pl.Categorical | pl.Enum)]
    if coded:
        df = df.with_columns(pl.col(coded).cast(pl.String))
    schema = df.schema
    v = {n: pl.col(f"__v_{n}") for n in names}
    fx = {s.name: field_exprs(s, schema, v[s.name]) for s in specs}
    rule_values = {n: fx[n].rule_value(v[n]) for n in names}

    # Stage 1 parses each field once; stage 2 names the first failing rule of each field.
    lf = df.lazy().with_columns(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(_ROW),
        *[fx[n].value.alias(f"__v_{n}") for n in names],
    )
    lf = lf.with_columns(
        [
            pl.coalesce(_firsts([(fails, pl.lit(rule)) for rule, fails, _ in fx[n].checks])).alias(
                f"__r_{n}"
            )
            for n in names
        ]
    )
    row_messages: dict[str, list[tuple[str, pl.Expr]]] = {}
    for rr in model.row_rules:
        inputs_ok = pl.all_horizontal([pl.col(f"__r_{f}").is_null() for f in rr.inputs])
        fails, message = rr.batch(rule_values)
        r = f"__r_{rr.field}"
        lf = lf.with_columns(
            pl.when(inputs_ok & fails.fill_null(False))
            .then(pl.lit(rr.rule))
            .otherwise(pl.col(r))
            .alias(r)
        )
        row_messages.setdefault(rr.field, []).append((rr.rule, message))
    checked = lf.collect()

    bad_mask = checked.select(
        pl.any_horizontal([pl.col(f"__r_{n}").is_not_null() for n in names]).alias("bad")
    ).to_series()
    n_bad = int(bad_mask.sum())
    good = checked.filter(~bad_mask) if n_bad else checked
    outputs = [fx[n].output(v[n]).alias(n) for n in names]
    valid = good.select(pl.col(_ROW), *outputs, *([pl.col(_LINE)] if _LINE in schema else []))
    originals = [c for c in df.columns if c not in (TYPE_ERRORS_COLUMN, _ROW)]
    if not n_bad:
        invalid = (
            df.select(originals)
            .clear()
            .with_columns(
                pl.lit(None, pl.UInt32).alias(_ROW),
                pl.lit(None, pl.List(pl.String)).alias("reasons"),
            )
        )
        return Validation(
            entity, valid, _empty_errors(), invalid.select(_ROW, *originals, "reasons")
        )

    # Messages are built for the failing rows only: formatting text for every row is costly.
    flagged = checked.filter(bad_mask)
    messages = []
    for n in names:
        text = pl.coalesce(_firsts([(fails, msg) for _, fails, msg in fx[n].checks]))
        for rule, msg in row_messages.get(n, []):
            text = pl.when(pl.col(f"__r_{n}") == rule).then(msg).otherwise(text)
        messages.append(pl.when(pl.col(f"__r_{n}").is_not_null()).then(text).alias(f"__m_{n}"))
    flagged = flagged.with_columns(messages)
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
        [pl.format(f"{entity}.{n}: {{}}", pl.col(f"__m_{n}")) for n in names]
    ).list.drop_nulls()
    invalid = flagged.select(pl.col(_ROW), *originals, reasons.alias("reasons"))
    log.debug("%s: %d rows, %d invalid, %d field errors", entity, df.height, n_bad, errors.height)
    return Validation(entity, valid, errors, invalid)
