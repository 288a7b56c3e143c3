"""Late events in arrival order: an event time below the watermark of the events before it."""

from __future__ import annotations

import polars as pl

from vitrina.contracts.checks import parse_timestamp

__all__ = ["DEFAULT_LATENESS_MS", "mark_late"]

DEFAULT_LATENESS_MS = 30_000


def mark_late(
    frame: pl.DataFrame, lateness_ms: int = DEFAULT_LATENESS_MS, ts: str = "ts"
) -> pl.DataFrame:
    """Add ``_watermark`` and ``_late`` to events given in arrival order.

    The watermark of an event is the greatest event time among the events before it minus
    ``lateness_ms`` (the architecture's rule, judged per event, so batching does not change
    it); an event whose time is below it is late. A late event is a valid record: what to do
    with it (drop from closed windows, dead-letter) is the consumer's call. Rows whose time
    is missing or unreadable are not late, and do not move the watermark.
    """
    col = pl.col(ts)
    dtype = frame.schema.get(ts)
    if dtype == pl.String:
        event_ms = parse_timestamp(col).dt.epoch("ms")
    elif isinstance(dtype, pl.Datetime):
        event_ms = col.dt.epoch("ms")
    else:
        event_ms = col.cast(pl.Int64, strict=False)
    before = event_ms.cum_max().forward_fill().shift(1)
    watermark = before - lateness_ms
    return frame.with_columns(
        pl.from_epoch(watermark, time_unit="ms")
        .dt.cast_time_unit("ms")
        .dt.replace_time_zone("UTC")
        .alias("_watermark"),
        (event_ms < watermark).fill_null(False).alias("_late"),
    )
