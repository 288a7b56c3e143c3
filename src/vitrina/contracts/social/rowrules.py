"""Rules within one social record (no self-ties, pair order, chronology, targets), both ways."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import polars as pl

from vitrina.contracts.base import RowRule

__all__ = ["after", "at_least_one", "exactly_one", "not_self", "ordered_pair", "text_for"]

_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"


def _iso(d: datetime) -> str:
    return f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond // 1000:03d}Z"


def not_self(field: str, other: str, why: str) -> RowRule:
    """``field`` differs from ``other`` (no self-friendship, self-follow, ...): rule ``self``."""

    def batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
        return c[field] == c[other], pl.format(f"{{}} equals {other} ({why})", c[field])

    def check(m: Any) -> str | None:
        value = getattr(m, field)
        return f"{value} equals {other} ({why})" if value == getattr(m, other) else None

    return RowRule(field, "self", (other, field), batch, check)


def ordered_pair(low: str, high: str) -> RowRule:
    """An undirected pair is stored once, ``low < high``: rule ``order`` (on ``high``)."""
    text = f"(one row per pair, {low} < {high})"

    def batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
        return c[high] <= c[low], pl.format(f"{{}} not above {low} {{}} {text}", c[high], c[low])

    def check(m: Any) -> str | None:
        hi, lo = getattr(m, high), getattr(m, low)
        return f"{hi} not above {low} {lo} {text}" if hi <= lo else None

    return RowRule(high, "order", (low, high), batch, check)


def after(field: str, earlier: str, *, strict: bool) -> RowRule:
    """``field`` (when set) comes after ``earlier`` (or at the same time unless ``strict``)."""
    word = "not after" if strict else "before"

    def batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
        early = c[field] <= c[earlier] if strict else c[field] < c[earlier]
        message = pl.format(
            f"{{}} {word} {earlier} {{}}", c[field].dt.strftime(_TS), c[earlier].dt.strftime(_TS)
        )
        return c[field].is_not_null() & early, message

    def check(m: Any) -> str | None:
        late: datetime | None = getattr(m, field)
        first: datetime = getattr(m, earlier)
        if late is None or (late > first if strict else late >= first):
            return None
        return f"{_iso(late)} {word} {earlier} {_iso(first)}"

    return RowRule(field, "chronology", (earlier, field), batch, check)


def text_for(kind: str, field: str = "text") -> RowRule:
    """A record of ``kind`` carries non-empty ``field`` (a quote carries text): ``required``."""
    message = f"a {kind} carries {field}"

    def batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
        empty = c[field].is_null() | (c[field].str.len_chars() == 0)
        return (c["kind"] == kind) & empty, pl.lit(message)

    def check(m: Any) -> str | None:
        return message if m.kind == kind and not getattr(m, field) else None

    return RowRule(field, "required", ("kind", field), batch, check)


def _count_rule(fields: tuple[str, ...], least: int, most: int, allowed: str) -> RowRule:
    names = ", ".join(fields)

    def batch(c: Mapping[str, pl.Expr]) -> tuple[pl.Expr, pl.Expr]:
        n = pl.sum_horizontal([c[f].is_not_null().cast(pl.Int32) for f in fields])
        return (n < least) | (n > most), pl.format(f"{{}} of {names} set ({allowed})", n)

    def check(m: Any) -> str | None:
        n = sum(getattr(m, f) is not None for f in fields)
        return f"{n} of {names} set ({allowed})" if not least <= n <= most else None

    return RowRule(fields[0], "target", fields, batch, check)


def exactly_one(*fields: str) -> RowRule:
    """Exactly one of ``fields`` is set (what an attachment belongs to): rule ``target``."""
    return _count_rule(fields, 1, 1, "exactly one")


def at_least_one(*fields: str) -> RowRule:
    """At least one of ``fields`` is set (what a complaint is about): rule ``target``."""
    return _count_rule(fields, 1, len(fields), "at least one")
