"""Rules across the shop's tables: the category hierarchy, order sums, orders after sign-up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from vitrina.contracts.rules import TableRule, error_rows
from vitrina.contracts.shop.entities import cents_text

if TYPE_CHECKING:
    from vitrina.contracts.batch import Validation

__all__ = ["TABLE_RULES"]

_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"


def _hierarchy(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
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
    return [error_rows(deep, "parent_category_id", "hierarchy", msg)] if deep.height else []


def _order_sums(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
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
    return [error_rows(off, "total_amount", "sum", msg)]


def _order_after_registration(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
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
    return [error_rows(early, "order_date", "chronology", msg)]


TABLE_RULES = (
    TableRule("categories", _hierarchy),
    TableRule("orders", _order_sums, needs=frozenset({"order_details"})),
    TableRule("orders", _order_after_registration, any_of=frozenset({"users", "registrations"})),
)
