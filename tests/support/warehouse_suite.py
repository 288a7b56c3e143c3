"""The warehouse contract as one test suite, run against every warehouse (DuckDB, PostgreSQL).

A backend's test module subclasses :class:`WarehouseSuite` as ``Test<Backend>Warehouse`` and
gives it two fixtures: ``wh`` (an open warehouse) and ``schema`` (an existing schema of its own).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from vitrina.errors import BackendError
from vitrina.warehouse import Warehouse

__all__ = ["TABLE", "WarehouseSuite"]

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

EVERY_TYPE = pa.table(
    {
        "i64": pa.array([1, None, -5, 2**62], pa.int64()),
        "i32": pa.array([1, 2, None, -7], pa.int32()),
        "f": pa.array([1.5, None, -0.25, 1e300]),
        "b": pa.array([True, False, None, True]),
        "s": pa.array(["héllo", None, "", "x" * 1000]),
        "ts": pa.array(
            [dt.datetime(2026, 11, 22, 12, 0, 0, 123000), None, dt.datetime(1999, 1, 1), None],
            pa.timestamp("ms"),
        ),
        "d": pa.array([dt.date(2026, 1, 1), None, dt.date(1970, 1, 1), dt.date(2000, 1, 1)]),
        "m": pa.array(
            [Decimal("12.34"), None, Decimal("-0.05"), Decimal("9999999999.99")],
            pa.decimal128(12, 2),
        ),
    }
)


class WarehouseSuite:
    """What every warehouse does alike: tables from Arrow, bulk loads, transactions, staging."""

    def test_create_load_and_read_back(self, wh: Warehouse, schema: str) -> None:
        wh.ensure_table(schema, "t", TABLE.schema)
        wh.ensure_table(schema, "t", TABLE.schema)  # idempotent
        assert wh.columns(schema, "t") == ["id", "name", "price", "at", "ok"]
        assert wh.load_arrow(schema, "t", TABLE) == 3
        back = wh.query_arrow(f'select * from "{schema}".t order by id nulls last')
        assert back.to_pylist() == TABLE.cast(back.schema).to_pylist()
        assert back.schema.field("price").type == pa.decimal128(12, 2)
        counted = wh.query_arrow(f'select count(*) as n from "{schema}".t where id > ?', [1])
        assert counted.to_pylist() == [{"n": 1}]
        assert wh.columns(schema, "missing") == []

    def test_every_type_round_trips(self, wh: Warehouse, schema: str) -> None:
        wh.ensure_table(schema, "types", EVERY_TYPE.schema)
        assert wh.load_arrow(schema, "types", EVERY_TYPE) == 4
        sliced = EVERY_TYPE.slice(1, 2)  # sliced arrays carry an offset
        assert wh.load_arrow(schema, "types", sliced) == 2
        back = wh.query_arrow(f'select * from "{schema}".types').to_pylist()
        assert back == EVERY_TYPE.to_pylist() + sliced.to_pylist()

    def test_transaction_rolls_back_everything_and_errors_are_backend_errors(
        self, wh: Warehouse, schema: str
    ) -> None:
        wh.ensure_table(schema, "tx", TABLE.schema)
        with pytest.raises(RuntimeError), wh.transaction():
            wh.load_arrow(schema, "tx", TABLE)
            raise RuntimeError("boom")
        assert wh.table_rows(schema, "tx") == 0
        with wh.transaction():
            wh.load_arrow(schema, "tx", TABLE)
        assert wh.table_rows(schema, "tx") == TABLE.num_rows
        with pytest.raises(BackendError, match="warehouse query failed"):
            wh.query_arrow("select * from nowhere")
        with pytest.raises(BackendError):
            wh.execute("select * from no_such_table")

    def test_stage_makes_arrow_queryable(self, wh: Warehouse, schema: str) -> None:
        name = wh.stage("_s", TABLE)
        assert wh.query_arrow(f"select sum(id) as s from {name}").to_pylist() == [{"s": 3}]
        wh.unstage("_s")
        with pytest.raises(BackendError):
            wh.query_arrow('select * from "_s"')
