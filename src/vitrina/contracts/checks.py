"""Polars expressions for one field spec: the typed value and its ordered checks."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from vitrina.contracts.spec import FieldSpec
from vitrina.contracts.types import DATE_PATTERN, TIMESTAMP_PATTERN

__all__ = ["TYPE_ERRORS_COLUMN", "FieldExprs", "field_exprs", "show_value"]

# Column a parser may add: per row, the fields whose JSON value had the wrong JSON type even
# though the frame's column cannot show it (e.g. 5 in a string column that also holds "x").
TYPE_ERRORS_COLUMN = "_type_errors"

UTC_MS = pl.Datetime("ms", "UTC")
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"
_INT_TEXT = r"^-?\d{1,18}$"
_NUMBER_TEXT = r"^-?\d{1,15}(\.\d+)?$"
_MONEY_TEXT = r"^-?\d{1,15}(\.\d{1,2})?$"


@dataclass(frozen=True)
class FieldExprs:
    """The typed value of a field (null when it fails) and its checks, first failing one wins."""

    typed: pl.Expr
    rule_value: pl.Expr
    checks: tuple[tuple[str, pl.Expr, pl.Expr], ...]


def show_value(col: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A short rendering of a raw value for a message."""
    if dtype == pl.String:
        return pl.concat_str([pl.lit("'"), col.str.slice(0, 40), pl.lit("'")])
    if dtype.is_numeric() or dtype == pl.Boolean or dtype.is_temporal():
        return col.cast(pl.String)
    return pl.lit(f"a {dtype}")


def _bound_checks(
    spec: FieldSpec, value: pl.Expr, shown: pl.Expr, scale: int = 1
) -> list[tuple[str, pl.Expr, pl.Expr]]:
    out: list[tuple[str, pl.Expr, pl.Expr]] = []
    for op, bound in (("ge", spec.ge), ("gt", spec.gt), ("le", spec.le), ("lt", spec.lt)):
        if bound is None:
            continue
        b = float(bound) if scale == 1 and spec.kind == "money" else int(bound * scale)
        fails = {"ge": value < b, "gt": value <= b, "le": value > b, "lt": value >= b}[op]
        sym = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}[op]
        out.append(("range", fails, pl.format(f"must be {sym} {bound}, got {{}}", shown)))
    return out


def _int(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType
) -> tuple[pl.Expr, pl.Expr, list[tuple[str, pl.Expr, pl.Expr]]]:
    if dtype.is_integer():
        typed = col.cast(pl.Int64, strict=False)
    elif dtype.is_float():
        whole = col.is_finite() & (col == col.round(0)) & (col.abs() < 9.2e18)
        typed = pl.when(whole).then(col.cast(pl.Int64, strict=False))
    elif dtype == pl.String:
        typed = pl.when(col.str.contains(_INT_TEXT)).then(col.cast(pl.Int64, strict=False))
    else:
        typed = pl.lit(None, pl.Int64)
    shown = show_value(col, dtype)
    checks = [
        (
            "type",
            col.is_not_null() & typed.is_null(),
            pl.format("expected an integer, got {}", shown),
        )
    ]
    return typed, typed, checks + _bound_checks(spec, typed, shown)


def _str(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType
) -> tuple[pl.Expr, pl.Expr, list[tuple[str, pl.Expr, pl.Expr]]]:
    shown = show_value(col, dtype)
    if dtype != pl.String:
        typed = pl.lit(None, pl.String)
        return (
            typed,
            typed,
            [("type", col.is_not_null(), pl.format("expected a string, got {}", shown))],
        )
    checks: list[tuple[str, pl.Expr, pl.Expr]] = []
    n = col.str.len_chars()
    if spec.min_length is not None:
        checks.append(
            ("length", n < spec.min_length, pl.format(f"length {{}} < {spec.min_length}", n))
        )
    if spec.max_length is not None:
        checks.append(
            ("length", n > spec.max_length, pl.format(f"length {{}} > {spec.max_length}", n))
        )
    if spec.pattern is not None:
        checks.append(
            (
                "format",
                ~col.str.contains(spec.pattern),
                pl.format(f"not {spec.pattern_name}: {{}}", shown),
            )
        )
    return col, col, checks


def _enum(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType
) -> tuple[pl.Expr, pl.Expr, list[tuple[str, pl.Expr, pl.Expr]]]:
    shown = show_value(col, dtype)
    allowed = "|".join(spec.values)
    fails = ~col.is_in(list(spec.values)) if dtype == pl.String else col.is_not_null()
    typed = col if dtype == pl.String else pl.lit(None, pl.String)
    return typed, typed, [("enum", fails, pl.format(f"{{}} not in {allowed}", shown))]


