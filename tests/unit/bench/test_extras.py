"""A benchmark whose optional package is missing: one line naming the pip extra, exit 2."""

from __future__ import annotations

import sys

import pytest

from vitrina.bench.window import resolve_kafka, run_window_bench
from vitrina.cli import main


def _hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``import <module>`` fail as it does where the package is not installed."""
    for name in modules:
        for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            monkeypatch.delitem(sys.modules, loaded)
        monkeypatch.setitem(sys.modules, name, None)


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_generate_without_faker_names_the_bench_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _hide(monkeypatch, "faker")
    assert main(["bench", "generate", "--events", "1000", "--repeat", "1"]) == 2
    line = _one_error_line(capsys)
    assert line.startswith("vitrina: error: ")
    assert "faker" in line and "pip install 'vitrina[bench]'" in line


def test_window_with_kafka_but_without_quix_names_the_bench_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _hide(monkeypatch, "quixstreams")
    # Nothing listens on port 1: the check must come before any connection or engine run.
    args = ["bench", "window", "--events", "1000", "--kafka", "kafka://127.0.0.1:1"]
    assert main(args) == 2
    line = _one_error_line(capsys)
    assert "quixstreams" in line and "pip install 'vitrina[bench]'" in line


def test_window_with_kafka_but_without_the_client_names_the_kafka_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _hide(monkeypatch, "confluent_kafka")
    assert main(["bench", "window", "--kafka", "kafka://127.0.0.1:1"]) == 2
    line = _one_error_line(capsys)
    assert "confluent_kafka" in line and "pip install 'vitrina[kafka]'" in line


def test_window_auto_without_the_kafka_client_measures_without_kafka(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _hide(monkeypatch, "confluent_kafka", "quixstreams")
    assert resolve_kafka("auto") is None
    figures = run_window_bench(events=20_000, dict_events=5_000, repeat=1, stream_events=0)
    assert figures["events"] == 20_000 and figures["engine_events_per_s"] > 0
    assert figures["quix_events_per_s"] is None and figures["e2e_kafka_events_per_s"] is None
