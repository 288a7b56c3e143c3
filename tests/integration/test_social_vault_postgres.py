"""The social Data Vault and star on the real PostgreSQL: insert-only, star = vault, keys as on DuckDB."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.support.social_vault import (
    expected_hash_diffs,
    hash_diffs,
    layer_counts,
    md5_of,
    star_agrees_with_vault,
)
from tests.support.social_warehouse import load_social, social_clean_tables
from vitrina.config import load_settings
from vitrina.pipelines import graph as graph_job
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import run_transform

pytestmark = pytest.mark.services("postgres")


@pytest.fixture()
def warehouse_url(postgres_url: str) -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards."""
    name = f"vitrina_vault_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def test_social_vault_on_postgres_reloads_insert_only_with_the_keys_of_duckdb(
    tmp_path: Path, warehouse_url: str
) -> None:
    clean = social_clean_tables(hours=6)
    settings = load_settings(
        data_dir=tmp_path,
        environ={},
        cwd=tmp_path,
        overrides={"backends": {"warehouse": warehouse_url}},
    )
    with open_warehouse(warehouse_url) as wh:
        load_social(wh, clean)
    graph_job.run(settings)  # the social marts read its tables
    report = run_transform(settings)
    assert report.tests_failed == 0 and report.models == 68 + 12 + 9  # staging is ephemeral
    with open_warehouse(warehouse_url) as wh:
        first = layer_counts(wh)
        star, vault = star_agrees_with_vault(wh)
        users = wh.query_arrow("select user_id, user_hk from vault.hub_user").to_pylist()
        diffs = hash_diffs(wh)
    assert star == vault and vault["posts"][0] > 0
    assert first["vault.hub_user"] == clean["social_users"].num_rows
    assert first["vault.link_view"] == clean["social_views"].num_rows
    # the normalisation the DuckDB tests pin: both engines give the same keys and diffs
    assert all(u["user_hk"] == md5_of(u["user_id"]) for u in users)
    assert diffs == expected_hash_diffs(clean)

    run_transform(settings, select="path:models/social/vault")
    with open_warehouse(warehouse_url) as wh:
        assert layer_counts(wh) == first
