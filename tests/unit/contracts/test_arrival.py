"""mark_late: event time against the watermark of the events that arrived before it."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from vitrina.contracts import mark_late


def test_late_is_below_the_watermark_of_earlier_arrivals() -> None:
    ts = [
        "2026-01-01T00:00:10Z",
        "2026-01-01T00:01:00Z",
        "not-a-time",  # unreadable: not late, does not move the watermark
        "2026-01-01T00:00:20Z",  # 40 s behind the max seen: late
        "2026-01-01T00:00:30Z",  # exactly at the watermark: on time
        None,
        "2026-01-01T00:00:29.999Z",  # a millisecond under: late
    ]
    out = mark_late(pl.DataFrame({"ts": ts}), lateness_ms=30_000)
    assert out["_late"].to_list() == [False, False, False, True, False, False, True]
    assert out["_watermark"][3] == datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC)
    assert out["_watermark"][0] is None


def test_datetime_and_epoch_ms_times_give_the_same_verdict() -> None:
    ms = [0, 5_000, 60_000, 20_000, 61_000, 31_000, 30_999]
    typed = pl.DataFrame({"ts": ms}).with_columns(pl.from_epoch("ts", time_unit="ms"))
    whole = mark_late(typed, lateness_ms=30_000)["_late"].to_list()
    assert whole == [False, False, False, True, False, False, True]
    # The same events as epoch ms give the same answer.
    assert mark_late(pl.DataFrame({"ts": ms}), lateness_ms=30_000)["_late"].to_list() == whole
