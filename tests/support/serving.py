"""The serving-store contract as one test suite, run against every backend (file, Redis).

A backend's test module subclasses :class:`ServingSuite` as ``Test<Backend>Serving`` and gives
it a ``serving_url`` fixture (a fresh, empty store per test) and two views of the raw storage:
``stored`` (every file or key the store holds) and ``assert_layout`` (where a version lives).
"""

from __future__ import annotations

import abc
import threading

import pyarrow as pa

from vitrina.serve import open_serving
from vitrina.serve.base import KEEP_VERSIONS
from vitrina.serve.model import RECS_SCHEMA, TOP_SCHEMA

__all__ = ["RECS_PER_USER", "RECS_USERS", "ServingSuite", "recs", "top"]

RECS_USERS = 50
RECS_PER_USER = 5


def top(generation: int, n: int = 10) -> pa.Table:
    """``n`` ranked products; every product id is ``generation * 1000 + i``."""
    rows = [
        {
            "rank": i + 1,
            "product_id": generation * 1000 + i,
            "score": float(n - i),
            "clicks_5m": generation,
            "units_ordered": i,
        }
        for i in range(n)
    ]
    return pa.Table.from_pylist(rows, schema=TOP_SCHEMA)


def recs(generation: int, users: int = RECS_USERS, per_user: int = RECS_PER_USER) -> pa.Table:
    """Recommendations for users 1..users; user u's rank r is product ``g*1000 + u*10 + r``."""
    rows = [
        {"user_id": u, "rank": r, "product_id": generation * 1000 + u * 10 + r, "score": 1.0 / r}
        for u in range(1, users + 1)
        for r in range(1, per_user + 1)
    ]
    return pa.Table.from_pylist(rows, schema=RECS_SCHEMA)


class ServingSuite(abc.ABC):
    """The behaviours every serving backend shares; the publish policy lives in serve/base.py."""

    @abc.abstractmethod
    def stored(self, url: str) -> list[str]:
        """Every file or key the store at ``url`` holds, sorted (each backend's suite says)."""

    @abc.abstractmethod
    def assert_layout(self, url: str, version: str) -> None:
        """The current pointer and the whole of ``version`` are where the backend keeps them."""

    def test_publish_then_read(self, serving_url: str) -> None:
        with open_serving(serving_url) as store:
            assert store.current_version() is None
            assert store.top_products() == []
            assert store.recommendations(1) == []
            out = store.publish(top(1), recs(1))
            assert out.status == "published"
            assert (out.top_count, out.recs_users, out.recs_rows) == (10, 50, 250)
            first3 = store.top_products(3)
            assert [t.product_id for t in first3] == [1000, 1001, 1002]
            assert [t.rank for t in first3] == [1, 2, 3]
            assert all(type(t.product_id) is int for t in first3)
            got = store.recommendations(2)
            assert [(r.rank, r.product_id) for r in got] == [(i, 1020 + i) for i in range(1, 6)]
            assert all(type(r.product_id) is int for r in got)
            assert store.recommendations(99) == []
            assert store.recommendations(10_000) == []
            assert store.current_version() == out.version
            version = out.version
        assert version is not None
        self.assert_layout(serving_url, version)

    def test_same_content_twice_changes_nothing(self, serving_url: str) -> None:
        with open_serving(serving_url) as store:
            first = store.publish(top(1), recs(1))
            before = self.stored(serving_url)
            again = store.publish(top(1).slice(0, 10), recs(1))  # same rows, new objects
            assert again.status == "unchanged"
            assert again.version == first.version
            assert self.stored(serving_url) == before

    def test_empty_input_never_wipes(self, serving_url: str) -> None:
        with open_serving(serving_url) as store:
            first = store.publish(top(1), recs(1))
            kept = store.publish(top(2, n=0), recs(2, users=0))
            assert kept.status == "kept"
            assert kept.version == first.version
            assert [t.product_id for t in store.top_products(2)] == [1000, 1001]
            assert len(store.recommendations(1)) == RECS_PER_USER

    def test_new_version_switches_and_old_ones_are_cleaned(self, serving_url: str) -> None:
        with open_serving(serving_url) as store:
            versions = [
                store.publish(top(g), recs(g), now_ms=1_000 * g).version for g in (1, 2, 3, 4)
            ]
            assert len(set(versions)) == 4
            assert store.current_version() == versions[-1]
            assert store.versions() == versions[-KEEP_VERSIONS:]
            assert store.top_products(1)[0].product_id == 4000
            snap = store.snapshot()
            assert snap is not None and snap.version == versions[-1]
            assert snap.recs.num_rows == RECS_USERS * RECS_PER_USER
            assert set(snap.recs.column("product_id").to_pylist()) == {
                4000 + u * 10 + r
                for u in range(1, RECS_USERS + 1)
                for r in range(1, RECS_PER_USER + 1)
            }
        stored = self.stored(serving_url)
        for old in versions[:-KEEP_VERSIONS]:
            assert old is not None
            assert [name for name in stored if old in name] == []
        # Nothing half-written or half-deleted is left behind (the file store's dot-names).
        assert [name for name in stored if name.startswith(".") or "/." in name] == []

    def test_concurrent_readers_never_see_a_mixed_set(self, serving_url: str) -> None:
        size = RECS_USERS * RECS_PER_USER
        with open_serving(serving_url) as writer:
            writer.publish(top(1), recs(1))
            stop = threading.Event()
            problems: list[str] = []
            counts = {"point": 0, "snapshot": 0}

            def point_reader() -> None:
                with open_serving(serving_url) as reader:
                    while not stop.is_set():
                        got = reader.recommendations(3)
                        if (
                            len(got) != RECS_PER_USER
                            or len({r.product_id // 1000 for r in got}) != 1
                        ):
                            problems.append(f"recs {got}")
                        first = reader.top_products(10)
                        if len(first) != 10 or len({t.product_id // 1000 for t in first}) != 1:
                            problems.append(f"top {first}")
                        counts["point"] += 1

            def snapshot_reader() -> None:
                with open_serving(serving_url) as reader:
                    while not stop.is_set():
                        snap = reader.snapshot()
                        if snap is None:
                            problems.append("no snapshot after the first publish")
                            continue
                        gens = {p // 1000 for p in snap.top.column("product_id").to_pylist()}
                        gens |= {p // 1000 for p in snap.recs.column("product_id").to_pylist()}
                        if len(gens) != 1 or snap.recs.num_rows != size:
                            problems.append(f"snapshot {snap.version} {gens} {snap.recs.num_rows}")
                        counts["snapshot"] += 1

            threads = [
                threading.Thread(target=point_reader),
                threading.Thread(target=snapshot_reader),
            ]
            for t in threads:
                t.start()
            try:
                for g in range(2, 40):
                    writer.publish(top(g), recs(g), now_ms=1_000 * g)
            finally:
                stop.set()
                for t in threads:
                    t.join()
        assert problems == []
        assert counts["point"] > 0 and counts["snapshot"] > 0
