"""The embedded serving store: versions, atomic switch, empty input, idempotency, readers."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa
import pytest

from vitrina.errors import ContractError, UsageError
from vitrina.serve import open_serving
from vitrina.serve.base import KEEP_VERSIONS
from vitrina.serve.filestore import FileServingStore
from vitrina.serve.model import RECS_SCHEMA


def _top(generation: int, n: int = 10) -> pa.Table:
    return pa.table(
        {
            "rank": list(range(1, n + 1)),
            "product_id": [generation * 1000 + i for i in range(n)],
            "score": [float(n - i) for i in range(n)],
            "clicks_5m": [generation] * n,
            "units_ordered": [i for i in range(n)],
        }
    )


def _recs(generation: int, users: int = 5, per_user: int = 3) -> pa.Table:
    rows = [
        {"user_id": u, "rank": r, "product_id": generation * 1000 + u * 10 + r, "score": 1.0 / r}
        for u in range(1, users + 1)
        for r in range(1, per_user + 1)
    ]
    return pa.Table.from_pylist(rows, schema=RECS_SCHEMA)


def _store(tmp_path: Path) -> FileServingStore:
    store = open_serving(f"file://{tmp_path}/serving")
    assert isinstance(store, FileServingStore)
    return store


def test_publish_then_read(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        assert store.current_version() is None
        assert store.top_products() == []
        assert store.recommendations(1) == []
        out = store.publish(_top(1), _recs(1))
        assert out.status == "published"
        assert (out.top_count, out.recs_users, out.recs_rows) == (10, 5, 15)
        top = store.top_products(3)
        assert [t.product_id for t in top] == [1000, 1001, 1002]
        assert [t.rank for t in top] == [1, 2, 3]
        assert all(isinstance(t.product_id, int) for t in top)
        recs = store.recommendations(2)
        assert [(r.rank, r.product_id) for r in recs] == [(1, 1021), (2, 1022), (3, 1023)]
        assert store.recommendations(99) == []
        assert store.current_version() == out.version


def test_same_content_twice_changes_nothing(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        first = store.publish(_top(1), _recs(1))
        files = sorted(p.relative_to(tmp_path) for p in (tmp_path / "serving").rglob("*"))
        again = store.publish(_top(1).slice(0, 10), _recs(1))  # same rows, new objects
        assert again.status == "unchanged"
        assert again.version == first.version
        assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "serving").rglob("*")) == files


def test_empty_input_never_wipes(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        first = store.publish(_top(1), _recs(1))
        kept = store.publish(_top(2, n=0), _recs(2, users=0))
        assert kept.status == "kept"
        assert kept.version == first.version
        assert [t.product_id for t in store.top_products(2)] == [1000, 1001]
        assert len(store.recommendations(1)) == 3


def test_new_version_switches_and_old_ones_are_cleaned(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        versions = [store.publish(_top(g), _recs(g), now_ms=1_000 * g).version for g in range(1, 5)]
        assert len(set(versions)) == 4
        assert store.current_version() == versions[-1]
        assert store.versions() == versions[-KEEP_VERSIONS:]
        assert store.top_products(1)[0].product_id == 4000
        leftovers = [p.name for p in store.base.iterdir() if p.name.startswith(".")]
        assert leftovers == []


def test_leftovers_of_a_crashed_publish_are_removed(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        first = store.publish(_top(1), _recs(1), now_ms=1_000)
        (store.base / ".tmp-19700101T000002000Z-dead").mkdir()
        (store.base / ".tmp-19700101T000002000Z-dead" / "top_products.arrow").write_bytes(b"x")
        assert store.versions() == [first.version]  # a half-written version is not listed
        assert store.top_products(1)[0].product_id == 1000
        second = store.publish(_top(2), _recs(2), now_ms=3_000)
        assert sorted(p.name for p in store.base.iterdir()) == sorted(
            [first.version, str(second.version), "current"]
        )


def test_float_ids_must_be_whole(tmp_path: Path) -> None:
    bad = _top(1).set_column(1, "product_id", pa.array([1.5] * 10))
    with _store(tmp_path) as store, pytest.raises(ContractError, match="non-integer"):
        store.publish(bad, _recs(1))
    whole = _top(1).set_column(1, "product_id", pa.array([float(i) for i in range(10)]))
    with _store(tmp_path) as store:
        store.publish(whole, _recs(1))
        assert store.top_products(2)[1].product_id == 1


def test_concurrent_reader_never_sees_a_mixed_set(tmp_path: Path) -> None:
    url = f"file://{tmp_path}/serving"
    with open_serving(url) as writer:
        writer.publish(_top(1), _recs(1))
        stop = threading.Event()
        mixed: list[str] = []
        reads = 0

        def read() -> None:
            nonlocal reads
            with open_serving(url) as reader:
                while not stop.is_set():
                    snap = reader.snapshot()
                    assert snap is not None
                    gens = {p // 1000 for p in snap.top.column("product_id").to_pylist()}
                    gens |= {p // 1000 for p in snap.recs.column("product_id").to_pylist()}
                    if len(gens) != 1 or snap.recs.num_rows != 15:
                        mixed.append(f"{snap.version}: {gens}")
                    reads += 1

        thread = threading.Thread(target=read)
        thread.start()
        try:
            for g in range(2, 40):
                writer.publish(_top(g), _recs(g), now_ms=1_000 * g)
        finally:
            stop.set()
            thread.join()
    assert mixed == []
    assert reads > 0


def test_bad_urls_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        open_serving("memcached://x")
    with pytest.raises(UsageError):
        open_serving("file://")
