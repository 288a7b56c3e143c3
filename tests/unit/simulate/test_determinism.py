"""Same seed and parameters -> byte-identical output; slicing and speed do not change the data."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from tests.support.simulation import run_sim


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((root / "events").rglob("*.jsonl")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _tables_digest(sim: object) -> str:
    h = hashlib.sha256()
    for name, df in sorted(sim.tables.items()):  # type: ignore[attr-defined]
        h.update(name.encode())
        h.update(df.write_csv().encode())
    return h.hexdigest()


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = run_sim(tmp_path / "a", scale="classic", hours=3, seed=9)
    b = run_sim(tmp_path / "b", scale="classic", hours=3, seed=9)
    assert a.report.events["clicks"] > 1_000
    assert _digest(a.root) == _digest(b.root)
    assert _tables_digest(a) == _tables_digest(b)


def test_other_seed_gives_other_data(tmp_path: Path) -> None:
    a = run_sim(tmp_path / "a", hours=2, seed=1)
    b = run_sim(tmp_path / "b", hours=2, seed=2)
    assert _digest(a.root) != _digest(b.root)


def test_slice_size_changes_files_not_events(tmp_path: Path) -> None:
    hourly = run_sim(tmp_path / "h", scale="classic", hours=3, seed=4)
    minutes = run_sim(tmp_path / "m", scale="classic", hours=3, seed=4, slice_ms=15 * 60_000)
    assert len(minutes.log.list("clicks")) > len(hourly.log.list("clicks"))
    assert minutes.topic_bytes("clicks") == hourly.topic_bytes("clicks")
    assert _tables_digest(minutes) == _tables_digest(hourly)


def test_faults_leave_clean_records_unchanged(tmp_path: Path) -> None:
    """Fault streams are separate: the OLTP history of a faulty run differs only where listed."""
    from vitrina.simulate.faults import FaultRates

    clean = run_sim(tmp_path / "c", hours=2, seed=6)
    faulty = run_sim(tmp_path / "f", hours=2, seed=6, faults=FaultRates(duplicate=0.05))
    assert faulty.tables["orders"].equals(clean.tables["orders"])
    clean_lines = set(clean.topic_bytes("clicks").splitlines())
    faulty_lines = faulty.topic_bytes("clicks").splitlines()
    assert clean_lines == set(faulty_lines)  # duplicates only repeat existing lines
    assert len(faulty_lines) > len(clean_lines)


def test_live_speed_writes_each_slice_when_the_virtual_clock_reaches_it(tmp_path: Path) -> None:
    """--speed 60 with 1-minute slices: one slice per wall-clock second, same bytes as bulk mode."""
    from tests.support.simulation import START_MS
    from vitrina.eventlog import FileEventLog
    from vitrina.simulate.run import SimulationParams, simulate

    now = [0.0]
    writes: list[tuple[float, str, int]] = []

    class RecordingLog(FileEventLog):
        def write_slice(self, topic, slice_start_ms, payload, keys=None):  # type: ignore[no-untyped-def]
            writes.append((now[0], topic, slice_start_ms))
            return super().write_slice(topic, slice_start_ms, payload, keys)

    def sleep(seconds: float) -> None:
        now[0] += seconds

    params = SimulationParams(
        seed=2,
        scale="classic",
        start_ms=START_MS,
        duration_ms=10 * 60_000,
        slice_ms=60_000,
        speed=60.0,
    )
    simulate(params, sink=RecordingLog(str(tmp_path / "live")), clock=lambda: now[0], sleep=sleep)
    clicks = [(t, s) for t, topic, s in writes if topic == "clicks"]
    assert len(clicks) >= 9
    for wall, slice_start in clicks[:-1]:
        # the slice [s, s + 1 min) is released once 1 virtual minute = 1 s of wall time passed its end
        assert wall >= (slice_start - START_MS + 60_000) / 1000 / 60 - 1e-9
        assert wall < (slice_start - START_MS + 60_000) / 1000 / 60 + 1.0
    bulk_log = FileEventLog(str(tmp_path / "bulk"))
    simulate(dataclasses.replace(params, speed=0.0), sink=bulk_log)
    live_log = FileEventLog(str(tmp_path / "live"))
    assert [f.name for f in live_log.list("clicks")] == [f.name for f in bulk_log.list("clicks")]
    for a, b in zip(live_log.list("clicks"), bulk_log.list("clicks"), strict=True):
        assert live_log.read(a) == bulk_log.read(b)
