"""A small shop in a DuckDB source, and helpers comparing it with a replica row by row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from vitrina.replicate.replicas import open_replica
from vitrina.replicate.verify import differing_rows, source_rows
from vitrina.simulate.base import SimulationParams as Params
from vitrina.simulate.run import simulate
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms

SHOP = ("users", "categories", "products", "orders", "order_details", "reviews", "loyalty_points")


class _NoSink:
    def write_slice(self, *args: object) -> Path:
        return Path("unused")


@pytest.fixture
def shop_source(tmp_path: Path) -> Iterator[str]:
    """The tiny shop's OLTP tables in a DuckDB file; yields its URL."""
    url = f"duckdb://{tmp_path}/source.duckdb"
    params = Params(
        domain="shop",
        seed=11,
        start_ms=parse_instant_ms("2026-01-01T00:00:00Z"),
        duration_ms=3_600_000,
        scale="tiny",
    )
    source = open_source(url)
    simulate(params, sink=_NoSink(), source=source)
    source.close()
    yield url


def mismatches(source_url: str, replica_url: str) -> dict[str, int]:
    """Per shop table: rows missing, extra or different in the replica (0 everywhere: equal)."""
    con = duckdb.connect(source_url.removeprefix("duckdb://"))
    replica = open_replica(replica_url)
    out = {}
    for table in SHOP:
        out[table] = differing_rows(table, source_rows(con, table), replica.rows(table))
    con.close()
    replica.close()
    return out
