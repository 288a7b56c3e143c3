"""``vitrina bench window``: the window engine vs a per-event dict loop, Quix Streams, end to end.

Figures (one JSON object): ``engine_events_per_s`` (the numpy engine on pre-parsed columns, one
core, best of ``repeat``), ``dict_events_per_s`` and ``ratio_vs_dict`` (a straightforward
per-event Python implementation of the same windows on the first ``dict_events`` of the same
events, in the same run; its result is checked equal to the engine's), ``quix_events_per_s``
(Quix Streams' hopping-window count over the same events on a Kafka topic) and
``e2e_kafka_events_per_s`` (vitrina's Kafka job: consume, parse, window, produce, commit in
transactions), both null when no Kafka is given or reachable, ``peak_rss_mb`` (this process,
which holds the whole input in memory) and ``stream_peak_rss_mb`` (a fresh process windowing
``stream_events`` generated chunk by chunk: the engine's memory is bounded by open windows x
products, not by the number of events).
"""

from __future__ import annotations

import gc
import logging
import resource
import time
from typing import Any

import numpy as np

from vitrina.bench.events import I64, START_MS, bench_events
from vitrina.bench.window_kafka import kafka_figures, require_kafka_extras
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec

__all__ = ["bench_events", "dict_windows", "resolve_kafka", "run_window_bench"]

log = logging.getLogger(__name__)


def dict_windows(
    ts: list[int], keys: list[int], size_ms: int, hop_ms: int, lateness_ms: int
) -> tuple[dict[tuple[int, int], int], int]:
    """The same windows, one event at a time with Python dicts: ({(start, key): count}, late)."""
    k = size_ms // hop_ms
    open_windows: dict[int, dict[int, int]] = {}
    done: dict[tuple[int, int], int] = {}
    max_seen: int | None = None
    closed_upto: int | None = None  # every window m <= this has been emitted
    late = 0
    for t, key in zip(ts, keys, strict=True):
        wm = -(2**62) if max_seen is None else max_seen - lateness_ms
        pane = t // hop_ms
        added = False
        for m in range(pane - k + 1, pane + 1):
            if m * hop_ms + size_ms > wm:
                counts = open_windows.get(m)
                if counts is None:
                    counts = open_windows[m] = {}
                counts[key] = counts.get(key, 0) + 1
                added = True
        if not added:
            late += 1
        if max_seen is None or t > max_seen:
            max_seen = t
            last_closed = (max_seen - lateness_ms) // hop_ms - k
            if closed_upto is None or last_closed > closed_upto:
                if closed_upto is None:
                    closing = [m for m in open_windows if m <= last_closed]
                else:
                    closing = [
                        m for m in range(closed_upto + 1, last_closed + 1) if m in open_windows
                    ]
                for m in closing:
                    for key2, c in open_windows.pop(m).items():
                        done[(m * hop_ms, key2)] = c
                closed_upto = last_closed
    for m, counts in open_windows.items():
        for key2, c in counts.items():
            done[(m * hop_ms, key2)] = c
    return done, late


def _engine_run(spec: WindowSpec, ts: I64, keys: I64, batch: int) -> tuple[float, EmittedWindows]:
    engine = WindowEngine(spec)
    parts: list[EmittedWindows] = []
    start = time.perf_counter()
    for lo in range(0, ts.shape[0], batch):
        parts.append(engine.process(ts[lo : lo + batch], keys[lo : lo + batch]).emitted)
    parts.append(engine.flush())
    elapsed = time.perf_counter() - start
    return elapsed, EmittedWindows.concat(parts, spec.size_ms)


