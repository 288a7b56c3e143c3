"""The records that stand where a later record replaces an earlier one (``Contract.latest_per``)."""

from __future__ import annotations

import polars as pl

from vitrina.contracts.registry import contract_for

__all__ = ["latest_rows"]


def latest_rows(entity: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Per key of the contract's ``latest_per``, the one record with the largest order.

    E.g. reactions: one per (post, user), the latest by ``created_at`` and then by
    ``reaction_id``. Rows keep their input order; a contract without ``latest_per`` keeps all.
    """
    latest = contract_for(entity).latest_per
    if latest is None or frame.height == 0:
        return frame
    last = pl.int_range(pl.len()).alias("__i")
    ranked = frame.with_columns(last)
    winners = (
        ranked.sort([*latest.order, "__i"])
        .group_by(list(latest.key), maintain_order=True)
        .agg(pl.col("__i").last())
    )
    return ranked.filter(pl.col("__i").is_in(winners["__i"].implode())).drop("__i")
