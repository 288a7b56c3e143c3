"""The stream job over event-log files: results, dead letters, no double processing, crash replay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest

from vitrina.config import load_settings
from vitrina.eventlog import FileEventLog
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec
from vitrina.stream.job import run_stream
from vitrina.stream.parse import parse_clicks
from vitrina.timeutil import format_ts_ms

T0 = 1_795_305_600_000  # 2026-11-22T00:00:00Z
HOUR = 3_600_000


def write_log(root: Path, n_files: int = 3, per_file: int = 400, seed: int = 1) -> list[bytes]:
    rng = np.random.default_rng(seed)
    log = FileEventLog(f"file://{root}")
    payloads = []
    for f in range(n_files):
        lines = []
        for i in range(per_file):
            ts = T0 + f * HOUR + i * HOUR // per_file - int(rng.integers(0, 20_000))
            rec = {
                "event_id": f"e{f}-{i}",
                "user_id": 1,
                "session_id": "s",
                "product_id": int(rng.integers(1, 6)),
                "event_type": "click" if rng.random() < 0.7 else "view",
                "ts": format_ts_ms(ts),
            }
            lines.append(orjson.dumps(rec))
        lines[5] = b'{"product_id": 1, "event_type": "click", "ts": "nope"}'
        lines[9] = b"{truncated"
        lines[12] = orjson.dumps(
            {"product_id": 2, "event_type": "click", "ts": format_ts_ms(T0 + f * HOUR - 600_000)}
        )
        payload = b"\n".join(lines) + b"\n"
        log.write_slice("clicks", T0 + f * HOUR, payload)
        payloads.append(payload)
    return payloads


def reference(payloads: list[bytes]) -> dict[tuple[int, str], int]:
    eng = WindowEngine(WindowSpec())
    parts = []
    for p in payloads:
        parsed = parse_clicks(p)
        parts.append(eng.process(parsed.ts_ms, parsed.product_id, parsed.is_click).emitted)
    parts.append(eng.flush())
    out = EmittedWindows.concat(parts, 300_000).as_dict()
    return {(k, format_ts_ms(s)): c for (s, k), c in out.items()}


def output(root: Path) -> list[tuple[int, str, int]]:
    rows = []
    for f in sorted((root / "product_clicks_5m").rglob("*.jsonl")):
        for line in f.read_bytes().splitlines():
            r = orjson.loads(line)
            rows.append((r["product_id"], r["window_start"], r["clicks"]))
    return rows


def settings_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(data_dir=tmp_path / "data", environ={}, cwd=tmp_path)


def test_files_job_equals_the_engine_and_routes_dead_letters(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    root = settings.data_dir / "events"
    payloads = write_log(root)
    report = run_stream(settings, marts=False)
    got = output(root)
    assert len({(p, s) for p, s, _ in got}) == len(got)
    assert {(p, s): c for p, s, c in got} == reference(payloads)
    assert (report.malformed, report.violations, report.late) == (3, 3, 3)
    letters = [
        orjson.loads(x)
        for f in sorted((root / "clicks.dlq").rglob("*.jsonl"))
        for x in f.read_bytes().splitlines()
    ]
    assert sorted(d["kind"] for d in letters) == ["contract"] * 3 + ["late"] * 3 + ["malformed"] * 3
    first = [d for d in letters if d["origin"]["file"].endswith("T000000Z.jsonl")]
    assert {d["origin"]["line"]: d["kind"] for d in first} == {
        6: "contract",
        10: "malformed",
        13: "late",
    }
    assert next(d for d in first if d["kind"] == "malformed")["payload"] == "{truncated"
    status = orjson.loads((settings.data_dir / "stream" / "status.json").read_bytes())
    assert status["state"] == "finished" and status["events"] == report.events


def test_second_run_processes_nothing_and_keeps_outputs(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    root = settings.data_dir / "events"
    write_log(root)
    run_stream(settings, marts=False)
    before = output(root)
    again = run_stream(settings, marts=False)
    assert again.events == 0 and again.windows == 0
    assert output(root) == before


def test_crash_mid_run_then_restart_gives_the_same_output(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    root = settings.data_dir / "events"
    payloads = write_log(root, n_files=4)

    import vitrina.stream.files_job as fj

    original = fj.Checkpoint.save
    saves = {"n": 0}

    def failing_save(self: fj.Checkpoint, engine: WindowEngine, done: dict[str, int]) -> None:
        saves["n"] += 1
        if saves["n"] == 3:  # outputs of file 3 written, its checkpoint never
            raise RuntimeError("simulated crash")
        original(self, engine, done)

    fj.Checkpoint.save = failing_save  # type: ignore[method-assign]
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            run_stream(settings, marts=False)
    finally:
        fj.Checkpoint.save = original  # type: ignore[method-assign]
    run_stream(settings, marts=False)
    got = output(root)
    assert len({(p, s) for p, s, _ in got}) == len(got)
    assert {(p, s): c for p, s, c in got} == reference(payloads)


def test_marts_table_holds_each_window_once_after_a_replay(tmp_path: Path) -> None:
    from vitrina.marts.store import open_marts

    settings = settings_for(tmp_path)
    root = settings.data_dir / "events"
    payloads = write_log(root, n_files=2)
    run_stream(settings)
    # Replay: forget the checkpoint and the manifest, run again over the same files.
    (settings.data_dir / "stream" / "checkpoint.bin").unlink()
    (root / "_manifests" / "stream.json").unlink()
    run_stream(settings)
    with open_marts(settings.backend("marts")) as ms:
        rows = ms.query_arrow(
            "select product_id, window_start, clicks from product_clicks final"
        ).to_pylist()
    assert len(rows) == len(reference(payloads))
    assert sum(r["clicks"] for r in rows) == sum(reference(payloads).values())


def test_idle_timeout_flushes_open_windows_while_following(tmp_path: Path) -> None:
    settings = settings_for(tmp_path).with_overrides(stream={"idle_timeout": "1s"})
    root = settings.data_dir / "events"
    payloads = write_log(root, n_files=1)
    checks = {"n": 0}

    def stop_when_flushed() -> bool:
        checks["n"] += 1
        status = orjson.loads((settings.data_dir / "stream" / "status.json").read_bytes())
        return status["open_cells"] == 0 or checks["n"] > 20

    report = run_stream(settings, follow=True, marts=False, should_stop=stop_when_flushed)
    assert checks["n"] <= 20
    assert report.open_cells == 0
    got = output(root)
    assert {(p, s): c for p, s, c in got} == reference(payloads)
