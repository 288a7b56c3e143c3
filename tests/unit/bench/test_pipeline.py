"""``vitrina bench pipeline``: the DuckDB baseline, the records of each step, bad usage."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from vitrina.bench.pipeline import _run_baseline, step_records
from vitrina.cli import main
from vitrina.config import load_settings
from vitrina.eventlog import open_eventlog
from vitrina.timeutil import parse_instant_ms

H12 = parse_instant_ms("2026-11-22T12:00:00Z")


def test_baseline_reads_every_click_and_registration_line(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path)
    log = open_eventlog(settings.backend("eventlog"))
    click = b'{"event_id": "%s", "user_id": 1, "product_id": 2, "ts": "2026-11-22T12:00:01Z"}'
    log.write_slice("clicks", H12, b"\n".join(click % e for e in (b"a", b"b", b"a")) + b"\n")
    log.write_slice("clicks", H12 + 3_600_000, click % b"c" + b"\n")
    log.write_slice("registrations", H12, b'{"event_id": "r", "user_id": 1}\n')
    spec = {"data_dir": str(tmp_path), "simulate": {}, "profile": None, "config": None}
    figures = _run_baseline(spec)
    assert figures["records"] == 5
    assert figures["seconds"] > 0
    assert not (tmp_path / "baseline.duckdb").exists()


def test_step_records_come_from_each_report() -> None:
    simulated = SimpleNamespace(events={"clicks": 10, "registrations": 2}, entities={"users": 5})
    assert step_records("simulate", simulated) == 17
    assert step_records("stream", SimpleNamespace(events=12)) == 12
    assert step_records("ingest", SimpleNamespace(read=17)) == 17
    assert step_records("transform", SimpleNamespace()) is None


def test_unknown_scale_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "pipeline", "--scale", "huge"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown scale 'huge'" in err[0]
