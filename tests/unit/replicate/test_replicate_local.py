"""Replication on the local profile (DuckDB source -> DuckDB replica), through every kind of change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from tests.unit.replicate.conftest import SHOP, mismatches
from vitrina.replicate import replicate
from vitrina.replicate.replicas import DuckDBReplica
from vitrina.simulate.shop.churn import shop_changes
from vitrina.source import open_source

AT_MS = 1_767_229_200_000  # 2026-01-01T01:00:00Z


def _churn(url: str, step: int) -> tuple[int, int]:
    source = open_source(url)
    tables = {t: source.read_table(t) for t in SHOP}
    upserts, deletes = shop_changes(tables, seed=3, step=step, at_ms=AT_MS + step * 60_000)
    source.apply_changes(upserts, deletes)
    source.close()
    return sum(t.num_rows for t in upserts.values()), sum(t.num_rows for t in deletes.values())


def test_full_copy_then_changes_then_nothing(shop_source: str, tmp_path: Path) -> None:
    replica = f"duckdb://{tmp_path}/replica.duckdb"
    first = replicate(shop_source, replica, tables=SHOP)
    con = duckdb.connect(shop_source.removeprefix("duckdb://"))
    counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in SHOP}  # type: ignore[index]
    con.close()
    assert {t: r.upserted for t, r in first.tables.items()} == counts  # every row once
    assert mismatches(shop_source, replica) == dict.fromkeys(SHOP, 0)
    for step in (1, 2, 3):
        upserted, deleted = _churn(shop_source, step)
        report = replicate(shop_source, replica, tables=SHOP)
        # Only what changed travels: new and edited rows, and the withdrawn reviews.
        assert report.upserted == upserted
        assert report.deleted == deleted == report.tables["reviews"].deleted
        assert mismatches(shop_source, replica) == dict.fromkeys(SHOP, 0)
    idle = replicate(shop_source, replica, tables=SHOP)
    assert (idle.upserted, idle.deleted) == (0, 0)
    assert mismatches(shop_source, replica) == dict.fromkeys(SHOP, 0)


def test_a_replaced_table_is_replaced_in_the_replica(shop_source: str, tmp_path: Path) -> None:
    replica = f"duckdb://{tmp_path}/replica.duckdb"
    replicate(shop_source, replica, tables=SHOP)
    source = open_source(shop_source)
    categories = source.read_table("categories").slice(0, 2)
    source.replace_tables({"categories": categories})  # four rows gone, no per-row tombstone
    source.close()
    report = replicate(shop_source, replica, tables=SHOP)
    assert report.tables["categories"].cleared
    assert report.tables["categories"].upserted == 2
    assert mismatches(shop_source, replica)["categories"] == 0


def test_a_deleted_then_reinserted_row_survives(shop_source: str, tmp_path: Path) -> None:
    replica = f"duckdb://{tmp_path}/replica.duckdb"
    replicate(shop_source, replica, tables=SHOP)
    source = open_source(shop_source)
    row = source.read_table("categories").slice(0, 1)
    source.apply_changes({}, {"categories": row.select(["category_id"])})
    source.apply_changes({"categories": row}, {})
    source.close()
    report = replicate(shop_source, replica, tables=SHOP)
    assert (report.tables["categories"].deleted, report.tables["categories"].upserted) == (1, 1)
    assert mismatches(shop_source, replica)["categories"] == 0


def test_a_failed_run_leaves_tables_whole_and_the_next_run_converges(
    shop_source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replica = f"duckdb://{tmp_path}/replica.duckdb"
    replicate(shop_source, replica, tables=SHOP)
    _churn(shop_source, 1)
    real = DuckDBReplica.upsert

    def fail_on_orders(self: DuckDBReplica, table: str, batch: pa.RecordBatch) -> Any:
        if table == "orders":
            real(self, table, batch)  # written, then the run dies before its commit
            raise KeyboardInterrupt
        return real(self, table, batch)

    monkeypatch.setattr(DuckDBReplica, "upsert", fail_on_orders)
    with pytest.raises(KeyboardInterrupt):
        replicate(shop_source, replica, tables=SHOP)
    monkeypatch.undo()
    con = duckdb.connect(replica.removeprefix("duckdb://"))
    marks = dict(con.execute("select table_name, high_water_at from replication_state").fetchall())
    con.close()
    # users and products were committed with their new mark; orders rolled back with its own.
    assert marks["users"] > marks["orders"]
    report = replicate(shop_source, replica, tables=SHOP)
    assert report.tables["users"].upserted == 0
    assert report.tables["orders"].upserted > 0
    assert mismatches(shop_source, replica) == dict.fromkeys(SHOP, 0)
