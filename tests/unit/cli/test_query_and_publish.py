"""`vitrina query` on every store and format, and `vitrina publish`, through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.unit.marts import warehouse_fixture as wf
from vitrina.cli import main
from vitrina.marts.store import open_marts
from vitrina.serve import open_serving


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.startswith("VITRINA_")]:
        monkeypatch.delenv(name)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute(
        "create table t as select * from (values "
        "(1, 'a,b', 1.50::decimal(12,2), timestamp '2026-11-22 13:00:00.123'), "
        "(2, null, 20.00::decimal(12,2), timestamp '2026-11-22 14:00:00')) "
        "as v(id, label, amount, ts)"
    )
    con.close()
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_an_array_of_objects(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = _run(
        capsys, data_dir, "query", "select * from t order by id", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == [
        {"id": 1, "label": "a,b", "amount": 1.5, "ts": "2026-11-22T13:00:00.123Z"},
        {"id": 2, "label": None, "amount": 20.0, "ts": "2026-11-22T14:00:00.000Z"},
    ]


def test_csv_has_a_header_and_quotes(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "warehouse",
        "select id, label from t order by id",
        "--format",
        "csv",
    )
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [["id", "label"], ["1", "a,b"], ["2", ""]]


def test_table_format_shows_rows(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = _run(capsys, data_dir, "query", "select id, label from t order by id")
    assert code == 0
    assert "a,b" in out and "2 row(s)" in out


def test_marts_store_is_clickhouse_sql(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    with open_marts(f"chdb://{data_dir}/marts") as ms:
        ms.replace_table(
            "m",
            pa.table({"k": pa.array([3, 1, 2], pa.int64())}),
            "create table {table} (k Int64) engine = MergeTree order by k",
        )
    code, out, _ = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "marts",
        "select k, toTypeName(k) as type from m order by k",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [{"k": k, "type": "Int64"} for k in (1, 2, 3)]


def test_serving_is_sql_over_the_current_set(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, _ = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "serving",
        "select count(*) as n from top_products",
        "--format",
        "json",
    )
    assert (code, json.loads(out)) == (0, [{"n": 0}])
    with open_serving(f"file://{data_dir}/serving") as store:
        out_pub = store.publish(
            pa.table(
                {
                    "rank": [1, 2],
                    "product_id": [7, 5],
                    "score": [2.0, 1.0],
                    "clicks_5m": [2, 1],
                    "units_ordered": [0, 0],
                }
            ),
            pa.table(
                {"user_id": [9, 9], "rank": [1, 2], "product_id": [5, 7], "score": [0.5, 0.25]}
            ),
        )
    code, out, _ = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "serving",
        "select r.user_id, r.product_id, v.version from recommendations r, serving_version v "
        "order by r.rank",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [
        {"user_id": 9, "product_id": 5, "version": out_pub.version},
        {"user_id": 9, "product_id": 7, "version": out_pub.version},
    ]


def test_source_store(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    con = duckdb.connect(str(data_dir / "source.duckdb"))
    con.execute("create table users as select 42::bigint as user_id, 'Gold' as loyalty_status")
    con.close()
    code, out, _ = _run(
        capsys, data_dir, "query", "--store", "source", "select * from users", "--format", "json"
    )
    assert (code, json.loads(out)) == (0, [{"user_id": 42, "loyalty_status": "Gold"}])


@pytest.mark.parametrize("store", ["warehouse", "marts", "serving"])
def test_bad_sql_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], data_dir: Path, store: str
) -> None:
    (data_dir / "marts").mkdir(exist_ok=True)
    code, out, err = _run(capsys, data_dir, "query", "--store", store, "selec nonsense frm")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("vitrina: failed:")


def test_missing_store_is_a_clear_failure(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, _, err = _run(capsys, data_dir, "query", "--store", "source", "select 1")
    assert code == 1
    assert "does not exist yet" in err and err.count("\n") == 1
    assert not (data_dir / "source.duckdb").exists()


@pytest.mark.parametrize(
    "args", [["--format", "xml", "select 1"], ["--store", "nowhere", "select 1"], []]
)
def test_bad_options_exit_2(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: list[str]
) -> None:
    code, out, err = _run(capsys, data_dir, "query", *args)
    assert code == 2
    assert out == ""
    assert err.startswith("vitrina: error:")


def test_publish_command_then_query_serving(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    wf.build_warehouse(data_dir / "warehouse.duckdb")
    code, out, err = _run(capsys, data_dir, "publish")
    assert code == 0
    assert out == "" and "top_products" in err and "published" in err  # a summary: stderr
    code, out, _ = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "serving",
        "select product_id from recommendations where user_id = 1 order by rank",
        "--format",
        "json",
    )
    assert code == 0
    assert [r["product_id"] for r in json.loads(out)] == [p for _, p, _ in wf.EXPECTED_RECS[1]]
    code, out, _ = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "marts",
        "select product_id, category_name from popular_products order by product_id",
        "--format",
        "json",
    )
    assert json.loads(out) == [
        {"product_id": 10, "category_name": "Phones"},
        {"product_id": 20, "category_name": "Books"},
    ]
