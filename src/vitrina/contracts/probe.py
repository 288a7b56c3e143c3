"""Recover JSON value types a parsed frame cannot show (5 vs "5" in a text column)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from vitrina.contracts.base import Contract
from vitrina.contracts.checks import TYPE_ERRORS_COLUMN
from vitrina.contracts.spec import field_specs

__all__ = ["LOOKS_NON_STRING", "TEXT_KINDS", "probe_json_types", "read_schema"]

_LINE = "_line"
# Values that a JSON string and a JSON non-string render alike once read into a text column.
LOOKS_NON_STRING = r"^(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+\-]?[0-9]+)?|true|false|\{.*|\[.*)$"
_INT_TEXT = r"^-?[0-9]+$"
TEXT_KINDS = ("str", "enum", "timestamp", "date_or_timestamp")


def read_schema(contract: type[Contract], *, ints_as_text: bool = False) -> dict[str, pl.DataType]:
    """The schema to read a contract's JSON with: JSON integers as Int64, everything else as text.

    Money is read as text, so a JSON number or string both arrive as their digits.
    """
    return {
        s.name: pl.Int64() if s.kind == "int" and not ints_as_text else pl.String()
        for s in field_specs(contract)
    }


def _json_kind(token: pl.Expr) -> pl.Expr:
    return (
        pl.when(token.str.starts_with('"'))
        .then(pl.lit("string"))
        .when(token.str.contains(r"^-?[0-9]+$"))
        .then(pl.lit("integer"))
        .when(token.str.contains(r"^-?[0-9]"))
        .then(pl.lit("number"))
        .when(token.is_in(["true", "false"]))
        .then(pl.lit("boolean"))
        .when(token.str.starts_with("{"))
        .then(pl.lit("object"))
        .when(token.str.starts_with("["))
        .then(pl.lit("array"))
    )


def probe_json_types(
    contract: type[Contract],
    frame: pl.DataFrame,
    lines: Callable[[list[int]], list[bytes]],
    *,
    ints_as_text: bool = False,
) -> pl.DataFrame:
    """Add ``_type_errors`` (fields whose JSON value had the wrong JSON type) when any row has one.

    ``lines(numbers)`` gives the raw text of the 1-based lines ``numbers``. Only rows whose
    text is ambiguous are looked at: numbers, booleans, objects or arrays in a text field,
    and (when integers were read as text) integer-looking values, which may have been JSON
    strings or floats.
    """
    if frame.height == 0 or _LINE not in frame.columns:
        return frame
    flags: dict[str, pl.Series] = {}
    for spec in field_specs(contract):
        if spec.name not in frame.columns or frame.schema[spec.name] != pl.String:
            continue
        if spec.kind in TEXT_KINDS:
            want, pattern = "string", LOOKS_NON_STRING
        elif spec.kind == "int" and ints_as_text:
            want, pattern = "integer", _INT_TEXT
        elif spec.kind == "bool":  # read as text: "true" may have been a JSON string
            want, pattern = "boolean", r"^(true|false)$"
        else:
            continue
        candidates = frame.select(
            pl.col(_LINE), pl.col(spec.name).str.contains(pattern).alias("c")
        ).filter(pl.col("c"))
        if candidates.height == 0:
            continue
        # Only lines that parsed as JSON are looked at, so they are valid UTF-8.
        numbers = candidates.get_column(_LINE).to_list()
        raw = pl.Series("raw", lines(numbers), dtype=pl.Binary).cast(pl.String)
        key = rf'(?:^|[{{,])\s*"{spec.name}"\s*:\s*("|-?[0-9][0-9.eE+\-]*|true|false|\{{|\[)'
        kind = (
            pl.DataFrame({"raw": raw})
            .select(_json_kind(pl.col("raw").str.extract(key, 1)))
            .to_series()
        )
        wrong = candidates.get_column(_LINE).filter(kind.is_not_null() & (kind != want))
        if wrong.len():
            flags[spec.name] = frame.get_column(_LINE).is_in(wrong.implode())
    if not flags:
        return frame
    listed = pl.concat_list([pl.when(mask).then(pl.lit(name)) for name, mask in flags.items()])
    return frame.with_columns(listed.list.drop_nulls().alias(TYPE_ERRORS_COLUMN))
