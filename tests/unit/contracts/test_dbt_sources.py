"""dbt's sources state the clean tables exactly as ingest writes them from the contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from vitrina.contracts.registry import PIPELINE_ENTITIES
from vitrina.ingest.tables import CLEAN_SCHEMA, TABLES, sql_type

SOURCES = Path(__file__).parents[3] / "transform" / "models" / "staging" / "_sources.yml"


def _source_tables() -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load(SOURCES.read_text())
    return {
        table["name"]: {"schema": source["schema"], **table}
        for source in doc["sources"]
        for table in source["tables"]
    }


# Only the domains the pipeline handles have dbt sources (a domain's contracts may come first).
@pytest.mark.parametrize("entity", list(PIPELINE_ENTITIES))
def test_sources_yaml_columns_equal_the_clean_table_of_the_contract(entity: str) -> None:
    table = _source_tables()[entity]
    expected = [(f.name, sql_type(f.type)) for f in TABLES[entity].clean_schema]
    got = [(c["name"], c.get("data_type")) for c in table.get("columns", [])]
    hint = "".join(f"\n  - name: {n}\n    data_type: {t}" for n, t in expected)
    assert got == expected, f"{SOURCES.name}, table {entity}: write its columns as{hint}"
    assert table["schema"] == CLEAN_SCHEMA


def test_every_contract_has_a_source_table() -> None:
    assert set(PIPELINE_ENTITIES) <= set(_source_tables())


def test_clean_table_types_follow_the_field_kinds() -> None:
    products = {f.name: sql_type(f.type) for f in TABLES["products"].clean_schema}
    assert products == {
        "product_id": "bigint",
        "name": "varchar",
        "description": "varchar",
        "category_id": "bigint",
        "price": "decimal(12, 2)",
        "stock_quantity": "bigint",
        "creation_date": "timestamp",
    }
    clicks = [f.name for f in TABLES["clicks"].clean_schema]
    assert clicks[-2:] == ["arrival_file", "arrival_line"]  # events keep where they arrived
    assert TABLES["clicks"].incremental and not TABLES["users"].incremental
