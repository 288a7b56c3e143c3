"""Live mode moves a source that already holds a shop, hour by hour, with tombstones."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.unit.replicate.conftest import _NoSink
from vitrina.simulate.base import SimulationParams
from vitrina.simulate.run import simulate
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms


def test_live_hours_change_the_source(shop_source: str, tmp_path: Path) -> None:
    params = SimulationParams(
        domain="shop",
        seed=11,
        start_ms=parse_instant_ms("2026-01-02T00:00:00Z"),
        duration_ms=3 * 3_600_000,
        scale="tiny",
        speed=1e9,  # live mode, no waiting
    )
    source = open_source(shop_source)
    simulate(params, sink=_NoSink(), source=source, sleep=lambda _: None)
    source.close()
    con = duckdb.connect(shop_source.removeprefix("duckdb://"))
    withdrawn = con.execute(
        "select count(*) from source_deletions where table_name = 'reviews' and key_json is not null"
    ).fetchone()
    con.close()
    # Hours 1 and 2 each withdrew at least one review (hour 0 has nothing to follow).
    assert withdrawn is not None and withdrawn[0] >= 2
