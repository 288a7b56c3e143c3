"""The synthetic click stream the window benchmarks share: event times and Zipf-popular keys."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["I64", "START_MS", "bench_events"]

START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, fixed so runs are comparable
I64 = npt.NDArray[np.int64]


def bench_events(
    n: int,
    *,
    products: int = 10_000,
    rate_per_s: int = 100_000,
    disorder_ms: int = 5_000,
    seed: int = 7,
) -> tuple[I64, I64]:
    """Event times (arrival order, ``rate_per_s`` events per second of event time, up to
    ``disorder_ms`` out of order) and Zipf-popular product ids in 1..products."""
    rng = np.random.default_rng(seed)
    ts = START_MS + (np.arange(n, dtype=np.int64) * 1000) // rate_per_s
    ts -= rng.integers(0, disorder_ms + 1, n)
    keys = (rng.zipf(1.2, n) - 1) % products + 1
    return ts, keys.astype(np.int64)
