"""``vitrina transform`` builds the models of the domains whose clean tables hold rows."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from vitrina.warehouse import Warehouse, open_warehouse
from vitrina.warehouse.transform import domain_selection


@pytest.fixture()
def wh(tmp_path: Path) -> Warehouse:
    return open_warehouse(f"duckdb://{tmp_path}/wh.duckdb")


def _table(wh: Warehouse, name: str, rows: int) -> None:
    t = pa.table({"id": pa.array(range(rows), pa.int64())})
    wh.ensure_table("clean", name, t.schema)
    if rows:
        wh.load_arrow("clean", name, t)


def test_no_data_builds_what_it_built_before_domains(wh: Warehouse) -> None:
    assert domain_selection(wh) == ["--exclude", "tag:social"]


def test_shop_only_data_leaves_out_the_social_models_even_with_empty_social_tables(
    wh: Warehouse,
) -> None:
    _table(wh, "orders", 2)
    _table(wh, "social_posts", 0)
    assert domain_selection(wh) == ["--exclude", "tag:social"]


def test_social_only_data_selects_only_the_social_models(wh: Warehouse) -> None:
    _table(wh, "social_users", 1)
    _table(wh, "orders", 0)
    assert domain_selection(wh) == ["--select", "tag:social"]


def test_both_domains_build_everything(wh: Warehouse) -> None:
    _table(wh, "clicks", 3)
    _table(wh, "social_views", 1)
    assert domain_selection(wh) == []
