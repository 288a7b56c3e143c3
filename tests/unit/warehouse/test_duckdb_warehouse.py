"""The DuckDB warehouse: tables from Arrow schemas, bulk loads, Arrow results, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from tests.support.warehouse_suite import WarehouseSuite
from vitrina.errors import UsageError
from vitrina.warehouse import Warehouse, open_warehouse
from vitrina.warehouse.base import quote_ident, sql_type
from vitrina.warehouse.duckdb_wh import duckdb_path


@pytest.fixture
def wh(tmp_path: Path) -> Iterator[Warehouse]:
    with open_warehouse(f"duckdb://{tmp_path}/w.duckdb") as w:
        yield w


@pytest.fixture
def schema() -> str:
    return "raw"


class TestDuckDBWarehouse(WarehouseSuite):
    """The shared warehouse suite on DuckDB."""


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


def test_engine_settings_come_from_the_url_with_a_bounded_default(tmp_path: Path) -> None:
    from vitrina.warehouse.duckdb_wh import DuckDBWarehouse

    setting = "select current_setting('memory_limit') as m, current_setting('temp_directory') as t"
    wh = DuckDBWarehouse(f"duckdb://{tmp_path}/a.duckdb?memory_limit=64MB&threads=1")
    try:
        row = wh.query_arrow(setting).to_pylist()[0]
        assert row == {"m": "61.0 MiB", "t": f"{tmp_path}/a.duckdb.tmp"}
    finally:
        wh.close()
    wh = DuckDBWarehouse(f"duckdb://{tmp_path}/b.duckdb")
    try:
        assert wh.query_arrow(setting).to_pylist()[0]["m"] == "1.8 GiB"  # 2GB, in GiB
    finally:
        wh.close()


def test_an_unknown_engine_setting_is_refused_before_anything_is_created(tmp_path: Path) -> None:
    from vitrina.errors import UsageError
    from vitrina.warehouse.duckdb_wh import DuckDBWarehouse

    with pytest.raises(UsageError, match="unknown setting memlimit"):
        DuckDBWarehouse(f"duckdb://{tmp_path}/w/a.duckdb?memlimit=1GB")
    assert not (tmp_path / "w").exists()
