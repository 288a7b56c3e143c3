"""The marts store on chdb: round trip, atomic replace, errors."""

from __future__ import annotations

import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from vitrina.errors import BackendError, UsageError
from vitrina.marts.store import open_marts

CREATE = (
    "create table {table} (product_id Int64, name String, revenue Decimal(12, 2), "
    "rating Nullable(Float64)) engine = MergeTree order by product_id"
)


def _table(n: int, offset: int = 0) -> pa.Table:
    return pa.table(
        {
            "product_id": pa.array(range(offset, offset + n), pa.int64()),
            "name": [f"p{i}" for i in range(offset, offset + n)],
            "revenue": pa.array([Decimal("1.25")] * n, pa.decimal128(12, 2)),
            "rating": pa.array([None if i % 2 else 4.5 for i in range(n)], pa.float64()),
        }
    )


def test_round_trip_keeps_types_and_values(marts_url: str) -> None:
    with open_marts(marts_url) as ms:
        ms.replace_table("products", _table(3), CREATE)
        got = ms.query_arrow("select * from products order by product_id")
    assert got.schema.field("product_id").type == pa.int64()
    assert got.column("product_id").to_pylist() == [0, 1, 2]
    assert got.column("revenue").to_pylist() == [Decimal("1.25")] * 3
    assert got.column("rating").to_pylist() == [4.5, None, 4.5]


def test_insert_arrow_appends_and_execute_runs_ddl(marts_url: str) -> None:
    with open_marts(marts_url) as ms:
        ms.execute(CREATE.replace("{table}", "t"))
        assert ms.insert_arrow("t", _table(2)) == 2
        assert ms.insert_arrow("t", _table(3, offset=10)) == 3
        assert ms.insert_arrow("t", _table(0)) == 0
        assert ms.row_count("t") == 5
        assert ms.tables() == ["t"]


def test_replace_swaps_content_and_leaves_no_staging(marts_url: str) -> None:
    with open_marts(marts_url) as ms:
        assert ms.replace_table("products", _table(5), CREATE) == 5
        assert ms.replace_table("products", _table(2, offset=100), CREATE) == 2
        got = ms.query_arrow("select product_id from products order by product_id")
        assert got.column("product_id").to_pylist() == [100, 101]
        names = ms.query_arrow(
            f"select name from system.tables where database = '{ms.database}'"
        ).column("name")
        assert names.to_pylist() == ["products"]


def test_content_survives_reopen(marts_url: str) -> None:
    with open_marts(marts_url) as ms:
        ms.replace_table("products", _table(4), CREATE)
    with open_marts(marts_url) as ms:
        assert ms.row_count("products") == 4


def test_reader_during_replace_sees_old_or_new_never_partial(marts_url: str) -> None:
    sizes = (3_000, 7_000)
    with open_marts(marts_url) as writer:
        writer.replace_table("products", _table(sizes[0]), CREATE)
        seen: list[int] = []
        errors: list[str] = []
        stop = threading.Event()

        def read() -> None:
            with open_marts(marts_url) as reader:
                while not stop.is_set():
                    try:
                        seen.append(reader.row_count("products"))
                    except BackendError as exc:  # pragma: no cover - would fail the test
                        errors.append(str(exc))

        thread = threading.Thread(target=read)
        thread.start()
        try:
            for i in range(12):
                writer.replace_table("products", _table(sizes[(i + 1) % 2]), CREATE)
        finally:
            stop.set()
            thread.join()
    assert errors == []
    assert len(seen) > 10
    assert set(seen) <= set(sizes)


def test_bad_sql_is_a_backend_error_with_one_line(marts_url: str) -> None:
    with open_marts(marts_url) as ms, pytest.raises(BackendError) as info:
        ms.query_arrow("select nope from nowhere")
    assert "\n" not in str(info.value)
    assert "nowhere" in str(info.value)


def test_bad_names_and_urls_are_usage_errors(marts_url: str) -> None:
    with pytest.raises(UsageError):
        open_marts("mysql://x/y")
    with open_marts(marts_url) as ms:
        with pytest.raises(UsageError):
            ms.replace_table("bad name; drop", _table(1), CREATE)
        with pytest.raises(UsageError):
            ms.replace_table("ok", _table(1), "create table ok (a Int64) engine = Memory")


def test_second_path_while_open_is_a_backend_error(marts_url: str, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("other_chdb")
    with open_marts(marts_url) as ms:
        with pytest.raises(BackendError, match="another chdb path open"):
            open_marts(f"chdb://{other}")
        assert ms.tables() == []


def test_unreachable_clickhouse_server_is_one_masked_line() -> None:
    with pytest.raises(BackendError) as info:
        open_marts("clickhouse://reader:s3cret@127.0.0.1:1/marts")
    text = str(info.value)
    assert "s3cret" not in text and "***" in text
    assert "\n" not in text


def test_chdb_url_without_a_path_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="needs a path"):
        open_marts("chdb://")


def test_path_held_by_another_process_is_a_clear_error(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from vitrina.marts.store import open_marts; "
            f"ms = open_marts('chdb://{tmp_path}/held'); print('open', flush=True); "
            "sys.stdin.readline(); ms.close()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(BackendError, match="open in another process"):
            open_marts(f"chdb://{tmp_path}/held")
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
        if holder.stdout is not None:
            holder.stdout.close()
