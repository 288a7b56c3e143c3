"""The social Data Vault and star on the real PostgreSQL: insert-only, star = vault, keys as on DuckDB."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.support.social_vault import layer_counts, star_agrees_with_vault
from tests.support.social_warehouse import load_social, social_clean_tables
from vitrina.config import Settings, load_settings
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import run_transform

pytestmark = pytest.mark.services("postgres")

# Per table, the keys whose values must be equal on both engines.
KEYS = {
    "hub_user": "user_hk",
    "hub_post": "post_hk",
    "link_friendship": "link_friendship_hk",
    "link_reaction": "link_reaction_hk",
    "link_complaint": "link_complaint_hk",
    "sat_user": "hash_diff",
    "sat_post": "hash_diff",
    "sat_donation": "hash_diff",
    "eff_sat_membership": "hash_diff",
}


@pytest.fixture()
def warehouse_url(postgres_url: str) -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards."""
    name = f"vitrina_vault_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'drop database if exists "{name}" with (force)')


def _settings(root: Path, warehouse: str | None = None) -> Settings:
    overrides = {"backends": {"warehouse": warehouse}} if warehouse else {}
    return load_settings(data_dir=root, environ={}, cwd=root, overrides=overrides)


def _keys(settings: Settings) -> dict[str, set[str]]:
    with open_warehouse(settings.backend("warehouse")) as wh:
        return {
            t: set(wh.query_arrow(f"select {k} from vault.{t}").column(0).to_pylist())
            for t, k in KEYS.items()
        }


def test_social_vault_on_postgres_reloads_insert_only_and_equals_duckdb(
    tmp_path: Path, warehouse_url: str
) -> None:
    clean = social_clean_tables(hours=6)
    pg, duck = _settings(tmp_path / "pg", warehouse_url), _settings(tmp_path / "duck")
    for settings in (pg, duck):
        with open_warehouse(settings.backend("warehouse")) as wh:
            load_social(wh, clean)
        report = run_transform(settings)
        assert report.tests_failed == 0 and report.models == 33 + 68 + 12
    with open_warehouse(pg.backend("warehouse")) as wh:
        first = layer_counts(wh)
        star, vault = star_agrees_with_vault(wh)
    assert star == vault and vault["posts"][0] > 0
    assert first["vault.hub_user"] == clean["social_users"].num_rows
    assert first["vault.link_view"] == clean["social_views"].num_rows

    run_transform(pg)
    with open_warehouse(pg.backend("warehouse")) as wh:
        assert layer_counts(wh) == first

    pg_keys, duck_keys = _keys(pg), _keys(duck)
    assert all(pg_keys[t] for t in KEYS)
    assert pg_keys == duck_keys
