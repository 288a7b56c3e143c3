"""Polars expressions for one field spec: the parsed value, its ordered checks, its output type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from vitrina.contracts.spec import FieldSpec
from vitrina.contracts.types import (
    DATE_PATTERN,
    END_INSTANT,
    FIRST_INSTANT,
    NUMBER_TEXT,
    OUTSIDE_RANGE,
    TIMESTAMP_PATTERN,
)

__all__ = [
    "TYPE_ERRORS_COLUMN",
    "Check",
    "FieldExprs",
    "field_exprs",
    "parse_timestamp",
    "show_value",
]

# Column a parser may add: per row, the fields whose JSON value had the wrong JSON type even
# though the frame's column cannot show it (e.g. 5 in a string column that also holds "x").
TYPE_ERRORS_COLUMN = "_type_errors"

UTC_MS = pl.Datetime("ms", "UTC")
_SECONDS = "%Y-%m-%dT%H:%M:%S"
_INT_TEXT = r"^-?[0-9]{1,18}$"
_NUMBER_TEXT = NUMBER_TEXT
_MONEY_TEXT = r"^-?[0-9]+(\.[0-9]{1,2})?$"

# (rule, fails, message): `fails` is evaluated on every row, `message` only on failing rows.
Check = tuple[str, pl.Expr, pl.Expr]


@dataclass(frozen=True)
class FieldExprs:
    """How to check one field.

    ``value``: the parsed value from the raw column (null when it cannot be parsed): Int64,
    String, Float64 (money) or Datetime(ms, UTC); it is materialised once as column ``v``.
    ``checks``: in order, first failing one wins; they read ``v`` and the raw column.
    ``output``/``rule_value``: from ``v``, the contract's type (money Decimal(12, 2)) and the
    value record rules see (money as Int64 cents).
    """

    value: pl.Expr
    checks: tuple[Check, ...]
    output: Callable[[pl.Expr], pl.Expr]
    rule_value: Callable[[pl.Expr], pl.Expr]


def _same(v: pl.Expr) -> pl.Expr:
    return v


def _cents(v: pl.Expr) -> pl.Expr:
    return (v * 100).round(0).cast(pl.Int64, strict=False)


def _decimal(v: pl.Expr) -> pl.Expr:
    return (_cents(v).cast(pl.Float64) / 100).cast(pl.Decimal(12, 2), strict=False)


def show_value(col: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A short rendering of a raw value for a message."""
    if dtype == pl.String:
        return pl.concat_str([pl.lit("'"), col.str.slice(0, 40), pl.lit("'")])
    if dtype.is_numeric() or dtype == pl.Boolean or dtype.is_temporal():
        return col.cast(pl.String)
    return pl.lit(f"a {dtype}")


def _bound_checks(spec: FieldSpec, v: pl.Expr, shown: pl.Expr) -> list[Check]:
    out: list[Check] = []
    for op, bound in (("ge", spec.ge), ("gt", spec.gt), ("le", spec.le), ("lt", spec.lt)):
        if bound is None:
            continue
        b: float | int = float(bound) if spec.kind == "money" else int(bound)
        fails = {"ge": v < b, "gt": v <= b, "le": v > b, "lt": v >= b}[op]
        sym = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}[op]
        out.append(("range", fails, pl.format(f"must be {sym} {bound}, got {{}}", shown)))
    return out


def _int(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    value: pl.Expr
    if dtype.is_integer():
        value = col.cast(pl.Int64, strict=False)
    elif dtype.is_float():
        whole = col.is_finite() & (col == col.round(0)) & (col.abs() < 9.2e18)
        value = pl.when(whole).then(col.cast(pl.Int64, strict=False))
    elif dtype == pl.String:
        value = pl.when(col.str.contains(_INT_TEXT)).then(col.cast(pl.Int64, strict=False))
    else:
        value = pl.lit(None, pl.Int64)
    shown = show_value(col, dtype)
    checks: list[Check] = [
        ("type", col.is_not_null() & v.is_null(), pl.format("expected an integer, got {}", shown))
    ]
    # A range failure means the value parsed: show the integer, not how it was spelled.
    return value, checks + _bound_checks(spec, v, v.cast(pl.String))


def _str(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    shown = show_value(col, dtype)
    if dtype != pl.String:
        return pl.lit(None, pl.String), [
            ("type", col.is_not_null(), pl.format("expected a string, got {}", shown))
        ]
    checks: list[Check] = []
    n = v.str.len_chars()
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
                ~v.str.contains(spec.pattern),
                pl.format(f"not {spec.pattern_name}: {{}}", shown),
            )
        )
    return col, checks


