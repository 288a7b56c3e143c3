"""Window records: the compiled writer spells exactly what the Polars writer does."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from vitrina.stream.records import windows_frame, windows_jsonl, windows_keys
from vitrina.stream.windows import EmittedWindows


def _windows(n: int, seed: int, low_ms: int = 0) -> EmittedWindows:
    rng = np.random.default_rng(seed)
    start = np.sort(rng.integers(low_ms, 253_402_300_000_000, n)) // 60_000 * 60_000
    key = rng.integers(1, 10**12, n) // rng.choice([1, 10**6, 10**11], n)
    return EmittedWindows(start, key, rng.integers(1, 10**7, n), 300_000)


@pytest.mark.parametrize(("n", "seed"), [(1, 0), (9, 1), (3_000, 2)])
def test_bytes_equal_the_polars_writer(n: int, seed: int) -> None:
    w = _windows(n, seed)
    assert windows_jsonl(w) == windows_frame(w).write_ndjson().encode()


def test_a_window_line() -> None:
    w = EmittedWindows(np.array([1_795_352_400_000]), np.array([42]), np.array([7]), 300_000)
    assert orjson.loads(windows_jsonl(w)) == {
        "product_id": 42,
        "window_start": "2026-11-22T13:00:00.000Z",
        "window_end": "2026-11-22T13:05:00.000Z",
        "clicks": 7,
    }
    assert windows_keys(w) == [b"42"]


def test_instants_before_1970_use_the_polars_writer() -> None:
    w = _windows(5, 3, low_ms=-(10**12))
    w = EmittedWindows(w.window_start_ms - 10**12, w.key, w.count, w.size_ms)
    lines = windows_jsonl(w)
    assert lines == windows_frame(w).write_ndjson().encode()
    assert lines.count(b"\n") == 5


def test_no_windows_no_bytes() -> None:
    assert windows_jsonl(EmittedWindows.empty(300_000)) == b""
