"""Rules across the tables of a domain: their declaration and the error rows they return."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from vitrina.contracts.batch import Validation

__all__ = ["ERRORS_SCHEMA", "ROW", "TableRule", "error_rows", "key_expr"]

ERRORS_SCHEMA = pl.Schema(
    {"_row": pl.UInt32, "field": pl.String, "rule": pl.String, "message": pl.String}
)
ROW = "_row"


@dataclass(frozen=True)
class TableRule:
    """A rule over several tables, judging the records of ``entity``.

    It runs when every table of ``needs`` is given and, when ``any_of`` is not empty, at least
    one of its tables. ``check`` receives the field-checked tables (``valid`` keeps ``_row``)
    and returns frames of :data:`ERRORS_SCHEMA` (see :func:`error_rows`).

    ``per_record``: each record of ``entity`` is judged alone against the other tables (a
    lookup, never a comparison between records of ``entity``), so the rule gives the same
    errors on any part of ``entity`` as on the whole, and ingest can check the entity file
    by file.
    """

    entity: str
    check: Callable[[Mapping[str, Validation]], list[pl.DataFrame]]
    needs: frozenset[str] = frozenset()
    any_of: frozenset[str] = frozenset()
    per_record: bool = False

    def applies(self, given: set[str]) -> bool:
        """Whether the tables given are enough for this rule."""
        return (
            self.entity in given
            and self.needs <= given
            and (not self.any_of or bool(self.any_of & given))
        )


def error_rows(frame: pl.DataFrame, field: str, rule: str, message: pl.Expr) -> pl.DataFrame:
    """One error row per row of ``frame`` (which carries ``_row``), in :data:`ERRORS_SCHEMA`."""
    return frame.select(
        pl.col(ROW),
        pl.lit(field).alias("field"),
        pl.lit(rule).alias("rule"),
        message.alias("message"),
    ).cast(dict(ERRORS_SCHEMA))  # type: ignore[arg-type]


_HALF = 2**31


def key_expr(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Expr:
    """One expression whose equal values are exactly the rows with equal ``columns``.

    A pair of integer columns is packed into one 64-bit integer when its values allow it
    (no nulls, the first within 32 signed bits, the second within 32 unsigned bits): hashing
    one integer is several times cheaper than hashing a struct of two (a friendship's or a
    follow's key over millions of rows). Otherwise the columns as a struct.
    """
    if len(columns) == 1:
        return pl.col(columns[0])
    schema = frame.schema
    if len(columns) == 2 and all(
        c in schema and schema[c].is_integer() and frame.get_column(c).null_count() == 0
        for c in columns
    ):
        first, second = columns
        low1, high1, low2, high2 = frame.select(
            pl.col(first).min().alias("a"),
            pl.col(first).max().alias("b"),
            pl.col(second).min().alias("c"),
            pl.col(second).max().alias("d"),
        ).row(0)
        fits = low1 is None or (
            low1 >= -_HALF and high1 < _HALF and low2 >= 0 and high2 < 2 * _HALF
        )
        if fits:
            return pl.col(first).cast(pl.Int64) * (2 * _HALF) + pl.col(second).cast(pl.Int64)
    return pl.struct(list(columns))
