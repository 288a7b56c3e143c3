"""The embedded serving store: the shared serving suite on file://, plus what only files have."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from tests.support.serving import ServingSuite, recs, top
from vitrina.errors import ContractError, UsageError
from vitrina.serve import open_serving
from vitrina.serve.filestore import FileServingStore


def _store(tmp_path: Path) -> FileServingStore:
    store = open_serving(f"file://{tmp_path}/serving")
    assert isinstance(store, FileServingStore)
    return store


class TestFileServing(ServingSuite):
    @pytest.fixture
    def serving_url(self, tmp_path: Path) -> str:
        return f"file://{tmp_path}/serving"

    def stored(self, url: str) -> list[str]:
        with open_serving(url) as store:
            assert isinstance(store, FileServingStore)
            return sorted(str(p.relative_to(store.base)) for p in store.base.rglob("*"))

    def assert_layout(self, url: str, version: str) -> None:
        stored = self.stored(url)
        assert "current" in stored
        assert [n for n in stored if n.startswith(f"{version}/")] == [
            f"{version}/meta.json",
            f"{version}/recommendations.arrow",
            f"{version}/top_products.arrow",
        ]


def test_leftovers_of_a_crashed_publish_are_removed(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        first = store.publish(top(1), recs(1), now_ms=1_000)
        (store.base / ".tmp-19700101T000002000Z-dead").mkdir()
        (store.base / ".tmp-19700101T000002000Z-dead" / "top_products.arrow").write_bytes(b"x")
        assert store.versions() == [first.version]  # a half-written version is not listed
        assert store.top_products(1)[0].product_id == 1000
        second = store.publish(top(2), recs(2), now_ms=3_000)
        assert sorted(p.name for p in store.base.iterdir()) == sorted(
            [first.version, str(second.version), "current"]
        )


def test_float_ids_must_be_whole(tmp_path: Path) -> None:
    bad = top(1).set_column(1, "product_id", pa.array([1.5] * 10))
    with _store(tmp_path) as store, pytest.raises(ContractError, match="non-integer"):
        store.publish(bad, recs(1))
    whole = top(1).set_column(1, "product_id", pa.array([float(i) for i in range(10)]))
    with _store(tmp_path) as store:
        store.publish(whole, recs(1))
        assert store.top_products(2)[1].product_id == 1


def test_bad_urls_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        open_serving("memcached://x")
    with pytest.raises(UsageError):
        open_serving("file://")