def _money(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType
) -> tuple[pl.Expr, pl.Expr, list[tuple[str, pl.Expr, pl.Expr]]]:
    shown = show_value(col, dtype)
    amount: pl.Expr
    if dtype == pl.String:
        amount = pl.when(col.str.contains(_NUMBER_TEXT)).then(col.cast(pl.Float64, strict=False))
        places_ok = col.str.contains(_MONEY_TEXT)
    elif dtype.is_numeric():
        raw = col.cast(pl.Float64)
        amount = pl.when(raw.is_finite() & (raw.abs() < 1e15)).then(raw)
        places_ok = ((amount * 100) - (amount * 100).round(0)).abs() <= 1e-6
    else:
        amount = pl.lit(None, pl.Float64)
        places_ok = pl.lit(False)
    cents = (amount * 100).round(0).cast(pl.Int64, strict=False)
    typed = (cents.cast(pl.Float64) / 100).cast(pl.Decimal(12, 2), strict=False)
    checks = [
        (
            "type",
            col.is_not_null() & amount.is_null(),
            pl.format("expected a decimal number, got {}", shown),
        ),
        ("format", ~places_ok, pl.format("more than 2 decimal places: {}", shown)),
    ]
    return typed, cents, checks + _bound_checks(spec, amount, shown)


def _time(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType
) -> tuple[pl.Expr, pl.Expr, list[tuple[str, pl.Expr, pl.Expr]]]:
    shown = show_value(col, dtype)
    dated = spec.kind == "date_or_timestamp"
    what = (
        "an ISO-8601 date or UTC timestamp ending in Z"
        if dated
        else "an ISO-8601 UTC timestamp ending in Z"
    )
    if dtype == pl.String:
        ts = pl.when(col.str.contains(TIMESTAMP_PATTERN)).then(
            col.str.to_datetime(_TS_FORMAT, time_unit="ms", time_zone="UTC", strict=False)
        )
        if dated:
            day = pl.when(col.str.contains(DATE_PATTERN)).then(
                col.str.to_date("%Y-%m-%d", strict=False)
                .cast(pl.Datetime("ms"))
                .dt.replace_time_zone("UTC")
            )
            typed = pl.coalesce(day, ts)
        else:
            typed = ts
        checks = [
            ("format", col.is_not_null() & typed.is_null(), pl.format(f"not {what}: {{}}", shown))
        ]
        return typed, typed, checks
    if isinstance(dtype, pl.Datetime):
        zoned = (
            col.dt.replace_time_zone("UTC")
            if dtype.time_zone is None
            else col.dt.convert_time_zone("UTC")
        )
        typed = zoned.dt.cast_time_unit("ms")
    elif dtype == pl.Date and dated:
        typed = col.cast(pl.Datetime("ms")).dt.replace_time_zone("UTC")
    else:
        typed = pl.lit(None, UTC_MS)
    checks = [
        (
            "type",
            col.is_not_null() & typed.is_null(),
            pl.format(f"expected {what}, got {{}}", shown),
        )
    ]
    return typed, typed, checks


_BUILDERS = {
    "int": _int,
    "str": _str,
    "enum": _enum,
    "money": _money,
    "timestamp": _time,
    "date_or_timestamp": _time,
}


def field_exprs(spec: FieldSpec, schema: pl.Schema) -> FieldExprs:
    """Typed value and checks for ``spec`` on a frame with ``schema`` (absent column = nulls)."""
    present = spec.name in schema
    dtype = schema[spec.name] if present else pl.Null()
    col = pl.col(spec.name) if present else pl.lit(None)
    typed, rule_value, checks = _BUILDERS[spec.kind](spec, col, dtype)
    head: list[tuple[str, pl.Expr, pl.Expr]] = []
    if not spec.nullable:
        head.append(("missing", col.is_null(), pl.lit("missing")))
    if TYPE_ERRORS_COLUMN in schema:
        wrong = pl.col(TYPE_ERRORS_COLUMN).list.contains(spec.name).fill_null(False)
        label = {"int": "an integer", "money": "a number or string"}.get(spec.kind, "a string")
        head.append(
            ("type", wrong, pl.format(f"expected {label}, got JSON {{}}", show_value(col, dtype)))
        )
    return FieldExprs(typed=typed, rule_value=rule_value, checks=tuple(head + checks))
