"""Fixtures for the marts tests: one chdb path for the whole session, one database per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def chdb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # chdb holds one data path per process: every marts test shares this one.
    return tmp_path_factory.mktemp("chdb")


@pytest.fixture
def marts_url(chdb_root: Path) -> Iterator[str]:
    yield f"chdb://{chdb_root}?database=t_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def dbt_manifest(request: pytest.FixtureRequest) -> Path:
    from tests.support.warehouse import cached_manifest

    return cached_manifest(request.config)