def _enum(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    shown = show_value(col, dtype)
    allowed = "|".join(spec.values)
    if dtype == pl.String:
        value, fails = col, ~v.is_in(list(spec.values))
    else:
        value, fails = pl.lit(None, pl.String), col.is_not_null()
    return value, [("enum", fails, pl.format(f"{{}} not in {allowed}", shown))]


def _whole_cents(v: pl.Expr) -> pl.Expr:
    # The tolerance covers binary floating point (about 1e-16 relative), nothing coarser.
    cents = v * 100
    return (cents - cents.round(0)).abs() <= 1e-6 + cents.abs() * 1e-14


def _money(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    shown = show_value(col, dtype)
    value: pl.Expr
    if dtype == pl.String:
        value = pl.when(col.str.contains(_NUMBER_TEXT)).then(col.cast(pl.Float64, strict=False))
        # With an exponent (1.5e3) the places are those of the value, as for a JSON number.
        places_ok = (
            pl.when(col.str.contains("[eE]"))
            .then(_whole_cents(v))
            .otherwise(col.str.contains(_MONEY_TEXT))
        )
    elif dtype.is_numeric():
        raw = col.cast(pl.Float64)
        value = pl.when(raw.is_finite()).then(raw)
        places_ok = _whole_cents(v)
    else:
        value, places_ok = pl.lit(None, pl.Float64), pl.lit(False)
    checks: list[Check] = [
        (
            "type",
            col.is_not_null() & v.is_null(),
            pl.format("expected a decimal number, got {}", shown),
        ),
    ]
    # Range before places, the order pydantic checks a Decimal in.
    places = ("format", ~places_ok, pl.format("more than 2 decimal places: {}", shown))
    return value, [*checks, *_bound_checks(spec, v, shown), places]


def parse_timestamp(text: pl.Expr) -> pl.Expr:
    """ISO-8601 UTC text ending in Z to Datetime(ms, UTC); null when it is not one."""
    # Whole seconds and milliseconds apart: polars parses a format without %.f much faster.
    secs = text.str.slice(0, 19).str.to_datetime(
        _SECONDS, time_unit="ms", time_zone="UTC", strict=False
    )
    frac = text.str.slice(20).str.strip_suffix("Z").str.slice(0, 3).str.pad_end(3, "0")
    parsed = secs + pl.duration(milliseconds=frac.cast(pl.Int64, strict=False))
    return pl.when(text.str.contains(TIMESTAMP_PATTERN)).then(parsed)


def _in_range(v: pl.Expr, shown: pl.Expr) -> Check:
    outside = (v < pl.lit(FIRST_INSTANT, UTC_MS)) | (v >= pl.lit(END_INSTANT, UTC_MS))
    return ("range", outside, pl.format(f"{{}} is {OUTSIDE_RANGE}", shown))


def _time(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    value, checks = _time_value(spec, col, dtype, v)
    return value, [*checks, _in_range(v, show_value(col, dtype))]


def _time_value(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    shown = show_value(col, dtype)
    dated = spec.kind == "date_or_timestamp"
    what = (
        "an ISO-8601 date or UTC timestamp ending in Z"
        if dated
        else "an ISO-8601 UTC timestamp ending in Z"
    )
    value: pl.Expr
    if dtype == pl.String:
        value = parse_timestamp(col)
        if dated:
            day = col.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("ms"))
            value = pl.coalesce(
                pl.when(col.str.contains(DATE_PATTERN)).then(day.dt.replace_time_zone("UTC")), value
            )
        return value, [
            ("format", col.is_not_null() & v.is_null(), pl.format(f"not {what}: {{}}", shown))
        ]
    if isinstance(dtype, pl.Datetime):
        zoned = (
            col.dt.replace_time_zone("UTC")
            if dtype.time_zone is None
            else col.dt.convert_time_zone("UTC")
        )
        value = zoned.dt.cast_time_unit("ms")
    elif dtype == pl.Date and dated:
        value = col.cast(pl.Datetime("ms")).dt.replace_time_zone("UTC")
    else:
        value = pl.lit(None, UTC_MS)
    return value, [
        ("type", col.is_not_null() & v.is_null(), pl.format(f"expected {what}, got {{}}", shown))
    ]


def _bool(
    spec: FieldSpec, col: pl.Expr, dtype: pl.DataType, v: pl.Expr
) -> tuple[pl.Expr, list[Check]]:
    shown = show_value(col, dtype)
    value: pl.Expr
    if dtype == pl.Boolean:
        value = col
    elif dtype == pl.String:  # JSON true/false read as text (the probe flags JSON strings)
        value = pl.when(col == "true").then(True).when(col == "false").then(False)
    else:
        value = pl.lit(None, pl.Boolean)
    return value, [
        ("type", col.is_not_null() & v.is_null(), pl.format("expected a boolean, got {}", shown))
    ]


_BUILDERS = {
    "int": _int,
    "str": _str,
    "enum": _enum,
    "money": _money,
    "timestamp": _time,
    "date_or_timestamp": _time,
    "bool": _bool,
}


def field_exprs(spec: FieldSpec, schema: pl.Schema, v: pl.Expr) -> FieldExprs:
    """How to check ``spec`` on a frame with ``schema`` (absent = nulls); ``v``: the value."""
    present = spec.name in schema
    dtype = schema[spec.name] if present else pl.Null()
    col = pl.col(spec.name) if present else pl.lit(None)
    value, checks = _BUILDERS[spec.kind](spec, col, dtype, v)
    head: list[Check] = []
    if not spec.nullable:
        head.append(("missing", col.is_null(), pl.lit("missing")))
    if TYPE_ERRORS_COLUMN in schema:
        wrong = pl.col(TYPE_ERRORS_COLUMN).list.contains(spec.name).fill_null(False)
        label = {"int": "an integer", "bool": "a boolean", "enum": "|".join(spec.values)}.get(
            spec.kind, "a string"
        )
        rule = "enum" if spec.kind == "enum" else "type"  # what pydantic says for a Literal
        shown = show_value(col, dtype)
        head.append((rule, wrong, pl.format(f"expected {label}, got JSON {{}}", shown)))
    money = spec.kind == "money"
    return FieldExprs(
        value=value,
        checks=tuple(head + checks),
        output=_decimal if money else _same,
        rule_value=_cents if money else _same,
    )
