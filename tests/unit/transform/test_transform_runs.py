"""`vitrina transform` / run_transform: an empty warehouse, a failing dbt test, the CLI, the env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vitrina.cli import main
from vitrina.config import load_settings
from vitrina.ingest.load import ensure_tables
from vitrina.warehouse import dbt_target, open_warehouse
from vitrina.warehouse.transform import THREADS, dbt_profile, dbt_vars, run_transform

MARTS = (
    "popular_products",
    "orders_facts",
    "top_products",
    "mart_user_activity",
    "mart_product_rating",
    "mart_user_loyalty_points",
    "mart_average_check",
)


def test_empty_warehouse_builds_empty_marts(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    wh = open_warehouse(settings.backend("warehouse"))
    ensure_tables(wh)
    wh.close()
    report = run_transform(settings)
    assert report.tests_failed == 0 and report.models == 30
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        assert {m: wh.table_rows("marts", m) for m in MARTS} == dict.fromkeys(MARTS, 0)
    finally:
        wh.close()
    assert "DBT_VITRINA_DUCKDB_PATH" not in os.environ  # set for the run only


def test_a_failing_dbt_test_fails_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    wh = open_warehouse(settings.backend("warehouse"))
    ensure_tables(wh)
    wh.execute(
        "insert into clean.users values (1, 'A', 'B', 'a@x.io', '1234', timestamp '2026-01-01', 'Gold'),"
        " (1, 'C', 'D', 'c@x.io', '1234', timestamp '2026-01-01', 'Gold')"
    )
    wh.close()
    code = main(["--data-dir", str(tmp_path), "transform", "--select", "stg_shop__users"])
    captured = capsys.readouterr()
    assert code == 1
    assert "unique_stg_shop__users_user_id" in captured.err
    assert captured.out == ""  # dbt's own output goes to stderr


def test_cli_transform_prints_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    wh = open_warehouse(settings.backend("warehouse"))
    ensure_tables(wh)
    wh.close()
    code = main(["--data-dir", str(tmp_path), "transform", "--select", "stg_shop__users"])
    out = capsys.readouterr().err  # a summary: stderr
    assert code == 0
    assert "models built" in out and "duckdb" in out


def test_profile_env_and_vars_from_settings(tmp_path: Path) -> None:
    profile, env = dbt_profile(dbt_target("postgresql://u%40x:p%2Fw@db.example:6543/wh"))
    assert profile == {
        "vitrina": {
            "target": "postgres",
            "outputs": {
                "postgres": {
                    "type": "postgres",
                    "host": "db.example",
                    "port": 6543,
                    "user": "u@x",
                    "dbname": "wh",
                    "schema": "public",
                    # the password stays out of the file: dbt reads it from the environment
                    "password": "{{ env_var('DBT_VITRINA_SECRET_PASSWORD') }}",
                    "threads": THREADS,
                }
            },
        }
    }
    assert env == {"DBT_VITRINA_SECRET_PASSWORD": "p/w"}
    settings = load_settings(
        data_dir=tmp_path,
        environ={},
        cwd=tmp_path,
        overrides={"stream": {"hop": "30s"}, "scoring": {"top_n": 5}},
    )
    assert dbt_vars(settings) == {
        "click_weight": 0.7,
        "units_weight": 0.3,
        "top_n": 5,
        "window_size_ms": 300_000,
        "window_hop_ms": 30_000,
        "lateness_ms": 30_000,
    }


def test_duckdb_profile_carries_the_engine_limits_of_the_url(tmp_path: Path) -> None:
    url = f"duckdb://{tmp_path}/wh.duckdb?memory_limit=300MB&threads=1"
    output = dbt_profile(dbt_target(url))[0]["vitrina"]["outputs"]["duckdb"]
    # dbt-duckdb SETs these on each cursor: dbt's models run under the warehouse's limit
    # (the spill directory comes from the warehouse connection held open around dbt).
    assert output["settings"] == {"memory_limit": "300MB", "threads": "1"}
    assert output["path"] == f"{tmp_path}/wh.duckdb"
