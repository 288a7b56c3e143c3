"""The DuckDB warehouse: tables from Arrow schemas, bulk loads, Arrow results, transactions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from vitrina.errors import BackendError, UsageError
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.base import quote_ident, sql_type
from vitrina.warehouse.duckdb_wh import duckdb_path

TABLE = pa.table(
    {
        "id": pa.array([1, 2, None], pa.int64()),
        "name": pa.array(["a", None, "ç"], pa.large_string()),
        "price": pa.array([Decimal("1.50"), None, Decimal("0.05")], pa.decimal128(12, 2)),
        "at": pa.array(
            [dt.datetime(2026, 11, 22, 12, 0, 0, 123000), None, None], pa.timestamp("ms")
        ),
        "ok": pa.array([True, None, False]),
    }
)


def test_open_warehouse_rejects_unknown_schemes() -> None:
    with pytest.raises(UsageError, match="duckdb://, postgresql://"):
        open_warehouse("mysql://x/y")


def test_duckdb_path_from_url() -> None:
    assert duckdb_path("duckdb:///tmp/a/w.duckdb") == "/tmp/a/w.duckdb"
    assert duckdb_path("duckdb://:memory:") == ":memory:"


def test_quote_ident_refuses_sql() -> None:
    assert quote_ident("users") == '"users"'
    with pytest.raises(UsageError):
        quote_ident('users"; drop table x; --')


def test_sql_types_per_dialect() -> None:
    assert sql_type(pa.decimal128(12, 2), "postgres") == "numeric(12,2)"
    assert sql_type(pa.decimal128(12, 2), "duckdb") == "decimal(12,2)"
    assert sql_type(pa.string(), "postgres") == "text"
    assert sql_type(pa.timestamp("ms", tz="UTC"), "duckdb") == "timestamp"


def test_create_load_and_read_back(tmp_path: Path) -> None:
    wh = open_warehouse(f"duckdb://{tmp_path}/w.duckdb")
    try:
        wh.ensure_table("raw", "t", TABLE.schema)
        wh.ensure_table("raw", "t", TABLE.schema)  # idempotent
        assert wh.columns("raw", "t") == ["id", "name", "price", "at", "ok"]
        assert wh.load_arrow("raw", "t", TABLE) == 3
        back = wh.query_arrow("select * from raw.t order by id nulls last")
        assert back.to_pylist() == TABLE.cast(back.schema).to_pylist()
        assert back.schema.field("price").type == pa.decimal128(12, 2)
        assert wh.query_arrow("select count(*) as n from raw.t where id > ?", [1]).to_pylist() == [
            {"n": 1}
        ]
        assert wh.columns("raw", "missing") == []
    finally:
        wh.close()


def test_transaction_rolls_back_and_errors_are_backend_errors(tmp_path: Path) -> None:
    wh = open_warehouse(f"duckdb://{tmp_path}/w.duckdb")
    try:
        wh.ensure_table("raw", "t", TABLE.schema)
        with pytest.raises(RuntimeError), wh.transaction():
            wh.load_arrow("raw", "t", TABLE)
            raise RuntimeError("boom")
        assert wh.table_rows("raw", "t") == 0
        with pytest.raises(BackendError, match="warehouse query failed"):
            wh.query_arrow("select * from nowhere")
    finally:
        wh.close()


def test_stage_makes_arrow_queryable(tmp_path: Path) -> None:
    with open_warehouse(f"duckdb://{tmp_path}/w.duckdb") as wh:
        name = wh.stage("_s", TABLE)
        assert wh.query_arrow(f"select sum(id) as s from {name}").to_pylist() == [{"s": 3}]
        wh.unstage("_s")
        with pytest.raises(BackendError):
            wh.query_arrow('select * from "_s"')