def stream_memory_run(n_events: int, products: int, rate_per_s: int, chunk: int = 1 << 20) -> None:
    """Window ``n_events`` generated chunk by chunk (never all in memory); print the peak RSS.

    Run in a fresh process (see :func:`_memory_figures`) so the RSS is the engine's alone.
    """
    spec = WindowSpec()
    engine = WindowEngine(spec)
    rng = np.random.default_rng(11)
    windows = 0
    for lo in range(0, n_events, chunk):
        n = min(chunk, n_events - lo)
        ts = START_MS + ((np.arange(lo, lo + n, dtype=np.int64) * 1000) // rate_per_s)
        ts -= rng.integers(0, 5_001, n)
        keys = ((rng.zipf(1.2, n) - 1) % products + 1).astype(np.int64)
        windows += len(engine.process(ts, keys).emitted)
    windows += len(engine.flush())
    print(f"{_peak_rss_mb()} {windows}")


def _memory_figures(n_events: int, products: int, rate_per_s: int) -> dict[str, Any]:
    import subprocess
    import sys

    code = (
        "from vitrina.bench.window import stream_memory_run; "
        f"stream_memory_run({n_events}, {products}, {rate_per_s})"
    )
    start = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1800
    )
    rss, windows = res.stdout.split()[-2:]
    return {
        "stream_events": n_events,
        "stream_windows": int(windows),
        "stream_seconds": round(time.perf_counter() - start, 1),
        "stream_peak_rss_mb": float(rss),
    }


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss over a fork and
    exec from the parent, VmHWM starts afresh with the new program."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run_window_bench(
    *,
    events: int = 20_000_000,
    dict_events: int = 1_000_000,
    products: int = 10_000,
    rate_per_s: int = 100_000,
    batch: int = 1 << 20,
    repeat: int = 3,
    kafka: str | None = None,
    kafka_events: int = 1_000_000,
    quix_events: int = 200_000,
    spec: WindowSpec | None = None,
    stream_events: int = 100_000_000,
) -> dict[str, Any]:
    """Run the benchmark; see the module docstring for the figures."""
    if kafka:
        require_kafka_extras()  # before minutes of engine runs, not after
    spec = spec or WindowSpec()
    ts, keys = bench_events(events, products=products, rate_per_s=rate_per_s)
    best = float("inf")
    result = EmittedWindows.empty(spec.size_ms)
    for _ in range(repeat):
        gc.collect()
        elapsed, result = _engine_run(spec, ts, keys, batch)
        best = min(best, elapsed)
    engine_eps = events / best
    n_windows = len(result)

    n_dict = min(dict_events, events)
    ts_list, key_list = ts[:n_dict].tolist(), keys[:n_dict].tolist()
    start = time.perf_counter()
    want, _ = dict_windows(ts_list, key_list, spec.size_ms, spec.hop_ms, spec.lateness_ms)
    dict_eps = n_dict / (time.perf_counter() - start)
    _, sub = _engine_run(spec, ts[:n_dict], keys[:n_dict], batch)
    if sub.as_dict() != want:
        raise AssertionError("engine and dict implementation disagree")

    figures: dict[str, Any] = {
        "events": events,
        "products": products,
        "windows": n_windows,
        "size_ms": spec.size_ms,
        "hop_ms": spec.hop_ms,
        "lateness_ms": spec.lateness_ms,
        "engine_events_per_s": round(engine_eps),
        "dict_events": n_dict,
        "dict_events_per_s": round(dict_eps),
        "ratio_vs_dict": round(engine_eps / dict_eps, 1),
        "quix_events_per_s": None,
        "e2e_kafka_events_per_s": None,
        "kafka": kafka,
    }
    del ts, keys, ts_list, key_list, want, sub, result  # each figure starts from a clean process
    gc.collect()
    if kafka:
        figures.update(
            kafka_figures(
                kafka,
                spec,
                kafka_events=kafka_events,
                quix_events=quix_events,
                products=products,
                rate_per_s=rate_per_s,
            )
        )
    figures["peak_rss_mb"] = _peak_rss_mb()
    if stream_events:
        figures.update(_memory_figures(stream_events, products, rate_per_s))
    return figures


def resolve_kafka(option: str, default_url: str = "kafka://127.0.0.1:9092") -> str | None:
    """'none' -> None; 'auto' -> the default broker when it answers within 3 s; else the URL.

    A URL comes back only with the Kafka client and Quix Streams importable (else a one-line
    usage error naming the extra); 'auto' without the Kafka client means no broker.
    """
    if option == "none":
        return None
    url = default_url if option == "auto" else option
    if option != "auto":
        require_kafka_extras()
        return url
    from vitrina.eventlog.kafka.client import bootstrap_of, reachable

    if not reachable(bootstrap_of(url), timeout_s=3):
        log.info("no Kafka at %s: Kafka figures are null", url)
        return None
    require_kafka_extras()
    return url
