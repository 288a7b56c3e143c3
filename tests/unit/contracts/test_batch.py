"""validate_table: typed output, every failing field of a record, typed inputs, scale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from tests.support.records import GOOD, frame, record
from vitrina.contracts import output_schema, validate_table
from vitrina.errors import UsageError


@pytest.mark.parametrize("entity", list(GOOD))
def test_good_rows_come_out_typed_to_the_contract(entity: str) -> None:
    result = validate_table(entity, frame(entity, [GOOD[entity], GOOD[entity]]))
    assert result.valid.height == 2
    assert result.invalid.height == 0
    assert result.errors.height == 0
    assert result.valid.drop("_line").schema == output_schema(entity)
    assert result.valid["_line"].to_list() == [1, 2]


def test_output_values_money_dates_and_times() -> None:
    out = validate_table("orders", frame("orders", [GOOD["orders"]])).valid.row(0, named=True)
    assert out["total_amount"] == Decimal("39.98")
    assert out["order_date"] == datetime(2026, 2, 1, 10, 0, 0, 250_000, tzinfo=UTC)
    assert out["delivery_date"] == datetime(2026, 2, 3, tzinfo=UTC)


def test_every_failing_field_of_a_record_is_reported_together() -> None:
    rows = [
        GOOD["order_details"],
        record(
            "order_details", order_detail_id=-3, order_id="x", quantity=0, price_per_unit="1.234"
        ),
    ]
    result = validate_table("order_details", frame("order_details", rows))
    assert result.valid.height == 1
    assert result.errors.filter(pl.col("_row") == 1).select("field", "rule").rows() == [
        ("order_detail_id", "range"),
        ("order_id", "type"),
        ("quantity", "range"),
        ("price_per_unit", "format"),
    ]
    bad = result.invalid.row(0, named=True)
    assert bad["_row"] == 1
    assert bad["_line"] == 2
    assert bad["order_id"] == "x"  # the original value, not the typed one
    assert bad["reasons"] == [
        "order_details.order_detail_id: must be > 0, got -3",
        "order_details.order_id: expected an integer, got 'x'",
        "order_details.quantity: must be >= 1, got 0",
        "order_details.price_per_unit: more than 2 decimal places: '1.234'",
    ]


def test_record_rule_message_names_both_amounts() -> None:
    result = validate_table(
        "order_details", frame("order_details", [record("order_details", total_price=12.5)])
    )
    assert result.invalid["reasons"].to_list() == [
        ["order_details.total_price: 12.50 != quantity * price_per_unit 39.98"]
    ]


def test_typed_frames_from_a_database_are_accepted() -> None:
    df = pl.DataFrame(
        {
            "order_id": [1, 2],
            "user_id": [1, 1],
            "order_date": [datetime(2026, 2, 1, 10), datetime(2026, 2, 1, 11)],
            "total_amount": [Decimal("39.98"), Decimal("0.10")],
            "status": ["paid", "paid"],
            "delivery_date": [date(2026, 2, 3), None],
        },
        schema_overrides={
            "order_date": pl.Datetime("us", "Etc/UTC"),
            "total_amount": pl.Decimal(12, 2),
        },
    )
    result = validate_table("orders", df)
    assert result.invalid.height == 0
    assert result.valid["order_date"].dtype == pl.Datetime("ms", "UTC")
    assert result.valid["delivery_date"].to_list() == [datetime(2026, 2, 3, tzinfo=UTC), None]
    assert result.valid["total_amount"].to_list() == [Decimal("39.98"), Decimal("0.10")]


def test_absent_columns_are_missing_unless_optional() -> None:
    df = pl.DataFrame(
        {
            "event_id": ["e1"],
            "user_id": [1],
            "session_id": ["s"],
            "product_id": [2],
            "event_type": ["view"],
        }
    )
    result = validate_table("clicks", df)
    assert result.errors.select("field", "rule").rows() == [("ts", "missing")]


def test_wrong_column_types_fail_every_row() -> None:
    df = pl.DataFrame({"category_id": [1, 2], "name": [10, 20], "parent_category_id": [None, 1]})
    result = validate_table("categories", df)
    assert result.errors.select("_row", "field", "rule").rows() == [
        (0, "name", "type"),
        (1, "name", "type"),
    ]


def test_empty_table_and_unknown_entity() -> None:
    result = validate_table("clicks", frame("clicks", []))
    assert (result.valid.height, result.invalid.height, result.errors.height) == (0, 0, 0)
    with pytest.raises(UsageError):
        validate_table("nope", pl.DataFrame())


def test_a_large_table_is_checked_in_one_pass() -> None:
    n = 200_000
    rng = np.random.default_rng(5)
    event_type = np.array(["view", "click", "add_to_cart", "purchase"])[rng.integers(0, 4, n)]
    broken = rng.random(n) < 0.01
    event_type[broken] = "hover"
    df = pl.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "user_id": rng.integers(1, 1000, n),
            "session_id": "s1",
            "product_id": rng.integers(1, 100, n),
            "event_type": event_type,
            "ts": pl.Series(1_795_354_532_033 + np.arange(n))
            .cast(pl.Datetime("ms"))
            .dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
        }
    )
    result = validate_table("clicks", df)
    assert result.invalid.height == int(broken.sum())
    assert result.valid.height == n - int(broken.sum())
    assert result.counts_by_rule() == {"enum": int(broken.sum())}


def test_dictionary_encoded_text_is_text() -> None:
    df = frame("clicks", [record("clicks"), record("clicks", event_id="e2", event_type="hover")])
    df = df.with_columns(
        pl.col("event_type").cast(pl.Categorical), pl.col("device").cast(pl.Enum(["mobile"]))
    )
    result = validate_table("clicks", df)
    assert result.errors.select("_row", "field", "rule").rows() == [(1, "event_type", "enum")]
    assert result.valid["event_type"].dtype == pl.String


def test_a_row_column_in_the_input_does_not_clash() -> None:
    df = frame("reviews", [record("reviews", rating=9)]).with_columns(pl.lit(7).alias("_row"))
    result = validate_table("reviews", df)
    assert result.invalid.select("_row", "rating").rows() == [(0, 9)]
