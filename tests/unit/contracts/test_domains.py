"""The registry of domains: every layer's list of entities and domains comes from the contracts."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from vitrina.contracts import DOMAINS, ENTITIES, Click, User
from vitrina.contracts.domain import Domain
from vitrina.contracts.registry import (
    PIPELINE_DOMAINS,
    PIPELINE_ENTITIES,
    REGISTRY,
    TABLE_RULES,
    domain_for,
    entities_of,
)
from vitrina.contracts.storage import arrow_schema, create_table_sql
from vitrina.errors import UsageError
from vitrina.ingest.tables import EVENT_ENTITIES, SHOP_ENTITIES, TABLES
from vitrina.simulate.run import DOMAINS as SIMULATE_DOMAINS
from vitrina.source import ENTITY_TABLES, schema_sql


def test_registry_lists_each_domain_once_with_its_own_entities() -> None:
    assert list(REGISTRY) == ["clickstream", "shop", "social"]
    for name, domain in REGISTRY.items():
        assert domain.name == name
        assert all(m.domain == name for m in domain.entities)
    assert sum(len(d.entities) for d in REGISTRY.values()) == len(ENTITIES) == 9 + 33
    assert DOMAINS["clickstream"] == REGISTRY["clickstream"].names() == ("clicks",)
    assert REGISTRY["shop"].names("event") == ("registrations",)


def test_every_layer_reads_the_registry() -> None:
    # Every domain is simulated and has its source tables; ingest takes the pipeline's.
    assert SIMULATE_DOMAINS == ("clickstream", "shop", "social", "all")
    assert entities_of("snapshot", tuple(REGISTRY)) == ENTITY_TABLES
    assert entities_of("snapshot") == SHOP_ENTITIES
    assert entities_of("event") == EVENT_ENTITIES
    assert EVENT_ENTITIES[:2] == ("clicks", "registrations")
    assert list(TABLES) == list(PIPELINE_ENTITIES)
    assert [r.entity for r in TABLE_RULES][:3] == ["categories", "orders", "orders"]


def test_the_pipeline_takes_every_domain_declared_with_one() -> None:
    """Social has contracts, a simulator, source tables, ingest and dbt sources."""
    assert PIPELINE_DOMAINS == ("clickstream", "shop", "social")
    assert REGISTRY["social"].pipeline
    assert list(ENTITIES) == list(PIPELINE_ENTITIES)
    assert set(DOMAINS["social"]) <= set(TABLES)
    assert "create table if not exists social_users" in schema_sql()
    assert entities_of("event", ("social",)) == (
        "social_user_status",
        "social_views",
        "social_ad_impressions",
        "social_ad_clicks",
    )


def test_a_model_declared_in_another_domain_is_refused() -> None:
    with pytest.raises(ValueError, match=r"User\.domain is 'shop', not 'clickstream'"):
        Domain("clickstream", "clicks", (Click, User))


def test_unknown_domain_is_a_usage_error_naming_the_known_ones() -> None:
    with pytest.raises(
        UsageError, match=r"unknown domain 'weather' \(allowed: clickstream, shop, social\)"
    ):
        domain_for("weather")


def test_entity_kind_decides_snapshot_or_event() -> None:
    kinds = {e: m.entity_kind for e, m in PIPELINE_ENTITIES.items()}
    assert [e for e, k in kinds.items() if k == "event"] == [
        "clicks",
        "registrations",
        *entities_of("event", ("social",)),
    ]
    assert TABLES["registrations"].incremental and not TABLES["orders"].incremental


def test_arrow_schema_follows_field_kinds_and_nullability_of_the_contract() -> None:
    assert arrow_schema("orders") == pa.schema(
        [
            ("order_id", pa.int64()),
            ("user_id", pa.int64()),
            ("order_date", pa.timestamp("ms")),
            ("total_amount", pa.decimal128(12, 2)),
            ("status", pa.string()),
            ("delivery_date", pa.timestamp("ms")),
        ]
    )
    assert arrow_schema("clicks", tz="UTC").field("ts").type == pa.timestamp("ms", tz="UTC")


def test_source_ddl_is_one_table_per_snapshot_with_its_key() -> None:
    assert create_table_sql("categories") == (
        "create table if not exists categories (\n"
        "    category_id bigint primary key,\n"
        "    name varchar,\n"
        "    parent_category_id bigint\n"
        ");\n"
    )
    con = duckdb.connect()
    con.execute(schema_sql())
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    # Change tracking for replication: the tombstones' table, updated_at on every table.
    assert sorted(tables) == sorted([*ENTITY_TABLES, "source_deletions"])
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where table_name = 'products'"
    ).fetchall()
    assert columns == [
        ("product_id", "BIGINT"),
        ("name", "VARCHAR"),
        ("description", "VARCHAR"),
        ("category_id", "BIGINT"),
        ("price", "DECIMAL(12,2)"),
        ("stock_quantity", "BIGINT"),
        ("creation_date", "TIMESTAMP WITH TIME ZONE"),
        ("updated_at", "TIMESTAMP WITH TIME ZONE"),
    ]
