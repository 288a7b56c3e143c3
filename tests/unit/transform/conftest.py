"""Fixtures for the dbt marts: the hand-made shop world ingested and transformed once per module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from vitrina.config import Settings, load_settings
from vitrina.ingest import IngestReport, run_ingest
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import TransformReport, run_transform

WORLD = Path(__file__).parent / "world"

Rows = list[dict[str, Any]]


def _settings(data_dir: Path, **sections: dict[str, Any]) -> Settings:
    return load_settings(data_dir=data_dir, environ={}, cwd=data_dir, overrides=sections)


def read_mart(settings: Settings, name: str, order_by: str, schema: str = "marts") -> Rows:
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        return wh.query_arrow(f"select * from {schema}.{name} order by {order_by}").to_pylist()
    finally:
        wh.close()


@pytest.fixture(scope="package")
def world_dir() -> Path:
    return WORLD


@pytest.fixture(scope="package")
def built_world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Settings, IngestReport, TransformReport]]:
    """The world of tests/unit/transform/world ingested with --from and built by dbt (DuckDB)."""
    settings = _settings(tmp_path_factory.mktemp("world"))
    ingest = run_ingest(settings, from_dir=WORLD)
    transform = run_transform(settings)
    yield settings, ingest, transform


@pytest.fixture(scope="package")
def mart(built_world: tuple[Settings, IngestReport, TransformReport]) -> Callable[[str, str], Rows]:
    settings = built_world[0]
    return lambda name, order_by: read_mart(settings, name, order_by)


@pytest.fixture(scope="package")
def read() -> Callable[..., Rows]:
    return read_mart


@pytest.fixture()
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    return lambda **sections: _settings(tmp_path, **sections)
