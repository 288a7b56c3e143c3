"""The Spark marts' SQL on a hand-made shop with known answers, and their published columns."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import yaml

from tests.support.spark import shutdown_jvm
from vitrina.spark.marts_job import MART_COLUMNS, mart_sql, mysql_mart_ddl
from vitrina.warehouse.transform import project_dir


def test_columns_and_types_are_the_dbt_marts() -> None:
    spec = yaml.safe_load((project_dir() / "models/marts/shop/_shop.yml").read_text())
    published = {
        m["name"]: tuple((c["name"], c["data_type"]) for c in m["columns"])
        for m in spec["models"]
        if m["name"] in MART_COLUMNS
    }
    assert published == MART_COLUMNS


def test_mysql_ddl() -> None:
    assert mysql_mart_ddl("mart_product_rating", "_stage_x") == (
        "create table _stage_x (product_id bigint, name text, rating decimal(5, 2), "
        "review_count bigint)"
    )


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("vitrina-test-marts")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    users = [(1, "Ann", "Lee", "gold"), (2, "Bob", "Ray", "bronze"), (3, "Cy", "Orr", "gold")]
    orders = [
        (10, 1, "delivered", Decimal("0.01")),
        (11, 1, "delivered", Decimal("0.02")),
        (12, 1, "cancelled", Decimal("5.00")),
        (13, 2, "delivered", Decimal("1.00")),
        (14, 9, "delivered", Decimal("7.00")),  # a user the replica does not have
    ]
    reviews = [(1, 100, 1), (2, 100, 2), (3, 101, 2), (4, 101, 2), (5, 101, 1)]
    points = [(1, 1, 10), (2, 1, 5), (3, 3, 7)]
    frames = {
        "users": (
            users,
            "user_id bigint, first_name string, last_name string, loyalty_status string",
        ),
        "orders": (
            orders,
            "order_id bigint, user_id bigint, status string, total_amount decimal(12,2)",
        ),
        "products": ([(100, "Mug"), (101, "Tea"), (102, "Pen")], "product_id bigint, name string"),
        "reviews": (reviews, "review_id bigint, product_id bigint, rating bigint"),
        "loyalty_points": (points, "loyalty_id bigint, user_id bigint, points bigint"),
    }
    for name, (rows, schema) in frames.items():
        session.createDataFrame(rows, schema).createOrReplaceTempView(name)
    yield session
    session.stop()
    shutdown_jvm()


def _rows(spark: Any, mart: str) -> list[tuple[Any, ...]]:
    frame = spark.sql(mart_sql(mart))
    assert frame.columns == [name for name, _ in MART_COLUMNS[mart]]
    return sorted((tuple(r) for r in frame.collect()), key=repr)


def test_user_activity(spark: Any) -> None:
    assert _rows(spark, "mart_user_activity") == [
        (1, "Ann", "Lee", "cancelled", 1, Decimal("5.00")),
        (1, "Ann", "Lee", "delivered", 2, Decimal("0.03")),
        (2, "Bob", "Ray", "delivered", 1, Decimal("1.00")),
        (3, "Cy", "Orr", None, 0, Decimal("0.00")),
    ]


def test_product_rating_rounds_half_up(spark: Any) -> None:
    assert _rows(spark, "mart_product_rating") == [
        (100, "Mug", Decimal("1.50"), 2),
        (101, "Tea", Decimal("1.67"), 3),
        (102, "Pen", None, 0),
    ]


def test_loyalty_points(spark: Any) -> None:
    assert _rows(spark, "mart_user_loyalty_points") == [
        (1, "Ann", "Lee", "gold", 15),
        (2, "Bob", "Ray", "bronze", 0),
        (3, "Cy", "Orr", "gold", 7),
    ]


def test_average_check_half_up_over_known_users(spark: Any) -> None:
    # gold delivered: (0.01 + 0.02) / 2 = 0.015 -> 0.02; the unknown user's order is left out
    assert _rows(spark, "mart_average_check") == [
        ("cancelled", "gold", Decimal("5.00"), 1),
        ("delivered", "bronze", Decimal("1.00"), 1),
        ("delivered", "gold", Decimal("0.02"), 2),
    ]
