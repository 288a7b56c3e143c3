"""Live mode moves a source that already holds a shop, hour by hour, with tombstones."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.unit.replicate.conftest import SHOP, _NoSink, mismatches
from vitrina.replicate import replicate
from vitrina.simulate.base import SimulationParams
from vitrina.simulate.run import simulate
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms

# Three hours of the shop in live mode (speed so high that nothing waits).
LIVE_HOURS = SimulationParams(
    domain="shop",
    seed=11,
    start_ms=parse_instant_ms("2026-01-02T00:00:00Z"),
    duration_ms=3 * 3_600_000,
    scale="tiny",
    speed=1e9,
)


def test_live_hours_change_the_source(shop_source: str, tmp_path: Path) -> None:
    params = LIVE_HOURS
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


def test_live_changes_survive_the_end_of_the_run(shop_source: str, tmp_path: Path) -> None:
    """The snapshot written at the end of a live run merges into the source: rows the live
    hours added, edited or deleted stay as they made them, and replication sees them."""
    replica = f"duckdb://{tmp_path}/replica.duckdb"
    replicate(shop_source, replica, tables=SHOP)
    params = LIVE_HOURS
    source = open_source(shop_source)
    simulate(params, sink=_NoSink(), source=source, sleep=lambda _: None)
    source.close()
    con = duckdb.connect(shop_source.removeprefix("duckdb://"))
    live_users = con.execute("select count(*) from users where last_name like 'Live%'").fetchone()
    withdrawn = [
        json.loads(k)[0]
        for (k,) in con.execute(
            "select key_json from source_deletions "
            "where table_name = 'reviews' and key_json is not null"
        ).fetchall()
    ]
    back = con.execute(
        "select count(*) from reviews where review_id in (select unnest(?))", [withdrawn]
    ).fetchone()
    con.close()
    assert live_users is not None and live_users[0] >= 1  # users the live hours registered
    assert len(withdrawn) >= 2 and back == (0,)  # withdrawn reviews stay withdrawn
    report = replicate(shop_source, replica, tables=SHOP)
    assert not any(t.cleared for t in report.tables.values())  # no table replaced whole
    assert report.tables["reviews"].deleted >= 2
    assert mismatches(shop_source, replica) == dict.fromkeys(SHOP, 0)
    rep = duckdb.connect(replica.removeprefix("duckdb://"))
    copied = rep.execute("select count(*) from users where last_name like 'Live%'").fetchone()
    rep.close()
    assert copied == live_users
