"""`vitrina bench window` without Kafka: figures present, engine checked against the dict loop."""

from __future__ import annotations

import orjson
import pytest

from vitrina.bench.window import bench_events, dict_windows, run_window_bench
from vitrina.cli import main
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec


def test_dict_loop_equals_the_engine() -> None:
    ts, keys = bench_events(30_000, products=50, rate_per_s=50, disorder_ms=400_000)
    spec = WindowSpec(300_000, 60_000, 30_000)
    want, late = dict_windows(
        ts.tolist(), keys.tolist(), spec.size_ms, spec.hop_ms, spec.lateness_ms
    )
    eng = WindowEngine(spec)
    res = eng.process(ts, keys)
    got = EmittedWindows.concat([res.emitted, eng.flush()], spec.size_ms)
    assert got.as_dict() == want
    assert late == len(res.late) > 0


def test_bench_window_cli_last_line_is_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "bench",
            "window",
            "--events",
            "200000",
            "--dict-events",
            "20000",
            "--repeat",
            "1",
            "--kafka",
            "none",
            "--stream-events",
            "300000",
        ]
    )
    assert code == 0
    figures = orjson.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["engine_events_per_s"] > figures["dict_events_per_s"] > 0
    assert figures["ratio_vs_dict"] > 1
    assert figures["quix_events_per_s"] is None and figures["e2e_kafka_events_per_s"] is None
    assert figures["stream_events"] == 300_000 and figures["stream_peak_rss_mb"] > 0
    assert figures["peak_rss_mb"] > 0


def test_run_window_bench_counts_every_window() -> None:
    figures = run_window_bench(events=50_000, dict_events=10_000, repeat=1, stream_events=0)
    assert figures["windows"] > 0 and figures["events"] == 50_000
    assert "stream_peak_rss_mb" not in figures
