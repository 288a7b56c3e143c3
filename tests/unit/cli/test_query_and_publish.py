"""`vitrina query` on every store and format, and `vitrina publish`, through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.support import warehouse as wf
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
    capsys: pytest.CaptureFixture[str], data_dir: Path, request: pytest.FixtureRequest
) -> None:
    wf.build_warehouse(data_dir / "warehouse.duckdb")
    wf.install_manifest(wf.cached_manifest(request.config), data_dir)
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


# -- every type prints as a JSON value (each of these failed before the query API moved) ------


def test_json_and_csv_print_every_warehouse_type(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    sql = (
        "select 170141183460469231731687303715884105727::hugeint as big, 5::hugeint as small, "
        "interval '1 year 2 months 3 days 04:05:06.5' as span, -(interval 90 minutes) as back, "
        "'61f0c404-5cb3-11e7-907b-a6006ad3dba0'::uuid as id, [1, 2] as list, "
        "{'a': 1} as rec, map(['k'], [1]) as m, time '12:00:00' as t, 'ab'::blob as raw"
    )
    code, out, err = _run(capsys, data_dir, "query", sql, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [
        {
            "big": "170141183460469231731687303715884105727",
            "small": 5,
            "span": "P1Y2M3DT4H5M6.5S",
            "back": "-PT1H30M",
            "id": "61f0c404-5cb3-11e7-907b-a6006ad3dba0",
            "list": [1, 2],
            "rec": {"a": 1},
            "m": {"k": 1},
            "t": "12:00:00",
            "raw": "YWI=",
        }
    ]
    code, out, _ = _run(capsys, data_dir, "query", sql, "--format", "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out)))[1] == [
        "170141183460469231731687303715884105727",
        "5",
        "P1Y2M3DT4H5M6.5S",
        "-PT1H30M",
        "61f0c404-5cb3-11e7-907b-a6006ad3dba0",
        "[1,2]",
        '{"a":1}',
        '{"k":1}',
        "12:00:00",
        "YWI=",
    ]


def test_marts_big_integers_are_numbers_not_base64(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    (data_dir / "marts").mkdir()
    sql = (
        "select toInt128(-5) as a, toUInt256('123456789012345678901234567890') as b, "
        "toInt256(7) as c, toFixedString('ab', 2) as f"
    )
    code, out, err = _run(capsys, data_dir, "query", "--store", "marts", sql, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [
        {"a": -5, "b": "123456789012345678901234567890", "c": 7, "f": "YWI="}
    ]
    code, out, _ = _run(capsys, data_dir, "query", "--store", "marts", sql, "--format", "csv")
    assert out.splitlines()[1] == "-5,123456789012345678901234567890,7,YWI="


@pytest.mark.parametrize("sql", ["", "  ;  ", "/* nothing */"])
def test_empty_query_is_bad_usage(
    capsys: pytest.CaptureFixture[str], data_dir: Path, sql: str
) -> None:
    code, out, err = _run(capsys, data_dir, "query", sql)
    assert (code, out) == (2, "")
    assert err == "vitrina: error: the query is empty: give a SQL statement\n"


def test_several_statements_on_the_marts_store_run_in_order(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    (data_dir / "marts").mkdir()
    sql = (
        "create table n (k Int64) engine = MergeTree order by k; "
        "insert into n values (2), (1); select k, ';' as s from n order by k;"
    )
    code, out, err = _run(capsys, data_dir, "query", "--store", "marts", sql, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [{"k": 1, "s": ";"}, {"k": 2, "s": ";"}]
    # two queries: "Invalid IPC stream" before; now the rows of the last one
    code, out, err = _run(
        capsys,
        data_dir,
        "query",
        "--store",
        "marts",
        "select 1 as a; select 2 as b",
        "--format",
        "json",
    )
    assert (code, err, json.loads(out or "null")) == (0, "", [{"b": 2}])


def test_serving_query_on_a_missing_data_dir_fails(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    nowhere = data_dir / "no-such-dir"
    code, out, err = _run(
        capsys, nowhere, "query", "--store", "serving", "select count(*) from top_products"
    )
    assert (code, out) == (1, "")
    assert "does not exist yet" in err and str(nowhere) in err and err.count("\n") == 1
    assert not nowhere.exists()


def test_source_errors_name_the_source(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    duckdb.connect(str(data_dir / "source.duckdb")).close()
    code, _, err = _run(capsys, data_dir, "query", "--store", "source", "select * from nope")
    assert code == 1
    assert err.startswith("vitrina: failed: source query failed:")
    assert "warehouse" not in err


def test_tables_lists_every_schema(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    con.execute("create schema clean; create table clean.users (user_id bigint)")
    con.execute("create view clean.v as select 1 as one")
    con.close()
    code, out, _ = _run(capsys, data_dir, "query", "--tables", "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"schema": "clean", "table": "users"},
        {"schema": "clean", "table": "v"},
        {"schema": "main", "table": "t"},
    ]
    with open_marts(f"chdb://{data_dir}/marts") as ms:
        ms.execute("create table m (k Int64) engine = MergeTree order by k")
        database = ms.database
    code, out, _ = _run(
        capsys, data_dir, "query", "--store", "marts", "--tables", "--format", "csv"
    )
    assert out == f"schema,table\n{database},m\n"
    code, out, _ = _run(
        capsys, data_dir, "query", "--store", "serving", "--tables", "--format", "json"
    )
    assert [r["table"] for r in json.loads(out)] == [
        "recommendations",
        "serving_version",
        "top_products",
    ]
    code, _, err = _run(capsys, data_dir, "query", "--tables", "select 1")
    assert code == 2 and "not both" in err
