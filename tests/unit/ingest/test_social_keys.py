"""Composite keys in ingest, the --domain choices, and a source that takes what it is given."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pytest

from vitrina.contracts.registry import pipeline_domains
from vitrina.errors import UsageError
from vitrina.ingest.clean import SEQ, dedupe_first
from vitrina.ingest.parents import key_origins
from vitrina.ingest.tables import TABLES, sql_type
from vitrina.source import open_source


def test_dedupe_keeps_the_first_of_each_pair() -> None:
    frame = pl.DataFrame(
        {
            "user_id": [1, 1, 2, 1],
            "friend_id": [2, 3, 3, 2],
            SEQ: [0, 1, 2, 3],
        }
    )
    kept, dropped = dedupe_first(frame, TABLES["social_friendships"].keys)
    assert dropped == 1
    assert kept.select("user_id", "friend_id", SEQ).rows() == [(1, 2, 0), (1, 3, 1), (2, 3, 2)]


def test_the_clean_table_adds_an_event_once_per_composite_key() -> None:
    spec = TABLES["social_user_status"]
    assert spec.keys == ("user_id", "changed_at")
    assert spec.key_match("t", "s") == (
        't."user_id" = s."user_id" and t."changed_at" = s."changed_at"'
    )
    with pytest.raises(ValueError, match="composite key"):
        _ = spec.key
    con = duckdb.connect()
    con.execute("create table target (user_id bigint, changed_at timestamp, status varchar)")
    con.execute(
        "create table stage as select * from (values (1, timestamp '2026-11-02 10:00', 'online'),"
        " (1, timestamp '2026-11-02 10:05', 'offline')) as v(user_id, changed_at, status)"
    )
    insert = (
        "insert into target select * from stage as s"
        f" where not exists (select 1 from target as t where {spec.key_match('t', 's')})"
    )
    con.execute(insert)
    con.execute(insert)  # the same records again: nothing new
    assert con.execute("select count(*) from target").fetchone() == (2,)


def test_key_origins_of_a_composite_key_are_not_parents() -> None:
    frame = pl.DataFrame({"user_id": [7], "friend_id": [7], SEQ: [0], "_file": ["f"], "_line": [3]})
    assert key_origins(("user_id", "friend_id"), frame, pl.Series([0])).height == 0
    one = key_origins(("user_id",), frame, pl.Series([0]))
    assert one.rows() == [(7, "f:3")]


def test_a_flag_is_a_boolean_column() -> None:
    types = dict(TABLES["social_user_settings"].columns)
    assert sql_type(types["notifications_enabled"]) == "boolean"


def test_domain_choices() -> None:
    assert pipeline_domains("all") == ("clickstream", "shop", "social")
    assert pipeline_domains("shop") == ("clickstream", "shop")
    assert pipeline_domains("social") == ("social",)
    with pytest.raises(UsageError, match=r"unknown domain 'weather' \(allowed: .*social, all\)"):
        pipeline_domains("weather")


def test_the_source_takes_a_repeated_key_for_ingest_to_catch(tmp_path: Path) -> None:
    source = open_source(f"duckdb://{tmp_path}/source.duckdb")
    try:
        ties = pa.table(
            {
                "user_id": [7, 7],
                "friend_id": [7, 7],  # two friendships turned into the same self-friendship
                "created_at": pa.array([0, 1], pa.timestamp("ms", tz="UTC")),
            }
        )
        source.replace_tables({"social_friendships": ties})
        assert source.read_table("social_friendships").num_rows == 2
    finally:
        source.close()


def test_run_with_an_unknown_domain_is_bad_usage_and_writes_nothing(tmp_path: Path) -> None:
    from vitrina.cli import main

    assert main(["--data-dir", str(tmp_path / "data"), "run", "--domain", "weather"]) == 2
    assert not (tmp_path / "data").exists()
